// The shared ledger on one node (a venue of one voter): the wire protocol, the claim
// protocol's answers and idempotency, the kiosk-side ledger settling at start-up, and the
// offline queue following the admitting transaction.

#include "dqliteclient.h"
#include "kiosk/kioskstore.h"
#include "venuekioskledger.h"
#include "venueledger.h"
#include "venuetestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;
using namespace pingyi::venue;
using Claim = kiosk::CheckInLedger::Claim;

class TestVenueLedger : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<VenueNode> startSingle(QTemporaryDir &dir, const testutil::TestVenue &venue, int index)
    {
        const Member &m = venue.membership.members()[index];
        NodeOptions options;
        options.dataDir = dir.filePath(m.kioskId);
        options.kioskId = m.kioskId;
        auto node = VenueNode::start(venue.membership, testutil::keyFrom(venue.seeds[index]), options);
        if (!node)
            qWarning() << node.error().message;
        return node ? std::move(*node) : nullptr;
    }

private Q_SLOTS:
    void wireProtocol()
    {
        QTemporaryDir dir;
        const auto venue = testutil::makeVenue(1);
        auto node = startSingle(dir, venue, 0);
        QVERIFY(node);
        DqliteClient c(node->dial(node->self().address), 2000);
        QVERIFY(c.handshake());
        QTRY_VERIFY_WITH_TIMEOUT(c.leader().ok() && c.leader()->id == 1, 5000);
        QCOMPARE(c.leader()->address, node->self().address);
        auto servers = c.cluster();
        VENUE_VERIFY_OK(servers);
        QCOMPARE(servers->size(), 1);
        QCOMPARE(servers->first().id, 1u);
        QVERIFY(c.open(QStringLiteral("t")));
        auto pragma = c.query(QStringLiteral("PRAGMA secure_delete = ON"));
        VENUE_VERIFY_OK(pragma);
        auto check = c.query(QStringLiteral("PRAGMA secure_delete"));
        VENUE_VERIFY_OK(check);
        QCOMPARE(check->value(0).value(0).toLongLong(), 1);
        QVERIFY(c.exec(QStringLiteral("CREATE TABLE x (a INTEGER, b TEXT, c BLOB, d REAL, e)")));
        auto ins = c.exec(QStringLiteral("INSERT INTO x VALUES (?, ?, ?, 2.5, ?)"),
                          {qint64(-7), QStringLiteral("名字"), QByteArray("\x00\x01zz", 4), QVariant()});
        VENUE_VERIFY_OK(ins);
        QCOMPARE(ins->rowsAffected, 1);
        auto rows = c.query(QStringLiteral("SELECT a, b, c, d, e FROM x WHERE a = ?"), {qint64(-7)});
        VENUE_VERIFY_OK(rows);
        QCOMPARE(rows->size(), 1);
        const QVariantList r = rows->first();
        QCOMPARE(r[0].toLongLong(), -7);
        QCOMPARE(r[1].toString(), QStringLiteral("名字"));
        QCOMPARE(r[2].toByteArray(), QByteArray("\x00\x01zz", 4));
        QCOMPARE(r[3].toDouble(), 2.5);
        QVERIFY(r[4].isNull());
        auto bad = c.exec(QStringLiteral("INSERT INTO nowhere VALUES (1)"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, QStringLiteral("venue-sql"));
        // The connection stays usable after a failed statement.
        QVERIFY(c.query(QStringLiteral("SELECT count(*) FROM x")).ok());
    }

    void claimProtocol()
    {
        QTemporaryDir dir;
        const auto venue = testutil::makeVenue(1);
        auto node = startSingle(dir, venue, 0);
        QVERIFY(node);
        VenueLedger ledger(*node);
        const kiosk::SessionKey s {QStringLiteral("G1"), false};
        const QByteArray first = VenueLedger::newClaimId();
        auto a = ledger.claim(s, QStringLiteral("r1"), first);
        VENUE_VERIFY_OK(a);
        QCOMPARE(a->claim, Claim::Granted);
        // The same claim id again (a retry after an unknown outcome): still granted.
        auto again = ledger.claim(s, QStringLiteral("r1"), first);
        QCOMPARE(again->claim, Claim::Granted);
        // Another claim id for the same check-in: held, by this kiosk.
        auto other = ledger.claim(s, QStringLiteral("r1"), VenueLedger::newClaimId());
        QCOMPARE(other->claim, Claim::Held);
        QCOMPARE(other->holder, node->self().kioskId);
        // The rehearsal session of the same code is another session.
        QCOMPARE(ledger.claim({QStringLiteral("G1"), true}, QStringLiteral("r1"), VenueLedger::newClaimId())->claim,
                 Claim::Granted);
        QVERIFY(ledger.markVoted(s, QStringLiteral("r1")));
        QVERIFY(ledger.markVoted(s, QStringLiteral("r1")));
        auto voted = ledger.claim(s, QStringLiteral("r1"), first);
        QCOMPARE(voted->claim, Claim::AlreadyVoted);
        // Released check-ins leave no row and can be claimed again.
        QCOMPARE(ledger.claim(s, QStringLiteral("r2"), VenueLedger::newClaimId())->claim, Claim::Granted);
        QVERIFY(ledger.release(s, QStringLiteral("r2")));
        QVERIFY(ledger.release(s, QStringLiteral("r2")));
        QCOMPARE(ledger.claim(s, QStringLiteral("r2"), VenueLedger::newClaimId())->claim, Claim::Granted);
        // A voted check-in is never released.
        QVERIFY(ledger.release(s, QStringLiteral("r1")));
        auto all = ledger.all();
        QVERIFY(all);
        QCOMPARE(all->size(), 3);
        auto active = ledger.activeHere();
        QCOMPARE(active->size(), 2);

        // "Close all": the venue takes no new check-in for the session, whatever a kiosk's
        // copy of the requests says; what is held keeps its answers; an offline check-in
        // told now still lands; the rehearsal of the same code is another session.
        const kiosk::SessionKey g2 {QStringLiteral("G2"), false};
        const QByteArray held = VenueLedger::newClaimId();
        QCOMPARE(ledger.claim(g2, QStringLiteral("r1"), held)->claim, Claim::Granted);
        QVERIFY(ledger.requestClose(g2));
        QVERIFY(ledger.requestClose(g2)); // idempotent
        auto closing = ledger.claim(g2, QStringLiteral("r2"), VenueLedger::newClaimId());
        QVERIFY(!closing);
        QCOMPARE(closing.error().code, QStringLiteral("session-closing"));
        QVERIFY(closing.error().message.contains(node->self().kioskId));
        QCOMPARE(ledger.claim(g2, QStringLiteral("r1"), held)->claim, Claim::Granted);
        QCOMPARE(ledger.claim(g2, QStringLiteral("r1"), VenueLedger::newClaimId())->claim, Claim::Held);
        QCOMPARE(ledger.claim(g2, QStringLiteral("r3"), VenueLedger::newClaimId(), true)->claim, Claim::Granted);
        QCOMPARE(ledger.claim({QStringLiteral("G2"), true}, QStringLiteral("r2"), VenueLedger::newClaimId())->claim,
                 Claim::Granted);
        const auto requests = ledger.closeRequests();
        QVERIFY(requests);
        QCOMPARE(requests->size(), 1);
        QCOMPARE(requests->first().first, g2);
        QCOMPARE(requests->first().second, node->self().kioskId);
    }

    void kioskLedgerSettlesAtStartUp()
    {
        QTemporaryDir dir;
        const auto venue = testutil::makeVenue(1);
        auto node = startSingle(dir, venue, 0);
        QVERIFY(node);
        auto store = kiosk::KioskStore::open(dir.filePath(QStringLiteral("kiosk.db")));
        QVERIFY(store);
        const kiosk::SessionKey s {QStringLiteral("G1"), false};
        QVERIFY((*store)->insertOpenSession(s));
        VenueLedger venueLedger(*node);
        kiosk::LocalCheckInLedger local(**store);
        {
            VenueCheckInLedger ledger(venueLedger, local, **store);
            QCOMPARE(*ledger.claim(s, QStringLiteral("a")), Claim::Granted);
            QCOMPARE(*ledger.claim(s, QStringLiteral("b")), Claim::Granted);
            QCOMPARE(*ledger.claim(s, QStringLiteral("c")), Claim::Granted);
            // a votes but the kiosk dies before telling the venue; b and c were voting.
            QVERIFY(ledger.markVoted(s, QStringLiteral("a")));
            // c's voter walks away: released locally and in the venue.
            QVERIFY(ledger.release(s, QStringLiteral("c")));
            QCOMPARE(*ledger.claim(s, QStringLiteral("a")), Claim::AlreadyVoted);
            QCOMPARE(ledger.lastHolder(), node->self().kioskId);
        }
        QCOMPARE(venueLedger.activeHere()->size(), 2);
        VenueCheckInLedger restarted(venueLedger, local, **store);
        auto released = restarted.recover();
        QVERIFY(released);
        QCOMPARE(released->size(), 1);
        QCOMPARE(released->first().second, 1); // b
        QCOMPARE(restarted.unsettled(), 0);
        QVERIFY(venueLedger.activeHere()->isEmpty());
        const auto rows = *venueLedger.all();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().repId, QStringLiteral("a"));
        QVERIFY(rows.first().voted);
        // b can check in again; a cannot.
        QCOMPARE(*restarted.claim(s, QStringLiteral("b")), Claim::Granted);
        QCOMPARE(*restarted.claim(s, QStringLiteral("a")), Claim::AlreadyVoted);
    }

    void offlineQueueFollowsTheTransaction()
    {
        // An offline check-in is queued inside the admitting transaction: rolled back (the
        // audit write failed, the disk is full), the queue forgets it too, and the same
        // representative's next claim goes to the venue again.
        QTemporaryDir dir;
        const auto venue = testutil::makeVenue(1);
        auto node = startSingle(dir, venue, 0);
        QVERIFY(node);
        VenueNode &n = *node;
        QVERIFY(n.join(5000));
        auto store = kiosk::KioskStore::open(dir.filePath(QStringLiteral("kiosk.db")));
        QVERIFY(store);
        const kiosk::SessionKey s {QStringLiteral("G1"), false};
        QVERIFY((*store)->insertOpenSession(s));
        kiosk::LocalCheckInLedger local(**store);
        VenueKioskLedger ledger(std::move(node), local, **store);
        QVERIFY(ledger.setOffline(true));
        {
            Database::Transaction tx((*store)->database());
            QVERIFY(tx.status());
            QCOMPARE(*ledger.claim(s, QStringLiteral("a")), Claim::Granted);
            QCOMPARE(ledger.queued(), 1);
        } // rolled back
        QCOMPARE(ledger.queued(), 0);
        QVERIFY(ledger.setOffline(false));
        QCOMPARE(*ledger.claim(s, QStringLiteral("a")), Claim::Granted);
        VenueLedger venueLedger(n);
        const auto rows = venueLedger.all();
        QVERIFY(rows);
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().repId, QStringLiteral("a"));
        // Committed, the offline check-in stays queued.
        QVERIFY(ledger.release(s, QStringLiteral("a")));
        QVERIFY(ledger.setOffline(true));
        {
            Database::Transaction tx((*store)->database());
            QCOMPARE(*ledger.claim(s, QStringLiteral("b")), Claim::Granted);
            QVERIFY(tx.commit());
        }
        QCOMPARE(ledger.queued(), 1);
        QCOMPARE(ledger.venueStatus(s).queued, 1);
    }
};

QTEST_GUILESS_MAIN(TestVenueLedger)
#include "test_venue_ledger.moc"
