// The tally's counting: see counting.h.
#include "tally/counting.h"

#include "ballot.h"
#include "container.h"
#include "formats/batchstream.h"
#include "parallel.h"
#include "tallystore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstring>
#include <optional>
#include <sodium.h>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace pingyi::hq::tally {

namespace {

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
        if (ci < 0
            || std::find(m_choices->begin() + qsizetype(m_first), m_choices->end(), fq.base + ci) != m_choices->end())
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
    if (const qsizetype unpadded = fastDecode ? formats::unpaddedLength(plain, suggestionPadBlock) : -1;
        unpadded >= 0) {
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

} // namespace

Result<QList<BatchInfo>> importedBatches(Database &db, const Index &ix)
{
    auto rows = store::tallyBatches(db);
    if (!rows)
        return rows.error();
    QList<BatchInfo> batches;
    QHash<qint64, int> batchIndex;
    for (const store::TallyBatchRow &r : *rows) {
        BatchInfo b;
        b.id = r.id;
        b.ref.kiosk = r.kiosk;
        b.ref.venue = r.venue;
        b.ref.session = r.session;
        b.ref.file = r.file;
        b.ref.checkins = r.checkins;
        b.ref.ballots = r.ballots;
        b.ref.released = r.released;
        b.ref.suggestions = r.suggestions;
        b.ref.countedBallots = r.countedBallots;
        b.ref.countedSuggestions = r.countedSuggestions;
        b.ref.quarantined = r.quarantined;
        b.ref.status = r.status;
        for (const auto &f : QJsonDocument::fromJson(r.findings).array())
            b.ref.findings << f.toObject().value(QLatin1String("code")).toString();
        b.ref.closingReportChecked = r.closingReport;
        b.archiveFile = r.archiveFile;
        b.session = ix.session.value(b.ref.session, -1);
        b.venue = ix.venue.value(b.ref.venue, -1);
        batchIndex.insert(b.id, int(batches.size()));
        batches.append(b);
    }
    // The records counted at import, as sorted id lists; the sealed bytes come from the
    // archived files.
    if (auto s
        = store::forEachBatchRecordIds(db,
                                       [&](qint64 id, const QByteArray &ballotIds, const QByteArray &suggestionIds) {
                                           const int b = batchIndex.value(id, -1);
                                           if (b < 0)
                                               return;
                                           batches[b].ballotIds = ballotIds;
                                           batches[b].suggestionIds = suggestionIds;
                                           batches[b].records = ballotIds.size() / 32 + suggestionIds.size() / 32;
                                       });
        !s)
        return s.error();
    return batches;
}

Result<QList<QuarantineRef>> quarantinedRecords(Database &db)
{
    auto rows = store::tallyQuarantined(db);
    if (!rows)
        return rows.error();
    QList<QuarantineRef> out;
    for (const store::TallyQuarantineRow &q : *rows)
        out.append({q.kind == int(RecordKind::Ballot) ? QStringLiteral("ballot") : QStringLiteral("suggestion"),
                    q.session, q.venue, q.kiosk, q.code, q.countedByKiosk});
    return out;
}

Result<Counted> countRecords(const Activity &activity, const Index &ix, const QList<BatchInfo> &batches,
                             const crypto::BoxKeyPair &election, const QString &archiveDir, const TallyOptions &options)
{
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
    const QDir archive(archiveDir);
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

    Counted out;
    out.cells.resize(std::size_t(cells));
    for (Acc &a : out.cells)
        a.init(ix);
    for (const WorkerState &w : workers) {
        for (int c = 0; c < cells; ++c)
            out.cells[std::size_t(c)].add(w.cells[std::size_t(c)]);
        out.rejected += w.rejected;
        out.suggestions += w.suggestions;
    }
    std::sort(out.rejected.begin(), out.rejected.end(), [](const RejectedRecord &a, const RejectedRecord &b) {
        return std::tie(a.session, a.venue, a.kiosk, a.code, a.recordId)
            < std::tie(b.session, b.venue, b.kiosk, b.code, b.recordId);
    });
    // Follow-up order: group, department, topic, then the random reference.
    std::sort(out.suggestions.begin(), out.suggestions.end(), [](const SuggestionRow &a, const SuggestionRow &b) {
        return std::tie(a.session, a.department, a.topic, a.ref) < std::tie(b.session, b.department, b.topic, b.ref);
    });

    return out;
}

} // namespace pingyi::hq::tally
