// pingyi-hq: the receipt-code bulletin.

#include "hqcli.h"

#include "bulletin.h"
#include "bulletinpdf.h"
#include "fileio.h"

namespace pingyi::hqcli {

namespace {

int cmdBulletin(QCommandLineParser &p)
{
    auto outPath = required(p, outOpt);
    if (!outPath)
        return fail(outPath.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto b = hq::buildBulletin(*h);
    if (!b)
        return fail(b.error());
    if (auto s = hq::writeBulletinFile(*b, *outPath); !s)
        return fail(s.error());
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("bulletin"), *outPath},
                   {QStringLiteral("ballots"), b->total},
                   {QStringLiteral("status"),
                    b->tallied ? QStringLiteral("counted") : QStringLiteral("imported-not-tallied")},
                   {QStringLiteral("venues"), qint64(b->venues.size())},
                   {QStringLiteral("digest"), b->digest}});
        return Ok;
    }
    out(QStringLiteral("Bulletin with %1 receipt codes at %2 venue(s): %3")
            .arg(b->total)
            .arg(b->venues.size())
            .arg(*outPath));
    if (!b->tallied)
        out(QStringLiteral("! no tally has run yet: the bulletin lists ballots imported, not yet tallied"));
    qint64 rejected = 0;
    for (qint64 n : b->rejected)
        rejected += n;
    if (rejected || b->quarantined || b->notYetTallied)
        out(QStringLiteral(
                "Left out: %1 the tally could not count, %2 quarantined at import, %3 imported after the last "
                "tally.")
                .arg(rejected)
                .arg(b->quarantined)
                .arg(b->notYetTallied));
    out(QStringLiteral("Digest (publish it with the bulletin): %1").arg(b->digest));
    return Ok;
}

} // namespace

std::vector<Command> bulletinCommands()
{
    return {
        {QStringLiteral("bulletin"), QStringLiteral("bulletin --hq DIR --out FILE"),
         QStringLiteral("Publish every counted receipt code, sorted, per venue (text; .json or .pdf by extension)."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
         },
         cmdBulletin},
    };
}

} // namespace pingyi::hqcli
