#include "headturn.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace pingyi::vision::synth {

namespace {

constexpr double pi = 3.14159265358979323846;

double sq(double v)
{
    return v * v;
}

/// Sensor noise: Gaussian, `sigma` grey levels.
void addNoise(cv::Mat &frame, cv::RNG &rng, double sigma)
{
    if (sigma <= 0)
        return;
    cv::Mat n(frame.size(), CV_16SC3), wide;
    rng.fill(n, cv::RNG::NORMAL, 0, sigma);
    frame.convertTo(wide, CV_16SC3);
    wide += n;
    wide.convertTo(frame, CV_8UC3);
}

/// The head's geometry in the photo's pixels, from the marks and the shape.
struct Head {
    double cx, cy; // the ellipsoid's centre (the turn's axis passes through it)
    double a, c; // its half width and half depth
    double up, down; // its half height above and below the centre (an egg: the chin is nearer)
    double e; // half the eye distance
    FaceMarks m;
    HeadShape s;

    Head(const FaceMarks &marks, const HeadShape &shape) : m(marks), s(shape)
    {
        e = std::max(2.0,
                     std::hypot(double(marks.leftEye.x - marks.rightEye.x), double(marks.leftEye.y - marks.rightEye.y))
                         / 2);
        const double eyeY = (marks.rightEye.y + marks.leftEye.y) / 2.0;
        cx = (marks.rightEye.x + marks.leftEye.x) / 2.0;
        cy = (eyeY + marks.mouth.y) / 2.0;
        a = shape.halfWidth * e;
        up = shape.halfHeight * e;
        down = shape.chin * e;
        c = shape.halfDepth * e;
    }

    /// How far (pixels) row y of the head reaches either side of cx; 0 outside the head.
    double halfSpan(double y) const
    {
        const double k = 1 - sq((y - cy) / (y < cy ? up : down));
        return k > 0 ? a * std::sqrt(k) : 0;
    }

    /// The ellipsoid's front at (x, y) (0 outside).
    double ellipsoid(double x, double y) const
    {
        const double r2 = sq((x - cx) / a) + sq((y - cy) / (y < cy ? up : down));
        return c * std::sqrt(std::max(0.0, 1 - r2));
    }

    /// The front surface's depth (towards the camera) at photo pixel (x, y) inside the head:
    /// the ellipsoid, then the face's relief measured from the marks.
    double front(double x, double y) const
    {
        double z = ellipsoid(x, y);
        const double eyeY = (m.rightEye.y + m.leftEye.y) / 2.0;
        const double noseX = m.nose.x, noseLen = std::max(2.0, double(m.nose.y) - eyeY);
        // The nose: a ridge from between the eyes to the tip, higher and wider towards the tip,
        // dropping quickly below it.
        const double t = (y - eyeY) / noseLen;
        double height;
        if (t < 0)
            height = 0.3 * std::exp(-sq(y - eyeY) / sq(0.45 * e));
        else if (t <= 1)
            height = 0.3 + 0.7 * t;
        else
            height = std::exp(-sq(y - m.nose.y) / sq(0.3 * e));
        const double width = e * (0.2 + 0.2 * std::clamp(t, 0.0, 1.0));
        z += s.nose * e * height * std::exp(-sq(x - noseX) / (2 * sq(width)));
        // The eyes sit in sockets under a brow.
        for (const cv::Point2f &eye : {m.rightEye, m.leftEye}) {
            z -= s.sockets * e * std::exp(-(sq(x - eye.x) + sq(y - eye.y)) / (2 * sq(0.42 * e)));
            z += 0.25 * e
                * std::exp(-sq(x - eye.x) / (2 * sq(0.6 * e)) - sq(y - (eye.y - 0.55 * e)) / (2 * sq(0.2 * e)));
        }
        // Lips and chin stand out a little.
        z += 0.2 * e * std::exp(-sq(x - m.mouth.x) / (2 * sq(0.55 * e)) - sq(y - m.mouth.y) / (2 * sq(0.25 * e)));
        z += 0.15 * e
            * std::exp(-sq(x - m.mouth.x) / (2 * sq(0.6 * e)) - sq(y - (m.mouth.y + 0.8 * e)) / (2 * sq(0.35 * e)));
        return z;
    }
};

} // namespace

FaceMarks chipMarks()
{
    return {cv::Point2f(46.4f, 46.5f), cv::Point2f(101.2f, 48.6f), cv::Point2f(72.9f, 79.2f),
            cv::Point2f(71.9f, 107.1f)};
}

HeadTurn::HeadTurn(const cv::Mat &face, const FaceMarks &marks, const HeadShape &shape) : m_face(face)
{
    CV_Assert(face.type() == CV_8UC3);
    const Head head(marks, shape);
    m_cx = head.cx;
    // Near the head's outline the photo shows what was round the face (a wall, an ear): the
    // side of the head, which turns into view, takes instead the colour of the cheek next to
    // it, smoothed from row to row.
    m_texture = face.clone();
    const int side = int(std::lround(shape.cheek * head.e));
    const int left = std::max(0, int(head.cx) - side), right = std::min(face.cols - 1, int(head.cx) + side);
    const int band = std::max(2, side / 10);
    cv::Mat colours(face.rows, 2, CV_32FC3);
    for (int y = 0; y < face.rows; ++y) {
        const cv::Rect l(std::max(0, left - band), y, band, 1), r(right, y, std::min(band, face.cols - right), 1);
        const cv::Scalar lm = cv::mean(face(l)), rm = cv::mean(face(r));
        colours.at<cv::Vec3f>(y, 0) = cv::Vec3f(float(lm[0]), float(lm[1]), float(lm[2]));
        colours.at<cv::Vec3f>(y, 1) = cv::Vec3f(float(rm[0]), float(rm[1]), float(rm[2]));
    }
    cv::GaussianBlur(colours, colours, cv::Size(1, 0), 0, 0.15 * head.e);
    for (int y = 0; y < face.rows; ++y) {
        auto *t = m_texture.ptr<cv::Vec3b>(y);
        const cv::Vec3f lc = colours.at<cv::Vec3f>(y, 0), rc = colours.at<cv::Vec3f>(y, 1);
        for (int x = 0; x < face.cols; ++x) {
            // Blended over a few pixels into the photo, so that no seam shows.
            const double beyond = x < head.cx ? left - x : x - right; // negative inside
            const double k = std::clamp(beyond / band + 0.5, 0.0, 1.0);
            if (k <= 0)
                continue;
            const cv::Vec3f c = x < head.cx ? lc : rc;
            for (int ch = 0; ch < 3; ++ch)
                t[x][ch] = cv::saturate_cast<uchar>(k * c[ch] + (1 - k) * t[x][ch]);
        }
    }
    m_c = head.c;
    m_relief.create(face.size(), CV_64F);
    m_normal.create(face.size(), CV_64FC2);
    for (int y = 0; y < face.rows; ++y) {
        const double span = head.halfSpan(y);
        m_span.push_back(span);
        m_rowDepth.push_back(span / head.a); // the ellipsoid's cross-section here: c · this deep
        auto *r = m_relief.ptr<double>(y);
        auto *n = m_normal.ptr<cv::Vec2d>(y);
        for (int x = 0; x < face.cols; ++x) {
            if (span < 1) {
                r[x] = 0;
                n[x] = {0, 0};
                continue;
            }
            // Inside the head: the relief over the ellipsoid; outside, that of the nearest inside.
            const double xi = std::clamp(double(x), head.cx - span + 0.5, head.cx + span - 0.5);
            r[x] = head.front(xi, y) - head.ellipsoid(xi, y);
            n[x] = {head.front(xi + 0.5, y) - head.front(xi - 0.5, y),
                    head.front(xi, y + 0.5) - head.front(xi, y - 0.5)};
        }
    }
}

cv::Mat HeadTurn::render(double degrees, const cv::Mat &background) const
{
    const cv::Mat &face = m_face;
    CV_Assert(background.empty() || (background.size() == face.size() && background.type() == face.type()));
    const double th = degrees * pi / 180, ct = std::cos(th), st = std::sin(th);
    const int w = face.cols, h = face.rows;

    // For every output pixel: the photo's column it shows (same row: the turn is about the
    // vertical axis and the camera orthographic), its depth, and the change of its shading.
    cv::Mat mapX(face.size(), CV_32F, cv::Scalar(-1)), mapY(face.size(), CV_32F), shade(face.size(), CV_32F);
    std::vector<double> depth(static_cast<size_t>(w));
    constexpr int substeps = 4; // samples per photo pixel along a row
    struct Sample {
        double out, z, x, light;
    };
    std::vector<Sample> row;
    for (int y = 0; y < h; ++y) {
        float *mx = mapX.ptr<float>(y), *my = mapY.ptr<float>(y), *sh = shade.ptr<float>(y);
        for (int u = 0; u < w; ++u)
            my[u] = float(y);
        const double *relief = m_relief.ptr<double>(y);
        const cv::Vec2d *normal = m_normal.ptr<cv::Vec2d>(y);
        const double span = m_span[size_t(y)], k = m_rowDepth[size_t(y)];
        if (span < 1)
            continue;
        // Sampled from the head's exact outline in this row, so that the outline stays smooth.
        const int samples = int(std::ceil(2 * span * substeps));
        const double left = m_cx - span, step = 2 * span / samples;
        std::fill(depth.begin(), depth.end(), -std::numeric_limits<double>::infinity());
        for (const bool isFront : {true, false}) {
            row.clear();
            for (int i = 0; i <= samples; ++i) {
                const double px = left + i * step, X = px - m_cx;
                const double ellipse = m_c * k * std::sqrt(std::max(0.0, 1 - (X / span) * (X / span)));
                const int xi = std::clamp(int(std::floor(px)), 0, w - 2);
                const double t = std::clamp(px - xi, 0.0, 1.0);
                double Z = -ellipse, light = 0.8; // the back of the head, seen past its edge: in shadow
                if (isFront) {
                    Z = ellipse + relief[xi] * (1 - t) + relief[xi + 1] * t;
                    // Lambert's law under a light from the camera: the photo already carries
                    // the shading before the turn, so scale by the ratio of after to before.
                    const cv::Vec2d g = normal[xi] * (1 - t) + normal[xi + 1] * t;
                    const double n = std::sqrt(g[0] * g[0] + g[1] * g[1] + 1);
                    const double before = 1 / n, after = (g[0] * st + ct) / n;
                    light = std::clamp((0.4 + 0.6 * std::max(0.0, after)) / (0.4 + 0.6 * before), 0.55, 1.5);
                }
                // The back of the head takes the colour of the side of the head (m_texture).
                const double source = isFront ? px : X < 0 ? left : m_cx + span;
                row.push_back({X * ct + Z * st + m_cx, -X * st + Z * ct, source, light});
            }
            for (size_t i = 1; i < row.size(); ++i) {
                const Sample &p = row[i - 1], &q = row[i];
                if (std::abs(q.out - p.out) < 1e-9)
                    continue;
                const double lo = std::min(p.out, q.out), hi = std::max(p.out, q.out);
                for (int u = std::max(0, int(std::ceil(lo))); u <= std::min(w - 1, int(std::floor(hi))); ++u) {
                    const double t = (u - p.out) / (q.out - p.out);
                    const double z = p.z + t * (q.z - p.z);
                    if (z <= depth[size_t(u)])
                        continue;
                    depth[size_t(u)] = z;
                    mx[u] = float(p.x + t * (q.x - p.x));
                    sh[u] = float(p.light + t * (q.light - p.light));
                }
            }
        }
    }

    cv::Mat drawn;
    cv::remap(m_texture, drawn, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::Mat out = background.empty() ? face.clone() : background.clone();
    // The head's outline softened over a pixel, so that it does not show as a cut-out.
    cv::Mat cover;
    cv::Mat(mapX >= 0).convertTo(cover, CV_32F, 1.0 / 255);
    cv::GaussianBlur(cover, cover, cv::Size(0, 0), 0.7);
    for (int y = 0; y < h; ++y) {
        const float *c = cover.ptr<float>(y), *sh = shade.ptr<float>(y), *mx = mapX.ptr<float>(y);
        const cv::Vec3b *d = drawn.ptr<cv::Vec3b>(y);
        auto *o = out.ptr<cv::Vec3b>(y);
        for (int u = 0; u < w; ++u) {
            if (c[u] <= 0.01f || mx[u] < 0)
                continue;
            for (int ch = 0; ch < 3; ++ch)
                o[u][ch] = cv::saturate_cast<uchar>(c[u] * std::min(255.0f, d[u][ch] * sh[u]) + (1 - c[u]) * o[u][ch]);
        }
    }
    return out;
}

cv::Mat turnHead(const cv::Mat &face, const FaceMarks &marks, double degrees, const cv::Mat &background,
                 const HeadShape &shape)
{
    return HeadTurn(face, marks, shape).render(degrees, background);
}

namespace {

/// The chip with a margin of its own edges (hair above, neck below), scaled so that the
/// chip spans `width` pixels; `marks` set to where its features are.
cv::Mat paddedChip(const cv::Mat &chip, float width, FaceMarks *marks)
{
    CV_Assert(chip.type() == CV_8UC3 && !chip.empty());
    const int pad = chip.cols * 2 / 5;
    cv::Mat padded, scaled;
    cv::copyMakeBorder(chip, padded, pad, pad, pad, pad, cv::BORDER_REPLICATE);
    const double s = double(width) / chip.cols;
    cv::resize(padded, scaled, cv::Size(), s, s, s < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    FaceMarks m = chipMarks();
    const double k = chip.cols / 150.0;
    for (cv::Point2f *p : {&m.rightEye, &m.leftEye, &m.nose, &m.mouth})
        *p = cv::Point2f(float((p->x * k + pad) * s), float((p->y * k + pad) * s));
    if (marks)
        *marks = m;
    return scaled;
}

FaceMarks paddedMarks(const cv::Mat &chip, float width)
{
    FaceMarks m;
    paddedChip(chip, width, &m);
    return m;
}

} // namespace

PersonInRoom::PersonInRoom(const cv::Mat &chip, float width)
    : m_scaled(paddedChip(chip, width, nullptr)), m_turn(m_scaled, paddedMarks(chip, width)), m_width(width)
{
    m_skin = cv::mean(chip(cv::Rect(chip.cols * 2 / 5, chip.rows * 9 / 10, chip.cols / 5, chip.rows / 10)));
    m_cloth = cv::mean(chip(cv::Rect(0, chip.rows * 9 / 10, chip.cols / 6, chip.rows / 10))) * 0.6;
}

cv::Mat PersonInRoom::frame(double degrees, const cv::Mat &room, cv::Point2f centre, cv::RNG &rng, double noise) const
{
    CV_Assert(room.type() == CV_8UC3);
    cv::Mat frame = room.clone();
    // Shoulders and a neck under the head, in the colours of the chip's collar and throat.
    const float w = m_width;
    cv::ellipse(frame, cv::Point(int(centre.x), int(centre.y + w * 1.25f)), cv::Size(int(w * 1.1f), int(w * 0.55f)), 0,
                0, 360, m_cloth, cv::FILLED, cv::LINE_AA);
    cv::rectangle(frame, cv::Point(int(centre.x - w * 0.2f), int(centre.y + w * 0.3f)),
                  cv::Point(int(centre.x + w * 0.2f), int(centre.y + w * 0.85f)), m_skin, cv::FILLED, cv::LINE_AA);
    // The head turned inside the scaled chip's square, over what the frame shows there
    // (clipped at the frame's edges).
    const cv::Point origin(int(std::lround(centre.x - m_scaled.cols / 2.0)),
                           int(std::lround(centre.y - m_scaled.rows / 2.0)));
    const cv::Rect place = cv::Rect(origin, m_scaled.size()) & cv::Rect(0, 0, frame.cols, frame.rows);
    if (place.area() > 0) {
        const cv::Rect inScaled(place.tl() - origin, place.size());
        cv::Mat behind(m_scaled.size(), CV_8UC3, cv::Scalar(0, 0, 0));
        frame(place).copyTo(behind(inScaled));
        m_turn.render(degrees, behind)(inScaled).copyTo(frame(place));
    }
    addNoise(frame, rng, noise);
    return frame;
}

cv::Mat heldPrint(const cv::Mat &print, const cv::Mat &room, cv::Point2f centre, float width, double degrees,
                  cv::RNG &rng, double noise)
{
    CV_Assert(print.type() == CV_8UC3 && room.type() == CV_8UC3);
    constexpr double focal = 700, distance = 400;
    const double unit = double(width) / print.cols * distance / focal; // print pixels → world units
    const double th = degrees * pi / 180;
    std::vector<cv::Point2f> from, to;
    for (const cv::Point2f corner : {cv::Point2f(0, 0), cv::Point2f(1, 0), cv::Point2f(1, 1), cv::Point2f(0, 1)}) {
        const double x = (corner.x - 0.5) * print.cols * unit, y = (corner.y - 0.5) * print.rows * unit;
        const double depth = distance + x * std::sin(th);
        from.emplace_back(corner.x * float(print.cols), corner.y * float(print.rows));
        to.emplace_back(float(centre.x + focal * x * std::cos(th) / depth), float(centre.y + focal * y / depth));
    }
    cv::Mat frame = room.clone();
    cv::warpPerspective(print, frame, cv::getPerspectiveTransform(from, to), frame.size(), cv::INTER_LINEAR,
                        cv::BORDER_TRANSPARENT);
    addNoise(frame, rng, noise);
    return frame;
}

} // namespace pingyi::vision::synth
