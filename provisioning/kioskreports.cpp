#include "kioskreports.h"

#include "ballot.h"
#include "hq.h"
#include "report.h"

#include <QDateTime>
#include <QMap>
#include <QSet>

namespace pingyi::hq {

namespace {

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

QString kindName(bool closing)
{
    return closing ? QStringLiteral("closing") : QStringLiteral("zero");
}

QString labelOf(const ReportSummary &s)
{
    return QStringLiteral("%1 report of kiosk %2, venue %3, group %4%5")
        .arg(s.closing ? QStringLiteral("closing") : QStringLiteral("opening (zero)"), s.context.kioskId,
             s.context.venue, s.context.session, s.context.rehearsal ? QStringLiteral(" (rehearsal)") : QString());
}

QString countsLine(const BatchCounts &n, const QByteArray &digest)
{
    return QStringLiteral("%1 check-ins, %2 ballots, %3 released, %4 suggestions, ballot digest %5…")
        .arg(n.checkins)
        .arg(n.ballots)
        .arg(n.released)
        .arg(n.suggestions)
        .arg(QString::fromLatin1(digest.toHex().left(16)));
}

/// Verifies and stores one report inside the caller's transaction.
Result<ReportStoreResult> storeOne(Database &db, const QString &activityId, const QString &rawText)
{
    const QString text = rawText.trimmed();
    ReportStoreResult res;
    res.label = text.left(16) + QStringLiteral("…");
    auto refuse = [&](const QString &code, const QString &message) {
        res.outcome = ReportOutcome::Refused;
        res.code = code;
        res.message = message;
        return res;
    };
    auto summary = decodeReportQr(text, {});
    if (!summary)
        return refuse(summary.error().code, summary.error().message);
    const SessionContext &c = summary->context;
    res.label = labelOf(*summary);
    res.kiosk = c.kioskId;
    res.session = c.session;

    auto kiosk = store::kiosk(db, c.kioskId);
    if (!kiosk)
        return kiosk.error();
    if (!kiosk->has_value())
        return refuse(QStringLiteral("report-unknown-kiosk"),
                      QStringLiteral("kiosk %1 is not enrolled at this office: check that the code was taken from "
                                     "a kiosk of this activity (pingyi-hq report list shows the enrolled ones)")
                          .arg(c.kioskId));
    const QString venue = (*kiosk)->venue;
    if (auto verified = decodeReportQr(text, (*kiosk)->signPublicKey); !verified)
        return refuse(verified.error().code,
                      verified.error().message
                          + QStringLiteral(": scan the code shown on that kiosk's report again; if it still fails, "
                                           "the code was not made by that kiosk, so keep it and report it"));
    if (c.activityId != activityId || c.venue != venue)
        return refuse(QStringLiteral("report-mismatch"),
                      QStringLiteral("the report is for activity %1, venue %2, but kiosk %3 is enrolled for activity "
                                     "%4, venue %5: it was not made for this activity; keep it and report it")
                          .arg(c.activityId, c.venue, c.kioskId, activityId, venue));
    if (!summary->closing && (summary->counts != BatchCounts {} || summary->ballotDigest != sortedIdDigest({})))
        return refuse(QStringLiteral("zero-report-not-empty"),
                      QStringLiteral("it shows %1: the kiosk held records before voting started. Keep that kiosk's "
                                     "batch of this group apart, compare with its audit log, and report it")
                          .arg(countsLine(summary->counts, summary->ballotDigest)));

    auto had = store::kioskReport(db, c.kioskId, c.session, c.rehearsal, summary->closing);
    if (!had)
        return had.error();
    if (const std::optional<KioskReportRow> &prior = *had) {
        if (prior->payload == text) {
            res.outcome = ReportOutcome::AlreadyStored;
            return res;
        }
        return refuse(
            QStringLiteral("report-conflict"),
            QStringLiteral("a different %1 report of kiosk %2 for group %3 was stored at %4 (%5); this one says %6. "
                           "A kiosk reports a group once: find out which code was taken from the kiosk's printed "
                           "report (compare its audit log) and report the other; the stored one stays")
                .arg(kindName(summary->closing), c.kioskId, c.session, prior->storedAt,
                     countsLine(prior->counts, prior->ballotDigest),
                     countsLine(summary->counts, summary->ballotDigest)));
    }
    if (summary->closing && !c.rehearsal) {
        auto imported = store::storedBatch(db, c.kioskId, c.session);
        if (!imported)
            return imported.error();
        if (const std::optional<store::StoredBatchRow> &batch = *imported;
            batch && (batch->counts != summary->counts || batch->ballotDigest != summary->ballotDigest))
            return refuse(QStringLiteral("closing-report-mismatch"),
                          QStringLiteral("it says %1, but the batch imported %2 from %3 says %4: the imported batch "
                                         "is not what the kiosk reported when the session closed. Compare with the "
                                         "printed closing report and the kiosk's audit log, record the decision, and "
                                         "report it")
                              .arg(countsLine(summary->counts, summary->ballotDigest), batch->importedAt,
                                   batch->fileName, countsLine(batch->counts, batch->ballotDigest)));
    }
    if (auto s = store::insertKioskReport(db,
                                          {c.kioskId, c.venue, c.session, c.rehearsal, summary->closing,
                                           summary->counts, summary->ballotDigest, text, now()});
        !s)
        return s.error();
    res.outcome = ReportOutcome::Stored;
    return res;
}

} // namespace

Result<QList<ReportStoreResult>> storeReports(Hq &hq, const QStringList &texts)
{
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    QList<ReportStoreResult> out;
    for (const QString &text : texts) {
        Database::Transaction tx(hq.db());
        if (!tx.status())
            return tx.status().error();
        auto one = storeOne(hq.db(), activity->id, text);
        if (!one)
            return one.error();
        if (one->outcome == ReportOutcome::Stored)
            if (auto s = tx.commit(); !s)
                return s.error();
        out.append(*one);
    }
    return out;
}

Result<QList<KioskReportRow>> storedReports(Hq &hq)
{
    return store::kioskReports(hq.db());
}

Result<RetiredKiosk> retireKiosk(Hq &hq, const QString &kiosk, const QString &reason)
{
    if (reason.trimmed().isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--reason is required: say why kiosk %1 is retired (spare, broken, lost USB "
                                        "drive …); it is printed with the results")
                             .arg(kiosk));
    Database &db = hq.db();
    auto found = store::kiosk(db, kiosk);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(QStringLiteral("unknown-kiosk"),
                         QStringLiteral("kiosk %1 is not enrolled at this office: pingyi-hq report list shows the "
                                        "enrolled kiosks")
                             .arg(kiosk));
    RetiredKiosk r {kiosk, (*found)->venue, reason.trimmed(), now()};
    if (auto s = store::retireKiosk(db, r); !s)
        return s.error();
    return r;
}

Result<QList<RetiredKiosk>> retiredKiosks(Hq &hq)
{
    return store::retiredKiosks(hq.db());
}

Result<QList<KioskStatus>> kioskStatus(Hq &hq)
{
    QList<KioskStatus> out;
    QMap<QString, int> index;
    auto kiosks = store::kiosks(hq.db());
    if (!kiosks)
        return kiosks.error();
    for (const store::KioskRow &k : *kiosks) {
        index.insert(k.kioskId, int(out.size()));
        out.append({k.kioskId, k.venue, {}, {}, {}, {}});
    }
    QSet<QPair<QString, QString>> imported;
    auto batches = store::batchSessions(hq.db());
    if (!batches)
        return batches.error();
    for (const auto &[kiosk, session] : *batches) {
        imported.insert({kiosk, session});
        if (auto it = index.constFind(kiosk); it != index.cend())
            out[*it].batches << session;
    }
    auto reports = storedReports(hq);
    if (!reports)
        return reports.error();
    for (const KioskReportRow &r : *reports)
        if (auto it = index.constFind(r.kiosk); it != index.cend()) {
            KioskStatus &k = out[*it];
            k.reports << r;
            if (r.rehearsal || imported.contains({r.kiosk, r.session}))
                continue;
            const QString closed = QStringLiteral("%1 (closed with %2 ballots)").arg(r.session).arg(r.counts.ballots);
            const QString opened = QStringLiteral("%1 (opened)").arg(r.session);
            if (r.closing) {
                k.missing.removeAll(opened);
                k.missing << closed;
            } else if (!std::any_of(k.missing.cbegin(), k.missing.cend(),
                                    [&](const QString &m) { return m.startsWith(r.session + QLatin1Char(' ')); })) {
                k.missing << opened;
            }
        }
    auto retired = retiredKiosks(hq);
    if (!retired)
        return retired.error();
    for (const RetiredKiosk &r : *retired)
        if (auto it = index.constFind(r.kiosk); it != index.cend())
            out[*it].retiredReason = r.reason;
    return out;
}

} // namespace pingyi::hq
