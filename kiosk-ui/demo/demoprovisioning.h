#pragma once
// Demo and self-test provisioning for the kiosk UI: enrol a kiosk state against an office
// directory made by scripts/provision-demo, or make a throwaway office from an activity
// spec. Uses the real office code (pingyi_hq), never shortcuts, so what the UI shows is what
// a provisioned venue kiosk shows. Not for production venues: it issues fresh staff PINs.

#include "crypto.h"
#include "kioskservice.h"
#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace pingyi::kiosk::demo {

struct StaffPins {
    QString staff;
    QString lead;
    QString technician;
};

/// A representative of the demo roster, for tests and the screen tour (synthetic people).
struct Voter {
    QString repId;
    QString credential; ///< the invitation card's QR text
    QString idNumber; ///< empty when the roster CSV is not available
    QStringList sessions;
};

struct Enrolment {
    StaffPins pins;
    QString kioskId;
    QList<Voter> voters; ///< this venue's representatives
};

/// Enrols `service` (unprovisioned) against the office in `hqDir` for `venue`: request,
/// certificate, new staff PINs for the venue, venue package. When `rosterCsv` is given, the
/// voters carry their ID numbers (the office keeps only hashes).
Result<Enrolment> enrolWithOffice(KioskService &service, const QString &hqDir, const crypto::SecretBytes &passphrase,
                                  const QString &venue, const QString &rosterCsv = QString());

/// The representatives of `venue` in the office `hqDir`, with their invitation credentials
/// and (when `rosterCsv` is given) their ID numbers: the demo's camera replay shows their
/// cards.
Result<QList<Voter>> officeVoters(const QString &hqDir, const crypto::SecretBytes &passphrase, const QString &venue,
                                  const QString &rosterCsv = QString());

/// Creates a throwaway office in `officeDir` for the activity spec `activityJson` with a
/// synthetic roster at `scale` of the quotas, written to `rosterCsv` as well (fast key
/// derivation: for tests and previews only).
Status makeScratchOffice(const QString &officeDir, const QByteArray &activityJson,
                         const crypto::SecretBytes &passphrase, const QString &rosterCsv, double scale = 0.05);

/// Writes the demo PINs (and a few ID numbers to try) to `path`, readable by the owner only.
Status writeDemoNotes(const QString &path, const Enrolment &enrolment, const QString &venue);

} // namespace pingyi::kiosk::demo
