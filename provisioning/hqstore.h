#pragma once
// The office's store: hq.db's schema, its migrations and every query the office's code
// asks of it, so that no SQL lives anywhere else in provisioning/ (docs/tally.md §6).
// Functions take the open Database (Hq::db()); rows come back as plain values.

#include "result.h"
#include "storage.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace pingyi::hq::store {

/// Opens (creating if needed) and migrates hq.db; refuses one from a newer Pingyi.
Result<Database> openDatabase(const QString &path);

/// Whether any batch has been imported: from then on the spec and the roster stay put.
Result<bool> batchesImported(Database &db);

// ---- tally runs (bulletin) -------------------------------------------------------------

struct TallyRunRow {
    qint64 id = 0;
    QString generated;
};
/// The last recorded tally run, if any.
Result<std::optional<TallyRunRow>> lastTallyRun(Database &db);
/// The batches a tally run covered.
Result<QSet<qint64>> tallyRunBatches(Database &db, qint64 run);
/// Records of `kind` a tally run could not count: fn(record id, code).
Status forEachTallyRejected(Database &db, qint64 run, int kind,
                            const std::function<void(const QByteArray &, const QString &)> &fn);
/// Records of `kind` quarantined at import.
Result<qint64> quarantinedCount(Database &db, int kind);
/// Every imported batch's counted ballot ids: fn(batch id, venue, sorted 32-byte ids).
Status forEachBatchBallotIds(Database &db, const std::function<void(qint64, const QString &, const QByteArray &)> &fn);

} // namespace pingyi::hq::store
