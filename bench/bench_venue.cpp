// The venue-shared check-in ledger on loopback: three kiosk processes (venue_kiosk), claims
// made one after another at a follower kiosk (the usual case: most kiosks do not lead), each
// claim = an idempotent INSERT and a read through the leader, over the secure channel.
// Baseline measured in the same run: one local durable SQLite insert (WAL, synchronous=FULL)
// of a check-in row. Prints p50/p99 of both and their ratio. Then the failover time: the
// leader is killed with SIGKILL while two kiosks claim; the longest time after the kill in
// which no claim completed anywhere (the claims' stall), over a few runs.
// Usage: bench_venue [CLAIMS=300] [FAILOVER_RUNS=3] [DIR=a temporary directory]

#include "benchstats.h"
#include "crypto.h"
#include "storage.h"
#include "venuetestutil.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace pingyi;
using namespace pingyi::venue;

namespace {
using bench::percentile;

qint64 monotonicMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "bench_venue: %s\n", what);
    std::exit(1);
}

struct Proc {
    std::unique_ptr<QProcess> p;
    QString out;
    quint64 node = 0;
};

QByteArray awaitLine(QProcess &p, const QByteArray &prefix, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs && p.state() != QProcess::NotRunning) {
        while (p.canReadLine()) {
            const QByteArray line = p.readLine().trimmed();
            if (line.startsWith(prefix))
                return line;
        }
        p.waitForReadyRead(50);
    }
    return {};
}

/// Starts a venue of three kiosk processes; lists[i] is kiosk i's claims.
std::vector<Proc> startVenue(const QString &dir, const QList<QStringList> &lists)
{
    const auto venue = testutil::makeVenue(3);
    const QString membership = dir + QStringLiteral("/membership.txt");
    QFile mf(membership);
    if (!mf.open(QIODevice::WriteOnly))
        die("cannot write the membership");
    mf.write(venue.membership.toText());
    mf.close();
    std::vector<Proc> procs;
    for (int i = 0; i < 3; ++i) {
        const Member &m = venue.membership.members()[i];
        const QString base = dir + QLatin1Char('/') + m.kioskId;
        QFile sf(base + QStringLiteral(".seed")), rf(base + QStringLiteral(".reps"));
        if (!sf.open(QIODevice::WriteOnly) || !rf.open(QIODevice::WriteOnly))
            die("cannot write the kiosk files");
        sf.write(venue.seeds[i].toHex());
        rf.write(lists.value(i).join(QLatin1Char('\n')).toUtf8());
        sf.close();
        rf.close();
        Proc proc;
        proc.p = std::make_unique<QProcess>();
        proc.out = base + QStringLiteral(".out");
        proc.node = m.nodeId;
        proc.p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        proc.p->start(QStringLiteral(VENUE_KIOSK),
                      {QStringLiteral("--membership"), membership, QStringLiteral("--seed"),
                       base + QStringLiteral(".seed"), QStringLiteral("--kiosk"), m.kioskId, QStringLiteral("--data"),
                       base + QStringLiteral(".data"), QStringLiteral("--reps"), base + QStringLiteral(".reps"),
                       QStringLiteral("--out"), proc.out, QStringLiteral("--workers"), QStringLiteral("1")});
        procs.push_back(std::move(proc));
    }
    for (Proc &p : procs)
        if (awaitLine(*p.p, "ready", 60000).isEmpty())
            die("a kiosk did not start");
    return procs;
}

void stopVenue(std::vector<Proc> &procs)
{
    for (Proc &p : procs)
        if (p.p->state() != QProcess::NotRunning) {
            p.p->write("quit\n");
            p.p->closeWriteChannel();
        }
    for (Proc &p : procs)
        if (!p.p->waitForFinished(60000))
            p.p->kill();
}

/// (µs of each claim, monotonic ms when each finished) from a kiosk's output.
void readOut(const QString &path, std::vector<double> *latencyMs, std::vector<qint64> *finishedAt)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> p = line.split(' ');
        if (p.size() != 5)
            continue;
        if (latencyMs)
            latencyMs->push_back(p[3].toDouble() / 1000.0);
        if (finishedAt)
            finishedAt->push_back(p[4].toLongLong());
    }
}

QStringList reps(const QString &prefix, int n)
{
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << prefix + QString::number(i);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(50, atoi(argv[1])) : 300;
    const int runs = argc > 2 ? std::max(1, atoi(argv[2])) : 3;
    QTemporaryDir tmp(argc > 3 ? QString::fromLocal8Bit(argv[3]) + QStringLiteral("/bench-XXXXXX") : QString());

    // The baseline: a durable local insert of a check-in-sized row, half before and half
    // after the venue's claims so both see the same disk conditions.
    constexpr Migration plain[] = {{1,
                                    "CREATE TABLE checkin (session TEXT, rep TEXT, kiosk TEXT, claim BLOB, "
                                    "state TEXT, PRIMARY KEY (session, rep)) WITHOUT ROWID;"}};
    auto base = Database::open(tmp.filePath(QStringLiteral("baseline.db")), plain);
    if (!base)
        die("cannot open the baseline database");
    std::vector<double> insertMs;
    int baseRow = 0;
    auto insertSome = [&](int count) {
        QElapsedTimer t;
        for (int i = 0; i < count; ++i, ++baseRow) {
            t.start();
            Database::Transaction tx(*base);
            auto st = base->prepare("INSERT INTO checkin VALUES ('G1', ?1, 'k01', ?2, 'active')");
            (void)st->bind(1, QStringLiteral("r%1").arg(baseRow)).bind(2, crypto::randomBytes(16)).exec();
            (void)tx.commit();
            insertMs.push_back(double(t.nsecsElapsed()) / 1e6);
        }
    };
    insertSome(n / 2);

    std::vector<double> claimMs;
    {
        QTemporaryDir dir(tmp.filePath(QStringLiteral("claims-XXXXXX")));
        auto procs = startVenue(dir.path(), {{}, reps(QStringLiteral("r"), n), {}});
        for (Proc &p : procs)
            p.p->write("go\n");
        if (awaitLine(*procs[1].p, "done", 120000).isEmpty())
            die("the claims did not finish");
        readOut(procs[1].out, &claimMs, nullptr);
        stopVenue(procs);
    }
    insertSome(n - n / 2);
    const double c50 = percentile(claimMs, 0.5), c99 = percentile(claimMs, 0.99);
    const double i50 = percentile(insertMs, 0.5), i99 = percentile(insertMs, 0.99);
    std::printf("venue of 3 kiosk processes on 127.0.0.1, %zu claims at a follower kiosk:\n", claimMs.size());
    std::printf("  claim (secure channel, INSERT + read via the leader): p50 %.3f ms  p99 %.3f ms\n", c50, c99);
    std::printf("  baseline durable local SQLite insert:                 p50 %.3f ms  p99 %.3f ms\n", i50, i99);
    std::printf("  ratio claim/baseline: p50 %.2f  p99 %.2f\n", c50 / i50, c99 / i99);

    std::vector<double> failoverMs;
    for (int run = 0; run < runs; ++run) {
        QTemporaryDir dir(tmp.filePath(QStringLiteral("failover-XXXXXX")));
        // Node 1 bootstraps and leads; kiosks 2 and 3 keep claiming while it is killed.
        auto procs = startVenue(dir.path(), {{}, reps(QStringLiteral("a"), 600), reps(QStringLiteral("b"), 600)});
        for (Proc &p : procs)
            p.p->write("go\n");
        procs[1].p->write("leader\n");
        const quint64 leader = awaitLine(*procs[1].p, "leader ", 10000).mid(7).toULongLong();
        QThread::msleep(700);
        int victim = -1;
        for (int i = 0; i < 3; ++i)
            if (procs[i].node == leader)
                victim = i;
        if (victim < 0)
            die("no leader");
        const qint64 killedAt = monotonicMs();
        ::kill(pid_t(procs[victim].p->processId()), SIGKILL);
        procs[victim].p->waitForFinished(5000);
        for (int i = 0; i < 3; ++i)
            if (i != victim)
                awaitLine(*procs[i].p, "done", 120000);
        std::vector<qint64> finished;
        for (int i = 0; i < 3; ++i)
            if (i != victim)
                readOut(procs[i].out, nullptr, &finished);
        // The stall: the longest time after the kill in which no claim completed anywhere.
        std::sort(finished.begin(), finished.end());
        qint64 stall = -1, prev = killedAt;
        for (qint64 at : finished) {
            if (at <= killedAt)
                continue;
            stall = std::max(stall, at - prev);
            prev = at;
        }
        if (stall < 0)
            die("no claim completed after the leader was killed");
        failoverMs.push_back(double(stall));
        std::printf("  failover run %d: leader (node %llu) killed, claims stalled for %lld ms\n", run + 1,
                    static_cast<unsigned long long>(leader), stall);
        stopVenue(procs);
    }
    std::printf("  failover: median %.0f ms, worst %.0f ms over %d runs (Raft latency hint 50 ms)\n",
                percentile(failoverMs, 0.5), percentile(failoverMs, 1.0), runs);
    return 0;
}
