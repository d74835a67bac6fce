// Signed records that leave the office: credentials, kiosk enrolment requests and
// certificates, venue packages. Each tampering is refused with its specific reason.

#include "codec.h"
#include "credential.h"
#include "crypto.h"
#include "enrolment.h"
#include "venuepackage.h"

#include <QTest>

using namespace pingyi;
using namespace pingyi::crypto;

namespace {

struct Fixture {
    SigningKey root = SigningKey::generate();
    SigningKey kiosk = SigningKey::generate();
    BoxKeyPair archive = BoxKeyPair::generate();
    BoxKeyPair election = BoxKeyPair::generate();

    QByteArray cert(const QString &activity = QStringLiteral("qingdao-2025"),
                    const QString &venue = QStringLiteral("shinan"))
    {
        auto req = EnrolmentRequest::parse(EnrolmentRequest::create(kiosk, QStringLiteral("shinan-1")));
        return KioskCertificate::issue(root, *req, activity, venue, 1);
    }

    VenuePackageContent content(qint64 version = 3)
    {
        VenuePackageContent c;
        c.activityId = QStringLiteral("qingdao-2025");
        c.venue = QStringLiteral("shinan");
        c.version = version;
        c.activityJson = R"({"id":"qingdao-2025"})";
        c.rootPublicKey = root.publicKey();
        c.electionPublicKey = election.publicKey();
        c.archivePublicKey = archive.publicKey();
        c.idHashKey = SecretBytes::random(32);
        c.roster = {{QStringLiteral("R00001"),
                     hash("a"),
                     QStringLiteral("张*明"),
                     QStringLiteral("d-community"),
                     {QStringLiteral("econ")}},
                    {QStringLiteral("R00002"),
                     hash("b"),
                     QStringLiteral("李*"),
                     QStringLiteral("d-enterprise"),
                     {QStringLiteral("service")}}};
        c.kioskCerts = {cert()};
        c.staff = {{QStringLiteral("staff"), hashPin("111111")}};
        return c;
    }

    QByteArray package(qint64 version = 3)
    {
        return buildVenuePackage(content(version), root,
                                 {{QStringLiteral("hq"), archive.publicKey()},
                                  {QStringLiteral("shinan-1"), boxPublicKeyFromSignPublicKey(kiosk.publicKey())}});
    }
};

const PackageExpectation shinan {QStringLiteral("qingdao-2025"), QStringLiteral("shinan"), 0};

QString code(const Result<PackageHeader> &r)
{
    return r.ok() ? QStringLiteral("ok") : r.error().code;
}

} // namespace

class TestRecords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(init()); }

    void credentialRoundTrip()
    {
        Fixture f;
        const Credential c {QStringLiteral("qingdao-2025"),
                            QStringLiteral("R00042"),
                            QStringLiteral("shinan"),
                            {QStringLiteral("econ")}};
        const QString text = c.encode(f.root);
        QVERIFY(text.startsWith(QLatin1String("PY1:")));
        QVERIFY(text.size() < 200); // small QR code
        for (QChar ch : text.mid(4))
            QVERIFY(ch.isUpper() || ch.isDigit());
        auto back = Credential::verify(text + QStringLiteral("\r\n"), f.root.publicKey(), c.activityId, c.venue);
        QVERIFY(back.ok());
        QCOMPARE(back->repId, c.repId);
        QCOMPARE(back->sessions, c.sessions);
        QVERIFY(Credential::verify(text, f.root.publicKey(), c.activityId, {}).ok());
    }

    void credentialRefusals()
    {
        Fixture f;
        const Credential c {QStringLiteral("qingdao-2025"),
                            QStringLiteral("R00042"),
                            QStringLiteral("shinan"),
                            {QStringLiteral("econ")}};
        const QString text = c.encode(f.root);
        const QByteArray pk = f.root.publicKey();
        auto reason = [&](const QString &t, const QString &venue = QStringLiteral("shinan")) {
            auto r = Credential::verify(t, pk, QStringLiteral("qingdao-2025"), venue);
            return r.ok() ? QStringLiteral("ok") : r.error().code;
        };
        QCOMPARE(reason(text), QStringLiteral("ok"));
        QCOMPARE(reason(text, QStringLiteral("laoshan")), QStringLiteral("credential-venue"));
        QCOMPARE(reason(Credential {QStringLiteral("qingdao-2024"), c.repId, c.venue, c.sessions}.encode(f.root)),
                 QStringLiteral("credential-activity"));
        QCOMPARE(reason(c.encode(SigningKey::generate())), QStringLiteral("credential-signature"));
        QCOMPARE(reason(QStringLiteral("https://example.org/")), QStringLiteral("credential-format"));
        QCOMPARE(reason(QString()), QStringLiteral("credential-format"));
        QCOMPARE(reason(text + QStringLiteral("A")), QStringLiteral("credential-format"));
        QCOMPARE(reason(text.left(text.size() - 1)), QStringLiteral("credential-format"));
        QCOMPARE(reason(text.left(40)), QStringLiteral("credential-format"));
        // Every single-character change is refused; none is accepted as another person.
        const QString alphabet = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        for (int i = 4; i < text.size(); ++i) {
            QString t = text;
            t[i] = alphabet[(alphabet.indexOf(t[i]) + 1) % 32];
            const QString r = reason(t);
            QVERIFY2(r == QLatin1String("credential-signature") || r == QLatin1String("credential-format"),
                     qPrintable(QStringLiteral("position %1: %2").arg(i).arg(r)));
        }
        // Letter case is not content (docs/security.md §4): base32 is read regardless of
        // case, so a lower-cased copy decodes to the same signed bytes: the same card, never
        // another person's. The prefix is exact.
        const QString lower = text.left(4) + text.mid(4).toLower();
        QVERIFY(lower != text);
        auto same = Credential::verify(lower, pk, QStringLiteral("qingdao-2025"), QStringLiteral("shinan"));
        QVERIFY(same.ok());
        QCOMPARE(same->repId, c.repId);
        QCOMPARE(same->sessions, c.sessions);
        QCOMPARE(reason(QStringLiteral("py1:") + text.mid(4)), QStringLiteral("credential-format"));
    }

    void base32()
    {
        for (int n = 0; n < 40; ++n) {
            const QByteArray b = randomBytes(std::size_t(n));
            bool ok = false;
            QCOMPARE(codec::base32Decode(codec::base32Encode(b), &ok), b);
            QVERIFY(ok);
        }
        bool ok = true;
        codec::base32Decode(u"AB1", &ok);
        QVERIFY(!ok);
    }

    void enrolment()
    {
        Fixture f;
        const QByteArray req = EnrolmentRequest::create(f.kiosk, QStringLiteral("shinan-1"));
        auto r = EnrolmentRequest::parse(req);
        QVERIFY(r.ok());
        QCOMPARE(r->signPublicKey, f.kiosk.publicKey());
        QByteArray bad = req;
        const qsizetype at = bad.indexOf("\"body\": \"") + 12;
        bad[at] = bad[at] == 'A' ? 'B' : 'A';
        QVERIFY(!EnrolmentRequest::parse(bad).ok());
        QCOMPARE(EnrolmentRequest::parse("{}").error().code, QStringLiteral("kiosk-request-format"));
        QVERIFY(EnrolmentRequest::defaultId(f.kiosk.publicKey()).startsWith(QLatin1String("K-")));
        QVERIFY(!isValidKioskId(QStringLiteral("hq"))); // the office's slot in packages
        QVERIFY(!isValidKioskId(QStringLiteral("HQ")));
        QVERIFY(!isValidKioskId(QString(33, QLatin1Char('a'))));
        QVERIFY(isValidKioskId(QStringLiteral("shinan-1")));

        const QByteArray cert = f.cert();
        auto c = KioskCertificate::verify(cert, f.root.publicKey(), QStringLiteral("qingdao-2025"),
                                          QStringLiteral("shinan"));
        QVERIFY(c.ok());
        QCOMPARE(c->boxPublicKey, boxPublicKeyFromSignPublicKey(f.kiosk.publicKey()));
        QCOMPARE(KioskCertificate::verify(cert, SigningKey::generate().publicKey(), QStringLiteral("qingdao-2025"), {})
                     .error()
                     .code,
                 QStringLiteral("kiosk-cert-signature"));
        QCOMPARE(KioskCertificate::verify(cert, f.root.publicKey(), QStringLiteral("other"), {}).error().code,
                 QStringLiteral("kiosk-cert-activity"));
        QCOMPARE(
            KioskCertificate::verify(cert, f.root.publicKey(), QStringLiteral("qingdao-2025"), QStringLiteral("laixi"))
                .error()
                .code,
            QStringLiteral("kiosk-cert-venue"));
        // A kiosk's self-signed request is not a certificate (domain separation).
        QCOMPARE(KioskCertificate::verify(req, f.kiosk.publicKey(), QStringLiteral("qingdao-2025"), {}).error().code,
                 QStringLiteral("kiosk-cert-format"));
    }

    void packageOpens()
    {
        Fixture f;
        const QByteArray pkg = f.package();
        auto h = verifyVenuePackage(pkg, f.root.publicKey(), shinan);
        QVERIFY(h.ok());
        QCOMPARE(h->version, 3);
        QCOMPARE(h->recipients, QStringList({QStringLiteral("hq"), QStringLiteral("shinan-1")}));
        auto asKiosk = openVenuePackage(pkg, f.root.publicKey(), shinan, QStringLiteral("shinan-1"),
                                        BoxKeyPair::fromSigningKey(f.kiosk));
        QVERIFY2(asKiosk.ok(), qPrintable(asKiosk.ok() ? QString() : asKiosk.error().message));
        QCOMPARE(asKiosk->roster.size(), 2);
        QCOMPARE(asKiosk->roster[0].maskedName, QStringLiteral("张*明"));
        QCOMPARE(asKiosk->roster[0].idHash, hash("a"));
        QCOMPARE(asKiosk->electionPublicKey, f.election.publicKey());
        QVERIFY(verifyPin(asKiosk->staff[0].pinHash, "111111"));
        auto asHq = openVenuePackage(pkg, f.root.publicKey(), shinan, QStringLiteral("hq"), f.archive);
        QVERIFY(asHq.ok());
        // Nothing of the roster is readable in the file.
        QVERIFY(!pkg.contains("R00001"));
        QVERIFY(!pkg.contains(QStringLiteral("张*明").toUtf8()));
    }

    void packageRefusals()
    {
        Fixture f;
        const QByteArray pkg = f.package();
        const QByteArray pk = f.root.publicKey();
        QCOMPARE(code(verifyVenuePackage(pkg, SigningKey::generate().publicKey(), shinan)),
                 QStringLiteral("package-signature"));
        QCOMPARE(code(verifyVenuePackage(pkg, pk, {QStringLiteral("qingdao-2026"), QStringLiteral("shinan"), 0})),
                 QStringLiteral("package-activity"));
        QCOMPARE(code(verifyVenuePackage(pkg, pk, {QStringLiteral("qingdao-2025"), QStringLiteral("laixi"), 0})),
                 QStringLiteral("package-venue"));
        QCOMPARE(code(verifyVenuePackage(pkg, pk, {QStringLiteral("qingdao-2025"), QStringLiteral("shinan"), 4})),
                 QStringLiteral("package-version"));
        QCOMPARE(code(verifyVenuePackage(pkg + "x", pk, shinan)), QStringLiteral("package-format"));
        QCOMPARE(code(verifyVenuePackage(QByteArray(), pk, shinan)), QStringLiteral("package-format"));
        for (qsizetype cut : {qsizetype(3), qsizetype(20), pkg.size() / 2, pkg.size() - 1})
            QCOMPARE(code(verifyVenuePackage(pkg.left(cut), pk, shinan)), QStringLiteral("package-format"));

        auto open = [&](const QByteArray &file, const QString &id, const BoxKeyPair &keys) {
            auto r = openVenuePackage(file, pk, shinan, id, keys);
            return r.ok() ? QStringLiteral("ok") : r.error().code;
        };
        QCOMPARE(open(pkg, QStringLiteral("shinan-9"), BoxKeyPair::fromSigningKey(f.kiosk)),
                 QStringLiteral("package-recipient"));
        QCOMPARE(open(pkg, QStringLiteral("shinan-1"), BoxKeyPair::generate()), QStringLiteral("package-decrypt"));
    }

    void packageByteFlips()
    {
        // Flip one byte in every region: magic, format version, lengths, header, stream,
        // signature. Each is refused, and with the reason that region implies.
        Fixture f;
        const QByteArray pkg = f.package();
        const QByteArray pk = f.root.publicKey();
        const quint32 headerLen
            = (quint8(pkg[8]) << 24) | (quint8(pkg[9]) << 16) | (quint8(pkg[10]) << 8) | quint8(pkg[11]);
        const qsizetype streamStart = 12 + headerLen + 4;
        struct Case {
            const char *region;
            qsizetype at;
            QStringList codes;
        };
        const QStringList sigOrFormat {QStringLiteral("package-signature"), QStringLiteral("package-format")};
        const QList<Case> cases {
            {"magic", 0, {QStringLiteral("package-format")}},
            {"format version", 7, {QStringLiteral("package-version")}},
            {"header length", 11, sigOrFormat},
            {"header start", 13, {QStringLiteral("package-signature")}},
            {"header middle", 12 + headerLen / 2, {QStringLiteral("package-signature")}},
            {"stream length", streamStart - 1, sigOrFormat},
            {"stream header", streamStart + 3, {QStringLiteral("package-signature")}},
            {"stream body", streamStart + (pkg.size() - streamStart) / 2, {QStringLiteral("package-signature")}},
            {"signature", pkg.size() - 10, {QStringLiteral("package-signature")}},
        };
        for (const Case &c : cases) {
            QByteArray bad = pkg;
            bad[c.at] = char(bad[c.at] ^ 0x20);
            const QString got = code(verifyVenuePackage(bad, pk, shinan));
            QVERIFY2(c.codes.contains(got), qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(c.region), got)));
        }
        // Exhaustively: no single flipped byte anywhere is accepted.
        for (qsizetype i = 0; i < pkg.size(); i += 7) {
            QByteArray bad = pkg;
            bad[i] = char(bad[i] ^ 0x01);
            QVERIFY2(!verifyVenuePackage(bad, pk, shinan).ok(), qPrintable(QString::number(i)));
        }
    }
};

QTEST_GUILESS_MAIN(TestRecords)
#include "test_records.moc"
