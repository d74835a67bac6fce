#pragma once
// Trustees: the election sealing key split K-of-N with Shamir's scheme (libgfshare, over
// GF(2^8), byte by byte), each share in its own passphrase-protected key file of kind
// "election-share". The split is recorded in trustees.json in the HQ directory, signed by
// the HQ root, with a check value per share, so that when the key is rebuilt for a tally
// a damaged, altered or foreign share is named instead of silently giving a wrong key.
// Format: docs/tally.md §Trustee shares.

#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace pingyi::hq {

class Hq;

struct ShareInfo {
    QString path;
    QString ceremony; ///< hex id of the split this share belongs to
    QByteArray electionPublicKey; ///< the key the shares rebuild
    int index = 0; ///< 1..n (the share's x coordinate)
    int threshold = 0; ///< k
    int count = 0; ///< n
    QString trustee; ///< the trustee's name or role, as given at the split
    QByteArray check; ///< 16-byte check value of this share
    QList<QByteArray> checks; ///< check values of all n shares (index 1..n)
};

struct SplitOptions {
    int threshold = 0; ///< k, 2..n
    int count = 0; ///< n, 2..255
    QString outDir;
    QStringList trustees; ///< optional names, one per share
    /// Removes election.key after the shares were verified, leaving election.pub: from
    /// then on only K trustees together can open ballots.
    bool retireElectionKey = false;
    crypto::KdfStrength strength = crypto::KdfStrength::moderate();
    /// The office (HQ) passphrase, if known: refused as a share passphrase, since whoever
    /// knows it could then open that share too.
    const crypto::SecretBytes *officePassphrase = nullptr;
};

/// Splits the election key into `count` share files in `outDir` (share-<i>-of-<n>.key)
/// and writes trustees.json (signed with `root`) into the HQ directory. `passphrases`
/// holds one passphrase per share, each different from the others and from the office
/// passphrase (error "share-passphrase"). Every K-subset needed to cover all shares is rebuilt
/// once before anything is retired. Returns a summary (ceremony, files, fingerprints).
Result<QJsonObject> splitElectionKey(Hq &hq, const crypto::BoxKeyPair &election, const crypto::SigningKey &root,
                                     const SplitOptions &options, const std::vector<crypto::SecretBytes> &passphrases);

/// Reads a share file's public part (no passphrase). Errors: keyfile-*, "share-format".
Result<ShareInfo> readShareInfo(const QString &path);

/// Asks for the passphrase of one share (after its public part was checked).
using SharePassphrase = std::function<Result<crypto::SecretBytes>(const ShareInfo &share)>;

/// Rebuilds the election key in guarded memory from share files. Every problem names the
/// share file: "share-election" (made for another election key), "share-ceremony" (from
/// another split), "share-duplicate", "share-too-few" (fewer than K distinct shares),
/// "passphrase", "share-wrong" (the share's bytes do not match the value recorded at the
/// split: damaged or altered), "share-combine", "share-passphrase" (two shares opened with
/// the same passphrase: one person could open both, so K-of-N would not hold).
Result<crypto::BoxKeyPair> combineShares(const Hq &hq, const QStringList &files, const SharePassphrase &passphrase);

/// Rebuilds a secret from raw shares (index, bytes); exposed for tests.
crypto::SecretBytes combineRaw(const QList<QPair<int, QByteArray>> &shares, std::size_t size);

/// While the election key or a share is in memory (split, tally): no core dumps and the
/// process not dumpable (no ptrace by the same user, no /proc/PID/mem). Restores both
/// when it goes out of scope.
class NoCoreDumps {
public:
    NoCoreDumps();
    ~NoCoreDumps();
    NoCoreDumps(const NoCoreDumps &) = delete;
    NoCoreDumps &operator=(const NoCoreDumps &) = delete;
    bool active() const { return m_active; }

private:
    bool m_active = false;
    int m_dumpable = 1;
    unsigned long long m_coreSoft = 0, m_coreHard = 0;
};

/// Whether libgfshare's working buffer was locked in memory (sodium_mlock) in the last
/// split or combine on this thread; exposed for tests.
bool lastShareBufferLocked();

} // namespace pingyi::hq
