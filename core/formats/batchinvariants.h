#pragma once
// The invariants of a session batch (docs/formats.md §Batch): counts, sorted-id digests and
// the check-in list agree with the records. The kiosk checks them before it exports
// (checkBatchInvariants); the office's importer judges the header's counts and digests
// with matchIds for each set of records it might have counted.

#include "batch.h"

#include <QList>
#include <QString>

namespace pingyi::formats {

struct BatchFinding {
    QString code; ///< "batch-invariant"
    QString message;

    bool operator==(const BatchFinding &) const = default;
};

/// Every invariant the batch breaks, in a fixed order (empty when it adds up).
QList<BatchFinding> batchInvariantFindings(const BatchContent &content);

/// How a set of record ids compares with a header's count and sorted-id digest.
enum class IdsMatch { Match, CountDiffers, DigestDiffers };
IdsMatch matchIds(const QList<QByteArray> &ids, qint64 count, const QByteArray &digest);

} // namespace pingyi::formats
