// pingyi-hq: the roster and the invitation cards.

#include "hqcli.h"

#include "cards.h"
#include "fileio.h"
#include "roster.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace pingyi::hqcli {

namespace {

int cmdRosterSynth(QCommandLineParser &p)
{
    auto spec = required(p, activityOpt);
    auto outPath = required(p, outOpt);
    if (!spec || !outPath)
        return fail(!spec ? spec.error() : outPath.error());
    auto a = loadActivity(*spec);
    if (!a)
        return fail(a.error());
    bool ok = true;
    const quint64 seed = p.isSet(QStringLiteral("seed")) ? p.value(QStringLiteral("seed")).toULongLong(&ok) : 2025;
    if (!ok)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--seed must be a whole number")));
    const double scale = p.isSet(QStringLiteral("scale")) ? p.value(QStringLiteral("scale")).toDouble(&ok) : 1.0;
    if (!ok || scale <= 0 || scale > 100)
        return fail(
            makeError(QStringLiteral("usage"), QStringLiteral("--scale must be a number above 0 (1.0 = full quotas)")));
    const QByteArray csv = synthRoster(*a, seed, scale);
    if (auto s = writeFileAtomic(*outPath, csv, true); !s)
        return fail(s.error());
    const qsizetype n = csv.count('\n') - 1;
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("roster"), *outPath}, {QStringLiteral("representatives"), qint64(n)}});
    else
        out(QStringLiteral("Wrote %1 synthetic representatives to %2").arg(n).arg(*outPath));
    return Ok;
}

int cmdRosterImport(QCommandLineParser &p)
{
    auto spec = required(p, activityOpt);
    if (!spec)
        return fail(spec.error());
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one ROSTER.csv")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto a = loadActivity(*spec);
    if (!a)
        return fail(a.error());
    const QString csvPath = p.positionalArguments().first();
    auto csv = readInputFile(csvPath, InputKind::Roster);
    if (!csv)
        return fail(csv.error());
    // Checked against the spec before anything is stored: a bad roster leaves the HQ
    // directory exactly as it was (spec included).
    if (auto entries = parseRoster(*csv, *a, QFileInfo(csvPath).fileName()); !entries)
        return fail(entries.error());
    else if (auto quotas = hq::checkRosterQuotas(*entries, *a, QFileInfo(csvPath).fileName()); !quotas)
        return fail(quotas.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    if (auto s = h->setActivity(*a); !s)
        return fail(s.error());
    auto r = h->importRoster(*csv, QFileInfo(csvPath).fileName(), *secrets);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
    } else {
        out(QStringLiteral("Imported %1 representatives for %2 (ID numbers stored only as keyed hashes).")
                .arg(r->value(QLatin1String("representatives")).toInteger())
                .arg(a->id));
        const QJsonObject venues = r->value(QLatin1String("by_venue")).toObject();
        for (auto it = venues.begin(); it != venues.end(); ++it)
            out(QStringLiteral("  %1: %2").arg(it.key(), -12).arg(it.value().toInteger()));
        const QJsonArray warnings = r->value(QLatin1String("quota_warnings")).toArray();
        if (!warnings.isEmpty()) {
            out(QStringLiteral("Warning: %1 quota cell(s) not met (the spec's roster.quotas is \"warn\"):")
                    .arg(warnings.size()));
            for (const QJsonValue &w : warnings)
                out(QStringLiteral("  ") + w.toString());
        }
    }
    return Ok;
}

int cmdCards(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto a = h->activity();
    if (!a)
        return fail(a.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    const QString venue = p.value(venueOpt);
    auto cards = h->cards(*secrets, venue);
    if (!cards)
        return fail(cards.error());
    if (!QDir().mkpath(*outDir))
        return fail(makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(*outDir)));
    const QString pdf = QDir(*outDir).filePath(venue.isEmpty() ? QStringLiteral("cards-all.pdf")
                                                               : QStringLiteral("cards-%1.pdf").arg(venue));
    if (auto s = hq::renderCardsPdf(*cards, *a, pdf); !s)
        return fail(s.error());
    const qint64 pages = (cards->size() + 7) / 8;
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("pdf"), pdf},
                   {QStringLiteral("cards"), qint64(cards->size())},
                   {QStringLiteral("pages"), pages}});
    else
        out(QStringLiteral("Wrote %1 invitation cards on %2 A4 pages to %3").arg(cards->size()).arg(pages).arg(pdf));
    return Ok;
}

} // namespace

std::vector<Command> rosterCommands()
{
    return {
        {QStringLiteral("roster synth"),
         QStringLiteral("roster synth --activity SPEC --out ROSTER.csv [--seed N] [--scale F]"),
         QStringLiteral("Write a synthetic roster following the activity's quotas (scale 1.0 = full quotas)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(activityOpt);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 2025)."), QStringLiteral("N")});
             p.addOption({QStringLiteral("scale"), QStringLiteral("Fraction of the quotas (default 1.0)."),
                          QStringLiteral("F")});
         },
         cmdRosterSynth},
        {QStringLiteral("roster import"), QStringLiteral("roster import --hq DIR --activity SPEC ROSTER.csv"),
         QStringLiteral(
             "Validate a roster and store it (ID numbers only as keyed hashes). Replaces an earlier roster."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(activityOpt);
             p.addPositionalArgument(QStringLiteral("ROSTER.csv"), QStringLiteral("Roster CSV (UTF-8)."));
         },
         cmdRosterImport},
        {QStringLiteral("cards"), QStringLiteral("cards --hq DIR --out DIR [--venue V]"),
         QStringLiteral("Render print-ready invitation cards (A4 PDF, 8 per page) with signed credential QR codes."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption(venueOpt);
         },
         cmdCards},
    };
}

} // namespace pingyi::hqcli
