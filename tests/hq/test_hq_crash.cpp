// The kill matrix at the office: the real pingyi-hq binary killed while it imports
// batches, splits the election key among trustees, and tallies. Half the kill points stop
// it just before its Nth write to a file (the killpoint library; alternately spread over
// every write the command makes and stepping back from where it commits its work), the
// other half at a random moment of its run. After each kill: the
// HQ directory opens, hq.db passes SQLite's integrity check and the store's own invariants
// (every imported batch has its archived file, whose digest and counts match), running the
// command again completes, and the tally is exactly the tally of a run without kills.
// Kill points per command: PINGYI_HQ_CRASH_KILLS (import and tally; 8 by default) and
// PINGYI_HQ_CRASH_SPLIT_KILLS (the split, whose key files take seconds each; 3 by default, all
// at the writes that retire the election key).

#include "hqtestutil.h"
#include "killpoint.h"
#include "tally.h"
#include "trustees.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace pingyi;
using namespace pingyi::hqtest;
using pingyi::hq::Hq;

namespace {

/// The error's message, or nothing (QVERIFY2 evaluates its message even when it passes).
template<typename T> QString why(const Result<T> &r)
{
    return r ? QString() : r.error().message;
}

int intEnv(const char *name, int fallback)
{
    const int v = qEnvironmentVariableIntValue(name);
    return v > 0 ? v : fallback;
}

struct Run {
    int exitCode = -1;
    bool killed = false;
    QByteArray out, err;
    qint64 writes = -1; ///< counted by the killpoint library on a normal exit
    qint64 elapsedUs = 0;
};

/// Runs pingyi-hq under the killpoint library: killed before write `killAt` (0: never) or
/// `delayUs` after it started (-1: never).
Run runHq(const QStringList &args, const QString &workDir, long killAt = 0, qint64 delayUs = -1,
          bool officePassphraseInEnv = true, bool trace = false)
{
    Run run;
    const QString countFile = QDir(workDir).filePath(QStringLiteral("writes.count"));
    QFile::remove(countFile);
    QProcessEnvironment env = test::killpointEnvironment(killAt, countFile);
    if (trace)
        env.insert(QStringLiteral("PINGYI_KILL_TRACE"), QStringLiteral("1"));
    if (officePassphraseInEnv)
        env.insert(QStringLiteral("PINGYI_PASSPHRASE"), QString::fromLatin1(passphrase().view()));
    else
        env.remove(QStringLiteral("PINGYI_PASSPHRASE"));
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(qEnvironmentVariable("PINGYI_HQ"), args);
    if (!p.waitForStarted())
        return run;
    if (delayUs >= 0) {
        const qint64 left = delayUs - t.nsecsElapsed() / 1000;
        if (left > 0)
            QThread::usleep(quint64(left));
        p.kill();
    }
    p.waitForFinished(300000);
    run.elapsedUs = t.nsecsElapsed() / 1000;
    run.killed = p.exitStatus() == QProcess::CrashExit;
    run.exitCode = run.killed ? -1 : p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    if (auto n = readFile(countFile))
        run.writes = n->trimmed().toLongLong();
    return run;
}

/// results.json without the time it was made.
QJsonObject resultsWithoutTime(const QString &dir)
{
    auto bytes = readFile(QDir(dir).filePath(QStringLiteral("results.json")));
    if (!bytes)
        return {};
    QJsonObject o = QJsonDocument::fromJson(*bytes).object();
    o.remove(QStringLiteral("generated"));
    return o;
}

/// The store after a kill: opens, passes SQLite's integrity check, and every imported batch
/// has its archived copy with the digest and record counts that were stored. Returns the
/// number of batches stored, or an error message.
Result<int> checkStore(const QString &hqDir)
{
    auto h = Hq::open(hqDir);
    if (!h)
        return h.error();
    auto integrity = h->db().prepare("PRAGMA integrity_check");
    if (!integrity)
        return integrity.error();
    auto row = integrity->next();
    if (!row || !*row || integrity->text(0) != QLatin1String("ok"))
        return makeError(QStringLiteral("kill"), QStringLiteral("hq.db fails its integrity check"));
    auto st = h->db().prepare("SELECT archive_file, file_digest, counted_ballots, length(ballot_ids), "
                              "counted_suggestions, length(suggestion_ids) FROM batch");
    if (!st)
        return st.error();
    int batches = 0;
    while (true) {
        auto next = st->next();
        if (!next)
            return next.error();
        if (!*next)
            break;
        ++batches;
        const QString file = QDir(hqDir).filePath(QStringLiteral("batches/") + st->text(0));
        auto bytes = readFile(file);
        if (!bytes)
            return makeError(QStringLiteral("kill"), QStringLiteral("a stored batch has no archived copy: ") + file);
        if (crypto::hash(*bytes) != st->blob(1))
            return makeError(QStringLiteral("kill"), QStringLiteral("an archived copy differs from its digest"));
        if (st->integer(2) * 32 != st->integer(3) || st->integer(4) * 32 != st->integer(5))
            return makeError(QStringLiteral("kill"), QStringLiteral("a batch's counts differ from its record ids"));
    }
    return batches;
}

/// The last file operation a traced run made before SQLite closed hq.db (its -wal and
/// -shm files): where a command's own work ends.
long lastOwnWrite(const QByteArray &trace)
{
    long last = 0;
    for (const QByteArray &line : trace.split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        if (f.size() >= 3 && f[0] == "killpoint" && !f.value(3).contains("hq.db"))
            last = f[1].toLong();
    }
    return last;
}

/// Deterministic kill point `j` of `n`: alternately spread evenly over all `writes`, and
/// stepping back from `last` (where a command commits its work: renames, unlinks).
long sweepPoint(int j, int n, qint64 writes, long last)
{
    if (j % 2 == 1 && last > 0)
        return last - long((j / 2) % last);
    return 1 + long(qint64(j / 2) * writes / std::max(1, (n + 1) / 2));
}

} // namespace

class TestHqCrash : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_beforeImport, m_beforeSplit, m_beforeTally; ///< template HQ directories
    QStringList m_usb; ///< the kiosks' export drives
    int m_batches = 0;
    std::optional<crypto::BoxKeyPair> m_election;
    QJsonObject m_fullResults; ///< in-process tally of the run without kills
    QJsonObject m_cliResults; ///< `pingyi-hq tally --provisional` of the run without kills
    QString m_hqPassFile;
    QStringList m_sharePassFiles;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// The full results computed in-process with the election key, as results.json.
    QJsonObject fullTally(const QString &hqDir)
    {
        auto h = Hq::open(hqDir);
        if (!h)
            return {};
        hq::TallyOptions options;
        options.threads = 2;
        options.generated = QDateTime(QDate(2025, 11, 20), QTime(12, 0), Qt::UTC);
        auto results = hq::computeTally(*h, *m_election, options);
        auto activity = h->activity();
        if (!results || !activity)
            return {};
        QTemporaryDir out;
        if (!hq::writeTallyFiles(*results, *activity, out.filePath(QStringLiteral("r"))))
            return {};
        return resultsWithoutTime(out.filePath(QStringLiteral("r")));
    }

    QStringList importArgs(const QString &hqDir) const
    {
        return QStringList {QStringLiteral("import"), QStringLiteral("--hq"), hqDir} + m_usb;
    }
    QStringList tallyArgs(const QString &hqDir) const
    {
        return {QStringLiteral("tally"),
                QStringLiteral("--hq"),
                hqDir,
                QStringLiteral("--out"),
                QDir(hqDir).filePath(QStringLiteral("../results")),
                QStringLiteral("--provisional"),
                QStringLiteral("--no-pdf")};
    }
    QStringList splitArgs(const QString &hqDir, const QString &out) const
    {
        QStringList a {QStringLiteral("trustees"),
                       QStringLiteral("split"),
                       QStringLiteral("--hq"),
                       hqDir,
                       QStringLiteral("--k"),
                       QStringLiteral("2"),
                       QStringLiteral("--n"),
                       QStringLiteral("3"),
                       QStringLiteral("--out"),
                       out,
                       QStringLiteral("--retire-election-key"),
                       QStringLiteral("--passphrase-file"),
                       m_hqPassFile};
        for (const QString &f : m_sharePassFiles)
            a << QStringLiteral("--share-passphrase-file") << f;
        return a;
    }

    /// A fresh copy of a template in `work` (the HQ directory is work/hq).
    QString fresh(const QString &tpl, const QString &work)
    {
        QDir(work).removeRecursively();
        copyDir(tpl, QDir(work).filePath(QStringLiteral("hq")));
        return QDir(work).filePath(QStringLiteral("hq"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("PINGYI_KILLPOINT_LIB")),
                 "PINGYI_KILLPOINT_LIB must name the killpoint library (ctest sets it)");
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("PINGYI_HQ")), "PINGYI_HQ must name pingyi-hq");
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("PINGYI_SIM")), "PINGYI_SIM must name pingyi-sim");
        crypto::init();
        // A threshold of 2, so that the small venues' results are shown and compared.
        m_beforeImport = path(QStringLiteral("tpl-import"));
        makeHq(m_beforeImport, exampleActivity(2), 0.2);
        {
            auto h = must(Hq::open(m_beforeImport), "open");
            m_election.emplace(must(h.unlockElection(passphrase()), "election key"));
        }
        for (const auto &[venue, voters] : {std::pair {"main", "8"}, std::pair {"shinan", "14"}}) {
            const QString usb = path(QStringLiteral("usb-") + QLatin1String(venue));
            QProcess sim;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PINGYI_PASSPHRASE"), QString::fromLatin1(passphrase().view()));
            sim.setProcessEnvironment(env);
            sim.start(qEnvironmentVariable("PINGYI_SIM"),
                      {QStringLiteral("--hq"), m_beforeImport, QStringLiteral("--venue"), QLatin1String(venue),
                       QStringLiteral("--session"), QStringLiteral("econ"), QStringLiteral("--kiosks"),
                       QStringLiteral("2"), QStringLiteral("--voters"), QLatin1String(voters), QStringLiteral("--out"),
                       usb, QStringLiteral("--seed"), QStringLiteral("7")});
            QVERIFY(sim.waitForFinished(120000));
            QVERIFY2(sim.exitCode() == 0, sim.readAllStandardError().constData());
            m_usb << usb;
            m_batches += int(QDir(usb).entryList({QStringLiteral("*.pybatch")}, QDir::Files).size());
        }
        QCOMPARE(m_batches, 4);
        m_hqPassFile = path(QStringLiteral("hq-pass"));
        QVERIFY(writeFileAtomic(m_hqPassFile, passphrase().view()).ok());
        for (int i = 1; i <= 3; ++i) {
            m_sharePassFiles << path(QStringLiteral("share-pass-%1").arg(i));
            QVERIFY(writeFileAtomic(m_sharePassFiles.last(), QByteArray("trustee passphrase ") + QByteArray::number(i))
                        .ok());
        }

        // The run without kills: import, tally (in-process, full; and the command's), split.
        const QString work = path(QStringLiteral("reference"));
        const QString hqDir = fresh(m_beforeImport, work);
        const Run imported = runHq(importArgs(hqDir), work);
        QVERIFY2(imported.exitCode == 0, imported.out + imported.err);
        m_beforeSplit = path(QStringLiteral("tpl-split"));
        copyDir(hqDir, m_beforeSplit);
        m_beforeTally = m_beforeSplit; // the tally runs with the office's key, before any split
        m_fullResults = fullTally(hqDir);
        QVERIFY(!m_fullResults.isEmpty());
        QVERIFY(m_fullResults.value(QLatin1String("ballots")).toInteger() > 0);
        const Run tallied = runHq(tallyArgs(hqDir), work);
        QVERIFY2(tallied.exitCode == 0, tallied.out + tallied.err);
        m_cliResults = resultsWithoutTime(QDir(work).filePath(QStringLiteral("results")));
        QVERIFY(!m_cliResults.isEmpty());
        qInfo("reference: %lld ballots in %d batches", m_fullResults.value(QLatin1String("ballots")).toInteger(),
              m_batches);
    }

    void importKills()
    {
        const int kills = intEnv("PINGYI_HQ_CRASH_KILLS", 8);
        const QString work = path(QStringLiteral("run-import"));
        fresh(m_beforeImport, work);
        const Run calibration = runHq(importArgs(QDir(work).filePath(QStringLiteral("hq"))), work, 0, -1, true, true);
        QVERIFY2(calibration.exitCode == 0, calibration.err.constData());
        QVERIFY(calibration.writes > 0);
        const long last = lastOwnWrite(calibration.err);
        int mid = 0, atWrite = 0, before = 0, partly = 0, after = 0;
        const int sweep = (kills + 1) / 2;
        for (int i = 0; i < kills; ++i) {
            const QString hqDir = fresh(m_beforeImport, work);
            const bool deterministic = i % 2 == 0;
            const long killAt = deterministic ? sweepPoint(i / 2, sweep, calibration.writes, last) : 0;
            const qint64 delay = deterministic
                ? -1
                : qint64(QRandomGenerator::global()->bounded(quint64(calibration.elapsedUs * 11 / 10 + 1)));
            const Run run = runHq(importArgs(hqDir), work, killAt, delay);
            atWrite += deterministic ? 1 : 0;
            mid += run.killed ? 1 : 0;
            QVERIFY2(run.killed || run.exitCode == 0, run.err.constData());
            auto stored = checkStore(hqDir);
            QVERIFY2(stored, qPrintable(QStringLiteral("import kill %1: %2").arg(i).arg(why(stored))));
            (*stored == 0 ? before : *stored == m_batches ? after : partly)++;
            QVERIFY(!run.killed || *stored <= m_batches);
            QVERIFY(run.killed || *stored == m_batches);

            const Run again = runHq(importArgs(hqDir), work);
            QVERIFY2(again.exitCode == 0, again.out + again.err);
            QVERIFY2(again.out.contains(QStringLiteral("%1 imported, %2 already imported, 0 refused")
                                            .arg(m_batches - *stored)
                                            .arg(*stored)
                                            .toLatin1()),
                     again.out.constData());
            auto complete = checkStore(hqDir);
            QVERIFY(complete && *complete == m_batches);
            // Nothing left over in the archive: no temporary copy, no copy without its batch.
            const QStringList archived
                = QDir(QDir(hqDir).filePath(QStringLiteral("batches"))).entryList(QDir::Files | QDir::Hidden);
            QVERIFY2(archived.size() == m_batches, qPrintable(archived.join(QLatin1Char(' '))));
            QCOMPARE(fullTally(hqDir), m_fullResults);
        }
        qInfo("kill matrix, hq import: %d kill points (%d at a write of %lld, %d timed), %d killed mid-operation, "
              "outcomes %d before / %d between batches / %d after, %lld ballots, tally exact after each",
              kills, atWrite, calibration.writes, kills - atWrite, mid, before, partly, after,
              m_fullResults.value(QLatin1String("ballots")).toInteger());
        QVERIFY(mid >= atWrite * 9 / 10);
    }

    void tallyKills()
    {
        const int kills = intEnv("PINGYI_HQ_CRASH_KILLS", 8);
        const QString work = path(QStringLiteral("run-tally"));
        const QString results = QDir(work).filePath(QStringLiteral("results"));
        fresh(m_beforeTally, work);
        const Run calibration = runHq(tallyArgs(QDir(work).filePath(QStringLiteral("hq"))), work, 0, -1, true, true);
        QVERIFY2(calibration.exitCode == 0, calibration.err.constData());
        QVERIFY(calibration.writes > 0);
        const long last = lastOwnWrite(calibration.err);
        int mid = 0, atWrite = 0, before = 0, after = 0;
        const int sweep = (kills + 1) / 2;
        for (int i = 0; i < kills; ++i) {
            const QString hqDir = fresh(m_beforeTally, work);
            const bool deterministic = i % 2 == 0;
            const long killAt = deterministic ? sweepPoint(i / 2, sweep, calibration.writes, last) : 0;
            const qint64 delay = deterministic
                ? -1
                : qint64(QRandomGenerator::global()->bounded(quint64(calibration.elapsedUs * 11 / 10 + 1)));
            const Run run = runHq(tallyArgs(hqDir), work, killAt, delay);
            atWrite += deterministic ? 1 : 0;
            mid += run.killed ? 1 : 0;
            QVERIFY2(run.killed || run.exitCode == 0, run.err.constData());
            auto stored = checkStore(hqDir);
            QVERIFY2(stored, qPrintable(QStringLiteral("tally kill %1: %2").arg(i).arg(why(stored))));
            QCOMPARE(*stored, m_batches);
            // The results directory is the whole tally or absent, never a part of one.
            if (QFileInfo::exists(results)) {
                QCOMPARE(resultsWithoutTime(results), m_cliResults);
                for (const char *f : {"departments.csv", "attendance.csv", "intake.csv"})
                    QVERIFY2(QFileInfo(QDir(results).filePath(QLatin1String(f))).size() > 0, f);
                ++after;
            } else {
                QVERIFY(run.killed);
                ++before;
            }
            const Run again = runHq(tallyArgs(hqDir), work);
            QVERIFY2(again.exitCode == 0, again.out + again.err);
            QCOMPARE(resultsWithoutTime(results), m_cliResults);
            QCOMPARE(fullTally(hqDir), m_fullResults);
            // No killed run's staging directory (partial results) stays behind next to --out.
            const QStringList stages
                = QDir(work).entryList({QStringLiteral(".results.tally-*")}, QDir::Dirs | QDir::Hidden);
            QVERIFY2(stages.isEmpty(), qPrintable(stages.join(QLatin1Char(' '))));
        }
        qInfo("kill matrix, hq tally: %d kill points (%d at a write of %lld, %d timed), %d killed mid-operation, "
              "outcomes %d before / %d after, %lld ballots, tally exact after each, no staging directory left",
              kills, atWrite, calibration.writes, kills - atWrite, mid, before, after,
              m_cliResults.value(QLatin1String("ballots")).toInteger());
        QVERIFY(mid >= atWrite * 9 / 10);
    }

    void splitKills()
    {
        const int kills = intEnv("PINGYI_HQ_CRASH_SPLIT_KILLS", 3);
        const QString work = path(QStringLiteral("run-split"));
        const QString shares = QDir(work).filePath(QStringLiteral("shares"));
        fresh(m_beforeSplit, work);
        const Run calibration
            = runHq(splitArgs(QDir(work).filePath(QStringLiteral("hq")), shares), work, 0, -1, false, true);
        QVERIFY2(calibration.exitCode == 0, calibration.out + calibration.err);
        QVERIFY(calibration.writes > 0);
        // The command's last file operation before SQLite closes hq.db: the deterministic
        // points sweep back from there (retiring the key, the trustees record, the shares).
        const long last = lastOwnWrite(calibration.err);
        QVERIFY(last > 0);
        int mid = 0, atWrite = 0, before = 0, after = 0;
        for (int i = 0; i < kills; ++i) {
            const QString hqDir = fresh(m_beforeSplit, work);
            const bool deterministic = i % 2 == 0 || kills <= 6;
            const int j = kills <= 6 ? i : i / 2;
            const long killAt = deterministic ? last - (j % last) : 0;
            const qint64 delay = deterministic
                ? -1
                : qint64(QRandomGenerator::global()->bounded(quint64(calibration.elapsedUs * 11 / 10 + 1)));
            const Run run = runHq(splitArgs(hqDir, shares), work, killAt, delay, false);
            atWrite += deterministic ? 1 : 0;
            mid += run.killed ? 1 : 0;
            QVERIFY2(run.killed || run.exitCode == 0, run.err.constData());
            auto stored = checkStore(hqDir);
            QVERIFY2(stored,
                     qPrintable(QStringLiteral("split kill %1 (%2): %3")
                                    .arg(i)
                                    .arg(deterministic ? QStringLiteral("write %1").arg(killAt)
                                                       : QStringLiteral("%1 us").arg(delay))
                                    .arg(why(stored))));
            QCOMPARE(*stored, m_batches);
            auto h = must(Hq::open(hqDir), "open");
            QString shareDir = shares;
            if (h.electionKeyRetired()) {
                ++after; // the key is gone, with no copy left aside: the shares must be complete
                QVERIFY(!QFileInfo::exists(h.filePath(Hq::electionKeyFile) + QStringLiteral(".retiring")));
                QVERIFY(!run.killed || QFileInfo::exists(h.filePath(Hq::trusteesFile)));
            } else {
                ++before; // the key is still here, still opens; the split is done again
                QVERIFY(h.unlockElection(passphrase()));
                shareDir = QDir(work).filePath(QStringLiteral("shares-again"));
                const Run again = runHq(splitArgs(hqDir, shareDir), work, 0, -1, false);
                QVERIFY2(again.exitCode == 0, again.out + again.err);
            }
            // Two of the shares rebuild the election key, so the tally is the same.
            auto reopened = must(Hq::open(hqDir), "open");
            QVERIFY(reopened.electionKeyRetired());
            const QStringList files {QDir(shareDir).filePath(QStringLiteral("share-1-of-3.key")),
                                     QDir(shareDir).filePath(QStringLiteral("share-3-of-3.key"))};
            auto rebuilt
                = hq::combineShares(reopened, files, [&](const hq::ShareInfo &s) -> Result<crypto::SecretBytes> {
                      auto bytes = readFile(m_sharePassFiles[s.index - 1]);
                      if (!bytes)
                          return bytes.error();
                      return crypto::SecretBytes::copyOf(*bytes);
                  });
            QVERIFY2(rebuilt, qPrintable(why(rebuilt)));
            QCOMPARE(rebuilt->publicKey(), m_election->publicKey());
            QCOMPARE(fullTally(hqDir), m_fullResults);
        }
        qInfo("kill matrix, hq trustees split: %d kill points (%d at a write of %lld, back from write %ld; %d timed), "
              "%d killed mid-operation, outcomes %d before / %d after, tally exact after each",
              kills, atWrite, calibration.writes, last, kills - atWrite, mid, before, after);
    }
};

QTEST_GUILESS_MAIN(TestHqCrash)
#include "test_hq_crash.moc"
