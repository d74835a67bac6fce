#include "facematch.h"

#include <QHash>
#include <QtEndian>
#include <sodium.h>

#include <cmath>
#include <limits>

namespace pingyi::face {

Embedding::~Embedding()
{
    sodium_memzero(values.data(), sizeof values);
}

double distance(const Embedding &a, const Embedding &b)
{
    double sum = 0;
    for (int i = 0; i < embeddingSize; ++i) {
        const double d = double(a.values[size_t(i)]) - double(b.values[size_t(i)]);
        sum += d * d;
    }
    return std::sqrt(sum);
}

QByteArray encodeTemplate(const Embedding &e)
{
    QByteArray out(templateBytes, Qt::Uninitialized);
    for (int i = 0; i < embeddingSize; ++i)
        qToLittleEndian(e.values[size_t(i)], out.data() + 4 * i);
    return out;
}

std::optional<Embedding> decodeTemplate(QByteArrayView bytes)
{
    if (bytes.size() != templateBytes)
        return std::nullopt;
    Embedding e;
    for (int i = 0; i < embeddingSize; ++i) {
        const float v = qFromLittleEndian<float>(bytes.data() + 4 * i);
        if (!std::isfinite(v))
            return std::nullopt;
        e.values[size_t(i)] = v;
    }
    return e;
}

QString probeProblem(const Probe &probe, const QualityLimits &limits)
{
    const ProbeQuality &q = probe.quality;
    if (probe.facesInFrame <= 0)
        return QStringLiteral("face-none");
    if (probe.facesInFrame > 1)
        return QStringLiteral("face-many");
    if (q.eyeDistance < limits.minEyeDistance)
        return QStringLiteral("face-too-far");
    if (q.heightRatio > limits.maxHeightRatio)
        return QStringLiteral("face-too-close");
    if (q.brightness < limits.minBrightness)
        return QStringLiteral("face-too-dark");
    if (q.brightness > limits.maxBrightness)
        return QStringLiteral("face-too-bright");
    if (q.sharpness < limits.minSharpness)
        return QStringLiteral("face-blurred");
    if (std::abs(q.yaw) > limits.maxYaw || std::abs(q.roll) > limits.maxRoll)
        return QStringLiteral("face-not-frontal");
    // A NaN or infinite embedding is not a face (a broken model output): never a match.
    for (float v : probe.embedding.values)
        if (!std::isfinite(v))
            return QStringLiteral("face-none");
    return {};
}

namespace {

Decision unusable(const QString &reason)
{
    Decision d;
    d.outcome = Decision::Outcome::Unusable;
    d.reason = reason;
    return d;
}

Decision noMatch()
{
    Decision d;
    d.outcome = Decision::Outcome::NoMatch;
    d.reason = QStringLiteral("face-no-match");
    return d;
}

} // namespace

Decision verify(const Probe &probe, const std::optional<Template> &enrolled, const FaceRules &rules,
                const QualityLimits &limits)
{
    if (const QString problem = probeProblem(probe, limits); !problem.isEmpty())
        return unusable(problem);
    if (!enrolled)
        return unusable(QStringLiteral("face-no-template"));
    if (!(distance(probe.embedding, enrolled->embedding) < rules.threshold))
        return noMatch();
    Decision d;
    d.outcome = Decision::Outcome::Match;
    d.repId = enrolled->repId;
    d.reason = QStringLiteral("face-match");
    return d;
}

Decision identify(const Probe &probe, const std::vector<Template> &roster, const FaceRules &rules,
                  const QualityLimits &limits)
{
    if (const QString problem = probeProblem(probe, limits); !problem.isEmpty())
        return unusable(problem);
    if (roster.empty())
        return unusable(QStringLiteral("face-no-template"));

    // The nearest template of each representative, then the best two representatives.
    QHash<QString, double> nearest;
    nearest.reserve(qsizetype(roster.size()));
    for (const Template &t : roster) {
        const double d = distance(probe.embedding, t.embedding);
        const auto it = nearest.find(t.repId);
        if (it == nearest.end())
            nearest.insert(t.repId, d);
        else if (d < *it)
            *it = d;
    }
    constexpr double inf = std::numeric_limits<double>::infinity();
    double best = inf;
    double second = inf;
    QString bestRep;
    for (auto it = nearest.cbegin(); it != nearest.cend(); ++it) {
        if (it.value() < best) {
            second = best;
            best = it.value();
            bestRep = it.key();
        } else if (it.value() < second) {
            second = it.value();
        }
    }
    if (!(best < rules.threshold))
        return noMatch();
    if (second - best < rules.margin) {
        Decision d;
        d.outcome = Decision::Outcome::Ambiguous;
        d.reason = QStringLiteral("face-ambiguous");
        return d;
    }
    Decision d;
    d.outcome = Decision::Outcome::Match;
    d.repId = bestRep;
    d.reason = QStringLiteral("face-match");
    return d;
}

} // namespace pingyi::face
