#include "enrolment.h"

#include "signeddoc.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>

#include <sodium.h>

namespace pingyi {

namespace {
QString b64(QByteArrayView b)
{
    return QString::fromLatin1(b.toByteArray().toBase64());
}
QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
}
} // namespace

bool isValidKioskId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9-]{1,32}$"));
    // "hq" names the office's own recipient slot in venue packages.
    return re.match(id).hasMatch() && id.compare(QLatin1String("hq"), Qt::CaseInsensitive) != 0;
}

QString EnrolmentRequest::defaultId(QByteArrayView signPublicKey)
{
    return QStringLiteral("K-") + crypto::fingerprint(signPublicKey).left(8);
}

QByteArray EnrolmentRequest::create(const crypto::SigningKey &kioskKey, const QString &kioskId)
{
    const QJsonObject body {{QStringLiteral("format"), QStringLiteral("pingyi-kiosk-request/v1")},
                            {QStringLiteral("kiosk_id"), kioskId},
                            {QStringLiteral("sign_pk"), b64(kioskKey.publicKey())}};
    return SignedDocument::sign(kioskKey, crypto::domain::kioskRequest, body);
}

Result<EnrolmentRequest> EnrolmentRequest::parse(QByteArrayView bytes)
{
    auto doc = SignedDocument::open(bytes, crypto::domain::kioskRequest, {}, QStringLiteral("kiosk-request"));
    if (!doc)
        return doc.error();
    EnrolmentRequest r {doc->bodyObject.value(QLatin1String("kiosk_id")).toString(),
                        unb64(doc->bodyObject.value(QLatin1String("sign_pk")))};
    if (doc->bodyObject.value(QLatin1String("format")).toString() != QLatin1String("pingyi-kiosk-request/v1")
        || !isValidKioskId(r.kioskId) || r.signPublicKey.size() != qsizetype(crypto::signPublicKeyBytes))
        return makeError(QStringLiteral("kiosk-request-format"),
                         QStringLiteral("not a valid kiosk enrolment request (bad kiosk id or key)"));
    return r;
}

QByteArray KioskCertificate::issue(const crypto::SigningKey &root, const EnrolmentRequest &request,
                                   const QString &activityId, const QString &venue, qint64 serial)
{
    const QJsonObject body {
        {QStringLiteral("format"), QStringLiteral("pingyi-kiosk-cert/v1")},
        {QStringLiteral("kiosk_id"), request.kioskId},
        {QStringLiteral("sign_pk"), b64(request.signPublicKey)},
        {QStringLiteral("box_pk"), b64(crypto::boxPublicKeyFromSignPublicKey(request.signPublicKey))},
        {QStringLiteral("activity"), activityId},
        {QStringLiteral("venue"), venue},
        {QStringLiteral("serial"), serial},
        {QStringLiteral("issuer"), crypto::fingerprint(root.publicKey())}};
    return SignedDocument::sign(root, crypto::domain::kioskCert, body);
}

Result<KioskCertificate> KioskCertificate::verify(QByteArrayView bytes, QByteArrayView rootPublicKey,
                                                  const QString &activityId, const QString &venue)
{
    auto doc = SignedDocument::open(bytes, crypto::domain::kioskCert, rootPublicKey, QStringLiteral("kiosk-cert"));
    if (!doc)
        return doc.error();
    const QJsonObject &o = doc->bodyObject;
    KioskCertificate c;
    c.kioskId = o.value(QLatin1String("kiosk_id")).toString();
    c.signPublicKey = unb64(o.value(QLatin1String("sign_pk")));
    c.boxPublicKey = unb64(o.value(QLatin1String("box_pk")));
    c.activityId = o.value(QLatin1String("activity")).toString();
    c.venue = o.value(QLatin1String("venue")).toString();
    c.serial = o.value(QLatin1String("serial")).toInteger();
    c.bytes = doc->canonical();
    if (o.value(QLatin1String("format")).toString() != QLatin1String("pingyi-kiosk-cert/v1")
        || !isValidKioskId(c.kioskId) || c.signPublicKey.size() != qsizetype(crypto::signPublicKeyBytes)
        || c.boxPublicKey != crypto::boxPublicKeyFromSignPublicKey(c.signPublicKey))
        return makeError(QStringLiteral("kiosk-cert-format"), QStringLiteral("not a valid kiosk certificate"));
    if (c.activityId != activityId)
        return makeError(QStringLiteral("kiosk-cert-activity"),
                         QStringLiteral("kiosk %1's certificate is for activity %2, not %3")
                             .arg(c.kioskId, c.activityId, activityId));
    if (!venue.isEmpty() && c.venue != venue)
        return makeError(QStringLiteral("kiosk-cert-venue"),
                         QStringLiteral("kiosk %1 is enrolled at venue %2, not %3").arg(c.kioskId, c.venue, venue));
    return c;
}

namespace {
constexpr char rootPublicFormat[] = "pingyi-root-public/v1";
}

QByteArray rootPublicFile(QByteArrayView rootPublicKey)
{
    const QJsonObject o {{QStringLiteral("format"), QLatin1String(rootPublicFormat)},
                         {QStringLiteral("public"), QString::fromLatin1(rootPublicKey.toByteArray().toBase64())},
                         {QStringLiteral("fingerprint"), crypto::fingerprint(rootPublicKey)}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<QByteArray> parseRootPublicFile(QByteArrayView bytes, const QString &origin)
{
    QJsonParseError e;
    const QJsonObject o = QJsonDocument::fromJson(bytes.toByteArray(), &e).object();
    const QByteArray pk = QByteArray::fromBase64(o.value(QLatin1String("public")).toString().toLatin1(),
                                                 QByteArray::AbortOnBase64DecodingErrors);
    if (e.error != QJsonParseError::NoError
        || o.value(QLatin1String("format")).toString() != QLatin1String(rootPublicFormat)
        || pk.size() != qsizetype(crypto_sign_PUBLICKEYBYTES))
        return makeError(
            QStringLiteral("root-key-file"),
            QStringLiteral("%1 is not the office's root key file (root.pub from the HQ directory): ask the "
                           "office for a fresh copy")
                .arg(origin));
    return pk;
}

} // namespace pingyi
