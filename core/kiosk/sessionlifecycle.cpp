#include "sessionlifecycle.h"

#include "report.h"
#include "signeddoc.h"

#include <QLoggingCategory>
#include <QMap>
#include <QSet>

Q_LOGGING_CATEGORY(lcSession, "pingyi.kiosk.session")

namespace pingyi::kiosk {

Result<SessionState> SessionLifecycle::stateOf(const SessionKey &key) const
{
    return m_env.store->sessionState(key);
}

Result<BatchCounts> SessionLifecycle::counts(const SessionKey &key) const
{
    // The ballot box owns the record table; the session row holds the check-in counters.
    BallotBox &box = m_env.store->ballotBox();
    auto ballots = box.count(key.code, key.rehearsal, RecordKind::Ballot);
    auto suggestions = box.count(key.code, key.rehearsal, RecordKind::Suggestion);
    if (!ballots || !suggestions)
        return !ballots ? ballots.error() : suggestions.error();
    auto counters = m_env.store->sessionCounters(key);
    if (!counters)
        return counters.error();
    // No session row yet: a session that was never opened has counted nothing.
    return *counters ? BatchCounts {(*counters)->first, *ballots, (*counters)->second, *suggestions}
                     : BatchCounts {0, *ballots, 0, *suggestions};
}

QList<SessionStatus> SessionLifecycle::sessions() const
{
    QList<SessionStatus> out;
    for (const GroupSession &g : m_env.activity.sessions) {
        if (!g.venues.contains(m_env.venue))
            continue;
        for (bool rehearsal : {false, true}) {
            if (auto s = session({g.code, rehearsal}))
                out.append(*s);
        }
    }
    return out;
}

std::optional<SessionStatus> SessionLifecycle::session(const SessionKey &key) const
{
    const GroupSession *g = m_env.activity.session(key.code);
    if (!g)
        return std::nullopt;
    auto state = stateOf(key);
    auto n = counts(key);
    if (!state || !n)
        return std::nullopt;
    return SessionStatus {key, g->name, *state, *n, m_env.voter && m_env.voter->session == key};
}

std::optional<SessionKey> SessionLifecycle::currentSession() const
{
    return m_env.store->currentSession();
}

Result<Report> SessionLifecycle::makeReport(const SessionKey &key, const QString &kind)
{
    auto n = counts(key);
    if (!n)
        return n.error();
    auto records = m_env.store->ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    QList<QByteArray> ballotIds, suggestionIds;
    for (const SealedRecord &r : *records)
        (r.kind == RecordKind::Ballot ? ballotIds : suggestionIds).append(r.id());
    const QByteArray ballotDigest = sortedIdDigest(ballotIds);

    QJsonObject byCategory;
    if (kind == QLatin1String("closing")) {
        auto rows = m_env.store->checkInsByCategory(key);
        if (!rows)
            return rows.error();
        for (const auto &[category, n] : *rows)
            byCategory.insert(category, n);
    }
    const QString time = m_env.clock.now().toString(Qt::ISODate);
    const GroupSession *g = m_env.activity.session(key.code);
    QJsonObject body {
        {QStringLiteral("format"), QStringLiteral("pingyi-report/v1")},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("activity"), m_env.activity.id},
        {QStringLiteral("venue"), m_env.venue},
        {QStringLiteral("kiosk"), m_env.kioskId},
        {QStringLiteral("session"), key.code},
        {QStringLiteral("rehearsal"), key.rehearsal},
        {QStringLiteral("time"), time},
        {QStringLiteral("checkins"), n->checkins},
        {QStringLiteral("ballots"), n->ballots},
        {QStringLiteral("released"), n->released},
        {QStringLiteral("suggestions"), n->suggestions},
        {QStringLiteral("ballot_digest"), QString::fromLatin1(ballotDigest.toHex())},
        {QStringLiteral("suggestion_digest"), QString::fromLatin1(sortedIdDigest(suggestionIds).toHex())}};
    if (kind == QLatin1String("closing"))
        body.insert(QStringLiteral("by_category"), byCategory);

    Report r;
    r.kind = kind;
    r.body = body;
    r.document = SignedDocument::sign(m_env.key, crypto::domain::report, body);
    r.qrPayload = encodeReportQr({kind == QLatin1String("closing"), m_env.context(key), *n, ballotDigest}, m_env.key);
    const bool closing = kind == QLatin1String("closing");
    QStringList lines;
    lines << QStringLiteral("%1 %2%3").arg(
        closing ? QStringLiteral("结束报告 Closing report") : QStringLiteral("零报告 Zero report"),
        g ? g->name : key.code, key.rehearsal ? QStringLiteral(" 【演练 REHEARSAL】") : QString());
    lines << QStringLiteral("活动 Activity: %1   会场 Venue: %2   终端 Kiosk: %3")
                 .arg(m_env.activity.id, m_env.venue, m_env.kioskId);
    lines << QStringLiteral("时间 Time: %1").arg(time);
    lines << QStringLiteral("签到 Check-ins: %1   选票 Ballots: %2   释放 Released: %3   建议 Suggestions: %4")
                 .arg(n->checkins)
                 .arg(n->ballots)
                 .arg(n->released)
                 .arg(n->suggestions);
    if (closing) {
        QStringList cats;
        for (auto it = byCategory.begin(); it != byCategory.end(); ++it) {
            const Category *c = m_env.activity.category(it.key());
            cats << QStringLiteral("%1 %2").arg(c ? c->name : it.key()).arg(it.value().toInteger());
        }
        lines << QStringLiteral("按类别签到 Check-ins by category: %1")
                     .arg(cats.isEmpty() ? QStringLiteral("—") : cats.join(QStringLiteral("; ")));
    }
    lines << QStringLiteral("选票摘要 Ballot digest: %1").arg(QString::fromLatin1(ballotDigest.toHex()));
    r.text = lines.join(QLatin1Char('\n'));

    if (auto s = m_env.store->saveReport(key, r); !s)
        return s.error();
    return r;
}

Result<Report> SessionLifecycle::report(const SessionKey &key, const QString &kind) const
{
    auto stored = m_env.store->loadReport(key, kind);
    if (!stored)
        return stored.error();
    if (!*stored)
        return kioskError("no-report", QStringLiteral("there is no %1 report for this session yet").arg(kind));
    Report r = **stored;
    auto doc
        = SignedDocument::open(r.document, crypto::domain::report, m_env.key.publicKey(), QStringLiteral("report"));
    if (!doc)
        return doc.error();
    r.body = doc->bodyObject;
    return r;
}

Status SessionLifecycle::setState(const SessionKey &key, SessionState from, SessionState to, const QString &event,
                                  const QJsonObject &details)
{
    auto changed = m_env.store->setSessionState(key, from, to);
    if (!changed)
        return changed.error();
    if (!*changed)
        return kioskError("session-state", QStringLiteral("the session changed state meanwhile"));
    QJsonObject body = details;
    body.insert(QStringLiteral("session"), key.code);
    body.insert(QStringLiteral("rehearsal"), key.rehearsal);
    return m_env.audit(event, body);
}

Status SessionLifecycle::setStateAtomically(const SessionKey &key, SessionState from, SessionState to,
                                            const QString &event)
{
    // The state and its audit event in one transaction: a crash between the two would leave
    // a pause or resume the audit log does not show.
    Database::Transaction tx(m_env.store->database());
    if (!tx.status())
        return tx.status();
    if (auto s = setState(key, from, to, event); !s)
        return s;
    return tx.commit();
}

Error SessionLifecycle::illegal(const SessionKey &key, SessionState state, const QString &action)
{
    static const QMap<SessionState, QString> what {
        {SessionState::Ready, QStringLiteral("has not been opened")},
        {SessionState::Open, QStringLiteral("is open")},
        {SessionState::Paused, QStringLiteral("is paused")},
        {SessionState::Closed, QStringLiteral("is closed")},
        {SessionState::Exported, QStringLiteral("is closed and exported")},
    };
    return makeError(
        QStringLiteral("session-state"),
        QStringLiteral("cannot %1: session %2%3 %4")
            .arg(action, key.code, key.rehearsal ? QStringLiteral(" (rehearsal)") : QString(), what.value(state)));
}

Result<Report> SessionLifecycle::open(const SessionKey &key)
{
    if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("open a session")); !s)
        return s.error();
    if (m_env.provisioning() != Provisioning::Ready)
        return kioskError("no-package", QStringLiteral("load the venue package before opening a session"));
    if (!m_env.activity.sessionHeldAt(key.code, m_env.venue))
        return kioskError("session-unknown",
                          QStringLiteral("group session %1 is not held at venue %2").arg(key.code, m_env.venue));
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Ready)
        return illegal(key, *state, QStringLiteral("open it"));
    if (auto other = currentSession())
        return kioskError("session-other-open",
                          QStringLiteral("session %1 is still open at this kiosk: close it first").arg(other->code));
    auto n = counts(key);
    if (!n)
        return n.error();
    auto checkins = m_env.store->checkInCount(key);
    if (!checkins)
        return checkins.error();
    // The zero report must be true: nothing may have been cast before opening.
    if (n->ballots || n->suggestions || *checkins)
        return kioskError("session-not-empty",
                          QStringLiteral("refusing to open: records for this session already exist on this kiosk"));
    Database::Transaction tx(m_env.store->database());
    if (auto s = m_env.store->insertOpenSession(key); !s)
        return s.error();
    // The ballot box's slots, before anyone votes: one ballot and maxSuggestionsPerVoter
    // suggestion slots per representative invited to the session at this venue.
    auto invited = m_env.store->invitedCount(key.code);
    if (!invited)
        return invited.error();
    BallotBox &box = m_env.store->ballotBox();
    constexpr auto overhead = qsizetype(crypto::sealOverheadBytes);
    if (auto s = box.allocate(key.code, key.rehearsal, RecordKind::Ballot, *invited, m_env.ballotSize + overhead); !s)
        return s.error();
    if (auto s = box.allocate(key.code, key.rehearsal, RecordKind::Suggestion, *invited * maxSuggestionsPerVoter,
                              suggestionPadBlock + overhead);
        !s)
        return s.error();
    if (auto s = m_env.audit(QStringLiteral("session-open"),
                             {{QStringLiteral("session"), key.code}, {QStringLiteral("rehearsal"), key.rehearsal}});
        !s)
        return s.error();
    auto r = makeReport(key, QStringLiteral("zero"));
    if (!r)
        return r.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return r;
}

Status SessionLifecycle::pause(const SessionKey &key)
{
    if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("pause a session")); !s)
        return s;
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Open)
        return illegal(key, *state, QStringLiteral("pause it"));
    if (m_env.voter)
        return kioskError(
            "voter-active",
            QStringLiteral("a representative is voting: wait until they finish, or release their check-in"));
    return setStateAtomically(key, SessionState::Open, SessionState::Paused, QStringLiteral("session-pause"));
}

Status SessionLifecycle::resume(const SessionKey &key)
{
    if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("resume a session")); !s)
        return s;
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Paused)
        return illegal(key, *state, QStringLiteral("resume it"));
    return setStateAtomically(key, SessionState::Paused, SessionState::Open, QStringLiteral("session-resume"));
}

Result<Report> SessionLifecycle::close(const SessionKey &key)
{
    if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("close a session")); !s)
        return s.error();
    return closeNow(key, {});
}

Result<Report> SessionLifecycle::closeForVenue(const SessionKey &key, const QString &requestedBy)
{
    return closeNow(key, {{QStringLiteral("requested_by"), requestedBy}});
}

Result<Report> SessionLifecycle::closeNow(const SessionKey &key, const QJsonObject &details)
{
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Open && *state != SessionState::Paused)
        return illegal(key, *state, QStringLiteral("close it"));
    if (m_env.voter)
        return kioskError(
            "voter-active",
            QStringLiteral("a representative is voting: wait until they finish, or release their check-in"));
    if (auto s = checkInvariants(key); !s)
        return s.error();
    Database::Transaction tx(m_env.store->database());
    if (auto s = setState(key, *state, SessionState::Closed, QStringLiteral("session-close"), details); !s)
        return s.error();
    auto r = makeReport(key, QStringLiteral("closing"));
    if (!r)
        return r.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    // Fold the write-ahead log into the database so it no longer holds the session's
    // transactions in the order they happened.
    if (auto s = m_env.store->truncateWal(); !s)
        qCWarning(lcSession) << "could not truncate the write-ahead log after closing:" << s.error().message;
    return r;
}

Status SessionLifecycle::checkInvariants(const SessionKey &key) const
{
    auto n = counts(key);
    if (!n)
        return n.error();
    auto va = m_env.store->votedAndActive(key);
    if (!va)
        return va.error();
    const qint64 voted = va->first;
    const qint64 active = va->second;
    auto broken = [](const QString &what) {
        return Status(makeError(
            QStringLiteral("invariant"),
            QStringLiteral("the kiosk's records do not add up (%1): do not export; call the technician").arg(what)));
    };
    if (n->checkins != n->ballots + n->released + active)
        return broken(QStringLiteral("%1 check-ins, %2 ballots, %3 released, %4 voting now")
                          .arg(n->checkins)
                          .arg(n->ballots)
                          .arg(n->released)
                          .arg(active));
    if (voted != n->ballots)
        return broken(QStringLiteral("%1 representatives marked as voted, %2 ballots").arg(voted).arg(n->ballots));
    const SessionContext ctx = m_env.context(key);
    auto records = m_env.store->ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    QSet<QByteArray> ids;
    for (const SealedRecord &r : *records) {
        if (!verifyRecord(ctx, r, m_env.key.publicKey()))
            return broken(QStringLiteral("a stored record does not verify"));
        ids.insert(r.id());
    }
    if (ids.size() != records->size())
        return broken(QStringLiteral("two stored records have the same id"));
    return {};
}

} // namespace pingyi::kiosk
