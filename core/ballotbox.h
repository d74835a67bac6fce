#pragma once
// The kiosk's ballot box: sealed ballots and suggestions stored so that nothing in the raw
// bytes of kiosk.db tells the order they were cast in, or which suggestion came with which
// ballot. Every session gets its slots when it opens: one per representative invited to it
// (one ballot slot, one suggestion slot), each filled with random bytes of exactly the size
// of a sealed record. A cast overwrites a slot chosen uniformly at random among the empty
// ones; as the record has the slot's size, SQLite rewrites the cell in place, so a ballot's
// page and its place in the page are those of a random slot allocated before anyone voted.
// Why this design and what it does not hide: docs/security.md §Physical secrecy.

#include "ballot.h"
#include "result.h"
#include "storage.h"

#include <QHash>
#include <QList>
#include <QString>

namespace pingyi {

/// Works on the kiosk's `record_slot` table (created by the kiosk's migration 2).
class BallotBox {
public:
    explicit BallotBox(Database &db) : m_db(db) { }

    /// Forget the cached list of empty slots (after a transaction that used put() or
    /// allocate() rolled back); it is read again from the database when next needed.
    void invalidate() { m_empty.clear(); }

    /// Adds `count` empty slots of `kind` for the session, each holding `sealedSize` random
    /// bytes. Call inside the transaction that opens the session.
    Status allocate(const QString &session, bool rehearsal, RecordKind kind, qint64 count, qsizetype sealedSize);
    /// Stores the record in a random empty slot of its kind for the session (inside the
    /// caller's transaction). A session with no empty slot left — which the slot count
    /// makes impossible unless the session was opened by an older Pingyi — gets one more
    /// slot; the vote is never refused for want of room.
    Status put(const QString &session, bool rehearsal, const SealedRecord &record);
    /// Every filled slot of the session, in slot order (a random order of casting).
    Result<QList<SealedRecord>> records(const QString &session, bool rehearsal) const;
    /// Filled slots of `kind` in the session.
    Result<qint64> count(const QString &session, bool rehearsal, RecordKind kind) const;

private:
    Database &m_db;
    // Empty slots per (session, rehearsal, kind, size), read once: a search of the table at
    // every cast would read every slot's page.
    QHash<QString, QList<qint64>> m_empty;
};

} // namespace pingyi
