#pragma once
// The 18-character number on a resident ID card (GB 11643), read by the camera: find the
// card, crop its number line, read it with tesseract (psm 7, whitelist 0-9X). A number is
// reported only when its check digit holds; IdNumberConfirmer hands it on only when several
// consecutive frames read the same number, and the representative confirms it on screen
// before it is used. A number that fails its check digit is never shown as read.

#include "frame.h"

#include <QString>

#include <memory>
#include <optional>

namespace pingyi::vision {

struct IdLineRead {
    enum class Kind {
        NoCard, ///< no card in view
        CardOnly, ///< a card is in view but no number with a valid check digit was read
        Number, ///< `number` holds 17 digits and a check character that holds
    };
    Kind kind = Kind::NoCard;
    QString number;
};

class IdCardReader {
public:
    /// `tessdata`: the folder holding eng.traineddata; empty for tesseract's default.
    explicit IdCardReader(const QString &tessdata = {});
    ~IdCardReader();
    IdCardReader(const IdCardReader &) = delete;
    IdCardReader &operator=(const IdCardReader &) = delete;

    /// False (with why()) when tesseract or its English data is missing.
    bool ready() const;
    QString why() const;

    IdLineRead read(const cv::Mat &image);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Several consecutive frames must read the same valid number.
class IdNumberConfirmer {
public:
    explicit IdNumberConfirmer(int framesNeeded = 3) : m_needed(framesNeeded) { }

    /// The number once `framesNeeded` consecutive reads agree (once per streak), else nothing.
    /// A frame with another number or no number starts the count again.
    std::optional<QString> feed(const IdLineRead &read);
    void reset();

private:
    int m_needed;
    QString m_candidate;
    int m_streak = 0;
};

} // namespace pingyi::vision
