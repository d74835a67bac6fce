#pragma once
// pingyi-kiosk-preview --face-demo: the face check-in of a real kiosk window, its camera the
// demo's scripted person (kiosk-ui/demo/scriptedperson.h) through the real camera thread,
// face models, quality gate, challenge and 1:N. A throwaway office enrols one representative
// of the first group session from dlib's example photo. Unattended (the default) it plays the
// three tries and says how each ended — the representative identified (the masked name to
// confirm), an impostor refused, a held-up photo refused — and exits 0 only if so;
// `interactive` leaves the window to a person (the staff PINs are printed).

#include "crypto.h"
#include "facematch.h"
#include "hq.h"

#include <QMap>
#include <QSize>
#include <QString>

#include <functional>
#include <optional>

namespace pingyi::ui {

/// Imports the office's roster (`rosterCsv`) again, with a face template for each
/// representative of `venue` that `faceOf` gives one; returns those templates by rep id.
Result<QMap<QString, face::Embedding>>
enrolFaces(const QString &officeDir, const crypto::SecretBytes &passphrase, const QString &venue,
           const QString &rosterCsv, const std::function<std::optional<face::Embedding>(const hq::Card &)> &faceOf);

struct FaceDemoOptions {
    QSize screenSize {1920, 1080};
    QString screenshotsDir; ///< a PNG of each outcome; empty: none
    bool interactive = false;
};

/// The process exit code: 0 when the three tries ended as they should (unattended), 1 when
/// not, 2 when the demo cannot run here (no face models or no dlib photos: says which).
int runFaceDemo(const FaceDemoOptions &options);

} // namespace pingyi::ui
