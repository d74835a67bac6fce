// Face evidence on real photos: Debian's libdlib19.1 examples (examples/johns: 5 people × 11
// aligned chips; examples/faces: group photos with hand-drawn boxes and 68 landmarks).
// - the chip template: where the detector puts the keypoints on dlib's own chips;
// - genuine and impostor distances on the chips, then on synthetic 640×480 kiosk frames
//   (each chip scaled 0.7–2.5×, turned ±20°, darkened, blurred, noisy; seeded) against the
//   chips as enrolled templates: FAR and FRR at the threshold, asserted and printed;
// - recall on the group photos' boxes (the far model), faces counted on bald_guys.jpg;
// - yaw: its sign flips on mirrored images and agrees with the 68 landmarks' nose offset;
// - missing models give a clear reason. Needs the models (scripts/fetch-models); skips only
//   the photo tests when the dlib examples are not installed.

#include "dlibphotos.h"
#include "facealigner.h"
#include "facedetector.h"
#include "faceembedder.h"
#include "facemodels.h"
#include "synth.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <map>
#include <optional>
#include <random>

using namespace pingyi;
using namespace pingyi::vision;

namespace {

const QString &dlibExamples = dlibphotos::examples;
// The distance at which two faces count as the same person in these tests. Not the kiosk's
// setting (that is in the activity spec); chosen between the measured genuine and impostor
// distances (docs/identity.md#numbers).
constexpr double threshold = 0.6;

using Chip = dlibphotos::Chip;

std::vector<Chip> loadJohns()
{
    return dlibphotos::johns();
}

/// The one detection a kiosk frame should give: the highest score.
std::optional<FaceDetection> best(const std::vector<FaceDetection> &faces)
{
    if (faces.empty())
        return std::nullopt;
    return faces.front();
}

struct Box {
    cv::Rect2f rect;
    std::vector<cv::Point2f> parts; // 68 when the file has landmarks
};

/// Boxes (and parts) per image file from one of dlib's imglab XML files.
std::map<QString, std::vector<Box>> readBoxes(const QString &xml)
{
    QFile f(xml);
    std::map<QString, std::vector<Box>> out;
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QString text = QString::fromLatin1(f.readAll());
    static const QRegularExpression image(QStringLiteral("<image file='([^']+)'[^>]*>(.*?)</image>"),
                                          QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression box(
        QStringLiteral("<box top='(-?\\d+)' left='(-?\\d+)' width='(\\d+)' height='(\\d+)'\\s*(/>|>(.*?)</box>)"),
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression part(QStringLiteral("<part name='(\\d+)' x='(-?\\d+)' y='(-?\\d+)'/>"));
    for (auto im = image.globalMatch(text); im.hasNext();) {
        const auto m = im.next();
        auto &boxes = out[m.captured(1)];
        for (auto bx = box.globalMatch(m.captured(2)); bx.hasNext();) {
            const auto b = bx.next();
            Box entry;
            entry.rect = cv::Rect2f(b.captured(2).toFloat(), b.captured(1).toFloat(), b.captured(3).toFloat(),
                                    b.captured(4).toFloat());
            for (auto pt = part.globalMatch(b.captured(6)); pt.hasNext();) {
                const auto p = pt.next();
                entry.parts.emplace_back(p.captured(2).toFloat(), p.captured(3).toFloat());
            }
            boxes.push_back(entry);
        }
    }
    return out;
}

/// A hand-drawn box is found when a detection's centre lies inside it and the sizes are
/// within a factor of two (dlib's boxes are tighter than BlazeFace's).
bool found(const Box &truth, const std::vector<FaceDetection> &faces)
{
    for (const FaceDetection &f : faces) {
        const cv::Point2f c(f.box.x + f.box.width / 2, f.box.y + f.box.height / 2);
        const float ratio = f.box.width / truth.rect.width;
        if (truth.rect.contains(c) && ratio > 0.5f && ratio < 2.0f)
            return true;
    }
    return false;
}

} // namespace

class TestFace : public QObject {
    Q_OBJECT

    QString m_models;
    bool m_haveExamples = false;
    std::vector<Chip> m_chips;
    std::vector<FaceEmbedding> m_enrolled; // one per chip, embedded directly

private Q_SLOTS:
    void initTestCase()
    {
        const auto models = findFaceModels();
        if (!models)
            QFAIL(qPrintable(models.error().message));
        m_models = *models;
        m_haveExamples = dlibphotos::installed();
        if (m_haveExamples) {
            m_chips = loadJohns();
            QCOMPARE(m_chips.size(), size_t(55));
            for (const Chip &c : m_chips)
                QVERIFY2(!c.image.empty(), qPrintable(c.file));
        }
    }

    void missingModels()
    {
        QTemporaryDir empty;
        FaceDetector d(empty.path());
        QVERIFY(!d.ready());
        QVERIFY2(d.why().contains(QStringLiteral("fetch-models")), qPrintable(d.why()));
        QVERIFY(d.detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(128))).empty());
        FaceEmbedder e(empty.path());
        QVERIFY(!e.ready());
        const auto r = e.embed(cv::Mat(150, 150, CV_8UC3, cv::Scalar::all(128)));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("face-model"));
        QVERIFY(r.error().message.contains(QStringLiteral("fetch-models")));

        // A file that is not a model: refused with the reason, not a crash.
        QFile junk(QDir(empty.path()).filePath(QString::fromLatin1(facemodel::embedder)));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not an onnx file");
        junk.close();
        FaceEmbedder bad(empty.path());
        QVERIFY(!bad.ready());
        QVERIFY2(bad.why().contains(QStringLiteral("could not load")), qPrintable(bad.why()));

        // The search path names the folders, and the override comes first.
        qputenv("PINGYI_MODEL_DIR", empty.path().toUtf8());
        QCOMPARE(faceModelSearchPath().value(0), empty.path());
        const auto located = findFaceModels();
        qunsetenv("PINGYI_MODEL_DIR");
        QVERIFY(located.ok()); // the build's folder still has them
        QVERIFY(*located != empty.path());
    }

    void blankFrames()
    {
        FaceDetector near(m_models);
        QVERIFY2(near.ready(), qPrintable(near.why()));
        QVERIFY(near.detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(0))).empty());
        QVERIFY(near.detect(cv::Mat(480, 640, CV_8UC3, cv::Scalar::all(200))).empty());
        QVERIFY(near.detect(cv::Mat()).empty());
        FaceEmbedder e(m_models);
        QVERIFY2(e.ready(), qPrintable(e.why()));
        QCOMPARE(e.embed(cv::Mat()).error().code, QStringLiteral("face-chip"));
    }

    void chipTemplate()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        FaceDetector near(m_models);
        std::array<cv::Point2d, 4> sum {};
        int n = 0;
        for (const Chip &c : m_chips) {
            // A margin round the tight chip, as BlazeFace was trained on faces with context.
            cv::Mat framed;
            cv::copyMakeBorder(c.image, framed, 75, 75, 75, 75, cv::BORDER_CONSTANT, cv::Scalar::all(0));
            const auto f = best(near.detect(framed));
            QVERIFY2(f, qPrintable(c.file));
            for (int k = 0; k < 4; ++k)
                sum[size_t(k)] += cv::Point2d(f->keypoints[size_t(k)]) - cv::Point2d(75, 75);
            ++n;
        }
        const auto tmpl = FaceAligner::chipTemplate();
        for (int k = 0; k < 4; ++k) {
            const cv::Point2d mean = sum[size_t(k)] * (1.0 / n);
            std::printf("  keypoint %d on dlib's chips: mean (%.1f, %.1f), template (%.1f, %.1f)\n", k, mean.x, mean.y,
                        tmpl[size_t(k)].x, tmpl[size_t(k)].y);
            QVERIFY(cv::norm(mean - cv::Point2d(tmpl[size_t(k)])) < 3.0);
        }
    }

    void chipDistances()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        FaceEmbedder e(m_models);
        QElapsedTimer t;
        t.start();
        m_enrolled.clear();
        for (const Chip &c : m_chips) {
            const auto r = e.embed(c.image);
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            m_enrolled.push_back(*r);
        }
        const double msPerChip = double(t.nsecsElapsed()) / 1e6 / double(m_chips.size());
        // Deterministic: the same chip gives the same embedding.
        QCOMPARE(faceDistance(*e.embed(m_chips[0].image), m_enrolled[0]), 0.0);
        double genuineMax = 0, impostorMin = 1e9;
        for (size_t i = 0; i < m_chips.size(); ++i)
            for (size_t j = i + 1; j < m_chips.size(); ++j) {
                const double d = faceDistance(m_enrolled[i], m_enrolled[j]);
                if (m_chips[i].person == m_chips[j].person)
                    genuineMax = std::max(genuineMax, d);
                else
                    impostorMin = std::min(impostorMin, d);
            }
        std::printf("  dlib chips (55, embedded directly): genuine max %.3f, impostor min %.3f, %.1f ms per chip\n",
                    genuineMax, impostorMin, msPerChip);
        QVERIFY(genuineMax < threshold);
        QVERIFY(impostorMin > threshold);
    }

    void kioskFrames()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        QVERIFY(m_enrolled.size() == m_chips.size()); // chipDistances ran
        FaceDetector near(m_models);
        FaceEmbedder e(m_models);
        std::mt19937_64 rng(12);
        int frames = 0, missed = 0, genuine = 0, falseRejects = 0, impostor = 0, falseAccepts = 0;
        double genuineMax = 0, impostorMin = 1e9;
        QElapsedTimer t;
        qint64 ns = 0;
        for (size_t i = 0; i < m_chips.size(); ++i) {
            for (int k = 0; k < 2; ++k) {
                const synth::FaceDistortion d = synth::randomFaceDistortion(rng);
                const cv::Mat frame = synth::faceInFrame(m_chips[i].image, d, rng());
                ++frames;
                t.start();
                const auto face = best(near.detect(frame));
                std::optional<FaceEmbedding> probe;
                if (face) {
                    const auto r = e.embed(FaceAligner::align(frame, *face));
                    QVERIFY(r.ok());
                    probe = *r;
                }
                ns += t.nsecsElapsed();
                if (!probe)
                    ++missed;
                // Against every enrolled chip but the one this frame was made from.
                for (size_t j = 0; j < m_chips.size(); ++j) {
                    if (j == i)
                        continue;
                    const bool same = m_chips[i].person == m_chips[j].person;
                    const double dist = probe ? faceDistance(*probe, m_enrolled[j]) : 1e9;
                    if (same) {
                        ++genuine;
                        falseRejects += dist >= threshold;
                        if (probe)
                            genuineMax = std::max(genuineMax, dist);
                    } else {
                        ++impostor;
                        falseAccepts += dist < threshold;
                        impostorMin = std::min(impostorMin, dist);
                    }
                }
            }
        }
        const double far = double(falseAccepts) / impostor, frr = double(falseRejects) / genuine;
        std::printf("  synthetic kiosk frames: %d frames, %d without a face; genuine max %.3f, impostor min %.3f;\n"
                    "  at threshold %.2f: FAR %.4f (%d/%d), FRR %.4f (%d/%d); %.1f ms per frame (detect+align+embed)\n",
                    frames, missed, genuineMax, impostorMin, threshold, far, falseAccepts, impostor, frr, falseRejects,
                    genuine, double(ns) / 1e6 / frames);
        QCOMPARE(falseAccepts, 0);
        QVERIFY2(frr <= 0.03, "no more than 3 % of genuine comparisons rejected");
        QVERIFY2(missed <= 1, "a face found in (almost) every kiosk frame");
    }

    void groupPhotos()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        FaceDetector near(m_models);
        FaceDetector far(m_models, FaceDetector::Range::Far);
        QVERIFY2(far.ready(), qPrintable(far.why()));
        int total = 0, foundNear = 0, foundFar = 0;
        for (const QString &xml : {QStringLiteral("training.xml"), QStringLiteral("testing.xml")}) {
            const auto images = readBoxes(dlibExamples + QStringLiteral("/faces/") + xml);
            QVERIFY2(!images.empty(), qPrintable(xml));
            for (const auto &[file, boxes] : images) {
                const cv::Mat photo = cv::imread((dlibExamples + QStringLiteral("/faces/") + file).toStdString());
                QVERIFY2(!photo.empty(), qPrintable(file));
                const auto n = near.detect(photo), f = far.detect(photo);
                for (const Box &b : boxes) {
                    ++total;
                    foundNear += found(b, n);
                    foundFar += found(b, f);
                }
            }
        }
        std::printf("  group photos: %d hand-drawn faces; found by the near model %d, by the far model %d\n", total,
                    foundNear, foundFar);
        QCOMPARE(total, 43);
        QVERIFY2(foundFar >= 40, "the far model finds the small faces of group photos");
    }

    void baldGuys()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        const cv::Mat photo = cv::imread((dlibExamples + QStringLiteral("/faces/bald_guys.jpg")).toStdString());
        QVERIFY(!photo.empty());
        FaceDetector far(m_models, FaceDetector::Range::Far);
        const auto faces = far.detect(photo);
        std::printf("  bald_guys.jpg: %zu faces (24 people)\n", faces.size());
        QCOMPARE(int(faces.size()), 24);
    }

    void yaw()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        FaceDetector near(m_models);
        // Mirrored, the same face gives the opposite yaw and roll, up to BlazeFace's own
        // asymmetry (its keypoints are not mirror images to better than about ±0.25 yaw on
        // near-frontal faces); a clearly turned face always changes sign.
        std::vector<double> yaws;
        double yawBias = 0, rollBias = 0;
        for (const Chip &c : m_chips) {
            cv::Mat framed, mirrored;
            cv::copyMakeBorder(c.image, framed, 75, 75, 100, 50, cv::BORDER_REPLICATE);
            cv::flip(framed, mirrored, 1);
            const auto a = best(near.detect(framed)), b = best(near.detect(mirrored));
            QVERIFY(a && b);
            yawBias += (a->quality.yaw + b->quality.yaw) / 2 / double(m_chips.size());
            rollBias += (a->quality.roll + b->quality.roll) / 2 / double(m_chips.size());
            QVERIFY2(std::abs(a->quality.yaw + b->quality.yaw) < 0.3, qPrintable(c.file));
            if (std::abs(a->quality.yaw) > 0.3)
                QVERIFY2((a->quality.yaw > 0) != (b->quality.yaw > 0), qPrintable(c.file));
            yaws.push_back(a->quality.yaw);
        }
        std::sort(yaws.begin(), yaws.end());
        std::printf("  yaw on dlib's chips: min %.2f, median %.2f, max %.2f; detector bias (mean of a face and its "
                    "mirror image): yaw %.3f, roll %.2f°\n",
                    yaws.front(), yaws[yaws.size() / 2], yaws.back(), yawBias, rollBias);
        QVERIFY(std::abs(yawBias) < 0.1);
        QVERIFY(std::abs(rollBias) < 3.0);

        // Against the 68 hand-checked landmarks of the group photos, as they are and mirrored:
        // the nose tip (30) offset along the axis between the eye centres (36–41, 42–47) is
        // the reference yaw; on every clearly turned face the signs agree.
        FaceDetector far(m_models, FaceDetector::Range::Far);
        int compared = 0, agreed = 0, comparedLarge = 0, agreedLarge = 0;
        for (const QString &xml :
             {QStringLiteral("training_with_face_landmarks.xml"), QStringLiteral("testing_with_face_landmarks.xml")}) {
            for (const auto &[file, boxes] : readBoxes(dlibExamples + QStringLiteral("/faces/") + xml)) {
                const cv::Mat photo = cv::imread((dlibExamples + QStringLiteral("/faces/") + file).toStdString());
                QVERIFY(!photo.empty());
                for (const bool mirror : {false, true}) {
                    cv::Mat image = photo;
                    if (mirror)
                        cv::flip(photo, image, 1);
                    const auto faces = far.detect(image);
                    for (Box b : boxes) {
                        if (b.parts.size() != 68)
                            continue;
                        if (mirror) {
                            b.rect.x = float(photo.cols) - b.rect.x - b.rect.width;
                            for (cv::Point2f &p : b.parts)
                                p.x = float(photo.cols - 1) - p.x;
                        }
                        cv::Point2d e1(0, 0), e2(0, 0);
                        for (int k = 36; k < 42; ++k)
                            e1 += cv::Point2d(b.parts[size_t(k)]) / 6.0;
                        for (int k = 42; k < 48; ++k)
                            e2 += cv::Point2d(b.parts[size_t(k)]) / 6.0;
                        if (e1.x > e2.x)
                            std::swap(e1, e2);
                        const cv::Point2d axis = e2 - e1;
                        const double dist = cv::norm(axis);
                        const double ref = (cv::Point2d(b.parts[30]) - (e1 + e2) * 0.5).dot(axis / dist) / (dist / 2);
                        if (std::abs(ref) < 0.3)
                            continue; // too frontal for the sign to mean anything
                        for (const FaceDetection &f : faces) {
                            const cv::Point2f c(f.box.x + f.box.width / 2, f.box.y + f.box.height / 2);
                            if (!b.rect.contains(c))
                                continue;
                            ++compared;
                            const bool agrees = (f.quality.yaw > 0) == (ref > 0);
                            agreed += agrees;
                            if (b.rect.width >= 40) {
                                ++comparedLarge;
                                agreedLarge += agrees;
                            }
                            break;
                        }
                    }
                }
            }
        }
        std::printf("  yaw sign on turned faces of the group photos, as they are and mirrored: %d of %d agree with "
                    "the landmarks (faces 40 px wide or more: %d of %d)\n",
                    agreed, compared, agreedLarge, comparedLarge);
        // Faces at a kiosk are over 100 px wide; on 37 px faces a keypoint is off by a pixel
        // or two, which is a lot of yaw.
        QVERIFY(comparedLarge >= 10);
        QCOMPARE(agreedLarge, comparedLarge);
        QVERIFY(agreed >= compared * 9 / 10);
    }

    void quality()
    {
        if (!m_haveExamples)
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
        FaceDetector near(m_models);
        synth::FaceDistortion plain, small;
        plain.scale = 2.0;
        small.scale = 0.9;
        const cv::Mat frame = synth::faceInFrame(m_chips[3].image, plain, 3);
        const auto a = best(near.detect(frame));
        QVERIFY(a);
        // Darker, blurred and smaller frames of the same chip measure so.
        cv::Mat dark, blurred;
        frame.convertTo(dark, -1, 0.4, 0);
        cv::GaussianBlur(frame, blurred, cv::Size(0, 0), 3);
        const auto d = best(near.detect(dark)), b = best(near.detect(blurred));
        const auto s = best(near.detect(synth::faceInFrame(m_chips[3].image, small, 4)));
        QVERIFY(d);
        QVERIFY(b);
        QVERIFY(s);
        std::printf("  quality: brightness %.0f → %.0f darkened; sharpness %.0f → %.0f blurred; height %.2f → %.2f "
                    "smaller; eye distance %.0f px\n",
                    a->quality.brightness, d->quality.brightness, a->quality.sharpness, b->quality.sharpness,
                    a->quality.heightRatio, s->quality.heightRatio, a->quality.eyeDistance);
        QVERIFY(d->quality.brightness < 0.5 * a->quality.brightness);
        QVERIFY(b->quality.sharpness < 0.5 * a->quality.sharpness);
        QVERIFY(s->quality.heightRatio < 0.5 * a->quality.heightRatio);
        QVERIFY(a->quality.heightRatio > 0.3 && a->quality.heightRatio < 1.0);
        QVERIFY(std::abs(a->quality.roll) < 5);
    }
};

QTEST_GUILESS_MAIN(TestFace)
#include "test_face.moc"
