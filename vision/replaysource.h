#pragma once
// Plays a folder of images (sorted by name) or a video file at a given rate, as if a camera
// delivered them: for tests, the demo and rehearsals.

#include "framesource.h"

#include <opencv2/videoio.hpp>

#include <QStringList>

#include <chrono>

namespace pingyi::vision {

class ReplaySource final : public FrameSource {
public:
    /// `framesPerSecond` <= 0 delivers frames as fast as they are asked for (tests).
    explicit ReplaySource(QString path, double framesPerSecond = 15.0, bool loop = true);
    ~ReplaySource() override;

    Status open() override;
    Result<Frame> read() override;
    void close() override;
    QString describe() const override;

private:
    Result<Frame> readImage();
    Result<Frame> ended();
    void pace(); // sleeps until the next frame is due
    bool openVideo();

    QString m_path;
    double m_fps;
    bool m_loop;
    QStringList m_images; // a folder's images, or empty for a video
    qsizetype m_next = 0;
    cv::VideoCapture m_video;
    std::uint64_t m_count = 0;
    std::chrono::steady_clock::time_point m_due;
};

} // namespace pingyi::vision
