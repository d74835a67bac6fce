#pragma once
// Print-ready invitation cards: A4 PDF, four A6 cards per page with cut marks; and the
// hand-out list (发卡清单) the venue staff tick off when giving each card to its
// representative. Layout and check code: docs/formats.md §Invitation cards.

#include "activity.h"
#include "hq.h"
#include "result.h"

namespace pingyi::hq {

/// Type sizes of the card, in points: tests read them back from the PDF.
struct CardType {
    static constexpr double schedule = 16; ///< date and time of the session
    static constexpr double place = 13; ///< venue, address, place
    static constexpr double instructions = 12; ///< what to bring and do; never smaller
};

/// Renders the cards to a PDF written atomically at `pdfPath`. Needs a QGuiApplication.
Status renderCardsPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath);

/// Cards per A4 page of renderCardsPdf().
constexpr int cardsPerPage = 4;

/// Renders the hand-out list: per venue, the representatives in the cards' order with id,
/// masked name, check code, group and time, and an empty column to sign. Written
/// atomically at `pdfPath`, readable by the office only. Needs a QGuiApplication.
Status renderCardListPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath);

/// "2025年12月16日（星期二）" for an ISO date; the text as given when it is not one.
QString chineseDate(const QString &isoDate);

} // namespace pingyi::hq
