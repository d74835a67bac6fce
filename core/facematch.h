#pragma once
// Face matching: the decision, made in the core from evidence the vision library produced
// (docs/identity.md#matching). A probe is the 128-d embedding of one camera frame's face plus
// that face's quality measures; a template is the embedding the office made from the
// representative's enrolment photo. Two embeddings of one person lie close (Euclidean
// distance); the threshold and the 1:N margin come from the activity spec (FaceRules).
//
// Face data never leaves these values: nothing here logs, and a FaceDecision carries no
// distance, only the outcome and its reason, so an audit record or a screen cannot leak one.

#include "activity.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace pingyi::face {

inline constexpr int embeddingSize = 128;

/// dlib's ResNet-29 descriptor of one face (vision::FaceEmbedder's output, copied as is).
/// Face data: every copy is zeroed when it goes (templates decrypted from the package, the
/// live probe, the liveness challenge's first face).
struct Embedding {
    std::array<float, embeddingSize> values {};
    bool operator==(const Embedding &) const = default;
    Embedding() = default;
    Embedding(const Embedding &) = default;
    Embedding &operator=(const Embedding &) = default;
    ~Embedding();
};

/// Euclidean distance.
double distance(const Embedding &a, const Embedding &b);

/// A template as stored (hq.db, the venue package): 128 IEEE-754 float32, little-endian,
/// 512 bytes.
inline constexpr int templateBytes = embeddingSize * 4;
QByteArray encodeTemplate(const Embedding &e);
/// nullopt unless exactly templateBytes bytes of finite numbers.
std::optional<Embedding> decodeTemplate(QByteArrayView bytes);

/// The quality measures of the probe's face (vision::FaceQuality, copied field by field).
struct ProbeQuality {
    double heightRatio = 0; ///< face box height ÷ frame height
    double eyeDistance = 0; ///< pixels
    double brightness = 0; ///< mean grey 0–255 in the box
    double sharpness = 0; ///< variance of the Laplacian at 128×128
    double yaw = 0; ///< 0 frontal, about ±1 at a quarter turn
    double roll = 0; ///< degrees
};

/// One face seen by the camera, ready to be compared.
struct Probe {
    Embedding embedding;
    ProbeQuality quality;
    /// Faces in the frame the probe was taken from (the quality gate refuses more than one).
    int facesInFrame = 1;
};

/// A representative's enrolled face.
struct Template {
    QString repId;
    Embedding embedding;
};

/// Limits a probe must meet before it is compared: below them the embedding is not worth
/// trusting (measured on dlib's photos in synthetic kiosk frames, docs/identity.md#quality).
struct QualityLimits {
    double minEyeDistance = 28; ///< pixels: smaller and the chip is upscaled mush
    double maxHeightRatio = 0.9; ///< the face fills more than the frame: too close
    double minBrightness = 40;
    double maxBrightness = 235;
    double minSharpness = 20;
    double maxYaw = 0.6; ///< |yaw| above: not frontal enough to compare
    double maxRoll = 25; ///< degrees
};

/// Why a probe is not usable, or empty. Codes (each has guidance for the person):
/// "face-none" (no face), "face-many" (more than one face), "face-too-far", "face-too-close",
/// "face-too-dark", "face-too-bright", "face-blurred", "face-not-frontal".
QString probeProblem(const Probe &probe, const QualityLimits &limits = {});

struct Decision {
    enum class Outcome {
        Match, ///< repId is the person
        NoMatch, ///< no template close enough (or, 1:1, not this person's)
        Ambiguous, ///< 1:N: the best two candidates are within the margin of each other
        Unusable, ///< the probe failed the quality gate, or there is nothing to compare with
    };
    Outcome outcome = Outcome::NoMatch;
    QString repId; ///< Match only
    /// Machine-readable reason: "face-match", "face-no-match", "face-ambiguous",
    /// "face-no-template", or probeProblem()'s code.
    QString reason;

    bool matched() const { return outcome == Outcome::Match; }
};

/// 1:1: is the probe the person of `enrolled`? Match when the distance is below
/// rules.threshold. No template (nullopt): Unusable, "face-no-template".
Decision verify(const Probe &probe, const std::optional<Template> &enrolled, const FaceRules &rules,
                const QualityLimits &limits = {});

/// 1:N within `roster` (the venue's templates for the group session, one per representative):
/// Match when the nearest template is below the threshold AND every other representative's
/// template is at least rules.margin farther; Ambiguous when one is within the margin (the
/// person must use another method); NoMatch when none is below the threshold. A
/// representative with several templates counts once, at their nearest.
Decision identify(const Probe &probe, const std::vector<Template> &roster, const FaceRules &rules,
                  const QualityLimits &limits = {});

} // namespace pingyi::face
