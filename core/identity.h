#pragma once
// How a representative proves who they are at a kiosk, and the evidence each way hands to
// the core. The method names are spelled once, here: the activity spec's
// "identity_methods", the audit log and the UI all use identityMethodName().
// Where a new method goes: docs/kiosk.md §Identity.

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

/// Where an ID number came from.
enum class IdNumberSource { Keypad, Scanner, Ocr };

/// "keypad", "scanner", "ocr".
QString idNumberSourceName(IdNumberSource source);
std::optional<IdNumberSource> idNumberSourceFromName(const QString &name);

/// The text of an invitation card's QR code (camera or hand scanner).
struct CredentialEvidence {
    QString text;
};

/// An ID number as typed, scanned or read by OCR (normalised and checked by the core).
struct IdNumberEvidence {
    QString number;
    IdNumberSource source = IdNumberSource::Keypad;
};

/// What a face matcher hands the core: the embedding of the face in front of the camera.
/// The core compares it with the roster's templates; a caller never names the person.
struct FaceProbe {
    std::vector<float> embedding;
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

} // namespace pingyi
