#include "venuenode.h"

#include "dqliteclient.h"
#include "securechannel.h"

// dqlite.h declares C functions without extern "C" of its own.
extern "C" {
#include <dqlite.h>
}

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcVenue, "pingyi.venue")

namespace pingyi::venue {

namespace {

constexpr int handshakeTimeoutMs = 2000;
constexpr int clientTimeoutMs = 2000;

Error nodeError(const QString &why)
{
    return makeError(QStringLiteral("venue-node"),
                     QStringLiteral("The venue ledger node could not start: %1.").arg(why));
}

int listenTcp(const QString &address)
{
    const int colon = int(address.lastIndexOf(QLatin1Char(':')));
    const QByteArray host = address.left(colon).toUtf8();
    const QByteArray port = address.mid(colon + 1).toUtf8();
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    addrinfo *res = nullptr;
    if (colon <= 0 || ::getaddrinfo(host.constData(), port.constData(), &hints, &res) != 0 || !res)
        return -1;
    const int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    if (fd >= 0)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || ::bind(fd, res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
        if (fd >= 0)
            ::close(fd);
        ::freeaddrinfo(res);
        return -1;
    }
    ::freeaddrinfo(res);
    return fd;
}

} // namespace

VenueNode::VenueNode(const Membership &membership, crypto::SigningKey key, const Member &self,
                     const NodeOptions &options)
    : m_membership(membership), m_key(std::move(key)), m_self(self), m_options(options)
{
}

Result<std::unique_ptr<VenueNode>> VenueNode::start(const Membership &membership, crypto::SigningKey key,
                                                    const NodeOptions &options)
{
    // A peer that dies mid-write must not kill this process (dqlite writes to sockets).
    std::signal(SIGPIPE, SIG_IGN);
    const Member *self = membership.byKiosk(options.kioskId);
    if (!self || self->signPublicKey != key.publicKey())
        return makeError(QStringLiteral("venue-membership"),
                         QStringLiteral("This kiosk (%1) is not in the venue's kiosk list with its own key. Load the "
                                        "venue package that lists it.")
                             .arg(options.kioskId));
    if (!QDir().mkpath(options.dataDir))
        return nodeError(QStringLiteral("cannot create %1").arg(options.dataDir));
    std::unique_ptr<VenueNode> node(new VenueNode(membership, std::move(key), *self, options));
    if (::pipe2(node->m_stop, O_CLOEXEC) != 0 || ::pipe2(node->m_cut, O_CLOEXEC | O_NONBLOCK) != 0)
        return nodeError(QStringLiteral("no pipe"));
    node->m_bindAddress = QStringLiteral("@pingyi-venue-%1-%2")
                              .arg(self->nodeId)
                              .arg(QString::fromLatin1(crypto::randomBytes(8).toHex()));
    dqlite_node *dn = nullptr;
    const QByteArray address = self->address.toUtf8();
    const QByteArray dir = QFile::encodeName(options.dataDir);
    if (dqlite_node_create(self->nodeId, address.constData(), dir.constData(), &dn) != 0) {
        const QString why = dn ? QString::fromUtf8(dqlite_node_errmsg(dn)) : QStringLiteral("out of memory");
        if (dn)
            dqlite_node_destroy(dn);
        return nodeError(why);
    }
    node->m_node = dn;
    const QByteArray bind = node->m_bindAddress.toUtf8();
    if (dqlite_node_set_bind_address(dn, bind.constData()) != 0
        || dqlite_node_set_connect_func(dn, &VenueNode::connectHook, node.get()) != 0
        || dqlite_node_set_network_latency_ms(dn, options.networkLatencyMs) != 0
        || dqlite_node_set_snapshot_params(dn, options.snapshotThreshold, options.snapshotTrailing) != 0)
        return nodeError(QString::fromUtf8(dqlite_node_errmsg(dn)));
    if (dqlite_node_start(dn) != 0)
        return nodeError(QString::fromUtf8(dqlite_node_errmsg(dn)));
    if (auto s = node->startListener(); !s)
        return s.error();
    return node;
}

VenueNode::~VenueNode()
{
    if (m_stop[1] >= 0) {
        const char c = 0;
        [[maybe_unused]] const auto n = ::write(m_stop[1], &c, 1);
    }
    if (m_node) {
        dqlite_node_stop(m_node);
    }
    // The listener may still start a handshake thread while it is joined: repeat until none.
    for (;;) {
        std::list<Worker> threads;
        {
            std::lock_guard lock(m_threadsMutex);
            threads.swap(m_threads);
        }
        if (threads.empty())
            break;
        for (Worker &w : threads)
            if (w.thread.joinable())
                w.thread.join();
    }
    if (m_node)
        dqlite_node_destroy(m_node);
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    for (int fd : {m_stop[0], m_stop[1], m_cut[0], m_cut[1]})
        if (fd >= 0)
            ::close(fd);
}

void VenueNode::setIsolated(bool isolated)
{
    std::lock_guard lock(m_isolationMutex);
    if (m_isolated.exchange(isolated) == isolated)
        return;
    if (isolated) {
        const char c = 0;
        [[maybe_unused]] const auto n = ::write(m_cut[1], &c, 1);
        qCWarning(lcVenue) << "isolated from the venue network (drill)";
    } else {
        char buf[16];
        while (::read(m_cut[0], buf, sizeof buf) > 0) { }
        qCInfo(lcVenue) << "back on the venue network (drill)";
    }
}

void VenueNode::spawn(std::function<void()> fn)
{
    std::lock_guard lock(m_threadsMutex);
    // Connections come and go all day (Raft reconnects, ledger clients): join the threads
    // that ended so that their stacks are given back.
    for (auto it = m_threads.begin(); it != m_threads.end();) {
        if (it->finished->load()) {
            it->thread.join();
            it = m_threads.erase(it);
        } else {
            ++it;
        }
    }
    auto finished = std::make_shared<std::atomic<bool>>(false);
    m_threads.push_back(Worker {std::thread([fn = std::move(fn), finished] {
                                    fn();
                                    finished->store(true);
                                }),
                                finished});
}

Status VenueNode::startListener()
{
    m_listenFd = listenTcp(m_self.address);
    if (m_listenFd < 0)
        return nodeError(QStringLiteral("cannot listen on %1 (%2)")
                             .arg(m_self.address, QString::fromLocal8Bit(std::strerror(errno))));
    spawn([this] { listen(); });
    return {};
}

void VenueNode::listen()
{
    for (;;) {
        pollfd fds[2] = {{m_listenFd, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (fds[1].revents)
            return;
        if (fds[0].revents & POLLIN) {
            const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd >= 0 && m_isolated.load())
                ::close(fd);
            else if (fd >= 0)
                spawn([this, fd] { serve(fd); });
        }
    }
}

void VenueNode::serve(int fd)
{
    auto channel = SecureChannel::accept(fd, m_key, m_membership, handshakeTimeoutMs);
    if (!channel) {
        qCInfo(lcVenue) << "refused a venue connection:" << channel.error().message;
        return;
    }
    if (m_isolated.load())
        return;
    const int local = dialLocal();
    if (local < 0)
        return;
    (*channel)->pump(local, m_stop[0], m_cut[0]);
}

int VenueNode::dialLocal()
{
    return connectLocal(m_bindAddress);
}

int VenueNode::dialRemote(const QString &address, int timeoutMs)
{
    const Member *peer = m_membership.byAddress(address);
    if (!peer || timeoutMs <= 0 || m_isolated.load())
        return -1;
    QElapsedTimer timer;
    timer.start();
    const int tcp = connectTcp(address, qMin(m_options.connectTimeoutMs, timeoutMs));
    if (tcp < 0)
        return -1;
    const int left = int(qMin<qint64>(handshakeTimeoutMs, timeoutMs - timer.elapsed()));
    auto channel = SecureChannel::initiate(tcp, m_key, m_membership, peer->signPublicKey, qMax(left, 1));
    if (!channel) {
        qCInfo(lcVenue) << "venue peer" << peer->kioskId << "refused:" << channel.error().message;
        return -1;
    }
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return -1;
    std::shared_ptr<SecureChannel> ch(std::move(*channel));
    const int stop = m_stop[0];
    const int cut = m_cut[0];
    const int inner = pair[1];
    spawn([ch, inner, stop, cut] { ch->pump(inner, stop, cut); });
    return pair[0];
}

int VenueNode::dial(const QString &address, int timeoutMs)
{
    return address == m_self.address ? dialLocal() : dialRemote(address, timeoutMs);
}

int VenueNode::connectHook(void *arg, const char *address, int *fd)
{
    // Called on dqlite's event loop: connecting and the handshake run on a thread of
    // their own so that a frozen peer cannot stall this node's heartbeats. dqlite gets
    // one end of a socket pair at once; it is closed if the peer cannot be reached.
    auto *node = static_cast<VenueNode *>(arg);
    const QString target = QString::fromUtf8(address);
    const Member *peer = node->m_membership.byAddress(target);
    if (!peer)
        return DQLITE_ERROR;
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        return DQLITE_ERROR;
    const int inner = pair[1];
    const QByteArray key = peer->signPublicKey;
    node->spawn([node, target, key, inner] {
        if (node->m_isolated.load()) {
            ::close(inner);
            return;
        }
        const int tcp = connectTcp(target, node->m_options.connectTimeoutMs);
        if (tcp < 0) {
            ::close(inner);
            return;
        }
        auto channel = SecureChannel::initiate(tcp, node->m_key, node->m_membership, key, handshakeTimeoutMs);
        if (!channel) {
            qCInfo(lcVenue) << "venue peer refused:" << channel.error().message;
            ::close(inner);
            return;
        }
        (*channel)->pump(inner, node->m_stop[0], node->m_cut[0]);
    });
    *fd = pair[0];
    return 0;
}

QPair<quint64, QString> VenueNode::findLeader(int timeoutMs)
{
    QList<QString> ask {m_self.address};
    for (const Member &m : m_membership.members())
        if (m.role == Role::Voter && m.address != m_self.address)
            ask.append(m.address);
    QElapsedTimer timer;
    timer.start();
    for (const QString &address : ask) {
        const int left = int(qMin<qint64>(clientTimeoutMs, timeoutMs - timer.elapsed()));
        if (left <= 0)
            break;
        DqliteClient client(dial(address, left), int(qMax<qint64>(1, timeoutMs - timer.elapsed())));
        if (!client.connected() || !client.handshake())
            continue;
        auto leader = client.leader();
        if (leader && leader->id != 0 && m_membership.byNode(leader->id))
            return {leader->id, leader->address};
    }
    return {0, QString()};
}

Status VenueNode::join(int timeoutMs)
{
    if (m_self.nodeId == 1)
        return {};
    const quint64 wanted = m_self.role == Role::Voter ? 0 : 1;
    QElapsedTimer timer;
    timer.start();
    QString last = QStringLiteral("no leader");
    while (timer.elapsed() < timeoutMs) {
        const auto [leaderId, leaderAddress] = findLeader(clientTimeoutMs);
        if (leaderId != 0) {
            DqliteClient client(dial(leaderAddress, clientTimeoutMs), clientTimeoutMs);
            if (client.connected() && client.handshake()) {
                auto servers = client.cluster();
                if (servers) {
                    const ServerInfo *found = nullptr;
                    for (const ServerInfo &s : *servers)
                        if (s.id == m_self.nodeId)
                            found = &s;
                    if (found && found->role == wanted)
                        return {};
                    const Status s
                        = found ? client.assign(m_self.nodeId, wanted) : client.add(m_self.nodeId, m_self.address);
                    if (!s)
                        last = s.error().message;
                    continue;
                }
                last = servers.error().message;
            }
        }
        ::usleep(50 * 1000);
    }
    return makeError(QStringLiteral("venue-unavailable"),
                     QStringLiteral("This kiosk could not join the venue's ledger in time (%1). Check that the "
                                    "venue's first kiosk is running and the network is connected.")
                         .arg(last));
}

} // namespace pingyi::venue
