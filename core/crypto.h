#pragma once
// Thin, typed wrappers over libsodium: guarded secrets, Ed25519 signatures with a
// domain-separation prefix per record type, X25519 sealed boxes, secretstream, keyed
// BLAKE2b and passphrase-protected key files. See docs/security.md for what each key
// protects.

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstddef>
#include <functional>
#include <vector>

namespace pingyi::crypto {

/// Initialises libsodium once; returns false if the library cannot be used.
bool init();

/// Secret bytes in sodium-guarded memory (guard pages, mlock, wiped on free). Move-only.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size);
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;
    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    ~SecretBytes();

    static SecretBytes random(std::size_t size);
    static SecretBytes copyOf(QByteArrayView bytes);

    unsigned char *data() { return m_data; }
    const unsigned char *data() const { return m_data; }
    std::size_t size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    QByteArrayView view() const { return {reinterpret_cast<const char *>(m_data), qsizetype(m_size)}; }
    bool equals(const SecretBytes &other) const;

private:
    unsigned char *m_data = nullptr;
    std::size_t m_size = 0;
};

/// Domain-separation prefixes: every signature covers "<prefix>\0<exact bytes>", so a
/// signature made for one record type can never be replayed as another.
namespace domain {
inline constexpr char credential[] = "pingyi/credential/v1";
inline constexpr char kioskRequest[] = "pingyi/kiosk-request/v1";
inline constexpr char kioskCert[] = "pingyi/kiosk-cert/v1";
inline constexpr char venuePackage[] = "pingyi/venue-package/v1";
inline constexpr char ballot[] = "pingyi/ballot/v1";
inline constexpr char suggestion[] = "pingyi/suggestion/v1";
inline constexpr char report[] = "pingyi/report/v1";
inline constexpr char audit[] = "pingyi/audit/v1";
inline constexpr char batch[] = "pingyi/batch/v1";
} // namespace domain

inline constexpr std::size_t signPublicKeyBytes = 32;
inline constexpr std::size_t signatureBytes = 64;
inline constexpr std::size_t boxPublicKeyBytes = 32;
inline constexpr std::size_t sealOverheadBytes = 48;
inline constexpr std::size_t symmetricKeyBytes = 32;

/// Ed25519 signing key. The secret half lives in guarded memory.
class SigningKey {
public:
    static SigningKey generate();
    /// From a 32-byte seed (key files store the seed).
    static Result<SigningKey> fromSeed(const SecretBytes &seed);

    QByteArray publicKey() const { return m_public; }
    const SecretBytes &seed() const { return m_seed; }
    /// Detached signature over domain || 0x00 || message.
    QByteArray sign(const char *domain, QByteArrayView message) const;
    bool isNull() const { return m_public.isEmpty(); }

private:
    SecretBytes m_seed; // 32 bytes
    SecretBytes m_secret; // 64 bytes, libsodium's expanded form
    QByteArray m_public;
};

bool verify(QByteArrayView publicKey, const char *domain, QByteArrayView message, QByteArrayView signature);

/// X25519 key pair for sealed boxes.
class BoxKeyPair {
public:
    static BoxKeyPair generate();
    static Result<BoxKeyPair> fromSecret(const SecretBytes &secret);
    /// The X25519 form of an Ed25519 key (used to encrypt to a kiosk).
    static BoxKeyPair fromSigningKey(const SigningKey &key);

    QByteArray publicKey() const { return m_public; }
    const SecretBytes &secret() const { return m_secret; }
    bool isNull() const { return m_public.isEmpty(); }

private:
    SecretBytes m_secret;
    QByteArray m_public;
};

/// X25519 public key of an Ed25519 public key; empty if the point is invalid.
QByteArray boxPublicKeyFromSignPublicKey(QByteArrayView signPublicKey);

/// Anonymous sealed box to `publicKey`: only the holder of the secret key can open it.
QByteArray seal(QByteArrayView publicKey, QByteArrayView plaintext);
Result<SecretBytes> openSealed(const BoxKeyPair &keys, QByteArrayView sealed);

/// BLAKE2b (keyed when `key` is given). Default 32-byte output.
QByteArray hash(QByteArrayView data, std::size_t outBytes = 32);
QByteArray keyedHash(const SecretBytes &key, QByteArrayView data, std::size_t outBytes = 32);

/// Human-comparable fingerprint of a public key: 20 bytes of BLAKE2b as 5 groups of 8 hex.
QString fingerprint(QByteArrayView publicKey);

/// secretstream (XChaCha20-Poly1305): an authenticated sequence of chunks whose order,
/// truncation and end are all detected. Encoded as header (24 bytes) then, per chunk, a
/// 4-byte big-endian ciphertext length and the ciphertext; the last chunk has the FINAL tag.
QByteArray streamEncrypt(const SecretBytes &key, QByteArrayView plaintext, QByteArrayView ad,
                         std::size_t chunkBytes = 64 * 1024);
Result<QByteArray> streamDecrypt(const SecretBytes &key, QByteArrayView stream, QByteArrayView ad);

/// Incremental form of the stream, for records written one by one.
class StreamWriter {
public:
    explicit StreamWriter(const SecretBytes &key);
    QByteArray header() const { return m_header; }
    /// Encrypted chunk with its length prefix. `last` ends the stream.
    QByteArray push(QByteArrayView chunk, QByteArrayView ad, bool last);

private:
    SecretBytes m_state;
    QByteArray m_header;
};

class StreamReader {
public:
    /// Fails if the header is malformed.
    static Result<StreamReader> open(const SecretBytes &key, QByteArrayView header);
    /// Decrypts the next length-prefixed chunk starting at `stream[*offset]`, advancing it.
    /// Sets `*last` when the chunk carries the FINAL tag.
    Result<QByteArray> pull(QByteArrayView stream, qsizetype *offset, QByteArrayView ad, bool *last);
    /// As pull(), decrypting into `buffer` (grown as needed and reused from chunk to chunk,
    /// so a reader of many chunks allocates once); the view is valid until the next call.
    /// The caller wipes the buffer when done.
    Result<QByteArrayView> pullInto(QByteArrayView stream, qsizetype *offset, QByteArrayView ad, bool *last,
                                    std::vector<unsigned char> &buffer);
    /// Bytes of the stream header before the first chunk.
    static constexpr qsizetype headerBytes = 24;

private:
    StreamReader() = default;
    SecretBytes m_state;
};

/// Argon2id hash string of a staff PIN (crypto_pwhash_str; parameters in the string).
QString hashPin(QByteArrayView pin);
bool verifyPin(const QString &hash, QByteArrayView pin);

/// Random integer in [0, upper) from libsodium's CSPRNG.
quint32 randomUniform(quint32 upper);
QByteArray randomBytes(std::size_t size);

// ---- passphrase-protected key files -------------------------------------------------

/// A key file: public parts in clear (so a fingerprint can be shown without the
/// passphrase), the secret part sealed with XChaCha20-Poly1305 (an AEAD rather than plain
/// secretbox, so the clear kind and public part are bound to the secret) under a key derived from the
/// passphrase by Argon2id. Format: docs/formats.md §Key files.
struct KeyFileContents {
    QString kind; ///< e.g. "hq-root", "election", "kiosk"
    QByteArray publicPart; ///< kind-specific public bytes (may be empty)
    SecretBytes secret; ///< kind-specific secret bytes
};

struct KdfStrength {
    unsigned long long opsLimit;
    std::size_t memLimit;
    static KdfStrength interactive();
    static KdfStrength moderate();
};

Status writeKeyFile(const QString &path, const KeyFileContents &contents, const SecretBytes &passphrase,
                    KdfStrength strength = KdfStrength::moderate());
/// Reads the public part only (no passphrase needed).
Result<KeyFileContents> readKeyFilePublic(const QString &path);
/// Error codes: "keyfile-io", "keyfile-format", "keyfile-kind", "passphrase".
Result<KeyFileContents> readKeyFile(const QString &path, const QString &expectedKind, const SecretBytes &passphrase);

} // namespace pingyi::crypto
