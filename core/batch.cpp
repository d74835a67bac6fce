#include "batch.h"

#include "codec.h"
#include "container.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace pingyi {

namespace {
constexpr char magic[] = "PYBTCH";
constexpr quint16 formatVersion = 1;

enum ChunkKind : quint8 { ChunkBallot = 1, ChunkSuggestion = 2, ChunkCheckIns = 3, ChunkAudit = 4 };

QString b64(QByteArrayView b) { return QString::fromLatin1(b.toByteArray().toBase64()); }
QByteArray unb64(const QJsonValue &v)
{
    return QByteArray::fromBase64(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
}

Error formatError(const QString &detail)
{
    return makeError(QStringLiteral("batch-format"),
                     QStringLiteral("this file is not a valid Pingyi session batch (%1): copy it again from the "
                                    "kiosk (export can be repeated)")
                         .arg(detail));
}

QJsonObject headerToJson(const BatchHeader &h)
{
    return QJsonObject{
        {QStringLiteral("format"), QStringLiteral("pingyi-batch/v1")},
        {QStringLiteral("activity"), h.context.activityId},
        {QStringLiteral("venue"), h.context.venue},
        {QStringLiteral("kiosk"), h.context.kioskId},
        {QStringLiteral("session"), h.context.session},
        {QStringLiteral("rehearsal"), h.context.rehearsal},
        {QStringLiteral("counts"), QJsonObject{{QStringLiteral("checkins"), h.counts.checkins},
                                              {QStringLiteral("ballots"), h.counts.ballots},
                                              {QStringLiteral("released"), h.counts.released},
                                              {QStringLiteral("suggestions"), h.counts.suggestions}}},
        {QStringLiteral("ballot_digest"), QString::fromLatin1(h.ballotDigest.toHex())},
        {QStringLiteral("suggestion_digest"), QString::fromLatin1(h.suggestionDigest.toHex())},
        {QStringLiteral("kiosk_certificate"), QString::fromUtf8(h.kioskCertificate)},
        {QStringLiteral("sealed_key"), QJsonObject{{QStringLiteral("election"), b64(h.electionSealedKey)},
                                                  {QStringLiteral("archive"), b64(h.archiveSealedKey)}}}};
}

bool headerFromJson(const QJsonObject &o, BatchHeader *h)
{
    const QJsonObject counts = o.value(QLatin1String("counts")).toObject();
    const QJsonObject keys = o.value(QLatin1String("sealed_key")).toObject();
    h->context = {o.value(QLatin1String("activity")).toString(), o.value(QLatin1String("venue")).toString(),
                  o.value(QLatin1String("kiosk")).toString(), o.value(QLatin1String("session")).toString(),
                  o.value(QLatin1String("rehearsal")).toBool()};
    h->counts = {counts.value(QLatin1String("checkins")).toInteger(-1), counts.value(QLatin1String("ballots")).toInteger(-1),
                 counts.value(QLatin1String("released")).toInteger(-1),
                 counts.value(QLatin1String("suggestions")).toInteger(-1)};
    h->ballotDigest = QByteArray::fromHex(o.value(QLatin1String("ballot_digest")).toString().toLatin1());
    h->suggestionDigest = QByteArray::fromHex(o.value(QLatin1String("suggestion_digest")).toString().toLatin1());
    h->kioskCertificate = o.value(QLatin1String("kiosk_certificate")).toString().toUtf8();
    h->electionSealedKey = unb64(keys.value(QLatin1String("election")));
    h->archiveSealedKey = unb64(keys.value(QLatin1String("archive")));
    return o.value(QLatin1String("format")).toString() == QLatin1String("pingyi-batch/v1")
           && !h->context.activityId.isEmpty() && !h->context.venue.isEmpty() && !h->context.kioskId.isEmpty()
           && !h->context.session.isEmpty()
           && o.value(QLatin1String("rehearsal")).isBool() && h->counts.checkins >= 0 && h->counts.ballots >= 0
           && h->counts.released >= 0 && h->counts.suggestions >= 0 && h->ballotDigest.size() == 32
           && h->suggestionDigest.size() == 32
           && h->electionSealedKey.size() == qsizetype(crypto::symmetricKeyBytes + crypto::sealOverheadBytes)
           && h->archiveSealedKey.size() == qsizetype(crypto::symmetricKeyBytes + crypto::sealOverheadBytes);
}

/// One entry of the check-in list: [rep id, "voted" | "released"]. The office keeps the
/// list as tab- and newline-separated lines, so a rep id must be non-empty and free of
/// control characters; anything else means the kiosk software wrote a wrong list.
Result<CheckInEntry> checkinEntry(const QJsonValue &value, qsizetype index)
{
    auto bad = [&](const QString &what) {
        return makeError(QStringLiteral("batch-checkins"),
                         QStringLiteral("entry %1 of the batch's check-in list %2: the kiosk software wrote a "
                                        "malformed list. Keep the file, do not import it, and report it to the "
                                        "kiosk's maintainers")
                             .arg(index + 1)
                             .arg(what));
    };
    if (!value.isArray() || value.toArray().size() != 2 || !value.toArray().at(0).isString()
        || !value.toArray().at(1).isString())
        return bad(QStringLiteral("is not a pair of a representative id and a status"));
    const QJsonArray e = value.toArray();
    const QString repId = e.at(0).toString();
    const QString status = e.at(1).toString();
    if (repId.isEmpty())
        return bad(QStringLiteral("has an empty representative id"));
    if (std::any_of(repId.cbegin(), repId.cend(), [](QChar ch) { return ch.category() == QChar::Other_Control; }))
        return bad(QStringLiteral("has a representative id with a control character (tab, line break, …)"));
    if (status != QLatin1String("voted") && status != QLatin1String("released"))
        return bad(QStringLiteral("has the status \"%1\" (expected \"voted\" or \"released\")").arg(status.left(20)));
    return CheckInEntry {repId, status == QLatin1String("voted")};
}

QList<QByteArray> idsOf(const QList<SealedRecord> &records, RecordKind kind)
{
    QList<QByteArray> ids;
    for (const SealedRecord &r : records)
        if (r.kind == kind)
            ids.append(r.id());
    return ids;
}
} // namespace

QByteArray writeBatch(BatchContent c, const crypto::SigningKey &kioskKey, QByteArrayView electionPublicKey,
                      QByteArrayView archivePublicKey, crypto::SecretBytes *fileKeyOut)
{
    // Ballots first, then suggestions, each by ascending id: the order says nothing about
    // when a record was cast.
    std::sort(c.records.begin(), c.records.end(), [](const SealedRecord &a, const SealedRecord &b) {
        return a.kind != b.kind ? a.kind < b.kind : a.id() < b.id();
    });
    std::sort(c.checkins.begin(), c.checkins.end(),
              [](const CheckInEntry &a, const CheckInEntry &b) { return a.repId < b.repId; });
    c.header.ballotDigest = sortedIdDigest(idsOf(c.records, RecordKind::Ballot));
    c.header.suggestionDigest = sortedIdDigest(idsOf(c.records, RecordKind::Suggestion));

    crypto::SecretBytes fileKey = crypto::SecretBytes::random(crypto::symmetricKeyBytes);
    c.header.electionSealedKey = crypto::seal(electionPublicKey, fileKey.view());
    c.header.archiveSealedKey = crypto::seal(archivePublicKey, fileKey.view());
    const QByteArray header = QJsonDocument(headerToJson(c.header)).toJson(QJsonDocument::Compact);

    crypto::StreamWriter w(fileKey);
    QByteArray stream = w.header();
    bool first = true;
    auto push = [&](const QByteArray &chunk, bool last) {
        stream += w.push(chunk, first ? QByteArrayView(header) : QByteArrayView(), last);
        first = false;
    };
    for (const SealedRecord &r : c.records) {
        codec::Writer cw;
        cw.u8(r.kind == RecordKind::Ballot ? ChunkBallot : ChunkSuggestion);
        cw.u32(quint32(r.sealed.size()));
        cw.raw(r.sealed);
        cw.raw(r.signature);
        push(cw.bytes(), false);
    }
    QJsonArray checkins;
    for (const CheckInEntry &e : c.checkins)
        checkins.append(QJsonArray{e.repId, e.voted ? QStringLiteral("voted") : QStringLiteral("released")});
    push(QByteArray(1, char(ChunkCheckIns)) + QJsonDocument(checkins).toJson(QJsonDocument::Compact), false);
    push(QByteArray(1, char(ChunkAudit)) + c.auditLog, true);

    if (fileKeyOut)
        *fileKeyOut = std::move(fileKey);
    return writeContainer(magic, formatVersion, {header, stream}, kioskKey, crypto::domain::batch);
}

Result<BatchFile> readBatch(QByteArrayView bytes)
{
    auto c = readContainer(bytes, magic, formatVersion, 2, QStringLiteral("batch"), QStringLiteral("session batch"));
    if (!c)
        return c.error();
    BatchFile f;
    f.headerBytes = c->sections[0].toByteArray();
    f.stream = c->sections[1].toByteArray();
    f.signedBytes = c->signedBytes.toByteArray();
    f.signature = c->signature.toByteArray();
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(f.headerBytes, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject() || !headerFromJson(doc.object(), &f.header))
        return formatError(QStringLiteral("damaged header"));
    return f;
}

Status verifyBatchSignature(const BatchFile &file, QByteArrayView kioskPublicKey)
{
    if (!crypto::verify(kioskPublicKey, crypto::domain::batch, file.signedBytes, file.signature))
        return makeError(QStringLiteral("batch-signature"),
                         QStringLiteral("the batch's signature does not verify: the file was altered or not written "
                                        "by kiosk %1; export it again from the kiosk")
                             .arg(file.header.context.kioskId));
    return {};
}

Result<crypto::SecretBytes> openBatchKey(const BatchFile &file, const crypto::BoxKeyPair &keys, bool election)
{
    auto key = crypto::openSealed(keys, election ? file.header.electionSealedKey : file.header.archiveSealedKey);
    if (!key || key->size() != crypto::symmetricKeyBytes)
        return makeError(QStringLiteral("batch-key"),
                         QStringLiteral("cannot open the batch's file key with the %1 key: is this batch from another "
                                        "office's activity?")
                             .arg(election ? QStringLiteral("election") : QStringLiteral("archive")));
    return std::move(key).value();
}

Result<BatchContent> decryptBatch(const BatchFile &file, const crypto::SecretBytes &fileKey)
{
    auto streamError = [](const QString &detail) {
        return makeError(QStringLiteral("batch-stream"),
                         QStringLiteral("the batch's encrypted records are damaged (%1): export it again from the kiosk")
                             .arg(detail));
    };
    constexpr qsizetype headerBytes = 24;
    if (file.stream.size() < headerBytes)
        return streamError(QStringLiteral("truncated"));
    auto reader = crypto::StreamReader::open(fileKey, QByteArrayView(file.stream).first(headerBytes));
    if (!reader)
        return streamError(reader.error().message);
    BatchContent c;
    c.header = file.header;
    qsizetype offset = headerBytes;
    bool last = false;
    bool first = true;
    bool haveCheckIns = false;
    while (!last) {
        auto chunk = reader->pull(file.stream, &offset, first ? QByteArrayView(file.headerBytes) : QByteArrayView(), &last);
        first = false;
        if (!chunk)
            return streamError(chunk.error().message);
        codec::Reader r(*chunk);
        const quint8 kind = r.u8();
        if (kind == ChunkBallot || kind == ChunkSuggestion) {
            if (haveCheckIns)
                return streamError(QStringLiteral("a record after the check-in list"));
            SealedRecord rec;
            rec.kind = kind == ChunkBallot ? RecordKind::Ballot : RecordKind::Suggestion;
            rec.sealed = r.raw(r.u32()).toByteArray();
            rec.signature = r.raw(crypto::signatureBytes).toByteArray();
            if (!r.ok() || !r.atEnd())
                return streamError(QStringLiteral("a malformed record"));
            c.records.append(rec);
        } else if (kind == ChunkCheckIns && !haveCheckIns) {
            haveCheckIns = true;
            QJsonParseError pe;
            const auto doc = QJsonDocument::fromJson(chunk->mid(1), &pe);
            if (pe.error != QJsonParseError::NoError || !doc.isArray())
                return streamError(QStringLiteral("a malformed check-in list"));
            const QJsonArray entries = doc.array();
            for (qsizetype i = 0; i < entries.size(); ++i) {
                auto entry = checkinEntry(entries[i], i);
                if (!entry)
                    return entry.error();
                c.checkins.append(*entry);
            }
        } else if (kind == ChunkAudit && haveCheckIns && last) {
            c.auditLog = chunk->mid(1);
        } else {
            return streamError(QStringLiteral("unexpected section %1").arg(kind));
        }
    }
    if (offset != file.stream.size())
        return streamError(QStringLiteral("data after the end"));
    if (!haveCheckIns)
        return streamError(QStringLiteral("no check-in list"));
    return c;
}

QList<RecordProblem> verifyRecords(const BatchContent &content, QByteArrayView kioskPublicKey)
{
    QList<RecordProblem> problems;
    QSet<QByteArray> seen;
    const SealedRecord *previous = nullptr;
    for (int i = 0; i < content.records.size(); ++i) {
        const SealedRecord &r = content.records[i];
        const QByteArray id = r.id();
        const QString shortId = QString::fromLatin1(id.toHex().left(16));
        if (seen.contains(id))
            problems.append({i, QStringLiteral("record-duplicate"), QStringLiteral("record %1 appears twice").arg(shortId)});
        else if (!verifyRecord(content.header.context, r, kioskPublicKey))
            problems.append({i, QStringLiteral("record-signature"),
                             QStringLiteral("record %1's signature does not verify for this kiosk and session").arg(shortId)});
        else if (previous && (previous->kind > r.kind || (previous->kind == r.kind && previous->id() > id)))
            problems.append({i, QStringLiteral("record-order"), QStringLiteral("record %1 is out of order").arg(shortId)});
        seen.insert(id);
        previous = &r;
    }
    return problems;
}

Status checkBatchInvariants(const BatchContent &c)
{
    auto broken = [](const QString &what) {
        return Status(makeError(QStringLiteral("batch-invariant"), QStringLiteral("the batch's counts do not add up: %1").arg(what)));
    };
    const BatchCounts &n = c.header.counts;
    const QList<QByteArray> ballots = idsOf(c.records, RecordKind::Ballot);
    const QList<QByteArray> suggestions = idsOf(c.records, RecordKind::Suggestion);
    if (n.checkins != n.ballots + n.released)
        return broken(QStringLiteral("%1 check-ins but %2 ballots + %3 released").arg(n.checkins).arg(n.ballots).arg(n.released));
    if (ballots.size() != n.ballots)
        return broken(QStringLiteral("header says %1 ballots, the batch holds %2").arg(n.ballots).arg(ballots.size()));
    if (suggestions.size() != n.suggestions)
        return broken(QStringLiteral("header says %1 suggestions, the batch holds %2").arg(n.suggestions).arg(suggestions.size()));
    if (QSet<QByteArray>(ballots.cbegin(), ballots.cend()).size() != ballots.size())
        return broken(QStringLiteral("a ballot id appears twice"));
    if (sortedIdDigest(ballots) != c.header.ballotDigest)
        return broken(QStringLiteral("the digest of the sorted ballot ids differs from the header's"));
    if (sortedIdDigest(suggestions) != c.header.suggestionDigest)
        return broken(QStringLiteral("the digest of the sorted suggestion ids differs from the header's"));
    qint64 voted = 0;
    QSet<QString> reps;
    for (const CheckInEntry &e : c.checkins) {
        voted += e.voted ? 1 : 0;
        reps.insert(e.repId);
    }
    if (reps.size() != c.checkins.size())
        return broken(QStringLiteral("a representative appears twice in the check-in list"));
    if (voted != n.ballots)
        return broken(QStringLiteral("%1 representatives voted but there are %2 ballots").arg(voted).arg(n.ballots));
    if (c.checkins.size() > n.checkins)
        return broken(QStringLiteral("more representatives in the check-in list than check-ins"));
    return {};
}

QString batchFileName(const SessionContext &c)
{
    return QStringLiteral("%1_%2_%3_%4%5.pybatch")
        .arg(c.activityId, c.venue, c.kioskId, c.session, c.rehearsal ? QStringLiteral("_REHEARSAL") : QString());
}

} // namespace pingyi
