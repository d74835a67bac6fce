#pragma once
// Kiosk enrolment: the kiosk makes its own Ed25519 key (it never leaves the kiosk) and a
// self-signed request; the office answers with a certificate, signed by the HQ root, that
// binds the kiosk's key to one activity and one venue. Formats: docs/formats.md §Kiosk.

#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QString>

namespace pingyi {

struct EnrolmentRequest {
    QString kioskId;
    QByteArray signPublicKey;

    /// Self-signed request (proof that the requester holds the key).
    static QByteArray create(const crypto::SigningKey &kioskKey, const QString &kioskId);
    /// Error codes: "kiosk-request-format", "kiosk-request-signature".
    static Result<EnrolmentRequest> parse(QByteArrayView bytes);

    /// Default kiosk id derived from the key: "K-" + 8 hex digits of its fingerprint.
    static QString defaultId(QByteArrayView signPublicKey);
};

struct KioskCertificate {
    QString kioskId;
    QByteArray signPublicKey;
    QByteArray boxPublicKey; ///< X25519 form, for encrypting venue packages to the kiosk
    QString activityId;
    QString venue;
    qint64 serial = 0;
    QByteArray bytes; ///< the signed document as issued (SignedDocument::canonical(): white space or
                      ///< line-ending variants of one certificate give the same bytes)

    static QByteArray issue(const crypto::SigningKey &root, const EnrolmentRequest &request, const QString &activityId,
                            const QString &venue, qint64 serial);
    /// Verifies against the HQ root and checks activity (and venue unless empty).
    /// Error codes: "kiosk-cert-format", "kiosk-cert-signature", "kiosk-cert-activity",
    /// "kiosk-cert-venue".
    static Result<KioskCertificate> verify(QByteArrayView bytes, QByteArrayView rootPublicKey,
                                           const QString &activityId, const QString &venue);
};

/// The HQ root public key as the office hands it to kiosk technicians (`root.pub`, JSON
/// with format "pingyi-root-public/v1"). Public, but only trusted once the technician has
/// compared its fingerprint with the one the office wrote down at `pingyi-hq init`.
QByteArray rootPublicFile(QByteArrayView rootPublicKey);
/// Error code: "root-key-file" (with what to do).
Result<QByteArray> parseRootPublicFile(QByteArrayView bytes, const QString &origin);

/// Kiosk ids: [A-Za-z0-9-]{1,32}, except "hq" (reserved for the office in packages).
bool isValidKioskId(const QString &id);

} // namespace pingyi
