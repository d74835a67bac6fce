// The tally's rules on hand-made ballots with known answers: weighted score, satisfaction
// rate, ranks with ties, the anonymity threshold's merging, attendance, ballots that pass
// import but cannot be counted, CSV escaping, and the report with nothing imported yet.

#include "hqtestutil.h"
#include "importer.h"
#include "resultsreport.h"
#include "tally.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;
using namespace pingyi::hqtest;

using Parts = QList<QPair<QString, qint64>>;
Q_DECLARE_METATYPE(Parts)

namespace {

QString describe(const QList<hq::MergedPart> &merged)
{
    QStringList out;
    for (const hq::MergedPart &p : merged)
        out << (p.merged ? QStringLiteral("other(") : QStringLiteral("(")) + p.keys.join(QLatin1Char('+'))
                + QStringLiteral(")=%1").arg(p.count);
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestTallyRules : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_hqDir;
    Activity m_activity;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    QMap<QString, QStringList> m_reps; ///< venue -> econ representatives

    hq::Hq open() { return must(hq::Hq::open(m_hqDir), "open"); }

    /// An office whose activity has `tally` as its tally rules, the econ representatives of
    /// shinan, and an enrolled shinan kiosk (named after `name` and the data tag).
    struct RulesOffice {
        Activity activity;
        QStringList reps;
        hq::Hq h;
        hq::Secrets secrets;
        crypto::BoxKeyPair election;
        TestKiosk k;
    };
    RulesOffice rulesOffice(const QJsonObject &tally, const QString &name)
    {
        QJsonObject spec = QJsonDocument::fromJson(m_activity.canonicalJson()).object();
        spec.insert(QStringLiteral("tally"), tally);
        Activity activity
            = must(Activity::fromJson(QJsonDocument(spec).toJson(), name + QStringLiteral(".json")), "spec");
        const QString dir = m_tmp.filePath(QStringLiteral("%1-%2").arg(name, QTest::currentDataTag()));
        const QByteArray csv = makeHq(dir, activity, 0.2);
        QStringList reps;
        for (const RosterEntry &e : must(parseRoster(csv, activity, QStringLiteral("roster")), "roster"))
            if (e.sessions.contains(QStringLiteral("econ")) && e.venue == QLatin1String("shinan"))
                reps << e.repId;
        auto h = must(hq::Hq::open(dir), "open");
        hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        crypto::BoxKeyPair election = must(h.unlockElection(passphrase()), "election");
        TestKiosk k = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("r-") + name);
        return {std::move(activity), std::move(reps),     std::move(h),
                std::move(secrets),  std::move(election), std::move(k)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_hqDir = m_tmp.filePath(QStringLiteral("hq"));
        m_activity = exampleActivity(3);
        const QByteArray csv = makeHq(m_hqDir, m_activity, 0.2);
        for (const RosterEntry &e : must(parseRoster(csv, m_activity, QStringLiteral("roster")), "roster"))
            if (e.sessions.contains(QStringLiteral("econ")))
                m_reps[e.venue] << e.repId;
        auto h = open();
        m_secrets.emplace(must(h.unlock(passphrase()), "unlock"));
        m_election.emplace(must(h.unlockElection(passphrase()), "election"));
    }

    void merging_data()
    {
        QTest::addColumn<Parts>("parts");
        QTest::addColumn<int>("threshold");
        QTest::addColumn<QString>("expected");
        auto p = [](std::initializer_list<QPair<QString, qint64>> l) {
            return Parts(l);
        };
        const QString a = QStringLiteral("a"), b = QStringLiteral("b"), c = QStringLiteral("c");
        QTest::newRow("nothing") << Parts() << 10 << QString();
        QTest::newRow("all large") << p({{a, 30}, {b, 20}}) << 10 << QStringLiteral("(a)=30 (b)=20");
        QTest::newRow("small ones together are enough")
            << p({{a, 30}, {b, 6}, {c, 7}}) << 10 << QStringLiteral("(a)=30 other(b+c)=13");
        QTest::newRow("small one pulls in the smallest large one")
            << p({{a, 30}, {b, 20}, {c, 5}}) << 10 << QStringLiteral("(a)=30 other(b+c)=25");
        QTest::newRow("equal smallest: the later one joins")
            << p({{a, 20}, {b, 20}, {c, 5}}) << 10 << QStringLiteral("(a)=20 other(b+c)=25");
        QTest::newRow("venues without ballots are left out")
            << p({{a, 30}, {b, 0}, {c, 12}}) << 10 << QStringLiteral("(a)=30 (c)=12");
        QTest::newRow("one large and one small: no breakdown") << p({{a, 30}, {b, 3}}) << 10 << QString();
        QTest::newRow("all small: no breakdown") << p({{a, 3}, {b, 4}}) << 10 << QString();
        QTest::newRow("exactly the threshold is shown")
            << p({{a, 10}, {b, 10}}) << 10 << QStringLiteral("(a)=10 (b)=10");
        QTest::newRow("threshold 1 shows everything") << p({{a, 1}, {b, 2}}) << 1 << QStringLiteral("(a)=1 (b)=2");
        QTest::newRow("other keeps the given order")
            << p({{c, 2}, {a, 40}, {b, 3}, {QStringLiteral("d"), 9}}) << 10 << QStringLiteral("(a)=40 other(c+b+d)=14");
    }

    void merging()
    {
        QFETCH(Parts, parts);
        QFETCH(int, threshold);
        QFETCH(QString, expected);
        const auto merged = hq::mergeSmallParts(parts, threshold);
        QCOMPARE(describe(merged), expected);
        for (const hq::MergedPart &m : merged)
            QVERIFY(m.count >= threshold);
    }

    void csvEscaping_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("市财政局") << QStringLiteral("市财政局");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quotes") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QStringLiteral("one\ntwo") << QStringLiteral("\"one\ntwo\"");
        QTest::newRow("leading space") << QStringLiteral(" x") << QStringLiteral("\" x\"");
        QTest::newRow("formula") << QStringLiteral("=HYPERLINK(\"x\")") << QStringLiteral("\"'=HYPERLINK(\"\"x\"\")\"");
        QTest::newRow("plus") << QStringLiteral("+86 123") << QStringLiteral("'+86 123");
        QTest::newRow("minus") << QStringLiteral("-1+1") << QStringLiteral("'-1+1");
        QTest::newRow("at") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
    }

    void csvEscaping()
    {
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(hq::csvField(value), expected);
    }

    void scoresPrintApartWhenRanksDiffer()
    {
        // 200/3 = 66.6667 and 6667/100 = 66.67 rank differently but print alike with two
        // decimals: the table takes a third.
        auto dept = [](qint64 sum, qint64 ballots) {
            hq::DepartmentResult d;
            d.scoreSum = sum;
            d.ballots = ballots;
            return d;
        };
        QCOMPARE(hq::scoreDecimals({dept(200, 3), dept(6667, 100)}), 3);
        QCOMPARE(hq::scoreDecimals({dept(200, 3), dept(400, 6)}), 2); // equal scores may print equal
        QCOMPARE(hq::scoreDecimals({dept(780, 9), dept(820, 9)}), 2);
        QCOMPARE(hq::scoreDecimals({dept(200000, 3000), dept(666667, 10000)}), 5);
    }

    void emptyTally()
    {
        auto h = open();
        const hq::TallyResults r = must(hq::computeTally(h, *m_election, {}), "tally");
        QCOMPARE(r.ballots, qint64(0));
        for (const hq::SessionResult &s : r.sessions)
            QVERIFY(!s.held);
        const QString out = m_tmp.filePath(QStringLiteral("empty"));
        must(hq::writeTallyFiles(r, m_activity, out), "write");
        must(hq::renderResultsPdf(r, m_activity, QDir(out).filePath(QStringLiteral("report.pdf"))), "pdf");
        QVERIFY(must(readFile(QDir(out).filePath(QStringLiteral("report.pdf"))), "pdf").startsWith("%PDF"));
        QCOMPARE(hq::computeTally(h, crypto::BoxKeyPair::generate(), {}).error().code, QStringLiteral("election-key"));
    }

    /// A kiosk enrolled for the activity that sent nothing and reported nothing is a spare:
    /// listed once, briefly, never as a missing batch.
    void silentKioskIsNamed()
    {
        auto h = open();
        const TestKiosk spare = enrolKiosk(h, *m_secrets, QStringLiteral("laixi"), QStringLiteral("r-spare"));
        const hq::TallyResults r = must(hq::computeTally(h, *m_election, {}), "tally");
        QCOMPARE(r.silentKiosks.size(), 1);
        QCOMPARE(r.silentKiosks[0].kiosk, spare.id);
        QVERIFY(r.attention()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("1 spare kiosk(s), never used as far as the office knows (no report, "
                                             "no batch): r-spare (laixi)")));
        for (const hq::MissingBatch &m : r.missing)
            QVERIFY(m.kiosk != spare.id);
    }

    void knownBallots()
    {
        auto h = open();
        const TestKiosk shinan = enrolKiosk(h, *m_secrets, QStringLiteral("shinan"), QStringLiteral("r-shinan"));
        const TestKiosk shibei = enrolKiosk(h, *m_secrets, QStringLiteral("shibei"), QStringLiteral("r-shibei"));
        const TestKiosk main = enrolKiosk(h, *m_secrets, QStringLiteral("main"), QStringLiteral("r-main"));
        const TestKiosk odd = enrolKiosk(h, *m_secrets, QStringLiteral("shinan"), QStringLiteral("r-odd"));
        auto ctx = [&](const TestKiosk &k) {
            return SessionContext {m_activity.id, k.venue, k.id, QStringLiteral("econ"), false};
        };
        const QString econ = QStringLiteral("econ");
        // Shinan, 4 ballots: department 0 alternates 满意/比较满意, department 1 the other way
        // round (a tie), department 2 always 不满意, the rest 满意. One representative left.
        QList<BallotAnswers> atShinan;
        for (int i = 0; i < 4; ++i)
            atShinan << makeBallot(m_activity, econ, [i](int d) {
                return d == 0 ? i % 2 : d == 1 ? 1 - i % 2 : d == 2 ? 3 : 0;
            });
        const QStringList &sr = m_reps[QStringLiteral("shinan")];
        const QByteArray b1 = makeBatch(
            h, shinan, ctx(shinan), atShinan,
            {{econ, QStringLiteral("urban"), QStringLiteral("econ-01"), QStringLiteral("=HYPERLINK(\"http://x\")")},
             {econ, QStringLiteral("ecology"), QString(), QStringLiteral("公园要多, \"绿地\"也要多")}},
            {{sr[0], true}, {sr[1], true}, {sr[2], true}, {sr[3], true}, {sr[4], false}});
        // Shibei, 2 ballots of 基本满意: fewer than the threshold (3).
        const QStringList &br = m_reps[QStringLiteral("shibei")];
        const QByteArray b2 = makeBatch(
            h, shibei, ctx(shibei),
            {makeBallot(m_activity, econ, [](int) { return 2; }), makeBallot(m_activity, econ, [](int) { return 2; })},
            {}, {{br[0], true}, {br[1], true}});
        // Main, 3 ballots of 满意.
        const QStringList &mr = m_reps[QStringLiteral("main")];
        QList<BallotAnswers> atMain;
        for (int i = 0; i < 3; ++i)
            atMain << makeBallot(m_activity, econ, [](int) { return 0; });
        const QByteArray b3 = makeBatch(h, main, ctx(main), atMain, {}, {{mr[0], true}, {mr[1], true}, {mr[2], true}});
        // A kiosk that signed records the tally cannot count: they pass import (which never
        // opens ballots) and are reported, not counted.
        const SessionContext oc = ctx(odd);
        BatchContent c;
        c.header.context = oc;
        c.header.kioskCertificate = odd.certificate;
        const auto seal = [&](const QByteArray &plain, QByteArrayView to = {}) {
            return sealRecord(oc, RecordKind::Ballot, plain, to.isEmpty() ? QByteArrayView(h.electionPublicKey()) : to,
                              odd.key);
        };
        BallotAnswers incomplete = makeBallot(m_activity, econ, [](int) { return 0; });
        incomplete.ratings.remove(QStringLiteral("econ-05"));
        c.records = {
            seal(encodeBallot(m_activity.id, makeBallot(m_activity, QStringLiteral("service"), [](int) { return 0; }))),
            seal(encodeBallot(m_activity.id, incomplete)),
            seal(encodeBallot(QStringLiteral("qingdao-2024"), makeBallot(m_activity, econ, [](int) { return 0; }))),
            seal(QByteArray(1024, 'x')),
            seal(encodeBallot(m_activity.id, makeBallot(m_activity, econ, [](int) { return 0; })),
                 crypto::BoxKeyPair::generate().publicKey())};
        for (int i = 0; i < 5; ++i)
            c.checkins.append({sr[5 + i], true});
        c.header.counts = {5, 5, 0, 0};
        const QByteArray b4 = writeBatch(c, odd.key, h.electionPublicKey(), h.archivePublicKey());

        auto summary = must(hq::importBatchBytes(h, m_secrets->archive, {b1, b2, b3, b4}, {}), "import");
        QCOMPARE(summary.imported(), 4);
        const hq::TallyResults r = must(hq::computeTally(h, *m_election, {}), "tally");
        const hq::TallyResults slow
            = must(hq::computeTally(h, *m_election, {1, r.generated, false}), "tally, core decoder");
        QCOMPARE(slow.toJson(), r.toJson());

        const hq::SessionResult *s = nullptr;
        for (const hq::SessionResult &x : r.sessions)
            if (x.code == econ)
                s = &x;
        QVERIFY(s && s->held);
        QCOMPARE(s->ballots, qint64(9));
        QMap<QString, const hq::DepartmentResult *> byCode;
        for (const hq::DepartmentResult &d : s->departments)
            byCode.insert(d.code, &d);
        const hq::DepartmentResult &d0 = *byCode.value(QStringLiteral("econ-01"));
        const hq::DepartmentResult &d1 = *byCode.value(QStringLiteral("econ-02"));
        const hq::DepartmentResult &d2 = *byCode.value(QStringLiteral("econ-03"));
        const hq::DepartmentResult &d3 = *byCode.value(QStringLiteral("econ-04"));
        QCOMPARE(d0.counts, (QList<qint64> {5, 2, 2, 0}));
        QCOMPARE(d0.scoreSum, qint64(780));
        QCOMPARE(d1.scoreSum, qint64(780));
        QCOMPARE(d2.counts, (QList<qint64> {3, 0, 2, 4}));
        QCOMPARE(d2.scoreSum, qint64(420));
        QCOMPARE(d3.scoreSum, qint64(820));
        QCOMPARE(d0.satisfied, qint64(7));
        QCOMPARE(d2.satisfied, qint64(3));
        QVERIFY(qFuzzyCompare(d0.weightedScore(), 780.0 / 9.0));
        QVERIFY(qFuzzyCompare(d2.satisfactionRate(), 3.0 / 9.0));
        // Twelve departments share rank 1; 01 and 02 tie at 13; 03 is 15th.
        QCOMPARE(d3.rank, 1);
        QCOMPARE(d0.rank, 13);
        QCOMPARE(d1.rank, 13);
        QCOMPARE(d2.rank, 15);
        QCOMPARE(s->departments.last().code, QStringLiteral("econ-03"));

        // Venues: shinan 4 shown; shibei's 2 merged with the smallest other venue (main, 3).
        QCOMPARE(s->byVenue.size(), 2);
        QCOMPARE(s->byVenue[0].venues, QStringList {QStringLiteral("shinan")});
        QCOMPARE(s->byVenue[0].ballots, qint64(4));
        QVERIFY(s->byVenue[1].merged);
        QCOMPARE(s->byVenue[1].venues, (QStringList {QStringLiteral("main"), QStringLiteral("shibei")}));
        QCOMPARE(s->byVenue[1].ballots, qint64(5));

        // Five records were signed by the kiosk but cannot be counted.
        QStringList codes;
        for (const hq::RejectedRecord &x : r.rejected) {
            codes << x.code;
            QCOMPARE(x.kiosk, odd.id);
            QVERIFY(!x.recordId.isEmpty());
        }
        codes.sort();
        QCOMPARE(codes,
                 (QStringList {QStringLiteral("tally-activity"), QStringLiteral("tally-decrypt"),
                               QStringLiteral("tally-format"), QStringLiteral("tally-invalid"),
                               QStringLiteral("tally-session")}));
        const auto intake = std::find_if(s->intake.cbegin(), s->intake.cend(),
                                         [](const hq::IntakeRow &x) { return x.venue == QLatin1String("shinan"); });
        QCOMPARE(intake->votedCheckins, qint64(9));
        QCOMPARE(intake->imported, qint64(9));
        QCOMPARE(intake->rejected, qint64(5));
        QCOMPARE(intake->valid, qint64(4));
        QVERIFY(r.attention()
                    .join(QLatin1Char('\n'))
                    .contains(QStringLiteral("9 representatives voted but 4 ballots are counted")));

        // Attendance at shinan: 10 came (one left without voting), 9 voted.
        const auto att = std::find_if(s->attendanceByVenue.cbegin(), s->attendanceByVenue.cend(),
                                      [](const hq::AttendanceRow &x) { return x.code == QLatin1String("shinan"); });
        QCOMPARE(att->present, qint64(10));
        QCOMPARE(att->voted, qint64(9));
        QCOMPARE(att->invited, qint64(sr.size()));

        // Files: CSV escaping of what representatives typed, Excel-friendly encoding.
        const QString out = m_tmp.filePath(QStringLiteral("known"));
        must(hq::writeTallyFiles(r, m_activity, out), "write");
        const QString perDept
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("suggestions/econ-01.csv"))), "csv"));
        QVERIFY(perDept.contains(QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\")\"")));
        const QString general = QString::fromUtf8(
            must(readFile(QDir(out).filePath(QStringLiteral("suggestions/general-econ.csv"))), "csv"));
        QVERIFY(general.contains(QStringLiteral("\"公园要多, \"\"绿地\"\"也要多\"")));
        const QString departments
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("departments.csv"))), "csv"));
        QVERIFY(departments.contains(QStringLiteral("econ,经济建设组,13,econ-01,")));
        QVERIFY(departments.contains(QStringLiteral(",86.67,77.78\r\n")));
        must(hq::renderResultsPdf(r, m_activity, QDir(out).filePath(QStringLiteral("report.pdf"))), "pdf");
    }
    /// The activity's tally rules decide what counts as satisfied and which breakdowns are
    /// published; the same four ballots give a different satisfaction rate per threshold.
    void rulesFromSpec_data()
    {
        QTest::addColumn<QJsonObject>("rules");
        QTest::addColumn<qint64>("satisfied");
        QTest::addColumn<bool>("byVenue");
        QTest::addColumn<bool>("byCategory");
        const QJsonObject three {{QStringLiteral("anonymity_threshold"), 3}};
        auto with = [&](const char *key, const QJsonValue &v) {
            QJsonObject o = three;
            o.insert(QLatin1String(key), v);
            return o;
        };
        const QJsonArray both {QStringLiteral("venue"), QStringLiteral("category")};
        // Without "publish" the most private rule holds: only each group's totals over all venues
        // (a plan that mixes every venue's ballots before counting, as Ordos 2024 did).
        QTest::newRow("defaults: mixed") << three << qint64(2) << false << false;
        QTest::newRow("both") << with("publish", both) << qint64(2) << true << true;
        QTest::newRow("venue only") << with("publish", QJsonArray {QStringLiteral("venue")}) << qint64(2) << true
                                    << false;
        QJsonObject sixty = with("satisfied_threshold", 60);
        sixty.insert(QStringLiteral("publish"), both);
        QTest::newRow("satisfied 60") << sixty << qint64(3) << true << true;
        QTest::newRow("satisfied 100") << with("satisfied_threshold", 100) << qint64(1) << false << false;
        QTest::newRow("category only") << with("publish", QJsonArray {QStringLiteral("category")}) << qint64(2) << false
                                       << true;
        QTest::newRow("nothing") << with("publish", QJsonArray {}) << qint64(2) << false << false;
    }

    void rulesFromSpec()
    {
        QFETCH(QJsonObject, rules);
        QFETCH(qint64, satisfied);
        QFETCH(bool, byVenue);
        QFETCH(bool, byCategory);
        RulesOffice v = rulesOffice(rules, QStringLiteral("rules"));
        const Activity &activity = v.activity;
        const QStringList &reps = v.reps;
        hq::Hq &h = v.h;
        const hq::Secrets &secrets = v.secrets;
        const crypto::BoxKeyPair &election = v.election;
        const TestKiosk &k = v.k;
        const QString econ = QStringLiteral("econ");
        // Department 0: one ballot each of 满意 100, 比较满意 80, 基本满意 60, 不满意 0.
        QList<BallotAnswers> ballots;
        QList<CheckInEntry> checkins;
        for (int i = 0; i < 4; ++i) {
            ballots << makeBallot(activity, econ, [i](int d) { return d == 0 ? i : 0; });
            checkins.append({reps[i], true});
        }
        const QByteArray b
            = makeBatch(h, k, SessionContext {activity.id, k.venue, k.id, econ, false}, ballots, {}, checkins);
        QCOMPARE(must(hq::importBatchBytes(h, secrets.archive, {b}, {}), "import").imported(), 1);
        const hq::TallyResults r = must(hq::computeTally(h, election, {}), "tally");
        QCOMPARE(r.satisfiedThreshold, activity.tally.satisfiedThreshold);
        const auto s = std::find_if(r.sessions.cbegin(), r.sessions.cend(),
                                    [&](const hq::SessionResult &x) { return x.code == econ; });
        QVERIFY(s != r.sessions.cend());
        const auto d0 = std::find_if(s->departments.cbegin(), s->departments.cend(),
                                     [](const hq::DepartmentResult &d) { return d.code == QLatin1String("econ-01"); });
        QVERIFY(d0 != s->departments.cend());
        QCOMPARE(d0->ballots, qint64(4));
        QCOMPARE(d0->satisfied, satisfied);
        QVERIFY(qFuzzyCompare(d0->satisfactionRate(), double(satisfied) / 4.0));
        const QString definition = hq::definitions(r.scale, r.threshold, r.satisfiedThreshold)
                                       .value(QStringLiteral("satisfaction_rate"))
                                       .toString();
        QVERIFY2(definition.contains(QStringLiteral("(score %1 or more)").arg(r.satisfiedThreshold)),
                 qPrintable(definition));
        QCOMPARE(r.toJson().value(QStringLiteral("definitions")).toObject().value(QStringLiteral("satisfaction_rate")),
                 QJsonValue(definition));
        QCOMPARE(!s->byVenue.isEmpty(), byVenue);
        QCOMPARE(!s->attendanceByCategory.isEmpty(), byCategory);
        QCOMPARE(!r.attendanceByCategory.isEmpty(), byCategory);
        const QString out = m_tmp.filePath(QStringLiteral("rules-out-%1").arg(QTest::currentDataTag()));
        must(hq::writeTallyFiles(r, activity, out), "write");
        QCOMPARE(QFileInfo::exists(QDir(out).filePath(QStringLiteral("departments_by_venue.csv"))), byVenue);
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("departments.csv"))));
        // Without the venue breakdown no rating or discipline figure of a single venue is
        // written anywhere: results.json's by_venue is empty and discipline.csv holds only the
        // rows over all venues. (Attendance and intake per venue are always published: they
        // hold no ballot content, docs/tally.md.)
        const QJsonObject results
            = QJsonDocument::fromJson(must(readFile(QDir(out).filePath(QStringLiteral("results.json"))), "json"))
                  .object();
        bool econSeen = false;
        for (const QJsonValue &sv : results.value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject so = sv.toObject();
            if (so.value(QStringLiteral("code")).toString() != econ)
                continue;
            econSeen = true;
            QVERIFY(so.contains(QStringLiteral("departments")));
            QCOMPARE(so.value(QStringLiteral("by_venue")).toArray().isEmpty(), !byVenue);
            QCOMPARE(so.value(QStringLiteral("attendance"))
                         .toObject()
                         .value(QStringLiteral("by_category"))
                         .toArray()
                         .isEmpty(),
                     !byCategory);
        }
        QVERIFY(econSeen);
        const QString discipline
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("discipline.csv"))), "csv"));
        QVERIFY(discipline.contains(QStringLiteral("全部会场 all venues")));
        QCOMPARE(discipline.contains(QStringLiteral("市南区")), byVenue);
    }

    /// tally.rank_ties: two departments with the same weighted score (320/4 = 80) share a
    /// rank, or the one with the higher satisfaction rate ranks first.
    void rankTies_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<int>("rank0");
        QTest::addColumn<int>("rank1");
        QTest::newRow("default: shared") << QString() << 14 << 14;
        QTest::newRow("shared") << QStringLiteral("shared") << 14 << 14;
        QTest::newRow("satisfaction") << QStringLiteral("satisfaction") << 15 << 14;
    }

    void rankTies()
    {
        QFETCH(QString, rule);
        QFETCH(int, rank0);
        QFETCH(int, rank1);
        QJsonObject tally {{QStringLiteral("anonymity_threshold"), 3}};
        if (!rule.isEmpty())
            tally.insert(QStringLiteral("rank_ties"), rule);
        RulesOffice v = rulesOffice(tally, QStringLiteral("ties"));
        const Activity &activity = v.activity;
        const QStringList &reps = v.reps;
        hq::Hq &h = v.h;
        const hq::Secrets &secrets = v.secrets;
        const crypto::BoxKeyPair &election = v.election;
        const TestKiosk &k = v.k;
        const QString econ = QStringLiteral("econ");
        // econ-01: 满意, 基本满意, 满意, 基本满意 = 320, 2 satisfied; econ-02: 比较满意 ×4 = 320, 4
        // satisfied; the other 13 departments 满意 ×4 = 400.
        QList<BallotAnswers> ballots;
        QList<CheckInEntry> checkins;
        for (int i = 0; i < 4; ++i) {
            ballots << makeBallot(activity, econ, [i](int d) { return d == 0 ? (i % 2 ? 2 : 0) : d == 1 ? 1 : 0; });
            checkins.append({reps[i], true});
        }
        const QByteArray b
            = makeBatch(h, k, SessionContext {activity.id, k.venue, k.id, econ, false}, ballots, {}, checkins);
        QCOMPARE(must(hq::importBatchBytes(h, secrets.archive, {b}, {}), "import").imported(), 1);
        const hq::TallyResults r = must(hq::computeTally(h, election, {}), "tally");
        const auto s = std::find_if(r.sessions.cbegin(), r.sessions.cend(),
                                    [&](const hq::SessionResult &x) { return x.code == econ; });
        QVERIFY(s != r.sessions.cend());
        QHash<QString, int> ranks;
        for (const hq::DepartmentResult &d : s->departments)
            ranks.insert(d.code, d.rank);
        QCOMPARE(ranks.value(QStringLiteral("econ-01")), rank0);
        QCOMPARE(ranks.value(QStringLiteral("econ-02")), rank1);
        QCOMPARE(ranks.value(QStringLiteral("econ-03")), 1);
        // Listed in rank order, the higher satisfaction rate first among equal ranks.
        QCOMPARE(s->departments.at(13).code, QStringLiteral("econ-02"));
        const QString definition
            = r.toJson().value(QStringLiteral("definitions")).toObject().value(QStringLiteral("rank")).toString();
        QCOMPARE(definition.contains(QStringLiteral("equal scores share a rank")),
                 rule != QLatin1String("satisfaction"));
    }
};

QTEST_MAIN(TestTallyRules)
#include "test_tally_rules.moc"
