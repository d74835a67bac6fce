#pragma once
// Where frames come from: a real camera (camerasource.h) or a replay of saved images or a
// video (replaysource.h, for tests, demos and rehearsals). The camera thread
// (cameraservice.h) opens a source, reads it until it fails, and opens it again later, so a
// camera unplugged mid-session recovers without a restart.

#include "frame.h"
#include "result.h"

#include <QString>

#include <functional>
#include <memory>

namespace pingyi::vision {

/// Stable error codes a source returns (Error::code).
namespace sourceerror {
inline constexpr auto missing = "camera-missing"; ///< no such device / folder / file
inline constexpr auto busy = "camera-busy"; ///< the device exists but another program holds it
inline constexpr auto denied = "camera-denied"; ///< the device exists but this user may not open it
inline constexpr auto unplugged = "camera-unplugged"; ///< reading failed after a good start
inline constexpr auto ended = "camera-ended"; ///< a replay without looping has no more frames
} // namespace sourceerror

class FrameSource {
public:
    virtual ~FrameSource() = default;

    /// Opens the device or the replay. Errors: missing, busy, denied.
    virtual Status open() = 0;
    /// The next frame; blocks for at most about one frame interval. Errors: unplugged, ended.
    virtual Result<Frame> read() = 0;
    virtual void close() = 0;
    /// For the staff dashboard and logs: "/dev/video0", "replay of 12 images" — never a frame.
    virtual QString describe() const = 0;
};

/// Makes a fresh source each time the camera thread (re)opens one.
using FrameSourceFactory = std::function<std::unique_ptr<FrameSource>()>;

/// `spec` as pingyi-kiosk takes it: "--camera DEV" (a device path such as /dev/video0, or an
/// index such as 0) or "--replay PATH" (a folder of images or a video file). An empty camera
/// spec means the first /dev/video* device.
FrameSourceFactory cameraFactory(const QString &device, int width = 640, int height = 480);
FrameSourceFactory replayFactory(const QString &path, double framesPerSecond = 15.0, bool loop = true);

/// Name order with runs of digits compared as numbers (frame2 before frame10, video2 before
/// video10), independent of the locale: the order replays and "the first camera" use.
bool naturalLess(const QString &a, const QString &b);

} // namespace pingyi::vision
