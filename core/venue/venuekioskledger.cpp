#include "venuekioskledger.h"

#include "kiosk/kioskstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <algorithm>
#include <chrono>
#include <tuple>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcVenueKiosk, "pingyi.venue.kiosk")

namespace pingyi::venue {

using kiosk::CheckInStatus;
using kiosk::SessionKey;

namespace {

// kiosk.db meta keys: the lead's offline switch survives a restart, and so do the offline
// check-ins the venue has not been told yet (written in the admitting transaction).
constexpr char offlineKey[] = "venue_offline";
constexpr char queueKey[] = "venue_offline_claims";
constexpr auto probeInterval = std::chrono::seconds(2);
constexpr int probeDeadlineMs = 1500;
constexpr int dialTimeoutMs = 500;

QJsonObject duplicateEvent(const SessionKey &session, const QString &offlineKiosk, const QString &holder)
{
    // The session and the two kiosks, never who: the audit log's times would say when that
    // representative voted. The office's duplicate report finds who from the check-in lists.
    return {{QStringLiteral("session"), session.code},
            {QStringLiteral("rehearsal"), session.rehearsal},
            {QStringLiteral("offline_kiosk"), offlineKiosk},
            {QStringLiteral("holder"), holder}};
}

} // namespace

VenueKioskLedger::VenueKioskLedger(std::unique_ptr<VenueNode> node, kiosk::LocalCheckInLedger &local,
                                   kiosk::KioskStore &store, int deadlineMs)
    : m_node(std::move(node)), m_local(local), m_store(store), m_venue(*m_node, deadlineMs),
      m_shared(m_venue, local, store)
{
    if (auto flag = m_store.meta(offlineKey))
        m_offline = *flag == "1";
    m_prober = std::thread([this] { probe(); });
}

VenueKioskLedger::~VenueKioskLedger()
{
    {
        std::lock_guard lock(m_stopMutex);
        m_stopping = true;
    }
    m_stopWake.notify_all();
    if (m_prober.joinable())
        m_prober.join();
}

QList<VenueKioskLedger::Queued> VenueKioskLedger::loadQueue() const
{
    QList<Queued> queue;
    auto saved = m_store.meta(queueKey);
    if (!saved || saved->isEmpty())
        return queue;
    for (const QJsonValue &v : QJsonDocument::fromJson(*saved).array()) {
        const QJsonObject o = v.toObject();
        queue.append(
            {SessionKey {o.value(QLatin1String("session")).toString(), o.value(QLatin1String("rehearsal")).toBool()},
             o.value(QLatin1String("rep")).toString(),
             QByteArray::fromHex(o.value(QLatin1String("claim")).toString().toLatin1())});
    }
    return queue;
}

Status VenueKioskLedger::saveQueue(QList<Queued> queue)
{
    // Stored sorted by session and representative, never in the order of check-in (which is
    // nearly the order of casting).
    std::sort(queue.begin(), queue.end(), [](const Queued &a, const Queued &b) {
        return std::tie(a.session.code, a.session.rehearsal, a.repId)
            < std::tie(b.session.code, b.session.rehearsal, b.repId);
    });
    QJsonArray list;
    for (const Queued &q : std::as_const(queue))
        list.append(QJsonObject {{QStringLiteral("session"), q.session.code},
                                 {QStringLiteral("rehearsal"), q.session.rehearsal},
                                 {QStringLiteral("rep"), q.repId},
                                 {QStringLiteral("claim"), QString::fromLatin1(q.claimId.toHex())}});
    return m_store.setMeta(queueKey, QJsonDocument(list).toJson(QJsonDocument::Compact));
}

bool VenueKioskLedger::contains(const QList<Queued> &queue, const SessionKey &session, const QString &repId)
{
    return std::any_of(queue.cbegin(), queue.cend(),
                       [&](const Queued &q) { return q.session == session && q.repId == repId; });
}

Result<kiosk::CheckInLedger::Claim> VenueKioskLedger::claim(const SessionKey &session, const QString &repId)
{
    QList<Queued> queue = loadQueue();
    const bool queued = contains(queue, session, repId);
    if (m_offline || queued) {
        // Offline check-in: this kiosk's own list decides; the venue hears of it later.
        auto r = m_local.claim(session, repId);
        if (!r)
            return r;
        m_lastHolder = m_node->self().kioskId;
        if (*r == Claim::Granted && !queued) {
            queue.append({session, repId, VenueLedger::newClaimId()});
            if (auto s = saveQueue(queue); !s)
                return s.error();
        }
        return r;
    }
    auto r = m_shared.claim(session, repId);
    m_lastHolder = m_shared.lastHolder();
    return r;
}

Status VenueKioskLedger::markVoted(const SessionKey &session, const QString &repId)
{
    return m_shared.markVoted(session, repId);
}

void VenueKioskLedger::voteCommitted(const SessionKey &session, const QString &repId)
{
    if (!contains(loadQueue(), session, repId)) // an offline check-in's vote goes with it to the venue
        m_shared.voteCommitted(session, repId);
}

Status VenueKioskLedger::release(const SessionKey &session, const QString &repId)
{
    if (QList<Queued> queue = loadQueue(); contains(queue, session, repId)) {
        if (auto s = m_local.release(session, repId); !s)
            return s;
        // Never told to the venue, and given back: nothing left to push. Kept queued, it
        // would keep the person's later claims off the venue's list.
        queue.removeIf([&](const Queued &q) { return q.session == session && q.repId == repId; });
        return saveQueue(queue);
    }
    return m_shared.release(session, repId);
}

Result<QList<QPair<SessionKey, qint64>>> VenueKioskLedger::recover()
{
    return m_shared.recover();
}

Status VenueKioskLedger::setOffline(bool offline)
{
    if (auto s = m_store.setMeta(offlineKey, offline ? QByteArrayView("1") : QByteArrayView()); !s)
        return s;
    m_offline = offline;
    return {};
}

void VenueKioskLedger::tick(const AuditFn &audit)
{
    {
        QMutexLocker lock(&m_seenMutex);
        if (!m_seen.connected)
            return; // nothing to push; and a kiosk must not freeze for the deadline every tick
    }
    m_shared.settle();
    pushQueue(audit);
    logDuplicatesHeldHere(audit);
}

void VenueKioskLedger::pushQueue(const AuditFn &audit)
{
    const QString self = m_node->self().kioskId;
    const QList<Queued> pending = loadQueue();
    for (const Queued &q : pending) {
        auto local = m_store.checkInStatus(q.session, q.repId);
        if (!local || *local == CheckInStatus::Active)
            continue; // still voting here: told once they are done
        // The same claim id every time: a push that committed unseen is this kiosk's.
        auto outcome = m_venue.claim(q.session, q.repId, q.claimId);
        if (!outcome)
            return; // the venue is gone again: the rest waits for the next tick
        Database::Transaction tx(m_store.database());
        if (!tx.status())
            return;
        if (outcome->holder == self) {
            const Status told = *local == CheckInStatus::Voted ? m_venue.markVoted(q.session, q.repId)
                                                               : m_venue.release(q.session, q.repId);
            if (!told)
                return;
        } else if (*local == CheckInStatus::Voted) {
            // Checked in here offline and voted, while another kiosk held them: a duplicate,
            // in this kiosk's audit log now and in the holder's when it reads the venue's note.
            if (!m_venue.recordDuplicate(q.session, q.repId, outcome->holder))
                return;
            if (!audit(QStringLiteral("venue-duplicate"), duplicateEvent(q.session, self, outcome->holder)))
                return;
            qCWarning(lcVenueKiosk) << "offline check-in met a check-in held by kiosk" << outcome->holder;
        } // released here without a ballot: nothing to report
        // Read again inside the transaction: leaves the queue with what it was told.
        QList<Queued> queue = loadQueue();
        queue.removeIf([&](const Queued &e) { return e.session == q.session && e.repId == q.repId; });
        if (!saveQueue(queue) || !tx.commit())
            return;
    }
}

void VenueKioskLedger::logDuplicatesHeldHere(const AuditFn &audit)
{
    auto found = m_venue.duplicatesHeldHere();
    if (!found)
        return;
    const QString self = m_node->self().kioskId;
    for (const SharedCheckIn &d : *found) {
        Database::Transaction tx(m_store.database());
        if (!tx.status() || !audit(QStringLiteral("venue-duplicate"), duplicateEvent(d.session, d.kioskId, self))
            || !tx.commit())
            return;
        qCWarning(lcVenueKiosk) << "kiosk" << d.kioskId << "checked in offline a representative held here";
        // Written down here: the note leaves the venue (if this fails, it is logged again).
        if (!m_venue.clearDuplicate(d.session, d.repId, d.kioskId))
            return;
    }
}

void VenueKioskLedger::publishState(const SessionKey &session, const QString &state)
{
    QMutexLocker lock(&m_seenMutex);
    m_ownState = {session, state};
    m_ownStateSet = true;
}

void VenueKioskLedger::probe()
{
    VenueLedger ledger(*m_node, probeDeadlineMs);
    const QString self = m_node->self().kioskId;
    bool joined = false;
    QPair<SessionKey, QString> published;
    bool publishedOnce = false;
    for (;;) {
        // Join until it works: the other kiosks may start later than this one.
        if (!joined)
            joined = m_node->join(probeDeadlineMs).ok();
        Seen seen;
        QPair<SessionKey, QString> own;
        bool ownSet = false;
        {
            QMutexLocker lock(&m_seenMutex);
            own = m_ownState;
            ownSet = m_ownStateSet;
        }
        if (ownSet && (!publishedOnce || own != published) && ledger.publishState(own.first, own.second)) {
            published = own;
            publishedOnce = true;
        }
        auto counts = ledger.counts();
        seen.connected = counts.ok();
        if (counts)
            seen.counts = *counts;
        if (seen.connected) {
            if (auto states = ledger.kioskStates())
                seen.states = *states;
            if (auto closes = ledger.closeRequests())
                seen.closeRequests = *closes;
        }
        for (const Member &m : m_node->membership().members()) {
            if (m.kioskId == self)
                continue;
            const int fd = m_node->dial(m.address, dialTimeoutMs);
            seen.reachable.insert(m.kioskId, fd >= 0);
            if (fd >= 0)
                ::close(fd);
        }
        {
            QMutexLocker lock(&m_seenMutex);
            // A close request once seen stays (the table only grows): a failed read keeps it.
            for (const auto &c : std::as_const(m_seen.closeRequests))
                if (!seen.closeRequests.contains(c))
                    seen.closeRequests.append(c);
            m_seen = seen;
        }
        std::unique_lock lock(m_stopMutex);
        if (m_stopWake.wait_for(lock, probeInterval, [this] { return m_stopping; }))
            return;
    }
}

Status VenueKioskLedger::requestCloseAll(const SessionKey &session)
{
    if (auto s = m_venue.requestClose(session); !s)
        return s;
    QMutexLocker lock(&m_seenMutex);
    m_closeAsked.append({session, m_node->self().kioskId});
    return {};
}

QString VenueKioskLedger::closeRequestedBy(const SessionKey &session) const
{
    QMutexLocker lock(&m_seenMutex);
    return closeRequestedByLocked(session);
}

QString VenueKioskLedger::closeRequestedByLocked(const SessionKey &session) const
{
    for (const auto &list : {m_closeAsked, m_seen.closeRequests})
        for (const auto &[key, kioskId] : list)
            if (key == session)
                return kioskId;
    return {};
}

kiosk::VenueStatus VenueKioskLedger::venueStatus(const SessionKey &session) const
{
    kiosk::VenueStatus st;
    st.shared = true;
    st.offline = m_offline;
    st.queued = loadQueue().size();
    QMutexLocker lock(&m_seenMutex);
    st.connected = m_seen.connected;
    st.unsettled = m_shared.unsettled();
    st.closeRequestedBy = closeRequestedByLocked(session);
    for (const Member &m : m_node->membership().members()) {
        kiosk::VenueKioskStatus k;
        k.kioskId = m.kioskId;
        k.self = m.kioskId == m_node->self().kioskId;
        k.reachable = k.self || m_seen.reachable.value(m.kioskId);
        if (k.self && m_ownStateSet) {
            k.session = m_ownState.first;
            k.state = m_ownState.second;
        } else if (m_seen.states.contains(m.kioskId)) {
            k.session = m_seen.states.value(m.kioskId).first;
            k.state = m_seen.states.value(m.kioskId).second;
        }
        for (const CheckInCount &c : m_seen.counts)
            if (c.kioskId == m.kioskId && c.session == session) {
                k.checkedIn += c.count;
                if (c.voted)
                    k.voted += c.count;
            }
        st.kiosks.append(k);
    }
    std::sort(st.kiosks.begin(), st.kiosks.end(),
              [](const kiosk::VenueKioskStatus &a, const kiosk::VenueKioskStatus &b) { return a.kioskId < b.kioskId; });
    return st;
}

kiosk::SharedLedgerFactory sharedLedgerFactory(NodeOptions base, int deadlineMs)
{
    return [base, deadlineMs](const kiosk::SharedLedgerPlan &plan, kiosk::LocalCheckInLedger &local,
                              kiosk::KioskStore &store) -> Result<std::unique_ptr<kiosk::CheckInLedger>> {
        auto membership = Membership::fromCertificates(plan.kioskCerts, plan.rootPublicKey, plan.activityId, plan.venue,
                                                       plan.addresses);
        if (!membership)
            return membership.error();
        auto key = crypto::SigningKey::fromSeed(plan.key->seed());
        if (!key)
            return key.error();
        NodeOptions options = base;
        options.dataDir = plan.dataDir;
        options.kioskId = plan.kioskId;
        auto node = VenueNode::start(*membership, std::move(key).value(), options);
        if (!node)
            return node.error();
        return std::unique_ptr<kiosk::CheckInLedger>(
            new VenueKioskLedger(std::move(node).value(), local, store, deadlineMs));
    };
}

} // namespace pingyi::venue
