#pragma once
// Value types shared by the parts of the kiosk service (core/kiosk/) and its callers.

#include "batch.h"
#include "identity.h"

#include "crypto.h"
#include "result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace pingyi::kiosk {

class CheckInLedger;
class LocalCheckInLedger;
class KioskStore;

using pingyi::IdentityMethod;

enum class Provisioning { Unenrolled, AwaitingCertificate, AwaitingPackage, Ready };
enum class Role { None, Staff, Lead, Technician };
enum class SessionState { Ready, Open, Paused, Closed, Exported };
enum class ReleaseReason { Cancelled, Idle, StaffReset };

QString roleName(Role role);
QString stateName(SessionState state);

struct SessionKey {
    QString code;
    bool rehearsal = false;
    bool operator==(const SessionKey &) const = default;
};

struct SessionStatus {
    SessionKey key;
    QString name;
    SessionState state = SessionState::Ready;
    BatchCounts counts;
    bool voterActive = false;
};

/// A signed report: the document, a text rendering and a compact QR payload.
struct Report {
    QString kind; ///< "zero" or "closing"
    QJsonObject body;
    QByteArray document; ///< SignedDocument bytes
    QString text; ///< for the screen and the printer
    QString qrPayload; ///< "PYR1:" + base32, see docs/formats.md §Reports
};

/// Where a refused representative is invited instead, so the refusal can send them there:
/// another group session of this venue ("not-in-session") or another venue
/// ("credential-venue", from the card's signed content). Never who they are.
struct Placement {
    QString venue; ///< Venue::code
    QStringList sessions; ///< GroupSession::code, in the invitation's order
};

/// What the voter's screen may know about the person who checked in.
struct CheckIn {
    QString maskedName;
    QString category;
    SessionKey session;
    IdentityMethod method = IdentityMethod::Credential;
};

struct Receipt {
    QString code; ///< receipt code for the voter and the bulletin
    qint64 suggestions = 0;
};

struct ExportResult {
    QString path;
    qint64 bytes = 0;
    BatchCounts counts;
    QString ballotDigest; ///< hex
};

/// What a kiosk of a venue whose package has a network plan of two or more kiosks needs to
/// join the venue's shared check-in ledger (docs/venue.md).
struct SharedLedgerPlan {
    QString kioskId;
    const crypto::SigningKey *key = nullptr; ///< the kiosk's own key (the venue channel's identity)
    QByteArray rootPublicKey;
    QString activityId;
    QString venue;
    QList<QByteArray> kioskCerts; ///< from the venue package
    QHash<QString, QString> addresses; ///< the network plan: kiosk id -> "host:port"
    QString dataDir; ///< the shared ledger's own files, beside kiosk.db
};

/// Builds the CheckInLedger of a kiosk that shares its venue's check-ins, in front of its
/// local ledger. Set by the program that links the venue library (pingyi-kiosk, pingyi-sim):
/// the core does not.
using SharedLedgerFactory = std::function<Result<std::unique_ptr<CheckInLedger>>(
    const SharedLedgerPlan &plan, LocalCheckInLedger &local, KioskStore &store)>;

struct Options {
    int staffLockSeconds = 120; ///< staff screens lock after this much inactivity
    int pinAttemptsBeforeLock = 3;
    int pinFirstLockSeconds = 30; ///< doubles with every further wrong PIN
    int pinMaxLockSeconds = 900;
    /// Wrong PINs are forgotten this long after the last one. A correct PIN does not forget
    /// them: otherwise a staff member could type their own PIN between guesses at the
    /// lead's or the technician's and never meet the back-off.
    int pinFailureMemorySeconds = 3600;
    /// When set and the venue package plans two or more kiosks on the venue network, the
    /// kiosk shares its check-ins through the ledger this makes; otherwise (and always for a
    /// venue of one kiosk) it keeps its local check-in list alone.
    SharedLedgerFactory sharedLedger;
};

} // namespace pingyi::kiosk
