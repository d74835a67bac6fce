#pragma once
// Rosters of citizen representatives: the CSV the office prepares (docs/formats.md §Roster
// CSV), its validation against the activity spec, GB 11643 ID numbers, name masking, and a
// synthetic roster generator that follows the activity's category quotas.

#include "activity.h"
#include "result.h"

#include <QByteArray>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

namespace pingyi {

struct RosterEntry {
    int line = 0; ///< 1-based line in the CSV (header is line 1)
    QString repId; ///< synthetic representative id, [A-Za-z0-9-]{1,24}
    QString name; ///< full name (only the masked form is ever stored)
    QString idNumber; ///< 18-character resident ID number (never stored, only hashed)
    QString category; ///< Category::code
    QString venue; ///< Venue::code
    QStringList sessions; ///< GroupSession::code list (CSV: separated by ';')
    QString photo; ///< optional path to a photo (face enrolment, later issue)
};

namespace idnumber {
/// The GB 11643-1999 check character ('0'..'9' or 'X') for the first 17 digits.
QChar checkCharacter(QStringView first17);
/// Empty if `id` is a well-formed 18-character ID number (17 digits, a region code not
/// starting with 0, a real birth date from 1900-01-01 to `today`, the right check character,
/// upper-case X only); otherwise a reason that reads after "ID number ", e.g. "has a bad
/// check digit". The reason never contains the number or any part of it.
QString problem(const QString &id, QDate today);
/// problem() against today's date.
QString problem(const QString &id);
/// The canonical form of typed or imported input: trimmed, a final lower-case x made upper-case.
QString normalized(const QString &id);
inline bool isValid(const QString &id)
{
    return problem(id).isEmpty();
}
} // namespace idnumber

/// 张三 -> 张*, 张三明 -> 张*明, 欧阳小明 -> 欧**明.
QString maskName(const QString &name);

/// One record of a CSV file: its first physical line and its fields, trimmed.
struct CsvRow {
    int line = 0;
    QStringList fields;
};
/// The records of a UTF-8 CSV file (RFC 4180; a BOM and blank rows are dropped), read by the
/// same reader as rosters. On failure the error code is "csv-invalid" and the message lists
/// every syntax problem as "<origin>:<line>: <problem>" (values never quoted).
Result<QList<CsvRow>> readCsvRows(const QByteArray &csv, const QString &origin);
/// One CSV field as UTF-8, quoted (with doubled quotes) when it holds a comma, a quote or a
/// line break, or starts with U+FEFF (unquoted at the start of a file it would pass for the
/// byte order mark): what readCsvRows reads back.
QByteArray csvField(const QString &value);

/// Parses and validates a roster CSV against the activity. On failure the error code is
/// "roster-invalid" and the message lists every problem as "<origin>:<line>: <problem>"
/// (bad header, wrong column count, duplicate rep id, invalid or duplicate ID number,
/// unknown category/venue/session, session not held at the venue, more than one session).
Result<QList<RosterEntry>> parseRoster(const QByteArray &csv, const Activity &activity, const QString &origin);

/// One quota cell (Activity::quotaCells()) against a roster: `planned` is the quota, `found`
/// the representatives of the roster in it. A cell the plan does not have (a category at a
/// venue its `by_venue` does not name) appears with planned 0.
struct QuotaCheck {
    RosterQuota cell;
    qint64 planned = 0;
    qint64 found = 0;
    bool ok() const { return planned == found; }
    /// "d-community at shinan", "d-community at dongsheng in econ", "d-community at the district
    /// venues (total)": how reports and errors name the cell.
    QString name() const;
};

/// Every quota cell with the number of representatives found in it, in quotaCells() order,
/// then the cells the plan does not have.
QList<QuotaCheck> checkQuotas(const QList<RosterEntry> &entries, const Activity &activity);

/// A synthetic roster (CSV bytes with header) following the activity's category quotas:
/// count per quota cell = round(count * scale); a category's `by_venue` cells at their venue
/// (and session), otherwise city-level categories at the main venue and district-level ones
/// split evenly over the district venues; each representative in exactly one group session
/// held at their venue, balanced. Deterministic for a seed.
QByteArray synthRoster(const Activity &activity, quint64 seed, double scale);

} // namespace pingyi
