// The venue's membership (voter rule, checks, text form) and the secure channel between
// two members (handshake, refusal of keys outside the venue, tampered frames).

#include "enrolment.h"
#include "securechannel.h"
#include "venuetestutil.h"

#include <QTest>

#include <sys/socket.h>
#include <thread>

using namespace pingyi;
using namespace pingyi::venue;

class TestVenueMembership : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void voterRule_data()
    {
        QTest::addColumn<int>("kiosks");
        QTest::addColumn<int>("voters");
        for (auto [k, v] : QList<QPair<int, int>> {{1, 1}, {2, 1}, {3, 3}, {4, 3}, {6, 3}, {7, 5}, {15, 5}})
            QTest::addRow("%d", k) << k << v;
    }
    void voterRule()
    {
        QFETCH(int, kiosks);
        QFETCH(int, voters);
        QCOMPARE(votersFor(kiosks), voters);
        const auto venue = testutil::makeVenue(kiosks);
        QCOMPARE(venue.membership.voterCount(), voters);
        QCOMPARE(venue.membership.members().size(), kiosks);
        // Sorted by kiosk id: node ids 1… in that order, the first ones vote.
        for (int i = 0; i < kiosks; ++i) {
            const Member &m = venue.membership.members()[i];
            QCOMPARE(m.nodeId, quint64(i + 1));
            QCOMPARE(m.role, i < voters ? Role::Voter : Role::Standby);
        }
    }

    void sameCertificatesSameMembership()
    {
        const auto venue = testutil::makeVenue(4);
        QList<QString> ids, addresses;
        QList<QByteArray> keys;
        for (auto it = venue.membership.members().rbegin(); it != venue.membership.members().rend(); ++it) {
            ids.append(it->kioskId);
            keys.append(it->signPublicKey);
            addresses.append(it->address);
        }
        auto reversed = Membership::assign(ids, keys, addresses);
        QVERIFY(reversed);
        QCOMPARE(reversed->members(), venue.membership.members());
        auto parsed = Membership::fromText(venue.membership.toText());
        VENUE_VERIFY_OK(parsed);
        QCOMPARE(parsed->members(), venue.membership.members());
    }

    void fromKioskCertificates()
    {
        const auto root = crypto::SigningKey::generate();
        QList<QByteArray> certs;
        QHash<QString, QString> addresses;
        QList<QByteArray> keys;
        for (const char *id : {"shinan-3", "shinan-1", "shinan-2"}) {
            const auto key = crypto::SigningKey::generate();
            keys.append(key.publicKey());
            certs.append(KioskCertificate::issue(
                root, *EnrolmentRequest::parse(EnrolmentRequest::create(key, QString::fromLatin1(id))),
                QStringLiteral("act"), QStringLiteral("shinan"), certs.size() + 1));
            addresses.insert(QString::fromLatin1(id), QStringLiteral("10.0.0.%1:7443").arg(certs.size()));
        }
        auto m = Membership::fromCertificates(certs, root.publicKey(), QStringLiteral("act"), QStringLiteral("shinan"),
                                              addresses);
        VENUE_VERIFY_OK(m);
        QCOMPARE(m->members().size(), 3);
        QCOMPARE(m->members()[0].kioskId, QStringLiteral("shinan-1"));
        QCOMPARE(m->members()[0].nodeId, 1u);
        QCOMPARE(m->members()[0].signPublicKey, keys[1]);
        QCOMPARE(m->members()[0].address, QStringLiteral("10.0.0.2:7443"));
        QCOMPARE(m->voterCount(), 3);
        // Another venue's certificate, another root, or a kiosk without address: refused.
        auto wrongVenue = Membership::fromCertificates(certs, root.publicKey(), QStringLiteral("act"),
                                                       QStringLiteral("laixi"), addresses);
        QCOMPARE(wrongVenue.error().code, QStringLiteral("kiosk-cert-venue"));
        auto wrongRoot = Membership::fromCertificates(certs, crypto::SigningKey::generate().publicKey(),
                                                      QStringLiteral("act"), QStringLiteral("shinan"), addresses);
        QCOMPARE(wrongRoot.error().code, QStringLiteral("kiosk-cert-signature"));
        addresses.remove(QStringLiteral("shinan-2"));
        auto noAddress = Membership::fromCertificates(certs, root.publicKey(), QStringLiteral("act"),
                                                      QStringLiteral("shinan"), addresses);
        QCOMPARE(noAddress.error().code, QStringLiteral("venue-membership"));
        QVERIFY(noAddress.error().message.contains(QStringLiteral("shinan-2")));
    }

    void badMembership_data()
    {
        QTest::addColumn<QByteArray>("text");
        const QByteArray k1 = QByteArray(32, 'a').toHex(), k2 = QByteArray(32, 'b').toHex();
        QTest::addRow("even voters") << QByteArray("a\t1\th:1\tvoter\t" + k1 + "\nb\t2\th:2\tvoter\t" + k2 + "\n");
        QTest::addRow("no node 1") << QByteArray("a\t2\th:1\tvoter\t" + k1 + "\n");
        QTest::addRow("node 1 standby") << QByteArray("a\t1\th:1\tstandby\t" + k1 + "\nb\t2\th:2\tvoter\t" + k2 + "\n");
        QTest::addRow("repeated key") << QByteArray("a\t1\th:1\tvoter\t" + k1 + "\nb\t2\th:2\tstandby\t" + k1 + "\n");
        QTest::addRow("repeated node") << QByteArray("a\t1\th:1\tvoter\t" + k1 + "\nb\t1\th:2\tstandby\t" + k2 + "\n");
        QTest::addRow("short key") << QByteArray("a\t1\th:1\tvoter\t00ff\n");
        QTest::addRow("no port") << QByteArray("a\t1\th\tvoter\t" + k1 + "\n");
        QTest::addRow("bad role") << QByteArray("a\t1\th:1\tleader\t" + k1 + "\n");
        QTest::addRow("empty") << QByteArray("\n");
    }
    void badMembership()
    {
        QFETCH(QByteArray, text);
        auto m = Membership::fromText(text);
        QVERIFY(!m);
        QCOMPARE(m.error().code, QStringLiteral("venue-membership"));
        QVERIFY(m.error().message.contains(QStringLiteral("venue package")));
    }

    void channelBetweenMembers()
    {
        const auto venue = testutil::makeVenue(3);
        int sv[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        const auto a = testutil::keyFrom(venue.seeds[0]);
        const auto b = testutil::keyFrom(venue.seeds[1]);
        Result<std::unique_ptr<SecureChannel>> accepted = Error {};
        std::thread t([&] { accepted = SecureChannel::accept(sv[1], b, venue.membership, 2000); });
        auto initiated = SecureChannel::initiate(sv[0], a, venue.membership, b.publicKey(), 2000);
        t.join();
        VENUE_VERIFY_OK(initiated);
        VENUE_VERIFY_OK(accepted);
        QCOMPARE((*initiated)->peer().kioskId, QStringLiteral("k02"));
        QCOMPARE((*accepted)->peer().kioskId, QStringLiteral("k01"));
        const QByteArray big(int(SecureChannel::maxFrame), 'x');
        QVERIFY((*initiated)->send(big.constData(), size_t(big.size()), 1000));
        QVERIFY((*accepted)->send("pong", 4, 1000));
        QCOMPARE(*(*accepted)->receive(1000), big);
        QCOMPARE(*(*initiated)->receive(1000), QByteArray("pong"));
    }

    void outsiderRefused()
    {
        const auto venue = testutil::makeVenue(3);
        const auto member = testutil::keyFrom(venue.seeds[0]);
        const auto outsider = crypto::SigningKey::generate();
        // An outsider dialling a member: dropped before anything is said.
        {
            int sv[2];
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
            Result<std::unique_ptr<SecureChannel>> accepted = Error {};
            std::thread t([&] { accepted = SecureChannel::accept(sv[1], member, venue.membership, 2000); });
            auto initiated = SecureChannel::initiate(sv[0], outsider, venue.membership, member.publicKey(), 2000);
            t.join();
            QVERIFY(!accepted);
            QCOMPARE(accepted.error().code, QStringLiteral("venue-handshake"));
            QVERIFY(!initiated);
        }
        // An outsider claiming a member's public key without its secret key.
        {
            int sv[2];
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
            Result<std::unique_ptr<SecureChannel>> accepted = Error {};
            std::thread t([&] { accepted = SecureChannel::accept(sv[1], member, venue.membership, 2000); });
            const QByteArray impersonated = venue.membership.members()[1].signPublicKey;
            QByteArray hello("PYVENUE1");
            hello += impersonated + crypto::randomBytes(32);
            QVERIFY(writeAll(sv[0], hello.constData(), size_t(hello.size()), 1000));
            QByteArray reply(32 + 32 + 8 + 64, '\0');
            QVERIFY(readAll(sv[0], reply.data(), size_t(reply.size()), 1000));
            const QByteArray forged = outsider.sign("pingyi/venue-handshake-initiator/v1", hello + reply.left(72));
            QVERIFY(writeAll(sv[0], forged.constData(), size_t(forged.size()), 1000));
            t.join();
            QVERIFY(!accepted);
            QVERIFY(accepted.error().message.contains(QStringLiteral("prove")));
            ::close(sv[0]);
        }
        // A member dialling a peer that is not who the address says.
        {
            int sv[2];
            QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
            const auto third = testutil::keyFrom(venue.seeds[2]);
            Result<std::unique_ptr<SecureChannel>> accepted = Error {};
            std::thread t([&] { accepted = SecureChannel::accept(sv[1], third, venue.membership, 2000); });
            auto initiated = SecureChannel::initiate(sv[0], member, venue.membership,
                                                     venue.membership.members()[1].signPublicKey, 2000);
            t.join();
            QVERIFY(!initiated);
            QCOMPARE(initiated.error().code, QStringLiteral("venue-handshake"));
        }
    }

    void tamperedFrameRefused()
    {
        const auto venue = testutil::makeVenue(2);
        int sv[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
        // A relay in the middle that flips one bit of the first frame after the handshake.
        int mid[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, mid), 0);
        const auto a = testutil::keyFrom(venue.seeds[0]);
        const auto b = testutil::keyFrom(venue.seeds[1]);
        Result<std::unique_ptr<SecureChannel>> accepted = Error {};
        std::thread t([&] { accepted = SecureChannel::accept(mid[1], b, venue.membership, 2000); });
        std::thread relay([&] {
            // handshake: a→b 72 bytes, b→a 136, a→b 64, headers 24 each way; then one frame.
            char buf[4096];
            auto copy = [&](int from, int to, size_t n, bool flip) {
                QVERIFY(readAll(from, buf, n, 2000));
                if (flip)
                    buf[n - 1] ^= 1;
                QVERIFY(writeAll(to, buf, n, 2000));
            };
            copy(sv[1], mid[0], 72, false);
            copy(mid[0], sv[1], 136, false);
            copy(sv[1], mid[0], 64, false);
            copy(sv[1], mid[0], 24, false);
            copy(mid[0], sv[1], 24, false);
            copy(sv[1], mid[0], 4 + 5 + 17, true);
        });
        auto initiated = SecureChannel::initiate(sv[0], a, venue.membership, b.publicKey(), 2000);
        QVERIFY(initiated);
        QVERIFY((*initiated)->send("hello", 5, 1000));
        relay.join();
        t.join();
        QVERIFY(accepted);
        auto got = (*accepted)->receive(1000);
        QVERIFY(!got);
        QCOMPARE(got.error().code, QStringLiteral("venue-transport"));
    }
};

QTEST_GUILESS_MAIN(TestVenueMembership)
#include "test_venue_membership.moc"
