#pragma once
// The tallying office's state: an HQ directory holding the key files and hq.db (activity,
// roster as keyed hashes, enrolled kiosks, staff PIN hashes, package versions). Every
// pingyi-hq command is a method here, so tests drive the same code as the CLI.

#include "activity.h"
#include "crypto.h"
#include "result.h"
#include "storage.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace pingyi {
struct RosterEntry;
}

namespace pingyi::hq {

/// A roster held against the plan's quota cells (roster.h checkQuotas).
struct QuotaReport {
    QJsonArray cells; ///< every cell: category, venue, session, planned, found, status ok/short/over
    QStringList off; ///< one line per cell short or over, e.g. "d-community at shinan: short 3 (planned 65, found 62)"
};
/// The quota report, or the error "roster-quota" naming every cell short or over when the
/// spec's roster.quotas is "refuse".
Result<QuotaReport> checkRosterQuotas(const QList<RosterEntry> &entries, const Activity &activity,
                                      const QString &origin);

/// Secrets unlocked with the office passphrase; held in guarded memory.
struct Secrets {
    crypto::SigningKey root; ///< signs credentials, certificates, packages
    crypto::BoxKeyPair archive; ///< opens the office's copy of each venue package
    crypto::SecretBytes idHashKey; ///< keys the BLAKE2b hash of ID numbers
};

struct Card {
    QString repId;
    QString maskedName;
    QString venue;
    QStringList sessions;
    QString credential; ///< QR text
    QString checkCode; ///< cardCheckCode(), printed on the card and on the hand-out list
};

/// The card's check code (核对码, docs/formats.md §Invitation card check code): one of twenty
/// plain characters and two digits, e.g. "松 07", from SHA-256 of the activity id and the
/// representative id. Staff read it aloud when handing out a card and match it against the
/// hand-out list, since masked names (张*伟) alone are easily confused. Not a secret.
QString cardCheckCode(const QString &activityId, const QString &repId);

struct StaffPinIssued {
    QString role;
    QString pin; ///< shown once, never stored
};

class Hq {
public:
    static constexpr char rootKeyFile[] = "root.key";
    static constexpr char electionKeyFile[] = "election.key";
    static constexpr char databaseFile[] = "hq.db";
    /// Public half of the election key once `trustees split --retire-election-key` has
    /// removed election.key: the secret then exists only as trustee shares.
    static constexpr char electionPublicFile[] = "election.pub";
    /// The root public key for kiosk technicians (enrolment pins it); written by init,
    /// and by open when an older directory lacks it.
    static constexpr char rootPublicFile[] = "root.pub";
    /// Archived copies of imported batch files (docs/tally.md §HQ directory).
    static constexpr char batchesDir[] = "batches";
    /// The record of a trustee split, signed by the HQ root (trustees.h).
    static constexpr char trusteesFile[] = "trustees.json";

    /// Creates the HQ directory (must not already hold keys): root signing key + archive
    /// key + ID-hash key in root.key, election sealing key in election.key. Returns the
    /// fingerprints.
    static Result<QJsonObject> init(const QString &dir, const crypto::SecretBytes &passphrase,
                                    crypto::KdfStrength strength = crypto::KdfStrength::moderate());
    /// Opens an existing HQ directory (public parts only; no passphrase needed).
    static Result<Hq> open(const QString &dir);

    Result<Secrets> unlock(const crypto::SecretBytes &passphrase) const;

    QByteArray rootPublicKey() const { return m_rootPublic; }
    QByteArray archivePublicKey() const { return m_archivePublic; }
    QByteArray electionPublicKey() const { return m_electionPublic; }
    QString dir() const { return m_dir; }
    QString filePath(const char *name) const;

    /// The election sealing key from election.key with the office passphrase. Error
    /// "election-key-split" when only trustee shares exist (see trustees.h).
    Result<crypto::BoxKeyPair> unlockElection(const crypto::SecretBytes &passphrase) const;
    /// True when election.key was retired after a trustee split.
    bool electionKeyRetired() const;
    /// Writes election.pub and removes election.key (after a verified trustee split).
    Status retireElectionKey();
    Database &db() { return *m_db; }

    /// The activity this office directory serves. Error "no-activity" before one is set.
    Result<Activity> activity();
    /// Sets or updates the activity; refuses one with another id (error "activity-mismatch").
    Status setActivity(const Activity &activity);

    /// Validates and stores the roster (replacing any earlier one) as keyed hashes and
    /// masked names. Returns counts by venue, session and category. `faceTemplates` (rep id →
    /// face::encodeTemplate) replace the earlier ones with the roster: a representative
    /// without one has no face enrolment.
    Result<QJsonObject> importRoster(const QByteArray &csv, const QString &origin, const Secrets &secrets,
                                     const QMap<QString, QByteArray> &faceTemplates = {});

    /// Signed credentials for every representative (optionally one venue), sorted by venue
    /// then representative id.
    Result<QList<Card>> cards(const Secrets &secrets, const QString &venue);

    /// Issues (or re-issues, if the same kiosk asks again) a kiosk certificate.
    Result<QByteArray> certifyKiosk(const QByteArray &request, const QString &venue, const Secrets &secrets,
                                    QJsonObject *summary);

    /// New random PINs per role for a venue; stores only Argon2id hashes.
    Result<QList<StaffPinIssued>> issueStaffPins(const QString &venue);

    /// Builds the next version of a venue's package. @p network is the venue's network plan
    /// (kiosk id -> "host:port", docs/venue.md §Set-up): empty, or one address for every
    /// kiosk enrolled at the venue. Error "network-plan" says what does not fit.
    Result<QByteArray> buildPackage(const QString &venue, const Secrets &secrets, QJsonObject *summary,
                                    const QHash<QString, QString> &network = {});
    /// Reads a network plan file: one kiosk per line, "kiosk-id host:port"; blank lines and
    /// lines starting with '#' are skipped. Error "network-plan" names the line.
    static Result<QHash<QString, QString>> parseNetworkPlan(QByteArrayView text, const QString &fileName);

    /// Verifies a package and, when `secrets` are given, decrypts the office's copy and
    /// checks its content (certificates, roster size). Returns a summary.
    Result<QJsonObject> inspectPackage(const QByteArray &file, const Secrets *secrets);

private:
    Hq() = default;
    QString m_dir;
    std::optional<Database> m_db;
    QByteArray m_rootPublic;
    QByteArray m_archivePublic;
    QByteArray m_electionPublic;
};

/// Roles and PIN lengths: staff 6, lead 6, technician 8 digits.
QStringList staffRoles();

} // namespace pingyi::hq
