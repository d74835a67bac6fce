#pragma once
// The kiosk service: a small facade over the parts in core/kiosk/ — enrolment and venue
// package (here), staff gate, session lifecycle, check-in (admission and the check-in
// ledger), ballot casting, export — all storing through the kiosk store. The Qt Quick UI
// and pingyi-sim drive this same class.
// Design: docs/kiosk.md; formats: docs/formats.md; secrecy: docs/security.md.

#include "activity.h"
#include "audit.h"
#include "ballot.h"
#include "ballotbox.h"
#include "batch.h"
#include "clock.h"
#include "crypto.h"
#include "filelock.h"
#include "identity.h"
#include "kiosk/checkinledger.h"
#include "kiosk/kiosktypes.h"
#include "result.h"
#include "storage.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace pingyi::kiosk {

class KioskService {
public:
    /// Opens (creating) the kiosk state in `stateDir`: kiosk.db and kiosk.key. A check-in
    /// left active by a crash is released and logged.
    static Result<std::unique_ptr<KioskService>> open(const QString &stateDir, const Clock &clock,
                                                      Options options = {});
    ~KioskService();

    // ---- enrolment and package ---------------------------------------------------
    Provisioning provisioning() const;
    QString kioskId() const;
    QByteArray publicKey() const;
    QString fingerprint() const { return crypto::fingerprint(publicKey()); }
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

    const Activity &activity() const;
    QString activityId() const { return activity().id; }
    QString venue() const;
    qint64 packageVersion() const;
    qint64 rosterSize() const;
    /// Representatives of this venue's roster invited to group session `session` (应到).
    Result<qint64> invitedCount(const QString &session) const;

    // ---- staff ---------------------------------------------------------------------
    /// Error codes: "pin-wrong" (pinTriesLeft() says how many tries remain), "pin-locked"
    /// (message says how long), "no-package".
    Result<Role> login(const QString &pin);
    void logout();
    /// The logged-in role, or None after staffLockSeconds without touch().
    Role role() const;
    void touch();
    /// Seconds until PIN entry is allowed again (0 when allowed).
    qint64 pinLockRemaining() const;
    /// Wrong PINs still allowed before PIN entry locks (0 while it is locked).
    int pinTriesLeft() const;

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
    /// Checks a representative in on the evidence they bring (core/identity.h). Refusals
    /// are logged with the reason, the method and an ID number's source, never who.
    /// Face evidence (a FaceProbe) is judged against the challenge beginFaceCheck() issued:
    /// liveness replayed on its track, then 1:N among the open session's enrolled faces —
    /// or 1:1 against the representative of the card or number just shown, when the
    /// activity's face.verify asked for the face ("face-verify" refused the card for now).
    /// An override is for the venue lead only; its reason is logged with the
    /// representative id.
    Result<CheckIn> checkIn(const Evidence &evidence);
    Result<CheckIn> checkInCredential(const QString &qrText) { return checkIn(CredentialEvidence {qrText}); }
    Result<CheckIn> checkInIdNumber(const QString &idNumber, EvidenceSource source = EvidenceSource::Keypad)
    {
        return checkIn(IdNumberEvidence {idNumber, source});
    }
    Result<CheckIn> checkInOverride(const QString &repIdOrIdNumber, const QString &reason)
    {
        return checkIn(OverrideEvidence {repIdOrIdNumber, reason});
    }
    /// Starts a face check-in: the core draws the head-turn direction the person must make
    /// and starts its time (the activity's face.liveness_seconds). Errors: "no-package",
    /// "method-not-allowed", "session-not-open", "busy", "face-no-template".
    Result<face::Turn> beginFaceCheck();
    /// Representatives of the open session with an enrolled face (the face way is offered
    /// only when there is one).
    int facesEnrolled() const;
    /// The person left (or chose another way) while their card or number waited for their
    /// face (face.verify, refusal "face-verify"): it is forgotten.
    void cancelFaceVerify();
    /// Where the representative refused by the last checkIn() is invited instead (see
    /// Placement), if that refusal knew it; cleared by the next checkIn().
    std::optional<Placement> refusalPlacement() const;
    /// The kiosk that holds the check-in refused by the last checkIn() ("checked-in-elsewhere",
    /// "already-voted" at a venue that shares check-ins), empty when not known.
    QString refusalHolder() const;
    bool voterActive() const;
    /// Seals, signs and stores the ballot (and suggestions) and marks the check-in used,
    /// in one transaction. Error codes: "no-voter", "ballot-*", "suggestion-invalid", "db",
    /// "db-full" (the kiosk's disk is full: nothing was stored, the check-in stays unused).
    Result<Receipt> cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions);
    /// The voter left: release the check-in, store nothing.
    Status release(ReleaseReason reason);

    // ---- the venue's shared check-ins (docs/venue.md) -------------------------------
    /// Degraded mode, for the venue lead only (audited): while the venue network is down,
    /// this kiosk checks representatives in on its own list and tells the venue later; a
    /// representative who also checked in elsewhere becomes a duplicate in both kiosks'
    /// audit logs. Error "venue-not-shared" at a kiosk that shares nothing.
    Status setOfflineCheckIn(bool offline);
    /// The venue's kiosks as this kiosk sees them, with counts for the current session (or
    /// the last closed one). VenueStatus::shared is false at a kiosk of its own.
    VenueStatus venueStatus() const;
    /// "Close all", for the venue lead only (audited "venue-close-all"): asks every kiosk of
    /// the venue to close @p key. Each closes when nobody votes there, with its own closing
    /// report, its audit event naming the kiosk that asked; meanwhile they check nobody in
    /// ("session-closing") and the session cannot be opened again ("session-closed-at-venue").
    /// This kiosk closes at once (its closing report is returned) unless someone votes here.
    /// Errors: "role", "session-state" (never opened here), "venue-unavailable",
    /// "venue-not-shared".
    Result<std::optional<Report>> closeAtEveryKiosk(const SessionKey &key);
    /// The kiosk whose lead asked every kiosk to close @p key, as this kiosk knows it (empty:
    /// nobody asked, or the request has not reached this kiosk yet).
    QString venueCloseRequestedBy(const SessionKey &key) const;
    /// From the kiosk's idle timer: tells the venue what it missed, records duplicates.
    void venueTick();
    /// Technician, after the activity (every session exported), with the kiosk program
    /// stopped: overwrites and removes the shared ledger's files (its Raft log lists who
    /// checked in where). Returns how many files. Error codes "venue-ledger-in-use",
    /// "venue-ledger-needed" (a session not exported yet), "io-write".
    Result<qint64> wipeVenueLedger();

    // ---- audit ---------------------------------------------------------------------
    /// A representative asked for the venue staff at this kiosk (`from`: "identify" or
    /// "ballot"). Logged with the kiosk's own signature; nothing about the representative.
    Status recordStaffCall(const QString &from);
    Result<QList<AuditEvent>> auditLog() const;
    Status verifyAuditLog() const;
    /// check-ins = ballots + released (+ the active voter), ids unique, records verify.
    Status checkInvariants(const SessionKey &key) const;

    SessionContext context(const SessionKey &key) const;
    Database &database();

private:
    struct Parts;
    explicit KioskService(std::unique_ptr<Parts> parts);
    Status loadState();
    Status chooseLedger(const QString &stateDir);
    Status recover();
    /// The session the venue view shows: the open or paused one, else the last one opened.
    std::optional<SessionStatus> venueSession() const;

    std::unique_ptr<Parts> m_parts;
};

} // namespace pingyi::kiosk
