#pragma once
// The QML tests' fixture: a fresh provisioned kiosk with the same view models the
// application builds, exposed to QML (registered declaratively in Pingyi.TestSupport).

#include "accessibility.h"
#include "cameradesk.h"
#include "checkindesk.h"
#include "framesource.h"
#include "kiosk.h"
#include "pinyinengine.h"
#include "staffconsole.h"
#include "uitestsupport.h"
#include "voterflow.h"

#include <QObject>
#include <QQmlParserStatus>
#include <QTemporaryDir>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace pingyi::vision {
class CameraService;
}

namespace pingyi::uitest {

class KioskFixture : public QObject, public QQmlParserStatus {
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(pingyi::ui::Kiosk *kiosk READ kiosk NOTIFY resetDone)
    Q_PROPERTY(QString staffPin READ staffPin NOTIFY resetDone)
    Q_PROPERTY(QString leadPin READ leadPin NOTIFY resetDone)
    Q_PROPERTY(QString technicianPin READ technicianPin NOTIFY resetDone)
    Q_PROPERTY(QString usbDir READ usbDir NOTIFY resetDone)
    Q_PROPERTY(QString error READ error NOTIFY resetDone)

public:
    explicit KioskFixture(QObject *parent = nullptr);
    ~KioskFixture() override;
    void classBegin() override { }
    void componentComplete() override;

    ui::Kiosk *kiosk() const { return m_kiosk.get(); }
    QString staffPin() const { return m_k ? m_k->enrolment.pins.staff : QString(); }
    QString leadPin() const { return m_k ? m_k->enrolment.pins.lead : QString(); }
    QString technicianPin() const { return m_k ? m_k->enrolment.pins.technician : QString(); }
    QString usbDir() const { return m_k ? m_k->usbDir : QString(); }
    QString error() const { return m_error; }

    /// A fresh kiosk and view models. Input is ignored for `settleMs` after a page turn;
    /// idle warns after `idleWarnSeconds` and discards after `countdownSeconds` more.
    Q_INVOKABLE bool reset(int settleMs = 10, int idleWarnSeconds = 3600, int countdownSeconds = 30);
    /// A kiosk without a venue package.
    Q_INVOKABLE bool resetUnprovisioned();
    /// A fresh kiosk with a camera that replays `scenes` in a loop: a list of
    /// {qr: text} (an invitation card), {idcard: number} (a resident ID card) or {empty: n}
    /// (n frames of the empty counter); {frames: n} sets a card's length (default 30).
    /// With `plugged` false the camera is missing until plugCamera().
    Q_INVOKABLE bool resetWithCamera(const QVariantList &scenes, bool plugged = true);
    /// A fresh kiosk whose camera is not there (a device that does not exist).
    Q_INVOKABLE bool resetWithMissingCamera();
    /// Puts the replay's frames where the camera looks (plugs it in).
    Q_INVOKABLE bool plugCamera();
    /// Takes them away (unplugs it).
    Q_INVOKABLE bool unplugCamera();
    Q_INVOKABLE bool openSession(const QString &code, bool rehearsal = false);
    /// Opens the session if it is not yet, and closes it (as staff would, without the taps).
    Q_INVOKABLE bool closeSession(const QString &code, bool rehearsal = false);
    Q_INVOKABLE QString credential(const QString &session, int n = 0) const;
    Q_INVOKABLE QString idNumber(const QString &session, int n = 0) const;
    Q_INVOKABLE QString unknownIdNumber() const;
    /// check-ins, ballots, released, suggestions of a session.
    Q_INVOKABLE QVariantMap counts(const QString &code, bool rehearsal = false) const;
    /// What was cast in a session, opened with the test office's election key:
    /// {error, ballots: [{ratings: {department: option}, questionnaire: {question: [choice]},
    /// discipline: {question: [choice]}}]}.
    Q_INVOKABLE QVariantMap castBallots(const QString &code, bool rehearsal = false) const;
    /// The body of the last audit event called `event` (e.g. "check-in"), {} if none.
    Q_INVOKABLE QVariantMap lastAudit(const QString &event) const;
    /// How many times the kiosk chimed (idle warning, staff call); the fixture's kiosk counts
    /// its chimes without playing them.
    Q_INVOKABLE int chimes() const;
    Q_INVOKABLE void advanceClock(int seconds);
    Q_INVOKABLE bool removeUsb();
    Q_INVOKABLE bool fileExists(const QString &path) const;

Q_SIGNALS:
    void resetDone();

private:
    void teardown();
    /// Tears down the last kiosk and makes a fresh one (provisioned or not); on failure says
    /// resetDone() with the error, as every reset does.
    bool begin(bool provisioned);
    void build(int settleMs, int idleWarnSeconds, int countdownSeconds, vision::FrameSourceFactory camera = {});

    std::unique_ptr<TestKiosk> m_k;
    std::unique_ptr<ui::Accessibility> m_access;
    std::unique_ptr<ui::CheckInDesk> m_desk;
    std::unique_ptr<vision::CameraService> m_cameraService;
    std::unique_ptr<ui::CameraDesk> m_camera;
    std::unique_ptr<QTemporaryDir> m_replay; ///< frames/ (the camera) and staged/ (unplugged)
    std::unique_ptr<ui::VoterFlow> m_voter;
    std::unique_ptr<ui::StaffConsole> m_staff;
    std::unique_ptr<ui::PinyinEngine> m_pinyin;
    std::unique_ptr<ui::Kiosk> m_kiosk;
    QString m_error;
};

} // namespace pingyi::uitest
