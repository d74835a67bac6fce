#pragma once
// The tally: opens every imported ballot with the election key (on every core), mixes
// all venues of a group session and computes, per department, the count per rating
// option, the weighted score, the satisfaction rate and the rank in the group; the
// questionnaire and the discipline survey; attendance (到位率) by venue and category from
// the check-in lists; representatives checked in at more than one kiosk; and the
// suggestions for follow-up. Breakdowns by venue smaller than the activity's anonymity
// threshold are merged, never shown. Definitions and output formats: docs/tally.md.

#include "activity.h"
#include "crypto.h"
#include "result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

namespace pingyi::hq {

class Hq;

/// Options scoring at least the activity's `tally.satisfied_threshold` (default 80: 满意 100,
/// 比较满意 80 in Qingdao) count as satisfied; every text that states the rule is
/// generated from the activity's scale and that threshold (definitions()).
bool isSatisfied(const RatingOption &option, int satisfiedThreshold);

/// The definitions published with the results, generated from the activity's scale and
/// thresholds (never a fixed city's wording). Keys: weighted_score, satisfaction_rate,
/// rank, attendance_rate, anonymity; each value "中文 / English".
QJsonObject definitions(const QList<RatingOption> &scale, int threshold,
                        int satisfiedThreshold = TallyRules {}.satisfiedThreshold,
                        TallyRules::RankTies rankTies = TallyRules::RankTies::Shared);

struct DepartmentResult {
    QString code;
    QString name;
    QString nameEn;
    qint64 ballots = 0;
    QList<qint64> counts; ///< per rating option, in the order of the activity's scale
    qint64 scoreSum = 0; ///< sum of the chosen options' scores
    qint64 satisfied = 0; ///< ballots with an option scoring >= the satisfied threshold
    int rank = 0; ///< 1 = best in the group; equal scores share a rank
    double weightedScore() const { return ballots ? double(scoreSum) / double(ballots) : 0.0; }
    double satisfactionRate() const { return ballots ? double(satisfied) / double(ballots) : 0.0; }
};

struct ChoiceCount {
    QString code;
    QString label;
    qint64 count = 0;
};

struct QuestionResult {
    QString code;
    QString text;
    bool multiple = false;
    qint64 answered = 0; ///< ballots that answered the question
    QList<ChoiceCount> choices;
};

/// One column of a breakdown: a venue, or several small venues merged into "other".
struct VenueGroup {
    QStringList venues;
    bool merged = false; ///< several venues, each below the threshold, shown together
    qint64 ballots = 0;
    QList<DepartmentResult> departments; ///< activity order, no rank
    QList<QuestionResult> discipline;
};

struct AttendanceRow {
    QString code; ///< venue or category code; empty for the total
    QString label;
    qint64 invited = 0; ///< on the roster for this group (应到)
    qint64 present = 0; ///< checked in at least once (实到)
    qint64 voted = 0; ///< cast a ballot
    bool noBatch = false; ///< venue: no batch of this group was imported from it
    double rate() const { return invited ? double(present) / double(invited) : 0.0; }
};

/// Ballots handed out and collected at one venue for one group (发放与回收).
struct IntakeRow {
    QString venue;
    int batches = 0;
    qint64 checkins = 0; ///< check-in events (kiosk headers)
    qint64 votedCheckins = 0; ///< representatives marked as having voted
    qint64 headerBallots = 0; ///< ballots the kiosks counted
    qint64 imported = 0; ///< ballots accepted at import
    qint64 quarantined = 0; ///< ballots quarantined at import
    qint64 rejected = 0; ///< ballots that could not be counted at the tally
    qint64 valid = 0; ///< ballots in the results
    qint64 released = 0;
    qint64 suggestions = 0;
};

struct SessionResult {
    QString code;
    QString name;
    QString nameEn;
    bool held = false; ///< at least one batch was imported
    qint64 ballots = 0; ///< valid ballots counted
    qint64 suggestions = 0;
    bool belowThreshold = false; ///< fewer ballots in the whole group than the threshold
    /// Why only counts are shown ("below_threshold" or "provisional"); empty when the
    /// content (departments, venues, questionnaire, discipline, suggestions) is shown.
    QString withheld;
    QList<DepartmentResult> departments; ///< sorted by rank
    QList<VenueGroup> byVenue; ///< empty when merging left nothing to show apart
    QList<QuestionResult> questionnaire;
    QList<QuestionResult> discipline;
    AttendanceRow attendance;
    QList<AttendanceRow> attendanceByVenue;
    QList<AttendanceRow> attendanceByCategory;
    QList<IntakeRow> intake; ///< per venue with batches or invited representatives
    QStringList missingVenues; ///< venues with invited representatives but no batch
};

struct CheckinEntryRef {
    QString kiosk;
    QString venue;
    bool voted = false;
};

struct DuplicateCheckin {
    QString repId;
    QString session;
    QList<CheckinEntryRef> entries;
    int votes() const;
};

struct UnexpectedCheckin {
    QString repId;
    QString session;
    QString kiosk;
    QString venue;
    QString reason; ///< "not-on-roster" or "not-invited"
};

/// A record import accepted but the tally cannot count. Only the counts per code are
/// published: the details (kiosk, validator message) are for the operator's terminal and
/// the record id for hq.db (the bulletin leaves the record out); no receipt code.
struct RejectedRecord {
    QString kind; ///< "ballot" or "suggestion"
    QString session;
    QString venue;
    QString kiosk;
    QString code; ///< tally-decrypt, tally-format, tally-activity, tally-session, tally-invalid
    QString message;
    QByteArray recordId; ///< never written to the output files
};

/// A record quarantined at import (published as counts per code only).
struct QuarantineRef {
    QString kind;
    QString session;
    QString venue;
    QString kiosk;
    QString code;
    bool countedByKiosk = false;
};

/// A batch the tally expected but import has not seen: no batch of a group from a venue
/// where the group was held, or a kiosk known to have opened a group session (its zero
/// or closing report is stored, or its audit log says so) whose batch was not imported.
struct MissingBatch {
    QString session;
    QString venue;
    QString kiosk; ///< empty: nothing at all from this venue for this group
    qint64 reportedBallots = -1; ///< ballots in the kiosk's closing report; -1: not known
    QString evidence; ///< "closing report", "zero report" or "audit log" (kiosk set)
    bool retired = false; ///< the kiosk was retired: its batch is taken as lost
    QString retiredReason;
    /// How the office knows of it and what to do, for the screen and the report.
    QString describe() const;
};

struct RetiredKioskRef {
    QString kiosk;
    QString venue;
    QString reason;
    QString retiredAt;
};

struct BatchRef {
    QString kiosk;
    QString venue;
    QString session;
    QString file;
    qint64 checkins = 0, ballots = 0, released = 0, suggestions = 0; ///< header
    qint64 countedBallots = 0, countedSuggestions = 0, quarantined = 0;
    QString status;
    bool closingReportChecked = false;
    QStringList findings; ///< warning codes from import
};

struct SuggestionRow {
    QString session;
    QString topic;
    QString department; ///< empty: not for a particular department
    QString text;
    QString ref; ///< follow-up reference: keyed hash of the record id under a key drawn for this tally and discarded
};

struct TallyResults {
    QString activityId;
    QString activityName;
    int year = 0;
    QDateTime generated;
    QString rootFingerprint;
    QString electionFingerprint;
    int threshold = 10;
    int satisfiedThreshold = 80; ///< activity tally.satisfied_threshold
    TallyRules::RankTies rankTies = TallyRules::RankTies::Shared; ///< activity tally.rank_ties
    QList<RatingOption> scale;
    QList<SessionResult> sessions;
    QList<QuestionResult> questionnaireAll; ///< the groups in questionnaireAllSessions together
    /// Groups whose content is shown (a group below the threshold is left out here too,
    /// so it cannot be had by subtraction).
    QStringList questionnaireAllSessions;
    AttendanceRow attendance; ///< all groups
    QList<AttendanceRow> attendanceByVenue;
    QList<AttendanceRow> attendanceByCategory;
    QList<DuplicateCheckin> duplicates;
    QList<UnexpectedCheckin> unexpected;
    QList<RejectedRecord> rejected;
    QList<QuarantineRef> quarantined;
    QList<BatchRef> batches;
    QList<SuggestionRow> suggestions; ///< of the groups whose content is shown
    qint64 withheldSuggestions = 0; ///< of groups whose content is withheld
    qint64 ballots = 0;
    bool provisional = false; ///< counts and attendance only (withholdContent())
    QList<MissingBatch> missing;
    /// Spare kiosks: enrolled, not retired, no batch and no report stored (a kiosk that
    /// opened a group made a zero report, so one without any was never used as far as the
    /// office knows).
    QList<BatchRef> silentKiosks;
    QList<RetiredKioskRef> retired; ///< kiosks a technician retired (kiosk retire)
    /// The office's recorded acknowledgement (tally --accept-incomplete) that these full
    /// results lack the batches of retired kiosks in `missing`; empty otherwise. Printed
    /// with the results.
    QString incomplete;
    /// Internal, never written: the batches this tally covered (hq.db batch ids) and the
    /// valid ballots per group and venue, recorded by recordTallyRun().
    QList<qint64> batchIds;
    QMap<QPair<QString, QString>, qint64> cells; ///< (session, venue) -> valid ballots
    /// (session, venue) -> the part of the venue breakdown it was shown in; absent when its
    /// content is not shown. A later full release keeps each part together.
    QMap<QPair<QString, QString>, int> parts;

    QJsonObject toJson() const;
    /// Short lines for the screen: what needs the office's attention.
    QStringList attention() const;
    QMap<QString, qint64> rejectedByCode() const;
    QMap<QString, qint64> quarantinedByCode() const;
};

struct TallyOptions {
    int threads = 0; ///< 0: one per core
    QDateTime generated; ///< default: now
    /// Count ballots in the canonical form encodeBallot writes straight from their bytes;
    /// anything else goes through decodeBallot + validateBallot. Off: always the latter
    /// (tests compare the two).
    bool fastDecode = true;
};

/// Opens every imported record with `election` and computes the results. Reads hq.db and
/// the archived batch files (batches/), whose digests must match what was imported (error
/// "tally-archive" otherwise); writes nothing.
Result<TallyResults> computeTally(Hq &hq, const crypto::BoxKeyPair &election, const TallyOptions &options = {});

/// Keeps only counts and attendance (ballots, check-ins, intake, batches): no option
/// counts, scores, ranks, questionnaire, discipline survey or suggestions. For results
/// published while batches are missing (`tally --provisional`).
void withholdContent(TallyResults &results);

/// Whether `results` may be published in full. Error "tally-incomplete" while any batch is
/// missing (results.missing) — a kiosk retired as lost excepted only when
/// results.incomplete holds the office's acknowledgement — and "tally-difference" when
/// any (group, venue) differs from an earlier full release recorded in hq.db by more than
/// 0 and fewer than the anonymity threshold ballots: publishing both would let anyone
/// subtract them. Provisional runs are never compared: they publish no ratings.
Status checkFullRelease(Hq &hq, const TallyResults &results);

/// Records a tally whose files are about to be published: the batches it covered, the
/// records it could not count (the bulletin leaves them out) and, for a full release,
/// the valid ballots per group and venue (for checkFullRelease). One transaction.
Status recordTallyRun(Hq &hq, const TallyResults &results);

/// Writes results.json, the CSV files and suggestions/ into `outDir` (created).
/// Returns the paths written.
Result<QStringList> writeTallyFiles(const TallyResults &results, const Activity &activity, const QString &outDir);

/// A fresh directory next to `outDir` to write a tally into, swapped into place by
/// commit() so that no file of an earlier tally survives in `outDir`. Refuses an `outDir`
/// that holds anything but an earlier tally's output (error "out-not-tally").
class StagedOutput {
public:
    static Result<StagedOutput> create(const QString &outDir);
    StagedOutput(StagedOutput &&other) noexcept;
    StagedOutput &operator=(StagedOutput &&) = delete;
    ~StagedOutput(); ///< removes the staging directory if commit() was not reached
    QString path() const { return m_stage; }
    /// Replaces `outDir` with the staged directory (the old one is removed).
    Status commit();

private:
    StagedOutput(QString outDir, QString stage) : m_out(std::move(outDir)), m_stage(std::move(stage)) { }
    QString m_out;
    QString m_stage;
};

/// How many decimals make every two different weighted scores of a list print
/// differently (at least 2, at most 6), so that a printed table never shows equal
/// scores with different ranks.
int scoreDecimals(const QList<DepartmentResult> &departments);

/// Merges breakdown parts below `threshold` (parts with zero ballots are left out):
/// small ones form one "other" group, and while that group is still below the threshold
/// the smallest part shown joins it. Empty when nothing could be shown apart.
struct MergedPart {
    QStringList keys;
    qint64 count = 0;
    bool merged = false;
};
QList<MergedPart> mergeSmallParts(const QList<QPair<QString, qint64>> &parts, qint64 threshold);

/// One CSV field: quoted when needed; text a spreadsheet would run as a formula is
/// prefixed with an apostrophe.
QString csvField(const QString &value);

} // namespace pingyi::hq
