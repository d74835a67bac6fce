#pragma once
// Who has checked in to a group session: the one place the kiosk asks "may this
// representative vote now?". Today's implementation is local (kiosk.db); a venue-shared
// ledger (dqlite among the venue's kiosks, issue 13) replaces it behind this interface.
// The contract, and how a shared ledger keeps the cast atomic: docs/kiosk.md §Check-in ledger.

#include "kiosktypes.h"
#include "result.h"

#include <QList>
#include <QPair>

namespace pingyi::kiosk {

class KioskStore;

class CheckInLedger {
public:
    enum class Claim {
        Granted, ///< the representative is checked in now
        AlreadyVoted, ///< they voted in this session
        Held, ///< they are checked in (voting) elsewhere right now
    };

    virtual ~CheckInLedger() = default;

    /// Checks the representative in, unless they voted or are checked in already. Called
    /// inside the kiosk's transaction that admits them.
    virtual Result<Claim> claim(const SessionKey &session, const QString &repId) = 0;
    /// Marks the claimed check-in used. Called inside the cast's transaction, before the
    /// ballot commits: a local ledger writes here, so the mark and the ballot commit
    /// together. Error "no-voter" when the check-in is no longer active.
    virtual Status markVoted(const SessionKey &session, const QString &repId) = 0;
    /// Called right after the cast's transaction committed. A venue-shared ledger tells
    /// the venue here (the ballot is already durable on this kiosk); the local one has
    /// nothing left to do.
    virtual void voteCommitted(const SessionKey &session, const QString &repId)
    {
        Q_UNUSED(session);
        Q_UNUSED(repId);
    }
    /// The voter left without casting: the check-in is given back.
    virtual Status release(const SessionKey &session, const QString &repId) = 0;
    /// At start-up: releases every check-in this kiosk left active (a crash or power cut
    /// while someone was voting: nothing was cast for them) and says how many per session.
    /// Called inside the caller's transaction, which also logs the releases.
    virtual Result<QList<QPair<SessionKey, qint64>>> recover() = 0;
};

/// The check-in list in kiosk.db (table `checkin` and the session's counters). It writes
/// inside whatever transaction the caller opened on the store.
class LocalCheckInLedger final : public CheckInLedger {
public:
    explicit LocalCheckInLedger(KioskStore &store) : m_store(store) { }

    Result<Claim> claim(const SessionKey &session, const QString &repId) override;
    Status markVoted(const SessionKey &session, const QString &repId) override;
    Status release(const SessionKey &session, const QString &repId) override;
    Result<QList<QPair<SessionKey, qint64>>> recover() override;

private:
    KioskStore &m_store;
};

} // namespace pingyi::kiosk
