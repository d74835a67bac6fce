#include "bulletin.h"

#include "ballot.h"
#include "crypto.h"
#include "fileio.h"
#include "hq.h"
#include "hqstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>

namespace pingyi::hq {

Result<Bulletin> buildBulletin(Hq &hq, const QDateTime &generated)
{
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    Bulletin b;
    Database &db = hq.db();
    // The last tally decides what was counted: the batches it covered, less what it rejected.
    QSet<qint64> covered;
    QSet<QByteArray> rejected;
    auto last = store::lastTallyRun(db);
    if (!last)
        return last.error();
    if (*last) {
        b.tallied = true;
        b.tallyGenerated = (*last)->generated;
        auto batches = store::tallyRunBatches(db, (*last)->id);
        if (!batches)
            return batches.error();
        covered = std::move(batches).value();
        if (auto stepped = store::forEachTallyRejected(db, (*last)->id, int(RecordKind::Ballot),
                                                       [&](const QByteArray &id, const QString &code) {
                                                           rejected.insert(id);
                                                           ++b.rejected[code];
                                                       });
            !stepped)
            return stepped.error();
    }
    auto quarantined = store::quarantinedCount(db, int(RecordKind::Ballot));
    if (!quarantined)
        return quarantined.error();
    b.quarantined = *quarantined;
    QMap<QString, QStringList> byVenue;
    if (auto stepped = store::forEachBatchBallotIds(db,
                                                    [&](qint64 batch, const QString &venue, const QByteArray &ids) {
                                                        if (b.tallied && !covered.contains(batch)) {
                                                            b.notYetTallied += ids.size() / 32;
                                                            return;
                                                        }
                                                        QStringList &codes = byVenue[venue];
                                                        for (qsizetype at = 0; at + 32 <= ids.size(); at += 32) {
                                                            const QByteArrayView id
                                                                = QByteArrayView(ids).sliced(at, 32);
                                                            if (!rejected.contains(id.toByteArray()))
                                                                codes.append(receiptCode(id));
                                                        }
                                                    });
        !stepped)
        return stepped.error();
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

QString bulletinTitle(const Bulletin &b)
{
    return b.tallied ? QStringLiteral("计票回执码公示 · Receipt codes of the counted ballots")
                     : QStringLiteral("已导入、尚未计票的选票回执码 · Receipt codes of the ballots imported, not yet "
                                      "tallied");
}

QStringList bulletinLeftOut(const Bulletin &b)
{
    QStringList out;
    if (b.tallied)
        out << QStringLiteral("按 %1 的计票 · as counted by the tally of %2").arg(b.tallyGenerated, b.tallyGenerated);
    else
        out << QStringLiteral("尚未计票：以下回执码的选票已导入，尚未开启计票 · not yet tallied: these ballots were "
                              "imported; none has been opened yet");
    qint64 rejected = 0;
    QStringList codes;
    for (auto it = b.rejected.cbegin(); it != b.rejected.cend(); ++it) {
        rejected += it.value();
        codes << QStringLiteral("%1 %2").arg(it.key()).arg(it.value());
    }
    out << QStringLiteral("未列入 left out: %1 张计票时无法计入 could not be counted at the tally%2; %3 张导入时隔离 "
                          "quarantined at import; %4 张在上次计票后导入 imported after the last tally")
               .arg(rejected)
               .arg(codes.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(codes.join(QStringLiteral(", "))))
               .arg(b.quarantined)
               .arg(b.notYetTallied);
    return out;
}

QByteArray bulletinText(const Bulletin &b)
{
    QString s;
    s += QStringLiteral("%1\n").arg(b.activityName);
    s += bulletinTitle(b) + QLatin1Char('\n');
    s += QStringLiteral("activity: %1\ngenerated: %2\nballots: %3\ndigest: %4\n")
             .arg(b.activityId, b.generated.toString(Qt::ISODate))
             .arg(b.total)
             .arg(b.digest);
    for (const QString &line : bulletinLeftOut(b))
        s += line + QLatin1Char('\n');
    s += QLatin1Char('\n');
    s += QStringLiteral(
        "每位代表可在本会场的列表中查找自己的回执码，以确认选票已计入。\n"
        "Find the receipt code from your kiosk under your venue to check that your ballot was counted.\n");
    if (!b.tallied)
        s += QStringLiteral(
            "（尚未计票：列入仅表示已导入。Not yet tallied: being listed means imported, not counted.）\n");
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
    QJsonObject rejected;
    for (auto it = b.rejected.cbegin(); it != b.rejected.cend(); ++it)
        rejected.insert(it.key(), it.value());
    return QJsonDocument(QJsonObject {{QStringLiteral("format"), QStringLiteral("pingyi-bulletin/v1")},
                                      {QStringLiteral("status"),
                                       b.tallied ? QStringLiteral("counted") : QStringLiteral("imported-not-tallied")},
                                      {QStringLiteral("tally_generated"), b.tallyGenerated},
                                      {QStringLiteral("left_out"),
                                       QJsonObject {{QStringLiteral("rejected"), rejected},
                                                    {QStringLiteral("quarantined"), b.quarantined},
                                                    {QStringLiteral("imported_after_tally"), b.notYetTallied}}},
                                      {QStringLiteral("activity"), b.activityId},
                                      {QStringLiteral("activity_name"), b.activityName},
                                      {QStringLiteral("generated"), b.generated.toString(Qt::ISODate)},
                                      {QStringLiteral("ballots"), b.total},
                                      {QStringLiteral("digest"), b.digest},
                                      {QStringLiteral("venues"), venues}})
        .toJson(QJsonDocument::Indented);
}

Status writeBulletin(const Bulletin &b, const QString &path)
{
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return writeFileAtomic(path, bulletinJson(b));
    if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return makeError(
            QStringLiteral("usage"),
            QStringLiteral("%1: the bulletin as PDF is written by the print library (writeBulletinFile)").arg(path));
    return writeFileAtomic(path, bulletinText(b));
}

} // namespace pingyi::hq
