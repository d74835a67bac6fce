#include "cards.h"

#include "fileio.h"
#include "qrcode.h"

#include <QBuffer>
#include <QFont>
#include <QFontDatabase>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace pingyi::hq {

namespace {
constexpr int columns = 2;
constexpr int rows = 4;
constexpr double cardWidthMm = 90.0;
constexpr double cardHeightMm = 62.0;

QString venueName(const Activity &a, const QString &code)
{
    const Venue *v = a.venue(code);
    return v ? v->name : code;
}

QString sessionNames(const Activity &a, const QStringList &codes)
{
    QStringList names;
    for (const QString &c : codes) {
        const GroupSession *s = a.session(c);
        names << (s ? s->name : c);
    }
    return names.join(QStringLiteral("、"));
}

/// "2025-12-16 09:00–11:30" for the card's one session, as far as the spec gives it.
QString sessionTime(const Activity &a, const QStringList &codes)
{
    const GroupSession *s = codes.size() == 1 ? a.session(codes.first()) : nullptr;
    if (!s || s->date.isEmpty())
        return {};
    QString out = s->date;
    if (!s->start.isEmpty())
        out += u' ' + s->start + (s->end.isEmpty() ? QString() : QStringLiteral("–") + s->end);
    return out;
}

void drawQr(QPainter &p, const QrMatrix &m, const QRectF &box)
{
    const int quiet = 4; // ISO/IEC 18004 asks for four modules of white around the symbol
    const double module = box.width() / (m.size + 2 * quiet);
    p.fillRect(box, Qt::white);
    for (int y = 0; y < m.size; ++y)
        for (int x = 0; x < m.size; ++x)
            if (m.at(x, y))
                p.fillRect(QRectF(box.x() + (x + quiet) * module, box.y() + (y + quiet) * module, module, module),
                           Qt::black);
}

void drawCard(QPainter &p, const QRectF &r, const Card &card, const Activity &a, double mm)
{
    p.save();
    p.setPen(QPen(Qt::gray, 0.2 * mm, Qt::DashLine));
    p.drawRect(r);

    const double pad = 4 * mm;
    const QRectF inner = r.adjusted(pad, pad, -pad, -pad);
    const QRectF band(r.x(), r.y(), r.width(), 11 * mm);
    p.fillRect(band, QColor(0xb7, 0x1c, 0x1c));
    QFont f(QStringLiteral("WenQuanYi Micro Hei"));
    f.setPixelSize(int(3.6 * mm));
    f.setBold(true);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(band.adjusted(pad, 0, -pad, 0), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap,
               QStringLiteral("%1  市民代表邀请函").arg(a.name));

    const double qrSide = 34 * mm;
    const QRectF qrBox(inner.right() - qrSide, band.bottom() + 3 * mm, qrSide, qrSide);
    drawQr(p, encodeQr(card.credential), qrBox);

    const QRectF text(inner.x(), band.bottom() + 3 * mm, inner.width() - qrSide - 3 * mm, qrSide);
    p.setPen(Qt::black);
    f.setPixelSize(int(7 * mm));
    p.setFont(f);
    p.drawText(QRectF(text.x(), text.y(), text.width(), 9 * mm), Qt::AlignLeft | Qt::AlignVCenter, card.maskedName);
    f.setBold(false);
    // The spec's optional schedule and address: when given, a smaller type keeps every line
    // beside the QR code.
    const QString when = sessionTime(a, card.sessions);
    const Venue *venue = a.venue(card.venue);
    const QString address = venue ? venue->address : QString();
    QStringList lines {QStringLiteral("会场：") + venueName(a, card.venue)};
    if (!address.isEmpty())
        lines << QStringLiteral("地址：") + address;
    lines << QStringLiteral("评议组：") + sessionNames(a, card.sessions);
    if (!when.isEmpty())
        lines << QStringLiteral("时间：") + when;
    lines << QStringLiteral("代表编号：") + card.repId;
    f.setPixelSize(int((lines.size() > 3 ? 2.8 : 3.4) * mm));
    p.setFont(f);
    p.drawText(QRectF(text.x(), text.y() + 10 * mm, text.width(), text.height() - 10 * mm),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lines.join(u'\n'));

    f.setPixelSize(int(2.7 * mm));
    p.setFont(f);
    p.setPen(QColor(0x44, 0x44, 0x44));
    p.drawText(QRectF(inner.x(), qrBox.bottom() + 1 * mm, inner.width(), inner.bottom() - qrBox.bottom() - 1 * mm),
               Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
               QStringLiteral("请携带本卡和身份证按时到会场，在评议终端扫描二维码签到。本卡仅限本人使用。\n"
                              "Bring this card and your ID card; scan the code at the voting kiosk."));
    p.restore();
}
} // namespace

Status renderCardsPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath)
{
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setTitle(QStringLiteral("%1 邀请函").arg(activity.name));
        writer.setCreator(QStringLiteral("pingyi-hq"));
        writer.setResolution(300);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter p(&writer);
        if (!p.isActive())
            return makeError(QStringLiteral("pdf"), QStringLiteral("cannot start the PDF writer"));
        const double mm = writer.resolution() / 25.4;
        const double left = (210.0 - columns * cardWidthMm) / 2 * mm;
        const double top = (297.0 - rows * cardHeightMm) / 2 * mm;
        for (qsizetype i = 0; i < cards.size(); ++i) {
            const int slot = int(i % (columns * rows));
            if (slot == 0 && i > 0)
                writer.newPage();
            const QRectF r(left + (slot % columns) * cardWidthMm * mm, top + (slot / columns) * cardHeightMm * mm,
                           cardWidthMm * mm, cardHeightMm * mm);
            drawCard(p, r, cards[i], activity, mm);
        }
        p.end();
    }
    // The cards carry every representative's credential: readable by the office only.
    return writeFileAtomic(pdfPath, pdf, true);
}

} // namespace pingyi::hq
