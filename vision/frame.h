#pragma once
// One camera frame, in memory only: nothing from the camera is ever written to disk or to a
// log (docs/identity.md §Privacy).

#include <opencv2/core/mat.hpp>

#include <cstdint>

namespace pingyi::vision {

struct Frame {
    /// 8-bit, 3-channel BGR (OpenCV's order), or empty when no frame was read.
    cv::Mat image;
    /// Counts frames from 1 since the source was opened (0: none yet).
    std::uint64_t number = 0;

    bool empty() const { return image.empty(); }
};

} // namespace pingyi::vision
