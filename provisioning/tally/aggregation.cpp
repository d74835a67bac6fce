// The tally's aggregation: see aggregation.h.
#include "tally/aggregation.h"

#include "batch.h"
#include "importer.h"
#include "tally/disclosure.h"
#include "tallystore.h"

#include <QSet>

#include <algorithm>
#include <tuple>

namespace pingyi::hq {

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

namespace tally {

namespace {

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
/// exactly as fractions; with tally.rank_ties "satisfaction" equal scores are ranked by
/// satisfaction rate (equal in both: shared). Shown in rank order, then by satisfaction rate,
/// then spec order.
void rank(QList<DepartmentResult> &list, TallyRules::RankTies ties)
{
    auto better = [ties](const DepartmentResult &a, const DepartmentResult &b) {
        const qint64 x = a.scoreSum * b.ballots, y = b.scoreSum * a.ballots;
        if (x != y || ties == TallyRules::RankTies::Shared)
            return x > y;
        return a.satisfied * b.ballots > b.satisfied * a.ballots;
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

Result<Roster> readRoster(Database &db)
{
    auto rows = store::tallyRoster(db);
    if (!rows)
        return rows.error();
    Roster roster;
    for (const store::TallyRosterRow &r : *rows)
        roster.insert(r.repId, RepInfo {r.venue, r.category, r.sessions});
    return roster;
}

Result<QList<CheckinRow>> readCheckins(Database &db, const QHash<qint64, int> &batchIndex)
{
    QList<CheckinRow> checkins;
    if (auto s = store::forEachBatchCheckinList(db,
                                                [&](qint64 batch, const QByteArray &list) {
                                                    const int b = batchIndex.value(batch, -1);
                                                    for (const CheckInEntry &e : parseCheckinList(list))
                                                        checkins.append({b, e.repId, e.voted});
                                                });
        !s)
        return s.error();
    return checkins;
}

namespace {

/// Check-ins by group: who came, at which kiosks (session -> rep -> entries); check-ins
/// of representatives not invited there go to res.unexpected.
QHash<QString, QHash<QString, QList<CheckinEntryRef>>> checkinsByGroup(const Counts &in, TallyResults &res)
{
    QHash<QString, QHash<QString, QList<CheckinEntryRef>>> seen;
    for (const CheckinRow &c : in.checkins) {
        if (c.batch < 0)
            continue;
        const BatchInfo &b = in.batches[c.batch];
        seen[b.ref.session][c.rep].append({b.ref.kiosk, b.ref.venue, c.voted});
        const auto rep = in.roster.constFind(c.rep);
        if (rep == in.roster.cend())
            res.unexpected.append({c.rep, b.ref.session, b.ref.kiosk, b.ref.venue, QStringLiteral("not-on-roster")});
        else if (rep->venue != b.ref.venue || !rep->invitedTo(b.ref.session))
            res.unexpected.append({c.rep, b.ref.session, b.ref.kiosk, b.ref.venue, QStringLiteral("not-invited")});
    }
    std::sort(res.unexpected.begin(), res.unexpected.end(), [](const UnexpectedCheckin &a, const UnexpectedCheckin &b) {
        return std::tie(a.session, a.repId, a.kiosk) < std::tie(b.session, b.repId, b.kiosk);
    });
    return seen;
}

/// The content of a group shown in full: departments ranked, questionnaire, discipline
/// survey and (tally.publish) the venue breakdown with small venues merged.
void groupContent(const Counts &in, int si, const Acc &total, const QList<QPair<QString, qint64>> &venueBallots,
                  int threshold, SessionResult &sr)
{
    const Activity &activity = in.activity;
    const Index &ix = in.ix;
    const GroupSession &gs = activity.sessions[si];
    sr.departments = departmentResults(gs, ix, total);
    rank(sr.departments, activity.tally.rankTies);
    sr.questionnaire = questionResults(activity.questionnaire, ix.questionnaire, total.qAnswered, total.qChoice);
    sr.discipline = questionResults(activity.discipline, ix.discipline, total.dAnswered, total.dChoice);
    // Without the venue breakdown (tally.publish) only the group's total is shown.
    const QList<MergedPart> venueParts = activity.tally.publishes(TallyRules::Breakdown::Venue)
        ? mergeVenues(venueBallots, in.releasedParts.value(gs.code), threshold)
        : QList<MergedPart>();
    for (const MergedPart &part : venueParts) {
        Acc g;
        g.init(ix);
        for (const QString &v : part.keys)
            g.add(in.cells[std::size_t(si * activity.venues.size() + ix.venue.value(v))]);
        VenueGroup vg {part.keys, part.merged, g.ballots, departmentResults(gs, ix, g),
                       questionResults(activity.discipline, ix.discipline, g.dAnswered, g.dChoice)};
        sr.byVenue.append(vg);
    }
}

/// Ballots handed out and collected per venue for one group (sets sr.held).
QMap<QString, IntakeRow> groupIntake(const Counts &in, const TallyResults &res, SessionResult &sr,
                                     QSet<QString> &venuesWithBatch)
{
    QMap<QString, IntakeRow> intake;
    for (const BatchInfo &b : in.batches) {
        if (b.ref.session != sr.code)
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
    for (const CheckinRow &c : in.checkins)
        if (c.batch >= 0 && c.voted && in.batches[c.batch].ref.session == sr.code)
            ++intake[in.batches[c.batch].ref.venue].votedCheckins;
    for (const QuarantineRef &q : res.quarantined)
        if (q.session == sr.code && q.kind == QLatin1String("ballot"))
            ++intake[q.venue].quarantined;
    for (const RejectedRecord &r : res.rejected)
        if (r.session == sr.code && r.kind == QLatin1String("ballot"))
            ++intake[r.venue].rejected;
    return intake;
}

} // namespace

void aggregate(const Counts &in, TallyResults &res)
{
    const Activity &activity = in.activity;
    const Index &ix = in.ix;
    const qsizetype venues = activity.venues.size();
    const auto seen = checkinsByGroup(in, res);
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
        for (int vi = 0; vi < venues; ++vi) {
            const Acc &a = in.cells[std::size_t(si * venues + vi)];
            total.add(a);
            parts.append({activity.venues[vi].code, a.ballots});
        }
        sr.ballots = total.ballots;
        sr.belowThreshold = belowThreshold(total.ballots, res.threshold);
        if (!sr.belowThreshold) {
            everything.add(total);
            groupContent(in, si, total, parts, res.threshold, sr);
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
        const QMap<QString, IntakeRow> intake = groupIntake(in, res, sr, venuesWithBatch);
        AttendanceCounter att;
        const auto &present = seen.value(gs.code);
        for (auto it = in.roster.cbegin(); it != in.roster.cend(); ++it) {
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
        for (int vi = 0; vi < venues; ++vi) {
            const QString &v = activity.venues[vi].code;
            if (!activity.sessionHeldAt(gs.code, v))
                continue;
            if (att.byVenue.contains(v) && !venuesWithBatch.contains(v)) {
                sr.missingVenues << v;
                // A kiosk known to have opened the group here is named below instead.
                const bool named = std::any_of(in.expected.cbegin(), in.expected.cend(), [&](const MissingBatch &m) {
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
                row.valid = in.cells[std::size_t(si * venues + vi)].ballots;
                sr.intake.append(row);
            }
            res.cells.insert({gs.code, v}, in.cells[std::size_t(si * venues + vi)].ballots);
        }
        for (const MissingBatch &m : in.expected)
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
        recordShownParts(sr, parts, res);
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
    res.withheldSuggestions = withholdSuggestions(res.suggestions, withheldSessions);
}

} // namespace tally

} // namespace pingyi::hq
