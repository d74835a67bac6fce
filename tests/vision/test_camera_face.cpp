// The kiosk's face check-in desk (CameraDesk, mode "face") through the real kiosk service:
// the camera's sightings (synthetic embeddings, as the camera thread would send them) start
// the core's challenge at the first usable face, the turn is tracked, the core decides, and a
// match waits for the representative to accept the masked name: "not me" and leaving the
// screen give the check-in back, "it's me" lets them vote. A turn the wrong way and two
// people in front of the camera are refused with their reasons. The camera runs on a replay
// of an empty room so that it is live; what it says of that room is not part of a turn.

#include "../kiosk/facefixture.h"
#include "../kiosk/fixture.h"

#include "cameradesk.h"
#include "cameraservice.h"

#include <QSignalSpy>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace pingyi;
using namespace pingyi::kiosk;
using namespace pingyi::test::faces;

class TestCameraFace : public QObject {
    Q_OBJECT

    test::VenueFixture f;
    std::mt19937_64 rng {41};
    QMap<QString, face::Embedding> faces; ///< econ's representatives
    QMap<QString, QString> maskedNames;
    std::unique_ptr<KioskService> k;
    std::unique_ptr<ui::CheckInDesk> desk;
    std::unique_ptr<vision::CameraService> camera;
    std::unique_ptr<ui::CameraDesk> cam;

    /// The camera sees `who` at `yaw`, usable (frontal enough) or only turned.
    void see(const face::Embedding &who, double yaw)
    {
        vision::FaceSighting s;
        s.box = QRectF(220 + yaw * 10, 130, 200, 220);
        s.heightRatio = 0.45;
        s.yaw = yaw;
        s.quality.heightRatio = 0.45;
        s.quality.eyeDistance = 70;
        s.quality.brightness = 130;
        s.quality.sharpness = 150;
        s.quality.yaw = yaw;
        s.usable = std::abs(yaw) < 0.45;
        vision::FaceEmbedding e;
        const face::Embedding n = near(who, 0.15, rng);
        std::copy(n.values.begin(), n.values.end(), e.values.begin());
        s.embedding = e;
        Q_EMIT camera->faceSeen(s);
    }

    /// A person looks at the camera, then turns `towardsAsked` or the other way.
    void turn(const face::Embedding &who, bool asAsked = true)
    {
        see(who, 0.01);
        QCOMPARE(cam->faceStage(), QStringLiteral("turn"));
        QVERIFY(cam->faceTurn() == QLatin1String("left") || cam->faceTurn() == QLatin1String("right"));
        const double to = (cam->faceTurn() == QLatin1String("left") ? 0.8 : -0.8) * (asAsked ? 1 : -1);
        for (int i = 0; i < 4; ++i)
            see(who, 0.01);
        for (int i = 1; i <= 12 && cam->faceStage() == QLatin1String("turn"); ++i)
            see(who, to * std::min(1.0, i / 8.0));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(f.setUp(0.1, 17));
        QMap<QString, QByteArray> templates;
        for (const hq::Card &c : *f.hq->cards(*f.secrets, f.venue))
            if (c.sessions.contains(QStringLiteral("econ"))) {
                faces.insert(c.repId, randomFace(rng));
                maskedNames.insert(c.repId, c.maskedName);
                templates.insert(c.repId, face::encodeTemplate(faces[c.repId]));
            }
        QVERIFY(faces.size() >= 3);
        QVERIFY(f.hq->importRoster(f.rosterCsv, QStringLiteral("roster.csv"), *f.secrets, templates).ok());
        k = f.enrolKiosk(QStringLiteral("face-1"));
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession({QStringLiteral("econ"), false}).ok());
        k->logout();

        const QString room = f.dir.filePath(QStringLiteral("room"));
        QVERIFY(QDir().mkpath(room));
        QVERIFY(cv::imwrite((room + QStringLiteral("/0001.png")).toStdString(),
                            cv::Mat(480, 640, CV_8UC3, cv::Scalar(90, 100, 110))));
        desk = std::make_unique<ui::CheckInDesk>(*k);
        camera = std::make_unique<vision::CameraService>(vision::replayFactory(room, 5.0, true));
        cam = std::make_unique<ui::CameraDesk>(*desk, camera.get());
        camera->start();
        QTRY_VERIFY_WITH_TIMEOUT(cam->available(), 10000);
        cam->setIdentifying(true);
        QVERIFY(cam->faceOffered());
    }

    void cleanupTestCase()
    {
        camera->stop();
        cam.reset();
    }

    void notMeGivesTheCheckInBack()
    {
        cam->chooseMode(QStringLiteral("face"));
        QCOMPARE(cam->mode(), QStringLiteral("face"));
        QCOMPARE(cam->faceStage(), QStringLiteral("look"));
        const QString who = faces.firstKey();
        turn(faces[who]);
        QCOMPARE(cam->faceStage(), QStringLiteral("confirm"));
        QCOMPARE(cam->faceName(), maskedNames[who]);
        QVERIFY(k->voterActive()); // held for them while they read the name
        QSignalSpy admitted(desk.get(), &ui::CheckInDesk::admitted);
        cam->confirmFace(false);
        QVERIFY(!k->voterActive());
        QCOMPARE(admitted.count(), 0);
        QCOMPARE(cam->faceStage(), QStringLiteral("retry"));
        QCOMPARE(desk->errorCode(), QStringLiteral("face-not-me"));
        // Sightings while the refusal is on screen start nothing.
        see(faces[who], 0.01);
        QCOMPARE(cam->faceStage(), QStringLiteral("retry"));
        cam->retryFace();
        QCOMPARE(cam->faceStage(), QStringLiteral("look"));
        QCOMPARE(desk->errorCode(), QString());
    }

    void leavingTheScreenGivesItBack()
    {
        const QString who = faces.keys().at(1);
        turn(faces[who]);
        QCOMPARE(cam->faceStage(), QStringLiteral("confirm"));
        QVERIFY(k->voterActive());
        // Someone still in view does not keep the unanswered name alive: only taps do.
        QSignalSpy alive(cam.get(), &ui::CameraDesk::activity);
        see(faces[who], 0.01);
        QCOMPARE(alive.count(), 0);
        cam->setIdentifying(false); // idle: back to the welcome screen
        QVERIFY(!k->voterActive());
        QCOMPARE(cam->faceName(), QString());
        cam->setIdentifying(true);
        cam->chooseMode(QStringLiteral("face"));
    }

    void refusals()
    {
        const QString who = faces.keys().at(2);
        turn(faces[who], false);
        QCOMPARE(cam->faceStage(), QStringLiteral("retry"));
        QCOMPARE(desk->errorCode(), QStringLiteral("liveness-wrong-way"));
        cam->retryFace();
        // A second person steps in during the turn.
        see(faces[who], 0.01);
        QCOMPARE(cam->faceStage(), QStringLiteral("turn"));
        for (int i = 0; i < 4; ++i)
            see(faces[who], 0.01);
        Q_EMIT camera->guidance(QStringLiteral("face-many"));
        QCOMPARE(cam->faceStage(), QStringLiteral("retry"));
        QCOMPARE(desk->errorCode(), QStringLiteral("liveness-many-faces"));
        cam->retryFace();
        // A stranger turns as asked and is not recognised.
        turn(randomFace(rng));
        QCOMPARE(cam->faceStage(), QStringLiteral("retry"));
        QCOMPARE(desk->errorCode(), QStringLiteral("face-no-match"));
        QVERIFY(!k->voterActive());
        cam->retryFace();
    }

    void itsMeLetsThemVote()
    {
        const QString who = faces.keys().at(2);
        QSignalSpy admitted(desk.get(), &ui::CheckInDesk::admitted);
        turn(faces[who]);
        QCOMPARE(cam->faceStage(), QStringLiteral("confirm"));
        cam->confirmFace(true);
        QCOMPARE(admitted.count(), 1);
        QCOMPARE(admitted.first().at(0).toString(), maskedNames[who]);
        QCOMPARE(admitted.first().at(2).toString(), QStringLiteral("face"));
        QVERIFY(k->voterActive());
        // The ballot follows (not this test's): the kiosk leaves the identify screen.
        cam->setIdentifying(false);
        QVERIFY(k->voterActive()); // accepted: leaving the screen keeps their check-in
        QVERIFY(k->release(ReleaseReason::Cancelled).ok());
    }
};

QTEST_GUILESS_MAIN(TestCameraFace)
#include "test_camera_face.moc"
