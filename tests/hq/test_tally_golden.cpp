// The tally against figures computed by hand: a small activity (tests/data/tally/) with
// hand-written ballots at three venues, delivered in stages as batches reach an office.
// The expected results.json figures (expected-results.json) were worked out on paper,
// not by running this code; they include a tie in rank, a venue below the threshold
// merged, a group below the threshold shown as a count only, a duplicate check-in, a
// check-in at another venue, a ballot the tally rejects, and the re-tally after a late
// venue. The stages also check what may be published when: full results only once every
// venue and kiosk is in, never a full release a few ballots away from an earlier one, a
// bulletin that lists only what the last tally counted, and output directories that keep
// no stale file. Every output file (the PDF through pdftotext) is scanned for
// representative ids, receipt codes and record ids.

#include "audit.h"
#include "bulletin.h"
#include "hqtestutil.h"
#include "importer.h"
#include "resultsreport.h"
#include "tally.h"

#include <QDirIterator>
#include <QGuiApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

const QString dataDir = QStringLiteral(PINGYI_TEST_DATA "/tally");

QByteArray data(const QString &name)
{
    return must(readFile(QDir(dataDir).filePath(name)), "test data");
}

/// Whether `actual` holds everything `expected` says: objects key by key (extra keys in
/// `actual` are fine), arrays element by element with the same length, numbers within
/// 1e-9. `path` names the first difference.
bool holds(const QJsonValue &expected, const QJsonValue &actual, const QString &at, QString *path)
{
    if (expected.isObject()) {
        if (!actual.isObject()) {
            *path = at + QStringLiteral(": not an object");
            return false;
        }
        const QJsonObject e = expected.toObject(), a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            if (it.key() == QLatin1String("comment"))
                continue;
            if (!a.contains(it.key())) {
                *path = at + QLatin1Char('.') + it.key() + QStringLiteral(": missing");
                return false;
            }
            if (!holds(it.value(), a.value(it.key()), at + QLatin1Char('.') + it.key(), path))
                return false;
        }
        return true;
    }
    if (expected.isArray()) {
        const QJsonArray e = expected.toArray(), a = actual.toArray();
        if (!actual.isArray() || e.size() != a.size()) {
            *path = at + QStringLiteral(": %1 elements expected, %2 found").arg(e.size()).arg(a.size());
            return false;
        }
        for (qsizetype i = 0; i < e.size(); ++i)
            if (!holds(e[i], a[i], at + QStringLiteral("[%1]").arg(i), path))
                return false;
        return true;
    }
    if (expected.isDouble()) {
        if (!actual.isDouble() || std::abs(expected.toDouble() - actual.toDouble()) > 1e-9) {
            *path = at
                + QStringLiteral(": expected %1, found %2")
                      .arg(expected.toDouble(), 0, 'g', 17)
                      .arg(actual.toVariant().toString());
            return false;
        }
        return true;
    }
    if (expected != actual) {
        *path = at
            + QStringLiteral(": expected %1, found %2")
                  .arg(expected.toVariant().toString(), actual.toVariant().toString());
        return false;
    }
    return true;
}

/// A signed audit log with a session-open event per session (what kiosks carry).
QByteArray auditLog(const crypto::SigningKey &key, const QStringList &opened)
{
    AuditChain chain(key);
    for (const QString &session : opened)
        for (const char *event : {"session-open", "session-closed", "session-exported"})
            chain.add(QStringLiteral("2025-12-20T09:00:00Z"), QLatin1String(event),
                      {{QStringLiteral("session"), session}, {QStringLiteral("rehearsal"), false}});
    return chain.toJsonLines();
}

/// "SFD" + answers -> a ballot for `session` (S, F, B, D: the scale's options in order).
BallotAnswers ballotOf(const Activity &a, const QString &session, const QJsonArray &spec)
{
    BallotAnswers b;
    b.session = session;
    const QString ratings = spec[0].toString();
    const QList<Department> &depts = a.session(session)->departments;
    for (qsizetype d = 0; d < depts.size(); ++d)
        b.ratings.insert(depts[d].code, a.scale[qsizetype(QStringLiteral("SFBD").indexOf(ratings[d]))].code);
    b.questionnaire.insert(QStringLiteral("q1"), {spec[1].toString()});
    QStringList q2;
    for (const QJsonValue &v : spec[2].toArray())
        q2 << v.toString();
    b.questionnaire.insert(QStringLiteral("q2"), q2);
    b.discipline.insert(QStringLiteral("d1"), {spec[3].toString()});
    return b;
}

QString pdfText(const QString &pdf)
{
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("pdftotext failed on %s", qPrintable(pdf));
    return QString::fromUtf8(p.readAllStandardOutput());
}

} // namespace

class TestTallyGolden : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_hqDir;
    Activity m_activity;
    QStringList m_reps;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    QMap<double, QList<QByteArray>> m_stages; ///< stage -> batch files
    QStringList m_receipts; ///< of every ballot sealed
    QStringList m_recordHex; ///< first 16 hex of every record id
    QString m_rejectedReceipt;

    hq::Hq open() { return must(hq::Hq::open(m_hqDir), "open"); }

    void importStage(double stage)
    {
        auto h = open();
        auto summary = must(hq::importBatchBytes(h, m_secrets->archive, m_stages.value(stage), {}), "import");
        QCOMPARE(summary.imported(), m_stages.value(stage).size());
    }

    hq::TallyResults tally()
    {
        auto h = open();
        return must(hq::computeTally(h, *m_election, {1, QDateTime(QDate(2025, 12, 21), QTime(9, 0), Qt::UTC)}),
                    "tally");
    }

    /// Writes results as the tally command does: staged, PDF, recorded, swapped into place.
    QString publish(hq::TallyResults r, const QString &name)
    {
        auto h = open();
        auto stage = must(hq::StagedOutput::create(m_tmp.filePath(name)), "stage");
        must(hq::writeTallyFiles(r, m_activity, stage.path()), "write");
        must(hq::renderResultsPdf(r, m_activity, QDir(stage.path()).filePath(QStringLiteral("report.pdf"))), "pdf");
        must(hq::recordTallyRun(h, r), "record");
        must(stage.commit(), "commit");
        return m_tmp.filePath(name);
    }

    /// No representative id outside the attendance lists, no receipt code or record id
    /// anywhere, in any file of `dir` (the PDF as text).
    void scan(const QString &dir)
    {
        QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QString f = it.next();
            ++files;
            QString text = f.endsWith(QLatin1String(".pdf")) ? pdfText(f) : QString::fromUtf8(must(readFile(f), "out"));
            if (f.endsWith(QLatin1String("results.json"))) {
                // Representative ids belong only in the check-in lists (attendance, not ballots).
                QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
                o.remove(QStringLiteral("duplicate_checkins"));
                o.remove(QStringLiteral("unexpected_checkins"));
                text = QString::fromUtf8(QJsonDocument(o).toJson());
            }
            const bool checkinList = f.endsWith(QLatin1String("checkins_duplicate.csv"));
            for (const QString &rep : m_reps)
                QVERIFY2(checkinList || !text.contains(rep), qPrintable(f + QStringLiteral(": ") + rep));
            for (const QString &r : m_receipts)
                QVERIFY2(!text.contains(r), qPrintable(f + QStringLiteral(": receipt ") + r));
            for (const QString &h : m_recordHex)
                QVERIFY2(!text.contains(h), qPrintable(f + QStringLiteral(": record id ") + h));
        }
        QVERIFY(files > 0);
    }

    QJsonObject resultsJson(const QString &dir)
    {
        return QJsonDocument::fromJson(must(readFile(QDir(dir).filePath(QStringLiteral("results.json"))), "json"))
            .object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QSKIP("pdftotext (poppler-utils) is needed to read the PDF report");
        m_hqDir = m_tmp.filePath(QStringLiteral("hq"));
        m_activity = must(Activity::fromJson(data(QStringLiteral("activity.json")), QStringLiteral("activity.json")),
                          "activity");
        must(hq::Hq::init(m_hqDir, passphrase(), crypto::KdfStrength::interactive()), "init");
        auto h = open();
        must(h.setActivity(m_activity), "set activity");
        m_secrets.emplace(must(h.unlock(passphrase()), "unlock"));
        m_election.emplace(must(h.unlockElection(passphrase()), "election"));
        const QByteArray roster = data(QStringLiteral("roster.csv"));
        must(h.importRoster(roster, QStringLiteral("roster.csv"), *m_secrets), "roster");
        for (const RosterEntry &e : must(parseRoster(roster, m_activity, QStringLiteral("roster.csv")), "parse"))
            m_reps << e.repId;

        std::map<QString, TestKiosk> kiosks;
        const QJsonArray batches = QJsonDocument::fromJson(data(QStringLiteral("batches.json")))
                                       .object()
                                       .value(QLatin1String("batches"))
                                       .toArray();
        for (const QJsonValue &v : batches) {
            const QJsonObject spec = v.toObject();
            const QString kiosk = spec.value(QLatin1String("kiosk")).toString();
            const QString venue = spec.value(QLatin1String("venue")).toString();
            const QString session = spec.value(QLatin1String("session")).toString();
            if (kiosks.find(kiosk) == kiosks.end())
                kiosks.emplace(kiosk, enrolKiosk(h, *m_secrets, venue, kiosk));
            const TestKiosk &k = kiosks.at(kiosk);
            const SessionContext ctx {m_activity.id, venue, kiosk, session, false};
            BatchContent c;
            c.header.context = ctx;
            c.header.kioskCertificate = k.certificate;
            auto seal = [&](RecordKind kind, const QByteArray &plain) {
                c.records.append(sealRecord(ctx, kind, plain, h.electionPublicKey(), k.key));
                const QByteArray id = c.records.last().id();
                m_recordHex << QString::fromLatin1(id.toHex().left(16));
                if (kind == RecordKind::Ballot)
                    m_receipts << receiptCode(id);
            };
            for (const QJsonValue &b : spec.value(QLatin1String("ballots")).toArray())
                seal(RecordKind::Ballot, encodeBallot(m_activity.id, ballotOf(m_activity, session, b.toArray())));
            for (const QJsonValue &f : spec.value(QLatin1String("foreign")).toArray()) {
                const QJsonObject x = f.toObject();
                seal(RecordKind::Ballot,
                     encodeBallot(m_activity.id,
                                  ballotOf(m_activity, x.value(QLatin1String("session")).toString(),
                                           x.value(QLatin1String("ballot")).toArray())));
                m_rejectedReceipt = m_receipts.last();
            }
            qint64 suggestions = 0;
            for (const QJsonValue &s : spec.value(QLatin1String("suggestions")).toArray()) {
                const QJsonObject x = s.toObject();
                seal(RecordKind::Suggestion,
                     encodeSuggestion(m_activity.id,
                                      {session, x.value(QLatin1String("topic")).toString(),
                                       x.value(QLatin1String("department")).toString(),
                                       x.value(QLatin1String("text")).toString()}));
                ++suggestions;
            }
            qint64 ballots = 0, released = 0;
            for (const QJsonValue &e : spec.value(QLatin1String("checkins")).toArray()) {
                const bool voted = e.toArray()[1].toString() == QLatin1String("voted");
                c.checkins.append({e.toArray()[0].toString(), voted});
                (voted ? ballots : released) += 1;
            }
            c.header.counts = {ballots + released, ballots, released, suggestions};
            QStringList opened;
            for (const QJsonValue &o : spec.value(QLatin1String("audit_opens")).toArray())
                opened << o.toString();
            c.auditLog = auditLog(k.key, opened);
            m_stages[spec.value(QLatin1String("stage")).toDouble()].append(
                writeBatch(c, k.key, h.electionPublicKey(), h.archivePublicKey()));
        }
        QCOMPARE(m_receipts.size(), 13);
        QVERIFY(!m_rejectedReceipt.isEmpty());
    }

    void bulletinBeforeAnyTallySaysSo()
    {
        importStage(1);
        auto h = open();
        const hq::Bulletin b = must(hq::buildBulletin(h), "bulletin");
        QVERIFY(!b.tallied);
        QCOMPARE(b.total, qint64(10)); // m1 3, m2 beta 2, e1 2, e2 3 (the foreign one too: not opened yet)
        const QString text = QString::fromUtf8(hq::bulletinText(b));
        QVERIFY(text.contains(QStringLiteral("imported, not yet tallied")));
        QVERIFY(!text.contains(QStringLiteral("counted ballots")));
    }

    void noFullResultsWhileAVenueOrKioskIsMissing()
    {
        hq::TallyResults r = tally();
        // West has sent nothing; kiosk m2's audit log shows it opened group alpha, but only
        // its beta batch is here.
        QCOMPARE(r.missing.size(), 2);
        auto h = open();
        const Status full = hq::checkFullRelease(h, r);
        QCOMPARE(full.error().code, QStringLiteral("tally-incomplete"));
        QVERIFY(full.error().message.contains(QStringLiteral("group alpha at venue west")));
        QVERIFY(full.error().message.contains(QStringLiteral("kiosk m2")));
        QVERIFY(full.error().message.contains(QStringLiteral("--provisional")));

        // Provisional: counts and attendance only.
        hq::withholdContent(r);
        const QString out = publish(r, QStringLiteral("out"));
        const QJsonObject json = resultsJson(out);
        QVERIFY(json.value(QLatin1String("provisional")).toBool());
        QVERIFY(!json.contains(QLatin1String("questionnaire_all")));
        for (const QJsonValue &s : json.value(QLatin1String("sessions")).toArray()) {
            const QJsonObject o = s.toObject();
            for (const char *key : {"departments", "by_venue", "questionnaire", "discipline"})
                QVERIFY2(!o.contains(QLatin1String(key)), key);
            QVERIFY(!o.value(QLatin1String("withheld")).toString().isEmpty());
        }
        QCOMPARE(json.value(QLatin1String("sessions")).toArray()[0].toObject().value(QLatin1String("ballots")).toInt(),
                 7);
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("suggestions"))));
        const QString departments
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("departments.csv"))), "csv"));
        QVERIFY(!departments.contains(QStringLiteral("a-1")));
        QCOMPARE(departments.count(QStringLiteral("\r\n")), 3); // header, alpha, beta: counts only
        scan(out);

        // The bulletin follows the (provisional) tally: the rejected ballot is left out.
        const hq::Bulletin b = must(hq::buildBulletin(h), "bulletin");
        QVERIFY(b.tallied);
        QCOMPARE(b.total, qint64(9));
        QCOMPARE(b.rejected.value(QStringLiteral("tally-session")), qint64(1));
        const QString text = QString::fromUtf8(hq::bulletinText(b));
        QVERIFY(!text.contains(m_rejectedReceipt));
        QVERIFY(text.contains(QStringLiteral("counted ballots")));
        QVERIFY(text.contains(QStringLiteral("1 张计票时无法计入")));

        importStage(1.5);
        r = tally();
        QCOMPARE(r.missing.size(), 1);
        QCOMPARE(r.missing[0].venue, QStringLiteral("west"));
        QVERIFY(r.missing[0].kiosk.isEmpty());
        QCOMPARE(hq::checkFullRelease(h, r).error().code, QStringLiteral("tally-incomplete"));
        // Imported after the last tally: not on the bulletin yet.
        QCOMPARE(must(hq::buildBulletin(h), "bulletin").notYetTallied, qint64(1));
    }

    void fullResultsAreTheHandComputedOnes()
    {
        importStage(2);
        hq::TallyResults r = tally();
        auto h = open();
        QVERIFY(r.missing.isEmpty());
        must(hq::checkFullRelease(h, r), "full release allowed");
        const QString out = publish(r, QStringLiteral("out"));
        const QJsonObject json = resultsJson(out);
        QString where;
        const bool ok = holds(QJsonDocument::fromJson(data(QStringLiteral("expected-results.json"))).object(), json,
                              QStringLiteral("results"), &where);
        if (!ok)
            must(writeFileAtomic(QDir(dataDir).filePath(QStringLiteral("expected-results.json.fail")),
                                 QJsonDocument(json).toJson()),
                 "write .fail");
        QVERIFY2(ok, qPrintable(where));

        // The group below the threshold: its number of ballots and nothing else, anywhere.
        const QJsonObject beta = json.value(QLatin1String("sessions")).toArray()[1].toObject();
        for (const char *key : {"departments", "by_venue", "questionnaire", "discipline"})
            QVERIFY2(!beta.contains(QLatin1String(key)), key);
        const QString discipline
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("discipline.csv"))), "csv"));
        const QString questionnaire
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("questionnaire.csv"))), "csv"));
        QVERIFY(!discipline.contains(QStringLiteral("\r\nbeta,")));
        QVERIFY(!questionnaire.contains(QStringLiteral("\r\nbeta,")));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("suggestions/b-1.csv"))));
        QVERIFY(QFileInfo::exists(QDir(out).filePath(QStringLiteral("suggestions/a-1.csv"))));

        // Rank table: the tie shares rank 2; score sums printed; no 2-decimal clash here.
        const QString departments
            = QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("departments.csv"))), "csv"));
        QVERIFY(departments.contains(QStringLiteral("\r\nalpha,甲组,1,a-1,甲一局,9,3,3,2,1,660,73.33,66.67\r\n")));
        QVERIFY(departments.contains(QStringLiteral("\r\nalpha,甲组,2,a-2,甲二局,9,2,4,1,2,580,64.44,66.67\r\n")));
        QVERIFY(departments.contains(QStringLiteral("\r\nalpha,甲组,2,a-3,甲三局,9,3,2,2,2,580,64.44,55.56\r\n")));
        QVERIFY(departments.contains(QStringLiteral("\r\nbeta,乙组,,,")));
        QVERIFY(!departments.contains(QStringLiteral("b-1")));

        // Definitions come from this activity's scale.
        const QJsonObject defs = json.value(QLatin1String("definitions")).toObject();
        QVERIFY(defs.value(QLatin1String("satisfaction_rate")).toString().contains(QStringLiteral("满意、比较满意")));
        QVERIFY(defs.value(QLatin1String("weighted_score")).toString().contains(QStringLiteral("基本满意 60")));

        // The printed report names every group and department (the one below the threshold
        // by name only) and none of the withheld figures.
        const QString pdf = pdfText(QDir(out).filePath(QStringLiteral("report.pdf")));
        for (const GroupSession &s : m_activity.sessions) {
            QVERIFY2(pdf.contains(s.name), qPrintable(s.name));
            for (const Department &d : s.departments)
                QVERIFY2(pdf.contains(d.name), qPrintable(d.name));
        }
        QVERIFY(pdf.contains(QStringLiteral("73.33")));
        scan(out);

        // Follow-up references are not the record ids' prefixes (checked by scan) and are
        // new with every tally.
        const hq::TallyResults again = tally();
        QCOMPARE(again.suggestions.size(), r.suggestions.size());
        QSet<QString> refs;
        for (const hq::SuggestionRow &s : r.suggestions)
            refs << s.ref;
        for (const hq::SuggestionRow &s : again.suggestions)
            QVERIFY(!refs.contains(s.ref));

        const hq::Bulletin b = must(hq::buildBulletin(h), "bulletin");
        QCOMPARE(b.total, qint64(11));
        QCOMPARE(b.notYetTallied, qint64(0));
    }

    void noFullReleaseAFewBallotsAwayFromAnEarlierOne()
    {
        // A late kiosk at west with one ballot: the difference of two full releases would
        // show how that one representative voted.
        importStage(3);
        hq::TallyResults r = tally();
        QVERIFY(r.missing.isEmpty());
        auto h = open();
        const Status full = hq::checkFullRelease(h, r);
        QCOMPARE(full.error().code, QStringLiteral("tally-difference"));
        QVERIFY(full.error().message.contains(QStringLiteral("group alpha at venue west")));
        QVERIFY(full.error().message.contains(QStringLiteral("1 ballot(s) apart")));
        // The same results again are fine (nothing new can be read from them).
        hq::TallyResults same = r;
        same.cells[{QStringLiteral("alpha"), QStringLiteral("west")}] = 1;
        must(hq::checkFullRelease(h, same), "an identical release");

        // Counts only are still possible, and replace the earlier output as a whole.
        hq::withholdContent(r);
        const QString out = publish(r, QStringLiteral("out"));
        QVERIFY(!QFileInfo::exists(QDir(out).filePath(QStringLiteral("suggestions"))));
        QVERIFY(
            !QFileInfo::exists(QDir(out).filePath(QStringLiteral("departments_by_venue.csv")))
            || !QString::fromUtf8(must(readFile(QDir(out).filePath(QStringLiteral("departments_by_venue.csv"))), "csv"))
                    .contains(QStringLiteral("a-1")));
        QVERIFY(resultsJson(out).value(QLatin1String("provisional")).toBool());
        QCOMPARE(must(hq::buildBulletin(h), "bulletin").total, qint64(12));
    }

    void aLaterReleaseKeepsEarlierVenuePartsTogether()
    {
        // Release 1: main 3, east 4, west 1 (threshold 3): west is merged with the smallest
        // venue shown, main. Release 2: a late kiosk adds 3 ballots at main (a difference of
        // 3 is allowed). Merged afresh, west would now go with east, whose 4 ballots are
        // unchanged: east+west of release 2 minus east of release 1 is west's one ballot.
        // The parts of release 1 stay together instead.
        const QString dir = m_tmp.filePath(QStringLiteral("hq-parts"));
        must(hq::Hq::init(dir, passphrase(), crypto::KdfStrength::interactive()), "init");
        auto h = must(hq::Hq::open(dir), "open");
        must(h.setActivity(m_activity), "activity");
        const hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        const crypto::BoxKeyPair election = must(h.unlockElection(passphrase()), "election");
        must(h.importRoster(data(QStringLiteral("roster.csv")), QStringLiteral("roster.csv"), secrets), "roster");
        auto batch = [&](const QString &kiosk, const QString &venue, const QString &session, int ballots,
                         const QStringList &reps) {
            const TestKiosk k = enrolKiosk(h, secrets, venue, kiosk);
            QList<BallotAnswers> list;
            for (int i = 0; i < ballots; ++i)
                list << ballotOf(m_activity, session,
                                 {session == QLatin1String("alpha") ? QStringLiteral("SFB") : QStringLiteral("SF"),
                                  QStringLiteral("yes"), QJsonArray(), QStringLiteral("no")});
            QList<CheckInEntry> checkins;
            for (const QString &r : reps)
                checkins.append({r, true});
            return makeBatch(h, k, {m_activity.id, venue, kiosk, session, false}, list, {}, checkins);
        };
        const QList<QByteArray> first {
            batch(QStringLiteral("p-m1"), QStringLiteral("main"), QStringLiteral("alpha"), 3,
                  {QStringLiteral("G-M1"), QStringLiteral("G-M2"), QStringLiteral("G-M3")}),
            batch(QStringLiteral("p-m2"), QStringLiteral("main"), QStringLiteral("beta"), 3,
                  {QStringLiteral("G-M5"), QStringLiteral("G-M6"), QStringLiteral("G-M7")}),
            batch(QStringLiteral("p-e1"), QStringLiteral("east"), QStringLiteral("alpha"), 4,
                  {QStringLiteral("G-E1"), QStringLiteral("G-E2"), QStringLiteral("G-E3"), QStringLiteral("G-E4")}),
            batch(QStringLiteral("p-w1"), QStringLiteral("west"), QStringLiteral("alpha"), 1,
                  {QStringLiteral("G-W1")})};
        QCOMPARE(must(hq::importBatchBytes(h, secrets.archive, first, {}), "import").imported(), 4);
        auto parts = [](const hq::TallyResults &r) {
            QStringList out;
            for (const hq::VenueGroup &g : r.sessions[0].byVenue)
                out << g.venues.join(QLatin1Char('+'));
            out.sort();
            return out;
        };
        const hq::TallyResults r1 = must(hq::computeTally(h, election, {}), "tally 1");
        must(hq::checkFullRelease(h, r1), "release 1");
        QCOMPARE(parts(r1), (QStringList {QStringLiteral("east"), QStringLiteral("main+west")}));
        must(hq::recordTallyRun(h, r1), "record 1");

        QCOMPARE(
            must(hq::importBatchBytes(h, secrets.archive,
                                      {batch(QStringLiteral("p-m3"), QStringLiteral("main"), QStringLiteral("alpha"), 3,
                                             {QStringLiteral("G-M4"), QStringLiteral("G-M1"), QStringLiteral("G-M2")})},
                                      {}),
                 "import late")
                .imported(),
            1);
        const hq::TallyResults r2 = must(hq::computeTally(h, election, {}), "tally 2");
        must(hq::checkFullRelease(h, r2), "release 2: a difference of 3 at main");
        QCOMPARE(parts(r2), (QStringList {QStringLiteral("east"), QStringLiteral("main+west")}));
        // Fresh merging would have given what the parts above prevent.
        QList<QPair<QString, qint64>> fresh {
            {QStringLiteral("main"), 6}, {QStringLiteral("east"), 4}, {QStringLiteral("west"), 1}};
        QCOMPARE(hq::mergeSmallParts(fresh, 3).value(1).keys,
                 (QStringList {QStringLiteral("east"), QStringLiteral("west")}));
    }

    void damagedArchiveCopyIsNamed()
    {
        // The tally reads the archived copies itself: a damaged one is named, never
        // half counted, and importing the original again restores it.
        auto h = open();
        const QDir archive(h.filePath(hq::Hq::batchesDir));
        const QString victim = archive.entryList(QDir::Files).first();
        const QByteArray original = must(readFile(archive.filePath(victim)), "archive");
        QByteArray damaged = original;
        damaged[damaged.size() - 200] = char(damaged[damaged.size() - 200] ^ 0x01); // inside the record stream
        must(writeFileAtomic(archive.filePath(victim), damaged), "damage");
        auto r = hq::computeTally(h, *m_election, {});
        QCOMPARE(r.error().code, QStringLiteral("tally-archive"));
        QVERIFY(r.error().message.contains(victim));
        QVERIFY(r.error().message.contains(QStringLiteral("import the original")));
        must(writeFileAtomic(archive.filePath(victim), original), "restore");
        QCOMPARE(must(hq::computeTally(h, *m_election, {}), "tally").ballots, qint64(12));
    }

    void outputDirectoryIsReplacedOrRefused()
    {
        const QString other = m_tmp.filePath(QStringLiteral("documents"));
        QDir().mkpath(other);
        must(writeFileAtomic(QDir(other).filePath(QStringLiteral("notes.txt")), "keep me"), "notes");
        QCOMPARE(hq::StagedOutput::create(other).error().code, QStringLiteral("out-not-tally"));
        QVERIFY(QFileInfo::exists(QDir(other).filePath(QStringLiteral("notes.txt"))));
        {
            // Not committed: the staging directory goes, the earlier output stays.
            auto stage = must(hq::StagedOutput::create(m_tmp.filePath(QStringLiteral("out"))), "stage");
            QVERIFY(QFileInfo::exists(stage.path()));
        }
        const QStringList left = QDir(m_tmp.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
        for (const QString &e : left)
            QVERIFY2(!e.contains(QStringLiteral(".tally-")), qPrintable(e));
        QVERIFY(QFileInfo::exists(m_tmp.filePath(QStringLiteral("out/results.json"))));
    }
};

QTEST_MAIN(TestTallyGolden)
#include "test_tally_golden.moc"
