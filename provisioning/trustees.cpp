#include "trustees.h"

#include "fileio.h"
#include "hq.h"
#include "redact.h"
#include "signeddoc.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>

#include <cstring>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <utility>

extern "C" {
#include <libgfshare.h>
}

namespace pingyi::hq {

namespace {

constexpr char shareKind[] = "election-share";
constexpr char shareFormat[] = "pingyi-election-share/v1";
constexpr char trusteesFormat[] = "pingyi-trustees/v1";
constexpr char trusteesDomain[] = "pingyi/trustees/v1";
constexpr char checkDomain[] = "pingyi/election-share/v1";
constexpr std::size_t secretBytes = 32;
constexpr std::size_t ceremonyBytes = 16;
constexpr std::size_t checkBytes = 16;

void fillRandom(unsigned char *buffer, unsigned int size)
{
    randombytes_buf(buffer, size);
}

/// Binds a share's bytes to its split and index; the check values of all shares are
/// recorded at the split so a wrong share can be named when the key is rebuilt.
QByteArray checkValue(QByteArrayView ceremony, int index, const crypto::SecretBytes &share)
{
    const QByteArray prefix = QByteArray(checkDomain) + '\0' + ceremony.toByteArray() + char(quint8(index));
    crypto::SecretBytes input(std::size_t(prefix.size()) + share.size());
    std::memcpy(input.data(), prefix.constData(), std::size_t(prefix.size()));
    std::memcpy(input.data() + prefix.size(), share.data(), share.size());
    return crypto::hash(input.view(), checkBytes);
}

QString hex(QByteArrayView b)
{
    return QString::fromLatin1(b.toByteArray().toHex());
}

QString shareName(const ShareInfo &s)
{
    QString name = QStringLiteral("share %1 (share %2 of %3").arg(s.path).arg(s.index).arg(s.count);
    if (!s.trustee.isEmpty())
        name += QStringLiteral(", trustee %1").arg(s.trustee);
    return name + QLatin1Char(')');
}

/// libgfshare draws the coefficients from, and scrubs its buffers with, this hook; it is
/// null until set, so set it before any use.
void useSodiumRandom()
{
    gfshare_fill_rand = fillRandom;
}

/// libgfshare keeps the secret (split) or the shares given (combine) in one malloc'd
/// buffer of its opaque context. Its layout (libgfshare 2.x, libgfshare.c) is mirrored
/// here only to lock that buffer in memory; the mirror is checked against the values the
/// context was made with, and nothing is locked if they differ.
struct GfshareCtxMirror {
    unsigned int sharecount;
    unsigned int threshold;
    unsigned int size;
    unsigned char *sharenrs;
    unsigned char *buffer;
    unsigned int buffersize;
};

thread_local bool bufferLocked = false;

/// Locks the context's buffer; returns it (and its size) for freeContext, or null. A
/// context for splitting holds threshold * size bytes; one for combining has threshold 0
/// and holds sharecount * size.
std::pair<unsigned char *, std::size_t> lockBuffer(gfshare_ctx *ctx, unsigned sharecount, unsigned threshold,
                                                   unsigned size)
{
    bufferLocked = false;
    const auto *m = reinterpret_cast<const GfshareCtxMirror *>(ctx);
    if (!m || m->sharecount != sharecount || m->threshold != threshold || m->size != size
        || m->buffersize != (threshold ? threshold : sharecount) * size || !m->buffer)
        return {nullptr, 0};
    if (sodium_mlock(m->buffer, m->buffersize) != 0)
        return {nullptr, 0};
    bufferLocked = true;
    return {m->buffer, m->buffersize};
}

/// Wipes and unlocks the buffer before libgfshare frees it (which scrubs it once more).
void freeContext(gfshare_ctx *ctx, std::pair<unsigned char *, std::size_t> locked)
{
    if (locked.first)
        sodium_munlock(locked.first, locked.second);
    gfshare_ctx_free(ctx);
}

/// One passphrase per person: equal passphrases would let one person open two shares.
Status distinctPassphrases(const std::vector<const crypto::SecretBytes *> &list, const QStringList &names,
                           const crypto::SecretBytes *office)
{
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (office && list[i]->equals(*office))
            return makeError(QStringLiteral("share-passphrase"),
                             QStringLiteral("%1 has the office (HQ) passphrase: whoever knows that could open the "
                                            "share too. Each trustee chooses a passphrase of their own")
                                 .arg(names.value(qsizetype(i))));
        for (std::size_t j = i + 1; j < list.size(); ++j)
            if (list[i]->equals(*list[j]))
                return makeError(QStringLiteral("share-passphrase"),
                                 QStringLiteral("%1 and %2 have the same passphrase: one person could open both, and "
                                                "the key would need fewer trustees than agreed. Each trustee chooses "
                                                "a passphrase of their own (make new shares with `pingyi-hq trustees "
                                                "split` if these were made that way)")
                                     .arg(names.value(qsizetype(i)), names.value(qsizetype(j))));
    }
    return {};
}

crypto::SecretBytes combine(const QList<int> &indices, const QList<const crypto::SecretBytes *> &shares,
                            std::size_t size)
{
    useSodiumRandom();
    QByteArray nrs;
    for (int i : indices)
        nrs.append(char(quint8(i)));
    gfshare_ctx *ctx
        = gfshare_ctx_init_dec(reinterpret_cast<unsigned char *>(nrs.data()), unsigned(nrs.size()), unsigned(size));
    crypto::SecretBytes out(size);
    if (!ctx)
        return out;
    const auto locked = lockBuffer(ctx, unsigned(nrs.size()), 0, unsigned(size));
    for (qsizetype i = 0; i < shares.size(); ++i) {
        crypto::SecretBytes copy = crypto::SecretBytes::copyOf(shares[i]->view()); // the library wants a mutable buffer
        gfshare_ctx_dec_giveshare(ctx, quint8(i), copy.data());
    }
    gfshare_ctx_dec_extract(ctx, out.data());
    freeContext(ctx, locked);
    return out;
}

struct Reference {
    QByteArray ceremony;
    int threshold = 0;
    int count = 0;
    QList<QByteArray> checks;
    QString source;
};

Result<std::optional<Reference>> readTrusteesRecord(const Hq &hq)
{
    const QString file = hq.filePath(Hq::trusteesFile);
    if (!QFileInfo::exists(file))
        return std::optional<Reference>();
    auto bytes = readFile(file, qint64(1024) * 1024);
    if (!bytes)
        return bytes.error();
    auto doc = SignedDocument::open(*bytes, trusteesDomain, hq.rootPublicKey(), QStringLiteral("trustees"));
    if (!doc)
        return makeError(QStringLiteral("trustees-record"),
                         QStringLiteral("%1 does not verify against this office's HQ root (%2): restore it from the "
                                        "office's backup")
                             .arg(file, doc.error().message));
    const QJsonObject &o = doc->bodyObject;
    Reference ref;
    ref.ceremony = QByteArray::fromHex(o.value(QLatin1String("ceremony")).toString().toLatin1());
    ref.threshold = o.value(QLatin1String("k")).toInt();
    ref.count = o.value(QLatin1String("n")).toInt();
    ref.source = file;
    for (const auto &v : o.value(QLatin1String("shares")).toArray())
        ref.checks.append(QByteArray::fromHex(v.toObject().value(QLatin1String("check")).toString().toLatin1()));
    if (o.value(QLatin1String("format")).toString() != QLatin1String(trusteesFormat)
        || QByteArray::fromBase64(o.value(QLatin1String("election_pk")).toString().toLatin1()) != hq.electionPublicKey()
        || ref.checks.size() != ref.count)
        return makeError(QStringLiteral("trustees-record"),
                         QStringLiteral("%1 does not describe a split of this office's election key").arg(file));
    return std::optional<Reference>(ref);
}

} // namespace

Result<ShareInfo> readShareInfo(const QString &path)
{
    auto file = crypto::readKeyFilePublic(path);
    if (!file)
        return file.error();
    if (file->kind != QLatin1String(shareKind))
        return makeError(QStringLiteral("keyfile-kind"),
                         QStringLiteral("%1 holds a %2 key, not a trustee's share of the election key: give the "
                                        "share files written by `pingyi-hq trustees split`")
                             .arg(path, quoteInput(file->kind)));
    const QJsonObject o = QJsonDocument::fromJson(file->publicPart).object();
    ShareInfo s;
    s.path = path;
    s.ceremony = o.value(QLatin1String("ceremony")).toString();
    s.electionPublicKey = QByteArray::fromBase64(o.value(QLatin1String("election_pk")).toString().toLatin1());
    s.index = o.value(QLatin1String("index")).toInt();
    s.threshold = o.value(QLatin1String("k")).toInt();
    s.count = o.value(QLatin1String("n")).toInt();
    s.trustee = o.value(QLatin1String("trustee")).toString();
    s.check = QByteArray::fromHex(o.value(QLatin1String("check")).toString().toLatin1());
    for (const auto &v : o.value(QLatin1String("checks")).toArray())
        s.checks.append(QByteArray::fromHex(v.toString().toLatin1()));
    if (o.value(QLatin1String("format")).toString() != QLatin1String(shareFormat)
        || s.electionPublicKey.size() != qsizetype(crypto::boxPublicKeyBytes) || s.threshold < 2
        || s.count < s.threshold || s.count > 255 || s.index < 1 || s.index > s.count
        || s.check.size() != qsizetype(checkBytes) || s.checks.size() != s.count || s.checks[s.index - 1] != s.check
        || QByteArray::fromHex(s.ceremony.toLatin1()).size() != qsizetype(ceremonyBytes))
        return makeError(QStringLiteral("share-format"),
                         QStringLiteral("%1 is not a valid election key share (damaged description)").arg(path));
    return s;
}

Result<QJsonObject> splitElectionKey(Hq &hq, const crypto::BoxKeyPair &election, const crypto::SigningKey &root,
                                     const SplitOptions &o, const std::vector<crypto::SecretBytes> &passphrases)
{
    if (o.count < 2 || o.count > 255 || o.threshold < 2 || o.threshold > o.count)
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("need 2 <= K <= N <= 255 (K shares of N rebuild the key); got K=%1, N=%2")
                             .arg(o.threshold)
                             .arg(o.count));
    if (qsizetype(passphrases.size()) != o.count)
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("one passphrase per share is needed (%1 given for %2 shares)")
                             .arg(qsizetype(passphrases.size()))
                             .arg(o.count));
    if (!o.trustees.isEmpty() && o.trustees.size() != o.count)
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("give one trustee name per share (%1 names for %2 shares)")
                             .arg(o.trustees.size())
                             .arg(o.count));
    if (election.publicKey() != hq.electionPublicKey())
        return makeError(QStringLiteral("share-election"),
                         QStringLiteral("the key given is not this office's election key"));
    {
        std::vector<const crypto::SecretBytes *> list;
        list.reserve(std::size_t(o.count));
        QStringList names;
        for (int i = 0; i < o.count; ++i) {
            list.push_back(&passphrases[std::size_t(i)]);
            names << QStringLiteral("share %1%2")
                         .arg(i + 1)
                         .arg(o.trustees.isEmpty() ? QString() : QStringLiteral(" (trustee %1)").arg(o.trustees[i]));
        }
        if (auto s = distinctPassphrases(list, names, o.officePassphrase); !s)
            return s.error();
    }
    if (!QDir().mkpath(o.outDir))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(o.outDir));
    auto fileName = [&](int index) {
        return QDir(o.outDir).filePath(QStringLiteral("share-%1-of-%2.key").arg(index).arg(o.count));
    };
    for (int i = 1; i <= o.count; ++i)
        if (QFileInfo::exists(fileName(i)))
            return makeError(QStringLiteral("exists"),
                             QStringLiteral("%1 already exists; refusing to overwrite a share: choose an empty --out "
                                            "directory")
                                 .arg(fileName(i)));

    const QByteArray ceremony = crypto::randomBytes(ceremonyBytes);
    useSodiumRandom();
    QByteArray nrs;
    for (int i = 1; i <= o.count; ++i)
        nrs.append(char(quint8(i)));
    gfshare_ctx *ctx = gfshare_ctx_init_enc(reinterpret_cast<unsigned char *>(nrs.data()), unsigned(o.count),
                                            quint8(o.threshold), unsigned(secretBytes));
    if (!ctx)
        return makeError(QStringLiteral("share-split"), QStringLiteral("cannot set up the split (out of memory?)"));
    const auto locked = lockBuffer(ctx, unsigned(o.count), unsigned(o.threshold), unsigned(secretBytes));
    {
        crypto::SecretBytes secret = crypto::SecretBytes::copyOf(election.secret().view());
        gfshare_ctx_enc_setsecret(ctx, secret.data());
    }
    std::vector<crypto::SecretBytes> shares;
    QList<QByteArray> checks;
    for (int i = 0; i < o.count; ++i) {
        crypto::SecretBytes share(secretBytes);
        gfshare_ctx_enc_getshare(ctx, quint8(i), share.data());
        checks.append(checkValue(ceremony, i + 1, share));
        shares.push_back(std::move(share));
    }
    freeContext(ctx, locked);

    // Every share takes part in at least one rebuild before anything is written.
    for (int start = 0; start < o.count; ++start) {
        QList<int> indices;
        QList<const crypto::SecretBytes *> parts;
        for (int j = 0; j < o.threshold; ++j) {
            const int i = (start + j) % o.count;
            indices.append(i + 1);
            parts.append(&shares[std::size_t(i)]);
        }
        const crypto::SecretBytes rebuilt = combine(indices, parts, secretBytes);
        if (!rebuilt.equals(election.secret()))
            return makeError(QStringLiteral("share-combine"),
                             QStringLiteral("the shares did not rebuild the key in a self-test; nothing was written"));
    }

    QJsonArray checkList, shareList, files;
    for (const QByteArray &c : checks)
        checkList.append(hex(c));
    const QString fingerprint = crypto::fingerprint(election.publicKey());
    for (int i = 1; i <= o.count; ++i) {
        const QString trustee = o.trustees.isEmpty() ? QString() : o.trustees[i - 1];
        const QJsonObject pub {{QStringLiteral("format"), QLatin1String(shareFormat)},
                               {QStringLiteral("ceremony"), hex(ceremony)},
                               {QStringLiteral("election_pk"), QString::fromLatin1(election.publicKey().toBase64())},
                               {QStringLiteral("election_fingerprint"), fingerprint},
                               {QStringLiteral("index"), i},
                               {QStringLiteral("k"), o.threshold},
                               {QStringLiteral("n"), o.count},
                               {QStringLiteral("trustee"), trustee},
                               {QStringLiteral("check"), hex(checks[i - 1])},
                               {QStringLiteral("checks"), checkList}};
        crypto::KeyFileContents kf {QLatin1String(shareKind), QJsonDocument(pub).toJson(QJsonDocument::Compact),
                                    crypto::SecretBytes::copyOf(shares[std::size_t(i - 1)].view())};
        if (auto s = crypto::writeKeyFile(fileName(i), kf, passphrases[std::size_t(i - 1)], o.strength); !s)
            return s.error();
        shareList.append(QJsonObject {{QStringLiteral("index"), i},
                                      {QStringLiteral("trustee"), trustee},
                                      {QStringLiteral("check"), hex(checks[i - 1])},
                                      {QStringLiteral("file"), QFileInfo(fileName(i)).fileName()}});
        files.append(fileName(i));
    }
    auto activity = hq.activity();
    const QJsonObject body {{QStringLiteral("format"), QLatin1String(trusteesFormat)},
                            {QStringLiteral("activity"), activity ? activity->id : QString()},
                            {QStringLiteral("ceremony"), hex(ceremony)},
                            {QStringLiteral("election_pk"), QString::fromLatin1(election.publicKey().toBase64())},
                            {QStringLiteral("election_fingerprint"), fingerprint},
                            {QStringLiteral("k"), o.threshold},
                            {QStringLiteral("n"), o.count},
                            {QStringLiteral("created"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
                            {QStringLiteral("shares"), shareList}};
    if (auto s = writeFileAtomic(hq.filePath(Hq::trusteesFile), SignedDocument::sign(root, trusteesDomain, body)); !s)
        return s.error();
    bool retired = false;
    if (o.retireElectionKey && !hq.electionKeyRetired()) {
        if (auto s = hq.retireElectionKey(); !s)
            return s.error();
        retired = true;
    }
    return QJsonObject {{QStringLiteral("ceremony"), hex(ceremony)},
                        {QStringLiteral("k"), o.threshold},
                        {QStringLiteral("n"), o.count},
                        {QStringLiteral("election_fingerprint"), fingerprint},
                        {QStringLiteral("files"), files},
                        {QStringLiteral("record"), hq.filePath(Hq::trusteesFile)},
                        {QStringLiteral("election_key_retired"), retired || hq.electionKeyRetired()}};
}

Result<crypto::BoxKeyPair> combineShares(const Hq &hq, const QStringList &files, const SharePassphrase &passphrase)
{
    QList<ShareInfo> infos;
    for (const QString &f : files) {
        auto info = readShareInfo(f);
        if (!info)
            return info.error();
        if (info->electionPublicKey != hq.electionPublicKey())
            return makeError(QStringLiteral("share-election"),
                             QStringLiteral("%1 was made for another election key (%2), not this office's (%3): it "
                                            "belongs to another activity or HQ directory")
                                 .arg(shareName(*info), crypto::fingerprint(info->electionPublicKey),
                                      crypto::fingerprint(hq.electionPublicKey())));
        infos.append(*info);
    }
    auto record = readTrusteesRecord(hq);
    if (!record)
        return record.error();
    Reference ref;
    if (record->has_value()) {
        ref = **record;
    } else if (!infos.isEmpty()) {
        // No record of the split in this directory: the ceremony most shares agree on.
        QMap<QString, int> votes;
        for (const ShareInfo &s : infos)
            ++votes[s.ceremony];
        QString best = votes.firstKey();
        for (auto it = votes.cbegin(); it != votes.cend(); ++it)
            if (it.value() > votes.value(best))
                best = it.key();
        for (const ShareInfo &s : infos)
            if (s.ceremony == best) {
                ref = {QByteArray::fromHex(best.toLatin1()), s.threshold, s.count, s.checks,
                       QStringLiteral("the shares given")};
                break;
            }
    }
    QHash<int, QString> byIndex;
    for (const ShareInfo &s : infos) {
        if (QByteArray::fromHex(s.ceremony.toLatin1()) != ref.ceremony || s.threshold != ref.threshold
            || s.count != ref.count || s.checks != ref.checks)
            return makeError(QStringLiteral("share-ceremony"),
                             QStringLiteral("%1 comes from another split of the election key (ceremony %2…) than the "
                                            "one recorded in %3 (ceremony %4…): shares of different splits cannot be "
                                            "combined; use the shares of the current split")
                                 .arg(shareName(s), s.ceremony.left(8), ref.source, hex(ref.ceremony).left(8)));
        if (byIndex.contains(s.index))
            return makeError(
                QStringLiteral("share-duplicate"),
                QStringLiteral("%1 and %2 are the same share (number %3): each trustee's share counts once")
                    .arg(byIndex.value(s.index), s.path)
                    .arg(s.index));
        byIndex.insert(s.index, s.path);
    }
    if (infos.size() < ref.threshold || infos.isEmpty())
        return makeError(QStringLiteral("share-too-few"),
                         QStringLiteral("%1 trustee shares are needed to rebuild the election key; %2 given. Ask more "
                                        "trustees to bring their share files")
                             .arg(std::max(ref.threshold, 2))
                             .arg(infos.size()));

    std::vector<crypto::SecretBytes> passes;
    passes.reserve(std::size_t(infos.size()));
    QStringList names;
    for (const ShareInfo &s : infos) {
        auto pass = passphrase(s);
        if (!pass)
            return makeError(pass.error().code, QStringLiteral("%1: %2").arg(shareName(s), pass.error().message));
        passes.push_back(std::move(pass).value());
        names << shareName(s);
    }
    {
        std::vector<const crypto::SecretBytes *> list;
        list.reserve(passes.size());
        for (const crypto::SecretBytes &p : passes)
            list.push_back(&p);
        if (auto st = distinctPassphrases(list, names, nullptr); !st)
            return st.error();
    }
    std::vector<crypto::SecretBytes> secrets;
    QList<int> indices;
    for (qsizetype at = 0; at < infos.size(); ++at) {
        const ShareInfo &s = infos[at];
        const crypto::SecretBytes *pass = &passes[std::size_t(at)];
        auto file = crypto::readKeyFile(s.path, QLatin1String(shareKind), *pass);
        if (!file)
            return makeError(file.error().code, QStringLiteral("%1: %2").arg(shareName(s), file.error().message));
        if (file->secret.size() != secretBytes
            || checkValue(ref.ceremony, s.index, file->secret) != ref.checks[s.index - 1])
            return makeError(QStringLiteral("share-wrong"),
                             QStringLiteral("%1 does not match the check value recorded at the split: it is damaged or "
                                            "was altered. Leave it out and use another trustee's share")
                                 .arg(shareName(s)));
        indices.append(s.index);
        secrets.push_back(std::move(file->secret));
    }
    QList<const crypto::SecretBytes *> parts;
    for (const crypto::SecretBytes &s : secrets)
        parts.append(&s);
    auto keys = crypto::BoxKeyPair::fromSecret(combine(indices, parts, secretBytes));
    if (!keys || keys->publicKey() != hq.electionPublicKey())
        return makeError(QStringLiteral("share-combine"),
                         QStringLiteral("the shares do not rebuild this office's election key although each one "
                                        "matches its check value: the record of the split may be damaged"));
    return std::move(keys).value();
}

crypto::SecretBytes combineRaw(const QList<QPair<int, QByteArray>> &shares, std::size_t size)
{
    std::vector<crypto::SecretBytes> secrets;
    QList<int> indices;
    for (const auto &[index, bytes] : shares) {
        indices.append(index);
        secrets.push_back(crypto::SecretBytes::copyOf(bytes));
    }
    QList<const crypto::SecretBytes *> parts;
    for (const crypto::SecretBytes &s : secrets)
        parts.append(&s);
    return combine(indices, parts, size);
}

bool lastShareBufferLocked()
{
    return bufferLocked;
}

NoCoreDumps::NoCoreDumps()
{
    m_dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    rlimit core {};
    const bool haveLimit = getrlimit(RLIMIT_CORE, &core) == 0;
    m_coreSoft = core.rlim_cur;
    m_coreHard = core.rlim_max;
    // The soft limit only, so that it can be restored without privileges.
    const rlimit none {0, core.rlim_max};
    m_active = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && haveLimit && setrlimit(RLIMIT_CORE, &none) == 0;
}

NoCoreDumps::~NoCoreDumps()
{
    const rlimit core {rlim_t(m_coreSoft), rlim_t(m_coreHard)};
    (void)setrlimit(RLIMIT_CORE, &core);
    if (m_dumpable >= 0)
        (void)prctl(PR_SET_DUMPABLE, m_dumpable, 0, 0, 0);
}

} // namespace pingyi::hq
