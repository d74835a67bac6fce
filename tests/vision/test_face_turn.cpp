// The synthetic head turn (vision/synth/headturn.h) through the real detector and embedder:
// - BlazeFace's yaw follows the rendered angle smoothly and passes ±0.8 both ways, for each
//   of dlib's five johns people, printed per angle;
// - the frontal frames still embed as the person (distance to their template under 0.6);
// - a rendered turn passes the head-turn challenge with the default limits in the asked
//   direction and fails the other way; the same person standing still times out.
// Needs the models (scripts/fetch-models); skips when dlib's example photos are absent.

#include "dlibphotos.h"
#include "facealigner.h"
#include "facedetector.h"
#include "faceembedder.h"
#include "faceevidence.h"
#include "facematch.h"
#include "facemodels.h"
#include "headturn.h"
#include "liveness.h"
#include "synth.h"

#include <QElapsedTimer>
#include <QTest>

#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <map>
#include <optional>

using namespace pingyi;
using namespace pingyi::vision;

namespace {

#define NEED_EXAMPLES()                                                                                                \
    if (!m_haveExamples)                                                                                               \
    QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)")

/// A fixed room (seeded).
cv::Mat room()
{
    cv::Mat bg(synth::frameHeight, synth::frameWidth, CV_8UC3);
    cv::RNG rng(11);
    for (int y = 0; y < bg.rows; ++y)
        bg.row(y).setTo(cv::Scalar(120 + y / 8, 125, 118 - y / 10));
    for (int i = 0; i < 6; ++i)
        cv::circle(bg, cv::Point(rng.uniform(0, bg.cols), rng.uniform(0, bg.rows)), rng.uniform(20, 80),
                   cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256)), cv::FILLED);
    cv::GaussianBlur(bg, bg, cv::Size(0, 0), 6);
    return bg;
}

/// How far the rendered head turns (the demo's scripted person turns as far).
constexpr double turnDegrees = 45;

/// Frames a second, as the demo's camera.
constexpr int fps = 15;

/// A head turned to `degrees` (signed): at rest for half a second (`fps` frames a second), then
/// turning over a second, slowly at the start and the end, then held. (Over half a second, at
/// 15 frames a second, the yaw can jump past a whole half of the way between two frames, which
/// the challenge refuses as a photo swapped for another.)
double turnAt(int frame, double degrees)
{
    const double t = std::clamp((frame - fps / 2.0) / double(fps), 0.0, 1.0);
    return degrees * (1 - std::cos(t * 3.14159265358979)) / 2;
}

const char *said(const face::LivenessResult &r)
{
    static QByteArray text;
    text = r.status == face::LivenessResult::Status::Passed ? QByteArray("passed") : r.reason.toUtf8();
    return text.constData();
}

} // namespace

class TestFaceTurn : public QObject {
    Q_OBJECT

    bool m_haveExamples = false;
    std::vector<dlibphotos::Chip> m_chips; // every johns chip
    std::vector<dlibphotos::Chip> m_people; // the first chip of each johns person
    std::vector<face::Embedding> m_templates;
    std::optional<FaceDetector> m_detector;
    std::optional<FaceEmbedder> m_embedder;
    cv::Mat m_room;

    /// Frames (`fps` a second) of `chip` turned by `angleAt(i)` degrees, through the detector
    /// into a challenge; every 3rd frame (and the first with a face) embedded.
    template<typename AngleAt>
    face::LivenessResult challenge(face::Turn turn, const cv::Mat &chip, AngleAt angleAt, std::vector<double> *yaws)
    {
        FaceRules rules;
        rules.livenessSeconds = 3;
        face::HeadTurnChallenge c(turn, rules);
        cv::RNG noise(5);
        const synth::PersonInRoom person(chip, 190);
        bool embedded = false;
        face::LivenessResult r;
        for (int i = 0; r.status == face::LivenessResult::Status::Pending && i < 3 * fps + 2; ++i) {
            const cv::Mat frame = person.frame(angleAt(i), m_room, {320, 230}, noise);
            const auto faces = m_detector->detect(frame);
            face::TrackFrame f;
            f.msec = i * 1000 / fps;
            f.faces = int(faces.size());
            if (!faces.empty()) {
                const FaceDetection &d = faces.front();
                f.box = QRectF(d.box.x, d.box.y, d.box.width, d.box.height);
                f.yaw = d.quality.yaw;
                if (yaws)
                    yaws->push_back(f.yaw);
                if (!embedded || i % 3 == 0) {
                    const auto e = m_embedder->embed(FaceAligner::align(frame, d));
                    if (e) {
                        f.embedding = toCore(*e);
                        embedded = true;
                    }
                }
            }
            r = c.add(f);
        }
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto models = findFaceModels();
        if (!models)
            QFAIL(qPrintable(models.error().message));
        m_detector.emplace(*models);
        m_embedder.emplace(*models);
        QVERIFY2(m_detector->ready(), qPrintable(m_detector->why()));
        QVERIFY2(m_embedder->ready(), qPrintable(m_embedder->why()));
        m_room = room();
        m_haveExamples = dlibphotos::installed();
        if (!m_haveExamples)
            return;
        QString last;
        m_chips = dlibphotos::johns();
        for (const dlibphotos::Chip &chip : m_chips)
            if (chip.person != last) {
                last = chip.person;
                m_people.push_back(chip);
                const auto e = m_embedder->embed(chip.image);
                QVERIFY(e.ok());
                m_templates.push_back(toCore(*e));
            }
        QCOMPARE(m_people.size(), size_t(5));
    }

    void unturnedIsUnchanged()
    {
        NEED_EXAMPLES();
        // At 0° the face between the cheeks is the photo as it was (the sides of the head take
        // the cheeks' colour); turned, it is not.
        const auto marks = synth::chipMarks();
        const auto chipTemplate = FaceAligner::chipTemplate();
        QCOMPARE(marks.rightEye, chipTemplate[0]);
        QCOMPARE(marks.leftEye, chipTemplate[1]);
        QCOMPARE(marks.nose, chipTemplate[2]);
        QCOMPARE(marks.mouth, chipTemplate[3]);
        const cv::Mat &chip = m_people[0].image;
        const cv::Rect face(30, 20, 90, 110);
        const cv::Mat same = synth::turnHead(chip, synth::chipMarks(), 0);
        cv::Mat diff;
        cv::absdiff(same(face), chip(face), diff);
        double most = 0;
        cv::minMaxLoc(diff.reshape(1), nullptr, &most);
        QVERIFY2(most <= 1, qPrintable(QString::number(most)));
        const cv::Mat turned = synth::turnHead(chip, synth::chipMarks(), 30);
        cv::absdiff(turned(face), chip(face), diff);
        QVERIFY(cv::mean(diff)[0] > 5);
    }

    void yawFollowsAngle()
    {
        NEED_EXAMPLES();
        cv::RNG noise(3);
        const auto yawAt = [&](const synth::PersonInRoom &person, double angle,
                               std::optional<FaceEmbedding> *embedding = nullptr) -> std::optional<double> {
            const cv::Mat frame = person.frame(angle, m_room, {320, 230}, noise);
            const auto faces = m_detector->detect(frame);
            if (faces.empty())
                return std::nullopt;
            if (embedding) {
                const auto e = m_embedder->embed(FaceAligner::align(frame, faces.front()));
                if (e)
                    *embedding = *e;
            }
            return faces.front().quality.yaw;
        };
        // Each person's first photo, every 5°.
        std::printf("  angle:");
        for (int a = -60; a <= 60; a += 5)
            std::printf(" %5d", a);
        std::printf("\n");
        for (size_t p = 0; p < m_people.size(); ++p) {
            const synth::PersonInRoom person(m_people[p].image, 190);
            std::printf("  %-6s", qPrintable(m_people[p].person.mid(5, 6)));
            std::map<int, double> yaw;
            std::optional<FaceEmbedding> frontal;
            for (int a = -60; a <= 60; a += 5) {
                const auto y = yawAt(person, a, a == 0 ? &frontal : nullptr);
                if (y)
                    yaw[a] = *y;
                y ? std::printf(" %5.2f", *y) : std::printf("     -");
            }
            QVERIFY(yaw.count(0) && frontal);
            const double distance = face::distance(toCore(*frontal), m_templates[p]);
            std::printf("   frontal: %.3f from the template\n", distance);
            QVERIFY2(distance < 0.6, qPrintable(m_people[p].person));
            QVERIFY(std::abs(yaw[0]) < 0.2);
            // Smoothly out to 25° each way (each step further than the last, but for noise),
            // and 0.6 from rest (the challenge's turn) by 50°.
            double left = 0, right = 0;
            for (int a = 5; a <= 50; a += 5) {
                QVERIFY(yaw.count(a) && yaw.count(-a));
                if (a <= 25) {
                    QVERIFY2(yaw[a] > yaw[a - 5] - 0.03,
                             qPrintable(QStringLiteral("%1 at %2°").arg(m_people[p].person).arg(a)));
                    QVERIFY2(yaw[-a] < yaw[-a + 5] + 0.03,
                             qPrintable(QStringLiteral("%1 at -%2°").arg(m_people[p].person).arg(a)));
                }
                left = std::max(left, yaw[a] - yaw[0]);
                right = std::max(right, yaw[0] - yaw[-a]);
            }
            QVERIFY2(left >= 0.6 && right >= 0.6, qPrintable(m_people[p].person));
        }
        // Every photo every 10°: the median yaw per angle, and how far each photo's yaw gets
        // from rest within ±50° either way.
        std::map<int, std::vector<double>> byAngle;
        std::vector<double> leftMost, rightMost;
        for (const dlibphotos::Chip &chip : m_chips) {
            const synth::PersonInRoom person(chip.image, 190);
            std::map<int, double> yaw;
            for (int a = -50; a <= 50; a += 10)
                if (const auto y = yawAt(person, a))
                    yaw[a] = *y, byAngle[a].push_back(*y);
            double left = 0, right = 0;
            for (const auto &[a, y] : yaw) {
                left = std::max(left, y - yaw[0]);
                right = std::max(right, yaw[0] - y);
            }
            leftMost.push_back(left);
            rightMost.push_back(right);
        }
        const auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[v.size() / 2];
        };
        std::printf("  all %zu photos, median yaw:", m_chips.size());
        for (const auto &[a, ys] : byAngle)
            std::printf(" %d° %.2f", a, median(ys));
        const auto beyond = [](const std::vector<double> &v, double limit) {
            return std::count_if(v.begin(), v.end(), [&](double d) { return d > limit; });
        };
        std::printf(
            "\n  yaw moved from rest within ±50°: left median %.2f (%td of %zu beyond 0.8, %td beyond 0.6), right "
            "median %.2f (%td beyond 0.8, %td beyond 0.6)\n",
            median(leftMost), beyond(leftMost, 0.8), leftMost.size(), beyond(leftMost, 0.6), median(rightMost),
            beyond(rightMost, 0.8), beyond(rightMost, 0.6));
        QVERIFY(median(leftMost) > 0.8);
        QVERIFY(median(rightMost) > 0.8);
    }

    void renderedTurnPasses()
    {
        NEED_EXAMPLES();
        // Every johns chip turned to 45° one way or the other through the default challenge (turn 0.6 from
        // rest through both halves of the way, held 2 frames; 0.5 the other way fails).
        QElapsedTimer clock;
        clock.start();
        int frames = 0;
        int passed[2] = {0, 0};
        QStringList missed;
        int tried[2] = {0, 0};
        for (size_t c = 0; c < m_chips.size(); ++c) {
            // Left and right in turn (each person's 11 photos both ways, half the time of both
            // ways for each).
            const dlibphotos::Chip &chip = m_chips[c];
            const face::Turn turn = c % 2 ? face::Turn::Right : face::Turn::Left;
            {
                ++tried[turn == face::Turn::Left ? 0 : 1];
                const double dir = turn == face::Turn::Left ? 1 : -1;
                std::vector<double> yaws;
                const auto r = challenge(
                    turn, chip.image, [&](int i) { return turnAt(i, dir * turnDegrees); }, &yaws);
                frames += int(yaws.size());
                if (r.status == face::LivenessResult::Status::Passed)
                    ++passed[turn == face::Turn::Left ? 0 : 1];
                else
                    missed << QStringLiteral("%1/%2 %3 (%4, yaw %5 → %6)")
                                  .arg(chip.person, chip.file,
                                       turn == face::Turn::Left ? QStringLiteral("left") : QStringLiteral("right"),
                                       QString::fromUtf8(said(r)))
                                  .arg(yaws.front(), 0, 'f', 2)
                                  .arg(yaws.back(), 0, 'f', 2);
            }
        }
        std::printf("  turned to %.0f°, default limits: %d of %d passed turning left, %d of %d turning right "
                    "(%.1f ms per frame: render, detect, embed every 3rd)\n",
                    turnDegrees, passed[0], tried[0], passed[1], tried[1], double(clock.elapsed()) / frames);
        for (const QString &m : missed)
            std::printf("    not passed: %s\n", qPrintable(m));
        // Measured 26 of 28 and 23 of 27 (docs/identity.md#a-synthetic-head-turn).
        QVERIFY2(passed[0] * 5 >= tried[0] * 4, "at least 80 % of the photos pass turning left");
        QVERIFY2(passed[1] * 5 >= tried[1] * 4, "at least 80 % of the photos pass turning right");

        // The same turns when the other way was asked: refused at once.
        for (const dlibphotos::Chip &chip : m_people)
            for (const face::Turn turn : {face::Turn::Left, face::Turn::Right}) {
                const double dir = turn == face::Turn::Left ? -1 : 1; // the other way
                const auto r = challenge(
                    turn, chip.image, [&](int i) { return turnAt(i, dir * turnDegrees); }, nullptr);
                QCOMPARE(r.reason, QStringLiteral("liveness-wrong-way"));
            }
    }

    void standingStillTimesOut()
    {
        NEED_EXAMPLES();
        // The person stands there, swaying a little (±2°), and never turns.
        for (const face::Turn turn : {face::Turn::Left, face::Turn::Right}) {
            std::vector<double> yaws;
            const auto r = challenge(
                turn, m_people[1].image, [](int i) { return 2 * std::sin(i / 8.0); }, &yaws);
            QCOMPARE(r.reason, QStringLiteral("liveness-timeout"));
            const auto [lo, hi] = std::minmax_element(yaws.begin(), yaws.end());
            std::printf("  standing still (±2°): yaw %.2f…%.2f, %s\n", *lo, *hi, said(r));
        }
    }
};

QTEST_GUILESS_MAIN(TestFaceTurn)
#include "test_face_turn.moc"
