// End to end: the Qingdao example provisioned at a small roster scale, the three public
// groups simulated at three venues with two kiosks each on the real kiosk service,
// every batch imported (with its closing report), the tally checked figure by figure
// against the simulator's truth files, the output files checked, and the bulletin
// checked to hold exactly the receipts the kiosks issued.

#include "bulletin.h"
#include "bulletinpdf.h"
#include "hqtestutil.h"
#include "importer.h"
#include "resultsreport.h"
#include "simulator.h"
#include "tally.h"

#include <QFile>
#include <QGuiApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

const QStringList venues {QStringLiteral("main"), QStringLiteral("shinan"), QStringLiteral("shibei")};
const QStringList groups {QStringLiteral("econ"), QStringLiteral("service"), QStringLiteral("enforcement")};

struct Expected {
    qint64 ballots = 0;
    QMap<QString, QMap<QString, qint64>> ratings; ///< department -> option -> count
    QMap<QString, QMap<QString, qint64>> questionnaire; ///< question -> choice -> count
    QMap<QString, qint64> questionnaireAnswered;
    QMap<QString, QMap<QString, qint64>> discipline;
    QMap<QString, qint64> disciplineAnswered;

    void add(const QJsonObject &ballot)
    {
        ++ballots;
        const QJsonObject r = ballot.value(QLatin1String("ratings")).toObject();
        for (auto it = r.begin(); it != r.end(); ++it)
            ++ratings[it.key()][it.value().toString()];
        auto answers
            = [](const QJsonObject &o, QMap<QString, QMap<QString, qint64>> &counts, QMap<QString, qint64> &answered) {
                  for (auto it = o.begin(); it != o.end(); ++it) {
                      const QJsonArray choices = it.value().toArray();
                      if (choices.isEmpty())
                          continue;
                      ++answered[it.key()];
                      for (const QJsonValue &c : choices)
                          ++counts[it.key()][c.toString()];
                  }
              };
        answers(ballot.value(QLatin1String("questionnaire")).toObject(), questionnaire, questionnaireAnswered);
        answers(ballot.value(QLatin1String("discipline")).toObject(), discipline, disciplineAnswered);
    }
};

const hq::SessionResult &sessionOf(const hq::TallyResults &r, const QString &code)
{
    for (const hq::SessionResult &s : r.sessions)
        if (s.code == code)
            return s;
    qFatal("no session %s", qPrintable(code));
}

void compareQuestions(const QList<hq::QuestionResult> &got, const QMap<QString, QMap<QString, qint64>> &counts,
                      const QMap<QString, qint64> &answered)
{
    for (const hq::QuestionResult &q : got) {
        QCOMPARE(q.answered, answered.value(q.code));
        for (const hq::ChoiceCount &c : q.choices)
            QCOMPARE(c.count, counts.value(q.code).value(c.code));
    }
}

} // namespace

class TestTallyE2E : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_hqDir;
    Activity m_activity;
    QList<RosterEntry> m_roster;
    QList<QJsonObject> m_truths;
    QStringList m_batches;
    QStringList m_closingReports;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    std::optional<hq::TallyResults> m_results;
    QString m_out;

    /// Simulated voters per venue and group: everyone invited but one to three; six at
    /// the main venue's econ session so its breakdown falls below the threshold.
    int voters(const QString &venue, const QString &group) const
    {
        int pool = 0;
        for (const RosterEntry &e : m_roster)
            pool += e.venue == venue && e.sessions.contains(group) ? 1 : 0;
        if (venue == QLatin1String("main") && group == QLatin1String("econ"))
            return std::min(pool, 6);
        return pool - 1 - int(venues.indexOf(venue));
    }

    Expected expected(const QString &group, const QString &venue = {}) const
    {
        Expected e;
        for (const QJsonObject &t : m_truths)
            if (t.value(QLatin1String("session")).toString() == group
                && (venue.isEmpty() || t.value(QLatin1String("venue")).toString() == venue))
                for (const QJsonValue &b : t.value(QLatin1String("ballots")).toArray())
                    e.add(b.toObject());
        return e;
    }

    qint64 truthSum(const QString &group, const QString &venue, const char *field) const
    {
        qint64 n = 0;
        for (const QJsonObject &t : m_truths)
            if (t.value(QLatin1String("session")).toString() == group
                && t.value(QLatin1String("venue")).toString() == venue) {
                if (qstrcmp(field, "voters") == 0)
                    n += t.value(QLatin1String("voters")).toInteger();
                else if (qstrcmp(field, "released") == 0)
                    n += t.value(QLatin1String("released")).toInteger();
                else
                    n += t.value(QLatin1String("ballots")).toArray().size();
            }
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_hqDir = m_tmp.filePath(QStringLiteral("hq"));
        m_activity = exampleActivity();
        const QByteArray csv = makeHq(m_hqDir, m_activity, 0.3, 2025);
        m_roster = must(parseRoster(csv, m_activity, QStringLiteral("roster.csv")), "roster");
        quint64 seed = 100;
        for (const QString &group : groups)
            for (const QString &venue : venues) {
                sim::Options o;
                o.hqDir = m_hqDir;
                o.venue = venue;
                o.session = group;
                o.kiosks = 2;
                o.voters = voters(venue, group);
                o.outDir = m_tmp.filePath(QStringLiteral("sim-%1-%2").arg(venue, group));
                o.seed = ++seed;
                auto out = must(sim::run(o, passphrase()), "simulate");
                m_truths.append(out.truth);
                m_batches += out.batches;
                for (const QJsonValue &k : out.truth.value(QLatin1String("kiosks")).toArray())
                    m_closingReports << k.toObject().value(QLatin1String("closing_report")).toString();
            }
        QCOMPARE(m_batches.size(), 18);
        auto h = must(hq::Hq::open(m_hqDir), "open");
        m_secrets.emplace(must(h.unlock(passphrase()), "unlock"));
        m_election.emplace(must(h.unlockElection(passphrase()), "election"));

        hq::ImportOptions options;
        options.closingReports = m_closingReports;
        int progressCalls = 0;
        options.progress = [&](int done, int total, qint64) {
            ++progressCalls;
            QCOMPARE(total, 18);
            QCOMPARE(done, progressCalls);
        };
        auto summary = must(hq::importBatches(h, m_secrets->archive, m_batches, options), "import");
        QCOMPARE(summary.imported(), 18);
        QCOMPARE(progressCalls, 18);
        QVERIFY(summary.unmatchedReports.isEmpty());
        for (const hq::BatchReport &b : summary.batches) {
            QVERIFY2(!b.needsAttention(), qPrintable(QJsonDocument(b.toJson()).toJson()));
            QVERIFY(!b.closingReport.isEmpty());
        }
        m_results.emplace(must(hq::computeTally(h, *m_election, {}), "tally"));
        m_out = m_tmp.filePath(QStringLiteral("results"));
        must(hq::writeTallyFiles(*m_results, m_activity, m_out), "write results");
        must(hq::renderResultsPdf(*m_results, m_activity, QDir(m_out).filePath(QStringLiteral("report.pdf"))), "pdf");
    }

    void ballotsPerGroup()
    {
        qint64 all = 0;
        for (const QString &group : groups) {
            const hq::SessionResult &s = sessionOf(*m_results, group);
            QVERIFY(s.held);
            QCOMPARE(s.ballots, expected(group).ballots);
            all += s.ballots;
        }
        QVERIFY(!sessionOf(*m_results, QStringLiteral("internal")).held);
        QCOMPARE(m_results->ballots, all);
        QVERIFY(m_results->rejected.isEmpty());
        QVERIFY(m_results->quarantined.isEmpty());
        QVERIFY(m_results->duplicates.isEmpty());
        QVERIFY(m_results->unexpected.isEmpty());
    }

    void departmentFigures()
    {
        for (const QString &group : groups) {
            const Expected e = expected(group);
            const hq::SessionResult &s = sessionOf(*m_results, group);
            QCOMPARE(s.departments.size(), m_activity.session(group)->departments.size());
            QMap<QString, qint64> scoreSums;
            for (const hq::DepartmentResult &d : s.departments) {
                qint64 sum = 0, satisfied = 0;
                for (int o = 0; o < m_activity.scale.size(); ++o) {
                    const RatingOption &opt = m_activity.scale[o];
                    const qint64 n = e.ratings.value(d.code).value(opt.code);
                    QCOMPARE(d.counts[o], n);
                    sum += n * opt.score;
                    satisfied += opt.score >= 80 ? n : 0;
                }
                QCOMPARE(d.ballots, e.ballots);
                QCOMPARE(d.scoreSum, sum);
                QCOMPARE(d.satisfied, satisfied);
                QVERIFY(qFuzzyCompare(d.weightedScore(), double(sum) / double(e.ballots)));
                QVERIFY(qFuzzyCompare(d.satisfactionRate(), double(satisfied) / double(e.ballots)));
                scoreSums.insert(d.code, sum);
            }
            // Rank: one more than the number of departments with a strictly higher score.
            for (const hq::DepartmentResult &d : s.departments) {
                int better = 0;
                for (qint64 other : scoreSums)
                    better += other > scoreSums.value(d.code) ? 1 : 0;
                QCOMPARE(d.rank, better + 1);
            }
            for (qsizetype i = 1; i < s.departments.size(); ++i)
                QVERIFY(s.departments[i - 1].rank <= s.departments[i].rank);
        }
    }

    void questionnaireAndDiscipline()
    {
        Expected all;
        for (const QString &group : groups) {
            const Expected e = expected(group);
            const hq::SessionResult &s = sessionOf(*m_results, group);
            compareQuestions(s.questionnaire, e.questionnaire, e.questionnaireAnswered);
            compareQuestions(s.discipline, e.discipline, e.disciplineAnswered);
            for (const QJsonObject &t : m_truths)
                if (t.value(QLatin1String("session")).toString() == group)
                    for (const QJsonValue &b : t.value(QLatin1String("ballots")).toArray())
                        all.add(b.toObject());
        }
        compareQuestions(m_results->questionnaireAll, all.questionnaire, all.questionnaireAnswered);
    }

    void venueBreakdownRespectsTheThreshold()
    {
        const int threshold = m_activity.tally.anonymityThreshold;
        for (const QString &group : groups) {
            const hq::SessionResult &s = sessionOf(*m_results, group);
            QSet<QString> covered;
            for (const hq::VenueGroup &g : s.byVenue) {
                QVERIFY2(g.ballots >= threshold, qPrintable(group));
                Expected e;
                for (const QString &v : g.venues) {
                    QVERIFY(!covered.contains(v));
                    covered.insert(v);
                    const Expected part = expected(group, v);
                    for (const QJsonObject &t : m_truths)
                        if (t.value(QLatin1String("session")).toString() == group
                            && t.value(QLatin1String("venue")).toString() == v)
                            for (const QJsonValue &b : t.value(QLatin1String("ballots")).toArray())
                                e.add(b.toObject());
                    QVERIFY(g.merged || part.ballots >= threshold);
                }
                QCOMPARE(g.ballots, e.ballots);
                for (const hq::DepartmentResult &d : g.departments)
                    for (int o = 0; o < m_activity.scale.size(); ++o)
                        QCOMPARE(d.counts[o], e.ratings.value(d.code).value(m_activity.scale[o].code));
                compareQuestions(g.discipline, e.discipline, e.disciplineAnswered);
            }
            if (!s.byVenue.isEmpty())
                QCOMPARE(covered, QSet<QString>(venues.cbegin(), venues.cend()));
        }
        // Six ballots at the main venue's econ session are never shown on their own.
        QVERIFY(!sessionOf(*m_results, QStringLiteral("econ")).byVenue.isEmpty());
        for (const hq::VenueGroup &g : sessionOf(*m_results, QStringLiteral("econ")).byVenue)
            if (g.venues.contains(QStringLiteral("main")))
                QVERIFY(g.merged && g.venues.size() >= 2);
    }

    void attendanceAndIntake()
    {
        for (const QString &group : groups) {
            const hq::SessionResult &s = sessionOf(*m_results, group);
            qint64 invitedAll = 0, presentAll = 0;
            for (const hq::AttendanceRow &row : s.attendanceByVenue) {
                qint64 invited = 0;
                for (const RosterEntry &e : m_roster)
                    invited += e.venue == row.code && e.sessions.contains(group) ? 1 : 0;
                QCOMPARE(row.invited, invited);
                const bool simulated = venues.contains(row.code);
                QCOMPARE(row.noBatch, !simulated);
                QCOMPARE(row.present, simulated ? truthSum(group, row.code, "voters") : 0);
                QCOMPARE(row.voted, simulated ? truthSum(group, row.code, "ballots") : 0);
                invitedAll += row.invited;
                presentAll += row.present;
            }
            QCOMPARE(s.attendance.invited, invitedAll);
            QCOMPARE(s.attendance.present, presentAll);
            qint64 byCategoryInvited = 0, byCategoryPresent = 0;
            for (const hq::AttendanceRow &row : s.attendanceByCategory) {
                qint64 invited = 0;
                for (const RosterEntry &e : m_roster)
                    invited += e.category == row.code && e.sessions.contains(group) ? 1 : 0;
                QCOMPARE(row.invited, invited);
                byCategoryInvited += row.invited;
                byCategoryPresent += row.present;
            }
            QCOMPARE(byCategoryInvited, invitedAll);
            QCOMPARE(byCategoryPresent, presentAll);
            QStringList missing;
            for (const Venue &v : m_activity.venues)
                if (!venues.contains(v.code))
                    missing << v.code;
            QCOMPARE(s.missingVenues, missing);
            for (const hq::IntakeRow &row : s.intake) {
                if (!venues.contains(row.venue))
                    continue;
                QCOMPARE(row.batches, 2);
                QCOMPARE(row.votedCheckins, truthSum(group, row.venue, "ballots"));
                QCOMPARE(row.valid, row.votedCheckins);
                QCOMPARE(row.headerBallots, row.valid);
                QCOMPARE(row.released, truthSum(group, row.venue, "released"));
                QCOMPARE(row.checkins, row.valid + row.released);
            }
        }
    }

    void suggestionsForFollowUp()
    {
        QStringList expectedRows, got;
        for (const QJsonObject &t : m_truths)
            for (const QJsonValue &v : t.value(QLatin1String("suggestions")).toArray()) {
                const QJsonObject s = v.toObject();
                expectedRows << QStringList {t.value(QLatin1String("session")).toString(),
                                             s.value(QLatin1String("topic")).toString(),
                                             s.value(QLatin1String("department")).toString(),
                                             s.value(QLatin1String("text")).toString()}
                                    .join(QLatin1Char('|'));
            }
        for (const hq::SuggestionRow &s : m_results->suggestions)
            got << QStringList {s.session, s.topic, s.department, s.text}.join(QLatin1Char('|'));
        expectedRows.sort();
        got.sort();
        QCOMPARE(got, expectedRows);
        QVERIFY(!got.isEmpty());

        // One CSV per target department (and per group for the rest); rows add up.
        qint64 rows = 0;
        const QDir dir(QDir(m_out).filePath(QStringLiteral("suggestions")));
        for (const QString &f : dir.entryList({QStringLiteral("*.csv")}, QDir::Files)) {
            const QByteArray bytes = must(readFile(dir.filePath(f)), "csv");
            QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
            if (f != QLatin1String("all.csv"))
                rows += bytes.count("\r\n") - 1;
            if (!f.startsWith(QLatin1String("general-")) && f != QLatin1String("all.csv"))
                QVERIFY2(m_activity.department(f.chopped(4)), qPrintable(f));
        }
        QCOMPARE(rows, qint64(expectedRows.size()));
    }

    void outputFiles()
    {
        const QJsonObject json
            = QJsonDocument::fromJson(must(readFile(QDir(m_out).filePath(QStringLiteral("results.json"))), "json"))
                  .object();
        QCOMPARE(json.value(QLatin1String("format")).toString(), QStringLiteral("pingyi-results/v1"));
        QCOMPARE(json.value(QLatin1String("ballots")).toInteger(), m_results->ballots);
        QCOMPARE(json.value(QLatin1String("anonymity_threshold")).toInt(), 10);
        for (const char *name : {"departments.csv", "departments_by_venue.csv", "attendance.csv", "questionnaire.csv",
                                 "discipline.csv", "intake.csv", "checkins_duplicate.csv", "batches.csv"}) {
            const QByteArray csv = must(readFile(QDir(m_out).filePath(QLatin1String(name))), name);
            QVERIFY2(csv.startsWith("\xEF\xBB\xBF"), name);
            QVERIFY2(csv.contains("\r\n"), name);
        }
        const QByteArray departments
            = must(readFile(QDir(m_out).filePath(QStringLiteral("departments.csv"))), "departments");
        qsizetype rows = 0;
        for (const QString &g : groups)
            rows += m_activity.session(g)->departments.size();
        QCOMPARE(departments.count("\r\n"), rows + 1);
        const QByteArray pdf = must(readFile(QDir(m_out).filePath(QStringLiteral("report.pdf"))), "pdf");
        QVERIFY(pdf.startsWith("%PDF"));
        QVERIFY(pdf.size() > 20000);
        // The report as a reader sees it: every group held and every one of its departments.
        if (!QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()) {
            QProcess p;
            p.start(QStringLiteral("pdftotext"),
                    {QStringLiteral("-enc"), QStringLiteral("UTF-8"),
                     QDir(m_out).filePath(QStringLiteral("report.pdf")), QStringLiteral("-")});
            QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
            const QString text = QString::fromUtf8(p.readAllStandardOutput());
            for (const QString &g : groups) {
                const GroupSession *s = m_activity.session(g);
                QVERIFY2(text.contains(s->name), qPrintable(s->name));
                for (const Department &d : s->departments)
                    QVERIFY2(text.contains(d.name), qPrintable(d.name));
            }
        }
        // Nothing in the outputs ties a ballot to a representative: no representative id
        // appears anywhere but the duplicate list (empty here).
        const QByteArray all = QJsonDocument(json).toJson();
        for (const RosterEntry &e : m_roster.mid(0, 50))
            QVERIFY2(!all.contains(e.repId.toUtf8() + '"'), qPrintable(e.repId));
    }

    void bulletinHoldsExactlyTheReceipts()
    {
        auto h = must(hq::Hq::open(m_hqDir), "open");
        const hq::Bulletin b = must(hq::buildBulletin(h), "bulletin");
        QCOMPARE(b.total, m_results->ballots);
        QMap<QString, QStringList> issued;
        for (const QJsonObject &t : m_truths)
            for (const QJsonValue &k : t.value(QLatin1String("kiosks")).toArray())
                for (const QJsonValue &r : k.toObject().value(QLatin1String("receipts")).toArray())
                    issued[t.value(QLatin1String("venue")).toString()] << r.toString();
        QCOMPARE(b.venues.size(), issued.size());
        for (const hq::BulletinVenue &v : b.venues) {
            QStringList want = issued.value(v.code);
            want.sort();
            QCOMPARE(v.receipts, want);
        }
        const QString text = QString::fromUtf8(hq::bulletinText(b));
        QVERIFY(text.contains(b.digest));
        for (const QString &forbidden : {QStringLiteral("econ"), QStringLiteral("satisfied")})
            QVERIFY2(!text.contains(forbidden), qPrintable(forbidden)); // no groups, no ballot contents
        for (const QString &ext : {QStringLiteral("txt"), QStringLiteral("json"), QStringLiteral("pdf")})
            must(hq::writeBulletinFile(b, QDir(m_out).filePath(QStringLiteral("bulletin.") + ext)), "write bulletin");
        const QJsonObject j
            = QJsonDocument::fromJson(must(readFile(QDir(m_out).filePath(QStringLiteral("bulletin.json"))), "json"))
                  .object();
        QCOMPARE(j.value(QLatin1String("ballots")).toInteger(), b.total);
    }

    void storedIdsAreWhatTheKioskSigned()
    {
        // Nothing was quarantined, so each batch's stored id list hashes to its signed digest.
        auto h = must(hq::Hq::open(m_hqDir), "open");
        auto st
            = must(h.db().prepare("SELECT ballot_ids, ballot_digest, suggestion_ids, suggestion_digest, checkin_list, "
                                  "checkin_digest, archive_file FROM batch"),
                   "query");
        int rows = 0;
        while (*st.next()) {
            ++rows;
            QCOMPARE(crypto::hash(st.blob(0)), st.blob(1));
            QCOMPARE(crypto::hash(st.blob(2)), st.blob(3));
            QCOMPARE(crypto::hash(st.blob(4)), st.blob(5));
            QVERIFY(QFile::exists(QDir(h.filePath(hq::Hq::batchesDir)).filePath(st.text(6))));
        }
        QCOMPARE(rows, 18);
    }

    void missingArchiveIsNamedAndRestoredByImport()
    {
        auto h = must(hq::Hq::open(m_hqDir), "open");
        const QDir archive(h.filePath(hq::Hq::batchesDir));
        const QString victim = archive.entryList(QDir::Files).first();
        QVERIFY(QFile::remove(archive.filePath(victim)));
        auto broken = hq::computeTally(h, *m_election, {});
        QCOMPARE(broken.error().code, QStringLiteral("tally-archive"));
        QVERIFY(broken.error().message.contains(victim));
        auto again = must(hq::importBatches(h, m_secrets->archive, m_batches), "import again");
        QCOMPARE(again.alreadyImported(), 18);
        QVERIFY(QFile::exists(archive.filePath(victim)));
        QCOMPARE(archive.entryList(QDir::Files).size(), 18);
        QVERIFY(hq::computeTally(h, *m_election, {}).ok());
    }

    void importIsIdempotent()
    {
        auto h = must(hq::Hq::open(m_hqDir), "open");
        auto again = must(hq::importBatches(h, m_secrets->archive, m_batches), "import again");
        QCOMPARE(again.alreadyImported(), 18);
        QVERIFY(!again.needsAttention());
        auto results = must(hq::computeTally(h, *m_election, {0, m_results->generated}), "tally again");
        QCOMPARE(results.toJson(), m_results->toJson());
        // The fast path for canonical ballots and the core decoder count the same.
        auto slow = must(hq::computeTally(h, *m_election, {1, m_results->generated, false}), "tally, core decoder");
        QCOMPARE(slow.toJson(), m_results->toJson());
    }

    void duplicateAndUnexpectedCheckins()
    {
        // Two kiosks of the main venue's internal group both admit the same representative
        // (version 1 cannot prevent it across kiosks); one also admits a representative
        // of another venue.
        auto h = must(hq::Hq::open(m_hqDir), "open");
        QStringList internal;
        QString other;
        for (const RosterEntry &e : m_roster) {
            if (e.venue == QLatin1String("main") && e.sessions.contains(QStringLiteral("internal")))
                internal << e.repId;
            if (e.venue == QLatin1String("shinan") && other.isEmpty())
                other = e.repId;
        }
        QVERIFY(internal.size() >= 3);
        const TestKiosk k1 = enrolKiosk(h, *m_secrets, QStringLiteral("main"), QStringLiteral("dup-1"));
        const TestKiosk k2 = enrolKiosk(h, *m_secrets, QStringLiteral("main"), QStringLiteral("dup-2"));
        auto ctx = [&](const TestKiosk &k) {
            return SessionContext {m_activity.id, QStringLiteral("main"), k.id, QStringLiteral("internal"), false};
        };
        const BallotAnswers b = makeBallot(m_activity, QStringLiteral("internal"), [](int) { return 0; });
        const QByteArray one = makeBatch(h, k1, ctx(k1), {b, b}, {}, {{internal[0], true}, {internal[1], true}});
        const QByteArray two
            = makeBatch(h, k2, ctx(k2), {b, b}, {}, {{internal[0], true}, {other, true}, {internal[2], false}});
        auto summary = must(hq::importBatchBytes(h, m_secrets->archive, {one, two}, {}), "import");
        QCOMPARE(summary.imported(), 2);
        QCOMPARE(summary.batches[1].warnings.value(0).code, QStringLiteral("checkin-not-invited"));
        const hq::TallyResults r = must(hq::computeTally(h, *m_election, {}), "tally");
        QCOMPARE(r.duplicates.size(), 1);
        QCOMPARE(r.duplicates[0].repId, internal[0]);
        QCOMPARE(r.duplicates[0].votes(), 2);
        QCOMPARE(r.duplicates[0].entries.size(), 2);
        QCOMPARE(r.unexpected.size(), 1);
        QCOMPARE(r.unexpected[0].repId, other);
        QCOMPARE(r.unexpected[0].reason, QStringLiteral("not-invited"));
        const hq::SessionResult &s = sessionOf(r, QStringLiteral("internal"));
        QCOMPARE(s.ballots, qint64(4));
        QCOMPARE(s.attendance.present, qint64(3)); // internal[0], [1], [2]; the visitor is not invited here
        QCOMPARE(s.attendance.voted, qint64(2));
        QVERIFY(s.belowThreshold);
        QVERIFY(s.byVenue.isEmpty());
        bool mentioned = false;
        for (const QString &a : r.attention())
            mentioned = mentioned || a.contains(QStringLiteral("more than one kiosk"));
        QVERIFY(mentioned);
    }
};

QTEST_MAIN(TestTallyE2E)
#include "test_tally_e2e.moc"
