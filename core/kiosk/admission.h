#pragma once
// Check-in: the evidence a representative brings (core/identity.h) is checked here and
// turned into a representative of this venue's roster, who must be invited to the open
// session and not have voted; the check-in ledger records the claim. Refusals are logged
// with their reason, the method and the source only — never who.

#include "checkinledger.h"
#include "identity.h"
#include "kioskenv.h"
#include "sessionlifecycle.h"
#include "staffgate.h"

namespace pingyi::kiosk {

class Admission {
public:
    Admission(KioskEnv &env, StaffGate &staff, SessionLifecycle &sessions, CheckInLedger &ledger)
        : m_env(env), m_staff(staff), m_sessions(sessions), m_ledger(ledger)
    {
    }

    Result<CheckIn> checkIn(const Evidence &evidence);
    /// Starts a face check-in: draws the head-turn direction (at random) and starts its time.
    /// The next FaceProbe must carry the track of frames seen from now on. A second call
    /// replaces the first challenge. Errors as checkIn's before any evidence is looked at
    /// (no-package, method-not-allowed, session-not-open, busy) and "face-no-template" (no
    /// representative of the open session has an enrolled face).
    Result<face::Turn> beginFace();
    /// Representatives of the open session with an enrolled face (0 when none is open).
    int facesEnrolled() const;
    /// Forgets a card or number that waits for its face (face.verify): the person left.
    void cancelFaceVerify() { m_verify.reset(); }
    /// Where the representative of the last refusal is invited instead, when it was
    /// "not-in-session" or "credential-venue"; reset by every checkIn().
    std::optional<Placement> refusalPlacement() const { return m_placement; }
    /// The kiosk holding the check-in of the last "checked-in-elsewhere" or "already-voted"
    /// refusal, when a venue-shared ledger named it; reset by every checkIn().
    QString refusalHolder() const { return m_holder; }
    /// The voter left: release the check-in, store nothing.
    Status release(ReleaseReason reason);

private:
    Result<CheckIn> credential(const CredentialEvidence &e);
    Result<CheckIn> idNumber(const IdNumberEvidence &e);
    Result<CheckIn> face(const FaceProbe &e);
    Result<CheckIn> staffOverride(const OverrideEvidence &e);
    /// `after`: the face verified the card or number of this method (face.verify).
    Result<CheckIn> admit(const QString &repId, const Evidence &evidence, const QJsonObject &overrideEvent = {},
                          std::optional<IdentityMethod> after = std::nullopt);
    const face::Template *faceOf(const QString &repId) const;
    Result<CheckIn> refuse(const Error &error, const Evidence &evidence);
    /// Why nobody can be admitted now (no open session, someone voting), or nothing.
    std::optional<Error> notAdmitting() const;
    std::vector<face::Template> sessionFaces(const SessionKey &session) const;

    KioskEnv &m_env;
    StaffGate &m_staff;
    SessionLifecycle &m_sessions;
    CheckInLedger &m_ledger;
    std::optional<Placement> m_placement;
    struct FaceCheck {
        face::Turn turn;
        QDateTime started;
    };
    std::optional<FaceCheck> m_faceCheck; ///< the challenge beginFace() issued
    /// face.verify: the representative a card or number named, waiting for their face.
    struct Verify {
        QString repId;
        IdentityMethod first;
        QDateTime since;
    };
    std::optional<Verify> m_verify;
    QString m_holder;
};

} // namespace pingyi::kiosk
