#pragma once
// The kiosk's window and everything behind it: the view models, built by constructor
// injection on an open kiosk service, and the QML engine showing Main.qml. The kiosk
// (pingyi-kiosk) and its preview (pingyi-kiosk-preview) compose the same window.

#include "accessibility.h"
#include "cameradesk.h"
#include "checkindesk.h"
#include "framesource.h"
#include "kiosk.h"
#include "pinyinengine.h"
#include "result.h"
#include "staffconsole.h"
#include "voterflow.h"

#include <QQmlApplicationEngine>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

class QElapsedTimer;
class QQuickWindow;

namespace pingyi {
class Clock;
}

namespace pingyi::kiosk {
class KioskService;
}

namespace pingyi::vision {
class CameraService;
}

namespace pingyi::ui {

/// QML warnings and errors seen after install(), for the self-test and the start check.
class QmlMessages {
public:
    QmlMessages() = default;
    QmlMessages(const QmlMessages &) = delete;
    QmlMessages &operator=(const QmlMessages &) = delete;
    ~QmlMessages();
    void install();
    QStringList take();
};

class KioskWindow {
public:
    struct Options {
        bool windowed = false;
        QSize screenSize {1920, 1080};
        QStringList drives; ///< directories offered as USB drives; empty: the mounted ones
        bool speech = true; ///< false: read-aloud off (previews render the same pixels everywhere)
        bool sound = true; ///< false: the idle and staff-call chimes are counted, not played
        int settleMs = -1; ///< the voter flow's page settle time; negative: the default
        QString name = QStringLiteral("pingyi-kiosk"); ///< for the start-up line
        /// Where camera frames come from (vision::cameraFactory or replayFactory); empty: the
        /// kiosk has no camera and offers the scanner and the keypad only.
        vision::FrameSourceFactory camera;
        /// The folder with tesseract's eng.traineddata; empty: tesseract's default.
        QString tessdata;
    };

    KioskWindow(kiosk::KioskService &service, Clock &clock, const QString &stateDir, Options options);
    ~KioskWindow();
    KioskWindow(const KioskWindow &) = delete;
    KioskWindow &operator=(const KioskWindow &) = delete;

    /// Loads Main.qml; says the start-up time (from `startup`) when the first frame is up.
    Status load(const QElapsedTimer &startup);

    QQuickWindow *window() const { return m_window; }
    Kiosk &kiosk() { return m_kiosk; }
    Accessibility &access() { return m_access; }
    CheckInDesk &desk() { return m_desk; }
    CameraDesk &camera() { return m_camera; }
    /// The camera thread behind camera() (null without a camera).
    vision::CameraService *cameraService() { return m_cameraService.get(); }
    VoterFlow &voter() { return m_voter; }
    StaffConsole &staff() { return m_staff; }
    PinyinEngine &pinyin() { return m_pinyin; }

private:
    static VoterFlow::Timings timings(const Options &options);

    Options m_options;
    Accessibility m_access;
    CheckInDesk m_desk;
    std::unique_ptr<vision::CameraService> m_cameraService; ///< null without a camera
    CameraDesk m_camera;
    VoterFlow m_voter;
    StaffConsole m_staff;
    PinyinEngine m_pinyin;
    Kiosk m_kiosk;
    QQmlApplicationEngine m_engine;
    QQuickWindow *m_window = nullptr;
    bool m_started = false;
};

} // namespace pingyi::ui
