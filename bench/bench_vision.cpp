// The camera's readers against the camera's frame budget (33 ms at 30 frames a second),
// on synthetic 640×480 frames rendered in the same run: invitation-QR decoding per frame
// (goal <= 3 ms, ratio <= 0.09) and ID-card reading per frame — find the card, crop its
// number line, OCR (goal <= 120 ms, about four frame budgets: the ID reader runs on every
// few frames). Also prints the BGR→grey conversion every reader starts with, as the floor.
// Usage: bench_vision [FRAMES=60]

#include "benchstats.h"
#include "idcardreader.h"
#include "qrreader.h"
#include "synth.h"

#include <QElapsedTimer>
#include <QGuiApplication>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace pingyi;
using namespace pingyi::vision;

namespace {
using bench::percentile;
template<typename F> std::vector<double> timeEach(const std::vector<cv::Mat> &frames, F &&f)
{
    std::vector<double> ms;
    QElapsedTimer t;
    for (const cv::Mat &frame : frames) {
        t.start();
        f(frame);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return ms;
}

void report(const char *what, const std::vector<double> &ms, double budget, double goal)
{
    const double p50 = percentile(ms, 0.5), p99 = percentile(ms, 0.99);
    std::printf("  %-34s p50 %8.3f ms  p99 %8.3f ms   ratio to the frame budget: p50 %.3f  p99 %.3f   (goal p50 <= "
                "%.3f)\n",
                what, p50, p99, p50 / budget, p99 / budget, goal / budget);
}
} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv); // the synthetic cards need fonts
    const int n = argc > 1 ? std::max(10, atoi(argv[1])) : 60;
    const double budget = 1000.0 / 30;
    std::mt19937_64 rng(7);

    std::vector<cv::Mat> qrFrames, emptyFrames, idFrames;
    const QString credential = QStringLiteral("PY1:") + QString(160, QChar(u'A')); // the length of a real credential
    const QImage invitation = synth::renderInvitationCard(credential);
    for (int i = 0; i < n; ++i) {
        qrFrames.push_back(synth::placeInFrame(invitation, synth::randomDistortion(rng, 0.5), rng()));
        emptyFrames.push_back(synth::emptyTable(rng()));
        const QImage card = synth::renderIdCard(synth::randomFace(synth::randomIdNumber(rng), rng));
        idFrames.push_back(synth::placeInFrame(card, synth::randomDistortion(rng, 0.4), rng()));
    }

    const QrReader qr;
    IdCardReader id;
    if (!id.ready()) {
        std::fprintf(stderr, "bench_vision: %s\n", qPrintable(id.why()));
        return 1;
    }
    int decoded = 0, read = 0;
    (void)qr.read(qrFrames[0]); // warm-up
    (void)id.read(idFrames[0]);
    const auto grey = timeEach(qrFrames, [](const cv::Mat &f) {
        cv::Mat g;
        cv::cvtColor(f, g, cv::COLOR_BGR2GRAY);
    });
    const auto qrMs
        = timeEach(qrFrames, [&](const cv::Mat &f) { decoded += qr.read(f).kind == QrRead::Kind::Decoded; });
    const auto emptyMs = timeEach(emptyFrames, [&](const cv::Mat &f) { (void)qr.read(f); });
    const auto idMs
        = timeEach(idFrames, [&](const cv::Mat &f) { read += id.read(f).kind == IdLineRead::Kind::Number; });

    std::printf("camera readers on %d synthetic 640x480 frames each; frame budget %.1f ms (30 fps)\n", n, budget);
    report("BGR to grey (floor)", grey, budget, budget);
    report("QR decode, code in view", qrMs, budget, 3.0);
    report("QR decode, empty table", emptyMs, budget, 3.0);
    report("ID card: find, crop, OCR", idMs, budget, 120.0);
    std::printf("  decoded %d of %d QR frames, read %d of %d ID numbers\n", decoded, n, read, n);
    return 0;
}
