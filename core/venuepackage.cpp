#include "venuepackage.h"

#include "container.h"
#include "facematch.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pingyi {

namespace {
constexpr char magic[] = "PYVPKG";
constexpr quint16 formatVersion = 1;

QString b64(QByteArrayView b)
{
    return QString::fromLatin1(b.toByteArray().toBase64());
}
QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
}

struct Parsed {
    QByteArrayView header;
    QByteArrayView stream;
    QJsonObject headerObject;
};

Error formatError(const QString &detail)
{
    return makeError(QStringLiteral("package-format"),
                     QStringLiteral("this file is not a valid Pingyi venue package (%1): copy it again from the "
                                    "office's original")
                         .arg(detail));
}

Result<Parsed> split(QByteArrayView file, QByteArrayView rootPublicKey)
{
    auto c = readContainer(file, magic, formatVersion, 2, QStringLiteral("package"), QStringLiteral("venue package"));
    if (!c)
        return c.error();
    if (!crypto::verify(rootPublicKey, crypto::domain::venuePackage, c->signedBytes, c->signature))
        return makeError(QStringLiteral("package-signature"),
                         QStringLiteral("the venue package's signature does not verify: it was altered or it was "
                                        "not issued by this office's HQ key; do not use it, ask the office for a new "
                                        "copy"));
    Parsed p;
    p.header = c->sections[0];
    p.stream = c->sections[1];
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(p.header.toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return formatError(QStringLiteral("damaged header"));
    p.headerObject = doc.object();
    if (p.headerObject.value(QLatin1String("format")).toString() != QLatin1String("pingyi-venue-package/v1"))
        return formatError(QStringLiteral("unknown header format"));
    return p;
}

QJsonObject contentToJson(const VenuePackageContent &c)
{
    QJsonArray roster;
    for (const VenueRosterEntry &e : c.roster) {
        QJsonObject entry {{QStringLiteral("rep"), e.repId},
                           {QStringLiteral("id_hash"), QString::fromLatin1(e.idHash.toHex())},
                           {QStringLiteral("name"), e.maskedName},
                           {QStringLiteral("category"), e.category},
                           {QStringLiteral("sessions"), QJsonArray::fromStringList(e.sessions)}};
        if (!e.faceTemplate.isEmpty())
            entry.insert(QStringLiteral("face"), QString::fromLatin1(e.faceTemplate.toBase64()));
        roster.append(entry);
    }
    QJsonArray certs;
    for (const QByteArray &cert : c.kioskCerts)
        certs.append(QString::fromUtf8(cert));
    QJsonArray staff;
    for (const StaffPin &s : c.staff)
        staff.append(QJsonObject {{QStringLiteral("role"), s.role}, {QStringLiteral("pin_hash"), s.pinHash}});
    QJsonObject o {{QStringLiteral("format"), QStringLiteral("pingyi-venue-content/v1")},
                   {QStringLiteral("activity_id"), c.activityId},
                   {QStringLiteral("venue"), c.venue},
                   {QStringLiteral("version"), c.version},
                   {QStringLiteral("activity"), QJsonDocument::fromJson(c.activityJson).object()},
                   {QStringLiteral("root_pk"), b64(c.rootPublicKey)},
                   {QStringLiteral("election_pk"), b64(c.electionPublicKey)},
                   {QStringLiteral("archive_pk"), b64(c.archivePublicKey)},
                   {QStringLiteral("id_hash_key"), b64(c.idHashKey.view())},
                   {QStringLiteral("roster"), roster},
                   {QStringLiteral("kiosk_certs"), certs},
                   {QStringLiteral("staff"), staff}};
    // Additive: a package without a network plan reads exactly as before.
    if (!c.network.isEmpty()) {
        QJsonObject plan;
        for (auto it = c.network.cbegin(); it != c.network.cend(); ++it)
            plan.insert(it.key(), it.value());
        o.insert(QStringLiteral("venue_network"), plan);
    }
    return o;
}
} // namespace

QString venueAddressProblem(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return QStringLiteral("\"%1\" is not host:port").arg(address);
    const QString host = address.left(colon);
    bool ok = false;
    const int port = address.mid(colon + 1).toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return QStringLiteral("\"%1\" has no port between 1 and 65535").arg(address);
    for (const QChar ch : host)
        if (!(ch.isLetterOrNumber() && ch.unicode() < 128) && ch != QLatin1Char('.') && ch != QLatin1Char('-'))
            return QStringLiteral("\"%1\" is not an IPv4 address or host name").arg(host);
    return {};
}

QByteArray buildVenuePackage(const VenuePackageContent &content, const crypto::SigningKey &root,
                             const QList<PackageRecipient> &recipients)
{
    const crypto::SecretBytes fileKey = crypto::SecretBytes::random(crypto::symmetricKeyBytes);
    QJsonArray rec;
    for (const PackageRecipient &r : recipients)
        rec.append(QJsonObject {{QStringLiteral("id"), r.id},
                                {QStringLiteral("key"), b64(crypto::seal(r.boxPublicKey, fileKey.view()))}});
    const QJsonObject headerObject {{QStringLiteral("format"), QStringLiteral("pingyi-venue-package/v1")},
                                    {QStringLiteral("activity_id"), content.activityId},
                                    {QStringLiteral("venue"), content.venue},
                                    {QStringLiteral("version"), content.version},
                                    {QStringLiteral("issuer"), crypto::fingerprint(root.publicKey())},
                                    {QStringLiteral("roster_size"), qint64(content.roster.size())},
                                    {QStringLiteral("recipients"), rec}};
    const QByteArray header = QJsonDocument(headerObject).toJson(QJsonDocument::Compact);
    QByteArray plain = QJsonDocument(contentToJson(content)).toJson(QJsonDocument::Compact);
    // The header is the associated data: a stream cannot be moved under another header.
    const QByteArray stream = crypto::streamEncrypt(fileKey, plain, header);
    plain.fill('\0');

    return writeContainer(magic, formatVersion, {header, stream}, root, crypto::domain::venuePackage);
}

Result<PackageHeader> verifyVenuePackage(QByteArrayView file, QByteArrayView rootPublicKey,
                                         const PackageExpectation &expect)
{
    auto p = split(file, rootPublicKey);
    if (!p)
        return p.error();
    const QJsonObject &o = p->headerObject;
    PackageHeader h;
    h.activityId = o.value(QLatin1String("activity_id")).toString();
    h.venue = o.value(QLatin1String("venue")).toString();
    h.version = o.value(QLatin1String("version")).toInteger();
    h.issuer = o.value(QLatin1String("issuer")).toString();
    h.rosterSize = o.value(QLatin1String("roster_size")).toInteger();
    for (const QJsonValue &r : o.value(QLatin1String("recipients")).toArray())
        h.recipients << r.toObject().value(QLatin1String("id")).toString();
    if (h.activityId != expect.activityId)
        return makeError(QStringLiteral("package-activity"),
                         QStringLiteral("this venue package is for activity \"%1\", but this is activity \"%2\": "
                                        "ask the office for this activity's package")
                             .arg(h.activityId, expect.activityId));
    if (!expect.venue.isEmpty() && h.venue != expect.venue)
        return makeError(QStringLiteral("package-venue"),
                         QStringLiteral("this venue package is for venue \"%1\", but this kiosk is enrolled at \"%2\": "
                                        "use the package for this venue")
                             .arg(h.venue, expect.venue));
    if (h.version < expect.minVersion)
        return makeError(QStringLiteral("package-version"),
                         QStringLiteral("this venue package is version %1, older than version %2 already loaded: "
                                        "use the newest package from the office")
                             .arg(h.version)
                             .arg(expect.minVersion));
    return h;
}

Result<VenuePackageContent> openVenuePackage(QByteArrayView file, QByteArrayView rootPublicKey,
                                             const PackageExpectation &expect, const QString &recipientId,
                                             const crypto::BoxKeyPair &keys)
{
    auto header = verifyVenuePackage(file, rootPublicKey, expect);
    if (!header)
        return header.error();
    const Parsed p = *split(file, rootPublicKey);
    QByteArray sealedKey;
    for (const QJsonValue &r : p.headerObject.value(QLatin1String("recipients")).toArray()) {
        if (r.toObject().value(QLatin1String("id")).toString() == recipientId)
            sealedKey = unb64(r.toObject().value(QLatin1String("key")));
    }
    if (sealedKey.isEmpty())
        return makeError(QStringLiteral("package-recipient"),
                         QStringLiteral("this venue package was not made for kiosk %1 (it is for: %2): enrol the "
                                        "kiosk at the office and ask for a new package")
                             .arg(recipientId, header->recipients.join(QStringLiteral(", "))));
    auto fileKey = crypto::openSealed(keys, sealedKey);
    if (!fileKey || fileKey->size() != crypto::symmetricKeyBytes)
        return makeError(QStringLiteral("package-decrypt"),
                         QStringLiteral("cannot decrypt the venue package with this kiosk's key (%1): was the kiosk "
                                        "re-installed? enrol it again")
                             .arg(recipientId));
    auto plain = crypto::streamDecrypt(*fileKey, p.stream, p.header);
    if (!plain)
        return makeError(
            QStringLiteral("package-decrypt"),
            QStringLiteral("the venue package's encrypted content is damaged (%1)").arg(plain.error().message));
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(*plain, &pe);
    plain->fill('\0');
    const QJsonObject o = doc.object();
    VenuePackageContent c;
    c.activityId = o.value(QLatin1String("activity_id")).toString();
    c.venue = o.value(QLatin1String("venue")).toString();
    c.version = o.value(QLatin1String("version")).toInteger();
    c.activityJson = QJsonDocument(o.value(QLatin1String("activity")).toObject()).toJson(QJsonDocument::Compact);
    c.rootPublicKey = unb64(o.value(QLatin1String("root_pk")));
    c.electionPublicKey = unb64(o.value(QLatin1String("election_pk")));
    c.archivePublicKey = unb64(o.value(QLatin1String("archive_pk")));
    c.idHashKey = crypto::SecretBytes::copyOf(unb64(o.value(QLatin1String("id_hash_key"))));
    bool badFace = false;
    for (const QJsonValue &v : o.value(QLatin1String("roster")).toArray()) {
        const QJsonObject e = v.toObject();
        QStringList sessions;
        for (const QJsonValue &s : e.value(QLatin1String("sessions")).toArray())
            sessions << s.toString();
        c.roster.append({e.value(QLatin1String("rep")).toString(),
                         QByteArray::fromHex(e.value(QLatin1String("id_hash")).toString().toLatin1()),
                         e.value(QLatin1String("name")).toString(), e.value(QLatin1String("category")).toString(),
                         sessions, unb64(e.value(QLatin1String("face")))});
        // A face template is 512 bytes of finite numbers, or absent.
        if (e.contains(QLatin1String("face")) && !face::decodeTemplate(c.roster.back().faceTemplate))
            badFace = true;
    }
    for (const QJsonValue &v : o.value(QLatin1String("kiosk_certs")).toArray())
        c.kioskCerts << v.toString().toUtf8();
    for (const QJsonValue &v : o.value(QLatin1String("staff")).toArray())
        c.staff.append({v.toObject().value(QLatin1String("role")).toString(),
                        v.toObject().value(QLatin1String("pin_hash")).toString()});
    bool badPlan = o.contains(QLatin1String("venue_network")) && !o.value(QLatin1String("venue_network")).isObject();
    const QJsonObject plan = o.value(QLatin1String("venue_network")).toObject();
    for (auto it = plan.begin(); it != plan.end(); ++it) {
        badPlan = badPlan || !it.value().isString() || !venueAddressProblem(it.value().toString()).isEmpty();
        c.network.insert(it.key(), it.value().toString());
    }
    // The encrypted content must say what the signed header says.
    if (pe.error != QJsonParseError::NoError
        || o.value(QLatin1String("format")).toString() != QLatin1String("pingyi-venue-content/v1")
        || c.activityId != header->activityId || c.venue != header->venue || c.version != header->version
        || c.rootPublicKey != rootPublicKey.toByteArray() || c.roster.size() != header->rosterSize || badFace || badPlan
        || c.idHashKey.size() != crypto::symmetricKeyBytes
        || c.electionPublicKey.size() != qsizetype(crypto::boxPublicKeyBytes)
        || c.archivePublicKey.size() != qsizetype(crypto::boxPublicKeyBytes))
        return makeError(QStringLiteral("package-content"),
                         QStringLiteral("the venue package's content does not match its header: do not use it, ask "
                                        "the office for a new copy"));
    return c;
}

} // namespace pingyi
