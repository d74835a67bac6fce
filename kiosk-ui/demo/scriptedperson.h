#pragma once
// The demo's scripted person (docs/identity.md#the-demos-scripted-person): a camera that
// shows someone standing before the kiosk and doing what the screen asks. The kiosk draws
// the head-turn direction at random, so a fixed replay would pass the challenge only half
// the time; this source is told the direction (follow("left"), follow("right"), follow("")
// once the challenge is over) and turns the face that way with the synthetic head turn
// (vision/synth/headturn.h), holds it, and comes back to rest.
//
// It plays, one after another (or as set): the enrolled demo representative (identified),
// an impostor (another person, not enrolled: turns as asked but is nobody on the roster),
// and a printed photo of the representative held up (cannot turn: the challenge times out).
// Synthetic frames from dlib's example photos, in memory only; demo and tests only (links
// pingyi_vision_synth: never part of pingyi-kiosk).

#include "framesource.h"
#include "result.h"

#include <opencv2/core/mat.hpp>

#include <QString>

#include <memory>

namespace pingyi::kiosk::demo {

/// The faces the scripted person plays: 150×150 aligned chips (dlib's examples/johns).
struct DemoFaces {
    QString person; ///< the representative's folder in examples/johns (for the demo's notes)
    cv::Mat enrolment; ///< the photo enrolled at the office (and printed for the photo attack)
    cv::Mat camera; ///< another photo of the same person: their face at the kiosk
    QString impostor; ///< the impostor's folder
    cv::Mat impostorCamera; ///< the impostor's face at the kiosk (never enrolled)
};

/// Where Debian's libdlib19.1 keeps its example photos.
QString dlibExamples();

/// The demo's cast from dlib's example photos. Error "demo-faces-missing" (saying which
/// package to install) when they are absent.
Result<DemoFaces> demoFaces(const QString &examples = dlibExamples());

/// The file enrolled for the demo representative (provision-demo copies it into the office's
/// photo folder): `examples`/johns/<person>/<file>.
QString demoEnrolmentPhoto(const QString &examples = dlibExamples());

class ScriptedPerson {
public:
    enum class Actor {
        Representative, ///< the enrolled representative, turning as asked
        Impostor, ///< someone not enrolled, turning as asked
        Photo, ///< the representative's enrolment photo, printed and held up
    };

    /// `framesPerSecond` as a camera delivers them (<= 0: as fast as asked, for tests).
    explicit ScriptedPerson(const DemoFaces &faces, double framesPerSecond = 15.0);
    ~ScriptedPerson();
    ScriptedPerson(const ScriptedPerson &) = delete;
    ScriptedPerson &operator=(const ScriptedPerson &) = delete;

    /// What the screen asks, from any thread: "left" or "right" (the person's own side, as
    /// CameraDesk::faceTurn), or "" (nothing: back to rest). Anything else counts as "".
    /// After a turn was asked and then withdrawn, the try is over: when cycling, the person
    /// steps away for a second and the next actor steps up.
    void follow(const QString &turn);
    /// Who stands there from now on (stepping up at once); thread-safe.
    void setActor(Actor actor);
    Actor actor() const;
    /// Whether each try brings the next actor (representative → impostor → photo → …);
    /// on by default.
    void setCycle(bool cycle);

    /// Sources for the camera thread (vision::CameraService, KioskOptions::camera); every
    /// source made shows this person and follows this object's instructions (they share its
    /// state, so they stay valid after this object is gone, left with its last instruction).
    /// Frames are made in memory as they are read, never written anywhere.
    vision::FrameSourceFactory factory() const;

    /// The next frame as the camera thread would read it, without pacing (tests).
    cv::Mat renderNext();

    /// The head's current angle in degrees (positive: turned to the person's left), for tests.
    double angle() const;

    struct State;

private:
    std::shared_ptr<State> m_state;
};

} // namespace pingyi::kiosk::demo
