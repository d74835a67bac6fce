// The camera thread with the replay source and a scripted source: status, frames, a folder
// pulled out and put back (hot-plug recovery without a restart), prompt stops, retries and
// modes switched from other threads.

#include "cameraservice.h"
#include "qrcode.h"
#include "replaysource.h"
#include "synth.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <thread>

using namespace pingyi;
using namespace pingyi::vision;
using namespace std::chrono_literals;

namespace {

using CamStatus = CameraService::Status;
using Mode = CameraService::Mode;

/// Plain 320×240 frames without a code or a card on them.
void writeFolder(const QString &dir, int count)
{
    QDir().mkpath(dir);
    for (int i = 0; i < count; ++i) {
        cv::Mat image(240, 320, CV_8UC3, cv::Scalar(40 + 10 * i, 90, 140));
        cv::circle(image, {160, 120}, 30 + 5 * i, cv::Scalar(200, 200, 200), 3);
        const QString file = QStringLiteral("%1/frame%2.png").arg(dir).arg(i);
        QVERIFY(cv::imwrite(QFile::encodeName(file).toStdString(), image));
    }
}

/// An invitation-card-like frame: `text` as a QR code (libqrencode, 6 px modules, quiet
/// zone) on a card held in a grey 640×480 view.
void writeQrFrame(const QString &file, const QString &text)
{
    const QrMatrix qr = encodeQr(text);
    QVERIFY(!qr.isNull());
    cv::Mat image(480, 640, CV_8UC3, cv::Scalar(110, 100, 95));
    const int module = 6;
    const int side = (qr.size + 8) * module;
    const cv::Rect card((640 - side) / 2, (480 - side) / 2, side, side);
    cv::rectangle(image, card, cv::Scalar(235, 235, 235), cv::FILLED);
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size; ++x)
            if (qr.at(x, y))
                cv::rectangle(image, cv::Rect(card.x + (x + 4) * module, card.y + (y + 4) * module, module, module),
                              cv::Scalar(20, 20, 20), cv::FILLED);
    QVERIFY(cv::imwrite(QFile::encodeName(file).toStdString(), image));
}

/// A source whose behaviour the test sets, and which records how the thread used it.
struct Script {
    std::atomic<int> opens {0};
    std::atomic<int> reads {0};
    std::atomic<bool> readOffGuiThread {true};
    std::atomic<bool> busy {false}; // open() fails with busy
    QThread *guiThread = nullptr;
};

class ScriptedSource final : public FrameSource {
public:
    explicit ScriptedSource(std::shared_ptr<Script> script) : m_script(std::move(script)) { }
    pingyi::Status open() override
    {
        ++m_script->opens;
        if (m_script->busy)
            return makeError(sourceerror::busy, QStringLiteral("The scripted camera is in use."));
        m_count = 0;
        return {};
    }
    Result<Frame> read() override
    {
        ++m_script->reads;
        if (QThread::currentThread() == m_script->guiThread)
            m_script->readOffGuiThread = false;
        std::this_thread::sleep_for(10ms);
        return Frame {cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(128)), ++m_count};
    }
    void close() override { }
    QString describe() const override { return QStringLiteral("scripted camera"); }

private:
    std::shared_ptr<Script> m_script;
    std::uint64_t m_count = 0;
};

FrameSourceFactory scripted(const std::shared_ptr<Script> &script)
{
    return [script] {
        return std::make_unique<ScriptedSource>(script);
    };
}

} // namespace

class TestCameraService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void goesLiveAndDeliversFrames();
    void stopIsPrompt();
    void restartsAfterStop();
    void nothingArrivesAfterStop();
    void folderPulledOutAndPutBack();
    void missingUntilPluggedIn();
    void busyIsRetriedAtTheInterval();
    void endedReplayIsNotRetried();
    void modesSwitchFromAnyThread();
    void noReadOnFramesWithoutCodeOrCard();
    void heldCodeIsDecodedOnce();
    void guidanceIsSaidOnceAndDoesNotFlicker();
    void heldIdCardIsReadOnce();

private:
    QTemporaryDir m_tmp;
    QString m_frames;
};

void TestCameraService::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_frames = m_tmp.filePath(QStringLiteral("frames"));
    writeFolder(m_frames, 6);
}

void TestCameraService::goesLiveAndDeliversFrames()
{
    CameraService service(replayFactory(m_frames, 30.0, true));
    QCOMPARE(service.status(), CamStatus::Off);
    QVERIFY(service.latestFrame().empty());
    QSignalSpy frames(&service, &CameraService::frameArrived);
    QSignalSpy statuses(&service, &CameraService::statusChanged);
    bool frameSignalsOnGuiThread = true;
    connect(&service, &CameraService::frameArrived, this,
            [&] { frameSignalsOnGuiThread = frameSignalsOnGuiThread && QThread::currentThread() == thread(); });

    QElapsedTimer timer;
    qint64 openMs = -1; // measured where the status changes, not at the next poll
    connect(&service, &CameraService::statusChanged, this, [&] {
        if (service.status() == CamStatus::Live && openMs < 0)
            openMs = timer.elapsed();
    });
    timer.start();
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
    QTRY_VERIFY(openMs >= 0);
    QVERIFY(statuses.count() >= 2); // Starting, Live
    QVERIFY2(service.statusDetail().contains(QStringLiteral("replay of 6 images")), qPrintable(service.statusDetail()));

    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 15, 3000);
    const qint64 fifteenMs = timer.elapsed();
    qInfo("start → Live %lld ms; 15 frames at 30 frames/s after %lld ms", openMs, fifteenMs);
    QVERIFY(frameSignalsOnGuiThread); // queued to the receiver's thread, never called on the camera thread
    quint64 previous = 0;
    for (const QList<QVariant> &args : std::as_const(frames)) {
        QVERIFY(args.at(0).toULongLong() > previous);
        previous = args.at(0).toULongLong();
    }
    const Frame latest = service.latestFrame();
    QVERIFY(!latest.empty());
    QCOMPARE(latest.image.type(), CV_8UC3);
    QCOMPARE(latest.image.size(), cv::Size(320, 240));
    QVERIFY(latest.number >= 1);
    service.stop();
}

void TestCameraService::stopIsPrompt()
{
    // Frames flowing, a slow replay (a read waits 250 ms for its frame) and a retry wait.
    struct Case {
        const char *what;
        FrameSourceFactory factory;
        CamStatus before;
    };
    const std::vector<Case> cases = {
        {"live at 30 frames/s", replayFactory(m_frames, 30.0, true), CamStatus::Live},
        {"live at 4 frames/s", replayFactory(m_frames, 4.0, true), CamStatus::Live},
        {"waiting to retry", replayFactory(m_tmp.filePath(QStringLiteral("absent")), 30.0, true), CamStatus::Missing},
    };
    for (const Case &c : cases) {
        CameraService service(c.factory);
        service.setRetryInterval(10s);
        service.start();
        QTRY_COMPARE_WITH_TIMEOUT(service.status(), c.before, 2000);
        QTest::qWait(300);
        QSignalSpy statuses(&service, &CameraService::statusChanged);
        QElapsedTimer timer;
        timer.start();
        service.stop();
        const qint64 ms = timer.elapsed();
        qInfo("stop() while %s: %lld ms", c.what, ms);
        QVERIFY2(ms < 500, c.what);
        QCOMPARE(service.status(), CamStatus::Off);
        QCOMPARE(statuses.count(), 1);
        QVERIFY(service.latestFrame().empty());
        service.stop(); // again: nothing to do
    }
}

void TestCameraService::restartsAfterStop()
{
    auto script = std::make_shared<Script>();
    script->guiThread = QThread::currentThread();
    CameraService service(scripted(script));
    for (int round = 0; round < 3; ++round) {
        QSignalSpy frames(&service, &CameraService::frameArrived);
        service.start();
        service.start(); // already running: nothing happens
        QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 3, 2000);
        service.stop();
        QCOMPARE(service.status(), CamStatus::Off);
    }
    QCOMPARE(script->opens.load(), 3);
    QVERIFY(script->readOffGuiThread); // the GUI thread never reads a frame
    // Destroying a running service stops it.
    auto running = std::make_unique<CameraService>(scripted(script));
    running->start();
    QTRY_COMPARE_WITH_TIMEOUT(running->status(), CamStatus::Live, 2000);
    running.reset();
}

void TestCameraService::nothingArrivesAfterStop()
{
    auto script = std::make_shared<Script>();
    CameraService service(scripted(script));
    QSignalSpy frames(&service, &CameraService::frameArrived);
    QSignalSpy statuses(&service, &CameraService::statusChanged);
    service.setMode(Mode::Qr);
    service.start();
    QCOMPARE(statuses.count(), 1); // Starting, said at once on this thread
    // The GUI thread is busy while frames pile up in its queue.
    std::this_thread::sleep_for(300ms);
    QVERIFY(script->reads > 5);
    service.stop();
    QTest::qWait(200);
    QCOMPARE(frames.count(), 0);
    QCOMPARE(statuses.count(), 2); // Starting, Off: the queued "Live" was dropped with the frames
    QCOMPARE(service.status(), CamStatus::Off);
}

void TestCameraService::folderPulledOutAndPutBack()
{
    const QString dir = m_tmp.filePath(QStringLiteral("hotplug"));
    writeFolder(dir, 4);
    CameraService service(replayFactory(dir, 30.0, true));
    service.setRetryInterval(200ms);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 3, 2000);

    // Pulled out.
    QElapsedTimer timer;
    timer.start();
    QVERIFY(QDir(dir).removeRecursively());
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Unplugged, 2000);
    const qint64 noticedMs = timer.elapsed();
    QVERIFY2(service.statusDetail().contains(dir), qPrintable(service.statusDetail()));
    QVERIFY(service.latestFrame().empty()); // no frozen picture
    // Reopening keeps failing (the folder is gone), yet the status stays "unplugged": the
    // staff should know the camera was there and is expected back.
    QTest::qWait(700);
    QCOMPARE(service.status(), CamStatus::Unplugged);
    QVERIFY2(service.statusDetail().contains(QStringLiteral("--replay")), qPrintable(service.statusDetail()));
    QTest::qWait(100); // queued frame signals from before the loss
    frames.clear();
    QTest::qWait(300);
    QCOMPARE(frames.count(), 0);

    // Put back: live again without touching the service.
    qint64 recoveredMs = -1;
    connect(&service, &CameraService::statusChanged, this, [&] {
        if (service.status() == CamStatus::Live && recoveredMs < 0)
            recoveredMs = timer.elapsed();
    });
    timer.restart();
    writeFolder(dir, 4);
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 3000);
    QTRY_VERIFY(recoveredMs >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 3, 2000);
    QVERIFY(!service.latestFrame().empty());
    qInfo("unplug noticed after %lld ms; live again %lld ms after the folder came back (retry every 200 ms)", noticedMs,
          recoveredMs);
    QVERIFY(recoveredMs < 1500);
    service.stop();
}

void TestCameraService::missingUntilPluggedIn()
{
    const QString dir = m_tmp.filePath(QStringLiteral("later"));
    CameraService service(replayFactory(dir, 30.0, true));
    service.setRetryInterval(100ms);
    QSignalSpy statuses(&service, &CameraService::statusChanged);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Missing, 2000);
    QVERIFY2(service.statusDetail().contains(dir), qPrintable(service.statusDetail()));
    // Retrying with the same result says nothing new.
    const int afterMissing = statuses.count();
    QTest::qWait(500);
    QCOMPARE(statuses.count(), afterMissing);

    writeFolder(dir, 2);
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
    QTRY_VERIFY_WITH_TIMEOUT(!service.latestFrame().empty(), 2000);
    service.stop();

    // A real camera that is not there: missing, with what to do.
    if (!QFile::exists(QStringLiteral("/dev/video99"))) {
        CameraService camera(cameraFactory(QStringLiteral("/dev/video99")));
        camera.start();
        QTRY_COMPARE_WITH_TIMEOUT(camera.status(), CamStatus::Missing, 2000);
        QVERIFY(camera.statusDetail().contains(QStringLiteral("/dev/video99")));
        QVERIFY(camera.statusDetail().contains(QStringLiteral("--camera")));
    }
}

void TestCameraService::busyIsRetriedAtTheInterval()
{
    auto script = std::make_shared<Script>();
    script->busy = true;
    CameraService service(scripted(script));
    service.setRetryInterval(100ms);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Busy, 2000);
    const int opensAtBusy = script->opens;
    QTest::qWait(1000);
    const int retries = script->opens - opensAtBusy;
    qInfo("busy: %d opens in 1 s at a 100 ms interval", retries);
    QVERIFY2(retries >= 5 && retries <= 11, qPrintable(QString::number(retries)));
    QVERIFY(service.statusDetail().contains(QStringLiteral("in use")));

    // The other program lets go.
    script->busy = false;
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
    QCOMPARE(service.statusDetail(), QStringLiteral("scripted camera"));
    service.stop();
}

void TestCameraService::endedReplayIsNotRetried()
{
    int made = 0;
    const FrameSourceFactory once = replayFactory(m_frames, 0, false);
    CameraService service([&made, once] {
        ++made;
        return once();
    });
    service.setRetryInterval(50ms);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Ended, 2000);
    QVERIFY(service.statusDetail().contains(QStringLiteral("6 frames")));
    QTest::qWait(400);
    QCOMPARE(made, 1);
    QCOMPARE(frames.count(), 6);
    QElapsedTimer timer;
    timer.start();
    service.stop();
    QVERIFY(timer.elapsed() < 500);
}

void TestCameraService::modesSwitchFromAnyThread()
{
    auto script = std::make_shared<Script>();
    CameraService service(scripted(script));
    QSignalSpy guidance(&service, &CameraService::guidance);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);
    QCOMPARE(service.mode(), Mode::Preview);

    // Two threads flip the mode while frames flow; the thread must keep going.
    const int readsBefore = script->reads;
    std::atomic<bool> done {false};
    const auto flip = [&](Mode a, Mode b) {
        for (int i = 0; i < 300 && !done; ++i) {
            service.setMode(i % 2 ? a : b);
            std::this_thread::sleep_for(1ms);
        }
    };
    std::thread one(flip, Mode::Qr, Mode::IdCard);
    std::thread two(flip, Mode::IdCard, Mode::Preview);
    one.join();
    two.join();
    service.setMode(Mode::IdCard);
    QCOMPARE(service.mode(), Mode::IdCard);
    QTRY_VERIFY_WITH_TIMEOUT(script->reads > readsBefore + 20, 3000);
    QCOMPARE(service.status(), CamStatus::Live);
    service.setMode(Mode::Preview);
    QCOMPARE(service.mode(), Mode::Preview);
    QTest::qWait(200);
    // Guidance is only ever said when it changes.
    for (qsizetype i = 1; i < guidance.count(); ++i)
        QVERIFY(guidance.at(i).at(0) != guidance.at(i - 1).at(0));
    QElapsedTimer timer;
    timer.start();
    service.stop();
    qInfo("stop() with an ID read possibly in flight: %lld ms", timer.elapsed());
    QVERIFY(timer.elapsed() < 500);
}

void TestCameraService::noReadOnFramesWithoutCodeOrCard()
{
    // Frames with neither a code nor a card: nothing is ever decoded or read, in any mode.
    CameraService service(replayFactory(m_frames, 30.0, true));
    QSignalSpy codes(&service, &CameraService::qrDecoded);
    QSignalSpy numbers(&service, &CameraService::idNumberRead);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.setMode(Mode::Qr);
    service.start();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 15, 3000);
    service.setMode(Mode::IdCard);
    frames.clear();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 30, 4000);
    service.stop();
    QCOMPARE(codes.count(), 0);
    QCOMPARE(numbers.count(), 0);
}

void TestCameraService::heldCodeIsDecodedOnce()
{
    // A card held in front of the camera: the same frame again and again at 30 frames/s.
    const QString dir = m_tmp.filePath(QStringLiteral("held"));
    QDir().mkpath(dir);
    const QString text = QStringLiteral("PYI1.test-invitation.0123456789abcdef");
    writeQrFrame(dir + QStringLiteral("/frame0.png"), text);
    CameraService service(replayFactory(dir, 30.0, true));
    QSignalSpy codes(&service, &CameraService::qrDecoded);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(service.status(), CamStatus::Live, 2000);

    // Preview: nothing is decoded.
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 10, 2000);
    QCOMPARE(codes.count(), 0);

    service.setMode(Mode::Qr);
    QTRY_COMPARE_WITH_TIMEOUT(codes.count(), 1, 2000);
    QCOMPARE(codes.at(0).at(0).toString(), text);
    // Held for well over a second (about 45 more frames, within the 3 s pause): still once.
    frames.clear();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 45, 4000);
    QCOMPARE(codes.count(), 1);

    // Setting the mode again (the kiosk is ready for the next person) forgets the code.
    service.setMode(Mode::Qr);
    QTRY_COMPARE_WITH_TIMEOUT(codes.count(), 2, 2000);
    QCOMPARE(codes.at(1).at(0).toString(), text);
    service.stop();
}

void TestCameraService::guidanceIsSaidOnceAndDoesNotFlicker()
{
    // A reflection (a saturated patch in the middle of the view) held in front of the camera.
    const QString glare = m_tmp.filePath(QStringLiteral("glare"));
    QDir().mkpath(glare);
    cv::Mat plain(480, 640, CV_8UC3, cv::Scalar(110, 100, 95));
    cv::Mat bright = plain.clone();
    cv::ellipse(bright, {320, 240}, {90, 60}, 0, 0, 360, cv::Scalar(255, 255, 255), cv::FILLED);
    QVERIFY(cv::imwrite(QFile::encodeName(glare + QStringLiteral("/frame0.png")).toStdString(), bright));

    CameraService service(replayFactory(glare, 30.0, true));
    QSignalSpy guidance(&service, &CameraService::guidance);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.setMode(Mode::Qr);
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(guidance.count(), 1, 3000);
    QCOMPARE(guidance.at(0).at(0).toString(), QStringLiteral("qr-glare"));
    frames.clear();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 20, 3000);
    QCOMPARE(guidance.count(), 1); // said once, not once per frame
    service.setMode(Mode::Preview);
    QTRY_COMPARE_WITH_TIMEOUT(guidance.count(), 2, 2000);
    QCOMPARE(guidance.at(1).at(0).toString(), QString()); // nothing to say in preview
    service.setMode(Mode::Qr);
    QTRY_COMPARE_WITH_TIMEOUT(guidance.count(), 3, 2000);
    QCOMPARE(guidance.at(2).at(0).toString(), QStringLiteral("qr-glare"));
    service.stop(); // stopped: nothing to say any more, even if the thread's last word was dropped
    QCOMPARE(guidance.count(), 4);
    QCOMPARE(guidance.at(3).at(0).toString(), QString());

    // Glare in every other frame: never said, the screen does not flicker.
    const QString flicker = m_tmp.filePath(QStringLiteral("flicker"));
    QDir().mkpath(flicker);
    QVERIFY(cv::imwrite(QFile::encodeName(flicker + QStringLiteral("/frame0.png")).toStdString(), bright));
    QVERIFY(cv::imwrite(QFile::encodeName(flicker + QStringLiteral("/frame1.png")).toStdString(), plain));
    CameraService flickering(replayFactory(flicker, 30.0, true));
    QSignalSpy flickerGuidance(&flickering, &CameraService::guidance);
    QSignalSpy flickerFrames(&flickering, &CameraService::frameArrived);
    flickering.setMode(Mode::Qr);
    flickering.start();
    QTRY_VERIFY_WITH_TIMEOUT(flickerFrames.count() >= 30, 3000);
    flickering.stop();
    QCOMPARE(flickerGuidance.count(), 0);
}

void TestCameraService::heldIdCardIsReadOnce()
{
    std::mt19937_64 rng(11);
    const QString number = synth::randomIdNumber(rng);
    const QString wrong = synth::withWrongCheckCharacter(number, rng);
    const auto cardFolder = [&](const char *name, const QString &printed) {
        const QString dir = m_tmp.filePath(QLatin1String(name));
        QDir().mkpath(dir);
        synth::Distortion d;
        d.scale = 0.85;
        const cv::Mat frame = synth::placeInFrame(synth::renderIdCard(synth::randomFace(printed, rng)), d, 5);
        [&] {
            QVERIFY(cv::imwrite(QFile::encodeName(dir + QStringLiteral("/frame0.png")).toStdString(), frame));
        }();
        return dir;
    };

    // A card held under the camera: read, confirmed over several reads, handed on once.
    CameraService service(replayFactory(cardFolder("card", number), 15.0, true));
    QSignalSpy numbers(&service, &CameraService::idNumberRead);
    QSignalSpy frames(&service, &CameraService::frameArrived);
    service.setMode(Mode::IdCard);
    QElapsedTimer timer;
    timer.start();
    service.start();
    QTRY_COMPARE_WITH_TIMEOUT(numbers.count(), 1, 10000);
    qInfo("ID number confirmed %lld ms after start", timer.elapsed());
    QCOMPARE(numbers.at(0).at(0).toString(), number);
    frames.clear();
    QTRY_VERIFY_WITH_TIMEOUT(frames.count() >= 20, 4000); // held on: not again
    QCOMPARE(numbers.count(), 1);
    service.setMode(Mode::IdCard); // the next person: read again
    QTRY_COMPARE_WITH_TIMEOUT(numbers.count(), 2, 10000);
    QCOMPARE(numbers.at(1).at(0).toString(), number);
    service.stop();

    // The same card with a wrong check character: never read, the person is told.
    CameraService wrongCard(replayFactory(cardFolder("wrong", wrong), 15.0, true));
    QSignalSpy wrongNumbers(&wrongCard, &CameraService::idNumberRead);
    QSignalSpy wrongGuidance(&wrongCard, &CameraService::guidance);
    QSignalSpy wrongFrames(&wrongCard, &CameraService::frameArrived);
    wrongCard.setMode(Mode::IdCard);
    wrongCard.start();
    QTRY_VERIFY_WITH_TIMEOUT(wrongFrames.count() >= 45, 6000);
    wrongCard.stop();
    QCOMPARE(wrongNumbers.count(), 0);
    QVERIFY(!wrongGuidance.isEmpty());
    QCOMPARE(wrongGuidance.at(0).at(0).toString(), QStringLiteral("card-no-number"));
}

// QGuiApplication: the synthetic ID cards are drawn with Qt Gui's fonts.
QTEST_MAIN(TestCameraService)
#include "test_cameraservice.moc"
