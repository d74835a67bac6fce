// Unit tests of the libsodium wrappers: signatures with domain separation, sealed boxes,
// secretstream, keyed hashing and passphrase-protected key files.

#include "crypto.h"
#include "fileio.h"
#include "passphrase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;
using namespace pingyi::crypto;

class TestCrypto : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(init()); }

    void signVerify()
    {
        const auto key = SigningKey::generate();
        const QByteArray msg("ballot bytes");
        const QByteArray sig = key.sign(domain::ballot, msg);
        QCOMPARE(sig.size(), qsizetype(signatureBytes));
        QVERIFY(verify(key.publicKey(), domain::ballot, msg, sig));
        // Domain separation: the same bytes signed as a ballot are not a valid report.
        QVERIFY(!verify(key.publicKey(), domain::report, msg, sig));
        QVERIFY(!verify(key.publicKey(), domain::ballot, QByteArray("ballot byteS"), sig));
        QVERIFY(!verify(SigningKey::generate().publicKey(), domain::ballot, msg, sig));
        QByteArray bad = sig;
        bad[10] = char(bad[10] ^ 1);
        QVERIFY(!verify(key.publicKey(), domain::ballot, msg, bad));
        QVERIFY(!verify(key.publicKey(), domain::ballot, msg, sig.left(63)));
        QVERIFY(!verify(key.publicKey().left(31), domain::ballot, msg, sig));
    }

    void seedIsDeterministic()
    {
        const auto a = SigningKey::generate();
        const auto b = SigningKey::fromSeed(SecretBytes::copyOf(a.seed().view()));
        QVERIFY(b.ok());
        QCOMPARE(b->publicKey(), a.publicKey());
        QVERIFY(!SigningKey::fromSeed(SecretBytes(31)).ok());
    }

    void sealedBox()
    {
        const auto kp = BoxKeyPair::generate();
        const QByteArray sealed = seal(kp.publicKey(), "secret ballot");
        QCOMPARE(sealed.size(), qsizetype(13 + sealOverheadBytes));
        auto opened = openSealed(kp, sealed);
        QVERIFY(opened.ok());
        QCOMPARE(opened->view(), QByteArrayView("secret ballot"));
        QVERIFY(!openSealed(BoxKeyPair::generate(), sealed).ok());
        QByteArray bad = sealed;
        bad[sealed.size() - 1] = char(bad[sealed.size() - 1] ^ 0x80);
        QCOMPARE(openSealed(kp, bad).error().code, QStringLiteral("decrypt"));
        QVERIFY(!openSealed(kp, sealed.left(10)).ok());
    }

    void signingKeyBoxForm()
    {
        // A package sealed to a kiosk's certified Ed25519 key opens with the kiosk's key.
        const auto key = SigningKey::generate();
        const QByteArray pk = boxPublicKeyFromSignPublicKey(key.publicKey());
        const auto box = BoxKeyPair::fromSigningKey(key);
        QCOMPARE(box.publicKey(), pk);
        auto opened = openSealed(box, seal(pk, "k"));
        QVERIFY(opened.ok());
    }

    void hashing()
    {
        QCOMPARE(hash("abc").size(), 32);
        QCOMPARE(hash("abc"), hash("abc"));
        QVERIFY(hash("abc") != hash("abd"));
        const auto k1 = SecretBytes::random(32);
        const auto k2 = SecretBytes::random(32);
        QCOMPARE(keyedHash(k1, "370202199001011234"), keyedHash(k1, "370202199001011234"));
        QVERIFY(keyedHash(k1, "370202199001011234") != keyedHash(k2, "370202199001011234"));
        QVERIFY(keyedHash(k1, "x") != hash("x"));
        const QString fp = fingerprint(QByteArray(32, 'a'));
        QCOMPARE(fp.size(), 44);
        QCOMPARE(fp.count(QLatin1Char('-')), 4);
    }

    void stream_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("chunk");
        QTest::newRow("empty") << 0 << 64;
        QTest::newRow("one chunk") << 100 << 64 * 1024;
        QTest::newRow("exact chunks") << 1024 << 256;
        QTest::newRow("many chunks") << 100000 << 1000;
    }

    void stream()
    {
        QFETCH(int, size);
        QFETCH(int, chunk);
        const auto key = SecretBytes::random(symmetricKeyBytes);
        const QByteArray plain = randomBytes(std::size_t(size));
        const QByteArray ct = streamEncrypt(key, plain, "header", std::size_t(chunk));
        auto back = streamDecrypt(key, ct, "header");
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        QCOMPARE(*back, plain);
        QVERIFY(!streamDecrypt(key, ct, "other header").ok());
        QVERIFY(!streamDecrypt(SecretBytes::random(symmetricKeyBytes), ct, "header").ok());
        // Truncation anywhere, including at a chunk boundary, is detected.
        for (qsizetype cut : {qsizetype(0), qsizetype(10), ct.size() / 2, ct.size() - 1})
            QVERIFY2(!streamDecrypt(key, ct.left(cut), "header").ok(), qPrintable(QString::number(cut)));
        QCOMPARE(streamDecrypt(key, ct + "x", "header").error().code, QStringLiteral("stream-trailing"));
        for (qsizetype i = 0; i < ct.size(); i += std::max<qsizetype>(1, ct.size() / 40)) {
            QByteArray bad = ct;
            bad[i] = char(bad[i] ^ 0x01);
            QVERIFY2(!streamDecrypt(key, bad, "header").ok(), qPrintable(QString::number(i)));
        }
    }

    void streamDropsChunk()
    {
        const auto key = SecretBytes::random(symmetricKeyBytes);
        StreamWriter w(key);
        const QByteArray a = w.push("first", {}, false);
        const QByteArray b = w.push("second", {}, false);
        const QByteArray c = w.push("third", {}, true);
        auto r = streamDecrypt(key, w.header() + a + b + c, {});
        QVERIFY(r.ok());
        QCOMPARE(*r, QByteArray("firstsecondthird"));
        QVERIFY(!streamDecrypt(key, w.header() + a + c, {}).ok()); // dropped
        QVERIFY(!streamDecrypt(key, w.header() + b + a + c, {}).ok()); // reordered
        QVERIFY(!streamDecrypt(key, w.header() + a + b, {}).ok()); // no final chunk
    }

    void keyFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("k.key"));
        const auto pass = SecretBytes::copyOf("correct horse battery");
        const auto secret = SecretBytes::random(32);
        KeyFileContents c {QStringLiteral("hq-root"), QByteArray("public"), SecretBytes::copyOf(secret.view())};
        QVERIFY(writeKeyFile(path, c, pass, KdfStrength::interactive()).ok());
        QCOMPARE(QFile(path).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());

        auto pub = readKeyFilePublic(path);
        QVERIFY(pub.ok());
        QCOMPARE(pub->publicPart, QByteArray("public"));
        QVERIFY(pub->secret.isEmpty());

        auto back = readKeyFile(path, QStringLiteral("hq-root"), pass);
        QVERIFY(back.ok());
        QVERIFY(back->secret.equals(secret));

        QCOMPARE(readKeyFile(path, QStringLiteral("hq-root"), SecretBytes::copyOf("wrong passphrase")).error().code,
                 QStringLiteral("passphrase"));
        QCOMPARE(readKeyFile(path, QStringLiteral("election"), pass).error().code, QStringLiteral("keyfile-kind"));
        QCOMPARE(readKeyFile(dir.filePath(QStringLiteral("none")), QStringLiteral("hq-root"), pass).error().code,
                 QStringLiteral("keyfile-io"));

        // Swapping the clear public part (to mislead a fingerprint check) breaks decryption.
        QJsonObject o = QJsonDocument::fromJson(*readFile(path)).object();
        o[QStringLiteral("public")] = QString::fromLatin1(QByteArray("other").toBase64());
        QVERIFY(writeFileAtomic(path, QJsonDocument(o).toJson()).ok());
        QCOMPARE(readKeyFile(path, QStringLiteral("hq-root"), pass).error().code, QStringLiteral("passphrase"));
        QVERIFY(writeFileAtomic(path, "garbage").ok());
        QCOMPARE(readKeyFile(path, QStringLiteral("hq-root"), pass).error().code, QStringLiteral("keyfile-format"));
    }

    void passphraseSources()
    {
        QTemporaryDir dir;
        const QString f = dir.filePath(QStringLiteral("pass"));
        QVERIFY(writeFileAtomic(f, "from-the-file\nignored second line\n").ok());
        auto p = cli::obtainPassphrase(f, {}, false);
        QVERIFY(p.ok());
        QCOMPARE(p->view(), QByteArrayView("from-the-file"));
        QVERIFY(writeFileAtomic(f, "short\n").ok());
        QCOMPARE(cli::obtainPassphrase(f, {}, false).error().code, QStringLiteral("passphrase"));
        qputenv("PINGYI_PASSPHRASE", "from-the-environment");
        p = cli::obtainPassphrase({}, {}, false);
        QVERIFY(p.ok());
        QCOMPARE(p->view(), QByteArrayView("from-the-environment"));
        qunsetenv("PINGYI_PASSPHRASE");
    }

    void pins()
    {
        const QString h = hashPin("123456");
        QVERIFY(h.startsWith(QLatin1String("$argon2id$")));
        QVERIFY(!h.contains(QLatin1String("123456")));
        QVERIFY(verifyPin(h, "123456"));
        QVERIFY(!verifyPin(h, "123457"));
        QVERIFY(hashPin("123456") != h); // salted
    }

    void atomicWriteErrors()
    {
        const auto s = writeFileAtomic(QStringLiteral("/nonexistent-dir/x"), "data");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("io-write"));
        QVERIFY(s.error().message.contains(QLatin1String("does not exist")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("f"));
        QVERIFY(writeFileAtomic(path, "one").ok());
        QVERIFY(writeFileAtomic(path, "two").ok());
        QCOMPARE(*readFile(path), QByteArray("two"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temp file left behind
        QCOMPARE(readFile(path, 2).error().code, QStringLiteral("io-read"));
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "test_crypto.moc"
