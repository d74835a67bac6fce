#pragma once
// The printable results report (A4 PDF, Chinese with English headings): a summary page,
// per group a drawn bar chart of how every department was rated with its rank table,
// scores by venue (merged below the anonymity threshold), attendance, ballots handed out
// and collected, the discipline survey; then the questionnaire as charts, attendance by
// venue and category, and what needs the office's attention.

#include "activity.h"
#include "result.h"
#include "tally.h"

#include <QString>

namespace pingyi::hq {

/// Needs a QGuiApplication (offscreen is fine) for fonts.
Status renderResultsPdf(const TallyResults &results, const Activity &activity, const QString &pdfPath);

} // namespace pingyi::hq
