#include "qrreader.h"

// zxing-cpp 1.4 returns std::wstring from text() unless told to move to UTF-8 already.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <opencv2/imgproc.hpp>

namespace pingyi::vision {

namespace {

// A reflection saturates every channel; white paper under kiosk lighting stays below this.
constexpr int saturatedLevel = 250;
// Smallest reflection worth mentioning: about 1 % of a 640×480 view.
constexpr double glareMinFraction = 0.01;

cv::Mat luminance(const cv::Mat &image)
{
    if (image.channels() == 1)
        return image;
    cv::Mat gray;
    cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    return gray;
}

/// A saturated blob big enough to hide a code, touching the middle half of the view where
/// people hold their card or phone.
bool hasGlare(const cv::Mat &image)
{
    cv::Mat saturated;
    if (image.channels() >= 3) {
        cv::Mat minChannel;
        std::vector<cv::Mat> planes;
        cv::split(image, planes);
        cv::min(planes[0], planes[1], minChannel);
        cv::min(minChannel, planes[2], minChannel);
        cv::threshold(minChannel, saturated, saturatedLevel - 1, 255, cv::THRESH_BINARY);
    } else {
        cv::threshold(image, saturated, saturatedLevel - 1, 255, cv::THRESH_BINARY);
    }
    const double minArea = glareMinFraction * double(image.total());
    if (cv::countNonZero(saturated) < minArea)
        return false;
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(saturated, labels, stats, centroids, 8, CV_32S);
    const cv::Rect middle(image.cols / 4, image.rows / 4, image.cols / 2, image.rows / 2);
    for (int i = 1; i < n; ++i) {
        if (stats.at<int>(i, cv::CC_STAT_AREA) < minArea)
            continue;
        const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                           stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
        if ((box & middle).area() > 0)
            return true;
    }
    return false;
}

} // namespace

QrRead QrReader::read(const cv::Mat &image) const
{
    QrRead out;
    if (image.empty() || image.depth() != CV_8U)
        return out;
    cv::Mat gray = luminance(image);
    if (!gray.isContinuous())
        gray = gray.clone();
    const ZXing::ImageView view(gray.data, gray.cols, gray.rows, ZXing::ImageFormat::Lum, int(gray.step[0]));
    // Errors are returned so that a code whose finder patterns were found but whose data
    // could not be corrected is told apart from an empty view.
    const auto hints = ZXing::DecodeHints()
                           .setFormats(ZXing::BarcodeFormat::QRCode)
                           .setTryRotate(true)
                           .setTryHarder(true)
                           .setReturnErrors(true);
    bool seen = false;
    for (const ZXing::Result &r : ZXing::ReadBarcodes(view, hints)) {
        if (r.isValid()) {
            out.kind = QrRead::Kind::Decoded;
            out.text = QString::fromStdString(r.text());
            return out;
        }
        if (r.format() != ZXing::BarcodeFormat::None)
            seen = true;
    }
    if (hasGlare(image))
        out.kind = QrRead::Kind::Glare;
    else if (seen)
        out.kind = QrRead::Kind::Unreadable;
    return out;
}

std::optional<QString> QrDebouncer::accept(const QrRead &read, Clock::time_point now)
{
    if (read.kind != QrRead::Kind::Decoded || read.text.isEmpty()) {
        // Frames without the code only matter through m_lastSeen: a code held still but
        // misread for a frame or two must not count as taken away and shown again.
        return std::nullopt;
    }
    if (read.text == m_last) {
        const bool wasAway = now - m_lastSeen >= m_pause;
        const bool pauseOver = now - m_handedOn >= m_pause;
        m_lastSeen = now;
        if (!wasAway && !pauseOver)
            return std::nullopt;
        m_handedOn = now;
        return read.text;
    }
    m_last = read.text;
    m_lastSeen = now;
    m_handedOn = now;
    return read.text;
}

void QrDebouncer::reset()
{
    m_last.clear();
    m_lastSeen = {};
    m_handedOn = {};
}

} // namespace pingyi::vision
