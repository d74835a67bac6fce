#pragma once
// The tally's disclosure rules (internal to the tally; the public ones are in tally.h):
// which batches are known to be missing, which groups have too few ballots to show more
// than their number, what the last full release showed together, and which suggestions
// are withheld. Anonymity threshold, withholding and release checks: docs/tally.md §3–4.

#include "result.h"
#include "tally.h"
#include "tally/aggregation.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>
#include <QStringList>

namespace pingyi::hq::tally {

/// What the office knows of its kiosks beyond the batches imported.
struct KioskAccount {
    ExpectedBatches expected; ///< opened a group (audit log, zero or closing report), batch not imported
    QList<RetiredKioskRef> retired;
    QList<BatchRef> silent; ///< spare kiosks: no batch, no report, not retired
};
Result<KioskAccount> accountForKiosks(Hq &hq, const QList<BatchInfo> &batches);

/// Per group, the venues of each part of the venue breakdown of the last full release.
Result<QHash<QString, QList<QStringList>>> releasedParts(Database &db);

/// A group with ballots, but fewer than the anonymity threshold: only their number is shown.
bool belowThreshold(qint64 ballots, int threshold);

/// Records in res.parts which part of the breakdown each venue of `group` was shown in
/// (all in part 0 when only the group's total is shown), for the next full release.
void recordShownParts(const SessionResult &group, const QList<QPair<QString, qint64>> &venueBallots, TallyResults &res);

/// Leaves out the suggestions of the groups whose content is withheld; returns how many.
qint64 withholdSuggestions(QList<SuggestionRow> &suggestions, const QSet<QString> &withheldGroups);

} // namespace pingyi::hq::tally
