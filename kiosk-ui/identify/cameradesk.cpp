#include "cameradesk.h"

#include "cameraservice.h"
#include "faceevidence.h"

#include <QImage>
#include <QMutex>
#include <QMutexLocker>
#include <QQuickImageProvider>

#include <cmath>

namespace pingyi::ui {

namespace {

/// At most this often a new preview frame is asked for (about 12 a second): enough to aim a
/// card, and it leaves the two cores to the readers.
constexpr qint64 previewIntervalMs = 80;
/// A hint stays at least this long after the camera stopped giving it.
constexpr int guidanceHoldMs = 1500;

QString statusName(vision::CameraService::Status s)
{
    using S = vision::CameraService::Status;
    switch (s) {
    case S::Off:
        return QStringLiteral("off");
    case S::Starting:
        return QStringLiteral("starting");
    case S::Live:
        return QStringLiteral("live");
    case S::Missing:
        return QStringLiteral("missing");
    case S::Busy:
        return QStringLiteral("busy");
    case S::Unplugged:
        return QStringLiteral("unplugged");
    default: // a replay that does not loop has played all its frames
        return QStringLiteral("ended");
    }
}

} // namespace

/// What the image provider (on the QML engine's loader thread) shares with the desk: the
/// camera while the desk lives, null after.
struct CameraDesk::Shared {
    QMutex mutex;
    vision::CameraService *camera = nullptr;
};

namespace {

/// "image://camera/<n>": the camera's latest frame, BGR → QImage, scaled to the requested
/// size. Runs on the engine's image loader thread (ForceAsynchronousImageLoading), never on
/// the GUI thread.
class CameraImageProvider final : public QQuickImageProvider {
public:
    explicit CameraImageProvider(std::shared_ptr<CameraDesk::Shared> shared)
        : QQuickImageProvider(QQuickImageProvider::Image, QQmlImageProviderBase::ForceAsynchronousImageLoading),
          m_shared(std::move(shared))
    {
    }

    QImage requestImage(const QString &, QSize *size, const QSize &requestedSize) override
    {
        vision::Frame frame;
        {
            QMutexLocker lock(&m_shared->mutex);
            if (m_shared->camera)
                frame = m_shared->camera->latestFrame();
        }
        QImage image;
        if (!frame.empty() && frame.image.type() == CV_8UC3) {
            const cv::Mat &m = frame.image;
            // Wraps the frame's pixels without copying; scaled() or copy() below makes the
            // image its own before the frame goes.
            const QImage view(m.data, m.cols, m.rows, int(m.step), QImage::Format_BGR888);
            if (requestedSize.width() > 0 && requestedSize.height() > 0 && requestedSize.width() < m.cols)
                image = view.scaled(requestedSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                            .convertToFormat(QImage::Format_RGB32);
            else
                image = view.convertToFormat(QImage::Format_RGB32);
        } else {
            // No frame yet: a dark picture of the usual shape, not an error in the log.
            image = QImage(64, 48, QImage::Format_RGB32);
            image.fill(QColor(0x20, 0x20, 0x20));
        }
        if (size)
            *size = image.size();
        return image;
    }

private:
    std::shared_ptr<CameraDesk::Shared> m_shared;
};

} // namespace

CameraDesk::CameraDesk(CheckInDesk &desk, vision::CameraService *camera, QObject *parent)
    : QObject(parent), m_desk(desk), m_camera(camera), m_shared(std::make_shared<Shared>())
{
    m_shared->camera = camera;
    m_mode = defaultMode();
    m_guidanceHold.setSingleShot(true);
    m_guidanceHold.setInterval(guidanceHoldMs);
    connect(&m_guidanceHold, &QTimer::timeout, this, [this] { setGuidance(QString()); });
    m_sinceFrame.start();
    if (!m_camera) {
        m_statusDetail = QStringLiteral("no camera configured (--no-camera)");
        return;
    }
    // The service emits in its own (this, the GUI) thread, and drops what is still queued when
    // it stops: direct connections keep that promise.
    using vision::CameraService;
    connect(m_camera, &CameraService::statusChanged, this, &CameraDesk::readStatus);
    connect(m_camera, &CameraService::frameArrived, this, &CameraDesk::onFrame);
    connect(m_camera, &CameraService::qrDecoded, this, &CameraDesk::onQr);
    connect(m_camera, &CameraService::idNumberRead, this, &CameraDesk::onIdNumber);
    connect(m_camera, &CameraService::guidance, this, &CameraDesk::onGuidance);
    connect(m_camera, &CameraService::faceSeen, this, &CameraDesk::onFaceSeen);
    // face.verify: a card or number that needs its face turns the camera to the face at once.
    connect(&m_desk, &CheckInDesk::errorChanged, this, &CameraDesk::faceForVerify);
    m_faceTimeout.setSingleShot(true);
    connect(&m_faceTimeout, &QTimer::timeout, this, [this] {
        // Time is up and no frame said so (the face left the camera): the track ends here.
        if (m_faceStage == QLatin1String("turn")) {
            faceMissing(0);
            if (m_faceStage == QLatin1String("turn"))
                finishFace();
        }
    });
    readStatus();
    applyMode();
}

CameraDesk::~CameraDesk()
{
    wipeCandidate();
    wipeFace();
    // The provider may still be asked for a frame by the engine: from now on it serves none.
    QMutexLocker lock(&m_shared->mutex);
    m_shared->camera = nullptr;
}

QQuickImageProvider *CameraDesk::makeImageProvider()
{
    return new CameraImageProvider(m_shared);
}

QString CameraDesk::defaultMode() const
{
    return m_desk.allowsCredential() || !m_desk.allowsIdNumber() || !m_idCardReadable ? QStringLiteral("qr")
                                                                                      : QStringLiteral("idcard");
}

void CameraDesk::readStatus()
{
    const QString status = m_camera ? statusName(m_camera->status()) : QStringLiteral("off");
    const QString detail = m_camera ? m_camera->statusDetail() : m_statusDetail;
    if (status == m_status && detail == m_statusDetail)
        return;
    m_status = status;
    m_statusDetail = detail;
    if (!available())
        setGuidance(QString());
    Q_EMIT statusChanged();
}

void CameraDesk::applyMode()
{
    if (!m_camera)
        return;
    using Mode = vision::CameraService::Mode;
    Mode mode = Mode::Preview;
    if (reading())
        mode = m_mode == QLatin1String("idcard") ? Mode::IdCard
            : m_mode == QLatin1String("face")    ? Mode::Face
                                                 : Mode::Qr;
    m_camera->setMode(mode);
}

void CameraDesk::setIdentifying(bool on)
{
    wipeCandidate();
    // Leaving the screen with a face match unconfirmed: nobody said it was them.
    m_desk.rejectPending(kiosk::ReleaseReason::Idle);
    wipeFace();
    setFaceStage(QStringLiteral("look"));
    setGuidance(QString());
    const QString mode = defaultMode();
    if (on == m_reading && mode == m_mode) {
        applyMode(); // starts the debouncer and the confirmer afresh for the next person
        faceForVerify();
        return;
    }
    m_reading = on;
    m_mode = mode;
    applyMode();
    Q_EMIT modeChanged();
    faceForVerify(); // a card scanned on the welcome screen that waits for its face
}

void CameraDesk::faceForVerify()
{
    if (m_desk.errorCode() != QLatin1String("face-verify") || !reading() || !faceOffered()
        || m_mode == QLatin1String("face"))
        return;
    wipeCandidate();
    wipeFace();
    setGuidance(QString());
    m_mode = QStringLiteral("face");
    setFaceStage(QStringLiteral("look"));
    applyMode();
    Q_EMIT modeChanged();
    Q_EMIT faceChanged();
}

void CameraDesk::chooseMode(const QString &mode)
{
    if (mode != QLatin1String("qr") && mode != QLatin1String("idcard") && mode != QLatin1String("face"))
        return;
    if (mode == QLatin1String("face") && !faceOffered())
        return;
    if (!m_desk.pendingName().isEmpty())
        return; // a face match waits for "it's me" or "not me"
    const bool hadCandidate = !m_candidate.isEmpty();
    wipeCandidate();
    setGuidance(QString());
    wipeFace();
    setFaceStage(QStringLiteral("look"));
    if (m_mode != mode)
        m_desk.clear();
    if (mode == m_mode && !hadCandidate)
        return;
    m_mode = mode;
    applyMode();
    Q_EMIT modeChanged();
}

bool CameraDesk::confirmCandidate()
{
    if (m_candidate.isEmpty())
        return false;
    const QString number = m_candidate;
    wipeCandidate();
    Q_EMIT modeChanged();
    // On success the kiosk leaves the identify screen (setIdentifying(false)); on a refusal
    // the card is read again, with the refusal on screen.
    const bool admitted = m_desk.submitCameraIdNumber(number);
    if (!admitted)
        m_refused = number;
    applyMode();
    return admitted;
}

void CameraDesk::rejectCandidate()
{
    if (m_candidate.isEmpty())
        return;
    wipeCandidate();
    applyMode(); // reading again, with a fresh run of consecutive frames
    Q_EMIT modeChanged();
}

void CameraDesk::wipeCandidate()
{
    if (!m_refused.isEmpty()) {
        m_refused.fill(QLatin1Char('0'));
        m_refused.clear();
    }
    if (m_candidate.isEmpty())
        return;
    m_candidate.fill(QLatin1Char('0'));
    m_candidate.clear();
    Q_EMIT candidateChanged();
}

void CameraDesk::onFrame()
{
    if (m_sinceFrame.elapsed() < previewIntervalMs)
        return;
    m_sinceFrame.restart();
    ++m_frameCounter;
    Q_EMIT frameCounterChanged();
}

void CameraDesk::onQr(const QString &text)
{
    // A code decoded just after the screen changed (queued from the camera thread) is not
    // for this screen.
    if (!reading() || m_mode != QLatin1String("qr") || !m_desk.allowsCredential())
        return;
    Q_EMIT activity();
    setGuidance(QString());
    m_desk.submitCameraScan(text);
}

void CameraDesk::onIdNumber(const QString &number)
{
    if (!reading() || m_mode != QLatin1String("idcard") || !m_desk.allowsIdNumber())
        return;
    Q_EMIT activity();
    if (number == m_refused)
        return; // the refusal on screen says what to do
    setGuidance(QString());
    m_desk.clear();
    m_candidate = number;
    applyMode(); // no reading while the representative looks at the number
    Q_EMIT candidateChanged();
    Q_EMIT modeChanged();
}

void CameraDesk::onGuidance(const QString &code)
{
    if (!reading())
        return;
    if (code.isEmpty()) {
        if (!m_guidance.isEmpty() && !m_guidanceHold.isActive())
            m_guidanceHold.start();
        return;
    }
    Q_EMIT activity();
    m_guidanceHold.stop();
    setGuidance(code);
    if (code == QLatin1String("card-reader-unavailable") && m_idCardReadable) {
        m_idCardReadable = false;
        Q_EMIT modeChanged();
    }
    if (code == QLatin1String("face-reader-unavailable") && m_faceReadable) {
        m_faceReadable = false;
        Q_EMIT modeChanged();
    }
    // The camera sends sightings of one face only: no face, or several, reach the
    // challenge from here.
    if (m_faceStage == QLatin1String("turn") && m_mode == QLatin1String("face")) {
        if (code == QLatin1String("face-none"))
            faceMissing(0);
        else if (code == QLatin1String("face-many"))
            faceMissing(2);
    }
}

// ---- mode "face" ---------------------------------------------------------------------

QString CameraDesk::faceTurn() const
{
    if (!m_challenge || faceStage().isEmpty())
        return {};
    return m_challenge->asked() == face::Turn::Left ? QStringLiteral("left") : QStringLiteral("right");
}

int CameraDesk::faceSecondsLeft() const
{
    if (!m_challenge || !m_faceTimeout.isActive())
        return 0;
    return (m_faceTimeout.remainingTime() + 999) / 1000;
}

void CameraDesk::onFaceSeen(const vision::FaceSighting &sighting)
{
    if (!reading() || m_mode != QLatin1String("face"))
        return;
    // A face in view keeps the screen alive while the check runs, not while a matched name
    // waits for its answer (someone next in the queue would hold that check-in forever).
    if (m_faceStage == QLatin1String("look") || m_faceStage == QLatin1String("turn"))
        Q_EMIT activity();
    const std::optional<face::Embedding> embedding
        = sighting.embedding ? std::optional(vision::toCore(*sighting.embedding)) : std::nullopt;
    if (m_faceStage == QLatin1String("look")) {
        // The challenge starts with a face worth comparing in front of the camera, so that
        // its seconds are the person's, not spent waiting for them.
        if (!sighting.usable || !embedding)
            return;
        const std::optional<face::Turn> turn = m_desk.beginFace();
        if (!turn) {
            setFaceStage(QStringLiteral("retry"));
            return;
        }
        m_challenge.emplace(*turn, m_desk.faceRules());
        m_faceClock.start();
        m_faceTimeout.start(m_desk.faceRules().livenessSeconds * 1000 + 500);
        setFaceStage(QStringLiteral("turn"));
    }
    if (m_faceStage != QLatin1String("turn"))
        return;
    if (sighting.usable && embedding && (!m_probe || std::abs(sighting.quality.yaw) < std::abs(m_probe->quality.yaw)))
        m_probe = face::Probe {*embedding, vision::toCore(sighting.quality), 1};
    addFaceFrame({m_faceClock.elapsed(), 1, sighting.box, sighting.yaw, embedding});
}

void CameraDesk::faceMissing(int faces)
{
    addFaceFrame({m_faceClock.elapsed(), faces, {}, 0, std::nullopt});
}

void CameraDesk::addFaceFrame(const face::TrackFrame &frame)
{
    if (!m_challenge)
        return;
    m_track.push_back(frame);
    const face::LivenessResult r = m_challenge->add(frame);
    m_faceProgress = m_challenge->progress();
    Q_EMIT faceChanged();
    if (r.status != face::LivenessResult::Status::Pending)
        finishFace();
}

void CameraDesk::finishFace()
{
    m_faceTimeout.stop();
    setFaceStage(QStringLiteral("checking"));
    // The core replays the challenge on the track and decides; a failed turn is handed in
    // too, so that the refusal is the core's and is audited.
    FaceProbe evidence;
    evidence.track = std::move(m_track);
    if (m_probe)
        evidence.probe = *m_probe;
    const bool admitted = m_desk.submitFace(evidence);
    for (face::TrackFrame &f : evidence.track)
        if (f.embedding)
            f.embedding->values.fill(0);
    evidence.probe.embedding.values.fill(0);
    wipeFace();
    setFaceStage(admitted ? QStringLiteral("confirm") : QStringLiteral("retry"));
}

void CameraDesk::retryFace()
{
    if (m_mode != QLatin1String("face") || m_faceStage != QLatin1String("retry"))
        return;
    m_desk.clearError(); // a card waiting for its face (face.verify) still waits
    setFaceStage(QStringLiteral("look"));
}

void CameraDesk::confirmFace(bool itsMe)
{
    if (m_faceStage != QLatin1String("confirm"))
        return;
    if (itsMe) {
        setFaceStage(QStringLiteral("look"));
        m_desk.confirmPending(); // the kiosk leaves this screen for the ballot
        return;
    }
    m_desk.rejectPending(kiosk::ReleaseReason::Cancelled);
    setFaceStage(QStringLiteral("retry"));
}

void CameraDesk::setFaceStage(const QString &stage)
{
    if (stage != QLatin1String("turn"))
        m_faceTimeout.stop();
    if (stage == m_faceStage)
        return;
    m_faceStage = stage;
    if (stage == QLatin1String("look"))
        m_faceProgress = 0;
    Q_EMIT faceChanged();
}

void CameraDesk::wipeFace()
{
    m_faceTimeout.stop();
    for (face::TrackFrame &f : m_track)
        if (f.embedding)
            f.embedding->values.fill(0);
    m_track.clear();
    if (m_probe)
        m_probe->embedding.values.fill(0);
    m_probe.reset();
    m_challenge.reset();
    m_faceProgress = 0;
}

void CameraDesk::setGuidance(const QString &code)
{
    if (code.isEmpty())
        m_guidanceHold.stop();
    if (code == m_guidance)
        return;
    m_guidance = code;
    Q_EMIT guidanceChanged();
}

} // namespace pingyi::ui
