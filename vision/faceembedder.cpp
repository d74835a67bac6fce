#include "faceembedder.h"

#include "facealigner.h"
#include "facemodels.h"

#include <opencv2/dnn.hpp>

#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <cstring> // explicit_bzero

namespace pingyi::vision {

FaceEmbedding::~FaceEmbedding()
{
    explicit_bzero(values.data(), sizeof values);
}

double faceDistance(const FaceEmbedding &a, const FaceEmbedding &b)
{
    double sum = 0;
    for (int i = 0; i < FaceEmbedding::size; ++i) {
        const double d = double(a.values[size_t(i)]) - double(b.values[size_t(i)]);
        sum += d * d;
    }
    return std::sqrt(sum);
}

struct FaceEmbedder::Impl {
    cv::dnn::Net net;
    QString why;
};

FaceEmbedder::FaceEmbedder(const QString &modelDir) : m_impl(std::make_unique<Impl>())
{
    const QString path = QDir(modelDir).filePath(QString::fromLatin1(facemodel::embedder));
    if (!QFileInfo(path).isFile()) {
        m_impl->why = QStringLiteral("The face recognition model %1 is missing. Run ./scripts/fetch-models.").arg(path);
        return;
    }
    try {
        m_impl->net = cv::dnn::readNetFromONNX(path.toStdString());
    } catch (const cv::Exception &e) {
        m_impl->why = QStringLiteral("OpenCV could not load the face recognition model %1: %2")
                          .arg(path, QString::fromStdString(e.msg));
        m_impl->net = {};
    }
}

FaceEmbedder::~FaceEmbedder() = default;
FaceEmbedder::FaceEmbedder(FaceEmbedder &&) noexcept = default;
FaceEmbedder &FaceEmbedder::operator=(FaceEmbedder &&) noexcept = default;

bool FaceEmbedder::ready() const
{
    return !m_impl->net.empty();
}

QString FaceEmbedder::why() const
{
    return m_impl->why;
}

Result<FaceEmbedding> FaceEmbedder::embed(const cv::Mat &chip)
{
    if (!ready())
        return makeError(QStringLiteral("face-model"), m_impl->why);
    if (chip.empty() || chip.type() != CV_8UC3)
        return makeError(QStringLiteral("face-chip"),
                         QStringLiteral("The face chip is empty or not an 8-bit colour image."));
    // As face-api.js feeds dlib's net: RGB, minus the training mean, divided by 256.
    const int n = FaceAligner::chipSize;
    const cv::Mat blob
        = cv::dnn::blobFromImage(chip, 1.0 / 256, cv::Size(n, n), cv::Scalar(122.782, 117.001, 104.298), true, false);
    m_impl->net.setInput(blob);
    const cv::Mat out = m_impl->net.forward();
    if (out.total() != size_t(FaceEmbedding::size))
        return makeError(
            QStringLiteral("face-model"),
            QStringLiteral("The face recognition model gave %1 values, not %2: run ./scripts/fetch-models.")
                .arg(out.total())
                .arg(FaceEmbedding::size));
    FaceEmbedding e;
    const auto *v = out.ptr<float>();
    std::copy(v, v + FaceEmbedding::size, e.values.begin());
    return e;
}

} // namespace pingyi::vision
