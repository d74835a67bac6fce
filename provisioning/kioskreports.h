#pragma once
// What the office knows of each kiosk besides its batches: the zero and closing reports
// it made (their QR codes, verified with the kiosk's certificate before they are stored),
// and whether a technician retired it. A kiosk that reported a group is expected to send
// that group's batch; the tally refuses full results without it (docs/tally.md §Kiosks
// the office expects).

#include "batch.h"
#include "hqstore.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pingyi::hq {

class Hq;

/// A stored zero or closing report (the row of hq.db's kiosk_report).
using KioskReportRow = store::KioskReportRow;

enum class ReportOutcome { Stored, AlreadyStored, Refused };

struct ReportStoreResult {
    QString label; ///< "closing report of kiosk K, group S" (or the start of the text if unreadable)
    QString kiosk; ///< empty when unreadable
    QString session;
    ReportOutcome outcome = ReportOutcome::Refused;
    QString code; ///< error code when refused
    QString message; ///< what was wrong and what to do, when refused
};

/// Verifies each `PYR1:` text (signature by the enrolled kiosk it names, this activity,
/// the kiosk's venue; a zero report shows nothing; a closing report agrees with the batch
/// already imported for it) and stores it in hq.db, one transaction per report. The same
/// report again is a no-op; a different one for the same kiosk, group and kind is refused
/// ("report-conflict") and the stored one stays. Errors are database failures only.
Result<QList<ReportStoreResult>> storeReports(Hq &hq, const QStringList &texts);

/// Every stored report, by venue, kiosk, group, kind.
Result<QList<KioskReportRow>> storedReports(Hq &hq);

/// A kiosk a technician retired, with its venue.
using RetiredKiosk = store::RetiredKiosk;

/// Marks an enrolled kiosk retired: no longer expected to send anything. Error
/// "unknown-kiosk" for a kiosk that is not enrolled, "usage" for an empty reason;
/// retiring again replaces the reason.
Result<RetiredKiosk> retireKiosk(Hq &hq, const QString &kiosk, const QString &reason);

Result<QList<RetiredKiosk>> retiredKiosks(Hq &hq);

/// One line per enrolled kiosk: its batches, its reports, retired or spare.
struct KioskStatus {
    QString kiosk;
    QString venue;
    QStringList batches; ///< groups imported
    QList<KioskReportRow> reports;
    QString retiredReason; ///< empty: not retired
    QStringList missing; ///< groups reported (or opened) but not imported, "group (N ballots)"
    bool spare() const { return batches.isEmpty() && reports.isEmpty() && retiredReason.isEmpty(); }
};
Result<QList<KioskStatus>> kioskStatus(Hq &hq);

} // namespace pingyi::hq
