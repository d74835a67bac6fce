#pragma once
// Faces in a camera frame: MediaPipe's BlazeFace (as ONNX, run by OpenCV's cv::dnn) finds
// each face's box and six keypoints; each detection also carries measurements a quality gate
// can use (size in the frame, brightness, sharpness, how frontal). Evidence only: whether a
// face is good enough, or whose it is, is decided elsewhere. Nothing here is logged or kept.

#include "frame.h"

#include <opencv2/core/types.hpp>

#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace pingyi::vision {

/// BlazeFace's keypoints, in its order. "Right" and "left" are the person's own: on an
/// unmirrored camera image the person's right eye is on the image's left.
enum class FaceKeypoint { RightEye = 0, LeftEye, NoseTip, Mouth, RightEar, LeftEar };
inline constexpr int faceKeypointCount = 6;

/// Measured on one detection, for the quality gate; no thresholds here.
struct FaceQuality {
    /// Box height ÷ frame height (0.5: the face fills half the frame's height).
    double heightRatio = 0;
    /// Distance between the eye keypoints, in pixels of the frame.
    double eyeDistance = 0;
    /// Mean grey level (0–255) inside the box.
    double brightness = 0;
    /// Variance of the Laplacian of the box scaled to 128×128 grey: low means blurred
    /// (comparable between near and far faces because of the fixed scale).
    double sharpness = 0;
    /// Nose offset along the eye axis ÷ half the eye distance: 0 frontal; positive when the
    /// nose is towards the image's right (the person turned to their left, on an unmirrored
    /// camera); about ±1 at a quarter turn.
    double yaw = 0;
    /// Angle of the eye axis from the horizontal, in degrees (positive: clockwise on screen).
    double roll = 0;
};

struct FaceDetection {
    /// In frame pixels (may reach past the frame's edges for a face cut off by them).
    cv::Rect2f box;
    std::array<cv::Point2f, faceKeypointCount> keypoints {};
    /// BlazeFace's confidence, 0–1.
    float score = 0;
    FaceQuality quality;

    cv::Point2f keypoint(FaceKeypoint k) const { return keypoints[size_t(k)]; }
};

class FaceDetector {
public:
    enum class Range {
        Near, ///< the 128×128 model: one person in front of the kiosk
        Far, ///< the 256×256 model: small faces (group photos, a distant camera), about 5× slower
    };

    /// Loads the model from `modelDir` (findFaceModels()). Not thread-safe: one per thread.
    explicit FaceDetector(const QString &modelDir, Range range = Range::Near);
    ~FaceDetector();
    FaceDetector(FaceDetector &&) noexcept;
    FaceDetector &operator=(FaceDetector &&) noexcept;

    /// False (with why()) when the model file is missing or OpenCV cannot load it.
    bool ready() const;
    QString why() const;
    Range range() const;

    /// Faces in a BGR frame, best score first; those scoring below `minScore` are dropped.
    std::vector<FaceDetection> detect(const cv::Mat &bgr, float minScore = 0.5f);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Quality measures of a detection in its frame (detect() already fills them; for a
/// detection moved or made by hand).
FaceQuality measureFaceQuality(const cv::Mat &bgr, const FaceDetection &face);

} // namespace pingyi::vision
