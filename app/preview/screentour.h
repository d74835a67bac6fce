#pragma once
// pingyi-kiosk-preview's screen tour (--self-test, --screenshots): it drives the real view models of a
// throwaway kiosk through every screen (welcome, check-in, every kind of ballot page,
// review, receipt, the staff console, reports, USB export, the lead's override, the
// technician, the camera's preview and the confirmation of an ID number it read, the camera
// unplugged and back), in Chinese, in English and in high contrast, each at all three text
// sizes. The self-test checks that each screen appears, that QML reports no warnings and that
// no text is cut, off screen or over another (layoutcheck.h); screenshots save each as PNG.

#include "demoprovisioning.h"
#include "facematch.h"
#include "kioskwindow.h"

#include <QImage>
#include <QString>
#include <QStringList>

class QQuickWindow;

namespace pingyi::kiosk {
class KioskService;
}
namespace pingyi::vision {
class CameraService;
}

namespace pingyi::ui {

class Accessibility;
class CameraDesk;
class CheckInDesk;
class Kiosk;
class PinyinEngine;
class StaffConsole;
class VoterFlow;

class ScreenTour {
public:
    /// QML warnings and errors seen while the tour runs.
    using Messages = QmlMessages;

    struct Setup {
        QQuickWindow *window;
        Kiosk *kiosk;
        kiosk::KioskService *service;
        Accessibility *access;
        CheckInDesk *desk;
        VoterFlow *voter;
        StaffConsole *staff;
        PinyinEngine *pinyin;
        CameraDesk *camera; ///< plays a replay of an ID card
        /// The camera thread: the tour sends the face desk sightings through its signals.
        vision::CameraService *cameraService;
        kiosk::demo::Enrolment enrolment;
        /// The enrolled faces of the venue's representatives (synthetic), by rep id.
        QMap<QString, face::Embedding> faces;
        QString usbDir; ///< the pretend USB drive
        /// The camera's replay folder (moved away to unplug the camera): first an ID card with a
        /// wrong check character; the right card waits beside it in replayDir + ".card".
        QString replayDir;
        QString outDir; ///< where PNGs go; empty: none
        bool selfTest = false;
    };

    ScreenTour(Setup setup, Messages &messages);
    /// Runs the tour; returns the process exit code.
    int run();

private:
    struct Variant {
        QString dir;
        bool english;
        bool contrast;
    };

    bool capture(const QString &name, const QString &screenObject);
    bool waitFor(const std::function<bool()> &condition, int timeoutMs = 5000);
    void settle(int ms = 40);
    void apply();
    bool pass(const Variant &variant, const QString &session, bool withRehearsal);
    /// The identify screen with the camera live, the ID number it read for confirmation,
    /// and (with `unplug`) the camera unplugged on the identify screen and the dashboard,
    /// then plugged back in.
    void cameraScreens(bool unplug);
    /// The face check-in: look (with the camera's advice), the turn, a refusal, the
    /// masked name to confirm ("not me" gives it back).
    void faceScreens(const QString &session);
    /// The camera sees `who` at `yaw` (a made-up sighting, as the camera thread sends them).
    void seeFace(const face::Embedding &who, double yaw);
    /// Puts the replay `which` ("wrong" or "card") under the camera; false if it cannot.
    bool showCard(const QString &which);
    const kiosk::demo::Voter *voterFor(const QString &session) const;
    bool check(bool ok, const QString &what);

    Setup m_s;
    Messages &m_messages;
    Variant m_variant;
    int m_shot = 0;
    QString m_card = QStringLiteral("wrong"); ///< which replay the camera looks at
    int m_screens = 0;
    QStringList m_failures;
};

} // namespace pingyi::ui
