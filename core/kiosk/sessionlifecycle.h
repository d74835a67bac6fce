#pragma once
// A group session's life on this kiosk: ready → open ⇄ paused → closed → exported, each
// transition a signed audit event; the zero and closing reports; the counts and the
// invariants checked at close and before export.

#include "kioskenv.h"
#include "staffgate.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace pingyi::kiosk {

class SessionLifecycle {
public:
    SessionLifecycle(KioskEnv &env, StaffGate &staff) : m_env(env), m_staff(staff) { }

    QList<SessionStatus> sessions() const;
    std::optional<SessionStatus> session(const SessionKey &key) const;
    std::optional<SessionKey> currentSession() const;
    Result<SessionState> stateOf(const SessionKey &key) const;
    Result<BatchCounts> counts(const SessionKey &key) const;

    Result<Report> open(const SessionKey &key);
    Status pause(const SessionKey &key);
    Status resume(const SessionKey &key);
    Result<Report> close(const SessionKey &key);
    /// The venue lead at kiosk @p requestedBy asked every kiosk of the venue to close the
    /// session ("close all"): closed as close() does, without a PIN here, the request named
    /// in the audit event. The caller makes sure nobody votes here.
    Result<Report> closeForVenue(const SessionKey &key, const QString &requestedBy);
    Result<Report> report(const SessionKey &key, const QString &kind) const;
    Status checkInvariants(const SessionKey &key) const;

    /// Moves the session from `from` to `to` and logs `event` with @p details (inside the
    /// caller's transaction). Error "session-state" when it was not in `from`.
    Status setState(const SessionKey &key, SessionState from, SessionState to, const QString &event,
                    const QJsonObject &details = {});
    /// "cannot <action>: session … is …".
    static Error illegal(const SessionKey &key, SessionState state, const QString &action);

private:
    Result<Report> closeNow(const SessionKey &key, const QJsonObject &details);
    Result<Report> makeReport(const SessionKey &key, const QString &kind);
    /// setState in a transaction of its own (pause and resume have no other writes).
    Status setStateAtomically(const SessionKey &key, SessionState from, SessionState to, const QString &event);

    KioskEnv &m_env;
    StaffGate &m_staff;
};

} // namespace pingyi::kiosk
