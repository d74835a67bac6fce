#include "admission.h"

#include "credential.h"
#include "roster.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace pingyi::kiosk {

namespace {

Error notReady()
{
    return kioskError("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
}

Error methodNotAllowed()
{
    return kioskError("method-not-allowed",
                      QStringLiteral("this way of identifying is not used in this activity: please use your "
                                     "invitation card or see the venue staff"));
}

Error inconsistentTrack()
{
    return kioskError("face-invalid",
                      QStringLiteral("the camera's record of the face check is not consistent: "
                                     "start the face check again"));
}

Error unclearFace()
{
    return kioskError("face-unclear",
                      QStringLiteral("the camera could not see your face clearly enough: face the "
                                     "camera in good light and start again"));
}

Error noFaceTemplates()
{
    return kioskError("face-no-template",
                      QStringLiteral("no face photo of this session's representatives was enrolled at the office: "
                                     "please use your invitation card or ID number"));
}

/// How far the camera's frame times may run ahead of the core's own clock (ms): the frames
/// are stamped on the camera's monotonic clock, the challenge on the kiosk's.
constexpr qint64 kFaceClockSlackMs = 2000;
/// face.verify: how long a card or number waits for its face.
constexpr qint64 kVerifyWindowSeconds = 180;

QString livenessMessage(const face::LivenessResult &r)
{
    if (r.reason == QLatin1String("liveness-wrong-way"))
        return QStringLiteral("the head turned the other way: start again and turn the way the screen shows");
    if (r.reason == QLatin1String("liveness-many-faces"))
        return QStringLiteral("more than one face was in front of the camera: one person at a time, please");
    if (r.reason == QLatin1String("liveness-face-lost") || r.reason == QLatin1String("liveness-face-changed"))
        return QStringLiteral("the camera lost your face: stay in front of it and start again");
    if (r.reason == QLatin1String("liveness-not-frontal"))
        return QStringLiteral("look straight at the camera first, then turn your head when the screen asks");
    return QStringLiteral("the head turn was not seen in time: start again, or use your invitation card or ID number");
}

} // namespace

Result<CheckIn> Admission::checkIn(const Evidence &evidence)
{
    m_placement.reset();
    if (!std::holds_alternative<FaceProbe>(evidence))
        m_verify.reset(); // a new card or number: whatever waited for a face is forgotten
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

const face::Template *Admission::faceOf(const QString &repId) const
{
    for (const KioskEnv::EnrolledFace &f : m_env.faces)
        if (f.face.repId == repId)
            return &f.face;
    return nullptr;
}

std::vector<face::Template> Admission::sessionFaces(const SessionKey &session) const
{
    std::vector<face::Template> out;
    for (const KioskEnv::EnrolledFace &f : m_env.faces)
        if (f.sessions.contains(session.code))
            out.push_back(f.face);
    return out;
}

int Admission::facesEnrolled() const
{
    const auto current = m_sessions.currentSession();
    if (!current)
        return 0;
    return int(std::count_if(m_env.faces.cbegin(), m_env.faces.cend(),
                             [&](const KioskEnv::EnrolledFace &f) { return f.sessions.contains(current->code); }));
}

Result<face::Turn> Admission::beginFace()
{
    m_faceCheck.reset();
    if (m_env.provisioning() != Provisioning::Ready)
        return notReady();
    if (!m_env.activity.identityMethods.contains(identityMethodName(IdentityMethod::Face)))
        return methodNotAllowed();
    if (auto why = notAdmitting())
        return *why;
    if (facesEnrolled() == 0)
        return noFaceTemplates();
    m_faceCheck = FaceCheck {face::randomTurn(), m_env.clock.now()};
    return m_faceCheck->turn;
}

Result<CheckIn> Admission::face(const FaceProbe &e)
{
    if (m_env.provisioning() != Provisioning::Ready)
        return notReady();
    if (!m_env.activity.identityMethods.contains(identityMethodName(IdentityMethod::Face)))
        return refuse(methodNotAllowed(), e);
    // One challenge, one try: a track is judged against the direction drawn for it.
    const std::optional<FaceCheck> check = std::exchange(m_faceCheck, std::nullopt);
    if (!check)
        return refuse(kioskError("face-no-challenge",
                                 QStringLiteral("the face check was not started: look at the camera and start again")),
                      e);
    if (auto why = notAdmitting())
        return refuse(*why, e);
    const FaceRules &rules = m_env.activity.face;

    // Liveness, replayed here on the camera's track: the same face turned the asked way in time.
    const qint64 elapsed = check->started.msecsTo(m_env.clock.now());
    face::HeadTurnChallenge challenge(check->turn, rules);
    qint64 last = 0;
    for (const face::TrackFrame &f : e.track) {
        // Frames in time order, within the time the core itself measured (plus the camera's
        // latency): a track cannot be older than its challenge.
        if (f.msec < last || f.msec > elapsed + kFaceClockSlackMs)
            return refuse(inconsistentTrack(), e);
        last = f.msec;
        challenge.add(f);
    }
    face::LivenessResult live = challenge.result();
    // A track handed in long after its challenge's time is not this challenge's.
    if (elapsed > qint64(rules.livenessSeconds) * 1000 + 2 * kFaceClockSlackMs)
        live = {face::LivenessResult::Status::Failed, QStringLiteral("liveness-timeout")};
    if (live.status == face::LivenessResult::Status::Pending)
        live = {face::LivenessResult::Status::Failed, QStringLiteral("liveness-incomplete")};
    if (live.status != face::LivenessResult::Status::Passed)
        return refuse(makeError(live.reason, livenessMessage(live)), e);

    // The probe must be a frame of the track that passed: not a photo handed in beside it.
    const bool inTrack = std::any_of(e.track.begin(), e.track.end(), [&](const face::TrackFrame &f) {
        return f.embedding && *f.embedding == e.probe.embedding;
    });
    if (!inTrack)
        return refuse(inconsistentTrack(), e);

    if (m_verify) {
        // 1:1 (face.verify): the face must be that of the representative the card or number
        // named, within a few minutes of it.
        const Verify v = *std::exchange(m_verify, std::nullopt);
        if (v.since.secsTo(m_env.clock.now()) > kVerifyWindowSeconds)
            return refuse(kioskError("face-verify-expired",
                                     QStringLiteral("the face check came too long after the card: show your "
                                                    "invitation card or type your ID number again")),
                          e);
        const face::Template *enrolled = faceOf(v.repId);
        const face::Decision d = face::verify(e.probe, enrolled ? std::optional(*enrolled) : std::nullopt, rules);
        if (d.matched())
            return admit(v.repId, e, {}, v.first);
        if (d.outcome == face::Decision::Outcome::Unusable && d.reason != QLatin1String("face-no-template")) {
            m_verify = v; // a blurred or dark probe: the person may try again
            return refuse(unclearFace(), e);
        }
        return refuse(kioskError("face-not-verified",
                                 QStringLiteral("the face does not match the representative of this card or ID "
                                                "number: please see the venue staff")),
                      e);
    }

    const face::Decision d = face::identify(e.probe, sessionFaces(*m_sessions.currentSession()), rules);
    switch (d.outcome) {
    case face::Decision::Outcome::Match:
        return admit(d.repId, e);
    case face::Decision::Outcome::Ambiguous:
        return refuse(kioskError("face-ambiguous",
                                 QStringLiteral("the camera cannot tell you from another representative: please use "
                                                "your invitation card or ID number")),
                      e);
    case face::Decision::Outcome::NoMatch:
        return refuse(kioskError("face-no-match",
                                 QStringLiteral("your face does not match any representative of this session: please "
                                                "use your invitation card or ID number, or see the venue staff")),
                      e);
    case face::Decision::Outcome::Unusable:
        break;
    }
    if (d.reason == QLatin1String("face-no-template"))
        return refuse(noFaceTemplates(), e);
    return refuse(unclearFace(), e);
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

std::optional<Error> Admission::notAdmitting() const
{
    const auto current = m_sessions.currentSession();
    const auto state = current ? m_sessions.stateOf(*current) : Result<SessionState>(SessionState::Ready);
    if (!current || !state || *state != SessionState::Open)
        return kioskError(
            "session-not-open",
            QStringLiteral("voting is not open at this kiosk now: please wait for the staff to open the session"));
    if (m_env.voter)
        return kioskError("busy", QStringLiteral("another representative is voting at this kiosk: please wait"));
    if (const QString by = m_ledger.closeRequestedBy(*current); !by.isEmpty())
        return kioskError("session-closing",
                          QStringLiteral("the venue lead (at kiosk %1) is ending this session at every kiosk of the "
                                         "venue: no new check-ins; please ask the staff")
                              .arg(by));
    return std::nullopt;
}

Result<CheckIn> Admission::admit(const QString &repId, const Evidence &evidence, const QJsonObject &overrideEvent,
                                 std::optional<IdentityMethod> after)
{
    const IdentityMethod method = methodOf(evidence);
    if (!m_env.activity.identityMethods.contains(identityMethodName(method)))
        return refuse(methodNotAllowed(), evidence);
    if (auto why = notAdmitting())
        return refuse(*why, evidence);
    const auto current = m_sessions.currentSession();
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
    // face.verify: a card or number lets in only together with the face it names (when the
    // office enrolled one); the face step comes back here with the face as evidence.
    if ((method == IdentityMethod::Credential || method == IdentityMethod::IdNumber) && m_env.activity.face.verify
        && m_env.activity.identityMethods.contains(identityMethodName(IdentityMethod::Face)) && faceOf(repId)) {
        m_verify = Verify {repId, method, m_env.clock.now()};
        return kioskError("face-verify",
                          QStringLiteral("one more step: look at the camera and turn your head as the screen asks"));
    }
    auto claimed = [&]() -> Result<CheckInLedger::Claim> {
        Database::Transaction tx(m_env.store->database());
        if (!tx.status())
            return tx.status().error();
        auto claim = m_ledger.claim(*current, repId);
        if (!claim || *claim != CheckInLedger::Claim::Granted)
            return claim; // nothing written: the transaction rolls back
        // How they were let in (method and source), never who: the check-in list says who.
        QJsonObject checkIn {{QStringLiteral("session"), current->code},
                             {QStringLiteral("rehearsal"), current->rehearsal},
                             {QStringLiteral("method"), identityMethodName(method)},
                             {QStringLiteral("source"), evidenceSourceName(sourceOf(evidence))}};
        if (after)
            checkIn.insert(QStringLiteral("after"), identityMethodName(*after));
        if (auto s = m_env.audit(QStringLiteral("check-in"), checkIn); !s)
            return s.error();
        // An override is logged in the same transaction as the admission it made.
        if (!overrideEvent.isEmpty())
            if (auto s = m_env.audit(QStringLiteral("override"), overrideEvent); !s)
                return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        return claim;
    }();
    // The venue's shared ledger could not be reached ("venue-unavailable"), or the venue lead
    // is closing the session at every kiosk ("session-closing"): refusals too.
    if (!claimed)
        return claimed.error().code == QLatin1String("venue-unavailable")
                || claimed.error().code == QLatin1String("session-closing")
            ? refuse(claimed.error(), evidence)
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
