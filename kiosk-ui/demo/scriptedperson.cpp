#include "scriptedperson.h"

#include "headturn.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QFile>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <thread>

namespace pingyi::kiosk::demo {

namespace {

// The cast: dlib's johns chips, chosen by measuring every chip turned to ±35° under the real
// detector (docs/identity.md#the-demos-scripted-person): the camera photo rests frontal
// (yaw 0.05), turns 0.9 left and 1.2 right, and is 0.25 from the enrolled photo's template;
// the impostor turns 0.8 either way, is 0.88 from that template, and its turned face stays
// within 0.6 of its frontal one (the challenge allows 0.7; synthetic turns drift 0.5–0.7).
const QString representativeFolder = QStringLiteral("John_Savage");
const QString enrolmentFile = QStringLiteral("000264_01099001.jpg");
const QString cameraFile = QStringLiteral("000290_01099067.jpg");
const QString impostorFolder = QStringLiteral("John_Simm");
const QString impostorFile = QStringLiteral("000305_00470717.jpg");

constexpr double turnDegrees = 38; // how far the person turns when asked
constexpr double turnSpeed = 50; // degrees per second at most (a second for the turn: no frame skips a half of the way)
constexpr double reactionSeconds = 0.5; // reading the screen before moving
constexpr double printTilt = 30; // how far the photo's holder tilts it, like a door
constexpr double awaySeconds = 1.2; // the empty counter between two tries
constexpr double backSeconds = 1.0; // a try's end: back to rest before stepping away
constexpr float headWidth = 180; // the chip's side in the frame, pixels

cv::Mat readChip(const QString &path)
{
    // Decoded from the file's bytes, as the office reads photos (any file name works).
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    const cv::Mat raw(1, int(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
    return cv::imdecode(raw, cv::IMREAD_COLOR);
}

/// A room behind the counter: a wall with a gradient and a few soft shapes.
cv::Mat room()
{
    cv::Mat bg(480, 640, CV_8UC3);
    cv::RNG rng(2025);
    for (int y = 0; y < bg.rows; ++y)
        bg.row(y).setTo(cv::Scalar(170 - y / 6, 178 - y / 8, 182 - y / 10));
    for (int i = 0; i < 5; ++i)
        cv::rectangle(bg,
                      cv::Rect(rng.uniform(0, 600), rng.uniform(0, 300), rng.uniform(40, 160), rng.uniform(60, 200)),
                      cv::Scalar(rng.uniform(60, 200), rng.uniform(60, 200), rng.uniform(60, 200)), cv::FILLED);
    cv::GaussianBlur(bg, bg, cv::Size(0, 0), 5);
    return bg;
}

/// The enrolment photo as a print: on white paper with a narrow margin.
cv::Mat printOf(const cv::Mat &chip)
{
    cv::Mat p;
    cv::copyMakeBorder(chip, p, 10, 10, 10, 10, cv::BORDER_CONSTANT, cv::Scalar(235, 238, 240));
    return p;
}

} // namespace

QString dlibExamples()
{
    return QStringLiteral("/usr/share/doc/libdlib19.1/examples");
}

QString demoEnrolmentPhoto(const QString &examples)
{
    return examples + QStringLiteral("/johns/") + representativeFolder + QLatin1Char('/') + enrolmentFile;
}

Result<DemoFaces> demoFaces(const QString &examples)
{
    const QString johns = examples + QStringLiteral("/johns/");
    DemoFaces f;
    f.person = representativeFolder;
    f.impostor = impostorFolder;
    f.enrolment = readChip(demoEnrolmentPhoto(examples));
    f.camera = readChip(johns + representativeFolder + QLatin1Char('/') + cameraFile);
    f.impostorCamera = readChip(johns + impostorFolder + QLatin1Char('/') + impostorFile);
    for (const cv::Mat *m : {&f.enrolment, &f.camera, &f.impostorCamera})
        if (m->empty() || m->cols != 150 || m->rows != 150)
            return makeError(QStringLiteral("demo-faces-missing"),
                             QStringLiteral("the demo's faces (dlib's example photos in %1/johns) are missing: install "
                                            "the Debian package libdlib19.1 (./scripts/setup does)")
                                 .arg(examples));
    return f;
}

struct ScriptedPerson::State {
    State(const DemoFaces &faces, double fps)
        : representative(faces.camera, headWidth), impostor(faces.impostorCamera, headWidth),
          print(printOf(faces.enrolment)), background(room()), framesPerSecond(fps)
    {
    }

    // Fixed once made: read by the camera thread without the lock.
    const vision::synth::PersonInRoom representative;
    const vision::synth::PersonInRoom impostor;
    const cv::Mat print;
    const cv::Mat background;
    const double framesPerSecond;

    // The instructions (any thread) and the motion (the camera thread), under the lock.
    mutable std::mutex lock;
    int wanted = 0; // +1: turn to the person's left, -1: right, 0: rest
    qint64 wantedFrame = 0; // the frame at which the instruction came
    Actor who = Actor::Representative;
    bool cycle = true;
    bool tryOpen = false; // a turn was asked and not yet withdrawn
    std::optional<qint64> swapFrame; // when cycling: the frame at which the actor steps away
    qint64 awayUntil = 0; // the counter is empty until this frame
    qint64 frame = 0;
    double angle = 0;

    // Rendering: one frame at a time.
    std::mutex renderLock;
    cv::RNG rng {7};

    double dt() const { return 1.0 / (framesPerSecond > 0 ? framesPerSecond : 15.0); }
    qint64 frames(double seconds) const { return qint64(std::lround(seconds / dt())); }

    struct Pose {
        Actor who;
        bool away;
        double angle;
        double t;
    };

    /// One frame on: the actor moves towards what was asked.
    Pose advance()
    {
        const std::lock_guard g(lock);
        ++frame;
        if (swapFrame && frame >= *swapFrame) {
            swapFrame.reset();
            awayUntil = frame + frames(awaySeconds);
            who = who == Actor::Representative ? Actor::Impostor
                : who == Actor::Impostor       ? Actor::Photo
                                               : Actor::Representative;
            angle = 0;
        }
        const bool away = frame < awayUntil;
        if (!away && frame >= wantedFrame + frames(reactionSeconds)) {
            const double target = wanted * (who == Actor::Photo ? printTilt : turnDegrees);
            // Eases into the target: quick in the middle of the way, slow at its ends, so
            // the face passes through every part of the way as a head does.
            const double most = turnSpeed * dt();
            const double gap = target - angle;
            const double start = std::min(1.0, 0.35 + std::abs(angle) / 15.0);
            angle += std::clamp(gap * 0.35, -most * start, most * start);
            if (std::abs(target - angle) < 0.3)
                angle = target;
        }
        return {who, away, angle, double(frame) * dt()};
    }

    cv::Mat render()
    {
        const Pose p = advance();
        const std::lock_guard g(renderLock);
        cv::Mat frame;
        if (p.away) {
            frame = background.clone();
            cv::Mat noise(frame.size(), CV_16SC3), wide;
            rng.fill(noise, cv::RNG::NORMAL, 0, 3);
            frame.convertTo(wide, CV_16SC3);
            wide += noise;
            wide.convertTo(frame, CV_8UC3);
            return frame;
        }
        // Standing, not quite still: a little sway of the body and the head.
        const cv::Point2f at(float(320 + 8 * std::sin(0.4 * p.t)), float(225 + 4 * std::sin(0.7 * p.t)));
        const double sway = 1.5 * std::sin(0.9 * p.t);
        switch (p.who) {
        case Actor::Representative:
            return representative.frame(p.angle + sway, background, at, rng);
        case Actor::Impostor:
            return impostor.frame(p.angle + sway, background, at, rng);
        case Actor::Photo: {
            // Held in a hand: it drifts sideways more than a standing person does.
            const cv::Point2f hand(float(320 + 20 * std::sin(0.6 * p.t)), float(230 + 6 * std::sin(1.1 * p.t)));
            return vision::synth::heldPrint(print, background, hand, headWidth * 1.12f, p.angle + sway, rng);
        }
        }
        return background.clone();
    }
};

namespace {

class ScriptedSource final : public vision::FrameSource {
public:
    explicit ScriptedSource(std::shared_ptr<ScriptedPerson::State> state) : m_state(std::move(state)) { }

    Status open() override
    {
        m_count = 0;
        m_due = std::chrono::steady_clock::now();
        return {};
    }

    Result<vision::Frame> read() override
    {
        using namespace std::chrono;
        if (m_state->framesPerSecond > 0) {
            const auto interval
                = duration_cast<steady_clock::duration>(duration<double>(1.0 / m_state->framesPerSecond));
            const auto now = steady_clock::now();
            if (m_due > now)
                std::this_thread::sleep_until(m_due);
            m_due = std::max(m_due, now) + interval;
        }
        vision::Frame f;
        f.image = m_state->render();
        f.number = ++m_count;
        return f;
    }

    void close() override { }

    QString describe() const override { return QStringLiteral("scripted person (demo)"); }

private:
    std::shared_ptr<ScriptedPerson::State> m_state;
    std::uint64_t m_count = 0;
    std::chrono::steady_clock::time_point m_due;
};

} // namespace

ScriptedPerson::ScriptedPerson(const DemoFaces &faces, double framesPerSecond)
    : m_state(std::make_shared<State>(faces, framesPerSecond))
{
}

ScriptedPerson::~ScriptedPerson() = default;

void ScriptedPerson::follow(const QString &turn)
{
    const int wanted = turn == QLatin1String("left") ? 1 : turn == QLatin1String("right") ? -1 : 0;
    const std::lock_guard g(m_state->lock);
    if (wanted == m_state->wanted)
        return;
    m_state->wanted = wanted;
    m_state->wantedFrame = m_state->frame;
    if (wanted != 0) {
        m_state->tryOpen = true;
        m_state->swapFrame.reset();
    } else if (m_state->tryOpen) {
        m_state->tryOpen = false;
        if (m_state->cycle)
            m_state->swapFrame = m_state->frame + m_state->frames(reactionSeconds + backSeconds);
    }
}

void ScriptedPerson::setActor(Actor actor)
{
    const std::lock_guard g(m_state->lock);
    m_state->who = actor;
    m_state->swapFrame.reset();
    m_state->angle = 0;
    m_state->awayUntil = 0;
}

ScriptedPerson::Actor ScriptedPerson::actor() const
{
    const std::lock_guard g(m_state->lock);
    return m_state->who;
}

void ScriptedPerson::setCycle(bool cycle)
{
    const std::lock_guard g(m_state->lock);
    m_state->cycle = cycle;
    if (!cycle)
        m_state->swapFrame.reset();
}

vision::FrameSourceFactory ScriptedPerson::factory() const
{
    return [state = m_state]() -> std::unique_ptr<vision::FrameSource> {
        return std::make_unique<ScriptedSource>(state);
    };
}

cv::Mat ScriptedPerson::renderNext()
{
    return m_state->render();
}

double ScriptedPerson::angle() const
{
    const std::lock_guard g(m_state->lock);
    return m_state->angle;
}

} // namespace pingyi::kiosk::demo
