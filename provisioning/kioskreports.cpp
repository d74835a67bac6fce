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

KioskReportRow rowFrom(Statement &st)
{
    KioskReportRow r;
    r.kiosk = st.text(0);
    r.venue = st.text(1);
    r.session = st.text(2);
    r.rehearsal = st.integer(3) != 0;
    r.closing = st.text(4) == QLatin1String("closing");
    r.counts = {st.integer(5), st.integer(6), st.integer(7), st.integer(8)};
    r.ballotDigest = st.blob(9);
    r.payload = st.text(10);
    r.storedAt = st.text(11);
    return r;
}

constexpr char selectReports[]
    = "SELECT kiosk_id, venue, session, rehearsal, kind, checkins, ballots, released, suggestions, ballot_digest, "
      "payload, stored_at FROM kiosk_report";

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

    auto kiosk = db.prepare("SELECT venue, sign_pk FROM kiosk WHERE kiosk_id = ?1");
    if (!kiosk)
        return kiosk.error();
    kiosk->bind(1, c.kioskId);
    auto found = kiosk->next();
    if (!found)
        return found.error();
    if (!*found)
        return refuse(QStringLiteral("report-unknown-kiosk"),
                      QStringLiteral("kiosk %1 is not enrolled at this office: check that the code was taken from "
                                     "a kiosk of this activity (pingyi-hq report list shows the enrolled ones)")
                          .arg(c.kioskId));
    const QString venue = kiosk->text(0);
    if (auto verified = decodeReportQr(text, kiosk->blob(1)); !verified)
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

    auto prior = db.prepare("SELECT payload, checkins, ballots, released, suggestions, ballot_digest, stored_at "
                            "FROM kiosk_report WHERE kiosk_id = ?1 AND session = ?2 AND rehearsal = ?3 AND kind = ?4");
    if (!prior)
        return prior.error();
    prior->bind(1, c.kioskId).bind(2, c.session).bind(3, c.rehearsal ? 1 : 0).bind(4, kindName(summary->closing));
    auto had = prior->next();
    if (!had)
        return had.error();
    if (*had) {
        if (prior->text(0) == text) {
            res.outcome = ReportOutcome::AlreadyStored;
            return res;
        }
        return refuse(
            QStringLiteral("report-conflict"),
            QStringLiteral("a different %1 report of kiosk %2 for group %3 was stored at %4 (%5); this one says %6. "
                           "A kiosk reports a group once: find out which code was taken from the kiosk's printed "
                           "report (compare its audit log) and report the other; the stored one stays")
                .arg(kindName(summary->closing), c.kioskId, c.session, prior->text(6),
                     countsLine({prior->integer(1), prior->integer(2), prior->integer(3), prior->integer(4)},
                                prior->blob(5)),
                     countsLine(summary->counts, summary->ballotDigest)));
    }
    if (summary->closing && !c.rehearsal) {
        auto batch = db.prepare("SELECT checkins, ballots, released, suggestions, ballot_digest, file_name, "
                                "imported_at FROM batch WHERE kiosk_id = ?1 AND session = ?2");
        if (!batch)
            return batch.error();
        batch->bind(1, c.kioskId).bind(2, c.session);
        auto imported = batch->next();
        if (!imported)
            return imported.error();
        const BatchCounts n {batch->integer(0), batch->integer(1), batch->integer(2), batch->integer(3)};
        if (*imported && (n != summary->counts || batch->blob(4) != summary->ballotDigest))
            return refuse(QStringLiteral("closing-report-mismatch"),
                          QStringLiteral("it says %1, but the batch imported %2 from %3 says %4: the imported batch "
                                         "is not what the kiosk reported when the session closed. Compare with the "
                                         "printed closing report and the kiosk's audit log, record the decision, and "
                                         "report it")
                              .arg(countsLine(summary->counts, summary->ballotDigest), batch->text(6), batch->text(5),
                                   countsLine(n, batch->blob(4))));
    }
    auto insert = db.prepare("INSERT INTO kiosk_report (kiosk_id, venue, session, rehearsal, kind, checkins, ballots, "
                             "released, suggestions, ballot_digest, payload, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                             "?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!insert)
        return insert.error();
    if (auto s = insert->bind(1, c.kioskId)
                     .bind(2, c.venue)
                     .bind(3, c.session)
                     .bind(4, c.rehearsal ? 1 : 0)
                     .bind(5, kindName(summary->closing))
                     .bind(6, summary->counts.checkins)
                     .bind(7, summary->counts.ballots)
                     .bind(8, summary->counts.released)
                     .bind(9, summary->counts.suggestions)
                     .bind(10, summary->ballotDigest)
                     .bind(11, text)
                     .bind(12, now())
                     .exec();
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
    QByteArray sql(selectReports);
    sql += " ORDER BY venue, kiosk_id, session, rehearsal, kind DESC";
    auto st = hq.db().prepare(sql.constData());
    if (!st)
        return st.error();
    QList<KioskReportRow> out;
    if (auto s = st->forEach([&](Statement &row) { out.append(rowFrom(row)); }); !s)
        return s.error();
    return out;
}

Result<RetiredKiosk> retireKiosk(Hq &hq, const QString &kiosk, const QString &reason)
{
    if (reason.trimmed().isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--reason is required: say why kiosk %1 is retired (spare, broken, lost USB "
                                        "drive …); it is printed with the results")
                             .arg(kiosk));
    Database &db = hq.db();
    auto st = db.prepare("SELECT venue FROM kiosk WHERE kiosk_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, kiosk);
    auto found = st->next();
    if (!found)
        return found.error();
    if (!*found)
        return makeError(QStringLiteral("unknown-kiosk"),
                         QStringLiteral("kiosk %1 is not enrolled at this office: pingyi-hq report list shows the "
                                        "enrolled kiosks")
                             .arg(kiosk));
    RetiredKiosk r {kiosk, st->text(0), reason.trimmed(), now()};
    auto ins = db.prepare("INSERT INTO kiosk_retired (kiosk_id, reason, retired_at) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (kiosk_id) DO UPDATE SET reason = excluded.reason, "
                          "retired_at = excluded.retired_at");
    if (!ins)
        return ins.error();
    if (auto s = ins->bind(1, r.kiosk).bind(2, r.reason).bind(3, r.retiredAt).exec(); !s)
        return s.error();
    return r;
}

Result<QList<RetiredKiosk>> retiredKiosks(Hq &hq)
{
    auto st = hq.db().prepare("SELECT r.kiosk_id, k.venue, r.reason, r.retired_at FROM kiosk_retired r JOIN kiosk k "
                              "USING (kiosk_id) ORDER BY k.venue, r.kiosk_id");
    if (!st)
        return st.error();
    QList<RetiredKiosk> out;
    if (auto s = st->forEach([&](Statement &row) {
            out.append({row.text(0), row.text(1), row.text(2), row.text(3)});
        });
        !s)
        return s.error();
    return out;
}

Result<QList<KioskStatus>> kioskStatus(Hq &hq)
{
    QList<KioskStatus> out;
    QMap<QString, int> index;
    auto kiosks = hq.db().prepare("SELECT kiosk_id, venue FROM kiosk ORDER BY venue, kiosk_id");
    if (!kiosks)
        return kiosks.error();
    if (auto s = kiosks->forEach([&](Statement &row) {
            index.insert(row.text(0), int(out.size()));
            out.append({row.text(0), row.text(1), {}, {}, {}, {}});
        });
        !s)
        return s.error();
    QSet<QPair<QString, QString>> imported;
    auto batches = hq.db().prepare("SELECT kiosk_id, session FROM batch ORDER BY session");
    if (!batches)
        return batches.error();
    if (auto s = batches->forEach([&](Statement &row) {
            imported.insert({row.text(0), row.text(1)});
            if (auto it = index.constFind(row.text(0)); it != index.cend())
                out[*it].batches << row.text(1);
        });
        !s)
        return s.error();
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
