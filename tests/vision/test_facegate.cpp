// The face quality gate (vision/facegate.*) on real faces: dlib's example photos
// (libdlib19.1) placed in synthetic 640×480 kiosk frames at the sizes, light and focus a
// representative in front of the kiosk gives, then moved out of each limit one at a time:
// too far, too close (and cut by the frame's edge), too dark, blurred, turned, and a second
// person beside the first. Prints the measured values the limits were chosen from.

#include "cameraservice.h"
#include "dlibphotos.h"
#include "facedetector.h"
#include "facegate.h"
#include "facemodels.h"
#include "synth.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <utility>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace pingyi::vision;

namespace {

/// One photo of each of dlib's five Johns (the first of each).
std::vector<cv::Mat> onePerPerson()
{
    std::vector<cv::Mat> faces;
    QString last;
    for (const dlibphotos::Chip &chip : dlibphotos::johns())
        if (chip.person != std::exchange(last, chip.person))
            faces.push_back(chip.image);
    return faces;
}

/// Every face refused, and (nearly) all for the expected reason: a face the detector misses
/// entirely at that distortion counts as refused too, but at most one of the five.
bool refusedFor(const QList<FaceAdvice> &advice, FaceAdvice expected)
{
    return !advice.contains(FaceAdvice::Ok) && advice.count(expected) >= advice.size() - 1;
}

} // namespace

class TestFaceGate : public QObject {
    Q_OBJECT
    std::unique_ptr<FaceDetector> m_detector;
    std::vector<cv::Mat> m_faces;

    FaceGateResult judge(const cv::Mat &frame) { return judgeFaces(m_detector->detect(frame), frame.size()); }

    /// The advice for each of the five faces in a frame distorted as `d`, with the values.
    QList<FaceAdvice> advise(const synth::FaceDistortion &d, const char *what)
    {
        QList<FaceAdvice> out;
        for (size_t i = 0; i < m_faces.size(); ++i) {
            const cv::Mat frame = synth::faceInFrame(m_faces[i], d, 100 + i);
            const FaceGateResult r = judge(frame);
            out << r.advice;
            const FaceQuality &q = r.face.quality;
            qInfo("%-10s face %zu: %-10s height %.2f brightness %3.0f sharpness %5.0f yaw %+.2f roll %+5.1f", what, i,
                  qPrintable(faceGuidanceCode(r.advice).isEmpty() ? QStringLiteral("ok") : faceGuidanceCode(r.advice)),
                  q.heightRatio, q.brightness, q.sharpness, q.yaw, q.roll);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto dir = findFaceModels();
        QVERIFY2(dir.ok(), qPrintable(dir ? QString() : dir.error().message));
        m_detector = std::make_unique<FaceDetector>(dir.value());
        QVERIFY2(m_detector->ready(), qPrintable(m_detector->why()));
        if (!dlibphotos::installed())
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        m_faces = onePerPerson();
        QCOMPARE(m_faces.size(), size_t(5));
    }

    void noFaceInAnEmptyFrame()
    {
        const cv::Mat empty(480, 640, CV_8UC3, cv::Scalar(120, 130, 140));
        QCOMPARE(judge(empty).advice, FaceAdvice::NoFace);
        QCOMPARE(faceGuidanceCode(FaceAdvice::NoFace), QStringLiteral("face-none"));
    }

    // The camera service in face mode on a replay: a face too far away is told to come closer
    // (once, after it held for a few frames), then the same face near and sharp passes the gate
    // and arrives with its embedding; its embedding is the person's (close to an embedding of
    // another photo of them is not asserted here: test_face does that).
    void cameraServiceFaceMode()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        synth::FaceDistortion far;
        far.scale = 0.7;
        synth::FaceDistortion near;
        near.scale = 1.6;
        int n = 0;
        const auto write = [&](const cv::Mat &frame) {
            const QString file = tmp.filePath(QStringLiteral("frame%1.png").arg(n++, 3, 10, QLatin1Char('0')));
            return cv::imwrite(QFile::encodeName(file).toStdString(), frame);
        };
        for (int i = 0; i < 6; ++i)
            QVERIFY(write(synth::faceInFrame(m_faces[2], far, 40)));
        for (int i = 0; i < 6; ++i)
            QVERIFY(write(synth::faceInFrame(m_faces[2], near, 41)));
        CameraService service(replayFactory(tmp.path(), 0.0, false));
        QSignalSpy guidance(&service, &CameraService::guidance);
        QSignalSpy seen(&service, &CameraService::faceSeen);
        service.setMode(CameraService::Mode::Face);
        service.start();
        QTRY_COMPARE_WITH_TIMEOUT(service.status(), CameraService::Status::Ended, 20000);
        // The status is read straight from the camera thread; what it reported before ending
        // is still on its way through the event loop, and stop() drops what has not arrived.
        const auto usableSeen = [&] {
            int n = 0;
            for (const auto &args : seen)
                n += args.at(0).value<FaceSighting>().usable ? 1 : 0;
            return n;
        };
        QTRY_COMPARE_WITH_TIMEOUT(usableSeen(), 6, 5000);
        service.stop();
        QStringList said;
        for (const auto &args : guidance)
            said << args.at(0).toString();
        QCOMPARE(said, QStringList({QStringLiteral("face-far"), QString()}));
        int usable = 0;
        for (const auto &args : seen) {
            const auto s = args.at(0).value<FaceSighting>();
            QVERIFY(s.box.height() > 0);
            if (s.usable) {
                ++usable;
                QVERIFY(s.embedding.has_value());
                QVERIFY(s.frame >= 6); // the near frames
            } else {
                QVERIFY(!s.embedding.has_value()); // too far: no embedding taken
            }
        }
        QCOMPARE(usable, 6);
    }

    // A representative half a metre from the kiosk, in a lit hall: usable.
    void aFaceInFrontOfTheKioskPasses()
    {
        for (double scale : {1.1, 1.6, 2.2}) {
            synth::FaceDistortion d;
            d.scale = scale;
            for (FaceAdvice a : advise(d, "good"))
                QCOMPARE(a, FaceAdvice::Ok);
        }
        QCOMPARE(faceGuidanceCode(FaceAdvice::Ok), QString());
    }

    void tooFar()
    {
        synth::FaceDistortion d;
        d.scale = 0.7;
        QVERIFY(refusedFor(advise(d, "far"), FaceAdvice::TooFar));
    }

    void tooClose()
    {
        synth::FaceDistortion d;
        d.scale = 3.2; // the photo as tall as the frame
        QVERIFY(refusedFor(advise(d, "close"), FaceAdvice::TooClose));
    }

    void tooDark()
    {
        synth::FaceDistortion d;
        d.scale = 1.6;
        d.light = 0.2;
        QVERIFY(refusedFor(advise(d, "dark"), FaceAdvice::TooDark));
    }

    void blurred()
    {
        synth::FaceDistortion d;
        d.scale = 1.6;
        d.blur = 4;
        QVERIFY(refusedFor(advise(d, "blurred"), FaceAdvice::Blurred));
    }

    // Turned: the face's keypoints moved as a head turned to one side would move them.
    void turnedAway()
    {
        synth::FaceDistortion d;
        d.scale = 1.6;
        for (size_t i = 0; i < m_faces.size(); ++i) {
            const cv::Mat frame = synth::faceInFrame(m_faces[i], d, 100 + i);
            auto faces = m_detector->detect(frame);
            QVERIFY(!faces.empty());
            FaceDetection f = faces.front();
            const float eyeGap = f.keypoint(FaceKeypoint::LeftEye).x - f.keypoint(FaceKeypoint::RightEye).x;
            f.keypoints[size_t(FaceKeypoint::NoseTip)].x += 0.45f * std::abs(eyeGap);
            f.quality = measureFaceQuality(frame, f);
            QVERIFY2(std::abs(f.quality.yaw) > 0.6, qPrintable(QString::number(f.quality.yaw)));
            QCOMPARE(judgeFaces({f}, frame.size()).advice, FaceAdvice::NotFrontal);
        }
    }

    // Two people side by side in front of the kiosk: refused; a small face far behind the
    // representative is not a second person.
    void twoPeople()
    {
        cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(110, 120, 130));
        cv::Mat a, b;
        cv::resize(m_faces[0], a, {240, 240});
        cv::resize(m_faces[1], b, {220, 220});
        a.copyTo(frame(cv::Rect(40, 120, 240, 240)));
        b.copyTo(frame(cv::Rect(360, 130, 220, 220)));
        QCOMPARE(judge(frame).advice, FaceAdvice::MoreThanOne);
        QCOMPARE(faceGuidanceCode(FaceAdvice::MoreThanOne), QStringLiteral("face-many"));

        cv::Mat behind(480, 640, CV_8UC3, cv::Scalar(110, 120, 130));
        cv::resize(m_faces[1], b, {80, 80});
        a.copyTo(behind(cv::Rect(200, 120, 240, 240)));
        b.copyTo(behind(cv::Rect(520, 40, 80, 80)));
        const auto faces = m_detector->detect(behind);
        const FaceGateResult r = judgeFaces(faces, behind.size());
        QVERIFY2(r.advice != FaceAdvice::MoreThanOne, qPrintable(QString::number(faces.size())));
    }
};

QTEST_GUILESS_MAIN(TestFaceGate)
#include "test_facegate.moc"
