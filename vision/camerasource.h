#pragma once
// A V4L2 camera through OpenCV's VideoCapture, chosen by device path or index, at a set
// resolution.

#include "framesource.h"

#include <opencv2/videoio.hpp>

namespace pingyi::vision {

class CameraSource final : public FrameSource {
public:
    /// `device`: "/dev/videoN", "N", or empty for the first /dev/video* present.
    explicit CameraSource(QString device, int width = 640, int height = 480);
    ~CameraSource() override;

    Status open() override;
    Result<Frame> read() override;
    void close() override;
    QString describe() const override;

private:
    QString m_device;
    QString m_path; // the node opened: m_device resolved ("0" → /dev/video0, "" → the first)
    int m_width;
    int m_height;
    cv::VideoCapture m_capture;
    std::uint64_t m_count = 0;
    bool m_grabbed = false; // open() grabbed a first frame that read() has not retrieved yet
};

} // namespace pingyi::vision
