#include "replaysource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <thread>

namespace pingyi::vision {

namespace {

const QStringList kImageFilters
    = {QStringLiteral("*.png"), QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.bmp")};

/// Frames are 8-bit BGR whatever the file held (grey PNGs, 16-bit images, RGBA).
cv::Mat toBgr8(cv::Mat image)
{
    if (image.empty())
        return image;
    if (image.depth() != CV_8U) {
        cv::Mat scaled;
        image.convertTo(scaled, CV_8U, image.depth() == CV_16U ? 1.0 / 256.0 : 1.0);
        image = scaled;
    }
    if (image.channels() == 1)
        cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
    return image;
}

} // namespace

ReplaySource::ReplaySource(QString path, double framesPerSecond, bool loop)
    : m_path(std::move(path)), m_fps(framesPerSecond), m_loop(loop)
{
}

ReplaySource::~ReplaySource()
{
    close();
}

Status ReplaySource::open()
{
    close();
    const QFileInfo info(m_path);
    if (m_path.isEmpty() || !info.exists())
        return makeError(sourceerror::missing,
                         QStringLiteral("No replay at %1: give --replay a folder of images or a video file that "
                                        "exists.")
                             .arg(m_path.isEmpty() ? QStringLiteral("\"\"") : m_path));
    if (info.isDir()) {
        QDir dir(m_path);
        QStringList names = dir.entryList(kImageFilters, QDir::Files | QDir::Readable);
        std::sort(names.begin(), names.end(), naturalLess);
        if (names.isEmpty())
            return makeError(sourceerror::missing,
                             QStringLiteral("The replay folder %1 holds no images (png, jpg, jpeg, bmp): put the "
                                            "frames there or give --replay another folder.")
                                 .arg(m_path));
        for (const QString &name : std::as_const(names))
            m_images.append(dir.filePath(name));
    } else if (!openVideo()) {
        return makeError(sourceerror::missing,
                         QStringLiteral("The replay %1 is not a video this kiosk can play: give --replay a folder "
                                        "of images or another video file.")
                             .arg(m_path));
    }
    m_next = 0;
    m_count = 0;
    m_due = std::chrono::steady_clock::now();
    return {};
}

bool ReplaySource::openVideo()
{
    // FFmpeg reads what a camera or a phone records; OpenCV's own MJPEG reader is the
    // fallback. Not CAP_ANY: its image-sequence backend would take "frame%d.png" patterns
    // and GStreamer adds seconds of probing to every refusal.
    m_video.release();
    const std::string file = QFile::encodeName(m_path).toStdString();
    for (const int api : {cv::CAP_FFMPEG, cv::CAP_OPENCV_MJPEG}) {
        if (m_video.open(file, api) && m_video.isOpened())
            return true;
        m_video.release();
    }
    return false;
}

void ReplaySource::pace()
{
    if (m_fps <= 0)
        return;
    using namespace std::chrono;
    const auto interval = duration_cast<steady_clock::duration>(duration<double>(1.0 / m_fps));
    const auto now = steady_clock::now();
    if (m_due > now)
        std::this_thread::sleep_until(m_due);
    // A reader that fell behind (a slow OCR, a paused debugger) resumes the pace from now
    // instead of bursting to catch up, as a camera would.
    m_due = std::max(m_due, now) + interval;
}

Result<Frame> ReplaySource::read()
{
    if (!m_images.isEmpty())
        return readImage();
    if (!m_video.isOpened())
        return makeError(sourceerror::unplugged,
                         QStringLiteral("The replay %1 is not open: open it again.").arg(m_path));
    pace();
    cv::Mat image;
    if (!m_video.read(image) || image.empty()) {
        if (!m_loop || m_count == 0) // a video that never delivered a frame would loop forever
            return ended();
        if (!openVideo())
            return makeError(sourceerror::unplugged,
                             QStringLiteral("The replay %1 can no longer be read: put it back or give --replay another "
                                            "video.")
                                 .arg(m_path));
        if (!m_video.read(image) || image.empty())
            return ended();
    }
    return Frame {toBgr8(std::move(image)), ++m_count};
}

Result<Frame> ReplaySource::readImage()
{
    // Unreadable files are skipped; a whole round of them (the folder emptied or removed)
    // is an unplugged camera, so a test can pull the "camera" by deleting its folder.
    for (qsizetype tried = 0; tried < m_images.size(); ++tried) {
        if (m_next >= m_images.size()) {
            if (!m_loop)
                return ended();
            m_next = 0;
        }
        const QString file = m_images.at(m_next++);
        if (!QFileInfo::exists(file)) // spares OpenCV's warning for each file of a removed folder
            continue;
        cv::Mat image = cv::imread(QFile::encodeName(file).toStdString(), cv::IMREAD_COLOR);
        if (image.empty())
            continue;
        pace();
        return Frame {toBgr8(std::move(image)), ++m_count};
    }
    const bool gone = !QFileInfo(m_path).isDir();
    m_images.clear();
    return makeError(sourceerror::unplugged,
                     gone ? QStringLiteral("The replay folder %1 is gone: put it back (the kiosk resumes by itself) "
                                           "or give --replay another folder.")
                                .arg(m_path)
                          : QStringLiteral("The replay folder %1 no longer holds a readable image: put the frames "
                                           "back (the kiosk resumes by itself).")
                                .arg(m_path));
}

Result<Frame> ReplaySource::ended()
{
    return makeError(sourceerror::ended,
                     QStringLiteral("The replay %1 has played all its %2 frames.").arg(m_path).arg(m_count));
}

void ReplaySource::close()
{
    m_images.clear();
    if (m_video.isOpened())
        m_video.release();
    m_next = 0;
}

QString ReplaySource::describe() const
{
    QString what;
    if (!m_images.isEmpty())
        what = QStringLiteral("replay of %1 images in %2").arg(m_images.size()).arg(m_path);
    else if (m_video.isOpened())
        what = QStringLiteral("replay of the video %1").arg(m_path);
    else
        what = QStringLiteral("replay of %1").arg(m_path);
    if (m_fps > 0)
        what += QStringLiteral(" at %1 frames/s").arg(m_fps);
    return what + (m_loop ? QStringLiteral(", looping") : QString());
}

} // namespace pingyi::vision
