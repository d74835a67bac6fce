#pragma once
// What every part of the kiosk service shares: the clock, the store, the kiosk's key and
// what its certificate and venue package say, the voter checked in now, and the audit log.

#include "activity.h"
#include "ballot.h"
#include "clock.h"
#include "crypto.h"
#include "facematch.h"
#include "kioskstore.h"
#include "kiosktypes.h"

#include <optional>

namespace pingyi::kiosk {

struct KioskEnv {
    KioskEnv(const Clock &c, Options o) : clock(c), options(o) { }

    const Clock &clock;
    Options options;
    std::unique_ptr<KioskStore> store;
    crypto::SigningKey key;
    QString kioskId;
    QByteArray rootPublicKey;
    QByteArray certificate;
    // From the venue package:
    Activity activity;
    QString venue;
    qint64 packageVersion = 0;
    QByteArray electionPublicKey;
    qsizetype ballotSize = ballotPadBlock; ///< ballotPlaintextSize(activity)
    QByteArray archivePublicKey;
    crypto::SecretBytes idHashKey;
    /// The enrolled face templates of the venue's representatives, with the sessions each
    /// is invited to. Kept in memory only: kiosk.db holds the sealed package they came from,
    /// never a template in the clear.
    struct EnrolledFace {
        face::Template face;
        QStringList sessions;
    };
    std::vector<EnrolledFace> faces;
    QList<QByteArray> kioskCerts; ///< the venue's kiosks
    QHash<QString, QString> venueNetwork; ///< the network plan (docs/venue.md), often empty

    /// The representative checked in now (in memory only, for the cast transaction).
    struct Voter {
        QString repId;
        SessionKey session;
    };
    std::optional<Voter> voter;

    Provisioning provisioning() const
    {
        if (kioskId.isEmpty())
            return Provisioning::Unenrolled;
        if (certificate.isEmpty())
            return Provisioning::AwaitingCertificate;
        if (activity.id.isEmpty())
            return Provisioning::AwaitingPackage;
        return Provisioning::Ready;
    }
    SessionContext context(const SessionKey &k) const { return {activity.id, venue, kioskId, k.code, k.rehearsal}; }
    /// Appends a signed event to the audit log (inside the caller's transaction, if any).
    Status audit(const QString &event, QJsonObject details = {})
    {
        return store->appendAudit(key, clock.now().toString(Qt::ISODate), event, std::move(details));
    }
};

inline Error kioskError(const char *code, const QString &message)
{
    return makeError(QLatin1String(code), message);
}

} // namespace pingyi::kiosk
