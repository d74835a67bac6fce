#include "cameraservice.h"

#include "facealigner.h"
#include "facedetector.h"
#include "facegate.h"
#include "facemodels.h"
#include "idcardreader.h"
#include "qrreader.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMetaEnum>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace pingyi::vision {

namespace {

Q_LOGGING_CATEGORY(lcCamera, "pingyi.vision.camera")

/// Frames (about 100 ms at 30 frames/s) a QR guidance must hold before it is said.
constexpr int kGuidanceFrames = 3;

const char *statusName(CameraService::Status status)
{
    return QMetaEnum::fromType<CameraService::Status>().valueToKey(int(status));
}

CameraService::Status statusFor(const QString &code)
{
    if (code == QLatin1String(sourceerror::busy))
        return CameraService::Status::Busy;
    if (code == QLatin1String(sourceerror::unplugged))
        return CameraService::Status::Unplugged;
    if (code == QLatin1String(sourceerror::ended))
        return CameraService::Status::Ended;
    // missing, denied and anything a future source invents: no usable camera, keep trying.
    return CameraService::Status::Missing;
}

QString qrGuidance(QrRead::Kind kind)
{
    switch (kind) {
    case QrRead::Kind::Unreadable:
        return QStringLiteral("qr-unreadable");
    case QrRead::Kind::Glare:
        return QStringLiteral("qr-glare");
    case QrRead::Kind::Nothing:
    case QrRead::Kind::Decoded:
        break;
    }
    return {};
}

/// Tesseract takes about 100 ms per number line, three camera frames: it runs beside the
/// frame loop, one read at a time, always on the newest frame when it is free, so the
/// preview and the status never wait for it. Owned by the camera thread.
class OcrWorker {
public:
    struct Done {
        IdLineRead read;
        int generation = 0; // the epoch the frame was taken in
        bool unavailable = false; // tesseract or its data is missing
        QString why;
    };

    explicit OcrWorker(QString tessdata) : m_tessdata(std::move(tessdata)), m_thread([this] { loop(); }) { }
    ~OcrWorker()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    OcrWorker(const OcrWorker &) = delete;
    OcrWorker &operator=(const OcrWorker &) = delete;

    /// Hands a frame over unless a read is in flight or its result has not been taken yet.
    bool offer(const cv::Mat &image, int generation)
    {
        std::lock_guard lock(m_mutex);
        if (m_pending || m_done)
            return false;
        m_job = image; // shares the pixels; frames are never written to once read
        m_jobGeneration = generation;
        m_pending = true;
        m_wake.notify_all();
        return true;
    }

    std::optional<Done> take()
    {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_done, std::nullopt);
    }

private:
    void loop()
    {
        // Built here, not in the frame loop: loading the language data takes a moment.
        std::unique_ptr<IdCardReader> reader;
        for (;;) {
            cv::Mat image;
            int generation = 0;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_quit || m_pending; });
                if (m_quit)
                    return;
                image = std::exchange(m_job, cv::Mat());
                generation = m_jobGeneration;
            }
            if (!reader)
                reader = std::make_unique<IdCardReader>(m_tessdata);
            Done done;
            done.generation = generation;
            if (reader->ready())
                done.read = reader->read(image);
            else {
                done.unavailable = true;
                done.why = reader->why();
            }
            image.release();
            std::lock_guard lock(m_mutex);
            m_pending = false;
            m_done = std::move(done);
        }
    }

    const QString m_tessdata;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_quit = false;
    bool m_pending = false;
    cv::Mat m_job;
    int m_jobGeneration = 0;
    std::optional<Done> m_done;
    std::thread m_thread; // last: starts once the members above exist
};

} // namespace

CameraService::CameraService(FrameSourceFactory factory, QString tessdata, QObject *parent)
    : QObject(parent), m_factory(std::move(factory)), m_tessdata(std::move(tessdata))
{
    qRegisterMetaType<FaceSighting>();
}

CameraService::~CameraService()
{
    stop();
}

void CameraService::start()
{
    if (m_thread)
        return;
    m_stop = false;
    setStatus(Status::Starting, {});
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("pingyi-camera"));
    m_thread->start();
}

void CameraService::stop()
{
    if (!m_thread)
        return;
    {
        std::lock_guard lock(m_wakeMutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    // What the thread said but the event loop has not delivered yet is dropped: a code or a
    // number read just before stop() must not reach a screen that has moved on.
    QCoreApplication::removePostedEvents(this, QEvent::MetaCall);
    {
        QMutexLocker lock(&m_mutex);
        m_latest = Frame();
    }
    setStatus(Status::Off, {});
    // The thread's last word (nothing to say) may have been among the dropped signals.
    if (!m_guidanceShown.isEmpty()) {
        m_guidanceShown.clear();
        Q_EMIT guidance(QString());
    }
}

void CameraService::setMode(Mode mode)
{
    m_mode = mode;
    // The thread notices the new generation at its next frame and resets the debouncer and
    // the confirmer there, so they are only ever touched by that thread.
    ++m_modeGeneration;
}

void CameraService::setRetryInterval(std::chrono::milliseconds interval)
{
    m_retryMs = int(std::max<std::chrono::milliseconds::rep>(interval.count(), 1));
}

QString CameraService::statusDetail() const
{
    QMutexLocker lock(&m_mutex);
    return m_detail;
}

Frame CameraService::latestFrame() const
{
    QMutexLocker lock(&m_mutex);
    return m_latest;
}

void CameraService::setStatus(Status status, const QString &detail)
{
    bool statusChangedNow = false;
    bool anyChange = false;
    {
        QMutexLocker lock(&m_mutex);
        statusChangedNow = m_status.load() != status;
        anyChange = statusChangedNow || m_detail != detail;
        m_status = status;
        m_detail = detail;
    }
    if (statusChangedNow) // the detail names the device or folder, never a frame or a read
        qCInfo(lcCamera).noquote().nospace()
            << "camera " << statusName(status) << (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
    if (anyChange)
        inOwnThread([this] { Q_EMIT statusChanged(); });
}

void CameraService::inOwnThread(std::function<void()> emitter)
{
    if (QThread::currentThread() == thread())
        emitter();
    else
        QMetaObject::invokeMethod(this, std::move(emitter), Qt::QueuedConnection);
}

bool CameraService::waitUnlessStopped(std::chrono::milliseconds interval)
{
    std::unique_lock lock(m_wakeMutex);
    return !m_wake.wait_for(lock, interval, [this] { return m_stop.load(); });
}

void CameraService::run()
{
    QrReader qrReader;
    QrDebouncer debouncer;
    IdNumberConfirmer confirmer;
    std::unique_ptr<OcrWorker> ocr;
    bool ocrUnavailableLogged = false;
    // Mode Face: the models, loaded in this thread the first time the mode is asked for.
    struct FaceReader {
        FaceDetector detector;
        FaceEmbedder embedder;
    };
    std::unique_ptr<FaceReader> faceReader;
    QString faceUnavailable; // why the models cannot be used ("" when they can, or untried)

    int generation = -1;
    // OCR results are kept only for the epoch their frame was taken in: a mode change or a
    // lost source starts a new one (consecutive frames must really be consecutive).
    int epoch = 0;
    Mode mode = Mode::Preview;
    QString guidanceNow;
    // QR guidance must hold for a few frames before it is said: a code at the edge of
    // readability alternates between "unreadable" and nothing from frame to frame, and the
    // screen should not flicker with it.
    QString guidanceHeard;
    int guidanceStreak = 0;
    const auto say = [&](const QString &code) {
        guidanceHeard = code;
        guidanceStreak = 0;
        if (code == guidanceNow)
            return;
        guidanceNow = code;
        inOwnThread([this, code] {
            m_guidanceShown = code;
            Q_EMIT guidance(code);
        });
    };
    const auto followMode = [&] {
        const int now = m_modeGeneration.load();
        if (now == generation)
            return;
        generation = now;
        mode = m_mode.load();
        ++epoch;
        debouncer.reset();
        confirmer.reset();
        say({});
    };

    while (!m_stop) {
        std::unique_ptr<FrameSource> source = m_factory ? m_factory() : nullptr;
        const pingyi::Status opened = source
            ? source->open()
            : pingyi::Status(makeError(sourceerror::missing,
                                       QStringLiteral("No camera is configured: start the kiosk with "
                                                      "--camera DEV or --replay PATH.")));
        if (!opened) {
            Status next = statusFor(opened.error().code);
            // A camera pulled out mid-session shows as unplugged until it is back, not as
            // missing once its device node has gone: the staff need to know it was there.
            if (next == Status::Missing && m_status.load() == Status::Unplugged)
                next = Status::Unplugged;
            setStatus(next, opened.error().message);
            say({});
            waitUnlessStopped(std::chrono::milliseconds(m_retryMs.load()));
            continue;
        }
        setStatus(Status::Live, source->describe());

        std::optional<Error> lost;
        while (!m_stop) {
            Result<Frame> read = source->read();
            if (!read) {
                lost = read.error();
                break;
            }
            followMode();
            Frame frame = std::move(read).value();
            {
                QMutexLocker lock(&m_mutex);
                m_latest = frame;
            }
            inOwnThread([this, n = quint64(frame.number)] { Q_EMIT frameArrived(n); });

            if (mode == Mode::Qr) {
                const QrRead qr = qrReader.read(frame.image);
                if (std::optional<QString> text = debouncer.accept(qr))
                    inOwnThread([this, t = *text] { Q_EMIT qrDecoded(t); });
                const QString heard = qr.kind == QrRead::Kind::Decoded ? QString() : qrGuidance(qr.kind);
                if (qr.kind == QrRead::Kind::Decoded)
                    say({}); // read: nothing more to ask of the person, at once
                else if (heard != guidanceHeard) {
                    guidanceHeard = heard;
                    guidanceStreak = 1;
                } else if (heard != guidanceNow && ++guidanceStreak >= kGuidanceFrames)
                    say(heard);
            } else if (mode == Mode::Face) {
                if (!faceReader && faceUnavailable.isEmpty()) {
                    const Result<QString> dir = findFaceModels();
                    if (dir) {
                        auto reader = std::make_unique<FaceReader>(
                            FaceReader {FaceDetector(dir.value()), FaceEmbedder(dir.value())});
                        if (reader->detector.ready() && reader->embedder.ready())
                            faceReader = std::move(reader);
                        else
                            faceUnavailable
                                = reader->detector.ready() ? reader->embedder.why() : reader->detector.why();
                    } else {
                        faceUnavailable = dir.error().message;
                    }
                    if (!faceUnavailable.isEmpty())
                        qCWarning(lcCamera).noquote() << "face reader unavailable:" << faceUnavailable;
                }
                if (!faceReader) {
                    say(QStringLiteral("face-reader-unavailable"));
                    continue;
                }
                const FaceGateResult gate = judgeFaces(faceReader->detector.detect(frame.image),
                                                       cv::Size(frame.image.cols, frame.image.rows));
                const QString heard = faceGuidanceCode(gate.advice);
                if (heard.isEmpty())
                    say({}); // usable: nothing to ask of the person, at once
                else if (heard != guidanceHeard) {
                    guidanceHeard = heard;
                    guidanceStreak = 1;
                } else if (heard != guidanceNow && ++guidanceStreak >= kGuidanceFrames)
                    say(heard);
                if (gate.advice == FaceAdvice::NoFace || gate.advice == FaceAdvice::MoreThanOne)
                    continue;
                FaceSighting seen;
                seen.frame = quint64(frame.number);
                seen.box = QRectF(gate.face.box.x, gate.face.box.y, gate.face.box.width, gate.face.box.height);
                seen.heightRatio = gate.face.quality.heightRatio;
                seen.yaw = gate.face.quality.yaw;
                seen.quality = gate.face.quality;
                seen.usable = gate.advice == FaceAdvice::Ok;
                if (seen.usable || gate.advice == FaceAdvice::NotFrontal) {
                    Result<FaceEmbedding> e = faceReader->embedder.embed(FaceAligner::align(frame.image, gate.face));
                    if (e)
                        seen.embedding = e.value();
                }
                inOwnThread([this, seen] { Q_EMIT faceSeen(seen); });
            } else if (mode == Mode::IdCard) {
                if (!ocr)
                    ocr = std::make_unique<OcrWorker>(m_tessdata);
                if (std::optional<OcrWorker::Done> done = ocr->take(); done && done->generation == epoch) {
                    if (done->unavailable) {
                        if (!std::exchange(ocrUnavailableLogged, true))
                            qCWarning(lcCamera).noquote() << "ID card reader unavailable:" << done->why;
                        say(QStringLiteral("card-reader-unavailable"));
                    } else {
                        if (std::optional<QString> number = confirmer.feed(done->read))
                            inOwnThread([this, n = *number] { Q_EMIT idNumberRead(n); });
                        say(done->read.kind == IdLineRead::Kind::CardOnly ? QStringLiteral("card-no-number")
                                                                          : QString());
                    }
                }
                ocr->offer(frame.image, epoch);
            }
        }
        source->close();
        source.reset();
        {
            QMutexLocker lock(&m_mutex);
            m_latest = Frame(); // no frozen picture of whoever stood there last
        }
        say({});
        ++epoch;
        confirmer.reset();
        if (m_stop || !lost)
            break;
        if (lost->code == QLatin1String(sourceerror::ended)) {
            // A replay that does not loop stays ended; replaying it would repeat its codes.
            setStatus(Status::Ended, lost->message);
            while (waitUnlessStopped(std::chrono::hours(1))) { }
            break;
        }
        setStatus(statusFor(lost->code), lost->message);
        waitUnlessStopped(std::chrono::milliseconds(m_retryMs.load()));
    }
}

} // namespace pingyi::vision
