// A session batch's encrypted content, reached past the kiosk signature and the encryption.
// The input is a list of frames (fuzzcommon.h FrameReader) that the harness turns into a
// batch with the real stream writer, the test kiosk key and the file key of a real header
// made once by writeBatch:
//   0 ballot plaintext, sealed to the test election key and signed as the kiosk does
//   1 suggestion plaintext, likewise
//   2 check-in list JSON          3 audit log (JSON lines; ends the stream)
//   4 raw chunk                   5 raw chunk that ends the stream
//   6 (first frame only) header JSON replacing the real one
//   7 ballot record with these sealed bytes (signed, not sealed by the harness)
// A stream the input does not end stays unterminated (a truncated export).
// Invariants: what the harness signed verifies; a stream written in the writer's order and
// accepted by the reader gives back exactly the records written; decoded ballots re-encode
// to themselves and both ballot readers agree (fuzzbatch.h).
#include "formats/batchstream.h"
#include "fuzzbatch.h"

#include <QHash>

using namespace pingyi;

namespace {
struct Base {
    QByteArray header;
    crypto::SecretBytes fileKey;
    SessionContext context;
};

const Base &base()
{
    static const Base b = [] {
        const fuzz::TestKeys &keys = fuzz::testKeys();
        const Activity &activity = fuzz::demoActivity();
        BatchContent content;
        SessionContext &ctx = content.header.context;
        ctx.activityId = activity.id;
        ctx.venue = activity.venues.first().code;
        for (const GroupSession &g : activity.sessions)
            if (activity.sessionHeldAt(g.code, ctx.venue)) {
                ctx.session = g.code;
                break;
            }
        ctx.kioskId = keys.kioskId;
        const QByteArray request = EnrolmentRequest::create(keys.kiosk, keys.kioskId);
        content.header.kioskCertificate
            = KioskCertificate::issue(keys.root, *EnrolmentRequest::parse(request), activity.id, ctx.venue, 1);
        Base out;
        const QByteArray file = writeBatch(std::move(content), keys.kiosk, keys.election.publicKey(),
                                           keys.archive.publicKey(), &out.fileKey);
        auto read = readBatch(file);
        if (!read)
            fuzz::fail("the base batch does not read", __FILE__, __LINE__);
        out.header = read->headerBytes;
        out.context = read->header.context;
        return out;
    }();
    return b;
}
/// Sealing draws a fresh ephemeral key and, with the signature, costs as much as reading the
/// record back: a record already made for the same plaintext is reused, which also keeps a
/// run repeatable. (Bounded: cleared when full.)
SealedRecord sealedFor(const SessionContext &context, RecordKind kind, const QByteArray &plaintext)
{
    static QHash<QByteArray, SealedRecord> cache;
    const QByteArray key = char(kind) + plaintext;
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;
    if (cache.size() >= 4096)
        cache.clear();
    const fuzz::TestKeys &keys = fuzz::testKeys();
    return *cache.insert(key, sealRecord(context, kind, plaintext, keys.election.publicKey(), keys.kiosk));
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)fuzz::testKeys();
    (void)base();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::TestKeys &keys = fuzz::testKeys();
    const Base &b = base();
    fuzz::FrameReader frames(data, size);

    QByteArray header = b.header;
    std::optional<fuzz::FrameReader::Frame> frame = frames.next();
    bool headerReplaced = false;
    if (frame && frame->tag % 8 == 6) {
        header = frame->bytes;
        headerReplaced = true;
        frame = frames.next();
    }
    formats::BatchStreamWriter writer(b.fileKey, header);
    QList<SealedRecord> written;
    bool ended = false, raw = false, ordered = true, listWritten = false;
    for (; frame && !ended; frame = frames.next()) {
        switch (frame->tag % 8) {
        case 0:
        case 1: {
            const RecordKind kind = frame->tag % 8 == 0 ? RecordKind::Ballot : RecordKind::Suggestion;
            const SealedRecord r = sealedFor(b.context, kind, frame->bytes);
            writer.record(r.kind, r.sealed, r.signature);
            written.append(r);
            ordered = ordered && !listWritten;
            break;
        }
        case 7: {
            const QByteArray signature = keys.kiosk.sign(
                recordDomain(RecordKind::Ballot), recordSigningBytes(b.context, RecordKind::Ballot, frame->bytes));
            writer.record(RecordKind::Ballot, frame->bytes, signature);
            written.append({RecordKind::Ballot, frame->bytes, signature});
            ordered = ordered && !listWritten;
            break;
        }
        case 2:
            writer.checkIns(frame->bytes);
            ordered = ordered && !listWritten;
            listWritten = true;
            break;
        case 3:
            writer.audit(frame->bytes);
            ended = true;
            break;
        case 4:
        case 6:
            writer.rawChunk(frame->bytes, false);
            raw = true;
            break;
        case 5:
            writer.rawChunk(frame->bytes, true);
            raw = true;
            ended = true;
            break;
        }
    }
    const QByteArray file = formats::writeBatchFile(header, writer.stream(), keys.kiosk);

    const fuzz::BatchReading reading = fuzz::readBatchAsOffice(file, keys);
    FUZZ_CHECK(!reading.read || reading.signatureValid);
    if (!headerReplaced)
        FUZZ_CHECK(reading.read && reading.certified && reading.keyOpened);
    if (reading.content && !raw && !headerReplaced) {
        FUZZ_CHECK(ended && ordered && listWritten);
        const QList<SealedRecord> &records = reading.content->records;
        FUZZ_CHECK(records.size() == written.size());
        for (qsizetype i = 0; i < records.size(); ++i)
            FUZZ_CHECK(records[i].kind == written[i].kind && records[i].sealed == written[i].sealed
                       && records[i].signature == written[i].signature);
    }
    return 0;
}
