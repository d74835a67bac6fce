#pragma once
// The office's store: hq.db's schema, its migrations and every query the office's code
// asks of it, so that no SQL lives anywhere else in provisioning/ (docs/tally.md §6).
// Functions take the open Database (Hq::db()); rows come back as plain values.
// Transactions are the callers': `Database::Transaction tx(hq.db())` around calls of the
// store, so each operation keeps its own boundaries (the import's crash-safety rests on
// them). Implemented in hqstore.cpp (schema, office setup, bulletin), store/intake.cpp
// (batches, quarantine, refusals) and store/reports.cpp (kiosk reports, retirements).

#include "batch.h"
#include "result.h"
#include "storage.h"
#include "venuepackage.h"

#include <QByteArray>
#include <QList>
#include <QMap>
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
/// Face templates (face::encodeTemplate) by rep id, for representatives already stored;
/// replaceRoster() deletes them all.
Status saveFaceTemplates(Database &db, const QMap<QString, QByteArray> &templates);
Result<QMap<QString, QByteArray>> faceTemplates(Database &db);

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

// ---- intake: batches, quarantine, refusals (store/intake.cpp) ------------------------------

/// What an earlier import of one kiosk's session stored, to judge a replay.
struct PriorBatchRow {
    QByteArray fileDigest, ballotDigest, suggestionDigest, checkinDigest;
    BatchCounts counts;
    QString importedAt;
    QString archiveFile;
};
/// The batch stored for a kiosk's session, if any (a per-batch statement, kept prepared).
Result<std::optional<PriorBatchRow>> priorBatch(Database &db, const QString &kioskId, const QString &session);

/// A batch the import refused, kept with why.
struct ImportRefusalRow {
    QString fileName;
    QByteArray fileDigest;
    QString kioskId, venue, session;
    QString code, message;
    QString at;
};
Status insertImportRefusal(Database &db, const ImportRefusalRow &row);

/// SQLite's data_version: changes when another connection commits.
Result<qint64> dataVersion(Database &db);
/// Every stored batch's counted record ids: fn(kiosk, session, file name, imported at,
/// sorted 32-byte ballot ids, sorted 32-byte suggestion ids).
Status forEachBatchRecordIds(Database &db,
                             const std::function<void(const QString &, const QString &, const QString &,
                                                      const QString &, const QByteArray &, const QByteArray &)> &fn);
/// The archive file names batch rows refer to.
Result<QSet<QString>> archiveFiles(Database &db);

/// One imported batch: no order of casting, no time of a ballot, nobody (docs/tally.md).
struct BatchRow {
    QString kioskId, venue, session;
    QString fileName;
    QByteArray fileDigest;
    QByteArray header;
    BatchCounts counts;
    QByteArray ballotDigest, suggestionDigest, checkinDigest;
    qint64 countedBallots = 0, countedSuggestions = 0, quarantined = 0;
    bool discrepancy = false;
    QByteArray findings; ///< JSON array
    QString closingReport; ///< empty: stored as NULL
    QByteArray auditLog;
    QString importedAt;
    QString archiveFile;
    QByteArray ballotIds, suggestionIds; ///< sorted concatenations of 32-byte ids
    QByteArray checkinList;
};
/// Inserts a batch row; returns its batch id.
Result<qint64> insertBatch(Database &db, const BatchRow &row);

/// A record held back at import, numbered among its copies (never by stream position).
struct QuarantineRow {
    qint64 batchId = 0;
    QByteArray recordId;
    QString code;
    int copyNo = 0;
    int kind = 0;
    QString message;
    bool countedByKiosk = false;
    QByteArray sealed, signature;
};
Status insertQuarantined(Database &db, const QuarantineRow &row);

/// Stores a closing report with a kiosk's session batch unless it has one; false when it had.
Result<bool> setClosingReport(Database &db, const QString &kioskId, const QString &session, const QString &text);
/// The same by batch id.
Status setClosingReport(Database &db, qint64 batchId, const QString &text);

/// A stored batch as the closing reports are checked against it.
struct StoredBatchRow {
    qint64 id = 0;
    QString venue;
    BatchCounts counts;
    QByteArray ballotDigest;
    QString closingReport;
    QString fileName;
    QString importedAt;
};
Result<std::optional<StoredBatchRow>> storedBatch(Database &db, const QString &kioskId, const QString &session);
/// (kiosk, session) of every stored batch, by session.
Result<QList<QPair<QString, QString>>> batchSessions(Database &db);

/// Durability for a run of many transactions: synchronous=NORMAL for the run, then one
/// full checkpoint and synchronous=FULL again at its end.
Status relaxSync(Database &db);
Status checkpointFull(Database &db);
Status restoreSync(Database &db);

// ---- kiosk reports and retirements (store/reports.cpp) -----------------------------------

struct KioskReportRow {
    QString kiosk;
    QString venue;
    QString session;
    bool rehearsal = false;
    bool closing = false;
    BatchCounts counts;
    QByteArray ballotDigest;
    QString payload;
    QString storedAt;
};
/// Every stored report, by venue, kiosk, group, rehearsal, kind (closing first).
Result<QList<KioskReportRow>> kioskReports(Database &db);
/// The report a kiosk made of a group of this kind, if stored.
Result<std::optional<KioskReportRow>> kioskReport(Database &db, const QString &kioskId, const QString &session,
                                                  bool rehearsal, bool closing);
Status insertKioskReport(Database &db, const KioskReportRow &row);

struct RetiredKiosk {
    QString kiosk;
    QString venue;
    QString reason;
    QString retiredAt;
};
/// Marks a kiosk retired, replacing the reason and time of an earlier retirement.
Status retireKiosk(Database &db, const RetiredKiosk &r);
/// Retired kiosks with their venue, by venue and id.
Result<QList<RetiredKiosk>> retiredKiosks(Database &db);

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
