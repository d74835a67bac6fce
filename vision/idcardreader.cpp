#include "idcardreader.h"

#include "roster.h"

#include <opencv2/imgproc.hpp>

#include <tesseract/baseapi.h>

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>

#include <dlfcn.h>

namespace pingyi::vision {

namespace {

// The card is warped to 10 px per mm of its 85.6 × 54 mm face.
constexpr int cardWidth = 856;
constexpr int cardHeight = 540;
constexpr double cardAspect = 85.6 / 54.0;

// Where the 18 characters sit on the portrait side of a resident ID card: right of the
// "公民身份号码" label (which ends about a third of the way across), in the bottom fifth.
// Generous, so that a card found a few pixels off still has its whole number in the band.
constexpr double bandLeft = 0.335, bandRight = 0.985, bandTop = 0.76, bandBottom = 0.97;

using Quad = std::array<cv::Point2f, 4>;

double distance(cv::Point2f a, cv::Point2f b)
{
    return std::hypot(double(a.x - b.x), double(a.y - b.y));
}

/// Corners clockwise from the top left of the card as it lies, long edge first.
Quad ordered(const std::vector<cv::Point2f> &pts)
{
    cv::Point2f c(0, 0);
    for (const auto &p : pts)
        c += p;
    c *= 1.0f / float(pts.size());
    Quad q {pts[0], pts[1], pts[2], pts[3]};
    std::sort(q.begin(), q.end(), [c](cv::Point2f a, cv::Point2f b) {
        return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
    });
    // atan2 with y down sorts clockwise; start at the corner nearest the image's top left.
    const auto first
        = std::min_element(q.begin(), q.end(), [](cv::Point2f a, cv::Point2f b) { return a.x + a.y < b.x + b.y; });
    std::rotate(q.begin(), first, q.end());
    if (distance(q[0], q[1]) < distance(q[1], q[2]))
        std::rotate(q.begin(), q.begin() + 1, q.end()); // the card stands on its short edge
    return q;
}

/// A quadrilateral that could be a card: convex, big enough, roughly the card's aspect.
bool plausible(const Quad &q, double frameArea)
{
    std::vector<cv::Point2f> poly(q.begin(), q.end());
    if (!cv::isContourConvex(poly))
        return false;
    const double area = std::abs(cv::contourArea(poly));
    if (area < 0.06 * frameArea || area > 0.97 * frameArea)
        return false;
    const double longSide = (distance(q[0], q[1]) + distance(q[2], q[3])) / 2;
    const double shortSide = (distance(q[1], q[2]) + distance(q[3], q[0])) / 2;
    const double aspect = longSide / std::max(1.0, shortSide);
    return aspect > cardAspect * 0.75 && aspect < cardAspect * 1.35;
}

void collectQuads(const cv::Mat &edges, double frameArea, std::vector<Quad> &out)
{
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(edges, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    for (const auto &c : contours) {
        if (std::abs(cv::contourArea(c)) < 0.04 * frameArea)
            continue;
        std::vector<cv::Point> hull;
        cv::convexHull(c, hull);
        std::vector<cv::Point> approx;
        cv::approxPolyDP(hull, approx, 0.02 * cv::arcLength(hull, true), true);
        std::vector<cv::Point2f> pts;
        if (approx.size() == 4) {
            for (const auto &p : approx)
                pts.emplace_back(p);
        } else {
            // A finger over a corner or a rounded corner: the card's own rectangle still
            // explains most of the outline.
            const cv::RotatedRect r = cv::minAreaRect(hull);
            if (std::abs(cv::contourArea(hull)) < 0.85 * r.size.area())
                continue;
            cv::Point2f corners[4];
            r.points(corners);
            pts.assign(corners, corners + 4);
        }
        const Quad q = ordered(pts);
        if (plausible(q, frameArea))
            out.push_back(q);
    }
}

std::optional<Quad> findCard(const cv::Mat &gray)
{
    const double frameArea = double(gray.total());
    cv::Mat blurred, edges, bright;
    cv::GaussianBlur(gray, blurred, cv::Size(5, 5), 0);
    std::vector<Quad> quads;
    cv::Canny(blurred, edges, 30, 90);
    cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 2);
    collectQuads(edges, frameArea, quads);
    // A light card on a darker table: the bright region itself, when edges break up.
    cv::threshold(blurred, bright, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(bright, bright, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(9, 9)));
    collectQuads(bright, frameArea, quads);
    if (quads.empty())
        return std::nullopt;
    return *std::max_element(quads.begin(), quads.end(), [](const Quad &a, const Quad &b) {
        return std::abs(cv::contourArea(std::vector<cv::Point2f>(a.begin(), a.end())))
            < std::abs(cv::contourArea(std::vector<cv::Point2f>(b.begin(), b.end())));
    });
}

struct Line {
    cv::Mat image; ///< dark text on light, about `lineHeightPx` high, with a margin
    cv::Mat larger; ///< the same line about 1.3 times larger, for a second reading
    double length = 0; ///< the run of text's width in line heights (18 characters: about 16)
};

// Tesseract's time grows with the width of what it reads; this height keeps a line at about
// 500 px while the digits stay well formed.
constexpr int lineHeightPx = 32;
// 18 monospaced characters run about 16 line heights; a name or a date much less. Shorter
// runs are not worth a reading.
constexpr double minLineLength = 9;

/// The longest line of text in the number's band, tightly cropped; an empty image when the
/// band holds no line of text.
Line numberLine(const cv::Mat &card)
{
    const cv::Rect band(int(bandLeft * cardWidth), int(bandTop * cardHeight), int((bandRight - bandLeft) * cardWidth),
                        int((bandBottom - bandTop) * cardHeight));
    cv::Mat roi = card(band).clone();
    cv::normalize(roi, roi, 0, 255, cv::NORM_MINMAX);
    cv::Mat ink;
    cv::adaptiveThreshold(roi, ink, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, 31, 15);
    // Rows: the longest run of rows with ink is the text line.
    cv::Mat rowInk;
    cv::reduce(ink, rowInk, 1, cv::REDUCE_SUM, CV_32S);
    const int rowMin = 255 * 6;
    int bestTop = -1, bestBottom = -1, top = -1, bestWeight = 0, weight = 0;
    for (int y = 0; y <= ink.rows; ++y) {
        const bool on = y < ink.rows && rowInk.at<int>(y) >= rowMin;
        if (on) {
            if (top < 0) {
                top = y;
                weight = 0;
            }
            weight += rowInk.at<int>(y);
        } else if (top >= 0) {
            if (weight > bestWeight) {
                bestWeight = weight;
                bestTop = top;
                bestBottom = y;
            }
            top = -1;
        }
    }
    const int lineHeight = bestBottom - bestTop;
    if (bestTop < 0 || lineHeight < 12)
        return {};
    // Columns within the line: the widest run of ink whose gaps are narrower than a
    // character, so that a stray end of the label or the card's edge falls away.
    cv::Mat colInk;
    cv::reduce(ink.rowRange(bestTop, bestBottom), colInk, 0, cv::REDUCE_SUM, CV_32S);
    const int maxGap = std::max(8, int(lineHeight * 0.9));
    int bestLeft = -1, bestRight = -1, left = -1, lastOn = -1;
    auto closeRun = [&] {
        if (left >= 0 && lastOn + 1 - left > bestRight - bestLeft) {
            bestLeft = left;
            bestRight = lastOn + 1;
        }
    };
    for (int x = 0; x < ink.cols; ++x) {
        if (colInk.at<int>(x) == 0)
            continue;
        if (left < 0 || x - lastOn > maxGap) {
            closeRun();
            left = x;
        }
        lastOn = x;
    }
    closeRun();
    if (bestLeft < 0)
        return {};
    const int pad = std::max(4, lineHeight / 3);
    const cv::Rect line = cv::Rect(bestLeft - pad, bestTop - pad, bestRight - bestLeft + 2 * pad, lineHeight + 2 * pad)
        & cv::Rect(0, 0, roi.cols, roi.rows);
    Line out;
    out.length = double(bestRight - bestLeft) / lineHeight;
    if (out.length < minLineLength)
        return out;
    const double scale = double(lineHeightPx) / double(lineHeight);
    cv::resize(roi(line), out.image, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    // A white margin: tesseract reads a line best with some paper around it.
    cv::copyMakeBorder(out.image, out.image, 8, 8, 12, 12, cv::BORDER_CONSTANT, cv::Scalar(255));
    cv::resize(roi(line), out.larger, cv::Size(), 1.3 * scale, 1.3 * scale, cv::INTER_CUBIC);
    cv::copyMakeBorder(out.larger, out.larger, 10, 10, 16, 16, cv::BORDER_CONSTANT, cv::Scalar(255));
    return out;
}

/// Debian's tesseract runs its LSTM on OpenMP threads with a fixed thread count; on the
/// kiosk's two cores, shared with the camera and the UI, they spin against each other and a
/// line took 100 ms instead of 20–30 ms. Dynamic threads let OpenMP use fewer threads when
/// the cores are busy (OMP_THREAD_LIMIT=1 in the environment does the same). The setting
/// belongs to the calling thread, so it is made before each reading. Looked up at run time:
/// pingyi_vision does not link OpenMP itself.
void oneOcrThread()
{
    using SetInt = void (*)(int);
    static const auto setDynamic = reinterpret_cast<SetInt>(dlsym(RTLD_DEFAULT, "omp_set_dynamic"));
    if (setDynamic)
        setDynamic(1);
}

} // namespace

struct IdCardReader::Impl {
    tesseract::TessBaseAPI api;
    bool ready = false;
    QString why;

    /// The digits and X read on the line, nothing else.
    QString ocr(const cv::Mat &line)
    {
        oneOcrThread();
        api.SetImage(line.data, line.cols, line.rows, 1, int(line.step[0]));
        api.SetSourceResolution(300);
        const std::unique_ptr<char[]> text(api.GetUTF8Text());
        api.Clear();
        QString out;
        for (QChar c : QString::fromUtf8(text ? text.get() : "")) {
            if (c.isDigit() || c == u'X' || c == u'x')
                out += c.toUpper();
        }
        return out;
    }
};

IdCardReader::IdCardReader(const QString &tessdata) : m_impl(std::make_unique<Impl>())
{
    QString dir = tessdata;
    if (dir.isEmpty() && QFileInfo::exists(QStringLiteral("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata")))
        dir = QStringLiteral("/usr/share/tesseract-ocr/5/tessdata");
    if (!dir.isEmpty() && !QFileInfo::exists(QDir(dir).filePath(QStringLiteral("eng.traineddata")))) {
        m_impl->why = QStringLiteral("tesseract's English data is missing: no eng.traineddata in %1; install "
                                     "tesseract-ocr-eng or pass the folder that holds it")
                          .arg(dir);
        return;
    }
    // Dictionaries only get in the way of a line of digits, and can only be turned off at
    // initialisation.
    std::vector<std::string> names {"load_system_dawg", "load_freq_dawg", "debug_file"};
    std::vector<std::string> values {"0", "0", "/dev/null"};
    const QByteArray path = dir.toLocal8Bit();
    if (m_impl->api.Init(dir.isEmpty() ? nullptr : path.constData(), "eng", tesseract::OEM_LSTM_ONLY, nullptr, 0,
                         &names, &values, false)
        != 0) {
        m_impl->why = QStringLiteral("tesseract could not load its English data from %1; check the installation of "
                                     "tesseract-ocr-eng")
                          .arg(dir.isEmpty() ? QStringLiteral("its default folder") : dir);
        return;
    }
    m_impl->api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    m_impl->api.SetVariable("tessedit_char_whitelist", "0123456789X");
    m_impl->ready = true;
}

IdCardReader::~IdCardReader()
{
    if (m_impl && m_impl->ready)
        m_impl->api.End();
}

bool IdCardReader::ready() const
{
    return m_impl->ready;
}

QString IdCardReader::why() const
{
    return m_impl->why;
}

IdLineRead IdCardReader::read(const cv::Mat &image)
{
    IdLineRead out;
    if (image.empty() || image.depth() != CV_8U)
        return out;
    cv::Mat gray;
    if (image.channels() == 1)
        gray = image;
    else
        cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
    const auto quad = findCard(gray);
    if (!quad)
        return out;
    out.kind = IdLineRead::Kind::CardOnly;
    if (!m_impl->ready)
        return out;
    const cv::Point2f target[4] = {{0, 0}, {cardWidth - 1, 0}, {cardWidth - 1, cardHeight - 1}, {0, cardHeight - 1}};
    cv::Mat card;
    cv::warpPerspective(gray, card, cv::getPerspectiveTransform(quad->data(), target), cv::Size(cardWidth, cardHeight),
                        cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    // Upside down is as likely as upright on a table. The band of the turned card holds the
    // name line, much shorter than 18 characters, so the longer line is read first and the
    // other only if it too could be a number.
    cv::Mat turned;
    cv::rotate(card, turned, cv::ROTATE_180);
    Line lines[2] = {numberLine(card), numberLine(turned)};
    if (lines[1].length > lines[0].length)
        std::swap(lines[0], lines[1]);
    for (const Line &line : lines) {
        if (line.image.empty())
            continue;
        const QString number = m_impl->ocr(line.image);
        // Blur turns 0 into 6 or 8 consistently enough that two misreads can satisfy the
        // check character together (7 in 1000 blurred hard cards); the same line read
        // again at another size must agree (2 in 1000), and the confirmer then asks the
        // next frames for the same.
        if (number.size() == 18 && idnumber::isValid(number) && m_impl->ocr(line.larger) == number) {
            out.kind = IdLineRead::Kind::Number;
            out.number = number;
            return out;
        }
    }
    return out;
}

std::optional<QString> IdNumberConfirmer::feed(const IdLineRead &read)
{
    if (read.kind != IdLineRead::Kind::Number || read.number.isEmpty()) {
        reset();
        return std::nullopt;
    }
    if (read.number != m_candidate) {
        m_candidate = read.number;
        m_streak = 0;
    }
    ++m_streak;
    if (m_streak == std::max(1, m_needed))
        return m_candidate;
    return std::nullopt;
}

void IdNumberConfirmer::reset()
{
    m_candidate.clear();
    m_streak = 0;
}

} // namespace pingyi::vision
