#pragma once
// pingyi-sim's engine: a headless venue that drives the same KioskService the touchscreen
// drives. It enrols K kiosks with the HQ directory, loads the venue package, runs one group
// session with N representatives casting random ballots (some suggestions, some
// abandons), closes, and exports K batches. The truth file records what was cast.

#include "clock.h"
#include "crypto.h"
#include "hq.h"
#include "kioskservice.h"
#include "result.h"

#include <memory>

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pingyi::sim {

struct Options {
    QString hqDir;
    QString venue;
    QString session;
    int kiosks = 1;
    int voters = 0;
    QString outDir;
    quint64 seed = 1;
    bool rehearsal = false;
    double abandonRate = 0.05; ///< share of check-ins released without a ballot
    double suggestionRate = 0.25; ///< share of voters leaving a suggestion
    /// Share admitted by the venue lead's override; only when the activity allows the
    /// override identity method (else nobody is).
    double overrideRate = 0.02;
    /// State directories of kiosks the office already enrolled (kiosk.db, kiosk.key and
    /// certificate; a package optional). When given, these are driven instead of
    /// enrolling `kiosks` fresh ones.
    QStringList kioskStates;
    /// The technician PIN of the package a kiosk in `kioskStates` already holds: needed
    /// to load the new package with fresh staff PINs.
    QString technicianPin;
    /// pingyi-sim --shared: the kiosks share the venue's check-ins, each in a process of its
    /// own on 127.0.0.1 (runShared). The ledger comes from the program (it links the venue
    /// library; this engine does not).
    kiosk::SharedLedgerFactory sharedLedger;
    /// With --shared: the share of representatives who also try a second kiosk.
    double secondAttemptRate = 0.1;
};

struct SharedOutcome {
    int kiosks = 0;
    qint64 voters = 0;
    qint64 attempts = 0;
    qint64 secondAttempts = 0;
    qint64 ballots = 0;
    qint64 doubleVotes = 0; ///< representatives with a ballot at more than one kiosk: must be 0
    qint64 refusals = 0; ///< second attempts refused "checked-in-elsewhere" or "already-voted"
    qint64 refusalsNamingHolder = 0; ///< of those, naming the kiosk that holds the check-in
    QMap<QString, qint64> otherErrors; ///< anything else that went wrong, by code
    QStringList batches;
    double seconds = 0;
};

struct Outcome {
    QStringList batches;
    qint64 ballots = 0;
    qint64 released = 0;
    qint64 suggestions = 0;
    QJsonObject truth; ///< see docs/formats.md §Simulator truth
};

Result<Outcome> run(const Options &options, const crypto::SecretBytes &passphrase);

/// Runs `options.kiosks` kiosks of one venue sharing check-ins, each a process of
/// `program` (pingyi-sim itself) started with --venue-kiosk on 127.0.0.1, with a share of
/// representatives trying a second kiosk. Every refusal must name the holder and no
/// representative may vote twice; the outcome says how it went.
Result<SharedOutcome> runShared(const Options &options, const crypto::SecretBytes &passphrase, const QString &program);

/// One kiosk process of runShared(): reads its job on stdin, answers on stdout. Returns the
/// process's exit code.
int runVenueKiosk(const kiosk::SharedLedgerFactory &sharedLedger);

/// Opens a kiosk state directory, enrols it at `venue` with the office (request →
/// certificate). The caller builds and loads the package.
Result<std::unique_ptr<kiosk::KioskService>> enrolKiosk(hq::Hq &hq, const hq::Secrets &secrets, const QString &venue,
                                                        const QString &stateDir, const QString &kioskId,
                                                        const Clock &clock, kiosk::Options options = {});

} // namespace pingyi::sim
