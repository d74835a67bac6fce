#pragma once
// The kiosk as the screens see it: which screen is on (welcome, check-in, ballot, staff
// console, lead override), what the welcome screen says (activity, venue, the session on
// now, rehearsal or not), and the features' view models. Navigation between the features
// happens here; each feature's own pages are its view model's business.

#include "accessibility.h"
#include "cameradesk.h"
#include "checkindesk.h"
#include "chime.h"
#include "kioskservice.h"
#include "pinyinengine.h"
#include "staffconsole.h"
#include "voterflow.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

class Kiosk : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Kiosk is made by the kiosk's composition root")

public:
    enum class Screen { Welcome, Identify, Voting, Staff, Override, Unprovisioned };
    Q_ENUM(Screen)

    struct Options {
        bool kioskMode = true; ///< fullscreen; leaving needs the technician
        int tickMs = 1000; ///< how often state, counts and the clock are re-read
        int identifyIdleSeconds = 60; ///< an abandoned check-in screen returns to welcome
        bool sound = true; ///< chimes are played (tests and the screen tour only count them)
        int staffCallRepeatSeconds = 20; ///< a staff call chimes again this often until answered
    };

private:
    Q_PROPERTY(Screen screen READ screen NOTIFY screenChanged)
    Q_PROPERTY(pingyi::ui::Accessibility *access READ access CONSTANT)
    Q_PROPERTY(pingyi::ui::CheckInDesk *desk READ desk CONSTANT)
    /// The camera (status "off" when the kiosk has none configured).
    Q_PROPERTY(pingyi::ui::CameraDesk *camera READ camera CONSTANT)
    Q_PROPERTY(pingyi::ui::VoterFlow *voter READ voter CONSTANT)
    Q_PROPERTY(pingyi::ui::StaffConsole *staff READ staff CONSTANT)
    Q_PROPERTY(pingyi::ui::PinyinEngine *pinyin READ pinyin CONSTANT)

    Q_PROPERTY(QString activityName READ activityName CONSTANT)
    Q_PROPERTY(QString activityNameEn READ activityNameEn CONSTANT)
    Q_PROPERTY(QString venueName READ venueName CONSTANT)
    Q_PROPERTY(QString venueNameEn READ venueNameEn CONSTANT)
    Q_PROPERTY(QString kioskId READ kioskId CONSTANT)
    Q_PROPERTY(QString fingerprint READ fingerprint CONSTANT)
    /// "none", "open" or "paused": the session on now.
    Q_PROPERTY(QString sessionState READ sessionState NOTIFY stateChanged)
    Q_PROPERTY(QString sessionName READ sessionName NOTIFY stateChanged)
    Q_PROPERTY(QString sessionNameEn READ sessionNameEn NOTIFY stateChanged)
    /// The session's schedule as the activity spec gives it (each may be empty): date
    /// "YYYY-MM-DD", time "HH:MM–HH:MM".
    Q_PROPERTY(QString sessionDate READ sessionDate NOTIFY stateChanged)
    Q_PROPERTY(QString sessionTime READ sessionTime NOTIFY stateChanged)
    Q_PROPERTY(int departmentCount READ departmentCount NOTIFY stateChanged)
    Q_PROPERTY(bool rehearsal READ rehearsal NOTIFY stateChanged)
    /// A representative may start now.
    Q_PROPERTY(bool canVote READ canVote NOTIFY stateChanged)
    /// Milliseconds from process start to the first frame of the welcome screen.
    Q_PROPERTY(int startupMs READ startupMs NOTIFY startupChanged)
    Q_PROPERTY(bool kioskMode READ kioskMode CONSTANT)
    /// The window may close (not in kiosk mode, or the technician chose to leave).
    Q_PROPERTY(bool mayClose READ mayClose NOTIFY mayCloseChanged)
    /// A representative asked for the venue staff ("请工作人员协助") and nobody has answered
    /// yet: the shell shows a flashing banner with the kiosk id and the kiosk chimes. A staff
    /// login, the representative continuing, or the end of their ballot answers it.
    Q_PROPERTY(bool staffCalled READ staffCalled NOTIFY staffCallChanged)

public:
    Kiosk(kiosk::KioskService &service, Accessibility *access, CheckInDesk *desk, CameraDesk *camera, VoterFlow *voter,
          StaffConsole *staff, PinyinEngine *pinyin, Options options, QObject *parent = nullptr);
    ~Kiosk() override;

    Screen screen() const { return m_screen; }
    Accessibility *access() const { return m_access; }
    CheckInDesk *desk() const { return m_desk; }
    CameraDesk *camera() const { return m_camera; }
    VoterFlow *voter() const { return m_voter; }
    StaffConsole *staff() const { return m_staff; }
    PinyinEngine *pinyin() const { return m_pinyin; }
    QString activityName() const { return m_service.activity().name; }
    QString activityNameEn() const { return m_service.activity().nameEn; }
    QString venueName() const;
    QString venueNameEn() const;
    QString kioskId() const { return m_service.kioskId(); }
    QString fingerprint() const { return m_service.fingerprint(); }
    QString sessionState() const { return m_sessionState; }
    QString sessionName() const { return m_sessionName; }
    QString sessionNameEn() const { return m_sessionNameEn; }
    QString sessionDate() const { return m_sessionDate; }
    QString sessionTime() const { return m_sessionTime; }
    int departmentCount() const { return m_departmentCount; }
    bool rehearsal() const { return m_rehearsal; }
    bool canVote() const;
    int startupMs() const { return m_startupMs; }
    void setStartupMs(int ms);
    bool kioskMode() const { return m_options.kioskMode; }
    bool mayClose() const { return m_mayClose; }
    bool staffCalled() const { return m_staffCalled; }
    const Chime &chime() const { return m_chime; }

    /// "开始评议": to the check-in screen.
    Q_INVOKABLE void startVoting();
    /// A card scanned on the welcome screen: check in straight away.
    Q_INVOKABLE void scan(const QString &text);
    Q_INVOKABLE void backToWelcome();
    /// The representative needs the venue lead (identity override).
    Q_INVOKABLE void askForHelp();
    Q_INVOKABLE void cancelOverride();
    Q_INVOKABLE void openStaffConsole();
    /// Only when nothing is protected: no venue package loaded.
    Q_INVOKABLE void closeUnprovisioned();
    /// Someone touched the screen or pressed a key.
    Q_INVOKABLE void noteActivity();
    /// Re-reads the session on now (also done every tick).
    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void screenChanged();
    void stateChanged();
    void startupChanged();
    void mayCloseChanged();
    void staffCallChanged();
    /// The application should quit (technician left kiosk mode).
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setScreen(Screen screen);
    void admitted(const QString &maskedName);
    void tick();
    /// Raises the staff call (`from`: "identify" or "ballot"): audit, banner, chime.
    void callStaff(const QString &from);
    void answerStaffCall();

    kiosk::KioskService &m_service;
    Accessibility *m_access;
    CheckInDesk *m_desk;
    CameraDesk *m_camera;
    VoterFlow *m_voter;
    StaffConsole *m_staff;
    PinyinEngine *m_pinyin;
    Options m_options;
    Screen m_screen = Screen::Welcome;
    QString m_sessionState = QStringLiteral("none");
    QString m_sessionName;
    QString m_sessionNameEn;
    QString m_sessionDate;
    QString m_sessionTime;
    int m_departmentCount = 0;
    bool m_rehearsal = false;
    bool m_voterActive = false; ///< canVote() depends on it
    int m_startupMs = 0;
    bool m_mayClose = false;
    QTimer m_tick;
    Chime m_chime;
    bool m_staffCalled = false;
    QTimer m_callChime; ///< repeats the call's chime until it is answered
    QElapsedTimer m_sinceActivity;
};

} // namespace pingyi::ui
