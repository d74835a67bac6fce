#pragma once
// The venue's shared check-in table and the claim protocol over it, and the CheckInLedger
// that puts it in front of the kiosk's local ledger. The shared table holds session,
// representative, kiosk, claim id and state only: no ballot id, no time, no counter.
// Protocol and failure behaviour: docs/venue.md §Claims.

#include "kiosk/checkinledger.h"
#include "venuenode.h"

#include <QHash>
#include <QSet>

#include <memory>

namespace pingyi::kiosk {
class KioskStore;
}

namespace pingyi::venue {

class DqliteClient;

struct ClaimOutcome {
    kiosk::CheckInLedger::Claim claim = kiosk::CheckInLedger::Claim::Granted;
    QString holder; ///< the kiosk that holds the check-in (this kiosk when granted)
};

struct CheckInCount {
    kiosk::SessionKey session;
    QString kioskId;
    bool voted = false;
    qint64 count = 0;
};

struct SharedCheckIn {
    kiosk::SessionKey session;
    QString repId;
    QString kioskId;
    QByteArray claimId;
    bool voted = false;
};

/// The shared table, spoken to through whichever node leads. Every call retries quietly
/// (new leader, broken link) until its deadline and then fails with "venue-unavailable":
/// the outcome of a write that failed so is unknown, so every write is idempotent and a
/// claim is retried with the same claim id. Not thread-safe: one per thread.
class VenueLedger {
public:
    static constexpr int defaultDeadlineMs = 3000;

    VenueLedger(VenueNode &node, int deadlineMs = defaultDeadlineMs);
    ~VenueLedger();

    const QString &kioskId() const { return m_node.self().kioskId; }

    /// A fresh random claim id (16 bytes).
    static QByteArray newClaimId();

    /// Claims (session, rep) for this kiosk under @p claimId: Granted when the row is this
    /// claim's (also when an earlier attempt with the same id committed unseen), Held or
    /// AlreadyVoted naming the kiosk that holds it otherwise. Error "session-closing" when the
    /// venue lead asked every kiosk to close the session (unless @p evenIfClosing: an offline
    /// check-in made before, told to the venue now).
    Result<ClaimOutcome> claim(const kiosk::SessionKey &session, const QString &repId, const QByteArray &claimId,
                               bool evenIfClosing = false);
    /// The voter's ballot is durable on this kiosk: the check-in becomes voted. Idempotent.
    Status markVoted(const kiosk::SessionKey &session, const QString &repId);
    /// Gives back this kiosk's active check-in. Idempotent.
    Status release(const kiosk::SessionKey &session, const QString &repId);
    /// Check-ins this kiosk holds active in the shared table (to settle at start-up).
    Result<QList<SharedCheckIn>> activeHere();
    /// Every row (tests and the staff console's venue view).
    Result<QList<SharedCheckIn>> all();
    /// How many check-ins each kiosk holds, per session and state (no representative).
    Result<QList<CheckInCount>> counts();

    /// This kiosk's session and its state, for the venue view (one row per kiosk, replaced).
    Status publishState(const kiosk::SessionKey &session, const QString &state);
    /// Every kiosk's last published session and state.
    Result<QHash<QString, QPair<kiosk::SessionKey, QString>>> kioskStates();

    /// The venue lead at this kiosk asked every kiosk of the venue to close @p session (the
    /// request stays: a kiosk that was away closes it when it is back). Idempotent.
    Status requestClose(const kiosk::SessionKey &session);
    /// The sessions whose close was asked, each with the kiosk whose lead asked.
    Result<QList<QPair<kiosk::SessionKey, QString>>> closeRequests();

    /// A representative this kiosk checked in offline is held by @p holder: the venue keeps
    /// the duplicate until the holder has written it to its own audit log. Idempotent.
    Status recordDuplicate(const kiosk::SessionKey &session, const QString &repId, const QString &holder);
    /// Duplicates other kiosks found with check-ins this kiosk holds (SharedCheckIn::kioskId
    /// is the kiosk that checked them in offline).
    Result<QList<SharedCheckIn>> duplicatesHeldHere();
    /// The holder wrote the duplicate down: it leaves the shared ledger.
    Status clearDuplicate(const kiosk::SessionKey &session, const QString &repId, const QString &kioskId);

private:
    template<typename F> auto withLeader(F &&op) -> decltype(op(std::declval<DqliteClient &>()));
    Status connectToLeader(int timeoutMs);

    VenueNode &m_node;
    int m_deadlineMs;
    std::unique_ptr<DqliteClient> m_client;
};

/// The CheckInLedger of a kiosk in a venue of two or more kiosks: the venue first, then the
/// local ledger (docs/kiosk.md §Check-in ledger). A venue that cannot be reached makes
/// claim() fail with "venue-unavailable"; marks and releases that cannot reach it are kept
/// and pushed at the next call, and settled at start-up by recover().
class VenueCheckInLedger final : public kiosk::CheckInLedger {
public:
    VenueCheckInLedger(VenueLedger &venue, kiosk::LocalCheckInLedger &local, kiosk::KioskStore &store);

    Result<Claim> claim(const kiosk::SessionKey &session, const QString &repId) override;
    Status markVoted(const kiosk::SessionKey &session, const QString &repId) override;
    void voteCommitted(const kiosk::SessionKey &session, const QString &repId) override;
    Status release(const kiosk::SessionKey &session, const QString &repId) override;
    Result<QList<QPair<kiosk::SessionKey, qint64>>> recover() override;

    /// The kiosk named by the last Held or AlreadyVoted claim.
    QString lastHolder() const { return m_lastHolder; }
    /// Marks and releases still to be told to the venue.
    int unsettled() const { return int(m_toMark.size() + m_toRelease.size()); }
    /// Pushes what is unsettled; false while the venue cannot be reached.
    bool settle();

private:
    static QString keyOf(const kiosk::SessionKey &session, const QString &repId);
    bool settleOnce();

    VenueLedger &m_venue;
    kiosk::LocalCheckInLedger &m_local;
    kiosk::KioskStore &m_store;
    QHash<QString, QByteArray> m_pendingClaims; ///< claim ids whose outcome is unknown
    QList<QPair<kiosk::SessionKey, QString>> m_toMark, m_toRelease;
    bool m_recoverPending = false;
    bool m_reachable = true; ///< the last call to the venue was answered
    QString m_lastHolder;
};

} // namespace pingyi::venue
