#include "venueworld.h"

#include "credential.h"
#include "fileio.h"
#include "hq.h"
#include "roster.h"
#include "venuepackage.h"

#include <QDir>
#include <QSet>

#include <sodium.h>

namespace pingyi::fuzz {

namespace {

crypto::SecretBytes passphrase()
{
    return crypto::SecretBytes::copyOf("kiosk service fuzzer");
}

/// A real Argon2id hash at libsodium's minimum cost: login still runs crypto_pwhash_str_verify
/// against the package's hashes, at microseconds instead of the interactive ~100 ms a try.
QString cheapPinHash(const QString &pin)
{
    const QByteArray p = pin.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, p.constData(), std::size_t(p.size()), crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN)
        != 0)
        return {};
    return QString::fromLatin1(out);
}

/// 17 digits and their GB 11643 check character: a well-formed number nobody holds.
QString makeIdNumber(int serial)
{
    const QString first17 = QStringLiteral("370202")
        + QStringLiteral("19%1").arg(50 + serial % 40, 2, 10, QLatin1Char('0'))
        + QStringLiteral("0%1").arg(1 + serial % 9) + QStringLiteral("1%1").arg(serial % 10)
        + QStringLiteral("%1").arg(900 + serial % 100, 3, 10, QLatin1Char('0'));
    return first17 + idnumber::checkCharacter(first17);
}

} // namespace

QString VenueWorld::setUp(FuzzClock &clock)
{
    if (!crypto::init())
        return QStringLiteral("libsodium");
    if (!root.isValid())
        return QStringLiteral("no temporary directory");
    start = QDateTime(QDate(2025, 12, 20), QTime(9, 0), Qt::UTC);
    clock.set(start);
    const QString hqDir = root.filePath(QStringLiteral("hq"));
    if (auto s = hq::Hq::init(hqDir, passphrase(), crypto::KdfStrength::interactive()); !s)
        return s.error().toString();
    auto hqOpened = hq::Hq::open(hqDir);
    if (!hqOpened)
        return hqOpened.error().toString();
    hq::Hq &hq = *hqOpened;
    auto secrets = hq.unlock(passphrase());
    if (!secrets)
        return secrets.error().toString();
    auto election = hq.unlockElection(passphrase());
    if (!election)
        return election.error().toString();
    electionKeys = std::make_unique<crypto::BoxKeyPair>(std::move(election).value());
    archiveKeys = std::make_unique<crypto::BoxKeyPair>(std::move(secrets->archive));

    auto spec = readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json"));
    if (!spec)
        return spec.error().toString();
    auto a = Activity::fromJson(*spec, QStringLiteral("activity.json"));
    if (!a)
        return a.error().toString();
    activity = *a;
    for (const GroupSession &g : activity.sessions)
        if (activity.sessionHeldAt(g.code, venue))
            sessionCodes << g.code;
    // A small roster: a representative comes back often, which is where double votes hide.
    const QByteArray csv = synthRoster(activity, 11, 0.12);
    if (auto s = hq.setActivity(activity); !s)
        return s.error().toString();
    if (auto s = hq.importRoster(csv, QStringLiteral("roster.csv"), *secrets); !s)
        return s.error().toString();

    // Staff PINs: the office issues them, then the fuzzer swaps in cheap hashes of known PINs.
    const QString other = QStringLiteral("laixi");
    for (const QString &v : {venue, other})
        if (auto s = hq.issueStaffPins(v); !s)
            return s.error().toString();
    pins = {{QStringLiteral("staff"), QStringLiteral("246813")},
            {QStringLiteral("lead"), QStringLiteral("975310")},
            {QStringLiteral("technician"), QStringLiteral("80642195")}};
    for (auto it = pins.cbegin(); it != pins.cend(); ++it) {
        auto st = hq.db().prepare("UPDATE staff_pin SET pin_hash = ?1 WHERE venue = ?2 AND role = ?3");
        if (!st)
            return st.error().toString();
        const QString h = cheapPinHash(it.value());
        if (h.isEmpty())
            return QStringLiteral("crypto_pwhash_str");
        if (auto s = st->bind(1, h).bind(2, venue).bind(3, it.key()).exec(); !s)
            return s.error().toString();
    }

    // The kiosk: enrolled, package loaded, then closed for good: inputs use copies.
    pristineDir = root.filePath(QStringLiteral("pristine"));
    kioskId = QStringLiteral("shinan-fz");
    {
        auto k = kiosk::KioskService::open(pristineDir, clock, options);
        if (!k)
            return k.error().toString();
        auto request = (*k)->beginEnrolment(kioskId, hq.rootPublicKey());
        if (!request)
            return request.error().toString();
        auto cert = hq.certifyKiosk(*request, venue, *secrets, nullptr);
        if (!cert)
            return cert.error().toString();
        if (auto s = (*k)->completeEnrolment(*cert); !s)
            return s.error().toString();
        auto pkg = hq.buildPackage(venue, *secrets, nullptr);
        if (!pkg)
            return pkg.error().toString();
        package = *pkg;
        if (auto s = (*k)->loadPackage(package); !s)
            return s.error().toString();
        kioskPublicKey = (*k)->publicKey();
        rootPublicKey = hq.rootPublicKey();
        packageVersion = (*k)->packageVersion();
        auto newer = hq.buildPackage(venue, *secrets, nullptr);
        if (!newer)
            return newer.error().toString();
        newerPackage = *newer;
        auto header = verifyVenuePackage(newerPackage, rootPublicKey, {activity.id, venue, 0});
        if (!header || header->version <= packageVersion)
            return QStringLiteral("the newer package is not newer");
        newerPackageVersion = header->version;
        damagedPackage = package;
        damagedPackage[damagedPackage.size() / 2] = char(damagedPackage[damagedPackage.size() / 2] ^ 0x20);
    }
    // Another venue's package (it needs a kiosk of its own there).
    {
        auto otherKiosk = kiosk::KioskService::open(root.filePath(QStringLiteral("laixi-kiosk")), clock, options);
        if (!otherKiosk)
            return otherKiosk.error().toString();
        auto request = (*otherKiosk)->beginEnrolment(QStringLiteral("laixi-fz"), hq.rootPublicKey());
        if (!request)
            return request.error().toString();
        if (auto cert = hq.certifyKiosk(*request, other, *secrets, nullptr); !cert)
            return cert.error().toString();
        auto pkg = hq.buildPackage(other, *secrets, nullptr);
        if (!pkg)
            return pkg.error().toString();
        otherVenuePackage = *pkg;
    }

    // The roster as the office has it: ID numbers from the CSV, cards from the HQ.
    QHash<QString, QString> idOf;
    QSet<QString> allIds;
    for (const QByteArray &line : csv.split('\n').mid(1)) {
        const QList<QByteArray> cols = line.split(',');
        if (cols.size() < 6)
            continue;
        idOf.insert(QString::fromUtf8(cols[0]), QString::fromLatin1(cols[2]));
        allIds.insert(QString::fromLatin1(cols[2]));
    }
    auto cards = hq.cards(*secrets, venue);
    if (!cards)
        return cards.error().toString();
    const auto fakeRoot = crypto::SigningKey::generate();
    for (const hq::Card &c : *cards) {
        if (c.sessions.size() != 1 || !idOf.contains(c.repId))
            return QStringLiteral("unexpected roster shape for %1").arg(c.repId);
        reps.append({c.repId, idOf.value(c.repId), c.sessions.first(), c.credential});
        if (forgedCards.size() < 8) {
            forgedCards << Credential {activity.id, c.repId, venue, c.sessions}.encode(fakeRoot);
            otherActivityCards << Credential {QStringLiteral("other-2024"), c.repId, venue, c.sessions}.encode(
                secrets->root);
            QString bad = idOf.value(c.repId);
            const QChar check = bad.back();
            bad.back() = check == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
            badCheckIdNumbers << bad;
        }
    }
    if (reps.size() < 4)
        return QStringLiteral("the roster gave shinan only %1 representatives").arg(reps.size());
    auto otherCards = hq.cards(*secrets, other);
    if (!otherCards)
        return otherCards.error().toString();
    for (const hq::Card &c : *otherCards) {
        if (otherVenueCards.size() >= 8)
            break;
        otherVenueCards << c.credential;
        otherVenueRepIds << c.repId;
        otherVenueIdNumbers << idOf.value(c.repId);
    }
    for (int serial = 0; unknownIdNumbers.size() < 8 && serial < 1000; ++serial) {
        const QString id = makeIdNumber(serial);
        if (idnumber::isValid(id) && !allIds.contains(id))
            unknownIdNumbers << id;
    }
    if (unknownIdNumbers.size() < 8 || otherVenueCards.isEmpty())
        return QStringLiteral("could not build the refusal evidence");
    for (const QString &id : std::as_const(badCheckIdNumbers))
        if (idnumber::isValid(id))
            return QStringLiteral("a wrong check character was accepted");
    return {};
}

} // namespace pingyi::fuzz
