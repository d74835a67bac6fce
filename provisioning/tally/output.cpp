// The tally's output: results.json (TallyResults::toJson), the CSV files and suggestions/
// (writeTallyFiles), the lines for the screen (attention) and the staged output directory
// swapped into place as a whole (StagedOutput). Nothing here decides what is shown: the
// results arrive with the disclosure rules applied (disclosure.cpp). Formats: docs/tally.md.
#include "tally.h"

#include "crypto.h"
#include "fileio.h"
#include "parallel.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace pingyi::hq {

namespace {

QString venueLabel(const Activity &a, const QString &code)
{
    const Venue *v = a.venue(code);
    return v ? v->name : code;
}

QJsonObject departmentJson(const DepartmentResult &d, const QList<RatingOption> &scale, bool withRank)
{
    QJsonObject counts;
    for (int i = 0; i < scale.size() && i < d.counts.size(); ++i)
        counts.insert(scale[i].code, d.counts[i]);
    QJsonObject o {{QStringLiteral("code"), d.code},          {QStringLiteral("name"), d.name},
                   {QStringLiteral("name_en"), d.nameEn},     {QStringLiteral("ballots"), d.ballots},
                   {QStringLiteral("counts"), counts},        {QStringLiteral("score_sum"), d.scoreSum},
                   {QStringLiteral("satisfied"), d.satisfied}};
    o.insert(QStringLiteral("weighted_score"), d.ballots ? QJsonValue(d.weightedScore()) : QJsonValue());
    o.insert(QStringLiteral("satisfaction_rate"), d.ballots ? QJsonValue(d.satisfactionRate()) : QJsonValue());
    if (withRank)
        o.insert(QStringLiteral("rank"), d.rank);
    return o;
}

QJsonArray questionsJson(const QList<QuestionResult> &list)
{
    QJsonArray a;
    for (const QuestionResult &q : list) {
        QJsonObject counts;
        for (const ChoiceCount &c : q.choices)
            counts.insert(c.code, c.count);
        a.append(
            QJsonObject {{QStringLiteral("code"), q.code},
                         {QStringLiteral("text"), q.text},
                         {QStringLiteral("kind"), q.multiple ? QStringLiteral("multiple") : QStringLiteral("single")},
                         {QStringLiteral("answered"), q.answered},
                         {QStringLiteral("counts"), counts}});
    }
    return a;
}

QJsonObject attendanceJson(const AttendanceRow &r)
{
    QJsonObject o {{QStringLiteral("invited"), r.invited},
                   {QStringLiteral("present"), r.present},
                   {QStringLiteral("voted"), r.voted},
                   {QStringLiteral("rate"), r.rate()}};
    if (!r.code.isEmpty()) {
        o.insert(QStringLiteral("code"), r.code);
        o.insert(QStringLiteral("name"), r.label);
    }
    if (r.noBatch)
        o.insert(QStringLiteral("no_batch"), true);
    return o;
}

QJsonArray attendanceArray(const QList<AttendanceRow> &rows)
{
    QJsonArray a;
    for (const AttendanceRow &r : rows)
        a.append(attendanceJson(r));
    return a;
}

} // namespace

QString csvField(const QString &value)
{
    QString v = value;
    if (!v.isEmpty() && QStringLiteral("=+-@\t\r").contains(v.front()))
        v.prepend(QLatin1Char('\''));
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n'))
        || v.contains(QLatin1Char('\r')) || v != v.trimmed())
        v = QLatin1Char('"') + v.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return v;
}

QMap<QString, qint64> TallyResults::rejectedByCode() const
{
    QMap<QString, qint64> out;
    for (const RejectedRecord &r : rejected)
        ++out[r.code];
    return out;
}

QMap<QString, qint64> TallyResults::quarantinedByCode() const
{
    QMap<QString, qint64> out;
    for (const QuarantineRef &q : quarantined)
        ++out[q.code];
    return out;
}

QString MissingBatch::describe() const
{
    if (kiosk.isEmpty())
        return QStringLiteral("group %1 at venue %2: no batch imported from this venue, though representatives are "
                              "invited there: import the batches of its kiosks")
            .arg(session, venue);
    const QString known = evidence.startsWith(QLatin1String("closing report"))
        ? QStringLiteral("its closing report says %1 ballot(s)").arg(reportedBallots)
        : evidence == QLatin1String("zero report")
        ? QStringLiteral("its opening (zero) report shows it opened the group")
        : QStringLiteral("its audit log shows it opened the group");
    if (retired)
        return QStringLiteral("venue %1, kiosk %2, group %3: %4, but the kiosk is retired (%5) and its batch is "
                              "taken as lost: full results without it are published only with `tally "
                              "--accept-incomplete \"WHY\"`, which is printed on the results; if the USB drive is "
                              "found, import it instead")
            .arg(venue, kiosk, session, known, retiredReason);
    return QStringLiteral("venue %1, kiosk %2, group %3: %4, but its batch is not imported: find that kiosk's USB "
                          "drive and import it (pingyi-hq import); if it is truly lost, have a technician mark the "
                          "kiosk retired (pingyi-hq kiosk retire --kiosk %2 --reason …)")
        .arg(venue, kiosk, session, known);
}

QStringList TallyResults::attention() const
{
    QStringList out;
    // Missing batches first: they decide whether full results can be published at all.
    for (const MissingBatch &m : missing)
        out << QStringLiteral("MISSING BATCH: %1").arg(m.describe());
    if (!incomplete.isEmpty())
        out << QStringLiteral("INCOMPLETE: these full results lack the ballots of the retired kiosk(s) above; the "
                              "office recorded: %1")
                   .arg(incomplete);
    if (provisional)
        out << QStringLiteral("provisional: counts and attendance only; the ratings, questionnaire, discipline survey "
                              "and suggestions are not published until every batch is imported");
    for (const SessionResult &s : sessions) {
        if (s.belowThreshold)
            out << QStringLiteral("group %1: only %2 ballots in all, fewer than the anonymity threshold %3: only the "
                                  "number of ballots is published")
                       .arg(s.code)
                       .arg(s.ballots)
                       .arg(threshold);
        for (const IntakeRow &r : s.intake)
            if (r.votedCheckins != r.valid && r.batches > 0)
                out << QStringLiteral("group %1, venue %2: %3 representatives voted but %4 ballots are counted")
                           .arg(s.code, r.venue)
                           .arg(r.votedCheckins)
                           .arg(r.valid);
    }
    if (!silentKiosks.isEmpty()) {
        QStringList names;
        for (const BatchRef &k : silentKiosks)
            names << QStringLiteral("%1 (%2)").arg(k.kiosk, k.venue);
        out << QStringLiteral("%1 spare kiosk(s), never used as far as the office knows (no report, no batch): %2. "
                              "If one was used, give its zero or closing report (pingyi-hq report add)")
                   .arg(names.size())
                   .arg(names.join(QStringLiteral(", ")));
    }
    for (const RetiredKioskRef &k : retired)
        out << QStringLiteral("kiosk %1 (venue %2) is retired: %3").arg(k.kiosk, k.venue, k.reason);
    if (!duplicates.isEmpty()) {
        int votes = 0;
        for (const DuplicateCheckin &d : duplicates)
            votes += std::max(0, d.votes() - 1);
        out << QStringLiteral("%1 representative(s) checked in at more than one kiosk (%2 possible extra ballot(s)): "
                              "see checkins_duplicate.csv")
                   .arg(duplicates.size())
                   .arg(votes);
    }
    if (!unexpected.isEmpty())
        out << QStringLiteral("%1 check-in(s) of representatives not invited to that group and venue")
                   .arg(unexpected.size());
    if (!quarantined.isEmpty())
        out << QStringLiteral("%1 record(s) were quarantined at import and are not counted").arg(quarantined.size());
    if (!rejected.isEmpty())
        out << QStringLiteral("%1 record(s) could not be counted at the tally (results.json \"rejected\" has the "
                              "counts per reason; the tally's terminal output the details)")
                   .arg(rejected.size());
    return out;
}

namespace {

QJsonObject countsJson(const QMap<QString, qint64> &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

} // namespace

QJsonObject TallyResults::toJson() const
{
    QJsonArray scaleJson;
    for (const RatingOption &o : scale)
        scaleJson.append(QJsonObject {{QStringLiteral("code"), o.code},
                                      {QStringLiteral("label"), o.label},
                                      {QStringLiteral("score"), o.score},
                                      {QStringLiteral("satisfied"), isSatisfied(o, satisfiedThreshold)}});
    QJsonArray sessionsJson;
    for (const SessionResult &s : sessions) {
        QJsonArray depts, venues, intakeJson;
        for (const DepartmentResult &d : s.departments)
            depts.append(departmentJson(d, scale, true));
        for (const VenueGroup &g : s.byVenue) {
            QJsonArray gd;
            for (const DepartmentResult &d : g.departments)
                gd.append(departmentJson(d, scale, false));
            venues.append(QJsonObject {{QStringLiteral("venues"), QJsonArray::fromStringList(g.venues)},
                                       {QStringLiteral("merged"), g.merged},
                                       {QStringLiteral("ballots"), g.ballots},
                                       {QStringLiteral("departments"), gd},
                                       {QStringLiteral("discipline"), questionsJson(g.discipline)}});
        }
        for (const IntakeRow &r : s.intake)
            intakeJson.append(QJsonObject {{QStringLiteral("venue"), r.venue},
                                           {QStringLiteral("batches"), r.batches},
                                           {QStringLiteral("checkins"), r.checkins},
                                           {QStringLiteral("voted_checkins"), r.votedCheckins},
                                           {QStringLiteral("header_ballots"), r.headerBallots},
                                           {QStringLiteral("imported_ballots"), r.imported},
                                           {QStringLiteral("quarantined_ballots"), r.quarantined},
                                           {QStringLiteral("rejected_ballots"), r.rejected},
                                           {QStringLiteral("valid_ballots"), r.valid},
                                           {QStringLiteral("released"), r.released},
                                           {QStringLiteral("suggestions"), r.suggestions}});
        QJsonObject o {{QStringLiteral("code"), s.code},
                       {QStringLiteral("name"), s.name},
                       {QStringLiteral("name_en"), s.nameEn},
                       {QStringLiteral("held"), s.held},
                       {QStringLiteral("ballots"), s.ballots},
                       {QStringLiteral("suggestions"), s.suggestions},
                       {QStringLiteral("below_threshold"), s.belowThreshold},
                       {QStringLiteral("attendance"),
                        QJsonObject {{QStringLiteral("total"), attendanceJson(s.attendance)},
                                     {QStringLiteral("by_venue"), attendanceArray(s.attendanceByVenue)},
                                     {QStringLiteral("by_category"), attendanceArray(s.attendanceByCategory)}}},
                       {QStringLiteral("intake"), intakeJson},
                       {QStringLiteral("missing_venues"), QJsonArray::fromStringList(s.missingVenues)}};
        if (s.withheld.isEmpty()) {
            o.insert(QStringLiteral("departments"), depts);
            o.insert(QStringLiteral("by_venue"), venues);
            o.insert(QStringLiteral("questionnaire"), questionsJson(s.questionnaire));
            o.insert(QStringLiteral("discipline"), questionsJson(s.discipline));
        } else {
            o.insert(QStringLiteral("withheld"), s.withheld);
        }
        sessionsJson.append(o);
    }
    QJsonArray dups, unexp, batchJson, missingJson;
    for (const DuplicateCheckin &d : duplicates) {
        QJsonArray e;
        for (const CheckinEntryRef &r : d.entries)
            e.append(QJsonObject {{QStringLiteral("kiosk"), r.kiosk},
                                  {QStringLiteral("venue"), r.venue},
                                  {QStringLiteral("voted"), r.voted}});
        dups.append(QJsonObject {{QStringLiteral("rep_id"), d.repId},
                                 {QStringLiteral("session"), d.session},
                                 {QStringLiteral("votes"), d.votes()},
                                 {QStringLiteral("entries"), e}});
    }
    for (const UnexpectedCheckin &u : unexpected)
        unexp.append(QJsonObject {{QStringLiteral("rep_id"), u.repId},
                                  {QStringLiteral("session"), u.session},
                                  {QStringLiteral("kiosk"), u.kiosk},
                                  {QStringLiteral("venue"), u.venue},
                                  {QStringLiteral("reason"), u.reason}});
    for (const MissingBatch &m : missing) {
        QJsonObject o {{QStringLiteral("session"), m.session}, {QStringLiteral("venue"), m.venue}};
        if (!m.kiosk.isEmpty()) {
            o.insert(QStringLiteral("kiosk"), m.kiosk);
            o.insert(QStringLiteral("evidence"), m.evidence);
            if (m.reportedBallots >= 0)
                o.insert(QStringLiteral("reported_ballots"), m.reportedBallots);
            o.insert(QStringLiteral("retired"), m.retired);
        }
        missingJson.append(o);
    }
    QJsonArray spareJson, retiredJson;
    for (const BatchRef &k : silentKiosks)
        spareJson.append(QJsonObject {{QStringLiteral("kiosk"), k.kiosk}, {QStringLiteral("venue"), k.venue}});
    for (const RetiredKioskRef &k : retired)
        retiredJson.append(QJsonObject {{QStringLiteral("kiosk"), k.kiosk},
                                        {QStringLiteral("venue"), k.venue},
                                        {QStringLiteral("reason"), k.reason},
                                        {QStringLiteral("retired_at"), k.retiredAt}});
    for (const BatchRef &b : batches)
        batchJson.append(QJsonObject {{QStringLiteral("kiosk"), b.kiosk},
                                      {QStringLiteral("venue"), b.venue},
                                      {QStringLiteral("session"), b.session},
                                      {QStringLiteral("file"), b.file},
                                      {QStringLiteral("header"),
                                       QJsonObject {{QStringLiteral("checkins"), b.checkins},
                                                    {QStringLiteral("ballots"), b.ballots},
                                                    {QStringLiteral("released"), b.released},
                                                    {QStringLiteral("suggestions"), b.suggestions}}},
                                      {QStringLiteral("counted_ballots"), b.countedBallots},
                                      {QStringLiteral("counted_suggestions"), b.countedSuggestions},
                                      {QStringLiteral("quarantined"), b.quarantined},
                                      {QStringLiteral("status"), b.status},
                                      {QStringLiteral("closing_report_checked"), b.closingReportChecked},
                                      {QStringLiteral("findings"), QJsonArray::fromStringList(b.findings)}});
    QMap<QString, qint64> byDepartment, byTopic;
    for (const SuggestionRow &s : suggestions) {
        ++byDepartment[s.department.isEmpty() ? QStringLiteral("(general)") : s.department];
        ++byTopic[s.topic];
    }

    QJsonObject o {{QStringLiteral("format"), QStringLiteral("pingyi-results/v1")},
                   {QStringLiteral("activity"),
                    QJsonObject {{QStringLiteral("id"), activityId},
                                 {QStringLiteral("name"), activityName},
                                 {QStringLiteral("year"), year}}},
                   {QStringLiteral("generated"), generated.toString(Qt::ISODate)},
                   {QStringLiteral("hq_root_fingerprint"), rootFingerprint},
                   {QStringLiteral("election_fingerprint"), electionFingerprint},
                   {QStringLiteral("anonymity_threshold"), threshold},
                   {QStringLiteral("provisional"), provisional},
                   {QStringLiteral("definitions"), definitions(scale, threshold, satisfiedThreshold, rankTies)},
                   {QStringLiteral("scale"), scaleJson},
                   {QStringLiteral("ballots"), ballots},
                   {QStringLiteral("sessions"), sessionsJson},
                   {QStringLiteral("attendance"),
                    QJsonObject {{QStringLiteral("total"), attendanceJson(attendance)},
                                 {QStringLiteral("by_venue"), attendanceArray(attendanceByVenue)},
                                 {QStringLiteral("by_category"), attendanceArray(attendanceByCategory)}}},
                   {QStringLiteral("duplicate_checkins"), dups},
                   {QStringLiteral("unexpected_checkins"), unexp},
                   {QStringLiteral("missing"), missingJson},
                   {QStringLiteral("spare_kiosks"), spareJson},
                   {QStringLiteral("retired_kiosks"), retiredJson},
                   {QStringLiteral("quarantined"), countsJson(quarantinedByCode())},
                   {QStringLiteral("rejected"), countsJson(rejectedByCode())},
                   {QStringLiteral("batches"), batchJson},
                   {QStringLiteral("attention"), QJsonArray::fromStringList(attention())}};
    QJsonObject sugg {{QStringLiteral("total"), qint64(suggestions.size()) + withheldSuggestions},
                      {QStringLiteral("withheld"), withheldSuggestions}};
    if (!provisional) {
        o.insert(QStringLiteral("questionnaire_all"), questionsJson(questionnaireAll));
        o.insert(QStringLiteral("questionnaire_all_groups"), QJsonArray::fromStringList(questionnaireAllSessions));
        sugg.insert(QStringLiteral("by_department"), countsJson(byDepartment));
        sugg.insert(QStringLiteral("by_topic"), countsJson(byTopic));
    }
    o.insert(QStringLiteral("suggestions"), sugg);
    if (!incomplete.isEmpty())
        o.insert(QStringLiteral("incomplete"), incomplete);
    return o;
}

int scoreDecimals(const QList<DepartmentResult> &departments)
{
    for (int decimals = 2; decimals < 6; ++decimals) {
        bool clash = false;
        for (qsizetype i = 0; i < departments.size() && !clash; ++i)
            for (qsizetype j = i + 1; j < departments.size() && !clash; ++j) {
                const DepartmentResult &a = departments[i], &b = departments[j];
                if (!a.ballots || !b.ballots || a.scoreSum * b.ballots == b.scoreSum * a.ballots)
                    continue;
                clash = QString::number(a.weightedScore(), 'f', decimals)
                    == QString::number(b.weightedScore(), 'f', decimals);
            }
        if (!clash)
            return decimals;
    }
    return 6;
}

Result<StagedOutput> StagedOutput::create(const QString &outDir)
{
    const QFileInfo out(outDir);
    if (out.exists() && !out.isDir())
        return makeError(
            QStringLiteral("out-not-tally"),
            QStringLiteral("--out %1 is a file, not a directory: give a new or empty directory").arg(outDir));
    if (out.isDir()) {
        const QStringList entries = QDir(outDir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        const auto json = readFile(QDir(outDir).filePath(QStringLiteral("results.json")), qint64(256) * 1024 * 1024);
        const QJsonObject earlier = json ? QJsonDocument::fromJson(*json).object() : QJsonObject();
        if (!entries.isEmpty()
            && earlier.value(QLatin1String("format")).toString() != QLatin1String("pingyi-results/v1"))
            return makeError(QStringLiteral("out-not-tally"),
                             QStringLiteral("--out %1 holds files that are not an earlier tally's output (no "
                                            "results.json of pingyi-results/v1): the tally replaces its --out "
                                            "directory as a whole, so give a new or empty directory")
                                 .arg(outDir));
    }
    const QString parent = out.absolutePath();
    if (!QDir().mkpath(parent))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(parent));
    // A tally killed before its commit leaves its hidden staging directory (partial results,
    // or the earlier results moved aside): gone now, as the caller holds the HQ lock.
    for (const QString &stale : QDir(parent).entryList({QStringLiteral(".%1.tally-*").arg(out.fileName())},
                                                       QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
        QDir(QDir(parent).filePath(stale)).removeRecursively();
    QString stage;
    for (int attempt = 0; attempt < 100 && stage.isEmpty(); ++attempt) {
        const QString candidate = QDir(parent).filePath(
            QStringLiteral(".%1.tally-%2").arg(out.fileName(), QString::fromLatin1(crypto::randomBytes(6).toHex())));
        if (QDir().mkdir(candidate))
            stage = candidate;
    }
    if (stage.isEmpty())
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create a directory in %1").arg(parent));
    return StagedOutput(out.absoluteFilePath(), stage);
}

StagedOutput::StagedOutput(StagedOutput &&other) noexcept
    : m_out(std::move(other.m_out)), m_stage(std::exchange(other.m_stage, QString()))
{
}

StagedOutput::~StagedOutput()
{
    if (!m_stage.isEmpty())
        QDir(m_stage).removeRecursively();
}

Status StagedOutput::commit()
{
    QString old;
    if (QFileInfo::exists(m_out)) {
        old = m_stage + QStringLiteral(".old");
        if (!QDir().rename(m_out, old))
            return makeError(
                QStringLiteral("io-write"),
                QStringLiteral("cannot move the earlier results %1 aside (is a file in it open?)").arg(m_out));
    }
    if (!QDir().rename(m_stage, m_out)) {
        if (!old.isEmpty())
            QDir().rename(old, m_out);
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot move the new results into %1").arg(m_out));
    }
    m_stage.clear();
    if (!old.isEmpty() && !QDir(old).removeRecursively())
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("the new results are in %1, but the earlier ones could not be removed from %2: "
                                        "remove that directory")
                             .arg(m_out, old));
    return {};
}

namespace {

/// UTF-8 with a byte-order mark and CRLF, so Excel opens the Chinese text correctly.
class Csv {
public:
    Csv() = default;
    explicit Csv(const QStringList &header) { row(header); }
    void row(const QStringList &fields)
    {
        QStringList escaped;
        for (const QString &f : fields)
            escaped << csvField(f);
        m_text += escaped.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    QByteArray bytes() const { return QByteArray("\xEF\xBB\xBF") + m_text.toUtf8(); }

private:
    QString m_text;
};

QString num(qint64 n)
{
    return QString::number(n);
}
QString fixed(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}
QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 2);
}

QString withheldNote(const QString &why, int threshold)
{
    return why == QLatin1String("provisional")
        ? QStringLiteral("（暂不公布：尚有批次未导入）withheld: provisional, batches missing")
        : QStringLiteral("（全组少于 %1 张选票，仅公布票数）withheld: fewer ballots than the anonymity threshold")
              .arg(threshold);
}

QString groupLabel(const Activity &a, const VenueGroup &g)
{
    if (!g.merged)
        return venueLabel(a, g.venues.value(0));
    QStringList names;
    for (const QString &v : g.venues)
        names << venueLabel(a, v);
    return QStringLiteral("其他会场（合并：%1）").arg(names.join(QStringLiteral("、")));
}

} // namespace

Result<QStringList> writeTallyFiles(const TallyResults &r, const Activity &a, const QString &outDir)
{
    if (!QDir().mkpath(outDir)
        || (!r.provisional && !QDir().mkpath(QDir(outDir).filePath(QStringLiteral("suggestions")))))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(outDir));
    // Everything is rendered first, then written on several threads: each file is
    // written atomically and synced, and the syncs overlap.
    QList<QPair<QString, QByteArray>> files;
    std::mutex filesMutex;
    auto write = [&](const QString &name, const QByteArray &bytes) {
        std::lock_guard lock(filesMutex);
        files.append({QDir(outDir).filePath(name), bytes});
    };
    QList<std::function<void()>> jobs; // each renders one or more files
    jobs.append(
        [&] { write(QStringLiteral("results.json"), QJsonDocument(r.toJson()).toJson(QJsonDocument::Indented)); });

    QStringList optionHeaders;
    for (const RatingOption &o : r.scale)
        optionHeaders << QStringLiteral("%1 %2").arg(o.label, o.code);
    jobs.append([&] {
        Csv csv(QStringList {QStringLiteral("评议组 group"), QStringLiteral("组名 group name"),
                             QStringLiteral("名次 rank"), QStringLiteral("部门代码 department"),
                             QStringLiteral("部门 department name"), QStringLiteral("有效票 ballots")}
                + optionHeaders
                + QStringList {QStringLiteral("总分 score sum"), QStringLiteral("综合得分 weighted score"),
                               QStringLiteral("满意率% satisfaction rate")});
        for (const SessionResult &s : r.sessions) {
            if (!s.held)
                continue;
            if (!s.withheld.isEmpty()) {
                csv.row({s.code, s.name, QString(), QString(), withheldNote(s.withheld, r.threshold), num(s.ballots)});
                continue;
            }
            const int decimals = scoreDecimals(s.departments);
            for (const DepartmentResult &d : s.departments) {
                QStringList row {s.code, s.name, num(d.rank), d.code, d.name, num(d.ballots)};
                for (qint64 c : d.counts)
                    row << num(c);
                row << num(d.scoreSum) << fixed(d.weightedScore(), decimals) << percent(d.satisfactionRate());
                csv.row(row);
            }
        }
        write(QStringLiteral("departments.csv"), csv.bytes());
    });
    if (a.tally.publishes(TallyRules::Breakdown::Venue)) // tally.publish: no file at all without it
        jobs.append([&] {
            Csv csv(QStringList {QStringLiteral("评议组 group"), QStringLiteral("会场 venues"),
                                 QStringLiteral("会场代码 venue codes"), QStringLiteral("票数 ballots"),
                                 QStringLiteral("部门代码 department"), QStringLiteral("部门 department name")}
                    + optionHeaders
                    + QStringList {QStringLiteral("总分 score sum"), QStringLiteral("综合得分 weighted score"),
                                   QStringLiteral("满意率% satisfaction rate")});
            for (const SessionResult &s : r.sessions)
                for (const VenueGroup &g : s.byVenue) {
                    const int decimals = scoreDecimals(g.departments);
                    for (const DepartmentResult &d : g.departments) {
                        QStringList row {s.code,         groupLabel(a, g), g.venues.join(QLatin1Char(';')),
                                         num(g.ballots), d.code,           d.name};
                        for (qint64 c : d.counts)
                            row << num(c);
                        row << num(d.scoreSum) << fixed(d.weightedScore(), decimals) << percent(d.satisfactionRate());
                        csv.row(row);
                    }
                }
            write(QStringLiteral("departments_by_venue.csv"), csv.bytes());
        });
    jobs.append([&] {
        Csv csv({QStringLiteral("评议组 group"), QStringLiteral("维度 dimension"), QStringLiteral("代码 code"),
                 QStringLiteral("名称 name"), QStringLiteral("应到 invited"), QStringLiteral("实到 present"),
                 QStringLiteral("投票 voted"), QStringLiteral("到位率% attendance rate"), QStringLiteral("备注 note")});
        auto rows = [&](const QString &group, const AttendanceRow &total, const QList<AttendanceRow> &venues,
                        const QList<AttendanceRow> &categories) {
            auto one = [&](const QString &dim, const AttendanceRow &x) {
                csv.row({group, dim, x.code, x.code.isEmpty() ? QStringLiteral("合计 total") : x.label, num(x.invited),
                         num(x.present), num(x.voted), percent(x.rate()),
                         x.noBatch ? QStringLiteral("未导入该会场的数据 no batch imported") : QString()});
            };
            one(QStringLiteral("合计 total"), total);
            for (const AttendanceRow &x : venues)
                one(QStringLiteral("会场 venue"), x);
            for (const AttendanceRow &x : categories)
                one(QStringLiteral("类别 category"), x);
        };
        for (const SessionResult &s : r.sessions)
            if (s.held)
                rows(s.code, s.attendance, s.attendanceByVenue, s.attendanceByCategory);
        rows(QStringLiteral("(all)"), r.attendance, r.attendanceByVenue, r.attendanceByCategory);
        write(QStringLiteral("attendance.csv"), csv.bytes());
    });
    auto questionRows = [](Csv &csv, const QStringList &prefix, const QList<QuestionResult> &list) {
        for (const QuestionResult &q : list)
            for (const ChoiceCount &c : q.choices)
                csv.row(prefix
                        + QStringList {q.code, q.text, num(q.answered), c.code, c.label, num(c.count),
                                       percent(q.answered ? double(c.count) / double(q.answered) : 0.0)});
    };
    jobs.append([&] {
        Csv csv({QStringLiteral("评议组 group"), QStringLiteral("题目代码 question"), QStringLiteral("题目 text"),
                 QStringLiteral("答题人数 answered"), QStringLiteral("选项代码 choice"), QStringLiteral("选项 label"),
                 QStringLiteral("人数 count"), QStringLiteral("占答题人数% share")});
        for (const SessionResult &s : r.sessions)
            if (s.held && s.withheld.isEmpty())
                questionRows(csv, {s.code}, s.questionnaire);
        if (!r.provisional)
            questionRows(csv, {QStringLiteral("(all: %1)").arg(r.questionnaireAllSessions.join(QLatin1Char(';')))},
                         r.questionnaireAll);
        write(QStringLiteral("questionnaire.csv"), csv.bytes());
    });
    jobs.append([&] {
        Csv csv({QStringLiteral("评议组 group"), QStringLiteral("会场 venues"), QStringLiteral("票数 ballots"),
                 QStringLiteral("题目代码 question"), QStringLiteral("题目 text"), QStringLiteral("答题人数 answered"),
                 QStringLiteral("选项代码 choice"), QStringLiteral("选项 label"), QStringLiteral("人数 count"),
                 QStringLiteral("占答题人数% share")});
        for (const SessionResult &s : r.sessions) {
            if (!s.held || !s.withheld.isEmpty())
                continue;
            questionRows(csv, {s.code, QStringLiteral("全部会场 all venues"), num(s.ballots)}, s.discipline);
            for (const VenueGroup &g : s.byVenue)
                questionRows(csv, {s.code, groupLabel(a, g), num(g.ballots)}, g.discipline);
        }
        write(QStringLiteral("discipline.csv"), csv.bytes());
    });
    jobs.append([&] {
        Csv csv({QStringLiteral("评议组 group"), QStringLiteral("会场 venue"), QStringLiteral("终端数 batches"),
                 QStringLiteral("签到次数 check-ins"), QStringLiteral("已投票代表 voted"),
                 QStringLiteral("终端计票 kiosk ballots"), QStringLiteral("导入 imported"),
                 QStringLiteral("隔离 quarantined"), QStringLiteral("无效 rejected"), QStringLiteral("有效票 valid"),
                 QStringLiteral("放弃 released"), QStringLiteral("建议 suggestions")});
        for (const SessionResult &s : r.sessions)
            for (const IntakeRow &x : s.intake)
                csv.row({s.code, x.venue, num(x.batches), num(x.checkins), num(x.votedCheckins), num(x.headerBallots),
                         num(x.imported), num(x.quarantined), num(x.rejected), num(x.valid), num(x.released),
                         num(x.suggestions)});
        write(QStringLiteral("intake.csv"), csv.bytes());
    });
    jobs.append([&] {
        Csv csv({QStringLiteral("评议组 group"), QStringLiteral("代表编号 representative"),
                 QStringLiteral("终端 kiosk"), QStringLiteral("会场 venue"), QStringLiteral("状态 status")});
        for (const DuplicateCheckin &d : r.duplicates)
            for (const CheckinEntryRef &e : d.entries)
                csv.row({d.session, d.repId, e.kiosk, e.venue,
                         e.voted ? QStringLiteral("已投票 voted") : QStringLiteral("未投票 released")});
        write(QStringLiteral("checkins_duplicate.csv"), csv.bytes());
    });
    jobs.append([&] {
        Csv csv({QStringLiteral("终端 kiosk"), QStringLiteral("会场 venue"), QStringLiteral("评议组 group"),
                 QStringLiteral("文件 file"), QStringLiteral("签到 check-ins"), QStringLiteral("终端计票 ballots"),
                 QStringLiteral("放弃 released"), QStringLiteral("建议 suggestions"),
                 QStringLiteral("导入票数 imported"), QStringLiteral("隔离 quarantined"), QStringLiteral("状态 status"),
                 QStringLiteral("关闭报告核对 closing report"), QStringLiteral("提示 findings")});
        for (const BatchRef &b : r.batches)
            csv.row({b.kiosk, b.venue, b.session, b.file, num(b.checkins), num(b.ballots), num(b.released),
                     num(b.suggestions), num(b.countedBallots), num(b.quarantined), b.status,
                     b.closingReportChecked ? QStringLiteral("yes") : QStringLiteral("no"),
                     b.findings.join(QLatin1Char(';'))});
        write(QStringLiteral("batches.csv"), csv.bytes());
    });

    // Suggestions: one file per target department for follow-up, one for the rest, one with all.
    if (!r.provisional)
        jobs.append([&] {
            const QStringList header {QStringLiteral("编号 ref"),
                                      QStringLiteral("评议组 group"),
                                      QStringLiteral("主题 topic"),
                                      QStringLiteral("部门代码 department"),
                                      QStringLiteral("部门 department name"),
                                      QStringLiteral("建议 suggestion")};
            auto topicName = [&](const QString &code) {
                for (const SuggestionTopic &t : a.suggestionTopics)
                    if (t.code == code)
                        return t.name;
                return code;
            };
            auto deptName = [&](const QString &code) {
                const Department *d = a.department(code);
                return d ? d->name : QString();
            };
            QMap<QString, Csv> perDepartment;
            Csv allCsv(header);
            for (const SuggestionRow &s : r.suggestions) {
                const QStringList row {s.ref, s.session, topicName(s.topic), s.department, deptName(s.department),
                                       s.text};
                allCsv.row(row);
                const QString file
                    = s.department.isEmpty() ? QStringLiteral("general-%1").arg(s.session) : s.department;
                auto it = perDepartment.find(file);
                if (it == perDepartment.end())
                    it = perDepartment.insert(file, Csv(header));
                it->row(row);
            }
            write(QStringLiteral("suggestions/all.csv"), allCsv.bytes());
            for (auto it = perDepartment.cbegin(); it != perDepartment.cend(); ++it)
                write(QStringLiteral("suggestions/%1.csv").arg(it.key()), it->bytes());
        });
    parallelFor(
        jobs.size(), workerThreads(0),
        [&](qsizetype begin, qsizetype end, int) {
            for (qsizetype i = begin; i < end; ++i)
                jobs[i]();
        },
        1);
    std::sort(files.begin(), files.end());

    std::vector<Status> status(std::size_t(files.size()));
    parallelFor(
        files.size(), 8,
        [&](qsizetype begin, qsizetype end, int) {
            for (qsizetype i = begin; i < end; ++i)
                status[std::size_t(i)] = writeFileAtomic(files[i].first, files[i].second);
        },
        1);
    QStringList written;
    for (qsizetype i = 0; i < files.size(); ++i) {
        if (!status[std::size_t(i)])
            return status[std::size_t(i)].error();
        written << files[i].first;
    }
    return written;
}

} // namespace pingyi::hq
