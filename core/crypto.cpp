#include "crypto.h"

#include "fileio.h"
#include "redact.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <sodium.h>

#include <cstdio>
#include <cstring>

namespace pingyi::crypto {

bool init()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

namespace {
const unsigned char *u(QByteArrayView v)
{
    return reinterpret_cast<const unsigned char *>(v.data());
}
unsigned char *u(QByteArray &b)
{
    return reinterpret_cast<unsigned char *>(b.data());
}

QByteArray domainMessage(const char *domain, QByteArrayView message)
{
    QByteArray m;
    const auto dlen = std::strlen(domain);
    m.reserve(qsizetype(dlen) + 1 + message.size());
    m.append(domain, qsizetype(dlen));
    m.append('\0');
    m.append(message.data(), message.size());
    return m;
}
} // namespace

// ---- SecretBytes ------------------------------------------------------------------

SecretBytes::SecretBytes(std::size_t size) : m_size(size)
{
    init();
    if (size) {
        m_data = static_cast<unsigned char *>(sodium_malloc(size));
        if (!m_data)
            qFatal("sodium_malloc failed: out of guarded memory");
    }
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept : m_data(other.m_data), m_size(other.m_size)
{
    other.m_data = nullptr;
    other.m_size = 0;
}

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        if (m_data)
            sodium_free(m_data);
        m_data = other.m_data;
        m_size = other.m_size;
        other.m_data = nullptr;
        other.m_size = 0;
    }
    return *this;
}

SecretBytes::~SecretBytes()
{
    if (m_data)
        sodium_free(m_data);
}

SecretBytes SecretBytes::random(std::size_t size)
{
    SecretBytes s(size);
    randombytes_buf(s.data(), size);
    return s;
}

SecretBytes SecretBytes::copyOf(QByteArrayView bytes)
{
    SecretBytes s(std::size_t(bytes.size()));
    if (bytes.size())
        std::memcpy(s.data(), bytes.data(), std::size_t(bytes.size()));
    return s;
}

bool SecretBytes::equals(const SecretBytes &other) const
{
    return m_size == other.m_size && (m_size == 0 || sodium_memcmp(m_data, other.m_data, m_size) == 0);
}

// ---- signatures -------------------------------------------------------------------

SigningKey SigningKey::generate()
{
    return fromSeed(SecretBytes::random(crypto_sign_SEEDBYTES)).value();
}

Result<SigningKey> SigningKey::fromSeed(const SecretBytes &seed)
{
    if (seed.size() != crypto_sign_SEEDBYTES)
        return makeError(QStringLiteral("key-format"), QStringLiteral("an Ed25519 seed must be 32 bytes"));
    SigningKey k;
    k.m_seed = SecretBytes::copyOf(seed.view());
    k.m_secret = SecretBytes(crypto_sign_SECRETKEYBYTES);
    k.m_public = QByteArray(crypto_sign_PUBLICKEYBYTES, '\0');
    crypto_sign_seed_keypair(u(k.m_public), k.m_secret.data(), k.m_seed.data());
    return k;
}

QByteArray SigningKey::sign(const char *domain, QByteArrayView message) const
{
    const QByteArray m = domainMessage(domain, message);
    QByteArray sig(crypto_sign_BYTES, '\0');
    crypto_sign_detached(u(sig), nullptr, u(m), size_t(m.size()), m_secret.data());
    return sig;
}

bool verify(QByteArrayView publicKey, const char *domain, QByteArrayView message, QByteArrayView signature)
{
    init();
    if (publicKey.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES)
        return false;
    const QByteArray m = domainMessage(domain, message);
    return crypto_sign_verify_detached(u(signature), u(m), size_t(m.size()), u(publicKey)) == 0;
}

// ---- boxes ------------------------------------------------------------------------

BoxKeyPair BoxKeyPair::generate()
{
    return fromSecret(SecretBytes::random(crypto_box_SECRETKEYBYTES)).value();
}

Result<BoxKeyPair> BoxKeyPair::fromSecret(const SecretBytes &secret)
{
    if (secret.size() != crypto_box_SECRETKEYBYTES)
        return makeError(QStringLiteral("key-format"), QStringLiteral("an X25519 secret key must be 32 bytes"));
    BoxKeyPair k;
    k.m_secret = SecretBytes::copyOf(secret.view());
    k.m_public = QByteArray(crypto_box_PUBLICKEYBYTES, '\0');
    crypto_scalarmult_base(u(k.m_public), k.m_secret.data());
    return k;
}

BoxKeyPair BoxKeyPair::fromSigningKey(const SigningKey &key)
{
    SecretBytes expanded(crypto_sign_SECRETKEYBYTES);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_seed_keypair(pk, expanded.data(), key.seed().data());
    SecretBytes x(crypto_box_SECRETKEYBYTES);
    crypto_sign_ed25519_sk_to_curve25519(x.data(), expanded.data());
    return fromSecret(x).value();
}

QByteArray boxPublicKeyFromSignPublicKey(QByteArrayView signPublicKey)
{
    init();
    if (signPublicKey.size() != crypto_sign_PUBLICKEYBYTES)
        return {};
    QByteArray x(crypto_box_PUBLICKEYBYTES, '\0');
    if (crypto_sign_ed25519_pk_to_curve25519(u(x), u(signPublicKey)) != 0)
        return {};
    return x;
}

QByteArray seal(QByteArrayView publicKey, QByteArrayView plaintext)
{
    init();
    Q_ASSERT(publicKey.size() == crypto_box_PUBLICKEYBYTES);
    QByteArray out(plaintext.size() + qsizetype(crypto_box_SEALBYTES), '\0');
    crypto_box_seal(u(out), u(plaintext), size_t(plaintext.size()), u(publicKey));
    return out;
}

Result<SecretBytes> openSealed(const BoxKeyPair &keys, QByteArrayView sealed)
{
    if (sealed.size() < qsizetype(crypto_box_SEALBYTES))
        return makeError(QStringLiteral("decrypt"), QStringLiteral("sealed data is too short"));
    SecretBytes out(std::size_t(sealed.size()) - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(out.data(), u(sealed), size_t(sealed.size()), u(keys.publicKey()), keys.secret().data())
        != 0)
        return makeError(QStringLiteral("decrypt"),
                         QStringLiteral("cannot open sealed data: wrong key or damaged data"));
    return out;
}

// ---- hashing ----------------------------------------------------------------------

QByteArray hash(QByteArrayView data, std::size_t outBytes)
{
    init();
    QByteArray out(qsizetype(outBytes), '\0');
    crypto_generichash(u(out), outBytes, u(data), size_t(data.size()), nullptr, 0);
    return out;
}

QByteArray keyedHash(const SecretBytes &key, QByteArrayView data, std::size_t outBytes)
{
    QByteArray out(qsizetype(outBytes), '\0');
    crypto_generichash(u(out), outBytes, u(data), size_t(data.size()), key.data(), key.size());
    return out;
}

QString fingerprint(QByteArrayView publicKey)
{
    const QByteArray h = hash(publicKey, 20).toHex();
    QString s;
    for (int i = 0; i < h.size(); i += 8) {
        if (i)
            s += QLatin1Char('-');
        s += QString::fromLatin1(h.mid(i, 8));
    }
    return s;
}

QString hashPin(QByteArrayView pin)
{
    init();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.data(), size_t(pin.size()), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        qFatal("crypto_pwhash_str: out of memory");
    return QString::fromLatin1(out);
}

bool verifyPin(const QString &hash, QByteArrayView pin)
{
    init();
    const QByteArray h = hash.toLatin1();
    return crypto_pwhash_str_verify(h.constData(), pin.data(), size_t(pin.size())) == 0;
}

quint32 randomUniform(quint32 upper)
{
    init();
    return randombytes_uniform(upper);
}

QByteArray randomBytes(std::size_t size)
{
    init();
    QByteArray b(qsizetype(size), '\0');
    randombytes_buf(b.data(), size);
    return b;
}

// ---- secretstream -----------------------------------------------------------------

namespace {
using StreamState = crypto_secretstream_xchacha20poly1305_state;
constexpr qsizetype streamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr qsizetype streamOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;

void putU32(QByteArray &out, quint32 v)
{
    const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(b, 4);
}
quint32 getU32(const char *p)
{
    const auto *b = reinterpret_cast<const unsigned char *>(p);
    return (quint32(b[0]) << 24) | (quint32(b[1]) << 16) | (quint32(b[2]) << 8) | quint32(b[3]);
}
} // namespace

StreamWriter::StreamWriter(const SecretBytes &key) : m_state(sizeof(StreamState)), m_header(streamHeaderBytes, '\0')
{
    Q_ASSERT(key.size() == crypto_secretstream_xchacha20poly1305_KEYBYTES);
    crypto_secretstream_xchacha20poly1305_init_push(reinterpret_cast<StreamState *>(m_state.data()), u(m_header),
                                                    key.data());
}

QByteArray StreamWriter::push(QByteArrayView chunk, QByteArrayView ad, bool last)
{
    QByteArray out;
    const qsizetype ctLen = chunk.size() + streamOverhead;
    out.reserve(4 + ctLen);
    putU32(out, quint32(ctLen));
    out.resize(4 + ctLen);
    crypto_secretstream_xchacha20poly1305_push(
        reinterpret_cast<StreamState *>(m_state.data()), u(out) + 4, nullptr, u(chunk), size_t(chunk.size()),
        ad.isEmpty() ? nullptr : u(ad), size_t(ad.size()),
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    return out;
}

Result<StreamReader> StreamReader::open(const SecretBytes &key, QByteArrayView header)
{
    if (key.size() != crypto_secretstream_xchacha20poly1305_KEYBYTES || header.size() != streamHeaderBytes)
        return makeError(QStringLiteral("stream"), QStringLiteral("the encrypted stream's header is malformed"));
    StreamReader r;
    r.m_state = SecretBytes(sizeof(StreamState));
    if (crypto_secretstream_xchacha20poly1305_init_pull(reinterpret_cast<StreamState *>(r.m_state.data()), u(header),
                                                        key.data())
        != 0)
        return makeError(QStringLiteral("stream"), QStringLiteral("the encrypted stream's header is malformed"));
    return r;
}

Result<QByteArray> StreamReader::pull(QByteArrayView stream, qsizetype *offset, QByteArrayView ad, bool *last)
{
    if (stream.size() - *offset < 4)
        return makeError(QStringLiteral("stream-truncated"),
                         QStringLiteral("the encrypted stream ends early (truncated)"));
    const qsizetype ctLen = getU32(stream.data() + *offset);
    if (ctLen < streamOverhead || ctLen > stream.size() - *offset - 4)
        return makeError(QStringLiteral("stream-truncated"),
                         QStringLiteral("the encrypted stream ends early or a chunk length is damaged"));
    QByteArray out(ctLen - streamOverhead, '\0');
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(reinterpret_cast<StreamState *>(m_state.data()), u(out), nullptr,
                                                   &tag, u(stream) + *offset + 4, size_t(ctLen),
                                                   ad.isEmpty() ? nullptr : u(ad), size_t(ad.size()))
        != 0)
        return makeError(
            QStringLiteral("stream-auth"),
            QStringLiteral("the encrypted stream failed authentication (damaged, reordered or wrong key)"));
    *offset += 4 + ctLen;
    *last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    return out;
}

Result<QByteArrayView> StreamReader::pullInto(QByteArrayView stream, qsizetype *offset, QByteArrayView ad, bool *last,
                                              std::vector<unsigned char> &buffer)
{
    if (stream.size() - *offset < 4)
        return makeError(QStringLiteral("stream-truncated"),
                         QStringLiteral("the encrypted stream ends early (truncated)"));
    const qsizetype ctLen = getU32(stream.data() + *offset);
    if (ctLen < streamOverhead || ctLen > stream.size() - *offset - 4)
        return makeError(QStringLiteral("stream-truncated"),
                         QStringLiteral("the encrypted stream ends early or a chunk length is damaged"));
    const std::size_t plainLen = std::size_t(ctLen - streamOverhead);
    if (buffer.size() < std::max<std::size_t>(plainLen, 1))
        buffer.resize(std::max<std::size_t>(plainLen, 1));
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(reinterpret_cast<StreamState *>(m_state.data()), buffer.data(),
                                                   nullptr, &tag, u(stream) + *offset + 4, size_t(ctLen),
                                                   ad.isEmpty() ? nullptr : u(ad), size_t(ad.size()))
        != 0)
        return makeError(
            QStringLiteral("stream-auth"),
            QStringLiteral("the encrypted stream failed authentication (damaged, reordered or wrong key)"));
    *offset += 4 + ctLen;
    *last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    return QByteArrayView(reinterpret_cast<const char *>(buffer.data()), qsizetype(plainLen));
}

QByteArray streamEncrypt(const SecretBytes &key, QByteArrayView plaintext, QByteArrayView ad, std::size_t chunkBytes)
{
    StreamWriter w(key);
    QByteArray out = w.header();
    qsizetype pos = 0;
    do {
        const qsizetype n = std::min<qsizetype>(qsizetype(chunkBytes), plaintext.size() - pos);
        const bool last = pos + n >= plaintext.size();
        // The associated data binds the first chunk to its context; later chunks are bound
        // through the stream state.
        out += w.push(plaintext.sliced(pos, n), pos == 0 ? ad : QByteArrayView(), last);
        pos += n;
    } while (pos < plaintext.size());
    return out;
}

Result<QByteArray> streamDecrypt(const SecretBytes &key, QByteArrayView stream, QByteArrayView ad)
{
    if (stream.size() < streamHeaderBytes)
        return makeError(QStringLiteral("stream-truncated"), QStringLiteral("the encrypted stream is truncated"));
    auto reader = StreamReader::open(key, stream.first(streamHeaderBytes));
    if (!reader)
        return reader.error();
    qsizetype offset = streamHeaderBytes;
    QByteArray out;
    bool last = false;
    bool first = true;
    while (!last) {
        auto chunk = reader->pull(stream, &offset, first ? ad : QByteArrayView(), &last);
        if (!chunk)
            return chunk.error();
        out += *chunk;
        first = false;
    }
    if (offset != stream.size())
        return makeError(QStringLiteral("stream-trailing"),
                         QStringLiteral("unexpected data after the end of the encrypted stream"));
    return out;
}

// ---- key files --------------------------------------------------------------------

KdfStrength KdfStrength::interactive()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

KdfStrength KdfStrength::moderate()
{
    // 3 passes over 128 MiB: about a second on a kiosk-class CPU, expensive to guess at scale.
    return {3, 128u * 1024 * 1024};
}

namespace {
constexpr char keyFileFormat[] = "pingyi-keyfile/v1";

Error formatError(const QString &path, const QString &what)
{
    return makeError(QStringLiteral("keyfile-format"),
                     QStringLiteral("%1 is not a valid Pingyi key file (%2)").arg(path, what));
}

struct ParsedKeyFile {
    QJsonObject obj;
    QString kind;
    QByteArray publicPart;
};

Result<ParsedKeyFile> parseKeyFile(const QString &path)
{
    auto data = readInputFile(path, InputKind::KeyFile);
    if (!data)
        return makeError(QStringLiteral("keyfile-io"), data.error().message);
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(*data, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return formatError(path, QStringLiteral("not JSON"));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("format")).toString() != QLatin1String(keyFileFormat))
        return formatError(path, QStringLiteral("unknown format"));
    ParsedKeyFile p {o, o.value(QLatin1String("kind")).toString(),
                     QByteArray::fromBase64(o.value(QLatin1String("public")).toString().toLatin1())};
    if (p.kind.isEmpty())
        return formatError(path, QStringLiteral("no kind"));
    return p;
}

QByteArray associated(const QString &kind, QByteArrayView publicPart)
{
    // Binds the secret to its kind and public part: swapping either breaks decryption.
    return QByteArray(keyFileFormat) + '\0' + kind.toUtf8() + '\0' + publicPart.toByteArray();
}
} // namespace

Status writeKeyFile(const QString &path, const KeyFileContents &contents, const SecretBytes &passphrase,
                    KdfStrength strength)
{
    init();
    const QByteArray salt = randomBytes(crypto_pwhash_SALTBYTES);
    SecretBytes key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char *>(passphrase.data()), passphrase.size(),
                      u(salt), strength.opsLimit, strength.memLimit, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return makeError(QStringLiteral("keyfile-kdf"), QStringLiteral("not enough memory to derive the key"));
    const QByteArray nonce = randomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const QByteArray ad = associated(contents.kind, contents.publicPart);
    QByteArray ct(qsizetype(contents.secret.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES), '\0');
    crypto_aead_xchacha20poly1305_ietf_encrypt(u(ct), nullptr, contents.secret.data(), contents.secret.size(), u(ad),
                                               size_t(ad.size()), nullptr, u(nonce), key.data());
    QJsonObject kdf {{QStringLiteral("alg"), QStringLiteral("argon2id13")},
                     {QStringLiteral("opslimit"), qint64(strength.opsLimit)},
                     {QStringLiteral("memlimit"), qint64(strength.memLimit)},
                     {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())}};
    QJsonObject o {{QStringLiteral("format"), QString::fromLatin1(keyFileFormat)},
                   {QStringLiteral("kind"), contents.kind},
                   {QStringLiteral("public"), QString::fromLatin1(contents.publicPart.toBase64())},
                   {QStringLiteral("kdf"), kdf},
                   {QStringLiteral("cipher"), QStringLiteral("xchacha20poly1305-ietf")},
                   {QStringLiteral("nonce"), QString::fromLatin1(nonce.toBase64())},
                   {QStringLiteral("secret"), QString::fromLatin1(ct.toBase64())}};
    return writeFileAtomic(path, QJsonDocument(o).toJson(QJsonDocument::Indented), true);
}

Result<KeyFileContents> readKeyFilePublic(const QString &path)
{
    auto p = parseKeyFile(path);
    if (!p)
        return p.error();
    return KeyFileContents {p->kind, p->publicPart, {}};
}

Result<KeyFileContents> readKeyFile(const QString &path, const QString &expectedKind, const SecretBytes &passphrase)
{
    init();
    auto p = parseKeyFile(path);
    if (!p)
        return p.error();
    if (p->kind != expectedKind)
        return makeError(QStringLiteral("keyfile-kind"),
                         QStringLiteral("%1 holds a %2 key, but a \"%3\" key is needed here: check the file name")
                             .arg(path, quoteInput(p->kind), expectedKind));
    const QJsonObject kdf = p->obj.value(QLatin1String("kdf")).toObject();
    const QByteArray salt = QByteArray::fromBase64(kdf.value(QLatin1String("salt")).toString().toLatin1());
    const QByteArray nonce = QByteArray::fromBase64(p->obj.value(QLatin1String("nonce")).toString().toLatin1());
    const QByteArray ct = QByteArray::fromBase64(p->obj.value(QLatin1String("secret")).toString().toLatin1());
    const auto ops = kdf.value(QLatin1String("opslimit")).toInteger();
    const auto mem = kdf.value(QLatin1String("memlimit")).toInteger();
    if (kdf.value(QLatin1String("alg")).toString() != QLatin1String("argon2id13")
        || p->obj.value(QLatin1String("cipher")).toString() != QLatin1String("xchacha20poly1305-ietf")
        || salt.size() != crypto_pwhash_SALTBYTES || nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
        || ct.size() < qsizetype(crypto_aead_xchacha20poly1305_ietf_ABYTES) || ops < qint64(crypto_pwhash_OPSLIMIT_MIN)
        || ops > 20 || mem < qint64(crypto_pwhash_MEMLIMIT_MIN) || mem > 4ll * 1024 * 1024 * 1024)
        return formatError(path, QStringLiteral("damaged key parameters"));
    SecretBytes key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char *>(passphrase.data()), passphrase.size(),
                      u(salt), quint64(ops), size_t(mem), crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return makeError(QStringLiteral("keyfile-kdf"), QStringLiteral("not enough memory to derive the key"));
    const QByteArray ad = associated(p->kind, p->publicPart);
    SecretBytes secret(std::size_t(ct.size()) - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret.data(), nullptr, nullptr, u(ct), size_t(ct.size()), u(ad),
                                                   size_t(ad.size()), u(nonce), key.data())
        != 0)
        return makeError(QStringLiteral("passphrase"),
                         QStringLiteral("wrong passphrase for %1 (or the file was altered): try again").arg(path));
    return KeyFileContents {p->kind, p->publicPart, std::move(secret)};
}

} // namespace pingyi::crypto
