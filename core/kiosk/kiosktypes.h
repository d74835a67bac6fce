#pragma once
// Value types shared by the parts of the kiosk service (core/kiosk/) and its callers.

#include "batch.h"
#include "identity.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace pingyi::kiosk {

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

struct Options {
    int staffLockSeconds = 120; ///< staff screens lock after this much inactivity
    int pinAttemptsBeforeLock = 3;
    int pinFirstLockSeconds = 30; ///< doubles with every further wrong PIN
    int pinMaxLockSeconds = 900;
    /// Wrong PINs are forgotten this long after the last one. A correct PIN does not forget
    /// them: otherwise a staff member could type their own PIN between guesses at the
    /// lead's or the technician's and never meet the back-off.
    int pinFailureMemorySeconds = 3600;
};

} // namespace pingyi::kiosk
