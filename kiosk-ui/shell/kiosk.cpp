#include "kiosk.h"

#include <QCoreApplication>
#include <QEvent>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcShell, "pingyi.ui.shell")

namespace pingyi::ui {

using kiosk::SessionState;

Kiosk::Kiosk(kiosk::KioskService &service, Accessibility *access, CheckInDesk *desk, CameraDesk *camera,
             VoterFlow *voter, StaffConsole *staff, PinyinEngine *pinyin, Options options, QObject *parent)
    : QObject(parent), m_service(service), m_access(access), m_desk(desk), m_camera(camera), m_voter(voter),
      m_staff(staff), m_pinyin(pinyin), m_options(options), m_mayClose(!options.kioskMode), m_chime(options.sound)
{
    // Someone showing a card to the camera is not idle, though they touch nothing.
    connect(m_camera, &CameraDesk::activity, this, [this] {
        if (m_screen == Screen::Identify)
            noteActivity();
    });
    connect(m_desk, &CheckInDesk::admitted, this, [this](const QString &maskedName) { admitted(maskedName); });
    connect(m_voter, &VoterFlow::idleWarned, this, [this] { m_chime.ring(Chime::Kind::Attention); });
    connect(m_voter, &VoterFlow::helpRequested, this, [this] { callStaff(QStringLiteral("ballot")); });
    // "继续评议" after calling: the representative carries on, the call is withdrawn.
    connect(m_voter, &VoterFlow::idleChanged, this, [this] {
        if (m_screen == Screen::Voting && !m_voter->helpCalled())
            answerStaffCall();
    });
    // Staff at the kiosk, with their PIN: the call is answered.
    connect(m_staff, &StaffConsole::roleChanged, this, [this] {
        if (!m_staff->role().isEmpty())
            answerStaffCall();
    });
    m_callChime.setInterval(m_options.staffCallRepeatSeconds * 1000);
    connect(&m_callChime, &QTimer::timeout, this, [this] { m_chime.ring(Chime::Kind::Call); });
    connect(m_voter, &VoterFlow::finished, this, [this] {
        answerStaffCall();
        // The next representative starts from the defaults and sees nothing of this one.
        m_access->reset();
        m_desk->clear();
        m_pinyin->reset();
        setScreen(Screen::Welcome);
        refresh();
    });
    connect(m_staff, &StaffConsole::overrideAuthorized, this, [this] { setScreen(Screen::Override); });
    connect(m_staff, &StaffConsole::closed, this, [this] {
        if (m_screen == Screen::Staff)
            backToWelcome();
        else if (m_screen == Screen::Override)
            setScreen(Screen::Identify);
    });
    connect(m_staff, &StaffConsole::leaveRequested, this, [this] {
        m_mayClose = true;
        Q_EMIT mayCloseChanged();
        Q_EMIT quitRequested();
    });
    m_tick.setInterval(m_options.tickMs);
    connect(&m_tick, &QTimer::timeout, this, &Kiosk::tick);
    m_tick.start();
    m_sinceActivity.start();
    if (m_service.provisioning() != kiosk::Provisioning::Ready) {
        m_screen = Screen::Unprovisioned;
        m_mayClose = true;
    }
    refresh();
    QCoreApplication::instance()->installEventFilter(this);
}

Kiosk::~Kiosk()
{
    if (QCoreApplication::instance())
        QCoreApplication::instance()->removeEventFilter(this);
}

QString Kiosk::venueName() const
{
    const Venue *v = m_service.activity().venue(m_service.venue());
    return v ? v->name : m_service.venue();
}

QString Kiosk::venueNameEn() const
{
    const Venue *v = m_service.activity().venue(m_service.venue());
    return v ? v->nameEn : m_service.venue();
}

bool Kiosk::canVote() const
{
    return m_sessionState == QLatin1String("open") && !m_service.voterActive();
}

void Kiosk::setStartupMs(int ms)
{
    m_startupMs = ms;
    Q_EMIT startupChanged();
}

void Kiosk::setScreen(Screen screen)
{
    m_sinceActivity.restart();
    if (screen == m_screen)
        return;
    m_screen = screen;
    // The camera reads cards only while the check-in screen is shown; elsewhere it only
    // keeps its status (and a number read for the last person is wiped).
    m_camera->setIdentifying(m_screen == Screen::Identify);
    Q_EMIT screenChanged();
}

void Kiosk::refresh()
{
    if (m_staff->busy() || m_screen == Screen::Unprovisioned)
        return;
    QString state = QStringLiteral("none");
    QString name, nameEn, date, time;
    int departments = 0;
    bool rehearsal = false;
    if (const auto key = m_service.currentSession()) {
        if (const auto s = m_service.session(*key)) {
            state = s->state == SessionState::Paused ? QStringLiteral("paused") : QStringLiteral("open");
            const GroupSession *g = m_service.activity().session(key->code);
            name = s->name;
            nameEn = g ? g->nameEn : QString();
            departments = g ? int(g->departments.size()) : 0;
            rehearsal = key->rehearsal;
            if (g) {
                date = g->date;
                time = g->start.isEmpty() ? QString() : g->start + (g->end.isEmpty() ? QString() : u'–' + g->end);
            }
        }
    }
    const bool voterActive = m_service.voterActive();
    if (state == m_sessionState && name == m_sessionName && rehearsal == m_rehearsal && departments == m_departmentCount
        && voterActive == m_voterActive && date == m_sessionDate && time == m_sessionTime)
        return;
    m_voterActive = voterActive;
    m_sessionState = state;
    m_sessionName = name;
    m_sessionNameEn = nameEn;
    m_sessionDate = date;
    m_sessionTime = time;
    m_departmentCount = departments;
    m_rehearsal = rehearsal;
    Q_EMIT stateChanged();
}

void Kiosk::tick()
{
    refresh();
    if (m_screen == Screen::Staff || m_screen == Screen::Override)
        m_staff->refresh();
    if ((m_screen == Screen::Identify) && m_sinceActivity.elapsed() > qint64(m_options.identifyIdleSeconds) * 1000)
        backToWelcome();
}

void Kiosk::admitted(const QString &maskedName)
{
    const bool byLead = m_screen == Screen::Override;
    m_voter->begin(maskedName);
    setScreen(Screen::Voting);
    if (byLead)
        m_staff->logout(); // the lead's console must not stay open behind the ballot
    refresh();
}

void Kiosk::startVoting()
{
    refresh();
    if (m_screen != Screen::Welcome || !canVote())
        return;
    m_desk->clear();
    setScreen(Screen::Identify);
}

void Kiosk::scan(const QString &text)
{
    if (m_screen != Screen::Welcome && m_screen != Screen::Identify)
        return;
    refresh();
    if (!m_desk->submitScan(text))
        setScreen(Screen::Identify); // show why, with what to do
}

void Kiosk::backToWelcome()
{
    if (m_screen == Screen::Voting || m_screen == Screen::Unprovisioned)
        return;
    if (m_screen == Screen::Staff && m_staff->busy())
        return;
    m_access->reset();
    m_desk->clear();
    answerStaffCall(); // the person left without waiting for the staff
    setScreen(Screen::Welcome);
    refresh();
}

void Kiosk::askForHelp()
{
    if (m_screen != Screen::Identify)
        return;
    callStaff(QStringLiteral("identify"));
    m_staff->begin(StaffConsole::Purpose::Override);
    setScreen(Screen::Staff);
}

void Kiosk::callStaff(const QString &from)
{
    if (m_staffCalled)
        return;
    // The kiosk and where on it, never who: the audit log is signed and exported.
    if (auto s = m_service.recordStaffCall(from); !s)
        qCWarning(lcShell) << "staff call not audited:" << s.error().code;
    m_staffCalled = true;
    m_chime.ring(Chime::Kind::Call);
    m_callChime.start();
    Q_EMIT staffCallChanged();
}

void Kiosk::answerStaffCall()
{
    if (!m_staffCalled)
        return;
    m_staffCalled = false;
    m_callChime.stop();
    Q_EMIT staffCallChanged();
}

void Kiosk::cancelOverride()
{
    if (m_screen != Screen::Override)
        return;
    m_desk->clear();
    setScreen(Screen::Identify);
    m_staff->logout();
}

void Kiosk::openStaffConsole()
{
    if (m_screen != Screen::Welcome)
        return;
    m_access->reset();
    m_staff->begin(StaffConsole::Purpose::Console);
    setScreen(Screen::Staff);
}

void Kiosk::closeUnprovisioned()
{
    if (m_screen == Screen::Unprovisioned)
        Q_EMIT quitRequested();
}

void Kiosk::noteActivity()
{
    m_sinceActivity.restart();
    if (m_screen == Screen::Voting)
        m_voter->noteActivity();
    else if (m_screen == Screen::Staff || m_screen == Screen::Override)
        m_staff->touch();
}

bool Kiosk::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
    case QEvent::KeyPress:
        // Events reach the application through several receivers (window, item); one
        // touch is enough to count as activity.
        if (watched && watched->isWindowType())
            noteActivity();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace pingyi::ui
