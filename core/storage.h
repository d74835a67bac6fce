#pragma once
// A small RAII layer over SQLite: one Database per file, prepared Statements, Transactions
// that roll back unless committed, and migrations as data stamped with PRAGMA user_version.
// Every database runs in WAL mode with synchronous=FULL (a committed transaction survives
// power loss) and secure_delete (deleted rows are overwritten, not left in free pages).

#include "result.h"

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <memory>
#include <span>
#include <type_traits>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace pingyi {

struct Migration {
    int version; ///< 1, 2, 3 … in order
    const char *sql; ///< applied in one transaction, then user_version = version
};

class Statement {
public:
    Statement() = default;

    Statement &bind(int index, const QString &text);
    Statement &bind(int index, const char *text) { return bind(index, QString::fromUtf8(text)); }
    Statement &bind(int index, QByteArrayView blob);
    Statement &bind(int index, const QByteArray &blob) { return bind(index, QByteArrayView(blob)); }
    Statement &bind(int index, qint64 value);
    Statement &bind(int index, int value) { return bind(index, qint64(value)); }
    Statement &bindNull(int index);

    /// Steps once: true when a row is available, false when done. Errors are values.
    Result<bool> next();
    /// Runs to completion (for statements that return no rows).
    Status exec();
    /// Steps to completion, calling fn(*this) for every row. fn returns void, or a Status
    /// whose error stops the loop and is returned.
    template<typename Fn> Status forEach(Fn &&fn)
    {
        for (;;) {
            auto row = next();
            if (!row)
                return row.error();
            if (!*row)
                return {};
            if constexpr (std::is_void_v<std::invoke_result_t<Fn &, Statement &>>) {
                fn(*this);
            } else if (Status s = fn(*this); !s) {
                return s;
            }
        }
    }
    void reset();

    QString text(int column) const;
    QByteArray blob(int column) const;
    qint64 integer(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    struct Deleter {
        void operator()(sqlite3_stmt *s) const;
    };
    std::unique_ptr<sqlite3_stmt, Deleter> m_stmt;
    sqlite3 *m_db = nullptr;
    QString m_path;
};

class Database {
public:
    enum class Mode { ReadWriteCreate, ReadWrite, ReadOnly };
    /// Exclusive: one connection holds the file for as long as it is open, and the
    /// write-ahead log's index lives in this process's memory, never in a -shm file (whose
    /// hash tables would keep the page numbers of the last transactions).
    enum class Locking { Shared, Exclusive };

    /// Opens (creating if allowed) and migrates. Refuses a database whose user_version is
    /// newer than the last migration (error "db-newer") — it was written by a newer Pingyi.
    static Result<Database> open(const QString &path, std::span<const Migration> migrations,
                                 Mode mode = Mode::ReadWriteCreate, Locking locking = Locking::Shared);

    Database(Database &&) noexcept = default;
    Database &operator=(Database &&) noexcept = default;
    ~Database();

    Status exec(const char *sql);
    Result<Statement> prepare(const char *sql);
    /// A statement prepared once and kept for hot paths (keyed by the literal's address).
    /// Use it fully (exec() or next() until done) before asking for it again.
    Result<Statement *> cached(const char *sql);
    int userVersion() const;
    /// Copies every committed transaction from the write-ahead log into the database and
    /// truncates the log to zero bytes, so the log no longer holds transactions in the order
    /// they happened. Error "db" when a reader kept it from completing.
    Status truncateWal();
    /// Rows changed by the last INSERT/UPDATE/DELETE.
    qint64 changes() const;
    QString path() const { return m_path; }
    sqlite3 *handle() const { return m_db.get(); }

    /// BEGIN IMMEDIATE … COMMIT; the destructor rolls back an uncommitted transaction.
    class Transaction {
    public:
        explicit Transaction(Database &db);
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        ~Transaction();
        Status status() const { return m_begin; }
        Status commit();

    private:
        Database &m_db;
        Status m_begin;
        bool m_done = false;
    };

private:
    Database() = default;
    Error lastError(const QString &what) const;
    struct Closer {
        void operator()(sqlite3 *db) const;
    };
    std::unique_ptr<sqlite3, Closer> m_db;
    QString m_path;
    // Declared after m_db so cached statements are finalised before the connection closes.
    std::unique_ptr<std::unordered_map<const char *, Statement>> m_cache
        = std::make_unique<std::unordered_map<const char *, Statement>>();
};

} // namespace pingyi
