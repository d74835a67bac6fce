#pragma once
// Shared set-up for the tallying office's tests: an HQ directory for the Qingdao example
// at a small roster scale, kiosks enrolled like the real ones, hand-made batches built
// from core primitives, and a way to open, change and re-sign a real batch with its
// kiosk's key (what a kiosk bug, or someone holding a kiosk key, could produce).

#include "ballot.h"
#include "batch.h"
#include "codec.h"
#include "container.h"
#include "crypto.h"
#include "enrolment.h"
#include "fileio.h"
#include "formats/batchstream.h"
#include "hq.h"
#include "roster.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <functional>

namespace pingyi::hqtest {

inline const QString examplePath = QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json");

inline crypto::SecretBytes passphrase()
{
    return crypto::SecretBytes::copyOf("office test passphrase");
}

/// Key files in tests: the cheapest parameters a reader accepts.
inline crypto::KdfStrength fastKdf()
{
    return {1, 8192 * 1024};
}

template<typename T> T must(Result<T> r, const char *what)
{
    if (!r)
        qFatal("%s: %s", what, qPrintable(r.error().toString()));
    return std::move(r).value();
}

inline void must(const Status &s, const char *what)
{
    if (!s)
        qFatal("%s: %s", what, qPrintable(s.error().toString()));
}

/// The example activity, optionally with another anonymity threshold or id.
inline Activity exampleActivity(int threshold = 0, const QString &id = {})
{
    QJsonObject o = QJsonDocument::fromJson(must(readFile(examplePath), "read example")).object();
    if (threshold > 0) {
        // Only the threshold changes: the example's other tally rules (what it publishes) stay.
        QJsonObject tally = o.value(QStringLiteral("tally")).toObject();
        tally.insert(QStringLiteral("anonymity_threshold"), threshold);
        o.insert(QStringLiteral("tally"), tally);
    }
    if (!id.isEmpty())
        o.insert(QStringLiteral("id"), id);
    return must(Activity::fromJson(QJsonDocument(o).toJson(), examplePath), "parse example");
}

/// Creates an HQ directory with the activity and a synthetic roster; returns the roster CSV.
inline QByteArray makeHq(const QString &dir, const Activity &activity, double scale, quint64 seed = 11)
{
    must(hq::Hq::init(dir, passphrase(), crypto::KdfStrength::interactive()), "init");
    auto h = must(hq::Hq::open(dir), "open");
    must(h.setActivity(activity), "set activity");
    const QByteArray roster = synthRoster(activity, seed, scale);
    auto secrets = must(h.unlock(passphrase()), "unlock");
    must(h.importRoster(roster, QStringLiteral("roster.csv"), secrets), "roster");
    return roster;
}

inline void copyDir(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    QDirIterator it(from, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString src = it.next();
        const QString dst = QDir(to).filePath(QDir(from).relativeFilePath(src));
        if (it.fileInfo().isDir())
            QDir().mkpath(dst);
        else
            QFile::copy(src, dst);
    }
}

struct TestKiosk {
    QString id;
    QString venue;
    crypto::SigningKey key;
    QByteArray certificate;
};

/// Enrols a new kiosk through the office, as `kiosk certify` does.
inline TestKiosk enrolKiosk(hq::Hq &h, const hq::Secrets &secrets, const QString &venue, const QString &id)
{
    TestKiosk k {id, venue, crypto::SigningKey::generate(), {}};
    k.certificate = must(h.certifyKiosk(EnrolmentRequest::create(k.key, id), venue, secrets, nullptr), "certify");
    return k;
}

/// The kiosk key the simulator left in its state directory.
inline crypto::SigningKey simKioskKey(const QString &outDir, const QString &kioskId)
{
    const QByteArray seed
        = must(readFile(QDir(outDir).filePath(QStringLiteral("kiosk-state/%1/kiosk.key").arg(kioskId))), "kiosk key");
    return must(crypto::SigningKey::fromSeed(crypto::SecretBytes::copyOf(seed)), "kiosk seed");
}

/// A valid ballot whose choices follow `pick` (option index per department).
inline BallotAnswers makeBallot(const Activity &a, const QString &session, const std::function<int(int dept)> &pick)
{
    BallotAnswers b;
    b.session = session;
    const GroupSession *s = a.session(session);
    for (int d = 0; d < s->departments.size(); ++d)
        b.ratings.insert(s->departments[d].code, a.scale[pick(d) % a.scale.size()].code);
    for (const Question &q : a.questionnaire)
        b.questionnaire.insert(q.code, {q.choices.first().code});
    for (const Question &q : a.discipline)
        b.discipline.insert(q.code, {q.choices.last().code});
    return b;
}

/// A complete, valid batch made from core primitives (what a kiosk's export holds).
inline QByteArray makeBatch(const hq::Hq &h, const TestKiosk &k, const SessionContext &ctx,
                            const QList<BallotAnswers> &ballots, const QList<Suggestion> &suggestions,
                            QList<CheckInEntry> checkins, qint64 extraReleased = 0)
{
    BatchContent c;
    c.header.context = ctx;
    c.header.kioskCertificate = k.certificate;
    for (const BallotAnswers &b : ballots)
        c.records.append(
            sealRecord(ctx, RecordKind::Ballot, encodeBallot(ctx.activityId, b), h.electionPublicKey(), k.key));
    for (const Suggestion &s : suggestions)
        c.records.append(
            sealRecord(ctx, RecordKind::Suggestion, encodeSuggestion(ctx.activityId, s), h.electionPublicKey(), k.key));
    qint64 released = extraReleased;
    for (const CheckInEntry &e : checkins)
        released += e.voted ? 0 : 1;
    c.header.counts = {qint64(ballots.size()) + released, qint64(ballots.size()), released, qint64(suggestions.size())};
    c.checkins = std::move(checkins);
    return writeBatch(c, k.key, h.electionPublicKey(), h.archivePublicKey());
}

/// A real batch opened with the office's archive key, to be changed and written again.
struct Forge {
    QJsonObject header;
    QList<SealedRecord> records;
    QList<CheckInEntry> checkins;
    QByteArray auditLog;
    crypto::SecretBytes fileKey;

    Forge clone() const
    {
        Forge f;
        f.header = header;
        f.records = records;
        f.checkins = checkins;
        f.auditLog = auditLog;
        f.fileKey = crypto::SecretBytes::copyOf(fileKey.view());
        return f;
    }

    static Forge open(QByteArrayView bytes, const crypto::BoxKeyPair &archive)
    {
        auto file = must(readBatch(bytes), "read batch");
        Forge f;
        f.header = QJsonDocument::fromJson(file.headerBytes).object();
        f.fileKey = must(openBatchKey(file, archive, false), "open batch key");
        auto content = must(decryptBatch(file, f.fileKey), "decrypt batch");
        f.records = content.records;
        f.checkins = content.checkins;
        f.auditLog = content.auditLog;
        return f;
    }

    SessionContext context() const
    {
        return {header.value(QLatin1String("activity")).toString(), header.value(QLatin1String("venue")).toString(),
                header.value(QLatin1String("kiosk")).toString(), header.value(QLatin1String("session")).toString(),
                header.value(QLatin1String("rehearsal")).toBool()};
    }

    void setCount(const char *field, qint64 value)
    {
        QJsonObject counts = header.value(QLatin1String("counts")).toObject();
        counts.insert(QLatin1String(field), value);
        header.insert(QStringLiteral("counts"), counts);
    }
    qint64 count(const char *field) const
    {
        return header.value(QLatin1String("counts")).toObject().value(QLatin1String(field)).toInteger();
    }

    /// Header counts and digests made to match the records and check-ins as they are now.
    void recount()
    {
        QList<QByteArray> ballots, suggestions;
        for (const SealedRecord &r : records)
            (r.kind == RecordKind::Ballot ? ballots : suggestions).append(r.id());
        QSet<QByteArray> uniqueBallots(ballots.cbegin(), ballots.cend()),
            uniqueSuggestions(suggestions.cbegin(), suggestions.cend());
        qint64 released = 0;
        for (const CheckInEntry &e : checkins)
            released += e.voted ? 0 : 1;
        setCount("ballots", uniqueBallots.size());
        setCount("suggestions", uniqueSuggestions.size());
        setCount("released", released);
        setCount("checkins", uniqueBallots.size() + released);
        header.insert(QStringLiteral("ballot_digest"),
                      QString::fromLatin1(
                          sortedIdDigest(QList<QByteArray>(uniqueBallots.cbegin(), uniqueBallots.cend())).toHex()));
        header.insert(
            QStringLiteral("suggestion_digest"),
            QString::fromLatin1(
                sortedIdDigest(QList<QByteArray>(uniqueSuggestions.cbegin(), uniqueSuggestions.cend())).toHex()));
    }

    /// Writes the batch as it is (records in their current order), signed with `key`.
    /// `afterCheckins` is pushed as an extra record after the check-in list.
    QByteArray build(const crypto::SigningKey &key, const crypto::SecretBytes *streamKey = nullptr,
                     const SealedRecord *afterCheckins = nullptr) const
    {
        const QByteArray headerBytes = QJsonDocument(header).toJson(QJsonDocument::Compact);
        formats::BatchStreamWriter w(streamKey ? *streamKey : fileKey, headerBytes);
        for (const SealedRecord &r : records)
            w.record(r.kind, r.sealed, r.signature);
        w.checkIns(formats::checkInListJson(checkins));
        if (afterCheckins)
            w.record(afterCheckins->kind, afterCheckins->sealed, afterCheckins->signature);
        w.audit(auditLog);
        return formats::writeBatchFile(headerBytes, w.stream(), key);
    }
};

} // namespace pingyi::hqtest
