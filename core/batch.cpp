#include "batch.h"

#include "codec.h"
#include "container.h"
#include "formats/batchinvariants.h"
#include "formats/batchstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace pingyi {

namespace {
using formats::batchContainerVersion;
using formats::batchMagic;

QString b64(QByteArrayView b)
{
    return QString::fromLatin1(b.toByteArray().toBase64());
}
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
    QJsonObject o {{QStringLiteral("format"), QLatin1String(formats::batchHeaderFormat)},
                   {QStringLiteral("activity"), h.context.activityId},
                   {QStringLiteral("venue"), h.context.venue},
                   {QStringLiteral("kiosk"), h.context.kioskId},
                   {QStringLiteral("session"), h.context.session},
                   {QStringLiteral("rehearsal"), h.context.rehearsal},
                   {QStringLiteral("counts"),
                    QJsonObject {{QStringLiteral("checkins"), h.counts.checkins},
                                 {QStringLiteral("ballots"), h.counts.ballots},
                                 {QStringLiteral("released"), h.counts.released},
                                 {QStringLiteral("suggestions"), h.counts.suggestions}}},
                   {QStringLiteral("ballot_digest"), QString::fromLatin1(h.ballotDigest.toHex())},
                   {QStringLiteral("suggestion_digest"), QString::fromLatin1(h.suggestionDigest.toHex())},
                   {QStringLiteral("kiosk_certificate"), QString::fromUtf8(h.kioskCertificate)},
                   {QStringLiteral("sealed_key"),
                    QJsonObject {{QStringLiteral("election"), b64(h.electionSealedKey)},
                                 {QStringLiteral("archive"), b64(h.archiveSealedKey)}}}};
    // Additive: a batch without venue duplicates reads exactly as before.
    if (h.venueDuplicates > 0)
        o.insert(QStringLiteral("venue_duplicates"), h.venueDuplicates);
    return o;
}

bool headerFromJson(const QJsonObject &o, BatchHeader *h)
{
    const QJsonObject counts = o.value(QLatin1String("counts")).toObject();
    const QJsonObject keys = o.value(QLatin1String("sealed_key")).toObject();
    h->context = {o.value(QLatin1String("activity")).toString(), o.value(QLatin1String("venue")).toString(),
                  o.value(QLatin1String("kiosk")).toString(), o.value(QLatin1String("session")).toString(),
                  o.value(QLatin1String("rehearsal")).toBool()};
    h->counts
        = {counts.value(QLatin1String("checkins")).toInteger(-1), counts.value(QLatin1String("ballots")).toInteger(-1),
           counts.value(QLatin1String("released")).toInteger(-1),
           counts.value(QLatin1String("suggestions")).toInteger(-1)};
    h->ballotDigest = QByteArray::fromHex(o.value(QLatin1String("ballot_digest")).toString().toLatin1());
    h->suggestionDigest = QByteArray::fromHex(o.value(QLatin1String("suggestion_digest")).toString().toLatin1());
    h->kioskCertificate = o.value(QLatin1String("kiosk_certificate")).toString().toUtf8();
    h->electionSealedKey = unb64(keys.value(QLatin1String("election")));
    h->archiveSealedKey = unb64(keys.value(QLatin1String("archive")));
    h->venueDuplicates = o.value(QLatin1String("venue_duplicates")).toInteger(0);
    return h->venueDuplicates >= 0
        && o.value(QLatin1String("format")).toString() == QLatin1String(formats::batchHeaderFormat)
        && !h->context.activityId.isEmpty() && !h->context.venue.isEmpty() && !h->context.kioskId.isEmpty()
        && !h->context.session.isEmpty() && o.value(QLatin1String("rehearsal")).isBool() && h->counts.checkins >= 0
        && h->counts.ballots >= 0 && h->counts.released >= 0 && h->counts.suggestions >= 0
        && h->ballotDigest.size() == 32 && h->suggestionDigest.size() == 32
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

    formats::BatchStreamWriter w(fileKey, header);
    for (const SealedRecord &r : c.records)
        w.record(r.kind, r.sealed, r.signature);
    w.checkIns(formats::checkInListJson(c.checkins));
    w.audit(c.auditLog);
    const QByteArray stream = w.stream();

    if (fileKeyOut)
        *fileKeyOut = std::move(fileKey);
    return formats::writeBatchFile(header, stream, kioskKey);
}

Result<BatchFile> readBatch(QByteArrayView bytes)
{
    auto c = readContainer(bytes, batchMagic, batchContainerVersion, 2, QStringLiteral("batch"),
                           QStringLiteral("session batch"));
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

namespace {
/// decryptBatch's visitor of the stream: keeps everything, checks the check-in list.
class ContentBuilder : public formats::BatchStreamVisitor {
public:
    BatchContent content;
    void record(RecordKind kind, QByteArrayView sealed, QByteArrayView signature) override
    {
        content.records.append({kind, sealed.toByteArray(), signature.toByteArray()});
    }
    Status checkIns(QByteArrayView json) override
    {
        QJsonParseError pe;
        const auto doc = QJsonDocument::fromJson(json.toByteArray(), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isArray())
            return makeError(QStringLiteral("batch-stream"), QStringLiteral("a malformed check-in list"));
        const QJsonArray entries = doc.array();
        for (qsizetype i = 0; i < entries.size(); ++i) {
            auto entry = checkinEntry(entries[i], i);
            if (!entry)
                return entry.error();
            content.checkins.append(*entry);
        }
        return {};
    }
    void audit(QByteArrayView jsonLines) override { content.auditLog = jsonLines.toByteArray(); }
};
} // namespace

Result<BatchContent> decryptBatch(const BatchFile &file, const crypto::SecretBytes &fileKey)
{
    auto streamError = [](const QString &detail) {
        return makeError(
            QStringLiteral("batch-stream"),
            QStringLiteral("the batch's encrypted records are damaged (%1): export it again from the kiosk")
                .arg(detail));
    };
    ContentBuilder builder;
    builder.content.header = file.header;
    std::vector<unsigned char> buffer;
    const auto r = formats::readBatchStream(file.headerBytes, file.stream, fileKey, buffer, builder);
    using P = formats::BatchStreamProblem;
    switch (r.problem) {
    case P::None:
        return std::move(builder.content);
    case P::Header:
    case P::Truncated:
    case P::Authentication:
        return streamError(r.detail);
    case P::EmptyChunk:
    case P::Unexpected:
        return streamError(QStringLiteral("unexpected section %1").arg(r.detail));
    case P::RecordAfterList:
        return streamError(QStringLiteral("a record after the check-in list"));
    case P::MalformedRecord:
        return streamError(QStringLiteral("a malformed record"));
    case P::TrailingData:
        return streamError(QStringLiteral("data after the end"));
    case P::NoCheckIns:
        return streamError(QStringLiteral("no check-in list"));
    case P::Visitor:
        // A malformed list is a damaged stream; a wrong entry keeps its own code and words.
        return r.error.code == QLatin1String("batch-stream") ? streamError(r.error.message) : r.error;
    }
    return streamError(QStringLiteral("unknown"));
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
            problems.append(
                {i, QStringLiteral("record-duplicate"), QStringLiteral("record %1 appears twice").arg(shortId)});
        else if (!verifyRecord(content.header.context, r, kioskPublicKey))
            problems.append(
                {i, QStringLiteral("record-signature"),
                 QStringLiteral("record %1's signature does not verify for this kiosk and session").arg(shortId)});
        else if (previous && (previous->kind > r.kind || (previous->kind == r.kind && previous->id() > id)))
            problems.append(
                {i, QStringLiteral("record-order"), QStringLiteral("record %1 is out of order").arg(shortId)});
        seen.insert(id);
        previous = &r;
    }
    return problems;
}

Status checkBatchInvariants(const BatchContent &c)
{
    const QList<formats::BatchFinding> findings = formats::batchInvariantFindings(c);
    if (findings.isEmpty())
        return {};
    return makeError(findings.first().code, findings.first().message);
}

QString batchFileName(const SessionContext &c)
{
    return QStringLiteral("%1_%2_%3_%4%5.pybatch")
        .arg(c.activityId, c.venue, c.kioskId, c.session, c.rehearsal ? QStringLiteral("_REHEARSAL") : QString());
}

} // namespace pingyi
