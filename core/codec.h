#pragma once
// Canonical binary encoding for compact signed records (credentials): big-endian integers,
// length-prefixed strings. A Reader never reads past its input and remembers the first
// problem, so decoders stay linear and every malformed input is refused.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace pingyi::codec {

class Writer {
public:
    void u8(quint8 v) { m_out.append(char(v)); }
    void u16(quint16 v);
    void u32(quint32 v);
    /// UTF-8 string with a one-byte length (at most 255 bytes; longer is a caller bug).
    void shortString(const QString &s);
    void raw(QByteArrayView b) { m_out.append(b.data(), b.size()); }
    const QByteArray &bytes() const { return m_out; }

private:
    QByteArray m_out;
};

class Reader {
public:
    explicit Reader(QByteArrayView in) : m_in(in) { }
    quint8 u8();
    quint16 u16();
    quint32 u32();
    QString shortString();
    QByteArrayView raw(qsizetype n);
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    qsizetype position() const { return m_pos; }

private:
    bool need(qsizetype n);
    QByteArrayView m_in;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

/// RFC 4648 base32 without padding, upper case: fits QR alphanumeric mode.
QString base32Encode(QByteArrayView data);
/// Empty result with *ok=false on a character outside the alphabet.
QByteArray base32Decode(QStringView text, bool *ok);

} // namespace pingyi::codec
