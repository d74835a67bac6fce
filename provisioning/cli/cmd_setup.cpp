// pingyi-hq: init and activity check: the office's keys and its activity spec.

#include "hqcli.h"

#include "fileio.h"

namespace pingyi::hqcli {

namespace {

int cmdInit(QCommandLineParser &p)
{
    auto dir = required(p, hqOpt);
    if (!dir)
        return fail(dir.error());
    auto pass = cli::obtainPassphrase(p.value(passOpt), QStringLiteral("New HQ passphrase: "), true);
    if (!pass)
        return fail(pass.error());
    auto r = hq::Hq::init(*dir, *pass);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
    } else {
        out(QStringLiteral("HQ directory:          %1").arg(r->value(QLatin1String("hq")).toString()));
        out(QStringLiteral("HQ root key:           %1").arg(r->value(QLatin1String("root_fingerprint")).toString()));
        out(QStringLiteral("Election sealing key:  %1")
                .arg(r->value(QLatin1String("election_fingerprint")).toString()));
        out(QStringLiteral("Write both fingerprints down: kiosks pin the root key at enrolment."));
    }
    return Ok;
}

int cmdActivityCheck(QCommandLineParser &p)
{
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one SPEC file")));
    auto a = loadActivity(p.positionalArguments().first());
    if (!a)
        return fail(a.error());
    if (p.isSet(QStringLiteral("venues"))) {
        for (const Venue &v : a->venues)
            out(v.code);
    } else if (p.isSet(jsonOpt)) {
        printJson(a->summaryJson());
    } else {
        out(a->summary());
    }
    return Ok;
}

} // namespace

std::vector<Command> setupCommands()
{
    return {
        {QStringLiteral("init"), QStringLiteral("init --hq DIR"),
         QStringLiteral(
             "Create the HQ root signing key and the election sealing key, each in a passphrase-protected file."),
         withHq, cmdInit},
        {QStringLiteral("activity check"), QStringLiteral("activity check SPEC"),
         QStringLiteral("Validate an activity spec and print a summary."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption({QStringLiteral("venues"), QStringLiteral("Only list the venue codes, one per line.")});
             p.addPositionalArgument(QStringLiteral("SPEC"), QStringLiteral("Activity spec (JSON)."));
         },
         cmdActivityCheck},
    };
}

} // namespace pingyi::hqcli
