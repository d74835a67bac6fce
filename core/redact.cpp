#include "redact.h"

#include <QList>

namespace pingyi {

namespace {

constexpr qsizetype kHideFrom = 6; // digits; see docs/security.md §9

bool isChineseNumeral(char32_t c)
{
    switch (c) {
    case U'〇':
    case U'一':
    case U'二':
    case U'三':
    case U'四':
    case U'五':
    case U'六':
    case U'七':
    case U'八':
    case U'九':
        return true;
    default:
        return false;
    }
}

bool isDigitChar(char32_t c)
{
    return QChar::isDigit(c) || isChineseNumeral(c);
}

/// Characters that people (or a spreadsheet, or an attacker) put between the digits of one
/// number, and invisible ones: they do not end a number.
bool isSeparatorChar(char32_t c)
{
    switch (QChar::category(c)) {
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Punctuation_Connector:
    case QChar::Punctuation_Dash:
    case QChar::Punctuation_Open:
    case QChar::Punctuation_Close:
    case QChar::Punctuation_InitialQuote:
    case QChar::Punctuation_FinalQuote:
    case QChar::Punctuation_Other:
        return true;
    default:
        return false;
    }
}

enum class Kind { Digits, Separator, CheckX, Other };

/// One code point of the input (a lone surrogate is one too) and what it is after NFKC.
struct Unit {
    qsizetype start = 0;
    qsizetype length = 0;
    char32_t codePoint = 0;
    Kind kind = Kind::Other;
    int digits = 0;
};

QList<Unit> units(QStringView text)
{
    QList<Unit> out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        Unit u;
        u.start = i;
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            u.codePoint = QChar::surrogateToUcs4(c, text.at(i + 1));
            u.length = 2;
        } else {
            u.codePoint = c.unicode();
            u.length = 1;
        }
        i += u.length;
        if (QChar::isSurrogate(u.codePoint)) { // a lone half: garbage, never part of a word
            u.kind = Kind::Separator;
            out.append(u);
            continue;
        }
        const QString normal = text.mid(u.start, u.length).toString().normalized(QString::NormalizationForm_KC);
        bool separatorsOnly = true;
        bool other = false;
        for (const char32_t n : normal.toUcs4()) {
            if (isDigitChar(n)) {
                ++u.digits;
                separatorsOnly = false;
            } else if (!isSeparatorChar(n)) {
                separatorsOnly = false;
                other = true;
            }
        }
        if (normal == QLatin1String("X") || normal == QLatin1String("x"))
            u.kind = Kind::CheckX;
        else if (!other && u.digits > 0)
            u.kind = Kind::Digits;
        else if (separatorsOnly)
            u.kind = Kind::Separator;
        out.append(u);
    }
    return out;
}

struct Run {
    qsizetype first = 0; ///< unit index of the first digit
    qsizetype last = 0; ///< unit index of the last digit, or of the check X
    qsizetype digits = 0;
};

/// Every number in the units, in order.
QList<Run> runs(const QList<Unit> &u)
{
    QList<Run> out;
    for (qsizetype i = 0; i < u.size();) {
        if (u[i].kind != Kind::Digits) {
            ++i;
            continue;
        }
        Run r {i, i, 0};
        qsizetype j = i;
        for (; j < u.size() && (u[j].kind == Kind::Digits || u[j].kind == Kind::Separator); ++j) {
            if (u[j].kind == Kind::Digits) {
                r.last = j;
                r.digits += u[j].digits;
            }
        }
        if (j < u.size() && u[j].kind == Kind::CheckX)
            r.last = j;
        out.append(r);
        i = r.last + 1;
    }
    return out;
}

/// Characters that must not reach a terminal or a log as they are.
bool mustEscape(char32_t c)
{
    if (QChar::isSurrogate(c) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format: // bidi overrides and isolates, zero-width characters
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

} // namespace

qsizetype longestDigitRun(QStringView text)
{
    qsizetype longest = 0;
    for (const Run &r : runs(units(text)))
        longest = std::max(longest, r.digits);
    return longest;
}

QString redact(QStringView text)
{
    const QList<Unit> u = units(text);
    QString out;
    qsizetype copied = 0; // input position up to which `out` is complete
    for (const Run &r : runs(u)) {
        if (r.digits < kHideFrom)
            continue;
        out += text.mid(copied, u[r.first].start - copied);
        out += QStringView(kHiddenNumber);
        copied = u[r.last].start + u[r.last].length;
    }
    out += text.mid(copied);
    return out;
}

QString safeToPrint(QStringView text, qsizetype maxChars)
{
    const QString hidden = redact(text);
    const QStringView placeholder(kHiddenNumber);
    QString out;
    qsizetype shown = 0;
    for (qsizetype i = 0; i < hidden.size();) {
        if (shown == maxChars)
            return out + QStringLiteral("...");
        ++shown;
        if (QStringView(hidden).mid(i).startsWith(placeholder)) {
            out += placeholder;
            i += placeholder.size();
            continue;
        }
        const QChar c = hidden.at(i);
        char32_t cp = c.unicode();
        qsizetype length = 1;
        if (c.isHighSurrogate() && i + 1 < hidden.size() && hidden.at(i + 1).isLowSurrogate()) {
            cp = QChar::surrogateToUcs4(c, hidden.at(i + 1));
            length = 2;
        }
        if (mustEscape(cp))
            out += QStringLiteral("<U+%1>").arg(uint(cp), 4, 16, QLatin1Char('0')).toUpper();
        else
            out += hidden.mid(i, length);
        i += length;
    }
    return out;
}

QString quoteInput(QStringView text, qsizetype maxChars)
{
    return QLatin1Char('"') + safeToPrint(text, maxChars) + QLatin1Char('"');
}

} // namespace pingyi
