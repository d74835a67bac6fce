#include "container.h"

#include "codec.h"

namespace pingyi {

QByteArray writeContainer(const char magic[6], quint16 version, const QList<QByteArray> &sections,
                          const crypto::SigningKey &key, const char *domain)
{
    codec::Writer w;
    w.raw(QByteArrayView(magic, 6));
    w.u16(version);
    for (const QByteArray &s : sections) {
        w.u32(quint32(s.size()));
        w.raw(s);
    }
    QByteArray out = w.bytes();
    out += key.sign(domain, out);
    return out;
}

Result<Container> readContainer(QByteArrayView bytes, const char magic[6], quint16 version, int sectionCount,
                                const QString &what, const QString &thing)
{
    auto formatError = [&](const QString &detail) {
        return makeError(what + QStringLiteral("-format"),
                         QStringLiteral("this file is not a valid Pingyi %1 (%2): copy it again from the original")
                             .arg(thing, detail));
    };
    codec::Reader r(bytes);
    if (r.raw(6) != QByteArrayView(magic, 6))
        return formatError(QStringLiteral("wrong file type"));
    const quint16 v = r.u16();
    if (r.ok() && v != version)
        return makeError(what + QStringLiteral("-version"),
                         QStringLiteral("this %1 has format version %2, but this program reads version %3: use "
                                        "matching Pingyi versions")
                             .arg(thing)
                             .arg(v)
                             .arg(version));
    Container c;
    for (int i = 0; i < sectionCount; ++i)
        c.sections.append(r.raw(r.u32()));
    const qsizetype signedLength = r.position();
    c.signature = r.raw(crypto::signatureBytes);
    if (!r.ok())
        return formatError(QStringLiteral("truncated"));
    if (!r.atEnd())
        return formatError(QStringLiteral("unexpected data after the signature"));
    c.signedBytes = bytes.first(signedLength);
    return c;
}

} // namespace pingyi
