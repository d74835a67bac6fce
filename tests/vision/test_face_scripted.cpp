// The demo's scripted person (kiosk-ui/demo/scriptedperson.h) through the real detector,
// embedder and the core's decisions, as the demo kiosk would see it:
// - the representative, told the drawn direction, passes the default head-turn challenge
//   either way and is identified against the demo's enrolled template (made by the office's
//   FaceEnroller from the photo provision-demo enrols);
// - the impostor turns as well but is identified as nobody;
// - the held-up photo of the representative never passes, whichever way is asked;
// - cycling: a try ends when the turn is withdrawn, and the next actor steps up;
// - scripts/provision-demo enrols the photo this cast is built on;
// - its frame source, read on another thread while the screen changes its mind.
// Needs the models (scripts/fetch-models); skips when dlib's example photos are absent.

#include "facealigner.h"
#include "facedetector.h"
#include "faceembedder.h"
#include "faceevidence.h"
#include "facematch.h"
#include "facemodels.h"
#include "liveness.h"
#include "scriptedperson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <cstdio>
#include <thread>

using namespace pingyi;
using namespace pingyi::vision;
using pingyi::kiosk::demo::ScriptedPerson;

class TestFaceScripted : public QObject {
    Q_OBJECT

    std::optional<kiosk::demo::DemoFaces> m_faces;
    std::optional<FaceDetector> m_detector;
    std::optional<FaceEmbedder> m_embedder;
    face::Template m_enrolled;

    struct Outcome {
        face::LivenessResult liveness;
        std::optional<face::Decision> identity; // after a passed challenge
        double firstYaw = 0, lastYaw = 0;
    };

    /// One try as the kiosk runs it: the person stands at rest for `settle` frames, the screen
    /// asks for `turn`, frames (15 a second) go through the detector into the challenge; once
    /// passed, the last frame's face is identified among the enrolled templates. The screen
    /// withdraws the turn at the end.
    Outcome attempt(ScriptedPerson &person, face::Turn turn, int settle = 8)
    {
        // Back at rest from the last try first (the person takes a moment), then standing.
        for (int i = 0; i < 90 && person.angle() != 0.0; ++i)
            person.renderNext();
        for (int i = 0; i < settle; ++i)
            person.renderNext();
        FaceRules rules;
        rules.livenessSeconds = 4;
        face::HeadTurnChallenge c(turn, rules);
        person.follow(turn == face::Turn::Left ? QStringLiteral("left") : QStringLiteral("right"));
        Outcome out;
        bool embedded = false, first = true;
        std::optional<face::Probe> probe;
        for (int i = 0; out.liveness.status == face::LivenessResult::Status::Pending && i < 4 * 15 + 2; ++i) {
            const cv::Mat frame = person.renderNext();
            const auto faces = m_detector->detect(frame);
            face::TrackFrame f;
            f.msec = i * 1000 / 15;
            f.faces = int(faces.size());
            if (!faces.empty()) {
                const FaceDetection &d = faces.front();
                f.box = QRectF(d.box.x, d.box.y, d.box.width, d.box.height);
                f.yaw = d.quality.yaw;
                (first ? out.firstYaw : out.lastYaw) = f.yaw;
                first = false;
                if (!embedded || i % 3 == 0) {
                    const auto e = m_embedder->embed(FaceAligner::align(frame, d));
                    if (e) {
                        f.embedding = toCore(*e);
                        embedded = true;
                        if (!probe) // the probe: a frame of the track, at rest
                            probe = makeProbe(d, *e, int(faces.size()));
                    }
                }
            }
            out.liveness = c.add(f);
        }
        person.follow(QString());
        if (out.liveness.status == face::LivenessResult::Status::Passed && probe)
            out.identity = face::identify(*probe, {m_enrolled}, FaceRules {});
        return out;
    }

    static const char *said(const Outcome &o)
    {
        static QByteArray text;
        text = o.liveness.status == face::LivenessResult::Status::Passed ? QByteArray("passed")
                                                                         : o.liveness.reason.toUtf8();
        if (o.identity)
            text += o.identity->matched() ? QByteArray(", identified") : QByteArray(", identified as nobody");
        return text.constData();
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
        auto faces = kiosk::demo::demoFaces();
        if (!faces) {
            QVERIFY(faces.error().message.contains(QStringLiteral("libdlib19.1")));
            QSKIP(qPrintable(faces.error().message));
        }
        m_faces = *faces;
        // The template as the office makes it from the file provision-demo enrols.
        FaceEnroller enroller(*models);
        const cv::Mat photo = cv::imread(kiosk::demo::demoEnrolmentPhoto().toStdString(), cv::IMREAD_COLOR);
        const auto t = enroller.enrol(photo);
        QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().message));
        m_enrolled = {QStringLiteral("R-demo"), *t};
    }

    void castIsWhoItSays()
    {
        // The representative's camera photo is the enrolled person; the impostor is not.
        const auto rep = m_embedder->embed(m_faces->camera);
        const auto other = m_embedder->embed(m_faces->impostorCamera);
        QVERIFY(rep.ok() && other.ok());
        const double same = face::distance(toCore(*rep), m_enrolled.embedding);
        const double impostor = face::distance(toCore(*other), m_enrolled.embedding);
        std::printf("  camera photo %.3f from the enrolled template; impostor %.3f\n", same, impostor);
        QVERIFY(same < 0.5);
        QVERIFY(impostor > 0.7);
        // scripts/provision-demo enrols the same file.
        QFile script(QStringLiteral(PINGYI_SOURCE_DIR "/scripts/provision-demo"));
        QVERIFY(script.open(QIODevice::ReadOnly));
        QVERIFY2(script.readAll().contains(kiosk::demo::demoEnrolmentPhoto().toUtf8()),
                 "provision-demo enrols the photo the scripted person plays");
    }

    void representativeTurnsAsAsked()
    {
        // Both ways, each asked at another moment of the person's sway.
        int settle = 5;
        for (const face::Turn turn : {face::Turn::Left, face::Turn::Right, face::Turn::Right, face::Turn::Left}) {
            ScriptedPerson person(*m_faces, 0);
            person.setCycle(false);
            const Outcome o = attempt(person, turn, settle += 7);
            std::printf("  representative asked %s: %s (yaw %.2f → %.2f)\n",
                        turn == face::Turn::Left ? "left" : "right", said(o), o.firstYaw, o.lastYaw);
            QCOMPARE(o.liveness.status, face::LivenessResult::Status::Passed);
            QVERIFY(o.identity && o.identity->matched());
            QCOMPARE(o.identity->repId, m_enrolled.repId);
            // Withdrawn: back to rest within three seconds.
            for (int i = 0; i < 45; ++i)
                person.renderNext();
            QCOMPARE(person.angle(), 0.0);
        }
    }

    void impostorAndPhotoRefused()
    {
        ScriptedPerson person(*m_faces, 0);
        person.setCycle(false);
        person.setActor(ScriptedPerson::Actor::Impostor);
        int settle = 5;
        for (const face::Turn turn : {face::Turn::Left, face::Turn::Right, face::Turn::Right, face::Turn::Left}) {
            const Outcome o = attempt(person, turn, settle += 7);
            std::printf("  impostor asked %s: %s\n", turn == face::Turn::Left ? "left" : "right", said(o));
            QCOMPARE(o.liveness.status, face::LivenessResult::Status::Passed); // a live face...
            QVERIFY(o.identity); // ...but nobody enrolled
            QCOMPARE(o.identity->reason, QStringLiteral("face-no-match"));
        }
        person.setActor(ScriptedPerson::Actor::Photo);
        for (const face::Turn turn : {face::Turn::Left, face::Turn::Right}) {
            const Outcome o = attempt(person, turn);
            std::printf("  photo asked %s: %s (yaw %.2f → %.2f)\n", turn == face::Turn::Left ? "left" : "right",
                        said(o), o.firstYaw, o.lastYaw);
            QVERIFY(o.liveness.status == face::LivenessResult::Status::Failed);
        }
    }

    void cyclesThroughTheCast()
    {
        ScriptedPerson person(*m_faces, 0);
        QCOMPARE(person.actor(), ScriptedPerson::Actor::Representative);
        Outcome o = attempt(person, face::Turn::Left);
        QVERIFY2(o.identity && o.identity->matched(), said(o));
        // The try is over: back to rest, then nobody at the counter, then the next one.
        int empty = 0;
        for (int i = 0; i < 60; ++i)
            empty += m_detector->detect(person.renderNext()).empty();
        QCOMPARE(person.actor(), ScriptedPerson::Actor::Impostor);
        QVERIFY2(empty >= 10, "the counter is empty for a while between two people");
        o = attempt(person, face::Turn::Right);
        QVERIFY2(o.identity && o.identity->reason == QLatin1String("face-no-match"), said(o));
        for (int i = 0; i < 60; ++i)
            person.renderNext();
        QCOMPARE(person.actor(), ScriptedPerson::Actor::Photo);
        QVERIFY(attempt(person, face::Turn::Left).liveness.status == face::LivenessResult::Status::Failed);
        for (int i = 0; i < 60; ++i)
            person.renderNext();
        QCOMPARE(person.actor(), ScriptedPerson::Actor::Representative);
        // Without a turn asked, nobody steps away.
        person.follow(QString());
        for (int i = 0; i < 60; ++i)
            person.renderNext();
        QCOMPARE(person.actor(), ScriptedPerson::Actor::Representative);
    }

    void drawingTime()
    {
        // What the camera thread spends drawing a frame (15 a second leaves 66 ms a frame).
        ScriptedPerson person(*m_faces, 0);
        person.renderNext();
        person.follow(QStringLiteral("right"));
        QElapsedTimer t;
        t.start();
        constexpr int frames = 30;
        for (int i = 0; i < frames; ++i)
            QCOMPARE(person.renderNext().size(), cv::Size(640, 480));
        std::printf("  %.1f ms per frame drawn (turning)\n", double(t.nsecsElapsed()) / 1e6 / frames);
        QVERIFY(person.angle() < -30);
    }

    void sourceOnAnotherThread()
    {
        ScriptedPerson person(*m_faces, 60);
        auto source = person.factory()();
        QVERIFY(source->open().ok());
        QCOMPARE(source->describe(), QStringLiteral("scripted person (demo)"));
        std::atomic<int> frames {0};
        std::atomic<bool> bad {false};
        std::thread camera([&] {
            for (int i = 0; i < 40; ++i) {
                const auto f = source->read();
                if (!f || f->image.size() != cv::Size(640, 480) || f->number != std::uint64_t(i + 1))
                    bad = true;
                ++frames;
            }
        });
        for (int i = 0; frames < 40; ++i) {
            person.follow(i % 3 == 0 ? QStringLiteral("left") : i % 3 == 1 ? QStringLiteral("right") : QString());
            std::this_thread::sleep_for(std::chrono::milliseconds(7));
        }
        camera.join();
        QVERIFY(!bad);
        source->close();
    }
};

QTEST_GUILESS_MAIN(TestFaceScripted)
#include "test_face_scripted.moc"
