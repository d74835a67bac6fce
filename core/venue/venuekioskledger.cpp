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
// Duplicates this kiosk (the holder) wrote to its audit log whose venue note is not cleared
// yet (the claim field holds the offline kiosk's id).
constexpr char loggedKey[] = "venue_duplicates_logged";
// The venue lead's close requests this kiosk has seen (session, rehearsal, asking kiosk).
constexpr char closeKey[] = "venue_close_requests";
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
    if (auto saved = m_store.meta(closeKey); saved && !saved->isEmpty())
        for (const QJsonValue &v : QJsonDocument::fromJson(*saved).array()) {
            const QJsonObject o = v.toObject();
            m_closeKnown.append({SessionKey {o.value(QLatin1String("session")).toString(),
                                             o.value(QLatin1String("rehearsal")).toBool()},
                                 o.value(QLatin1String("kiosk")).toString()});
        }
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

Result<QList<VenueKioskLedger::Queued>> VenueKioskLedger::loadList(const char *key) const
{
    QList<Queued> list;
    auto saved = m_store.meta(key);
    if (!saved)
        return saved.error();
    if (saved->isEmpty())
        return list;
    QJsonParseError parsed {};
    const QJsonDocument doc = QJsonDocument::fromJson(*saved, &parsed);
    if (parsed.error != QJsonParseError::NoError || !doc.isArray())
        return makeError(
            QStringLiteral("db"),
            QStringLiteral("the kiosk's record %1 is damaged: call the technician").arg(QLatin1String(key)));
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        list.append(
            {SessionKey {o.value(QLatin1String("session")).toString(), o.value(QLatin1String("rehearsal")).toBool()},
             o.value(QLatin1String("rep")).toString(),
             QByteArray::fromHex(o.value(QLatin1String("claim")).toString().toLatin1())});
    }
    return list;
}

Status VenueKioskLedger::saveList(const char *key, QList<Queued> list)
{
    // Stored sorted by session and representative, never in the order of check-in (which is
    // nearly the order of casting).
    std::sort(list.begin(), list.end(), [](const Queued &a, const Queued &b) {
        return std::tie(a.session.code, a.session.rehearsal, a.repId, a.claimId)
            < std::tie(b.session.code, b.session.rehearsal, b.repId, b.claimId);
    });
    QJsonArray out;
    for (const Queued &q : std::as_const(list))
        out.append(QJsonObject {{QStringLiteral("session"), q.session.code},
                                {QStringLiteral("rehearsal"), q.session.rehearsal},
                                {QStringLiteral("rep"), q.repId},
                                {QStringLiteral("claim"), QString::fromLatin1(q.claimId.toHex())}});
    return m_store.setMeta(key, QJsonDocument(out).toJson(QJsonDocument::Compact));
}

qsizetype VenueKioskLedger::queued() const
{
    auto queue = loadList(queueKey);
    return queue ? queue->size() : 0;
}

bool VenueKioskLedger::contains(const QList<Queued> &queue, const SessionKey &session, const QString &repId)
{
    return std::any_of(queue.cbegin(), queue.cend(),
                       [&](const Queued &q) { return q.session == session && q.repId == repId; });
}

Result<kiosk::CheckInLedger::Claim> VenueKioskLedger::claim(const SessionKey &session, const QString &repId)
{
    auto loaded = loadList(queueKey);
    if (!loaded)
        return loaded.error(); // never saved over: the queue on disk stays as it is
    QList<Queued> queue = *loaded;
    const bool queued = contains(queue, session, repId);
    if (m_offline || queued) {
        // Offline check-in: this kiosk's own list decides; the venue hears of it later.
        auto r = m_local.claim(session, repId);
        if (!r)
            return r;
        m_lastHolder = m_node->self().kioskId;
        if (*r == Claim::Granted && !queued) {
            queue.append({session, repId, VenueLedger::newClaimId()});
            if (auto s = saveList(queueKey, queue); !s)
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
    // An offline check-in's vote goes with it to the venue (a queue that cannot be read:
    // telling the venue twice is harmless, markVoted is idempotent).
    if (auto queue = loadList(queueKey); !queue || !contains(*queue, session, repId))
        m_shared.voteCommitted(session, repId);
}

Status VenueKioskLedger::release(const SessionKey &session, const QString &repId)
{
    auto queue = loadList(queueKey);
    if (!queue)
        return queue.error();
    if (contains(*queue, session, repId)) {
        if (auto s = m_local.release(session, repId); !s)
            return s;
        // Never told to the venue, and given back: nothing left to push. Kept queued, it
        // would keep the person's later claims off the venue's list.
        queue->removeIf([&](const Queued &q) { return q.session == session && q.repId == repId; });
        return saveList(queueKey, *queue);
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
        // Close requests the prober learned are kept in kiosk.db (here, on the store's
        // thread): after a restart (or while cut off) the kiosk still knows.
        if (m_closeUnsaved) {
            if (saveCloseRequests())
                m_closeUnsaved = false;
            else
                qCWarning(lcVenueKiosk) << "cannot keep the venue's close requests in kiosk.db (retried)";
        }
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
    const auto pending = loadList(queueKey);
    if (!pending)
        return;
    for (const Queued &q : *pending) {
        auto local = m_store.checkInStatus(q.session, q.repId);
        if (!local || *local == CheckInStatus::Active)
            continue; // still voting here: told once they are done
        // The same claim id every time: a push that committed unseen is this kiosk's.
        auto outcome = m_venue.claim(q.session, q.repId, q.claimId, true);
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
        auto queue = loadList(queueKey);
        if (!queue)
            return;
        queue->removeIf([&](const Queued &e) { return e.session == q.session && e.repId == q.repId; });
        if (!saveList(queueKey, *queue) || !tx.commit())
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
        // Two steps, so that each duplicate is logged once and never lost: the event commits
        // with a local mark that it was written; then the venue's note goes, then the mark.
        // A note the venue could not clear is cleared at the next tick without a second event.
        const Queued mark {d.session, d.repId, d.kioskId.toUtf8()};
        auto logged = loadList(loggedKey);
        if (!logged)
            return;
        if (!logged->contains(mark)) {
            Database::Transaction tx(m_store.database());
            logged->append(mark);
            if (!tx.status() || !audit(QStringLiteral("venue-duplicate"), duplicateEvent(d.session, d.kioskId, self))
                || !saveList(loggedKey, *logged) || !tx.commit())
                return;
            qCWarning(lcVenueKiosk) << "kiosk" << d.kioskId << "checked in offline a representative held here";
        }
        if (!m_venue.clearDuplicate(d.session, d.repId, d.kioskId))
            return;
        logged->removeAll(mark);
        if (!saveList(loggedKey, *logged))
            return; // a stale mark only: the venue's note is gone, nothing is logged again
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
        QList<QPair<SessionKey, QString>> closes;
        auto counts = ledger.counts();
        seen.connected = counts.ok();
        if (counts)
            seen.counts = *counts;
        if (seen.connected) {
            if (auto states = ledger.kioskStates())
                seen.states = *states;
            if (auto read = ledger.closeRequests())
                closes = *read;
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
            // A close request once known stays (the table only grows): a failed read keeps it.
            for (const auto &c : std::as_const(closes))
                if (!m_closeKnown.contains(c)) {
                    m_closeKnown.append(c);
                    m_closeUnsaved = true;
                }
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
    if (!closeRequestedByLocked(session).isEmpty())
        return {};
    m_closeKnown.append({session, m_node->self().kioskId});
    return saveCloseRequests();
}

Status VenueKioskLedger::saveCloseRequests()
{
    QJsonArray out;
    auto known = m_closeKnown;
    std::sort(known.begin(), known.end(), [](const auto &a, const auto &b) {
        return std::tie(a.first.code, a.first.rehearsal) < std::tie(b.first.code, b.first.rehearsal);
    });
    for (const auto &[key, kioskId] : std::as_const(known))
        out.append(QJsonObject {{QStringLiteral("session"), key.code},
                                {QStringLiteral("rehearsal"), key.rehearsal},
                                {QStringLiteral("kiosk"), kioskId}});
    return m_store.setMeta(closeKey, QJsonDocument(out).toJson(QJsonDocument::Compact));
}

QString VenueKioskLedger::closeRequestedBy(const SessionKey &session) const
{
    QMutexLocker lock(&m_seenMutex);
    return closeRequestedByLocked(session);
}

QString VenueKioskLedger::closeRequestedByLocked(const SessionKey &session) const
{
    for (const auto &[key, kioskId] : m_closeKnown)
        if (key == session)
            return kioskId;
    return {};
}

kiosk::VenueStatus VenueKioskLedger::venueStatus(const SessionKey &session) const
{
    kiosk::VenueStatus st;
    st.shared = true;
    st.offline = m_offline;
    st.queued = queued();
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
