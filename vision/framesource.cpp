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

bool naturalLess(const QString &a, const QString &b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a.at(i).isDigit() && b.at(j).isDigit()) {
            const qsizetype si = i;
            const qsizetype sj = j;
            while (i < a.size() && a.at(i).isDigit())
                ++i;
            while (j < b.size() && b.at(j).isDigit())
                ++j;
            // Compare the numbers without converting (no overflow): leading zeros aside,
            // the longer run is the larger number.
            QStringView x = QStringView(a).mid(si, i - si);
            QStringView y = QStringView(b).mid(sj, j - sj);
            while (x.size() > 1 && x.front() == u'0')
                x = x.mid(1);
            while (y.size() > 1 && y.front() == u'0')
                y = y.mid(1);
            if (x.size() != y.size())
                return x.size() < y.size();
            if (const int c = x.compare(y); c != 0)
                return c < 0;
            continue;
        }
        if (a.at(i) != b.at(j))
            return a.at(i) < b.at(j);
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j))
        return (a.size() - i) < (b.size() - j);
    return a < b; // equal as numbers ("frame01", "frame1"): a fixed order all the same
}

FrameSourceFactory replayFactory(const QString &path, double framesPerSecond, bool loop)
{
    return [path, framesPerSecond, loop]() -> std::unique_ptr<FrameSource> {
        return std::make_unique<ReplaySource>(path, framesPerSecond, loop);
    };
}

} // namespace pingyi::vision
