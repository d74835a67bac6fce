#include "faceevidence.h"

#include "facealigner.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace pingyi::vision {

face::Embedding toCore(const FaceEmbedding &e)
{
    static_assert(FaceEmbedding::size == face::embeddingSize);
    face::Embedding out;
    std::copy(e.values.begin(), e.values.end(), out.values.begin());
    return out;
}

face::ProbeQuality toCore(const FaceQuality &q)
{
    return {q.heightRatio, q.eyeDistance, q.brightness, q.sharpness, q.yaw, q.roll};
}

face::Probe makeProbe(const FaceDetection &face, const FaceEmbedding &embedding, int facesInFrame)
{
    face::Probe p;
    p.embedding = toCore(embedding);
    p.quality = toCore(face.quality);
    p.facesInFrame = facesInFrame;
    return p;
}

FaceEnroller::FaceEnroller(const QString &modelDir)
    : m_near(modelDir, FaceDetector::Range::Near), m_far(modelDir, FaceDetector::Range::Far), m_embedder(modelDir)
{
}

bool FaceEnroller::ready() const
{
    return m_near.ready() && m_far.ready() && m_embedder.ready();
}

QString FaceEnroller::why() const
{
    if (!m_near.ready())
        return m_near.why();
    if (!m_far.ready())
        return m_far.why();
    return m_embedder.why();
}

namespace {

double iou(const cv::Rect2f &a, const cv::Rect2f &b)
{
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? double(inter / uni) : 0.0;
}

} // namespace

Result<face::Embedding> FaceEnroller::enrol(const cv::Mat &photo, const EnrolmentLimits &limits)
{
    if (!ready())
        return makeError(QStringLiteral("face-model"), why());
    if (photo.empty() || photo.type() != CV_8UC3)
        return makeError(QStringLiteral("face-none"), QStringLiteral("the photo is empty or not a colour image"));

    // Passport-style photos are cropped tight round the head; the detectors were trained on
    // faces with some surroundings, so the photo gets a margin of its own edge colours.
    const int margin = std::max(photo.cols, photo.rows) / 4;
    cv::Mat padded;
    cv::copyMakeBorder(photo, padded, margin, margin, margin, margin, cv::BORDER_REPLICATE);

    // A phone's 12-megapixel photo is searched at most 1280 pixels across (both models look
    // at 128 or 256 pixels anyway); what is found is measured and cut out at full size.
    constexpr int searchSide = 1280;
    const double scale = std::min(1.0, double(searchSide) / std::max(padded.cols, padded.rows));
    cv::Mat search = padded;
    if (scale < 1.0)
        cv::resize(padded, search, cv::Size(), scale, scale, cv::INTER_AREA);
    const auto fullSize = [&](std::vector<FaceDetection> found) {
        if (scale < 1.0) {
            for (FaceDetection &f : found) {
                f.box = cv::Rect2f(f.box.x / float(scale), f.box.y / float(scale), f.box.width / float(scale),
                                   f.box.height / float(scale));
                for (cv::Point2f &k : f.keypoints)
                    k *= 1.0f / float(scale);
                f.quality = measureFaceQuality(padded, f);
            }
        }
        return found;
    };

    // The near model finds a face that fills the photo, the far model small ones (a group
    // photo, a face far behind): together they count the faces.
    std::vector<FaceDetection> faces = fullSize(m_near.detect(search));
    for (const FaceDetection &f : fullSize(m_far.detect(search))) {
        const bool known
            = std::any_of(faces.begin(), faces.end(), [&f](const FaceDetection &g) { return iou(f.box, g.box) > 0.3; });
        if (!known)
            faces.push_back(f);
    }
    if (faces.empty())
        return makeError(QStringLiteral("face-none"),
                         QStringLiteral("no face found in the photo: use a photo of the face from the front"));
    const auto largest
        = std::max_element(faces.begin(), faces.end(),
                           [](const FaceDetection &a, const FaceDetection &b) { return a.box.height < b.box.height; });
    const FaceDetection face = *largest;
    const auto counted = std::count_if(faces.begin(), faces.end(), [&](const FaceDetection &f) {
        return f.box.height >= limits.otherFaceShare * face.box.height;
    });
    if (counted > 1)
        return makeError(QStringLiteral("face-many"),
                         QStringLiteral("%1 faces in the photo: use a photo of the representative alone").arg(counted));
    if (face.quality.eyeDistance < limits.minEyeDistance)
        return makeError(QStringLiteral("face-too-small"),
                         QStringLiteral("the face is too small (eyes %1 pixels apart, at least %2 needed): use a "
                                        "larger photo or crop it closer to the face")
                             .arg(qRound(face.quality.eyeDistance))
                             .arg(qRound(limits.minEyeDistance)));
    if (face.quality.sharpness < limits.minSharpness)
        return makeError(QStringLiteral("face-blurred"),
                         QStringLiteral("the face is too blurred: use a sharper photo"));
    if (std::abs(face.quality.yaw) > limits.maxYaw)
        return makeError(QStringLiteral("face-not-frontal"),
                         QStringLiteral("the face is turned aside: use a photo taken from the front"));
    const Result<FaceEmbedding> e = m_embedder.embed(FaceAligner::align(padded, face));
    if (!e)
        return e.error();
    return toCore(*e);
}

} // namespace pingyi::vision
