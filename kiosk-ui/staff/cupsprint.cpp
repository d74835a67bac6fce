#include "cupsprint.h"

#include <cups/cups.h>

namespace pingyi::ui::cupsprint {

namespace {

QString option(const cups_dest_t &dest, const char *name)
{
    return QString::fromUtf8(cupsGetOption(name, dest.num_options, dest.options));
}

} // namespace

std::optional<Printer> defaultPrinter()
{
    cups_dest_t *dests = nullptr;
    const int count = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
    if (count <= 0 || !dests)
        return std::nullopt;
    // cupsGetDest(nullptr, …) is the default destination, if there is one.
    const cups_dest_t *dest = cupsGetDest(nullptr, nullptr, count, dests);
    if (!dest)
        dest = &dests[0];
    Printer p;
    p.name = QString::fromUtf8(dest->name);
    // IPP printer-state: 3 idle, 4 processing, 5 stopped.
    p.stopped = option(*dest, "printer-state") == QLatin1String("5");
    p.accepting = option(*dest, "printer-is-accepting-jobs") != QLatin1String("false");
    p.reasons = option(*dest, "printer-state-reasons");
    cupsFreeDests(count, dests);
    return p;
}

Submitted printPdf(const QString &printer, const QString &pdfPath, const QString &title)
{
    cups_option_t *options = nullptr;
    int n = cupsAddOption("document-format", "application/pdf", 0, &options);
    n = cupsAddOption("media", "iso_a4_210x297mm", n, &options);
    Submitted s;
    s.job = cupsPrintFile2(CUPS_HTTP_DEFAULT, printer.toUtf8().constData(), pdfPath.toLocal8Bit().constData(),
                           title.toUtf8().constData(), n, options);
    cupsFreeOptions(n, options);
    if (s.job == 0)
        s.error = QString::fromUtf8(cupsLastErrorString());
    return s;
}

JobState jobState(const QString &printer, int job)
{
    cups_job_t *jobs = nullptr;
    const int count = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, printer.toUtf8().constData(), 0, CUPS_WHICHJOBS_ALL);
    JobState state = JobState::Failed;
    for (int i = 0; i < count; ++i) {
        if (jobs[i].id != job)
            continue;
        switch (jobs[i].state) {
        case IPP_JSTATE_PENDING:
        case IPP_JSTATE_HELD:
        case IPP_JSTATE_PROCESSING:
            state = JobState::Waiting;
            break;
        case IPP_JSTATE_COMPLETED:
            state = JobState::Done;
            break;
        default:
            state = JobState::Failed;
        }
        break;
    }
    if (count > 0)
        cupsFreeJobs(count, jobs);
    return state;
}

void cancelJob(const QString &printer, int job)
{
    cupsCancelJob2(CUPS_HTTP_DEFAULT, printer.toUtf8().constData(), job, 0);
}

} // namespace pingyi::ui::cupsprint
