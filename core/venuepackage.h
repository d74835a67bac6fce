#pragma once
// The venue package: everything a venue's kiosks need (activity, venue roster of keyed
// hashes and masked names, kiosk certificates, staff PIN hashes, public keys), signed by
// the HQ root and encrypted to the venue's enrolled kiosks (plus an HQ archive key so the
// office can inspect what it issued). Format: docs/formats.md §Venue package.

#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace pingyi {

struct VenueRosterEntry {
    QString repId;
    QByteArray idHash; ///< keyed BLAKE2b of the ID number (never the number)
    QString maskedName;
    QString category;
    QStringList sessions;
    /// The enrolled face template (face::encodeTemplate, 512 bytes), or empty when the
    /// representative has none (no usable photo): they use the other methods.
    QByteArray faceTemplate;
};

struct StaffPin {
    QString role; ///< "staff", "lead" or "technician"
    QString pinHash; ///< Argon2id string (crypto_pwhash_str)
};

struct VenuePackageContent {
    QString activityId;
    QString venue;
    qint64 version = 0;
    QByteArray activityJson; ///< canonical activity spec
    QByteArray rootPublicKey;
    QByteArray electionPublicKey;
    QByteArray archivePublicKey; ///< the office's transport key: batches are also sealed to it
    crypto::SecretBytes idHashKey;
    QList<VenueRosterEntry> roster;
    QList<QByteArray> kioskCerts; ///< signed certificate documents
    QList<StaffPin> staff;
    /// The venue's network plan: kiosk id -> "host:port" of its venue-LAN endpoint. Empty
    /// when the office set none (a venue of one kiosk, or kiosks that do not share check-ins).
    /// With two or more kiosks planned, the kiosks share their check-ins (docs/venue.md).
    QHash<QString, QString> network;
};

/// Whether @p address is a venue-LAN endpoint "host:port" (an IPv4 address or a host name,
/// port 1-65535). Empty when it is, else what is wrong.
QString venueAddressProblem(const QString &address);

struct PackageRecipient {
    QString id; ///< kiosk id, or "hq" for the office's archive key
    QByteArray boxPublicKey;
};

/// The signed, clear header of a package.
struct PackageHeader {
    QString activityId;
    QString venue;
    qint64 version = 0;
    QString issuer; ///< HQ root fingerprint
    QStringList recipients;
    qint64 rosterSize = 0;
};

struct PackageExpectation {
    QString activityId; ///< must match
    QString venue; ///< must match unless empty
    qint64 minVersion = 0; ///< a kiosk passes the version it already has
};

inline constexpr char packageArchiveRecipient[] = "hq";

QByteArray buildVenuePackage(const VenuePackageContent &content, const crypto::SigningKey &root,
                             const QList<PackageRecipient> &recipients);

/// Checks structure, signature, activity, venue and version without decrypting.
/// Error codes: "package-format", "package-signature", "package-activity", "package-venue",
/// "package-version".
Result<PackageHeader> verifyVenuePackage(QByteArrayView file, QByteArrayView rootPublicKey,
                                         const PackageExpectation &expect);

/// verifyVenuePackage, then decrypts as `recipientId`. Further error codes:
/// "package-recipient" (not encrypted for this kiosk), "package-decrypt", "package-content".
Result<VenuePackageContent> openVenuePackage(QByteArrayView file, QByteArrayView rootPublicKey,
                                             const PackageExpectation &expect, const QString &recipientId,
                                             const crypto::BoxKeyPair &keys);

} // namespace pingyi
