#pragma once
// The office's store: hq.db's schema, its migrations and every query the office's code
// asks of it, so that no SQL lives anywhere else in provisioning/ (docs/tally.md §6).
// Functions take the open Database (Hq::db()); rows come back as plain values.
// Transactions are the callers': `Database::Transaction tx(hq.db())` around calls of the
// store, so each operation keeps its own boundaries (the import's crash-safety rests on
// them).

#include "batch.h"
#include "result.h"
#include "storage.h"
#include "venuepackage.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace pingyi::hq::store {

/// Opens (creating if needed) and migrates hq.db; refuses one from a newer Pingyi.
Result<Database> openDatabase(const QString &path);

/// Whether any batch has been imported: from then on the spec and the roster stay put.
Result<bool> batchesImported(Database &db);

// ---- activity ---------------------------------------------------------------------------

/// The stored activity spec (canonical JSON); nothing when none is set yet.
Result<std::optional<QByteArray>> activitySpec(Database &db);
/// Sets the activity, or replaces the spec of the one set (the id stays).
Status saveActivity(Database &db, const QString &activityId, const QByteArray &spec);

// ---- roster --------------------------------------------------------------------------

/// A representative as hq.db keeps them: the ID number only as its keyed hash.
struct RepresentativeRow {
    QString repId;
    QByteArray idHash;
    QString maskedName;
    QString category;
    QString venue;
    QStringList sessions;
};
/// Deletes every representative, then inserts `rows` in order (inside the caller's
/// transaction).
Status replaceRoster(Database &db, const QList<RepresentativeRow> &rows);
/// The representatives of `venue` (of every venue when empty), by venue and id.
Result<QList<RepresentativeRow>> representatives(Database &db, const QString &venue = {});

// ---- kiosks, staff PINs, packages ------------------------------------------------------

struct KioskRow {
    QString kioskId;
    QString venue;
    QByteArray signPublicKey;
    QByteArray certificate;
    qint64 serial = 0;
};
/// The enrolled kiosks of `venue` (of every venue when empty), by venue and id.
Result<QList<KioskRow>> kiosks(Database &db, const QString &venue = {});
/// The enrolled kiosk `kioskId`, if any.
Result<std::optional<KioskRow>> kiosk(Database &db, const QString &kioskId);
/// Kiosks enrolled with this id or this signing key (none, one or two).
Result<QList<KioskRow>> kiosksWithIdOrKey(Database &db, const QString &kioskId, const QByteArray &signPublicKey);
/// The serial number the next certificate gets.
Result<qint64> nextKioskSerial(Database &db);
Status insertKiosk(Database &db, const KioskRow &kiosk);

/// Sets (or replaces) the Argon2id hash of a venue's role PIN.
Status setStaffPin(Database &db, const QString &venue, const QString &role, const QString &pinHash);
/// A venue's staff PIN hashes, by role name.
Result<QList<StaffPin>> staffPins(Database &db, const QString &venue);
/// Numbers the venue's next package: 1, then one more each time.
Result<qint64> bumpPackageVersion(Database &db, const QString &venue);

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
