// pingyi-sim end to end: a 300-representative session on 3 kiosks of a Qingdao venue.
// Every batch verifies as the office would check it (archive key), the counts add up to
// the truth file, and a rehearsal run is marked as such in its batches.

#include "fixture.h"

#include "enrolment.h"

#include <QElapsedTimer>
#include <QJsonArray>

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
            auto cert = KioskCertificate::verify(file->header.kioskCertificate, f.hq->rootPublicKey(), f.activity.id, f.venue);
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
