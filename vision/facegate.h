#pragma once
// The quality gate in front of face matching: from the faces found in one camera frame, what
// the person should do before a comparison can be trusted (come closer, move back, face the
// camera, more light, hold still, one person at a time). Evidence in, advice out: whether a
// face matches is decided in core from embeddings taken only when the advice is Ok.

#include "facedetector.h"

#include <QString>

#include <vector>

namespace pingyi::vision {

/// The limits of a usable face in a kiosk frame. Measured on dlib's example faces placed in
/// synthetic 640×480 frames (tests/vision/test_facegate.cpp prints the values; docs/identity.md).
struct FaceGateLimits {
    double minHeight = 0.25; ///< face box height ÷ frame height: smaller is "too far"
    double maxHeight = 0.72; ///< larger (or cut by the frame's edge) is "too close"
    double minBrightness = 55; ///< mean grey in the box: darker is "too dark"
    double minSharpness = 48; ///< Laplacian variance at 128×128: lower is "blurred"
    double maxYaw = 0.45; ///< |yaw| above it is "not frontal"
    double maxRoll = 25; ///< degrees of head tilt
    /// A second face at least this share of the first's height is a second person in front
    /// of the kiosk (smaller ones, far behind, are ignored).
    double secondFaceShare = 0.6;
};

enum class FaceAdvice {
    Ok,
    NoFace,
    MoreThanOne,
    TooFar,
    TooClose,
    TooDark,
    Blurred,
    NotFrontal,
};

struct FaceGateResult {
    FaceAdvice advice = FaceAdvice::NoFace;
    /// The face the advice is about (the largest one); valid unless NoFace.
    FaceDetection face;
};

/// What to do about the faces of one frame (`frameSize`: its width and height).
FaceGateResult judgeFaces(const std::vector<FaceDetection> &faces, cv::Size frameSize,
                          const FaceGateLimits &limits = {});

/// The guidance code the camera service reports for an advice ("" for Ok): "face-none",
/// "face-many", "face-far", "face-close", "face-dark", "face-blur", "face-turn".
QString faceGuidanceCode(FaceAdvice advice);

} // namespace pingyi::vision
