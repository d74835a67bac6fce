#include "checkindesk.h"

#include "roster.h"

#include <QLocale>
#include <QRegularExpression>

namespace pingyi::ui {

namespace {

/// "12月18日下午 14:30–17:00" and "18 Dec, afternoon, 14:30–17:00" from the spec's schedule;
/// whatever part the spec leaves out is left out.
std::pair<QString, QString> scheduleText(const GroupSession &g)
{
    const QDate date = QDate::fromString(g.date, Qt::ISODate);
    const QTime start = QTime::fromString(g.start, QStringLiteral("HH:mm"));
    QString zh, en;
    if (date.isValid()) {
        zh = QStringLiteral("%1月%2日").arg(date.month()).arg(date.day());
        en = QLocale(QLocale::English).toString(date, QStringLiteral("d MMM"));
    }
    if (start.isValid()) {
        const bool morning = start.hour() < 12, afternoon = !morning && start.hour() < 18;
        zh += morning ? QStringLiteral("上午") : afternoon ? QStringLiteral("下午") : QStringLiteral("晚上");
        en += (en.isEmpty() ? QString() : QStringLiteral(", "))
            + (morning         ? QStringLiteral("morning")
                   : afternoon ? QStringLiteral("afternoon")
                               : QStringLiteral("evening"));
        const QString hours = g.start + (g.end.isEmpty() ? QString() : u'–' + g.end);
        zh += u' ' + hours;
        en += QStringLiteral(", ") + hours;
    }
    return {zh.trimmed(), en};
}

} // namespace

InvitedPlace InvitedPlace::from(const kiosk::Placement &placement, const Activity &activity, const QString &ownVenue)
{
    InvitedPlace p;
    const Venue *v = activity.venue(placement.venue);
    p.venueName = v ? v->name : placement.venue;
    p.venueNameEn = v && !v->nameEn.isEmpty() ? v->nameEn : p.venueName;
    p.otherVenue = placement.venue != ownVenue;
    p.address = p.otherVenue && v ? v->address : QString();
    for (const QString &code : placement.sessions) {
        const GroupSession *g = activity.session(code);
        InvitedSession s;
        s.name = g ? g->name : code;
        s.nameEn = g && !g->nameEn.isEmpty() ? g->nameEn : s.name;
        if (g) {
            std::tie(s.when, s.whenEn) = scheduleText(*g);
            s.place = g->place;
        }
        p.sessions << s;
    }
    return p;
}

CheckInDesk::IdFlaw CheckInDesk::idFlawOf(const QString &idNumber, QDate today)
{
    const QString id = idnumber::normalized(idNumber);
    if (!looksLikeIdNumber(id) || id.at(17) == u'x')
        return IdFlaw::Shape;
    if (id.at(0) == u'0')
        return IdFlaw::Region;
    const QDate birth(id.mid(6, 4).toInt(), id.mid(10, 2).toInt(), id.mid(12, 2).toInt());
    if (!birth.isValid() || birth < QDate(1900, 1, 1) || (today.isValid() && birth > today))
        return IdFlaw::BirthDate;
    if (idnumber::checkCharacter(QStringView(id).left(17)) != id.at(17))
        return IdFlaw::CheckCharacter;
    return IdFlaw::None;
}

CheckInDesk::CheckInDesk(kiosk::KioskService &service, QObject *parent) : QObject(parent), m_service(service) { }

bool CheckInDesk::looksLikeIdNumber(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^[0-9]{17}[0-9Xx]$"));
    return shape.match(text.trimmed()).hasMatch();
}

bool CheckInDesk::submitScan(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    if (looksLikeIdNumber(t))
        return submit(IdNumberEvidence {t, EvidenceSource::Scanner}, idFlawOf(t, QDate::currentDate()));
    return submit(CredentialEvidence {t});
}

bool CheckInDesk::submitIdNumber(const QString &idNumber)
{
    return submit(IdNumberEvidence {idNumber, EvidenceSource::Keypad}, idFlawOf(idNumber, QDate::currentDate()));
}

bool CheckInDesk::submitCameraScan(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    return submit(CredentialEvidence {t, EvidenceSource::Camera});
}

bool CheckInDesk::submitCameraIdNumber(const QString &idNumber)
{
    return submit(IdNumberEvidence {idNumber, EvidenceSource::Camera}, idFlawOf(idNumber, QDate::currentDate()));
}

bool CheckInDesk::allowsCredential() const
{
    return m_service.activity().identityMethods.contains(identityMethodName(IdentityMethod::Credential));
}

bool CheckInDesk::allowsIdNumber() const
{
    return m_service.activity().identityMethods.contains(identityMethodName(IdentityMethod::IdNumber));
}

bool CheckInDesk::submitOverride(const QString &who, const QString &reason)
{
    return submit(OverrideEvidence {who.trimmed(), reason});
}

void CheckInDesk::clear()
{
    m_service.cancelFaceVerify();
    clearError();
}

void CheckInDesk::clearError()
{
    if (m_errorCode.isEmpty() && m_attempts == 0)
        return;
    m_errorCode.clear();
    m_errorDetail.clear();
    m_holder.clear();
    m_attempts = 0;
    m_place = {};
    m_idFlaw = IdFlaw::None;
    Q_EMIT errorChanged();
}

bool CheckInDesk::allowsFace() const
{
    return m_service.activity().identityMethods.contains(identityMethodName(IdentityMethod::Face))
        && m_service.facesEnrolled() > 0;
}

const FaceRules &CheckInDesk::faceRules() const
{
    return m_service.activity().face;
}

std::optional<face::Turn> CheckInDesk::beginFace()
{
    auto turn = m_service.beginFaceCheck();
    if (!turn) {
        refused(turn.error());
        return std::nullopt;
    }
    return *turn;
}

bool CheckInDesk::submitFace(const FaceProbe &probe)
{
    return submit(probe, IdFlaw::None, true);
}

void CheckInDesk::confirmPending()
{
    if (!m_pending)
        return;
    const kiosk::CheckIn c = *std::exchange(m_pending, std::nullopt);
    Q_EMIT admitted(c.maskedName, c.category, identityMethodName(c.method));
}

void CheckInDesk::rejectPending(kiosk::ReleaseReason reason)
{
    if (!m_pending)
        return;
    m_pending.reset();
    if (auto s = m_service.release(reason); !s) {
        refused(s.error());
        return;
    }
    if (reason == kiosk::ReleaseReason::Cancelled)
        refused(makeError(QStringLiteral("face-not-me"),
                          QStringLiteral("the representative said the name shown is not theirs: nothing was "
                                         "recorded; use the invitation card or ID number")));
}

void CheckInDesk::refused(const Error &error, IdFlaw flaw)
{
    m_errorCode = error.code;
    m_errorDetail = error.message;
    m_holder = m_service.refusalHolder();
    const auto placement = m_service.refusalPlacement();
    m_place = placement ? InvitedPlace::from(*placement, m_service.activity(), m_service.venue()) : InvitedPlace();
    m_idFlaw = m_errorCode == QLatin1String("id-invalid") ? flaw : IdFlaw::None;
    ++m_attempts;
    Q_EMIT errorChanged();
}

bool CheckInDesk::submit(const Evidence &evidence, IdFlaw flaw, bool holdForConfirmation)
{
    const Result<kiosk::CheckIn> result = m_service.checkIn(evidence);
    if (!result) {
        refused(result.error(), flaw);
        return false;
    }
    m_errorCode.clear();
    m_errorDetail.clear();
    m_holder.clear();
    m_attempts = 0;
    m_place = {};
    m_idFlaw = IdFlaw::None;
    Q_EMIT errorChanged();
    if (holdForConfirmation)
        m_pending = *result;
    else
        Q_EMIT admitted(result->maskedName, result->category, identityMethodName(result->method));
    return true;
}

} // namespace pingyi::ui
