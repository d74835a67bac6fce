#include "ballotbox.h"

#include "crypto.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcBallotBox, "pingyi.ballotbox")

namespace pingyi {

namespace {
constexpr qsizetype signatureSize = 64;
} // namespace

Status BallotBox::allocate(const QString &session, bool rehearsal, RecordKind kind, qint64 count, qsizetype sealedSize)
{
    invalidate();
    auto st = m_db.cached(
        "INSERT INTO record_slot (code, rehearsal, kind, used, sealed, signature) VALUES (?1, ?2, ?3, 0, ?4, ?5)");
    if (!st)
        return st.error();
    for (qint64 i = 0; i < count; ++i) {
        const QByteArray filler = crypto::randomBytes(std::size_t(sealedSize));
        const QByteArray signature = crypto::randomBytes(std::size_t(signatureSize));
        if (auto s = (*st)
                         ->bind(1, session)
                         .bind(2, rehearsal ? 1 : 0)
                         .bind(3, int(kind))
                         .bind(4, filler)
                         .bind(5, signature)
                         .exec();
            !s)
            return s;
    }
    return {};
}

Status BallotBox::put(const QString &session, bool rehearsal, const SealedRecord &record)
{
    if (record.signature.size() != signatureSize)
        return makeError(QStringLiteral("record-invalid"), QStringLiteral("a record's signature has the wrong size"));
    const QString key
        = QStringLiteral("%1/%2/%3/%4").arg(session).arg(rehearsal).arg(int(record.kind)).arg(record.sealed.size());
    auto cached = m_empty.find(key);
    if (cached == m_empty.end()) {
        auto query
            = m_db.cached("SELECT slot FROM record_slot WHERE code = ?1 AND rehearsal = ?2 AND kind = ?3 AND used = 0 "
                          "AND length(sealed) = ?4");
        if (!query)
            return query.error();
        (*query)
            ->bind(1, session)
            .bind(2, rehearsal ? 1 : 0)
            .bind(3, int(record.kind))
            .bind(4, qint64(record.sealed.size()));
        QList<qint64> empty;
        if (auto s = (*query)->forEach([&](Statement &row) { empty.append(row.integer(0)); }); !s)
            return s;
        (*query)->reset();
        cached = m_empty.insert(key, empty);
    }
    if (cached->isEmpty()) {
        qCWarning(lcBallotBox) << "a session had no empty slot left: one more was added";
        if (auto s = allocate(session, rehearsal, record.kind, 1, record.sealed.size()); !s)
            return s;
        return put(session, rehearsal, record);
    }
    const qsizetype pick = qsizetype(crypto::randomUniform(quint32(cached->size())));
    const qint64 slot = cached->at(pick);
    auto fill
        = m_db.cached("UPDATE record_slot SET used = 1, sealed = ?2, signature = ?3 WHERE slot = ?1 AND used = 0");
    if (!fill)
        return fill.error();
    if (auto s = (*fill)->bind(1, slot).bind(2, record.sealed).bind(3, record.signature).exec(); !s) {
        invalidate();
        return s;
    }
    if (m_db.changes() != 1) {
        invalidate();
        return makeError(QStringLiteral("db"),
                         QStringLiteral("a ballot slot was taken twice: nothing was stored; try again"));
    }
    cached->swapItemsAt(pick, cached->size() - 1);
    cached->removeLast();
    return {};
}

Result<QList<SealedRecord>> BallotBox::records(const QString &session, bool rehearsal) const
{
    auto st = m_db.prepare(
        "SELECT kind, sealed, signature FROM record_slot WHERE code = ?1 AND rehearsal = ?2 AND used = 1 "
        "ORDER BY slot");
    if (!st)
        return st.error();
    st->bind(1, session).bind(2, rehearsal ? 1 : 0);
    QList<SealedRecord> out;
    if (auto s = st->forEach([&](Statement &row) {
            out.append({row.integer(0) == int(RecordKind::Ballot) ? RecordKind::Ballot : RecordKind::Suggestion,
                        row.blob(1), row.blob(2)});
        });
        !s)
        return s.error();
    return out;
}

Result<qint64> BallotBox::count(const QString &session, bool rehearsal, RecordKind kind) const
{
    auto st = m_db.prepare(
        "SELECT COUNT(*) FROM record_slot WHERE code = ?1 AND rehearsal = ?2 AND kind = ?3 AND used = 1");
    if (!st)
        return st.error();
    st->bind(1, session).bind(2, rehearsal ? 1 : 0).bind(3, int(kind));
    if (auto row = st->next(); !row)
        return row.error();
    return st->integer(0);
}

} // namespace pingyi
