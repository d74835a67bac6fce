// pingyi-hq: the tally and its outputs.

#include "hqcli.h"

#include "fileio.h"
#include "resultsreport.h"
#include "tally.h"

#include <QDir>
#include <QJsonArray>

#include <optional>
#include <utility>

namespace pingyi::hqcli {

namespace {

int cmdTally(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    auto threads = threadsOption(p);
    if (!threads)
        return fail(threads.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto activity = h->activity();
    if (!activity)
        return fail(activity.error());
    const bool provisional = p.isSet(QStringLiteral("provisional"));
    // Refuse an --out that is not an earlier tally's before anyone types a passphrase.
    auto stage = hq::StagedOutput::create(*outDir);
    if (!stage)
        return fail(stage.error());
    std::optional<hq::TallyResults> results;
    {
        // The election key exists only in this block: it is wiped before anything is written.
        const hq::NoCoreDumps noDumps;
        auto election = electionKey(p, *h);
        if (!election)
            return fail(election.error());
        hq::TallyOptions options;
        options.threads = *threads;
        auto computed = hq::computeTally(*h, *election, options);
        if (!computed)
            return fail(computed.error());
        results.emplace(std::move(computed).value());
    }
    if (p.isSet(QStringLiteral("accept-incomplete"))) {
        if (provisional)
            return fail(
                makeError(QStringLiteral("usage"),
                          QStringLiteral("--accept-incomplete is for full results; leave it out with --provisional")));
        results->incomplete = p.value(QStringLiteral("accept-incomplete")).trimmed();
        if (results->incomplete.isEmpty())
            return fail(makeError(QStringLiteral("usage"),
                                  QStringLiteral("--accept-incomplete needs the reason, as it will be printed on the "
                                                 "results (who decided, why the batch is lost)")));
    }
    if (provisional) {
        hq::withholdContent(*results);
    } else if (auto s = hq::checkFullRelease(*h, *results); !s) {
        for (const QString &a : results->attention())
            out(QStringLiteral("! %1").arg(a));
        return fail(s.error());
    }
    auto files = hq::writeTallyFiles(*results, *activity, stage->path());
    if (!files)
        return fail(files.error());
    if (!p.isSet(QStringLiteral("no-pdf"))) {
        const QString pdf = QDir(stage->path()).filePath(QStringLiteral("report.pdf"));
        if (auto s = hq::renderResultsPdf(*results, *activity, pdf); !s)
            return fail(s.error());
        files->append(pdf);
    }
    // Recorded before the files appear in --out: a later full tally is compared with it.
    if (auto s = hq::recordTallyRun(*h, *results); !s)
        return fail(s.error());
    if (auto s = stage->commit(); !s)
        return fail(s.error());
    const QStringList attention = results->attention();
    // The details of what could not be counted, for the office only (never in the files,
    // no receipt codes).
    QStringList rejected;
    for (const hq::RejectedRecord &r : results->rejected)
        rejected << QStringLiteral("%1 %2 of group %3 from kiosk %4 (venue %5): %6")
                        .arg(r.code, r.kind, r.session, r.kiosk, r.venue, r.message);
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("out"), *outDir},
                   {QStringLiteral("provisional"), results->provisional},
                   {QStringLiteral("ballots"), results->ballots},
                   {QStringLiteral("suggestions"), qint64(results->suggestions.size()) + results->withheldSuggestions},
                   {QStringLiteral("files"), qint64(files->size())},
                   {QStringLiteral("attention"), QJsonArray::fromStringList(attention)},
                   {QStringLiteral("rejected_details"), QJsonArray::fromStringList(rejected)}});
        return Ok;
    }
    out(QStringLiteral("%1 %2 ballots and %3 suggestions of %4.")
            .arg(results->provisional ? QStringLiteral("Provisional tally (counts and attendance only):")
                                      : QStringLiteral("Tallied"))
            .arg(results->ballots)
            .arg(results->suggestions.size() + results->withheldSuggestions)
            .arg(results->activityId));
    for (const hq::SessionResult &s : results->sessions) {
        if (!s.held)
            continue;
        out(QStringLiteral("  %1 %2: %3 ballots, attendance %4 / %5")
                .arg(s.code, s.name)
                .arg(s.ballots)
                .arg(s.attendance.present)
                .arg(s.attendance.invited));
        if (!s.departments.isEmpty())
            out(QStringLiteral("     first: %1 (%2)")
                    .arg(
                        s.departments.first().name,
                        QString::number(s.departments.first().weightedScore(), 'f', hq::scoreDecimals(s.departments))));
        else if (!s.withheld.isEmpty())
            out(QStringLiteral("     content withheld (%1)").arg(s.withheld));
    }
    for (const QString &a : attention)
        out(QStringLiteral("! %1").arg(a));
    for (const QString &r : rejected)
        out(QStringLiteral("  not counted: %1").arg(r));
    out(QStringLiteral("Wrote %1 files to %2 (results.json, CSV files%3%4).")
            .arg(files->size())
            .arg(*outDir)
            .arg(results->provisional ? QString() : QStringLiteral(", suggestions/"))
            .arg(p.isSet(QStringLiteral("no-pdf")) ? QString() : QStringLiteral(", report.pdf")));
    return Ok;
}

} // namespace

std::vector<Command> tallyCommands()
{
    return {
        {QStringLiteral("tally"), QStringLiteral("tally --hq DIR --out DIR [--provisional] [--share FILE…]"),
         QStringLiteral("Open every imported ballot and write results.json, CSV files, suggestions per department and "
                        "report.pdf into a fresh --out. Uses election.key, or K trustee shares. Full results only when "
                        "every batch is in; --provisional writes counts and attendance only."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption(shareOpt);
             p.addOption(sharePassOpt);
             p.addOption(threadsOpt);
             p.addOption({QStringLiteral("no-pdf"), QStringLiteral("Skip the PDF report.")});
             p.addOption({QStringLiteral("provisional"),
                          QStringLiteral("Counts and attendance only (no ratings, questionnaire, discipline survey or "
                                         "suggestions): for a tally while batches are still missing.")});
             p.addOption({QStringLiteral("accept-incomplete"),
                          QStringLiteral("Publish full results without the batches of retired (lost) kiosks; REASON "
                                         "is recorded and printed on the results."),
                          QStringLiteral("REASON")});
         },
         cmdTally},
    };
}

} // namespace pingyi::hqcli
