#pragma once
// Synthetic faces for the face check-in tests (no camera, no model): each person a random
// point of the embedding space, their camera probes near it, and head-turn tracks.

#include "liveness.h"

#include <QRectF>

#include <cmath>
#include <random>
#include <vector>

namespace pingyi::test::faces {

inline face::Embedding randomFace(std::mt19937_64 &rng)
{
    // Points on a sphere of radius 1.2: two random ones lie about 1.7 apart.
    std::normal_distribution<float> g(0, 1);
    face::Embedding e;
    double n = 0;
    for (float &v : e.values) {
        v = g(rng);
        n += double(v) * v;
    }
    for (float &v : e.values)
        v = float(v * 1.2 / std::sqrt(n));
    return e;
}

/// `e` moved `by` in a random direction.
inline face::Embedding near(const face::Embedding &e, double by, std::mt19937_64 &rng)
{
    const face::Embedding d = randomFace(rng);
    face::Embedding out = e;
    for (int i = 0; i < face::embeddingSize; ++i)
        out.values[size_t(i)] += float(d.values[size_t(i)] / 1.2 * by);
    return out;
}

inline face::ProbeQuality goodLight()
{
    return {0.4, 70, 130, 150, 0.02, 2};
}

/// Frames 33 ms apart: `rest` frontal frames, then the yaw moves smoothly to `to` and stays.
/// Every frame carries an embedding of the same face (the person), slightly varying.
inline std::vector<face::TrackFrame> track(const face::Embedding &who, double to, std::mt19937_64 &rng, int rest = 4,
                                           qint64 step = 33)
{
    std::vector<face::TrackFrame> out;
    const QRectF box(220, 130, 200, 220);
    for (int i = 0; i < rest + 12; ++i) {
        const double yaw = i < rest ? 0.01 : to * std::min(1.0, (i - rest + 1) / 8.0);
        out.push_back({i * step, 1, box.translated(yaw * 10, 0), yaw, near(who, 0.15, rng)});
    }
    return out;
}

inline double towards(face::Turn t)
{
    return t == face::Turn::Left ? 0.8 : -0.8;
}

} // namespace pingyi::test::faces
