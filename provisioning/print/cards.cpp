#include "cards.h"

#include "fileio.h"
#include "qrcode.h"

#include <QBuffer>
#include <QDate>
#include <QFont>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

#include <algorithm>

namespace pingyi::hq {

namespace {
constexpr int dpi = 300;
constexpr int columns = 2;
constexpr int rows = 2;
// A6: an A4 sheet cut once each way; the 7 mm padding keeps the text inside what any
// office printer prints at the sheet's edges.
constexpr double cardWidthMm = 105.0;
constexpr double cardHeightMm = 148.5;
constexpr double padMm = 7.0;
const QColor brand(0xb7, 0x1c, 0x1c);
const QColor ink(0x21, 0x21, 0x21);
const QColor muted(0x50, 0x50, 0x50);

double mmToPx(double v)
{
    return v * dpi / 25.4;
}

QFont font(double pt, bool bold = false)
{
    QFont f(QStringLiteral("WenQuanYi Micro Hei"));
    f.setPixelSize(std::max(1, int(pt * dpi / 72.0 + 0.5)));
    f.setBold(bold);
    return f;
}

QString venueName(const Activity &a, const QString &code)
{
    const Venue *v = a.venue(code);
    return v ? v->name : code;
}

/// "09:00–11:30", "09:00" or empty, as far as the spec gives it.
QString timeRange(const GroupSession &s)
{
    if (s.start.isEmpty())
        return {};
    return s.end.isEmpty() ? s.start : s.start + QStringLiteral("–") + s.end;
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

/// Draws wrapped text at the top of `box` (mm); returns the height used in mm.
double textBlock(QPainter &p, const QRectF &boxMm, const QString &s, double pt, bool bold = false,
                 const QColor &color = ink)
{
    p.setFont(font(pt, bold));
    p.setPen(color);
    const QRectF box(mmToPx(boxMm.x()), mmToPx(boxMm.y()), mmToPx(boxMm.width()), mmToPx(boxMm.height()));
    const QRectF used = p.boundingRect(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, s);
    p.drawText(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, s);
    return used.height() * 25.4 / dpi;
}

void cutMarks(QPainter &p, const QRectF &cardMm)
{
    p.setPen(QPen(QColor(0x9e, 0x9e, 0x9e), mmToPx(0.2), Qt::DashLine));
    p.drawRect(QRectF(mmToPx(cardMm.x()), mmToPx(cardMm.y()), mmToPx(cardMm.width()), mmToPx(cardMm.height())));
}

void drawCard(QPainter &p, const QRectF &r, const Card &card, const Activity &a)
{
    p.save();
    cutMarks(p, r);
    const double left = r.x() + padMm;
    const double width = r.width() - 2 * padMm;
    double y = r.y() + padMm;

    // Title band.
    // A long activity name wraps: the band grows with it.
    const double nameH = QFontMetricsF(font(11, true))
                             .boundingRect(QRectF(0, 0, mmToPx(width - 2), mmToPx(40)),
                                           Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, a.name)
                             .height()
        * 25.4 / dpi;
    const double bandH = nameH + 12.5;
    p.fillRect(QRectF(mmToPx(r.x() + padMm - 2), mmToPx(y), mmToPx(width + 4), mmToPx(bandH)), brand);
    textBlock(p, QRectF(left + 1, y + 1.5, width - 2, nameH + 1), a.name, 11, true, Qt::white);
    textBlock(p, QRectF(left + 1, y + 2.5 + nameH, width - 2, 9), QStringLiteral("市民代表邀请函"), 18, true,
              Qt::white);
    y += bandH + 4;

    // Who: the masked name with the check code beside it, boxed so staff find it at a glance.
    const double codeW = 30;
    const QRectF codeBox(left + width - codeW, y, codeW, 16);
    p.setPen(QPen(ink, mmToPx(0.4)));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(
        QRectF(mmToPx(codeBox.x()), mmToPx(codeBox.y()), mmToPx(codeBox.width()), mmToPx(codeBox.height())),
        mmToPx(1.5), mmToPx(1.5));
    p.setFont(font(9));
    p.setPen(muted);
    p.drawText(QRectF(mmToPx(codeBox.x()), mmToPx(codeBox.y() + 0.6), mmToPx(codeW), mmToPx(4.5)), Qt::AlignCenter,
               QStringLiteral("核对码 Check"));
    p.setFont(font(20, true));
    p.setPen(ink);
    p.drawText(QRectF(mmToPx(codeBox.x()), mmToPx(codeBox.y() + 5), mmToPx(codeW), mmToPx(10.5)), Qt::AlignCenter,
               card.checkCode);
    textBlock(p, QRectF(left, y, width - codeW - 2, 10), card.maskedName, 20, true);
    textBlock(p, QRectF(left, y + 10, width - codeW - 2, 6), QStringLiteral("代表编号 ") + card.repId, 11, false,
              muted);
    y += 19;
    p.setPen(QPen(QColor(0xbd, 0xbd, 0xbd), mmToPx(0.3)));
    p.drawLine(QPointF(mmToPx(left), mmToPx(y)), QPointF(mmToPx(left + width), mmToPx(y)));
    y += 2.5;

    // When: the one thing a representative must not get wrong, in the largest type.
    const bool several = card.sessions.size() > 1;
    for (const QString &code : card.sessions) {
        const GroupSession *s = a.session(code);
        if (!s) {
            y += textBlock(p, QRectF(left, y, width, 20), code, CardType::place, true);
            continue;
        }
        y += textBlock(p, QRectF(left, y, width, 20), s->name, CardType::place, true) + 0.5;
        QString when = s->date.isEmpty() ? QStringLiteral("时间另行通知") : chineseDate(s->date);
        if (const QString t = timeRange(*s); !t.isEmpty())
            when += (several ? QStringLiteral(" ") : QStringLiteral("\n")) + t;
        y += textBlock(p, QRectF(left, y, width, 30), when, several ? CardType::place : CardType::schedule, true) + 1.5;
    }
    y += 1;

    // Where.
    y += textBlock(p, QRectF(left, y, width, 20), QStringLiteral("会场：") + venueName(a, card.venue), CardType::place,
                   true)
        + 0.5;
    const Venue *venue = a.venue(card.venue);
    if (venue && !venue->address.isEmpty())
        y += textBlock(p, QRectF(left, y, width, 30), QStringLiteral("地址：") + venue->address, CardType::place) + 0.5;
    if (card.sessions.size() == 1)
        if (const GroupSession *s = a.session(card.sessions.first()); s && !s->place.isEmpty())
            y += textBlock(p, QRectF(left, y, width, 30), QStringLiteral("地点：") + s->place, CardType::instructions,
                           false, muted);

    // The QR code and what to do, at the bottom.
    const double qrSide = 36;
    const double bottom = r.bottom() - padMm;
    const QRectF qrBox(left + width - qrSide, bottom - qrSide, qrSide, qrSide);
    drawQr(p, encodeQr(card.credential),
           QRectF(mmToPx(qrBox.x()), mmToPx(qrBox.y()), mmToPx(qrBox.width()), mmToPx(qrBox.height())));
    const QRectF how(left, std::max(y + 1, bottom - qrSide), width - qrSide - 2, qrSide);
    textBlock(p, how, QStringLiteral("请携带本卡和身份证按时到会，在评议终端扫描右侧二维码签到。仅限本人使用。"),
              CardType::instructions);
    p.restore();
}

} // namespace

QString chineseDate(const QString &isoDate)
{
    const QDate d = QDate::fromString(isoDate, Qt::ISODate);
    if (!d.isValid())
        return isoDate;
    static const QString days = QStringLiteral("一二三四五六日");
    return QStringLiteral("%1年%2月%3日（星期%4）")
        .arg(d.year())
        .arg(d.month())
        .arg(d.day())
        .arg(days.at(d.dayOfWeek() - 1));
}

Status renderCardsPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath)
{
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setTitle(QStringLiteral("%1 邀请函").arg(activity.name));
        writer.setCreator(QStringLiteral("pingyi-hq"));
        writer.setResolution(dpi);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter p(&writer);
        if (!p.isActive())
            return makeError(QStringLiteral("pdf"), QStringLiteral("cannot start the PDF writer"));
        p.setRenderHint(QPainter::Antialiasing);
        for (qsizetype i = 0; i < cards.size(); ++i) {
            const int slot = int(i % cardsPerPage);
            if (slot == 0 && i > 0)
                writer.newPage();
            const QRectF r((slot % columns) * cardWidthMm, (slot / columns) * cardHeightMm, cardWidthMm, cardHeightMm);
            drawCard(p, r, cards[i], activity);
        }
        p.end();
    }
    // The cards carry every representative's credential: readable by the office only.
    return writeFileAtomic(pdfPath, pdf, true);
}

Status renderCardListPdf(const QList<Card> &cards, const Activity &activity, const QString &pdfPath)
{
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setTitle(QStringLiteral("%1 发卡清单").arg(activity.name));
        writer.setCreator(QStringLiteral("pingyi-hq"));
        writer.setResolution(dpi);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter p(&writer);
        if (!p.isActive())
            return makeError(QStringLiteral("pdf"), QStringLiteral("cannot start the PDF writer"));

        struct Col {
            QString title;
            double width;
            Qt::Alignment align = Qt::AlignLeft;
        };
        const QList<Col> cols {{QStringLiteral("序号"), 13, Qt::AlignRight},
                               {QStringLiteral("代表编号"), 28},
                               {QStringLiteral("姓名"), 28},
                               {QStringLiteral("核对码"), 22, Qt::AlignCenter},
                               {QStringLiteral("评议组 · 时间"), 62},
                               {QStringLiteral("签收"), 27}};
        const double left = 15, top = 15, bottom = 280, rowH = 8.5;
        double y = top;
        int page = 1;
        QString venue;
        auto cell = [&](double x, double w, const QString &s, double pt, bool bold, Qt::Alignment align) {
            p.setFont(font(pt, bold));
            const QString text = QFontMetricsF(p.font()).elidedText(s, Qt::ElideRight, mmToPx(w - 2));
            p.drawText(QRectF(mmToPx(x + 1), mmToPx(y), mmToPx(w - 2), mmToPx(rowH)), align | Qt::AlignVCenter, text);
        };
        auto header = [&] {
            p.setPen(ink);
            textBlock(p, QRectF(left, y, 180, 10),
                      QStringLiteral("%1 发卡清单 · %2").arg(activity.name, venueName(activity, venue)), 14, true);
            y += 9;
            textBlock(
                p, QRectF(left, y, 180, 12),
                QStringLiteral("发卡时请代表报出姓名，工作人员读出卡上的核对码，与本清单同一行核对后请代表签收。"), 10,
                false, muted);
            y += 10;
            p.fillRect(QRectF(mmToPx(left), mmToPx(y), mmToPx(180), mmToPx(rowH)), QColor(0xee, 0xee, 0xee));
            double x = left;
            p.setPen(ink);
            for (const Col &c : cols) {
                cell(x, c.width, c.title, 11, true, c.align);
                x += c.width;
            }
            y += rowH;
        };
        auto footer = [&] {
            p.setFont(font(9));
            p.setPen(muted);
            p.drawText(QRectF(mmToPx(left), mmToPx(bottom + 4), mmToPx(180), mmToPx(5)), Qt::AlignRight,
                       QStringLiteral("第 %1 页").arg(page));
        };
        int number = 0;
        for (qsizetype i = 0; i < cards.size(); ++i) {
            const Card &c = cards[i];
            const bool newVenue = c.venue != venue;
            if (i > 0 && (newVenue || y + rowH > bottom)) {
                footer();
                writer.newPage();
                ++page;
                y = top;
            }
            if (newVenue)
                number = 0;
            venue = c.venue;
            if (y == top)
                header();
            ++number;
            QStringList groups;
            for (const QString &code : c.sessions) {
                const GroupSession *s = activity.session(code);
                if (!s) {
                    groups << code;
                    continue;
                }
                const QDate d = QDate::fromString(s->date, Qt::ISODate);
                const QString when
                    = d.isValid() ? QStringLiteral("%1月%2日 %3").arg(d.month()).arg(d.day()).arg(s->start) : QString();
                groups << (when.isEmpty() ? s->name : QStringLiteral("%1 %2").arg(s->name, when.trimmed()));
            }
            if (number % 2 == 0)
                p.fillRect(QRectF(mmToPx(left), mmToPx(y), mmToPx(180), mmToPx(rowH)), QColor(0xf5, 0xf5, 0xf5));
            p.setPen(ink);
            const QStringList values {QString::number(number),           c.repId,  c.maskedName, c.checkCode,
                                      groups.join(QStringLiteral("；")), QString()};
            double x = left;
            for (int k = 0; k < cols.size(); ++k) {
                cell(x, cols[k].width, values[k], k == 3 ? 13 : 11, k == 3, cols[k].align);
                x += cols[k].width;
            }
            p.setPen(QPen(QColor(0xbd, 0xbd, 0xbd), mmToPx(0.2)));
            p.drawLine(QPointF(mmToPx(left), mmToPx(y + rowH)), QPointF(mmToPx(left + 180), mmToPx(y + rowH)));
            y += rowH;
        }
        footer();
        p.end();
    }
    // Masked names and ids of everyone invited: the office's account only, like the cards.
    return writeFileAtomic(pdfPath, pdf, true);
}

} // namespace pingyi::hq
