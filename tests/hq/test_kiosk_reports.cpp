// Kiosks the office expects (issue 9): zero and closing reports are verified and stored,
// a kiosk that reported a group blocks full results until its batch is imported, a
// retired (lost) kiosk only with a recorded acknowledgement, spare kiosks are listed as
// spares, and the late batch, once imported, gives the full results — equal to the truth,
// never refused because of a provisional release before it.

#include "hqtestutil.h"
#include "importer.h"
#include "kioskreports.h"
#include "report.h"
#include "simulator.h"
#include "tally.h"

#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

ReportSummary closing(const SessionContext &c, qint64 ballots)
{
    return {true, c, {ballots, ballots, 0, 0}, crypto::randomBytes(32)};
}

QStringList codes(const QList<hq::ReportStoreResult> &results)
{
    QStringList out;
    for (const hq::ReportStoreResult &r : results)
        out << (r.outcome == hq::ReportOutcome::Stored              ? QStringLiteral("stored")
                    : r.outcome == hq::ReportOutcome::AlreadyStored ? QStringLiteral("already")
                                                                    : r.code);
    return out;
}

} // namespace

class TestKioskReports : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    Activity m_activity;
    int m_dirs = 0;

    QString freshHq(double scale = 0.2, const Activity *activity = nullptr)
    {
        const QString dir = m_tmp.filePath(QStringLiteral("hq-%1").arg(++m_dirs));
        makeHq(dir, activity ? *activity : m_activity, scale);
        return dir;
    }

    /// The example cut down to one group at three venues, so that a test can hold every
    /// batch the full results need.
    static Activity threeVenues()
    {
        QJsonObject o = QJsonDocument::fromJson(must(readFile(examplePath), "read example")).object();
        const QStringList keep {QStringLiteral("main"), QStringLiteral("shinan"), QStringLiteral("shibei")};
        QJsonArray venues;
        for (const QJsonValue &v : o.value(QLatin1String("venues")).toArray())
            if (keep.contains(v.toObject().value(QLatin1String("code")).toString()))
                venues.append(v);
        o.insert(QStringLiteral("venues"), venues);
        QJsonObject econ = o.value(QLatin1String("sessions")).toArray().first().toObject();
        econ.insert(QStringLiteral("venues"), QJsonArray::fromStringList(keep));
        o.insert(QStringLiteral("sessions"), QJsonArray {econ});
        return must(Activity::fromJson(QJsonDocument(o).toJson(), examplePath), "three venues");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_activity = exampleActivity();
    }

    /// Reports are verified before they are stored; the same one again is a no-op; a
    /// different closing report for the same kiosk and group is refused, the first stays.
    void reportsAreVerifiedAndStoredOnce()
    {
        auto h = must(hq::Hq::open(freshHq()), "open");
        const hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        const TestKiosk k = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-1"));
        const SessionContext c {m_activity.id, k.venue, k.id, QStringLiteral("econ"), false};
        const QString zero = encodeReportQr({false, c, {}, sortedIdDigest({})}, k.key);
        const QString close = encodeReportQr(closing(c, 7), k.key);
        const QString other = encodeReportQr(closing(c, 8), k.key);
        const QString forged = encodeReportQr(closing(c, 7), crypto::SigningKey::generate());
        SessionContext elsewhere = c;
        elsewhere.kioskId = QStringLiteral("not-enrolled");
        const QString stranger = encodeReportQr(closing(elsewhere, 3), k.key);
        const QString notEmpty = encodeReportQr({false, c, {1, 1, 0, 0}, crypto::randomBytes(32)}, k.key);

        auto r = must(hq::storeReports(h, {zero, close, close, other, forged, stranger, notEmpty, QStringLiteral("x")}),
                      "store");
        QCOMPARE(codes(r),
                 (QStringList {QStringLiteral("stored"), QStringLiteral("stored"), QStringLiteral("already"),
                               QStringLiteral("report-conflict"), QStringLiteral("report-signature"),
                               QStringLiteral("report-unknown-kiosk"), QStringLiteral("zero-report-not-empty"),
                               QStringLiteral("report-format")}));
        QVERIFY2(r[3].message.contains(QStringLiteral("7 ballots"))
                     && r[3].message.contains(QStringLiteral("8 ballots"))
                     && r[3].message.contains(QStringLiteral("the stored one stays")),
                 qPrintable(r[3].message));
        const auto stored = must(hq::storedReports(h), "stored");
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored[1].payload, close); // zero first, then closing
        QCOMPARE(stored[1].counts.ballots, qint64(7));

        // A closing report that disagrees with the batch already imported is refused.
        const TestKiosk k2 = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-2"));
        const SessionContext c2 {m_activity.id, k2.venue, k2.id, QStringLiteral("econ"), false};
        must(hq::importBatchBytes(h, secrets.archive, {makeBatch(h, k2, c2, {}, {}, {})}, {}), "import");
        auto late = must(hq::storeReports(h, {encodeReportQr(closing(c2, 4), k2.key)}), "late");
        QCOMPARE(codes(late), QStringList {QStringLiteral("closing-report-mismatch")});
    }

    /// Two kiosks at a venue, driven by the simulator as the office enrolled them, and
    /// three spares. One batch is held back, its closing report given at import: the full
    /// tally is refused naming that kiosk (the spares are listed as spares, not as
    /// missing); the provisional tally works; once the batch is imported the full tally
    /// succeeds and every department's figures equal the truth.
    void heldBackBatchBlocksFullResultsUntilImported()
    {
        const Activity activity = threeVenues();
        const QString dir = freshHq(0.5, &activity);
        auto h = must(hq::Hq::open(dir), "open");
        const hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        const crypto::BoxKeyPair election = must(h.unlockElection(passphrase()), "election");
        static const SystemClock clock;
        QStringList states;
        for (const QString &id : {QStringLiteral("main-1"), QStringLiteral("main-2")}) {
            const QString state = m_tmp.filePath(QStringLiteral("state-") + id);
            must(sim::enrolKiosk(h, secrets, QStringLiteral("main"), state, id, clock), "enrol");
            states << state;
        }
        for (const QString &id : {QStringLiteral("main-spare"), QStringLiteral("shinan-spare")})
            enrolKiosk(h, secrets, id.section(QLatin1Char('-'), 0, 0), id);
        enrolKiosk(h, secrets, QStringLiteral("shibei"), QStringLiteral("shibei-spare"));

        sim::Options o;
        o.hqDir = dir;
        o.venue = QStringLiteral("main");
        o.session = QStringLiteral("econ");
        o.kioskStates = states;
        o.voters = 100;
        o.outDir = m_tmp.filePath(QStringLiteral("sim-main"));
        o.seed = 9;
        const sim::Outcome out = must(sim::run(o, passphrase()), "simulate");
        // The other venues of the group, each on one kiosk of its own, all imported.
        QList<QJsonObject> truths {out.truth};
        QStringList others;
        for (const QString &venue : {QStringLiteral("shinan"), QStringLiteral("shibei")}) {
            sim::Options v = o;
            v.venue = venue;
            v.kioskStates.clear();
            v.kiosks = 1;
            v.voters = 15;
            v.outDir = m_tmp.filePath(QStringLiteral("sim-") + venue);
            const sim::Outcome there = must(sim::run(v, passphrase()), "simulate other venue");
            truths << there.truth;
            others += there.batches;
        }
        QCOMPARE(must(hq::importBatches(h, secrets.archive, others, {}), "import others").imported(), 2);
        const QJsonArray kiosks = out.truth.value(QLatin1String("kiosks")).toArray();
        QCOMPARE(kiosks.size(), 2);
        const QJsonObject held = kiosks[1].toObject();
        QCOMPARE(held.value(QLatin1String("kiosk")).toString(), QStringLiteral("main-2"));
        const qint64 heldBallots = held.value(QLatin1String("ballots")).toInteger();
        QVERIFY(heldBallots > 0);

        hq::ImportOptions options;
        options.closingReports = {kiosks[0].toObject().value(QLatin1String("closing_report")).toString(),
                                  held.value(QLatin1String("closing_report")).toString()};
        auto first = must(hq::importBatches(h, secrets.archive, {out.batches[0]}, options), "import one");
        QCOMPARE(first.imported(), 1);
        QCOMPARE(first.reportsStored.size(), 2);
        QCOMPARE(first.unmatchedReports.size(), 1);

        hq::TallyResults r = must(hq::computeTally(h, election, {}), "tally");
        QCOMPARE(r.missing.size(), 1);
        QCOMPARE(r.missing[0].kiosk, QStringLiteral("main-2"));
        QCOMPARE(r.missing[0].reportedBallots, heldBallots);
        const Status full = hq::checkFullRelease(h, r);
        QCOMPARE(full.error().code, QStringLiteral("tally-incomplete"));
        for (const QString &part : {QStringLiteral("venue main"), QStringLiteral("kiosk main-2"),
                                    QStringLiteral("group econ"), QStringLiteral("%1 ballot(s)").arg(heldBallots),
                                    QStringLiteral("import it"), QStringLiteral("kiosk retire")})
            QVERIFY2(full.error().message.contains(part), qPrintable(full.error().message));
        QStringList spares;
        for (const hq::BatchRef &k : r.silentKiosks)
            spares << k.kiosk;
        QCOMPARE(spares,
                 (QStringList {QStringLiteral("main-spare"), QStringLiteral("shibei-spare"),
                               QStringLiteral("shinan-spare")}));
        const QStringList attention = r.attention();
        QVERIFY2(attention.first().startsWith(QStringLiteral("MISSING BATCH: venue main, kiosk main-2")),
                 qPrintable(attention.join(QLatin1Char('\n'))));
        const QStringList spareLines = attention.filter(QStringLiteral("spare"));
        QCOMPARE(spareLines.size(), 1); // once, briefly
        QVERIFY(
            !attention.join(QLatin1Char('\n')).contains(QStringLiteral("MISSING BATCH: venue main, kiosk main-spare")));

        // Provisional results meanwhile: counts only, recorded, never compared later.
        hq::withholdContent(r);
        must(hq::recordTallyRun(h, r), "record provisional");

        auto late = must(hq::importBatches(h, secrets.archive, {out.batches[1]}, {}), "import late");
        QCOMPARE(late.imported(), 1);
        QVERIFY(late.batches[0].closingReport.startsWith(QStringLiteral("PYR1:"))); // checked against the stored one
        const hq::TallyResults fullResults = must(hq::computeTally(h, election, {}), "tally again");
        QVERIFY(fullResults.missing.isEmpty());
        const Status ok = hq::checkFullRelease(h, fullResults);
        QVERIFY2(ok.ok(), qPrintable(ok.ok() ? QString() : ok.error().message));
        must(hq::recordTallyRun(h, fullResults), "record full");

        // Equal to the truth, department by department.
        QMap<QString, QMap<QString, qint64>> truth;
        qint64 ballots = 0;
        for (const QJsonObject &t : truths)
            for (const QJsonValue &b : t.value(QLatin1String("ballots")).toArray()) {
                ++ballots;
                const QJsonObject ratings = b.toObject().value(QLatin1String("ratings")).toObject();
                for (auto it = ratings.begin(); it != ratings.end(); ++it)
                    ++truth[it.key()][it.value().toString()];
            }
        const hq::SessionResult *econ = nullptr;
        for (const hq::SessionResult &s : fullResults.sessions)
            if (s.code == QLatin1String("econ"))
                econ = &s;
        QVERIFY(econ);
        QCOMPARE(econ->ballots, ballots);
        QCOMPARE(econ->departments.size(), truth.size());
        for (const hq::DepartmentResult &d : econ->departments)
            for (int i = 0; i < m_activity.scale.size(); ++i)
                QCOMPARE(d.counts[i], truth[d.code].value(m_activity.scale[i].code));
    }

    /// A kiosk that closed with ballots and is retired as lost never lets full results
    /// through silently: only with the office's acknowledgement, which is printed; an
    /// acknowledgement with nothing missing is refused. A retired spare is just retired.
    void retiredLostKioskNeedsAcknowledgement()
    {
        const Activity activity = threeVenues();
        auto h = must(hq::Hq::open(freshHq(0.2, &activity)), "open");
        const hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        const crypto::BoxKeyPair election = must(h.unlockElection(passphrase()), "election");
        // The other venues sent their (empty) batches.
        for (const QString &venue : {QStringLiteral("main"), QStringLiteral("shibei")}) {
            const TestKiosk k = enrolKiosk(h, secrets, venue, venue + QStringLiteral("-k"));
            QCOMPARE(
                must(hq::importBatchBytes(
                         h, secrets.archive,
                         {makeBatch(h, k, {activity.id, venue, k.id, QStringLiteral("econ"), false}, {}, {}, {})}, {}),
                     "import other venue")
                    .imported(),
                1);
        }
        const TestKiosk sent = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-sent"));
        const TestKiosk lost = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-lost"));
        const TestKiosk spare = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-spare"));
        const SessionContext cs {activity.id, sent.venue, sent.id, QStringLiteral("econ"), false};
        const SessionContext cl {activity.id, lost.venue, lost.id, QStringLiteral("econ"), false};
        QCOMPARE(must(hq::importBatchBytes(h, secrets.archive, {makeBatch(h, sent, cs, {}, {}, {})}, {}), "import")
                     .imported(),
                 1);
        QCOMPARE(codes(must(hq::storeReports(h, {encodeReportQr(closing(cl, 2), lost.key)}), "report")),
                 QStringList {QStringLiteral("stored")});
        QCOMPARE(hq::retireKiosk(h, QStringLiteral("nobody"), QStringLiteral("x")).error().code,
                 QStringLiteral("unknown-kiosk"));
        QCOMPARE(hq::retireKiosk(h, lost.id, QStringLiteral(" ")).error().code, QStringLiteral("usage"));
        must(hq::retireKiosk(h, lost.id, QStringLiteral("USB drive lost on the way to the office")), "retire");
        must(hq::retireKiosk(h, spare.id, QStringLiteral("spare, never unpacked")), "retire spare");

        hq::TallyResults r = must(hq::computeTally(h, election, {}), "tally");
        QVERIFY2(r.silentKiosks.isEmpty(), qPrintable(r.attention().join(QLatin1Char('\n')))); // the spare is retired
        QCOMPARE(r.retired.size(), 2);
        QCOMPARE(r.missing.size(), 1);
        QVERIFY(r.missing[0].retired);
        const Status refused = hq::checkFullRelease(h, r);
        QCOMPARE(refused.error().code, QStringLiteral("tally-incomplete"));
        QVERIFY2(refused.error().message.contains(QStringLiteral("--accept-incomplete")),
                 qPrintable(refused.error().message));

        r.incomplete = QStringLiteral("decided by the joint-meeting office, 2025-12-21");
        QVERIFY(hq::checkFullRelease(h, r).ok());
        QVERIFY(r.attention().join(QLatin1Char('\n')).contains(QStringLiteral("INCOMPLETE")));
        QCOMPARE(r.toJson().value(QLatin1String("incomplete")).toString(), r.incomplete);
        must(hq::recordTallyRun(h, r), "record");
        auto st = must(h.db().prepare("SELECT incomplete FROM tally_run"), "select");
        QVERIFY(*st.next());
        QCOMPARE(st.text(0), r.incomplete);

        // With nothing lost, the acknowledgement has nothing to acknowledge.
        hq::TallyResults clean;
        clean.incomplete = QStringLiteral("nothing");
        QCOMPARE(hq::checkFullRelease(h, clean).error().code, QStringLiteral("usage"));
    }
};

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestKioskReports t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_kiosk_reports.moc"
