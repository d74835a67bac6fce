#include "hq.h"

#include "credential.h"
#include "enrolment.h"
#include "facematch.h"
#include "fileio.h"
#include "hqstore.h"
#include "redact.h"
#include "roster.h"
#include "venuepackage.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace pingyi::hq {

namespace {

constexpr std::size_t seedBytes = 32;
constexpr std::size_t boxSecretBytes = 32;

Error noKeys(const QString &dir)
{
    return makeError(QStringLiteral("hq-missing"),
                     QStringLiteral("%1 is not an HQ directory (no %2): create one with `pingyi-hq init --hq %1`")
                         .arg(dir, QLatin1String(Hq::rootKeyFile)));
}

QString path(const QString &dir, const char *file)
{
    return QDir(dir).filePath(QLatin1String(file));
}

Error unknownVenue(const Activity &a, const QString &venue)
{
    QStringList codes;
    for (const Venue &v : a.venues)
        codes << v.code;
    return makeError(QStringLiteral("unknown-venue"),
                     QStringLiteral("venue %1 is not in activity %2; known venues: %3")
                         .arg(quoteInput(venue), a.id, codes.join(QStringLiteral(", "))));
}

constexpr char electionPublicFormat[] = "pingyi-election-public/v1";

/// Where retireElectionKey moves election.key before shredding it.
QString retiringKeyPath(const QString &dir)
{
    return path(dir, Hq::electionKeyFile) + QStringLiteral(".retiring");
}

Result<QByteArray> readElectionPublic(const QString &file)
{
    auto bytes = readInputFile(file, InputKind::PublicKey);
    if (!bytes)
        return bytes.error();
    const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
    const QByteArray pk = QByteArray::fromBase64(o.value(QLatin1String("public")).toString().toLatin1(),
                                                 QByteArray::AbortOnBase64DecodingErrors);
    if (o.value(QLatin1String("format")).toString() != QLatin1String(electionPublicFormat)
        || pk.size() != qsizetype(crypto::boxPublicKeyBytes))
        return makeError(QStringLiteral("keyfile-format"),
                         QStringLiteral("%1 is not a valid election public key file: restore it from the office's "
                                        "backup")
                             .arg(file));
    return pk;
}

} // namespace

QString Hq::filePath(const char *name) const
{
    return path(m_dir, name);
}

Result<crypto::BoxKeyPair> Hq::unlockElection(const crypto::SecretBytes &passphrase) const
{
    if (electionKeyRetired())
        return makeError(QStringLiteral("election-key-split"),
                         QStringLiteral("the election key of %1 exists only as trustee shares: give at least the "
                                        "threshold number of share files with --share")
                             .arg(m_dir));
    auto file = crypto::readKeyFile(path(m_dir, electionKeyFile), QStringLiteral("election"), passphrase);
    if (!file)
        return file.error();
    auto keys = crypto::BoxKeyPair::fromSecret(file->secret);
    if (!keys || keys->publicKey() != m_electionPublic)
        return makeError(QStringLiteral("keyfile-format"),
                         QStringLiteral("the election key file's secret does not match its public key (damaged)"));
    return std::move(keys).value();
}

bool Hq::electionKeyRetired() const
{
    return !QFileInfo::exists(path(m_dir, electionKeyFile)) && QFileInfo::exists(path(m_dir, electionPublicFile));
}

Status Hq::retireElectionKey()
{
    const QJsonObject o {{QStringLiteral("format"), QLatin1String(electionPublicFormat)},
                         {QStringLiteral("public"), QString::fromLatin1(m_electionPublic.toBase64())},
                         {QStringLiteral("fingerprint"), crypto::fingerprint(m_electionPublic)}};
    if (auto s = writeFileAtomic(path(m_dir, electionPublicFile), QJsonDocument(o).toJson(QJsonDocument::Indented)); !s)
        return s;
    // Moved aside in one rename (made durable) before it is overwritten: a crash while
    // shredding must not leave a half-overwritten election.key, which open() would refuse
    // as damaged. open() finishes shredding a key left aside.
    const QString key = path(m_dir, electionKeyFile);
    const QString aside = retiringKeyPath(m_dir);
    if (std::rename(QFile::encodeName(key).constData(), QFile::encodeName(aside).constData()) != 0)
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("cannot move %1 aside to destroy it (%2); the shares are complete: "
                                        "delete it by hand, securely")
                             .arg(key, QString::fromLocal8Bit(std::strerror(errno))));
    if (const int d = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
    // Overwritten before it is unlinked, so the passphrase alone can no longer open ballots
    // from what is left on this disk (backups of the HQ directory still hold it: destroy them).
    if (auto s = shredFile(aside); !s)
        return makeError(
            QStringLiteral("io-write"),
            QStringLiteral("%1; the shares are complete: delete %2 by hand, securely").arg(s.error().message, aside));
    return {};
}

QStringList staffRoles()
{
    return {QStringLiteral("staff"), QStringLiteral("lead"), QStringLiteral("technician")};
}

Result<QJsonObject> Hq::init(const QString &dir, const crypto::SecretBytes &passphrase, crypto::KdfStrength strength)
{
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create directory %1").arg(dir));
    // Keys, roster hashes, PIN hashes and archived batches: for the office's account only.
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (QFileInfo::exists(path(dir, rootKeyFile)) || QFileInfo::exists(path(dir, electionKeyFile)))
        return makeError(QStringLiteral("hq-exists"),
                         QStringLiteral("%1 already holds HQ keys; refusing to overwrite them (keys cannot be "
                                        "recovered): choose another directory")
                             .arg(dir));
    const auto root = crypto::SigningKey::generate();
    const auto archive = crypto::BoxKeyPair::generate();
    const auto idHash = crypto::SecretBytes::random(crypto::symmetricKeyBytes);
    crypto::SecretBytes rootSecret(seedBytes + boxSecretBytes + crypto::symmetricKeyBytes);
    std::memcpy(rootSecret.data(), root.seed().data(), seedBytes);
    std::memcpy(rootSecret.data() + seedBytes, archive.secret().data(), boxSecretBytes);
    std::memcpy(rootSecret.data() + seedBytes + boxSecretBytes, idHash.data(), crypto::symmetricKeyBytes);
    crypto::KeyFileContents rootFile {QStringLiteral("hq-root"), root.publicKey() + archive.publicKey(),
                                      std::move(rootSecret)};
    if (auto s = crypto::writeKeyFile(path(dir, rootKeyFile), rootFile, passphrase, strength); !s)
        return s.error();
    if (auto s = writeFileAtomic(path(dir, rootPublicFile), pingyi::rootPublicFile(root.publicKey())); !s)
        return s.error();

    const auto election = crypto::BoxKeyPair::generate();
    crypto::KeyFileContents electionFile {QStringLiteral("election"), election.publicKey(),
                                          crypto::SecretBytes::copyOf(election.secret().view())};
    if (auto s = crypto::writeKeyFile(path(dir, electionKeyFile), electionFile, passphrase, strength); !s)
        return s.error();
    auto db = store::openDatabase(path(dir, databaseFile));
    if (!db)
        return db.error();
    // SQLite gives its -wal and -shm files the database file's mode.
    QFile::setPermissions(path(dir, databaseFile), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return QJsonObject {{QStringLiteral("hq"), QDir(dir).absolutePath()},
                        {QStringLiteral("root_fingerprint"), crypto::fingerprint(root.publicKey())},
                        {QStringLiteral("election_fingerprint"), crypto::fingerprint(election.publicKey())},
                        {QStringLiteral("root_key_file"), path(dir, rootKeyFile)},
                        {QStringLiteral("root_public_file"), path(dir, rootPublicFile)},
                        {QStringLiteral("election_key_file"), path(dir, electionKeyFile)}};
}

Result<Hq> Hq::open(const QString &dir)
{
    if (!QFileInfo::exists(path(dir, rootKeyFile)))
        return noKeys(dir);
    auto root = crypto::readKeyFilePublic(path(dir, rootKeyFile));
    if (!root)
        return root.error();
    if (root->kind != QLatin1String("hq-root") || root->publicPart.size() != 64)
        return makeError(QStringLiteral("keyfile-kind"),
                         QStringLiteral("%1 is not an HQ root key file").arg(path(dir, rootKeyFile)));
    QByteArray electionPublic;
    if (!QFileInfo::exists(path(dir, electionKeyFile)) && QFileInfo::exists(path(dir, electionPublicFile))
        && QFileInfo::exists(retiringKeyPath(dir))) {
        // A retirement was interrupted after moving the key aside: finish destroying it.
        if (auto s = shredFile(retiringKeyPath(dir)); !s)
            return s.error();
    }
    if (!QFileInfo::exists(path(dir, electionKeyFile)) && QFileInfo::exists(path(dir, electionPublicFile))) {
        auto pub = readElectionPublic(path(dir, electionPublicFile));
        if (!pub)
            return pub.error();
        electionPublic = *pub;
    } else {
        auto election = crypto::readKeyFilePublic(path(dir, electionKeyFile));
        if (!election)
            return election.error();
        electionPublic = election->publicPart;
    }
    auto db = store::openDatabase(path(dir, databaseFile));
    if (!db)
        return db.error();
    // SQLite gives its -wal and -shm files the database file's mode.
    QFile::setPermissions(path(dir, databaseFile), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    Hq hq;
    hq.m_dir = dir;
    hq.m_rootPublic = root->publicPart.first(32);
    if (!QFileInfo::exists(path(dir, rootPublicFile)))
        if (auto s = writeFileAtomic(path(dir, rootPublicFile), pingyi::rootPublicFile(hq.m_rootPublic)); !s)
            return s.error();
    hq.m_archivePublic = root->publicPart.sliced(32);
    hq.m_electionPublic = electionPublic;
    hq.m_db.emplace(std::move(db).value());
    return hq;
}

Result<Secrets> Hq::unlock(const crypto::SecretBytes &passphrase) const
{
    auto file = crypto::readKeyFile(path(m_dir, rootKeyFile), QStringLiteral("hq-root"), passphrase);
    if (!file)
        return file.error();
    if (file->secret.size() != seedBytes + boxSecretBytes + crypto::symmetricKeyBytes)
        return makeError(QStringLiteral("keyfile-format"), QStringLiteral("the HQ root key file is damaged"));
    const auto part = [&](std::size_t offset, std::size_t n) {
        return crypto::SecretBytes::copyOf(file->secret.view().sliced(qsizetype(offset), qsizetype(n)));
    };
    auto root = crypto::SigningKey::fromSeed(part(0, seedBytes));
    auto archive = crypto::BoxKeyPair::fromSecret(part(seedBytes, boxSecretBytes));
    if (!root || !archive || root->publicKey() != m_rootPublic || archive->publicKey() != m_archivePublic)
        return makeError(QStringLiteral("keyfile-format"),
                         QStringLiteral("the HQ root key file's secret does not match its public key (damaged)"));
    return Secrets {std::move(root).value(), std::move(archive).value(),
                    part(seedBytes + boxSecretBytes, crypto::symmetricKeyBytes)};
}

Result<Activity> Hq::activity()
{
    auto spec = store::activitySpec(*m_db);
    if (!spec)
        return spec.error();
    if (!spec->has_value())
        return makeError(QStringLiteral("no-activity"),
                         QStringLiteral("no activity is set in %1 yet: run `pingyi-hq roster import --hq %1 "
                                        "--activity SPEC ROSTER.csv` first")
                             .arg(m_dir));
    return Activity::fromJson(**spec, path(m_dir, databaseFile));
}

Status Hq::setActivity(const Activity &activity)
{
    auto current = this->activity();
    if (current && current->id != activity.id)
        return makeError(QStringLiteral("activity-mismatch"),
                         QStringLiteral("this HQ directory serves activity \"%1\", not \"%2\": use a new HQ "
                                        "directory for another activity")
                             .arg(current->id, activity.id));
    if (current && current->canonicalJson() != activity.canonicalJson()) {
        auto imported = store::batchesImported(*m_db);
        if (!imported)
            return imported.error();
        if (*imported)
            return makeError(QStringLiteral("activity-locked"),
                             QStringLiteral("ballots of activity %1 are already imported: its spec can no longer "
                                            "change (results would mix two sets of rules); keep the spec as it was")
                                 .arg(activity.id));
    }
    return store::saveActivity(*m_db, activity.id, activity.canonicalJson());
}

Result<QuotaReport> checkRosterQuotas(const QList<RosterEntry> &entries, const Activity &activity,
                                      const QString &origin)
{
    QuotaReport r;
    for (const QuotaCheck &q : checkQuotas(entries, activity)) {
        const QString status = q.found < q.planned ? QStringLiteral("short")
            : q.found > q.planned                  ? QStringLiteral("over")
                                                   : QStringLiteral("ok");
        r.cells.append(QJsonObject {{QStringLiteral("category"), q.cell.category},
                                    {QStringLiteral("venue"), q.cell.venue},
                                    {QStringLiteral("session"), q.cell.session},
                                    {QStringLiteral("planned"), q.planned},
                                    {QStringLiteral("found"), q.found},
                                    {QStringLiteral("status"), status}});
        if (!q.ok())
            r.off << QStringLiteral("%1: %2 %3 (planned %4, found %5)")
                         .arg(q.name(), status, QString::number(std::abs(q.found - q.planned)),
                              QString::number(q.planned), QString::number(q.found));
    }
    if (!r.off.isEmpty() && activity.roster.quotas == RosterRules::Check::Refuse)
        return makeError(QStringLiteral("roster-quota"),
                         QStringLiteral("%1: %2 quota cell(s) of the plan are not met, and the activity spec says "
                                        "\"roster\": {\"quotas\": \"refuse\"}:\n  %3\nFix the roster (or the "
                                        "spec's quotas) and import again")
                             .arg(origin)
                             .arg(r.off.size())
                             .arg(r.off.join(QStringLiteral("\n  "))));
    return r;
}

Result<QJsonObject> Hq::importRoster(const QByteArray &csv, const QString &origin, const Secrets &secrets,
                                     const QMap<QString, QByteArray> &faceTemplates)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    auto entries = parseRoster(csv, *activity, origin);
    if (!entries)
        return entries.error();
    // Attendance and the import's check-in checks are against this roster.
    if (auto imported = store::batchesImported(*m_db); !imported)
        return imported.error();
    else if (*imported)
        return makeError(QStringLiteral("roster-locked"),
                         QStringLiteral("ballots of activity %1 are already imported: the roster can no longer be "
                                        "replaced (attendance and check-ins are judged against it); keep the roster "
                                        "the venues used")
                             .arg(activity->id));

    auto quotas = checkRosterQuotas(*entries, *activity, origin);
    if (!quotas)
        return quotas.error();
    const QJsonArray quotaCells = quotas->cells;
    const QStringList off = quotas->off;

    Database::Transaction tx(*m_db);
    if (!tx.status())
        return tx.status().error();
    QList<store::RepresentativeRow> rows;
    rows.reserve(entries->size());
    QMap<QString, int> byVenue, bySession, byCategory;
    for (const RosterEntry &e : *entries) {
        // Upper-case X so that the kiosk's keypad entry hashes to the same value.
        const QByteArray idHash = crypto::keyedHash(secrets.idHashKey, e.idNumber.toUpper().toLatin1());
        rows.append({e.repId, idHash, maskName(e.name), e.category, e.venue, e.sessions});
        ++byVenue[e.venue];
        for (const QString &s : e.sessions)
            ++bySession[s];
        ++byCategory[e.category];
    }
    if (auto s = store::replaceRoster(*m_db, rows); !s)
        return s.error();
    for (auto it = faceTemplates.cbegin(); it != faceTemplates.cend(); ++it)
        if (!face::decodeTemplate(it.value())
            || !std::any_of(entries->cbegin(), entries->cend(),
                            [&it](const RosterEntry &e) { return e.repId == it.key(); }))
            return makeError(QStringLiteral("face-template"),
                             QStringLiteral("a face template is malformed or for a representative not on the roster"));
    if (auto s = store::saveFaceTemplates(*m_db, faceTemplates); !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    auto toJson = [](const QMap<QString, int> &m) {
        QJsonObject o;
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            o.insert(it.key(), it.value());
        return o;
    };
    return QJsonObject {{QStringLiteral("activity"), activity->id},
                        {QStringLiteral("representatives"), qint64(entries->size())},
                        {QStringLiteral("by_venue"), toJson(byVenue)},
                        {QStringLiteral("by_session"), toJson(bySession)},
                        {QStringLiteral("by_category"), toJson(byCategory)},
                        {QStringLiteral("quota_cells"), quotaCells},
                        {QStringLiteral("quota_warnings"), QJsonArray::fromStringList(off)},
                        {QStringLiteral("face_templates"), qint64(faceTemplates.size())}};
}

QString cardCheckCode(const QString &activityId, const QString &repId)
{
    // Twenty characters that a child can read and that sound unlike each other in Mandarin.
    static const QString characters = QStringLiteral("山水火木金土日月星云风雨花草竹松江河海田");
    const QByteArray digest = QCryptographicHash::hash(QByteArrayLiteral("pingyi-card-check") + '\0'
                                                           + activityId.toUtf8() + '\0' + repId.toUtf8(),
                                                       QCryptographicHash::Sha256);
    const quint32 v = (quint32(quint8(digest[0])) << 24) | (quint32(quint8(digest[1])) << 16)
        | (quint32(quint8(digest[2])) << 8) | quint32(quint8(digest[3]));
    return QStringLiteral("%1 %2").arg(characters.at(int(v % 20))).arg((v / 20) % 100, 2, 10, QLatin1Char('0'));
}

Result<QList<Card>> Hq::cards(const Secrets &secrets, const QString &venue)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    if (!venue.isEmpty() && !activity->venue(venue))
        return unknownVenue(*activity, venue);
    auto reps = store::representatives(*m_db, venue);
    if (!reps)
        return reps.error();
    QList<Card> out;
    for (const store::RepresentativeRow &r : *reps) {
        Card c {r.repId, r.maskedName, r.venue, r.sessions, {}, cardCheckCode(activity->id, r.repId)};
        c.credential = Credential {activity->id, c.repId, c.venue, c.sessions}.encode(secrets.root);
        out.append(c);
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("no-roster"),
                         QStringLiteral("no representatives to make cards for: import a roster first"));
    return out;
}

Result<QByteArray> Hq::certifyKiosk(const QByteArray &requestBytes, const QString &venue, const Secrets &secrets,
                                    QJsonObject *summary)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    if (!activity->venue(venue))
        return unknownVenue(*activity, venue);
    auto request = EnrolmentRequest::parse(requestBytes);
    if (!request)
        return request.error();

    auto existing = store::kiosksWithIdOrKey(*m_db, request->kioskId, request->signPublicKey);
    if (!existing)
        return existing.error();
    QByteArray cert;
    for (const store::KioskRow &k : *existing) {
        if (k.signPublicKey != request->signPublicKey)
            return makeError(QStringLiteral("kiosk-id-taken"),
                             QStringLiteral("kiosk id %1 is already enrolled with another key: give this kiosk "
                                            "another id (or re-install the original kiosk's key)")
                                 .arg(request->kioskId));
        if (k.kioskId != request->kioskId || k.venue != venue)
            return makeError(QStringLiteral("kiosk-enrolled-elsewhere"),
                             QStringLiteral("this kiosk's key is already enrolled as %1 at venue %2: a kiosk serves "
                                            "one venue; enrol a new kiosk key for %3")
                                 .arg(k.kioskId, k.venue, venue));
        cert = k.certificate; // the same kiosk asking again gets the same certificate
    }
    if (cert.isEmpty()) {
        auto serial = store::nextKioskSerial(*m_db);
        if (!serial)
            return serial.error();
        cert = KioskCertificate::issue(secrets.root, *request, activity->id, venue, *serial);
        if (auto s = store::insertKiosk(*m_db, {request->kioskId, venue, request->signPublicKey, cert, *serial}); !s)
            return s.error();
    }
    if (summary)
        *summary = QJsonObject {{QStringLiteral("kiosk_id"), request->kioskId},
                                {QStringLiteral("venue"), venue},
                                {QStringLiteral("activity"), activity->id},
                                {QStringLiteral("kiosk_fingerprint"), crypto::fingerprint(request->signPublicKey)}};
    return cert;
}

Result<QList<StaffPinIssued>> Hq::issueStaffPins(const QString &venue)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    if (!activity->venue(venue))
        return unknownVenue(*activity, venue);
    QList<StaffPinIssued> out;
    Database::Transaction tx(*m_db);
    if (!tx.status())
        return tx.status().error();
    for (const QString &role : staffRoles()) {
        const int digits = role == QLatin1String("technician") ? 8 : 6;
        QString pin;
        for (int i = 0; i < digits; ++i)
            pin += QChar(u'0' + char16_t(crypto::randomUniform(10)));
        if (auto s = store::setStaffPin(*m_db, venue, role, crypto::hashPin(pin.toLatin1())); !s)
            return s.error();
        out.append({role, pin});
    }
    if (auto s = tx.commit(); !s)
        return s.error();
    return out;
}

Result<QHash<QString, QString>> Hq::parseNetworkPlan(QByteArrayView text, const QString &fileName)
{
    QHash<QString, QString> plan;
    const QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        auto bad = [&](const QString &why) {
            return makeError(QStringLiteral("network-plan"),
                             QStringLiteral("%1, line %2: %3; write one kiosk per line as \"kiosk-id host:port\", "
                                            "for example \"shinan-1 10.20.0.11:7443\"")
                                 .arg(fileName)
                                 .arg(i + 1)
                                 .arg(why));
        };
        const QStringList parts = line.split(QRegularExpression(QStringLiteral("\\s+")));
        if (parts.size() != 2)
            return bad(QStringLiteral("expected two fields, found %1").arg(parts.size()));
        if (!isValidKioskId(parts[0]))
            return bad(QStringLiteral("\"%1\" is not a kiosk id").arg(parts[0]));
        if (const QString why = venueAddressProblem(parts[1]); !why.isEmpty())
            return bad(why);
        if (plan.contains(parts[0]))
            return bad(QStringLiteral("kiosk %1 is listed twice").arg(parts[0]));
        plan.insert(parts[0], parts[1]);
    }
    return plan;
}

Result<QByteArray> Hq::buildPackage(const QString &venue, const Secrets &secrets, QJsonObject *summary,
                                    const QHash<QString, QString> &network)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    if (!activity->venue(venue))
        return unknownVenue(*activity, venue);

    VenuePackageContent c;
    c.activityId = activity->id;
    c.venue = venue;
    c.activityJson = activity->canonicalJson();
    c.rootPublicKey = m_rootPublic;
    c.electionPublicKey = m_electionPublic;
    c.archivePublicKey = m_archivePublic;
    c.idHashKey = crypto::SecretBytes::copyOf(secrets.idHashKey.view());

    auto reps = store::representatives(*m_db, venue);
    if (!reps)
        return reps.error();
    auto faces = store::faceTemplates(*m_db);
    if (!faces)
        return faces.error();
    for (const store::RepresentativeRow &r : *reps)
        c.roster.append({r.repId, r.idHash, r.maskedName, r.category, r.sessions, faces->value(r.repId)});
    if (c.roster.isEmpty())
        return makeError(QStringLiteral("no-roster"),
                         QStringLiteral("no representatives are assigned to venue %1: import a roster that includes "
                                        "this venue first")
                             .arg(venue));

    QList<PackageRecipient> recipients {{QLatin1String(packageArchiveRecipient), m_archivePublic}};
    auto kiosks = store::kiosks(*m_db, venue);
    if (!kiosks)
        return kiosks.error();
    for (const store::KioskRow &k : *kiosks) {
        auto cert = KioskCertificate::verify(k.certificate, m_rootPublic, activity->id, venue);
        if (!cert)
            return cert.error();
        c.kioskCerts.append(cert->bytes);
        recipients.append({cert->kioskId, cert->boxPublicKey});
    }
    if (!network.isEmpty()) {
        // Every kiosk of the venue has one address of its own, and nothing else is planned.
        auto planError = [&](const QString &why) {
            return makeError(QStringLiteral("network-plan"),
                             QStringLiteral("the network plan for venue %1 does not fit: %2; correct the plan file "
                                            "and build the package again")
                                 .arg(venue, why));
        };
        QSet<QString> enrolled, addresses;
        for (const PackageRecipient &r : recipients.sliced(1))
            enrolled.insert(r.id);
        for (auto it = network.cbegin(); it != network.cend(); ++it) {
            if (!enrolled.contains(it.key()))
                return planError(QStringLiteral("kiosk %1 is not enrolled at this venue").arg(it.key()));
            if (const QString why = venueAddressProblem(it.value()); !why.isEmpty())
                return planError(why);
            if (addresses.contains(it.value()))
                return planError(QStringLiteral("address %1 is given to two kiosks").arg(it.value()));
            addresses.insert(it.value());
        }
        for (const QString &k : enrolled)
            if (!network.contains(k))
                return planError(QStringLiteral("kiosk %1 has no address").arg(k));
        c.network = network;
    }
    if (c.kioskCerts.isEmpty())
        return makeError(QStringLiteral("no-kiosks"),
                         QStringLiteral("no kiosk is enrolled at venue %1: certify the venue's kiosks with "
                                        "`pingyi-hq kiosk certify` first")
                             .arg(venue));

    auto pins = store::staffPins(*m_db, venue);
    if (!pins)
        return pins.error();
    c.staff = *pins;
    if (c.staff.size() != staffRoles().size())
        return makeError(
            QStringLiteral("no-staff-pins"),
            QStringLiteral("venue %1 has no staff PINs yet: run `pingyi-hq staff --venue %1` first").arg(venue));

    Database::Transaction tx(*m_db);
    if (!tx.status())
        return tx.status().error();
    auto version = store::bumpPackageVersion(*m_db, venue);
    if (!version)
        return version.error();
    c.version = *version;
    QByteArray file = buildVenuePackage(c, secrets.root, recipients);
    if (auto s = tx.commit(); !s)
        return s.error();
    if (summary) {
        QJsonArray kioskIds;
        for (const PackageRecipient &r : recipients.sliced(1))
            kioskIds.append(r.id);
        *summary
            = QJsonObject {{QStringLiteral("activity"), c.activityId},
                           {QStringLiteral("venue"), venue},
                           {QStringLiteral("version"), c.version},
                           {QStringLiteral("representatives"), qint64(c.roster.size())},
                           {QStringLiteral("kiosks"), kioskIds},
                           {QStringLiteral("shared_checkins"), c.network.size() >= 2},
                           {QStringLiteral("bytes"), qint64(file.size())},
                           {QStringLiteral("face_templates"),
                            qint64(std::count_if(c.roster.cbegin(), c.roster.cend(), [](const VenueRosterEntry &e) {
                                return !e.faceTemplate.isEmpty();
                            }))}};
    }
    return file;
}

Result<QJsonObject> Hq::inspectPackage(const QByteArray &file, const Secrets *secrets)
{
    auto activity = this->activity();
    if (!activity)
        return activity.error();
    const PackageExpectation expect {activity->id, {}, 0};
    auto header = verifyVenuePackage(file, m_rootPublic, expect);
    if (!header)
        return header.error();
    if (!activity->venue(header->venue))
        return makeError(QStringLiteral("package-venue"),
                         QStringLiteral("the package names venue \"%1\", which is not in activity %2")
                             .arg(header->venue, activity->id));
    QJsonObject out {{QStringLiteral("activity"), header->activityId},
                     {QStringLiteral("venue"), header->venue},
                     {QStringLiteral("version"), header->version},
                     {QStringLiteral("issuer"), header->issuer},
                     {QStringLiteral("recipients"), QJsonArray::fromStringList(header->recipients)},
                     {QStringLiteral("signature"), QStringLiteral("valid")}};
    if (!secrets) {
        out.insert(QStringLiteral("content"), QStringLiteral("not decrypted (no passphrase)"));
        return out;
    }
    auto content
        = openVenuePackage(file, m_rootPublic, expect, QLatin1String(packageArchiveRecipient), secrets->archive);
    if (!content)
        return content.error();
    auto inner = Activity::fromJson(content->activityJson, QStringLiteral("package activity"));
    if (!inner || inner->id != activity->id)
        return makeError(QStringLiteral("package-content"),
                         QStringLiteral("the activity inside the package is damaged or not %1").arg(activity->id));
    QJsonArray kiosks;
    for (const QByteArray &certBytes : content->kioskCerts) {
        auto cert = KioskCertificate::verify(certBytes, m_rootPublic, activity->id, header->venue);
        if (!cert)
            return makeError(
                QStringLiteral("package-content"),
                QStringLiteral("a kiosk certificate inside the package does not verify: %1").arg(cert.error().message));
        if (!header->recipients.contains(cert->kioskId))
            return makeError(
                QStringLiteral("package-content"),
                QStringLiteral("kiosk %1 has a certificate but the package is not encrypted to it").arg(cert->kioskId));
        kiosks.append(cert->kioskId);
    }
    QMap<QString, int> bySession;
    for (const VenueRosterEntry &e : content->roster)
        for (const QString &s : e.sessions)
            ++bySession[s];
    QJsonObject sessions;
    for (auto it = bySession.cbegin(); it != bySession.cend(); ++it)
        sessions.insert(it.key(), it.value());
    QStringList roles;
    for (const StaffPin &p : content->staff)
        roles << p.role;
    out.insert(QStringLiteral("content"), QStringLiteral("decrypted and consistent"));
    out.insert(QStringLiteral("representatives"), qint64(content->roster.size()));
    out.insert(QStringLiteral("by_session"), sessions);
    out.insert(QStringLiteral("kiosks"), kiosks);
    out.insert(QStringLiteral("staff_roles"), QJsonArray::fromStringList(roles));
    if (!content->network.isEmpty()) {
        QJsonObject plan;
        for (auto it = content->network.cbegin(); it != content->network.cend(); ++it)
            plan.insert(it.key(), it.value());
        out.insert(QStringLiteral("network"), plan);
    }
    return out;
}

} // namespace pingyi::hq
