// Kiosk reports and retirements in hq.db (declared in hqstore.h).

#include "hqstore.h"

namespace pingyi::hq::store {

namespace {

QString kindName(bool closing)
{
    return closing ? QStringLiteral("closing") : QStringLiteral("zero");
}

KioskReportRow reportFrom(const Statement &st)
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

} // namespace

Result<QList<KioskReportRow>> kioskReports(Database &db)
{
    auto st = db.prepare("SELECT kiosk_id, venue, session, rehearsal, kind, checkins, ballots, released, suggestions, "
                         "ballot_digest, payload, stored_at FROM kiosk_report "
                         "ORDER BY venue, kiosk_id, session, rehearsal, kind DESC");
    if (!st)
        return st.error();
    QList<KioskReportRow> out;
    if (auto s = st->forEach([&](Statement &row) { out.append(reportFrom(row)); }); !s)
        return s.error();
    return out;
}

Result<std::optional<KioskReportRow>> kioskReport(Database &db, const QString &kioskId, const QString &session,
                                                  bool rehearsal, bool closing)
{
    auto st = db.prepare("SELECT kiosk_id, venue, session, rehearsal, kind, checkins, ballots, released, suggestions, "
                         "ballot_digest, payload, stored_at FROM kiosk_report "
                         "WHERE kiosk_id = ?1 AND session = ?2 AND rehearsal = ?3 AND kind = ?4");
    if (!st)
        return st.error();
    st->bind(1, kioskId).bind(2, session).bind(3, rehearsal ? 1 : 0).bind(4, kindName(closing));
    auto had = st->next();
    if (!had)
        return had.error();
    if (!*had)
        return std::optional<KioskReportRow>();
    return std::optional<KioskReportRow>(reportFrom(*st));
}

Status insertKioskReport(Database &db, const KioskReportRow &r)
{
    auto st = db.prepare("INSERT INTO kiosk_report (kiosk_id, venue, session, rehearsal, kind, checkins, ballots, "
                         "released, suggestions, ballot_digest, payload, stored_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                         "?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st)
        return st.error();
    return st->bind(1, r.kiosk)
        .bind(2, r.venue)
        .bind(3, r.session)
        .bind(4, r.rehearsal ? 1 : 0)
        .bind(5, kindName(r.closing))
        .bind(6, r.counts.checkins)
        .bind(7, r.counts.ballots)
        .bind(8, r.counts.released)
        .bind(9, r.counts.suggestions)
        .bind(10, r.ballotDigest)
        .bind(11, r.payload)
        .bind(12, r.storedAt)
        .exec();
}

Status retireKiosk(Database &db, const RetiredKiosk &r)
{
    auto st = db.prepare("INSERT INTO kiosk_retired (kiosk_id, reason, retired_at) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT (kiosk_id) DO UPDATE SET reason = excluded.reason, "
                         "retired_at = excluded.retired_at");
    if (!st)
        return st.error();
    return st->bind(1, r.kiosk).bind(2, r.reason).bind(3, r.retiredAt).exec();
}

Result<QList<RetiredKiosk>> retiredKiosks(Database &db)
{
    auto st = db.prepare("SELECT r.kiosk_id, k.venue, r.reason, r.retired_at FROM kiosk_retired r JOIN kiosk k "
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

} // namespace pingyi::hq::store
