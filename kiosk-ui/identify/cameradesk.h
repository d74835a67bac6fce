#pragma once
// The kiosk's camera as the screens see it: its status for the identify screen and the staff
// dashboard, the preview's frame counter, what the person in front of it should do
// (guidance), and an ID number read from a card that waits for the representative to confirm
// it. The camera thread (vision::CameraService) does the reading; this object hands an
// invitation card's code to CheckInDesk at once (the same verification as the hand scanner)
// and an ID number only after the representative confirmed it on screen. The number lives
// in this object's memory only, and is wiped when confirmed, rejected or abandoned.

#include "checkindesk.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>
#include <vector>

class QQuickImageProvider;

namespace pingyi::vision {
class CameraService;
struct FaceSighting;
} // namespace pingyi::vision

namespace pingyi::ui {

class CameraDesk : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("CameraDesk is made by the kiosk's composition root")

    /// "off" (no camera configured), "starting", "live", "missing", "busy", "unplugged",
    /// "ended" (a replay that does not loop has played all its frames).
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    /// Which device or replay, and why it is not live (English, for staff; never a frame).
    Q_PROPERTY(QString statusDetail READ statusDetail NOTIFY statusChanged)
    /// A camera was configured (not --no-camera).
    Q_PROPERTY(bool configured READ configured CONSTANT)
    /// Frames are arriving: the camera ways of checking in can be offered.
    Q_PROPERTY(bool available READ available NOTIFY statusChanged)
    /// What the screen asked the camera to read: "qr" or "idcard".
    Q_PROPERTY(QString mode READ mode NOTIFY modeChanged)
    /// The ID-card reader works (false once the camera thread found tesseract or its English
    /// data missing: the ID-card choice is withdrawn for the rest of the run).
    Q_PROPERTY(bool idCardReadable READ idCardReadable NOTIFY modeChanged)
    /// The readers run (the identify screen is shown and no number waits for confirmation).
    Q_PROPERTY(bool reading READ reading NOTIFY modeChanged)
    /// "" or "qr-unreadable", "qr-glare", "card-no-number", "card-reader-unavailable": what
    /// the person should do now.
    Q_PROPERTY(QString guidance READ guidance NOTIFY guidanceChanged)
    /// Counts preview frames (at most about 12 a second): "image://camera/<n>" asks for the
    /// latest frame.
    Q_PROPERTY(int frameCounter READ frameCounter NOTIFY frameCounterChanged)
    /// The ID number read from a card, waiting for the representative's confirmation ("" if none).
    Q_PROPERTY(QString candidate READ candidate NOTIFY candidateChanged)
    /// The face way can be offered: the activity allows it, someone of the open session has
    /// an enrolled face, the camera is live and its face reader works.
    Q_PROPERTY(bool faceOffered READ faceOffered NOTIFY modeChanged)
    /// Mode "face": "look" (waiting for one usable face), "turn" (the head-turn challenge
    /// runs), "checking", "retry" (refused: the desk's error says why), "confirm" (matched:
    /// the masked name waits for "it's me"); "" in the other modes.
    Q_PROPERTY(QString faceStage READ faceStage NOTIFY faceChanged)
    /// The direction the core asked for, the person's own: "left" or "right" ("" before).
    Q_PROPERTY(QString faceTurn READ faceTurn NOTIFY faceChanged)
    /// How far the turn has gone, 0–1.
    Q_PROPERTY(double faceProgress READ faceProgress NOTIFY faceChanged)
    /// Whole seconds left for the turn.
    Q_PROPERTY(int faceSecondsLeft READ faceSecondsLeft NOTIFY faceChanged)
    /// Stage "confirm": the masked name of the representative the face matched.
    Q_PROPERTY(QString faceName READ faceName NOTIFY faceChanged)

public:
    /// What the desk shares with its image provider (cameradesk.cpp).
    struct Shared;

    /// `camera` may be null (no camera configured); it is started and stopped by its owner.
    CameraDesk(CheckInDesk &desk, vision::CameraService *camera, QObject *parent = nullptr);
    ~CameraDesk() override;

    QString status() const { return m_status; }
    QString statusDetail() const { return m_statusDetail; }
    bool configured() const { return m_camera != nullptr; }
    bool available() const { return m_status == QLatin1String("live"); }
    QString mode() const { return m_mode; }
    bool reading() const { return m_reading && m_candidate.isEmpty(); }
    bool idCardReadable() const { return m_idCardReadable; }
    QString guidance() const { return m_guidance; }
    int frameCounter() const { return m_frameCounter; }
    QString candidate() const { return m_candidate; }
    bool faceOffered() const { return available() && m_faceReadable && m_desk.allowsFace(); }
    QString faceStage() const { return m_mode == QLatin1String("face") ? m_faceStage : QString(); }
    QString faceTurn() const;
    double faceProgress() const { return m_faceProgress; }
    int faceSecondsLeft() const;
    QString faceName() const { return m_desk.pendingName(); }

    /// For the QML engine ("camera"): the latest frame, converted off the GUI thread. The
    /// engine owns it; it outlives this object safely (it then serves nothing).
    QQuickImageProvider *makeImageProvider();

    /// The identify screen is shown (readers on) or not (preview only, candidate wiped).
    /// Each time it is shown the camera starts with `defaultMode()`.
    void setIdentifying(bool on);
    /// "qr" when the activity allows invitation cards (or the ID-card reader is unavailable),
    /// else "idcard".
    Q_INVOKABLE QString defaultMode() const;

    /// "qr", "idcard" or "face": what the person chose to show the camera.
    Q_INVOKABLE void chooseMode(const QString &mode);
    /// After a refused face check: look at the camera again for a new challenge.
    Q_INVOKABLE void retryFace();
    /// Stage "confirm": the name shown is theirs (they vote now) or not (nothing is kept).
    Q_INVOKABLE void confirmFace(bool itsMe);
    /// The representative says the number on screen is theirs: check in with it.
    Q_INVOKABLE bool confirmCandidate();
    /// Not their number: forget it and read the card again.
    Q_INVOKABLE void rejectCandidate();

Q_SIGNALS:
    void statusChanged();
    void modeChanged();
    void guidanceChanged();
    void frameCounterChanged();
    void candidateChanged();
    void faceChanged();
    /// Something happened in front of the camera (a code, a card): counts as activity.
    void activity();

private:
    void readStatus();
    void applyMode();
    void onFrame();
    void onQr(const QString &text);
    void onIdNumber(const QString &number);
    void onGuidance(const QString &code);
    void setGuidance(const QString &code);
    void wipeCandidate();
    void onFaceSeen(const vision::FaceSighting &sighting);
    /// face.verify: a card or number waits for its face: the camera turns to the face.
    void faceForVerify();
    /// A frame without the one face (0: none, 2: several) during the turn.
    void faceMissing(int faces);
    void addFaceFrame(const face::TrackFrame &frame);
    void finishFace();
    void setFaceStage(const QString &stage);
    /// Forgets the challenge, the track and the probe (face data lives only this long).
    void wipeFace();

    CheckInDesk &m_desk;
    vision::CameraService *m_camera;
    std::shared_ptr<Shared> m_shared;
    QString m_status = QStringLiteral("off");
    QString m_statusDetail;
    QString m_mode = QStringLiteral("qr");
    bool m_reading = false;
    bool m_idCardReadable = true;
    QString m_guidance;
    QTimer m_guidanceHold; ///< a hint stays up a moment, so that it can be read
    int m_frameCounter = 0;
    QElapsedTimer m_sinceFrame;
    QString m_candidate;
    /// The number last refused by the core: the card still lies there, and reading it again
    /// would only ask again. Wiped like the candidate.
    QString m_refused;

    // Mode "face".
    bool m_faceReadable = true; ///< false once the camera found the face models missing
    QString m_faceStage = QStringLiteral("look");
    std::optional<face::HeadTurnChallenge> m_challenge;
    QElapsedTimer m_faceClock; ///< since the core issued the challenge
    QTimer m_faceTimeout;
    std::vector<face::TrackFrame> m_track;
    std::optional<face::Probe> m_probe; ///< the most frontal usable frame so far
    double m_faceProgress = 0;
};

} // namespace pingyi::ui
