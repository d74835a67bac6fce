#pragma once
// The bulletin (公示): the receipt code of every counted ballot, sorted, per venue, so any
// representative can check that their ballot was counted. It never shows ballot contents,
// kiosks or group sessions. Format: docs/tally.md §Bulletin.

#include "result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
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
    QList<BulletinVenue> venues; ///< in the activity's venue order; venues without ballots left out
    qint64 total = 0;
    /// BLAKE2b-256 (hex) over the text lines "venue code<TAB>receipt\n" in bulletin order,
    /// so a printed copy can be checked against the published one.
    QString digest;
};

/// Every ballot accepted at import (quarantined ones are not on it).
Result<Bulletin> buildBulletin(Hq &hq, const QDateTime &generated = {});

QByteArray bulletinText(const Bulletin &bulletin);
QByteArray bulletinJson(const Bulletin &bulletin);
/// Writes by the file's extension: .json, .pdf (needs a QGuiApplication) or text.
Status writeBulletin(const Bulletin &bulletin, const QString &path);

} // namespace pingyi::hq
