#pragma once
// The venue LAN link between two kiosks' ledger nodes: a mutual handshake in which each side
// proves possession of its venue kiosk Ed25519 key (a key of the venue's membership) over
// fresh X25519 ephemeral keys, then libsodium secretstream frames in each direction.
// dqlite has no authentication or encryption of its own; nodes listen on local sockets only
// and reach each other through this channel. Protocol: docs/venue.md §Transport security.

#include "crypto.h"
#include "membership.h"
#include "result.h"

#include <sodium.h>

#include <QByteArray>

#include <memory>

namespace pingyi::venue {

/// Blocking I/O with a deadline on a socket. False on error, EOF or time-out.
bool writeAll(int fd, const void *data, size_t size, int timeoutMs);
bool readAll(int fd, void *data, size_t size, int timeoutMs);
/// TCP connection to "host:port" within @p timeoutMs, TCP_NODELAY set. -1 on failure.
int connectTcp(const QString &address, int timeoutMs);
/// Connection to a local abstract unix socket named "@name". -1 on failure.
int connectLocal(const QString &address);

class SecureChannel {
public:
    /// Largest plaintext carried by one frame.
    static constexpr size_t maxFrame = 16 * 1024;

    /// Runs the handshake as the connecting side over @p fd (owned from now on, closed on
    /// failure). The peer must prove it holds @p expectedPeerKey when that is not empty, or
    /// any member's key otherwise. Error "venue-handshake".
    static Result<std::unique_ptr<SecureChannel>> initiate(int fd, const crypto::SigningKey &self,
                                                           const Membership &membership, QByteArrayView expectedPeerKey,
                                                           int timeoutMs);
    /// Runs the handshake as the listening side. A peer that names a key outside the
    /// membership, or cannot sign with it, is dropped before any ledger byte passes.
    static Result<std::unique_ptr<SecureChannel>> accept(int fd, const crypto::SigningKey &self,
                                                         const Membership &membership, int timeoutMs);

    ~SecureChannel();
    SecureChannel(const SecureChannel &) = delete;
    SecureChannel &operator=(const SecureChannel &) = delete;

    int fd() const { return m_fd; }
    const Member &peer() const { return m_peer; }

    /// Encrypts and sends one frame (at most maxFrame bytes).
    bool send(const char *data, size_t size, int timeoutMs);
    /// Receives and decrypts one frame. Error "venue-transport" on EOF, time-out or a frame
    /// that does not authenticate (the connection is then unusable).
    Result<QByteArray> receive(int timeoutMs);

    /// Copies bytes both ways between @p localFd (plain, e.g. a dqlite socket) and the
    /// channel until either side closes or @p stopFd or @p cutFd (-1: none) becomes
    /// readable. Closes @p localFd.
    void pump(int localFd, int stopFd, int cutFd = -1);

private:
    SecureChannel(int fd, Member peer) : m_fd(fd), m_peer(std::move(peer)) { }
    /// The key exchange (`initiator`: the client side) and the stream headers, shared by
    /// initiate() and accept() once the peer has proved its kiosk key.
    static Result<std::unique_ptr<SecureChannel>> finish(int fd, Member peer, bool initiator,
                                                         const unsigned char *ephPk, unsigned char *ephSk,
                                                         const QByteArray &theirHello, const QByteArray &transcript,
                                                         int timeoutMs);

    int m_fd = -1;
    Member m_peer;
    crypto_secretstream_xchacha20poly1305_state m_tx {};
    crypto_secretstream_xchacha20poly1305_state m_rx {};
};

} // namespace pingyi::venue
