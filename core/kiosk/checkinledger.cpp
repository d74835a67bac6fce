#include "checkinledger.h"

#include "kioskstore.h"

namespace pingyi::kiosk {

namespace {
Error noVoter()
{
    return makeError(QStringLiteral("no-voter"), QStringLiteral("the check-in is no longer active"));
}
} // namespace

Result<CheckInLedger::Claim> LocalCheckInLedger::claim(const SessionKey &session, const QString &repId)
{
    auto prior = m_store.checkInStatus(session, repId);
    if (!prior)
        return prior.error();
    if (*prior == CheckInStatus::Voted)
        return Claim::AlreadyVoted;
    // This kiosk admits one voter at a time and releases what a crash left active at
    // start-up, so an active check-in here is one a restore or a bug left behind.
    if (*prior == CheckInStatus::Active)
        return Claim::Held;
    if (auto s = m_store.setCheckInActive(session, repId); !s)
        return s.error();
    if (auto s = m_store.addToCounters(session, 1, 0); !s)
        return s.error();
    return Claim::Granted;
}

Status LocalCheckInLedger::markVoted(const SessionKey &session, const QString &repId)
{
    auto changed = m_store.setCheckInDone(session, repId, CheckInStatus::Voted);
    if (!changed)
        return changed.error();
    return *changed ? Status() : Status(noVoter());
}

Status LocalCheckInLedger::release(const SessionKey &session, const QString &repId)
{
    auto changed = m_store.setCheckInDone(session, repId, CheckInStatus::Released);
    if (!changed)
        return changed.error();
    if (!*changed)
        return noVoter();
    return m_store.addToCounters(session, 0, 1);
}

Result<QList<QPair<SessionKey, qint64>>> LocalCheckInLedger::recover()
{
    auto stale = m_store.activeCheckIns();
    if (!stale)
        return stale.error();
    for (const auto &[key, n] : *stale) {
        if (auto s = m_store.releaseAllActive(key); !s)
            return s.error();
        if (auto s = m_store.addToCounters(key, 0, n); !s)
            return s.error();
    }
    return stale;
}

} // namespace pingyi::kiosk
