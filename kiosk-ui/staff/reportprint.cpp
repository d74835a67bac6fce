#include "reportprint.h"

#include "qrcode.h"

#include <QCoreApplication>
#include <QFont>
#include <QPainter>
#include <QPrinter>

#include <algorithm>

namespace pingyi::ui {

namespace {

// The strings are marked with QT_TRANSLATE_NOOP so that lupdate finds them.
QString tr(const char *text)
{
    return QCoreApplication::translate("ReportPrint", text);
}

/// Font sizes in points; the page is painted in printer pixels.
QFont font(qreal points, bool bold = false, const QString &family = QStringLiteral("WenQuanYi Micro Hei"))
{
    QFont f(family);
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

} // namespace

bool printReport(QPrinter &printer, const PrintedReport &r)
{
    printer.setPageSize(QPageSize(QPageSize::A4));
    printer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    QPainter p;
    if (!p.begin(&printer))
        return false;
    // The painter's origin is the top left of the printable area.
    const QRect paintable = printer.pageLayout().paintRectPixels(printer.resolution());
    const QRectF page(0, 0, paintable.width(), paintable.height());
    const qreal mm = printer.resolution() / 25.4;
    const ReportFacts &f = r.facts;
    qreal y = 0;
    auto line = [&](const QString &text, const QFont &fnt, qreal gapAfterMm = 2) {
        p.setFont(fnt);
        const QRectF box = p.boundingRect(QRectF(0, y, page.width(), page.height()), Qt::TextWordWrap, text);
        p.drawText(QRectF(0, y, page.width(), box.height()), Qt::TextWordWrap, text);
        y += box.height() + gapAfterMm * mm;
    };

    line((f.closing ? tr(QT_TRANSLATE_NOOP("ReportPrint", "结束报告")) : tr(QT_TRANSLATE_NOOP("ReportPrint", "零报告")))
             + QStringLiteral("　") + r.session,
         font(22, true));
    if (r.rehearsal)
        line(tr(QT_TRANSLATE_NOOP("ReportPrint", "【演练】本报告的投票不计入正式评议结果")), font(14, true));
    line(r.activity, font(12));
    line(tr(QT_TRANSLATE_NOOP("ReportPrint", "会场：%1　　终端：%2")).arg(r.venue, f.kioskId), font(12), 5);

    // The numbers, each in a labelled box.
    const QList<QPair<QString, int>> numbers {
        {tr(QT_TRANSLATE_NOOP("ReportPrint", "选票")), f.ballots},
        {tr(QT_TRANSLATE_NOOP("ReportPrint", "已签到")), f.checkins},
        {tr(QT_TRANSLATE_NOOP("ReportPrint", "应到")), f.invited},
        {tr(QT_TRANSLATE_NOOP("ReportPrint", "签到后未投票")), f.leftWithoutVoting},
        {tr(QT_TRANSLATE_NOOP("ReportPrint", "建议")), f.suggestions}};
    const qreal gap = 3 * mm;
    const qreal boxW = (page.width() - gap * (numbers.size() - 1)) / numbers.size();
    const qreal boxH = 28 * mm;
    for (qsizetype i = 0; i < numbers.size(); ++i) {
        const QRectF box(i * (boxW + gap), y, boxW, boxH);
        p.setPen(QPen(Qt::black, 0.4 * mm));
        p.drawRect(box);
        p.setFont(font(30, true));
        p.drawText(box.adjusted(0, 2 * mm, 0, -10 * mm), Qt::AlignCenter, QString::number(numbers[i].second));
        p.setFont(font(11));
        p.drawText(box.adjusted(0, boxH - 10 * mm, 0, -1 * mm), Qt::AlignCenter, numbers[i].first);
    }
    y += boxH + 6 * mm;

    line(tr(QT_TRANSLATE_NOOP("ReportPrint", "时间：%1 %2（%3，当地时间）")).arg(f.date, f.time, f.zone), font(13));
    line(tr(QT_TRANSLATE_NOOP("ReportPrint", "选票校验码：%1")).arg(f.digestShort), font(13, true), 1);
    line(tr(QT_TRANSLATE_NOOP("ReportPrint", "完整校验码：%1")).arg(f.digest),
         font(8, false, QStringLiteral("WenQuanYi Micro Hei Mono")), 3);
    if (f.closing)
        line(tr(QT_TRANSLATE_NOOP("ReportPrint", "按类别签到：%1"))
                 .arg(f.categories.isEmpty() ? QStringLiteral("—") : f.categoryText()),
             font(11), 4);

    // The QR code, as large as the rest of the page allows (at most 110 mm).
    const QrMatrix m = encodeQr(r.qrPayload);
    const qreal signH = 24 * mm;
    const qreal side = std::min({110 * mm, page.width(), page.height() - y - signH - 8 * mm});
    if (!m.isNull() && side > 40 * mm) {
        const int modules = m.size + 8; // a quiet zone of 4 modules on each side
        const qreal unit = side / modules;
        const QPointF origin((page.width() - side) / 2, y);
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::black);
        for (int yy = 0; yy < m.size; ++yy)
            for (int xx = 0; xx < m.size; ++xx)
                if (m.at(xx, yy))
                    p.drawRect(QRectF(origin.x() + (xx + 4) * unit, origin.y() + (yy + 4) * unit, unit, unit));
        y += side + 2 * mm;
        p.setPen(Qt::black);
        p.setFont(font(10));
        p.drawText(QRectF(0, y, page.width(), 6 * mm), Qt::AlignHCenter,
                   tr(QT_TRANSLATE_NOOP("ReportPrint", "二维码含本报告的全部内容和本机签名，供计票办公室核对")));
    }

    p.setPen(Qt::black);
    p.setFont(font(12));
    const qreal signY = page.height() - signH + 10 * mm;
    p.drawText(QPointF(0, signY),
               tr(QT_TRANSLATE_NOOP("ReportPrint",
                                    "工作人员签字：____________　　现场负责人签字：____________　　日期：________")));
    return p.end();
}

} // namespace pingyi::ui
