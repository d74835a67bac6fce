#include "roster.h"

#include "redact.h"

#include <QDate>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace pingyi {

namespace {

constexpr int kColumnsWithPhoto = 7;
constexpr int kColumnsWithoutPhoto = 6;
const char *const kHeaderColumns[kColumnsWithPhoto]
    = {"rep_id", "name", "id_number", "category", "venue", "sessions", "photo"};

bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

} // namespace

// ---------------------------------------------------------------------------------------------
// GB 11643-1999 resident ID numbers
// ---------------------------------------------------------------------------------------------

namespace idnumber {

QChar checkCharacter(QStringView first17)
{
    static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char checks[] = "10X98765432";
    if (first17.size() < 17)
        return {};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        const QChar c = first17.at(i);
        if (!isAsciiDigit(c))
            return {};
        sum += (c.unicode() - u'0') * weights[i];
    }
    return QChar::fromLatin1(checks[sum % 11]);
}

QString normalized(const QString &id)
{
    QString out = id.trimmed();
    if (out.size() == 18 && out.at(17) == u'x')
        out[17] = u'X';
    return out;
}

QString problem(const QString &id, QDate today)
{
    if (id.isEmpty())
        return QStringLiteral("is missing");
    if (id.size() == 15)
        return QStringLiteral("has 15 characters (an old first-generation number?); expected 18");
    if (id.size() != 18)
        return QStringLiteral("has %1 characters; expected 18").arg(id.size());
    for (int i = 0; i < 17; ++i) {
        if (!isAsciiDigit(id.at(i)))
            return QStringLiteral("has a non-digit among the first 17 characters");
    }
    const QChar last = id.at(17);
    if (last == u'x')
        return QStringLiteral("must end in a digit or an upper-case X");
    if (!isAsciiDigit(last) && last != u'X')
        return QStringLiteral("must end in a digit or X");
    if (id.at(0) == u'0')
        return QStringLiteral("has a bad region code (it must not start with 0)");
    const QDate birth(id.mid(6, 4).toInt(), id.mid(10, 2).toInt(), id.mid(12, 2).toInt());
    if (!birth.isValid())
        return QStringLiteral("has a birth date that does not exist");
    if (birth < QDate(1900, 1, 1))
        return QStringLiteral("has a birth date before 1900");
    if (today.isValid() && birth > today)
        return QStringLiteral("has a birth date in the future");
    if (checkCharacter(QStringView(id).left(17)) != last)
        return QStringLiteral("has a bad check digit");
    return {};
}

QString problem(const QString &id)
{
    return problem(id, QDate::currentDate());
}

} // namespace idnumber

// ---------------------------------------------------------------------------------------------
// Name masking
// ---------------------------------------------------------------------------------------------

QString maskName(const QString &name)
{
    // Code points, not UTF-16 units: a name with a supplementary-plane character (rare
    // characters in some family names) must still keep exactly one visible character at each end.
    const QList<uint> cps = name.toUcs4();
    const qsizetype n = cps.size();
    if (n == 0)
        return {};
    if (n == 1)
        return QStringLiteral("*");
    const auto fromCp = [](uint cp) {
        const char32_t c = cp;
        return QString::fromUcs4(&c, 1);
    };
    QString out = fromCp(cps.first());
    if (n == 2)
        return out + u'*';
    out += QString(n - 2, u'*');
    out += fromCp(cps.last());
    return out;
}

// ---------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------

namespace {

struct Problem {
    int line = 0;
    QString text;
};

struct CsvRecord {
    int line = 0; ///< physical line where the record starts
    QStringList fields; ///< untrimmed
    bool hadQuotes = false;
    bool unterminated = false; ///< a quoted field ran to the end of the file
};

/// RFC 4180 reader over decoded text. Line endings: LF or CRLF (also inside quoted fields,
/// where they become LF). Syntax problems are appended to `problems`; the reader recovers
/// and keeps going so that every problem in the file is reported at once.
QList<CsvRecord> readCsv(const QString &text, QList<Problem> &problems)
{
    QList<CsvRecord> records;
    const qsizetype n = text.size();
    qsizetype pos = 0;
    int line = 1;
    while (pos < n) {
        CsvRecord rec;
        rec.line = line;
        bool endOfRecord = false;
        while (!endOfRecord) {
            QString field;
            const int column = int(rec.fields.size()) + 1;
            // Spaces before an opening quote are tolerated (some tools write `a, "b"`).
            qsizetype look = pos;
            while (look < n && (text.at(look) == u' ' || text.at(look) == u'\t'))
                ++look;
            if (look < n && text.at(look) == u'"') {
                rec.hadQuotes = true;
                const int fieldLine = line;
                pos = look + 1;
                bool closed = false;
                while (pos < n) {
                    const QChar c = text.at(pos);
                    if (c == u'"') {
                        if (pos + 1 < n && text.at(pos + 1) == u'"') {
                            field += u'"';
                            pos += 2;
                            continue;
                        }
                        ++pos;
                        closed = true;
                        break;
                    }
                    if (c == u'\n') {
                        // A line break in a field reads as one '\n' however it was written
                        // (LF, CRLF, CR CR LF): csvField can write every value read back.
                        while (field.endsWith(u'\r'))
                            field.chop(1);
                        ++line;
                    }
                    field += c;
                    ++pos;
                }
                if (!closed) {
                    rec.unterminated = true;
                    problems.append({fieldLine,
                                     QStringLiteral("column %1: a quoted field is never closed "
                                                    "(a \" is missing)")
                                         .arg(column)});
                }
                // After the closing quote only spaces may come before the delimiter.
                bool junk = false;
                while (pos < n && text.at(pos) != u',' && text.at(pos) != u'\n') {
                    const QChar c = text.at(pos);
                    if (c != u' ' && c != u'\t' && !(c == u'\r' && pos + 1 < n && text.at(pos + 1) == u'\n'))
                        junk = true;
                    ++pos;
                }
                if (junk) {
                    problems.append({line,
                                     QStringLiteral("column %1: text after the closing quote "
                                                    "(quote the whole field and write \"\" for a "
                                                    "quote inside it)")
                                         .arg(column)});
                }
            } else {
                const qsizetype start = pos;
                while (pos < n && text.at(pos) != u',' && text.at(pos) != u'\n')
                    ++pos;
                field = text.mid(start, pos - start);
                if (field.endsWith(u'\r'))
                    field.chop(1);
                if (field.contains(u'"')) {
                    problems.append({line,
                                     QStringLiteral("column %1: a quote inside an unquoted field "
                                                    "(quote the whole field and write \"\" for a "
                                                    "quote inside it)")
                                         .arg(column)});
                }
            }
            rec.fields.append(field);
            if (pos >= n) {
                endOfRecord = true;
            } else if (text.at(pos) == u',') {
                ++pos;
                if (pos >= n) // "a,b," at the very end: the trailing empty field still counts
                    rec.fields.append(QString());
            } else { // '\n'
                ++pos;
                ++line;
                endOfRecord = true;
            }
        }
        records.append(rec);
    }
    return records;
}

/// A record with nothing but whitespace in every field: an empty line, or `,,,,,,` as
/// spreadsheets write for an empty row.
bool isBlank(const CsvRecord &rec)
{
    if (rec.hadQuotes)
        return false;
    return std::all_of(rec.fields.cbegin(), rec.fields.cend(), [](const QString &f) { return f.trimmed().isEmpty(); });
}

/// A value from the file in quotes, fit for an error message (redact.h: a number that could
/// be an ID number or a PIN, typed in any form, is hidden).
QString quoted(const QString &value)
{
    return quoteInput(value);
}

QString codeList(const QStringList &codes)
{
    return codes.join(QStringLiteral(", "));
}

/// Where the valid codes of one kind come from: the list itself when short enough to read in
/// one line, otherwise the place in the activity spec.
QString validCodesHint(const QString &specKey, const QStringList &codes)
{
    if (codes.isEmpty())
        return QStringLiteral("the activity spec defines no %1").arg(specKey);
    if (codes.size() <= 12)
        return QStringLiteral("valid codes from the activity spec's \"%1\": %2").arg(specKey, codeList(codes));
    return QStringLiteral("valid codes are those in the activity spec's \"%1\"").arg(specKey);
}

/// 15 to 18 digits, however written (full-width, with spaces or dashes): an old or a new ID
/// number, in a column where it does not belong.
bool looksLikeIdNumber(const QString &s)
{
    const qsizetype digits = longestDigitRun(s);
    return digits >= 15 && digits <= 18;
}

QString formatProblems(const QString &origin, QList<Problem> problems)
{
    std::stable_sort(problems.begin(), problems.end(),
                     [](const Problem &a, const Problem &b) { return a.line < b.line; });
    QString msg = problems.size() == 1
        ? QStringLiteral("%1: the roster has 1 problem:").arg(origin)
        : QStringLiteral("%1: the roster has %2 problems:").arg(origin).arg(problems.size());
    for (const Problem &p : problems)
        msg += QStringLiteral("\n%1:%2: %3").arg(origin).arg(p.line).arg(p.text);
    return msg;
}

} // namespace

Result<QList<CsvRow>> readCsvRows(const QByteArray &csv, const QString &origin)
{
    QByteArray bytes = csv;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    QList<Problem> problems;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        problems.append({1, QStringLiteral("the file is not valid UTF-8 text; save it as \"CSV UTF-8\"")});
        return makeError(
            QStringLiteral("csv-invalid"),
            formatProblems(origin, problems).replace(QStringLiteral("the roster has"), QStringLiteral("the file has")));
    }
    QList<CsvRecord> records = readCsv(text, problems);
    records.removeIf(isBlank);
    if (!problems.isEmpty())
        return makeError(
            QStringLiteral("csv-invalid"),
            formatProblems(origin, problems).replace(QStringLiteral("the roster has"), QStringLiteral("the file has")));
    QList<CsvRow> rows;
    rows.reserve(records.size());
    for (const CsvRecord &r : std::as_const(records)) {
        CsvRow row {r.line, {}};
        for (const QString &f : r.fields)
            row.fields.append(f.trimmed());
        rows.append(row);
    }
    return rows;
}

// ---------------------------------------------------------------------------------------------
// Roster parsing and validation
// ---------------------------------------------------------------------------------------------

Result<QList<RosterEntry>> parseRoster(const QByteArray &csv, const Activity &activity, const QString &origin)
{
    QList<Problem> problems;
    const auto fail = [&]() {
        return Result<QList<RosterEntry>>(
            makeError(QStringLiteral("roster-invalid"), formatProblems(origin, problems)));
    };

    QByteArray bytes = csv;
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);

    // Spreadsheets on Chinese Windows save CSV as GBK by default: say so plainly instead of
    // reporting garbled names. On error, decode line by line to name the first bad line.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    if (decoder.hasError()) {
        int line = 1;
        for (const QByteArray &l : bytes.split('\n')) {
            QStringDecoder lineDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            [[maybe_unused]] const QString decoded = lineDecoder.decode(l);
            if (lineDecoder.hasError())
                break;
            ++line;
        }
        problems.append({line,
                         QStringLiteral("the file is not valid UTF-8 text (first bad byte on this "
                                        "line); save it as \"CSV UTF-8\": GBK and UTF-16 are not "
                                        "accepted")});
        return fail();
    }

    QList<CsvRecord> records = readCsv(text, problems);
    records.removeIf(isBlank);
    if (records.isEmpty()) {
        problems.append({1,
                         QStringLiteral("the file is empty; expected the header line "
                                        "\"rep_id,name,id_number,category,venue,sessions,photo\" "
                                        "followed by one line per representative")});
        return fail();
    }

    // Header: exact column names in this order; the photo column may be left out.
    const CsvRecord header = records.takeFirst();
    const qsizetype columns = header.fields.size();
    {
        QString why;
        if (columns != kColumnsWithPhoto && columns != kColumnsWithoutPhoto) {
            why = QStringLiteral("expected 7 columns, or 6 without photo; found %1").arg(columns);
        } else {
            for (qsizetype i = 0; i < columns; ++i) {
                if (header.fields.at(i).trimmed() != QLatin1String(kHeaderColumns[i])) {
                    why = QStringLiteral("column %1 should be \"%2\"").arg(i + 1).arg(QLatin1String(kHeaderColumns[i]));
                    break;
                }
            }
        }
        if (!why.isEmpty()) {
            // The found text is not quoted: a missing header means the first line is a
            // representative's row, with an ID number in it.
            problems.append({header.line,
                             QStringLiteral("missing or bad header (%1); the first line must be "
                                            "\"rep_id,name,id_number,category,venue,sessions,photo\" "
                                            "(the photo column is optional)")
                                 .arg(why)});
            return fail();
        }
    }
    if (records.isEmpty()) {
        problems.append({header.line, QStringLiteral("no representatives: the file has a header but no rows")});
        return fail();
    }

    QStringList categoryCodes, venueCodes, sessionCodes;
    for (const Category &c : activity.categories)
        categoryCodes.append(c.code);
    for (const Venue &v : activity.venues)
        venueCodes.append(v.code);
    for (const GroupSession &s : activity.sessions)
        sessionCodes.append(s.code);
    const QString categoryHint = validCodesHint(QStringLiteral("categories"), categoryCodes);
    const QString venueHint = validCodesHint(QStringLiteral("venues"), venueCodes);
    const QString sessionHint = validCodesHint(QStringLiteral("sessions"), sessionCodes);
    const auto isControl = [](QChar c) {
        return c.category() == QChar::Other_Control;
    };

    static const QRegularExpression repIdRe(QStringLiteral("^[A-Za-z0-9-]{1,24}$"));
    QHash<QString, std::pair<int, QString>> repIdLines; // lower-case id -> (line, as written)
    QHash<QString, std::pair<int, QStringList>> idNumberLines; // ID number -> (line, sessions)
    const QDate today = QDate::currentDate();
    QList<RosterEntry> entries;
    entries.reserve(records.size());

    for (const CsvRecord &rec : std::as_const(records)) {
        const int line = rec.line;
        const auto report = [&](const QString &text) {
            problems.append({line, text});
        };
        if (rec.unterminated) // already reported; its columns are meaningless
            continue;
        if (rec.fields.size() != columns) {
            report(QStringLiteral("expected %1 columns as in the header, found %2 (a comma inside a "
                                  "value needs the value in quotes)")
                       .arg(columns)
                       .arg(rec.fields.size()));
            continue;
        }
        RosterEntry e;
        e.line = line;
        e.repId = rec.fields.at(0).trimmed();
        e.name = rec.fields.at(1).trimmed();
        e.idNumber = idnumber::normalized(rec.fields.at(2));
        e.category = rec.fields.at(3).trimmed();
        e.venue = rec.fields.at(4).trimmed();
        if (columns == kColumnsWithPhoto)
            e.photo = rec.fields.at(6).trimmed();
        for (const QString &s : rec.fields.at(5).split(u';')) {
            const QString code = s.trimmed();
            if (!code.isEmpty())
                e.sessions.append(code);
        }

        // rep_id
        if (e.repId.isEmpty()) {
            report(QStringLiteral("empty rep_id"));
        } else if (looksLikeIdNumber(e.repId)) {
            report(QStringLiteral("rep_id looks like a resident ID number; use a synthetic id such as "
                                  "R00001 (rep ids are shown to staff and kept in packages)"));
        } else if (!repIdRe.match(e.repId).hasMatch()) {
            report(QStringLiteral("bad rep_id: use 1 to 24 characters from A-Z, a-z, 0-9 and -"));
        } else {
            const QString key = e.repId.toLower();
            const auto it = repIdLines.constFind(key);
            if (it != repIdLines.cend()) {
                if (it->second == e.repId) {
                    report(QStringLiteral("duplicate rep_id %1 (first used on line %2)")
                               .arg(quoted(e.repId))
                               .arg(it->first));
                } else {
                    report(QStringLiteral("duplicate rep_id %1 (first used on line %2 as %3; rep ids are "
                                          "compared ignoring case)")
                               .arg(quoted(e.repId))
                               .arg(it->first)
                               .arg(quoted(it->second)));
                }
            } else {
                repIdLines.insert(key, {line, e.repId});
            }
        }

        // name
        if (e.name.isEmpty()) {
            report(QStringLiteral("empty name"));
        } else if (std::any_of(e.name.cbegin(), e.name.cend(), isControl)) {
            // A line break in a name would end up on printed invitation cards and receipts.
            report(QStringLiteral("name contains a line break or another control character"));
        } else if (longestDigitRun(e.name) >= 6) {
            // Its masked form would still print digits of it on cards and kiosk screens.
            report(QStringLiteral("name holds a long number (an ID number in the wrong column?): the name column "
                                  "is the representative's full name"));
        }

        // id_number: never quoted, not even in part.
        const QString idProblem = idnumber::problem(e.idNumber, today);
        if (!idProblem.isEmpty()) {
            report(QStringLiteral("ID number %1").arg(idProblem));
        } else {
            const auto it = idNumberLines.constFind(e.idNumber);
            if (it == idNumberLines.cend())
                idNumberLines.insert(e.idNumber, {line, e.sessions});
            else if (it->second.size() == 1 && e.sessions.size() == 1 && it->second != e.sessions)
                // The plans' rule 避免同一名市民代表重复参加多个组的评议; the kiosk also finds a
                // representative by the ID number, so one number can only ever be one row.
                report(QStringLiteral("the same ID number as on line %1 but another group session: one representative "
                                      "sits in one group only (避免同一名市民代表重复参加多个组的评议); keep one of "
                                      "the two rows")
                           .arg(it->first));
            else
                report(QStringLiteral("duplicate ID number (the same as on line %1)").arg(it->first));
        }

        // category
        if (e.category.isEmpty())
            report(QStringLiteral("empty category (%1)").arg(categoryHint));
        else if (!categoryCodes.contains(e.category))
            report(QStringLiteral("unknown category %1 (%2)").arg(quoted(e.category), categoryHint));

        // venue
        const bool venueKnown = venueCodes.contains(e.venue);
        if (e.venue.isEmpty())
            report(QStringLiteral("empty venue (%1)").arg(venueHint));
        else if (!venueKnown)
            report(QStringLiteral("unknown venue %1 (%2)").arg(quoted(e.venue), venueHint));

        // sessions: exactly one, known, held at the venue
        if (e.sessions.isEmpty()) {
            report(QStringLiteral("no session: name the one group session this representative sits in "
                                  "(%1)")
                       .arg(sessionHint));
        } else if (e.sessions.size() > 1) {
            report(QStringLiteral("a representative may sit in only one group session; found %1: %2")
                       .arg(e.sessions.size())
                       .arg(safeToPrint(e.sessions.join(u';'))));
        }
        for (const QString &s : std::as_const(e.sessions)) {
            if (!sessionCodes.contains(s)) {
                report(QStringLiteral("unknown session %1 (%2)").arg(quoted(s), sessionHint));
            } else if (venueKnown && !activity.sessionHeldAt(s, e.venue)) {
                const GroupSession *gs = activity.session(s);
                report(QStringLiteral("session \"%1\" is not held at venue \"%2\" (the activity spec holds "
                                      "it at: %3)")
                           .arg(s, e.venue, gs ? codeList(gs->venues) : QString()));
            }
        }
        entries.append(e);
    }

    if (!problems.isEmpty())
        return fail();
    return entries;
}

// ---------------------------------------------------------------------------------------------
// Quotas
// ---------------------------------------------------------------------------------------------

QString QuotaCheck::name() const
{
    QString out = cell.category + QStringLiteral(" at ");
    out += cell.venue.isEmpty() ? QStringLiteral("the district venues (total)") : cell.venue;
    if (!cell.session.isEmpty())
        out += QStringLiteral(" in ") + cell.session;
    return out;
}

QList<QuotaCheck> checkQuotas(const QList<RosterEntry> &entries, const Activity &activity)
{
    QList<QuotaCheck> checks;
    for (const RosterQuota &q : activity.quotaCells())
        checks.append({q, q.count, 0});
    const qsizetype planned = checks.size();
    // Most specific first: the category's cell for the venue and session, for the venue, then
    // the district total.
    const auto find = [&](const QString &category, const QString &venue, const QString &session) -> qsizetype {
        for (qsizetype i = 0; i < checks.size(); ++i) {
            const RosterQuota &q = checks.at(i).cell;
            if (q.category == category && q.venue == venue && q.session == session)
                return i;
        }
        return -1;
    };
    for (const RosterEntry &e : entries) {
        const QString session = e.sessions.value(0);
        qsizetype i = find(e.category, e.venue, session);
        if (i < 0)
            i = find(e.category, e.venue, QString());
        if (i < 0) {
            const Venue *v = activity.venue(e.venue);
            const Category *c = activity.category(e.category);
            if (v && c && c->cells.isEmpty() && v->kind == Venue::Kind::District)
                i = find(e.category, QString(), QString());
        }
        if (i < 0 || i >= planned) {
            // Outside the plan: a cell of its own, by session when the plan splits this venue
            // by session.
            const Category *c = activity.category(e.category);
            const bool bySession = c && std::any_of(c->cells.cbegin(), c->cells.cend(), [&](const QuotaCell &cell) {
                                       return cell.venue == e.venue && !cell.session.isEmpty();
                                   });
            const QString s = bySession ? session : QString();
            i = find(e.category, e.venue, s);
            if (i < 0) {
                checks.append({RosterQuota {e.category, e.venue, s, 0}, 0, 0});
                i = checks.size() - 1;
            }
        }
        ++checks[i].found;
    }
    return checks;
}

// ---------------------------------------------------------------------------------------------
// Synthetic rosters
// ---------------------------------------------------------------------------------------------

namespace {

/// Uniform integers from mt19937_64 by rejection. std::uniform_int_distribution is not used
/// because its algorithm differs between standard libraries, and a seed must give the same
/// roster everywhere (benchmarks and demos quote seeds).
class Rng {
public:
    explicit Rng(quint64 seed) : m_gen(seed) { }
    quint64 below(quint64 n)
    {
        const quint64 limit = std::numeric_limits<quint64>::max() - std::numeric_limits<quint64>::max() % n;
        quint64 r;
        do {
            r = m_gen();
        } while (r >= limit);
        return r % n;
    }
    template<typename T, size_t N> const T &pick(const T (&items)[N]) { return items[below(N)]; }

private:
    std::mt19937_64 m_gen;
};

// Common single-character surnames, weighted by repetition of the most frequent ones, plus a
// few typical of Shandong.
const char16_t *const kSurnames[] = {
    u"王", u"王", u"王", u"李", u"李", u"李", u"张", u"张", u"张", u"刘", u"刘", u"陈", u"陈", u"杨", u"杨",
    u"赵", u"黄", u"周", u"吴", u"徐", u"孙", u"孙", u"马", u"胡", u"朱", u"郭", u"何", u"林", u"高", u"罗",
    u"郑", u"梁", u"谢", u"宋", u"唐", u"许", u"韩", u"冯", u"邓", u"曹", u"彭", u"曾", u"肖", u"田", u"董",
    u"袁", u"潘", u"于", u"于", u"蒋", u"蔡", u"余", u"杜", u"叶", u"程", u"苏", u"魏", u"吕", u"丁", u"任",
    u"沈", u"姚", u"卢", u"姜", u"姜", u"崔", u"钟", u"谭", u"陆", u"汪", u"范", u"金", u"石", u"廖", u"贾",
    u"夏", u"付", u"方", u"白", u"邹", u"孟", u"熊", u"秦", u"邱", u"江", u"尹", u"薛", u"段", u"雷", u"侯",
    u"史", u"陶", u"毛", u"郝", u"邵", u"万", u"严", u"武", u"戴", u"孔", u"曲", u"隋", u"宫", u"栾", u"臧",
    u"修", u"逄", u"矫", u"綦", u"房", u"纪", u"鞠", u"刁", u"牟",
};
const char16_t *const kCompoundSurnames[] = {
    u"欧阳", u"司马", u"上官", u"诸葛", u"东方", u"皇甫", u"慕容", u"令狐", u"公孙", u"夏侯",
};
const char16_t kGivenChars[] = u"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏飞斌波宁海燕晨鑫宇浩凯"
                               u"婷雪琳晶欣佳丹颖倩慧俊峰鸿志国庆春梅兰凤新宏林东亮成龙云彬帅昊博然悦睿泽子梓轩怡思雨嘉"
                               u"航乐诗晓振永德福荣";

QString synthName(Rng &rng)
{
    QString name;
    // About one in a hundred people has a two-character surname.
    if (rng.below(100) == 0)
        name = QString::fromUtf16(rng.pick(kCompoundSurnames));
    else
        name = QString::fromUtf16(rng.pick(kSurnames));
    constexpr quint64 givenCount = std::size(kGivenChars) - 1; // without the terminator
    const int givenLength = rng.below(100) < 35 ? 1 : 2;
    for (int i = 0; i < givenLength; ++i)
        name += QChar(kGivenChars[rng.below(givenCount)]);
    return name;
}

/// GB/T 2260 county codes of the Qingdao districts, by the venue codes the Qingdao example
/// uses. Other venues fall back to the city's own code: a synthetic number only needs to be
/// well-formed.
QString regionCode(const QString &venue)
{
    static constexpr std::pair<const char *, const char *> codes[] = {
        {"main", "370200"},     {"shinan", "370202"}, {"shibei", "370203"},    {"huangdao", "370211"},
        {"laoshan", "370212"},  {"licang", "370213"}, {"chengyang", "370214"}, {"jimo", "370215"},
        {"jiaozhou", "370281"}, {"pingdu", "370283"}, {"laixi", "370285"},
    };
    for (const auto &[code, region] : codes) {
        if (venue == QLatin1String(code))
            return QString::fromLatin1(region);
    }
    return QStringLiteral("370200");
}

QString synthIdNumber(Rng &rng, const QString &venue, QSet<QString> &used)
{
    static const qint64 firstDay = QDate(1950, 1, 1).toJulianDay();
    static const qint64 lastDay = QDate(2004, 12, 31).toJulianDay();
    const QString region = regionCode(venue);
    for (;;) {
        const QDate birth = QDate::fromJulianDay(firstDay + qint64(rng.below(quint64(lastDay - firstDay + 1))));
        const int sequence = int(rng.below(999)) + 1; // 001..999
        QString id = region + birth.toString(u"yyyyMMdd") + QStringLiteral("%1").arg(sequence, 3, 10, QLatin1Char('0'));
        id += idnumber::checkCharacter(id);
        if (!used.contains(id)) {
            used.insert(id);
            return id;
        }
    }
}

} // namespace

QByteArray csvField(const QString &value)
{
    QByteArray bytes = value.toUtf8();
    // A leading U+FEFF unquoted would be taken for the file's byte order mark and dropped.
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')
        || bytes.startsWith("\xEF\xBB\xBF"))
        return '"' + bytes.replace("\"", "\"\"") + '"';
    return bytes;
}

QByteArray synthRoster(const Activity &activity, quint64 seed, double scale)
{
    // Bounded so a typo cannot ask for billions of rows (100 × Qingdao is 303 000).
    if (!std::isfinite(scale) || scale <= 0.0 || scale > 100.0)
        return {};

    // Venues that can host a representative: at least one group session is held there.
    QList<const Venue *> usable;
    QHash<QString, QStringList> sessionsAt;
    for (const Venue &v : activity.venues) {
        QStringList held;
        for (const GroupSession &s : activity.sessions) {
            if (activity.sessionHeldAt(s.code, v.code))
                held.append(s.code);
        }
        if (!held.isEmpty()) {
            usable.append(&v);
            sessionsAt.insert(v.code, held);
        }
    }
    QList<const Venue *> mains, districts;
    for (const Venue *v : std::as_const(usable))
        (v->kind == Venue::Kind::Main ? mains : districts).append(v);
    // Fallbacks for specs without one kind of venue, so every quota still lands somewhere.
    if (mains.isEmpty())
        mains = districts;
    if (districts.isEmpty())
        districts = mains;

    // Per venue, the categories' head counts (and the session when the plan fixes it), in
    // spec order.
    struct Share {
        const Category *category = nullptr;
        qint64 count = 0;
        QString session; ///< empty: round-robin over the venue's sessions
    };
    QHash<const Venue *, QList<Share>> plan;
    qint64 remainderOffset = 0;
    for (const Category &c : activity.categories) {
        if (!c.cells.isEmpty()) {
            for (const QuotaCell &cell : c.cells) {
                const qint64 n = std::llround(double(cell.count) * scale);
                const auto v = std::find_if(usable.cbegin(), usable.cend(),
                                            [&](const Venue *x) { return x->code == cell.venue; });
                if (n > 0 && v != usable.cend())
                    plan[*v].append({&c, n, cell.session});
            }
            continue;
        }
        const qint64 count = std::llround(double(c.quota) * scale);
        if (count <= 0)
            continue;
        if (c.level == QLatin1String("city")) {
            if (!mains.isEmpty())
                plan[mains.first()].append({&c, count, QString()});
            continue;
        }
        if (districts.isEmpty())
            continue;
        // Even split; the remainder goes to the next venues in a rotation that carries over
        // from one category to the next, so no district is always the one with more.
        const qint64 d = districts.size();
        const qint64 base = count / d;
        const qint64 rest = count % d;
        for (qint64 i = 0; i < d; ++i) {
            const bool extra = ((i - remainderOffset) % d + d) % d < rest;
            const qint64 n = base + (extra ? 1 : 0);
            if (n > 0)
                plan[districts.at(i)].append({&c, n, QString()});
        }
        remainderOffset = (remainderOffset + rest) % d;
    }

    Rng rng(seed);
    QSet<QString> usedIds;
    QByteArray out("rep_id,name,id_number,category,venue,sessions,photo\n");
    int serial = 0;
    for (const Venue *v : std::as_const(usable)) {
        const auto it = plan.constFind(v);
        if (it == plan.cend())
            continue;
        // Round-robin over the venue's sessions while walking the venue's representatives in
        // category order: each session gets an even share of every category, and the session
        // sizes differ by at most one. The starting session is drawn from the seed.
        const QStringList &held = sessionsAt.value(v->code);
        quint64 turn = rng.below(quint64(held.size()));
        for (const Share &share : *it) {
            for (qint64 k = 0; k < share.count; ++k) {
                const QString repId = QStringLiteral("R%1").arg(++serial, 5, 10, QLatin1Char('0'));
                const QString name = synthName(rng);
                const QString id = synthIdNumber(rng, v->code, usedIds);
                const QString &session
                    = share.session.isEmpty() ? held.at(qsizetype(turn++ % quint64(held.size()))) : share.session;
                out += csvField(repId) + ',' + csvField(name) + ',' + csvField(id) + ','
                    + csvField(share.category->code) + ',' + csvField(v->code) + ',' + csvField(session) + ",\n";
            }
        }
    }
    return out;
}

} // namespace pingyi
