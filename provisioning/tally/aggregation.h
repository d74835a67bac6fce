#pragma once
// The tally's aggregation (internal to the tally): from the counts per (group, venue) cell
// to the results per group: departments with scores and ranks, the questionnaire and the
// discipline survey, the venue breakdown with small venues merged (mergeSmallParts), the
// intake per venue, attendance by venue and category, representatives checked in at more
// than one kiosk. What is withheld follows the rules of disclosure.h.

#include "activity.h"
#include "result.h"
#include "storage.h"
#include "tally.h"
#include "tally/counting.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <tuple>
#include <vector>

namespace pingyi::hq::tally {

/// A representative on the roster, as attendance needs them.
struct RepInfo {
    QString venue;
    QString category;
    QString sessions; ///< as stored: codes separated by ';' (one, as the roster requires)
    bool invitedTo(const QString &session) const
    {
        return sessions == session
            || (sessions.contains(QLatin1Char(';')) && sessions.split(QLatin1Char(';')).contains(session));
    }
};
using Roster = QHash<QString, RepInfo>; ///< by representative id

/// One entry of a batch's check-in list.
struct CheckinRow {
    int batch; ///< index into the batches; -1 unknown
    QString rep;
    bool voted;
};

Result<Roster> readRoster(Database &db);
/// The check-in lists of the imported batches; `batchIndex` maps hq.db ids to indices.
Result<QList<CheckinRow>> readCheckins(Database &db, const QHash<qint64, int> &batchIndex);

/// Batches the office knows were made but has not imported, keyed (group, venue, kiosk)
/// (disclosure.h expectedBatches).
using ExpectedBatches = QMap<std::tuple<QString, QString, QString>, MissingBatch>;

/// What aggregate() works from.
struct Counts {
    const Activity &activity;
    const Index &ix;
    const QList<BatchInfo> &batches;
    const std::vector<Acc> &cells; ///< group * venues + venue
    const Roster &roster;
    const QList<CheckinRow> &checkins;
    const ExpectedBatches &expected;
    /// Per group, the parts of the venue breakdown of the last full release.
    const QHash<QString, QList<QStringList>> &releasedParts;
};

/// Fills the per-group results of `res` (sessions, the totals over groups, duplicate and
/// unexpected check-ins, missing venues, cells and parts); `res` holds the header fields,
/// rejected records, quarantined records and suggestions already.
void aggregate(const Counts &in, TallyResults &res);

} // namespace pingyi::hq::tally
