#include "venueledger.h"

#include "crypto.h"
#include "dqliteclient.h"
#include "kiosk/kioskstore.h"

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace pingyi::venue {

using kiosk::CheckInLedger;
using kiosk::SessionKey;

namespace {

constexpr char database[] = "pingyi-checkins";
constexpr int requestTimeoutMs = 1500;
constexpr char schema[] = "CREATE TABLE IF NOT EXISTS checkin ("
                          " session TEXT NOT NULL, rep TEXT NOT NULL, kiosk TEXT NOT NULL,"
                          " claim BLOB NOT NULL, state TEXT NOT NULL CHECK (state IN ('active', 'voted')),"
                          " PRIMARY KEY (session, rep)) WITHOUT ROWID";
// Offline check-ins (degraded mode) that met a check-in held by another kiosk: `kiosk`
// checked the representative in offline, `holder` holds the shared check-in. Kept until
// the holder has logged it. Session, representative and kiosks only, like `checkin`.
constexpr char duplicateSchema[] = "CREATE TABLE IF NOT EXISTS duplicate ("
                                   " session TEXT NOT NULL, rep TEXT NOT NULL, kiosk TEXT NOT NULL,"
                                   " holder TEXT NOT NULL, PRIMARY KEY (session, rep, kiosk)) WITHOUT ROWID";
// Which session each kiosk has on, and its state (the staff console's venue view).
constexpr char stateSchema[]
    = "CREATE TABLE IF NOT EXISTS kiosk_state ("
      " kiosk TEXT NOT NULL PRIMARY KEY, session TEXT NOT NULL, state TEXT NOT NULL) WITHOUT ROWID";
// The venue lead's "close all": the session to close at every kiosk, and the kiosk whose
// lead asked (each kiosk closes its own session when nobody votes there).
constexpr char closeSchema[] = "CREATE TABLE IF NOT EXISTS close_request ("
                               " session TEXT NOT NULL PRIMARY KEY, kiosk TEXT NOT NULL) WITHOUT ROWID";

// A rehearsal and a real session of the same code never share check-ins.
QString sessionText(const SessionKey &s)
{
    return s.rehearsal ? QStringLiteral("rehearsal:") + s.code : s.code;
}

SessionKey sessionFrom(const QString &text)
{
    static const QString prefix = QStringLiteral("rehearsal:");
    if (text.startsWith(prefix))
        return SessionKey {text.mid(prefix.size()), true};
    return SessionKey {text, false};
}

bool retryable(const Error &e)
{
    return e.code == QLatin1String("venue-transport") || e.code == QLatin1String("venue-not-leader");
}

Error unavailable(const QString &why)
{
    return makeError(QStringLiteral("venue-unavailable"),
                     QStringLiteral("The venue network is unavailable: the kiosks cannot agree on check-ins right "
                                    "now (%1). Try again; if it persists, call the venue staff.")
                         .arg(why));
}

QList<SharedCheckIn> toRows(const QList<QVariantList> &rows)
{
    QList<SharedCheckIn> out;
    for (const QVariantList &r : rows) {
        if (r.size() < 5)
            continue;
        out.append(SharedCheckIn {sessionFrom(r[0].toString()), r[1].toString(), r[2].toString(), r[3].toByteArray(),
                                  r[4].toString() == QLatin1String("voted")});
    }
    return out;
}

} // namespace

VenueLedger::VenueLedger(VenueNode &node, int deadlineMs) : m_node(node), m_deadlineMs(deadlineMs) { }

VenueLedger::~VenueLedger() = default;

QByteArray VenueLedger::newClaimId()
{
    return crypto::randomBytes(16);
}

Status VenueLedger::connectToLeader(int timeoutMs)
{
    m_client.reset();
    QElapsedTimer timer;
    timer.start();
    const auto [id, address] = m_node.findLeader(timeoutMs);
    const int left = int(timeoutMs - timer.elapsed());
    if (id == 0 || left <= 0)
        return unavailable(QStringLiteral("no leader"));
    auto client = std::make_unique<DqliteClient>(m_node.dial(address, left), qMin(left, requestTimeoutMs));
    if (!client->connected())
        return unavailable(QStringLiteral("the leader cannot be reached"));
    if (auto s = client->handshake(); !s)
        return s;
    if (auto s = client->open(QString::fromLatin1(database)); !s)
        return s;
    if (auto r = client->exec(QString::fromLatin1(schema)); !r)
        return r.error();
    if (auto r = client->exec(QString::fromLatin1(duplicateSchema)); !r)
        return r.error();
    if (auto r = client->exec(QString::fromLatin1(closeSchema)); !r)
        return r.error();
    if (auto r = client->exec(QString::fromLatin1(stateSchema)); !r)
        return r.error();
    // Pages written through this connection zero what a release deletes, so later pages
    // (and snapshots) do not carry released check-ins. Per connection, hence every time.
    if (auto r = client->query(QStringLiteral("PRAGMA secure_delete = ON")); !r)
        return r.error();
    m_client = std::move(client);
    return {};
}

template<typename F> auto VenueLedger::withLeader(F &&op) -> decltype(op(std::declval<DqliteClient &>()))
{
    QElapsedTimer timer;
    timer.start();
    Error last = unavailable(QStringLiteral("no attempt"));
    int attempt = 0;
    // Every wait inside is cut to what is left of the deadline, so the caller hears
    // "unavailable" within it, not a few time-outs later.
    auto left = [&] {
        return int(m_deadlineMs - timer.elapsed());
    };
    while (left() > 0) {
        if (attempt++ > 0)
            QThread::msleep(std::min({20 * attempt, 200, std::max(left(), 0)}));
        if (left() <= 0)
            break;
        if (!m_client || !m_client->connected()) {
            if (auto s = connectToLeader(left()); !s) {
                last = s.error();
                if (!retryable(last) && last.code != QLatin1String("venue-unavailable"))
                    return last;
                continue;
            }
        }
        m_client->setTimeout(std::max(1, std::min(left(), requestTimeoutMs)));
        auto r = op(*m_client);
        if (r)
            return r;
        last = r.error();
        if (!retryable(last))
            return last;
        m_client.reset();
    }
    return last.code == QLatin1String("venue-unavailable") ? last : unavailable(last.message);
}

Result<ClaimOutcome> VenueLedger::claim(const SessionKey &session, const QString &repId, const QByteArray &claimId,
                                        bool evenIfClosing)
{
    const QString self = m_node.self().kioskId;
    const QString sessionKey = sessionText(session);
    return withLeader([&](DqliteClient &c) -> Result<ClaimOutcome> {
        // A session the venue lead asked every kiosk to close takes no new check-in, whatever
        // a kiosk's own copy of the requests says (one just restarted has none yet).
        auto inserted = evenIfClosing
            ? c.exec(QStringLiteral("INSERT INTO checkin (session, rep, kiosk, claim, state) "
                                    "VALUES (?, ?, ?, ?, 'active') ON CONFLICT DO NOTHING"),
                     {sessionKey, repId, self, claimId})
            : c.exec(QStringLiteral("INSERT INTO checkin (session, rep, kiosk, claim, state) "
                                    "SELECT ?, ?, ?, ?, 'active' WHERE NOT EXISTS "
                                    "(SELECT 1 FROM close_request WHERE session = ?) ON CONFLICT DO NOTHING"),
                     {sessionKey, repId, self, claimId, sessionKey});
        if (!inserted)
            return inserted.error();
        auto rows = c.query(QStringLiteral("SELECT session, rep, kiosk, claim, state FROM checkin "
                                           "WHERE session = ? AND rep = ?"),
                            {sessionKey, repId});
        if (!rows)
            return rows.error();
        const auto found = toRows(*rows);
        if (found.isEmpty()) {
            auto closing = c.query(QStringLiteral("SELECT kiosk FROM close_request WHERE session = ?"), {sessionKey});
            if (!closing)
                return closing.error();
            if (!evenIfClosing && !closing->isEmpty())
                return makeError(QStringLiteral("session-closing"),
                                 QStringLiteral("the venue lead (at kiosk %1) is ending this session at every kiosk of "
                                                "the venue: no new check-ins; please ask the staff")
                                     .arg(closing->first().value(0).toString()));
            // Released between our insert and read: try again.
            return makeError(QStringLiteral("venue-not-leader"), QStringLiteral("the check-in moved"));
        }
        const SharedCheckIn &row = found.first();
        if (row.voted)
            return ClaimOutcome {CheckInLedger::Claim::AlreadyVoted, row.kioskId};
        if (row.claimId == claimId)
            return ClaimOutcome {CheckInLedger::Claim::Granted, self};
        return ClaimOutcome {CheckInLedger::Claim::Held, row.kioskId};
    });
}

Status VenueLedger::markVoted(const SessionKey &session, const QString &repId)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(QStringLiteral("UPDATE checkin SET state = 'voted' WHERE session = ? AND rep = ? AND kiosk = ?"),
                      {sessionText(session), repId, self});
    }));
}

Status VenueLedger::release(const SessionKey &session, const QString &repId)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(QStringLiteral("DELETE FROM checkin WHERE session = ? AND rep = ? AND kiosk = ? "
                                     "AND state = 'active'"),
                      {sessionText(session), repId, self});
    }));
}

Result<QList<SharedCheckIn>> VenueLedger::activeHere()
{
    const QString self = m_node.self().kioskId;
    auto rows = withLeader([&](DqliteClient &c) {
        return c.query(QStringLiteral("SELECT session, rep, kiosk, claim, state FROM checkin "
                                      "WHERE kiosk = ? AND state = 'active'"),
                       {self});
    });
    if (!rows)
        return rows.error();
    return toRows(*rows);
}

Result<QList<SharedCheckIn>> VenueLedger::all()
{
    auto rows = withLeader([&](DqliteClient &c) {
        return c.query(QStringLiteral("SELECT session, rep, kiosk, claim, state FROM checkin ORDER BY session, rep"));
    });
    if (!rows)
        return rows.error();
    return toRows(*rows);
}

Result<QList<CheckInCount>> VenueLedger::counts()
{
    auto rows = withLeader([&](DqliteClient &c) {
        return c.query(
            QStringLiteral("SELECT session, kiosk, state, count(*) FROM checkin GROUP BY session, kiosk, state"));
    });
    if (!rows)
        return rows.error();
    QList<CheckInCount> out;
    for (const QVariantList &r : *rows)
        if (r.size() >= 4)
            out.append(CheckInCount {sessionFrom(r[0].toString()), r[1].toString(),
                                     r[2].toString() == QLatin1String("voted"), r[3].toLongLong()});
    return out;
}

Status VenueLedger::publishState(const SessionKey &session, const QString &state)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(
            QStringLiteral("INSERT INTO kiosk_state (kiosk, session, state) VALUES (?, ?, ?) "
                           "ON CONFLICT (kiosk) DO UPDATE SET session = excluded.session, state = excluded.state"),
            {self, sessionText(session), state});
    }));
}

Result<QHash<QString, QPair<SessionKey, QString>>> VenueLedger::kioskStates()
{
    auto rows = withLeader(
        [&](DqliteClient &c) { return c.query(QStringLiteral("SELECT kiosk, session, state FROM kiosk_state")); });
    if (!rows)
        return rows.error();
    QHash<QString, QPair<SessionKey, QString>> out;
    for (const QVariantList &r : *rows)
        if (r.size() >= 3)
            out.insert(r[0].toString(), {sessionFrom(r[1].toString()), r[2].toString()});
    return out;
}

Status VenueLedger::requestClose(const SessionKey &session)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(QStringLiteral("INSERT INTO close_request (session, kiosk) VALUES (?, ?) ON CONFLICT DO NOTHING"),
                      {sessionText(session), self});
    }));
}

Result<QList<QPair<SessionKey, QString>>> VenueLedger::closeRequests()
{
    auto rows = withLeader(
        [&](DqliteClient &c) { return c.query(QStringLiteral("SELECT session, kiosk FROM close_request")); });
    if (!rows)
        return rows.error();
    QList<QPair<SessionKey, QString>> out;
    for (const QVariantList &r : *rows)
        if (r.size() >= 2)
            out.append({sessionFrom(r[0].toString()), r[1].toString()});
    return out;
}

Status VenueLedger::recordDuplicate(const SessionKey &session, const QString &repId, const QString &holder)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(QStringLiteral("INSERT INTO duplicate (session, rep, kiosk, holder) VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT DO NOTHING"),
                      {sessionText(session), repId, self, holder});
    }));
}

Result<QList<SharedCheckIn>> VenueLedger::duplicatesHeldHere()
{
    const QString self = m_node.self().kioskId;
    auto rows = withLeader([&](DqliteClient &c) {
        return c.query(QStringLiteral("SELECT session, rep, kiosk, x'', 'voted' FROM duplicate WHERE holder = ?"),
                       {self});
    });
    if (!rows)
        return rows.error();
    return toRows(*rows);
}

Status VenueLedger::clearDuplicate(const SessionKey &session, const QString &repId, const QString &kioskId)
{
    const QString self = m_node.self().kioskId;
    return Status::from(withLeader([&](DqliteClient &c) {
        return c.exec(
            QStringLiteral("DELETE FROM duplicate WHERE session = ? AND rep = ? AND kiosk = ? AND holder = ?"),
            {sessionText(session), repId, kioskId, self});
    }));
}

// ---- VenueCheckInLedger ------------------------------------------------------------------

VenueCheckInLedger::VenueCheckInLedger(VenueLedger &venue, kiosk::LocalCheckInLedger &local, kiosk::KioskStore &store)
    : m_venue(venue), m_local(local), m_store(store)
{
}

QString VenueCheckInLedger::keyOf(const SessionKey &session, const QString &repId)
{
    return sessionText(session) + QLatin1Char('\n') + repId;
}

bool VenueCheckInLedger::settle()
{
    m_reachable = settleOnce();
    return m_reachable;
}

bool VenueCheckInLedger::settleOnce()
{
    if (m_recoverPending) {
        auto active = m_venue.activeHere();
        if (!active)
            return false;
        for (const SharedCheckIn &row : *active) {
            auto local = m_store.checkInStatus(row.session, row.repId);
            if (!local)
                return false;
            // Voted here (the kiosk died before telling the venue): the venue learns it now.
            // Anything else was left by a crash while someone was voting: given back.
            if (*local == kiosk::CheckInStatus::Voted)
                m_toMark.append({row.session, row.repId});
            else if (*local != kiosk::CheckInStatus::Active)
                m_toRelease.append({row.session, row.repId});
        }
        m_recoverPending = false;
    }
    while (!m_toMark.isEmpty()) {
        if (!m_venue.markVoted(m_toMark.first().first, m_toMark.first().second))
            return false;
        m_toMark.removeFirst();
    }
    while (!m_toRelease.isEmpty()) {
        if (!m_venue.release(m_toRelease.first().first, m_toRelease.first().second))
            return false;
        m_toRelease.removeFirst();
    }
    return true;
}

Result<CheckInLedger::Claim> VenueCheckInLedger::claim(const SessionKey &session, const QString &repId)
{
    // The local ledger answers first for what this kiosk knows already.
    auto prior = m_store.checkInStatus(session, repId);
    if (!prior)
        return prior.error();
    if (*prior == kiosk::CheckInStatus::Voted || *prior == kiosk::CheckInStatus::Active) {
        m_lastHolder = m_venue.kioskId();
        return m_local.claim(session, repId);
    }
    // What is left to tell the venue goes first, unless the venue was unreachable last
    // time: the claim alone then spends the deadline (the idle timer's settle() retries).
    if (m_reachable)
        settle();
    const QString key = keyOf(session, repId);
    // A claim whose outcome is unknown (the venue could not be reached) is asked again
    // with the same id: if it committed unseen, it is granted now.
    QByteArray claimId = m_pendingClaims.value(key);
    if (claimId.isEmpty())
        claimId = VenueLedger::newClaimId();
    auto outcome = m_venue.claim(session, repId, claimId);
    if (!outcome && outcome.error().code == QLatin1String("session-closing"))
        return outcome.error(); // a definite answer: nothing was claimed
    m_reachable = outcome.ok();
    if (!outcome) {
        m_pendingClaims.insert(key, claimId);
        return outcome.error();
    }
    m_pendingClaims.remove(key);
    if (outcome->claim != Claim::Granted) {
        m_lastHolder = outcome->holder;
        return outcome->claim;
    }
    auto local = m_local.claim(session, repId);
    if (!local || *local != Claim::Granted) {
        // The venue granted but this kiosk cannot admit: give the venue its check-in back.
        if (!m_venue.release(session, repId))
            m_toRelease.append({session, repId});
    }
    return local;
}

Status VenueCheckInLedger::markVoted(const SessionKey &session, const QString &repId)
{
    return m_local.markVoted(session, repId);
}

void VenueCheckInLedger::voteCommitted(const SessionKey &session, const QString &repId)
{
    if (!m_venue.markVoted(session, repId))
        m_toMark.append({session, repId});
}

Status VenueCheckInLedger::release(const SessionKey &session, const QString &repId)
{
    if (auto s = m_local.release(session, repId); !s)
        return s;
    if (!m_venue.release(session, repId))
        m_toRelease.append({session, repId});
    return {};
}

Result<QList<QPair<SessionKey, qint64>>> VenueCheckInLedger::recover()
{
    // Local first (inside the caller's transaction); the venue is settled from the local
    // rows now if it can be reached, else at the next claim.
    auto released = m_local.recover();
    if (!released)
        return released;
    m_recoverPending = true;
    settle();
    return released;
}

} // namespace pingyi::venue
