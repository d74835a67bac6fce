#pragma once
// A synthetic head turn for tests and the demo (docs/identity.md#a-synthetic-head-turn): a
// frontal face photo is given a depth (an egg-shaped head ellipsoid with a nose, brows, eye
// sockets, lips and chin placed from four keypoints) and turned about the vertical axis, each
// image row rendered with a depth buffer (orthographic camera), so the nose swings across
// the face, the near cheek widens and the far side of the face slips behind the nose and
// the cheek, with Lambert shading for the new angle: to a face detector, a head turning. It
// is not a real head: no ears or hair, and the sides and back of the head are the cheeks'
// colour stretched (measured against BlazeFace in test_face_turn). Never linked by the kiosk.

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include <vector>

namespace pingyi::vision::synth {

/// Where the face's features are in the photo (pixels): the person's right eye (on the
/// image's left), left eye, nose tip and mouth centre, as FaceDetector's keypoints or
/// FaceAligner::chipTemplate() give them for an aligned chip.
struct FaceMarks {
    cv::Point2f rightEye;
    cv::Point2f leftEye;
    cv::Point2f nose;
    cv::Point2f mouth;
};

/// The keypoints of a 150×150 aligned chip (dlib's examples/johns, FaceAligner's output):
/// FaceAligner::chipTemplate(), repeated here so that the renderer needs no face model.
FaceMarks chipMarks();

/// The shape given to the photo, in units of half the eye distance.
struct HeadShape {
    double halfWidth = 2.25; ///< the head ellipsoid's half width (cheek to cheek ÷ 2)
    double halfHeight = 3.6; ///< its half height above its centre (midway between eyes and mouth)
    double chin = 2.3; ///< its half height below the centre
    double halfDepth = 3.0; ///< its half depth (front to back ÷ 2); the turn's axis is at its centre
    double nose = 1.0; ///< how far the nose tip stands out of the face
    double sockets = 0.3; ///< how deep the eyes sit
    double cheek
        = 1.9; ///< how far from the middle the photo shows the face; the side of the head beyond takes its colour
};

/// A face photo made ready to turn: the depth of every pixel of the head, computed once.
class HeadTurn {
public:
    /// `face` (BGR, kept by reference: do not change it while this lives) with its marks.
    HeadTurn(const cv::Mat &face, const FaceMarks &marks, const HeadShape &shape = {});

    /// The face turned by `degrees` about the vertical axis through the head's centre:
    /// positive turns the nose towards the image's right (the person's left on an unmirrored
    /// camera: FaceQuality::yaw grows). The result is the size of the photo; the head (an
    /// ellipse round the features) is drawn over `background` (same size and type; the photo
    /// itself when empty). At 0° the head is the photo as it was.
    cv::Mat render(double degrees, const cv::Mat &background = {}) const;

private:
    cv::Mat m_face;
    cv::Mat m_texture; // the photo, its sides beyond the cheeks painted in the cheeks' colour
    cv::Mat m_relief; // CV_64F: the face's relief over the ellipsoid, towards the camera
    cv::Mat m_normal; // CV_64FC2: the front surface's slopes dz/dx and dz/dy
    std::vector<double> m_span; // per row: how far the head reaches either side of the middle
    std::vector<double> m_rowDepth; // per row: the ellipsoid's half depth there ÷ its full half depth
    double m_c = 0; // the ellipsoid's half depth
    double m_cx = 0;
};

/// HeadTurn(face, marks, shape).render(degrees, background), for one frame.
cv::Mat turnHead(const cv::Mat &face, const FaceMarks &marks, double degrees, const cv::Mat &background = {},
                 const HeadShape &shape = {});

/// A person standing before the kiosk camera: a 150×150 aligned chip as their head, `width`
/// pixels wide, with hair and neck from the chip's own edges and shoulders below.
class PersonInRoom {
public:
    PersonInRoom(const cv::Mat &chip, float width);

    /// `room` (BGR, any size) with the person's head turned by `degrees` (as HeadTurn) and its
    /// centre at `centre`, plus sensor noise (grey levels, standard deviation) from `rng`.
    cv::Mat frame(double degrees, const cv::Mat &room, cv::Point2f centre, cv::RNG &rng, double noise = 3) const;

private:
    cv::Mat m_scaled; // the chip with its margin, scaled
    HeadTurn m_turn;
    float m_width;
    cv::Scalar m_skin, m_cloth;
};

/// A printed photo held up before the camera: `print` (BGR) spanning `width` pixels when
/// square to the camera, its centre at `centre` of `room`, turned by `degrees` about its
/// vertical axis like a door (a pinhole camera, focal length 700 px, the print 40 cm away:
/// perspective, not a head's turn), plus sensor noise from `rng`.
cv::Mat heldPrint(const cv::Mat &print, const cv::Mat &room, cv::Point2f centre, float width, double degrees,
                  cv::RNG &rng, double noise = 3);

} // namespace pingyi::vision::synth
