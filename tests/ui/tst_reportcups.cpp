// The session report printed over CUPS, as the staff console's 打印 button prints it
// (StaffConsole::printReport: CUPS's default queue, one job, followed until it completes),
// on a real queue: a private cupsd started for this test only, with a printer-driver-cups-pdf
// queue, reached through CUPS_SERVER on the cupsd's own unix socket.
//
// cups-pdf reads its settings (where the PDF goes, its spool and log) only from
// /etc/cups/cups-pdf.conf, a path built into it, and runs as the job's user's home
// otherwise (root's: /root/PDF). So the private cupsd runs in its own mount namespace
// (unshare) where the test's private server root is bind-mounted over /etc/cups: cupsd,
// its filters and cups-pdf see only the test's files; the machine's /etc/cups, its spool
// and any cupsd of the system are left alone. This needs root (CI runs as root).
//
// Checked: the PDF cups-pdf wrote (a PDF, one A4 page, read back with poppler's pdfinfo
// and pdftoppm: its QR code decodes to the report's code, and the page looks like the
// report painted straight to a PDF file), and the refusals: a paused queue, a queue
// that refuses jobs and no queue at all each say so on the console, send nothing, and keep
// the report on the screen; printing works again once the queue is back.

#include "qrscan.h"
#include "staffconsole.h"
#include "uitestsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPrinter>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <unistd.h>

using namespace pingyi;
using namespace pingyi::ui;
using uitest::TestKiosk;

namespace {

const QString queue = QStringLiteral("pingyi-report-pdf");
const QString cupsPdfBackend = QStringLiteral("/usr/lib/cups/backend/cups-pdf");
const QString cupsPdfPpd = QStringLiteral("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd");

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

class TestReportCups : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_cupsd;
    QString m_outDir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// Runs a CUPS command-line tool against the private cupsd; its output on failure.
    QString run(const QString &program, const QStringList &args, int *exitCode = nullptr)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished();
            if (exitCode)
                *exitCode = -1;
            return QStringLiteral("%1 timed out").arg(program);
        }
        if (exitCode)
            *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        return QString::fromUtf8(p.readAll());
    }

    bool admin(const QString &program, const QStringList &args)
    {
        int code = 0;
        const QString output = run(program, args, &code);
        if (code != 0)
            qWarning("%s %s: %s", qPrintable(program), qPrintable(args.join(QLatin1Char(' '))), qPrintable(output));
        return code == 0;
    }

    /// Page 1 of `pdf` as an 8-bit grey image at `dpi` (poppler's pdftoppm).
    QImage raster(const QString &pdf, int dpi)
    {
        const QString prefix = pdf + QStringLiteral(".page");
        int code = 0;
        const QString output = run(QStringLiteral("pdftoppm"),
                                   {QStringLiteral("-gray"), QStringLiteral("-r"), QString::number(dpi),
                                    QStringLiteral("-singlefile"), pdf, prefix},
                                   &code);
        if (code != 0)
            qWarning("pdftoppm %s: %s", qPrintable(pdf), qPrintable(output));
        return QImage(prefix + QStringLiteral(".pgm")).convertToFormat(QImage::Format_Grayscale8);
    }

    QStringList pdfs() const { return QDir(m_outDir).entryList({QStringLiteral("*.pdf")}, QDir::Files, QDir::Name); }

    /// Jobs the private cupsd still holds on any queue (not completed, not cancelled).
    QString openJobs() { return run(QStringLiteral("lpstat"), {QStringLiteral("-o")}).trimmed(); }

    bool addQueue()
    {
        return admin(QStringLiteral("lpadmin"),
                     {QStringLiteral("-p"), queue, QStringLiteral("-E"), QStringLiteral("-v"),
                      QStringLiteral("cups-pdf:/"), QStringLiteral("-P"), cupsPdfPpd})
            && admin(QStringLiteral("lpadmin"), {QStringLiteral("-d"), queue});
    }

    std::unique_ptr<TestKiosk> m_kiosk;
    std::unique_ptr<StaffConsole> m_staff;

    /// A kiosk whose "econ" session was closed with one check-in and no ballot, the closing
    /// report on the console's screen.
    void showClosingReport()
    {
        QString error;
        m_staff.reset();
        m_kiosk = uitest::makeKiosk(&error);
        QVERIFY2(m_kiosk, qPrintable(error));
        m_staff = std::make_unique<StaffConsole>(*m_kiosk->service, m_kiosk->clock, m_kiosk->stateDir(),
                                                 QStringList {m_kiosk->usbDir});
        m_staff->setTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
        QVERIFY(m_kiosk->open(QStringLiteral("econ")));
        QVERIFY(m_kiosk->service->checkInCredential(m_kiosk->voter(QStringLiteral("econ"))->credential).ok());
        QVERIFY(m_kiosk->service->release(kiosk::ReleaseReason::Cancelled).ok());
        m_staff->begin(StaffConsole::Purpose::Console);
        QVERIFY(m_staff->login(m_kiosk->enrolment.pins.staff));
        m_staff->requestAction(QStringLiteral("close"), QStringLiteral("econ"), false);
        QVERIFY(m_staff->confirmAction());
        QCOMPARE(m_staff->page(), StaffConsole::Page::Report);
        QCOMPARE(m_staff->reportKind(), QStringLiteral("closing"));
    }

    /// A refused print: the console says why, nothing reaches CUPS, the report stays.
    void checkRefused(const QString &expectedState)
    {
        const QString digest = m_staff->report().digest;
        const QString qr = m_staff->reportQr();
        const QStringList before = pdfs();
        QVERIFY(!m_staff->printReport());
        QCOMPARE(m_staff->printState(), expectedState);
        QCOMPARE(openJobs(), QString());
        QTest::qWait(1000); // a job that slipped through would be written by now
        QCOMPARE(pdfs(), before);
        QCOMPARE(m_staff->page(), StaffConsole::Page::Report);
        QCOMPARE(m_staff->report().digest, digest);
        QCOMPARE(m_staff->reportQr(), qr);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Everything this test needs, or a failure that says what is missing: setup
        // installs it, so on CI it runs.
        if (geteuid() != 0)
            QFAIL("needs root: the private cupsd runs in its own mount namespace (unshare), and cups-pdf runs as root");
        for (const char *tool : {"cupsd", "unshare", "setpriv", "mount", "lpadmin", "lpstat", "cupsenable",
                                 "cupsdisable", "cupsaccept", "cupsreject", "pdfinfo", "pdftoppm", "gs"}) {
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()
                && QStandardPaths::findExecutable(QString::fromLatin1(tool), {QStringLiteral("/usr/sbin")}).isEmpty())
                QFAIL(qPrintable(QStringLiteral("%1 is missing: run scripts/setup (cups, cups-client, "
                                                "printer-driver-cups-pdf, poppler-utils)")
                                     .arg(QString::fromLatin1(tool))));
        }
        if (!QFileInfo::exists(cupsPdfBackend) || !QFileInfo::exists(cupsPdfPpd))
            QFAIL("cups-pdf's backend or PPD is missing: run scripts/setup (printer-driver-cups-pdf)");
        QVERIFY(m_dir.isValid());
        QFile::setPermissions(m_dir.path(),
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                  | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
        const QString root = path(QStringLiteral("etc-cups"));
        m_outDir = path(QStringLiteral("out"));
        for (const QString &d :
             {root, root + QStringLiteral("/ppd"), m_outDir, path(QStringLiteral("spool/tmp")),
              path(QStringLiteral("cache")), path(QStringLiteral("state")), path(QStringLiteral("log")),
              path(QStringLiteral("cups-pdf-spool")), path(QStringLiteral("client")), path(QStringLiteral("home"))})
            QVERIFY(QDir().mkpath(d));
        const QString socket = path(QStringLiteral("cups.sock"));
        // Only the private socket; no port, no browsing, no authentication for the test's
        // own lpadmin.
        QVERIFY(writeFile(root + QStringLiteral("/cupsd.conf"),
                          QStringLiteral(R"(Listen %1
Browsing No
WebInterface No
LogLevel info
DefaultAuthType None
ErrorPolicy stop-printer
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
)")
                              .arg(socket)));
        QVERIFY(writeFile(root + QStringLiteral("/cups-files.conf"),
                          QStringLiteral(R"(ServerRoot %1
RequestRoot %2
TempDir %2/tmp
CacheDir %3
StateDir %4
AccessLog %5/access_log
ErrorLog %5/error_log
PageLog %5/page_log
SystemGroup root
User lp
Group lp
)")
                              .arg(root, path(QStringLiteral("spool")), path(QStringLiteral("cache")),
                                   path(QStringLiteral("state")), path(QStringLiteral("log")))));
        // cups-pdf's own settings, seen by it as /etc/cups/cups-pdf.conf.
        QVERIFY(writeFile(root + QStringLiteral("/cups-pdf.conf"),
                          QStringLiteral(R"(Out %1
AnonDirName %1
Spool %2
Log %3
Grp lp
LogType 3
)")
                              .arg(m_outDir, path(QStringLiteral("cups-pdf-spool")), path(QStringLiteral("log")))));

        // libcups in this process and the CUPS tools: the private cupsd only, no client.conf
        // or lpoptions of the machine or of root.
        qputenv("CUPS_SERVER", socket.toLocal8Bit());
        qputenv("CUPS_SERVERROOT", path(QStringLiteral("client")).toLocal8Bit());
        qputenv("HOME", path(QStringLiteral("home")).toLocal8Bit());

        m_cupsd.setProcessChannelMode(QProcess::MergedChannels);
        m_cupsd.setStandardOutputFile(path(QStringLiteral("log/cupsd.out")));
        // setpriv: the cupsd dies with this test, even if the test is killed (a timeout).
        m_cupsd.start(QStringLiteral("setpriv"),
                      {QStringLiteral("--pdeathsig"), QStringLiteral("KILL"), QStringLiteral("unshare"),
                       QStringLiteral("--mount"), QStringLiteral("--propagation"), QStringLiteral("private"),
                       QStringLiteral("--"), QStringLiteral("/bin/sh"), QStringLiteral("-c"),
                       QStringLiteral("mount --bind \"$1\" /etc/cups && exec cupsd -f -c \"$1/cupsd.conf\" -s "
                                      "\"$1/cups-files.conf\""),
                       QStringLiteral("sh"), root});
        QVERIFY2(m_cupsd.waitForStarted(5000), qPrintable(m_cupsd.errorString()));
        int code = -1;
        for (int i = 0; i < 100 && code != 0; ++i) {
            if (m_cupsd.state() != QProcess::Running)
                break;
            QTest::qWait(100);
            run(QStringLiteral("lpstat"), {QStringLiteral("-r")}, &code);
        }
        if (code != 0) {
            QFile out(path(QStringLiteral("log/cupsd.out")));
            out.open(QIODevice::ReadOnly);
            QFile log(path(QStringLiteral("log/error_log")));
            log.open(QIODevice::ReadOnly);
            QFAIL(qPrintable(QStringLiteral("the private cupsd did not start (unshare --mount needs root and "
                                            "CAP_SYS_ADMIN):\n%1\n%2")
                                 .arg(QString::fromUtf8(out.readAll()), QString::fromUtf8(log.readAll()))));
        }
        QVERIFY(addQueue());
    }

    void cleanupTestCase()
    {
        m_staff.reset();
        if (m_cupsd.state() == QProcess::Running) {
            m_cupsd.terminate();
            if (!m_cupsd.waitForFinished(10000)) {
                m_cupsd.kill();
                m_cupsd.waitForFinished();
            }
        }
    }

    // The closing report through the console's print path onto the cups-pdf queue: the job
    // completes, and the PDF cups-pdf made holds the report.
    void printsOnTheDefaultQueue()
    {
        showClosingReport();
        QCOMPARE(m_staff->printState(), QString());
        QVERIFY(m_staff->printReport());
        QCOMPARE(m_staff->printerName(), queue);
        QCOMPARE(m_staff->printState(), QStringLiteral("printing"));
        QVERIFY(!m_staff->printReport()); // one job at a time
        QTRY_COMPARE_WITH_TIMEOUT(m_staff->printState(), QStringLiteral("printed"), 30000);
        QCOMPARE(openJobs(), QString());

        QTRY_COMPARE_WITH_TIMEOUT(pdfs().size(), 1, 5000);
        const QString pdf = QDir(m_outDir).filePath(pdfs().constFirst());
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(f.read(5) == "%PDF-", qPrintable(pdf));
        const QString info = run(QStringLiteral("pdfinfo"), {pdf});
        QVERIFY2(QRegularExpression(QStringLiteral("(?m)^Pages:\\s+1$")).match(info).hasMatch(), qPrintable(info));
        // A4 portrait, as the report is painted.
        QVERIFY2(
            QRegularExpression(QStringLiteral("(?m)^Page size:\\s+59[45](\\.\\d+)? x 84[12]")).match(info).hasMatch(),
            qPrintable(info));
        // The text itself does not survive the way through CUPS (PDF → PostScript → cups-pdf's
        // Ghostscript → PDF): the subset CJK fonts lose their Unicode map, so pdftotext reads
        // symbols. The page is checked as it looks instead: its QR code read back gives the
        // report's code, and it looks like the same report painted straight to a PDF file.
        const QImage printed = raster(pdf, 150);
        QVERIFY(!printed.isNull());
        const qr::QrScan scan
            = qr::scanGrey(printed.constBits(), printed.width(), printed.height(), int(printed.bytesPerLine()));
        QCOMPARE(scan.texts, QStringList {m_staff->reportQr()});

        const QString direct = path(QStringLiteral("direct.pdf"));
        QPrinter paper(QPrinter::HighResolution);
        paper.setOutputFormat(QPrinter::PdfFormat);
        paper.setOutputFileName(direct);
        QVERIFY(m_staff->printReportTo(paper));
        // To look at both: PINGYI_REPORT_PDF_DIR=/tmp/cups (printed.pdf, direct.pdf).
        if (const QString keep = qEnvironmentVariable("PINGYI_REPORT_PDF_DIR"); !keep.isEmpty()) {
            QDir().mkpath(keep);
            for (const auto &[from, to] :
                 {std::pair {pdf, QStringLiteral("printed.pdf")}, std::pair {direct, QStringLiteral("direct.pdf")}}) {
                QFile::remove(QDir(keep).filePath(to));
                QVERIFY(QFile::copy(from, QDir(keep).filePath(to)));
            }
        }
        const QImage a = raster(pdf, 50);
        const QImage b = raster(direct, 50);
        QCOMPARE(a.size(), b.size());
        qint64 diff = 0;
        qint64 ink = 0;
        for (int y = 0; y < a.height(); ++y) {
            const uchar *ra = a.constScanLine(y);
            const uchar *rb = b.constScanLine(y);
            for (int x = 0; x < a.width(); ++x) {
                diff += std::abs(int(ra[x]) - int(rb[x]));
                ink += 255 - ra[x];
            }
        }
        const double pixels = double(a.width()) * a.height();
        qInfo("printed page: mean ink %.1f, mean difference from the direct PDF %.2f grey levels", ink / pixels,
              diff / pixels);
        // The shapes match; the glyphs differ at their edges (cups-pdf's Ghostscript turns
        // the fonts into bitmaps at 300 dpi): about a tenth of the ink. A blank page differs
        // by all of its ink, a page without its QR code by half.
        QVERIFY2(ink / pixels > 10, "the printed page is blank");
        QVERIFY2(diff < ink / 4, "the printed page differs from the report painted straight to PDF");
    }

    // A paused queue (cupsdisable) and a queue that refuses jobs (cupsreject): the console
    // says so, sends nothing and keeps the report; once the queue is back, it prints.
    void stoppedQueueIsRefused()
    {
        showClosingReport();
        QVERIFY(admin(QStringLiteral("cupsdisable"), {queue}));
        checkRefused(QStringLiteral("printer-stopped"));
        QCOMPARE(m_staff->printerName(), queue);
        QVERIFY(admin(QStringLiteral("cupsenable"), {queue}));

        QVERIFY(admin(QStringLiteral("cupsreject"), {queue}));
        checkRefused(QStringLiteral("printer-stopped"));
        QVERIFY(admin(QStringLiteral("cupsaccept"), {queue}));

        const qsizetype before = pdfs().size();
        QVERIFY(m_staff->printReport());
        QTRY_COMPARE_WITH_TIMEOUT(m_staff->printState(), QStringLiteral("printed"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(pdfs().size(), before + 1, 5000);
    }

    // The printer fails under the job (cups-pdf cannot write its output, as a printer jams):
    // CUPS aborts the job; the console, which followed it, says the print did not complete,
    // and nothing is left queued to come out later, after staff printed again.
    void printerFailsDuringTheJob()
    {
        showClosingReport();
        const QString saved = m_outDir + QStringLiteral(".saved");
        QVERIFY(QDir().rename(m_outDir, saved));
        QVERIFY(writeFile(m_outDir, QStringLiteral("a file where cups-pdf wants its directory\n")));
        QVERIFY(m_staff->printReport());
        QTRY_VERIFY_WITH_TIMEOUT(m_staff->printState() != QLatin1String("printing"), 30000);
        QCOMPARE(m_staff->printState(), QStringLiteral("failed"));
        QCOMPARE(openJobs(), QString());
        QCOMPARE(m_staff->page(), StaffConsole::Page::Report);
        QVERIFY(QFile::remove(m_outDir));
        QVERIFY(QDir().rename(saved, m_outDir));
        QVERIFY(admin(QStringLiteral("cupsenable"), {queue}));
        const qsizetype before = pdfs().size();
        QVERIFY(m_staff->printReport());
        QTRY_COMPARE_WITH_TIMEOUT(m_staff->printState(), QStringLiteral("printed"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(pdfs().size(), before + 1, 5000);
    }

    // No queue at all: "no printer", nothing lost; a queue added later is used.
    void noQueue()
    {
        showClosingReport();
        QVERIFY(admin(QStringLiteral("lpadmin"), {QStringLiteral("-x"), queue}));
        checkRefused(QStringLiteral("no-printer"));
        QCOMPARE(m_staff->printerName(), QString());
        QVERIFY(addQueue());
        QVERIFY(m_staff->printReport());
        QTRY_COMPARE_WITH_TIMEOUT(m_staff->printState(), QStringLiteral("printed"), 30000);
    }
};

QTEST_MAIN(TestReportCups)
#include "tst_reportcups.moc"
