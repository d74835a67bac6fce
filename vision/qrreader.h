#pragma once
// Invitation-card QR codes seen by the camera: zxing-cpp (QR only, try-rotate) on the
// frame's luminance. A code that is seen but cannot be read (glare from a phone screen, a
// finger over it, too far) gives guidance, never a refusal; a code read is handed on once,
// then the same code is ignored for a pause (QrDebouncer).

#include "frame.h"

#include <QString>

#include <chrono>
#include <optional>

namespace pingyi::vision {

struct QrRead {
    enum class Kind {
        Nothing, ///< no code in view
        Decoded, ///< `text` holds the code's text
        Unreadable, ///< a code is in view but could not be read (partly covered, blurred, too small)
        Glare, ///< a bright reflection covers the middle of the view (a phone screen, laminated card)
    };
    Kind kind = Kind::Nothing;
    QString text;
};

class QrReader {
public:
    QrRead read(const cv::Mat &image) const;
};

/// One code read once, then a pause: the same text is not handed on again until it has been
/// out of view for `pause`, or `pause` has passed since it was handed on.
class QrDebouncer {
public:
    using Clock = std::chrono::steady_clock;
    explicit QrDebouncer(std::chrono::milliseconds pause = std::chrono::milliseconds(3000)) : m_pause(pause) { }

    /// The text to act on now, or nothing.
    std::optional<QString> accept(const QrRead &read, Clock::time_point now = Clock::now());
    void reset();

private:
    std::chrono::milliseconds m_pause;
    QString m_last;
    Clock::time_point m_lastSeen {};
    Clock::time_point m_handedOn {};
};

} // namespace pingyi::vision
