#include "cameradesk.h"

#include "cameraservice.h"

#include <QImage>
#include <QMutex>
#include <QMutexLocker>
#include <QQuickImageProvider>

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
    readStatus();
    applyMode();
}

CameraDesk::~CameraDesk()
{
    wipeCandidate();
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
        mode = m_mode == QLatin1String("idcard") ? Mode::IdCard : Mode::Qr;
    m_camera->setMode(mode);
}

void CameraDesk::setIdentifying(bool on)
{
    wipeCandidate();
    setGuidance(QString());
    const QString mode = defaultMode();
    if (on == m_reading && mode == m_mode) {
        applyMode(); // starts the debouncer and the confirmer afresh for the next person
        return;
    }
    m_reading = on;
    m_mode = mode;
    applyMode();
    Q_EMIT modeChanged();
}

void CameraDesk::chooseMode(const QString &mode)
{
    if (mode != QLatin1String("qr") && mode != QLatin1String("idcard"))
        return;
    const bool hadCandidate = !m_candidate.isEmpty();
    wipeCandidate();
    setGuidance(QString());
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
