// Parsing and validation of the activity spec (docs/formats.md, section Activity spec).
#include "activity.h"

#include "identity.h"
#include "redact.h"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>
#include <QTime>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <optional>
#include <utility>

namespace pingyi {

namespace {

constexpr QLatin1String kFormat("pingyi-activity/v1");
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
constexpr int kMaxCodeLength = 40;
constexpr int kMaxQuota = 100000; // per category; Qingdao's largest is 600
constexpr int kMaxThreshold = 100000; // more ballots than any activity has: everything merged
constexpr int kMaxScore = 100; // a rating option's score, and the satisfied threshold

/// A value from the spec, in quotes and fit for a message (redact.h).
QString quoted(const QString &s)
{
    return quoteInput(s);
}

/// An unknown or repeated key as it appears in a path: printable, numbers hidden.
QString printableKey(const QString &key)
{
    return safeToPrint(key, 60);
}

/// A whole number from JSON as the user wrote it (2147483648, not 2.14748e+09).
QString numberText(double d)
{
    if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 1e15)
        return QString::number(qint64(d));
    return QString::number(d, 'g', 6);
}

/// Why `s` cannot be a name, label or text in a spec: these are shown on kiosk screens,
/// printed on cards and ballots, and compared by eye, so invisible or reordering characters
/// (which could make two names look alike, or a label read backwards) and broken text are
/// refused. Empty when every character is fine.
QString badCharacter(const QString &s)
{
    qsizetype position = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        ++position;
        const QChar c = s.at(i);
        char32_t cp = c.unicode();
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(c, s.at(i + 1));
            ++i;
        }
        QString what;
        if (cp == 0)
            what = QStringLiteral("a NUL character");
        else if (QChar::isSurrogate(cp))
            what = QStringLiteral("half of a surrogate pair (a broken \\u escape)");
        else if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
            what = QStringLiteral("a Unicode noncharacter");
        else if (cp == 0xFFFD)
            what = QStringLiteral("a replacement character (the file was not valid UTF-8 when it was made)");
        else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                 || cp == 0x061C)
            what = QStringLiteral("a bidirectional control character (it reorders the text around it)");
        else if (QChar::category(cp) == QChar::Other_Control)
            what = QStringLiteral("a control character (a line break, tab or similar)");
        else if (QChar::category(cp) == QChar::Separator_Line || QChar::category(cp) == QChar::Separator_Paragraph)
            what = QStringLiteral("a line or paragraph separator");
        else if (QChar::category(cp) == QChar::Other_Format)
            what = QStringLiteral("an invisible formatting character");
        if (!what.isEmpty()) {
            return QStringLiteral("contains %1, U+%2, at character %3: remove it (names and texts must be plain "
                                  "visible text)")
                .arg(what, QStringLiteral("%1").arg(uint(cp), 4, 16, QLatin1Char('0')).toUpper())
                .arg(position);
        }
    }
    return {};
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString at(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

/// "a string", "an array", ... for "expected X, found Y" messages.
QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("true/false");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

/// [a-z0-9][a-z0-9._-]{0,39}: codes end up in ballots, CSV columns and file names.
bool isCode(const QString &s)
{
    if (s.isEmpty() || s.size() > kMaxCodeLength)
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s.at(i).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'.' && c != u'_' && c != u'-')))
            return false;
    }
    return true;
}

/// [a-z0-9-]{1,40}: the activity id appears in file names and signed headers.
bool isActivityId(const QString &s)
{
    if (s.isEmpty() || s.size() > kMaxCodeLength)
        return false;
    return std::all_of(s.cbegin(), s.cend(), [](QChar ch) {
        const char16_t c = ch.unicode();
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1), cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int subst = prev[j - 1] + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

enum class Need { Required, Optional };

/// Collects every problem of a spec, so one run of `activity check` shows them all.
class Checker {
public:
    explicit Checker(QString origin) : m_origin(std::move(origin)) { }

    void problem(const QString &path, const QString &what)
    {
        m_problems << m_origin + QStringLiteral(": ") + (path.isEmpty() ? QStringLiteral("$") : path)
                + QStringLiteral(": ") + what;
    }
    const QStringList &problems() const { return m_problems; }

    /// Reports keys that are not in `known` (typos would otherwise be silently ignored).
    void checkKeys(const QJsonObject &o, const QString &path, std::initializer_list<const char *> known)
    {
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            const QString key = it.key();
            // A known key needs no suggestion: edit distances only for an unknown one.
            if (std::any_of(known.begin(), known.end(), [&](const char *k) { return key == QLatin1String(k); }))
                continue;
            QString best;
            int bestDistance = std::numeric_limits<int>::max();
            for (const char *k : known) {
                const QString candidate = QLatin1String(k);
                const int d = editDistance(key, candidate);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
            if (bestDistance <= 2)
                problem(join(path, printableKey(key)),
                        QStringLiteral("unknown key (did you mean %1?)").arg(quoted(best)));
            else
                problem(join(path, printableKey(key)), QStringLiteral("unknown key"));
        }
    }

    /// The field's value, or nullopt after reporting it missing (when required) or mistyped.
    std::optional<QString> string(const QJsonObject &o, const QString &path, const char *key, Need need)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (need == Need::Required)
                problem(join(path, QLatin1String(key)), QStringLiteral("required field is missing"));
            return std::nullopt;
        }
        if (!v.isString()) {
            problem(join(path, QLatin1String(key)), QStringLiteral("expected a string, found ") + typeName(v));
            return std::nullopt;
        }
        const QString s = v.toString();
        if (const QString bad = badCharacter(s); !bad.isEmpty()) {
            problem(join(path, QLatin1String(key)), bad);
            return std::nullopt;
        }
        return s;
    }

    /// A name, label or text: shown on screens, printed on ballots and embedded in every
    /// package, so never a person's data. (Codes may be all digits: an office may number
    /// its departments.)
    std::optional<QString> freeText(const QJsonObject &o, const QString &path, const char *key, Need need)
    {
        std::optional<QString> s = string(o, path, key, need);
        if (s && longestDigitRun(*s) >= 15) {
            problem(join(path, QLatin1String(key)),
                    QStringLiteral("holds a number that looks like a resident ID number: a spec holds no personal "
                                   "data, remove it"));
            return std::nullopt;
        }
        return s;
    }

    /// A required string that must contain more than white space.
    QString text(const QJsonObject &o, const QString &path, const char *key)
    {
        const std::optional<QString> s = freeText(o, path, key, Need::Required);
        if (!s)
            return {};
        if (s->trimmed().isEmpty())
            problem(join(path, QLatin1String(key)), QStringLiteral("must not be empty"));
        return *s;
    }

    QString optionalText(const QJsonObject &o, const QString &path, const char *key)
    {
        return freeText(o, path, key, Need::Optional).value_or(QString());
    }

    QString code(const QJsonObject &o, const QString &path, const char *key = "code")
    {
        const std::optional<QString> s = string(o, path, key, Need::Required);
        if (!s)
            return {};
        if (!isCode(*s)) {
            problem(join(path, QLatin1String(key)),
                    QStringLiteral("%1 is not a valid code (1 to 40 characters a-z, 0-9, '.', '_', '-', "
                                   "starting with a letter or digit)")
                        .arg(quoted(*s)));
            return {};
        }
        return *s;
    }

    /// A whole number from `min` to `max`. Out of range, the message is `outOfRange` with %1
    /// the value found, by default "must be between <min> and <max>, found %1".
    std::optional<int> integer(const QJsonObject &o, const QString &path, const char *key, Need need, int min, int max,
                               const QString &outOfRange = {})
    {
        const QJsonValue v = o.value(QLatin1String(key));
        const QString p = join(path, QLatin1String(key));
        if (v.isUndefined()) {
            if (need == Need::Required)
                problem(p, QStringLiteral("required field is missing"));
            return std::nullopt;
        }
        if (!v.isDouble()) {
            problem(p, QStringLiteral("expected a whole number, found ") + typeName(v));
            return std::nullopt;
        }
        const double d = v.toDouble();
        if (d != std::floor(d)) {
            problem(p, QStringLiteral("expected a whole number, found %1").arg(d));
            return std::nullopt;
        }
        if (d < min || d > max) {
            const QString range = outOfRange.isEmpty()
                ? QStringLiteral("must be between %1 and %2, found %3").arg(min).arg(max).arg(QStringLiteral("%1"))
                : outOfRange;
            problem(p, range.arg(numberText(d)));
            return std::nullopt;
        }
        return int(d);
    }

    /// An optional number from `min` to `max` (fractions allowed).
    std::optional<double> number(const QJsonObject &o, const QString &path, const char *key, double min, double max)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        const QString p = join(path, QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isDouble()) {
            problem(p, QStringLiteral("expected a number, found ") + typeName(v));
            return std::nullopt;
        }
        const double d = v.toDouble();
        if (!(d >= min && d <= max)) {
            problem(p, QStringLiteral("must be between %1 and %2, found %3").arg(min).arg(max).arg(numberText(d)));
            return std::nullopt;
        }
        return d;
    }

    std::optional<bool> boolean(const QJsonObject &o, const QString &path, const char *key)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isBool()) {
            problem(join(path, QLatin1String(key)), QStringLiteral("expected true or false, found ") + typeName(v));
            return std::nullopt;
        }
        return v.toBool();
    }

    std::optional<QJsonArray> array(const QJsonObject &o, const QString &path, const char *key, Need need)
    {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (need == Need::Required)
                problem(join(path, QLatin1String(key)), QStringLiteral("required field is missing"));
            return std::nullopt;
        }
        if (!v.isArray()) {
            problem(join(path, QLatin1String(key)), QStringLiteral("expected an array, found ") + typeName(v));
            return std::nullopt;
        }
        return v.toArray();
    }

    /// A required array with at least `min` elements (`what` names them in the message).
    std::optional<QJsonArray> list(const QJsonObject &o, const QString &path, const char *key, int min,
                                   const char *what)
    {
        std::optional<QJsonArray> a = array(o, path, key, Need::Required);
        if (a && a->size() < min) {
            const QString p = join(path, QLatin1String(key));
            if (min == 1)
                problem(p, QStringLiteral("must list at least one %1").arg(QLatin1String(what)));
            else
                problem(p,
                        QStringLiteral("must list at least %1 %2, found %3")
                            .arg(min)
                            .arg(QLatin1String(what))
                            .arg(a->size()));
        }
        return a;
    }

    std::optional<QJsonObject> object(const QJsonValue &v, const QString &path)
    {
        if (!v.isObject()) {
            problem(path, QStringLiteral("expected an object, found ") + typeName(v));
            return std::nullopt;
        }
        return v.toObject();
    }

    /// Remembers `code` at `path`; reports it when an earlier element already used it.
    /// `shown` is how the value appears in the message (default: the code in quotes).
    void unique(QHash<QString, QString> &seen, const QString &code, const QString &path, const char *what,
                const QString &shown = {})
    {
        if (code.isEmpty())
            return;
        const auto it = seen.constFind(code);
        if (it != seen.constEnd()) {
            problem(path,
                    QStringLiteral("duplicate %1 %2 (first used at %3)")
                        .arg(QLatin1String(what), shown.isEmpty() ? quoted(code) : shown, it.value()));
            return;
        }
        seen.insert(code, path);
    }

private:
    QString m_origin;
    QStringList m_problems;
};

/// Qt keeps only the last of repeated object keys without a word; in a hand-edited spec that
/// silently drops data (say a second "departments"), so the already valid text is scanned once.
void findDuplicateKeys(const QByteArray &json, Checker &c)
{
    struct Frame {
        bool object = false;
        QString path;
        QSet<QString> keys;
        QString key;
        qsizetype index = 0;
    };
    QList<Frame> stack;
    bool expectKey = false;
    const auto valuePath = [&stack]() -> QString {
        if (stack.isEmpty())
            return {};
        const Frame &top = stack.constLast();
        return top.object ? join(top.path, top.key) : at(top.path, top.index);
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char ch = json.at(i);
        if (ch == '"') {
            const qsizetype start = i;
            for (++i; i < json.size() && json.at(i) != '"'; ++i) {
                if (json.at(i) == '\\')
                    ++i;
            }
            if (!expectKey || stack.isEmpty())
                continue;
            const QByteArray raw = json.mid(start, i - start + 1);
            // Let Qt decode escapes so "\u0061" and "a" count as the same key, as they do for Qt.
            const QString key = raw.contains('\\') ? QJsonDocument::fromJson("[" + raw + "]").array().at(0).toString()
                                                   : QString::fromUtf8(raw.mid(1, raw.size() - 2));
            Frame &top = stack.last();
            if (top.keys.contains(key))
                c.problem(join(top.path, printableKey(key)),
                          QStringLiteral("duplicate key (only the last one would be used)"));
            top.keys.insert(key);
            top.key = printableKey(key); // only ever part of a path in a message
            expectKey = false;
        } else if (ch == '{' || ch == '[') {
            stack.append(Frame {ch == '{', valuePath(), {}, {}, 0});
            expectKey = ch == '{';
        } else if (ch == '}' || ch == ']') {
            if (!stack.isEmpty())
                stack.removeLast();
            expectKey = false;
        } else if (ch == ',' && !stack.isEmpty()) {
            if (stack.last().object)
                expectKey = true;
            else
                ++stack.last().index;
        }
    }
}

QString jsonSyntaxMessage(const QByteArray &json, const QJsonParseError &error, const QString &origin)
{
    qsizetype offset = std::clamp<qsizetype>(error.offset, 0, json.size());
    // For these errors Qt reports the offset just after the character it choked on; step back
    // so the column points at that character (checked against Qt 6.4's parser).
    switch (error.error) {
    case QJsonParseError::UnterminatedObject:
    case QJsonParseError::UnterminatedArray:
    case QJsonParseError::MissingNameSeparator:
    case QJsonParseError::MissingValueSeparator:
    case QJsonParseError::MissingObject:
    case QJsonParseError::IllegalValue:
        offset = std::max<qsizetype>(0, offset - 1);
        break;
    default:
        break;
    }
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (json.at(i) == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    // Columns count characters, not UTF-8 bytes: skip continuation bytes.
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i) {
        if ((uchar(json.at(i)) & 0xC0) != 0x80)
            ++column;
    }
    const QString what
        = json.trimmed().isEmpty() ? QStringLiteral("the file is empty, expected a JSON object") : error.errorString();
    return QStringLiteral("%1: line %2, column %3: %4")
        .arg(origin, QString::number(line), QString::number(column), what);
}

QList<RatingOption> parseScale(const QJsonObject &root, Checker &c)
{
    QList<RatingOption> scale;
    const std::optional<QJsonArray> a = c.list(root, {}, "scale", 2, "rating options");
    if (!a)
        return scale;
    QHash<QString, QString> codes, scores;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("scale"), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "label", "label_en", "score"});
        RatingOption r;
        r.code = c.code(*o, p);
        c.unique(codes, r.code, join(p, QStringLiteral("code")), "rating code");
        r.label = c.text(*o, p, "label");
        r.labelEn = c.optionalText(*o, p, "label_en");
        if (const std::optional<int> score = c.integer(*o, p, "score", Need::Required, 0, kMaxScore)) {
            r.score = *score;
            c.unique(scores, QString::number(*score), join(p, QStringLiteral("score")), "score",
                     QString::number(*score));
        }
        scale.append(r);
    }
    return scale;
}

QList<Venue> parseVenues(const QJsonObject &root, Checker &c)
{
    QList<Venue> venues;
    const std::optional<QJsonArray> a = c.list(root, {}, "venues", 1, "venue");
    if (!a)
        return venues;
    QHash<QString, QString> codes;
    QString firstMain;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("venues"), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "name", "name_en", "kind", "address"});
        Venue v;
        v.code = c.code(*o, p);
        c.unique(codes, v.code, join(p, QStringLiteral("code")), "venue code");
        v.name = c.text(*o, p, "name");
        v.nameEn = c.optionalText(*o, p, "name_en");
        v.address = c.optionalText(*o, p, "address");
        if (const std::optional<QString> kind = c.string(*o, p, "kind", Need::Required)) {
            const QString kp = join(p, QStringLiteral("kind"));
            if (*kind == QLatin1String("main")) {
                v.kind = Venue::Kind::Main;
                if (firstMain.isEmpty())
                    firstMain = kp;
                else
                    c.problem(
                        kp, QStringLiteral("only one venue may be the main venue (the first is at %1)").arg(firstMain));
            } else if (*kind == QLatin1String("district")) {
                v.kind = Venue::Kind::District;
            } else {
                c.problem(kp, QStringLiteral("expected \"main\" or \"district\", found %1").arg(quoted(*kind)));
            }
        }
        venues.append(v);
    }
    return venues;
}

/// A date or time from the spec in quotes: shown as written when it is short and made of
/// digits and separators only (no ID number fits), otherwise as any other input (redact.h).
QString quotedWhen(const QString &s)
{
    static const QRegularExpression shortDate(QStringLiteral("^[0-9:/.\\- ]{1,12}$"));
    return shortDate.match(s).hasMatch() ? u'"' + s + u'"' : quoted(s);
}

/// A session's optional date, start and end times and place. The date must lie in the
/// activity's year or the next (plans for year N are often held early in N+1).
void parseSchedule(const QJsonObject &o, const QString &p, int year, GroupSession &s, Checker &c)
{
    if (const std::optional<QString> d = c.string(o, p, "date", Need::Optional)) {
        static const QRegularExpression dateRe(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        const QDate date = QDate::fromString(*d, Qt::ISODate);
        const QString dp = join(p, QStringLiteral("date"));
        if (!dateRe.match(*d).hasMatch())
            c.problem(dp, QStringLiteral("%1 is not a date written YYYY-MM-DD").arg(quotedWhen(*d)));
        else if (!date.isValid())
            c.problem(dp, QStringLiteral("%1 is not a real date").arg(quotedWhen(*d)));
        else if (year > 0 && date.year() != year && date.year() != year + 1)
            c.problem(dp,
                      QStringLiteral("%1 is not in the activity's year %2 or the next").arg(quotedWhen(*d)).arg(year));
        else
            s.date = *d;
    }
    QTime start, end;
    const auto time = [&](const char *key, QString &into, QTime &parsed) {
        const std::optional<QString> t = c.string(o, p, key, Need::Optional);
        if (!t)
            return;
        static const QRegularExpression timeRe(QStringLiteral("^\\d{2}:\\d{2}$"));
        parsed = QTime::fromString(*t, QStringLiteral("HH:mm"));
        if (!timeRe.match(*t).hasMatch() || !parsed.isValid()) {
            c.problem(join(p, QLatin1String(key)),
                      QStringLiteral("%1 is not a time written HH:MM (24-hour clock)").arg(quotedWhen(*t)));
            parsed = QTime();
            return;
        }
        into = *t;
    };
    time("start", s.start, start);
    time("end", s.end, end);
    if (o.contains(QLatin1String("end")) && !o.contains(QLatin1String("start")))
        c.problem(join(p, QStringLiteral("end")), QStringLiteral("an end time needs a start time"));
    if (start.isValid() && end.isValid() && end <= start)
        c.problem(join(p, QStringLiteral("end")),
                  QStringLiteral("ends at %1, not after its start %2").arg(s.end, s.start));
    if ((!s.start.isEmpty() || !s.end.isEmpty()) && s.date.isEmpty() && !o.contains(QLatin1String("date")))
        c.problem(p, QStringLiteral("a start or end time needs the session's \"date\""));
    s.place = c.optionalText(o, p, "place");
}

QList<GroupSession> parseSessions(const QJsonObject &root, int year, const QSet<QString> &venueCodes, bool venuesKnown,
                                  Checker &c)
{
    QList<GroupSession> sessions;
    const std::optional<QJsonArray> a = c.list(root, {}, "sessions", 1, "group session");
    if (!a)
        return sessions;
    QHash<QString, QString> codes, departmentCodes;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("sessions"), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "name", "name_en", "venues", "departments", "date", "start", "end", "place"});
        GroupSession s;
        s.code = c.code(*o, p);
        c.unique(codes, s.code, join(p, QStringLiteral("code")), "session code");
        s.name = c.text(*o, p, "name");
        s.nameEn = c.optionalText(*o, p, "name_en");
        parseSchedule(*o, p, year, s, c);

        if (const std::optional<QJsonArray> va = c.list(*o, p, "venues", 1, "venue code")) {
            QHash<QString, QString> seen;
            for (qsizetype j = 0; j < va->size(); ++j) {
                const QString vp = at(join(p, QStringLiteral("venues")), j);
                const QJsonValue v = va->at(j);
                if (!v.isString()) {
                    c.problem(vp, QStringLiteral("expected a venue code (a string), found ") + typeName(v));
                    continue;
                }
                const QString code = v.toString();
                // When the venue list itself is broken, every reference would be reported too.
                if (venuesKnown && !venueCodes.contains(code)) {
                    c.problem(vp, QStringLiteral("unknown venue %1 (not in \"venues\")").arg(quoted(code)));
                    continue;
                }
                const qsizetype before = seen.size();
                c.unique(seen, code, vp, "venue");
                if (seen.size() > before)
                    s.venues.append(code);
            }
        }

        if (const std::optional<QJsonArray> da = c.list(*o, p, "departments", 1, "department")) {
            for (qsizetype j = 0; j < da->size(); ++j) {
                const QString dp = at(join(p, QStringLiteral("departments")), j);
                const std::optional<QJsonObject> d = c.object(da->at(j), dp);
                if (!d)
                    continue;
                c.checkKeys(*d, dp, {"code", "name", "name_en"});
                Department dep;
                dep.code = c.code(*d, dp);
                // Department codes are what ballots store, so they must be unique across sessions.
                c.unique(departmentCodes, dep.code, join(dp, QStringLiteral("code")), "department code");
                dep.name = c.text(*d, dp, "name");
                dep.nameEn = c.optionalText(*d, dp, "name_en");
                s.departments.append(dep);
            }
        }
        sessions.append(s);
    }
    return sessions;
}

/// "shinan 65, dongsheng/econ 100": the cells as the message about their sum shows them.
QString cellList(const QList<QuotaCell> &cells)
{
    QStringList parts;
    for (const QuotaCell &cell : cells)
        parts << (cell.session.isEmpty() ? cell.venue : cell.venue + u'/' + cell.session) + u' '
                + QString::number(cell.count);
    if (parts.size() > 12)
        return parts.mid(0, 12).join(QStringLiteral(", ")) + QStringLiteral(", …");
    return parts.join(QStringLiteral(", "));
}

/// A category's "by_venue": {"venue": N} or {"venue": {"session": N, ...}}. Each venue must
/// suit the category's level and each session be held there; the cells must add up to the
/// category's "quota" when both are given (the message names the cells' sum and the quota).
QList<QuotaCell> parseQuotaCells(const QJsonObject &o, const QString &p, const Category &cat,
                                 const QList<Venue> &venues, const QList<GroupSession> &sessions, bool known,
                                 Checker &c)
{
    QList<QuotaCell> cells;
    const QJsonValue v = o.value(QLatin1String("by_venue"));
    if (v.isUndefined())
        return cells;
    const QString bp = join(p, QStringLiteral("by_venue"));
    const std::optional<QJsonObject> byVenue = c.object(v, bp);
    if (!byVenue)
        return cells;
    if (byVenue->isEmpty()) {
        c.problem(bp, QStringLiteral("must name at least one venue (leave \"by_venue\" out to give only the total)"));
        return cells;
    }
    const auto heldAt = [&](const QString &session, const QString &venue) {
        return std::any_of(sessions.cbegin(), sessions.cend(),
                           [&](const GroupSession &s) { return s.code == session && s.venues.contains(venue); });
    };
    const auto cellCount = [&](const QJsonValue &n, const QString &cp) -> std::optional<int> {
        if (!n.isDouble()) {
            c.problem(cp, QStringLiteral("expected a whole number, found ") + typeName(n));
            return std::nullopt;
        }
        if (n.toDouble() != std::floor(n.toDouble())) {
            c.problem(cp, QStringLiteral("expected a whole number, found %1").arg(n.toDouble()));
            return std::nullopt;
        }
        if (n.toDouble() < 0 || n.toDouble() > kMaxQuota) {
            c.problem(
                cp, QStringLiteral("must be between 0 and %1, found %2").arg(kMaxQuota).arg(numberText(n.toDouble())));
            return std::nullopt;
        }
        return int(n.toDouble());
    };
    // QJsonObject iterates in key order; cells follow the spec's venue order instead, so the
    // draw and synthetic rosters walk venues as the plan lists them.
    QStringList order;
    for (const Venue &venue : venues) {
        if (byVenue->contains(venue.code))
            order.append(venue.code);
    }
    for (auto it = byVenue->constBegin(); it != byVenue->constEnd(); ++it) {
        if (known && !order.contains(it.key()))
            c.problem(join(bp, printableKey(it.key())),
                      QStringLiteral("unknown venue %1 (not in \"venues\")").arg(quoted(it.key())));
    }
    for (const QString &venueCode : std::as_const(order)) {
        const QString vp = join(bp, venueCode);
        const Venue *venue = nullptr;
        for (const Venue &x : venues)
            if (x.code == venueCode)
                venue = &x;
        const bool mainVenue = venue && venue->kind == Venue::Kind::Main;
        if (cat.level == QLatin1String("city") && !mainVenue)
            c.problem(
                vp,
                QStringLiteral("a city-level category sits at the main venue; \"%1\" is a district venue (make the "
                               "category \"level\": \"district\", or move the quota)")
                    .arg(venueCode));
        else if (cat.level == QLatin1String("district") && mainVenue)
            c.problem(vp,
                      QStringLiteral("a district-level category sits at district venues; \"%1\" is the main venue")
                          .arg(venueCode));
        const QJsonValue cv = byVenue->value(venueCode);
        if (cv.isObject()) {
            const QJsonObject bySession = cv.toObject();
            if (bySession.isEmpty())
                c.problem(vp, QStringLiteral("must name at least one group session, or give one number for the venue"));
            // Spec session order, as above; unknown codes reported first.
            for (auto it = bySession.constBegin(); it != bySession.constEnd(); ++it) {
                const bool exists = std::any_of(sessions.cbegin(), sessions.cend(),
                                                [&](const GroupSession &s) { return s.code == it.key(); });
                if (known && !exists)
                    c.problem(join(vp, printableKey(it.key())),
                              QStringLiteral("unknown session %1 (not in \"sessions\")").arg(quoted(it.key())));
                else if (known && !heldAt(it.key(), venueCode))
                    c.problem(
                        join(vp, it.key()),
                        QStringLiteral("session \"%1\" is not held at venue \"%2\" (see the session's \"venues\")")
                            .arg(it.key(), venueCode));
            }
            for (const GroupSession &s : sessions) {
                if (!bySession.contains(s.code))
                    continue;
                if (const std::optional<int> n = cellCount(bySession.value(s.code), join(vp, s.code)))
                    cells.append({venueCode, s.code, *n});
            }
        } else {
            if (known && !std::any_of(sessions.cbegin(), sessions.cend(), [&](const GroupSession &s) {
                    return s.venues.contains(venueCode);
                }))
                c.problem(vp, QStringLiteral("no group session is held at venue \"%1\"").arg(venueCode));
            if (const std::optional<int> n = cellCount(cv, vp))
                cells.append({venueCode, QString(), *n});
        }
    }
    return cells;
}

QList<Category> parseCategories(const QJsonObject &root, const QList<Venue> &venues, bool venuesKnown,
                                const QList<GroupSession> &sessions, bool sessionsKnown, Checker &c)
{
    QList<Category> categories;
    const std::optional<QJsonArray> a = c.list(root, {}, "categories", 1, "representative category");
    if (!a)
        return categories;
    const bool hasMain
        = std::any_of(venues.cbegin(), venues.cend(), [](const Venue &v) { return v.kind == Venue::Kind::Main; });
    const bool hasDistrict
        = std::any_of(venues.cbegin(), venues.cend(), [](const Venue &v) { return v.kind == Venue::Kind::District; });
    QHash<QString, QString> codes;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("categories"), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "name", "class", "level", "quota", "by_venue"});
        Category cat;
        cat.code = c.code(*o, p);
        c.unique(codes, cat.code, join(p, QStringLiteral("code")), "category code");
        cat.name = c.text(*o, p, "name");
        cat.className = c.text(*o, p, "class");
        if (const std::optional<QString> level = c.string(*o, p, "level", Need::Required)) {
            const QString lp = join(p, QStringLiteral("level"));
            cat.level = *level;
            if (*level == QLatin1String("city")) {
                if (venuesKnown && !hasMain)
                    c.problem(lp,
                              QStringLiteral(
                                  "city-level representatives sit at the main venue, but no venue has kind \"main\""));
            } else if (*level == QLatin1String("district")) {
                if (venuesKnown && !hasDistrict)
                    c.problem(lp,
                              QStringLiteral("district-level representatives sit at district venues, but no venue has "
                                             "kind \"district\""));
            } else {
                c.problem(lp, QStringLiteral("expected \"city\" or \"district\", found %1").arg(quoted(*level)));
            }
        }
        const bool hasCells = o->contains(QLatin1String("by_venue"));
        const std::optional<int> quota
            = c.integer(*o, p, "quota", hasCells ? Need::Optional : Need::Required, 0, kMaxQuota);
        if (quota)
            cat.quota = *quota;
        if (hasCells) {
            const qsizetype before = c.problems().size();
            cat.cells = parseQuotaCells(*o, p, cat, venues, sessions, sessionsKnown, c);
            qint64 sum = 0;
            for (const QuotaCell &cell : std::as_const(cat.cells))
                sum += cell.count;
            if (c.problems().size() == before) {
                if (quota && sum != *quota)
                    c.problem(join(p, QStringLiteral("quota")),
                              QStringLiteral("is %1 but the cells of \"by_venue\" add up to %2 (%3); make them agree, "
                                             "or leave \"quota\" out")
                                  .arg(*quota)
                                  .arg(sum)
                                  .arg(cellList(cat.cells)));
                else if (sum > kMaxQuota)
                    c.problem(join(p, QStringLiteral("by_venue")),
                              QStringLiteral("the cells add up to %1, more than %2").arg(sum).arg(kMaxQuota));
                else
                    cat.quota = int(sum);
            }
        }
        categories.append(cat);
    }
    return categories;
}

QList<Question> parseQuestions(const QJsonObject &root, const char *key, int min, Checker &c)
{
    QList<Question> questions;
    const std::optional<QJsonArray> a
        = min > 0 ? c.list(root, {}, key, min, "question") : c.array(root, {}, key, Need::Required);
    if (!a)
        return questions;
    QHash<QString, QString> codes;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QLatin1String(key), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "kind", "text", "text_en", "required", "max_choices", "choices"});
        Question q;
        q.code = c.code(*o, p);
        c.unique(codes, q.code, join(p, QStringLiteral("code")), "question code");
        bool kindKnown = false;
        if (const std::optional<QString> kind = c.string(*o, p, "kind", Need::Required)) {
            if (*kind == QLatin1String("single")) {
                q.kind = Question::Kind::Single;
                kindKnown = true;
            } else if (*kind == QLatin1String("multiple")) {
                q.kind = Question::Kind::Multiple;
                kindKnown = true;
            } else {
                c.problem(join(p, QStringLiteral("kind")),
                          QStringLiteral("expected \"single\" or \"multiple\", found %1").arg(quoted(*kind)));
            }
        }
        q.text = c.text(*o, p, "text");
        q.textEn = c.optionalText(*o, p, "text_en");
        q.required = c.boolean(*o, p, "required").value_or(true);

        if (const std::optional<QJsonArray> ca = c.list(*o, p, "choices", 2, "choices")) {
            QHash<QString, QString> choiceCodes;
            for (qsizetype j = 0; j < ca->size(); ++j) {
                const QString cp = at(join(p, QStringLiteral("choices")), j);
                const std::optional<QJsonObject> co = c.object(ca->at(j), cp);
                if (!co)
                    continue;
                c.checkKeys(*co, cp, {"code", "label", "label_en", "concern"});
                Choice ch;
                ch.code = c.code(*co, cp);
                c.unique(choiceCodes, ch.code, join(cp, QStringLiteral("code")), "choice code");
                ch.label = c.text(*co, cp, "label");
                ch.labelEn = c.optionalText(*co, cp, "label_en");
                ch.concern = c.boolean(*co, cp, "concern").value_or(false);
                q.choices.append(ch);
            }
        }

        const int choiceCount = int(q.choices.size());
        q.maxChoices = q.kind == Question::Kind::Single ? 1 : choiceCount;
        const bool single = kindKnown && q.kind == Question::Kind::Single;
        const std::optional<int> maxChoices = single
            ? c.integer(*o, p, "max_choices", Need::Optional, 1, 1,
                        QStringLiteral("a single-choice question allows exactly 1 choice, found %1"))
            : c.integer(*o, p, "max_choices", Need::Optional, 1,
                        choiceCount >= 2 ? choiceCount : std::numeric_limits<int>::max(),
                        QStringLiteral("must be between 1 and the number of choices (%1), found %2")
                            .arg(choiceCount)
                            .arg(QStringLiteral("%1")));
        if (maxChoices)
            q.maxChoices = *maxChoices;
        questions.append(q);
    }
    return questions;
}

QList<SuggestionTopic> parseTopics(const QJsonObject &root, Checker &c)
{
    QList<SuggestionTopic> topics;
    const std::optional<QJsonArray> a = c.array(root, {}, "suggestion_topics", Need::Required);
    if (!a)
        return topics;
    QHash<QString, QString> codes;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("suggestion_topics"), i);
        const std::optional<QJsonObject> o = c.object(a->at(i), p);
        if (!o)
            continue;
        c.checkKeys(*o, p, {"code", "name", "name_en"});
        SuggestionTopic t;
        t.code = c.code(*o, p);
        c.unique(codes, t.code, join(p, QStringLiteral("code")), "topic code");
        t.name = c.text(*o, p, "name");
        t.nameEn = c.optionalText(*o, p, "name_en");
        topics.append(t);
    }
    return topics;
}

QStringList parseIdentityMethods(const QJsonObject &root, Checker &c)
{
    QStringList methods;
    const std::optional<QJsonArray> a = c.list(root, {}, "identity_methods", 1, "identity method");
    if (!a)
        return methods;
    QHash<QString, QString> seen;
    bool allValid = true;
    for (qsizetype i = 0; i < a->size(); ++i) {
        const QString p = at(QStringLiteral("identity_methods"), i);
        const QJsonValue v = a->at(i);
        if (!v.isString()) {
            c.problem(p, QStringLiteral("expected a string, found ") + typeName(v));
            allValid = false;
            continue;
        }
        const QString m = v.toString();
        if (!identityMethodFromName(m)) {
            c.problem(p,
                      QStringLiteral("unknown identity method %1 (expected one of %2)")
                          .arg(quoted(m), identityMethodNames().join(QStringLiteral(", "))));
            allValid = false;
            continue;
        }
        const qsizetype before = seen.size();
        c.unique(seen, m, p, "identity method");
        if (seen.size() > before)
            methods.append(m);
    }
    // A staff override is the fallback when a check fails; it cannot be the only way in.
    if (allValid && !methods.isEmpty() && methods == QStringList {identityMethodName(IdentityMethod::Override)})
        c.problem(QStringLiteral("identity_methods"),
                  QStringLiteral("\"override\" alone is not enough, add credential, id_number or face"));
    return methods;
}

std::optional<TallyRules::Breakdown> breakdownFromString(const QString &s)
{
    if (s == QLatin1String("venue"))
        return TallyRules::Breakdown::Venue;
    if (s == QLatin1String("category"))
        return TallyRules::Breakdown::Category;
    return std::nullopt;
}

TallyRules parseTally(const QJsonObject &root, Checker &c)
{
    TallyRules rules;
    const QJsonValue v = root.value(QLatin1String("tally"));
    if (v.isUndefined())
        return rules;
    const std::optional<QJsonObject> o = c.object(v, QStringLiteral("tally"));
    if (!o)
        return rules;
    c.checkKeys(*o, QStringLiteral("tally"), {"anonymity_threshold", "satisfied_threshold", "publish", "rank_ties"});
    if (const std::optional<QString> t = c.string(*o, QStringLiteral("tally"), "rank_ties", Need::Optional)) {
        if (*t == QLatin1String("shared"))
            rules.rankTies = TallyRules::RankTies::Shared;
        else if (*t == QLatin1String("satisfaction"))
            rules.rankTies = TallyRules::RankTies::Satisfaction;
        else
            c.problem(QStringLiteral("tally.rank_ties"),
                      QStringLiteral("expected \"shared\" or \"satisfaction\", found %1").arg(quoted(*t)));
    }
    if (const std::optional<int> t
        = c.integer(*o, QStringLiteral("tally"), "anonymity_threshold", Need::Optional, 1, kMaxThreshold))
        rules.anonymityThreshold = *t;
    // The same range as a rating option's score: 0 would count every ballot as satisfied.
    if (const std::optional<int> t
        = c.integer(*o, QStringLiteral("tally"), "satisfied_threshold", Need::Optional, 1, kMaxScore))
        rules.satisfiedThreshold = *t;
    if (const std::optional<QJsonArray> a = c.array(*o, QStringLiteral("tally"), "publish", Need::Optional)) {
        rules.publish.clear();
        QHash<QString, QString> seen;
        for (qsizetype i = 0; i < a->size(); ++i) {
            const QString p = at(QStringLiteral("tally.publish"), i);
            const QJsonValue v = a->at(i);
            if (!v.isString()) {
                c.problem(p, QStringLiteral("expected a string, found ") + typeName(v));
                continue;
            }
            const auto b = breakdownFromString(v.toString());
            if (!b) {
                c.problem(
                    p, QStringLiteral("unknown breakdown %1 (expected venue or category)").arg(quoted(v.toString())));
                continue;
            }
            const qsizetype before = seen.size();
            c.unique(seen, v.toString(), p, "breakdown");
            if (seen.size() > before)
                rules.publish.append(*b);
        }
    }
    return rules;
}

RosterRules parseRosterRules(const QJsonObject &root, Checker &c)
{
    RosterRules rules;
    const QJsonValue v = root.value(QLatin1String("roster"));
    if (v.isUndefined())
        return rules;
    const std::optional<QJsonObject> o = c.object(v, QStringLiteral("roster"));
    if (!o)
        return rules;
    c.checkKeys(*o, QStringLiteral("roster"), {"quotas", "rotation_floor"});
    if (const std::optional<QString> q = c.string(*o, QStringLiteral("roster"), "quotas", Need::Optional)) {
        if (*q == QLatin1String("warn"))
            rules.quotas = RosterRules::Check::Warn;
        else if (*q == QLatin1String("refuse"))
            rules.quotas = RosterRules::Check::Refuse;
        else
            c.problem(QStringLiteral("roster.quotas"),
                      QStringLiteral("expected \"warn\" or \"refuse\", found %1").arg(quoted(*q)));
    }
    if (const std::optional<int> f = c.integer(*o, QStringLiteral("roster"), "rotation_floor", Need::Optional, 0, 100))
        rules.rotationFloor = *f;
    return rules;
}

FaceRules parseFaceRules(const QJsonObject &root, Checker &c)
{
    FaceRules rules;
    const QJsonValue v = root.value(QLatin1String("face"));
    if (v.isUndefined())
        return rules;
    const std::optional<QJsonObject> o = c.object(v, QStringLiteral("face"));
    if (!o)
        return rules;
    c.checkKeys(*o, QStringLiteral("face"), {"threshold", "margin", "liveness_seconds", "verify"});
    if (const std::optional<double> t = c.number(*o, QStringLiteral("face"), "threshold", 0.3, 1.0))
        rules.threshold = *t;
    if (const std::optional<double> m = c.number(*o, QStringLiteral("face"), "margin", 0.01, 0.3))
        rules.margin = *m;
    if (const std::optional<int> s = c.integer(*o, QStringLiteral("face"), "liveness_seconds", Need::Optional, 3, 60))
        rules.livenessSeconds = *s;
    rules.verify = c.boolean(*o, QStringLiteral("face"), "verify").value_or(false);
    return rules;
}

template<typename T> const T *findByCode(const QList<T> &list, const QString &code)
{
    const auto it = std::find_if(list.cbegin(), list.cend(), [&code](const T &t) { return t.code == code; });
    return it == list.cend() ? nullptr : &*it;
}

/// "中文 (English)" or just "中文" when there is no English.
QString bilingual(const QString &zh, const QString &en)
{
    return en.isEmpty() ? zh : zh + QStringLiteral(" (") + en + QLatin1Char(')');
}

QString identityMethodLabel(const QString &name)
{
    const std::optional<IdentityMethod> method = identityMethodFromName(name);
    if (!method)
        return name;
    switch (*method) {
    case IdentityMethod::Credential:
        return QStringLiteral("邀请卡二维码 (%1)").arg(name);
    case IdentityMethod::IdNumber:
        return QStringLiteral("身份证号 (%1)").arg(name);
    case IdentityMethod::Face:
        return QStringLiteral("人脸识别 (%1)").arg(name);
    case IdentityMethod::Override:
        return QStringLiteral("工作人员核验 (%1)").arg(name);
    }
    return name;
}

} // namespace

Result<Activity> Activity::fromJson(const QByteArray &input, const QString &origin)
{
    // Editors on some systems write a UTF-8 byte order mark; it is not part of the JSON and
    // would shift every column on line 1.
    QByteArray json = input;
    if (json.startsWith("\xEF\xBB\xBF"))
        json.remove(0, 3);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(QStringLiteral("spec-json"), jsonSyntaxMessage(json, parseError, origin));

    Checker c(origin);
    if (!doc.isObject()) {
        c.problem({},
                  QStringLiteral("expected an object at the top level, found %1")
                      .arg(doc.isArray() ? QStringLiteral("an array") : QStringLiteral("nothing")));
        return makeError(QStringLiteral("spec-invalid"), c.problems().join(QLatin1Char('\n')));
    }
    const QJsonObject root = doc.object();
    findDuplicateKeys(json, c);

    // A different format version has different rules: checking it field by field against v1
    // would bury the one problem that matters.
    if (const std::optional<QString> format = c.string(root, {}, "format", Need::Required)) {
        if (*format != kFormat) {
            c.problem(QStringLiteral("format"),
                      QStringLiteral("expected %1, found %2 (this version of Pingyi reads only %1)")
                          .arg(quoted(QString(kFormat)), quoted(*format)));
            return makeError(QStringLiteral("spec-invalid"), c.problems().join(QLatin1Char('\n')));
        }
    }
    c.checkKeys(root, {},
                {"$schema", "format", "id", "name", "name_en", "year", "scale", "sessions", "venues", "categories",
                 "questionnaire", "discipline", "suggestion_topics", "identity_methods", "tally", "roster", "time_zone",
                 "face"});
    // "$schema" only lets editors find docs/schemas/activity.schema.json.
    c.string(root, {}, "$schema", Need::Optional);

    Activity a;
    a.source = root;
    if (const std::optional<QString> id = c.string(root, {}, "id", Need::Required)) {
        a.id = *id;
        if (!isActivityId(*id))
            c.problem(
                QStringLiteral("id"),
                QStringLiteral("%1 is not a valid activity id (1 to 40 characters a-z, 0-9, '-')").arg(quoted(*id)));
    }
    a.name = c.text(root, {}, "name");
    a.nameEn = c.optionalText(root, {}, "name_en");
    if (const std::optional<int> year = c.integer(root, {}, "year", Need::Required, kMinYear, kMaxYear))
        a.year = *year;
    if (const std::optional<QString> tz = c.string(root, {}, "time_zone", Need::Optional)) {
        if (QTimeZone::isTimeZoneIdAvailable(tz->toUtf8()))
            a.timeZone = *tz;
        else
            c.problem(QStringLiteral("time_zone"),
                      QStringLiteral("%1 is not a time zone this system knows (an IANA name such as "
                                     "\"Asia/Shanghai\")")
                          .arg(quoted(*tz)));
    }
    a.scale = parseScale(root, c);

    const qsizetype problemsBeforeVenues = c.problems().size();
    a.venues = parseVenues(root, c);
    const bool venuesKnown = c.problems().size() == problemsBeforeVenues;
    QSet<QString> venueCodes;
    for (const Venue &v : std::as_const(a.venues))
        venueCodes.insert(v.code);

    const qsizetype problemsBeforeSessions = c.problems().size();
    a.sessions = parseSessions(root, a.year, venueCodes, venuesKnown, c);
    const bool sessionsKnown = venuesKnown && c.problems().size() == problemsBeforeSessions;
    a.categories = parseCategories(root, a.venues, venuesKnown, a.sessions, sessionsKnown, c);
    a.questionnaire = parseQuestions(root, "questionnaire", 0, c);
    a.discipline = parseQuestions(root, "discipline", 1, c);
    a.suggestionTopics = parseTopics(root, c);
    a.identityMethods = parseIdentityMethods(root, c);
    a.tally = parseTally(root, c);
    a.roster = parseRosterRules(root, c);
    a.face = parseFaceRules(root, c);
    if (a.face.verify && !a.identityMethods.contains(QLatin1String("face")))
        c.problem(QStringLiteral("face.verify"),
                  QStringLiteral("the face check after a card needs \"face\" in identity_methods"));

    if (!c.problems().isEmpty())
        return makeError(QStringLiteral("spec-invalid"), c.problems().join(QLatin1Char('\n')));
    return a;
}

QByteArray Activity::canonicalJson() const
{
    // QJsonObject keeps its keys sorted, so the compact form is already canonical.
    return QJsonDocument(source).toJson(QJsonDocument::Compact);
}

const GroupSession *Activity::session(const QString &code) const
{
    return findByCode(sessions, code);
}

const Venue *Activity::venue(const QString &code) const
{
    return findByCode(venues, code);
}

const Category *Activity::category(const QString &code) const
{
    return findByCode(categories, code);
}

const Department *Activity::department(const QString &code) const
{
    for (const GroupSession &s : sessions) {
        if (const Department *d = findByCode(s.departments, code))
            return d;
    }
    return nullptr;
}

bool Activity::sessionHeldAt(const QString &sessionCode, const QString &venueCode) const
{
    const GroupSession *s = session(sessionCode);
    return s && s->venues.contains(venueCode);
}

QList<RosterQuota> Activity::quotaCells() const
{
    QList<RosterQuota> out;
    QString mainVenue;
    for (const Venue &v : venues) {
        if (v.kind == Venue::Kind::Main) {
            mainVenue = v.code;
            break;
        }
    }
    for (const Category &cat : categories) {
        if (!cat.cells.isEmpty()) {
            for (const QuotaCell &cell : cat.cells)
                out.append({cat.code, cell.venue, cell.session, cell.count});
        } else if (cat.level == QLatin1String("city")) {
            out.append({cat.code, mainVenue, QString(), cat.quota});
        } else {
            out.append({cat.code, QString(), QString(), cat.quota});
        }
    }
    return out;
}

QString Activity::summary() const
{
    QStringList out;
    out << QStringLiteral("活动 (activity): ") + bilingual(name, nameEn);
    out << QStringLiteral("编号 (id): ") + id;
    out << QStringLiteral("年度 (year): %1").arg(year);

    qsizetype departmentCount = 0;
    for (const GroupSession &s : sessions)
        departmentCount += s.departments.size();
    out << QStringLiteral("评议组 (group sessions): %1, 共 %2 个部门 (departments)")
               .arg(sessions.size())
               .arg(departmentCount);
    for (const GroupSession &s : sessions) {
        // One multi-argument arg() call: names may contain '%' and must not be re-substituted.
        out << QStringLiteral("  %1: %2, %3 个部门 (departments), %4 个会场 (venues): %5")
                   .arg(s.code, bilingual(s.name, s.nameEn), QString::number(s.departments.size()),
                        QString::number(s.venues.size()), s.venues.join(QStringLiteral(", ")));
        if (!s.date.isEmpty()) {
            QString when = s.date;
            if (!s.start.isEmpty())
                when += u' ' + s.start + (s.end.isEmpty() ? QString() : QStringLiteral("–") + s.end);
            out << QStringLiteral("    时间 (time): %1%2")
                       .arg(when, s.place.isEmpty() ? QString() : QStringLiteral(", ") + s.place);
        }
    }

    QStringList options;
    for (const RatingOption &r : scale)
        options << bilingual(r.label, r.labelEn) + QStringLiteral(" = ") + QString::number(r.score);
    out << QStringLiteral("评议等次 (rating scale): ") + options.join(QStringLiteral(", "));

    out << QStringLiteral("社情民意调查问卷 (questionnaire): %1 个问题 (questions)").arg(questionnaire.size());
    out << QStringLiteral("活动纪律情况调查表 (discipline survey): %1 个问题 (questions)").arg(discipline.size());
    out << QStringLiteral("意见建议主题 (suggestion topics): %1").arg(suggestionTopics.size());

    const auto mainCount
        = std::count_if(venues.cbegin(), venues.cend(), [](const Venue &v) { return v.kind == Venue::Kind::Main; });
    out << QStringLiteral("会场 (venues): %1, 主会场 (main) %2, 分会场 (district) %3")
               .arg(venues.size())
               .arg(mainCount)
               .arg(venues.size() - mainCount);
    for (const Venue &v : venues) {
        out << QStringLiteral("  %1: %2 [%3]")
                   .arg(v.code, bilingual(v.name, v.nameEn),
                        v.kind == Venue::Kind::Main ? QStringLiteral("主会场 main")
                                                    : QStringLiteral("分会场 district"));
    }

    qint64 cityQuota = 0;
    qint64 districtQuota = 0;
    for (const Category &cat : categories)
        (cat.level == QLatin1String("city") ? cityQuota : districtQuota) += cat.quota;
    out << QStringLiteral("代表类别 (representative categories): %1, 名额合计 (total quota) %2 = 市级 (city) %3 + 区级 "
                          "(district) %4")
               .arg(categories.size())
               .arg(cityQuota + districtQuota)
               .arg(cityQuota)
               .arg(districtQuota);
    for (const Category &cat : categories) {
        QStringList cells;
        for (const QuotaCell &cell : cat.cells)
            cells << (cell.session.isEmpty() ? cell.venue : cell.venue + u'/' + cell.session) + u' '
                    + QString::number(cell.count);
        out << QStringLiteral("  %1: %2 [%3, %4] %5%6")
                   .arg(cat.code, cat.name, cat.className, cat.level, QString::number(cat.quota),
                        cells.isEmpty() ? QString() : QStringLiteral(" = ") + cells.join(QStringLiteral(" + ")));
    }

    QStringList methods;
    for (const QString &m : identityMethods)
        methods << identityMethodLabel(m);
    out << QStringLiteral("身份核验方式 (identity methods): ") + methods.join(QStringLiteral(", "));
    out << QStringLiteral("匿名阈值 (anonymity threshold): %1 张选票 (ballots)").arg(tally.anonymityThreshold);
    QStringList published {QStringLiteral("各组总体 (group totals)")};
    if (tally.publishes(TallyRules::Breakdown::Venue))
        published << QStringLiteral("分会场 (by venue)");
    if (tally.publishes(TallyRules::Breakdown::Category))
        published << QStringLiteral("代表类别 (by category)");
    out << QStringLiteral("公布范围 (published): ") + published.join(QStringLiteral(", "));
    out << QStringLiteral("满意阈值 (satisfied threshold): %1 分 (score); 同分名次 (equal scores): %2")
               .arg(tally.satisfiedThreshold)
               .arg(tally.rankTies == TallyRules::RankTies::Shared ? QStringLiteral("并列 (shared)")
                                                                   : QStringLiteral("按满意率 (by satisfaction rate)"));
    out << QStringLiteral("名额核对 (quota check at import): %1; 轮换比例 (rotation floor): %2%")
               .arg(roster.quotas == RosterRules::Check::Refuse ? QStringLiteral("refuse") : QStringLiteral("warn"))
               .arg(roster.rotationFloor);
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QJsonObject Activity::summaryJson() const
{
    QJsonArray sessionArray;
    int departmentCount = 0;
    for (const GroupSession &s : sessions) {
        departmentCount += int(s.departments.size());
        sessionArray.append(QJsonObject {{QStringLiteral("code"), s.code},
                                         {QStringLiteral("name"), s.name},
                                         {QStringLiteral("name_en"), s.nameEn},
                                         {QStringLiteral("departments"), int(s.departments.size())},
                                         {QStringLiteral("venues"), QJsonArray::fromStringList(s.venues)},
                                         {QStringLiteral("date"), s.date},
                                         {QStringLiteral("start"), s.start},
                                         {QStringLiteral("end"), s.end},
                                         {QStringLiteral("place"), s.place}});
    }
    QJsonArray scaleArray;
    for (const RatingOption &r : scale) {
        scaleArray.append(QJsonObject {{QStringLiteral("code"), r.code},
                                       {QStringLiteral("label"), r.label},
                                       {QStringLiteral("label_en"), r.labelEn},
                                       {QStringLiteral("score"), r.score}});
    }
    QJsonArray venueArray;
    for (const Venue &v : venues) {
        venueArray.append(QJsonObject {
            {QStringLiteral("code"), v.code},
            {QStringLiteral("name"), v.name},
            {QStringLiteral("name_en"), v.nameEn},
            {QStringLiteral("kind"), v.kind == Venue::Kind::Main ? QStringLiteral("main") : QStringLiteral("district")},
            {QStringLiteral("address"), v.address}});
    }
    QJsonArray categoryArray;
    qint64 cityQuota = 0;
    qint64 districtQuota = 0;
    for (const Category &cat : categories) {
        (cat.level == QLatin1String("city") ? cityQuota : districtQuota) += cat.quota;
        QJsonArray cells;
        for (const QuotaCell &cell : cat.cells)
            cells.append(QJsonObject {{QStringLiteral("venue"), cell.venue},
                                      {QStringLiteral("session"), cell.session},
                                      {QStringLiteral("quota"), cell.count}});
        categoryArray.append(QJsonObject {{QStringLiteral("code"), cat.code},
                                          {QStringLiteral("name"), cat.name},
                                          {QStringLiteral("class"), cat.className},
                                          {QStringLiteral("level"), cat.level},
                                          {QStringLiteral("quota"), cat.quota},
                                          {QStringLiteral("by_venue"), cells}});
    }
    return QJsonObject {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("name_en"), nameEn},
        {QStringLiteral("year"), year},
        {QStringLiteral("sessions"), sessionArray},
        {QStringLiteral("departments"), departmentCount},
        {QStringLiteral("scale"), scaleArray},
        {QStringLiteral("questionnaire"), int(questionnaire.size())},
        {QStringLiteral("discipline"), int(discipline.size())},
        {QStringLiteral("suggestion_topics"), int(suggestionTopics.size())},
        {QStringLiteral("venues"), venueArray},
        {QStringLiteral("categories"), categoryArray},
        {QStringLiteral("quota"),
         QJsonObject {{QStringLiteral("city"), cityQuota},
                      {QStringLiteral("district"), districtQuota},
                      {QStringLiteral("total"), cityQuota + districtQuota}}},
        {QStringLiteral("identity_methods"), QJsonArray::fromStringList(identityMethods)},
        {QStringLiteral("anonymity_threshold"), tally.anonymityThreshold},
        {QStringLiteral("satisfied_threshold"), tally.satisfiedThreshold},
        {QStringLiteral("rank_ties"),
         tally.rankTies == TallyRules::RankTies::Shared ? QStringLiteral("shared") : QStringLiteral("satisfaction")},
        {QStringLiteral("publish"),
         [this] {
             QJsonArray a;
             for (TallyRules::Breakdown b : tally.publish)
                 a.append(b == TallyRules::Breakdown::Venue ? QStringLiteral("venue") : QStringLiteral("category"));
             return a;
         }()},
        {QStringLiteral("roster"),
         QJsonObject {{QStringLiteral("quotas"),
                       roster.quotas == RosterRules::Check::Refuse ? QStringLiteral("refuse") : QStringLiteral("warn")},
                      {QStringLiteral("rotation_floor"), roster.rotationFloor}}},
    };
}

} // namespace pingyi
