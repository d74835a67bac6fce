#pragma once
// A minimal client of dqlite's documented wire protocol (version 1): what the ledger needs
// and no more. libdqlite 1.11 exports no stable client API, so this speaks the protocol
// over a connected socket (the node's local socket, or a secure channel's plain end).

#include "result.h"

#include <QList>
#include <QString>
#include <QVariant>

namespace pingyi::venue {

struct ServerInfo {
    quint64 id = 0;
    QString address;
    quint64 role = 0; ///< 0 voter, 1 standby, 2 spare
};

struct ExecResult {
    qint64 lastInsertId = 0;
    qint64 rowsAffected = 0;
};

/// Error codes: "venue-transport" (the connection failed: it is closed), "venue-not-leader"
/// (the node is not, or no longer, the leader: ask again elsewhere; a write that failed so
/// may still commit), "venue-sql" (the statement failed).
class DqliteClient {
public:
    /// Takes ownership of @p fd.
    DqliteClient(int fd, int timeoutMs);
    ~DqliteClient();
    DqliteClient(const DqliteClient &) = delete;
    DqliteClient &operator=(const DqliteClient &) = delete;

    bool connected() const { return m_fd >= 0; }
    /// Time allowed for each later request's send and answer.
    void setTimeout(int timeoutMs) { m_timeoutMs = timeoutMs; }
    Status handshake();
    /// The leader as this node knows it: id 0 when it does not (a standby never does).
    Result<ServerInfo> leader();
    Result<QList<ServerInfo>> cluster();
    Status add(quint64 id, const QString &address);
    Status assign(quint64 id, quint64 role);
    Status open(const QString &database);
    /// Parameters: QString → text, QByteArray → blob, integers → integer, null → NULL.
    Result<ExecResult> exec(const QString &sql, const QVariantList &params = {});
    Result<QList<QVariantList>> query(const QString &sql, const QVariantList &params = {});

private:
    Status send(quint8 type, const QByteArray &body);
    /// Reads one response; a FAILURE becomes an error.
    Result<QByteArray> receive(quint8 expected);
    Error fail(const QString &code, const QString &message);

    int m_fd = -1;
    int m_timeoutMs;
    quint32 m_db = 0;
    bool m_open = false;
};

} // namespace pingyi::venue
