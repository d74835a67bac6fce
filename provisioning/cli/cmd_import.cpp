// pingyi-hq: verify and import session batches.

#include "hqcli.h"

#include "fileio.h"
#include "importer.h"
#include "kioskreports.h"
#include "progress.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>

#include <optional>
#include <utility>

namespace pingyi::hqcli {

namespace {

/// Batch files from the arguments; a directory stands for every *.pybatch in it.
Result<QStringList> batchArguments(QCommandLineParser &p)
{
    QStringList files;
    for (const QString &arg : p.positionalArguments()) {
        const QFileInfo info(arg);
        if (info.isDir()) {
            // QDir::System too: a *.pybatch that is a pipe, a device or a broken link is
            // reported by the import, not skipped without a word.
            const QStringList found
                = QDir(arg).entryList({QStringLiteral("*.pybatch")}, QDir::Files | QDir::System, QDir::Name);
            if (found.isEmpty())
                return makeError(QStringLiteral("no-batches"),
                                 QStringLiteral("no *.pybatch files in %1: is it the right drive or folder? A kiosk "
                                                "exports its batches to the top folder of the USB drive")
                                     .arg(arg));
            for (const QString &f : found)
                files << QDir(arg).filePath(f);
        } else {
            files << arg;
        }
    }
    if (files.isEmpty())
        return makeError(QStringLiteral("usage"), QStringLiteral("give at least one BATCH file or directory"));
    return files;
}

Result<QStringList> closingReports(QCommandLineParser &p)
{
    return reportCodes(p.values(closingOpt), QStringLiteral("--closing-report "));
}

QString batchLine(const hq::BatchReport &b)
{
    if (!b.headerRead)
        return QString();
    QString s
        = QStringLiteral("kiosk %1 at venue %2, group %3").arg(b.context.kioskId, b.context.venue, b.context.session);
    if (b.streamChecked)
        s += QStringLiteral(": %1 ballots, %2 suggestions, %3 check-ins")
                 .arg(b.ballotsCounted)
                 .arg(b.suggestionsCounted)
                 .arg(b.checkinsListed);
    else
        s += QStringLiteral(": header says %1 ballots, %2 suggestions").arg(b.counts.ballots).arg(b.counts.suggestions);
    return s;
}

/// Whether the batch was compared with its kiosk's closing report (--closing-report).
QString closingLine(const hq::BatchReport &b)
{
    if (b.closingReport.isEmpty())
        return QStringLiteral("          closing report: not checked");
    return b.closingReportStored
        ? QStringLiteral("          closing report: checked, now stored with the earlier import")
        : QStringLiteral("          closing report: checked");
}

void printFindings(const hq::BatchReport &b)
{
    if (b.headerRead)
        out(closingLine(b));
    for (const hq::QuarantinedRecord &q : b.quarantined)
        out(QStringLiteral("          ! quarantined: %1: %2").arg(q.code, q.message));
    for (const hq::Finding &w : b.warnings)
        out(QStringLiteral("          ! %1: %2").arg(w.code, w.message));
}

int finishSummary(const hq::ImportSummary &s, bool verify)
{
    for (const QString &u : s.unmatchedReports)
        out(QStringLiteral("! closing report %1").arg(u));
    for (const hq::Finding &f : s.reportProblems)
        out(QStringLiteral("! %1: %2").arg(f.code, f.message));
    for (const QString &n : s.reportNotes)
        out(QStringLiteral("  note: %1").arg(n));
    if (!s.reportsStored.isEmpty())
        out(QStringLiteral("  %1 report(s) stored (the tally expects each reporting kiosk's batch; pingyi-hq report "
                           "list shows them)")
                .arg(s.reportsStored.size()));
    if (verify)
        out(QStringLiteral("%1 of %2 batch(es) passed every check.")
                .arg(s.batches.size() - s.refused())
                .arg(s.batches.size()));
    else
        out(QStringLiteral("%1 imported, %2 already imported, %3 refused; %4 record(s) quarantined.")
                .arg(s.imported())
                .arg(s.alreadyImported())
                .arg(s.refused())
                .arg(s.quarantined()));
    return s.needsAttention() ? Failed : Ok;
}

/// The import's progress on the terminal: bytes checked as a bar, batches and records as text.
class ProgressBar {
public:
    ProgressBar(bool enabled, const char *verb) : m_bar(enabled), m_verb(verb) { }
    void update(const hq::ImportProgress &p)
    {
        if (!m_bar.due(p.batchesDone >= p.batchesTotal))
            return;
        m_bar.draw(p.bytesChecked, p.bytesTotal,
                   QStringLiteral("%1/%2 batches %3, %4 records checked")
                       .arg(p.batchesDone)
                       .arg(p.batchesTotal)
                       .arg(QLatin1String(m_verb))
                       .arg(p.recordsChecked));
    }
    void finish() { m_bar.finish(); }

private:
    cli::ProgressBar m_bar;
    const char *m_verb;
};

/// What verify and import both take from the command line besides the files: the closing
/// reports and the number of threads (the caller attaches its progress output).
Result<hq::ImportOptions> importOptions(QCommandLineParser &p)
{
    auto reports = closingReports(p);
    if (!reports)
        return reports.error();
    auto threads = threadsOption(p);
    if (!threads)
        return threads.error();
    hq::ImportOptions options;
    options.closingReports = *reports;
    options.threads = *threads;
    return options;
}

int cmdVerify(QCommandLineParser &p)
{
    auto files = batchArguments(p);
    if (!files)
        return fail(files.error());
    auto options = importOptions(p);
    if (!options)
        return fail(options.error());
    auto h = openHq(p, Lock::ByImporter);
    if (!h)
        return fail(h.error());
    auto unlocked = unlockUnlessNoDecrypt(p, *h);
    if (!unlocked)
        return fail(unlocked.error());
    const std::optional<hq::Secrets> &secrets = *unlocked;
    ProgressBar bar(!p.isSet(jsonOpt), "checked");
    options->liveProgress = [&](const hq::ImportProgress &progress) {
        bar.update(progress);
    };
    auto summary = hq::verifyBatches(*h, secrets ? &secrets->archive : nullptr, *files, *options);
    bar.finish();
    if (!summary)
        return fail(summary.error());
    if (p.isSet(jsonOpt)) {
        printJson(summary->toJson());
        return summary->needsAttention() ? Failed : Ok;
    }
    for (const hq::BatchReport &b : summary->batches) {
        if (b.refused()) {
            out(QStringLiteral("FAILED    %1").arg(b.file));
            for (const hq::Finding &f : b.problems)
                out(QStringLiteral("          - %1: %2").arg(f.code, f.message));
        } else {
            const QString note = b.sameAsEarlierInRun ? QStringLiteral(" (same as an earlier file in this run)")
                : b.outcome == hq::BatchOutcome::AlreadyImported
                ? QStringLiteral(" (already imported with the same content)")
                : b.streamChecked ? QString()
                                  : QStringLiteral(" (header, certificate and signature only)");
            out(QStringLiteral("OK        %1%2").arg(b.file, note));
            out(QStringLiteral("          %1").arg(batchLine(b)));
        }
        if (b.outcome != hq::BatchOutcome::AlreadyImported)
            printFindings(b);
        else if (b.headerRead)
            out(closingLine(b));
    }
    return finishSummary(*summary, true);
}

void printImported(const hq::ImportSummary &summary);

int cmdImport(QCommandLineParser &p)
{
    auto files = batchArguments(p);
    if (!files)
        return fail(files.error());
    auto options = importOptions(p);
    if (!options)
        return fail(options.error());
    auto h = openHq(p, Lock::ByImporter);
    if (!h)
        return fail(h.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    ProgressBar bar(!p.isSet(jsonOpt), "done");
    hq::ImportSummary partial;
    options->liveProgress = [&](const hq::ImportProgress &progress) {
        bar.update(progress);
    };
    options->partial = &partial;
    auto summary = hq::importBatches(*h, secrets->archive, *files, *options);
    bar.finish();
    if (!summary) {
        // Stopped by the database or the disk: say what was imported before, then why.
        if (p.isSet(jsonOpt)) {
            QJsonObject o = partial.toJson();
            o.insert(QStringLiteral("error"),
                     QJsonObject {{QStringLiteral("code"), summary.error().code},
                                  {QStringLiteral("message"), summary.error().message}});
            printJson(o);
        } else {
            printImported(partial);
        }
        return fail(summary.error());
    }
    if (p.isSet(jsonOpt)) {
        printJson(summary->toJson());
        return summary->needsAttention() ? Failed : Ok;
    }
    printImported(*summary);
    return finishSummary(*summary, false);
}

void printImported(const hq::ImportSummary &summary)
{
    for (const hq::BatchReport &b : summary.batches) {
        switch (b.outcome) {
        case hq::BatchOutcome::Imported:
            out(QStringLiteral("imported  %1").arg(b.file));
            out(QStringLiteral("          %1%2")
                    .arg(batchLine(b), b.discrepancy ? QStringLiteral(" (DISCREPANCY)") : QString()));
            break;
        case hq::BatchOutcome::AlreadyImported:
            out(QStringLiteral("already   %1").arg(b.file));
            out(QStringLiteral("          %1: %2 with the same content, nothing to do")
                    .arg(batchLine(b),
                         b.sameAsEarlierInRun ? QStringLiteral("imported from an earlier file in this run")
                                              : QStringLiteral("imported before")));
            break;
        default:
            out(QStringLiteral("REFUSED   %1").arg(b.file));
            for (const hq::Finding &f : b.problems)
                out(QStringLiteral("          - %1: %2").arg(f.code, f.message));
            break;
        }
        if (b.outcome != hq::BatchOutcome::AlreadyImported)
            printFindings(b);
        else if (b.headerRead)
            out(closingLine(b));
    }
}

} // namespace

std::vector<Command> importCommands()
{
    return {
        {QStringLiteral("verify"), QStringLiteral("verify --hq DIR [--no-decrypt] [--closing-report P] BATCH…"),
         QStringLiteral(
             "Check session batches as import would, without importing; prints OK or every problem per file."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("no-decrypt"),
                          QStringLiteral("Check header, certificate and signature only (no passphrase).")});
             p.addOption(closingOpt);
             p.addOption(threadsOpt);
             p.addPositionalArgument(QStringLiteral("BATCH"), QStringLiteral("Batch files or directories of them."));
         },
         cmdVerify},
        {QStringLiteral("import"), QStringLiteral("import --hq DIR [--closing-report P] BATCH…"),
         QStringLiteral(
             "Verify and import session batches: one transaction per batch; refuses wrong-activity, rehearsal "
             "and replayed batches; quarantines single bad records."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(closingOpt);
             p.addOption(threadsOpt);
             p.addPositionalArgument(QStringLiteral("BATCH"), QStringLiteral("Batch files or directories of them."));
         },
         cmdImport},
    };
}

} // namespace pingyi::hqcli
