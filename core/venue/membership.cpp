#include "membership.h"

#include "enrolment.h"

#include <QSet>

#include <algorithm>

namespace pingyi::venue {

namespace {
Error bad(const QString &what)
{
    return makeError(QStringLiteral("venue-membership"),
                     QStringLiteral("The venue's kiosk list is not usable: %1. Ask the office for a corrected "
                                    "venue package.")
                         .arg(what));
}
} // namespace

int votersFor(int kiosks)
{
    if (kiosks <= 2)
        return 1;
    if (kiosks <= 6)
        return 3;
    return 5;
}

Result<Membership> Membership::assign(const QList<QString> &kioskIds, const QList<QByteArray> &signPublicKeys,
                                      const QList<QString> &addresses)
{
    if (kioskIds.size() != signPublicKeys.size() || kioskIds.size() != addresses.size())
        return bad(QStringLiteral("%1 kiosks, %2 keys and %3 addresses")
                       .arg(kioskIds.size())
                       .arg(signPublicKeys.size())
                       .arg(addresses.size()));
    QList<int> order(kioskIds.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return kioskIds[a] < kioskIds[b]; });
    const int voters = votersFor(int(order.size()));
    QList<Member> members;
    for (int rank = 0; rank < order.size(); ++rank) {
        const int i = order[rank];
        members.append(Member {kioskIds[i], quint64(rank + 1), addresses[i],
                               rank < voters ? Role::Voter : Role::Standby, signPublicKeys[i]});
    }
    return fromMembers(std::move(members));
}

Result<Membership> Membership::fromCertificates(const QList<QByteArray> &certificates, QByteArrayView rootPublicKey,
                                                const QString &activityId, const QString &venue,
                                                const QHash<QString, QString> &addresses)
{
    QList<QString> ids, endpoints;
    QList<QByteArray> keys;
    for (const QByteArray &bytes : certificates) {
        auto cert = KioskCertificate::verify(bytes, rootPublicKey, activityId, venue);
        if (!cert)
            return cert.error();
        const QString address = addresses.value(cert->kioskId);
        if (address.isEmpty())
            return bad(QStringLiteral("kiosk %1 has no address in the venue's network plan").arg(cert->kioskId));
        ids.append(cert->kioskId);
        keys.append(cert->signPublicKey);
        endpoints.append(address);
    }
    return assign(ids, keys, endpoints);
}

Result<Membership> Membership::fromMembers(QList<Member> members)
{
    if (members.isEmpty())
        return bad(QStringLiteral("it lists no kiosk"));
    QSet<QString> ids, addresses;
    QSet<quint64> nodes;
    QSet<QByteArray> keys;
    int voters = 0;
    bool hasFirst = false;
    for (const Member &m : members) {
        if (m.kioskId.isEmpty() || ids.contains(m.kioskId))
            return bad(QStringLiteral("kiosk id \"%1\" is empty or repeated").arg(m.kioskId));
        if (m.nodeId == 0 || nodes.contains(m.nodeId))
            return bad(QStringLiteral("node id %1 of kiosk %2 is zero or repeated").arg(m.nodeId).arg(m.kioskId));
        if (m.address.isEmpty() || addresses.contains(m.address) || !m.address.contains(QLatin1Char(':')))
            return bad(QStringLiteral("address \"%1\" of kiosk %2 is missing, repeated or has no port")
                           .arg(m.address, m.kioskId));
        if (m.signPublicKey.size() != 32 || keys.contains(m.signPublicKey))
            return bad(
                QStringLiteral("the key of kiosk %1 is not a 32-byte Ed25519 key or is repeated").arg(m.kioskId));
        ids.insert(m.kioskId);
        nodes.insert(m.nodeId);
        addresses.insert(m.address);
        keys.insert(m.signPublicKey);
        if (m.role == Role::Voter)
            ++voters;
        if (m.nodeId == 1) {
            hasFirst = true;
            if (m.role != Role::Voter)
                return bad(
                    QStringLiteral("node 1 (kiosk %1) bootstraps the cluster and must be a voter").arg(m.kioskId));
        }
    }
    if (!hasFirst)
        return bad(QStringLiteral("no kiosk has node id 1, which bootstraps the cluster"));
    if (voters % 2 == 0)
        return bad(QStringLiteral("%1 voters: the number of voters must be odd").arg(voters));
    std::sort(members.begin(), members.end(), [](const Member &a, const Member &b) { return a.nodeId < b.nodeId; });
    Membership out;
    out.m_members = std::move(members);
    return out;
}

const Member *Membership::byKiosk(const QString &kioskId) const
{
    for (const Member &m : m_members)
        if (m.kioskId == kioskId)
            return &m;
    return nullptr;
}

const Member *Membership::byNode(quint64 nodeId) const
{
    for (const Member &m : m_members)
        if (m.nodeId == nodeId)
            return &m;
    return nullptr;
}

const Member *Membership::byAddress(const QString &address) const
{
    for (const Member &m : m_members)
        if (m.address == address)
            return &m;
    return nullptr;
}

const Member *Membership::byKey(QByteArrayView signPublicKey) const
{
    for (const Member &m : m_members)
        if (QByteArrayView(m.signPublicKey) == signPublicKey)
            return &m;
    return nullptr;
}

int Membership::voterCount() const
{
    return int(
        std::count_if(m_members.begin(), m_members.end(), [](const Member &m) { return m.role == Role::Voter; }));
}

QByteArray Membership::toText() const
{
    QByteArray out;
    for (const Member &m : m_members) {
        out += m.kioskId.toUtf8() + '\t' + QByteArray::number(m.nodeId) + '\t' + m.address.toUtf8() + '\t'
            + (m.role == Role::Voter ? "voter" : "standby") + '\t' + m.signPublicKey.toHex() + '\n';
    }
    return out;
}

Result<Membership> Membership::fromText(QByteArrayView text)
{
    QList<Member> members;
    int lineNo = 0;
    for (const QByteArray &line : text.toByteArray().split('\n')) {
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        const QList<QByteArray> f = line.split('\t');
        bool ok = false;
        const quint64 node = f.size() == 5 ? f[1].toULongLong(&ok) : 0;
        if (f.size() != 5 || !ok || (f[3] != "voter" && f[3] != "standby"))
            return bad(QStringLiteral("line %1 is not \"kiosk, node, address, voter|standby, key\"").arg(lineNo));
        members.append(Member {QString::fromUtf8(f[0]), node, QString::fromUtf8(f[2]),
                               f[3] == "voter" ? Role::Voter : Role::Standby, QByteArray::fromHex(f[4])});
    }
    return fromMembers(std::move(members));
}

} // namespace pingyi::venue
