#include "securechannel.h"

#include <QElapsedTimer>
#include <QScopeGuard>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace pingyi::venue {

namespace {

constexpr char magic[8] = {'P', 'Y', 'V', 'E', 'N', 'U', 'E', '1'};
constexpr char initiatorDomain[] = "pingyi/venue-handshake-initiator/v1";
constexpr char responderDomain[] = "pingyi/venue-handshake-responder/v1";
constexpr size_t helloSize = sizeof magic + 32 + crypto_kx_PUBLICKEYBYTES;
constexpr size_t sigSize = crypto_sign_BYTES;

Error handshakeError(const QString &why)
{
    return makeError(QStringLiteral("venue-handshake"), QStringLiteral("A venue peer was refused: %1.").arg(why));
}

Error transportError(const QString &why)
{
    return makeError(QStringLiteral("venue-transport"), QStringLiteral("The venue link failed: %1.").arg(why));
}

bool waitFor(int fd, short events, const QElapsedTimer &timer, int timeoutMs)
{
    for (;;) {
        const qint64 left = timeoutMs - timer.elapsed();
        if (left <= 0)
            return false;
        pollfd p {fd, events, 0};
        const int r = ::poll(&p, 1, int(left));
        if (r > 0)
            return true;
        if (r == 0)
            return false;
        if (errno != EINTR)
            return false;
    }
}

QByteArray hello(const QByteArray &signKey, const unsigned char *ephemeral)
{
    QByteArray out(magic, sizeof magic);
    out += signKey;
    out += QByteArray(reinterpret_cast<const char *>(ephemeral), crypto_kx_PUBLICKEYBYTES);
    return out;
}

// The session keys mix the ephemeral exchange with the whole transcript, so keys and
// identities are bound together.
void bindKeys(unsigned char *key, const QByteArray &transcript)
{
    unsigned char out[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char *>(transcript.constData()),
                       size_t(transcript.size()), key, crypto_kx_SESSIONKEYBYTES);
    std::memcpy(key, out, sizeof out);
    sodium_memzero(out, sizeof out);
}

struct FdGuard {
    int fd;
    ~FdGuard()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int release()
    {
        const int f = fd;
        fd = -1;
        return f;
    }
};

} // namespace

bool writeAll(int fd, const void *data, size_t size, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    auto p = static_cast<const char *>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            size -= size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!waitFor(fd, POLLOUT, timer, timeoutMs))
                return false;
            continue;
        }
        return false;
    }
    return true;
}

bool readAll(int fd, void *data, size_t size, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    auto p = static_cast<char *>(data);
    while (size > 0) {
        const ssize_t n = ::recv(fd, p, size, MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            size -= size_t(n);
            continue;
        }
        if (n == 0)
            return false;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (!waitFor(fd, POLLIN, timer, timeoutMs))
                return false;
            continue;
        }
        return false;
    }
    return true;
}

int connectTcp(const QString &address, int timeoutMs)
{
    const int colon = int(address.lastIndexOf(QLatin1Char(':')));
    if (colon <= 0)
        return -1;
    const QByteArray host = address.left(colon).toUtf8();
    const QByteArray port = address.mid(colon + 1).toUtf8();
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    addrinfo *res = nullptr;
    if (::getaddrinfo(host.constData(), port.constData(), &hints, &res) != 0 || !res)
        return -1;
    const int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        ::freeaddrinfo(res);
        return -1;
    }
    int r = ::connect(fd, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
    if (r != 0 && errno == EINPROGRESS) {
        QElapsedTimer timer;
        timer.start();
        int err = 0;
        socklen_t len = sizeof err;
        if (waitFor(fd, POLLOUT, timer, timeoutMs) && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0
            && err == 0)
            r = 0;
    }
    if (r != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

int connectLocal(const QString &address)
{
    const QByteArray name = address.mid(1).toUtf8();
    sockaddr_un sa {};
    if (!address.startsWith(QLatin1Char('@')) || size_t(name.size()) + 1 > sizeof sa.sun_path)
        return -1;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path + 1, name.constData(), size_t(name.size()));
    const auto len = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(name.size()));
    if (::connect(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

Result<std::unique_ptr<SecureChannel>> SecureChannel::initiate(int rawFd, const crypto::SigningKey &self,
                                                               const Membership &membership,
                                                               QByteArrayView expectedPeerKey, int timeoutMs)
{
    FdGuard fd {rawFd};
    unsigned char ephPk[crypto_kx_PUBLICKEYBYTES], ephSk[crypto_kx_SECRETKEYBYTES];
    crypto_kx_keypair(ephPk, ephSk);
    const QByteArray mine = hello(self.publicKey(), ephPk);
    if (!writeAll(fd.fd, mine.constData(), size_t(mine.size()), timeoutMs))
        return handshakeError(
            QStringLiteral("no answer in time, or the peer closed the connection (it may not know this kiosk)"));
    QByteArray theirs(int(helloSize + sigSize), Qt::Uninitialized);
    if (!readAll(fd.fd, theirs.data(), size_t(theirs.size()), timeoutMs))
        return handshakeError(
            QStringLiteral("no answer in time, or the peer closed the connection (it may not know this kiosk)"));
    const QByteArray theirHello = theirs.left(int(helloSize));
    const QByteArray theirKey = theirHello.mid(sizeof magic, 32);
    if (std::memcmp(theirHello.constData(), magic, sizeof magic) != 0)
        return handshakeError(QStringLiteral("the peer does not speak the venue protocol"));
    const Member *peer = membership.byKey(theirKey);
    if (!peer || (!expectedPeerKey.isEmpty() && QByteArrayView(theirKey) != expectedPeerKey))
        return handshakeError(QStringLiteral("the peer's key is not the venue kiosk's key expected at this address"));
    const QByteArray transcript = mine + theirHello;
    if (!crypto::verify(theirKey, responderDomain, transcript, theirs.mid(int(helloSize))))
        return handshakeError(QStringLiteral("the peer could not prove it holds its kiosk key"));
    const QByteArray sig = self.sign(initiatorDomain, transcript);
    if (!writeAll(fd.fd, sig.constData(), size_t(sig.size()), timeoutMs))
        return handshakeError(QStringLiteral("the connection closed during the handshake"));
    return finish(fd.release(), *peer, true, ephPk, ephSk, theirHello, transcript, timeoutMs);
}

Result<std::unique_ptr<SecureChannel>> SecureChannel::accept(int rawFd, const crypto::SigningKey &self,
                                                             const Membership &membership, int timeoutMs)
{
    FdGuard fd {rawFd};
    QByteArray theirHello(int(helloSize), Qt::Uninitialized);
    if (!readAll(fd.fd, theirHello.data(), helloSize, timeoutMs))
        return handshakeError(QStringLiteral("no hello within the time allowed"));
    if (std::memcmp(theirHello.constData(), magic, sizeof magic) != 0)
        return handshakeError(QStringLiteral("the peer does not speak the venue protocol"));
    const QByteArray theirKey = theirHello.mid(sizeof magic, 32);
    const Member *peer = membership.byKey(theirKey);
    if (!peer || QByteArrayView(theirKey) == QByteArrayView(self.publicKey()))
        return handshakeError(QStringLiteral("the peer's key is not a venue kiosk key"));
    unsigned char ephPk[crypto_kx_PUBLICKEYBYTES], ephSk[crypto_kx_SECRETKEYBYTES];
    crypto_kx_keypair(ephPk, ephSk);
    const QByteArray mine = hello(self.publicKey(), ephPk);
    const QByteArray transcript = theirHello + mine;
    const QByteArray reply = mine + self.sign(responderDomain, transcript);
    if (!writeAll(fd.fd, reply.constData(), size_t(reply.size()), timeoutMs))
        return handshakeError(QStringLiteral("the connection closed during the handshake"));
    QByteArray sig(int(sigSize), Qt::Uninitialized);
    if (!readAll(fd.fd, sig.data(), sigSize, timeoutMs))
        return handshakeError(QStringLiteral("the peer did not finish the handshake (no proof of its kiosk key)"));
    if (!crypto::verify(theirKey, initiatorDomain, transcript, sig))
        return handshakeError(QStringLiteral("the peer could not prove it holds its kiosk key"));
    return finish(fd.release(), *peer, false, ephPk, ephSk, theirHello, transcript, timeoutMs);
}

Result<std::unique_ptr<SecureChannel>> SecureChannel::finish(int fd, Member peer, bool initiator,
                                                             const unsigned char *ephPk, unsigned char *ephSk,
                                                             const QByteArray &theirHello, const QByteArray &transcript,
                                                             int timeoutMs)
{
    std::unique_ptr<SecureChannel> ch(new SecureChannel(fd, std::move(peer))); // owns fd from here
    // Session keys from the ephemeral exchange, bound to the whole handshake; the ephemeral
    // secret and the session keys are wiped whatever happens next.
    unsigned char rx[crypto_kx_SESSIONKEYBYTES], tx[crypto_kx_SESSIONKEYBYTES];
    const auto peerEph = reinterpret_cast<const unsigned char *>(theirHello.constData() + sizeof magic + 32);
    const int kx = initiator ? crypto_kx_client_session_keys(rx, tx, ephPk, ephSk, peerEph)
                             : crypto_kx_server_session_keys(rx, tx, ephPk, ephSk, peerEph);
    sodium_memzero(ephSk, crypto_kx_SECRETKEYBYTES);
    const auto wipe = qScopeGuard([&] {
        sodium_memzero(rx, sizeof rx);
        sodium_memzero(tx, sizeof tx);
    });
    if (kx != 0)
        return handshakeError(QStringLiteral("the peer's ephemeral key is invalid"));
    bindKeys(rx, transcript);
    bindKeys(tx, transcript);
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&ch->m_tx, header, tx);
    if (!writeAll(fd, header, sizeof header, timeoutMs))
        return handshakeError(QStringLiteral("the connection closed during the handshake"));
    if (!readAll(fd, header, sizeof header, timeoutMs))
        return handshakeError(QStringLiteral("the connection closed during the handshake"));
    if (crypto_secretstream_xchacha20poly1305_init_pull(&ch->m_rx, header, rx) != 0)
        return handshakeError(QStringLiteral("the peer's stream header is invalid"));
    return ch;
}

SecureChannel::~SecureChannel()
{
    if (m_fd >= 0)
        ::close(m_fd);
    sodium_memzero(&m_tx, sizeof m_tx);
    sodium_memzero(&m_rx, sizeof m_rx);
}

bool SecureChannel::send(const char *data, size_t size, int timeoutMs)
{
    if (size > maxFrame)
        return false;
    const size_t cipherSize = size + crypto_secretstream_xchacha20poly1305_ABYTES;
    QByteArray frame(int(4 + cipherSize), Qt::Uninitialized);
    auto p = reinterpret_cast<unsigned char *>(frame.data());
    const quint32 len = quint32(cipherSize);
    p[0] = len & 0xff;
    p[1] = (len >> 8) & 0xff;
    p[2] = (len >> 16) & 0xff;
    p[3] = (len >> 24) & 0xff;
    // The clear length is the frame's additional data, so it cannot be changed unnoticed.
    crypto_secretstream_xchacha20poly1305_push(&m_tx, p + 4, nullptr, reinterpret_cast<const unsigned char *>(data),
                                               size, p, 4, 0);
    return writeAll(m_fd, frame.constData(), size_t(frame.size()), timeoutMs);
}

Result<QByteArray> SecureChannel::receive(int timeoutMs)
{
    unsigned char lenBytes[4];
    if (!readAll(m_fd, lenBytes, 4, timeoutMs))
        return transportError(QStringLiteral("the peer closed the connection"));
    const quint32 len
        = quint32(lenBytes[0]) | quint32(lenBytes[1]) << 8 | quint32(lenBytes[2]) << 16 | quint32(lenBytes[3]) << 24;
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES
        || len > maxFrame + crypto_secretstream_xchacha20poly1305_ABYTES)
        return transportError(QStringLiteral("a frame of impossible size arrived"));
    QByteArray cipher(int(len), Qt::Uninitialized);
    if (!readAll(m_fd, cipher.data(), len, timeoutMs))
        return transportError(QStringLiteral("a frame was cut short"));
    QByteArray plain(int(len - crypto_secretstream_xchacha20poly1305_ABYTES), Qt::Uninitialized);
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&m_rx, reinterpret_cast<unsigned char *>(plain.data()), nullptr,
                                                   &tag, reinterpret_cast<const unsigned char *>(cipher.constData()),
                                                   len, lenBytes, 4)
        != 0)
        return transportError(QStringLiteral("a frame did not authenticate"));
    return plain;
}

void SecureChannel::pump(int localFd, int stopFd, int cutFd)
{
    constexpr int ioTimeoutMs = 5000;
    char buf[maxFrame];
    for (;;) {
        pollfd fds[4] = {{localFd, POLLIN, 0}, {m_fd, POLLIN, 0}, {stopFd, POLLIN, 0}, {cutFd, POLLIN, 0}};
        const int r = ::poll(fds, 4, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 || (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) || (fds[3].revents & (POLLIN | POLLHUP | POLLERR)))
            break;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(localFd, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                break;
            if (n > 0 && !send(buf, size_t(n), ioTimeoutMs))
                break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            auto frame = receive(ioTimeoutMs);
            if (!frame || !writeAll(localFd, frame->constData(), size_t(frame->size()), ioTimeoutMs))
                break;
        }
    }
    ::shutdown(localFd, SHUT_RDWR);
    ::shutdown(m_fd, SHUT_RDWR);
    ::close(localFd);
}

} // namespace pingyi::venue
