#pragma once
// The bulletin (公示): the receipt code of every counted ballot, sorted, per venue, so any
// representative can check that their ballot was counted. It never shows ballot contents,
// kiosks or group sessions. Format: docs/tally.md §Bulletin.

#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pingyi::hq {

class Hq;

struct BulletinVenue {
    QString code;
    QString name;
    QStringList receipts; ///< sorted
};

struct Bulletin {
    QString activityId;
    QString activityName;
    QDateTime generated;
    /// False before any tally: the codes are of ballots imported, not yet counted, and the
    /// bulletin says so.
    bool tallied = false;
    QString tallyGenerated; ///< when the tally it follows was made
    /// Ballots left out, with why: the tally could not count them (per code), they were
    /// quarantined at import, or their batch was imported after the last tally.
    QMap<QString, qint64> rejected;
    qint64 quarantined = 0;
    qint64 notYetTallied = 0;
    QList<BulletinVenue> venues; ///< in the activity's venue order; venues without ballots left out
    qint64 total = 0;
    /// BLAKE2b-256 (hex) over the text lines "venue code<TAB>receipt\n" in bulletin order,
    /// so a printed copy can be checked against the published one.
    QString digest;
};

/// Every ballot the last tally (provisional or full) counted: accepted at import, in a
/// batch the tally covered, and not rejected by it. Before any tally: every ballot
/// accepted at import, titled "imported, not yet tallied". Quarantined ones are never on it.
Result<Bulletin> buildBulletin(Hq &hq, const QDateTime &generated = {});

QByteArray bulletinText(const Bulletin &bulletin);
QByteArray bulletinJson(const Bulletin &bulletin);
/// The bulletin's heading: counted, or imported and not yet tallied.
QString bulletinTitle(const Bulletin &bulletin);
/// What is not on the bulletin and why (counts only), one line each.
QStringList bulletinLeftOut(const Bulletin &bulletin);
/// Writes by the file's extension: .json or text. PDF is the print library's
/// (print/bulletinpdf.h, writeBulletinFile), which keeps this library Qt Core only.
Status writeBulletin(const Bulletin &bulletin, const QString &path);

} // namespace pingyi::hq
