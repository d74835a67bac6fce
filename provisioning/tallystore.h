#pragma once
// The tally's queries of hq.db (part of the office's store, next to hqstore.h): what
// import stored that the tally reads (batches, their record ids, check-in lists and audit
// logs, the roster, quarantined records, kiosks) and the record of each tally run that
// checkFullRelease and the bulletin compare against. Rows come back as plain values.

#include "result.h"
#include "storage.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace pingyi::hq::store {

// ---- what import stored ----------------------------------------------------------------

/// An imported batch: its header counts, what import counted and found, where its
/// archived copy is.
struct TallyBatchRow {
    qint64 id = 0;
    QString kiosk;
    QString venue;
    QString session;
    QString file;
    qint64 checkins = 0, ballots = 0, released = 0, suggestions = 0; ///< header
    qint64 countedBallots = 0, countedSuggestions = 0, quarantined = 0;
    QString status;
    QByteArray findings; ///< JSON array of {code, …} as import stored it
    bool closingReport = false; ///< a closing report was checked against it
    QString archiveFile;
};
/// Every imported batch, by venue, group and kiosk.
Result<QList<TallyBatchRow>> tallyBatches(Database &db);

/// Each batch's counted record ids: fn(batch id, sorted ballot ids, sorted suggestion ids),
/// 32 bytes each.
Status forEachBatchRecordIds(Database &db,
                             const std::function<void(qint64, const QByteArray &, const QByteArray &)> &fn);
/// Each batch's audit log (JSON lines): fn(kiosk, venue, log).
Status forEachBatchAuditLog(Database &db,
                            const std::function<void(const QString &, const QString &, const QByteArray &)> &fn);
/// Each batch's check-in list: fn(batch id, list as stored).
Status forEachBatchCheckinList(Database &db, const std::function<void(qint64, const QByteArray &)> &fn);

struct TallyRosterRow {
    QString repId;
    QString venue;
    QString category;
    QString sessions; ///< as stored: codes separated by ';'
};
/// The roster, as the attendance needs it.
Result<QList<TallyRosterRow>> tallyRoster(Database &db);

struct TallyKioskRow {
    QString kiosk;
    QString venue;
};
/// Enrolled kiosks of which no batch was imported, by venue and kiosk.
Result<QList<TallyKioskRow>> kiosksWithoutBatch(Database &db);

struct TallyQuarantineRow {
    int kind = 0; ///< RecordKind
    QString session;
    QString venue;
    QString kiosk;
    QString code;
    bool countedByKiosk = false;
};
/// Records quarantined at import, by venue, group and code.
Result<QList<TallyQuarantineRow>> tallyQuarantined(Database &db);

// ---- tally runs --------------------------------------------------------------------------

struct TallyPartRow {
    QString session;
    int part = 0;
    QString venue;
};
/// The venue breakdown of the last full release: the part each (group, venue) was shown
/// in, by group, part and venue. Empty before the first full release.
Result<QList<TallyPartRow>> lastFullReleaseParts(Database &db);

struct TallyReleasedCellRow {
    qint64 run = 0;
    QString generated;
    QString session;
    QString venue;
    qint64 ballots = 0;
};
/// The valid ballots per (group, venue) of every full release, by run, group and venue.
Result<QList<TallyReleasedCellRow>> fullReleaseCells(Database &db);

/// A tally run about to be published.
struct TallyRunRecord {
    QString generated;
    bool full = false;
    QString incomplete; ///< empty: stored as NULL
    QList<qint64> batchIds;
    struct Cell {
        QString session;
        QString venue;
        qint64 ballots = 0;
        int part = -1; ///< -1: content not shown
    };
    QList<Cell> cells;
    struct Rejected {
        QByteArray recordId;
        int kind = 0; ///< RecordKind
        QString code;
    };
    QList<Rejected> rejected;
};
/// Stores `run` (tally_run, tally_batch, tally_cell, tally_rejected) in one transaction.
Status insertTallyRun(Database &db, const TallyRunRecord &run);

} // namespace pingyi::hq::store
