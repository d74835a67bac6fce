// The core's face decisions on synthetic values (no camera, no models):
// - the activity spec's face rules (defaults, given values, refused values);
// - the quality gate: every refusal reason;
// - 1:1 verification and 1:N identification: match, no match, the margin's ambiguity, a
//   representative with several templates, the threshold and margin taken from the rules;
// - the head-turn challenge on synthetic tracks: a turn the asked way passes (either way); a
//   still face, a face slid across the frame, a turn the wrong way, a jump without the turn
//   between, a photo flipped to and fro with its mirror image, a swapped face, a lost face, a second face and a face
//   already turned fail; the random direction takes both values.
// Real frames from dlib's photos: tests/vision/test_face_identity.cpp.

#include "activity.h"
#include "facematch.h"
#include "liveness.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <random>

using namespace pingyi;
using namespace pingyi::face;

namespace {

QByteArray exampleSpec()
{
    QFile f(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray withFace(const QJsonObject &face)
{
    QJsonObject root = QJsonDocument::fromJson(exampleSpec()).object();
    root.insert(QStringLiteral("face"), face);
    return QJsonDocument(root).toJson();
}

/// A unit-length random embedding (dlib's descriptors are not unit length, but distances
/// are all that matter here).
Embedding randomEmbedding(std::mt19937_64 &rng)
{
    std::normal_distribution<double> n(0, 1);
    Embedding e;
    double norm = 0;
    for (float &v : e.values) {
        v = float(n(rng));
        norm += double(v) * v;
    }
    for (float &v : e.values)
        v = float(v / std::sqrt(norm));
    return e;
}

/// `from` moved exactly `dist` away in a random direction.
Embedding at(const Embedding &from, double dist, std::mt19937_64 &rng)
{
    const Embedding dir = randomEmbedding(rng);
    Embedding e = from;
    for (int i = 0; i < embeddingSize; ++i)
        e.values[size_t(i)] += float(dist * dir.values[size_t(i)]);
    return e;
}

Probe goodProbe(const Embedding &e)
{
    Probe p;
    p.embedding = e;
    p.quality = {0.4, 80, 120, 150, 0.1, 2};
    return p;
}

FaceRules defaults()
{
    return {};
}

/// A face of 160×200 px near the frame's middle, `yaw` as the detector would measure it.
TrackFrame frame(qint64 msec, double yaw, const std::optional<Embedding> &e, double dx = 0)
{
    TrackFrame f;
    f.msec = msec;
    f.faces = 1;
    f.box = QRectF(240 + dx, 140, 160, 200);
    f.yaw = yaw;
    f.embedding = e;
    return f;
}

struct TrackRun {
    LivenessResult result;
    qint64 endedAt = -1;
};

/// Feeds frames at 30 per second, yaw(t) and x offset(t) given as functions of seconds.
template<typename Yaw, typename Dx>
TrackRun run(HeadTurnChallenge &c, const Embedding &e, Yaw yaw, Dx dx, double seconds = 10)
{
    TrackRun r;
    for (qint64 ms = 0; ms <= qint64(seconds * 1000); ms += 33) {
        const double t = double(ms) / 1000;
        r.result = c.add(frame(ms, yaw(t), e, dx(t)));
        if (r.result.status != LivenessResult::Status::Pending) {
            r.endedAt = ms;
            break;
        }
    }
    return r;
}

auto still(double v)
{
    return [v](double) {
        return v;
    };
}

} // namespace

class TestFaceMatch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void specRules()
    {
        const auto plain = Activity::fromJson(exampleSpec(), QStringLiteral("a.json"));
        QVERIFY2(plain.ok(), plain.ok() ? "" : qPrintable(plain.error().message));
        QCOMPARE(plain->face.threshold, 0.6);
        QCOMPARE(plain->face.margin, 0.05);
        QCOMPARE(plain->face.livenessSeconds, 8);

        const auto given = Activity::fromJson(
            withFace({{"threshold", 0.55}, {"margin", 0.08}, {"liveness_seconds", 12}}), QStringLiteral("a.json"));
        QVERIFY2(given.ok(), given.ok() ? "" : qPrintable(given.error().message));
        QCOMPARE(given->face.threshold, 0.55);
        QCOMPARE(given->face.margin, 0.08);
        QCOMPARE(given->face.livenessSeconds, 12);

        const auto bad = Activity::fromJson(
            withFace({{"threshold", 1.5}, {"margin", 0}, {"liveness_seconds", 2.5}, {"thresold", 1}}),
            QStringLiteral("a.json"));
        QVERIFY(!bad.ok());
        const QString m = bad.error().message;
        QVERIFY2(m.contains(QStringLiteral("a.json: face.threshold: must be between 0.3 and 1, found 1.5")),
                 qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("face.margin: must be between 0.01 and 0.3, found 0")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("face.liveness_seconds: expected a whole number")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("face.thresold: unknown key (did you mean \"threshold\"?)")), qPrintable(m));
        const auto notObject = Activity::fromJson(
            [] {
                QJsonObject root = QJsonDocument::fromJson(exampleSpec()).object();
                root.insert(QStringLiteral("face"), 0.6);
                return QJsonDocument(root).toJson();
            }(),
            QStringLiteral("a.json"));
        QVERIFY(!notObject.ok());
        QVERIFY2(notObject.error().message.contains(QStringLiteral("face: expected an object")),
                 qPrintable(notObject.error().message));
    }

    void qualityGate_data()
    {
        QTest::addColumn<int>("faces");
        QTest::addColumn<double>("heightRatio");
        QTest::addColumn<double>("eyeDistance");
        QTest::addColumn<double>("brightness");
        QTest::addColumn<double>("sharpness");
        QTest::addColumn<double>("yaw");
        QTest::addColumn<double>("roll");
        QTest::addColumn<QString>("problem");
        QTest::newRow("good") << 1 << 0.4 << 80.0 << 120.0 << 150.0 << 0.1 << 2.0 << QString();
        QTest::newRow("none") << 0 << 0.4 << 80.0 << 120.0 << 150.0 << 0.1 << 2.0 << "face-none";
        QTest::newRow("two") << 2 << 0.4 << 80.0 << 120.0 << 150.0 << 0.1 << 2.0 << "face-many";
        QTest::newRow("far") << 1 << 0.1 << 20.0 << 120.0 << 150.0 << 0.1 << 2.0 << "face-too-far";
        QTest::newRow("close") << 1 << 0.95 << 200.0 << 120.0 << 150.0 << 0.1 << 2.0 << "face-too-close";
        QTest::newRow("dark") << 1 << 0.4 << 80.0 << 25.0 << 150.0 << 0.1 << 2.0 << "face-too-dark";
        QTest::newRow("bright") << 1 << 0.4 << 80.0 << 245.0 << 150.0 << 0.1 << 2.0 << "face-too-bright";
        QTest::newRow("blurred") << 1 << 0.4 << 80.0 << 120.0 << 5.0 << 0.1 << 2.0 << "face-blurred";
        QTest::newRow("turned") << 1 << 0.4 << 80.0 << 120.0 << 150.0 << -0.9 << 2.0 << "face-not-frontal";
        QTest::newRow("tilted") << 1 << 0.4 << 80.0 << 120.0 << 150.0 << 0.1 << 40.0 << "face-not-frontal";
    }

    void qualityGate()
    {
        QFETCH(int, faces);
        QFETCH(double, heightRatio);
        QFETCH(double, eyeDistance);
        QFETCH(double, brightness);
        QFETCH(double, sharpness);
        QFETCH(double, yaw);
        QFETCH(double, roll);
        QFETCH(QString, problem);
        std::mt19937_64 rng(1);
        const Embedding e = randomEmbedding(rng);
        Probe p;
        p.embedding = e;
        p.facesInFrame = faces;
        p.quality = {heightRatio, eyeDistance, brightness, sharpness, yaw, roll};
        QCOMPARE(probeProblem(p), problem);
        // An unusable probe is never compared, even with its own embedding as the template.
        const Decision d = verify(p, Template {QStringLiteral("r1"), e}, defaults());
        if (problem.isEmpty()) {
            QVERIFY(d.matched());
        } else {
            QCOMPARE(d.outcome, Decision::Outcome::Unusable);
            QCOMPARE(d.reason, problem);
            QCOMPARE(identify(p, {{QStringLiteral("r1"), e}}, defaults()).outcome, Decision::Outcome::Unusable);
        }
    }

    void nanEmbedding()
    {
        Probe p = goodProbe({});
        p.embedding.values[3] = std::nanf("");
        QCOMPARE(probeProblem(p), QStringLiteral("face-none"));
        QVERIFY(!verify(p, Template {QStringLiteral("r1"), {}}, defaults()).matched());
    }

    void verification()
    {
        std::mt19937_64 rng(2);
        const Embedding enrolled = randomEmbedding(rng);
        const Template t {QStringLiteral("r7"), enrolled};
        const FaceRules rules = defaults();

        const Decision same = verify(goodProbe(at(enrolled, 0.45, rng)), t, rules);
        QCOMPARE(same.outcome, Decision::Outcome::Match);
        QCOMPARE(same.repId, QStringLiteral("r7"));
        QCOMPARE(same.reason, QStringLiteral("face-match"));

        const Decision other = verify(goodProbe(at(enrolled, 0.65, rng)), t, rules);
        QCOMPARE(other.outcome, Decision::Outcome::NoMatch);
        QCOMPARE(other.reason, QStringLiteral("face-no-match"));
        QVERIFY(other.repId.isEmpty());

        // Just past the threshold is no match.
        QCOMPARE(verify(goodProbe(at(enrolled, 0.601, rng)), t, rules).outcome, Decision::Outcome::NoMatch);
        QCOMPARE(verify(goodProbe(at(enrolled, 0.599, rng)), t, rules).outcome, Decision::Outcome::Match);

        // The threshold is the spec's.
        FaceRules strict;
        strict.threshold = 0.4;
        QCOMPARE(verify(goodProbe(at(enrolled, 0.45, rng)), t, strict).outcome, Decision::Outcome::NoMatch);

        const Decision none = verify(goodProbe(enrolled), std::nullopt, rules);
        QCOMPARE(none.outcome, Decision::Outcome::Unusable);
        QCOMPARE(none.reason, QStringLiteral("face-no-template"));
    }

    void identification()
    {
        std::mt19937_64 rng(3);
        std::vector<Template> roster;
        for (int i = 0; i < 50; ++i)
            roster.push_back({QStringLiteral("r%1").arg(i), randomEmbedding(rng)});
        const FaceRules rules = defaults();

        // Random unit vectors in 128 dimensions lie about 1.41 apart: a probe near one of them
        // is far from all others.
        const Decision d = identify(goodProbe(at(roster[17].embedding, 0.4, rng)), roster, rules);
        QCOMPARE(d.outcome, Decision::Outcome::Match);
        QCOMPARE(d.repId, QStringLiteral("r17"));

        QCOMPARE(identify(goodProbe(randomEmbedding(rng)), roster, rules).outcome, Decision::Outcome::NoMatch);
        QCOMPARE(identify(goodProbe(randomEmbedding(rng)), {}, rules).reason, QStringLiteral("face-no-template"));

        // Two representatives nearly as close: the margin refuses to choose.
        const Embedding probe = randomEmbedding(rng);
        std::vector<Template> twins = roster;
        twins.push_back({QStringLiteral("a"), at(probe, 0.40, rng)});
        twins.push_back({QStringLiteral("b"), at(probe, 0.43, rng)});
        const Decision amb = identify(goodProbe(probe), twins, rules);
        QCOMPARE(amb.outcome, Decision::Outcome::Ambiguous);
        QCOMPARE(amb.reason, QStringLiteral("face-ambiguous"));
        QVERIFY(amb.repId.isEmpty());
        // The second one beyond the threshold but within the margin is still ambiguous...
        twins.back() = {QStringLiteral("b"), at(probe, 0.62, rng)};
        twins[twins.size() - 2] = {QStringLiteral("a"), at(probe, 0.59, rng)};
        QCOMPARE(identify(goodProbe(probe), twins, rules).outcome, Decision::Outcome::Ambiguous);
        // ...and a margin wide enough decides.
        twins.back() = {QStringLiteral("b"), at(probe, 0.70, rng)};
        const Decision clear = identify(goodProbe(probe), twins, rules);
        QCOMPARE(clear.outcome, Decision::Outcome::Match);
        QCOMPARE(clear.repId, QStringLiteral("a"));
        // The margin is the spec's.
        FaceRules wide;
        wide.margin = 0.2;
        QCOMPARE(identify(goodProbe(probe), twins, wide).outcome, Decision::Outcome::Ambiguous);

        // Two templates of the same representative are not a rival.
        std::vector<Template> twoPhotos = roster;
        twoPhotos.push_back({QStringLiteral("c"), at(probe, 0.30, rng)});
        twoPhotos.push_back({QStringLiteral("c"), at(probe, 0.32, rng)});
        const Decision same = identify(goodProbe(probe), twoPhotos, rules);
        QCOMPARE(same.outcome, Decision::Outcome::Match);
        QCOMPARE(same.repId, QStringLiteral("c"));
    }

    void turnPasses_data()
    {
        QTest::addColumn<bool>("left");
        QTest::newRow("left") << true;
        QTest::newRow("right") << false;
    }

    void turnPasses()
    {
        QFETCH(bool, left);
        std::mt19937_64 rng(4);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge c(left ? Turn::Left : Turn::Right, defaults());
        QCOMPARE(c.result().reason, QStringLiteral("liveness-need-face"));
        const double sign = left ? 1 : -1;
        // Rests at yaw 0.1 for a second, turns to 0.1 ± 0.8 over 0.6 s, holds.
        const auto yaw = [sign](double t) {
            return 0.1 + sign * 0.8 * std::clamp((t - 1.0) / 0.6, 0.0, 1.0);
        };
        const TrackRun r = run(c, e, yaw, still(0));
        QCOMPARE(r.result.status, LivenessResult::Status::Passed);
        QVERIFY(r.endedAt > 1000 && r.endedAt < 2000);
        QCOMPARE(c.progress(), 1.0);
        // Once decided, the result stays.
        QCOMPARE(c.add(frame(r.endedAt + 33, 0.1, randomEmbedding(rng))).status, LivenessResult::Status::Passed);
    }

    void stillFaceTimesOut()
    {
        std::mt19937_64 rng(5);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge c(Turn::Left, defaults());
        // Detector jitter on a photo held still: ±0.05 yaw, a pixel of box.
        std::normal_distribution<double> jitter(0, 0.03);
        TrackRun r = run(
            c, e, [&](double) { return 0.2 + jitter(rng); }, [&](double) { return jitter(rng) * 30; });
        QCOMPARE(r.result.status, LivenessResult::Status::Failed);
        QCOMPARE(r.result.reason, QStringLiteral("liveness-timeout"));
        QVERIFY(r.endedAt > 8000 && r.endedAt <= 8100);
        QVERIFY(c.progress() < 0.3);

        // The activity's time.
        FaceRules longer;
        longer.livenessSeconds = 12;
        HeadTurnChallenge c12(Turn::Right, longer);
        r = run(c12, e, still(0.2), still(0), 20);
        QCOMPARE(r.result.reason, QStringLiteral("liveness-timeout"));
        QVERIFY(r.endedAt > 12000 && r.endedAt <= 12100);
    }

    void slidPhotoFails()
    {
        std::mt19937_64 rng(6);
        const Embedding e = randomEmbedding(rng);
        // Slid slowly to and fro across the frame: the box moves, the yaw does not.
        HeadTurnChallenge slow(Turn::Left, defaults());
        TrackRun r = run(slow, e, still(0.1), [](double t) { return 200 * std::sin(t * 2); });
        QCOMPARE(r.result.reason, QStringLiteral("liveness-timeout"));
        // Slid fast: the box jumps between frames.
        HeadTurnChallenge fast(Turn::Left, defaults());
        r = run(fast, e, still(0.1), [](double t) { return t > 1 ? (t - 1) * 3000 : 0; });
        QCOMPARE(r.result.reason, QStringLiteral("liveness-face-changed"));
    }

    void wrongWayFails()
    {
        std::mt19937_64 rng(7);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge c(Turn::Right, defaults());
        const TrackRun r = run(
            c, e, [](double t) { return 0.8 * std::clamp(t - 1.0, 0.0, 1.0); }, still(0));
        QCOMPARE(r.result.status, LivenessResult::Status::Failed);
        QCOMPARE(r.result.reason, QStringLiteral("liveness-wrong-way"));
    }

    void jumpWithoutTurnFails()
    {
        // A frontal photo swapped for a turned photo of the same person: no frame in between.
        std::mt19937_64 rng(8);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge c(Turn::Left, defaults());
        const TrackRun r = run(
            c, e, [](double t) { return t < 1 ? 0.0 : 0.9; }, still(0));
        QCOMPARE(r.result.reason, QStringLiteral("liveness-timeout"));
    }

    void flippedPhotoFails()
    {
        // A photo swapped to and fro with its mirror image: two yaws, nothing in between,
        // however long it goes on (detector jitter included).
        std::mt19937_64 rng(12);
        const Embedding e = randomEmbedding(rng);
        std::normal_distribution<double> jitter(0, 0.03);
        for (const Turn turn : {Turn::Left, Turn::Right}) {
            HeadTurnChallenge c(turn, defaults());
            const TrackRun r = run(
                c, e, [&](double t) { return (t < 1 || int(t * 2) % 2 ? 0.4 : -0.4) + jitter(rng); }, still(0));
            QCOMPARE(r.result.status, LivenessResult::Status::Failed);
            QVERIFY2(r.result.reason == QLatin1String("liveness-timeout")
                         || r.result.reason == QLatin1String("liveness-wrong-way"),
                     qPrintable(r.result.reason));
        }
    }

    void swappedFaceFails()
    {
        std::mt19937_64 rng(9);
        const Embedding e = randomEmbedding(rng), other = at(e, 0.9, rng);
        HeadTurnChallenge c(Turn::Left, defaults());
        LivenessResult r;
        for (qint64 ms = 0; ms < 3000 && r.status == LivenessResult::Status::Pending; ms += 33)
            r = c.add(
                frame(ms, ms < 1000 ? 0.0 : 0.8 * std::min(1.0, (double(ms) - 1000) / 500), ms < 1000 ? e : other));
        QCOMPARE(r.reason, QStringLiteral("liveness-face-changed"));
    }

    void lostAndSecondFace()
    {
        std::mt19937_64 rng(10);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge lost(Turn::Left, defaults());
        for (qint64 ms = 0; ms < 500; ms += 33)
            QCOMPARE(lost.add(frame(ms, 0, e)).status, LivenessResult::Status::Pending);
        // A short gap is forgiven, a long one is not.
        TrackFrame none;
        none.msec = 700;
        QCOMPARE(lost.add(none).status, LivenessResult::Status::Pending);
        none.msec = 1100;
        QCOMPARE(lost.add(none).reason, QStringLiteral("liveness-face-lost"));

        HeadTurnChallenge two(Turn::Left, defaults());
        QCOMPARE(two.add(frame(0, 0, e)).status, LivenessResult::Status::Pending);
        TrackFrame f = frame(33, 0, e);
        f.faces = 2;
        QCOMPARE(two.add(f).reason, QStringLiteral("liveness-many-faces"));
    }

    void alreadyTurnedNeverStarts()
    {
        // A photo of a turned head: no resting face, so no turn from it.
        std::mt19937_64 rng(11);
        const Embedding e = randomEmbedding(rng);
        HeadTurnChallenge c(Turn::Left, defaults());
        const TrackRun r = run(c, e, still(-0.9), still(0));
        QCOMPARE(r.result.reason, QStringLiteral("liveness-timeout"));
    }

    void noEmbeddingNoStart()
    {
        // Frames without any embedding never start the track: the same-face check needs one.
        HeadTurnChallenge c(Turn::Left, defaults());
        LivenessResult r;
        for (qint64 ms = 0; ms < 9000 && r.status == LivenessResult::Status::Pending; ms += 33)
            r = c.add(frame(ms, 0.8 * std::clamp((double(ms) - 1000) / 600, 0.0, 1.0), std::nullopt));
        QCOMPARE(r.reason, QStringLiteral("liveness-timeout"));
    }

    void randomDirection()
    {
        int left = 0;
        for (int i = 0; i < 200; ++i)
            left += randomTurn() == Turn::Left;
        // Both directions come up (the chance of a run of 200 equal draws is 2^-199).
        QVERIFY(left > 0 && left < 200);
    }

    void overlap()
    {
        QCOMPARE(boxOverlap(QRectF(0, 0, 10, 10), QRectF(0, 0, 10, 10)), 1.0);
        QCOMPARE(boxOverlap(QRectF(0, 0, 10, 10), QRectF(5, 0, 10, 10)), 50.0 / 150.0);
        QCOMPARE(boxOverlap(QRectF(0, 0, 10, 10), QRectF(20, 0, 10, 10)), 0.0);
        QCOMPARE(boxOverlap(QRectF(), QRectF(0, 0, 10, 10)), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestFaceMatch)
#include "test_facematch.moc"
