#pragma once
// The bulletin as a printable A4 PDF (six columns of receipt codes per venue), and the one
// writer by file extension the command line uses. Format: docs/tally.md §Bulletin.

#include "bulletin.h"
#include "result.h"

#include <QString>

namespace pingyi::hq {

/// Renders the bulletin to a PDF written atomically at `pdfPath`. Needs a QGuiApplication.
Status renderBulletinPdf(const Bulletin &bulletin, const QString &pdfPath);

/// Writes by the file's extension: .pdf here, .json or text through writeBulletin().
Status writeBulletinFile(const Bulletin &bulletin, const QString &path);

} // namespace pingyi::hq
