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

/// Codes to dense indices, built once and shared read-only by the worker threads.
struct Questions {
    QHash<QString, int> question;
    QList<QHash<QString, int>> choice; ///< per question: choice code -> flat index
    int choices = 0;

    explicit Questions(const QList<Question> &list)
    {
        for (const Question &q : list) {
            question.insert(q.code, int(choice.size()));
            QHash<QString, int> c;
            for (const Choice &ch : q.choices)
                c.insert(ch.code, choices++);
            choice.append(c);
        }
    }
};

struct Index {
    QHash<QString, int> option;
    QList<int> score;
    QList<bool> satisfied;
    QHash<QString, int> session;
    QList<QHash<QString, int>> department; ///< per session
    QHash<QString, int> venue;
    Questions questionnaire;
    Questions discipline;
    int maxDepartments = 0;

    explicit Index(const Activity &a) : questionnaire(a.questionnaire), discipline(a.discipline)
    {
        for (const RatingOption &o : a.scale) {
            option.insert(o.code, int(score.size()));
            score.append(o.score);
            satisfied.append(isSatisfied(o, a.tally.satisfiedThreshold));
        }
        for (const GroupSession &s : a.sessions) {
            session.insert(s.code, int(department.size()));
            QHash<QString, int> d;
            for (const Department &dep : s.departments)
                d.insert(dep.code, int(d.size()));
            department.append(d);
            maxDepartments = std::max(maxDepartments, int(s.departments.size()));
        }
        for (const Venue &v : a.venues)
            venue.insert(v.code, int(venue.size()));
    }
};

/// Counts for one (group, venue) cell.
struct Acc {
    qint64 ballots = 0;
    std::vector<qint64> ratings; ///< department * options + option
    std::vector<qint64> qAnswered, qChoice, dAnswered, dChoice;

    void init(const Index &ix)
    {
        ratings.assign(std::size_t(ix.maxDepartments * ix.score.size()), 0);
        qAnswered.assign(std::size_t(ix.questionnaire.choice.size()), 0);
        qChoice.assign(std::size_t(ix.questionnaire.choices), 0);
        dAnswered.assign(std::size_t(ix.discipline.choice.size()), 0);
        dChoice.assign(std::size_t(ix.discipline.choices), 0);
    }
    void add(const Acc &o)
    {
        ballots += o.ballots;
        auto sum = [](std::vector<qint64> &a, const std::vector<qint64> &b) {
            for (std::size_t i = 0; i < a.size(); ++i)
                a[i] += b[i];
        };
        sum(ratings, o.ratings);
        sum(qAnswered, o.qAnswered);
        sum(qChoice, o.qChoice);
        sum(dAnswered, o.dAnswered);
        sum(dChoice, o.dChoice);
    }
};

/// The codes a ballot may contain, as bytes, for the fast path below.
struct FastIndex {
    struct Q {
        std::string code;
        std::vector<std::string> choices;
        int max = 1;
        bool required = true;
        int base = 0; ///< flat index of the first choice (as in Questions)
    };
    std::string activity;
    std::vector<std::string> options;
    std::vector<std::string> sessions;
    std::vector<std::vector<std::string>> departments;
    std::vector<Q> questionnaire, discipline;

    explicit FastIndex(const Activity &a) : activity(a.id.toStdString())
    {
        for (const RatingOption &o : a.scale)
            options.push_back(o.code.toStdString());
        for (const GroupSession &s : a.sessions) {
            sessions.push_back(s.code.toStdString());
            std::vector<std::string> d;
            for (const Department &dep : s.departments)
                d.push_back(dep.code.toStdString());
            departments.push_back(std::move(d));
        }
        auto questions = [](const QList<Question> &list, std::vector<Q> &out) {
            int base = 0;
            for (const Question &q : list) {
                Q x {q.code.toStdString(), {}, q.kind == Question::Kind::Single ? 1 : q.maxChoices, q.required, base};
                for (const Choice &c : q.choices)
                    x.choices.push_back(c.code.toStdString());
                base += int(q.choices.size());
                out.push_back(std::move(x));
            }
        };
        questions(a.questionnaire, questionnaire);
        questions(a.discipline, discipline);
    }
};

int indexOf(const std::vector<std::string> &list, std::string_view s)
{
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i] == s)
            return int(i);
    return -1;
}

/// Per-worker scratch space, reused from ballot to ballot.
struct Scratch {
    std::vector<int> rated;
    std::vector<char> seen;
    std::vector<int> qAnswered, dAnswered;
    std::vector<int> qChoices, dChoices; ///< flat choice indices
};

/// The tally's visitor of formats::readBallot: counts a ballot for `session` straight from
/// its bytes, with the checks of validateBallot. Rejecting anything (nothing is counted
/// then) leaves the ballot to the core decoder and validator, which decide and explain.
class BallotCounter {
public:
    BallotCounter(const FastIndex &fx, int session, Scratch &s) : m_fx(fx), m_session(std::size_t(session)), m_s(s) { }

    bool activity(std::string_view v) const { return v == m_fx.activity; }
    bool beginAnswers(formats::AnswerPart part)
    {
        const bool d = part == formats::AnswerPart::Discipline;
        m_qs = d ? &m_fx.discipline : &m_fx.questionnaire;
        m_answered = d ? &m_s.dAnswered : &m_s.qAnswered;
        m_choices = d ? &m_s.dChoices : &m_s.qChoices;
        m_s.seen.assign(m_qs->size(), 0);
        m_answered->clear();
        m_choices->clear();
        return true;
    }
    bool question(std::string_view key)
    {
        m_q = -1;
        for (std::size_t i = 0; i < m_qs->size() && m_q < 0; ++i)
            if ((*m_qs)[i].code == key)
                m_q = int(i);
        if (m_q < 0 || m_s.seen[std::size_t(m_q)])
            return false;
        m_s.seen[std::size_t(m_q)] = 1;
        m_first = m_choices->size();
        return true;
    }
    bool choice(std::string_view code)
    {
        const FastIndex::Q &fq = (*m_qs)[std::size_t(m_q)];
        const int ci = indexOf(fq.choices, code);
        if (ci < 0 || std::find(m_choices->begin() + qsizetype(m_first), m_choices->end(), fq.base + ci) != m_choices->end())
            return false;
        m_choices->push_back(fq.base + ci);
        return true;
    }
    bool endQuestion()
    {
        const FastIndex::Q &fq = (*m_qs)[std::size_t(m_q)];
        const std::size_t n = m_choices->size() - m_first;
        if (n > std::size_t(fq.max) || (n == 0 && fq.required))
            return false;
        if (n > 0)
            m_answered->push_back(m_q);
        return true;
    }
    bool endAnswers() const
    {
        for (std::size_t q = 0; q < m_qs->size(); ++q)
            if ((*m_qs)[q].required && !m_s.seen[q])
                return false;
        return true;
    }
    bool beginRatings()
    {
        m_s.rated.assign(m_fx.departments[m_session].size(), -1);
        m_rated = 0;
        return true;
    }
    bool rating(std::string_view dept, std::string_view option)
    {
        const int d = indexOf(m_fx.departments[m_session], dept);
        const int o = indexOf(m_fx.options, option);
        if (d < 0 || o < 0 || m_s.rated[std::size_t(d)] >= 0)
            return false;
        m_s.rated[std::size_t(d)] = o;
        ++m_rated;
        return true;
    }
    bool endRatings() const { return m_rated == m_fx.departments[m_session].size(); }
    bool session(std::string_view v) const { return v == m_fx.sessions[m_session]; }
    bool version(int v) const { return v == formats::ballotVersion; }

    /// Adds the ballot read (and accepted) to `acc`.
    void addTo(Acc &acc) const
    {
        const std::size_t options = m_fx.options.size();
        ++acc.ballots;
        for (std::size_t d = 0; d < m_s.rated.size(); ++d)
            ++acc.ratings[d * options + std::size_t(m_s.rated[d])];
        for (int q : m_s.qAnswered)
            ++acc.qAnswered[std::size_t(q)];
        for (int ch : m_s.qChoices)
            ++acc.qChoice[std::size_t(ch)];
        for (int q : m_s.dAnswered)
            ++acc.dAnswered[std::size_t(q)];
        for (int ch : m_s.dChoices)
            ++acc.dChoice[std::size_t(ch)];
    }

private:
    const FastIndex &m_fx;
    std::size_t m_session;
    Scratch &m_s;
    const std::vector<FastIndex::Q> *m_qs = nullptr;
    std::vector<int> *m_answered = nullptr;
    std::vector<int> *m_choices = nullptr;
    int m_q = -1;
    std::size_t m_first = 0;
    std::size_t m_rated = 0;
};

/// Counts a ballot for `session` through BallotCounter; false (nothing counted) otherwise.
bool fastCount(const FastIndex &fx, QByteArrayView json, int session, Acc &acc, Scratch &s)
{
    BallotCounter counter(fx, session, s);
    if (!formats::readBallot(json, counter))
        return false;
    counter.addTo(acc);
    return true;
}

/// A canonical suggestion (formats::readSuggestion) of this activity, read straight from its
/// bytes; anything else is left to the core decoder.
std::optional<Suggestion> fastSuggestion(const FastIndex &fx, QByteArrayView json)
{
    const auto f = formats::readSuggestion(json);
    if (!f || f->activity != fx.activity || f->version != formats::suggestionVersion)
        return std::nullopt;
    auto str = [](std::string_view v) {
        return QString::fromLatin1(v.data(), qsizetype(v.size()));
    };
    return Suggestion {str(f->session), str(f->topic), str(f->department),
                       QString::fromUtf8(f->text.data(), qsizetype(f->text.size()))};
}

struct BatchInfo {
    qint64 id = 0;
    int session = -1; ///< index into the activity's sessions; -1 unknown
    int venue = -1;
    BatchRef ref;
    QString archiveFile;
    qint64 records = 0; ///< records counted at import
    QByteArray ballotIds, suggestionIds; ///< counted at import: sorted, 32 bytes each
};

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

void countAnswers(const Questions &qs, const QMap<QString, QStringList> &answers, std::vector<qint64> &answered,
                  std::vector<qint64> &choice)
{
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        const int q = qs.question.value(it.key(), -1);
        if (q < 0 || it.value().isEmpty())
            continue;
        ++answered[std::size_t(q)];
        for (const QString &c : it.value()) {
            const int ci = qs.choice[q].value(c, -1);
            if (ci >= 0)
                ++choice[std::size_t(ci)];
        }
    }
}

struct WorkerState {
    crypto::SecretBytes plain;
    QByteArray file; ///< the archived batch being read (reused)
    std::vector<unsigned char> chunk; ///< its decrypted stream chunk (reused, wiped after use)
    Scratch scratch;
    std::vector<Acc> cells;
    QList<RejectedRecord> rejected;
    QList<SuggestionRow> suggestions;
};

/// The records of an archived batch, opened with the election key and read straight from
/// its bytes into a reused buffer (the format of docs/formats.md §Batch, with the checks of
/// core decryptBatch: the stream authenticates chunk by chunk to its final chunk, records
/// before the check-in list, the audit log last). `fn(kind, sealed)` gets each record; the
/// view is valid until it returns. Errors name what is wrong for the caller's message.
template<typename Fn>
Status forEachRecord(QByteArrayView bytes, const crypto::BoxKeyPair &election, std::vector<unsigned char> &buf, Fn &&fn)
{
    auto bad = [](const QString &what) {
        return makeError(QStringLiteral("tally-archive"), what);
    };
    auto c = readContainer(bytes, formats::batchMagic, formats::batchContainerVersion, 2, QStringLiteral("batch"),
                           QStringLiteral("session batch"));
    if (!c)
        return c.error();
    const QByteArrayView header = c->sections[0], stream = c->sections[1];
    const QJsonObject keys
        = QJsonDocument::fromJson(header.toByteArray()).object().value(QLatin1String("sealed_key")).toObject();
    auto fileKey = crypto::openSealed(
        election, QByteArray::fromBase64(keys.value(QLatin1String("election")).toString().toLatin1()));
    if (!fileKey || fileKey->size() != crypto::symmetricKeyBytes)
        return bad(QStringLiteral("its file key does not open"));
    struct Records : formats::BatchStreamVisitor {
        Fn &fn;
        explicit Records(Fn &f) : fn(f) { }
        void record(RecordKind kind, QByteArrayView sealed, QByteArrayView) override { fn(kind, sealed); }
        Status checkIns(QByteArrayView) override { return {}; }
        void audit(QByteArrayView) override { }
    } records(fn);
    using P = formats::BatchStreamProblem;
    switch (formats::readBatchStream(header, stream, *fileKey, buf, records).problem) {
    case P::None:
    case P::Visitor:
        return {};
    case P::Header:
        return bad(QStringLiteral("its record stream is damaged"));
    case P::Truncated:
        return bad(QStringLiteral("its record stream is truncated"));
    case P::Authentication:
        return bad(QStringLiteral("its record stream does not authenticate"));
    case P::EmptyChunk:
        return bad(QStringLiteral("its record stream holds an empty section"));
    case P::RecordAfterList:
        return bad(QStringLiteral("its record stream is out of order"));
    case P::MalformedRecord:
        return bad(QStringLiteral("its record stream holds a malformed record"));
    case P::Unexpected:
        return bad(QStringLiteral("its record stream holds an unexpected section"));
    case P::TrailingData:
    case P::NoCheckIns:
        break;
    }
    return bad(QStringLiteral("its record stream does not end where it should"));
}

/// Position of `id` in a sorted list of 32-byte ids, or -1.
qsizetype findId(QByteArrayView list, const unsigned char *id)
{
    qsizetype lo = 0, hi = list.size() / 32;
    while (lo < hi) {
        const qsizetype mid = (lo + hi) / 2;
        const int c = std::memcmp(list.data() + mid * 32, id, 32);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/// Opens one counted record with the election key and counts it into `w`; a record that
/// cannot be counted is listed as rejected (with its id, for hq.db only).
template<typename Ref>
void openRecord(const Activity &activity, const Index &ix, const FastIndex &fx, const crypto::BoxKeyPair &election,
                bool fastDecode, const BatchInfo &b, RecordKind kind, QByteArrayView sealed, QByteArrayView id,
                WorkerState &w, const Ref &reference)
{
    const bool isBallot = kind == RecordKind::Ballot;
    auto reject = [&](const char *code, const QString &message) {
        w.rejected.append({isBallot ? QStringLiteral("ballot") : QStringLiteral("suggestion"), b.ref.session,
                           b.ref.venue, b.ref.kiosk, QLatin1String(code), message, id.toByteArray()});
    };
    const qsizetype plainSize = sealed.size() - qsizetype(crypto_box_SEALBYTES);
    // Opened records go into one guarded buffer per worker (wiped when freed), instead of
    // a fresh guarded allocation per record.
    if (plainSize > 0 && w.plain.size() < std::size_t(plainSize))
        w.plain = crypto::SecretBytes(std::size_t(std::max<qsizetype>(plainSize, 4096)));
    if (plainSize < 0
        || crypto_box_seal_open(
               w.plain.data(), reinterpret_cast<const unsigned char *>(sealed.data()), std::size_t(sealed.size()),
               reinterpret_cast<const unsigned char *>(election.publicKey().constData()), election.secret().data())
            != 0) {
        reject("tally-decrypt", QStringLiteral("the record does not open with the election key"));
        return;
    }
    const QByteArrayView plain(reinterpret_cast<const char *>(w.plain.data()), plainSize);
    QString activityId;
    const qsizetype venues = activity.venues.size();
    if (isBallot) {
        const qsizetype unpadded = fastDecode ? formats::unpaddedLength(plain, ballotPadBlock) : -1;
        if (unpadded >= 0 && b.session >= 0 && b.venue >= 0
            && fastCount(fx, plain.first(unpadded), b.session, w.cells[std::size_t(b.session * venues + b.venue)],
                         w.scratch))
            return;
        auto ballot = decodeBallot(plain, &activityId);
        if (!ballot) {
            reject("tally-format", ballot.error().message);
            return;
        }
        if (activityId != activity.id) {
            reject("tally-activity", QStringLiteral("the ballot is for activity %1").arg(activityId));
            return;
        }
        if (ballot->session != b.ref.session || b.session < 0 || b.venue < 0) {
            reject("tally-session",
                   QStringLiteral("the ballot is for group %1, the batch for group %2")
                       .arg(ballot->session, b.ref.session));
            return;
        }
        if (auto v = validateBallot(activity, *ballot); !v) {
            reject("tally-invalid", v.error().message);
            return;
        }
        Acc &a = w.cells[std::size_t(b.session * venues + b.venue)];
        ++a.ballots;
        const QHash<QString, int> &depts = ix.department[b.session];
        const qsizetype optionCount = ix.score.size();
        for (auto it = ballot->ratings.cbegin(); it != ballot->ratings.cend(); ++it)
            ++a.ratings[std::size_t(depts.value(it.key()) * optionCount + ix.option.value(it.value()))];
        countAnswers(ix.questionnaire, ballot->questionnaire, a.qAnswered, a.qChoice);
        countAnswers(ix.discipline, ballot->discipline, a.dAnswered, a.dChoice);
        return;
    }
    if (const qsizetype unpadded = fastDecode ? formats::unpaddedLength(plain, suggestionPadBlock) : -1; unpadded >= 0) {
        if (auto fast = fastSuggestion(fx, plain.first(unpadded));
            fast && fast->session == b.ref.session && validateSuggestion(activity, *fast)) {
            w.suggestions.append({fast->session, fast->topic, fast->department, fast->text.trimmed(), reference(id)});
            return;
        }
    }
    auto s = decodeSuggestion(plain, &activityId);
    if (!s) {
        reject("tally-format", s.error().message);
        return;
    }
    if (activityId != activity.id) {
        reject("tally-activity", QStringLiteral("the suggestion is for activity %1").arg(activityId));
        return;
    }
    if (s->session != b.ref.session) {
        reject("tally-session",
               QStringLiteral("the suggestion is for group %1, the batch for group %2").arg(s->session, b.ref.session));
        return;
    }
    if (auto v = validateSuggestion(activity, *s); !v) {
        reject("tally-invalid", v.error().message);
        return;
    }
    w.suggestions.append({s->session, s->topic, s->department, s->text.trimmed(), reference(id)});
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

    // ---- open every record on every core ------------------------------------------
    // One batch at a time per worker: its archived copy opened with the election key, and
    // of its records exactly those that import counted, matched by id (the hash of the
    // sealed bytes), so nothing in a replaced or damaged copy can be counted; a missing
    // one is an error. Each counted record is opened and counted straight away.
    const int threads = workerThreads(options.threads);
    const int cells = int(activity.sessions.size() * activity.venues.size());
    std::vector<WorkerState> workers(static_cast<std::size_t>(threads));
    for (WorkerState &w : workers) {
        w.cells.resize(std::size_t(cells));
        for (Acc &a : w.cells)
            a.init(ix);
    }
    const FastIndex fx(activity);
    // Follow-up references are keyed hashes of the record ids under a key that exists only
    // for this tally: they cannot be matched to the ids stored per batch in hq.db.
    const crypto::SecretBytes refKey = crypto::SecretBytes::random(crypto::symmetricKeyBytes);
    auto reference = [&](QByteArrayView id) {
        return QString::fromLatin1(crypto::keyedHash(refKey, id, 16).toHex().left(16));
    };
    std::vector<std::optional<Error>> problems(static_cast<std::size_t>(batches.size()));
    const QDir archive(hq.filePath(Hq::batchesDir));
    parallelFor(
        batches.size(), threads,
        [&](qsizetype begin, qsizetype end, int worker) {
            WorkerState &w = workers[std::size_t(worker)];
            for (qsizetype i = begin; i < end; ++i) {
                const BatchInfo &b = batches[i];
                auto fail = [&](const QString &what) {
                    problems[std::size_t(i)] = makeError(
                        QStringLiteral("tally-archive"),
                        QStringLiteral(
                            "the archived copy %1 of the batch of kiosk %2, group %3 %4: import the original "
                            "batch file again (it restores the copy), then tally again")
                            .arg(archive.filePath(b.archiveFile), b.ref.kiosk, b.ref.session, what));
                };
                // The worker's buffer is reused from batch to batch (no fresh pages per file).
                QFile in(archive.filePath(b.archiveFile));
                if (!in.open(QIODevice::ReadOnly)) {
                    fail(QStringLiteral("cannot be read"));
                    continue;
                }
                w.file.resize(in.size());
                if (in.read(w.file.data(), w.file.size()) != w.file.size()) {
                    fail(QStringLiteral("cannot be read"));
                    continue;
                }
                // Exactly the records import counted, each once, matched by id (the hash of
                // the sealed bytes) in this batch's own sorted lists.
                std::vector<char> taken(std::size_t(b.records), 0);
                qint64 found = 0;
                const qsizetype ballots = b.ballotIds.size() / 32;
                const Status read
                    = forEachRecord(w.file, election, w.chunk, [&](RecordKind kind, QByteArrayView sealed) {
                          unsigned char id[32];
                          crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char *>(sealed.data()),
                                             std::size_t(sealed.size()), nullptr, 0);
                          const bool ballot = kind == RecordKind::Ballot;
                          qsizetype at = findId(ballot ? b.ballotIds : b.suggestionIds, id);
                          if (at < 0)
                              return;
                          at += ballot ? 0 : ballots;
                          if (taken[std::size_t(at)])
                              return; // a second copy: quarantined at import, never counted
                          taken[std::size_t(at)] = 1;
                          ++found;
                          openRecord(activity, ix, fx, election, options.fastDecode, b, kind, sealed,
                                     QByteArrayView(reinterpret_cast<const char *>(id), 32), w, reference);
                      });
                sodium_memzero(w.chunk.data(), w.chunk.size());
                if (!read) {
                    fail(QStringLiteral("cannot be opened with the election key (%1)").arg(read.error().message));
                    continue;
                }
                const qint64 taken_ = found;
                if (taken_ != b.records)
                    fail(QStringLiteral("holds %1 of the %2 records counted at import").arg(taken_).arg(b.records));
            }
        },
        1);
    for (const std::optional<Error> &e : problems)
        if (e)
            return *e;

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

    std::vector<Acc> cell(static_cast<std::size_t>(cells));
    for (Acc &a : cell)
        a.init(ix);
    for (const WorkerState &w : workers) {
        for (int c = 0; c < cells; ++c)
            cell[std::size_t(c)].add(w.cells[std::size_t(c)]);
        res.rejected += w.rejected;
        res.suggestions += w.suggestions;
    }
    std::sort(res.rejected.begin(), res.rejected.end(), [](const RejectedRecord &a, const RejectedRecord &b) {
        return std::tie(a.session, a.venue, a.kiosk, a.code, a.recordId)
            < std::tie(b.session, b.venue, b.kiosk, b.code, b.recordId);
    });
    // Follow-up order: group, department, topic, then the random reference.
    std::sort(res.suggestions.begin(), res.suggestions.end(), [](const SuggestionRow &a, const SuggestionRow &b) {
        return std::tie(a.session, a.department, a.topic, a.ref) < std::tie(b.session, b.department, b.topic, b.ref);
    });

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

bool isSatisfied(const RatingOption &option, int satisfiedThreshold) { return option.score >= satisfiedThreshold; }

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
                   {QStringLiteral("definitions"), definitions(scale, threshold, satisfiedThreshold)},
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
