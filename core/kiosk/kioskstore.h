#pragma once
// The kiosk's storage: kiosk.db's schema and migrations and every SQL statement the kiosk
// runs, except the ballot box's own (core/ballotbox.h, which the store hands out). The
// parts of the kiosk service (core/kiosk/) say what to read or write; transactions are
// theirs: `Database::Transaction tx(store.database())` around calls of the store.

#include "audit.h"
#include "ballotbox.h"
#include "kiosktypes.h"
#include "result.h"
#include "storage.h"
#include "venuepackage.h"

#include <QList>
#include <QPair>
#include <QString>

#include <future>
#include <memory>
#include <optional>

namespace pingyi::kiosk {

/// A representative of the venue roster, as the kiosk may know them.
struct RosterEntry {
    QString repId;
    QString maskedName;
    QString category;
    QStringList sessions;
};

/// Where a representative stands in a session's check-in list at this kiosk.
enum class CheckInStatus { None, Active, Voted, Released };

class KioskStore {
public:
    /// Opens (creating and migrating) kiosk.db. Exclusive locking: the write-ahead log's
    /// index stays in memory, never in a -shm file.
    static Result<std::unique_ptr<KioskStore>> open(const QString &path);
    KioskStore(const KioskStore &) = delete;
    KioskStore &operator=(const KioskStore &) = delete;
    ~KioskStore();

    /// The database for transactions, once the fold of the last cast's log has finished.
    Database &database() const;
    BallotBox &ballotBox() const;

    /// Folds the write-ahead log into the database now.
    Status truncateWal() const;
    /// Folds it on a second thread; anything that next uses the store waits for it.
    void truncateWalLater();
    /// Waits for truncateWalLater().
    void settle() const;

    // ---- meta ------------------------------------------------------------------------
    Result<QByteArray> meta(const char *key) const;
    Status setMeta(const char *key, QByteArrayView value);

    // ---- venue package ---------------------------------------------------------------
    /// Replaces roster and staff PINs and stores the package bytes (inside a transaction).
    Status replaceVenueData(const QList<VenueRosterEntry> &roster, const QList<StaffPin> &staff,
                            QByteArrayView package);
    qint64 rosterSize() const;
    Result<std::optional<RosterEntry>> rosterEntry(const QString &repId) const;
    Result<std::optional<QString>> repIdForIdHash(QByteArrayView idHash) const;
    /// Representatives of the roster invited to a group session.
    Result<qint64> invitedCount(const QString &session) const;
    /// (role name, Argon2id hash), highest role first.
    Result<QList<QPair<QString, QString>>> staffPins() const;

    // ---- sessions --------------------------------------------------------------------
    Result<SessionState> sessionState(const SessionKey &key) const;
    std::optional<SessionKey> currentSession() const;
    Status insertOpenSession(const SessionKey &key);
    /// False when the session was not in `from`.
    Result<bool> setSessionState(const SessionKey &key, SessionState from, SessionState to);
    /// (check-ins, released) counters, nothing when the session was never opened.
    Result<std::optional<QPair<qint64, qint64>>> sessionCounters(const SessionKey &key) const;
    Status addToCounters(const SessionKey &key, qint64 checkins, qint64 released);

    // ---- check-ins (the local ledger's table) ----------------------------------------
    Result<CheckInStatus> checkInStatus(const SessionKey &key, const QString &repId) const;
    Status setCheckInActive(const SessionKey &key, const QString &repId);
    /// False when the representative's check-in was not active.
    Result<bool> setCheckInDone(const SessionKey &key, const QString &repId, CheckInStatus to);
    /// Sessions with active check-ins and how many.
    Result<QList<QPair<SessionKey, qint64>>> activeCheckIns() const;
    Status releaseAllActive(const SessionKey &key);
    /// Every check-in of the session in any status.
    Result<qint64> checkInCount(const SessionKey &key) const;
    /// (voted, active) check-ins of the session.
    Result<QPair<qint64, qint64>> votedAndActive(const SessionKey &key) const;
    /// Finished check-ins (voted or released), for the batch.
    Result<QList<CheckInEntry>> finishedCheckIns(const SessionKey &key) const;
    /// Check-ins per roster category, sorted by category.
    Result<QList<QPair<QString, qint64>>> checkInsByCategory(const SessionKey &key) const;

    // ---- reports and audit -----------------------------------------------------------
    Status saveReport(const SessionKey &key, const Report &report);
    /// The stored document, QR payload and text; nothing when there is none.
    Result<std::optional<Report>> loadReport(const SessionKey &key, const QString &kind) const;
    Status appendAudit(const crypto::SigningKey &key, const QString &time, const QString &event, QJsonObject details);
    Result<QList<AuditEvent>> auditLog() const;

private:
    explicit KioskStore(Database db);

    // Reads prepare statements (logical constness holds), hence mutable.
    mutable Database m_db;
    mutable std::optional<BallotBox> m_box;
    mutable std::future<void> m_fold; // the write-ahead log being folded after a cast
};

} // namespace pingyi::kiosk
