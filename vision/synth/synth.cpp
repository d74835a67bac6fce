#include "synth.h"

#include "qrcode.h"
#include "roster.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QDir>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace pingyi::vision::synth {

namespace {

constexpr int cardW = 856;
constexpr int cardH = 540;
constexpr double pi = 3.14159265358979323846;

QFont cjkFont(int pixelSize, bool bold = false)
{
    QFont f(QStringLiteral("WenQuanYi Micro Hei"));
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

double uniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

int pick(std::mt19937_64 &rng, int n)
{
    return int(std::uniform_int_distribution<int>(0, n - 1)(rng));
}

/// Where the card's corners land in the frame.
std::vector<cv::Point2f> cardQuad(const Distortion &d, double aspect, cv::Size frame)
{
    const double w = d.scale * frame.width;
    const double h = w / aspect;
    std::vector<cv::Point2d> pts {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    // The far edge shrinks towards the edge's middle and moves a little towards the centre.
    const double p = std::clamp(d.perspective, 0.0, 0.6);
    static constexpr int edges[4][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}};
    const int a = edges[d.perspectiveEdge & 3][0], b = edges[d.perspectiveEdge & 3][1];
    const cv::Point2d mid = (pts[a] + pts[b]) * 0.5;
    pts[a] = mid + (pts[a] - mid) * (1 - p);
    pts[b] = mid + (pts[b] - mid) * (1 - p);
    pts[a] *= 1 - p * 0.3;
    pts[b] *= 1 - p * 0.3;
    const double r = d.rotation * pi / 180;
    std::vector<cv::Point2f> out;
    for (const auto &q : pts)
        out.emplace_back(float(q.x * std::cos(r) - q.y * std::sin(r) + frame.width / 2.0 + d.offset.x()),
                         float(q.x * std::sin(r) + q.y * std::cos(r) + frame.height / 2.0 + d.offset.y()));
    return out;
}

cv::Point2f mapPoint(const cv::Mat &h, QPointF p)
{
    std::vector<cv::Point2f> in {cv::Point2f(float(p.x()), float(p.y()))}, out;
    cv::perspectiveTransform(in, out, h);
    return out[0];
}

} // namespace

cv::Mat toBgr(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()), size_t(rgb.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

QImage toQImage(const cv::Mat &bgr)
{
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, bgr.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step[0]), QImage::Format_RGB888).copy();
}

QImage renderQr(const QString &text, int module, QColor light)
{
    const QrMatrix m = encodeQr(text);
    if (m.isNull())
        return {};
    const int quiet = 4;
    const int side = (m.size + 2 * quiet) * module;
    QImage img(side, side, QImage::Format_RGB32);
    img.fill(light);
    QPainter p(&img);
    for (int y = 0; y < m.size; ++y)
        for (int x = 0; x < m.size; ++x)
            if (m.at(x, y))
                p.fillRect((x + quiet) * module, (y + quiet) * module, module, module, Qt::black);
    return img;
}

QRectF invitationQrArea()
{
    return {0.49, 0.12, 0.47, 0.47 * cardW / cardH};
}

QImage renderInvitationCard(const QString &credential)
{
    QImage card(cardW, cardH, QImage::Format_ARGB32_Premultiplied);
    const QColor paper(246, 242, 232); // paper, not the camera's white point
    card.fill(paper);
    QPainter p(&card);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(0, 0, cardW, 70, QColor(176, 32, 36));
    p.setPen(QColor(250, 236, 200));
    p.setFont(cjkFont(34, true));
    p.drawText(QRectF(30, 0, cardW - 60, 70), Qt::AlignVCenter | Qt::AlignLeft,
               QStringLiteral("市民代表评议活动 邀请卡"));
    p.setPen(QColor(40, 40, 40));
    p.setFont(cjkFont(26));
    const QStringList lines {QStringLiteral("请携带本卡和身份证"), QStringLiteral("到所在会场签到"),
                             QStringLiteral("签到时将二维码"), QStringLiteral("对准摄像头")};
    for (int i = 0; i < lines.size(); ++i)
        p.drawText(QPointF(36, 140 + 46 * i), lines[i]);
    const QRectF area = invitationQrArea();
    const QRectF target(area.x() * cardW, area.y() * cardH, area.width() * cardW, area.height() * cardH);
    const QImage qr = renderQr(credential, 1);
    if (!qr.isNull()) {
        // Whole pixels per module keep the code crisp, as a printer would.
        const int module = std::max(1, int(std::min(target.width(), target.height()) / qr.width()));
        const QImage big = renderQr(credential, module, paper);
        p.drawImage(QPointF(target.center().x() - big.width() / 2.0, target.center().y() - big.height() / 2.0), big);
    }
    return card;
}

QString randomIdNumber(std::mt19937_64 &rng)
{
    static const char *const regions[] = {"370202", "370203", "370211", "370212", "370213", "370214", "370281",
                                          "370283", "110101", "310104", "440305", "510107", "620102", "650102"};
    const QDate birth = QDate(1940, 1, 1).addDays(pick(rng, 365 * 66));
    QString first17 = QString::fromLatin1(regions[pick(rng, int(std::size(regions)))])
        + birth.toString(QStringLiteral("yyyyMMdd")) + QStringLiteral("%1").arg(pick(rng, 1000), 3, 10, QChar(u'0'));
    return first17 + idnumber::checkCharacter(first17);
}

QString withWrongCheckCharacter(const QString &valid, std::mt19937_64 &rng)
{
    static const QString checks = QStringLiteral("0123456789X");
    QString out = valid;
    QChar c;
    do {
        c = checks.at(pick(rng, int(checks.size())));
    } while (c == valid.back());
    out.back() = c;
    return out;
}

IdCardFace randomFace(const QString &number, std::mt19937_64 &rng)
{
    static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                           "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "欧阳"};
    static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊",   "军",
                                        "洋", "勇", "艳", "杰",   "娟", "涛", "明", "超", "秀兰", "霞"};
    static const char *const streets[]
        = {"山东省青岛市市南区香港中路", "山东省青岛市市北区辽宁路",   "山东省青岛市李沧区书院路",
           "山东省青岛市崂山区海尔路",   "山东省青岛市黄岛区长江中路", "山东省青岛市城阳区正阳路"};
    IdCardFace f;
    f.number = number;
    f.name = QString::fromUtf8(surnames[pick(rng, int(std::size(surnames)))])
        + QString::fromUtf8(given[pick(rng, int(std::size(given)))]);
    const bool male
        = number.size() >= 17 && number.at(16).isDigit() ? number.at(16).digitValue() % 2 == 1 : pick(rng, 2);
    f.sex = male ? QStringLiteral("男") : QStringLiteral("女");
    f.ethnicity = pick(rng, 10) == 0 ? QStringLiteral("回") : QStringLiteral("汉");
    f.birth = QDate::fromString(number.mid(6, 8), QStringLiteral("yyyyMMdd"));
    if (!f.birth.isValid())
        f.birth = QDate(1980, 1, 1);
    f.address = QString::fromUtf8(streets[pick(rng, int(std::size(streets)))])
        + QStringLiteral("%1号%2单元%3户").arg(1 + pick(rng, 300)).arg(1 + pick(rng, 6)).arg(101 + pick(rng, 1800));
    return f;
}

QRectF idNumberArea()
{
    return {300.0 / cardW, 440.0 / cardH, 500.0 / cardW, 50.0 / cardH};
}

QImage renderIdCard(const IdCardFace &face)
{
    QImage card(cardW, cardH, QImage::Format_ARGB32_Premultiplied);
    card.fill(Qt::transparent);
    QPainter p(&card);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    QPainterPath outline;
    outline.addRoundedRect(QRectF(0, 0, cardW, cardH), 32, 32);
    p.setClipPath(outline);
    QLinearGradient bg(0, 0, cardW, cardH);
    bg.setColorAt(0, QColor(236, 240, 244));
    bg.setColorAt(0.5, QColor(242, 240, 232));
    bg.setColorAt(1, QColor(232, 238, 242));
    p.fillRect(card.rect(), bg);
    // The security print: faint interlaced waves, pale enough to stay behind the text.
    p.setPen(QPen(QColor(196, 210, 222), 1.2));
    for (int k = 0; k < 26; ++k) {
        QPainterPath wave;
        for (int x = 0; x <= cardW; x += 8) {
            const double y = k * 22 + 9 * std::sin(x / 37.0 + k * 0.7);
            if (x == 0)
                wave.moveTo(x, y);
            else
                wave.lineTo(x, y);
        }
        p.drawPath(wave);
    }
    p.setPen(QPen(QColor(226, 214, 200), 1.0));
    for (int k = 0; k < 9; ++k)
        p.drawEllipse(QPointF(cardW * 0.42, cardH * 0.45), 60 + 26 * k, 40 + 17 * k);

    const QColor label(70, 120, 170);
    const QColor value(20, 20, 24);
    auto field = [&](double x, double y, const QString &l, const QString &v, double valueX) {
        p.setFont(cjkFont(26));
        p.setPen(label);
        p.drawText(QPointF(x, y), l);
        p.setFont(cjkFont(30));
        p.setPen(value);
        p.drawText(QPointF(valueX, y), v);
    };
    field(60, 90, QStringLiteral("姓名"), face.name, 160);
    field(60, 160, QStringLiteral("性别"), face.sex, 160);
    field(250, 160, QStringLiteral("民族"), face.ethnicity, 340);
    field(60, 230, QStringLiteral("出生"),
          QStringLiteral("%1 年 %2 月 %3 日").arg(face.birth.year()).arg(face.birth.month()).arg(face.birth.day()),
          160);
    p.setFont(cjkFont(26));
    p.setPen(label);
    p.drawText(QPointF(60, 300), QStringLiteral("住址"));
    p.setFont(cjkFont(28));
    p.setPen(value);
    p.drawText(QRectF(160, 274, 380, 120), Qt::AlignLeft | Qt::AlignTop | Qt::TextWrapAnywhere, face.address);

    // The photo: a pale ground and a grey head and shoulders.
    const QRectF photo(580, 50, 220, 290);
    p.fillRect(photo, QColor(214, 226, 238));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(120, 124, 132));
    p.drawEllipse(QPointF(photo.center().x(), photo.top() + 115), 58, 72);
    QPainterPath shoulders;
    shoulders.moveTo(photo.left() + 18, photo.bottom());
    shoulders.cubicTo(photo.left() + 30, photo.top() + 200, photo.right() - 30, photo.top() + 200, photo.right() - 18,
                      photo.bottom());
    shoulders.closeSubpath();
    p.drawPath(shoulders);

    p.setFont(cjkFont(26));
    p.setPen(label);
    p.drawText(QPointF(60, 482), QStringLiteral("公民身份号码"));
    // The card's OCR-B has plain zeros; DejaVu Sans Mono's are dotted, so the digits come
    // from DejaVu Sans (equal-width figures, plain zero), each centred in a fixed cell as on
    // a monospaced line.
    QFont digits(face.dottedZeros ? QStringLiteral("DejaVu Sans Mono") : QStringLiteral("DejaVu Sans"));
    digits.setPixelSize(40);
    p.setFont(digits);
    p.setPen(value);
    const QFontMetricsF fm(digits);
    const double cell = 27;
    for (int i = 0; i < face.number.size(); ++i) {
        const QString ch = face.number.mid(i, 1);
        p.drawText(QPointF(300 + i * cell + (cell - fm.horizontalAdvance(ch)) / 2, 484), ch);
    }
    return card;
}

cv::Mat emptyTable(quint64 seed)
{
    cv::RNG rng(seed ? seed : 1);
    // Low-frequency blotches and a wood grain in a brown-grey: darker than any card.
    cv::Mat blotch(6, 8, CV_32F);
    rng.fill(blotch, cv::RNG::UNIFORM, 0.85, 1.15);
    cv::resize(blotch, blotch, cv::Size(frameWidth, frameHeight), 0, 0, cv::INTER_CUBIC);
    const double phase = rng.uniform(0.0, 6.28), freq = rng.uniform(0.03, 0.06);
    const cv::Vec3d base(rng.uniform(50.0, 80.0), rng.uniform(70.0, 100.0), rng.uniform(95.0, 130.0));
    cv::Mat table(frameHeight, frameWidth, CV_8UC3);
    for (int y = 0; y < frameHeight; ++y) {
        auto *row = table.ptr<cv::Vec3b>(y);
        for (int x = 0; x < frameWidth; ++x) {
            const double grain = 1 + 0.08 * std::sin(y * freq + 3 * std::sin(x * 0.004 + phase));
            const double k = grain * blotch.at<float>(y, x);
            row[x] = cv::Vec3b(cv::saturate_cast<uchar>(base[0] * k), cv::saturate_cast<uchar>(base[1] * k),
                               cv::saturate_cast<uchar>(base[2] * k));
        }
    }
    return table;
}

FaceDistortion randomFaceDistortion(std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> u(0, 1);
    FaceDistortion d;
    d.scale = 0.7 + 1.8 * u(rng);
    d.rotation = -20 + 40 * u(rng);
    d.light = 0.35 + 0.65 * u(rng);
    d.blur = 2.0 * u(rng);
    return d;
}

cv::Mat faceInFrame(const cv::Mat &face, const FaceDistortion &d, quint64 seed)
{
    cv::RNG rng(seed ? seed : 1);
    // A room: a vertical gradient between two colours, a few soft blobs (people, furniture).
    cv::Mat frame(frameHeight, frameWidth, CV_8UC3);
    const cv::Vec3d top(rng.uniform(40.0, 220.0), rng.uniform(40.0, 220.0), rng.uniform(40.0, 220.0));
    const cv::Vec3d bottom(rng.uniform(40.0, 220.0), rng.uniform(40.0, 220.0), rng.uniform(40.0, 220.0));
    for (int y = 0; y < frameHeight; ++y) {
        const double t = double(y) / frameHeight;
        const cv::Vec3d c = top * (1 - t) + bottom * t;
        frame.row(y).setTo(cv::Scalar(c[0], c[1], c[2]));
    }
    for (int i = 0; i < 8; ++i)
        cv::circle(frame, cv::Point(rng.uniform(0, frameWidth), rng.uniform(0, frameHeight)), rng.uniform(20, 100),
                   cv::Scalar(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256)), cv::FILLED, cv::LINE_AA);
    cv::GaussianBlur(frame, frame, cv::Size(0, 0), 6);

    // The photo, turned and scaled about its centre, placed where all of it stays in view
    // (horizontally anywhere, vertically near the middle, as a person stands before a kiosk).
    const double half = 0.5 * std::max(face.cols, face.rows) * d.scale * std::sqrt(2.0);
    const double cx = half < frameWidth / 2.0 ? rng.uniform(half, frameWidth - half) : frameWidth / 2.0;
    const double cy = half < frameHeight / 2.0
        ? std::clamp(frameHeight / 2.0 + rng.uniform(-60.0, 60.0), half, frameHeight - half)
        : frameHeight / 2.0;
    cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(float(face.cols) / 2, float(face.rows) / 2), d.rotation, d.scale);
    m.at<double>(0, 2) += cx - face.cols / 2.0;
    m.at<double>(1, 2) += cy - face.rows / 2.0;
    cv::Mat warped, mask;
    cv::warpAffine(face, warped, m, frame.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
    cv::warpAffine(cv::Mat(face.size(), CV_8U, cv::Scalar(255)), mask, m, frame.size(), cv::INTER_NEAREST,
                   cv::BORDER_CONSTANT);
    warped.copyTo(frame, mask);

    frame.convertTo(frame, -1, d.light, 0);
    if (d.blur > 0.3)
        cv::GaussianBlur(frame, frame, cv::Size(0, 0), d.blur);
    if (d.noise > 0) {
        cv::Mat noise(frame.size(), CV_16SC3), wide;
        rng.fill(noise, cv::RNG::NORMAL, 0, d.noise);
        frame.convertTo(wide, CV_16SC3);
        wide += noise;
        wide.convertTo(frame, CV_8UC3);
    }
    return frame;
}

cv::Mat placeInFrame(const QImage &card, const Distortion &d, quint64 seed, const cv::Mat &background)
{
    cv::Mat frame = background.empty() ? emptyTable(seed) : background.clone();
    const cv::Size size = frame.size();
    cv::RNG rng(seed ? seed : 1);

    const QImage argb = card.convertToFormat(QImage::Format_ARGB32);
    const cv::Mat bgra(argb.height(), argb.width(), CV_8UC4, const_cast<uchar *>(argb.constBits()),
                       size_t(argb.bytesPerLine())); // little-endian ARGB32 is B,G,R,A in memory
    const std::vector<cv::Point2f> src {
        {0, 0}, {float(argb.width()), 0}, {float(argb.width()), float(argb.height())}, {0, float(argb.height())}};
    const std::vector<cv::Point2f> dst = cardQuad(d, double(argb.width()) / argb.height(), size);
    const cv::Mat h = cv::getPerspectiveTransform(src, dst);
    cv::Mat warped;
    cv::warpPerspective(bgra, warped, h, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0, 0));
    for (int y = 0; y < size.height; ++y) {
        auto *out = frame.ptr<cv::Vec3b>(y);
        const auto *in = warped.ptr<cv::Vec4b>(y);
        for (int x = 0; x < size.width; ++x) {
            const int a = in[x][3];
            if (a == 0)
                continue;
            for (int c = 0; c < 3; ++c)
                out[x][c] = uchar((in[x][c] * a + out[x][c] * (255 - a)) / 255);
        }
    }

    if (!d.occluder.isEmpty()) {
        // A thumb: a rounded skin-toned shape with a darker rim, over the given part of the card.
        const QRectF o(d.occluder.x() * argb.width(), d.occluder.y() * argb.height(), d.occluder.width() * argb.width(),
                       d.occluder.height() * argb.height());
        std::vector<cv::Point> poly;
        for (int i = 0; i < 36; ++i) {
            const double t = 2 * pi * i / 36;
            const cv::Point2f q = mapPoint(
                h,
                QPointF(o.center().x() + o.width() / 2 * std::cos(t), o.center().y() + o.height() / 2 * std::sin(t)));
            poly.emplace_back(int(std::lround(q.x)), int(std::lround(q.y)));
        }
        cv::fillConvexPoly(frame, poly, cv::Scalar(110, 140, 190), cv::LINE_AA);
        cv::polylines(frame, poly, true, cv::Scalar(70, 95, 140), 3, cv::LINE_AA);
    }

    if (d.contrast != 1 || d.brightness != 0) {
        const double mean = cv::mean(frame)[0];
        frame.convertTo(frame, -1, d.contrast, (1 - d.contrast) * mean + d.brightness);
    }
    if (d.blur > 0)
        cv::GaussianBlur(frame, frame, cv::Size(0, 0), d.blur);
    if (d.noise > 0) {
        cv::Mat n(size, CV_16SC3);
        rng.fill(n, cv::RNG::NORMAL, 0, d.noise);
        cv::Mat f16;
        frame.convertTo(f16, CV_16SC3);
        f16 += n;
        f16.convertTo(frame, CV_8UC3);
    }
    if (d.glare > 0) {
        // A reflection: a flat saturated core with a soft fall-off.
        const cv::Point2f c = mapPoint(h, QPointF(d.glareAt.x() * argb.width(), d.glareAt.y() * argb.height()));
        const double r = d.glare * cv::norm(dst[1] - dst[0]);
        for (int y = std::max(0, int(c.y - 2 * r)); y < std::min(size.height, int(c.y + 2 * r)); ++y) {
            auto *row = frame.ptr<cv::Vec3b>(y);
            for (int x = std::max(0, int(c.x - 2 * r)); x < std::min(size.width, int(c.x + 2 * r)); ++x) {
                const double dist = std::hypot((x - c.x) / r, (y - c.y) / (0.75 * r));
                const double k = std::clamp(1.6 * std::exp(-std::pow(dist, 4)), 0.0, 1.0);
                for (int ch = 0; ch < 3; ++ch)
                    row[x][ch] = cv::saturate_cast<uchar>(row[x][ch] + k * (300 - row[x][ch]));
            }
        }
    }
    if (d.jpegQuality > 0) {
        std::vector<uchar> buf;
        cv::imencode(".jpg", frame, buf, {cv::IMWRITE_JPEG_QUALITY, std::clamp(d.jpegQuality, 1, 100)});
        frame = cv::imdecode(buf, cv::IMREAD_COLOR);
    }
    return frame;
}

Distortion randomDistortion(std::mt19937_64 &rng, double severity)
{
    const double s = std::clamp(severity, 0.0, 1.0);
    Distortion d;
    d.scale = uniform(rng, 0.82 - 0.2 * s, 0.9);
    d.rotation = uniform(rng, -30 * s, 30 * s);
    d.perspective = uniform(rng, 0, 0.25 * s);
    d.perspectiveEdge = pick(rng, 4);
    const double room = (1 - d.scale) * frameWidth / 2;
    d.offset = QPointF(uniform(rng, -room, room) * 0.6, uniform(rng, -20 * s, 20 * s));
    d.blur = uniform(rng, 0, 1.6 * s);
    d.contrast = uniform(rng, 1 - 0.5 * s, 1);
    d.brightness = uniform(rng, -25 * s, 15 * s);
    d.noise = uniform(rng, 0, 6 * s);
    d.jpegQuality = pick(rng, 2) ? 50 + pick(rng, 46) : 0;
    return d;
}

Result<int> writeReplayFolder(const QString &dir, const QString &credential, const IdCardFace &card, double fps,
                              quint64 seed)
{
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("synth-write"),
                         QStringLiteral("cannot create the replay folder %1; check that its parent exists and is "
                                        "writable")
                             .arg(dir));
    const cv::Mat table = emptyTable(seed);
    const int second = std::max(1, int(std::lround(fps)));
    std::mt19937_64 rng(seed);
    int count = 0;
    auto write = [&](const cv::Mat &frame) -> Status {
        const QString path = QDir(dir).filePath(QStringLiteral("frame-%1.png").arg(++count, 4, 10, QChar(u'0')));
        if (!cv::imwrite(path.toStdString(), frame))
            return makeError(
                QStringLiteral("synth-write"),
                QStringLiteral("cannot write %1; check the free space and permissions of the replay folder").arg(path));
        return {};
    };
    auto still = [&](int frames) -> Status {
        for (int i = 0; i < frames; ++i) {
            cv::Mat f = table.clone();
            cv::Mat n(f.size(), CV_16SC3);
            cv::RNG(seed + quint64(count)).fill(n, cv::RNG::NORMAL, 0, 2.0);
            cv::Mat f16;
            f.convertTo(f16, CV_16SC3);
            f16 += n;
            f16.convertTo(f, CV_8UC3);
            if (auto s = write(f); !s)
                return s;
        }
        return {};
    };
    // A card slides in from below, settles and is held with a little hand tremor.
    auto present = [&](const QImage &image, double scale, int held) -> Status {
        const int moving = second * 2 / 3;
        for (int i = 0; i < moving + held; ++i) {
            Distortion d;
            d.scale = scale;
            const double t = std::min(1.0, double(i) / moving);
            const double ease = 1 - (1 - t) * (1 - t);
            d.offset = QPointF(uniform(rng, -2, 2), (1 - ease) * frameHeight * 0.8 + uniform(rng, -2, 2));
            d.rotation = (1 - ease) * 12 + uniform(rng, -1.5, 1.5);
            d.perspective = 0.04;
            d.blur = i < moving ? 2.0 * (1 - t) + 0.4 : 0.4;
            d.noise = 2.0;
            if (auto s = write(placeInFrame(image, d, seed + quint64(count), table)); !s)
                return s;
        }
        return {};
    };
    Status s = still(second);
    if (s)
        s = present(renderInvitationCard(credential), 0.85, second);
    if (s)
        s = still(second / 2);
    if (s)
        s = present(renderIdCard(card), 0.88, 2 * second);
    if (s)
        s = still(second / 2);
    if (!s)
        return s.error();
    return count;
}

} // namespace pingyi::vision::synth
