#pragma once
// The activity spec: the human-written description of one year's evaluation activity
// (group sessions and their departments, rating scale, questionnaire, discipline survey,
// suggestion topics, venues, representative categories, identity methods, tally rules).
// Format: docs/formats.md §Activity spec, schema docs/schemas/activity.schema.json.

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace pingyi {

struct RatingOption {
    QString code; ///< stable id stored in ballots, e.g. "satisfied"
    QString label; ///< 满意
    QString labelEn; ///< Satisfied
    int score = 0; ///< 0..100
};

struct Department {
    QString code; ///< stable id stored in ballots, unique across the activity
    QString name;
    QString nameEn;
};

struct GroupSession {
    QString code; ///< e.g. "econ"
    QString name;
    QString nameEn;
    QStringList venues; ///< venue codes where this session is held
    QList<Department> departments;
    // Optional schedule, for invitation cards and screens (all empty when the spec has none).
    QString date; ///< "YYYY-MM-DD"
    QString start; ///< "HH:MM", local time at every venue
    QString end; ///< "HH:MM", after start
    QString place; ///< where the reports are given, e.g. the main venue's hall
};

struct Choice {
    QString code;
    QString label;
    QString labelEn;
    /// Discipline survey: an answer the office must be warned about (someone instructed the
    /// representative, offered a gift, ...); the results report counts it on its first page.
    bool concern = false;
};

struct Question {
    enum class Kind { Single, Multiple };
    QString code;
    Kind kind = Kind::Single;
    QString text;
    QString textEn;
    bool required = true;
    int maxChoices = 1; ///< for Multiple; 1 for Single
    QList<Choice> choices;
};

struct SuggestionTopic {
    QString code;
    QString name;
    QString nameEn;
};

struct Venue {
    enum class Kind { Main, District };
    QString code;
    QString name;
    QString nameEn;
    Kind kind = Kind::District;
    QString address; ///< optional postal address, printed on invitation cards
};

/// One cell of a category's quota as a plan gives it: so many representatives at one venue,
/// in one group session or in any session held there.
struct QuotaCell {
    QString venue; ///< Venue::code
    QString session; ///< GroupSession::code, or empty: any session held at the venue
    int count = 0;
};

struct Category {
    QString code; ///< used in roster CSV, e.g. "d-community"
    QString name; ///< 社区（村）居民代表
    QString className; ///< 服务对象代表 / 社会各界代表 / 自愿报名
    QString level; ///< "city" (main venue) or "district" (split over district venues)
    int quota = 0; ///< planned number at scale 1.0 (the sum of `cells` when given)
    /// Quotas per venue (and session), spec "by_venue", in spec order; empty when the plan gives
    /// only the category's total (city level: all at the main venue; district level: anywhere
    /// among the district venues).
    QList<QuotaCell> cells;
};

/// A quota a roster is checked against (Activity::quotaCells()).
struct RosterQuota {
    QString category;
    QString venue; ///< empty: any venue of the category's level (a district total)
    QString session; ///< empty: any session held at the venue
    int count = 0;
};

/// How the office checks a roster at import and draws one (spec section "roster").
struct RosterRules {
    enum class Check { Warn, Refuse };
    /// A roster with a quota cell short or over: imported with a warning per cell, or refused.
    Check quotas = Check::Warn;
    /// Minimum share of representatives not on last year's roster, in percent (roster draw).
    int rotationFloor = 35;
};

/// How the office counts and what it publishes (spec section "tally", docs/formats.md).
struct TallyRules {
    /// A breakdown the results may show besides each group's totals.
    enum class Breakdown {
        Venue, ///< ratings and discipline survey per venue (departments_by_venue.csv)
        Category, ///< attendance per representative category
    };
    int anonymityThreshold = 10; ///< breakdowns with fewer ballots are merged, never shown
    int satisfiedThreshold = 80; ///< options scoring at least this count as satisfied (满意率)
    /// Departments of a group with equal weighted scores: they share a rank (1, 2, 2, 4), or
    /// the higher satisfaction rate ranks first (equal in both: shared).
    enum class RankTies { Shared, Satisfaction };
    RankTies rankTies = RankTies::Shared;
    /// Spec order, no repeats. Default: nothing but each group's totals over all venues (the
    /// most private; a plan that mixes the ballots of every venue publishes only those).
    QList<Breakdown> publish;
    bool publishes(Breakdown b) const { return publish.contains(b); }
};

/// How the kiosk decides on a face (spec section "face", docs/identity.md#matching). Used
/// only when identity_methods lists "face".
struct FaceRules {
    /// Euclidean distance between a probe and a template below which they are the same person.
    double threshold = 0.6;
    /// 1:N: the nearest representative must be at least this much nearer than the next one,
    /// else the kiosk refuses (ambiguous) and asks for another method.
    double margin = 0.05;
    /// Seconds a representative has for the head-turn liveness challenge.
    int livenessSeconds = 8;
    /// After an invitation card or an ID number, a representative with an enrolled face
    /// also passes the face check (1:1 against their own template, with the head turn);
    /// one without a template is let in by the card or number alone.
    bool verify = false;
};

struct Activity {
    QString id; ///< [a-z0-9-]{1,40}
    QString name;
    QString nameEn;
    int year = 0;
    /// IANA time zone of the schedule and of every time the office prints (spec "time_zone",
    /// default China Standard Time).
    QString timeZone = QStringLiteral("Asia/Shanghai");
    QList<RatingOption> scale;
    QList<GroupSession> sessions;
    QList<Venue> venues;
    QList<Category> categories;
    QList<Question> questionnaire;
    QList<Question> discipline;
    QList<SuggestionTopic> suggestionTopics;
    QStringList identityMethods; ///< subset of credential, id_number, face, override
    TallyRules tally;
    RosterRules roster;
    FaceRules face;

    QJsonObject source; ///< the parsed JSON object, kept to re-emit canonically

    /// Parses and validates a spec. On failure the error code is "spec-json" (syntax, with
    /// line and column) or "spec-invalid" (every problem on its own line as
    /// "<origin>: <json path>: <what is wrong>").
    static Result<Activity> fromJson(const QByteArray &json, const QString &origin);

    /// Compact JSON of `source` with sorted keys: the bytes that are embedded in packages
    /// and whose digest binds certificates and credentials to this activity.
    QByteArray canonicalJson() const;

    const GroupSession *session(const QString &code) const;
    const Venue *venue(const QString &code) const;
    const Category *category(const QString &code) const;
    const Department *department(const QString &code) const;
    bool sessionHeldAt(const QString &session, const QString &venue) const;

    /// Every quota a roster must meet, category by category in spec order: a category's
    /// `by_venue` cells, else its total at the main venue (city level) or over all district
    /// venues (district level, `venue` empty).
    QList<RosterQuota> quotaCells() const;

    /// Multi-line human summary for `pingyi-hq activity check` (Chinese names, English in
    /// brackets where given): sessions with department counts, scale, questions, venues.
    QString summary() const;
    /// Same content for `--json`.
    QJsonObject summaryJson() const;
};

} // namespace pingyi
