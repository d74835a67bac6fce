#pragma once
// How a representative proves who they are at a kiosk, and the evidence each way hands to
// the core. The method names are spelled once, here: the activity spec's
// "identity_methods", the audit log and the UI all use identityMethodName().
// Where a new method goes: docs/kiosk.md §Identity.

#include "liveness.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>
#include <vector>

namespace pingyi {

enum class IdentityMethod { Credential, IdNumber, Face, Override };

/// Every method, in the order the activity spec lists them in its documentation.
inline constexpr IdentityMethod allIdentityMethods[]
    = {IdentityMethod::Credential, IdentityMethod::IdNumber, IdentityMethod::Face, IdentityMethod::Override};

/// The on-disk spelling: "credential", "id_number", "face", "override".
QString identityMethodName(IdentityMethod method);
/// The method spelled `name` exactly (case matters), or nothing.
std::optional<IdentityMethod> identityMethodFromName(const QString &name);
/// Every method name, in allIdentityMethods order.
QStringList identityMethodNames();

/// Where the evidence came from: the kiosk's keypad, a hand scanner (a keyboard wedge), the
/// kiosk's camera (QR decoding, ID-card OCR, a face), or the venue lead (an override). The
/// audit log records it with the method, never the evidence itself.
enum class EvidenceSource { Keypad, Scanner, Camera, Override };

/// "keypad", "scanner", "camera", "override".
QString evidenceSourceName(EvidenceSource source);
std::optional<EvidenceSource> evidenceSourceFromName(const QString &name);

/// The text of an invitation card's QR code, from the hand scanner or the camera.
struct CredentialEvidence {
    QString text;
    EvidenceSource source = EvidenceSource::Scanner;
};

/// An ID number as typed, scanned, or read from the card by the camera (normalised and
/// checked by the core).
struct IdNumberEvidence {
    QString number;
    EvidenceSource source = EvidenceSource::Keypad;
};

/// What the camera hands the core for a face check-in (docs/identity.md#at-the-kiosk): the
/// frames it saw since the core issued the head-turn challenge (KioskService::beginFaceCheck)
/// and the probe, one usable frontal frame of that track. The core replays the challenge on
/// the track, checks that the probe is one of its frames, and compares the probe with the
/// roster's templates; a caller never names the person. Face data: in memory only.
struct FaceProbe {
    std::vector<face::TrackFrame> track;
    face::Probe probe;
};

/// The venue lead lets someone in without the usual check: a representative id or an ID
/// number, and why.
struct OverrideEvidence {
    QString who;
    QString reason;
};

using Evidence = std::variant<CredentialEvidence, IdNumberEvidence, FaceProbe, OverrideEvidence>;

/// The method the evidence belongs to.
IdentityMethod methodOf(const Evidence &evidence);
/// Where it came from (a face is always the camera's, an override always the lead's).
EvidenceSource sourceOf(const Evidence &evidence);

} // namespace pingyi
