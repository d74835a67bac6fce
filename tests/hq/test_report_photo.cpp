// pingyi-hq report add --image (issue 14): staff photograph the kiosk's closing report
// screen with a phone and the office reads the report's QR code from the photograph.
//
// A real closing report code (encodeReportQr with an enrolled kiosk's key, as the kiosk
// makes it) is drawn as the staff console's report screen shows it (1920×1080: the numbers
// on the left, the code in a white card on the right), then photographed in simulation
// with OpenCV (vision/synth's placeInFrame): the screen tilted in perspective on a dark
// room, slightly rotated, out of focus, dimmer and washed out, with sensor noise, a moiré
// of the screen's pixel grid against the sensor's, and JPEG compression, at 4000×3000 and
// at 1600×1200. The command line must store the report from either photograph; a
// photograph without a code and one of a code that is not a report are refused with their
// messages and nothing is stored; a missing or unreadable file says so.

#include "hqtestutil.h"
#include "kioskreports.h"
#include "report.h"
#include "synth.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QFile>
#include <QGuiApplication>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace pingyi;
using namespace pingyi::hqtest;
namespace synth = pingyi::vision::synth;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runHq(const QStringList &args)
{
    QProcess p;
    p.start(qEnvironmentVariable("PINGYI_HQ"), args);
    Run r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("pingyi-hq timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/// The report screen as the console shows it: `code` null draws the screen without a code.
QImage reportScreen(const QString &code)
{
    QImage screen(1920, 1080, QImage::Format_RGB32);
    screen.fill(QColor(QStringLiteral("#F3F0E8")));
    QPainter p(&screen);
    p.setRenderHint(QPainter::Antialiasing);
    QFont title(QStringLiteral("WenQuanYi Micro Hei"));
    title.setPixelSize(56);
    title.setBold(true);
    p.setFont(title);
    p.setPen(QColor(QStringLiteral("#1C1C1C")));
    p.drawText(QPointF(60, 110), QStringLiteral("结束报告　经济发展组"));
    QFont body(QStringLiteral("WenQuanYi Micro Hei"));
    body.setPixelSize(34);
    p.setFont(body);
    const QStringList lines {QStringLiteral("选票 7　已签到 7　应到 40"), QStringLiteral("签到后未投票 0　建议 0"),
                             QStringLiteral("时间：2025-12-20 17:00（UTC+8，当地时间）"),
                             QStringLiteral("选票校验码：3F2A 91C0 7D4E")};
    for (int i = 0; i < lines.size(); ++i)
        p.drawText(QPointF(60, 220 + i * 90), lines[i]);
    // The code's card: white, rounded, 760 px high, the code as large as it fits.
    const QRectF card(1920 - 60 - 760, 60, 760, 960);
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    p.drawRoundedRect(card, 16, 16);
    if (!code.isEmpty()) {
        const QImage qr = synth::renderQr(code, 8);
        const int side = 720;
        p.drawImage(QRectF(card.left() + 20, card.top() + 20, side, side), qr);
    }
    p.setPen(QColor(QStringLiteral("#4D4A45")));
    p.drawText(QRectF(card.left(), card.bottom() - 150, card.width(), 60), Qt::AlignHCenter,
               QStringLiteral("请拍下此二维码，交计票办公室核对"));
    return screen;
}

/// `screen` photographed with a phone, `width`×`height`, saved as JPEG at `path`.
bool photograph(const QImage &screen, int width, int height, quint64 seed, const QString &path)
{
    // A dim room around the screen, lighter towards the top.
    cv::Mat room(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        room.row(y).setTo(cv::Scalar::all(70 - 40.0 * y / height));
    const double s = width / 1600.0; // pixel-sized effects grow with the picture
    synth::Distortion d;
    d.scale = 0.78;
    d.rotation = 4;
    d.perspective = 0.12;
    d.perspectiveEdge = 1;
    d.offset = QPointF(0.03 * width, -0.02 * height);
    d.blur = 1.2 * s;
    d.contrast = 0.8;
    d.brightness = 12;
    d.noise = 7;
    cv::Mat photo = synth::placeInFrame(screen, d, seed, room);
    // Moiré: the screen's pixel grid beating against the sensor's, a slanted wave of light
    // and dark bands a few dozen pixels apart.
    cv::Mat wave(photo.size(), CV_32F);
    for (int y = 0; y < wave.rows; ++y) {
        float *row = wave.ptr<float>(y);
        for (int x = 0; x < wave.cols; ++x)
            row[x] = float(1.0 + 0.07 * std::sin(2 * M_PI * (x * 0.9 + y * 0.35) / (23.0 * s)));
    }
    cv::Mat channels[3];
    cv::split(photo, channels);
    for (cv::Mat &c : channels) {
        cv::Mat f;
        c.convertTo(f, CV_32F);
        cv::multiply(f, wave, f);
        f.convertTo(c, CV_8U);
    }
    cv::merge(channels, 3, photo);
    return cv::imwrite(path.toStdString(), photo, {cv::IMWRITE_JPEG_QUALITY, 82});
}

} // namespace

class TestReportPhoto : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_dirs = 0;
    QString m_hqDir;
    QString m_code;

    QString file(const QString &name) const { return m_tmp.filePath(name); }

    /// A fresh office with one kiosk enrolled at shinan; m_code is that kiosk's closing
    /// report of group econ (7 ballots).
    void freshOffice()
    {
        m_hqDir = m_tmp.filePath(QStringLiteral("hq-%1").arg(++m_dirs));
        const Activity activity = exampleActivity();
        makeHq(m_hqDir, activity, 0.2);
        auto h = must(hq::Hq::open(m_hqDir), "open");
        const hq::Secrets secrets = must(h.unlock(passphrase()), "unlock");
        const TestKiosk k = enrolKiosk(h, secrets, QStringLiteral("shinan"), QStringLiteral("s-1"));
        const SessionContext c {activity.id, k.venue, k.id, QStringLiteral("econ"), false};
        m_code = encodeReportQr({true, c, {7, 7, 0, 0}, crypto::randomBytes(32)}, k.key);
    }

    QList<hq::KioskReportRow> stored() const
    {
        auto h = must(hq::Hq::open(m_hqDir), "open");
        return must(hq::storedReports(h), "stored");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("PINGYI_HQ")), "PINGYI_HQ must name pingyi-hq");
    }

    // The closing report screen photographed at 12 and at 2 megapixels: stored, then
    // already stored.
    void photographedReportIsStored()
    {
        freshOffice();
        const QString big = file(QStringLiteral("screen-4000.jpg"));
        const QString small = file(QStringLiteral("screen-1600.jpg"));
        QVERIFY(photograph(reportScreen(m_code), 4000, 3000, 1, big));
        QVERIFY(photograph(reportScreen(m_code), 1600, 1200, 2, small));
        // To look at them: PINGYI_PHOTO_DIR=/tmp/photos.
        if (const QString keep = qEnvironmentVariable("PINGYI_PHOTO_DIR"); !keep.isEmpty()) {
            QDir().mkpath(keep);
            for (const QString &f : {big, small}) {
                QFile::remove(keep + QLatin1Char('/') + QFileInfo(f).fileName());
                QFile::copy(f, keep + QLatin1Char('/') + QFileInfo(f).fileName());
            }
        }

        Run r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                       QStringLiteral("--image"), big});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.startsWith(QStringLiteral("stored ")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("1 report(s) given, 0 refused")), qPrintable(r.out));
        QList<hq::KioskReportRow> rows = stored();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].payload, m_code);
        QCOMPARE(rows[0].counts.ballots, qint64(7));

        r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                   QStringLiteral("--image"), small, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QStringLiteral("\"outcome\": \"already-stored\"")), qPrintable(r.out));
        QCOMPARE(stored().size(), 1);
    }

    // No code in the photograph: the operator is told to take it again, and how.
    void photographWithoutCodeIsRefused()
    {
        freshOffice();
        const QString photo = file(QStringLiteral("no-code.jpg"));
        QVERIFY(photograph(reportScreen({}), 1600, 1200, 3, photo));
        const Run r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                             QStringLiteral("--image"), photo});
        QCOMPARE(r.exitCode, 1);
        for (const QString &part :
             {QStringLiteral("no QR code found in the photograph"), QStringLiteral("take the photograph again"),
              QStringLiteral("in focus"), QStringLiteral("without reflections"), photo})
            QVERIFY2(r.err.contains(part), qPrintable(r.err));
        QCOMPARE(stored().size(), 0);
    }

    // A code that is not a report (an invitation card's, say): the refusal of any code
    // that is not a Pingyi report, nothing stored.
    void otherCodeIsRefused()
    {
        freshOffice();
        const QString photo = file(QStringLiteral("other-code.jpg"));
        QVERIFY(photograph(reportScreen(QStringLiteral("PYI1:INVITATION-CARD-NOT-A-REPORT-0123456789")), 1600, 1200, 4,
                           photo));
        const Run r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                             QStringLiteral("--image"), photo});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("REFUSED")) && r.out.contains(QStringLiteral("report-format"))
                     && r.out.contains(QStringLiteral("not a Pingyi report code"))
                     && r.out.contains(QStringLiteral("1 report(s) given, 1 refused")),
                 qPrintable(r.out));
        QCOMPARE(stored().size(), 0);
    }

    // A file that is not there, and one that is not a picture.
    void badFilesAreNamed()
    {
        freshOffice();
        const QString missing = file(QStringLiteral("missing.jpg"));
        Run r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                       QStringLiteral("--image"), missing});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(missing) && r.err.contains(QStringLiteral("no such file")), qPrintable(r.err));

        const QString notPicture = file(QStringLiteral("notes.jpg"));
        QFile f(notPicture);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a picture\n");
        f.close();
        r = runHq({QStringLiteral("report"), QStringLiteral("add"), QStringLiteral("--hq"), m_hqDir,
                   QStringLiteral("--image"), notPicture});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(notPicture) && r.err.contains(QStringLiteral("cannot be read as a picture")),
                 qPrintable(r.err));
        QCOMPARE(stored().size(), 0);
    }
};

QTEST_MAIN(TestReportPhoto)
#include "test_report_photo.moc"
