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
    Result<CheckIn> admit(const QString &repId, const Evidence &evidence, const QJsonObject &overrideEvent = {});
    Result<CheckIn> refuse(const Error &error, const Evidence &evidence);

    KioskEnv &m_env;
    StaffGate &m_staff;
    SessionLifecycle &m_sessions;
    CheckInLedger &m_ledger;
    std::optional<Placement> m_placement;
    QString m_holder;
};

} // namespace pingyi::kiosk
