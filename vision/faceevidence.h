#pragma once
// From the vision library's face evidence to the core's face values (core/facematch.h), and
// the office's enrolment of one photo: detect, check, align, embed. The core decides; this
// only measures and converts. Nothing here logs or keeps an image.

#include "facedetector.h"
#include "faceembedder.h"

#include "facematch.h"
#include "result.h"

#include <opencv2/core/mat.hpp>

#include <vector>

namespace pingyi::vision {

face::Embedding toCore(const FaceEmbedding &e);
face::ProbeQuality toCore(const FaceQuality &q);

/// The probe of one face in a frame, `facesInFrame` faces having been detected.
face::Probe makeProbe(const FaceDetection &face, const FaceEmbedding &embedding, int facesInFrame);

/// What an enrolment photo must show (docs/identity.md#enrolment).
struct EnrolmentLimits {
    /// Eye distance in the photo's pixels: below, the chip is upscaled mush ("face-too-small").
    double minEyeDistance = 30;
    /// Sharpness (FaceQuality::sharpness) below: "face-blurred". A coarse check: the measure
    /// depends on the face's contrast as much as on focus (dlib's soft 150-pixel example chips
    /// measure 21–600 and some stay above 80 blurred with a Gaussian of 2.5 px), so only a
    /// badly blurred photo is refused (docs/identity.md#enrolment).
    double minSharpness = 15;
    /// Faces smaller than this share of the largest face's height do not count as a second
    /// face (a face on a poster behind the person).
    double otherFaceShare = 0.3;
    /// More turned than this (|yaw|) and the template would not match a frontal probe.
    double maxYaw = 0.6;
};

class FaceEnroller {
public:
    /// Loads both detectors and the embedder from `modelDir` (findFaceModels()).
    explicit FaceEnroller(const QString &modelDir);

    bool ready() const;
    QString why() const;

    /// The template of the one face in `photo` (BGR, any size). Errors, each with a message
    /// saying what to do: "face-none" (no face found), "face-many" (more than one face),
    /// "face-too-small", "face-blurred", "face-not-frontal", "face-model".
    Result<face::Embedding> enrol(const cv::Mat &photo, const EnrolmentLimits &limits = {});

private:
    FaceDetector m_near;
    FaceDetector m_far;
    FaceEmbedder m_embedder;
};

} // namespace pingyi::vision
