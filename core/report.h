#pragma once
// The compact, signed summary of a zero or closing report that fits a QR code, so an
// official can photograph the kiosk screen and the office can check the batch's counts
// against it. "PYR1:" + base32(body || kiosk signature). Format: docs/formats.md §Reports.

#include "ballot.h"
#include "batch.h"
#include "crypto.h"
#include "result.h"

namespace pingyi {

struct ReportSummary {
    bool closing = false; ///< false: zero report at opening
    SessionContext context;
    BatchCounts counts;
    QByteArray ballotDigest;
};

QString encodeReportQr(const ReportSummary &summary, const crypto::SigningKey &kioskKey);
/// Error codes "report-format", "report-signature" (skipped when the key is empty).
Result<ReportSummary> decodeReportQr(const QString &text, QByteArrayView kioskPublicKey);

} // namespace pingyi
