// The whole provisioning flow of the tallying office on the Qingdao 2025 example at full
// scale (3030 representatives, 11 venues), driven through hq::Hq as pingyi-hq does, then
// checked from the kiosk's side: each kiosk opens its venue's package, finds
// representatives by the keyed hash of their ID number and accepts their card's QR code.

#include "cards.h"
#include "credential.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "roster.h"
#include "venuepackage.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace pingyi;

namespace {
const QString examplePath = QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json");

crypto::SecretBytes passphrase()
{
    return crypto::SecretBytes::copyOf("integration passphrase");
}

struct Kiosk {
    QString id;
    QString venue;
    crypto::SigningKey key = crypto::SigningKey::generate();
};
} // namespace

class TestProvisioning : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_hqDir;
    Activity m_activity;
    QByteArray m_roster;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_hqDir = m_dir.filePath(QStringLiteral("hq"));
        auto a = Activity::fromJson(*readFile(examplePath), examplePath);
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        m_activity = *a;
        m_roster = synthRoster(m_activity, 7, 1.0);
    }

    void initRefusesExisting()
    {
        auto r = hq::Hq::init(m_hqDir, passphrase(), crypto::KdfStrength::interactive());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QVERIFY(r->value(QLatin1String("root_fingerprint")).toString().size() == 44);
        // The office's directory and database are for its own account only.
        const auto ownerOnly
            = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser;
        QCOMPARE(QFileInfo(m_hqDir).permissions() & ~(QFileDevice::ExeOwner | QFileDevice::ExeUser), ownerOnly);
        QCOMPARE(QFileInfo(QDir(m_hqDir).filePath(QStringLiteral("hq.db"))).permissions(), ownerOnly);
        auto again = hq::Hq::init(m_hqDir, passphrase(), crypto::KdfStrength::interactive());
        QCOMPARE(again.error().code, QStringLiteral("hq-exists"));
        QCOMPARE(hq::Hq::open(m_dir.filePath(QStringLiteral("nowhere"))).error().code, QStringLiteral("hq-missing"));
    }

    void wrongPassphrase()
    {
        auto h = hq::Hq::open(m_hqDir);
        QVERIFY(h.ok());
        QCOMPARE(h->unlock(crypto::SecretBytes::copyOf("not the passphrase")).error().code,
                 QStringLiteral("passphrase"));
    }

    void commandsNeedAnActivity()
    {
        auto h = hq::Hq::open(m_hqDir);
        QCOMPARE(h->issueStaffPins(QStringLiteral("shinan")).error().code, QStringLiteral("no-activity"));
    }

    void rosterImport()
    {
        auto h = hq::Hq::open(m_hqDir);
        auto secrets = h->unlock(passphrase());
        QVERIFY(secrets.ok());
        QVERIFY(h->setActivity(m_activity).ok());
        QElapsedTimer t;
        t.start();
        auto r = h->importRoster(m_roster, QStringLiteral("roster.csv"), *secrets);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        qInfo("imported 3030 representatives in %lld ms", t.elapsed());
        QCOMPARE(r->value(QLatin1String("representatives")).toInteger(), 3030);
        QCOMPARE(r->value(QLatin1String("by_venue")).toObject().size(), m_activity.venues.size());

        // The ID number is never stored: the database file holds none of them.
        const QByteArray db = *readFile(QDir(m_hqDir).filePath(QStringLiteral("hq.db")));
        const QByteArray wal = QFile::exists(QDir(m_hqDir).filePath(QStringLiteral("hq.db-wal")))
            ? *readFile(QDir(m_hqDir).filePath(QStringLiteral("hq.db-wal")))
            : QByteArray();
        const QList<QByteArray> lines = m_roster.split('\n');
        for (int i = 1; i < lines.size(); i += 97) {
            const QList<QByteArray> cols = lines[i].split(',');
            if (cols.size() < 3)
                continue;
            QVERIFY2(!db.contains(cols[2]) && !wal.contains(cols[2]), "an ID number was stored");
            QVERIFY2(!db.contains(cols[1]) && !wal.contains(cols[1]), "a full name was stored");
        }
    }

    void badRosterKeepsTheOldOne()
    {
        auto h = hq::Hq::open(m_hqDir);
        auto secrets = h->unlock(passphrase());
        QByteArray bad = m_roster;
        bad.append("R99999,王小明,110105194912310021,no-such-category,shinan,econ,\n");
        auto r = h->importRoster(bad, QStringLiteral("bad.csv"), *secrets);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("roster-invalid"));
        QVERIFY(r.error().message.contains(QLatin1String("bad.csv:3032")));
        auto cards = h->cards(*secrets, {});
        QCOMPARE(cards->size(), 3030);
        Activity other = m_activity;
        other.id = QStringLiteral("qingdao-2026");
        QCOMPARE(h->setActivity(other).error().code, QStringLiteral("activity-mismatch"));
    }

    void cardsPdf()
    {
        auto h = hq::Hq::open(m_hqDir);
        auto secrets = h->unlock(passphrase());
        auto cards = h->cards(*secrets, QStringLiteral("laixi"));
        QVERIFY(cards.ok());
        QVERIFY(cards->size() > 200);
        for (const hq::Card &c : *cards) {
            QCOMPARE(c.venue, QStringLiteral("laixi"));
            QVERIFY(c.maskedName.contains(QLatin1Char('*')));
            auto cred = Credential::verify(c.credential, h->rootPublicKey(), m_activity.id, QStringLiteral("laixi"));
            QVERIFY(cred.ok());
            QCOMPARE(cred->repId, c.repId);
        }
        QCOMPARE(h->cards(*secrets, QStringLiteral("atlantis")).error().code, QStringLiteral("unknown-venue"));
        const QString pdf = m_dir.filePath(QStringLiteral("cards-laixi.pdf"));
        QElapsedTimer t;
        t.start();
        QVERIFY(hq::renderCardsPdf(*cards, m_activity, pdf).ok());
        qInfo("rendered %lld cards in %lld ms", qint64(cards->size()), t.elapsed());
        const QByteArray bytes = *readFile(pdf);
        QVERIFY(bytes.startsWith("%PDF-"));
        // Every credential is in it: the office's account only.
        QCOMPARE(QFileInfo(pdf).permissions(),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
        QVERIFY(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page ") >= 1);
        // If poppler is installed, make sure the PDF is readable and has the expected pages.
        QProcess info;
        info.start(QStringLiteral("pdfinfo"), {pdf});
        if (info.waitForFinished(30000) && info.exitCode() == 0) {
            const QString text = QString::fromUtf8(info.readAllStandardOutput());
            const auto pages = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(text);
            QVERIFY2(pages.hasMatch(), qPrintable(text));
            QCOMPARE(pages.captured(1).toLongLong(), (cards->size() + hq::cardsPerPage - 1) / hq::cardsPerPage);
            QVERIFY(text.contains(QLatin1String("(A4)")));
        }
    }

    void fullFlow()
    {
        auto h = hq::Hq::open(m_hqDir);
        auto secrets = h->unlock(passphrase());
        std::vector<Kiosk> kiosks;
        for (const Venue &v : m_activity.venues)
            for (int k = 1; k <= 2; ++k)
                kiosks.push_back({QStringLiteral("%1-%2").arg(v.code).arg(k), v.code});

        // Nothing to package before kiosks and PINs exist.
        QCOMPARE(h->buildPackage(QStringLiteral("shinan"), *secrets, nullptr).error().code,
                 QStringLiteral("no-kiosks"));
        for (const Kiosk &k : kiosks) {
            QJsonObject summary;
            auto cert = h->certifyKiosk(EnrolmentRequest::create(k.key, k.id), k.venue, *secrets, &summary);
            QVERIFY2(cert.ok(), qPrintable(cert.ok() ? QString() : cert.error().message));
            // Asking again returns the same certificate.
            QCOMPARE(*h->certifyKiosk(EnrolmentRequest::create(k.key, k.id), k.venue, *secrets, nullptr), *cert);
        }
        QCOMPARE(h->certifyKiosk(EnrolmentRequest::create(crypto::SigningKey::generate(), QStringLiteral("shinan-1")),
                                 QStringLiteral("shinan"), *secrets, nullptr)
                     .error()
                     .code,
                 QStringLiteral("kiosk-id-taken"));
        QCOMPARE(h->certifyKiosk(EnrolmentRequest::create(kiosks[0].key, kiosks[0].id), QStringLiteral("laixi"),
                                 *secrets, nullptr)
                     .error()
                     .code,
                 QStringLiteral("kiosk-enrolled-elsewhere"));
        QCOMPARE(h->certifyKiosk("not a request", QStringLiteral("laixi"), *secrets, nullptr).error().code,
                 QStringLiteral("kiosk-request-format"));
        QCOMPARE(h->buildPackage(QStringLiteral("shinan"), *secrets, nullptr).error().code,
                 QStringLiteral("no-staff-pins"));

        QHash<QString, QList<hq::StaffPinIssued>> pins;
        QHash<QString, QByteArray> packages;
        for (const Venue &v : m_activity.venues) {
            auto p = h->issueStaffPins(v.code);
            QVERIFY(p.ok());
            QCOMPARE(p->size(), 3);
            pins.insert(v.code, *p);
            QJsonObject summary;
            auto pkg = h->buildPackage(v.code, *secrets, &summary);
            QVERIFY2(pkg.ok(), qPrintable(pkg.ok() ? QString() : pkg.error().message));
            packages.insert(v.code, *pkg);
            auto inspected = h->inspectPackage(*pkg, &*secrets);
            QVERIFY2(inspected.ok(), qPrintable(inspected.ok() ? QString() : inspected.error().message));
            QCOMPARE(inspected->value(QLatin1String("kiosks")).toArray().size(), 2);
            QVERIFY(h->inspectPackage(*pkg, nullptr).ok());
        }
        // A rebuilt package has a higher version.
        auto v2 = h->buildPackage(QStringLiteral("main"), *secrets, nullptr);
        QCOMPARE(verifyVenuePackage(*v2, h->rootPublicKey(), {m_activity.id, {}, 0})->version, 2);

        // The kiosk's side: open, find representatives by ID number, accept their cards.
        QHash<QString, QList<QByteArray>> rosterLines;
        for (const QByteArray &line : m_roster.split('\n').mid(1))
            if (!line.isEmpty())
                rosterLines[QString::fromUtf8(line.split(',')[4])].append(line);
        const auto cards = *h->cards(*secrets, {});
        for (const Kiosk &k : kiosks) {
            auto content = openVenuePackage(packages[k.venue], h->rootPublicKey(), {m_activity.id, k.venue, 1}, k.id,
                                            crypto::BoxKeyPair::fromSigningKey(k.key));
            QVERIFY2(content.ok(), qPrintable(content.ok() ? QString() : content.error().message));
            QCOMPARE(content->roster.size(), rosterLines[k.venue].size());
            QVERIFY(Activity::fromJson(content->activityJson, QStringLiteral("package")).ok());
            QHash<QByteArray, QString> byHash;
            for (const VenueRosterEntry &e : content->roster)
                byHash.insert(e.idHash, e.repId);
            for (const QByteArray &line : rosterLines[k.venue].mid(0, 20)) {
                const QList<QByteArray> cols = line.split(',');
                QCOMPARE(byHash.value(crypto::keyedHash(content->idHashKey, cols[2])), QString::fromUtf8(cols[0]));
            }
            for (const StaffPin &p : content->staff) {
                for (const auto &issued : pins[k.venue])
                    if (issued.role == p.role)
                        QVERIFY(crypto::verifyPin(p.pinHash, issued.pin.toLatin1()));
            }
            // Wrong venue's package is refused by this kiosk.
            const QString other = k.venue == QLatin1String("main") ? QStringLiteral("shinan") : QStringLiteral("main");
            QCOMPARE(openVenuePackage(packages[other], h->rootPublicKey(), {m_activity.id, k.venue, 1}, k.id,
                                      crypto::BoxKeyPair::fromSigningKey(k.key))
                         .error()
                         .code,
                     QStringLiteral("package-venue"));
        }
        int checked = 0;
        for (const hq::Card &c : cards) {
            if (checked++ % 50)
                continue;
            QVERIFY(Credential::verify(c.credential, h->rootPublicKey(), m_activity.id, c.venue).ok());
        }
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv); // card rendering needs fonts
    TestProvisioning t;
    return QTest::qExec(&t, argc, argv);
}
#include "test_provisioning.moc"
