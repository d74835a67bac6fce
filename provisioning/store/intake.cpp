// The import's queries of hq.db (declared in hqstore.h). The per-batch ones are prepared
// once per database (Database::cached) and reset when their scope ends, so they hold no
// lock between batches.

#include "hqstore.h"

namespace pingyi::hq::store {

namespace {

/// A cached statement for one use: reset (and its bindings cleared) when the scope ends.
class Hot {
public:
    explicit Hot(Statement *st) : m_st(st) { }
    Hot(const Hot &) = delete;
    Hot &operator=(const Hot &) = delete;
    ~Hot() { m_st->reset(); }
    Statement *operator->() const { return m_st; }

private:
    Statement *m_st;
};

} // namespace

Result<std::optional<PriorBatchRow>> priorBatch(Database &db, const QString &kioskId, const QString &session)
{
    auto cached = db.cached("SELECT file_digest, ballot_digest, suggestion_digest, checkin_digest, checkins, "
                            "ballots, released, suggestions, imported_at, archive_file FROM batch WHERE kiosk_id = ?1 "
                            "AND session = ?2");
    if (!cached)
        return cached.error();
    Hot st(*cached);
    st->bind(1, kioskId).bind(2, session);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<PriorBatchRow>();
    return std::optional<PriorBatchRow>(PriorBatchRow {
        st->blob(0), st->blob(1), st->blob(2), st->blob(3),
        BatchCounts {st->integer(4), st->integer(5), st->integer(6), st->integer(7)}, st->text(8), st->text(9)});
}

Status insertImportRefusal(Database &db, const ImportRefusalRow &r)
{
    auto cached
        = db.cached("INSERT INTO import_refusal (file_name, file_digest, kiosk_id, venue, session, code, message, at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!cached)
        return cached.error();
    Hot st(*cached);
    return st->bind(1, r.fileName)
        .bind(2, r.fileDigest)
        .bind(3, r.kioskId)
        .bind(4, r.venue)
        .bind(5, r.session)
        .bind(6, r.code)
        .bind(7, r.message)
        .bind(8, r.at)
        .exec();
}

Result<qint64> dataVersion(Database &db)
{
    auto cached = db.cached("PRAGMA data_version");
    if (!cached)
        return cached.error();
    Hot st(*cached);
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? st->integer(0) : qint64(-1);
}

Status forEachBatchRecordIds(Database &db,
                             const std::function<void(const QString &, const QString &, const QString &,
                                                      const QString &, const QByteArray &, const QByteArray &)> &fn)
{
    auto st = db.prepare("SELECT kiosk_id, session, file_name, imported_at, ballot_ids, suggestion_ids FROM batch");
    if (!st)
        return st.error();
    return st->forEach(
        [&](Statement &row) { fn(row.text(0), row.text(1), row.text(2), row.text(3), row.blob(4), row.blob(5)); });
}

Result<QSet<QString>> archiveFiles(Database &db)
{
    auto st = db.prepare("SELECT archive_file FROM batch");
    if (!st)
        return st.error();
    QSet<QString> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.insert(row.text(0)); }); !stepped)
        return stepped.error();
    return out;
}

Result<qint64> insertBatch(Database &db, const BatchRow &r)
{
    auto cached = db.cached(
        "INSERT INTO batch (kiosk_id, venue, session, file_name, file_digest, header, checkins, ballots, released, "
        "suggestions, ballot_digest, suggestion_digest, checkin_digest, counted_ballots, counted_suggestions, "
        "quarantined, status, findings, closing_report, audit_log, imported_at, archive_file, ballot_ids, "
        "suggestion_ids, checkin_list) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25) RETURNING batch_id");
    if (!cached)
        return cached.error();
    Hot batch(*cached);
    batch->bind(1, r.kioskId)
        .bind(2, r.venue)
        .bind(3, r.session)
        .bind(4, r.fileName)
        .bind(5, r.fileDigest)
        .bind(6, r.header)
        .bind(7, r.counts.checkins)
        .bind(8, r.counts.ballots)
        .bind(9, r.counts.released)
        .bind(10, r.counts.suggestions)
        .bind(11, r.ballotDigest)
        .bind(12, r.suggestionDigest)
        .bind(13, r.checkinDigest)
        .bind(14, r.countedBallots)
        .bind(15, r.countedSuggestions)
        .bind(16, r.quarantined)
        .bind(17, r.discrepancy ? "discrepancy" : "ok")
        .bind(18, r.findings)
        .bind(19, r.closingReport)
        .bind(20, r.auditLog)
        .bind(21, r.importedAt)
        .bind(22, r.archiveFile)
        .bind(23, r.ballotIds)
        .bind(24, r.suggestionIds)
        .bind(25, r.checkinList);
    if (r.closingReport.isEmpty())
        batch->bindNull(19);
    auto row = batch->next();
    if (!row)
        return row.error();
    return batch->integer(0);
}

Status insertQuarantined(Database &db, const QuarantineRow &q)
{
    auto cached = db.cached("INSERT INTO quarantine (batch_id, record_id, code, copy_no, kind, message, "
                            "counted_by_kiosk, sealed, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!cached)
        return cached.error();
    Hot st(*cached);
    return st->bind(1, q.batchId)
        .bind(2, q.recordId)
        .bind(3, q.code)
        .bind(4, q.copyNo)
        .bind(5, q.kind)
        .bind(6, q.message)
        .bind(7, q.countedByKiosk ? 1 : 0)
        .bind(8, q.sealed)
        .bind(9, q.signature)
        .exec();
}

Result<bool> setClosingReport(Database &db, const QString &kioskId, const QString &session, const QString &text)
{
    auto st = db.prepare("UPDATE batch SET closing_report = ?1 WHERE kiosk_id = ?2 AND session = ?3 "
                         "AND closing_report IS NULL");
    if (!st)
        return st.error();
    if (auto s = st->bind(1, text).bind(2, kioskId).bind(3, session).exec(); !s)
        return s.error();
    return db.changes() > 0;
}

Status setClosingReport(Database &db, qint64 batchId, const QString &text)
{
    auto st = db.prepare("UPDATE batch SET closing_report = ?1 WHERE batch_id = ?2 AND closing_report IS NULL");
    if (!st)
        return st.error();
    return st->bind(1, text).bind(2, batchId).exec();
}

Result<std::optional<StoredBatchRow>> storedBatch(Database &db, const QString &kioskId, const QString &session)
{
    auto st = db.prepare("SELECT batch_id, venue, checkins, ballots, released, suggestions, ballot_digest, "
                         "closing_report, file_name, imported_at FROM batch WHERE kiosk_id = ?1 AND session = ?2");
    if (!st)
        return st.error();
    st->bind(1, kioskId).bind(2, session);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<StoredBatchRow>();
    return std::optional<StoredBatchRow>(StoredBatchRow {
        st->integer(0), st->text(1), BatchCounts {st->integer(2), st->integer(3), st->integer(4), st->integer(5)},
        st->blob(6), st->text(7), st->text(8), st->text(9)});
}

Result<QList<QPair<QString, QString>>> batchSessions(Database &db)
{
    auto st = db.prepare("SELECT kiosk_id, session FROM batch ORDER BY session");
    if (!st)
        return st.error();
    QList<QPair<QString, QString>> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.append({row.text(0), row.text(1)}); }); !stepped)
        return stepped.error();
    return out;
}

Status relaxSync(Database &db)
{
    return db.exec("PRAGMA synchronous=NORMAL");
}

Status checkpointFull(Database &db)
{
    return db.exec("PRAGMA wal_checkpoint(FULL)");
}

Status restoreSync(Database &db)
{
    return db.exec("PRAGMA synchronous=FULL");
}

} // namespace pingyi::hq::store
