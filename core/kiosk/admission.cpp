#include "admission.h"

#include "credential.h"
#include "roster.h"

#include <type_traits>
#include <variant>

namespace pingyi::kiosk {

namespace {

Error notReady()
{
    return kioskError("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
}

} // namespace

Result<CheckIn> Admission::checkIn(const Evidence &evidence)
{
    m_placement.reset();
    m_holder.clear();
    return std::visit(
        [this](const auto &e) -> Result<CheckIn> {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, CredentialEvidence>)
                return credential(e);
            else if constexpr (std::is_same_v<T, IdNumberEvidence>)
                return idNumber(e);
            else if constexpr (std::is_same_v<T, FaceProbe>)
                return face(e);
            else
                return staffOverride(e);
        },
        evidence);
}

Result<CheckIn> Admission::refuse(const Error &error, const Evidence &evidence)
{
    // The reason, the method and where the evidence came from: never who, never the
    // number or the credential.
    (void)m_env.audit(QStringLiteral("check-in-refused"),
                      {{QStringLiteral("reason"), error.code},
                       {QStringLiteral("method"), identityMethodName(methodOf(evidence))},
                       {QStringLiteral("source"), evidenceSourceName(sourceOf(evidence))}});
    return error;
}

Result<CheckIn> Admission::credential(const CredentialEvidence &e)
{
    if (m_env.provisioning() != Provisioning::Ready)
        return notReady();
    auto cred = Credential::verify(e.text, m_env.rootPublicKey, m_env.activity.id, m_env.venue);
    if (!cred) {
        // A genuine card of another venue: its signed content says where to go instead.
        if (cred.error().code == QLatin1String("credential-venue"))
            if (auto elsewhere = Credential::verify(e.text, m_env.rootPublicKey, m_env.activity.id, QString()))
                m_placement = Placement {elsewhere->venue, elsewhere->sessions};
        return refuse(cred.error(), e);
    }
    return admit(cred->repId, e);
}

Result<CheckIn> Admission::idNumber(const IdNumberEvidence &e)
{
    if (m_env.provisioning() != Provisioning::Ready)
        return notReady();
    const QString id = idnumber::normalized(e.number);
    if (const QString why = idnumber::problem(id); !why.isEmpty())
        return refuse(
            kioskError("id-invalid",
                       QStringLiteral("this ID number is not valid (%1): please check it and type it again").arg(why)),
            e);
    auto repId = m_env.store->repIdForIdHash(crypto::keyedHash(m_env.idHashKey, id.toLatin1()));
    if (!repId)
        return repId.error();
    if (!*repId)
        return refuse(
            kioskError(
                "id-unknown",
                QStringLiteral(
                    "this ID number is not on this venue's list of representatives: please see the venue staff")),
            e);
    return admit(**repId, e);
}

Result<CheckIn> Admission::face(const FaceProbe &e)
{
    if (m_env.provisioning() != Provisioning::Ready)
        return notReady();
    if (!m_env.activity.identityMethods.contains(identityMethodName(IdentityMethod::Face)))
        return refuse(kioskError("method-not-allowed",
                                 QStringLiteral("this way of identifying is not used in this activity: please use your "
                                                "invitation card or see the venue staff")),
                      e);
    // The core matches the probe against the roster's templates; until a matcher exists
    // nothing a caller says about whose face it is can be trusted.
    return refuse(
        kioskError(
            "face-unavailable",
            QStringLiteral(
                "face matching not available on this kiosk: please use your invitation card or see the venue staff")),
        e);
}

Result<CheckIn> Admission::staffOverride(const OverrideEvidence &e)
{
    if (auto s = m_staff.require({Role::Lead}, QStringLiteral("let a representative in without the usual check")); !s)
        return s.error();
    if (e.reason.trimmed().size() < 4)
        return kioskError("override-reason",
                          QStringLiteral("write down why the usual check failed (at least a few words)"));
    QString repId = e.who.trimmed();
    const QString id = idnumber::normalized(repId);
    if (idnumber::isValid(id)) {
        auto found = m_env.store->repIdForIdHash(crypto::keyedHash(m_env.idHashKey, id.toLatin1()));
        if (!found)
            return found.error();
        if (!*found)
            return refuse(kioskError("id-unknown",
                                     QStringLiteral("this ID number is not on this venue's list of representatives")),
                          e);
        repId = **found;
    }
    m_staff.touch();
    return admit(repId, e,
                 {{QStringLiteral("rep"), repId},
                  {QStringLiteral("reason"), e.reason.trimmed()},
                  {QStringLiteral("by"), roleName(m_staff.role())}});
}

Result<CheckIn> Admission::admit(const QString &repId, const Evidence &evidence, const QJsonObject &overrideEvent)
{
    const IdentityMethod method = methodOf(evidence);
    if (!m_env.activity.identityMethods.contains(identityMethodName(method)))
        return refuse(kioskError("method-not-allowed",
                                 QStringLiteral("this way of identifying is not used in this activity: please use your "
                                                "invitation card or see the venue staff")),
                      evidence);
    const auto current = m_sessions.currentSession();
    const auto state = current ? m_sessions.stateOf(*current) : Result<SessionState>(SessionState::Ready);
    if (!current || !state || *state != SessionState::Open)
        return refuse(
            kioskError(
                "session-not-open",
                QStringLiteral("voting is not open at this kiosk now: please wait for the staff to open the session")),
            evidence);
    if (m_env.voter)
        return refuse(kioskError("busy", QStringLiteral("another representative is voting at this kiosk: please wait")),
                      evidence);
    auto entry = m_env.store->rosterEntry(repId);
    if (!entry)
        return entry.error();
    if (!*entry)
        return refuse(
            kioskError("credential-unknown",
                       QStringLiteral("this representative is not on this venue's list: please see the venue staff")),
            evidence);
    const CheckIn c {(*entry)->maskedName, (*entry)->category, *current, method};
    const QStringList &sessions = (*entry)->sessions;
    if (!sessions.contains(current->code)) {
        QStringList names;
        for (const QString &s : sessions)
            names << (m_env.activity.session(s) ? m_env.activity.session(s)->name : s);
        m_placement = Placement {m_env.venue, sessions};
        return refuse(
            kioskError(
                "not-in-session",
                QStringLiteral(
                    "you are invited to %1, not to the group being evaluated now (%2): please come to that session")
                    .arg(names.join(QStringLiteral("、")), m_env.activity.session(current->code)->name)),
            evidence);
    }
    auto claimed = [&]() -> Result<CheckInLedger::Claim> {
        Database::Transaction tx(m_env.store->database());
        if (!tx.status())
            return tx.status().error();
        auto claim = m_ledger.claim(*current, repId);
        if (!claim || *claim != CheckInLedger::Claim::Granted)
            return claim; // nothing written: the transaction rolls back
        // How they were let in (method and source), never who: the check-in list says who.
        if (auto s = m_env.audit(QStringLiteral("check-in"),
                                 {{QStringLiteral("session"), current->code},
                                  {QStringLiteral("rehearsal"), current->rehearsal},
                                  {QStringLiteral("method"), identityMethodName(method)},
                                  {QStringLiteral("source"), evidenceSourceName(sourceOf(evidence))}});
            !s)
            return s.error();
        // An override is logged in the same transaction as the admission it made.
        if (!overrideEvent.isEmpty())
            if (auto s = m_env.audit(QStringLiteral("override"), overrideEvent); !s)
                return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        return claim;
    }();
    if (!claimed) // the venue's shared ledger could not be reached ("venue-unavailable") is a refusal too
        return claimed.error().code == QLatin1String("venue-unavailable") ? refuse(claimed.error(), evidence)
                                                                          : claimed.error();
    // Refusals are logged after the claim's transaction ended, so they are kept. A venue
    // that shares check-ins names the kiosk that holds them.
    if (*claimed != CheckInLedger::Claim::Granted && m_ledger.lastHolder() != m_env.kioskId)
        m_holder = m_ledger.lastHolder();
    if (*claimed == CheckInLedger::Claim::AlreadyVoted)
        return refuse(
            kioskError("already-voted",
                       m_holder.isEmpty()
                           ? QStringLiteral("this representative has already voted in this session at this kiosk")
                           : QStringLiteral("this representative has already voted in this session, at kiosk "
                                            "%1")
                                 .arg(m_holder)),
            evidence);
    if (*claimed == CheckInLedger::Claim::Held)
        return refuse(
            kioskError(
                "checked-in-elsewhere",
                m_holder.isEmpty()
                    ? QStringLiteral("this representative is checked in and voting now: please see the venue staff")
                    : QStringLiteral("this representative is checked in and voting now at kiosk %1: please go "
                                     "back to that kiosk or see the venue staff")
                          .arg(m_holder)),
            evidence);
    m_env.voter = KioskEnv::Voter {repId, *current};
    return c;
}

Status Admission::release(ReleaseReason reason)
{
    if (!m_env.voter)
        return kioskError("no-voter", QStringLiteral("nobody is checked in at this kiosk"));
    if (reason == ReleaseReason::StaffReset)
        if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician},
                                     QStringLiteral("release a representative's check-in"));
            !s)
            return s;
    const QString why = reason == ReleaseReason::Idle ? QStringLiteral("idle")
        : reason == ReleaseReason::Cancelled          ? QStringLiteral("cancelled")
                                                      : QStringLiteral("staff");
    const KioskEnv::Voter &v = *m_env.voter;
    Database::Transaction tx(m_env.store->database());
    if (auto s = m_ledger.release(v.session, v.repId); !s)
        return s;
    if (auto s = m_env.audit(QStringLiteral("check-in-released"),
                             {{QStringLiteral("session"), v.session.code},
                              {QStringLiteral("rehearsal"), v.session.rehearsal},
                              {QStringLiteral("reason"), why}});
        !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    m_env.voter.reset();
    return {};
}

} // namespace pingyi::kiosk
