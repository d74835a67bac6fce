#include "credential.h"

#include "codec.h"

namespace pingyi {

namespace {
constexpr char textPrefix[] = "PY1:";
constexpr quint8 bodyVersion = 1;

QByteArray body(const Credential &c)
{
    codec::Writer w;
    w.u8(bodyVersion);
    w.shortString(c.activityId);
    w.shortString(c.repId);
    w.shortString(c.venue);
    w.u8(quint8(c.sessions.size()));
    for (const QString &s : c.sessions)
        w.shortString(s);
    return w.bytes();
}

Error formatError()
{
    return makeError(QStringLiteral("credential-format"),
                     QStringLiteral("this code is not a Pingyi invitation credential or it is damaged: scan the QR "
                                    "code on the invitation card again, or use the ID number"));
}
} // namespace

QString Credential::encode(const crypto::SigningKey &root) const
{
    const QByteArray b = body(*this);
    return QLatin1String(textPrefix) + codec::base32Encode(b + root.sign(crypto::domain::credential, b));
}

Result<Credential> Credential::verify(const QString &rawText, QByteArrayView rootPublicKey, const QString &activityId,
                                      const QString &venue)
{
    // Hand scanners often append CR/LF; nothing else is tolerated.
    const QString text = rawText.trimmed();
    if (!text.startsWith(QLatin1String(textPrefix)) || text.size() > 1024)
        return formatError();
    bool ok = false;
    const QByteArray all = codec::base32Decode(QStringView(text).mid(4), &ok);
    if (!ok || all.size() <= qsizetype(crypto::signatureBytes))
        return formatError();
    const QByteArrayView b = QByteArrayView(all).chopped(crypto::signatureBytes);
    const QByteArrayView sig = QByteArrayView(all).last(crypto::signatureBytes);

    codec::Reader r(b);
    Credential c;
    const quint8 version = r.u8();
    c.activityId = r.shortString();
    c.repId = r.shortString();
    c.venue = r.shortString();
    const int n = r.u8();
    for (int i = 0; i < n && r.ok(); ++i)
        c.sessions << r.shortString();
    if (!r.ok() || !r.atEnd() || version != bodyVersion || c.repId.isEmpty() || n == 0)
        return formatError();
    if (!crypto::verify(rootPublicKey, crypto::domain::credential, b, sig))
        return makeError(QStringLiteral("credential-signature"),
                         QStringLiteral("this invitation credential's signature is not valid (forged, altered, or "
                                        "issued by another office): ask the venue lead to check the card"));
    if (c.activityId != activityId)
        return makeError(QStringLiteral("credential-activity"),
                         QStringLiteral("this invitation card is for another activity (%1): use the card for this "
                                        "year's activity")
                             .arg(c.activityId));
    if (!venue.isEmpty() && c.venue != venue)
        return makeError(QStringLiteral("credential-venue"),
                         QStringLiteral("this invitation card is for another venue (%1): please go to the venue "
                                        "printed on your card, or ask the venue staff")
                             .arg(c.venue));
    return c;
}

} // namespace pingyi
