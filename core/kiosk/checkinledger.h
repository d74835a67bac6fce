#pragma once
// Who has checked in to a group session: the one place the kiosk asks "may this
// representative vote now?". Today's implementation is local (kiosk.db); a venue-shared
// ledger (dqlite among the venue's kiosks, issue 13) replaces it behind this interface.
// The contract, and how a shared ledger keeps the cast atomic: docs/kiosk.md §Check-in ledger.

#include "kiosktypes.h"
#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QPair>

#include <functional>

namespace pingyi::kiosk {

class KioskStore;

/// What a venue-shared ledger knows about the venue, for the staff console's venue view.
struct VenueKioskStatus {
    QString kioskId;
    bool self = false;
    bool reachable = false; ///< its venue endpoint answered the last probe (always true for self)
    qint64 checkedIn = 0; ///< check-ins it holds active in the session asked about
    qint64 voted = 0; ///< check-ins it holds voted in that session
    /// The session it has on now (or closed last) and that session's state ("open",
    /// "paused", "closed", "exported"), as it last told the venue; empty when not known.
    SessionKey session;
    QString state;
};

struct VenueStatus {
    bool shared = false; ///< false: a kiosk of its own (local ledger only)
    bool offline = false; ///< the venue lead switched this kiosk to offline check-in
    bool connected = false; ///< the venue's ledger had a leader at the last probe
    qint64 queued = 0; ///< offline check-ins not yet told to the venue
    qint64 unsettled = 0; ///< votes and releases not yet told to the venue
    /// The kiosk whose lead asked every kiosk to close the session asked about (empty: nobody).
    QString closeRequestedBy;
    /// Why this kiosk could not close as asked (empty: nothing wrong); filled by KioskService.
    QString closeFailure;
    QList<VenueKioskStatus> kiosks; ///< every kiosk of the venue, in kiosk id order
};

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

    // ---- a venue-shared ledger (docs/venue.md); a local one has no venue ----------------
    /// The kiosk named by the last Held or AlreadyVoted claim (empty when not known).
    virtual QString lastHolder() const { return {}; }
    /// Offline check-in (degraded mode): claims are decided by this kiosk alone and told to
    /// the venue when it can be reached. Error "venue-not-shared" for a local ledger.
    virtual Status setOffline(bool offline)
    {
        Q_UNUSED(offline);
        return makeError(QStringLiteral("venue-not-shared"),
                         QStringLiteral("this kiosk does not share check-ins with other kiosks: offline check-in is "
                                        "not needed here"));
    }
    using AuditFn = std::function<Status(const QString &event, const QJsonObject &details)>;
    /// Periodic work outside any transaction (the kiosk's idle timer): tells the venue what
    /// it has not been told yet. What it finds (a duplicate) goes to the audit log through
    /// @p audit, inside the transaction this opens on the store.
    virtual void tick(const AuditFn &audit) { Q_UNUSED(audit); }
    /// Tells the venue which session this kiosk has on and in which state (stateName()),
    /// for the other kiosks' venue view. Never waits on the network.
    virtual void publishState(const SessionKey &session, const QString &state)
    {
        Q_UNUSED(session);
        Q_UNUSED(state);
    }
    /// The venue lead's "close all": asks every kiosk of the venue to close @p session when
    /// nobody votes there. Waits on the network (error "venue-unavailable"); error
    /// "venue-not-shared" for a local ledger.
    virtual Status requestCloseAll(const SessionKey &session)
    {
        Q_UNUSED(session);
        return makeError(QStringLiteral("venue-not-shared"),
                         QStringLiteral("this kiosk does not share check-ins with other kiosks: close its session "
                                        "with 结束评议"));
    }
    /// The kiosk whose lead asked to close @p session at every kiosk, as last seen (empty
    /// when nobody asked). Never waits on the network.
    virtual QString closeRequestedBy(const SessionKey &session) const
    {
        Q_UNUSED(session);
        return {};
    }
    /// The venue as this kiosk sees it, with counts for @p session.
    virtual VenueStatus venueStatus(const SessionKey &session) const
    {
        Q_UNUSED(session);
        return {};
    }
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
