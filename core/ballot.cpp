#include "ballot.h"

#include "codec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>
#include <sodium.h>

namespace pingyi {

namespace {

Error invalid(const QString &code, const QString &message)
{
    return makeError(code, message);
}

Status validateAnswers(const QList<Question> &questions, const QMap<QString, QStringList> &answers, const QString &part)
{
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        const auto q
            = std::find_if(questions.cbegin(), questions.cend(), [&](const Question &x) { return x.code == it.key(); });
        if (q == questions.cend())
            return invalid(QStringLiteral("ballot-invalid"),
                           QStringLiteral("%1: unknown question %2").arg(part, it.key()));
    }
    for (const Question &q : questions) {
        const QStringList chosen = answers.value(q.code);
        if (chosen.isEmpty()) {
            if (q.required)
                return invalid(QStringLiteral("ballot-incomplete"),
                               QStringLiteral("%1: question %2 is not answered").arg(part, q.code));
            continue;
        }
        const int max = q.kind == Question::Kind::Single ? 1 : q.maxChoices;
        if (chosen.size() > max)
            return invalid(QStringLiteral("ballot-invalid"),
                           QStringLiteral("%1: question %2 allows at most %3 choice(s)").arg(part, q.code).arg(max));
        if (QSet<QString>(chosen.cbegin(), chosen.cend()).size() != chosen.size())
            return invalid(QStringLiteral("ballot-invalid"),
                           QStringLiteral("%1: question %2 repeats a choice").arg(part, q.code));
        for (const QString &c : chosen) {
            if (std::none_of(q.choices.cbegin(), q.choices.cend(), [&](const Choice &x) { return x.code == c; }))
                return invalid(QStringLiteral("ballot-invalid"),
                               QStringLiteral("%1: question %2 has no choice %3").arg(part, q.code, c));
        }
    }
    return {};
}

QJsonObject answersToJson(const QMap<QString, QStringList> &answers)
{
    QJsonObject o;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        QStringList sorted = it.value();
        sorted.sort(); // canonical: order of taps must not show in the sealed bytes
        o.insert(it.key(), QJsonArray::fromStringList(sorted));
    }
    return o;
}

bool answersFromJson(const QJsonValue &v, QMap<QString, QStringList> *out)
{
    if (!v.isObject())
        return false;
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isArray())
            return false;
        QStringList list;
        for (const QJsonValue &c : it.value().toArray()) {
            if (!c.isString())
                return false;
            list << c.toString();
        }
        out->insert(it.key(), list);
    }
    return true;
}

/// ISO/IEC 7816-4 padding to the next multiple of `block` above the length, and at least to
/// `atLeast`.
QByteArray pad(QByteArray plain, std::size_t block, std::size_t atLeast = 0)
{
    const std::size_t unpadded = std::size_t(plain.size());
    plain.resize(qsizetype(std::max((unpadded / block + 1) * block, atLeast)));
    block = std::size_t(plain.size()); // one block: the marker may sit anywhere in it
    std::size_t padded = 0;
    sodium_pad(&padded, reinterpret_cast<unsigned char *>(plain.data()), unpadded, block, std::size_t(plain.size()));
    plain.resize(qsizetype(padded));
    return plain;
}

Result<QJsonObject> unpadJson(QByteArrayView padded, std::size_t block, const QString &what)
{
    // The plaintext is one padding block of a multiple of `block` (see pad()).
    std::size_t unpadded = 0;
    if (padded.isEmpty() || std::size_t(padded.size()) % block != 0
        || sodium_unpad(&unpadded, reinterpret_cast<const unsigned char *>(padded.data()), std::size_t(padded.size()),
                        std::size_t(padded.size()))
            != 0)
        return makeError(what + QStringLiteral("-format"), QStringLiteral("the %1's padding is damaged").arg(what));
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(padded.first(qsizetype(unpadded)).toByteArray(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(what + QStringLiteral("-format"), QStringLiteral("the %1 is not valid JSON").arg(what));
    return doc.object();
}

QByteArray ballotJson(const QString &activityId, const BallotAnswers &b)
{
    QJsonObject ratings;
    for (auto it = b.ratings.cbegin(); it != b.ratings.cend(); ++it)
        ratings.insert(it.key(), it.value());
    const QJsonObject o {{QStringLiteral("v"), formats::ballotVersion},
                         {QStringLiteral("activity"), activityId},
                         {QStringLiteral("session"), b.session},
                         {QStringLiteral("ratings"), ratings},
                         {QStringLiteral("questionnaire"), answersToJson(b.questionnaire)},
                         {QStringLiteral("discipline"), answersToJson(b.discipline)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray suggestionJson(const QString &activityId, const Suggestion &s)
{
    const QJsonObject o {{QStringLiteral("v"), formats::suggestionVersion},
                         {QStringLiteral("activity"), activityId},
                         {QStringLiteral("session"), s.session},
                         {QStringLiteral("topic"), s.topic},
                         {QStringLiteral("department"), s.department},
                         {QStringLiteral("text"), s.text.trimmed()}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/// The longest choices of a question, as many as it allows (codes are what a ballot carries).
QStringList longestChoices(const Question &q)
{
    QStringList codes;
    for (const Choice &c : q.choices)
        codes << c.code;
    std::stable_sort(codes.begin(), codes.end(),
                     [](const QString &a, const QString &b) { return a.toUtf8().size() > b.toUtf8().size(); });
    return codes.mid(0, q.kind == Question::Kind::Single ? 1 : q.maxChoices);
}

QString latin1(std::string_view v)
{
    return QString::fromLatin1(v.data(), qsizetype(v.size()));
}

/// The visitor of formats::readBallot that builds BallotAnswers. It accepts only what the
/// JSON reader would read the same way (no question or department twice).
struct AnswersBuilder {
    BallotAnswers answers;
    QString activityId;
    QMap<QString, QStringList> *part = nullptr;
    QStringList *current = nullptr;

    bool activity(std::string_view v)
    {
        activityId = latin1(v);
        return true;
    }
    bool beginAnswers(formats::AnswerPart p)
    {
        part = p == formats::AnswerPart::Discipline ? &answers.discipline : &answers.questionnaire;
        return true;
    }
    bool question(std::string_view code)
    {
        const QString key = latin1(code);
        if (part->contains(key))
            return false;
        current = &part->insert(key, {}).value();
        return true;
    }
    bool choice(std::string_view code)
    {
        current->append(latin1(code));
        return true;
    }
    bool endQuestion() { return true; }
    bool endAnswers() { return true; }
    bool beginRatings() { return true; }
    bool rating(std::string_view dept, std::string_view option)
    {
        const QString key = latin1(dept);
        if (answers.ratings.contains(key))
            return false;
        answers.ratings.insert(key, latin1(option));
        return true;
    }
    bool endRatings() { return true; }
    bool session(std::string_view v)
    {
        answers.session = latin1(v);
        return true;
    }
    bool version(int v) { return v == formats::ballotVersion; }
};

} // namespace

Status validateBallot(const Activity &activity, const BallotAnswers &ballot)
{
    const GroupSession *session = activity.session(ballot.session);
    if (!session)
        return invalid(QStringLiteral("ballot-session"),
                       QStringLiteral("unknown group session %1").arg(ballot.session));
    for (auto it = ballot.ratings.cbegin(); it != ballot.ratings.cend(); ++it) {
        if (std::none_of(session->departments.cbegin(), session->departments.cend(),
                         [&](const Department &d) { return d.code == it.key(); }))
            return invalid(QStringLiteral("ballot-invalid"),
                           QStringLiteral("department %1 is not in group %2").arg(it.key(), session->code));
        if (std::none_of(activity.scale.cbegin(), activity.scale.cend(),
                         [&](const RatingOption &o) { return o.code == it.value(); }))
            return invalid(QStringLiteral("ballot-invalid"),
                           QStringLiteral("rating %1 is not on the scale").arg(it.value()));
    }
    for (const Department &d : session->departments) {
        if (!ballot.ratings.contains(d.code))
            return invalid(QStringLiteral("ballot-incomplete"),
                           QStringLiteral("department %1 (%2) is not rated").arg(d.code, d.name));
    }
    if (auto s = validateAnswers(activity.questionnaire, ballot.questionnaire, QStringLiteral("questionnaire")); !s)
        return s;
    return validateAnswers(activity.discipline, ballot.discipline, QStringLiteral("discipline survey"));
}

Status validateSuggestion(const Activity &activity, const Suggestion &s)
{
    const GroupSession *session = activity.session(s.session);
    auto bad = [](const QString &m) {
        return Status(invalid(QStringLiteral("suggestion-invalid"), m));
    };
    if (!session)
        return bad(QStringLiteral("unknown group session %1").arg(s.session));
    if (std::none_of(activity.suggestionTopics.cbegin(), activity.suggestionTopics.cend(),
                     [&](const SuggestionTopic &t) { return t.code == s.topic; }))
        return bad(QStringLiteral("unknown suggestion topic %1").arg(s.topic));
    if (!s.department.isEmpty()
        && std::none_of(session->departments.cbegin(), session->departments.cend(),
                        [&](const Department &d) { return d.code == s.department; }))
        return bad(QStringLiteral("department %1 is not in group %2").arg(s.department, s.session));
    const QString text = s.text.trimmed();
    if (text.isEmpty())
        return bad(QStringLiteral("the suggestion is empty"));
    if (text.size() > maxSuggestionChars)
        return bad(QStringLiteral("the suggestion is longer than %1 characters").arg(maxSuggestionChars));
    // Every sealed suggestion has one size: the encoding must fit one padding block.
    if (suggestionJson(activity.id, s).size() >= suggestionPadBlock)
        return bad(QStringLiteral(
            "the suggestion is too long once encoded (it has many special characters): please shorten it"));
    return {};
}

QByteArray encodeBallot(const QString &activityId, const BallotAnswers &b, qsizetype paddedSize)
{
    return pad(ballotJson(activityId, b), std::size_t(ballotPadBlock), std::size_t(paddedSize));
}

qsizetype ballotPlaintextSize(const Activity &activity)
{
    qsizetype largest = 0;
    for (const GroupSession &g : activity.sessions) {
        BallotAnswers b;
        b.session = g.code;
        QString longestOption;
        for (const RatingOption &o : activity.scale)
            if (o.code.toUtf8().size() > longestOption.toUtf8().size())
                longestOption = o.code;
        for (const Department &d : g.departments)
            b.ratings.insert(d.code, longestOption);
        for (const Question &q : activity.questionnaire)
            b.questionnaire.insert(q.code, longestChoices(q));
        for (const Question &q : activity.discipline)
            b.discipline.insert(q.code, longestChoices(q));
        largest = std::max(largest, ballotJson(activity.id, b).size());
    }
    return (largest / ballotPadBlock + 1) * ballotPadBlock;
}

QByteArray encodeSuggestion(const QString &activityId, const Suggestion &s)
{
    return pad(suggestionJson(activityId, s), std::size_t(suggestionPadBlock));
}

Result<BallotAnswers> decodeBallot(QByteArrayView plaintext, QString *activityId)
{
    // The canonical form (everything a kiosk writes) straight from its bytes; anything else,
    // and every error, through the JSON reader below.
    if (const qsizetype unpadded = formats::unpaddedLength(plaintext, ballotPadBlock); unpadded >= 0) {
        AnswersBuilder builder;
        if (formats::readBallot(plaintext.first(unpadded), builder)) {
            if (activityId)
                *activityId = builder.activityId;
            return std::move(builder.answers);
        }
    }
    auto o = unpadJson(plaintext, std::size_t(ballotPadBlock), QStringLiteral("ballot"));
    if (!o)
        return o.error();
    BallotAnswers b;
    b.session = o->value(QLatin1String("session")).toString();
    const QJsonValue ratings = o->value(QLatin1String("ratings"));
    bool ok = o->value(QLatin1String("v")).toInt() == formats::ballotVersion && ratings.isObject();
    const QJsonObject r = ratings.toObject();
    for (auto it = r.begin(); it != r.end() && ok; ++it) {
        ok = it.value().isString();
        b.ratings.insert(it.key(), it.value().toString());
    }
    ok = ok && answersFromJson(o->value(QLatin1String("questionnaire")), &b.questionnaire)
        && answersFromJson(o->value(QLatin1String("discipline")), &b.discipline);
    if (!ok)
        return makeError(QStringLiteral("ballot-format"), QStringLiteral("the ballot's structure is damaged"));
    if (activityId)
        *activityId = o->value(QLatin1String("activity")).toString();
    return b;
}

Result<Suggestion> decodeSuggestion(QByteArrayView plaintext, QString *activityId)
{
    if (const qsizetype unpadded = formats::unpaddedLength(plaintext, suggestionPadBlock); unpadded >= 0) {
        if (const auto f = formats::readSuggestion(plaintext.first(unpadded));
            f && f->version == formats::suggestionVersion) {
            // As the JSON reader would take it: valid UTF-8 without control characters.
            QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString text = utf8(QByteArrayView(f->text.data(), qsizetype(f->text.size())));
            if (!utf8.hasError()
                && std::none_of(f->text.cbegin(), f->text.cend(), [](char c) { return uchar(c) < 0x20; })) {
                if (activityId)
                    *activityId = latin1(f->activity);
                return Suggestion {latin1(f->session), latin1(f->topic), latin1(f->department), text};
            }
        }
    }
    auto o = unpadJson(plaintext, std::size_t(suggestionPadBlock), QStringLiteral("suggestion"));
    if (!o)
        return o.error();
    if (o->value(QLatin1String("v")).toInt() != formats::suggestionVersion)
        return makeError(QStringLiteral("suggestion-format"), QStringLiteral("unknown suggestion version"));
    if (activityId)
        *activityId = o->value(QLatin1String("activity")).toString();
    return Suggestion {o->value(QLatin1String("session")).toString(), o->value(QLatin1String("topic")).toString(),
                       o->value(QLatin1String("department")).toString(), o->value(QLatin1String("text")).toString()};
}

const char *recordDomain(RecordKind kind)
{
    return kind == RecordKind::Ballot ? crypto::domain::ballot : crypto::domain::suggestion;
}

QByteArray recordSigningBytes(const SessionContext &c, RecordKind kind, QByteArrayView sealed)
{
    codec::Writer w;
    w.u8(quint8(kind));
    w.shortString(c.activityId);
    w.shortString(c.venue);
    w.shortString(c.kioskId);
    w.shortString(c.session);
    w.u8(c.rehearsal ? 1 : 0);
    w.raw(crypto::hash(sealed));
    return w.bytes();
}

SealedRecord sealRecord(const SessionContext &context, RecordKind kind, QByteArrayView plaintext,
                        QByteArrayView electionPublicKey, const crypto::SigningKey &kioskKey)
{
    SealedRecord r;
    r.kind = kind;
    r.sealed = crypto::seal(electionPublicKey, plaintext);
    r.signature = kioskKey.sign(recordDomain(kind), recordSigningBytes(context, kind, r.sealed));
    return r;
}

bool verifyRecord(const SessionContext &context, const SealedRecord &record, QByteArrayView kioskPublicKey)
{
    return crypto::verify(kioskPublicKey, recordDomain(record.kind),
                          recordSigningBytes(context, record.kind, record.sealed), record.signature);
}

QString receiptCode(QByteArrayView ballotId)
{
    const QString b = codec::base32Encode(ballotId.first(5));
    return b.left(4) + QLatin1Char('-') + b.mid(4, 4);
}

QByteArray sortedIdDigest(QList<QByteArray> ids)
{
    std::sort(ids.begin(), ids.end());
    QByteArray all;
    all.reserve(ids.size() * 32);
    for (const QByteArray &id : ids)
        all += id;
    return crypto::hash(all);
}

} // namespace pingyi
