#pragma once
// A detected face cut out as the recognition net expects it: a 150×150 chip with the eyes,
// nose tip and mouth where they sit in dlib's aligned face chips (the net was trained on
// those). A similarity transform (scale, rotation, shift) fitted to four keypoints by least
// squares, so a tilted head comes out level.

#include "facedetector.h"

#include <opencv2/core/mat.hpp>

namespace pingyi::vision {

class FaceAligner {
public:
    static constexpr int chipSize = 150;

    /// The keypoints' places in the chip, in the order right eye (image left), left eye,
    /// nose tip, mouth; measured by FaceDetector on dlib's 55 example chips.
    static std::array<cv::Point2f, 4> chipTemplate();

    /// The 2×3 transform from frame pixels to chip pixels for this face.
    static cv::Mat transform(const FaceDetection &face);

    /// The 150×150 BGR chip (the part of the face outside the frame is black).
    static cv::Mat align(const cv::Mat &bgr, const FaceDetection &face);
};

} // namespace pingyi::vision
