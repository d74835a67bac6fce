#include "dqliteclient.h"

#include "securechannel.h"

#include <QtEndian>

#include <cstring>
#include <unistd.h>

namespace pingyi::venue {

namespace {

enum Request : quint8 {
    ReqLeader = 0,
    ReqOpen = 3,
    ReqExecSql = 8,
    ReqQuerySql = 9,
    ReqAdd = 12,
    ReqAssign = 13,
    ReqCluster = 16,
};
enum Response : quint8 {
    RespFailure = 0,
    RespServer = 1,
    RespServers = 3,
    RespDb = 4,
    RespResult = 6,
    RespRows = 7,
    RespEmpty = 8,
};
constexpr quint64 rowsDone = 0xffffffffffffffffULL;
constexpr quint64 rowsPart = 0xeeeeeeeeeeeeeeeeULL;
// SQLite's extended codes for "this node is not the leader" and "leadership lost".
constexpr quint64 notLeader = 10250;
constexpr quint64 leadershipLost = 10506;

void putU64(QByteArray &b, quint64 v)
{
    char raw[8];
    qToLittleEndian(v, raw);
    b.append(raw, 8);
}

void pad(QByteArray &b)
{
    while (b.size() % 8)
        b.append('\0');
}

void putText(QByteArray &b, const QString &s)
{
    b += s.toUtf8();
    b.append('\0');
    pad(b);
}

void putParams(QByteArray &b, const QVariantList &params)
{
    if (params.isEmpty())
        return;
    QByteArray header;
    header.append(char(params.size()));
    QByteArray values;
    for (const QVariant &v : params) {
        if (v.isNull()) {
            header.append(char(5));
            putU64(values, 0);
        } else if (v.typeId() == QMetaType::QString) {
            header.append(char(3));
            putText(values, v.toString());
        } else if (v.typeId() == QMetaType::QByteArray) {
            header.append(char(4));
            const QByteArray blob = v.toByteArray();
            putU64(values, quint64(blob.size()));
            values += blob;
            pad(values);
        } else {
            header.append(char(1));
            putU64(values, quint64(v.toLongLong()));
        }
    }
    pad(header);
    b += header;
    b += values;
}

// Reads the body of a response, word-aligned.
class Reader {
public:
    explicit Reader(const QByteArray &b) : m_b(b) { }
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos >= m_b.size(); }
    quint64 u64()
    {
        if (m_pos + 8 > m_b.size()) {
            m_ok = false;
            return 0;
        }
        const quint64 v = qFromLittleEndian<quint64>(m_b.constData() + m_pos);
        m_pos += 8;
        return v;
    }
    quint32 u32()
    {
        if (m_pos + 4 > m_b.size()) {
            m_ok = false;
            return 0;
        }
        const quint32 v = qFromLittleEndian<quint32>(m_b.constData() + m_pos);
        m_pos += 4;
        return v;
    }
    QString text()
    {
        const qsizetype end = m_b.indexOf('\0', m_pos);
        if (end < 0) {
            m_ok = false;
            return {};
        }
        const QString s = QString::fromUtf8(m_b.constData() + m_pos, end - m_pos);
        m_pos = (end + 1 + 7) / 8 * 8;
        return s;
    }
    QByteArray blob()
    {
        const quint64 n = u64();
        if (!m_ok || n > quint64(m_b.size() - m_pos)) {
            m_ok = false;
            return {};
        }
        const QByteArray out = m_b.mid(m_pos, qsizetype(n));
        m_pos = (m_pos + qsizetype(n) + 7) / 8 * 8;
        return out;
    }
    const char *here() const { return m_b.constData() + m_pos; }
    void skip(qsizetype n) { m_pos += n; }
    qsizetype left() const { return m_b.size() - m_pos; }

private:
    const QByteArray &m_b;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

} // namespace

DqliteClient::DqliteClient(int fd, int timeoutMs) : m_fd(fd), m_timeoutMs(timeoutMs) { }

DqliteClient::~DqliteClient()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Error DqliteClient::fail(const QString &code, const QString &message)
{
    if (code == QLatin1String("venue-transport") && m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    return makeError(code, message);
}

Status DqliteClient::handshake()
{
    char raw[8];
    qToLittleEndian(quint64(1), raw);
    if (m_fd < 0 || !writeAll(m_fd, raw, 8, m_timeoutMs))
        return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node did not accept a connection."));
    return {};
}

Status DqliteClient::send(quint8 type, const QByteArray &body)
{
    if (m_fd < 0)
        return fail(QStringLiteral("venue-transport"), QStringLiteral("Not connected to a ledger node."));
    QByteArray msg(8, '\0');
    qToLittleEndian(quint32(body.size() / 8), msg.data());
    msg[4] = char(type);
    msg += body;
    if (!writeAll(m_fd, msg.constData(), size_t(msg.size()), m_timeoutMs))
        return fail(QStringLiteral("venue-transport"), QStringLiteral("The connection to the ledger node broke."));
    return {};
}

Result<QByteArray> DqliteClient::receive(quint8 expected)
{
    char header[8];
    if (m_fd < 0 || !readAll(m_fd, header, 8, m_timeoutMs))
        return fail(QStringLiteral("venue-transport"),
                    QStringLiteral("The ledger node did not answer in time or closed the connection."));
    const quint32 words = qFromLittleEndian<quint32>(header);
    const quint8 type = quint8(header[4]);
    if (words > (1u << 20))
        return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node sent an oversized answer."));
    QByteArray body(qsizetype(words) * 8, Qt::Uninitialized);
    if (!readAll(m_fd, body.data(), size_t(body.size()), m_timeoutMs))
        return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node's answer was cut short."));
    if (type == RespFailure) {
        Reader r(body);
        const quint64 code = r.u64();
        const QString message = r.text();
        // Leadership and busy failures (IOERR, BUSY families) are worth asking again.
        if (code == notLeader || code == leadershipLost || (code & 0xff) == 10 || (code & 0xff) == 5)
            return makeError(QStringLiteral("venue-not-leader"),
                             QStringLiteral("The ledger node is not the leader (%1: %2).").arg(code).arg(message));
        return makeError(QStringLiteral("venue-sql"),
                         QStringLiteral("The shared ledger refused a statement (%1: %2).").arg(code).arg(message));
    }
    if (type != expected)
        return fail(
            QStringLiteral("venue-transport"),
            QStringLiteral("The ledger node sent answer type %1 where %2 was expected.").arg(type).arg(expected));
    return body;
}

Result<ServerInfo> DqliteClient::leader()
{
    QByteArray body;
    putU64(body, 0);
    if (auto s = send(ReqLeader, body); !s)
        return s.error();
    auto r = receive(RespServer);
    if (!r)
        return r.error();
    Reader rd(*r);
    ServerInfo info;
    info.id = rd.u64();
    info.address = rd.text();
    if (!rd.ok())
        return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node's leader answer is malformed."));
    return info;
}

Result<QList<ServerInfo>> DqliteClient::cluster()
{
    QByteArray body;
    putU64(body, 1); // format 1: id, address and role
    if (auto s = send(ReqCluster, body); !s)
        return s.error();
    auto r = receive(RespServers);
    if (!r)
        return r.error();
    Reader rd(*r);
    const quint64 n = rd.u64();
    QList<ServerInfo> out;
    for (quint64 i = 0; i < n && rd.ok(); ++i) {
        ServerInfo s;
        s.id = rd.u64();
        s.address = rd.text();
        s.role = rd.u64();
        out.append(s);
    }
    if (!rd.ok())
        return fail(QStringLiteral("venue-transport"),
                    QStringLiteral("The ledger node's cluster answer is malformed."));
    return out;
}

Status DqliteClient::add(quint64 id, const QString &address)
{
    QByteArray body;
    putU64(body, id);
    putText(body, address);
    if (auto s = send(ReqAdd, body); !s)
        return s;
    return Status::from(receive(RespEmpty));
}

Status DqliteClient::assign(quint64 id, quint64 role)
{
    QByteArray body;
    putU64(body, id);
    putU64(body, role);
    if (auto s = send(ReqAssign, body); !s)
        return s;
    return Status::from(receive(RespEmpty));
}

Status DqliteClient::open(const QString &database)
{
    QByteArray body;
    putText(body, database);
    putU64(body, 0);
    putText(body, QString());
    if (auto s = send(ReqOpen, body); !s)
        return s;
    auto r = receive(RespDb);
    if (!r)
        return r.error();
    Reader rd(*r);
    m_db = rd.u32();
    m_open = true;
    return {};
}

Result<ExecResult> DqliteClient::exec(const QString &sql, const QVariantList &params)
{
    QByteArray body;
    putU64(body, m_db);
    putText(body, sql);
    putParams(body, params);
    if (auto s = send(ReqExecSql, body); !s)
        return s.error();
    auto r = receive(RespResult);
    if (!r)
        return r.error();
    Reader rd(*r);
    ExecResult out;
    out.lastInsertId = qint64(rd.u64());
    out.rowsAffected = qint64(rd.u64());
    return out;
}

Result<QList<QVariantList>> DqliteClient::query(const QString &sql, const QVariantList &params)
{
    QByteArray body;
    putU64(body, m_db);
    putText(body, sql);
    putParams(body, params);
    if (auto s = send(ReqQuerySql, body); !s)
        return s.error();
    QList<QVariantList> rows;
    for (;;) {
        auto r = receive(RespRows);
        if (!r)
            return r.error();
        Reader rd(*r);
        const quint64 columns = rd.u64();
        for (quint64 i = 0; i < columns; ++i)
            rd.text();
        if (!rd.ok() || columns > 255)
            return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node's rows are malformed."));
        const qsizetype headerBytes = qsizetype((columns + 15) / 16) * 8;
        quint64 marker = 0;
        for (;;) {
            if (rd.left() >= 8) {
                marker = qFromLittleEndian<quint64>(rd.here());
                if (marker == rowsDone || marker == rowsPart) {
                    rd.skip(8);
                    break;
                }
            }
            if (rd.left() < headerBytes)
                return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node's rows are cut short."));
            QByteArray types(rd.here(), headerBytes);
            rd.skip(headerBytes);
            QVariantList row;
            for (quint64 c = 0; c < columns && rd.ok(); ++c) {
                const int type = (quint8(types[qsizetype(c / 2)]) >> ((c % 2) * 4)) & 0x0f;
                switch (type) {
                case 1: // integer
                case 9: // unix time
                    row.append(qint64(rd.u64()));
                    break;
                case 2: { // float
                    const quint64 bits = rd.u64();
                    double d;
                    std::memcpy(&d, &bits, sizeof d);
                    row.append(d);
                    break;
                }
                case 3: // text
                case 10: // ISO 8601
                    row.append(rd.text());
                    break;
                case 4:
                    row.append(rd.blob());
                    break;
                case 5:
                    rd.u64();
                    row.append(QVariant());
                    break;
                case 11:
                    row.append(rd.u64() != 0);
                    break;
                default:
                    return fail(QStringLiteral("venue-transport"),
                                QStringLiteral("The ledger node sent a value of unknown type %1.").arg(type));
                }
            }
            if (!rd.ok())
                return fail(QStringLiteral("venue-transport"), QStringLiteral("The ledger node's rows are cut short."));
            rows.append(row);
        }
        if (marker == rowsDone)
            return rows;
    }
}

} // namespace pingyi::venue
