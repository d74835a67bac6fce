#include "report.h"

#include "codec.h"

namespace pingyi {

namespace {
constexpr char prefix[] = "PYR1:";

QByteArray body(const ReportSummary &s)
{
    codec::Writer w;
    w.u8(s.closing ? 1 : 0);
    w.shortString(s.context.activityId);
    w.shortString(s.context.venue);
    w.shortString(s.context.kioskId);
    w.shortString(s.context.session);
    w.u8(s.context.rehearsal ? 1 : 0);
    w.u32(quint32(s.counts.checkins));
    w.u32(quint32(s.counts.ballots));
    w.u32(quint32(s.counts.released));
    w.u32(quint32(s.counts.suggestions));
    w.raw(s.ballotDigest);
    return w.bytes();
}
} // namespace

QString encodeReportQr(const ReportSummary &summary, const crypto::SigningKey &kioskKey)
{
    const QByteArray b = body(summary);
    return QLatin1String(prefix) + codec::base32Encode(b + kioskKey.sign(crypto::domain::report, b));
}

Result<ReportSummary> decodeReportQr(const QString &rawText, QByteArrayView kioskPublicKey)
{
    const QString text = rawText.trimmed();
    auto bad = [] {
        return makeError(
            QStringLiteral("report-format"),
            QStringLiteral("this is not a Pingyi report code, or it was read incompletely: scan it again"));
    };
    if (!text.startsWith(QLatin1String(prefix)))
        return bad();
    bool ok = false;
    const QByteArray all = codec::base32Decode(QStringView(text).mid(5), &ok);
    if (!ok || all.size() <= qsizetype(crypto::signatureBytes))
        return bad();
    const QByteArrayView b = QByteArrayView(all).chopped(crypto::signatureBytes);
    codec::Reader r(b);
    ReportSummary s;
    const quint8 kind = r.u8();
    s.closing = kind == 1;
    s.context.activityId = r.shortString();
    s.context.venue = r.shortString();
    s.context.kioskId = r.shortString();
    s.context.session = r.shortString();
    s.context.rehearsal = r.u8() == 1;
    s.counts.checkins = r.u32();
    s.counts.ballots = r.u32();
    s.counts.released = r.u32();
    s.counts.suggestions = r.u32();
    s.ballotDigest = r.raw(32).toByteArray();
    if (!r.ok() || !r.atEnd() || kind > 1)
        return bad();
    if (!kioskPublicKey.isEmpty()
        && !crypto::verify(kioskPublicKey, crypto::domain::report, b, QByteArrayView(all).last(crypto::signatureBytes)))
        return makeError(
            QStringLiteral("report-signature"),
            QStringLiteral("the report code's signature does not verify for kiosk %1").arg(s.context.kioskId));
    return s;
}

} // namespace pingyi
