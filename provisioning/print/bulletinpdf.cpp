#include "bulletinpdf.h"

#include "fileio.h"

#include <QBuffer>
#include <QFont>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace pingyi::hq {

namespace {

QByteArray bulletinPdf(const Bulletin &b)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setTitle(QStringLiteral("%1 %2").arg(b.activityName, bulletinTitle(b)));
    writer.setCreator(QStringLiteral("pingyi-hq bulletin"));
    writer.setResolution(300);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QPainter p(&writer);
    const double mm = writer.resolution() / 25.4;
    auto font = [&](double pt, bool bold) {
        QFont f(QStringLiteral("WenQuanYi Micro Hei"));
        f.setPixelSize(int(pt * writer.resolution() / 72.0));
        f.setBold(bold);
        return f;
    };
    constexpr int columns = 6;
    constexpr double left = 15, width = 180, top = 15, bottom = 280, rowH = 4.6;
    int page = 1;
    double y = top;
    auto footer = [&] {
        p.setFont(font(7, false));
        p.setPen(Qt::darkGray);
        p.drawText(QRectF(left * mm, (bottom + 4) * mm, width * mm, 5 * mm), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 · digest %2…").arg(b.activityId, b.digest.left(16)));
        p.drawText(QRectF(left * mm, (bottom + 4) * mm, width * mm, 5 * mm), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("第 %1 页").arg(page));
        p.setPen(Qt::black);
    };
    auto newPage = [&] {
        writer.newPage();
        ++page;
        y = top;
        footer();
    };
    footer();
    p.setFont(font(15, true));
    p.drawText(QRectF(left * mm, y * mm, width * mm, 9 * mm), Qt::AlignLeft | Qt::AlignVCenter, b.activityName);
    y += 10;
    p.setFont(font(11, true));
    p.drawText(QRectF(left * mm, y * mm, width * mm, 7 * mm), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("%1 (%2)").arg(bulletinTitle(b)).arg(b.total));
    y += 8;
    p.setFont(font(8, false));
    for (const QString &line : bulletinLeftOut(b)) {
        p.drawText(QRectF(left * mm, y * mm, width * mm, 9 * mm), Qt::AlignLeft | Qt::TextWordWrap, line);
        y += 8;
    }
    p.setFont(font(8, false));
    p.drawText(
        QRectF(left * mm, y * mm, width * mm, 10 * mm), Qt::AlignLeft | Qt::TextWordWrap,
        QStringLiteral(
            "请在您所在会场的列表中查找投票后终端显示的回执码，以确认您的选票已计入。Find your receipt code under "
            "your venue. Generated %1 UTC.")
            .arg(b.generated.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    y += 12;
    for (const BulletinVenue &v : b.venues) {
        if (y + 14 > bottom)
            newPage();
        p.setFont(font(11, true));
        p.drawText(QRectF(left * mm, y * mm, width * mm, 7 * mm), Qt::AlignLeft | Qt::AlignVCenter,
                   QStringLiteral("%1 %2  (%3)").arg(v.name, v.code).arg(v.receipts.size()));
        y += 8;
        QFont mono(QStringLiteral("DejaVu Sans Mono"));
        mono.setPixelSize(int(9 * writer.resolution() / 72.0));
        p.setFont(mono);
        for (qsizetype i = 0; i < v.receipts.size(); i += columns) {
            if (y + rowH > bottom) {
                newPage();
                p.setFont(mono);
            }
            for (int c = 0; c < columns && i + c < v.receipts.size(); ++c)
                p.drawText(QRectF((left + c * width / columns) * mm, y * mm, width / columns * mm, rowH * mm),
                           Qt::AlignLeft | Qt::AlignVCenter, v.receipts[i + c]);
            y += rowH;
        }
        y += 4;
    }
    p.end();
    return pdf;
}

} // namespace

Status renderBulletinPdf(const Bulletin &bulletin, const QString &pdfPath)
{
    return writeFileAtomic(pdfPath, bulletinPdf(bulletin));
}

Status writeBulletinFile(const Bulletin &bulletin, const QString &path)
{
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return renderBulletinPdf(bulletin, path);
    return writeBulletin(bulletin, path);
}

} // namespace pingyi::hq
