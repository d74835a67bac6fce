// pingyi-hq: venue packages: build and inspect.

#include "hqcli.h"

#include "fileio.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>
#include <utility>

namespace pingyi::hqcli {

namespace {

const QCommandLineOption networkOpt {
    QStringLiteral("network"),
    QStringLiteral("The venue's network plan: one kiosk per line, \"kiosk-id host:port\". With two or more kiosks the "
                   "kiosks share their check-ins over the venue network (docs/venue.md)."),
    QStringLiteral("FILE")};

int cmdPackage(QCommandLineParser &p)
{
    auto venue = required(p, venueOpt);
    auto outPath = required(p, outOpt);
    if (!venue || !outPath)
        return fail(!venue ? venue.error() : outPath.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    QHash<QString, QString> network;
    if (p.isSet(networkOpt)) {
        const QString planPath = p.value(networkOpt);
        auto text = readFile(planPath, 1 << 20);
        if (!text)
            return fail(text.error());
        auto plan = hq::Hq::parseNetworkPlan(*text, planPath);
        if (!plan)
            return fail(plan.error());
        network = *plan;
    }
    QJsonObject summary;
    auto file = h->buildPackage(*venue, *secrets, &summary, network);
    if (!file)
        return fail(file.error());
    if (auto s = writeFileAtomic(*outPath, *file); !s)
        return fail(s.error());
    summary.insert(QStringLiteral("package"), *outPath);
    if (p.isSet(jsonOpt))
        printJson(summary);
    else
        out(QStringLiteral("Venue package %1 v%2 for %3 representatives and %4 kiosk(s): %5")
                .arg(*venue)
                .arg(summary.value(QLatin1String("version")).toInteger())
                .arg(summary.value(QLatin1String("representatives")).toInteger())
                .arg(summary.value(QLatin1String("kiosks")).toArray().size())
                .arg(*outPath));
    if (!p.isSet(jsonOpt) && summary.value(QLatin1String("shared_checkins")).toBool())
        out(QStringLiteral("The venue's kiosks share their check-ins over the venue network (network plan from %1).")
                .arg(p.value(networkOpt)));
    return Ok;
}

int cmdPackageInspect(QCommandLineParser &p)
{
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one package FILE")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto file = readInputFile(p.positionalArguments().first(), InputKind::VenuePackage);
    if (!file)
        return fail(file.error());
    auto unlocked = unlockUnlessNoDecrypt(p, *h);
    if (!unlocked)
        return fail(unlocked.error());
    const std::optional<hq::Secrets> &secrets = *unlocked;
    auto r = h->inspectPackage(*file, secrets ? &*secrets : nullptr);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
        return Ok;
    }
    out(QStringLiteral("OK  %1").arg(p.positionalArguments().first()));
    out(QStringLiteral("  activity:        %1").arg(r->value(QLatin1String("activity")).toString()));
    out(QStringLiteral("  venue:           %1").arg(r->value(QLatin1String("venue")).toString()));
    out(QStringLiteral("  version:         %1").arg(r->value(QLatin1String("version")).toInteger()));
    out(QStringLiteral("  signed by:       %1 (valid)").arg(r->value(QLatin1String("issuer")).toString()));
    QStringList rec;
    for (const auto &v : r->value(QLatin1String("recipients")).toArray())
        rec << v.toString();
    out(QStringLiteral("  encrypted to:    %1").arg(rec.join(QStringLiteral(", "))));
    out(QStringLiteral("  content:         %1").arg(r->value(QLatin1String("content")).toString()));
    const QJsonObject plan = r->value(QLatin1String("network")).toObject();
    for (auto it = plan.begin(); it != plan.end(); ++it)
        out(QStringLiteral("  network:         %1 at %2").arg(it.key(), it.value().toString()));
    if (r->contains(QLatin1String("representatives"))) {
        out(QStringLiteral("  representatives: %1").arg(r->value(QLatin1String("representatives")).toInteger()));
        const QJsonObject s = r->value(QLatin1String("by_session")).toObject();
        for (auto it = s.begin(); it != s.end(); ++it)
            out(QStringLiteral("    %1: %2").arg(it.key(), -12).arg(it.value().toInteger()));
    }
    return Ok;
}

} // namespace

std::vector<Command> packageCommands()
{
    return {
        {QStringLiteral("package"), QStringLiteral("package --hq DIR --venue V --out FILE [--network PLAN]"),
         QStringLiteral("Build the signed, encrypted venue package for the venue's enrolled kiosks."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(venueOpt);
             p.addOption(outOpt);
             p.addOption(networkOpt);
         },
         cmdPackage},
        {QStringLiteral("package inspect"), QStringLiteral("package inspect FILE --hq DIR [--no-decrypt]"),
         QStringLiteral("Verify a venue package and print a summary; says exactly what failed."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("no-decrypt"),
                          QStringLiteral("Check the signature and header only (no passphrase).")});
             p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Venue package."));
         },
         cmdPackageInspect},
    };
}

} // namespace pingyi::hqcli
