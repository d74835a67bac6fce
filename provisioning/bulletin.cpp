#include "bulletin.h"

#include "ballot.h"
#include "fileio.h"
#include "hq.h"

#include <QBuffer>
#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

namespace pingyi::hq {

Result<Bulletin> buildBulletin(Hq &hq, const QDateTime &generated)
{
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    auto st = hq.db().prepare("SELECT venue, ballot_ids FROM batch");
    if (!st)
        return st.error();
    QMap<QString, QStringList> byVenue;
    for (;;) {
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            break;
        const QByteArray ids = st->blob(1);
        QStringList &codes = byVenue[st->text(0)];
        for (qsizetype at = 0; at + 32 <= ids.size(); at += 32)
            codes.append(receiptCode(QByteArrayView(ids).sliced(at, 32)));
    }
    Bulletin b;
    b.activityId = activity->id;
    b.activityName = activity->name;
    b.generated = generated.isValid() ? generated : QDateTime::currentDateTimeUtc();
    auto add = [&](const QString &code, const QString &name) {
        QStringList receipts = byVenue.take(code);
        if (receipts.isEmpty())
            return;
        receipts.sort();
        b.total += receipts.size();
        b.venues.append({code, name, receipts});
    };
    for (const Venue &v : activity->venues)
        add(v.code, v.name);
    for (const QString &rest : byVenue.keys()) // a venue no longer in the spec: still listed
        add(rest, rest);
    QByteArray lines;
    for (const BulletinVenue &v : b.venues)
        for (const QString &r : v.receipts)
            lines += v.code.toUtf8() + '\t' + r.toLatin1() + '\n';
    b.digest = QString::fromLatin1(crypto::hash(lines).toHex());
    return b;
}

QByteArray bulletinText(const Bulletin &b)
{
    QString s;
    s += QStringLiteral("%1\n").arg(b.activityName);
    s += QStringLiteral("计票回执码公示 · Receipt codes of the counted ballots\n");
    s += QStringLiteral("activity: %1\ngenerated: %2\nballots: %3\ndigest: %4\n\n")
             .arg(b.activityId, b.generated.toString(Qt::ISODate))
             .arg(b.total)
             .arg(b.digest);
    s += QStringLiteral(
        "每位代表可在本会场的列表中查找自己的回执码，以确认选票已计入。\n"
        "Find the receipt code from your kiosk under your venue to check that your ballot was counted.\n");
    for (const BulletinVenue &v : b.venues) {
        s += QStringLiteral("\n== %1 %2 (%3)\n").arg(v.code, v.name).arg(v.receipts.size());
        for (qsizetype i = 0; i < v.receipts.size(); ++i)
            s += v.receipts[i]
                + ((i + 1) % 8 == 0 || i + 1 == v.receipts.size() ? QLatin1Char('\n') : QLatin1Char(' '));
    }
    return s.toUtf8();
}

QByteArray bulletinJson(const Bulletin &b)
{
    QJsonArray venues;
    for (const BulletinVenue &v : b.venues)
        venues.append(QJsonObject {{QStringLiteral("venue"), v.code},
                                   {QStringLiteral("name"), v.name},
                                   {QStringLiteral("count"), qint64(v.receipts.size())},
                                   {QStringLiteral("receipts"), QJsonArray::fromStringList(v.receipts)}});
    return QJsonDocument(QJsonObject {{QStringLiteral("format"), QStringLiteral("pingyi-bulletin/v1")},
                                      {QStringLiteral("activity"), b.activityId},
                                      {QStringLiteral("activity_name"), b.activityName},
                                      {QStringLiteral("generated"), b.generated.toString(Qt::ISODate)},
                                      {QStringLiteral("ballots"), b.total},
                                      {QStringLiteral("digest"), b.digest},
                                      {QStringLiteral("venues"), venues}})
        .toJson(QJsonDocument::Indented);
}

namespace {

QByteArray bulletinPdf(const Bulletin &b)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setTitle(QStringLiteral("%1 回执码公示").arg(b.activityName));
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
               QStringLiteral("计票回执码公示 · Receipt codes of the counted ballots (%1)").arg(b.total));
    y += 8;
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

Status writeBulletin(const Bulletin &b, const QString &path)
{
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return writeFileAtomic(path, bulletinJson(b));
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return writeFileAtomic(path, bulletinPdf(b));
    return writeFileAtomic(path, bulletinText(b));
}

} // namespace pingyi::hq
