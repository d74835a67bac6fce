#pragma once
// Liveness by head turn (docs/identity.md#liveness): the kiosk asks the representative to
// turn their head to the left or to the right, chosen at random, and watches the same face
// do it within the time the activity allows. A photo or a phone screen held still, or slid
// across the camera, keeps its yaw and fails when the time is up; a turn the wrong way fails
// at once; a face that disappears for too long, a second face, or a face that becomes
// another (box jump, embedding drift) fails.
//
// Pure logic on per-frame evidence (vision::FaceDetection's box and yaw, optionally the
// frame's embedding): the camera thread feeds frames, the core decides. Nothing is logged.

#include "activity.h"
#include "facematch.h"

#include <QRectF>
#include <QString>

#include <optional>

namespace pingyi::face {

/// The person's own left or right. On an unmirrored camera frame, the person turning to their
/// left moves their nose towards the frame's right: vision::FaceQuality::yaw grows.
enum class Turn { Left, Right };

/// A fresh challenge direction from the system's random source (libsodium).
Turn randomTurn();

/// What one frame showed.
struct TrackFrame {
    qint64 msec = 0; ///< time since the challenge started (a monotonic clock)
    int faces = 0; ///< faces detected in the frame
    QRectF box; ///< the face's box in frame pixels (faces == 1)
    double yaw = 0; ///< vision::FaceQuality::yaw of that face
    /// The face's embedding, when the caller computed one for this frame (at least the first
    /// frame with a face should carry one; the others are compared with it).
    std::optional<Embedding> embedding;
};

/// Tuning, measured on synthetic tracks and dlib's photos (docs/identity.md#liveness).
struct LivenessLimits {
    /// Frames at the start, with one frontal face, that set the face's resting yaw.
    int baselineFrames = 3;
    /// |yaw| at rest must stay below this (a face already turned cannot start).
    double maxRestingYaw = 0.6;
    /// The turn: yaw must move this far from rest in the asked direction... (a printed photo
    /// turned like a door to 60° moved BlazeFace's yaw by up to 0.51 in the tests, so 0.6; a
    /// real head reaches it at roughly 45°, to be confirmed with a real camera)
    double turnDelta = 0.6;
    /// ...for this many consecutive frames...
    int holdFrames = 2;
    /// ...after passing through both halves of the way since the face last rested: at least
    /// one frame between a quarter and half of turnDelta from rest, and one between half and
    /// turnDelta. A real head turns smoothly; a photo swapped for another (or for its mirror
    /// image, whose yaw the detector reads with the opposite sign) jumps.
    /// Moving this far the other way fails the challenge.
    double wrongWayDelta = 0.5;
    /// Consecutive frames' boxes must overlap at least this much (intersection over union).
    double minOverlap = 0.3;
    /// Embedding distance to the first frame's face above this: another face.
    double maxDrift = 0.7;
    /// No face for longer than this (ms): the face was lost.
    qint64 maxGapMsec = 500;
};

struct LivenessResult {
    enum class Status { Pending, Passed, Failed };
    Status status = Status::Pending;
    /// Failed: "liveness-timeout", "liveness-wrong-way", "liveness-face-lost",
    /// "liveness-face-changed", "liveness-many-faces", "liveness-not-frontal".
    /// Pending: "liveness-need-face" (no resting face yet) or "liveness-turn" (waiting for the turn).
    QString reason;
};

class HeadTurnChallenge {
public:
    HeadTurnChallenge(Turn asked, const FaceRules &rules, const LivenessLimits &limits = {});

    Turn asked() const { return m_asked; }

    /// Adds the next frame (frames in time order). Once Passed or Failed, the result stays.
    LivenessResult add(const TrackFrame &frame);
    LivenessResult result() const { return m_result; }

    /// How far the turn has gone, 0–1 (for a progress indicator).
    double progress() const;

private:
    LivenessResult fail(const QString &reason);

    Turn m_asked;
    qint64 m_timeoutMsec;
    LivenessLimits m_limits;
    LivenessResult m_result;

    int m_restFrames = 0;
    double m_restYawSum = 0;
    std::optional<double> m_restYaw;
    std::optional<Embedding> m_first;
    std::optional<QRectF> m_lastBox;
    qint64 m_lastSeen = 0;
    bool m_sawLow = false;
    bool m_sawHigh = false;
    int m_held = 0;
    double m_bestDelta = 0;
};

/// Intersection over union of two boxes (0 when either is empty).
double boxOverlap(const QRectF &a, const QRectF &b);

} // namespace pingyi::face
