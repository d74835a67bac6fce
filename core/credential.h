#pragma once
// The representative credential printed as a QR code on the invitation card: a compact,
// HQ-signed record of (activity, representative id, venue, group sessions). Text form
// "PY1:" + base32(body || Ed25519 signature) so the QR code uses alphanumeric mode.
// Format: docs/formats.md §Credential.

#include "crypto.h"
#include "result.h"

#include <QString>
#include <QStringList>

namespace pingyi {

struct Credential {
    QString activityId;
    QString repId;
    QString venue;
    QStringList sessions;

    /// Signs with the HQ root and returns the QR text.
    QString encode(const crypto::SigningKey &root) const;

    /// Decodes and verifies against the pinned HQ root public key. Error codes:
    /// "credential-format" (not a Pingyi credential or damaged), "credential-signature"
    /// (forged or signed by another HQ), "credential-activity", "credential-venue".
    /// Empty `venue` skips the venue check (HQ tools).
    static Result<Credential> verify(const QString &text, QByteArrayView rootPublicKey, const QString &activityId,
                                     const QString &venue);
};

} // namespace pingyi
