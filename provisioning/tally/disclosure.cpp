// The tally's disclosure rules: what may be shown of the counts and when. The satisfied
// threshold and the published definitions; content withheld while batches are missing
// (withholdContent); whether full results may be released at all (checkFullRelease: every
// batch in, no group and venue a few ballots away from an earlier full release); and the
// record of each release those checks compare against (recordTallyRun). docs/tally.md §4.
#include "tally.h"

#include "ballot.h"
#include "hq.h"

#include <QSet>

#include <algorithm>
#include <cstdlib>

namespace pingyi::hq {

bool isSatisfied(const RatingOption &option, int satisfiedThreshold)
{
    return option.score >= satisfiedThreshold;
}

QJsonObject definitions(const QList<RatingOption> &scale, int threshold, int satisfiedThreshold)
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
         QStringLiteral(
             "名次按综合得分在本组内排列（按分数精确比较），得分相同名次相同 / rank by weighted score within "
             "the group, compared exactly; equal scores share a rank")},
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
    auto st = hq.db().prepare(
        "SELECT r.run_id, r.generated, c.session, c.venue, c.ballots FROM tally_run r JOIN tally_cell c "
        "USING (run_id) WHERE r.full = 1 ORDER BY r.run_id, c.session, c.venue");
    if (!st)
        return st.error();
    QMap<qint64, QMap<QPair<QString, QString>, qint64>> released; // run -> cells
    QMap<qint64, QString> generated;
    if (auto stepped = st->forEach([&](Statement &) {
            generated.insert(st->integer(0), st->text(1));
            released[st->integer(0)].insert({st->text(2), st->text(3)}, st->integer(4));
        });
        !stepped)
        return stepped.error();
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
    Database &db = hq.db();
    Database::Transaction tx(db);
    if (!tx.status())
        return tx.status();
    auto run = db.prepare("INSERT INTO tally_run (generated, full, incomplete) VALUES (?1, ?2, ?3)");
    if (!run)
        return run.error();
    run->bind(1, r.generated.toString(Qt::ISODateWithMs)).bind(2, r.provisional ? 0 : 1).bind(3, r.incomplete);
    if (r.incomplete.isEmpty())
        run->bindNull(3);
    if (auto s = run->exec(); !s)
        return s;
    auto id = db.prepare("SELECT last_insert_rowid()");
    if (!id)
        return id.error();
    if (auto row = id->next(); !row)
        return row.error();
    const qint64 runId = id->integer(0);
    auto batch = db.prepare("INSERT INTO tally_batch (run_id, batch_id) VALUES (?1, ?2)");
    if (!batch)
        return batch.error();
    for (qint64 b : r.batchIds) {
        if (auto s = batch->bind(1, runId).bind(2, b).exec(); !s)
            return s;
    }
    auto cell
        = db.prepare("INSERT INTO tally_cell (run_id, session, venue, ballots, part) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!cell)
        return cell.error();
    for (auto it = r.cells.cbegin(); it != r.cells.cend(); ++it) {
        const int part = r.provisional ? -1 : r.parts.value(it.key(), -1);
        if (auto s = cell->bind(1, runId)
                         .bind(2, it.key().first)
                         .bind(3, it.key().second)
                         .bind(4, it.value())
                         .bind(5, part)
                         .exec();
            !s)
            return s;
    }
    auto rejected = db.prepare("INSERT OR IGNORE INTO tally_rejected (run_id, record_id, kind, code) VALUES (?1, ?2, "
                               "?3, ?4)");
    if (!rejected)
        return rejected.error();
    for (const RejectedRecord &x : r.rejected) {
        if (auto s
            = rejected->bind(1, runId)
                  .bind(2, x.recordId)
                  .bind(3, x.kind == QLatin1String("ballot") ? int(RecordKind::Ballot) : int(RecordKind::Suggestion))
                  .bind(4, x.code)
                  .exec();
            !s)
            return s;
    }
    return tx.commit();
}

} // namespace pingyi::hq
