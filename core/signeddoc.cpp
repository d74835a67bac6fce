#include "signeddoc.h"

#include <QJsonDocument>

namespace pingyi {

namespace {

QByteArray envelope(const QString &domain, QByteArrayView signerPublicKey, const QByteArray &body,
                    const QByteArray &signature)
{
    const QJsonObject o {{QStringLiteral("format"), QStringLiteral("pingyi-signed/v1")},
                         {QStringLiteral("domain"), domain},
                         {QStringLiteral("signer"), crypto::fingerprint(signerPublicKey)},
                         {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
                         {QStringLiteral("signature"), QString::fromLatin1(signature.toBase64())}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

QByteArray SignedDocument::sign(const crypto::SigningKey &key, const char *domain, const QJsonObject &body)
{
    const QByteArray b = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return envelope(QString::fromLatin1(domain), key.publicKey(), b, key.sign(domain, b));
}

QByteArray SignedDocument::canonical() const
{
    return envelope(domain, signerPublicKey, body, signature);
}

Result<SignedDocument> SignedDocument::open(QByteArrayView bytes, const char *domain, QByteArrayView publicKey,
                                            const QString &what)
{
    auto formatError = [&](const QString &detail) {
        return makeError(what + QStringLiteral("-format"), QStringLiteral("not a valid %1 (%2)").arg(what, detail));
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return formatError(QStringLiteral("not JSON: %1").arg(pe.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("format")).toString() != QLatin1String("pingyi-signed/v1"))
        return formatError(QStringLiteral("unknown format"));
    if (o.value(QLatin1String("domain")).toString() != QLatin1String(domain))
        return formatError(QStringLiteral("it is a %1 document").arg(o.value(QLatin1String("domain")).toString()));
    SignedDocument d;
    d.body = QByteArray::fromBase64(o.value(QLatin1String("body")).toString().toLatin1(),
                                    QByteArray::AbortOnBase64DecodingErrors);
    d.signature = QByteArray::fromBase64(o.value(QLatin1String("signature")).toString().toLatin1(),
                                         QByteArray::AbortOnBase64DecodingErrors);
    const QJsonDocument body = QJsonDocument::fromJson(d.body, &pe);
    if (pe.error != QJsonParseError::NoError || !body.isObject())
        return formatError(QStringLiteral("damaged body"));
    d.bodyObject = body.object();
    QByteArray key = publicKey.toByteArray();
    if (key.isEmpty())
        key = QByteArray::fromBase64(d.bodyObject.value(QLatin1String("sign_pk")).toString().toLatin1());
    if (!crypto::verify(key, domain, d.body, d.signature))
        return makeError(
            what + QStringLiteral("-signature"),
            QStringLiteral("the %1's signature does not verify (altered, or signed by another key)").arg(what));
    d.domain = QString::fromLatin1(domain);
    d.signerPublicKey = key;
    return d;
}

} // namespace pingyi
