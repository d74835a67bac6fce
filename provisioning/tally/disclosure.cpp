// The tally's disclosure rules: what may be shown of the counts and when. The satisfied
// threshold and the published definitions; content withheld while batches are missing
// (withholdContent); whether full results may be released at all (checkFullRelease: every
// batch in, no group and venue a few ballots away from an earlier full release); and the
// record of each release those checks compare against (recordTallyRun). docs/tally.md §4.
#include "tally.h"

#include "ballot.h"
#include "hq.h"
#include "kioskreports.h"
#include "tally/disclosure.h"
#include "tallystore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace pingyi::hq {

bool isSatisfied(const RatingOption &option, int satisfiedThreshold)
{
    return option.score >= satisfiedThreshold;
}

QJsonObject definitions(const QList<RatingOption> &scale, int threshold, int satisfiedThreshold,
                        TallyRules::RankTies rankTies)
{
    QStringList scores, scoresEn, satisfied, satisfiedEn;
    for (const RatingOption &o : scale) {
        scores << QStringLiteral("%1 %2").arg(o.label).arg(o.score);
        scoresEn << QStringLiteral("%1 = %2").arg(o.labelEn.isEmpty() ? o.code : o.labelEn).arg(o.score);
        if (isSatisfied(o, satisfiedThreshold)) {
            satisfied << o.label;
            satisfiedEn << (o.labelEn.isEmpty() ? o.code : o.labelEn);
        }
    }
    const QString satisfaction = satisfied.isEmpty()
        ? QStringLiteral("满意率 = 0（本活动的评议档次中没有分值不低于 %1 的档次）/ satisfaction rate = 0 (no option "
                         "of this activity's scale scores %1 or more)")
              .arg(satisfiedThreshold)
        : QStringLiteral("满意率 = 选择%1（分值不低于 %2）的票数 ÷ 有效票数 / satisfaction rate = ballots choosing %3 "
                         "(score %2 or more) / valid ballots")
              .arg(satisfied.join(QStringLiteral("、")))
              .arg(satisfiedThreshold)
              .arg(satisfiedEn.join(QStringLiteral(" or ")));
    return {
        {QStringLiteral("weighted_score"),
         QStringLiteral("综合得分 = 各票所选档次分值之和 ÷ 有效票数（%1）/ weighted score = sum of the scores of the "
                        "options chosen / valid ballots (%2)")
             .arg(scores.join(QStringLiteral("、")), scoresEn.join(QStringLiteral(", ")))},
        {QStringLiteral("satisfaction_rate"), satisfaction},
        {QStringLiteral("rank"),
         rankTies == TallyRules::RankTies::Shared
             ? QStringLiteral("名次按综合得分在本组内排列（按分数精确比较），得分相同名次相同 / rank by weighted score "
                              "within the group, compared exactly; equal scores share a rank")
             : QStringLiteral("名次按综合得分在本组内排列（按分数精确比较），得分相同时满意率高者在前，两者均相同名次"
                              "相同 / rank by weighted score within the group, compared exactly; of equal scores the "
                              "higher satisfaction rate ranks first, equal in both share a rank")},
        {QStringLiteral("attendance_rate"),
         QStringLiteral("到位率 = 在本会场至少签到一次的代表 ÷ 该组应到代表 / attendance rate = representatives "
                        "checked in at least once at their own venue / representatives invited to the group")},
        {QStringLiteral("anonymity"),
         QStringLiteral(
             "少于 %1 张选票的会场合并为“其他会场”；全组少于 %1 张选票的评议组只公布票数 / venues with fewer "
             "than %1 ballots are merged; a group with fewer than %1 ballots in all shows only its number "
             "of ballots")
             .arg(threshold)}};
}

void withholdContent(TallyResults &r)
{
    r.provisional = true;
    for (SessionResult &s : r.sessions) {
        if (s.withheld.isEmpty())
            s.withheld = QStringLiteral("provisional");
        s.departments.clear();
        s.byVenue.clear();
        s.questionnaire.clear();
        s.discipline.clear();
    }
    r.questionnaireAll.clear();
    r.questionnaireAllSessions.clear();
    r.withheldSuggestions += r.suggestions.size();
    r.suggestions.clear();
}

Status checkFullRelease(Hq &hq, const TallyResults &r)
{
    if (r.provisional)
        return makeError(QStringLiteral("tally-provisional"),
                         QStringLiteral("these results are provisional (counts only) and cannot be released in full"));
    QStringList blocking, lost;
    for (const MissingBatch &m : r.missing)
        (m.retired ? lost : blocking) << m.describe();
    if (!blocking.isEmpty() || (!lost.isEmpty() && r.incomplete.isEmpty()))
        return makeError(
            QStringLiteral("tally-incomplete"),
            QStringLiteral("full results cannot be published: %1. Results published now and again after the late "
                           "batches could be subtracted from each other to read how those ballots were cast, so "
                           "nothing is published in full while a batch is missing. Publish counts and attendance "
                           "only with --provisional meanwhile")
                .arg((blocking + lost).join(QStringLiteral("; "))));
    if (!r.incomplete.isEmpty() && lost.isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--accept-incomplete is only for full results without the batch of a retired "
                                        "(lost) kiosk, and no batch is missing: leave it out"));
    auto cells = store::fullReleaseCells(hq.db());
    if (!cells)
        return cells.error();
    QMap<qint64, QMap<QPair<QString, QString>, qint64>> released; // run -> cells
    QMap<qint64, QString> generated;
    for (const store::TallyReleasedCellRow &c : *cells) {
        generated.insert(c.run, c.generated);
        released[c.run].insert({c.session, c.venue}, c.ballots);
    }
    for (auto run = released.cbegin(); run != released.cend(); ++run) {
        const auto &earlier = run.value();
        const QString when = generated.value(run.key());
        QSet<QPair<QString, QString>> keys(r.cells.keyBegin(), r.cells.keyEnd());
        for (auto it = earlier.keyBegin(); it != earlier.keyEnd(); ++it)
            keys.insert(*it);
        QList<QPair<QString, QString>> sorted(keys.cbegin(), keys.cend());
        std::sort(sorted.begin(), sorted.end());
        for (const auto &key : sorted) {
            const qint64 diff = std::abs(r.cells.value(key) - earlier.value(key));
            if (diff > 0 && diff < r.threshold)
                return makeError(
                    QStringLiteral("tally-difference"),
                    QStringLiteral("group %1 at venue %2 now has %3 valid ballots, the full results released at %4 "
                                   "had %5: %6 ballot(s) apart, fewer than the anonymity threshold %7, so publishing "
                                   "both would show how those ballots were cast. The results released then stand; "
                                   "publish counts and attendance only with --provisional, and ask the joint-meeting "
                                   "office how to deal with the late ballots")
                        .arg(key.first, key.second)
                        .arg(r.cells.value(key))
                        .arg(when)
                        .arg(earlier.value(key))
                        .arg(diff)
                        .arg(r.threshold));
        }
    }
    return {};
}

Status recordTallyRun(Hq &hq, const TallyResults &r)
{
    store::TallyRunRecord run;
    run.generated = r.generated.toString(Qt::ISODateWithMs);
    run.full = !r.provisional;
    run.incomplete = r.incomplete;
    run.batchIds = r.batchIds;
    for (auto it = r.cells.cbegin(); it != r.cells.cend(); ++it)
        run.cells.append(
            {it.key().first, it.key().second, it.value(), r.provisional ? -1 : r.parts.value(it.key(), -1)});
    for (const RejectedRecord &x : r.rejected)
        run.rejected.append({x.recordId,
                             x.kind == QLatin1String("ballot") ? int(RecordKind::Ballot) : int(RecordKind::Suggestion),
                             x.code});
    return store::insertTallyRun(hq.db(), run);
}

namespace tally {

Result<KioskAccount> accountForKiosks(Hq &hq, const QList<BatchInfo> &batches)
{
    KioskAccount out;
    // Kiosks whose audit log shows a (real) group session opened whose batch is not here:
    // every batch carries its kiosk's whole log, so the latest one tells all.
    QSet<QPair<QString, QString>> exported; // kiosk, session
    for (const BatchInfo &b : batches)
        exported.insert({b.ref.kiosk, b.ref.session});
    QMap<std::tuple<QString, QString, QString>, bool> openedElsewhere; // session, venue, kiosk
    if (auto s = store::forEachBatchAuditLog(
            hq.db(),
            [&](const QString &kiosk, const QString &venue, const QByteArray &log) {
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
            });
        !s)
        return s.error();
    // Every (group, venue, kiosk) the office knows was opened but has no batch: from the
    // audit logs above and from the stored zero and closing reports (kioskreports.h).
    ExpectedBatches &expected = out.expected;
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
    {
        auto retired = retiredKiosks(hq);
        if (!retired)
            return retired.error();
        QHash<QString, QString> reason;
        for (const RetiredKiosk &k : *retired) {
            reason.insert(k.kiosk, k.reason);
            out.retired.append({k.kiosk, k.venue, k.reason, k.retiredAt});
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
    auto spare = store::kiosksWithoutBatch(hq.db());
    if (!spare)
        return spare.error();
    for (const store::TallyKioskRow &k : *spare)
        if (!reportedKiosks.contains(k.kiosk)) {
            BatchRef ref;
            ref.kiosk = k.kiosk;
            ref.venue = k.venue;
            out.silent.append(ref);
        }
    return out;
}

Result<QHash<QString, QList<QStringList>>> releasedParts(Database &db)
{
    // The venue breakdown of the last full release: its parts stay together now, so that no
    // part shown now is a piece of one shown then (which subtraction would isolate).
    auto rows = store::lastFullReleaseParts(db);
    if (!rows)
        return rows.error();
    QHash<QString, QList<QStringList>> released;
    for (const store::TallyPartRow &r : *rows) {
        QList<QStringList> &list = released[r.session];
        while (list.size() <= r.part)
            list.append(QStringList());
        list[r.part] << r.venue;
    }
    return released;
}

bool belowThreshold(qint64 ballots, int threshold)
{
    return ballots > 0 && ballots < threshold;
}

void recordShownParts(const SessionResult &group, const QList<QPair<QString, qint64>> &venueBallots, TallyResults &res)
{
    if (!group.withheld.isEmpty() || group.ballots <= 0)
        return;
    for (qsizetype p = 0; p < group.byVenue.size(); ++p)
        for (const QString &v : group.byVenue[p].venues)
            res.parts.insert({group.code, v}, int(p));
    if (group.byVenue.isEmpty()) // only the group's total: all its venues in one part
        for (const auto &[v, n] : venueBallots)
            if (n > 0)
                res.parts.insert({group.code, v}, 0);
}

qint64 withholdSuggestions(QList<SuggestionRow> &suggestions, const QSet<QString> &withheldGroups)
{
    return suggestions.removeIf([&](const SuggestionRow &s) { return withheldGroups.contains(s.session); });
}

} // namespace tally

} // namespace pingyi::hq
