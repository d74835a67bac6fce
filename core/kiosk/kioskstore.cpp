#include "kioskstore.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKioskStore, "pingyi.kiosk.store")

namespace pingyi::kiosk {

namespace {

constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE roster (
    rep_id TEXT PRIMARY KEY,
    id_hash BLOB NOT NULL UNIQUE,
    masked_name TEXT NOT NULL,
    category TEXT NOT NULL,
    sessions TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE staff_pin (role TEXT PRIMARY KEY, pin_hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE session (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed', 'exported')),
    checkins INTEGER NOT NULL DEFAULT 0,
    released INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, rehearsal)
) WITHOUT ROWID;
-- Who checked in, keyed by representative: no time, no order.
CREATE TABLE checkin (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    rep_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'voted', 'released')),
    PRIMARY KEY (code, rehearsal, rep_id)
) WITHOUT ROWID;
-- Ballots: keyed by the hash of their sealed bytes. No time, no counter, no rowid, no
-- reference to a representative; rows sort by a random-looking id.
CREATE TABLE ballot (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE suggestion (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    body BLOB NOT NULL,
    hash BLOB NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE report (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    document BLOB NOT NULL,
    qr TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (code, rehearsal, kind)
) WITHOUT ROWID;
)sql"},
    // Ballots and suggestions move into slots allocated at session open and filled in a
    // random order (core/ballotbox.h): in the tables of version 1 every ballot spilled into
    // an overflow page allocated in the order of casting. A rowid table: the slot number is
    // fixed before anyone votes, and a record that fits a 4 KiB page is stored inline. The
    // columns a slot search reads come first, so it never reads a record's bytes. No index:
    // an index keyed by `used` or by the record would be rewritten at every cast, and where
    // SQLite puts a new cell in a page follows the order of insertion.
    {2, R"sql(
CREATE TABLE record_slot (
    slot INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
    used INTEGER NOT NULL CHECK (used IN (0, 1)),
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
);
INSERT INTO record_slot (code, rehearsal, kind, used, sealed, signature)
    SELECT code, rehearsal, 1, 1, sealed, signature FROM ballot ORDER BY id;
INSERT INTO record_slot (code, rehearsal, kind, used, sealed, signature)
    SELECT code, rehearsal, 2, 1, sealed, signature FROM suggestion ORDER BY id;
DROP TABLE ballot;
DROP TABLE suggestion;
)sql"},
};

int flag(const SessionKey &key)
{
    return key.rehearsal ? 1 : 0;
}

SessionState parseState(const QString &s)
{
    if (s == QLatin1String("open"))
        return SessionState::Open;
    if (s == QLatin1String("paused"))
        return SessionState::Paused;
    if (s == QLatin1String("closed"))
        return SessionState::Closed;
    if (s == QLatin1String("exported"))
        return SessionState::Exported;
    return SessionState::Ready;
}

QString statusName(CheckInStatus s)
{
    switch (s) {
    case CheckInStatus::Active:
        return QStringLiteral("active");
    case CheckInStatus::Voted:
        return QStringLiteral("voted");
    case CheckInStatus::Released:
        return QStringLiteral("released");
    case CheckInStatus::None:
        break;
    }
    return {};
}

} // namespace

KioskStore::KioskStore(Database db) : m_db(std::move(db)) { }

KioskStore::~KioskStore()
{
    settle();
}

Result<std::unique_ptr<KioskStore>> KioskStore::open(const QString &path)
{
    auto db = Database::open(path, migrations, Database::Mode::ReadWriteCreate, Database::Locking::Exclusive);
    if (!db)
        return db.error();
    return std::unique_ptr<KioskStore>(new KioskStore(std::move(db).value()));
}

void KioskStore::settle() const
{
    if (m_fold.valid())
        m_fold.get();
}

Database &KioskStore::database() const
{
    settle();
    return m_db;
}

BallotBox &KioskStore::ballotBox() const
{
    Database &d = database(); // waits for the fold, like every use of the database
    if (!m_box)
        m_box.emplace(d);
    return *m_box;
}

Status KioskStore::truncateWal() const
{
    return database().truncateWal();
}

void KioskStore::truncateWalLater()
{
    settle();
    m_fold = std::async(std::launch::async, [this] {
        if (auto s = m_db.truncateWal(); !s)
            qCWarning(lcKioskStore) << "could not truncate the write-ahead log:" << s.error().message;
    });
}

// ---- meta ----------------------------------------------------------------------------

Result<QByteArray> KioskStore::meta(const char *key) const
{
    auto st = database().prepare("SELECT value FROM meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, QString::fromLatin1(key));
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? st->blob(0) : QByteArray();
}

Status KioskStore::setMeta(const char *key, QByteArrayView value)
{
    auto st = database().prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
    if (!st)
        return st.error();
    return st->bind(1, QString::fromLatin1(key)).bind(2, value).exec();
}

// ---- venue package -------------------------------------------------------------------

Status KioskStore::replaceVenueData(const QList<VenueRosterEntry> &roster, const QList<StaffPin> &staff,
                                    QByteArrayView package)
{
    if (auto s = database().exec("DELETE FROM roster; DELETE FROM staff_pin;"); !s)
        return s;
    auto ins = database().prepare(
        "INSERT INTO roster (rep_id, id_hash, masked_name, category, sessions) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!ins)
        return ins.error();
    for (const VenueRosterEntry &e : roster)
        if (auto s = ins->bind(1, e.repId)
                         .bind(2, e.idHash)
                         .bind(3, e.maskedName)
                         .bind(4, e.category)
                         .bind(5, e.sessions.join(QLatin1Char(';')))
                         .exec();
            !s)
            return s;
    auto pin = database().prepare("INSERT INTO staff_pin (role, pin_hash) VALUES (?1, ?2)");
    if (!pin)
        return pin.error();
    for (const StaffPin &p : staff)
        if (auto s = pin->bind(1, p.role).bind(2, p.pinHash).exec(); !s)
            return s;
    return setMeta("package", package);
}

qint64 KioskStore::rosterSize() const
{
    auto st = database().prepare("SELECT COUNT(*) FROM roster");
    return st && *st->next() ? st->integer(0) : 0;
}

Result<std::optional<RosterEntry>> KioskStore::rosterEntry(const QString &repId) const
{
    auto st = database().prepare("SELECT masked_name, category, sessions FROM roster WHERE rep_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, repId);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<RosterEntry>();
    return std::optional<RosterEntry>(
        RosterEntry {repId, st->text(0), st->text(1), st->text(2).split(QLatin1Char(';'), Qt::SkipEmptyParts)});
}

Result<std::optional<QString>> KioskStore::repIdForIdHash(QByteArrayView idHash) const
{
    auto st = database().prepare("SELECT rep_id FROM roster WHERE id_hash = ?1");
    if (!st)
        return st.error();
    st->bind(1, idHash);
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? std::optional<QString>(st->text(0)) : std::optional<QString>();
}

Result<qint64> KioskStore::invitedCount(const QString &session) const
{
    auto st = database().prepare("SELECT COUNT(*) FROM roster WHERE ';' || sessions || ';' LIKE '%;' || ?1 || ';%'");
    if (!st)
        return st.error();
    st->bind(1, session);
    if (auto row = st->next(); !row)
        return row.error();
    return st->integer(0);
}

Result<QList<QPair<QString, QString>>> KioskStore::staffPins() const
{
    auto st = database().prepare("SELECT role, pin_hash FROM staff_pin ORDER BY "
                                 "CASE role WHEN 'technician' THEN 0 WHEN 'lead' THEN 1 ELSE 2 END");
    if (!st)
        return st.error();
    QList<QPair<QString, QString>> pins;
    if (auto s = st->forEach([&](Statement &row) { pins.append({row.text(0), row.text(1)}); }); !s)
        return s.error();
    return pins;
}

// ---- sessions ------------------------------------------------------------------------

Result<SessionState> KioskStore::sessionState(const SessionKey &key) const
{
    auto st = database().prepare("SELECT state FROM session WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? parseState(st->text(0)) : SessionState::Ready;
}

std::optional<SessionKey> KioskStore::currentSession() const
{
    auto st = database().prepare("SELECT code, rehearsal FROM session WHERE state IN ('open', 'paused')");
    if (!st)
        return std::nullopt;
    auto row = st->next();
    if (!row || !*row)
        return std::nullopt;
    return SessionKey {st->text(0), st->integer(1) != 0};
}

Status KioskStore::insertOpenSession(const SessionKey &key)
{
    auto ins = database().prepare("INSERT INTO session (code, rehearsal, state) VALUES (?1, ?2, 'open')");
    if (!ins)
        return ins.error();
    return ins->bind(1, key.code).bind(2, flag(key)).exec();
}

Result<bool> KioskStore::setSessionState(const SessionKey &key, SessionState from, SessionState to)
{
    auto st = database().prepare("UPDATE session SET state = ?3 WHERE code = ?1 AND rehearsal = ?2 AND state = ?4");
    if (!st)
        return st.error();
    if (auto s = st->bind(1, key.code).bind(2, flag(key)).bind(3, stateName(to)).bind(4, stateName(from)).exec(); !s)
        return s.error();
    return database().changes() == 1;
}

Result<std::optional<QPair<qint64, qint64>>> KioskStore::sessionCounters(const SessionKey &key) const
{
    auto st = database().prepare("SELECT checkins, released FROM session WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<QPair<qint64, qint64>>();
    return std::optional<QPair<qint64, qint64>>(QPair<qint64, qint64> {st->integer(0), st->integer(1)});
}

Status KioskStore::addToCounters(const SessionKey &key, qint64 checkins, qint64 released)
{
    auto st = database().prepare(
        "UPDATE session SET checkins = checkins + ?3, released = released + ?4 WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    return st->bind(1, key.code).bind(2, flag(key)).bind(3, checkins).bind(4, released).exec();
}

// ---- check-ins -----------------------------------------------------------------------

Result<CheckInStatus> KioskStore::checkInStatus(const SessionKey &key, const QString &repId) const
{
    auto st = database().prepare("SELECT status FROM checkin WHERE code = ?1 AND rehearsal = ?2 AND rep_id = ?3");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key)).bind(3, repId);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return CheckInStatus::None;
    const QString s = st->text(0);
    return s == QLatin1String("voted") ? CheckInStatus::Voted
        : s == QLatin1String("active") ? CheckInStatus::Active
                                       : CheckInStatus::Released;
}

Status KioskStore::setCheckInActive(const SessionKey &key, const QString &repId)
{
    auto st = database().prepare("INSERT INTO checkin (code, rehearsal, rep_id, status) VALUES (?1, ?2, ?3, 'active') "
                                 "ON CONFLICT (code, rehearsal, rep_id) DO UPDATE SET status = 'active'");
    if (!st)
        return st.error();
    return st->bind(1, key.code).bind(2, flag(key)).bind(3, repId).exec();
}

Result<bool> KioskStore::setCheckInDone(const SessionKey &key, const QString &repId, CheckInStatus to)
{
    // Cached: marking voted is on the cast's hot path.
    auto st = database().cached(
        "UPDATE checkin SET status = ?4 WHERE code = ?1 AND rehearsal = ?2 AND rep_id = ?3 AND status = 'active'");
    if (!st)
        return st.error();
    if (auto s = (*st)->bind(1, key.code).bind(2, flag(key)).bind(3, repId).bind(4, statusName(to)).exec(); !s)
        return s.error();
    return database().changes() == 1;
}

Result<QList<QPair<SessionKey, qint64>>> KioskStore::activeCheckIns() const
{
    auto st = database().prepare(
        "SELECT code, rehearsal, COUNT(*) FROM checkin WHERE status = 'active' GROUP BY code, rehearsal");
    if (!st)
        return st.error();
    QList<QPair<SessionKey, qint64>> out;
    if (auto s = st->forEach([&](Statement &row) {
            out.append({SessionKey {row.text(0), row.integer(1) != 0}, row.integer(2)});
        });
        !s)
        return s.error();
    return out;
}

Status KioskStore::releaseAllActive(const SessionKey &key)
{
    auto st = database().prepare(
        "UPDATE checkin SET status = 'released' WHERE code = ?1 AND rehearsal = ?2 AND status = 'active'");
    if (!st)
        return st.error();
    return st->bind(1, key.code).bind(2, flag(key)).exec();
}

Result<qint64> KioskStore::checkInCount(const SessionKey &key) const
{
    auto st = database().prepare("SELECT COUNT(*) FROM checkin WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    if (auto row = st->next(); !row)
        return row.error();
    return st->integer(0);
}

Result<QPair<qint64, qint64>> KioskStore::votedAndActive(const SessionKey &key) const
{
    auto st = database().prepare(
        "SELECT SUM(status = 'voted'), SUM(status = 'active') FROM checkin WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    if (auto row = st->next(); !row)
        return row.error();
    return QPair<qint64, qint64> {st->integer(0), st->integer(1)};
}

Result<QList<CheckInEntry>> KioskStore::finishedCheckIns(const SessionKey &key) const
{
    auto st = database().prepare(
        "SELECT rep_id, status FROM checkin WHERE code = ?1 AND rehearsal = ?2 AND status != 'active'");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    QList<CheckInEntry> out;
    if (auto s = st->forEach([&](Statement &row) {
            out.append({row.text(0), row.text(1) == QLatin1String("voted")});
        });
        !s)
        return s.error();
    return out;
}

Result<QList<QPair<QString, qint64>>> KioskStore::checkInsByCategory(const SessionKey &key) const
{
    auto st = database().prepare("SELECT r.category, COUNT(*) FROM checkin c JOIN roster r ON r.rep_id = c.rep_id "
                                 "WHERE c.code = ?1 AND c.rehearsal = ?2 GROUP BY r.category ORDER BY r.category");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key));
    QList<QPair<QString, qint64>> out;
    if (auto s = st->forEach([&](Statement &row) { out.append({row.text(0), row.integer(1)}); }); !s)
        return s.error();
    return out;
}

// ---- reports and audit ---------------------------------------------------------------

Status KioskStore::saveReport(const SessionKey &key, const Report &report)
{
    auto st = database().prepare(
        "INSERT OR REPLACE INTO report (code, rehearsal, kind, document, qr, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return st.error();
    return st->bind(1, key.code)
        .bind(2, flag(key))
        .bind(3, report.kind)
        .bind(4, report.document)
        .bind(5, report.qrPayload)
        .bind(6, report.text)
        .exec();
}

Result<std::optional<Report>> KioskStore::loadReport(const SessionKey &key, const QString &kind) const
{
    auto st
        = database().prepare("SELECT document, qr, text FROM report WHERE code = ?1 AND rehearsal = ?2 AND kind = ?3");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, flag(key)).bind(3, kind);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Report>();
    Report r;
    r.kind = kind;
    r.document = st->blob(0);
    r.qrPayload = st->text(1);
    r.text = st->text(2);
    return std::optional<Report>(r);
}

Status KioskStore::appendAudit(const crypto::SigningKey &key, const QString &time, const QString &event,
                               QJsonObject details)
{
    return AuditLog::append(database(), key, time, event, std::move(details));
}

Result<QList<AuditEvent>> KioskStore::auditLog() const
{
    return AuditLog::read(database());
}

} // namespace pingyi::kiosk
