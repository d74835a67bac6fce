#pragma once
// The tallying office's intake of session batches: `pingyi-hq verify` and `import`.
//
// A batch is checked in this order (docs/tally.md §What import checks): structure; the
// header's activity, rehearsal flag, venue and group session; the kiosk certificate's
// chain to the HQ root and its venue; that the kiosk is enrolled in hq.db with that key
// and venue; the batch signature; then, with the office's archive key (root.key), the
// file key, the authenticated record stream, every record's signature and id, the
// counts, the sorted-id digests and the check-in list; optionally a closing-report QR
// payload. The sealed ballots stay sealed to the election key: import never needs it.
//
// A record that fails on its own (bad signature, a second copy, already counted with
// another batch) is quarantined with a reason and never counted; the rest of the batch is
// imported in one transaction and a batch whose own counts included the quarantined
// record is marked as a discrepancy.
// Anything that makes the batch as a whole untrustworthy refuses it.

#include "activity.h"
#include "ballot.h"
#include "batch.h"
#include "crypto.h"
#include "result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace pingyi::hq {

class Hq;

/// A problem found in a batch: a stable code and a message saying what is wrong and
/// what to do.
struct Finding {
    QString code;
    QString message;
};

struct QuarantinedRecord {
    SealedRecord record;
    QByteArray id; ///< BLAKE2b of the sealed bytes
    QString code; ///< "record-signature", "record-duplicate", "record-known"
    QString message;
    bool countedByKiosk = false; ///< the header's counts and digest include it
};

enum class BatchOutcome {
    Imported, ///< committed (possibly with quarantined records or warnings)
    AlreadyImported, ///< the same session of the same kiosk with the same content: nothing to do
    Refused, ///< nothing of it was stored
    Verified, ///< `verify`: every check passed, nothing stored
};

struct BatchReport {
    QString file; ///< path as given
    QByteArray fileDigest; ///< BLAKE2b-256 of the file
    bool headerRead = false;
    SessionContext context; ///< from the header, when it could be read
    BatchCounts counts; ///< the header's counts
    BatchOutcome outcome = BatchOutcome::Refused;
    QList<Finding> problems; ///< reasons to refuse; the first is "the" reason
    QList<Finding> warnings; ///< imported, but someone should look
    QList<QuarantinedRecord> quarantined; ///< sorted by kind and id: nothing of the stream's order is kept
    qint64 ballotsCounted = 0;
    qint64 suggestionsCounted = 0;
    qint64 checkinsListed = 0;
    bool discrepancy = false; ///< the kiosk counted records that were quarantined
    bool streamChecked = false;
    QString closingReport; ///< the payload checked, if any
    /// Already imported: the closing report checked now was stored with the earlier import.
    bool closingReportStored = false;
    /// The same session as an earlier file of this run (verify: nothing was imported).
    bool sameAsEarlierInRun = false;

    bool refused() const { return outcome == BatchOutcome::Refused; }
    /// Refused, quarantined records, a discrepancy or warnings (never for a batch that was
    /// already imported: those were reported then).
    bool needsAttention() const;
    /// The reason a refused batch was refused.
    Error reason() const;
    QJsonObject toJson() const;
};

/// Where a run is, for a progress bar.
struct ImportProgress {
    int batchesDone = 0; ///< judged (and, for import, committed or refused)
    int batchesTotal = 0;
    qint64 recordsChecked = 0; ///< records whose signature and id the workers checked
    qint64 bytesChecked = 0; ///< of the batch files, by what the workers have checked
    qint64 bytesTotal = 0;
};

struct ImportSummary;

struct ImportOptions {
    /// Closing-report QR payloads ("PYR1:…"); each is matched to the batch of its kiosk
    /// and session (given in this run, or imported earlier). Zero (opening) reports are
    /// noted and checked for zero counts, never matched.
    QStringList closingReports;
    /// Worker threads (0: one per core).
    int threads = 0;
    /// Called on the calling thread after each batch: batches done, batches in all,
    /// records accepted so far.
    std::function<void(int done, int total, qint64 records)> progress;
    /// Called on the calling thread about ten times a second while the workers check,
    /// and after each batch.
    std::function<void(const ImportProgress &)> liveProgress;
    /// When the run stops on a database or disk failure (the Result is then that error),
    /// filled with the batches judged until then: those listed as imported were committed.
    ImportSummary *partial = nullptr;
};

struct ImportSummary {
    QList<BatchReport> batches;
    QStringList unmatchedReports; ///< closing reports that match no batch, given or imported, with what to do
    /// Reports checked against batches imported in earlier runs, or zero reports that
    /// are not empty or not signed by their kiosk: each needs a person's decision.
    QList<Finding> reportProblems;
    /// For information: zero reports skipped, closing reports stored with earlier imports.
    QStringList reportNotes;
    /// Reports given to import that are now stored in hq.db (kioskreports.h): the tally
    /// expects each one's batch.
    QStringList reportsStored;
    int imported() const;
    int alreadyImported() const;
    int refused() const;
    qint64 quarantined() const;
    bool needsAttention() const;
    QJsonObject toJson() const;
};

/// Verifies and imports batch files into the HQ directory. `archive` is the office's
/// archive key (from root.key). One transaction per batch; batches are checked on
/// worker threads while earlier ones are committed. The run holds the HQ directory's
/// lock (hqlock.h): error "hq-busy" while another command works on it.
Result<ImportSummary> importBatches(Hq &hq, const crypto::BoxKeyPair &archive, const QStringList &files,
                                    const ImportOptions &options = {});
/// The same for batches already in memory (tests, benchmarks); `names` label them.
Result<ImportSummary> importBatchBytes(Hq &hq, const crypto::BoxKeyPair &archive, const QList<QByteArray> &batches,
                                       const QStringList &names, const ImportOptions &options = {});

/// Every check of import without storing anything, under the same lock. Without `archive`
/// only the header, certificate and signature are checked (no passphrase needed);
/// `streamChecked` says which. A batch already imported (or given twice in this run) has
/// the outcome AlreadyImported when identical and the problem "batch-replay" when
/// different; a record already counted is quarantined ("record-known") as import would.
Result<ImportSummary> verifyBatches(Hq &hq, const crypto::BoxKeyPair *archive, const QStringList &files,
                                    const ImportOptions &options = {});

/// The canonical check-in list a batch row keeps: "rep_id\tvoted\n" or
/// "rep_id\treleased\n" per representative, sorted bytewise; checkin_digest is its BLAKE2b.
QByteArray checkinList(const QList<CheckInEntry> &checkins);
QList<CheckInEntry> parseCheckinList(QByteArrayView list);

} // namespace pingyi::hq
