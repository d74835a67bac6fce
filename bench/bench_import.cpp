// bench_import: the tallying office's import + tally against the bare cryptography it
// cannot avoid, measured in the same run on the same batches.
//
//   baseline  = verify every signature (kiosk certificates, batches, audit events, records)
//               and open every sealed thing once (file keys, record streams, every sealed
//               record with the election key, into a reused buffer), on all cores, nothing else
//   measured  = hq::importBatchBytes (every check import makes, SQLite, archive copies)
//               + hq::computeTally + writeTallyFiles (results.json and CSV files)
//
// Scenario 1: a full Qingdao day (3030 representatives, the three public groups at all
// 11 venues, several kiosks per venue, ~100 batches); goal import + tally <= 1.3 x baseline.
// Scenario 2: 100 000 ballots end to end at the office (import + tally); goal < 15 s.
//
// Batches are made with core primitives (sealRecord + writeBatch with kiosk keys the HQ
// certified, a signed audit log), not through the kiosk service: casting through the
// service fsyncs every ballot, which would measure the kiosk's disk instead. Their format
// is exactly what a kiosk exports (tests/hq/test_tally_e2e checks the service's batches).
//
// Usage: bench_import [--quick] [--runs N] [--threads N]

#include "audit.h"
#include "ballot.h"
#include "batch.h"
#include "crypto.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "importer.h"
#include "parallel.h"
#include "resultsreport.h"
#include "roster.h"
#include "tally.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sodium.h>
#include <sys/resource.h>

using namespace pingyi;

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

/// CPU time of the whole process (all threads), user + system.
double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

template<typename T> T must(Result<T> r, const char *what)
{
    if (!r)
        qFatal("%s: %s", what, qPrintable(r.error().toString()));
    return std::move(r).value();
}

void must(const Status &s, const char *what)
{
    if (!s)
        qFatal("%s: %s", what, qPrintable(s.error().toString()));
}

struct Stats {
    QList<double> values;
    double p50() const
    {
        QList<double> v = values;
        std::sort(v.begin(), v.end());
        return v.isEmpty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    }
    double min() const { return *std::min_element(values.cbegin(), values.cend()); }
    double max() const { return *std::max_element(values.cbegin(), values.cend()); }
    QString text() const
    {
        return QStringLiteral("p50 %1 s  (min %2, max %3, n=%4)")
            .arg(p50(), 0, 'f', 3)
            .arg(min(), 0, 'f', 3)
            .arg(max(), 0, 'f', 3)
            .arg(values.size());
    }
};

void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = QDir(to).filePath(QDir(from).relativeFilePath(src));
        if (it.fileInfo().isDir())
            QDir().mkpath(dst);
        else
            QFile::copy(src, dst);
    }
}

/// Open, close and export events, chained and signed as a kiosk's audit log is.
QByteArray auditLog(const crypto::SigningKey &key, const QString &session)
{
    AuditChain chain(key);
    for (const char *event : {"session-opened", "session-closed", "session-exported"})
        chain.add(QStringLiteral("2025-12-20T09:00:00Z"), QLatin1String(event), {{QStringLiteral("session"), session}});
    return chain.toJsonLines();
}

struct Kiosk {
    QString id;
    QString venue;
    crypto::SigningKey key;
    QByteArray certificate;
};

/// examples/qingdao-2025/activity.json, looked for upwards from the working directory and
/// from the executable (scripts/bench runs from the source tree; the build is inside it).
QString exampleSpec()
{
    const QString rel = QStringLiteral("examples/qingdao-2025/activity.json");
    for (QString start : {QDir::currentPath(), QCoreApplication::applicationDirPath()}) {
        QDir d(start);
        do {
            if (QFile::exists(d.filePath(rel)))
                return d.filePath(rel);
        } while (d.cdUp());
    }
    qFatal("cannot find %s above the working directory or the executable", qPrintable(rel));
}

struct BatchPlan {
    int kiosk = 0;
    QString session;
    QStringList voted;
    QStringList released;
    int suggestions = 0;
};

struct Day {
    QString pristine; ///< HQ directory with roster and kiosks, nothing imported
    QList<QByteArray> batches;
    QList<SealedRecord> records; ///< every record with its batch's context, for the baseline
    QList<SessionContext> contexts;
    QList<QByteArray> kioskKeys;
    qint64 ballots = 0;
    qint64 suggestions = 0;
    double generation = 0;
};

Day prepare(const QString &dir, double scale, int kiosksPerVenue, quint64 seed, int threads)
{
    Day day;
    day.pristine = QDir(dir).filePath(QStringLiteral("pristine"));
    const crypto::SecretBytes pass = crypto::SecretBytes::copyOf("bench passphrase");
    must(hq::Hq::init(day.pristine, pass, crypto::KdfStrength::interactive()), "init");
    auto h = must(hq::Hq::open(day.pristine), "open");
    const QString spec = exampleSpec();
    const Activity activity = must(Activity::fromJson(must(readFile(spec), "spec"), spec), "activity");
    must(h.setActivity(activity), "set activity");
    const QByteArray csv = synthRoster(activity, seed, scale);
    const hq::Secrets secrets = must(h.unlock(pass), "unlock");
    must(h.importRoster(csv, QStringLiteral("roster.csv"), secrets), "roster");
    const QList<RosterEntry> roster = must(parseRoster(csv, activity, QStringLiteral("roster.csv")), "parse roster");

    std::vector<Kiosk> kiosks;
    for (const Venue &v : activity.venues)
        for (int k = 1; k <= kiosksPerVenue; ++k) {
            Kiosk kiosk {QStringLiteral("%1-%2").arg(v.code).arg(k), v.code, crypto::SigningKey::generate(), {}};
            kiosk.certificate = must(
                h.certifyKiosk(EnrolmentRequest::create(kiosk.key, kiosk.id), v.code, secrets, nullptr), "certify");
            kiosks.push_back(std::move(kiosk));
        }

    // Who comes: 97 % of the invited, 2 % of them leave without voting, a quarter leave a
    // suggestion; spread over the venue's kiosks.
    std::mt19937_64 rng(seed);
    QList<BatchPlan> plans;
    for (const QString &session : {QStringLiteral("econ"), QStringLiteral("service"), QStringLiteral("enforcement")})
        for (int v = 0; v < activity.venues.size(); ++v) {
            QList<BatchPlan> venuePlans(kiosksPerVenue);
            for (int k = 0; k < kiosksPerVenue; ++k)
                venuePlans[k] = {v * kiosksPerVenue + k, session, {}, {}, 0};
            for (const RosterEntry &e : roster) {
                if (e.venue != activity.venues[v].code || !e.sessions.contains(session) || rng() % 100 < 3)
                    continue;
                BatchPlan &p = venuePlans[int(rng() % quint64(kiosksPerVenue))];
                if (rng() % 100 < 2) {
                    p.released << e.repId;
                } else {
                    p.voted << e.repId;
                    p.suggestions += rng() % 4 == 0 ? 1 : 0;
                }
            }
            for (const BatchPlan &p : venuePlans)
                if (!p.voted.isEmpty())
                    plans.append(p);
        }

    const auto start = Clock::now();
    struct Job {
        int plan;
        RecordKind kind;
        quint64 seed;
    };
    QList<Job> jobs;
    for (int p = 0; p < plans.size(); ++p) {
        for (int i = 0; i < plans[p].voted.size(); ++i)
            jobs.append({p, RecordKind::Ballot, quint64(jobs.size())});
        for (int i = 0; i < plans[p].suggestions; ++i)
            jobs.append({p, RecordKind::Suggestion, quint64(jobs.size())});
    }
    auto contextOf = [&](const BatchPlan &p) {
        const Kiosk &k = kiosks[std::size_t(p.kiosk)];
        return SessionContext {activity.id, k.venue, k.id, p.session, false};
    };
    QList<SealedRecord> sealed(jobs.size());
    hq::parallelFor(jobs.size(), threads, [&](qsizetype begin, qsizetype end, int) {
        for (qsizetype i = begin; i < end; ++i) {
            const Job &j = jobs[i];
            const BatchPlan &p = plans[j.plan];
            const GroupSession &g = *activity.session(p.session);
            std::mt19937_64 r(j.seed * 7919 + seed);
            QByteArray plain;
            if (j.kind == RecordKind::Ballot) {
                BallotAnswers b;
                b.session = p.session;
                static const int weights[] = {55, 25, 12, 8};
                for (const Department &d : g.departments) {
                    int roll = int(r() % 100), option = 0;
                    while (option < 3 && roll >= weights[option])
                        roll -= weights[option++];
                    b.ratings.insert(d.code, activity.scale[option].code);
                }
                for (const Question &q : activity.questionnaire)
                    b.questionnaire.insert(q.code, {q.choices[int(r() % quint64(q.choices.size()))].code});
                for (const Question &q : activity.discipline)
                    b.discipline.insert(q.code, {q.choices[r() % 25 == 0 ? 0 : q.choices.size() - 1].code});
                plain = encodeBallot(activity.id, b);
            } else {
                const Department &d = g.departments[int(r() % quint64(g.departments.size()))];
                plain = encodeSuggestion(activity.id,
                                         {p.session, activity.suggestionTopics.first().code, d.code,
                                          QStringLiteral("希望%1进一步改进工作。").arg(d.name)});
            }
            sealed[i] = sealRecord(contextOf(p), j.kind, plain, h.electionPublicKey(),
                                   kiosks[std::size_t(plans[j.plan].kiosk)].key);
        }
    });
    QList<BatchContent> contents(plans.size());
    for (int p = 0; p < plans.size(); ++p) {
        BatchContent &c = contents[p];
        c.header.context = contextOf(plans[p]);
        c.header.kioskCertificate = kiosks[std::size_t(plans[p].kiosk)].certificate;
        c.header.counts = {plans[p].voted.size() + plans[p].released.size(), plans[p].voted.size(),
                           plans[p].released.size(), plans[p].suggestions};
        for (const QString &rep : plans[p].voted)
            c.checkins.append({rep, true});
        for (const QString &rep : plans[p].released)
            c.checkins.append({rep, false});
        c.auditLog = auditLog(kiosks[std::size_t(plans[p].kiosk)].key, plans[p].session);
    }
    for (int i = 0; i < jobs.size(); ++i) {
        contents[jobs[i].plan].records.append(sealed[i]);
        day.records.append(sealed[i]);
        day.contexts.append(contents[jobs[i].plan].header.context);
        day.kioskKeys.append(kiosks[std::size_t(plans[jobs[i].plan].kiosk)].key.publicKey());
        (jobs[i].kind == RecordKind::Ballot ? day.ballots : day.suggestions) += 1;
    }
    day.batches.resize(plans.size());
    hq::parallelFor(
        plans.size(), threads,
        [&](qsizetype begin, qsizetype end, int) {
            for (qsizetype p = begin; p < end; ++p)
                day.batches[p] = writeBatch(contents[p], kiosks[std::size_t(plans[p].kiosk)].key, h.electionPublicKey(),
                                            h.archivePublicKey());
        },
        1);
    day.generation = seconds(start, Clock::now());
    return day;
}

/// Verify every signature (kiosk certificates, batches, audit events, records) and open
/// every sealed thing once (each batch's file key and record stream, every record): the
/// cryptography any import + tally must do at least once, and nothing else.
double baseline(const Day &day, const QByteArray &rootKey, const crypto::BoxKeyPair &archive,
                const crypto::BoxKeyPair &election, int threads, double *cpu, double parts[3])
{
    std::atomic<qint64> failures {0};
    const double cpu0 = cpuSeconds();
    const auto start = Clock::now();
    hq::parallelFor(
        day.batches.size(), threads,
        [&](qsizetype begin, qsizetype end, int) {
            for (qsizetype i = begin; i < end; ++i) {
                auto file = readBatch(day.batches[i]);
                auto cert = KioskCertificate::verify(file->header.kioskCertificate, rootKey,
                                                     file->header.context.activityId, file->header.context.venue);
                if (!cert || !verifyBatchSignature(*file, cert->signPublicKey)) {
                    ++failures;
                    continue;
                }
                auto key = openBatchKey(*file, archive, false);
                auto content = key ? decryptBatch(*file, *key) : Result<BatchContent>(key.error());
                auto events
                    = content ? AuditLog::fromJsonLines(content->auditLog) : Result<QList<AuditEvent>>(content.error());
                if (!events || !AuditLog::verify(*events, cert->signPublicKey))
                    ++failures;
            }
        },
        1);
    // The floor: libsodium's open into one reused buffer per thread (no allocation per record).
    std::vector<crypto::SecretBytes> buffers;
    for (int t = 0; t < threads; ++t)
        buffers.emplace_back(std::size_t(64 * 1024));
    const auto batchesDone = Clock::now();
    hq::parallelFor(day.records.size(), threads, [&](qsizetype begin, qsizetype end, int) {
        for (qsizetype i = begin; i < end; ++i)
            if (!verifyRecord(day.contexts[i], day.records[i], day.kioskKeys[i]))
                ++failures;
    });
    const auto signaturesDone = Clock::now();
    hq::parallelFor(day.records.size(), threads, [&](qsizetype begin, qsizetype end, int worker) {
        unsigned char *out = buffers[std::size_t(worker)].data();
        for (qsizetype i = begin; i < end; ++i) {
            const QByteArray &sealed = day.records[i].sealed;
            if (crypto_box_seal_open(
                    out, reinterpret_cast<const unsigned char *>(sealed.constData()), std::size_t(sealed.size()),
                    reinterpret_cast<const unsigned char *>(election.publicKey().constData()), election.secret().data())
                != 0)
                ++failures;
        }
    });
    const auto end = Clock::now();
    const double t = seconds(start, end);
    *cpu = cpuSeconds() - cpu0;
    parts[0] = seconds(start, batchesDone);
    parts[1] = seconds(batchesDone, signaturesDone);
    parts[2] = seconds(signaturesDone, end);
    if (failures)
        qFatal("baseline: %lld checks failed", static_cast<long long>(failures.load()));
    return t;
}

struct OfficeTimes {
    double import = 0;
    double tally = 0;
    double pdf = 0;
    double cpuImport = 0;
    double cpuTally = 0;
};

OfficeTimes office(const Day &day, const QString &workDir, const crypto::BoxKeyPair &archive,
                   const crypto::BoxKeyPair &election, int threads, bool pdf)
{
    copyDir(day.pristine, workDir);
    auto h = must(hq::Hq::open(workDir), "open copy");
    const Activity activity = must(h.activity(), "activity");
    hq::ImportOptions options;
    options.threads = threads;
    OfficeTimes t;
    const double cpu0 = cpuSeconds();
    const auto a = Clock::now();
    auto summary = must(hq::importBatchBytes(h, archive, day.batches, {}, options), "import");
    const auto b = Clock::now();
    const double cpu1 = cpuSeconds();
    auto results = must(hq::computeTally(h, election, {threads, {}}), "tally");
    must(hq::writeTallyFiles(results, activity, QDir(workDir).filePath(QStringLiteral("results"))), "write");
    const auto c = Clock::now();
    t.cpuImport = cpu1 - cpu0;
    t.cpuTally = cpuSeconds() - cpu1;
    if (pdf)
        must(hq::renderResultsPdf(results, activity, QDir(workDir).filePath(QStringLiteral("results/report.pdf"))),
             "pdf");
    const auto d = Clock::now();
    if (summary.imported() != day.batches.size() || summary.needsAttention())
        qFatal("import: %d of %lld imported", summary.imported(), static_cast<long long>(day.batches.size()));
    if (results.ballots != day.ballots || qint64(results.suggestions.size()) != day.suggestions)
        qFatal("tally: %lld ballots, expected %lld", static_cast<long long>(results.ballots),
               static_cast<long long>(day.ballots));
    t.import = seconds(a, b);
    t.tally = seconds(b, c);
    t.pdf = seconds(c, d);
    return t;
}

void line(const QString &s)
{
    std::printf("%s\n", qPrintable(s));
    std::fflush(stdout);
}

/// The 1-minute load average: other work on the machine shows in wall times.
double loadAverage()
{
    double load[1] = {0};
    return getloadavg(load, 1) == 1 ? load[0] : -1;
}

bool scenario(const QString &title, const QString &dir, double scale, int kiosksPerVenue, int runs, int threads,
              double goalRatio, double goalSeconds, bool pdf)
{
    Day day = prepare(dir, scale, kiosksPerVenue, 2025, threads);
    auto h = must(hq::Hq::open(day.pristine), "open");
    const crypto::SecretBytes pass = crypto::SecretBytes::copyOf("bench passphrase");
    const hq::Secrets secrets = must(h.unlock(pass), "unlock");
    const crypto::BoxKeyPair election = must(h.unlockElection(pass), "election");
    qint64 bytes = 0;
    for (const QByteArray &b : day.batches)
        bytes += b.size();
    line(QStringLiteral("%1: %2 batches, %3 ballots + %4 suggestions (%5 MB), %6 threads")
             .arg(title)
             .arg(day.batches.size())
             .arg(day.ballots)
             .arg(day.suggestions)
             .arg(double(bytes) / 1e6, 0, 'f', 1)
             .arg(threads));
    line(QStringLiteral("  making the batches (seal + sign + writeBatch, not compared): %1 s")
             .arg(day.generation, 0, 'f', 2));

    Stats base, imp, tal, both, pdfs, withPdf, baseCpu, bothCpu, impCpu, talCpu, baseParts[3];
    for (int r = 0; r < runs; ++r) {
        double cpu = 0, parts[3] = {0, 0, 0};
        base.values << baseline(day, h.rootPublicKey(), secrets.archive, election, threads, &cpu, parts);
        baseCpu.values << cpu;
        for (int k = 0; k < 3; ++k)
            baseParts[k].values << parts[k];
        const OfficeTimes t
            = office(day, QDir(dir).filePath(QStringLiteral("run-%1").arg(r)), secrets.archive, election, threads, pdf);
        imp.values << t.import;
        tal.values << t.tally;
        both.values << t.import + t.tally;
        pdfs.values << t.pdf;
        withPdf.values << t.import + t.tally + t.pdf;
        bothCpu.values << t.cpuImport + t.cpuTally;
        impCpu.values << t.cpuImport;
        talCpu.values << t.cpuTally;
    }
    const double ratio = both.p50() / base.p50();
    line(QStringLiteral("  baseline: verify every signature, open every sealed thing    %1").arg(base.text()));
    line(QStringLiteral("    of which: batches (certificate, signature, file key, stream, audit log) %1 s, record "
                        "signatures %2 s, record opens %3 s (p50 each)")
             .arg(baseParts[0].p50(), 0, 'f', 3)
             .arg(baseParts[1].p50(), 0, 'f', 3)
             .arg(baseParts[2].p50(), 0, 'f', 3));
    line(QStringLiteral("  import (all checks, SQLite, archive copies)                   %1").arg(imp.text()));
    line(QStringLiteral("  tally (open, decode, count, results.json + CSV)                %1").arg(tal.text()));
    line(QStringLiteral("  import + tally                                                 %1").arg(both.text()));
    line(
        QStringLiteral("  ratio import + tally / baseline (p50):  %1 x   (best runs: %4 x)   per ballot %2 ms vs %3 ms")
            .arg(ratio, 0, 'f', 2)
            .arg(both.p50() * 1000.0 / double(day.ballots), 0, 'f', 3)
            .arg(base.p50() * 1000.0 / double(day.ballots), 0, 'f', 3)
            .arg(both.min() / base.min(), 0, 'f', 2));
    line(QStringLiteral("  CPU time (all threads, p50): baseline %1 s, import %5 s + tally %6 s = %2 s = %3 x  (load "
                        "average now %4)")
             .arg(baseCpu.p50(), 0, 'f', 3)
             .arg(bothCpu.p50(), 0, 'f', 3)
             .arg(bothCpu.p50() / baseCpu.p50(), 0, 'f', 2)
             .arg(loadAverage(), 0, 'f', 2)
             .arg(impCpu.p50(), 0, 'f', 3)
             .arg(talCpu.p50(), 0, 'f', 3));
    bool ok = true;
    if (goalRatio > 0) {
        const bool met = ratio <= goalRatio;
        ok = ok && met;
        line(QStringLiteral("  goal ratio <= %1: %2")
                 .arg(goalRatio, 0, 'f', 2)
                 .arg(met ? QStringLiteral("met") : QStringLiteral("MISSED")));
    }
    if (goalSeconds > 0) {
        const bool met = both.p50() < goalSeconds;
        ok = ok && met;
        line(QStringLiteral("  goal import + tally < %1 s: %2 (p50 %3 s = %4 x the goal)")
                 .arg(goalSeconds, 0, 'f', 0)
                 .arg(met ? QStringLiteral("met") : QStringLiteral("MISSED"))
                 .arg(both.p50(), 0, 'f', 2)
                 .arg(both.p50() / goalSeconds, 0, 'f', 2));
    }
    if (pdf)
        line(QStringLiteral("  PDF report on top: %1; import + tally + PDF = %2 x baseline")
                 .arg(pdfs.text())
                 .arg(withPdf.p50() / base.p50(), 0, 'f', 2));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // fonts for the PDF report
    if (!crypto::init())
        return 1;
    const QStringList args = app.arguments();
    const bool quick = args.contains(QStringLiteral("--quick"));
    int runs = quick ? 1 : 5;
    if (const qsizetype i = args.indexOf(QStringLiteral("--runs")); i > 0 && i + 1 < args.size())
        runs = std::max(1, args[i + 1].toInt());
    int threads = hq::workerThreads(0);
    if (const qsizetype i = args.indexOf(QStringLiteral("--threads")); i > 0 && i + 1 < args.size())
        threads = std::max(1, args[i + 1].toInt());
    QTemporaryDir tmp(QDir::tempPath() + QStringLiteral("/bench_import-XXXXXX"));
    line(QStringLiteral("bench_import: the office's import + tally against verifying every signature and opening every "
                        "sealed record, same batches, same run"));
    // Scale 3: about 3030 representatives in each of the three public groups (the domain
    // brief: Qingdao 2025 had at least 3000 per group session).
    bool ok = scenario(QStringLiteral("Qingdao day (3 x 3030 representatives, 3 groups x 11 venues)"),
                       tmp.filePath(QStringLiteral("day")), 3.0, 3, runs, threads, 1.3, 0, true);
    if (!quick)
        ok = scenario(QStringLiteral("100 000 ballots"), tmp.filePath(QStringLiteral("100k")), 35.0, 3, 3, threads, 0,
                      15.0, false)
            && ok;
    return ok ? 0 : 1;
}
