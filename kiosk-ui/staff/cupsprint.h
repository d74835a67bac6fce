#pragma once
// The report screen's printer, through libcups directly: the default CUPS queue (or the
// only one), whether it takes jobs, the job handed to it and how that job ends. Qt's own
// CUPS print engine drops the job id and any error from cupsPrintFile, so a stopped or
// refusing queue would look like a print that worked.

#include <QString>

#include <optional>

namespace pingyi::ui::cupsprint {

struct Printer {
    QString name;
    bool stopped = false; ///< printer-state "stopped" (disabled, or stopped after an error)
    bool accepting = true; ///< printer-is-accepting-jobs
    QString reasons; ///< printer-state-reasons, for the log
};

/// The queue the staff console prints on: CUPS's default destination (lpadmin -d, or the
/// lpoptions default), else the first queue; nothing if CUPS has no queue or is not running.
std::optional<Printer> defaultPrinter();

struct Submitted {
    int job = 0; ///< 0: refused
    QString error; ///< cupsLastErrorString when refused
};

/// Hands the PDF file to `printer` as one job titled `title`.
Submitted printPdf(const QString &printer, const QString &pdfPath, const QString &title);

enum class JobState { Waiting, Done, Failed };

/// How job `job` on `printer` stands: Waiting (pending, held or processing), Done
/// (completed), Failed (stopped, cancelled, aborted, or no longer known to CUPS).
JobState jobState(const QString &printer, int job);

/// Cancels job `job` (the printer stopped under it, or it took too long).
void cancelJob(const QString &printer, int job);

} // namespace pingyi::ui::cupsprint
