#include "codec.h"

namespace pingyi::codec {

void Writer::u16(quint16 v)
{
    m_out.append(char(v >> 8));
    m_out.append(char(v));
}

void Writer::u32(quint32 v)
{
    u16(quint16(v >> 16));
    u16(quint16(v));
}

void Writer::shortString(const QString &s)
{
    const QByteArray u = s.toUtf8();
    Q_ASSERT(u.size() <= 255);
    u8(quint8(u.size()));
    raw(u);
}

bool Reader::need(qsizetype n)
{
    if (!m_ok || n < 0 || m_in.size() - m_pos < n) {
        m_ok = false;
        return false;
    }
    return true;
}

quint8 Reader::u8()
{
    if (!need(1))
        return 0;
    return quint8(m_in[m_pos++]);
}

quint16 Reader::u16()
{
    const quint16 hi = u8();
    return quint16((hi << 8) | u8());
}

quint32 Reader::u32()
{
    const quint32 hi = u16();
    return (hi << 16) | u16();
}

QString Reader::shortString()
{
    const qsizetype n = u8();
    const QByteArrayView b = raw(n);
    if (!m_ok)
        return {};
    const QString s = QString::fromUtf8(b);
    if (s.toUtf8() != b) // reject invalid UTF-8 rather than silently replacing it
        m_ok = false;
    return s;
}

QByteArrayView Reader::raw(qsizetype n)
{
    if (!need(n))
        return {};
    const QByteArrayView v = m_in.sliced(m_pos, n);
    m_pos += n;
    return v;
}

namespace {
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

QString base32Encode(QByteArrayView data)
{
    QString out;
    out.reserve((data.size() * 8 + 4) / 5);
    quint32 buffer = 0;
    int bits = 0;
    for (char c : data) {
        buffer = (buffer << 8) | quint8(c);
        bits += 8;
        while (bits >= 5) {
            out += QLatin1Char(alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        out += QLatin1Char(alphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

QByteArray base32Decode(QStringView text, bool *ok)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar ch : text) {
        int v;
        const char16_t c = ch.unicode();
        if (c >= u'A' && c <= u'Z')
            v = c - u'A';
        else if (c >= u'a' && c <= u'z')
            v = c - u'a';
        else if (c >= u'2' && c <= u'7')
            v = c - u'2' + 26;
        else {
            *ok = false;
            return {};
        }
        buffer = (buffer << 5) | quint32(v);
        bits += 5;
        if (bits >= 8) {
            out.append(char(buffer >> (bits - 8)));
            bits -= 8;
        }
    }
    // Leftover bits must be zero padding, or the text was not produced by base32Encode.
    *ok = bits < 5 && (buffer & ((1u << bits) - 1)) == 0;
    return *ok ? out : QByteArray();
}

} // namespace pingyi::codec
