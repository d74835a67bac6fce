// Casting a 15-department ballot (seal to the election key + kiosk signature + durable
// SQLite commit of check-in and ballot) against the physical floor measured in the same
// run: one plain durable SQLite insert of a row of the same size (WAL, synchronous=FULL).
// Prints p50/p99 of both and their ratio. Goal: p50 ratio <= 1.5. Also prints the time until
// the kiosk has folded the cast's write-ahead log into the database (docs/security.md §7),
// which happens after cast() returns.
// Usage: bench_cast [BALLOTS=600] [DIR=a temporary directory]

#include "benchstats.h"
#include "fileio.h"
#include "hq.h"
#include "kioskservice.h"
#include "roster.h"
#include "simulator.h"
#include "storage.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace pingyi;

namespace {
using bench::percentile;
[[noreturn]] void die(const QString &what, const Error &e)
{
    std::fprintf(stderr, "bench_cast: %s: %s\n", qPrintable(what), qPrintable(e.message));
    std::exit(1);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false"));
    const int n = argc > 1 ? std::max(50, atoi(argv[1])) : 600;
    QTemporaryDir tmp(argc > 2 ? QString::fromLocal8Bit(argv[2]) + QStringLiteral("/bench-XXXXXX") : QString());
    const auto pass = crypto::SecretBytes::copyOf("bench passphrase");
    const QString hqDir = tmp.filePath(QStringLiteral("hq"));
    if (auto r = hq::Hq::init(hqDir, pass, crypto::KdfStrength::interactive()); !r)
        die(QStringLiteral("init"), r.error());
    auto h = *hq::Hq::open(hqDir);
    auto secrets = *h.unlock(pass);
    auto activity
        = *Activity::fromJson(*readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json")),
                              QStringLiteral("activity.json"));
    (void)h.setActivity(activity);
    const double scale = n / 90.0 + 1;
    if (auto r = h.importRoster(synthRoster(activity, 5, scale), QStringLiteral("roster"), secrets); !r)
        die(QStringLiteral("roster"), r.error());
    const QString venue = QStringLiteral("shinan");
    SystemClock clock;
    auto kiosk
        = sim::enrolKiosk(h, secrets, venue, tmp.filePath(QStringLiteral("kiosk")), QStringLiteral("bench-1"), clock);
    if (!kiosk)
        die(QStringLiteral("enrol"), kiosk.error());
    auto pins = *h.issueStaffPins(venue);
    auto package = h.buildPackage(venue, secrets, nullptr);
    if (!package)
        die(QStringLiteral("package"), package.error());
    auto &k = **kiosk;
    if (auto s = k.loadPackage(*package); !s)
        die(QStringLiteral("load"), s.error());
    (void)k.login(pins[0].pin);
    const kiosk::SessionKey econ {QStringLiteral("econ"), false};
    if (auto r = k.openSession(econ); !r)
        die(QStringLiteral("open"), r.error());
    QStringList creds;
    for (const hq::Card &c : *h.cards(secrets, venue))
        if (c.sessions.contains(econ.code))
            creds << c.credential;
    if (creds.size() < n)
        die(QStringLiteral("roster"), makeError({}, QStringLiteral("not enough voters")));

    // The baseline: the same storage settings, one row of the ballot's size per commit.
    constexpr Migration plain[] = {{1, "CREATE TABLE t (id BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"}};
    auto base = Database::open(tmp.filePath(QStringLiteral("baseline.db")), plain);
    if (!base)
        die(QStringLiteral("baseline"), base.error());
    std::mt19937_64 rng(1);
    const GroupSession &group = *activity.session(econ.code);
    std::vector<double> castMs, foldedMs, insertMs, sealMs;
    const QByteArray electionPk = crypto::BoxKeyPair::generate().publicKey();
    const auto signer = crypto::SigningKey::generate();
    QElapsedTimer t;
    for (int i = 0; i < n; ++i) {
        // Interleave the two so both see the same disk and cache conditions.
        const QByteArray row = crypto::randomBytes(1024 + 48);
        t.start();
        {
            Database::Transaction tx(*base);
            auto st = base->prepare("INSERT INTO t (id, v) VALUES (?1, ?2)");
            (void)st->bind(1, crypto::hash(row)).bind(2, row).exec();
            (void)tx.commit();
        }
        insertMs.push_back(double(t.nsecsElapsed()) / 1e6);

        if (auto c = k.checkInCredential(creds[i]); !c)
            die(QStringLiteral("check-in"), c.error());
        BallotAnswers b;
        b.session = econ.code;
        for (const Department &d : group.departments)
            b.ratings.insert(d.code, activity.scale[int(rng() % activity.scale.size())].code);
        for (const Question &q : activity.questionnaire)
            b.questionnaire.insert(q.code, {q.choices[0].code});
        for (const Question &q : activity.discipline)
            b.discipline.insert(q.code, {q.choices.last().code});
        t.start();
        (void)sealRecord(k.context(econ), RecordKind::Ballot, encodeBallot(activity.id, b), electionPk, signer);
        sealMs.push_back(double(t.nsecsElapsed()) / 1e6);
        t.start();
        auto r = k.cast(b, {});
        castMs.push_back(double(t.nsecsElapsed()) / 1e6);
        (void)k.database(); // waits until the write-ahead log is folded into the database
        foldedMs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!r)
            die(QStringLiteral("cast"), r.error());
    }
    const double c50 = percentile(castMs, 0.5), c99 = percentile(castMs, 0.99);
    const double i50 = percentile(insertMs, 0.5), i99 = percentile(insertMs, 0.99);
    std::printf("cast of a %lld-department ballot, %d samples\n", qint64(group.departments.size()), n);
    std::printf("  cast (seal + sign + durable commit): p50 %.3f ms  p99 %.3f ms\n", c50, c99);
    std::printf("  baseline durable SQLite insert:      p50 %.3f ms  p99 %.3f ms\n", i50, i99);
    std::printf("  of which encode + seal + sign alone: p50 %.3f ms\n", percentile(sealMs, 0.5));
    std::printf("  ratio cast/baseline: p50 %.2f  p99 %.2f   (goal p50 <= 1.5)\n", c50 / i50, c99 / i99);
    std::printf("  cast until the write-ahead log is folded and empty (after the receipt): p50 %.3f ms, ratio %.2f\n",
                percentile(foldedMs, 0.5), percentile(foldedMs, 0.5) / i50);
    return 0;
}
