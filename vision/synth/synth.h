#pragma once
// Synthetic camera frames for tests, benchmarks and the demo's replay folder: an invitation
// card with its QR code, the portrait side of a resident ID card, an empty table, and a
// card laid on the table in a 640×480 BGR frame with the distortions a kiosk camera sees.
// Rendering uses Qt Gui's fonts, so a QGuiApplication must exist (QT_QPA_PLATFORM=offscreen
// is enough). Deterministic for a seed. Never linked by the kiosk.

#include "result.h"

#include <opencv2/core/mat.hpp>

#include <QColor>
#include <QDate>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <random>

namespace pingyi::vision::synth {

inline constexpr int frameWidth = 640;
inline constexpr int frameHeight = 480;

/// How a card lies in the frame. Positions are fractions of the card (0..1 across and down).
struct Distortion {
    double scale = 0.8; ///< the card's width as a fraction of the frame's width
    double rotation = 0; ///< degrees, clockwise
    double perspective = 0; ///< 0..0.4: how much the far edge shrinks (a tilted card)
    int perspectiveEdge = 0; ///< which edge is far: 0 top, 1 right, 2 bottom, 3 left
    QPointF offset; ///< the card's centre from the frame's centre, in pixels
    double blur = 0; ///< Gaussian sigma in pixels (out of focus, moving)
    double contrast = 1; ///< 1: as rendered; 0.3: a dim, washed-out view
    double brightness = 0; ///< added after the contrast, in grey levels
    double glare = 0; ///< radius of a saturated reflection, as a fraction of the card's width; 0: none
    QPointF glareAt {0.5, 0.5}; ///< the reflection's centre on the card
    QRectF occluder; ///< a thumb or hand over this part of the card; empty: none
    double noise = 0; ///< sensor noise, Gaussian sigma in grey levels
    int jpegQuality = 0; ///< a JPEG round trip at this quality (1..100); 0: none
};

/// The QR code of `text` (error correction M), black on white with a four-module quiet
/// zone, `module` pixels per module. Null if the text does not fit a QR code.
QImage renderQr(const QString &text, int module = 8, QColor light = Qt::white);

/// An invitation card (856×540, a paper tone) with its QR code on the right half.
QImage renderInvitationCard(const QString &credential);
/// Where renderInvitationCard() puts the code, as a fraction of the card.
QRectF invitationQrArea();

/// What is printed on the portrait side of a resident ID card.
struct IdCardFace {
    QString name;
    QString sex; ///< 男 or 女
    QString ethnicity; ///< 汉, 回, …
    QDate birth;
    QString address;
    QString number; ///< 18 characters, printed as given (a wrong check digit stays wrong)
    /// Print the number in DejaVu Sans Mono, whose dotted zero blurs into a 6 or an 8: a
    /// harder card than a real one, for stress tests of wrong reads.
    bool dottedZeros = false;
};

/// A valid GB 11643 number (region, birth date, sequence, check character).
QString randomIdNumber(std::mt19937_64 &rng);
/// `valid` with its check character replaced by a wrong one.
QString withWrongCheckCharacter(const QString &valid, std::mt19937_64 &rng);
/// A person to print: name, sex and birth date agree with `number` when it is well formed.
IdCardFace randomFace(const QString &number, std::mt19937_64 &rng);

/// The portrait side (856×540, 10 px per mm, transparent rounded corners): a light
/// patterned background, the fields in WenQuanYi Micro Hei, a photo placeholder, and
/// "公民身份号码" followed by the number in fixed-width cells (DejaVu Sans figures: plain
/// zeros, like the card's OCR-B).
QImage renderIdCard(const IdCardFace &face);
/// Where renderIdCard() prints the number, as a fraction of the card.
QRectF idNumberArea();

/// An empty table as the camera sees it (640×480, BGR).
cv::Mat emptyTable(quint64 seed);
/// `card` laid on `background` (BGR, any size; an empty table when empty) with `d`.
cv::Mat placeInFrame(const QImage &card, const Distortion &d, quint64 seed, const cv::Mat &background = {});

/// A plausible distortion for a card held under the kiosk camera; `severity` 0..1 scales
/// how far each parameter strays from a clean view (0.5: ordinary use, 1: the hard end).
Distortion randomDistortion(std::mt19937_64 &rng, double severity);

/// Writes a replay folder (frame-0001.png …, 640×480) for ReplaySource at `fps`: an empty
/// table, the invitation card's code moving into view and held about a second, the table
/// again, then the ID card moving into view and held about two seconds, then the table.
/// Creates `dir` if needed. Returns the number of frames. Error: "synth-write".
Result<int> writeReplayFolder(const QString &dir, const QString &credential, const IdCardFace &card, double fps = 15.0,
                              quint64 seed = 1);

/// How a face photo (a 150×150 aligned chip, or any portrait) appears in a kiosk frame.
struct FaceDistortion {
    double scale = 1.5; ///< the photo's side in the frame ÷ its side in pixels
    double rotation = 0; ///< degrees, anticlockwise (a tilted head)
    double light = 1.0; ///< brightness factor (0.35: a dim hall)
    double blur = 0; ///< Gaussian sigma in pixels (out of focus, moving)
    double noise = 4; ///< sensor noise, grey levels (standard deviation)
};

/// Scale 0.7–2.5, rotation ±20°, light 0.35–1, blur 0–2 px: the range the face tests use.
FaceDistortion randomFaceDistortion(std::mt19937_64 &rng);

/// `face` (BGR) pasted into a 640×480 frame over a blurred, blotchy room background, at a
/// random place that keeps it whole, then darkened, blurred and noised as `d` says.
/// Deterministic for a seed.
cv::Mat faceInFrame(const cv::Mat &face, const FaceDistortion &d, quint64 seed);

/// QImage (any format) to an 8-bit BGR cv::Mat, and back.
cv::Mat toBgr(const QImage &image);
QImage toQImage(const cv::Mat &bgr);

} // namespace pingyi::vision::synth
