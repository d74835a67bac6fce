#include "audit.h"

#include <QJsonDocument>

namespace pingyi {

namespace {
QByteArray chainHash(QByteArrayView prev, QByteArrayView body)
{
    return crypto::hash(prev.toByteArray() + body.toByteArray());
}
} // namespace

const AuditEvent &AuditChain::add(const QString &time, const QString &event, QJsonObject details)
{
    details.insert(QStringLiteral("seq"), ++m_seq);
    details.insert(QStringLiteral("time"), time);
    details.insert(QStringLiteral("event"), event);
    details.insert(QStringLiteral("prev"), QString::fromLatin1(m_prev.toHex()));
    AuditEvent e;
    e.seq = m_seq;
    e.bodyBytes = QJsonDocument(details).toJson(QJsonDocument::Compact);
    e.body = std::move(details);
    e.hash = chainHash(m_prev, e.bodyBytes);
    e.signature = m_key.sign(crypto::domain::audit, e.hash);
    m_prev = e.hash;
    m_events.append(std::move(e));
    return m_events.last();
}

QByteArray AuditChain::toJsonLines() const
{
    return AuditLog::toJsonLines(m_events);
}

Status AuditLog::append(Database &db, const crypto::SigningKey &key, const QString &time, const QString &event,
                        QJsonObject details)
{
    auto last = db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!last)
        return last.error();
    auto row = last->next();
    if (!row)
        return row.error();
    const qint64 seq = *row ? last->integer(0) + 1 : 1;
    const QByteArray prev = *row ? last->blob(1) : QByteArray(32, '\0');
    last->reset();
    AuditChain chain(key, seq - 1, prev);
    const AuditEvent &e = chain.add(time, event, std::move(details));
    auto ins = db.prepare("INSERT INTO audit (seq, body, hash, signature) VALUES (?1, ?2, ?3, ?4)");
    if (!ins)
        return ins.error();
    return ins->bind(1, e.seq).bind(2, e.bodyBytes).bind(3, e.hash).bind(4, e.signature).exec();
}

Result<QList<AuditEvent>> AuditLog::read(Database &db)
{
    auto st = db.prepare("SELECT seq, body, hash, signature FROM audit ORDER BY seq");
    if (!st)
        return st.error();
    QList<AuditEvent> out;
    if (auto stepped = st->forEach([&](Statement &) {
            AuditEvent e {st->integer(0), QJsonDocument::fromJson(st->blob(1)).object(), st->blob(1), st->blob(2),
                          st->blob(3)};
            out.append(e);
        });
        !stepped)
        return stepped.error();
    return out;
}

Status AuditLog::verify(const QList<AuditEvent> &events, QByteArrayView kioskPublicKey)
{
    QByteArray prev(32, '\0');
    qint64 seq = 0;
    for (const AuditEvent &e : events) {
        const QJsonObject body = QJsonDocument::fromJson(e.bodyBytes).object();
        const bool linked = body.value(QLatin1String("seq")).toInteger() == ++seq
            && body.value(QLatin1String("prev")).toString() == QString::fromLatin1(prev.toHex())
            && chainHash(prev, e.bodyBytes) == e.hash;
        if (!linked || !crypto::verify(kioskPublicKey, crypto::domain::audit, e.hash, e.signature))
            return makeError(QStringLiteral("audit-chain"),
                             QStringLiteral("the audit log is broken at event %1: an event was altered, removed or "
                                            "inserted")
                                 .arg(seq));
        prev = e.hash;
    }
    return {};
}

QByteArray AuditLog::toJsonLines(const QList<AuditEvent> &events)
{
    QByteArray out;
    for (const AuditEvent &e : events) {
        const QJsonObject o {{QStringLiteral("body"), QString::fromLatin1(e.bodyBytes.toBase64())},
                             {QStringLiteral("hash"), QString::fromLatin1(e.hash.toHex())},
                             {QStringLiteral("signature"), QString::fromLatin1(e.signature.toBase64())}};
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

Result<QList<AuditEvent>> AuditLog::fromJsonLines(QByteArrayView lines)
{
    QList<AuditEvent> out;
    for (const QByteArray &line : lines.toByteArray().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        AuditEvent e;
        e.bodyBytes = QByteArray::fromBase64(o.value(QLatin1String("body")).toString().toLatin1());
        e.body = QJsonDocument::fromJson(e.bodyBytes).object();
        e.seq = e.body.value(QLatin1String("seq")).toInteger();
        e.hash = QByteArray::fromHex(o.value(QLatin1String("hash")).toString().toLatin1());
        e.signature = QByteArray::fromBase64(o.value(QLatin1String("signature")).toString().toLatin1());
        if (e.body.isEmpty())
            return makeError(QStringLiteral("audit-chain"), QStringLiteral("the audit log has a malformed line"));
        out.append(e);
    }
    return out;
}

} // namespace pingyi
