// Two kiosks of one venue through the real kiosk service: the network plan in the venue
// package selects the shared ledger, a second attempt is refused naming the kiosk that holds
// the check-in, quorum lost is refused "venue-unavailable" within the deadline, and offline
// check-in (the lead's degraded mode) ends as a duplicate in both kiosks' audit logs.

#include "../kiosk/fixture.h"
#include "importer.h"
#include "tally.h"
#include "venuekioskledger.h"
#include "venuetestutil.h"

#include <QElapsedTimer>

using namespace pingyi;
using kiosk::KioskService;
using kiosk::SessionKey;

class TestVenueKiosk : public QObject {
    Q_OBJECT

    test::VenueFixture f;
    const SessionKey econ {QStringLiteral("econ"), false};
    QHash<QString, QString> plan;
    std::mt19937_64 rng {7};

    /// Kiosks "a" and "b" enrolled, the package with the network plan loaded in both.
    bool enrolBoth()
    {
        for (const char *id : {"a", "b"}) {
            if (!f.enrolKiosk(QLatin1String(id)))
                return false;
            plan.insert(QLatin1String(id), QStringLiteral("127.0.0.1:%1").arg(venue::testutil::freePort()));
        }
        auto pkg = f.hq->buildPackage(f.venue, *f.secrets, nullptr, plan);
        if (!pkg)
            return false;
        for (const char *id : {"a", "b"}) {
            auto k = KioskService::open(f.stateDir(QLatin1String(id)), f.clock);
            if (!k || !(*k)->login(f.pins[QStringLiteral("technician")]) || !(*k)->loadPackage(*pkg))
                return false;
        }
        return true;
    }

    std::unique_ptr<KioskService> openShared(const QString &id)
    {
        kiosk::Options options;
        options.sharedLedger = venue::sharedLedgerFactory();
        auto k = KioskService::open(f.stateDir(id), f.clock, options);
        if (!k) {
            qWarning() << k.error().message;
            return {};
        }
        return std::move(k).value();
    }

    static int count(KioskService &k, const QString &event)
    {
        int n = 0;
        for (const AuditEvent &e : *k.auditLog())
            n += e.body.value(QLatin1String("event")).toString() == event;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(f.setUp());
        QVERIFY(enrolBoth());
    }

    void planIsChecked()
    {
        // A plan that leaves out an enrolled kiosk, names a stranger or repeats an address.
        auto missing = plan;
        missing.remove(QStringLiteral("b"));
        auto r = f.hq->buildPackage(f.venue, *f.secrets, nullptr, missing);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("network-plan"));
        QVERIFY(r.error().message.contains(QStringLiteral("kiosk b has no address")));
        auto stranger = plan;
        stranger.insert(QStringLiteral("zz"), QStringLiteral("127.0.0.1:1"));
        QVERIFY(!f.hq->buildPackage(f.venue, *f.secrets, nullptr, stranger));
        auto twice = plan;
        twice[QStringLiteral("b")] = twice[QStringLiteral("a")];
        QVERIFY(!f.hq->buildPackage(f.venue, *f.secrets, nullptr, twice));
        // The plan file's words.
        auto parsed = hq::Hq::parseNetworkPlan("# venue LAN\nshinan-1 10.0.0.11:7443\n\nshinan-2  10.0.0.12:7443\n",
                                               QStringLiteral("plan.txt"));
        QVERIFY(parsed);
        QCOMPARE(parsed->value(QStringLiteral("shinan-2")), QStringLiteral("10.0.0.12:7443"));
        auto bad = hq::Hq::parseNetworkPlan("shinan-1 10.0.0.11\n", QStringLiteral("plan.txt"));
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("plan.txt, line 1")));
        QVERIFY(!hq::Hq::parseNetworkPlan("shinan-1 10.0.0.11:1\nshinan-1 10.0.0.12:1\n", QStringLiteral("p")));
    }

    void oneKioskKeepsItsOwnList()
    {
        // Without the factory (a setup command) the kiosk opens on its local list alone.
        auto k = KioskService::open(f.stateDir(QStringLiteral("a")), f.clock);
        QVERIFY(k);
        QVERIFY(!(*k)->venueStatus().shared);
        QVERIFY((*k)->login(f.pins[QStringLiteral("lead")]));
        auto s = (*k)->setOfflineCheckIn(true);
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("venue-not-shared"));
    }

    void secondAttemptNamesTheHolder()
    {
        auto a = openShared(QStringLiteral("a"));
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(a && b);
        QVERIFY(a->venueStatus().shared);
        for (auto *k : {a.get(), b.get()}) {
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]));
            QVERIFY(k->openSession(econ));
            k->logout();
        }
        const QStringList creds = f.credentials(econ.code);
        QVERIFY(creds.size() >= 4);
        QVERIFY(a->checkInCredential(creds[0]));
        auto held = b->checkInCredential(creds[0]);
        QVERIFY(!held);
        QCOMPARE(held.error().code, QStringLiteral("checked-in-elsewhere"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        QVERIFY(held.error().message.contains(QStringLiteral("kiosk a")));
        QVERIFY(a->cast(f.ballot(econ.code, rng), {}));
        auto voted = b->checkInCredential(creds[0]);
        QVERIFY(!voted);
        QCOMPARE(voted.error().code, QStringLiteral("already-voted"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        // The other way round, and the refusal is forgotten at the next check-in.
        QVERIFY(b->checkInCredential(creds[1]));
        QVERIFY(b->refusalHolder().isEmpty());
        QVERIFY(!a->checkInCredential(creds[1]));
        QCOMPARE(a->refusalHolder(), QStringLiteral("b"));
        QVERIFY(b->cast(f.ballot(econ.code, rng), {}));
        // The venue view counts per kiosk (the prober looks every 2 s).
        QTRY_VERIFY_WITH_TIMEOUT(a->venueStatus().connected && a->venueStatus().kiosks.size() == 2
                                     && a->venueStatus().kiosks[1].voted == 1,
                                 10000);
        const auto st = a->venueStatus();
        QCOMPARE(st.kiosks[0].kioskId, QStringLiteral("a"));
        QVERIFY(st.kiosks[0].self);
        QCOMPARE(st.kiosks[0].voted, 1);
        QCOMPARE(st.kiosks[0].checkedIn, 1);
        QVERIFY(st.kiosks[1].reachable);
    }

    void quorumLostIsRefusedInTime()
    {
        // Two kiosks have one voter: "a" (node 1). Without it "b" cannot claim.
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(b);
        const QStringList creds = f.credentials(econ.code);
        QElapsedTimer t;
        t.start();
        auto r = b->checkInCredential(creds[2]);
        const qint64 ms = t.elapsed();
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("venue-unavailable"));
        qInfo("venue-unavailable after %lld ms", ms);
        QVERIFY2(ms >= 2500 && ms <= 4000, qPrintable(QString::number(ms)));
        QCOMPARE(count(*b, QStringLiteral("check-in-refused")) > 0, true);
        QVERIFY(!b->voterActive());
    }

    void offlineCheckInBecomesADuplicate()
    {
        const QStringList creds = f.credentials(econ.code);
        const QString rep = creds[3];
        {
            // The network is down ("a" is off): the lead switches "b" to offline check-in.
            auto b = openShared(QStringLiteral("b"));
            QVERIFY(b);
            QVERIFY(!b->setOfflineCheckIn(true)); // the lead's PIN first
            QVERIFY(b->login(f.pins[QStringLiteral("staff")]));
            QCOMPARE(b->setOfflineCheckIn(true).error().code, QStringLiteral("role"));
            QVERIFY(b->login(f.pins[QStringLiteral("lead")]));
            QVERIFY(b->setOfflineCheckIn(true));
            b->logout();
            QVERIFY(b->venueStatus().offline);
            QVERIFY(b->checkInCredential(rep));
            QVERIFY(b->cast(f.ballot(econ.code, rng), {}));
            QCOMPARE(b->venueStatus().queued, 1);
            QCOMPARE(count(*b, QStringLiteral("venue-offline")), 1);
        }
        // Meanwhile the same representative voted at "a".
        auto a = openShared(QStringLiteral("a"));
        QVERIFY(a);
        QVERIFY(a->checkInCredential(rep));
        QVERIFY(a->cast(f.ballot(econ.code, rng), {}));
        // The network is back: "b" (offline still, and after a restart) pushes its queue.
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(b);
        QVERIFY(b->venueStatus().offline);
        QCOMPARE(b->venueStatus().queued, 1);
        QTRY_VERIFY_WITH_TIMEOUT((b->venueTick(), b->venueStatus().queued == 0), 15000);
        QCOMPARE(count(*b, QStringLiteral("venue-duplicate")), 1);
        QTRY_VERIFY_WITH_TIMEOUT((a->venueTick(), count(*a, QStringLiteral("venue-duplicate")) == 1), 15000);
        for (const AuditEvent &e : *a->auditLog())
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("venue-duplicate")) {
                QCOMPARE(e.body.value(QLatin1String("offline_kiosk")).toString(), QStringLiteral("b"));
                QCOMPARE(e.body.value(QLatin1String("holder")).toString(), QStringLiteral("a"));
            }
        QVERIFY(a->verifyAuditLog());
        QVERIFY(b->verifyAuditLog());
        // Back online: "b" asks the venue again, and the venue knows who voted.
        QVERIFY(b->login(f.pins[QStringLiteral("lead")]));
        QVERIFY(b->setOfflineCheckIn(false));
        b->logout();
        auto again = b->checkInCredential(creds[0]);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("already-voted"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        // Both batches say so in their headers, and the office's duplicate report lists the
        // representative with two votes.
        const QString out = f.dir.filePath(QStringLiteral("batches"));
        QVERIFY(QDir().mkpath(out));
        QList<QByteArray> batches;
        for (auto *k : {a.get(), b.get()}) {
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]));
            QVERIFY(k->closeSession(econ));
            auto exported = k->exportSession(econ, out);
            QVERIFY2(exported, exported ? "" : qPrintable(exported.error().message));
            batches << *readFile(exported->path);
            auto header = readBatch(batches.back());
            QVERIFY(header);
            QCOMPARE(header->header.venueDuplicates, 1);
        }
        auto imported = hq::importBatchBytes(*f.hq, f.secrets->archive, batches, {});
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        QCOMPARE(imported->imported(), 2);
        QCOMPARE(imported->batches[0].warnings.value(0).code, QStringLiteral("venue-duplicates"));
        auto election = f.hq->unlockElection(test::hqPassphrase());
        QVERIFY(election);
        auto tally = hq::computeTally(*f.hq, *election, {});
        QVERIFY2(tally, tally ? "" : qPrintable(tally.error().message));
        QString repId;
        for (const hq::Card &c : *f.hq->cards(*f.secrets, f.venue))
            if (c.credential == rep)
                repId = c.repId;
        QCOMPARE(tally->duplicates.size(), 1);
        QCOMPARE(tally->duplicates[0].repId, repId);
        QCOMPARE(tally->duplicates[0].votes(), 2);
    }
};

QTEST_GUILESS_MAIN(TestVenueKiosk)
#include "test_venue_kiosk.moc"
