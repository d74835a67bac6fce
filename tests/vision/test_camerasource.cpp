// Frame sources: the replay of a folder or a video (pace, order, loop or end, a folder that
// disappears) and the V4L2 camera's refusals on a machine without the device asked for.

#include "camerasource.h"
#include "framesource.h"
#include "replaysource.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

using namespace pingyi;
using namespace pingyi::vision;

namespace {

/// A 160×120 frame whose grey level tells which one it is (JPEG and MJPG keep it within a
/// few levels), with a little drawing so the codecs have edges to work on.
cv::Mat markedFrame(int index)
{
    cv::Mat image(120, 160, CV_8UC3, cv::Scalar::all(20 + 20 * index));
    cv::rectangle(image, {10, 10}, {60, 50}, cv::Scalar(0, 0, 255), cv::FILLED);
    return image;
}

/// The mark of a frame: the grey level of a corner away from the drawing.
int markOf(const cv::Mat &image)
{
    const cv::Vec3b px = image.at<cv::Vec3b>(image.rows - 5, image.cols - 5);
    return (int(px[0]) - 20 + 10) / 20;
}

/// Writes frames 0..count-1 as frame<N>.<ext> (unpadded, so name order must be numeric).
void writeFolder(const QString &dir, int count, const char *ext = "png")
{
    QDir().mkpath(dir);
    for (int i = 0; i < count; ++i) {
        const QString file = QStringLiteral("%1/frame%2.%3").arg(dir).arg(i).arg(QLatin1String(ext));
        QVERIFY2(cv::imwrite(QFile::encodeName(file).toStdString(), markedFrame(i)), qPrintable(file));
    }
}

QString errorCode(const Status &s)
{
    return s ? QString() : s.error().code;
}

} // namespace

class TestCameraSource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void folderPlaysInNameOrderAtItsPace();
    void folderEndsOrLoops();
    void folderMixesFormatsAndSkipsOthers();
    void videoFilePlays();
    void folderRemovedIsUnplugged();
    void missingReplays_data();
    void missingReplays();
    void cameraMissing_data();
    void cameraMissing();
    void cameraNotACamera();
    void firstCameraWhenNoneIsPresent();
    void factoriesMakeFreshSources();
    void describeNamesTheSourceOnly();
    void naturalOrder();

private:
    QTemporaryDir m_tmp;
};

void TestCameraSource::folderPlaysInNameOrderAtItsPace()
{
    const QString dir = m_tmp.filePath(QStringLiteral("paced"));
    writeFolder(dir, 12);
    ReplaySource source(dir, 20.0, false);
    QVERIFY(source.open());
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 12; ++i) {
        Result<Frame> frame = source.read();
        QVERIFY2(frame.ok(), qPrintable(frame.ok() ? QString() : frame.error().message));
        QCOMPARE(frame->number, std::uint64_t(i + 1));
        QCOMPARE(frame->image.type(), CV_8UC3);
        QCOMPARE(markOf(frame->image), i); // frame2 before frame10
    }
    // 12 frames at 20/s: the first at once, then 11 intervals of 50 ms.
    const qint64 ms = timer.elapsed();
    qInfo("12 frames at 20 frames/s took %lld ms (550 expected)", ms);
    QVERIFY2(ms >= 500, qPrintable(QString::number(ms)));
    QVERIFY2(ms < 1500, qPrintable(QString::number(ms)));

    // fps <= 0: as fast as asked.
    ReplaySource fast(dir, 0, true);
    QVERIFY(fast.open());
    timer.restart();
    for (int i = 0; i < 48; ++i)
        QVERIFY(fast.read().ok());
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestCameraSource::folderEndsOrLoops()
{
    const QString dir = m_tmp.filePath(QStringLiteral("three"));
    writeFolder(dir, 3, "jpg");

    ReplaySource once(dir, 0, false);
    QVERIFY(once.open());
    for (int i = 0; i < 3; ++i) {
        Result<Frame> f = once.read();
        QVERIFY(f.ok());
        QCOMPARE(markOf(f->image), i);
    }
    Result<Frame> end = once.read();
    QVERIFY(!end.ok());
    QCOMPARE(end.error().code, QString::fromLatin1(sourceerror::ended));
    QVERIFY(!once.read().ok()); // stays ended

    ReplaySource looping(dir, 0, true);
    QVERIFY(looping.open());
    for (int i = 0; i < 8; ++i) {
        Result<Frame> f = looping.read();
        QVERIFY(f.ok());
        QCOMPARE(markOf(f->image), i % 3);
        QCOMPARE(f->number, std::uint64_t(i + 1)); // counts on across the loop
    }
    // Opening again starts from the first frame and frame 1.
    QVERIFY(looping.open());
    Result<Frame> first = looping.read();
    QVERIFY(first.ok());
    QCOMPARE(markOf(first->image), 0);
    QCOMPARE(first->number, std::uint64_t(1));
}

void TestCameraSource::folderMixesFormatsAndSkipsOthers()
{
    const QString dir = m_tmp.filePath(QStringLiteral("mixed"));
    QDir().mkpath(dir);
    const auto write = [&](const char *name, int mark) {
        QVERIFY(cv::imwrite(QFile::encodeName(dir + QLatin1Char('/') + QLatin1String(name)).toStdString(),
                            markedFrame(mark)));
    };
    write("a.png", 0);
    write("b.JPG", 1);
    write("c.jpeg", 2);
    write("d.bmp", 3);
    // Not frames: a text file, an image type the replay does not take, a broken PNG.
    QFile notes(dir + QStringLiteral("/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("not a frame");
    notes.close();
    write("e.tiff", 9);
    QFile broken(dir + QStringLiteral("/c2.png"));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write("\x89PNG truncated");
    broken.close();

    ReplaySource source(dir, 0, false);
    QVERIFY(source.open());
    QList<int> marks;
    for (;;) {
        Result<Frame> f = source.read();
        if (!f)
            break;
        QCOMPARE(f->image.type(), CV_8UC3);
        marks.append(markOf(f->image));
    }
    QCOMPARE(marks, QList<int>({0, 1, 2, 3}));
}

void TestCameraSource::videoFilePlays()
{
    const QString file = m_tmp.filePath(QStringLiteral("clip.avi"));
    {
        cv::VideoWriter writer(QFile::encodeName(file).toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15.0,
                               cv::Size(160, 120));
        QVERIFY2(writer.isOpened(), "OpenCV cannot write an MJPG .avi here");
        for (int i = 0; i < 8; ++i)
            writer.write(markedFrame(i));
    }

    ReplaySource once(file, 0, false);
    QVERIFY(once.open());
    QVERIFY(once.describe().contains(QStringLiteral("video")));
    for (int i = 0; i < 8; ++i) {
        Result<Frame> f = once.read();
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().message));
        QCOMPARE(f->image.size(), cv::Size(160, 120));
        QCOMPARE(f->image.type(), CV_8UC3);
        QCOMPARE(markOf(f->image), i);
    }
    Result<Frame> end = once.read();
    QVERIFY(!end.ok());
    QCOMPARE(end.error().code, QString::fromLatin1(sourceerror::ended));

    ReplaySource looping(file, 30.0, true);
    QVERIFY(looping.open());
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 10; ++i) {
        Result<Frame> f = looping.read();
        QVERIFY(f.ok());
        QCOMPARE(markOf(f->image), i % 8);
    }
    // 10 frames at 30/s: 9 intervals of 33 ms.
    QVERIFY2(timer.elapsed() >= 270 && timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
}

void TestCameraSource::folderRemovedIsUnplugged()
{
    const QString dir = m_tmp.filePath(QStringLiteral("pulled"));
    writeFolder(dir, 4);
    ReplaySource source(dir, 0, true);
    QVERIFY(source.open());
    QVERIFY(source.read().ok());
    QVERIFY(QDir(dir).removeRecursively());
    Result<Frame> lost = source.read();
    QVERIFY(!lost.ok());
    QCOMPARE(lost.error().code, QString::fromLatin1(sourceerror::unplugged));
    QVERIFY(lost.error().message.contains(dir));
    QVERIFY(!source.read().ok());
    // Gone: opening again says missing; put back: opening again plays.
    QCOMPARE(errorCode(source.open()), QString::fromLatin1(sourceerror::missing));
    writeFolder(dir, 2);
    QVERIFY(source.open());
    QVERIFY(source.read().ok());

    // Emptied (the folder stays) is unplugged too.
    for (const QString &name : QDir(dir).entryList(QDir::Files))
        QVERIFY(QFile::remove(dir + QLatin1Char('/') + name));
    Result<Frame> emptied = source.read();
    QVERIFY(!emptied.ok());
    QCOMPARE(emptied.error().code, QString::fromLatin1(sourceerror::unplugged));
    QCOMPARE(errorCode(source.open()), QString::fromLatin1(sourceerror::missing));
}

void TestCameraSource::missingReplays_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("hint");
    QTest::newRow("no such folder") << m_tmp.filePath(QStringLiteral("nowhere")) << QStringLiteral("--replay");
    QTest::newRow("empty path") << QString() << QStringLiteral("--replay");
    QTest::newRow("folder without images") << m_tmp.filePath(QStringLiteral("empty")) << QStringLiteral("no images");
    QTest::newRow("not a video") << m_tmp.filePath(QStringLiteral("text.avi")) << QStringLiteral("not a video");
}

void TestCameraSource::missingReplays()
{
    QFETCH(QString, path);
    QFETCH(QString, hint);
    QDir().mkpath(m_tmp.filePath(QStringLiteral("empty")));
    QFile text(m_tmp.filePath(QStringLiteral("text.avi")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("this is not a video\n");
    text.close();

    ReplaySource source(path, 15.0, true);
    const Status opened = source.open();
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QString::fromLatin1(sourceerror::missing));
    QVERIFY2(opened.error().message.contains(hint), qPrintable(opened.error().message));
    if (!path.isEmpty())
        QVERIFY(opened.error().message.contains(path));
    Result<Frame> read = source.read();
    QVERIFY(!read.ok());
}

void TestCameraSource::cameraMissing_data()
{
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("path");
    QTest::newRow("path") << QStringLiteral("/dev/video99") << QStringLiteral("/dev/video99");
    QTest::newRow("index") << QStringLiteral("99") << QStringLiteral("/dev/video99");
}

void TestCameraSource::cameraMissing()
{
    QFETCH(QString, device);
    QFETCH(QString, path);
    if (QFile::exists(path))
        QSKIP("this machine has a /dev/video99");
    CameraSource camera(device);
    QElapsedTimer timer;
    timer.start();
    const Status opened = camera.open();
    QVERIFY(!opened.ok());
    QVERIFY2(timer.elapsed() < 500, "a missing camera is reported at once");
    QCOMPARE(opened.error().code, QString::fromLatin1(sourceerror::missing));
    const QString message = opened.error().message;
    QVERIFY2(message.contains(path), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("plug the camera in")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("--camera")), qPrintable(message));
    QVERIFY(camera.describe().contains(path));

    Result<Frame> read = camera.read();
    QVERIFY(!read.ok());
    QCOMPARE(read.error().code, QString::fromLatin1(sourceerror::unplugged));
    camera.close();
    camera.close();
}

void TestCameraSource::cameraNotACamera()
{
    // A character device that is no camera, and a plain file.
    for (const QString &path : {QStringLiteral("/dev/null"), m_tmp.filePath(QStringLiteral("plain"))}) {
        QFile plain(m_tmp.filePath(QStringLiteral("plain")));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        CameraSource camera(path);
        const Status opened = camera.open();
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, QString::fromLatin1(sourceerror::missing));
        QVERIFY2(opened.error().message.contains(QStringLiteral("is not a camera")),
                 qPrintable(opened.error().message));
        QVERIFY(opened.error().message.contains(path));
    }
}

void TestCameraSource::firstCameraWhenNoneIsPresent()
{
    if (!QDir(QStringLiteral("/dev")).entryList({QStringLiteral("video*")}, QDir::System | QDir::Files).isEmpty())
        QSKIP("this machine has /dev/video* devices");
    CameraSource camera({});
    const Status opened = camera.open();
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QString::fromLatin1(sourceerror::missing));
    QVERIFY2(opened.error().message.contains(QStringLiteral("No camera found")), qPrintable(opened.error().message));
    QVERIFY(opened.error().message.contains(QStringLiteral("--camera")));
}

void TestCameraSource::factoriesMakeFreshSources()
{
    const QString dir = m_tmp.filePath(QStringLiteral("factory"));
    writeFolder(dir, 2);
    const FrameSourceFactory replay = replayFactory(dir, 0, false);
    std::unique_ptr<FrameSource> a = replay();
    std::unique_ptr<FrameSource> b = replay();
    QVERIFY(a && b && a.get() != b.get());
    QVERIFY(a->open());
    QVERIFY(a->read().ok());
    QVERIFY(a->read().ok());
    QVERIFY(!a->read().ok());
    QVERIFY(b->open()); // its own position
    QVERIFY(b->read().ok());
    QVERIFY(a->describe().contains(dir));

    const FrameSourceFactory camera = cameraFactory(QStringLiteral("/dev/video99"), 320, 240);
    std::unique_ptr<FrameSource> c = camera();
    QVERIFY(c);
    QVERIFY(c->describe().contains(QStringLiteral("/dev/video99")));
    QVERIFY(c->describe().contains(QStringLiteral("320")));
    if (!QFile::exists(QStringLiteral("/dev/video99")))
        QCOMPARE(errorCode(c->open()), QString::fromLatin1(sourceerror::missing));
}

void TestCameraSource::describeNamesTheSourceOnly()
{
    const QString dir = m_tmp.filePath(QStringLiteral("describe"));
    writeFolder(dir, 5);
    ReplaySource source(dir, 15.0, true);
    QVERIFY(source.open());
    const QString before = source.describe();
    QVERIFY2(before.contains(QStringLiteral("5 images")), qPrintable(before));
    QVERIFY(before.contains(dir));
    QVERIFY(source.read().ok());
    QVERIFY(source.read().ok());
    // Reading frames changes nothing in it: no frame number, no pixels, nothing of a frame.
    QCOMPARE(source.describe(), before);
    QVERIFY(before.size() < dir.size() + 80);
    for (const QChar c : before)
        QVERIFY2(c.isPrint(), qPrintable(before));

    const CameraSource camera(QStringLiteral("/dev/video7"));
    QCOMPARE(camera.describe(), QStringLiteral("camera /dev/video7 at 640×480"));
}

void TestCameraSource::naturalOrder()
{
    QStringList names = {
        QStringLiteral("frame10.png"), QStringLiteral("frame2.png"), QStringLiteral("frame1.png"),
        QStringLiteral("frame02.png"), QStringLiteral("a.png"),      QStringLiteral("frame.png"),
        QStringLiteral("video10"),     QStringLiteral("video9"),     QStringLiteral("frame99999999999999999999.png")};
    std::sort(names.begin(), names.end(), naturalLess);
    QCOMPARE(names,
             QStringList({QStringLiteral("a.png"), QStringLiteral("frame.png"), QStringLiteral("frame1.png"),
                          QStringLiteral("frame02.png"), QStringLiteral("frame2.png"), QStringLiteral("frame10.png"),
                          QStringLiteral("frame99999999999999999999.png"), QStringLiteral("video9"),
                          QStringLiteral("video10")}));
    QVERIFY(!naturalLess(QStringLiteral("x1"), QStringLiteral("x1")));
}

QTEST_GUILESS_MAIN(TestCameraSource)
#include "test_camerasource.moc"
