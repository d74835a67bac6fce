#pragma once
// Print-ready invitation cards: A4 PDF, eight cards per page with cut marks.

#include "activity.h"
#include "hq.h"
#include "result.h"

namespace pingyi::hq {

/// Renders the cards to a PDF written atomically at `pdfPath`. Needs a QGuiApplication.
Status renderCardsPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath);

} // namespace pingyi::hq
