// The session report on paper (StaffConsole::printReportTo, reportprint.cpp): a closing report
// printed to a PDF file through QPrinter::PdfFormat and read back with pdftotext
// (poppler-utils), so the words and numbers are text on the page, not only pixels.
// Its own executable: painting text needs a QGuiApplication, tst_ui_viewmodels runs without.

#include "staffconsole.h"
#include "uitestsupport.h"

#include <QFile>
#include <QPrinter>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace pingyi;
using namespace pingyi::ui;
using uitest::TestKiosk;

class TestReportPrint : public QObject {
    Q_OBJECT

    std::unique_ptr<TestKiosk> kiosk()
    {
        QString error;
        auto k = uitest::makeKiosk(&error);
        if (!k)
            qFatal("test kiosk: %s", qPrintable(error));
        return k;
    }

private Q_SLOTS:
    // The closing report on paper: printed to a PDF through QPrinter, read back with pdftotext.
    void closingReportOnPaper()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty())
            QFAIL("pdftotext is missing: install poppler-utils (scripts/setup)");
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {k->usbDir});
        staff.setTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
        QVERIFY(k->open(QStringLiteral("econ")));
        // One representative checks in and leaves without voting.
        QVERIFY(k->service->checkInCredential(k->voter(QStringLiteral("econ"))->credential).ok());
        QVERIFY(k->service->release(kiosk::ReleaseReason::Cancelled).ok());
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(staff.login(k->enrolment.pins.staff));
        QPrinter nothing(QPrinter::HighResolution);
        QVERIFY(!staff.printReportTo(nothing)); // no report shown yet
        staff.requestAction(QStringLiteral("close"), QStringLiteral("econ"), false);
        QVERIFY(staff.confirmAction());
        QCOMPARE(staff.report().checkins, 1);
        QCOMPARE(staff.report().leftWithoutVoting, 1);

        QTemporaryDir dir;
        const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(pdf);
        QVERIFY(staff.printReportTo(printer));
        // To look at the page: PINGYI_REPORT_PDF=/tmp/report.pdf.
        if (const QString keep = qEnvironmentVariable("PINGYI_REPORT_PDF"); !keep.isEmpty()) {
            QFile::remove(keep);
            QVERIFY(QFile::copy(pdf, keep));
        }
        QProcess reader;
        reader.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
        QVERIFY(reader.waitForFinished(20000));
        QCOMPARE(reader.exitCode(), 0);
        const QString text = QString::fromUtf8(reader.readAllStandardOutput());
        QVERIFY2(text.contains(QStringLiteral("结束报告")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("2025-12-20 17:00（UTC+8")), qPrintable(text));
        QVERIFY2(text.contains(staff.report().digestShort), qPrintable(text));
        QVERIFY2(QString(text).remove(QRegularExpression(QStringLiteral("\\s"))).contains(staff.report().digest),
                 qPrintable(text));
        // The numbers under their labels: ballots 0, checked in 1, invited, left without voting 1.
        const QRegularExpression numbers(QStringLiteral("0\\s+1\\s+%1\\s+1\\s+0").arg(staff.report().invited));
        QVERIFY2(numbers.match(text).hasMatch(), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("签到后未投票")), qPrintable(text));
    }
};

QTEST_MAIN(TestReportPrint)
#include "tst_reportprint.moc"
