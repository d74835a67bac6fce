#pragma once
// Shared by the venue tests and the venue bench: free loopback ports and a venue of N
// kiosks with fresh keys.

#include "crypto.h"
#include "membership.h"

#include <QList>
#include <QString>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pingyi::venue::testutil {

/// A loopback port nobody listens on right now.
inline int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa {};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    socklen_t len = sizeof sa;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len);
    ::close(fd);
    return ntohs(sa.sin_port);
}

struct TestVenue {
    Membership membership;
    QList<QByteArray> seeds; ///< per member, in node order
};

/// @p n kiosks "k01"… on 127.0.0.1 with the voter rule applied.
inline TestVenue makeVenue(int n)
{
    QList<QString> ids, addresses;
    QList<QByteArray> keys, seeds;
    for (int i = 0; i < n; ++i) {
        auto key = crypto::SigningKey::generate();
        ids.append(QStringLiteral("k%1").arg(i + 1, 2, 10, QLatin1Char('0')));
        addresses.append(QStringLiteral("127.0.0.1:%1").arg(freePort()));
        keys.append(key.publicKey());
        seeds.append(key.seed().view().toByteArray());
    }
    auto m = Membership::assign(ids, keys, addresses);
    return TestVenue {*m, seeds};
}

inline crypto::SigningKey keyFrom(const QByteArray &seed)
{
    return *crypto::SigningKey::fromSeed(crypto::SecretBytes::copyOf(seed));
}

} // namespace pingyi::venue::testutil

/// QVERIFY2 builds its message even when the check passes, so a Result's error must not be
/// read unless it failed.
#define VENUE_VERIFY_OK(r) QVERIFY2((r).ok(), (r).ok() ? "" : qPrintable((r).error().message))
