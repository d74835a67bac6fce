#pragma once
// The session report on paper: one A4 page with the same labelled numbers, local time and
// short digest as the report screen, the full digest, a large QR code and lines to sign.

#include "staffmodels.h"

#include <QString>

class QPrinter;

namespace pingyi::ui {

struct PrintedReport {
    QString activity;
    QString venue;
    QString session;
    bool rehearsal = false;
    ReportFacts facts;
    QString qrPayload;
};

/// Paints `report` on one page of `printer`; false if the printer could not be started.
bool printReport(QPrinter &printer, const PrintedReport &report);

} // namespace pingyi::ui
