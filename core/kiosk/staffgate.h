#pragma once
// Staff login at the kiosk: PINs checked against the venue package's Argon2id hashes,
// roles (staff, venue lead, technician), the inactivity lock, and the exponential back-off
// after wrong PINs (kept in kiosk.db so a restart does not reset it).

#include "kioskenv.h"

#include <QDateTime>

#include <initializer_list>

namespace pingyi::kiosk {

class StaffGate {
public:
    explicit StaffGate(KioskEnv &env) : m_env(env) { }

    /// Error codes: "pin-wrong", "pin-locked", "no-package".
    Result<Role> login(const QString &pin);
    void logout();
    /// The logged-in role, or None after staffLockSeconds without touch().
    Role role() const;
    void touch();
    qint64 pinLockRemaining() const;
    /// Wrong PINs still allowed before PIN entry locks (0 while it is locked).
    int pinTriesLeft() const;
    /// "login-required" or "role" unless the logged-in role is one of `allowed`.
    Status require(std::initializer_list<Role> allowed, const QString &action) const;

private:
    /// Wrong PINs since the count was last forgotten (Options::pinFailureMemorySeconds).
    qint64 recentFailures() const;

    KioskEnv &m_env;
    Role m_role = Role::None;
    QDateTime m_lastActivity;
};

} // namespace pingyi::kiosk
