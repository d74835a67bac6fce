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
// A record that fails on its own (bad signature, a second copy) is quarantined with a
// reason and never counted; the rest of the batch is imported in one transaction and a
// batch whose own counts included the quarantined record is marked as a discrepancy.
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
    int position = 0; ///< index in the batch's record stream
    SealedRecord record;
    QByteArray id; ///< BLAKE2b of the sealed bytes
    QString code; ///< "record-signature", "record-duplicate"
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
    QList<QuarantinedRecord> quarantined;
    qint64 ballotsCounted = 0;
    qint64 suggestionsCounted = 0;
    qint64 checkinsListed = 0;
    bool discrepancy = false; ///< the kiosk counted records that were quarantined
    bool streamChecked = false;
    QString closingReport; ///< the payload checked, if any

    bool refused() const { return outcome == BatchOutcome::Refused; }
    /// Refused, quarantined records, a discrepancy or warnings (never for a batch that was
    /// already imported: those were reported then).
    bool needsAttention() const;
    /// The reason a refused batch was refused.
    Error reason() const;
    QJsonObject toJson() const;
};

struct ImportOptions {
    /// Closing-report QR payloads ("PYR1:…"); each is matched to the batch of its kiosk
    /// and session.
    QStringList closingReports;
    /// Worker threads (0: one per core).
    int threads = 0;
    /// Called on the calling thread after each batch: batches done, batches in all,
    /// records accepted so far.
    std::function<void(int done, int total, qint64 records)> progress;
};

struct ImportSummary {
    QList<BatchReport> batches;
    QStringList unmatchedReports; ///< closing reports that matched none of the batches
    int imported() const;
    int alreadyImported() const;
    int refused() const;
    qint64 quarantined() const;
    bool needsAttention() const;
    QJsonObject toJson() const;
};

/// Verifies and imports batch files into the HQ directory. `archive` is the office's
/// archive key (from root.key). One transaction per batch; batches are checked on
/// worker threads while earlier ones are committed.
Result<ImportSummary> importBatches(Hq &hq, const crypto::BoxKeyPair &archive, const QStringList &files,
                                    const ImportOptions &options = {});
/// The same for batches already in memory (tests, benchmarks); `names` label them.
Result<ImportSummary> importBatchBytes(Hq &hq, const crypto::BoxKeyPair &archive, const QList<QByteArray> &batches,
                                       const QStringList &names, const ImportOptions &options = {});

/// Every check of import without storing anything. Without `archive` only the header,
/// certificate and signature are checked (no passphrase needed); `streamChecked` says
/// which. A batch already imported is reported as a warning ("batch-already-imported")
/// when identical and as the problem "batch-replay" when different.
Result<ImportSummary> verifyBatches(Hq &hq, const crypto::BoxKeyPair *archive, const QStringList &files,
                                    const ImportOptions &options = {});

/// The canonical check-in list a batch row keeps: "rep_id\tvoted\n" or
/// "rep_id\treleased\n" per representative, sorted bytewise; checkin_digest is its BLAKE2b.
QByteArray checkinList(const QList<CheckInEntry> &checkins);
QList<CheckInEntry> parseCheckinList(QByteArrayView list);

} // namespace pingyi::hq
