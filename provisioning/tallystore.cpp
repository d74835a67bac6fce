#include "tallystore.h"

namespace pingyi::hq::store {

namespace {

/// Every row of `sql`, each made by fn(statement).
template<typename T, typename Fn> Result<QList<T>> rows(Database &db, const char *sql, Fn &&fn)
{
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    QList<T> out;
    if (auto s = st->forEach([&](Statement &row) { out.append(fn(row)); }); !s)
        return s.error();
    return out;
}

} // namespace

Result<QList<TallyBatchRow>> tallyBatches(Database &db)
{
    return rows<TallyBatchRow>(db,
                               "SELECT batch_id, kiosk_id, venue, session, file_name, checkins, ballots, released, "
                               "suggestions, counted_ballots, counted_suggestions, quarantined, status, findings, "
                               "closing_report IS NOT NULL, archive_file FROM batch ORDER BY venue, session, "
                               "kiosk_id",
                               [](Statement &st) {
                                   TallyBatchRow b;
                                   b.id = st.integer(0);
                                   b.kiosk = st.text(1);
                                   b.venue = st.text(2);
                                   b.session = st.text(3);
                                   b.file = st.text(4);
                                   b.checkins = st.integer(5);
                                   b.ballots = st.integer(6);
                                   b.released = st.integer(7);
                                   b.suggestions = st.integer(8);
                                   b.countedBallots = st.integer(9);
                                   b.countedSuggestions = st.integer(10);
                                   b.quarantined = st.integer(11);
                                   b.status = st.text(12);
                                   b.findings = st.text(13).toUtf8();
                                   b.closingReport = st.integer(14) != 0;
                                   b.archiveFile = st.text(15);
                                   return b;
                               });
}

Status forEachBatchRecordIds(Database &db,
                             const std::function<void(qint64, const QByteArray &, const QByteArray &)> &fn)
{
    auto st = db.prepare("SELECT batch_id, ballot_ids, suggestion_ids FROM batch");
    if (!st)
        return st.error();
    return st->forEach([&](Statement &row) { fn(row.integer(0), row.blob(1), row.blob(2)); });
}

Status forEachBatchAuditLog(Database &db,
                            const std::function<void(const QString &, const QString &, const QByteArray &)> &fn)
{
    auto st = db.prepare("SELECT kiosk_id, venue, audit_log FROM batch");
    if (!st)
        return st.error();
    return st->forEach([&](Statement &row) { fn(row.text(0), row.text(1), row.blob(2)); });
}

Status forEachBatchCheckinList(Database &db, const std::function<void(qint64, const QByteArray &)> &fn)
{
    auto st = db.prepare("SELECT batch_id, checkin_list FROM batch");
    if (!st)
        return st.error();
    return st->forEach([&](Statement &row) { fn(row.integer(0), row.blob(1)); });
}

Result<QList<TallyRosterRow>> tallyRoster(Database &db)
{
    return rows<TallyRosterRow>(db, "SELECT rep_id, venue, category, sessions FROM representative", [](Statement &st) {
        return TallyRosterRow {st.text(0), st.text(1), st.text(2), st.text(3)};
    });
}

Result<QList<TallyKioskRow>> kiosksWithoutBatch(Database &db)
{
    return rows<TallyKioskRow>(db,
                               "SELECT kiosk_id, venue FROM kiosk WHERE kiosk_id NOT IN (SELECT kiosk_id FROM batch) "
                               "ORDER BY venue, kiosk_id",
                               [](Statement &st) {
                                   return TallyKioskRow {st.text(0), st.text(1)};
                               });
}

Result<QList<TallyQuarantineRow>> tallyQuarantined(Database &db)
{
    return rows<TallyQuarantineRow>(
        db,
        "SELECT q.kind, b.session, b.venue, b.kiosk_id, q.code, q.counted_by_kiosk "
        "FROM quarantine q JOIN batch b USING (batch_id) ORDER BY b.venue, b.session, q.code",
        [](Statement &st) {
            return TallyQuarantineRow {int(st.integer(0)), st.text(1), st.text(2),
                                       st.text(3),         st.text(4), st.integer(5) != 0};
        });
}

Result<QList<TallyPartRow>> lastFullReleaseParts(Database &db)
{
    return rows<TallyPartRow>(db,
                              "SELECT session, part, venue FROM tally_cell WHERE part >= 0 AND run_id = (SELECT "
                              "max(run_id) FROM tally_run WHERE full = 1) ORDER BY session, part, venue",
                              [](Statement &st) {
                                  return TallyPartRow {st.text(0), int(st.integer(1)), st.text(2)};
                              });
}

Result<QList<TallyReleasedCellRow>> fullReleaseCells(Database &db)
{
    return rows<TallyReleasedCellRow>(
        db,
        "SELECT r.run_id, r.generated, c.session, c.venue, c.ballots FROM tally_run r JOIN tally_cell c "
        "USING (run_id) WHERE r.full = 1 ORDER BY r.run_id, c.session, c.venue",
        [](Statement &st) {
            return TallyReleasedCellRow {st.integer(0), st.text(1), st.text(2), st.text(3), st.integer(4)};
        });
}

Status insertTallyRun(Database &db, const TallyRunRecord &r)
{
    Database::Transaction tx(db);
    if (!tx.status())
        return tx.status();
    auto run = db.prepare("INSERT INTO tally_run (generated, full, incomplete) VALUES (?1, ?2, ?3)");
    if (!run)
        return run.error();
    run->bind(1, r.generated).bind(2, r.full ? 1 : 0).bind(3, r.incomplete);
    if (r.incomplete.isEmpty())
        run->bindNull(3);
    if (auto s = run->exec(); !s)
        return s;
    auto id = db.prepare("SELECT last_insert_rowid()");
    if (!id)
        return id.error();
    if (auto row = id->next(); !row)
        return row.error();
    const qint64 runId = id->integer(0);
    auto batch = db.prepare("INSERT INTO tally_batch (run_id, batch_id) VALUES (?1, ?2)");
    if (!batch)
        return batch.error();
    for (qint64 b : r.batchIds) {
        if (auto s = batch->bind(1, runId).bind(2, b).exec(); !s)
            return s;
    }
    auto cell
        = db.prepare("INSERT INTO tally_cell (run_id, session, venue, ballots, part) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!cell)
        return cell.error();
    for (const TallyRunRecord::Cell &c : r.cells) {
        if (auto s = cell->bind(1, runId).bind(2, c.session).bind(3, c.venue).bind(4, c.ballots).bind(5, c.part).exec();
            !s)
            return s;
    }
    auto rejected = db.prepare("INSERT OR IGNORE INTO tally_rejected (run_id, record_id, kind, code) VALUES (?1, ?2, "
                               "?3, ?4)");
    if (!rejected)
        return rejected.error();
    for (const TallyRunRecord::Rejected &x : r.rejected) {
        if (auto s = rejected->bind(1, runId).bind(2, x.recordId).bind(3, x.kind).bind(4, x.code).exec(); !s)
            return s;
    }
    return tx.commit();
}

} // namespace pingyi::hq::store
