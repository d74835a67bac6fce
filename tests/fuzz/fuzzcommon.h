#pragma once
// Shared by the libFuzzer targets in tests/fuzz and the seed generator: the deterministic
// test keys (so a seed signed by the generator verifies in the harness, and a harness can
// re-sign what the fuzzer mutated), the demo activity, a check that aborts (libFuzzer then
// keeps the input), and the framing of structured inputs. See docs/fuzzing.md.

#include "activity.h"
#include "crypto.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace pingyi::fuzz {

/// An invariant of the code under test failed: abort so libFuzzer saves the input.
[[noreturn]] inline void fail(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}
#define FUZZ_CHECK(cond)                                                                                               \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            ::pingyi::fuzz::fail(#cond, __FILE__, __LINE__);                                                           \
    } while (0)

/// Fixed keys: derived from constant seeds so every run, the seed generator and the
/// regression inputs agree on them. Never used outside tests.
struct TestKeys {
    crypto::SigningKey root;
    crypto::SigningKey kiosk;
    crypto::BoxKeyPair kioskBox;
    crypto::BoxKeyPair election;
    crypto::BoxKeyPair archive;
    QString kioskId = QStringLiteral("FUZZ-1");
};

inline crypto::SecretBytes constantSecret(char fill)
{
    return crypto::SecretBytes::copyOf(QByteArray(32, fill));
}

inline const TestKeys &testKeys()
{
    static const TestKeys keys = [] {
        if (!crypto::init())
            fail("libsodium init", __FILE__, __LINE__);
        TestKeys k;
        k.root = *crypto::SigningKey::fromSeed(constantSecret('\x01'));
        k.kiosk = *crypto::SigningKey::fromSeed(constantSecret('\x02'));
        k.kioskBox = crypto::BoxKeyPair::fromSigningKey(k.kiosk);
        k.election = *crypto::BoxKeyPair::fromSecret(constantSecret('\x03'));
        k.archive = *crypto::BoxKeyPair::fromSecret(constantSecret('\x04'));
        return k;
    }();
    return keys;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        fail(qPrintable(QStringLiteral("cannot read %1").arg(path)), __FILE__, __LINE__);
    return f.readAll();
}

/// The demo activity (examples/qingdao-2025): the spec every structured target validates
/// against, so ballots, rosters and packages reach the checks that need an activity.
inline const Activity &demoActivity()
{
    static const Activity activity = [] {
        auto a = Activity::fromJson(readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json")),
                                    QStringLiteral("demo activity"));
        if (!a)
            fail("the demo activity does not parse", __FILE__, __LINE__);
        return *a;
    }();
    return activity;
}

/// Structured inputs are a list of frames: u8 tag | u16 little-endian length | bytes. A short
/// last frame takes what is left, so every byte string is a valid input.
class FrameReader {
public:
    FrameReader(const uint8_t *data, size_t size) : m_data(data), m_size(size) { }
    struct Frame {
        uint8_t tag;
        QByteArray bytes;
    };
    std::optional<Frame> next()
    {
        if (m_pos >= m_size)
            return std::nullopt;
        Frame f {m_data[m_pos++], {}};
        size_t len = 0;
        if (m_pos + 2 <= m_size)
            len = size_t(m_data[m_pos]) | (size_t(m_data[m_pos + 1]) << 8);
        m_pos += 2;
        if (m_pos > m_size)
            m_pos = m_size;
        len = std::min(len, m_size - m_pos);
        f.bytes = QByteArray(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(len));
        m_pos += len;
        return f;
    }

private:
    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
};

inline void appendFrame(QByteArray &out, uint8_t tag, const QByteArray &bytes)
{
    const qsizetype len = std::min<qsizetype>(bytes.size(), 0xffff);
    out.append(char(tag));
    out.append(char(len & 0xff));
    out.append(char((len >> 8) & 0xff));
    out.append(bytes.left(len));
}

inline QByteArrayView view(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

/// One byte of @p bytes changed (position and bit chosen from the bytes themselves, so the
/// run is reproducible): what a signature check must refuse.
inline QByteArray flipOneByte(QByteArray bytes)
{
    if (bytes.isEmpty())
        return bytes;
    const QByteArray h = crypto::hash(bytes, 8);
    quint64 r = 0;
    for (char c : h)
        r = (r << 8) | quint8(c);
    const qsizetype pos = qsizetype(r % quint64(bytes.size()));
    bytes[pos] = char(bytes[pos] ^ char(1u << ((r >> 32) % 8)));
    return bytes;
}

/// A signed-document envelope (core/signeddoc.h) around @p body, signed by @p key: how the
/// kiosk targets reach the body readers behind the signature. An input that already is an
/// envelope gives its own body, so the seed documents feed both paths.
QByteArray resignedEnvelope(const QByteArray &input, const crypto::SigningKey &key, const char *domain);

/// Qt's own messages (e.g. QJsonDocument warnings) are noise at millions of executions;
/// a fatal one still aborts.
inline void quietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
            std::abort();
        }
    });
}

inline QByteArray resignedEnvelope(const QByteArray &input, const crypto::SigningKey &key, const char *domain)
{
    QByteArray body = input;
    const QJsonObject o = QJsonDocument::fromJson(input).object();
    if (o.value(QLatin1String("format")).toString() == QLatin1String("pingyi-signed/v1"))
        body = QByteArray::fromBase64(o.value(QLatin1String("body")).toString().toLatin1());
    const QJsonObject envelope {{QStringLiteral("format"), QStringLiteral("pingyi-signed/v1")},
                                {QStringLiteral("domain"), QString::fromLatin1(domain)},
                                {QStringLiteral("signer"), crypto::fingerprint(key.publicKey())},
                                {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
                                {QStringLiteral("signature"), QString::fromLatin1(key.sign(domain, body).toBase64())}};
    return QJsonDocument(envelope).toJson(QJsonDocument::Compact);
}

} // namespace pingyi::fuzz
