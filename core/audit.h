#pragma once
// The kiosk's audit log: every state change, login, refusal, override and export as an
// event in a hash chain, each link signed by the kiosk. Events carry no ballot content and
// no representative identity beyond what the event needs (an override names whom it let
// in; a refusal only its reason). Check-ins that succeed and casts are not events at all:
// their times could be matched against ballots.

#include "crypto.h"
#include "result.h"
#include "storage.h"

#include <QJsonObject>
#include <QList>

namespace pingyi {

struct AuditEvent {
    qint64 seq = 0;
    QJsonObject body; ///< {"seq", "time", "event", "prev", ...details}
    QByteArray bodyBytes;
    QByteArray hash; ///< BLAKE2b(prev hash || body bytes)
    QByteArray signature; ///< kiosk signature over the hash
};

/// The one builder of audit chain links: the body gets seq, time, event and prev (the
/// previous link's hash, 32 zero bytes for the first), is hashed after prev and signed.
/// AuditLog::append stores what it builds; tests and benches build whole logs with it.
class AuditChain {
public:
    explicit AuditChain(const crypto::SigningKey &key, qint64 lastSeq = 0, QByteArray lastHash = QByteArray(32, '\0'))
        : m_key(key), m_seq(lastSeq), m_prev(std::move(lastHash))
    {
    }
    /// The next event, chained after the previous one.
    const AuditEvent &add(const QString &time, const QString &event, QJsonObject details = {});
    const QList<AuditEvent> &events() const { return m_events; }
    QByteArray toJsonLines() const;

private:
    const crypto::SigningKey &m_key;
    qint64 m_seq;
    QByteArray m_prev;
    QList<AuditEvent> m_events;
};

class AuditLog {
public:
    /// Appends within the caller's transaction (if any).
    static Status append(Database &db, const crypto::SigningKey &key, const QString &time, const QString &event,
                         QJsonObject details);
    static Result<QList<AuditEvent>> read(Database &db);
    /// Chain unbroken and every signature valid. Error code "audit-chain".
    static Status verify(const QList<AuditEvent> &events, QByteArrayView kioskPublicKey);
    /// One JSON line per event (for batches): {"body": b64, "hash": hex, "signature": b64}.
    static QByteArray toJsonLines(const QList<AuditEvent> &events);
    static Result<QList<AuditEvent>> fromJsonLines(QByteArrayView lines);
};

} // namespace pingyi
