#pragma once
// The kiosk service: enrolment and venue package, staff login, the per-session state
// machine, check-in, casting sealed anonymous ballots, the audit log, reports and the
// encrypted batch export. The Qt Quick UI and pingyi-sim drive this same class.
// Design: docs/kiosk.md; formats: docs/formats.md; secrecy: docs/security.md.

#include "activity.h"
#include "audit.h"
#include "ballot.h"
#include "ballotbox.h"
#include "batch.h"
#include "clock.h"
#include "crypto.h"
#include "filelock.h"
#include "result.h"
#include "storage.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <future>
#include <memory>
#include <optional>

namespace pingyi::kiosk {

enum class Provisioning { Unenrolled, AwaitingCertificate, AwaitingPackage, Ready };
enum class Role { None, Staff, Lead, Technician };
enum class SessionState { Ready, Open, Paused, Closed, Exported };
enum class IdentityMethod { Credential, IdNumber, Face, Override };
enum class ReleaseReason { Cancelled, Idle, StaffReset };

QString roleName(Role role);
QString stateName(SessionState state);

struct SessionKey {
    QString code;
    bool rehearsal = false;
    bool operator==(const SessionKey &) const = default;
};

struct SessionStatus {
    SessionKey key;
    QString name;
    SessionState state = SessionState::Ready;
    BatchCounts counts;
    bool voterActive = false;
};

/// A signed report: the document, a text rendering and a compact QR payload.
struct Report {
    QString kind; ///< "zero" or "closing"
    QJsonObject body;
    QByteArray document; ///< SignedDocument bytes
    QString text;        ///< for the screen and the printer
    QString qrPayload;   ///< "PYR1:" + base32, see docs/formats.md §Reports
};

/// What the voter's screen may know about the person who checked in.
struct CheckIn {
    QString maskedName;
    QString category;
    SessionKey session;
    IdentityMethod method = IdentityMethod::Credential;
};

struct Receipt {
    QString code;        ///< receipt code for the voter and the bulletin
    qint64 suggestions = 0;
};

struct ExportResult {
    QString path;
    qint64 bytes = 0;
    BatchCounts counts;
    QString ballotDigest; ///< hex
};

struct Options {
    int staffLockSeconds = 120;  ///< staff screens lock after this much inactivity
    int pinAttemptsBeforeLock = 3;
    int pinFirstLockSeconds = 30; ///< doubles with every further wrong PIN
    int pinMaxLockSeconds = 900;
};

class KioskService {
public:
    /// Opens (creating) the kiosk state in `stateDir`: kiosk.db and kiosk.key. A check-in
    /// left active by a crash is released and logged.
    static Result<std::unique_ptr<KioskService>> open(const QString &stateDir, const Clock &clock,
                                                      Options options = {});
    ~KioskService();

    // ---- enrolment and package ---------------------------------------------------
    Provisioning provisioning() const;
    QString kioskId() const { return m_kioskId; }
    QByteArray publicKey() const { return m_key.publicKey(); }
    QString fingerprint() const { return crypto::fingerprint(m_key.publicKey()); }
    QString rootFingerprint() const;

    /// Creates the enrolment request, pinning the HQ root key (whose fingerprint the
    /// technician compares with the office's). Asking again with the same id returns the
    /// same request; another id or root key after a certificate exists is refused.
    Result<QByteArray> beginEnrolment(const QString &kioskId, QByteArrayView rootPublicKey);
    /// Installs the office's certificate: signed by the pinned root, for this kiosk's key.
    Status completeEnrolment(QByteArrayView certificate);
    /// Loads (or updates) the venue package. Refused, leaving the kiosk as it was, when the
    /// signature, activity, venue, version, recipient or content do not check, or while a
    /// session is open. Needs a technician once a package is loaded.
    Status loadPackage(QByteArrayView package);

    const Activity &activity() const { return m_activity; }
    QString activityId() const { return m_activity.id; }
    QString venue() const { return m_venue; }
    qint64 packageVersion() const { return m_packageVersion; }
    qint64 rosterSize() const;

    // ---- staff ---------------------------------------------------------------------
    /// Error codes: "pin-wrong" (message says how many tries remain), "pin-locked"
    /// (message says how long), "no-package".
    Result<Role> login(const QString &pin);
    void logout();
    /// The logged-in role, or None after staffLockSeconds without touch().
    Role role() const;
    void touch();
    /// Seconds until PIN entry is allowed again (0 when allowed).
    qint64 pinLockRemaining() const;

    // ---- sessions ------------------------------------------------------------------
    /// Group sessions held at this venue, real and rehearsal.
    QList<SessionStatus> sessions() const;
    std::optional<SessionStatus> session(const SessionKey &key) const;
    /// The open or paused session, if any (one at a time per kiosk).
    std::optional<SessionKey> currentSession() const;

    Result<Report> openSession(const SessionKey &key);
    Status pauseSession(const SessionKey &key);
    Status resumeSession(const SessionKey &key);
    Result<Report> closeSession(const SessionKey &key);
    Result<Report> report(const SessionKey &key, const QString &kind) const;
    /// Writes the batch to `targetDir` atomically, reads it back and verifies it.
    Result<ExportResult> exportSession(const SessionKey &key, const QString &targetDir);

    // ---- the voter -----------------------------------------------------------------
    Result<CheckIn> checkInCredential(const QString &qrText);
    Result<CheckIn> checkInIdNumber(const QString &idNumber);
    /// For the face matcher (identity issue): the representative it recognised.
    Result<CheckIn> checkInFace(const QString &repId);
    /// Venue lead only; the reason is logged with the representative id.
    Result<CheckIn> checkInOverride(const QString &repIdOrIdNumber, const QString &reason);
    bool voterActive() const { return m_active.has_value(); }
    /// Seals, signs and stores the ballot (and suggestions) and marks the check-in used,
    /// in one transaction. Error codes: "no-voter", "ballot-*", "suggestion-invalid", "db".
    Result<Receipt> cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions);
    /// The voter left: release the check-in, store nothing.
    Status release(ReleaseReason reason);

    // ---- audit ---------------------------------------------------------------------
    Result<QList<AuditEvent>> auditLog() const;
    Status verifyAuditLog() const;
    /// check-ins = ballots + released (+ the active voter), ids unique, records verify.
    Status checkInvariants(const SessionKey &key) const;

    SessionContext context(const SessionKey &key) const;
    Database &database() { return db(); }

private:
    KioskService(const Clock &clock, Options options);
    Status loadState();
    /// Waits for the fold of the write-ahead log started by the last cast.
    void settle() const;
    /// The database, once nothing else is using it.
    Database &db() const;
    BallotBox &ballotBox() const;
    Status audit(const QString &event, QJsonObject details = {});
    Status requireRole(std::initializer_list<Role> allowed, const QString &action) const;
    Result<SessionState> stateOf(const SessionKey &key) const;
    Status setState(const SessionKey &key, SessionState from, SessionState to, const QString &event);
    Result<CheckIn> admit(const QString &repId, IdentityMethod method, const QJsonObject &overrideEvent = {});
    Result<CheckIn> refuse(const Error &error);
    Result<Report> makeReport(const SessionKey &key, const QString &kind);
    Result<BatchContent> batchContent(const SessionKey &key) const;
    Result<BatchCounts> counts(const SessionKey &key) const;
    Status releaseActive(const QString &why);

    const Clock &m_clock;
    Options m_options;
    QString m_stateDir;
    std::optional<FileLock> m_lock; // one process per state directory; released last
    mutable std::optional<Database> m_db; // reads prepare statements; logical constness holds
    mutable std::optional<BallotBox> m_box;
    mutable std::future<void> m_fold; // the write-ahead log being folded after a cast
    crypto::SigningKey m_key;
    QString m_kioskId;
    QByteArray m_rootPublicKey;
    QByteArray m_certificate;
    Activity m_activity;
    QString m_venue;
    qint64 m_packageVersion = 0;
    QByteArray m_electionPublicKey;
    qsizetype m_ballotSize = ballotPadBlock; ///< ballotPlaintextSize(m_activity)
    QByteArray m_archivePublicKey;
    crypto::SecretBytes m_idHashKey;

    Role m_role = Role::None;
    QDateTime m_lastStaffActivity;

    struct Active {
        QString repId; ///< in memory only, for the cast transaction
        SessionKey session;
    };
    std::optional<Active> m_active;
};

} // namespace pingyi::kiosk
