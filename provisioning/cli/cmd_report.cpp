// pingyi-hq: kiosks' zero and closing reports, what is expected of each kiosk, retired kiosks.

#include "hqcli.h"

#include "enrolment.h"
#include "fileio.h"
#include "kioskreports.h"
#include "qrscan.h"

#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>

namespace pingyi::hqcli {

namespace {

/// The QR codes in a photograph (PNG, JPEG) of the report screen or the printed report:
/// read as it is, then in grey scaled down (a phone's 12-megapixel picture makes each
/// module dozens of pixels of noise and moiré; zxing finds the code better smaller).
Result<QStringList> photoCodes(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(QStringLiteral("io-read"),
                         QStringLiteral("--image %1: no such file; give the path of the photograph of the report's QR "
                                        "code (PNG or JPEG)")
                             .arg(path));
    QImageReader reader(path);
    reader.setAutoTransform(true); // a phone's JPEG says which way up it was held
    // Phones take up to 50 megapixels; Qt's default refuses images over 256 MB.
    QImageReader::setAllocationLimit(1024);
    QImage image = reader.read();
    if (image.isNull())
        return makeError(QStringLiteral("io-read"),
                         QStringLiteral("--image %1 cannot be read as a picture (%2): give the photograph as a PNG or "
                                        "JPEG file")
                             .arg(path, reader.errorString()));
    image = image.convertToFormat(QImage::Format_Grayscale8);
    bool seen = false;
    const int longSide = std::max(image.width(), image.height());
    bool first = true;
    for (const int side : {longSide, 2400, 1600, 1000, 700}) {
        if (!first && side >= longSide)
            continue;
        first = false;
        const QImage scaled = side == longSide
            ? image
            : image.scaled(image.width() * side / longSide, image.height() * side / longSide, Qt::KeepAspectRatio,
                           Qt::SmoothTransformation);
        const qr::QrScan scan
            = qr::scanGrey(scaled.constBits(), scaled.width(), scaled.height(), int(scaled.bytesPerLine()));
        if (!scan.texts.isEmpty())
            return scan.texts;
        seen = seen || scan.seen;
    }
    const QString retake = QStringLiteral(
        "take the photograph again: straight in front of the screen (or the printed page), in focus, without "
        "reflections or glare, the whole QR code in the picture and filling much of it; or give the report code "
        "as text (PYR1:…)");
    if (seen)
        return makeError(
            QStringLiteral("qr-unreadable"),
            QStringLiteral("--image %1: a QR code is in the photograph but cannot be read; %2").arg(path, retake));
    return makeError(QStringLiteral("qr-not-found"),
                     QStringLiteral("--image %1: no QR code found in the photograph; %2").arg(path, retake));
}

const QCommandLineOption imageOpt(QStringLiteral("image"),
                                  QStringLiteral("A photograph (PNG, JPEG) of a report's QR code, on the kiosk's "
                                                 "screen or on paper; repeat for more."),
                                  QStringLiteral("PHOTO"));

/// Report codes from the arguments: `PYR1:` payloads, files holding one a line, and the
/// codes read from --image photographs.
Result<QStringList> reportTexts(const QCommandLineParser &p)
{
    auto codes = reportCodes(p.positionalArguments(), QString());
    if (!codes)
        return codes.error();
    QStringList texts = *codes;
    for (const QString &photo : p.values(imageOpt)) {
        auto read = photoCodes(photo);
        if (!read)
            return read.error();
        // Each code read is given as if typed: one that is not a report is refused below
        // with the reason, like any other.
        texts += *read;
    }
    if (texts.isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("give at least one FILE (or PYR1:… code), or --image PHOTO"));
    return texts;
}

int cmdReportAdd(QCommandLineParser &p)
{
    auto texts = reportTexts(p);
    if (!texts)
        return fail(texts.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto results = hq::storeReports(*h, *texts);
    if (!results)
        return fail(results.error());
    int refused = 0;
    QJsonArray list;
    for (const hq::ReportStoreResult &r : *results) {
        const QString outcome = r.outcome == hq::ReportOutcome::Stored ? QStringLiteral("stored")
            : r.outcome == hq::ReportOutcome::AlreadyStored            ? QStringLiteral("already-stored")
                                                                       : QStringLiteral("refused");
        refused += r.outcome == hq::ReportOutcome::Refused ? 1 : 0;
        QJsonObject o {{QStringLiteral("report"), r.label}, {QStringLiteral("outcome"), outcome}};
        if (r.outcome == hq::ReportOutcome::Refused) {
            o.insert(QStringLiteral("code"), r.code);
            o.insert(QStringLiteral("message"), r.message);
        }
        list.append(o);
        if (!p.isSet(jsonOpt))
            out(r.outcome == hq::ReportOutcome::Refused
                    ? QStringLiteral("REFUSED   %1\n          - %2: %3").arg(r.label, r.code, r.message)
                    : QStringLiteral("%1 %2").arg(outcome.leftJustified(9), r.label));
    }
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("reports"), list}, {QStringLiteral("refused"), refused}});
    else
        out(QStringLiteral("%1 report(s) given, %2 refused.").arg(results->size()).arg(refused));
    return refused ? Failed : Ok;
}

int cmdReportList(QCommandLineParser &p)
{
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto status = hq::kioskStatus(*h);
    if (!status)
        return fail(status.error());
    QJsonArray list;
    QStringList spares;
    int missing = 0;
    for (const hq::KioskStatus &k : *status) {
        QJsonArray reports;
        QStringList reportText;
        for (const hq::KioskReportRow &r : k.reports) {
            reports.append(
                QJsonObject {{QStringLiteral("session"), r.session},
                             {QStringLiteral("rehearsal"), r.rehearsal},
                             {QStringLiteral("kind"), r.closing ? QStringLiteral("closing") : QStringLiteral("zero")},
                             {QStringLiteral("ballots"), r.counts.ballots},
                             {QStringLiteral("stored_at"), r.storedAt}});
            reportText << QStringLiteral("%1 %2%3%4")
                              .arg(r.closing ? QStringLiteral("closing") : QStringLiteral("zero"), r.session,
                                   r.rehearsal ? QStringLiteral(" (rehearsal)") : QString(),
                                   r.closing ? QStringLiteral(" %1 ballots").arg(r.counts.ballots) : QString());
        }
        const QString state = !k.retiredReason.isEmpty() ? QStringLiteral("retired")
            : !k.missing.isEmpty()                       ? QStringLiteral("batch-missing")
            : k.spare()                                  ? QStringLiteral("spare")
                                                         : QStringLiteral("ok");
        missing += k.retiredReason.isEmpty() && !k.missing.isEmpty() ? 1 : 0;
        list.append(QJsonObject {{QStringLiteral("kiosk"), k.kiosk},
                                 {QStringLiteral("venue"), k.venue},
                                 {QStringLiteral("state"), state},
                                 {QStringLiteral("batches"), QJsonArray::fromStringList(k.batches)},
                                 {QStringLiteral("missing"), QJsonArray::fromStringList(k.missing)},
                                 {QStringLiteral("reports"), reports},
                                 {QStringLiteral("retired_reason"), k.retiredReason}});
        if (p.isSet(jsonOpt))
            continue;
        if (state == QLatin1String("spare")) {
            spares << QStringLiteral("%1 (%2)").arg(k.kiosk, k.venue);
            continue;
        }
        out(QStringLiteral("%1 %2 (venue %3)").arg(state.toUpper().leftJustified(13), k.kiosk, k.venue));
        if (!k.missing.isEmpty())
            out(QStringLiteral("              batch not imported: %1").arg(k.missing.join(QStringLiteral(", "))));
        if (!k.batches.isEmpty())
            out(QStringLiteral("              imported: %1").arg(k.batches.join(QStringLiteral(", "))));
        if (!reportText.isEmpty())
            out(QStringLiteral("              reports: %1").arg(reportText.join(QStringLiteral(", "))));
        if (!k.retiredReason.isEmpty())
            out(QStringLiteral("              retired: %1").arg(k.retiredReason));
    }
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("kiosks"), list}});
        return Ok;
    }
    if (!spares.isEmpty())
        out(QStringLiteral("%1 spare kiosk(s) (no report, no batch): %2")
                .arg(spares.size())
                .arg(spares.join(QStringLiteral(", "))));
    if (missing)
        out(QStringLiteral("%1 kiosk(s) with a batch missing: import their USB drives, or retire a kiosk whose drive "
                           "is lost (pingyi-hq kiosk retire).")
                .arg(missing));
    return Ok;
}

int cmdKioskRetire(QCommandLineParser &p)
{
    auto kiosk = required(p, QCommandLineOption(QStringLiteral("kiosk")));
    if (!kiosk)
        return fail(kiosk.error());
    auto reason = required(p, QCommandLineOption(QStringLiteral("reason")));
    if (!reason)
        return fail(reason.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto r = hq::retireKiosk(*h, *kiosk, *reason);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("kiosk"), r->kiosk},
                   {QStringLiteral("venue"), r->venue},
                   {QStringLiteral("reason"), r->reason},
                   {QStringLiteral("retired_at"), r->retiredAt}});
        return Ok;
    }
    out(QStringLiteral("Kiosk %1 (venue %2) retired at %3: %4. It is no longer expected; a batch it reported and "
                       "never sent is taken as lost (see pingyi-hq tally --accept-incomplete).")
            .arg(r->kiosk, r->venue, r->retiredAt, r->reason));
    return Ok;
}

} // namespace

std::vector<Command> reportCommands()
{
    return {
        {QStringLiteral("report add"), QStringLiteral("report add --hq DIR [--image PHOTO]… [FILE…]"),
         QStringLiteral("Verify and store kiosks' zero and closing reports (files of PYR1:… codes, one a line, or "
                        "photographs of the report's QR code): the tally then expects each reporting kiosk's batch "
                        "of that group."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(imageOpt);
             p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files of report codes, or PYR1:… codes."));
         },
         cmdReportAdd},
        {QStringLiteral("report list"), QStringLiteral("report list --hq DIR"),
         QStringLiteral("Per enrolled kiosk: batches imported, reports stored, batches missing, retired or spare."),
         [=](QCommandLineParser &p) { withHq(p); }, cmdReportList},
        {QStringLiteral("kiosk retire"), QStringLiteral("kiosk retire --hq DIR --kiosk ID --reason TEXT"),
         QStringLiteral("Record that a kiosk is no longer expected (spare, broken, USB drive lost); printed with the "
                        "results."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("kiosk"), QStringLiteral("Kiosk id."), QStringLiteral("ID")});
             p.addOption({QStringLiteral("reason"), QStringLiteral("Why it is retired."), QStringLiteral("TEXT")});
         },
         cmdKioskRetire},
    };
}

} // namespace pingyi::hqcli
