#include "qrreader.h"

#include "qrscan.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

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
        // A reflection is one compact patch; white paper or a code's light modules that
        // happen to saturate form a mesh full of holes.
        const double fill = double(stats.at<int>(i, cv::CC_STAT_AREA)) / double(box.area());
        if (fill >= 0.6 && (box & middle).area() > 0)
            return true;
    }
    return false;
}

/// Dark-light-dark-light-dark runs in the proportions 1:1:3:1:1 starting at `runs[i]`;
/// the module size, or 0.
double finderModule(const std::vector<int> &runs, size_t i)
{
    const double m = (runs[i] + runs[i + 1] + runs[i + 2] + runs[i + 3] + runs[i + 4]) / 7.0;
    if (m < 1.5)
        return 0;
    auto near = [m](int run, double modules) {
        return std::abs(run - modules * m) <= m * 0.6 * std::max(1.0, modules / 2);
    };
    return near(runs[i], 1) && near(runs[i + 1], 1) && near(runs[i + 2], 3) && near(runs[i + 3], 1)
            && near(runs[i + 4], 1)
        ? m
        : 0;
}

/// Runs along a line of a binary image (255: dark), starting with a dark run; `starts` gets
/// each run's first index.
void runsOf(const uchar *line, int n, int stride, std::vector<int> &runs, std::vector<int> &starts)
{
    runs.clear();
    starts.clear();
    int i = 0;
    while (i < n && !line[i * stride])
        ++i;
    while (i < n) {
        const uchar v = line[i * stride];
        const int start = i;
        while (i < n && line[i * stride] == v)
            ++i;
        runs.push_back(i - start);
        starts.push_back(start);
    }
}

/// Whether at least two QR finder patterns (the squares in a code's corners) are in view,
/// found along rows and confirmed along columns: a code zxing could not read is still seen.
bool finderPatternsSeen(const cv::Mat &gray)
{
    cv::Mat dark;
    cv::adaptiveThreshold(gray, dark, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 51, 10);
    const cv::Mat columns = dark.t();
    std::vector<cv::Point2d> centres;
    std::vector<int> runs, starts, vruns, vstarts;
    for (int y = 0; y < dark.rows; y += 2) {
        runsOf(dark.ptr<uchar>(y), dark.cols, 1, runs, starts);
        for (size_t i = 0; i + 5 <= runs.size(); i += 2) {
            const double m = finderModule(runs, i);
            if (m == 0)
                continue;
            const int x = starts[i + 2] + runs[i + 2] / 2;
            // The same proportions down the column through the centre.
            runsOf(columns.ptr<uchar>(x), columns.cols, 1, vruns, vstarts);
            for (size_t j = 0; j + 5 <= vruns.size(); j += 2) {
                if (vstarts[j + 2] > y || vstarts[j + 2] + vruns[j + 2] <= y)
                    continue;
                const double vm = finderModule(vruns, j);
                if (vm > 0 && vm < 2 * m && m < 2 * vm)
                    centres.emplace_back(x, vstarts[j + 2] + vruns[j + 2] / 2.0);
                break;
            }
        }
    }
    // Separate patterns: centres further apart than a pattern's own size.
    std::vector<std::pair<cv::Point2d, int>> clusters;
    for (const auto &c : centres) {
        bool merged = false;
        for (auto &[at, hits] : clusters) {
            if (cv::norm(at - c) < 12) {
                ++hits;
                merged = true;
                break;
            }
        }
        if (!merged)
            clusters.push_back({c, 1});
    }
    const auto confirmed = std::count_if(clusters.begin(), clusters.end(), [](const auto &c) { return c.second >= 2; });
    return confirmed >= 2;
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
    const qr::QrScan scan = qr::scanGrey(gray.data, gray.cols, gray.rows, int(gray.step[0]));
    if (!scan.texts.isEmpty()) {
        out.kind = QrRead::Kind::Decoded;
        out.text = scan.texts.constFirst();
        return out;
    }
    const bool seen = scan.seen;
    if (hasGlare(image))
        out.kind = QrRead::Kind::Glare;
    else if (seen || finderPatternsSeen(gray))
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
