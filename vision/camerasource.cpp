#include "camerasource.h"

#include <QDir>
#include <QFileInfo>

#include <opencv2/imgproc.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <optional>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pingyi::vision {

namespace {

const QString kChooseAnother = QStringLiteral("choose another with --camera");

/// /dev/video* in natural order (video2 before video10), so "the first camera" is stable.
QStringList videoNodes()
{
    QStringList nodes = QDir(QStringLiteral("/dev")).entryList({QStringLiteral("video*")}, QDir::System | QDir::Files);
    std::sort(nodes.begin(), nodes.end(), naturalLess);
    for (QString &n : nodes)
        n.prepend(QStringLiteral("/dev/"));
    return nodes;
}

/// "0" → "/dev/video0"; a path stays as it is.
QString devicePath(const QString &device)
{
    bool isIndex = false;
    const int index = device.toInt(&isIndex);
    if (isIndex && index >= 0)
        return QStringLiteral("/dev/video%1").arg(index);
    return device;
}

struct Probe {
    Status status;
    bool notACamera = false; // the node exists but captures no video (a UVC metadata node, /dev/null)
};

/// OpenCV's V4L2 backend reports every failure to open the same way; opening the node
/// ourselves first tells a missing device, a missing permission, a busy device and a node
/// that is no camera apart.
Probe probeNode(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    const auto notACamera = [&path] {
        return Probe {makeError(sourceerror::missing,
                                QStringLiteral("%1 is not a camera: %2 (a /dev/videoN path or an index such as 0).")
                                    .arg(path, kChooseAnother)),
                      true};
    };
    struct stat st { };
    if (::stat(native.constData(), &st) != 0)
        return {makeError(sourceerror::missing,
                          QStringLiteral("No camera at %1: plug the camera in or %2.").arg(path, kChooseAnother))};
    if (!S_ISCHR(st.st_mode))
        return notACamera();
    const int fd = ::open(native.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == EACCES || err == EPERM)
            return {makeError(sourceerror::denied,
                              QStringLiteral("The kiosk may not open the camera at %1: add its user to the 'video' "
                                             "group or %2.")
                                  .arg(path, kChooseAnother))};
        if (err == EBUSY)
            return {makeError(sourceerror::busy,
                              QStringLiteral("The camera at %1 is in use by another program: close that program "
                                             "or %2.")
                                  .arg(path, kChooseAnother))};
        // ENODEV/ENXIO: the node outlived its device (unplugged a moment ago).
        return {makeError(sourceerror::missing,
                          QStringLiteral("No camera answers at %1 (%2): plug the camera in or %3.")
                              .arg(path, QString::fromLocal8Bit(std::strerror(err)), kChooseAnother))};
    }
    v4l2_capability caps {};
    const bool queried = ::ioctl(fd, VIDIOC_QUERYCAP, &caps) == 0;
    ::close(fd);
    if (!queried)
        return notACamera();
    const __u32 effective = (caps.capabilities & V4L2_CAP_DEVICE_CAPS) ? caps.device_caps : caps.capabilities;
    if (!(effective & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)))
        return notACamera();
    return {};
}

} // namespace

CameraSource::CameraSource(QString device, int width, int height)
    : m_device(std::move(device)), m_width(width), m_height(height)
{
}

CameraSource::~CameraSource()
{
    close();
}

Status CameraSource::open()
{
    close();
    if (m_device.isEmpty()) {
        // The first node that captures video; a camera's metadata node does not count, and
        // one held by another program is reported as such rather than skipped silently.
        std::optional<Status> firstFailure;
        m_path.clear();
        for (const QString &node : videoNodes()) {
            Probe probe = probeNode(node);
            if (probe.status) {
                m_path = node;
                break;
            }
            if (!probe.notACamera && !firstFailure)
                firstFailure = probe.status;
        }
        if (m_path.isEmpty())
            return firstFailure ? *firstFailure
                                : makeError(sourceerror::missing,
                                            QStringLiteral("No camera found (no /dev/video* device captures video): "
                                                           "plug the camera in or %1.")
                                                .arg(kChooseAnother));
    } else {
        m_path = devicePath(m_device);
        if (Probe probe = probeNode(m_path); !probe.status)
            return probe.status;
    }

    // V4L2 opens a device several programs hold without complaint; the refusal comes when
    // buffers are requested, so a camera that opens but delivers no first frame is busy.
    if (!m_capture.open(QFile::encodeName(m_path).toStdString(), cv::CAP_V4L2)) {
        return makeError(sourceerror::busy,
                         QStringLiteral("The camera at %1 could not be started: another program may be using it; "
                                        "close that program, or plug the camera in again, or %2.")
                             .arg(m_path, kChooseAnother));
    }
    if (m_width > 0 && m_height > 0) {
        m_capture.set(cv::CAP_PROP_FRAME_WIDTH, m_width);
        m_capture.set(cv::CAP_PROP_FRAME_HEIGHT, m_height);
    }
    if (!m_capture.grab()) {
        m_capture.release();
        return makeError(sourceerror::busy,
                         QStringLiteral("The camera at %1 opened but delivers no picture: another program may be "
                                        "using it; close that program, or plug the camera in again, or %2.")
                             .arg(m_path, kChooseAnother));
    }
    m_grabbed = true;
    m_count = 0;
    return {};
}

Result<Frame> CameraSource::read()
{
    const auto lost = [this](const QString &why) {
        m_capture.release();
        return makeError(sourceerror::unplugged,
                         QStringLiteral("The camera at %1 %2: plug it in again (the kiosk reconnects by itself) or "
                                        "%3.")
                             .arg(m_path.isEmpty() ? m_device : m_path, why, kChooseAnother));
    };
    if (!m_capture.isOpened())
        return lost(QStringLiteral("is not open"));
    // open() grabbed the first frame to prove the camera works; it is the first one read.
    const bool grabbed = m_grabbed || m_capture.grab();
    m_grabbed = false;
    cv::Mat image; // a fresh buffer per frame: frames handed out share their pixels
    if (!grabbed || !m_capture.retrieve(image) || image.empty())
        return lost(QFileInfo::exists(m_path) ? QStringLiteral("stopped delivering pictures")
                                              : QStringLiteral("was unplugged"));
    if (image.channels() == 1)
        cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
    return Frame {std::move(image), ++m_count};
}

void CameraSource::close()
{
    if (m_capture.isOpened())
        m_capture.release();
    m_grabbed = false;
}

QString CameraSource::describe() const
{
    const QString where = !m_path.isEmpty() ? m_path
        : m_device.isEmpty()                ? QStringLiteral("the first camera (/dev/video*)")
                                            : devicePath(m_device);
    return QStringLiteral("camera %1 at %2×%3").arg(where).arg(m_width).arg(m_height);
}

} // namespace pingyi::vision
