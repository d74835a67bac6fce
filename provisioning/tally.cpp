#include "tally.h"

#include "audit.h"
#include "ballot.h"
#include "batch.h"
#include "container.h"
#include "fileio.h"
#include "formats/batchstream.h"
#include "hq.h"
#include "importer.h"
#include "kioskreports.h"
#include "parallel.h"
#include "tally/counting.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <sodium.h>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace pingyi::hq {

namespace {

using tally::Acc;
using tally::BatchInfo;
using tally::Index;
using tally::Questions;

struct RepInfo {
    QString venue;
    QString category;
    QString sessions; ///< as stored: codes separated by ';' (one, as the roster requires)
    bool invitedTo(const QString &session) const
    {
        return sessions == session
            || (sessions.contains(QLatin1Char(';')) && sessions.split(QLatin1Char(';')).contains(session));
    }
};

template<typename T, typename Fn> Status readRows(Database &db, const char *sql, QList<T> &out, Fn &&fn)
{
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    for (;;) {
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            return {};
        out.append(fn(*st));
    }
}


QList<QuestionResult> questionResults(const QList<Question> &list, const Questions &qs,
                                      const std::vector<qint64> &answered, const std::vector<qint64> &choice)
{
    QList<QuestionResult> out;
    for (const Question &q : list) {
        const int qi = qs.question.value(q.code);
        QuestionResult r {q.code, q.text, q.kind == Question::Kind::Multiple, answered[std::size_t(qi)], {}};
        for (const Choice &c : q.choices)
            r.choices.append({c.code, c.label, choice[std::size_t(qs.choice[qi].value(c.code))]});
        out.append(r);
    }
    return out;
}

QList<DepartmentResult> departmentResults(const GroupSession &s, const Index &ix, const Acc &acc)
{
    QList<DepartmentResult> out;
    const int options = int(ix.score.size());
    for (int d = 0; d < s.departments.size(); ++d) {
        DepartmentResult r {s.departments[d].code, s.departments[d].name, s.departments[d].nameEn, 0, {}, 0, 0, 0};
        for (int o = 0; o < options; ++o) {
            const qint64 n = acc.ratings[std::size_t(d) * std::size_t(options) + std::size_t(o)];
            r.counts.append(n);
            r.ballots += n;
            r.scoreSum += n * ix.score[o];
            if (ix.satisfied[o])
                r.satisfied += n;
        }
        out.append(r);
    }
    return out;
}

/// Competition ranking by weighted score (equal scores share a rank: 1, 2, 2, 4), compared
/// exactly as fractions; shown in rank order, then by satisfaction rate, then spec order.
void rank(QList<DepartmentResult> &list)
{
    auto better = [](const DepartmentResult &a, const DepartmentResult &b) {
        return a.scoreSum * b.ballots > b.scoreSum * a.ballots;
    };
    for (DepartmentResult &d : list)
        d.rank = 1
            + int(std::count_if(list.cbegin(), list.cend(), [&](const DepartmentResult &o) { return better(o, d); }));
    std::stable_sort(list.begin(), list.end(), [](const DepartmentResult &a, const DepartmentResult &b) {
        if (a.rank != b.rank)
            return a.rank < b.rank;
        return a.satisfied * b.ballots > b.satisfied * a.ballots;
    });
}

/// Attendance of one or all groups: invited from the roster, present and voted from the
/// check-in lists of the imported batches.
struct AttendanceCounter {
    QMap<QString, AttendanceRow> byVenue, byCategory;
    AttendanceRow total;

    void add(const QString &venue, const QString &category, bool present, bool voted)
    {
        for (AttendanceRow *r : {&byVenue[venue], &byCategory[category], &total}) {
            ++r->invited;
            r->present += present ? 1 : 0;
            r->voted += voted ? 1 : 0;
        }
        byVenue[venue].code = venue;
        byCategory[category].code = category;
    }
    QList<AttendanceRow> venues(const Activity &a, const QSet<QString> &noBatch) const
    {
        QList<AttendanceRow> out;
        for (const Venue &v : a.venues)
            if (byVenue.contains(v.code)) {
                AttendanceRow r = byVenue.value(v.code);
                r.label = v.name;
                r.noBatch = noBatch.contains(v.code);
                out.append(r);
            }
        return out;
    }
    QList<AttendanceRow> categories(const Activity &a) const
    {
        QList<AttendanceRow> out;
        for (const Category &c : a.categories)
            if (byCategory.contains(c.code)) {
                AttendanceRow r = byCategory.value(c.code);
                r.label = c.name;
                out.append(r);
            }
        for (auto it = byCategory.cbegin(); it != byCategory.cend(); ++it)
            if (!a.category(it.key()))
                out.append(it.value());
        return out;
    }
};

} // namespace

int DuplicateCheckin::votes() const
{
    return int(std::count_if(entries.cbegin(), entries.cend(), [](const CheckinEntryRef &e) { return e.voted; }));
}

QList<MergedPart> mergeSmallParts(const QList<QPair<QString, qint64>> &parts, qint64 threshold)
{
    QList<MergedPart> shown;
    MergedPart other;
    other.merged = true;
    for (const auto &[key, count] : parts) {
        if (count <= 0)
            continue;
        if (count >= threshold) {
            shown.append({{key}, count, false});
        } else {
            other.keys << key;
            other.count += count;
        }
    }
    // An "other" group below the threshold could be read off as total minus the rest.
    while (other.count > 0 && other.count < threshold && !shown.isEmpty()) {
        qsizetype smallest = 0;
        for (qsizetype i = 1; i < shown.size(); ++i)
            if (shown[i].count <= shown[smallest].count)
                smallest = i;
        other.keys += shown[smallest].keys;
        other.count += shown[smallest].count;
        shown.removeAt(smallest);
    }
    if (shown.isEmpty())
        return {};
    if (other.count > 0) {
        // Keep the venues in their given order inside the merged group.
        QStringList ordered;
        for (const auto &p : parts)
            if (other.keys.contains(p.first))
                ordered << p.first;
        other.keys = ordered;
        shown.append(other);
    }
    return shown;
}

namespace {

/// mergeSmallParts over units instead of single venues: each part of the last full
/// release is one unit (its venues are never shown apart now), every other venue its own.
QList<MergedPart> mergeVenues(const QList<QPair<QString, qint64>> &venues, const QList<QStringList> &releasedParts,
                              qint64 threshold)
{
    QList<QStringList> units;
    QList<QPair<QString, qint64>> counts;
    QHash<QString, qsizetype> unitOf;
    for (const QStringList &part : releasedParts) {
        for (const QString &v : part)
            unitOf.insert(v, units.size());
        units.append(QStringList());
    }
    for (const auto &[v, n] : venues) {
        if (!unitOf.contains(v)) {
            unitOf.insert(v, units.size());
            units.append(QStringList());
        }
        units[unitOf.value(v)] << v;
    }
    // Units in the order of their first venue, each counted.
    QList<qsizetype> order;
    for (const auto &[v, n] : venues)
        if (!order.contains(unitOf.value(v)))
            order << unitOf.value(v);
    QHash<QString, qsizetype> byKey;
    for (qsizetype u : order) {
        qint64 n = 0;
        for (const auto &[v, c] : venues)
            if (unitOf.value(v) == u)
                n += c;
        const QString key = QString::number(u);
        byKey.insert(key, u);
        counts.append({key, n});
    }
    QList<MergedPart> out;
    for (const MergedPart &p : mergeSmallParts(counts, threshold)) {
        MergedPart m;
        m.count = p.count;
        for (const auto &[v, n] : venues) // venues in the given order
            if (p.keys.contains(QString::number(unitOf.value(v))) && n > 0)
                m.keys << v;
        m.merged = m.keys.size() > 1;
        out.append(m);
    }
    return out;
}

} // namespace

Result<TallyResults> computeTally(Hq &hq, const crypto::BoxKeyPair &election, const TallyOptions &options)
{
    if (election.publicKey() != hq.electionPublicKey())
        return makeError(QStringLiteral("election-key"),
                         QStringLiteral("the key given is not this office's election key (%1)")
                             .arg(crypto::fingerprint(hq.electionPublicKey())));
    auto activityResult = hq.activity();
    if (!activityResult)
        return activityResult.error();
    const Activity &activity = *activityResult;
    const Index ix(activity);
    Database &db = hq.db();

    // ---- read what import stored ---------------------------------------------------
    QList<BatchInfo> batches;
    if (auto s = readRows(db,
                          "SELECT batch_id, kiosk_id, venue, session, file_name, checkins, ballots, released, "
                          "suggestions, counted_ballots, counted_suggestions, quarantined, status, findings, "
                          "closing_report IS NOT NULL, archive_file FROM batch ORDER BY venue, session, "
                          "kiosk_id",
                          batches,
                          [&](Statement &st) {
                              BatchInfo b;
                              b.id = st.integer(0);
                              b.ref.kiosk = st.text(1);
                              b.ref.venue = st.text(2);
                              b.ref.session = st.text(3);
                              b.ref.file = st.text(4);
                              b.ref.checkins = st.integer(5);
                              b.ref.ballots = st.integer(6);
                              b.ref.released = st.integer(7);
                              b.ref.suggestions = st.integer(8);
                              b.ref.countedBallots = st.integer(9);
                              b.ref.countedSuggestions = st.integer(10);
                              b.ref.quarantined = st.integer(11);
                              b.ref.status = st.text(12);
                              for (const auto &f : QJsonDocument::fromJson(st.text(13).toUtf8()).array())
                                  b.ref.findings << f.toObject().value(QLatin1String("code")).toString();
                              b.ref.closingReportChecked = st.integer(14) != 0;
                              b.archiveFile = st.text(15);
                              b.session = ix.session.value(b.ref.session, -1);
                              b.venue = ix.venue.value(b.ref.venue, -1);
                              return b;
                          });
        !s)
        return s.error();
    QHash<qint64, int> batchIndex;
    for (int i = 0; i < batches.size(); ++i)
        batchIndex.insert(batches[i].id, i);

    // The records counted at import, as sorted id lists; the sealed bytes come from the
    // archived files.
    {
        auto st = db.prepare("SELECT batch_id, ballot_ids, suggestion_ids FROM batch");
        if (!st)
            return st.error();
        for (;;) {
            auto row = st->next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            const int b = batchIndex.value(st->integer(0), -1);
            if (b < 0)
                continue;
            batches[b].ballotIds = st->blob(1);
            batches[b].suggestionIds = st->blob(2);
            batches[b].records = batches[b].ballotIds.size() / 32 + batches[b].suggestionIds.size() / 32;
        }
    }

    // Kiosks whose audit log shows a (real) group session opened whose batch is not here:
    // every batch carries its kiosk's whole log, so the latest one tells all.
    QSet<QPair<QString, QString>> exported; // kiosk, session
    for (const BatchInfo &b : batches)
        exported.insert({b.ref.kiosk, b.ref.session});
    QMap<std::tuple<QString, QString, QString>, bool> openedElsewhere; // session, venue, kiosk
    {
        auto st = db.prepare("SELECT kiosk_id, venue, audit_log FROM batch");
        if (!st)
            return st.error();
        for (;;) {
            auto row = st->next();
            if (!row)
                return row.error();
            if (!*row)
                break;
            const QString kiosk = st->text(0), venue = st->text(1);
            const QByteArray log = st->blob(2);
            for (const QByteArray &line : log.split('\n')) {
                if (line.isEmpty())
                    continue;
                const QByteArray body = QByteArray::fromBase64(
                    QJsonDocument::fromJson(line).object().value(QLatin1String("body")).toString().toLatin1());
                if (!body.contains("session-open"))
                    continue;
                const QJsonObject e = QJsonDocument::fromJson(body).object();
                const QString session = e.value(QLatin1String("session")).toString();
                if (e.value(QLatin1String("event")).toString() == QLatin1String("session-open")
                    && !e.value(QLatin1String("rehearsal")).toBool() && !exported.contains({kiosk, session}))
                    openedElsewhere.insert({session, venue, kiosk}, true);
            }
        }
    }
    // Every (group, venue, kiosk) the office knows was opened but has no batch: from the
    // audit logs above and from the stored zero and closing reports (kioskreports.h).
    QMap<std::tuple<QString, QString, QString>, MissingBatch> expected;
    for (auto it = openedElsewhere.cbegin(); it != openedElsewhere.cend(); ++it) {
        const auto &[session, venue, kiosk] = it.key();
        MissingBatch m;
        m.session = session;
        m.venue = venue;
        m.kiosk = kiosk;
        m.evidence = QStringLiteral("audit log");
        expected.insert(it.key(), m);
    }
    QSet<QString> reportedKiosks;
    {
        auto reports = storedReports(hq);
        if (!reports)
            return reports.error();
        for (const KioskReportRow &r : *reports) {
            reportedKiosks.insert(r.kiosk);
            if (r.rehearsal || exported.contains({r.kiosk, r.session}))
                continue;
            MissingBatch &m = expected[{r.session, r.venue, r.kiosk}];
            m.session = r.session;
            m.venue = r.venue;
            m.kiosk = r.kiosk;
            if (r.closing) {
                m.reportedBallots = r.counts.ballots;
                m.evidence = QStringLiteral("closing report");
                // A retired kiosk that closed with nothing at all lost nothing.
                if (r.counts == BatchCounts {})
                    m.evidence = QStringLiteral("closing report (empty)");
            } else if (m.evidence.isEmpty() || m.evidence == QLatin1String("audit log")) {
                m.evidence = QStringLiteral("zero report");
            }
        }
    }
    TallyResults res;
    {
        auto retired = retiredKiosks(hq);
        if (!retired)
            return retired.error();
        QHash<QString, QString> reason;
        for (const RetiredKiosk &k : *retired) {
            reason.insert(k.kiosk, k.reason);
            res.retired.append({k.kiosk, k.venue, k.reason, k.retiredAt});
        }
        for (auto it = expected.begin(); it != expected.end();) {
            if (reason.contains(it->kiosk)) {
                if (it->evidence == QLatin1String("closing report (empty)")) {
                    it = expected.erase(it);
                    continue;
                }
                it->retired = true;
                it->retiredReason = reason.value(it->kiosk);
            }
            ++it;
        }
        for (const QString &k : reason.keys())
            reportedKiosks.insert(k); // not a spare: accounted for
    }

    QHash<QString, RepInfo> roster;
    {
        QList<QPair<QString, RepInfo>> rows;
        if (auto s = readRows(db, "SELECT rep_id, venue, category, sessions FROM representative", rows,
                              [&](Statement &st) {
                                  return qMakePair(st.text(0), RepInfo {st.text(1), st.text(2), st.text(3)});
                              });
            !s)
            return s.error();
        for (const auto &[id, info] : rows)
            roster.insert(id, info);
    }

    auto counted = tally::countRecords(activity, ix, batches, election, hq.filePath(Hq::batchesDir), options);
    if (!counted)
        return counted.error();
    const std::vector<Acc> &cell = counted->cells;
    res.rejected = std::move(counted->rejected);
    res.suggestions = std::move(counted->suggestions);

    struct CheckinRow {
        int batch;
        QString rep;
        bool voted;
    };
    QList<CheckinRow> checkins;
    {
        QList<QPair<int, QByteArray>> lists;
        if (auto s
            = readRows(db, "SELECT batch_id, checkin_list FROM batch", lists,
                       [&](Statement &st) { return qMakePair(batchIndex.value(st.integer(0), -1), st.blob(1)); });
            !s)
            return s.error();
        for (const auto &[b, list] : lists)
            for (const CheckInEntry &e : parseCheckinList(list))
                checkins.append({b, e.repId, e.voted});
    }

    if (auto st = db.prepare("SELECT kiosk_id, venue FROM kiosk WHERE kiosk_id NOT IN (SELECT kiosk_id FROM batch) "
                             "ORDER BY venue, kiosk_id");
        !st)
        return st.error();
    else if (auto stepped = st->forEach([&](Statement &row) {
                 BatchRef k;
                 k.kiosk = row.text(0);
                 k.venue = row.text(1);
                 if (!reportedKiosks.contains(k.kiosk))
                     res.silentKiosks.append(k);
             });
             !stepped)
        return stepped.error();
    if (auto s = readRows(db,
                          "SELECT q.kind, b.session, b.venue, b.kiosk_id, q.code, q.counted_by_kiosk "
                          "FROM quarantine q JOIN batch b USING (batch_id) ORDER BY b.venue, b.session, q.code",
                          res.quarantined,
                          [&](Statement &st) {
                              const bool ballot = st.integer(0) == int(RecordKind::Ballot);
                              return QuarantineRef {ballot ? QStringLiteral("ballot") : QStringLiteral("suggestion"),
                                                    st.text(1),
                                                    st.text(2),
                                                    st.text(3),
                                                    st.text(4),
                                                    st.integer(5) != 0};
                          });
        !s)
        return s.error();

    // ---- results -------------------------------------------------------------------
    res.activityId = activity.id;
    res.activityName = activity.name;
    res.year = activity.year;
    res.generated = options.generated.isValid() ? options.generated : QDateTime::currentDateTimeUtc();
    res.rootFingerprint = crypto::fingerprint(hq.rootPublicKey());
    res.electionFingerprint = crypto::fingerprint(hq.electionPublicKey());
    res.threshold = std::max(1, activity.tally.anonymityThreshold);
    res.satisfiedThreshold = activity.tally.satisfiedThreshold;
    res.scale = activity.scale;
    for (const BatchInfo &b : batches) {
        res.batches.append(b.ref);
        res.batchIds.append(b.id);
    }

    // Check-ins by group: who came, at which kiosks.
    QHash<QString, QHash<QString, QList<CheckinEntryRef>>> seen; // session -> rep -> entries
    for (const CheckinRow &c : checkins) {
        if (c.batch < 0)
            continue;
        const BatchInfo &b = batches[c.batch];
        seen[b.ref.session][c.rep].append({b.ref.kiosk, b.ref.venue, c.voted});
        const auto rep = roster.constFind(c.rep);
        if (rep == roster.cend())
            res.unexpected.append({c.rep, b.ref.session, b.ref.kiosk, b.ref.venue, QStringLiteral("not-on-roster")});
        else if (rep->venue != b.ref.venue || !rep->invitedTo(b.ref.session))
            res.unexpected.append({c.rep, b.ref.session, b.ref.kiosk, b.ref.venue, QStringLiteral("not-invited")});
    }
    std::sort(res.unexpected.begin(), res.unexpected.end(), [](const UnexpectedCheckin &a, const UnexpectedCheckin &b) {
        return std::tie(a.session, a.repId, a.kiosk) < std::tie(b.session, b.repId, b.kiosk);
    });

    // The venue breakdown of the last full release: its parts stay together now, so that no
    // part shown now is a piece of one shown then (which subtraction would isolate).
    QHash<QString, QList<QStringList>> released;
    {
        auto st = db.prepare("SELECT session, part, venue FROM tally_cell WHERE part >= 0 AND run_id = (SELECT "
                             "max(run_id) FROM tally_run WHERE full = 1) ORDER BY session, part, venue");
        if (!st)
            return st.error();
        if (auto stepped = st->forEach([&](Statement &) {
                QList<QStringList> &list = released[st->text(0)];
                const qsizetype part = qsizetype(st->integer(1));
                while (list.size() <= part)
                    list.append(QStringList());
                list[part] << st->text(2);
            });
            !stepped)
            return stepped.error();
    }

    AttendanceCounter all;
    Acc everything;
    everything.init(ix);
    QSet<QString> withheldSessions;
    for (int si = 0; si < activity.sessions.size(); ++si) {
        const GroupSession &gs = activity.sessions[si];
        SessionResult sr;
        sr.code = gs.code;
        sr.name = gs.name;
        sr.nameEn = gs.nameEn;
        Acc total;
        total.init(ix);
        QList<QPair<QString, qint64>> parts;
        for (int vi = 0; vi < activity.venues.size(); ++vi) {
            const Acc &a = cell[std::size_t(si * activity.venues.size() + vi)];
            total.add(a);
            parts.append({activity.venues[vi].code, a.ballots});
        }
        sr.ballots = total.ballots;
        sr.belowThreshold = total.ballots > 0 && total.ballots < res.threshold;
        if (!sr.belowThreshold) {
            everything.add(total);
            sr.departments = departmentResults(gs, ix, total);
            rank(sr.departments);
            sr.questionnaire
                = questionResults(activity.questionnaire, ix.questionnaire, total.qAnswered, total.qChoice);
            sr.discipline = questionResults(activity.discipline, ix.discipline, total.dAnswered, total.dChoice);
            // Without the venue breakdown (tally.publish) only the group's total is shown.
            const QList<MergedPart> venueParts = activity.tally.publishes(TallyRules::Breakdown::Venue)
                ? mergeVenues(parts, released.value(gs.code), res.threshold)
                : QList<MergedPart>();
            for (const MergedPart &part : venueParts) {
                Acc g;
                g.init(ix);
                for (const QString &v : part.keys)
                    g.add(cell[std::size_t(si * activity.venues.size() + ix.venue.value(v))]);
                VenueGroup vg {part.keys, part.merged, g.ballots, departmentResults(gs, ix, g),
                               questionResults(activity.discipline, ix.discipline, g.dAnswered, g.dChoice)};
                sr.byVenue.append(vg);
            }
        } else {
            // Fewer ballots than the threshold in the whole group: only their number is shown,
            // and they are left out of every figure over several groups too.
            sr.withheld = QStringLiteral("below_threshold");
            withheldSessions.insert(gs.code);
        }
        for (const SuggestionRow &s : res.suggestions)
            sr.suggestions += s.session == gs.code ? 1 : 0;

        // Intake and attendance per venue.
        QSet<QString> venuesWithBatch;
        QMap<QString, IntakeRow> intake;
        for (const BatchInfo &b : batches) {
            if (b.ref.session != gs.code)
                continue;
            sr.held = true;
            venuesWithBatch.insert(b.ref.venue);
            IntakeRow &row = intake[b.ref.venue];
            row.venue = b.ref.venue;
            ++row.batches;
            row.checkins += b.ref.checkins;
            row.headerBallots += b.ref.ballots;
            row.imported += b.ref.countedBallots;
            row.released += b.ref.released;
            row.suggestions += b.ref.countedSuggestions;
        }
        for (const CheckinRow &c : checkins)
            if (c.batch >= 0 && c.voted && batches[c.batch].ref.session == gs.code)
                ++intake[batches[c.batch].ref.venue].votedCheckins;
        for (const QuarantineRef &q : res.quarantined)
            if (q.session == gs.code && q.kind == QLatin1String("ballot"))
                ++intake[q.venue].quarantined;
        for (const RejectedRecord &r : res.rejected)
            if (r.session == gs.code && r.kind == QLatin1String("ballot"))
                ++intake[r.venue].rejected;
        AttendanceCounter att;
        const auto &present = seen.value(gs.code);
        for (auto it = roster.cbegin(); it != roster.cend(); ++it) {
            if (!it->invitedTo(gs.code))
                continue;
            // Present at their own venue: a check-in elsewhere is an unexpected check-in,
            // not attendance at home.
            bool came = false, voted = false;
            if (const auto entries = present.constFind(it.key()); entries != present.cend())
                for (const CheckinEntryRef &e : *entries)
                    if (e.venue == it->venue) {
                        came = true;
                        voted = voted || e.voted;
                    }
            att.add(it->venue, it->category, came, voted);
            if (sr.held)
                all.add(it->venue, it->category, came, voted);
        }
        for (int vi = 0; vi < activity.venues.size(); ++vi) {
            const QString &v = activity.venues[vi].code;
            if (!activity.sessionHeldAt(gs.code, v))
                continue;
            if (att.byVenue.contains(v) && !venuesWithBatch.contains(v)) {
                sr.missingVenues << v;
                // A kiosk known to have opened the group here is named below instead.
                const bool named = std::any_of(expected.cbegin(), expected.cend(), [&](const MissingBatch &m) {
                    return m.session == gs.code && m.venue == v;
                });
                if (!named) {
                    MissingBatch m;
                    m.session = gs.code;
                    m.venue = v;
                    res.missing.append(m);
                }
            }
            if (intake.contains(v) || att.byVenue.contains(v)) {
                IntakeRow row = intake.value(v);
                row.venue = v;
                row.valid = cell[std::size_t(si * activity.venues.size() + vi)].ballots;
                sr.intake.append(row);
            }
            res.cells.insert({gs.code, v}, cell[std::size_t(si * activity.venues.size() + vi)].ballots);
        }
        for (const MissingBatch &m : expected)
            if (m.session == gs.code)
                res.missing.append(m);
        QSet<QString> missing(sr.missingVenues.cbegin(), sr.missingVenues.cend());
        sr.attendance = att.total;
        sr.attendanceByVenue = att.venues(activity, missing);
        if (activity.tally.publishes(TallyRules::Breakdown::Category))
            sr.attendanceByCategory = att.categories(activity);

        // The same representative at more than one kiosk of this group.
        for (auto it = present.cbegin(); it != present.cend(); ++it)
            if (it->size() > 1) {
                DuplicateCheckin d {it.key(), gs.code, it.value()};
                std::sort(d.entries.begin(), d.entries.end(), [](const CheckinEntryRef &a, const CheckinEntryRef &b) {
                    return std::tie(a.venue, a.kiosk) < std::tie(b.venue, b.kiosk);
                });
                res.duplicates.append(d);
            }
        // Which part of the breakdown each venue was shown in (for the next full release).
        if (sr.withheld.isEmpty() && sr.ballots > 0) {
            for (qsizetype p = 0; p < sr.byVenue.size(); ++p)
                for (const QString &v : sr.byVenue[p].venues)
                    res.parts.insert({gs.code, v}, int(p));
            if (sr.byVenue.isEmpty()) // only the group's total: all its venues in one part
                for (const auto &[v, n] : parts)
                    if (n > 0)
                        res.parts.insert({gs.code, v}, 0);
        }
        res.sessions.append(sr);
        if (sr.held && sr.withheld.isEmpty())
            res.questionnaireAllSessions << gs.code;
    }
    std::sort(res.duplicates.begin(), res.duplicates.end(), [](const DuplicateCheckin &a, const DuplicateCheckin &b) {
        return std::tie(a.session, a.repId) < std::tie(b.session, b.repId);
    });
    res.ballots = 0;
    for (const SessionResult &s : res.sessions)
        res.ballots += s.ballots;
    res.questionnaireAll
        = questionResults(activity.questionnaire, ix.questionnaire, everything.qAnswered, everything.qChoice);
    res.attendance = all.total;
    res.attendanceByVenue = all.venues(activity, {});
    if (activity.tally.publishes(TallyRules::Breakdown::Category))
        res.attendanceByCategory = all.categories(activity);
    // The suggestions of a group whose content is withheld are not published either.
    res.withheldSuggestions
        = res.suggestions.removeIf([&](const SuggestionRow &s) { return withheldSessions.contains(s.session); });
    return res;
}

} // namespace pingyi::hq
