#pragma once
// What a kiosk of a venue that shares check-ins runs: its venue node, the shared ledger in
// front of its local one, the degraded (offline) mode, and a prober that keeps the staff
// console's venue view current. Built by sharedLedgerFactory() from the venue package's
// kiosk certificates and network plan. docs/venue.md.

#include "kiosk/checkinledger.h"
#include "kiosk/kiosktypes.h"
#include "venueledger.h"
#include "venuenode.h"

#include <QMutex>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace pingyi::venue {

class VenueKioskLedger final : public kiosk::CheckInLedger {
public:
    /// Takes the started node; joins the venue (retried in the background until it works).
    VenueKioskLedger(std::unique_ptr<VenueNode> node, kiosk::LocalCheckInLedger &local, kiosk::KioskStore &store,
                     int deadlineMs = VenueLedger::defaultDeadlineMs);
    ~VenueKioskLedger() override;

    Result<Claim> claim(const kiosk::SessionKey &session, const QString &repId) override;
    Status markVoted(const kiosk::SessionKey &session, const QString &repId) override;
    void voteCommitted(const kiosk::SessionKey &session, const QString &repId) override;
    Status release(const kiosk::SessionKey &session, const QString &repId) override;
    Result<QList<QPair<kiosk::SessionKey, qint64>>> recover() override;

    QString lastHolder() const override { return m_lastHolder; }
    Status setOffline(bool offline) override;
    void tick(const AuditFn &audit) override;
    void publishState(const kiosk::SessionKey &session, const QString &state) override;
    kiosk::VenueStatus venueStatus(const kiosk::SessionKey &session) const override;
    Status requestCloseAll(const kiosk::SessionKey &session) override;
    QString closeRequestedBy(const kiosk::SessionKey &session) const override;

    bool offline() const { return m_offline; }
    /// Offline check-ins not yet told to the venue.
    qsizetype queued() const;
    VenueNode &node() { return *m_node; }

private:
    struct Queued {
        kiosk::SessionKey session;
        QString repId;
        QByteArray claimId;
        bool operator==(const Queued &) const = default;
    };
    /// The offline queue (and the marks of logged duplicates) live in kiosk.db only, read
    /// each time: written in the caller's transaction, they roll back with it, and memory
    /// never disagrees with the disk. A list that cannot be read is an error, never empty.
    Result<QList<Queued>> loadList(const char *key) const;
    Status saveList(const char *key, QList<Queued> list);
    Status saveCloseRequests(); ///< m_seenMutex held
    static bool contains(const QList<Queued> &queue, const kiosk::SessionKey &session, const QString &repId);
    void pushQueue(const AuditFn &audit);
    void logDuplicatesHeldHere(const AuditFn &audit);
    void probe();
    QString closeRequestedByLocked(const kiosk::SessionKey &session) const; ///< m_seenMutex held

    std::unique_ptr<VenueNode> m_node;
    kiosk::LocalCheckInLedger &m_local;
    kiosk::KioskStore &m_store;
    VenueLedger m_venue; ///< the kiosk's (UI) thread's connection
    VenueCheckInLedger m_shared;
    bool m_offline = false;
    QString m_lastHolder;

    // The prober's view, for venueStatus().
    struct Seen {
        bool connected = false;
        QHash<QString, bool> reachable;
        QList<CheckInCount> counts;
        QHash<QString, QPair<kiosk::SessionKey, QString>> states;
    };
    mutable QMutex m_seenMutex;
    Seen m_seen;
    /// What this kiosk has on (set by the UI thread, published by the prober).
    QPair<kiosk::SessionKey, QString> m_ownState;
    bool m_ownStateSet = false;
    /// Close requests this kiosk made or its prober saw, kept in kiosk.db (known after a
    /// restart, and while cut off). Under m_seenMutex.
    QList<QPair<kiosk::SessionKey, QString>> m_closeKnown;
    bool m_closeUnsaved = false; ///< the prober learned one the tick has not saved yet
    std::mutex m_stopMutex;
    std::condition_variable m_stopWake;
    bool m_stopping = false;
    std::thread m_prober;
};

/// The factory pingyi-kiosk and pingyi-sim give KioskService (Options::sharedLedger):
/// membership from the package's certificates and network plan, the node started in the
/// plan's data directory. @p base sets the node's timing (tests); its dataDir and kioskId
/// are the plan's.
kiosk::SharedLedgerFactory sharedLedgerFactory(NodeOptions base = {}, int deadlineMs = VenueLedger::defaultDeadlineMs);

} // namespace pingyi::venue
