// Crash safety: a child process casts ballots in a loop and is killed with SIGKILL at
// random moments. After every kill the kiosk database opens, the invariants hold
// (check-ins = ballots + released, every record verifies) and no ballot whose cast was
// acknowledged is missing. 200 kill points by default; PINGYI_CRASH_KILLS sets more (the
// `long` label runs 2000).
//
// The kill matrix: every other transition of the kiosk (certificate install, package load,
// open, pause, resume, close, export) run by kiosk_caster --step and killed, half the time
// at a random moment and half the time just before its Nth write to a file (the killpoint
// library), swept over every write the transition makes; and the cast loop killed at its
// Nth write. After each kill: the kiosk opens, the invariants hold, its state is the one
// before or the one after the transition (never between), every acknowledged ballot is
// there, a batch under its final name on the drive is valid, and the kiosk carries on to a
// valid export. PINGYI_CRASH_STEP_KILLS kill points per transition (12 by default; 100 under the `long` label).

#include "ballotbox.h"
#include "batch.h"
#include "fixture.h"
#include "killpoint.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

namespace {

/// What a transition may change, as the kiosk reports it after reopening.
struct KioskSnapshot {
    int provisioning = -1;
    qint64 packageVersion = 0;
    qint64 roster = 0;
    int state = -1; ///< of the session under test; -1 while the kiosk has no activity
    BatchCounts counts;
    QStringList reports;
    QMap<QString, int> events; ///< audit events of the transitions (not logins or refusals)
    QSet<QByteArray> ballotIds;

    bool operator==(const KioskSnapshot &) const = default;
    QString describe() const
    {
        QStringList ev;
        for (auto it = events.begin(); it != events.end(); ++it)
            ev << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
        return QStringLiteral("provisioning %1, package %2, roster %3, state %4, counts %5/%6/%7/%8, reports [%9], "
                              "events [%10], %11 ballot ids")
            .arg(provisioning)
            .arg(packageVersion)
            .arg(roster)
            .arg(state)
            .arg(counts.checkins)
            .arg(counts.ballots)
            .arg(counts.released)
            .arg(counts.suggestions)
            .arg(reports.join(QLatin1Char(',')), ev.join(QLatin1Char(',')))
            .arg(ballotIds.size());
    }
};

const QSet<QString> transitionEvents {QStringLiteral("enrolled"),         QStringLiteral("package-loaded"),
                                      QStringLiteral("session-open"),     QStringLiteral("session-pause"),
                                      QStringLiteral("session-resume"),   QStringLiteral("session-close"),
                                      QStringLiteral("session-exported"), QStringLiteral("export")};

KioskSnapshot snapshot(KioskService &k, const SessionKey &key)
{
    KioskSnapshot s;
    s.provisioning = int(k.provisioning());
    s.packageVersion = k.packageVersion();
    s.roster = k.rosterSize();
    if (auto st = k.session(key)) {
        s.state = int(st->state);
        s.counts = st->counts;
    }
    for (const char *kind : {"zero", "closing"})
        if (k.report(key, QLatin1String(kind)))
            s.reports << QLatin1String(kind);
    if (auto log = k.auditLog())
        for (const AuditEvent &e : *log) {
            const QString event = e.body.value(QLatin1String("event")).toString();
            if (transitionEvents.contains(event))
                ++s.events[event];
        }
    if (auto records = BallotBox(k.database()).records(key.code, key.rehearsal))
        for (const SealedRecord &r : *records)
            if (r.kind == RecordKind::Ballot)
                s.ballotIds.insert(r.id());
    return s;
}

void copyState(const QString &from, const QString &to)
{
    QDir(to).removeRecursively();
    QDir().mkpath(to);
    for (const QString &name : QDir(from).entryList(QDir::Files | QDir::Hidden))
        QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name));
}

int intEnv(const char *name, int fallback)
{
    const int v = qEnvironmentVariableIntValue(name);
    return v > 0 ? v : fallback;
}

/// Kill points per transition of the matrix.
int stepKills()
{
    return intEnv("PINGYI_CRASH_STEP_KILLS", 12);
}

/// One run of a driver, killed by the killpoint library at write `killAt` (0: never) or by
/// the test `delayUs` microseconds after it printed ARMED (-1: never).
struct DriverRun {
    bool done = false; ///< the driver said the transition (or cast) completed
    bool armed = false;
    bool killed = false; ///< it died of SIGKILL before finishing
    QByteArray out, err;
    qint64 writes = -1; ///< counted writes, on a normal exit under PINGYI_KILL_COUNT_FILE
    qint64 armedToEndUs = 0;
};

DriverRun runDriver(const QString &program, const QStringList &args, const QString &workDir, long killAt,
                    qint64 delayUs, bool waitArm)
{
    DriverRun run;
    const QString countFile = QDir(workDir).filePath(QStringLiteral("writes.count"));
    QFile::remove(countFile);
    QProcessEnvironment env = test::killpointEnvironment(killAt, countFile);
    if (waitArm)
        env.insert(QStringLiteral("PINGYI_KILL_ARM"), QStringLiteral("wait"));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForStarted())
        return run;
    QElapsedTimer armedAt;
    if (waitArm) {
        while (!run.out.contains("ARMED\n") && p.state() == QProcess::Running) {
            p.waitForReadyRead(100);
            run.out += p.readAllStandardOutput();
        }
        run.armed = run.out.contains("ARMED\n");
        armedAt.start();
        if (delayUs >= 0 && run.armed) {
            QThread::usleep(quint64(delayUs));
            p.kill();
        }
    }
    p.waitForFinished(60000);
    run.armedToEndUs = armedAt.isValid() ? armedAt.nsecsElapsed() / 1000 : 0;
    run.out += p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    run.done = run.out.contains("DONE\n");
    run.killed = p.exitStatus() == QProcess::CrashExit;
    if (auto n = readFile(countFile))
        run.writes = n->trimmed().toLongLong();
    return run;
}

/// Figures of one row of the matrix.
struct KillFigures {
    int points = 0, killed = 0, midOperation = 0, atWrite = 0, timed = 0, before = 0, after = 0, exportsChecked = 0;
    int tempFilesLeft = 0;
    qint64 writesInTransition = 0;
    qint64 acknowledged = 0;
    qint64 driverMs = 0, checkMs = 0, carryOnMs = 0; ///< where the time goes
};

} // namespace

class TestCrash : public QObject {
    Q_OBJECT
    VenueFixture f;

    // The kill matrix's kiosk: one office, a template state directory before each transition.
    VenueFixture m;
    bool m_ready = false;
    QString m_certFile, m_packageFile, m_pin;
    QByteArray m_kioskPk;
    const SessionKey m_econ {QStringLiteral("econ"), false};
    QString tpl(const QString &name) const { return m.dir.filePath(QStringLiteral("tpl-") + name); }
    QString driver() const { return QCoreApplication::applicationDirPath() + QStringLiteral("/kiosk_caster"); }

    /// Builds the kiosk step by step, keeping a copy of its state before each transition.
    bool prepareMatrix()
    {
        if (m_ready)
            return true;
        if (qEnvironmentVariable("PINGYI_KILLPOINT_LIB").isEmpty()
            || !QFileInfo::exists(qEnvironmentVariable("PINGYI_KILLPOINT_LIB"))) {
            qWarning("PINGYI_KILLPOINT_LIB must name the killpoint library (ctest sets it)");
            return false;
        }
        // Enough representatives for the cast loop's kill points (a few voters each).
        if (!m.setUp(std::max(0.3, stepKills() / 20.0)))
            return false;
        m_pin = m.pins[QStringLiteral("staff")];
        const QString id = QStringLiteral("shinan-matrix");
        const QString live = m.stateDir(id);
        auto snap = [&](const QString &name) {
            copyState(live, tpl(name));
        };
        QByteArray cert;
        {
            auto k = KioskService::open(live, m.clock);
            if (!k)
                return false;
            auto request = (*k)->beginEnrolment(id, m.hq->rootPublicKey());
            if (!request)
                return false;
            auto c = m.hq->certifyKiosk(*request, m.venue, *m.secrets, nullptr);
            if (!c)
                return false;
            cert = *c;
            m_kioskPk = (*k)->publicKey();
        }
        snap(QStringLiteral("cert"));
        m_certFile = m.dir.filePath(QStringLiteral("kiosk.cert"));
        auto pkg = m.hq->buildPackage(m.venue, *m.secrets, nullptr);
        if (!pkg || !writeFileAtomic(m_certFile, cert))
            return false;
        m_packageFile = m.dir.filePath(QStringLiteral("venue.pkg"));
        if (!writeFileAtomic(m_packageFile, *pkg))
            return false;
        {
            auto k = KioskService::open(live, m.clock);
            if (!k || !(*k)->completeEnrolment(cert))
                return false;
        }
        snap(QStringLiteral("package"));
        {
            auto k = KioskService::open(live, m.clock);
            if (!k || !(*k)->loadPackage(*pkg))
                return false;
        }
        snap(QStringLiteral("open"));
        {
            auto k = KioskService::open(live, m.clock);
            if (!k || !(*k)->login(m_pin) || !(*k)->openSession(m_econ))
                return false;
            // A few voters, so that the later transitions carry ballots and a released check-in.
            std::mt19937_64 rng(5);
            const QStringList creds = m.credentials(m_econ.code);
            for (int i = 0; i < 6 && i < creds.size(); ++i) {
                if (!(*k)->checkInCredential(creds[i]))
                    return false;
                if (i == 3 ? !(*k)->release(ReleaseReason::Cancelled) : !(*k)->cast(m.ballot(m_econ.code, rng), {}))
                    return false;
            }
        }
        snap(QStringLiteral("pause"));
        snap(QStringLiteral("close"));
        {
            auto k = KioskService::open(live, m.clock);
            if (!k || !(*k)->login(m_pin) || !(*k)->pauseSession(m_econ))
                return false;
        }
        snap(QStringLiteral("resume"));
        {
            auto k = KioskService::open(live, m.clock);
            if (!k || !(*k)->login(m_pin) || !(*k)->closeSession(m_econ))
                return false;
        }
        snap(QStringLiteral("export"));
        m_ready = true;
        return true;
    }

    QStringList stepArgs(const QString &step, const QString &stateDir, const QString &usb) const
    {
        if (step == QLatin1String("cert"))
            return {QStringLiteral("--step"), step, stateDir, m_certFile};
        if (step == QLatin1String("package"))
            return {QStringLiteral("--step"), step, stateDir, m_packageFile};
        QStringList a {QStringLiteral("--step"), step, stateDir, m_pin, m_econ.code};
        if (step == QLatin1String("export"))
            a << usb;
        return a;
    }

    /// Empty when the batch file at `path` is whole: signed by the kiosk, opened with the
    /// office's archive key, every record verifying, invariants holding, `ballots` inside.
    QString checkBatchFile(const QString &path, const QSet<QByteArray> &ballots) const
    {
        auto bytes = readFile(path);
        if (!bytes)
            return bytes.error().message;
        auto file = readBatch(*bytes);
        if (!file)
            return file.error().message;
        if (auto s = verifyBatchSignature(*file, m_kioskPk); !s)
            return s.error().message;
        auto key = openBatchKey(*file, m.secrets->archive, false);
        if (!key)
            return key.error().message;
        auto content = decryptBatch(*file, *key);
        if (!content)
            return content.error().message;
        if (!verifyRecords(*content, m_kioskPk).isEmpty())
            return QStringLiteral("a record does not verify");
        if (auto s = checkBatchInvariants(*content); !s)
            return s.error().message;
        QSet<QByteArray> ids;
        for (const SealedRecord &r : content->records)
            if (r.kind == RecordKind::Ballot)
                ids.insert(r.id());
        if (ids != ballots)
            return QStringLiteral("the batch holds %1 ballots, the kiosk %2").arg(ids.size()).arg(ballots.size());
        return {};
    }

    /// From whatever state the kill left, on to a closed session exported to a fresh drive.
    QString carryOnToExport(const QString &stateDir, const QSet<QByteArray> &ballots)
    {
        auto k = KioskService::open(stateDir, m.clock);
        if (!k)
            return k.error().message;
        KioskService &kiosk = **k;
        if (kiosk.provisioning() == Provisioning::AwaitingCertificate)
            if (auto s = kiosk.completeEnrolment(*readFile(m_certFile)); !s)
                return QStringLiteral("certificate: ") + s.error().message;
        if (kiosk.provisioning() == Provisioning::AwaitingPackage)
            if (auto s = kiosk.loadPackage(*readFile(m_packageFile)); !s)
                return QStringLiteral("package: ") + s.error().message;
        if (auto r = kiosk.login(m_pin); !r)
            return QStringLiteral("login: ") + r.error().message;
        auto state = kiosk.session(m_econ);
        if (!state)
            return QStringLiteral("no session");
        if (state->state == SessionState::Ready)
            if (auto r = kiosk.openSession(m_econ); !r)
                return QStringLiteral("open: ") + r.error().message;
        state = kiosk.session(m_econ);
        if (state->state == SessionState::Open || state->state == SessionState::Paused)
            if (auto r = kiosk.closeSession(m_econ); !r)
                return QStringLiteral("close: ") + r.error().message;
        QTemporaryDir usb;
        auto exported = kiosk.exportSession(m_econ, usb.path());
        if (!exported)
            return QStringLiteral("export: ") + exported.error().message;
        return checkBatchFile(exported->path, ballots);
    }

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
        const QString credFile = f.openForCasting(id, econ);
        QVERIFY(!credFile.isEmpty());

        const QString caster = QCoreApplication::applicationDirPath() + QStringLiteral("/kiosk_caster");
        QSet<QString> acknowledged;
        // How long a cast takes on this machine now (a loaded CI machine is several times
        // slower): the kills land within about three casts of starting, never less than 25 ms.
        qint64 maxDelayUs = 25000;
        {
            QProcess p;
            p.start(caster, {f.stateDir(id), credFile, QStringLiteral("999999")});
            QVERIFY(p.waitForStarted());
            QByteArray out;
            QElapsedTimer t;
            while (out.count("ACK ") < 4 && p.state() == QProcess::Running) {
                p.waitForReadyRead(1000);
                out += p.readAllStandardOutput();
                if (!t.isValid() && out.contains("READY"))
                    t.start();
            }
            p.kill();
            p.waitForFinished();
            out += p.readAllStandardOutput();
            QVERIFY2(t.isValid() && out.count("ACK ") >= 4, out.constData());
            maxDelayUs = std::max(maxDelayUs, t.nsecsElapsed() / 1000 * 3 / 4);
            for (const QByteArray &line : out.split('\n'))
                if (line.startsWith("ACK "))
                    acknowledged.insert(QString::fromLatin1(line.mid(4)));
        }
        int killedMidRun = 0;
        auto *rng = QRandomGenerator::global();
        for (int i = 0; i < kills; ++i) {
            QProcess p;
            p.start(caster, {f.stateDir(id), credFile, QString::number(i)});
            QVERIFY(p.waitForStarted());
            // Wait until it is casting, then kill it somewhere in the next few casts.
            QVERIFY(p.waitForReadyRead(10000));
            QThread::usleep(rng->bounded(1, int(maxDelayUs)));
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
        qInfo("%d kill points (%d mid-run, within %lld ms of starting), %lld acknowledged ballots, none lost", kills,
              killedMidRun, maxDelayUs / 1000, qint64(acknowledged.size()));
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

    void transitionKills_data()
    {
        QTest::addColumn<QString>("step");
        for (const char *step : {"cert", "package", "open", "pause", "resume", "close", "export"})
            QTest::newRow(step) << QString::fromLatin1(step);
    }

    void transitionKills()
    {
        QFETCH(QString, step);
        QVERIFY(prepareMatrix());
        const int kills = stepKills();
        const QString work = m.dir.filePath(QStringLiteral("run-") + step);
        const QString state = QDir(work).filePath(QStringLiteral("state"));
        const QString usb = QDir(work).filePath(QStringLiteral("usb"));
        auto fresh = [&] {
            copyState(tpl(step), state);
            QDir(usb).removeRecursively();
            QDir().mkpath(usb);
        };
        auto reopen = [&]() -> std::unique_ptr<KioskService> {
            auto k = KioskService::open(state, m.clock);
            if (!k)
                qWarning("reopen: %s", qPrintable(k.error().message));
            return k ? std::move(k).value() : nullptr;
        };

        // The states before and after, and how many writes the transition makes.
        fresh();
        KioskSnapshot before, after;
        {
            auto k = reopen();
            QVERIFY(k);
            before = snapshot(*k, m_econ);
        }
        fresh();
        const DriverRun calibration = runDriver(driver(), stepArgs(step, state, usb), work, 0, -1, true);
        QVERIFY2(calibration.done, calibration.err.constData());
        QVERIFY(calibration.writes > 0);
        {
            auto k = reopen();
            QVERIFY(k);
            after = snapshot(*k, m_econ);
        }
        QVERIFY2(!(before == after), qPrintable(before.describe()));
        QString batchName; // export only: the file's final name on the drive
        if (step == QLatin1String("export")) {
            auto k = reopen();
            QVERIFY(k);
            batchName = batchFileName(k->context(m_econ));
        }

        KillFigures fig;
        fig.writesInTransition = calibration.writes;
        fig.acknowledged = before.ballotIds.size();
        auto *rng = QRandomGenerator::global();
        const int atWrite = (kills + 1) / 2;
        for (int i = 0; i < kills; ++i) {
            fresh();
            // Even points sweep the writes evenly (every one when there are enough points),
            // odd points land at a random moment of the transition's run time (or a little after).
            const bool deterministic = i % 2 == 0;
            const long killAt = deterministic ? 1 + long((qint64(i / 2) * calibration.writes) / atWrite) : 0;
            const qint64 delay
                = deterministic ? -1 : qint64(rng->bounded(quint64(calibration.armedToEndUs * 13 / 10 + 1)));
            QElapsedTimer phase;
            phase.start();
            const DriverRun run = runDriver(driver(), stepArgs(step, state, usb), work, killAt, delay, true);
            fig.driverMs += phase.restart();
            QVERIFY2(run.armed, run.err.constData());
            QVERIFY2(run.done || run.killed, run.err.constData());
            ++fig.points;
            (deterministic ? fig.atWrite : fig.timed)++;
            fig.killed += run.killed ? 1 : 0;
            // Killed before the driver could say the transition completed (a kill after
            // that lands in the writes of closing the kiosk).
            fig.midOperation += run.done ? 0 : 1;

            auto k = reopen();
            QVERIFY2(k, qPrintable(QStringLiteral("%1: the kiosk does not open after kill %2").arg(step).arg(i)));
            const KioskSnapshot now = snapshot(*k, m_econ);
            const bool isBefore = now == before, isAfter = now == after;
            QVERIFY2(isBefore || isAfter,
                     qPrintable(QStringLiteral("%1, kill %2 (%3): between states\n now    %4\n before %5\n after  %6")
                                    .arg(step)
                                    .arg(i)
                                    .arg(deterministic ? QStringLiteral("write %1").arg(killAt)
                                                       : QStringLiteral("%1 us").arg(delay))
                                    .arg(now.describe(), before.describe(), after.describe())));
            QVERIFY2(!run.done || isAfter, qPrintable(QStringLiteral("%1: acknowledged, then undone").arg(step)));
            (isAfter ? fig.after : fig.before)++;
            if (now.state >= 0) {
                const Status inv = k->checkInvariants(m_econ);
                QVERIFY2(inv.ok(), qPrintable(inv.ok() ? QString() : inv.error().message));
            }
            const Status audit = k->verifyAuditLog();
            QVERIFY2(audit.ok(), qPrintable(audit.ok() ? QString() : audit.error().message));
            QVERIFY(now.ballotIds == before.ballotIds);

            if (!batchName.isEmpty()) {
                // On the drive: the batch under its final name is whole, or there is none
                // (and there must be one once the kiosk counts the session as exported).
                const QString path = QDir(usb).filePath(batchName);
                if (QFileInfo::exists(path)) {
                    const QString bad = checkBatchFile(path, before.ballotIds);
                    QVERIFY2(bad.isEmpty(), qPrintable(QStringLiteral("kill %1: torn batch: %2").arg(i).arg(bad)));
                    ++fig.exportsChecked;
                } else {
                    QVERIFY2(!isAfter, "the kiosk says exported, the drive holds no batch");
                }
                fig.tempFilesLeft += int(QDir(usb).entryList({QStringLiteral("*.tmp-*")}, QDir::Files).size());
            }
            k.reset();
            fig.checkMs += phase.restart();
            const QString carried = carryOnToExport(state, before.ballotIds);
            fig.carryOnMs += phase.restart();
            QVERIFY2(carried.isEmpty(), qPrintable(QStringLiteral("%1, kill %2: %3").arg(step).arg(i).arg(carried)));
        }
        qInfo("kill matrix, kiosk %s: %d kill points (%d at a write of %lld, %d timed), %d killed, %d mid-operation, "
              "outcomes %d before / %d after, %lld acknowledged ballots all present%s",
              qPrintable(step), fig.points, fig.atWrite, fig.writesInTransition, fig.timed, fig.killed,
              fig.midOperation, fig.before, fig.after, fig.acknowledged,
              batchName.isEmpty()
                  ? ""
                  : qPrintable(QStringLiteral(", %1 batches on the drive whole, %2 temporary files left")
                                   .arg(fig.exportsChecked)
                                   .arg(fig.tempFilesLeft)));
        qInfo("  time per kill point: driver %lld ms, checks %lld ms, carrying on to an export %lld ms",
              fig.driverMs / fig.points, fig.checkMs / fig.points, fig.carryOnMs / fig.points);
        QVERIFY(fig.killed >= fig.atWrite * 9 / 10);
        QVERIFY(fig.before > 0);
    }

    /// The cast loop (kiosk_caster's usual mode, unchanged) stopped at its Nth write: the
    /// check-in, the ballot's transaction and the log folding each get killed inside.
    void castKillsAtWrites()
    {
        QVERIFY(prepareMatrix());
        const int kills = stepKills();
        const QString work = m.dir.filePath(QStringLiteral("run-cast"));
        const QString state = QDir(work).filePath(QStringLiteral("state"));
        copyState(tpl(QStringLiteral("close")), state);
        const QString credFile = QDir(work).filePath(QStringLiteral("creds.txt"));
        QVERIFY(writeFileAtomic(credFile, m.credentials(m_econ.code).join(QLatin1Char('\n')).toLatin1()).ok());
        QSet<QByteArray> acknowledgedIds;
        QSet<QString> acknowledged;
        {
            auto k = KioskService::open(state, m.clock);
            QVERIFY(k);
            acknowledgedIds = snapshot(**k, m_econ).ballotIds;
            for (const QByteArray &id : acknowledgedIds)
                acknowledged.insert(receiptCode(id));
        }
        int midOperation = 0;
        for (int i = 0; i < kills; ++i) {
            // Up to about three casts' worth of writes (a cast is around 10).
            const long killAt = 1 + long(QRandomGenerator::global()->bounded(40));
            const DriverRun run = runDriver(driver(), {state, credFile, QString::number(i)}, work, killAt, -1, false);
            QVERIFY2(run.err.isEmpty(), run.err.constData());
            midOperation += run.killed ? 1 : 0;
            for (const QByteArray &line : run.out.split('\n'))
                if (line.startsWith("ACK "))
                    acknowledged.insert(QString::fromLatin1(line.mid(4)));
            auto k = KioskService::open(state, m.clock);
            QVERIFY2(k, qPrintable(k ? QString() : k.error().message));
            const Status inv = (*k)->checkInvariants(m_econ);
            QVERIFY2(inv.ok(), qPrintable(inv.ok() ? QString() : inv.error().message));
            QVERIFY(!(*k)->voterActive());
            const KioskSnapshot now = snapshot(**k, m_econ);
            QSet<QString> stored;
            for (const QByteArray &id : now.ballotIds)
                stored.insert(receiptCode(id));
            for (const QString &r : acknowledged)
                QVERIFY2(stored.contains(r), qPrintable(QStringLiteral("acknowledged ballot %1 missing").arg(r)));
            acknowledgedIds = now.ballotIds;
        }
        const QString carried = carryOnToExport(state, acknowledgedIds);
        QVERIFY2(carried.isEmpty(), qPrintable(carried));
        qInfo("kill matrix, kiosk cast: %d kill points (at a write, 1-40), %d killed mid-operation, "
              "%lld acknowledged ballots all present, exported whole",
              kills, midOperation, qint64(acknowledged.size()));
        QVERIFY(midOperation >= kills * 9 / 10);
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "test_crash.moc"
