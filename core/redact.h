#pragma once
// Making user input safe to print. Every message, log line or report that quotes a value
// from a file or a command line passes it through here first, because that value may be an
// ID number, a PIN or part of one, typed in any of the ways people type numbers. The rule is
// in docs/security.md §9.

#include <QString>
#include <QStringView>

namespace pingyi {

/// Placeholder that stands for a hidden number in printed text.
inline constexpr char16_t kHiddenNumber[] = u"[number hidden]";

/// Digits in the longest "number" in `text`: after NFKC normalisation (full-width and other
/// compatibility digits become ASCII; any Unicode decimal digit and the Chinese numerals
/// 〇一二三四五六七八九 count as digits), a number is a run of digits that may be broken by
/// separators (white space of any kind, punctuation such as - . _ / , : and full-width forms,
/// zero-width and other invisible format characters, combining marks).
qsizetype longestDigitRun(QStringView text);

/// `text` with every number of 6 or more digits (a whole or partial ID number, an old
/// 15-digit number, a 6- or 8-digit staff PIN, a phone number) replaced by kHiddenNumber,
/// the number's separators and a check character X/x right after it included. Everything
/// else is kept as written.
QString redact(QStringView text);

/// redact(), then control, bidirectional and other invisible characters shown as <U+XXXX>
/// (so a value cannot rewrite the terminal or reorder the message around it), then cut to
/// `maxChars` characters with "..." : a value fit to quote in a message.
QString safeToPrint(QStringView text, qsizetype maxChars = 40);

/// safeToPrint() in double quotes.
QString quoteInput(QStringView text, qsizetype maxChars = 40);

} // namespace pingyi
