#pragma once
// The session batch a kiosk exports to a USB drive: one file per closed group session.
// Container (container.h) with magic "PYBTCH" and two sections:
//   1. header JSON (activity, venue, kiosk, session, rehearsal, counts, sorted-id digests,
//      kiosk certificate, the file key sealed to the election key and to the office's
//      archive key)
//   2. secretstream of chunks: sealed records in ascending id order (ballots, then
//      suggestions), the sorted check-in list, the audit log; the header is the first
//      chunk's associated data
// signed by the kiosk. Format: docs/formats.md §Batch.

#include "ballot.h"
#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace pingyi {

struct CheckInEntry {
    QString repId;
    bool voted = false; ///< false: checked in, then released without voting

    bool operator==(const CheckInEntry &) const = default;
};

struct BatchCounts {
    qint64 checkins = 0; ///< check-in events
    qint64 ballots = 0;
    qint64 released = 0; ///< check-ins released without a ballot
    qint64 suggestions = 0;

    bool operator==(const BatchCounts &) const = default;
};

struct BatchHeader {
    SessionContext context;
    BatchCounts counts;
    QByteArray ballotDigest; ///< sortedIdDigest of the ballot ids
    QByteArray suggestionDigest; ///< sortedIdDigest of the suggestion ids
    QByteArray kioskCertificate; ///< the kiosk's signed certificate
    QByteArray electionSealedKey;
    QByteArray archiveSealedKey;
    /// Representatives this kiosk's session shares with another kiosk of the venue because
    /// one of them checked in offline (docs/venue.md §Degraded mode): how many the kiosk's
    /// audit log names as "venue-duplicate" at export. Written only when not 0.
    qint64 venueDuplicates = 0;
};

struct BatchContent {
    BatchHeader header;
    QList<SealedRecord> records; ///< ballots then suggestions, each ascending by id
    QList<CheckInEntry> checkins; ///< ascending by rep id
    QByteArray auditLog; ///< JSON lines, each a signed audit event
};

/// Sorts records and check-ins, fills digests and sealed keys, encrypts and signs.
QByteArray writeBatch(BatchContent content, const crypto::SigningKey &kioskKey, QByteArrayView electionPublicKey,
                      QByteArrayView archivePublicKey, crypto::SecretBytes *fileKeyOut = nullptr);

struct BatchFile {
    BatchHeader header;
    QByteArray headerBytes;
    QByteArray stream;
    QByteArray signedBytes;
    QByteArray signature;
};

/// Structure and header only. Error codes "batch-format", "batch-version".
Result<BatchFile> readBatch(QByteArrayView bytes);
/// Error code "batch-signature".
Status verifyBatchSignature(const BatchFile &file, QByteArrayView kioskPublicKey);
/// Opens the file key with the election key (`election`) or the archive key. "batch-key".
Result<crypto::SecretBytes> openBatchKey(const BatchFile &file, const crypto::BoxKeyPair &keys, bool election);
/// Decrypts the stream. Error codes "batch-stream" (damaged, truncated, reordered).
Result<BatchContent> decryptBatch(const BatchFile &file, const crypto::SecretBytes &fileKey);

struct RecordProblem {
    int index; ///< position in BatchContent::records
    QString code; ///< "record-signature", "record-duplicate", "record-order"
    QString message;
};

/// Every record's signature (bound to the batch's session context), unique ids, order.
QList<RecordProblem> verifyRecords(const BatchContent &content, QByteArrayView kioskPublicKey);
/// Counts, digests and check-in list agree with the records. Error code "batch-invariant",
/// the first finding of formats::batchInvariantFindings (which lists every one).
Status checkBatchInvariants(const BatchContent &content);

/// File name for a batch: <activity>_<venue>_<kiosk>_<session>[_REHEARSAL].pybatch
QString batchFileName(const SessionContext &context);

} // namespace pingyi
