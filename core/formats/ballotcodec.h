#pragma once
// The one reader of the ballot and suggestion plaintexts (docs/formats.md §Ballot). The
// kiosk writes them as padded compact JSON with sorted keys (core/ballot.cpp encodeBallot);
// this header reads exactly that canonical form straight from its bytes and reports what it
// reads to a visitor. core decodeBallot is one visitor (it builds BallotAnswers); the
// tally's counter is another (it counts into its cells without building anything). Input
// that is not canonical (escapes, other key order) is left to the JSON reader of
// decodeBallot, which decides and explains.

#include <QByteArrayView>

#include <cstring>
#include <optional>
#include <string_view>

namespace pingyi::formats {

/// The "v" field of a ballot plaintext; a new encoding gets a new number here.
inline constexpr int ballotVersion = 1;
/// The "v" field of a suggestion plaintext.
inline constexpr int suggestionVersion = 1;
/// Padding blocks: a ballot fills a multiple of ballotPadBlock (the same for every ballot of
/// an activity), a suggestion exactly suggestionPadBlock.
inline constexpr qsizetype ballotPadBlock = 1024;
inline constexpr qsizetype suggestionPadBlock = 2048;

/// The length of a plaintext padded as encodeBallot and encodeSuggestion pad it (ISO/IEC
/// 7816-4: 0x80 then zeros to a multiple of `block`, the whole plaintext one padding
/// block), or -1. Looks only at the padding, not the whole block: for the office, which
/// opens its own records, there is no secret for the time taken to reveal.
inline qsizetype unpaddedLength(QByteArrayView plain, qsizetype block)
{
    qsizetype at = plain.size();
    if (at == 0 || at % block != 0)
        return -1;
    const char *p = plain.data();
    while (at > 0 && p[at - 1] == '\0')
        --at;
    if (at == 0 || static_cast<unsigned char>(p[at - 1]) != 0x80)
        return -1;
    return at - 1;
}

/// The two answer maps of a ballot, in the order the canonical encoding holds them.
enum class AnswerPart { Discipline, Questionnaire };

namespace detail {

/// Reads the compact, escape-free JSON that the encoders write.
class Cursor {
public:
    Cursor(const char *begin, std::size_t size) : m_p(begin), m_end(begin + size) { }
    bool lit(std::string_view s)
    {
        if (std::size_t(m_end - m_p) < s.size() || std::memcmp(m_p, s.data(), s.size()) != 0)
            return false;
        m_p += s.size();
        return true;
    }
    bool peek(char c) const { return m_p < m_end && *m_p == c; }
    /// A string of code characters ([a-z0-9._-]); anything else is not canonical.
    bool code(std::string_view &out)
    {
        if (!lit("\""))
            return false;
        const char *start = m_p;
        while (m_p < m_end && *m_p != '"') {
            const char c = *m_p;
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
                return false;
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        out = std::string_view(start, std::size_t(m_p - start));
        ++m_p;
        return true;
    }
    /// A string without escapes (any other byte is kept as it is: UTF-8 text).
    bool plainString(std::string_view &out)
    {
        if (!lit("\""))
            return false;
        const auto *end = static_cast<const char *>(std::memchr(m_p, '"', std::size_t(m_end - m_p)));
        if (!end || std::memchr(m_p, '\\', std::size_t(end - m_p)))
            return false;
        out = std::string_view(m_p, std::size_t(end - m_p));
        m_p = end + 1;
        return true;
    }
    /// A small non-negative integer, written as JSON writes it (no leading zero: "01" is
    /// not canonical, and not JSON either).
    bool integer(int &out)
    {
        if (m_p == m_end || *m_p < '0' || *m_p > '9')
            return false;
        if (*m_p == '0' && m_p + 1 < m_end && m_p[1] >= '0' && m_p[1] <= '9')
            return false;
        out = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9' && out < 100000)
            out = out * 10 + (*m_p++ - '0');
        return true;
    }
    bool atEnd() const { return m_p == m_end; }

private:
    const char *m_p;
    const char *m_end;
};

template<typename V> bool readAnswers(Cursor &c, AnswerPart part, V &v)
{
    if (!c.lit("{") || !v.beginAnswers(part))
        return false;
    if (!c.peek('}')) {
        do {
            std::string_view key, choice;
            if (!c.code(key) || !c.lit(":[") || !v.question(key))
                return false;
            if (!c.peek(']')) {
                do {
                    if (!c.code(choice) || !v.choice(choice))
                        return false;
                } while (c.lit(","));
            }
            if (!c.lit("]") || !v.endQuestion())
                return false;
        } while (c.lit(","));
    }
    return c.lit("}") && v.endAnswers();
}

} // namespace detail

/**
 * Reads an unpadded ballot plaintext in its canonical form and tells @p visitor what it
 * holds, in encoding order. The visitor provides (each returning false to stop):
 *   activity(sv) · beginAnswers(AnswerPart) · question(sv) · choice(sv) · endQuestion() ·
 *   endAnswers() [discipline, then questionnaire] · beginRatings() · rating(dept, option) ·
 *   endRatings() · session(sv) · version(int).
 * True when the whole plaintext was read and the visitor accepted all of it. False means
 * "not canonical or not accepted", never "invalid": decodeBallot then reads it as JSON.
 */
template<typename V> bool readBallot(QByteArrayView json, V &visitor)
{
    detail::Cursor c(json.data(), std::size_t(json.size()));
    std::string_view s;
    int version = 0;
    if (!c.lit("{\"activity\":") || !c.code(s) || !visitor.activity(s))
        return false;
    if (!c.lit(",\"discipline\":") || !detail::readAnswers(c, AnswerPart::Discipline, visitor))
        return false;
    if (!c.lit(",\"questionnaire\":") || !detail::readAnswers(c, AnswerPart::Questionnaire, visitor))
        return false;
    if (!c.lit(",\"ratings\":{") || !visitor.beginRatings())
        return false;
    if (!c.peek('}')) {
        do {
            std::string_view dept, option;
            if (!c.code(dept) || !c.lit(":") || !c.code(option) || !visitor.rating(dept, option))
                return false;
        } while (c.lit(","));
    }
    if (!c.lit("}") || !visitor.endRatings())
        return false;
    if (!c.lit(",\"session\":") || !c.code(s) || !visitor.session(s))
        return false;
    return c.lit(",\"v\":") && c.integer(version) && c.lit("}") && c.atEnd() && visitor.version(version);
}

/// The fields of a canonical suggestion plaintext, as views into it.
struct SuggestionFields {
    std::string_view activity, department, session, text, topic;
    int version = 0;
};

/// Reads an unpadded suggestion plaintext in its canonical form (codes, and a text without
/// escapes); std::nullopt for anything else, which decodeSuggestion reads as JSON.
inline std::optional<SuggestionFields> readSuggestion(QByteArrayView json)
{
    detail::Cursor c(json.data(), std::size_t(json.size()));
    SuggestionFields f;
    if (!c.lit("{\"activity\":") || !c.code(f.activity) || !c.lit(",\"department\":") || !c.code(f.department)
        || !c.lit(",\"session\":") || !c.code(f.session) || !c.lit(",\"text\":") || !c.plainString(f.text)
        || !c.lit(",\"topic\":") || !c.code(f.topic) || !c.lit(",\"v\":") || !c.integer(f.version) || !c.lit("}")
        || !c.atEnd())
        return std::nullopt;
    return f;
}

} // namespace pingyi::formats
