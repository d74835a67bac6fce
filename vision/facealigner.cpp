#include "facealigner.h"

#include <opencv2/imgproc.hpp>

namespace pingyi::vision {

std::array<cv::Point2f, 4> FaceAligner::chipTemplate()
{
    // Mean keypoints of FaceDetector (near) over dlib's 55 examples/johns chips (150×150, each
    // framed by a 75 px black border), as test_face's chipTemplate measures them: where the
    // detector's keypoints fall on the faces the recognition net was trained on.
    return {cv::Point2f(46.4f, 46.5f), cv::Point2f(101.2f, 48.6f), cv::Point2f(72.9f, 79.2f),
            cv::Point2f(71.9f, 107.1f)};
}

cv::Mat FaceAligner::transform(const FaceDetection &face)
{
    // Least-squares similarity q ≈ [a -b; b a]·p + t, in closed form about the centroids.
    const std::array<cv::Point2f, 4> dst = chipTemplate();
    const std::array<cv::Point2f, 4> src = {face.keypoint(FaceKeypoint::RightEye), face.keypoint(FaceKeypoint::LeftEye),
                                            face.keypoint(FaceKeypoint::NoseTip), face.keypoint(FaceKeypoint::Mouth)};
    cv::Point2d sc(0, 0), dc(0, 0);
    for (size_t i = 0; i < src.size(); ++i) {
        sc += cv::Point2d(src[i]);
        dc += cv::Point2d(dst[i]);
    }
    sc *= 1.0 / double(src.size());
    dc *= 1.0 / double(dst.size());
    double norm = 0, a = 0, b = 0;
    for (size_t i = 0; i < src.size(); ++i) {
        const cv::Point2d p = cv::Point2d(src[i]) - sc, q = cv::Point2d(dst[i]) - dc;
        norm += p.dot(p);
        a += p.x * q.x + p.y * q.y;
        b += p.x * q.y - p.y * q.x;
    }
    if (norm <= 0)
        norm = 1; // all four keypoints on one spot: a degenerate detection, a black chip
    a /= norm;
    b /= norm;
    cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, 0, b, a, 0);
    m.at<double>(0, 2) = dc.x - (a * sc.x - b * sc.y);
    m.at<double>(1, 2) = dc.y - (b * sc.x + a * sc.y);
    return m;
}

cv::Mat FaceAligner::align(const cv::Mat &bgr, const FaceDetection &face)
{
    cv::Mat chip;
    if (bgr.empty())
        return chip;
    cv::warpAffine(bgr, chip, transform(face), cv::Size(chipSize, chipSize), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                   cv::Scalar::all(0));
    return chip;
}

} // namespace pingyi::vision
