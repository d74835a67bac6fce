#include "facedetector.h"

#include "facemodels.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace pingyi::vision {

namespace {

// BlazeFace's anchors: one per cell centre, 2 per cell on a 16×16 grid then 6 per cell on an
// 8×8 grid (896), for both the 128 and the 256 model. Its regressors are offsets from the
// anchor in input pixels: box centre x, y, width, height, then x, y of each keypoint.
constexpr int regressorSize = 4 + 2 * faceKeypointCount;
constexpr int anchorCount = 16 * 16 * 2 + 8 * 8 * 6;
// Detections overlapping the best one by more than this are merged into it (MediaPipe's value).
constexpr float mergeOverlap = 0.3f;

std::vector<cv::Point2f> makeAnchors()
{
    std::vector<cv::Point2f> anchors;
    anchors.reserve(anchorCount);
    for (const auto &[grid, perCell] : {std::pair {16, 2}, std::pair {8, 6}}) {
        for (int y = 0; y < grid; ++y)
            for (int x = 0; x < grid; ++x)
                for (int k = 0; k < perCell; ++k)
                    anchors.emplace_back((float(x) + 0.5f) / float(grid), (float(y) + 0.5f) / float(grid));
    }
    return anchors;
}

float sigmoid(float x)
{
    return 1.0f / (1.0f + std::exp(-std::clamp(x, -100.0f, 100.0f)));
}

float overlap(const cv::Rect2f &a, const cv::Rect2f &b)
{
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.0f;
}

/// MediaPipe's weighted non-maximum suppression: each kept face is the score-weighted mean of
/// every candidate overlapping the best remaining one, with the best one's score.
std::vector<FaceDetection> mergeOverlapping(std::vector<FaceDetection> candidates)
{
    std::sort(candidates.begin(), candidates.end(),
              [](const FaceDetection &a, const FaceDetection &b) { return a.score > b.score; });
    std::vector<FaceDetection> kept;
    std::vector<bool> used(candidates.size(), false);
    for (size_t i = 0; i < candidates.size(); ++i) {
        if (used[i])
            continue;
        const FaceDetection &best = candidates[i];
        double total = 0, x = 0, y = 0, w = 0, h = 0;
        std::array<cv::Point2d, faceKeypointCount> points {};
        for (size_t j = i; j < candidates.size(); ++j) {
            if (used[j] || overlap(best.box, candidates[j].box) <= mergeOverlap)
                continue;
            used[j] = true;
            const FaceDetection &c = candidates[j];
            const double s = c.score;
            total += s;
            x += s * c.box.x;
            y += s * c.box.y;
            w += s * c.box.width;
            h += s * c.box.height;
            for (int k = 0; k < faceKeypointCount; ++k)
                points[size_t(k)] += s * cv::Point2d(c.keypoints[size_t(k)]);
        }
        FaceDetection merged = best;
        merged.box = cv::Rect2f(float(x / total), float(y / total), float(w / total), float(h / total));
        for (int k = 0; k < faceKeypointCount; ++k)
            merged.keypoints[size_t(k)] = cv::Point2f(points[size_t(k)] * (1.0 / total));
        kept.push_back(merged);
    }
    return kept;
}

} // namespace

struct FaceDetector::Impl {
    Range range = Range::Near;
    int size = 128;
    cv::dnn::Net net;
    std::vector<cv::String> outputNames;
    std::vector<cv::Point2f> anchors = makeAnchors();
    QString why;
};

FaceDetector::FaceDetector(const QString &modelDir, Range range) : m_impl(std::make_unique<Impl>())
{
    m_impl->range = range;
    m_impl->size = range == Range::Near ? 128 : 256;
    const QString path = QDir(modelDir).filePath(
        QString::fromLatin1(range == Range::Near ? facemodel::detectorNear : facemodel::detectorFar));
    if (!QFileInfo(path).isFile()) {
        m_impl->why = QStringLiteral("The face detection model %1 is missing. Run ./scripts/fetch-models.").arg(path);
        return;
    }
    try {
        m_impl->net = cv::dnn::readNetFromONNX(path.toStdString());
        m_impl->outputNames = m_impl->net.getUnconnectedOutLayersNames();
    } catch (const cv::Exception &e) {
        m_impl->why = QStringLiteral("OpenCV could not load the face detection model %1: %2")
                          .arg(path, QString::fromStdString(e.msg));
        m_impl->net = {};
        return;
    }
    if (m_impl->outputNames.size() != 4) {
        m_impl->why = QStringLiteral("%1 is not the BlazeFace model this program expects (%2 outputs, not 4). "
                                     "Run ./scripts/fetch-models, which checks the models' checksums.")
                          .arg(path)
                          .arg(m_impl->outputNames.size());
        m_impl->net = {};
    }
}

FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector &&) noexcept = default;
FaceDetector &FaceDetector::operator=(FaceDetector &&) noexcept = default;

bool FaceDetector::ready() const
{
    return !m_impl->net.empty();
}

QString FaceDetector::why() const
{
    return m_impl->why;
}

FaceDetector::Range FaceDetector::range() const
{
    return m_impl->range;
}

std::vector<FaceDetection> FaceDetector::detect(const cv::Mat &bgr, float minScore)
{
    if (!ready() || bgr.empty() || bgr.type() != CV_8UC3)
        return {};
    const int n = m_impl->size;

    // Letterbox: the whole frame scaled into n×n, centred, black bars (-1 after scaling).
    const double scale = double(n) / std::max(bgr.cols, bgr.rows);
    const int w = std::max(1, int(std::lround(bgr.cols * scale)));
    const int h = std::max(1, int(std::lround(bgr.rows * scale)));
    const int padX = (n - w) / 2, padY = (n - h) / 2;
    cv::Mat boxed(n, n, CV_8UC3, cv::Scalar::all(0));
    cv::Mat scaled;
    cv::resize(bgr, scaled, cv::Size(w, h), 0, 0, cv::INTER_AREA);
    cv::cvtColor(scaled, boxed(cv::Rect(padX, padY, w, h)), cv::COLOR_BGR2RGB);
    // NHWC float in [-1, 1]: the interleaved RGB image already has that memory layout.
    cv::Mat hwc;
    boxed.convertTo(hwc, CV_32FC3, 1.0 / 127.5, -1.0);
    const int shape[] = {1, n, n, 3};
    const cv::Mat input(4, shape, CV_32F, hwc.data);

    std::vector<cv::Mat> outs;
    m_impl->net.setInput(input);
    m_impl->net.forward(outs, m_impl->outputNames);

    // Outputs, told apart by size: scores 512 and 384, regressors 512×16 and 384×16.
    const cv::Mat *scores[2] = {nullptr, nullptr}, *boxes[2] = {nullptr, nullptr};
    for (const cv::Mat &o : outs) {
        const size_t t = o.total();
        if (t == 512)
            scores[0] = &o;
        else if (t == 384)
            scores[1] = &o;
        else if (t == 512 * regressorSize)
            boxes[0] = &o;
        else if (t == 384 * regressorSize)
            boxes[1] = &o;
    }
    if (!scores[0] || !scores[1] || !boxes[0] || !boxes[1])
        return {};

    // Input pixels → frame pixels.
    const auto toFrame = [&](float x, float y) {
        return cv::Point2f(float((x - padX) / scale), float((y - padY) / scale));
    };
    std::vector<FaceDetection> candidates;
    int anchor = 0;
    for (int part = 0; part < 2; ++part) {
        const auto *s = scores[part]->ptr<float>();
        const auto *r = boxes[part]->ptr<float>();
        const int count = int(scores[part]->total());
        for (int i = 0; i < count; ++i, ++anchor) {
            const float score = sigmoid(s[i]);
            if (score < minScore)
                continue;
            const float *reg = r + size_t(i) * regressorSize;
            const cv::Point2f a = m_impl->anchors[size_t(anchor)] * float(n);
            FaceDetection d;
            d.score = score;
            const cv::Point2f centre = toFrame(a.x + reg[0], a.y + reg[1]);
            const float bw = float(reg[2] / scale), bh = float(reg[3] / scale);
            d.box = cv::Rect2f(centre.x - bw / 2, centre.y - bh / 2, bw, bh);
            for (int k = 0; k < faceKeypointCount; ++k)
                d.keypoints[size_t(k)] = toFrame(a.x + reg[4 + 2 * k], a.y + reg[5 + 2 * k]);
            candidates.push_back(d);
        }
    }
    std::vector<FaceDetection> faces = mergeOverlapping(std::move(candidates));
    for (FaceDetection &f : faces)
        f.quality = measureFaceQuality(bgr, f);
    return faces;
}

FaceQuality measureFaceQuality(const cv::Mat &bgr, const FaceDetection &face)
{
    FaceQuality q;
    if (bgr.empty())
        return q;
    q.heightRatio = face.box.height / double(bgr.rows);

    // The eye axis runs from the eye on the image's left to the one on its right, so that a
    // mirrored image gives the opposite yaw and roll.
    cv::Point2d a(face.keypoint(FaceKeypoint::RightEye)), b(face.keypoint(FaceKeypoint::LeftEye));
    if (a.x > b.x)
        std::swap(a, b);
    const cv::Point2d axis = b - a;
    q.eyeDistance = std::hypot(axis.x, axis.y);
    q.roll = std::atan2(axis.y, axis.x) * 180.0 / CV_PI;
    if (q.eyeDistance > 0) {
        const cv::Point2d unit = axis * (1.0 / q.eyeDistance);
        const cv::Point2d nose = cv::Point2d(face.keypoint(FaceKeypoint::NoseTip)) - (a + b) * 0.5;
        q.yaw = nose.dot(unit) / (q.eyeDistance / 2);
    }

    const cv::Rect box = cv::Rect(face.box) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (box.width < 2 || box.height < 2)
        return q;
    cv::Mat grey, fixed, lap;
    cv::cvtColor(bgr(box), grey, cv::COLOR_BGR2GRAY);
    q.brightness = cv::mean(grey)[0];
    cv::resize(grey, fixed, cv::Size(128, 128), 0, 0, cv::INTER_AREA);
    cv::Laplacian(fixed, lap, CV_32F);
    cv::Scalar mean, stddev;
    cv::meanStdDev(lap, mean, stddev);
    q.sharpness = stddev[0] * stddev[0];
    return q;
}

} // namespace pingyi::vision
