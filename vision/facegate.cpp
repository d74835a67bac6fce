#include "facegate.h"

#include <algorithm>
#include <cmath>

namespace pingyi::vision {

FaceGateResult judgeFaces(const std::vector<FaceDetection> &faces, cv::Size frameSize, const FaceGateLimits &limits)
{
    FaceGateResult r;
    if (faces.empty() || frameSize.height <= 0)
        return r;
    std::vector<const FaceDetection *> bySize;
    for (const FaceDetection &f : faces)
        bySize.push_back(&f);
    std::sort(bySize.begin(), bySize.end(),
              [](const FaceDetection *a, const FaceDetection *b) { return a->box.height > b->box.height; });
    r.face = *bySize.front();
    const FaceQuality &q = r.face.quality;
    if (bySize.size() > 1 && bySize[1]->box.height >= limits.secondFaceShare * r.face.box.height) {
        r.advice = FaceAdvice::MoreThanOne;
        return r;
    }
    // Cut by the frame's edge: part of the face is missing, so it is too close (or aside).
    const cv::Rect2f frame(0, 0, float(frameSize.width), float(frameSize.height));
    const cv::Rect2f inside = r.face.box & frame;
    const bool cut = inside.area() < 0.9f * r.face.box.area();
    if (q.heightRatio > limits.maxHeight || cut)
        r.advice = FaceAdvice::TooClose;
    else if (q.heightRatio < limits.minHeight)
        r.advice = FaceAdvice::TooFar;
    else if (q.brightness < limits.minBrightness)
        r.advice = FaceAdvice::TooDark;
    else if (std::abs(q.yaw) > limits.maxYaw || std::abs(q.roll) > limits.maxRoll)
        r.advice = FaceAdvice::NotFrontal;
    else if (q.sharpness < limits.minSharpness)
        r.advice = FaceAdvice::Blurred;
    else
        r.advice = FaceAdvice::Ok;
    return r;
}

QString faceGuidanceCode(FaceAdvice advice)
{
    switch (advice) {
    case FaceAdvice::Ok:
        return {};
    case FaceAdvice::NoFace:
        return QStringLiteral("face-none");
    case FaceAdvice::MoreThanOne:
        return QStringLiteral("face-many");
    case FaceAdvice::TooFar:
        return QStringLiteral("face-far");
    case FaceAdvice::TooClose:
        return QStringLiteral("face-close");
    case FaceAdvice::TooDark:
        return QStringLiteral("face-dark");
    case FaceAdvice::Blurred:
        return QStringLiteral("face-blur");
    case FaceAdvice::NotFrontal:
        return QStringLiteral("face-turn");
    }
    return {};
}

} // namespace pingyi::vision
