#pragma once
// The printable results report (A4 PDF): page 1 a one-page summary in Chinese (attendance
// per group, the ranking of every department across all groups, the last-ranked
// departments, what needs attention, in the activity's time zone and with names, never
// codes); per group a drawn bar chart of how every department was rated with its rank
// table, scores by venue (merged below the anonymity threshold), attendance and the
// discipline survey; then the questionnaire as charts and attendance by venue and category;
// last an appendix of audit tables (definitions, keys, ballots handed out and collected,
// checks, batches). Colours are colour-blind safe and never the only cue. docs/tally.md.

#include "activity.h"
#include "result.h"
#include "tally.h"

#include <QString>

namespace pingyi::hq {

/// Needs a QGuiApplication (offscreen is fine) for fonts.
Status renderResultsPdf(const TallyResults &results, const Activity &activity, const QString &pdfPath);

} // namespace pingyi::hq
