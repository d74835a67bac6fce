// The closing (or zero) report's QR text (decodeReportQr), as `pingyi-hq import` checks a
// photographed report against a batch. Invariants: what decodes re-encodes to the same
// summary; one changed byte never verifies to a different summary; a summary built from the
// input and signed with the test kiosk key round-trips.
#include "fuzzcommon.h"
#include "report.h"

#include <fuzzer/FuzzedDataProvider.h>

using namespace pingyi;

namespace {
bool same(const ReportSummary &a, const ReportSummary &b)
{
    return a.closing == b.closing && a.context.activityId == b.context.activityId && a.context.venue == b.context.venue
        && a.context.kioskId == b.context.kioskId && a.context.session == b.context.session
        && a.context.rehearsal == b.context.rehearsal && a.counts == b.counts && a.ballotDigest == b.ballotDigest;
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)fuzz::testKeys();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::TestKeys &keys = fuzz::testKeys();
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(raw);

    // Unsigned reading (the key is optional) reaches the body reader on every input.
    auto loose = decodeReportQr(text, {});
    auto signedOne = decodeReportQr(text, keys.kiosk.publicKey());
    FUZZ_CHECK(!signedOne || (loose && same(*loose, *signedOne)));
    if (loose) {
        auto again = decodeReportQr(encodeReportQr(*loose, keys.kiosk), keys.kiosk.publicKey());
        FUZZ_CHECK(again && same(*again, *loose));
    } else {
        FUZZ_CHECK(loose.error().code == QLatin1String("report-format"));
    }
    if (signedOne) {
        auto forged = decodeReportQr(QString::fromUtf8(fuzz::flipOneByte(raw)), keys.kiosk.publicKey());
        FUZZ_CHECK(!forged || same(*forged, *signedOne));
    }

    FuzzedDataProvider fdp(data, size);
    ReportSummary s;
    s.closing = fdp.ConsumeBool();
    s.context.activityId = QString::fromStdString(fdp.ConsumeRandomLengthString(40));
    s.context.venue = QString::fromStdString(fdp.ConsumeRandomLengthString(20));
    s.context.kioskId = QString::fromStdString(fdp.ConsumeRandomLengthString(32));
    s.context.session = QString::fromStdString(fdp.ConsumeRandomLengthString(20));
    s.context.rehearsal = fdp.ConsumeBool();
    s.counts.checkins = fdp.ConsumeIntegral<quint32>();
    s.counts.ballots = fdp.ConsumeIntegral<quint32>();
    s.counts.released = fdp.ConsumeIntegral<quint32>();
    s.counts.suggestions = fdp.ConsumeIntegral<quint32>();
    const std::string digest = fdp.ConsumeBytesAsString(32);
    s.ballotDigest = QByteArray(digest.data(), qsizetype(digest.size())).leftJustified(32, '\0');
    for (const QString *f : {&s.context.activityId, &s.context.venue, &s.context.kioskId, &s.context.session})
        if (f->toUtf8().size() > 255)
            return 0;
    auto back = decodeReportQr(encodeReportQr(s, keys.kiosk), keys.kiosk.publicKey());
    FUZZ_CHECK(back && same(*back, s));
    return 0;
}
