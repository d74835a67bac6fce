// Power loss, as distinct from SIGKILL: the write paths run under plshim (LD_PRELOAD),
// which journals every change to the kiosk's files; at a random moment the power is cut
// (the process SIGKILLs itself at a random file-system event, or the test kills it at a
// random time) and replay.cpp puts the files in a state a disk could hold after losing
// power there: every write, size change and name change not yet made durable by fsync
// dropped, or a random subset of them kept (sector by sector). Then the kiosk reboots:
// the database opens, the invariants hold, and no ballot whose cast was acknowledged and
// no batch whose export was acknowledged is lost.
//
// The layer is checked first on small writers (pl_probe): unsynced data, sizes and names
// are lost, synced ones kept, and SQLite with synchronous=OFF or NORMAL loses acknowledged
// rows under it while FULL loses none, so the kiosk's tests cannot pass vacuously.
//
// Cut points: PINGYI_POWERLOSS_CUTS for casts (default 60; the `long` label runs 1000) and
// a quarter as many, at least 15, for exports.

#include "ballotbox.h"
#include "batch.h"
#include "fixture.h"
#include "replay.h"

#include <QDirIterator>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>

#include <sqlite3.h>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;
namespace pl = pingyi::powerloss;

namespace {

QString helper(const char *name)
{
    return QCoreApplication::applicationDirPath() + QLatin1Char('/') + QLatin1String(name);
}

/// A child process run under the layer, watching `roots`, journalling into `side`.
struct Run {
    QProcess p;
    QByteArray out;
    QByteArray err;
    bool killed = false; ///< ended by SIGKILL (the cut)
};

void startUnderLayer(QProcess &p, const QString &program, const QStringList &args, const QStringList &roots,
                     const QString &side, quint64 cutAt = 0, int phase = 0)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(PINGYI_PL_SHIM));
    env.insert(QStringLiteral("PINGYI_PL_ROOTS"), roots.join(QLatin1Char(':')));
    env.insert(QStringLiteral("PINGYI_PL_SIDE"), side);
    // In the sanitizer build the layer is preloaded ahead of the ASan runtime, which is fine.
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    const QString relaxed = QStringLiteral("verify_asan_link_order=0");
    env.insert(QStringLiteral("ASAN_OPTIONS"), asan.isEmpty() ? relaxed : asan + QLatin1Char(':') + relaxed);
    if (cutAt) {
        env.insert(QStringLiteral("PINGYI_PL_CUT_AT"), QString::number(cutAt));
        env.insert(QStringLiteral("PINGYI_PL_CUT_PHASE"), QString::number(phase));
    }
    p.setProcessEnvironment(env);
    p.start(program, args);
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool putFile(const QString &path, const QByteArray &data)
{
    return writeFileAtomic(path, data).ok();
}

/// Totals printed at the end of each kiosk test.
struct Figures {
    int cuts = 0;
    int selfCuts = 0;
    int subsetCuts = 0;
    qint64 unsyncedWrites = 0;
    qint64 bytesDropped = 0;
    qint64 bytesKept = 0;
    qint64 namesUndone = 0;
    qint64 unfinished = 0;
    qint64 events = 0;

    void add(const pl::ReplayStats &s)
    {
        events += s.events;
        unsyncedWrites += s.unsyncedWrites;
        bytesDropped += s.bytesDropped;
        bytesKept += s.bytesKept;
        namesUndone += s.namesUndone;
        unfinished += s.unfinished;
    }
};

int cutCount()
{
    const int n = qEnvironmentVariableIntValue("PINGYI_POWERLOSS_CUTS");
    return n > 0 ? n : 60;
}

} // namespace

class TestPowerLoss : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    quint32 m_seed = 0; ///< PINGYI_POWERLOSS_SEED repeats a run's choices (not its timer kills)

    QString side() const { return m_tmp.filePath(QStringLiteral("side")); }

    /// Runs pl_probe under the layer, then cuts the power (DropAll unless told).
    pl::ReplayResult probe(const QStringList &args, const QString &root, pl::Loss loss = pl::Loss::DropAll,
                           quint64 seed = 1)
    {
        QProcess p;
        startUnderLayer(p, helper("pl_probe"), args, {root}, side());
        p.waitForFinished();
        if (p.exitCode() != 0)
            qWarning("pl_probe %s: %s", qPrintable(args.join(u' ')), p.readAllStandardError().constData());
        return pl::replayPowerCut(side().toStdString(), loss, seed);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(QDir().mkpath(side()));
        m_seed = qEnvironmentVariableIsSet("PINGYI_POWERLOSS_SEED")
            ? quint32(qEnvironmentVariableIntValue("PINGYI_POWERLOSS_SEED"))
            : QRandomGenerator::global()->bounded(1u << 30);
        qInfo("PINGYI_POWERLOSS_SEED=%u", m_seed);
    }

    // The layer itself: what is not synced is gone after the cut, what is synced stays.
    void layerLosesWhatIsNotSynced()
    {
        const QString root = m_tmp.filePath(QStringLiteral("probe"));
        QVERIFY(QDir().mkpath(root));
        const QString a = root + QStringLiteral("/a");
        const QByteArray old(8192, 'O'), fresh(8192, 'N');

        QVERIFY(putFile(a, old));
        auto r = probe({QStringLiteral("overwrite"), a}, root);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(fileBytes(a), old); // overwritten, never synced: the old bytes
        QCOMPARE(r.stats.bytesDropped, 8192);
        QVERIFY(probe({QStringLiteral("overwrite-sync"), a}, root).ok);
        QCOMPARE(fileBytes(a), fresh); // fdatasync: kept

        QVERIFY(putFile(a, old));
        QVERIFY(probe({QStringLiteral("append"), a}, root).ok);
        QCOMPARE(fileBytes(a), old); // the size change is lost too

        QVERIFY(putFile(a, old));
        QVERIFY(probe({QStringLiteral("truncate"), a}, root).ok);
        QCOMPARE(fileBytes(a), old);

        const QString b = root + QStringLiteral("/b");
        r = probe({QStringLiteral("create"), b}, root);
        QVERIFY(r.ok);
        QVERIFY(!QFile::exists(b)); // data synced, folder not: the name is lost
        QCOMPARE(r.stats.namesUndone, 1);
        QVERIFY(probe({QStringLiteral("create-dirsync"), b}, root).ok);
        QCOMPARE(fileBytes(b), fresh);

        // The writeFileAtomic pattern without and with the folder's fsync.
        const QString tmp = root + QStringLiteral("/c.tmp");
        const QString c = root + QStringLiteral("/c");
        QVERIFY(putFile(c, old));
        QVERIFY(probe({QStringLiteral("rename"), tmp, c}, root).ok);
        QCOMPARE(fileBytes(c), old);
        QVERIFY(!QFile::exists(tmp));
        QVERIFY(probe({QStringLiteral("rename-dirsync"), tmp, c}, root).ok);
        QCOMPARE(fileBytes(c), fresh);
        QVERIFY(!QFile::exists(tmp));

        QVERIFY(probe({QStringLiteral("unlink"), c}, root).ok);
        QCOMPARE(fileBytes(c), fresh); // the unlink was never made durable

        // Subset: every 512-byte sector is old or new on its own (torn writes), and over a
        // few cuts both outcomes occur.
        int mixed = 0;
        for (quint64 seed = 1; seed <= 10; ++seed) {
            QVERIFY(putFile(a, old));
            QVERIFY(probe({QStringLiteral("overwrite"), a}, root, pl::Loss::Subset, seed).ok);
            const QByteArray got = fileBytes(a);
            QCOMPARE(got.size(), old.size());
            int news = 0;
            for (int s = 0; s < got.size(); s += 512) {
                const QByteArray sector = got.mid(s, 512);
                QVERIFY(sector == old.mid(s, 512) || sector == fresh.mid(s, 512));
                news += sector == fresh.mid(s, 512) ? 1 : 0;
            }
            mixed += news > 0 && news < 16 ? 1 : 0;
        }
        QVERIFY(mixed >= 8);
    }

    // Cutting at a numbered event: the process dies there, and what it had synced survives.
    void layerCutsAtAnEvent()
    {
        const QString root = m_tmp.filePath(QStringLiteral("steps"));
        QVERIFY(QDir().mkpath(root));
        const QString f = root + QStringLiteral("/f");
        // Events: write 0, fsync 0, write 1, fsync 1, …
        for (quint64 cut = 1; cut <= 12; ++cut) {
            for (int phase = 0; phase < 2; ++phase) {
                QVERIFY(putFile(f, QByteArray(5120, '.')));
                QProcess p;
                startUnderLayer(p, helper("pl_probe"), {QStringLiteral("steps"), f}, {root}, side(), cut, phase);
                QVERIFY(p.waitForFinished());
                QCOMPARE(p.exitStatus(), QProcess::CrashExit); // SIGKILL
                const int synced = int(p.readAllStandardOutput().count("SYNCED"));
                QCOMPARE(synced, int((cut - 1) / 2));
                auto r = pl::replayPowerCut(side().toStdString(), pl::Loss::DropAll, cut);
                QVERIFY2(r.ok, r.error.c_str());
                const QByteArray got = fileBytes(f);
                // Acknowledged syncs are kept; a cut inside fsync (phase 1: the disk
                // finished, the caller was not told) may lose that block, never an earlier one.
                for (int i = 0; i < synced; ++i)
                    QCOMPARE(got.mid(i * 512, 512), QByteArray(512, char('a' + i)));
                for (int i = synced + 1; i < 10; ++i)
                    QCOMPARE(got.mid(i * 512, 512), QByteArray(512, '.'));
            }
        }
    }

    // The layer catches a weak durability setting: SQLite committing without fsync loses
    // acknowledged rows at a cut; the kiosk's synchronous=FULL loses none.
    void layerCatchesWeakSync_data()
    {
        QTest::addColumn<QString>("sync");
        QTest::addColumn<bool>("mustLose");
        QTest::newRow("OFF") << QStringLiteral("OFF") << true;
        QTest::newRow("NORMAL") << QStringLiteral("NORMAL") << true;
        QTest::newRow("FULL") << QStringLiteral("FULL") << false;
    }
    void layerCatchesWeakSync()
    {
        QFETCH(QString, sync);
        QFETCH(bool, mustLose);
        const QString root = m_tmp.filePath(QStringLiteral("sql-") + sync);
        QVERIFY(QDir().mkpath(root));
        const QString db = root + QStringLiteral("/db");
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(db).constData(), &raw), SQLITE_OK);
        QCOMPARE(sqlite3_exec(raw, "CREATE TABLE t(v INTEGER)", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        int lost = 0;
        int acknowledged = 0;
        QRandomGenerator rng(m_seed);
        for (int i = 0; i < 12; ++i) {
            QProcess p;
            const quint64 cut = 40 + rng.bounded(400);
            startUnderLayer(p, helper("pl_probe"), {QStringLiteral("sqlite"), db, sync}, {root}, side(), cut, i % 2);
            QVERIFY(p.waitForFinished());
            int acked = 0;
            for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
                if (line.startsWith("ACK "))
                    acked = std::max(acked, line.mid(4).toInt());
            acknowledged += acked;
            auto r = pl::replayPowerCut(side().toStdString(), i % 3 ? pl::Loss::Subset : pl::Loss::DropAll, cut);
            QVERIFY2(r.ok, r.error.c_str());
            QCOMPARE_GE(sqlite3_open(QFile::encodeName(db).constData(), &raw), 0);
            sqlite3_stmt *st = nullptr;
            // Row v = i for i <= acked must all be there; each run restarts the numbering.
            QCOMPARE(sqlite3_prepare_v2(raw, "SELECT count(DISTINCT v) FROM t WHERE v <= ?1", -1, &st, nullptr),
                     SQLITE_OK);
            sqlite3_bind_int(st, 1, acked);
            const int present = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
            sqlite3_finalize(st);
            QCOMPARE(sqlite3_exec(raw, "DELETE FROM t", nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(raw);
            lost += acked - std::max(present, 0);
        }
        qInfo("synchronous=%s: %d acknowledged rows, %d lost over 12 power cuts", qPrintable(sync), acknowledged, lost);
        QVERIFY(acknowledged > 0);
        if (mustLose)
            QVERIFY2(lost > 0, "the layer failed to lose rows committed without fsync");
        else
            QCOMPARE(lost, 0);
    }

    // Casting ballots: every acknowledged ballot survives every cut.
    void castsSurvivePowerCuts()
    {
        const int cuts = cutCount();
        VenueFixture f;
        QVERIFY(f.setUp(std::max(3.0, cuts / 20.0)));
        const QString id = QStringLiteral("shinan-power");
        const SessionKey econ {QStringLiteral("econ"), false};
        const QString credFile = f.openForCasting(id, econ);
        QVERIFY(!credFile.isEmpty());
        const QString sideDir = f.dir.filePath(QStringLiteral("side"));
        QVERIFY(QDir().mkpath(sideDir));

        QSet<QString> acknowledged;
        Figures fig;
        quint64 eventsPerRun = 200; // refined from the runs
        QRandomGenerator gen(m_seed);
        auto *rng = &gen;
        for (int i = 0; i < cuts; ++i) {
            QProcess p;
            const bool selfCut = i % 2 == 0;
            const pl::Loss loss = (i / 2) % 2 ? pl::Loss::Subset : pl::Loss::DropAll;
            const quint64 at = selfCut ? 1 + rng->bounded(quint64(eventsPerRun)) : 0;
            startUnderLayer(p, QStringLiteral(PINGYI_KIOSK_CASTER), {f.stateDir(id), credFile, QString::number(i)},
                            {f.stateDir(id)}, sideDir, at, int(rng->bounded(2)));
            QVERIFY(p.waitForStarted());
            if (!selfCut) {
                if (p.waitForReadyRead(20000))
                    QThread::usleep(rng->bounded(1, 200000));
                p.kill();
            }
            QVERIFY(p.waitForFinished(60000));
            const QByteArray err = p.readAllStandardError();
            QVERIFY2(err.isEmpty(), err.constData());
            const bool died = p.exitStatus() == QProcess::CrashExit;
            fig.selfCuts += selfCut && died ? 1 : 0;
            for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
                if (line.startsWith("ACK "))
                    acknowledged.insert(QString::fromLatin1(line.mid(4)));

            auto r = pl::replayPowerCut(sideDir.toStdString(), loss, quint64(i) * 7919 + 1);
            QVERIFY2(r.ok, r.error.c_str());
            fig.add(r.stats);
            ++fig.cuts;
            fig.subsetCuts += loss == pl::Loss::Subset ? 1 : 0;
            if (!selfCut && died)
                eventsPerRun = std::max<quint64>(20, (eventsPerRun + quint64(r.stats.events)) / 2);

            // The reboot: the database opens, the invariants hold, nothing acknowledged is lost.
            auto k = KioskService::open(f.stateDir(id), f.clock);
            QVERIFY2(k.ok(), qPrintable(k.ok() ? QString() : k.error().message));
            const Status inv = (*k)->checkInvariants(econ);
            QVERIFY2(inv.ok(), qPrintable(inv.ok() ? QString() : inv.error().message));
            QVERIFY(!(*k)->voterActive());
            auto records = BallotBox((*k)->database()).records(econ.code, econ.rehearsal);
            QVERIFY(records.ok());
            QSet<QString> stored;
            for (const SealedRecord &rec : *records)
                if (rec.kind == RecordKind::Ballot)
                    stored.insert(receiptCode(rec.id()));
            for (const QString &a : acknowledged)
                QVERIFY2(stored.contains(a),
                         qPrintable(QStringLiteral("acknowledged ballot %1 lost at power cut %2").arg(a).arg(i)));
        }
        qInfo("casts: %d power cuts (%d at a file-system event, %d at a random time; %d keeping a random subset), "
              "%lld unsynced writes dropped or torn (%lld bytes dropped, %lld kept), %lld name changes undone, "
              "%lld interrupted operations, %lld file-system events journalled; %lld acknowledged ballots, none lost",
              fig.cuts, fig.selfCuts, fig.cuts - (cuts + 1) / 2, fig.subsetCuts, fig.unsyncedWrites, fig.bytesDropped,
              fig.bytesKept, fig.namesUndone, fig.unfinished, fig.events, qint64(acknowledged.size()));
        QVERIFY(fig.selfCuts >= (cuts + 1) / 2 * 8 / 10); // the chosen event was reached
        QVERIFY(fig.unsyncedWrites > 0);
        QVERIFY(acknowledged.size() > cuts / 4);
    }

    // Exporting a batch: once export said it is written, a whole, signed batch is on the
    // drive after any cut, never an older one and never a torn one.
    void exportsSurvivePowerCuts()
    {
        const int cuts = std::max(15, cutCount() / 4);
        VenueFixture f;
        QVERIFY(f.setUp(1.0));
        const QString id = QStringLiteral("shinan-export");
        const SessionKey econ {QStringLiteral("econ"), false};
        QByteArray kioskKey;
        {
            auto k = f.enrolKiosk(id);
            QVERIFY(k);
            kioskKey = k->publicKey();
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
            QVERIFY(k->openSession(econ).ok());
            std::mt19937_64 rng(5);
            for (const QString &c : f.credentials(QStringLiteral("econ")).mid(0, 20)) {
                QVERIFY(k->checkInCredential(c).ok());
                QVERIFY(k->cast(f.ballot(econ.code, rng), {}).ok());
            }
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
            QVERIFY(k->closeSession(econ).ok());
        }
        const QString pinFile = f.dir.filePath(QStringLiteral("pin.txt"));
        QVERIFY(putFile(pinFile, f.pins[QStringLiteral("staff")].toLatin1()));
        const QString usb = f.dir.filePath(QStringLiteral("usb"));
        QVERIFY(QDir().mkpath(usb));
        const QString sideDir = f.dir.filePath(QStringLiteral("side"));
        QVERIFY(QDir().mkpath(sideDir));

        QList<QByteArray> acked; // hashes, oldest first
        Figures fig;
        int strayTemps = 0;
        int auditedExports = 0; // the audit log's export events seen (the check must have something to check)
        quint64 eventsPerRun = 200;
        QRandomGenerator gen(m_seed);
        auto *rng = &gen;
        for (int i = 0; i < cuts; ++i) {
            QProcess p;
            const bool selfCut = i % 2 == 0;
            const pl::Loss loss = (i / 2) % 2 ? pl::Loss::Subset : pl::Loss::DropAll;
            const quint64 at = selfCut ? 1 + rng->bounded(quint64(eventsPerRun)) : 0;
            startUnderLayer(p, helper("pl_exporter"), {f.stateDir(id), usb, pinFile, econ.code, QStringLiteral("4")},
                            {f.stateDir(id), usb}, sideDir, at, int(rng->bounded(2)));
            QVERIFY(p.waitForStarted());
            if (!selfCut) {
                if (p.waitForReadyRead(20000))
                    QThread::usleep(rng->bounded(1, 150000));
                p.kill();
            }
            QVERIFY(p.waitForFinished(60000));
            // Nothing on stderr but the exporter's note that it cleared what an earlier cut left
            // on the drive (it must: a temporary file of an interrupted export is never a batch).
            QByteArray err;
            for (const QByteArray &line : p.readAllStandardError().split('\n'))
                if (!line.isEmpty() && !line.contains("temporary files of interrupted exports"))
                    err += line + '\n';
            QVERIFY2(err.isEmpty(), err.constData());
            fig.selfCuts += selfCut && p.exitStatus() == QProcess::CrashExit ? 1 : 0;
            for (const QByteArray &line : p.readAllStandardOutput().split('\n'))
                if (line.startsWith("EXPORTED "))
                    acked << line.mid(9);

            auto r = pl::replayPowerCut(sideDir.toStdString(), loss, quint64(i) * 104729 + 3);
            QVERIFY2(r.ok, r.error.c_str());
            fig.add(r.stats);
            ++fig.cuts;
            fig.subsetCuts += loss == pl::Loss::Subset ? 1 : 0;
            if (!selfCut && p.exitStatus() == QProcess::CrashExit)
                eventsPerRun = std::max<quint64>(20, (eventsPerRun + quint64(r.stats.events)) / 2);

            auto k = KioskService::open(f.stateDir(id), f.clock);
            QVERIFY2(k.ok(), qPrintable(k.ok() ? QString() : k.error().message));
            const Status inv = (*k)->checkInvariants(econ);
            QVERIFY2(inv.ok(), qPrintable(inv.ok() ? QString() : inv.error().message));
            // What the kiosk's audit log says was exported must be on the drive too.
            QList<QByteArray> audited;
            const auto log = (*k)->auditLog();
            QVERIFY(log.ok());
            for (const AuditEvent &e : *log)
                if (e.body.value(QStringLiteral("event")).toString() == QStringLiteral("export"))
                    audited << e.body.value(QStringLiteral("blake2b")).toString().toLatin1();
            auditedExports = std::max(auditedExports, int(audited.size()));

            QStringList finals;
            int temps = 0;
            for (const QString &name : QDir(usb).entryList(QDir::Files | QDir::Hidden)) {
                if (name.contains(QStringLiteral(".tmp-")))
                    ++temps; // an interrupted export's temporary file: never under the final name
                else
                    finals << name;
            }
            strayTemps = std::max(strayTemps, temps);
            QVERIFY(finals.size() <= 1);
            if (finals.isEmpty()) {
                QVERIFY2(acked.isEmpty() && audited.isEmpty(),
                         qPrintable(QStringLiteral("an acknowledged export vanished at power cut %1").arg(i)));
                continue;
            }
            const QByteArray bytes = fileBytes(usb + QLatin1Char('/') + finals.first());
            auto file = readBatch(bytes);
            QVERIFY2(file.ok(),
                     qPrintable(QStringLiteral("torn batch after power cut %1: %2")
                                    .arg(i)
                                    .arg(file.ok() ? QString() : file.error().message)));
            QVERIFY(verifyBatchSignature(*file, kioskKey).ok());
            const QByteArray hash = crypto::hash(bytes).toHex();
            // The newest acknowledged (or audited) export, or one newer than both: never older.
            const auto older = [&](const QList<QByteArray> &list) {
                return list.size() > 1 && list.mid(0, list.size() - 1).contains(hash) && list.last() != hash;
            };
            QVERIFY2(!older(acked) && !older(audited),
                     qPrintable(QStringLiteral("an older batch came back at power cut %1").arg(i)));
        }
        qInfo("exports: %d power cuts (%d at a file-system event; %d keeping a random subset), %lld unsynced writes "
              "dropped or torn, %lld name changes undone, %lld interrupted operations; %lld acknowledged exports, "
              "every batch on the drive whole and signed; at most %d stray temporary files left on the drive",
              fig.cuts, fig.selfCuts, fig.subsetCuts, fig.unsyncedWrites, fig.namesUndone, fig.unfinished,
              qint64(acked.size()), strayTemps);
        QVERIFY(acked.size() > 0);
        QVERIFY(auditedExports > 0);
    }
};

QTEST_GUILESS_MAIN(TestPowerLoss)
#include "test_powerloss.moc"
