#pragma once
// A face chip (FaceAligner) turned into 128 numbers: dlib's ResNet-29 face descriptor, run by
// OpenCV's cv::dnn. Two chips of the same person lie close (Euclidean distance); where to
// draw the line is the caller's decision (docs/identity.md#numbers). An embedding is face
// data: never logged, never written anywhere but an enrolment template.

#include "result.h"

#include <opencv2/core/mat.hpp>

#include <QString>

#include <array>
#include <memory>

namespace pingyi::vision {

/// Face data: every copy is zeroed when it goes.
struct FaceEmbedding {
    static constexpr int size = 128;
    std::array<float, size> values {};
    FaceEmbedding() = default;
    explicit FaceEmbedding(const std::array<float, size> &v) : values(v) { }
    FaceEmbedding(const FaceEmbedding &) = default;
    FaceEmbedding &operator=(const FaceEmbedding &) = default;
    ~FaceEmbedding();
};

/// Euclidean distance between two embeddings.
double faceDistance(const FaceEmbedding &a, const FaceEmbedding &b);

class FaceEmbedder {
public:
    /// Loads the converted net from `modelDir` (findFaceModels()). Not thread-safe: one per thread.
    explicit FaceEmbedder(const QString &modelDir);
    ~FaceEmbedder();
    FaceEmbedder(FaceEmbedder &&) noexcept;
    FaceEmbedder &operator=(FaceEmbedder &&) noexcept;

    bool ready() const;
    QString why() const;

    /// The embedding of a 150×150 BGR chip (another size is resized first). Errors:
    /// "face-model" (not ready()), "face-chip" (empty or not 8-bit BGR).
    Result<FaceEmbedding> embed(const cv::Mat &chip);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace pingyi::vision
