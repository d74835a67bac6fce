// The whole check-in by camera through the real kiosk service: a replay folder rendered from
// the venue's own invitation card and a resident ID card plays through CameraService; the QR
// it decodes and the number it reads go through the same verification as the hand scanner's
// and the keypad's, tagged "camera" in the audit log; and nothing from the camera reaches the
// kiosk's files.

#include "../kiosk/fixture.h"

#include "audit.h"
#include "cameraservice.h"
#include "synth.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTest>

using namespace pingyi;
using namespace pingyi::kiosk;

class TestCameraCheckIn : public QObject {
    Q_OBJECT

    test::VenueFixture f;
    const SessionKey econ {QStringLiteral("econ"), false};

    static QString waitFor(QSignalSpy &spy, int timeoutMs)
    {
        if (spy.isEmpty() && !spy.wait(timeoutMs))
            return {};
        return spy.takeFirst().at(0).toString();
    }

    /// Every byte of every file under `dir`.
    static QByteArray allBytes(const QString &dir)
    {
        QByteArray out;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                out += file.readAll();
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(f.setUp(0.1)); }

    void qrAndIdCardThroughTheService()
    {
        auto k = f.enrolKiosk(QStringLiteral("cam-1"));
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("lead")]).ok());
        QVERIFY(k->openSession(econ).ok());
        k->logout();

        // One representative comes with the invitation card, another with the ID card.
        QString credential;
        QString credentialRep;
        for (const hq::Card &c : *f.hq->cards(*f.secrets, f.venue))
            if (c.sessions.contains(econ.code)) {
                credential = c.credential;
                credentialRep = c.repId;
                break;
            }
        QString number; // someone else's (roster columns: rep_id, name, id_number, …)
        for (const QByteArray &line : f.rosterCsv.split('\n').mid(1)) {
            const QList<QByteArray> cols = line.split(',');
            if (cols.size() >= 6 && cols[4] == f.venue.toUtf8() && cols[5] == econ.code.toUtf8()
                && QString::fromUtf8(cols[0]) != credentialRep) {
                number = QString::fromLatin1(cols[2]);
                break;
            }
        }
        QVERIFY(!credential.isEmpty());
        QVERIFY(!number.isEmpty());
        std::mt19937_64 rng(7);
        QTemporaryDir replay;
        auto frames = vision::synth::writeReplayFolder(replay.path(), credential,
                                                       vision::synth::randomFace(number, rng), 15.0, 3);
        QVERIFY2(frames.ok(), qPrintable(frames.ok() ? QString() : frames.error().message));

        vision::CameraService camera(vision::replayFactory(replay.path(), 60.0, true));
        QSignalSpy live(&camera, &vision::CameraService::statusChanged);
        QSignalSpy qr(&camera, &vision::CameraService::qrDecoded);
        QSignalSpy id(&camera, &vision::CameraService::idNumberRead);
        camera.setMode(vision::CameraService::Mode::Qr);
        camera.start();

        const QString text = waitFor(qr, 30000);
        QCOMPARE(text, credential);
        auto byQr = k->checkIn(CredentialEvidence {text, EvidenceSource::Camera});
        QVERIFY2(byQr.ok(), qPrintable(byQr.ok() ? QString() : byQr.error().message));
        QCOMPARE(byQr->method, IdentityMethod::Credential);
        QVERIFY(k->cast(f.ballot(econ.code, rng), {}).ok());

        // The same card held again is read once, then refused as already voted.
        camera.setMode(vision::CameraService::Mode::Qr);
        const QString again = waitFor(qr, 30000);
        QCOMPARE(again, credential);
        QCOMPARE(k->checkIn(CredentialEvidence {again, EvidenceSource::Camera}).error().code,
                 QStringLiteral("already-voted"));

        camera.setMode(vision::CameraService::Mode::IdCard);
        const QString read = waitFor(id, 60000);
        QCOMPARE(read, number); // the right number, or the test fails: never another one
        auto byId = k->checkIn(IdNumberEvidence {read, EvidenceSource::Camera});
        QVERIFY2(byId.ok(), qPrintable(byId.ok() ? QString() : byId.error().message));
        QCOMPARE(byId->method, IdentityMethod::IdNumber);
        QVERIFY(k->cast(f.ballot(econ.code, rng), {}).ok());
        camera.stop();
        QCOMPARE(camera.status(), vision::CameraService::Status::Off);

        // The audit log says how they came in, and nothing about who.
        QStringList how;
        for (const AuditEvent &e : *k->auditLog()) {
            const QString event = e.body.value(QLatin1String("event")).toString();
            if (event == QLatin1String("check-in") || event == QLatin1String("check-in-refused"))
                how << event + QLatin1Char(':') + e.body.value(QLatin1String("method")).toString() + QLatin1Char('/')
                        + e.body.value(QLatin1String("source")).toString();
        }
        QVERIFY2(how.contains(QStringLiteral("check-in:credential/camera")), qPrintable(how.join(u' ')));
        QVERIFY2(how.contains(QStringLiteral("check-in:id_number/camera")), qPrintable(how.join(u' ')));
        QVERIFY2(how.contains(QStringLiteral("check-in-refused:credential/camera")), qPrintable(how.join(u' ')));

        // Nothing from the camera is on the kiosk's disk: no image, no number, no credential.
        k.reset();
        const QByteArray bytes = allBytes(f.stateDir(QStringLiteral("cam-1")));
        QVERIFY(!bytes.isEmpty());
        QVERIFY(!bytes.contains(number.toLatin1()));
        QVERIFY(!bytes.contains(credential.toUtf8()));
        QVERIFY(!bytes.contains(QByteArray("\x89PNG", 4)));
        QVERIFY(!bytes.contains(QByteArray("\xFF\xD8\xFF", 3)));
    }

    void missingCameraKeepsTheKeypad()
    {
        // No camera at all: the service says so and keeps retrying; the kiosk's other
        // methods are untouched.
        vision::CameraService camera(vision::cameraFactory(QStringLiteral("/dev/video-pingyi-none")));
        QSignalSpy changed(&camera, &vision::CameraService::statusChanged);
        camera.start();
        QTRY_COMPARE_WITH_TIMEOUT(camera.status(), vision::CameraService::Status::Missing, 5000);
        QVERIFY(camera.statusDetail().contains(QLatin1String("/dev/video-pingyi-none")));
        camera.stop();

        auto k = f.enrolKiosk(QStringLiteral("cam-2"));
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("lead")]).ok());
        QVERIFY(k->openSession(econ).ok());
        k->logout();
        const QString number = f.idNumbers(econ.code).last();
        QVERIFY(k->checkIn(IdNumberEvidence {number, EvidenceSource::Keypad}).ok());
    }
};

QTEST_MAIN(TestCameraCheckIn)
#include "test_camera_checkin.moc"
