#pragma once
// The venue the kiosk service fuzzer runs against, set up once per process: a real HQ
// directory (keys, Qingdao activity, synthetic roster), one kiosk enrolled at shinan with
// its venue package loaded, and the evidence a fuzzed input picks from (cards, ID numbers,
// forgeries, other venues' cards, packages). Every input starts from a copy of the kiosk's
// pristine state directory, so the per-input cost is a file copy and KioskService::open.

#include "activity.h"
#include "clock.h"
#include "crypto.h"
#include "kioskservice.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace pingyi::fuzz {

/// A clock a fuzzed input moves; set back to the same start for every input.
class FuzzClock final : public Clock {
public:
    QDateTime now() const override { return m_now; }
    void set(const QDateTime &t) { m_now = t; }
    void advance(qint64 seconds) { m_now = m_now.addSecs(seconds); }

private:
    QDateTime m_now;
};

/// A representative of the kiosk's venue, with everything that identifies them.
struct Rep {
    QString repId;
    QString idNumber; ///< never printed by the fuzzer
    QString session; ///< the one group session they are invited to
    QString credential; ///< their invitation card's QR text
};

struct VenueWorld {
    /// `tempTemplate`: where the state directories go (tmpfs keeps fsync cheap).
    explicit VenueWorld(const QString &tempTemplate) : root(tempTemplate) { }

    QTemporaryDir root;
    QString venue = QStringLiteral("shinan");
    Activity activity;
    QString pristineDir; ///< the enrolled kiosk with its package, never opened again
    QString kioskId;
    QByteArray kioskPublicKey;
    QByteArray rootPublicKey;
    kiosk::Options options;
    QDateTime start;

    QHash<QString, QString> pins; ///< role -> PIN (the package's hashes are of these)
    QList<Rep> reps; ///< the venue roster
    QStringList sessionCodes; ///< group sessions held at the venue

    // Evidence that must never admit anyone.
    QStringList forgedCards; ///< signed by another root
    QStringList otherActivityCards; ///< signed by the right root, for another activity
    QStringList otherVenueCards; ///< real cards of laixi representatives
    QStringList otherVenueRepIds;
    QStringList otherVenueIdNumbers; ///< valid, on the office's roster, not this venue's
    QStringList unknownIdNumbers; ///< valid, on nobody's roster
    QStringList badCheckIdNumbers; ///< a venue representative's number with a wrong check character

    // Packages: the loaded one (version 1), a newer one for this kiosk, another venue's,
    // and a damaged copy.
    QByteArray package;
    qint64 packageVersion = 0;
    QByteArray newerPackage;
    qint64 newerPackageVersion = 0;
    QByteArray otherVenuePackage;
    QByteArray damagedPackage;

    // The office's keys, to read exported batches back as the office would.
    std::unique_ptr<crypto::BoxKeyPair> archiveKeys;
    std::unique_ptr<crypto::BoxKeyPair> electionKeys;

    /// Builds everything; on failure returns what went wrong.
    QString setUp(FuzzClock &clock);
};

} // namespace pingyi::fuzz
