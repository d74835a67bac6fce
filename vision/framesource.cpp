#include "framesource.h"

#include "camerasource.h"
#include "replaysource.h"

namespace pingyi::vision {

FrameSourceFactory cameraFactory(const QString &device, int width, int height)
{
    return [device, width, height]() -> std::unique_ptr<FrameSource> {
        return std::make_unique<CameraSource>(device, width, height);
    };
}

FrameSourceFactory replayFactory(const QString &path, double framesPerSecond, bool loop)
{
    return [path, framesPerSecond, loop]() -> std::unique_ptr<FrameSource> {
        return std::make_unique<ReplaySource>(path, framesPerSecond, loop);
    };
}

} // namespace pingyi::vision
