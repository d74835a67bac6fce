// Trustees: the election key split K of N (libgfshare), each share in its own
// passphrase-protected file. Any K shares rebuild the key and tally exactly as the key
// itself does; K-1 shares cannot; a wrong, altered, foreign or repeated share is named.

#include "hqtestutil.h"
#include "importer.h"
#include "tally.h"
#include "trustees.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

crypto::SecretBytes sharePass(int i)
{
    return crypto::SecretBytes::copyOf(QByteArray("trustee passphrase ") + QByteArray::number(i));
}

std::vector<crypto::SecretBytes> passes(int n)
{
    std::vector<crypto::SecretBytes> out;
    for (int i = 1; i <= n; ++i)
        out.push_back(sharePass(i));
    return out;
}

/// Passphrases by share number, as each trustee would type theirs.
hq::SharePassphrase byIndex()
{
    return [](const hq::ShareInfo &s) -> Result<crypto::SecretBytes> {
        return sharePass(s.index);
    };
}

} // namespace

class TestTrustees : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_hqDir;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    QStringList m_shares;

    hq::Hq open() { return must(hq::Hq::open(m_hqDir), "open"); }

    hq::SplitOptions options(int k, int n, const QString &out, bool retire = false)
    {
        hq::SplitOptions o;
        o.threshold = k;
        o.count = n;
        o.outDir = m_tmp.filePath(out);
        o.strength = fastKdf();
        o.retireElectionKey = retire;
        for (int i = 1; i <= n; ++i)
            o.trustees << QStringLiteral("trustee-%1").arg(i);
        return o;
    }

    QStringList split(int k, int n, const QString &out, bool retire = false)
    {
        auto h = open();
        auto r = must(hq::splitElectionKey(h, *m_election, m_secrets->root, options(k, n, out, retire), passes(n)),
                      "split");
        QStringList files;
        for (const QJsonValue &f : r.value(QLatin1String("files")).toArray())
            files << f.toString();
        return files;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_hqDir = m_tmp.filePath(QStringLiteral("hq"));
        const Activity activity = exampleActivity();
        makeHq(m_hqDir, activity, 0.05);
        auto h = open();
        m_secrets.emplace(must(h.unlock(passphrase()), "unlock"));
        m_election.emplace(must(h.unlockElection(passphrase()), "election"));
        // A few ballots to tally.
        const TestKiosk k = enrolKiosk(h, *m_secrets, QStringLiteral("shinan"), QStringLiteral("t-1"));
        const SessionContext ctx {activity.id, k.venue, k.id, QStringLiteral("econ"), false};
        QList<BallotAnswers> ballots;
        QList<CheckInEntry> checkins;
        for (int i = 0; i < 12; ++i) {
            ballots << makeBallot(activity, QStringLiteral("econ"), [i](int d) { return (i + d) % 4; });
            checkins << CheckInEntry {QStringLiteral("X-%1").arg(i, 2, 10, QLatin1Char('0')), true};
        }
        const QByteArray batch = makeBatch(
            h, k, ctx, ballots,
            {{QStringLiteral("econ"), QStringLiteral("urban"), QString(), QStringLiteral("多修路")}}, checkins);
        QCOMPARE(must(hq::importBatchBytes(h, m_secrets->archive, {batch}, {}), "import").imported(), 1);
        m_shares = split(3, 5, QStringLiteral("shares"));
        QCOMPARE(m_shares.size(), 5);
    }

    void shareFilesDescribeThemselves()
    {
        for (int i = 0; i < m_shares.size(); ++i) {
            const hq::ShareInfo s = must(hq::readShareInfo(m_shares[i]), "info");
            QCOMPARE(s.index, i + 1);
            QCOMPARE(s.threshold, 3);
            QCOMPARE(s.count, 5);
            QCOMPARE(s.trustee, QStringLiteral("trustee-%1").arg(i + 1));
            QCOMPARE(s.electionPublicKey, m_election->publicKey());
            // Protected by the trustee's own passphrase, not the office's.
            QCOMPARE(crypto::readKeyFile(m_shares[i], QStringLiteral("election-share"), passphrase()).error().code,
                     QStringLiteral("passphrase"));
        }
        QVERIFY(QFile::exists(QDir(m_hqDir).filePath(QStringLiteral("trustees.json"))));
    }

    void anyKOfNRebuildTheKey()
    {
        auto h = open();
        int combinations = 0;
        for (int a = 0; a < 5; ++a)
            for (int b = a + 1; b < 5; ++b)
                for (int c = b + 1; c < 5; ++c) {
                    auto key = hq::combineShares(h, {m_shares[a], m_shares[b], m_shares[c]}, byIndex());
                    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.error().message));
                    QVERIFY(key->secret().equals(m_election->secret()));
                    ++combinations;
                }
        QCOMPARE(combinations, 10);
        // More than K is fine too.
        QVERIFY(hq::combineShares(h, m_shares, byIndex()).ok());
    }

    void fewerThanKCannot()
    {
        auto h = open();
        auto two = hq::combineShares(h, {m_shares[0], m_shares[3]}, byIndex());
        QCOMPARE(two.error().code, QStringLiteral("share-too-few"));
        QVERIFY(two.error().message.contains(QStringLiteral("3 trustee shares are needed")));
        // And not by going around the check: two shares interpolate to something else.
        QList<QPair<int, QByteArray>> raw;
        for (int i : {0, 3}) {
            auto f
                = must(crypto::readKeyFile(m_shares[i], QStringLiteral("election-share"), sharePass(i + 1)), "share");
            raw.append({i + 1, f.secret.view().toByteArray()});
        }
        QVERIFY(!hq::combineRaw(raw, 32).equals(m_election->secret()));
    }

    void tallyWithSharesEqualsTallyWithTheKey()
    {
        auto h = open();
        auto key = must(hq::combineShares(h, {m_shares[4], m_shares[1], m_shares[2]}, byIndex()), "combine");
        const QDateTime when = QDateTime::currentDateTimeUtc();
        const hq::TallyResults withShares = must(hq::computeTally(h, key, {0, when}), "tally with shares");
        const hq::TallyResults withKey = must(hq::computeTally(h, *m_election, {0, when}), "tally with key");
        QCOMPARE(withShares.ballots, qint64(12));
        QCOMPARE(withShares.toJson(), withKey.toJson());
    }

    void wrongSharesAreNamed()
    {
        auto h = open();
        // A share whose bytes were altered and sealed again under the same passphrase.
        const QString altered = m_tmp.filePath(QStringLiteral("altered-share-2.key"));
        {
            auto f = must(crypto::readKeyFile(m_shares[1], QStringLiteral("election-share"), sharePass(2)), "share");
            f.secret.data()[7] ^= 0x10;
            must(crypto::writeKeyFile(altered, f, sharePass(2), fastKdf()), "write altered");
        }
        auto r = hq::combineShares(h, {m_shares[0], altered, m_shares[2]}, byIndex());
        QCOMPARE(r.error().code, QStringLiteral("share-wrong"));
        QVERIFY(r.error().message.contains(altered));
        QVERIFY(r.error().message.contains(QStringLiteral("trustee-2")));

        // A wrong passphrase names the share too.
        r = hq::combineShares(
            h, {m_shares[0], m_shares[1], m_shares[2]}, [](const hq::ShareInfo &s) -> Result<crypto::SecretBytes> {
                return s.index == 3 ? crypto::SecretBytes::copyOf("not this one") : sharePass(s.index);
            });
        QCOMPARE(r.error().code, QStringLiteral("passphrase"));
        QVERIFY(r.error().message.contains(m_shares[2]));

        // The same share twice.
        r = hq::combineShares(h, {m_shares[0], m_shares[0], m_shares[2]}, byIndex());
        QCOMPARE(r.error().code, QStringLiteral("share-duplicate"));

        // Not a share at all.
        r = hq::combineShares(h, {m_shares[0], QDir(m_hqDir).filePath(QStringLiteral("root.key")), m_shares[2]},
                              byIndex());
        QCOMPARE(r.error().code, QStringLiteral("keyfile-kind"));

        // A share of another office's election key.
        const QString otherHq = m_tmp.filePath(QStringLiteral("other-hq"));
        makeHq(otherHq, exampleActivity(), 0.02);
        {
            auto other = must(hq::Hq::open(otherHq), "open other");
            auto secrets = must(other.unlock(passphrase()), "unlock other");
            auto election = must(other.unlockElection(passphrase()), "election other");
            hq::SplitOptions o = options(2, 2, QStringLiteral("other-shares"));
            must(hq::splitElectionKey(other, election, secrets.root, o, passes(2)), "split other");
        }
        const QString foreign
            = QDir(m_tmp.filePath(QStringLiteral("other-shares"))).filePath(QStringLiteral("share-1-of-2.key"));
        r = hq::combineShares(h, {m_shares[0], m_shares[1], foreign}, byIndex());
        QCOMPARE(r.error().code, QStringLiteral("share-election"));
        QVERIFY(r.error().message.contains(foreign));
    }

    void sharesOfAnEarlierSplitAreNamed()
    {
        const QStringList newer = split(2, 3, QStringLiteral("shares-2"));
        auto h = open();
        QVERIFY(hq::combineShares(h, {newer[0], newer[2]}, byIndex()).ok());
        auto r = hq::combineShares(h, {newer[0], m_shares[1]}, byIndex());
        QCOMPARE(r.error().code, QStringLiteral("share-ceremony"));
        QVERIFY(r.error().message.contains(m_shares[1]));
        // The record of the split is signed: an edited record is refused, not trusted.
        const QString record = QDir(m_hqDir).filePath(QStringLiteral("trustees.json"));
        const QByteArray original = must(readFile(record), "record");
        QByteArray edited = original;
        edited.replace("\"signature\": \"", "\"signature\": \"AA");
        must(writeFileAtomic(record, edited), "edit");
        QCOMPARE(hq::combineShares(h, {newer[0], newer[2]}, byIndex()).error().code, QStringLiteral("trustees-record"));
        must(writeFileAtomic(record, original), "restore");
        m_shares = newer;
    }

    void eachShareHasItsOwnPassphrase()
    {
        // With PINGYI_PASSPHRASE exported every share used to get the office's passphrase:
        // a share passphrase equal to the office's or to another share's is refused.
        auto h = open();
        std::vector<crypto::SecretBytes> twice = passes(3);
        twice[2] = sharePass(1);
        auto r = hq::splitElectionKey(h, *m_election, m_secrets->root, options(2, 3, QStringLiteral("twice")), twice);
        QCOMPARE(r.error().code, QStringLiteral("share-passphrase"));
        QVERIFY(r.error().message.contains(QStringLiteral("trustee-1")));
        QVERIFY(r.error().message.contains(QStringLiteral("trustee-3")));
        QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("twice/share-1-of-3.key"))));

        const crypto::SecretBytes office = passphrase();
        hq::SplitOptions o = options(2, 3, QStringLiteral("office"));
        o.officePassphrase = &office;
        std::vector<crypto::SecretBytes> withOffice = passes(3);
        withOffice[1] = passphrase();
        r = hq::splitElectionKey(h, *m_election, m_secrets->root, o, withOffice);
        QCOMPARE(r.error().code, QStringLiteral("share-passphrase"));
        QVERIFY(r.error().message.contains(QStringLiteral("office (HQ) passphrase")));
        QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("office/share-1-of-3.key"))));

        // Rebuilding: one passphrase typed for two shares is refused before anything opens.
        auto c = hq::combineShares(h, {m_shares[0], m_shares[1], m_shares[2]},
                                   [](const hq::ShareInfo &) -> Result<crypto::SecretBytes> { return sharePass(1); });
        QCOMPARE(c.error().code, QStringLiteral("share-passphrase"));
        QVERIFY(c.error().message.contains(m_shares[1]));
    }

    void secretsStayOutOfCoreDumpsAndSwap()
    {
        auto h = open();
        {
            const hq::NoCoreDumps guard;
            QVERIFY(guard.active());
            QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
            rlimit core {};
            QCOMPARE(getrlimit(RLIMIT_CORE, &core), 0);
            QCOMPARE(core.rlim_cur, rlim_t(0));
            // libgfshare's buffer holding the secret is locked while it is in use.
            QVERIFY(hq::combineShares(h, {m_shares[0], m_shares[2]}, byIndex()).ok());
            QVERIFY(hq::lastShareBufferLocked());
            must(hq::splitElectionKey(h, *m_election, m_secrets->root, options(2, 2, QStringLiteral("locked")),
                                      passes(2)),
                 "split");
            QVERIFY(hq::lastShareBufferLocked());
        }
        QCOMPARE(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
        m_shares = QStringList {m_tmp.filePath(QStringLiteral("locked/share-1-of-2.key")),
                                m_tmp.filePath(QStringLiteral("locked/share-2-of-2.key"))};
    }

    void badParametersAreRefused()
    {
        auto h = open();
        for (auto [k, n] : {std::pair {1, 3}, std::pair {4, 3}, std::pair {2, 256}, std::pair {0, 0}}) {
            auto r = hq::splitElectionKey(h, *m_election, m_secrets->root, options(k, n, QStringLiteral("bad")),
                                          passes(std::max(n, 0)));
            QCOMPARE(r.error().code, QStringLiteral("usage"));
        }
        auto r = hq::splitElectionKey(h, *m_election, m_secrets->root, options(2, 3, QStringLiteral("bad")), passes(2));
        QCOMPARE(r.error().code, QStringLiteral("usage"));
        r = hq::splitElectionKey(h, *m_election, m_secrets->root, options(2, 3, QStringLiteral("shares-2")), passes(3));
        QCOMPARE(r.error().code, QStringLiteral("exists"));
        r = hq::splitElectionKey(h, crypto::BoxKeyPair::generate(), m_secrets->root,
                                 options(2, 3, QStringLiteral("bad2")), passes(3));
        QCOMPARE(r.error().code, QStringLiteral("share-election"));
    }

    void retiringTheElectionKey()
    {
        const QStringList shares = split(2, 3, QStringLiteral("shares-3"), true);
        QVERIFY(!QFile::exists(QDir(m_hqDir).filePath(QStringLiteral("election.key"))));
        QVERIFY(QFile::exists(QDir(m_hqDir).filePath(QStringLiteral("election.pub"))));
        auto h = open(); // still opens, with the public half from election.pub
        QCOMPARE(h.electionPublicKey(), m_election->publicKey());
        QVERIFY(h.electionKeyRetired());
        QCOMPARE(h.unlockElection(passphrase()).error().code, QStringLiteral("election-key-split"));
        auto key = must(hq::combineShares(h, {shares[2], shares[0]}, byIndex()), "combine");
        QCOMPARE(must(hq::computeTally(h, key, {}), "tally").ballots, qint64(12));
        // New trustees can be given new shares made from the rebuilt key.
        auto r
            = must(hq::splitElectionKey(h, key, m_secrets->root, options(2, 2, QStringLiteral("shares-4")), passes(2)),
                   "re-split");
        QStringList again;
        for (const QJsonValue &f : r.value(QLatin1String("files")).toArray())
            again << f.toString();
        QVERIFY(hq::combineShares(h, again, byIndex()).ok());
        QVERIFY(hq::combineShares(h, {shares[0], shares[1]}, byIndex()).error().code
                == QLatin1String("share-ceremony"));
    }
};

QTEST_GUILESS_MAIN(TestTrustees)
#include "test_trustees.moc"
