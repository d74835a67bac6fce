#pragma once
// The camera thread: opens a frame source, reads frames at the source's pace, runs the
// reader the kiosk asks for (invitation QR, ID card, or a face) and reports what it found by
// queued signals. The latest frame is kept for the preview (latestFrame(), safe from any thread).
// A source that is missing, busy or unplugged is retried every second, so plugging a camera
// back in recovers without a restart. Frames stay in memory; nothing is logged but the
// status.

#include "facedetector.h"
#include "faceembedder.h"
#include "framesource.h"

#include <QMutex>
#include <QObject>
#include <QRectF>
#include <QThread>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace pingyi::vision {

/// Mode Face: one face seen in one frame, the evidence liveness and matching work from (in
/// core). The embedding is face data: it lives in memory only, is never logged or written.
struct FaceSighting {
    quint64 frame = 0; ///< the frame's number (consecutive frames of one source)
    QRectF box; ///< in frame pixels, for tracking the same face across frames
    double heightRatio = 0; ///< box height ÷ frame height
    double yaw = 0; ///< FaceQuality::yaw: 0 frontal, about ±1 at a quarter turn
    /// The face's quality measures (for the core's own floor under the probe).
    FaceQuality quality;
    /// Whether the quality gate passed the face as it is (frontal, sharp, lit, near enough).
    bool usable = false;
    /// Taken when the face is usable or only turned (a head turning for the liveness
    /// challenge is still the same face); empty otherwise.
    std::optional<FaceEmbedding> embedding;
};

class CameraService : public QObject {
    Q_OBJECT
public:
    enum class Mode { Preview, Qr, IdCard, Face };
    Q_ENUM(Mode)
    enum class Status {
        Off, ///< not started
        Starting, ///< opening the source
        Live, ///< frames arriving
        Missing, ///< no camera (retrying)
        Busy, ///< the camera is held by another program (retrying)
        Unplugged, ///< it stopped delivering frames (retrying)
        Ended, ///< a replay that does not loop has played all its frames (not retried)
    };
    Q_ENUM(Status)

    /// `tessdata`: passed to IdCardReader.
    explicit CameraService(FrameSourceFactory factory, QString tessdata = {}, QObject *parent = nullptr);
    ~CameraService() override; ///< stops the thread

    void start();
    /// Joins the thread. Signals it had emitted that the event loop has not delivered yet are
    /// dropped: after stop() returns, nothing from that run arrives.
    void stop();
    /// Thread-safe; resets the debouncer and the ID confirmer.
    void setMode(Mode mode);
    /// How long to wait before opening a missing, busy or unplugged source again (1 s; tests
    /// shorten it). Thread-safe; takes effect at the next wait.
    void setRetryInterval(std::chrono::milliseconds interval);
    Mode mode() const { return m_mode.load(); }
    Status status() const { return m_status.load(); }
    /// describe() of the source and, when not live, why ("no camera at /dev/video0").
    QString statusDetail() const;

    /// A copy of the latest frame (shares the pixels), from any thread.
    Frame latestFrame() const;

    // Signals are emitted in the thread the service lives in (the GUI thread), never in the
    // camera thread.
Q_SIGNALS:
    void statusChanged();
    /// A new frame is in latestFrame().
    void frameArrived(quint64 number);
    /// Mode Qr: a code's text, once per code (debounced).
    void qrDecoded(const QString &text);
    /// Mode IdCard: a number whose check digit held in several consecutive frames.
    void idNumberRead(const QString &number);
    /// Mode Face: a face in a frame (at most one a frame: the largest).
    void faceSeen(const pingyi::vision::FaceSighting &sighting);
    /// What the person should do now: "" (nothing to say), "qr-unreadable", "qr-glare",
    /// "card-no-number" (card seen, number not read yet), "card-reader-unavailable" (tesseract
    /// or its English data is missing: offer the keypad instead); in mode Face the quality
    /// gate's codes (faceGuidanceCode(): "face-none", "face-many", "face-far", "face-close",
    /// "face-dark", "face-blur", "face-turn") and "face-reader-unavailable" (no face models).
    void guidance(const QString &code);

private:
    void run(); // the thread's loop
    void setStatus(Status status, const QString &detail);
    /// Runs `emitter` (a Q_EMIT) in the service's own thread: queued from the camera thread,
    /// so the signals reach receivers from the service's thread and stop() can drop those
    /// still queued.
    void inOwnThread(std::function<void()> emitter);
    /// Sleeps for `interval` or until stop(); false when stopped.
    bool waitUnlessStopped(std::chrono::milliseconds interval);

    FrameSourceFactory m_factory;
    QString m_tessdata;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_stop {false};
    std::atomic<Mode> m_mode {Mode::Preview};
    std::atomic<int> m_modeGeneration {0};
    std::atomic<Status> m_status {Status::Off};
    mutable QMutex m_mutex;
    Frame m_latest;
    QString m_detail;
    std::atomic<int> m_retryMs {1000};
    QString m_guidanceShown; // the last guidance delivered; the service's own thread only
    std::mutex m_wakeMutex; // with m_wake: stop() cuts a retry wait short
    std::condition_variable m_wake;
};

} // namespace pingyi::vision

Q_DECLARE_METATYPE(pingyi::vision::FaceSighting)
