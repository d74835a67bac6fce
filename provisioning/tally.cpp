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

} // namespace pingyi::hq
