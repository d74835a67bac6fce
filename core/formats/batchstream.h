#pragma once
// The one writer and reader of a session batch's encrypted record stream (docs/formats.md
// §Batch): after the secretstream header, one chunk per sealed record (ballots, then
// suggestions), then the check-in list, then the audit log in the FINAL chunk; the batch
// header JSON is the first chunk's associated data. core/batch.cpp (kiosk export, office
// import), the tally (straight from the archive, into a reused buffer) and the tests that
// forge batches all go through here.

#include "ballot.h"
#include "batch.h"
#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace pingyi::formats {

/// The container around a batch (container.h): magic, version, sections header + stream.
inline constexpr char batchMagic[] = "PYBTCH";
inline constexpr quint16 batchContainerVersion = 1;
/// The "format" field of the batch header JSON.
inline constexpr char batchHeaderFormat[] = "pingyi-batch/v1";

/// The first byte of every plaintext chunk of the stream.
enum class BatchChunk : quint8 { Ballot = 1, Suggestion = 2, CheckIns = 3, Audit = 4 };

/// Writes the stream chunk by chunk. The caller keeps the order (records, check-ins, audit);
/// tests may break it on purpose to forge a damaged batch.
class BatchStreamWriter {
public:
    /// `header` is the batch header JSON, bound to the first chunk.
    BatchStreamWriter(const crypto::SecretBytes &fileKey, QByteArray header);
    void record(RecordKind kind, QByteArrayView sealed, QByteArrayView signature);
    void checkIns(QByteArrayView json);
    /// The audit log; ends the stream (FINAL tag).
    void audit(QByteArrayView jsonLines);
    /// Any chunk, as is (for tests forging batches): `last` ends the stream.
    void rawChunk(QByteArrayView plaintext, bool last);
    QByteArray stream() const { return m_stream; }

private:
    crypto::StreamWriter m_writer;
    QByteArray m_header;
    QByteArray m_stream;
    bool m_first = true;
};

/// The check-in list chunk's JSON: [[rep id, "voted" | "released"], ...] in the given order.
QByteArray checkInListJson(const QList<CheckInEntry> &checkins);

/// The batch file: container (magic, version, header JSON, stream) signed by the kiosk.
/// writeBatch makes a true batch through it; tests forge headers and streams with it.
QByteArray writeBatchFile(QByteArrayView header, QByteArrayView stream, const crypto::SigningKey &kioskKey);

/// What went wrong reading a stream; each reader words it for its own people.
enum class BatchStreamProblem {
    None,
    Header, ///< the stream header is missing or does not open with the key
    Truncated, ///< a chunk length runs past the end
    Authentication, ///< a chunk does not authenticate (damaged, reordered, wrong key)
    EmptyChunk, ///< a chunk without even its kind byte
    RecordAfterList, ///< a record after the check-in list
    MalformedRecord, ///< a record chunk of the wrong length
    Unexpected, ///< a chunk kind out of place
    TrailingData, ///< bytes after the FINAL chunk
    NoCheckIns, ///< the stream ended without a check-in list
    Visitor, ///< the visitor refused a chunk (its error is in `error`)
};

struct BatchStreamResult {
    BatchStreamProblem problem = BatchStreamProblem::None;
    QString detail; ///< the crypto layer's words, or the unexpected chunk kind
    Error error; ///< for BatchStreamProblem::Visitor
    explicit operator bool() const { return problem == BatchStreamProblem::None; }
};

/// Receives the chunks of a stream in order. Views are valid until the call returns.
class BatchStreamVisitor {
public:
    virtual ~BatchStreamVisitor() = default;
    virtual void record(RecordKind kind, QByteArrayView sealed, QByteArrayView signature) = 0;
    virtual Status checkIns(QByteArrayView json) = 0;
    virtual void audit(QByteArrayView jsonLines) = 0;
};

/**
 * Decrypts and checks the stream of a batch whose header JSON is @p header, chunk by chunk
 * into @p buffer (reused, and wiped before returning), telling @p visitor each chunk. The
 * checks: every chunk authenticates, the stream ends with its FINAL chunk and nothing after
 * it, records come before the one check-in list and the audit log is last.
 */
BatchStreamResult readBatchStream(QByteArrayView header, QByteArrayView stream, const crypto::SecretBytes &fileKey,
                                  std::vector<unsigned char> &buffer, BatchStreamVisitor &visitor);

} // namespace pingyi::formats
