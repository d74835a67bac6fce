// Crash safety: a child process casts ballots in a loop and is killed with SIGKILL at
// random moments. After every kill the kiosk database opens, the invariants hold
// (check-ins = ballots + released, every record verifies) and no ballot whose cast was
// acknowledged is missing. 200 kill points by default; PINGYI_CRASH_KILLS sets more (the
// `long` label runs 2000).

#include "ballotbox.h"
#include "fixture.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSet>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

class TestCrash : public QObject {
    Q_OBJECT
    VenueFixture f;

private Q_SLOTS:
    void killAtRandomMoments()
    {
        const int kills = qEnvironmentVariableIntValue("PINGYI_CRASH_KILLS") > 0
            ? qEnvironmentVariableIntValue("PINGYI_CRASH_KILLS")
            : 200;
        // About 95 representatives of one group at the venue per unit of scale: enough
        // voters for every kill point to find someone who has not voted yet.
        QVERIFY(f.setUp(std::max(3.0, kills / 40.0)));
        const QString id = QStringLiteral("shinan-crash");
        const SessionKey econ {QStringLiteral("econ"), false};
        {
            auto k = f.enrolKiosk(id);
            QVERIFY(k);
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
            QVERIFY(k->openSession(econ).ok());
        }
        const QString credFile = f.dir.filePath(QStringLiteral("creds.txt"));
        QVERIFY(
            writeFileAtomic(credFile, f.credentials(QStringLiteral("econ")).join(QLatin1Char('\n')).toLatin1()).ok());

        const QString caster = QCoreApplication::applicationDirPath() + QStringLiteral("/kiosk_caster");
        QSet<QString> acknowledged;
        int killedMidRun = 0;
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < kills; ++i) {
            QProcess p;
            p.start(caster, {f.stateDir(id), credFile, QString::number(i)});
            QVERIFY(p.waitForStarted());
            // Wait until it is casting, then kill it somewhere in the next few casts.
            QVERIFY(p.waitForReadyRead(10000));
            QThread::usleep(rng->bounded(1, 25000));
            const bool running = p.state() == QProcess::Running;
            p.kill(); // SIGKILL
            p.waitForFinished();
            killedMidRun += running ? 1 : 0;
            for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
                if (line.startsWith("ACK "))
                    acknowledged.insert(QString::fromLatin1(line.mid(4)));
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(err.isEmpty(), err.constData());

            // Restart: the database opens, the invariants hold, nothing acknowledged is lost.
            auto k = KioskService::open(f.stateDir(id), f.clock);
            QVERIFY2(k.ok(), qPrintable(k.ok() ? QString() : k.error().message));
            QVERIFY2((*k)->checkInvariants(econ).ok(), qPrintable((*k)->checkInvariants(econ).error().message));
            QVERIFY(!(*k)->voterActive());
            auto records = BallotBox((*k)->database()).records(econ.code, econ.rehearsal);
            QVERIFY(records.ok());
            QSet<QString> stored;
            for (const SealedRecord &r : *records)
                if (r.kind == RecordKind::Ballot)
                    stored.insert(receiptCode(r.id()));
            for (const QString &r : acknowledged)
                QVERIFY2(stored.contains(r),
                         qPrintable(QStringLiteral("acknowledged ballot %1 missing after kill %2").arg(r).arg(i)));
            QVERIFY(stored.size() >= acknowledged.size());
        }
        qInfo("%d kill points (%d mid-run), %lld acknowledged ballots, none lost", kills, killedMidRun,
              qint64(acknowledged.size()));
        QVERIFY(killedMidRun >= kills * 9 / 10);
        QVERIFY(acknowledged.size() > kills / 4);

        // The survivors still close and export cleanly.
        auto k = KioskService::open(f.stateDir(id), f.clock);
        QVERIFY(k.ok());
        QVERIFY((*k)->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY((*k)->closeSession(econ).ok());
        QTemporaryDir usb;
        auto exported = (*k)->exportSession(econ, usb.path());
        QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().message));
        QVERIFY(exported->counts.ballots >= acknowledged.size());
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "test_crash.moc"
