#include "storage.h"

#include <QFile>

#include <sqlite3.h>

namespace pingyi {

namespace {
Error sqlError(sqlite3 *db, const QString &path, const QString &what)
{
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    QString advice;
    switch (code & 0xff) {
    case SQLITE_FULL:
        advice = QStringLiteral(" — the disk is full: free space, nothing was changed");
        break;
    case SQLITE_READONLY:
        advice = QStringLiteral(" — the database is read-only: check the file's permissions");
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        advice = QStringLiteral(" — the file is damaged or not a Pingyi database: restore it from a backup");
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        advice = QStringLiteral(" — another program is using the database: close it and retry");
        break;
    case SQLITE_IOERR:
        advice = QStringLiteral(" — input/output error: check the disk");
        break;
    default:
        break;
    }
    // A full disk has its own code: callers tell the person in front of the kiosk.
    return makeError((code & 0xff) == SQLITE_FULL ? QStringLiteral("db-full") : QStringLiteral("db"),
                     QStringLiteral("%1 (%2): %3%4")
                         .arg(what, path, QString::fromUtf8(db ? sqlite3_errmsg(db) : "cannot open"), advice));
}
} // namespace

void Statement::Deleter::operator()(sqlite3_stmt *s) const
{
    sqlite3_finalize(s);
}
void Database::Closer::operator()(sqlite3 *db) const
{
    sqlite3_close_v2(db);
}

Statement &Statement::bind(int index, const QString &text)
{
    const QByteArray u = text.toUtf8();
    sqlite3_bind_text(m_stmt.get(), index, u.constData(), int(u.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, QByteArrayView blob)
{
    // A zero-length blob must stay a blob, not become NULL.
    sqlite3_bind_blob(m_stmt.get(), index, blob.isEmpty() ? "" : blob.data(), int(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt.get(), index, value);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt.get(), index);
    return *this;
}

Result<bool> Statement::next()
{
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return sqlError(m_db, m_path, QStringLiteral("database statement failed"));
}

Status Statement::exec()
{
    for (;;) {
        auto r = next();
        if (!r)
            return r.error();
        if (!*r)
            break;
    }
    reset();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

QString Statement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt.get(), column));
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt.get(), column));
}

QByteArray Statement::blob(int column) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt.get(), column));
    return QByteArray(p, sqlite3_column_bytes(m_stmt.get(), column));
}

qint64 Statement::integer(int column) const
{
    return sqlite3_column_int64(m_stmt.get(), column);
}
bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

Database::~Database() = default;

Result<Database> Database::open(const QString &path, std::span<const Migration> migrations, Mode mode, Locking locking)
{
    Database db;
    db.m_path = path;
    int flags = SQLITE_OPEN_FULLMUTEX;
    switch (mode) {
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    if (mode != Mode::ReadWriteCreate && !QFile::exists(path))
        return makeError(QStringLiteral("db-missing"), QStringLiteral("database %1 does not exist").arg(path));
    sqlite3 *raw = nullptr;
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &raw, flags, nullptr);
    db.m_db.reset(raw);
    if (rc != SQLITE_OK)
        return sqlError(raw, path, QStringLiteral("cannot open database"));
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 5000);
    // Before the first read: once WAL mode is entered with shared locking, the index is
    // kept in the -shm file.
    if (locking == Locking::Exclusive)
        if (auto s = db.exec("PRAGMA locking_mode=EXCLUSIVE"); !s)
            return s.error();

    // Reading the schema version first also detects a file that is not a database.
    const int version = db.userVersion();
    if (version < 0)
        return sqlError(raw, path, QStringLiteral("cannot read database"));
    const int latest = migrations.empty() ? 0 : migrations.back().version;
    if (version > latest)
        return makeError(QStringLiteral("db-newer"),
                         QStringLiteral("database %1 was written by a newer Pingyi (schema %2, this program knows up "
                                        "to %3): use the newer program; nothing was changed")
                             .arg(path)
                             .arg(version)
                             .arg(latest));
    if (mode != Mode::ReadOnly) {
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
                                   "PRAGMA secure_delete=ON"}) {
            if (auto s = db.exec(pragma); !s)
                return s.error();
        }
    } else {
        if (auto s = db.exec("PRAGMA query_only=ON"); !s)
            return s.error();
    }
    for (const Migration &m : migrations) {
        if (m.version <= version)
            continue;
        if (mode == Mode::ReadOnly)
            return makeError(QStringLiteral("db-old"),
                             QStringLiteral("database %1 needs an upgrade (schema %2 < %3); open it read-write once")
                                 .arg(path)
                                 .arg(version)
                                 .arg(latest));
        Transaction tx(db);
        if (!tx.status())
            return tx.status().error();
        if (auto s = db.exec(m.sql); !s)
            return s.error();
        const QByteArray stamp = "PRAGMA user_version=" + QByteArray::number(m.version);
        if (auto s = db.exec(stamp.constData()); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    return db;
}

Status Database::exec(const char *sql)
{
    char *msg = nullptr;
    if (sqlite3_exec(m_db.get(), sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return lastError(QStringLiteral("database command failed"));
    }
    return {};
}

Result<Statement> Database::prepare(const char *sql)
{
    sqlite3_stmt *raw = nullptr;
    if (sqlite3_prepare_v2(m_db.get(), sql, -1, &raw, nullptr) != SQLITE_OK)
        return lastError(QStringLiteral("cannot prepare database statement"));
    Statement s;
    s.m_stmt.reset(raw);
    s.m_db = m_db.get();
    s.m_path = m_path;
    return s;
}

Result<Statement *> Database::cached(const char *sql)
{
    auto it = m_cache->find(sql);
    if (it == m_cache->end()) {
        auto st = prepare(sql);
        if (!st)
            return st.error();
        it = m_cache->emplace(sql, std::move(st).value()).first;
    }
    return &it->second;
}

int Database::userVersion() const
{
    sqlite3_stmt *raw = nullptr;
    if (sqlite3_prepare_v2(m_db.get(), "PRAGMA user_version", -1, &raw, nullptr) != SQLITE_OK)
        return -1;
    int v = -1;
    if (sqlite3_step(raw) == SQLITE_ROW)
        v = sqlite3_column_int(raw, 0);
    sqlite3_finalize(raw);
    return v;
}

Status Database::truncateWal()
{
    int logFrames = -1;
    int copied = -1;
    const int rc = sqlite3_wal_checkpoint_v2(m_db.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied);
    if (rc != SQLITE_OK)
        return lastError(QStringLiteral("cannot fold the write-ahead log into the database"));
    if (logFrames != 0)
        return makeError(QStringLiteral("db"),
                         QStringLiteral("the write-ahead log of %1 still holds %2 frames after a checkpoint")
                             .arg(m_path)
                             .arg(logFrames));
    return {};
}

qint64 Database::changes() const
{
    return sqlite3_changes64(m_db.get());
}

Error Database::lastError(const QString &what) const
{
    return sqlError(m_db.get(), m_path, what);
}

Database::Transaction::Transaction(Database &db) : m_db(db), m_begin(db.exec("BEGIN IMMEDIATE")) { }

Database::Transaction::~Transaction()
{
    if (m_begin.ok() && !m_done)
        (void)m_db.exec("ROLLBACK");
}

Status Database::Transaction::commit()
{
    if (!m_begin)
        return m_begin;
    m_done = true;
    if (auto s = m_db.exec("COMMIT"); !s) {
        (void)m_db.exec("ROLLBACK");
        return s;
    }
    return {};
}

} // namespace pingyi
