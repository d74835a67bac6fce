// One kiosk of a test venue, as its own process: starts its ledger node, joins, prints
// "ready <local socket>", waits for "go" on stdin, then claims the representatives listed
// in --reps with --workers threads (each its own ledger connection, as concurrent kiosks
// would be), marking each granted one voted. One line per definitive outcome, flushed at
// once so that a kill -9 loses nothing reported:
//   G <rep> <claim id hex> <µs> <monotonic ms>   granted (then marked voted)
//   H <rep> <holder> <µs> <monotonic ms>         held by another kiosk
//   V <rep> <holder> <µs> <monotonic ms>         already voted (at holder)
// "done <unavailable count>" on stdout at the end. Commands on stdin: "leader" (answers
// "leader <node id>"), "claim <rep> <claim id hex>" ("claim G|H|V <holder> <ms>", or
// "claim U <error code> <ms>"), "table" ("table <n> rep,kiosk,claim,state …"), "isolate on|off"
// (the node cut from the venue network and back: VenueNode::setIsolated; answers "isolated
// on|off"), "quit".
// Used by test_venue_cluster and bench_venue.

#include "venueledger.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

using namespace pingyi;
using namespace pingyi::venue;

namespace {

qint64 monotonicMs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QHash<QString, QString> args;
    const QStringList list = app.arguments();
    for (int i = 1; i + 1 < list.size(); i += 2)
        args.insert(list[i], list[i + 1]);
    auto membership = Membership::fromText(readFile(args.value(QStringLiteral("--membership"))));
    if (!membership) {
        std::fprintf(stderr, "%s\n", qPrintable(membership.error().message));
        return 2;
    }
    auto key = crypto::SigningKey::fromSeed(
        crypto::SecretBytes::copyOf(QByteArray::fromHex(readFile(args.value(QStringLiteral("--seed"))).trimmed())));
    if (!key)
        return 2;
    NodeOptions options;
    options.kioskId = args.value(QStringLiteral("--kiosk"));
    options.dataDir = args.value(QStringLiteral("--data"));
    options.networkLatencyMs = args.value(QStringLiteral("--latency"), QStringLiteral("50")).toUInt();
    const int workers = args.value(QStringLiteral("--workers"), QStringLiteral("4")).toInt();
    const int giveUpMs = args.value(QStringLiteral("--give-up-ms"), QStringLiteral("45000")).toInt();
    auto node = VenueNode::start(*membership, std::move(*key), options);
    if (!node) {
        std::fprintf(stderr, "%s\n", qPrintable(node.error().message));
        return 3;
    }
    if (auto s = (*node)->join(30000); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error().message));
        return 4;
    }
    std::printf("ready %s\n", qPrintable((*node)->localAddress()));
    std::fflush(stdout);

    std::string line;
    if (!std::getline(std::cin, line) || line != "go")
        return 0;
    const QList<QByteArray> reps = readFile(args.value(QStringLiteral("--reps"))).split('\n');
    std::FILE *out = std::fopen(qPrintable(args.value(QStringLiteral("--out"))), "w");
    if (!out)
        return 5;
    std::mutex outMutex;
    std::atomic<int> next {0};
    std::atomic<int> unavailable {0};
    const kiosk::SessionKey session {QStringLiteral("G1"), false};
    QElapsedTimer total;
    total.start();
    auto work = [&] {
        VenueLedger ledger(**node);
        for (;;) {
            const int i = next++;
            if (i >= reps.size())
                return;
            const QString rep = QString::fromUtf8(reps[i].trimmed());
            if (rep.isEmpty())
                continue;
            const QByteArray claimId = VenueLedger::newClaimId();
            QElapsedTimer t;
            t.start();
            Result<ClaimOutcome> outcome = Error {};
            // An unknown outcome is asked again with the same claim id.
            while (!(outcome = ledger.claim(session, rep, claimId)) && total.elapsed() < giveUpMs)
                ++unavailable;
            if (!outcome)
                continue;
            const qint64 us = t.nsecsElapsed() / 1000;
            QByteArray rec;
            if (outcome->claim == kiosk::CheckInLedger::Claim::Granted) {
                while (!ledger.markVoted(session, rep) && total.elapsed() < giveUpMs)
                    ++unavailable;
                rec = "G " + rep.toUtf8() + ' ' + claimId.toHex();
            } else {
                rec = (outcome->claim == kiosk::CheckInLedger::Claim::Held ? "H " : "V ") + rep.toUtf8() + ' '
                    + outcome->holder.toUtf8();
            }
            rec += ' ' + QByteArray::number(us) + ' ' + QByteArray::number(monotonicMs()) + '\n';
            std::lock_guard lock(outMutex);
            std::fwrite(rec.constData(), 1, size_t(rec.size()), out);
            std::fflush(out);
        }
    };
    std::mutex stdoutMutex;
    auto say = [&](const QByteArray &line) {
        std::lock_guard lock(stdoutMutex);
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back(work);
    std::thread finisher([&] {
        for (auto &t : threads)
            t.join();
        std::fclose(out);
        say("done " + QByteArray::number(unavailable.load()));
    });
    // dqlite accepts its local socket only from its own process, so the test asks here.
    while (std::getline(std::cin, line) && line != "quit") {
        if (line == "leader") {
            say("leader " + QByteArray::number((*node)->findLeader(2000).first));
        } else if (line.rfind("claim ", 0) == 0) {
            // "claim <rep> <claim id hex>": one claim, answered "claim G|H|V <holder> <ms>" or
            // "claim U <error code> <ms>".
            const QList<QByteArray> f = QByteArray::fromStdString(line).split(' ');
            VenueLedger ledger(**node);
            QElapsedTimer t;
            t.start();
            auto outcome = ledger.claim(session, QString::fromUtf8(f.value(1)), QByteArray::fromHex(f.value(2)));
            const QByteArray ms = QByteArray::number(t.elapsed());
            if (!outcome)
                say("claim U " + outcome.error().code.toUtf8() + ' ' + ms);
            else
                say(QByteArray("claim ")
                    + (outcome->claim == kiosk::CheckInLedger::Claim::Granted    ? "G "
                           : outcome->claim == kiosk::CheckInLedger::Claim::Held ? "H "
                                                                                 : "V ")
                    + outcome->holder.toUtf8() + ' ' + ms);
        } else if (line == "isolate on" || line == "isolate off") {
            (*node)->setIsolated(line == "isolate on");
            say((*node)->isolated() ? "isolated on" : "isolated off");
        } else if (line == "table") {
            VenueLedger ledger(**node);
            auto rows = ledger.all();
            QByteArray dump = "table " + QByteArray::number(rows ? rows->size() : -1);
            if (rows)
                for (const SharedCheckIn &r : *rows)
                    dump += ' ' + r.repId.toUtf8() + ',' + r.kioskId.toUtf8() + ',' + r.claimId.toHex() + ','
                        + (r.voted ? "voted" : "active");
            say(dump);
        }
    }
    finisher.join();
    return 0;
}
