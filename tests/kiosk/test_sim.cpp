// pingyi-sim end to end: a 300-representative session on 3 kiosks of a Qingdao venue.
// Every batch verifies as the office would check it (archive key), the counts add up to
// the truth file, and a rehearsal run is marked as such in its batches.

#include "fixture.h"

#include "enrolment.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

using namespace pingyi;
using pingyi::test::VenueFixture;

class TestSim : public QObject {
    Q_OBJECT
    VenueFixture f;

    void checkBatches(const sim::Outcome &out, bool rehearsal)
    {
        qint64 ballots = 0, suggestions = 0, released = 0;
        QSet<QString> receipts;
        for (const QString &path : out.batches) {
            auto file = readBatch(*readFile(path));
            QVERIFY(file.ok());
            QCOMPARE(file->header.context.rehearsal, rehearsal);
            QCOMPARE(path.contains(QLatin1String("REHEARSAL")), rehearsal);
            auto cert = KioskCertificate::verify(file->header.kioskCertificate, f.hq->rootPublicKey(), f.activity.id,
                                                 f.venue);
            QVERIFY(cert.ok());
            QVERIFY(verifyBatchSignature(*file, cert->signPublicKey).ok());
            auto content = decryptBatch(*file, *openBatchKey(*file, f.secrets->archive, false));
            QVERIFY(content.ok());
            QVERIFY(verifyRecords(*content, cert->signPublicKey).isEmpty());
            QVERIFY(checkBatchInvariants(*content).ok());
            ballots += content->header.counts.ballots;
            suggestions += content->header.counts.suggestions;
            released += content->header.counts.released;
            for (const SealedRecord &r : content->records)
                if (r.kind == RecordKind::Ballot)
                    receipts.insert(receiptCode(r.id()));
        }
        QCOMPARE(ballots, out.ballots);
        QCOMPARE(suggestions, out.suggestions);
        QCOMPARE(released, out.released);
        QCOMPARE(out.truth.value(QLatin1String("ballots")).toArray().size(), ballots);
        QSet<QString> issued;
        for (const QJsonValue &k : out.truth.value(QLatin1String("kiosks")).toArray())
            for (const QJsonValue &r : k.toObject().value(QLatin1String("receipts")).toArray())
                issued.insert(r.toString());
        QCOMPARE(issued, receipts);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(f.setUp(3.5)); }

    void threeHundredOnThreeKiosks()
    {
        sim::Options o;
        o.hqDir = f.dir.filePath(QStringLiteral("hq"));
        o.venue = f.venue;
        o.session = QStringLiteral("econ");
        o.kiosks = 3;
        o.voters = 300;
        o.outDir = f.dir.filePath(QStringLiteral("sim-real"));
        o.seed = 42;
        QElapsedTimer t;
        t.start();
        auto out = sim::run(o, test::hqPassphrase());
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        qInfo("300 representatives on 3 kiosks: %lld ballots in %.1f s", out->ballots, double(t.elapsed()) / 1000);
        QCOMPARE(out->batches.size(), 3);
        QCOMPARE(out->ballots + out->released, qint64(300)); // each voter cast once or walked away
        checkBatches(*out, false);
    }

    void rehearsal()
    {
        sim::Options o;
        o.hqDir = f.dir.filePath(QStringLiteral("hq"));
        o.venue = f.venue;
        o.session = QStringLiteral("service");
        o.kiosks = 1;
        o.voters = 20;
        o.outDir = f.dir.filePath(QStringLiteral("sim-rehearsal"));
        o.rehearsal = true;
        auto out = sim::run(o, test::hqPassphrase());
        QVERIFY(out.ok());
        checkBatches(*out, true);
    }

    /// The kiosks the office enrolled (their state directories) are driven, not fresh ones:
    /// no kiosk is enrolled by the run, and every batch comes from one of them.
    void drivesTheOfficesKiosks()
    {
        const QStringList ids {QStringLiteral("shinan-a"), QStringLiteral("shinan-b")};
        QStringList states;
        for (const QString &id : ids) {
            auto k = sim::enrolKiosk(*f.hq, *f.secrets, f.venue, f.stateDir(id), id, f.clock);
            QVERIFY2(k.ok(), qPrintable(k.ok() ? QString() : k.error().message));
            states << f.stateDir(id); // closed again: the simulator opens it
        }
        auto enrolled = [&] {
            auto st = *f.hq->db().prepare("SELECT COUNT(*) FROM kiosk");
            return *st.next() ? st.integer(0) : -1;
        };
        const qint64 before = enrolled();
        sim::Options o;
        o.hqDir = f.dir.filePath(QStringLiteral("hq"));
        o.venue = f.venue;
        o.session = QStringLiteral("econ");
        o.kioskStates = states;
        o.voters = 40;
        o.outDir = f.dir.filePath(QStringLiteral("sim-own"));
        auto out = sim::run(o, test::hqPassphrase());
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        QCOMPARE(enrolled(), before);
        QCOMPARE(out->batches.size(), 2);
        QStringList from;
        for (const QJsonValue &k : out->truth.value(QLatin1String("kiosks")).toArray())
            from << k.toObject().value(QLatin1String("kiosk")).toString();
        QCOMPARE(from, ids);
        checkBatches(*out, false);

        // A directory that is not a kiosk the office enrolled at this venue is named.
        o.kioskStates = {f.dir.filePath(QStringLiteral("no-kiosk-here"))};
        o.outDir = f.dir.filePath(QStringLiteral("sim-own-2"));
        auto bad = sim::run(o, test::hqPassphrase());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QLatin1String("no-kiosk-here")), qPrintable(bad.error().message));
    }

    /// An activity whose only identity method is the credential: the simulator admits
    /// nobody by a lead's override (the kiosk would refuse it), so the run succeeds.
    void credentialOnlyActivity()
    {
        VenueFixture g;
        QJsonObject spec = QJsonDocument::fromJson(
                               *readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json")))
                               .object();
        spec.insert(QStringLiteral("identity_methods"), QJsonArray {QStringLiteral("credential")});
        QVERIFY(g.setUp(0.3));
        auto a = Activity::fromJson(QJsonDocument(spec).toJson(), QStringLiteral("activity.json"));
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        QVERIFY(g.hq->setActivity(*a));
        sim::Options o;
        o.hqDir = g.dir.filePath(QStringLiteral("hq"));
        o.venue = g.venue;
        o.session = QStringLiteral("econ");
        o.kiosks = 1;
        o.voters = 20;
        o.overrideRate = 1.0; // would make every check-in an override if the activity allowed it
        o.outDir = g.dir.filePath(QStringLiteral("sim-credential"));
        auto out = sim::run(o, test::hqPassphrase());
        QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().message));
        QCOMPARE(out->ballots + out->released, qint64(20));
    }

    void refusesTooManyVoters()
    {
        sim::Options o;
        o.hqDir = f.dir.filePath(QStringLiteral("hq"));
        o.venue = f.venue;
        o.session = QStringLiteral("enforcement");
        o.voters = 100000;
        o.outDir = f.dir.filePath(QStringLiteral("sim-x"));
        auto out = sim::run(o, test::hqPassphrase());
        QVERIFY(!out.ok());
        QVERIFY(out.error().message.contains(QLatin1String("only")));
    }
};

QTEST_GUILESS_MAIN(TestSim)
#include "test_sim.moc"
