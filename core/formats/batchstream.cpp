#include "batchstream.h"

#include "codec.h"
#include "container.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sodium.h>

namespace pingyi::formats {

BatchStreamWriter::BatchStreamWriter(const crypto::SecretBytes &fileKey, QByteArray header)
    : m_writer(fileKey), m_header(std::move(header)), m_stream(m_writer.header())
{
}

void BatchStreamWriter::rawChunk(QByteArrayView plaintext, bool last)
{
    m_stream += m_writer.push(plaintext, m_first ? QByteArrayView(m_header) : QByteArrayView(), last);
    m_first = false;
}

void BatchStreamWriter::record(RecordKind kind, QByteArrayView sealed, QByteArrayView signature)
{
    codec::Writer w;
    w.u8(quint8(kind == RecordKind::Ballot ? BatchChunk::Ballot : BatchChunk::Suggestion));
    w.u32(quint32(sealed.size()));
    w.raw(sealed);
    w.raw(signature);
    rawChunk(w.bytes(), false);
}

void BatchStreamWriter::checkIns(QByteArrayView json)
{
    rawChunk(QByteArray(1, char(BatchChunk::CheckIns)).append(json), false);
}

void BatchStreamWriter::audit(QByteArrayView jsonLines)
{
    rawChunk(QByteArray(1, char(BatchChunk::Audit)).append(jsonLines), true);
}

QByteArray checkInListJson(const QList<CheckInEntry> &checkins)
{
    QJsonArray list;
    for (const CheckInEntry &e : checkins)
        list.append(QJsonArray {e.repId, e.voted ? QStringLiteral("voted") : QStringLiteral("released")});
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

QByteArray writeBatchFile(QByteArrayView header, QByteArrayView stream, const crypto::SigningKey &kioskKey)
{
    return writeContainer(batchMagic, batchContainerVersion, {header.toByteArray(), stream.toByteArray()}, kioskKey,
                          crypto::domain::batch);
}

namespace {

BatchStreamResult problem(BatchStreamProblem p, QString detail = {})
{
    BatchStreamResult r;
    r.problem = p;
    r.detail = std::move(detail);
    return r;
}

BatchStreamResult readChunks(QByteArrayView header, QByteArrayView stream, const crypto::SecretBytes &fileKey,
                             std::vector<unsigned char> &buffer, BatchStreamVisitor &visitor)
{
    constexpr qsizetype headerBytes = crypto::StreamReader::headerBytes;
    if (stream.size() < headerBytes)
        return problem(BatchStreamProblem::Header, QStringLiteral("truncated"));
    auto reader = crypto::StreamReader::open(fileKey, stream.first(headerBytes));
    if (!reader)
        return problem(BatchStreamProblem::Header, reader.error().message);
    qsizetype at = headerBytes;
    bool first = true, last = false, checkIns = false;
    while (!last) {
        auto chunk = reader->pullInto(stream, &at, first ? header : QByteArrayView(), &last, buffer);
        first = false;
        if (!chunk)
            return problem(chunk.error().code == QLatin1String("stream-auth") ? BatchStreamProblem::Authentication
                                                                              : BatchStreamProblem::Truncated,
                           chunk.error().message);
        const QByteArrayView c = *chunk;
        if (c.isEmpty())
            return problem(BatchStreamProblem::EmptyChunk, QStringLiteral("0"));
        const quint8 kind = quint8(c[0]);
        if (kind == quint8(BatchChunk::Ballot) || kind == quint8(BatchChunk::Suggestion)) {
            if (checkIns)
                return problem(BatchStreamProblem::RecordAfterList);
            if (c.size() < 5)
                return problem(BatchStreamProblem::MalformedRecord);
            const auto *p = reinterpret_cast<const unsigned char *>(c.data());
            const qsizetype len
                = qsizetype((quint32(p[1]) << 24) | (quint32(p[2]) << 16) | (quint32(p[3]) << 8) | quint32(p[4]));
            if (c.size() - 5 - qsizetype(crypto::signatureBytes) != len)
                return problem(BatchStreamProblem::MalformedRecord);
            visitor.record(kind == quint8(BatchChunk::Ballot) ? RecordKind::Ballot : RecordKind::Suggestion,
                           c.sliced(5, len), c.sliced(5 + len));
        } else if (kind == quint8(BatchChunk::CheckIns) && !checkIns) {
            checkIns = true;
            if (auto s = visitor.checkIns(c.sliced(1)); !s) {
                BatchStreamResult r = problem(BatchStreamProblem::Visitor);
                r.error = s.error();
                return r;
            }
        } else if (kind == quint8(BatchChunk::Audit) && checkIns && last) {
            visitor.audit(c.sliced(1));
        } else {
            return problem(BatchStreamProblem::Unexpected, QString::number(kind));
        }
    }
    if (at != stream.size())
        return problem(BatchStreamProblem::TrailingData);
    if (!checkIns)
        return problem(BatchStreamProblem::NoCheckIns);
    return {};
}

} // namespace

BatchStreamResult readBatchStream(QByteArrayView header, QByteArrayView stream, const crypto::SecretBytes &fileKey,
                                  std::vector<unsigned char> &buffer, BatchStreamVisitor &visitor)
{
    BatchStreamResult r = readChunks(header, stream, fileKey, buffer, visitor);
    if (!buffer.empty())
        sodium_memzero(buffer.data(), buffer.size());
    return r;
}

} // namespace pingyi::formats
