#include "staffgate.h"

#include <QStringList>

#include <cmath>

namespace pingyi::kiosk {

qint64 StaffGate::pinLockRemaining() const
{
    auto until = m_env.store->meta("pin_locked_until");
    if (!until || until->isEmpty())
        return 0;
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(*until), Qt::ISODate);
    return std::max<qint64>(0, m_env.clock.now().secsTo(t));
}

qint64 StaffGate::recentFailures() const
{
    auto failures = m_env.store->meta("pin_failures");
    const qint64 n = failures && !failures->isEmpty() ? failures->toLongLong() : 0;
    if (n == 0)
        return 0;
    auto last = m_env.store->meta("pin_last_failure");
    if (!last || last->isEmpty())
        return n;
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(*last), Qt::ISODate);
    return t.isValid() && t.secsTo(m_env.clock.now()) >= m_env.options.pinFailureMemorySeconds ? 0 : n;
}

int StaffGate::pinTriesLeft() const
{
    if (pinLockRemaining() > 0)
        return 0;
    return int(std::max<qint64>(0, m_env.options.pinAttemptsBeforeLock - recentFailures()));
}

Result<Role> StaffGate::login(const QString &pin)
{
    if (m_env.activity.id.isEmpty())
        return kioskError("no-package", QStringLiteral("no venue package is loaded yet: load it first"));
    if (const qint64 wait = pinLockRemaining(); wait > 0)
        return kioskError("pin-locked", QStringLiteral("too many wrong PINs: try again in %1 seconds").arg(wait));
    auto pins = m_env.store->staffPins();
    if (!pins)
        return pins.error();
    // Highest role first, stopping at the first match: each check is a deliberate Argon2id.
    Role matched = Role::None;
    for (const auto &[r, hash] : *pins) {
        if (crypto::verifyPin(hash, pin.toUtf8())) {
            matched = r == QLatin1String("technician") ? Role::Technician
                : r == QLatin1String("lead")           ? Role::Lead
                                                       : Role::Staff;
            break;
        }
    }
    KioskStore &store = *m_env.store;
    qint64 n = recentFailures();
    Database::Transaction tx(store.database());
    if (matched != Role::None) {
        // The failure count stays: only time forgets it (Options::pinFailureMemorySeconds).
        (void)m_env.audit(QStringLiteral("login"), {{QStringLiteral("role"), roleName(matched)}});
        if (auto s = tx.commit(); !s)
            return s.error();
        m_role = matched;
        m_lastActivity = m_env.clock.now();
        return matched;
    }
    ++n;
    (void)store.setMeta("pin_failures", QByteArray::number(n));
    (void)store.setMeta("pin_last_failure", m_env.clock.now().toString(Qt::ISODate).toLatin1());
    const Options &o = m_env.options;
    Error e;
    if (n >= o.pinAttemptsBeforeLock) {
        const double factor = std::pow(2.0, double(n - o.pinAttemptsBeforeLock));
        const qint64 wait = qint64(std::min<double>(o.pinMaxLockSeconds, o.pinFirstLockSeconds * factor));
        (void)store.setMeta("pin_locked_until", m_env.clock.now().addSecs(wait).toString(Qt::ISODate).toLatin1());
        e = kioskError("pin-locked",
                       QStringLiteral("wrong PIN; too many wrong PINs: try again in %1 seconds").arg(wait));
    } else {
        e = kioskError(
            "pin-wrong",
            QStringLiteral("wrong PIN: %1 more tries before PIN entry is locked").arg(o.pinAttemptsBeforeLock - n));
    }
    (void)m_env.audit(QStringLiteral("login-failed"), {{QStringLiteral("failures"), n}});
    if (auto s = tx.commit(); !s)
        return s.error();
    return e;
}

void StaffGate::logout()
{
    if (m_role != Role::None)
        (void)m_env.audit(QStringLiteral("logout"), {{QStringLiteral("role"), roleName(m_role)}});
    m_role = Role::None;
}

Role StaffGate::role() const
{
    if (m_role == Role::None || m_lastActivity.secsTo(m_env.clock.now()) > m_env.options.staffLockSeconds)
        return Role::None;
    return m_role;
}

void StaffGate::touch()
{
    if (role() != Role::None)
        m_lastActivity = m_env.clock.now();
}

Status StaffGate::require(std::initializer_list<Role> allowed, const QString &action) const
{
    const Role r = role();
    for (Role a : allowed)
        if (a == r)
            return {};
    QStringList names;
    for (Role a : allowed)
        names << roleName(a);
    return kioskError(r == Role::None ? "login-required" : "role",
                      QStringLiteral("to %1, log in with a %2 PIN").arg(action, names.join(QStringLiteral(" or "))));
}

} // namespace pingyi::kiosk
