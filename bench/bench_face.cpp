// Face evidence against the camera's frame budget (33 ms at 30 frames a second): BlazeFace
// detection (near model), alignment and the ResNet-29 embedding per 640×480 frame, each stage
// and the sum, as a ratio to the budget (goal: the whole pipeline <= 25 ms, ratio <= 0.75).
// Also the far model (group photos, enrolment) and, as the floor measured in the same run,
// the BGR→grey conversion. Frames: dlib's example chips (libdlib19.1) pasted into synthetic
// 640×480 frames, seeded. Then enrolment at the office: one photo at three sizes, and 3030
// photos extrapolated. Usage: bench_face [FRAMES=60]

#include "benchstats.h"
#include "facealigner.h"
#include "facedetector.h"
#include "faceembedder.h"
#include "faceevidence.h"
#include "facemodels.h"
#include "synth.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace pingyi;
using namespace pingyi::vision;

namespace {
using bench::percentile;
void report(const char *what, const std::vector<double> &ms, double budget, double goal)
{
    const double p50 = percentile(ms, 0.5), p99 = percentile(ms, 0.99);
    std::printf("  %-34s p50 %8.3f ms  p99 %8.3f ms   ratio to the frame budget: p50 %.3f  p99 %.3f", what, p50, p99,
                p50 / budget, p99 / budget);
    if (goal > 0)
        std::printf("   (goal p50 <= %.3f)", goal / budget);
    std::printf("\n");
}

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(10, atoi(argv[1])) : 60;
    const double budget = 1000.0 / 30;

    const auto models = findFaceModels();
    if (!models) {
        std::fprintf(stderr, "bench_face: %s\n", qPrintable(models.error().message));
        return 1;
    }
    const QDir johns(QStringLiteral("/usr/share/doc/libdlib19.1/examples/johns"));
    std::vector<cv::Mat> chips;
    for (const QString &person : johns.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir d(johns.filePath(person));
        for (const QString &f : d.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name))
            chips.push_back(cv::imread(d.filePath(f).toStdString(), cv::IMREAD_COLOR));
    }
    if (chips.empty()) {
        std::fprintf(stderr,
                     "bench_face: dlib's example photos are missing (%s): apt-get install libdlib19.1 "
                     "(./scripts/setup does)\n",
                     qPrintable(johns.path()));
        return 1;
    }
    std::mt19937_64 rng(21);
    std::vector<cv::Mat> frames;
    for (int i = 0; i < n; ++i) {
        const synth::FaceDistortion d = synth::randomFaceDistortion(rng);
        frames.push_back(synth::faceInFrame(chips[size_t(i) % chips.size()], d, rng()));
    }

    FaceDetector near(*models), far(*models, FaceDetector::Range::Far);
    FaceEmbedder embedder(*models);
    for (const auto *why : {&near, &far}) {
        if (!why->ready()) {
            std::fprintf(stderr, "bench_face: %s\n", qPrintable(why->why()));
            return 1;
        }
    }
    if (!embedder.ready()) {
        std::fprintf(stderr, "bench_face: %s\n", qPrintable(embedder.why()));
        return 1;
    }
    // Warm-up: OpenCV sets each net up on its first run.
    (void)near.detect(frames[0]);
    (void)far.detect(frames[0]);
    (void)embedder.embed(cv::Mat(FaceAligner::chipSize, FaceAligner::chipSize, CV_8UC3, cv::Scalar::all(128)));

    std::vector<double> grey, detect, align, embed, total, farDetect;
    int found = 0;
    QElapsedTimer t, whole;
    for (const cv::Mat &frame : frames) {
        t.start();
        cv::Mat g;
        cv::cvtColor(frame, g, cv::COLOR_BGR2GRAY);
        grey.push_back(msSince(t));

        whole.start();
        t.start();
        const auto faces = near.detect(frame);
        detect.push_back(msSince(t));
        if (!faces.empty()) {
            t.start();
            const cv::Mat chip = FaceAligner::align(frame, faces.front());
            align.push_back(msSince(t));
            t.start();
            found += embedder.embed(chip).ok();
            embed.push_back(msSince(t));
        }
        total.push_back(msSince(whole));

        t.start();
        (void)far.detect(frame);
        farDetect.push_back(msSince(t));
    }

    std::printf("face evidence on %d synthetic 640x480 frames (dlib's chips, scale 0.7-2.5, +-20 deg, dim, "
                "blurred); frame budget %.1f ms (30 fps); OpenCV threads %d\n",
                n, budget, cv::getNumThreads());
    report("BGR to grey (floor)", grey, budget, 0);
    report("detect, near model (128)", detect, budget, 0);
    report("align to the 150x150 chip", align, budget, 0);
    report("embed (ResNet-29)", embed, budget, 0);
    report("detect + align + embed", total, budget, 25.0);
    report("detect, far model (256)", farDetect, budget, 0);
    std::printf("  a face embedded in %d of %d frames\n", found, n);

    // Enrolment at the office (FaceEnroller: both detectors, the checks, alignment and the
    // embedding), from the JPEG bytes as read from disk, at three photo sizes; extrapolated to
    // Qingdao's 3030 representatives on one core.
    FaceEnroller enroller(*models);
    std::printf("enrolment of one photo (decode + detect near and far + check + align + embed), %zu photos per "
                "size:\n",
                chips.size());
    for (const auto &[label, side] :
         {std::pair {"dlib chip 150x150", 150}, {"ID photo 480x600", 600}, {"phone photo 3000x4000", 4000}}) {
        std::vector<double> ms;
        int enrolled = 0;
        for (const cv::Mat &c : chips) {
            // The chip centred on a plain background at the photo's size, face about half its height.
            cv::Mat photo = c;
            if (side > 150) {
                const int w = side * 3 / 4, h = side;
                cv::Mat face;
                cv::resize(c, face, cv::Size(h / 2, h / 2), 0, 0, cv::INTER_CUBIC);
                photo = cv::Mat(h, w, CV_8UC3, cv::Scalar(235, 225, 215));
                face.copyTo(photo(cv::Rect((w - h / 2) / 2, h / 4, h / 2, h / 2)));
            }
            std::vector<uchar> jpeg;
            cv::imencode(".jpg", photo, jpeg);
            t.start();
            const cv::Mat decoded = cv::imdecode(jpeg, cv::IMREAD_COLOR);
            enrolled += enroller.enrol(decoded).ok();
            ms.push_back(msSince(t));
        }
        const double p50 = percentile(ms, 0.5);
        std::printf("  %-24s p50 %7.1f ms  p99 %7.1f ms  enrolled %d/%zu; 3030 photos: %.0f s\n", label, p50,
                    percentile(ms, 0.99), enrolled, chips.size(), p50 * 3030 / 1000);
    }
    return 0;
}
