#pragma once
// Who belongs to a venue's shared check-in ledger: one member per kiosk, with its Raft node
// id, the address its secure endpoint listens on, its role and the Ed25519 key from its
// kiosk certificate (the only key the transport accepts from it). docs/venue.md §Membership.

#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace pingyi::venue {

enum class Role {
    Voter, ///< votes in Raft elections and commits
    Standby, ///< keeps a full copy, takes no part in the quorum
};

struct Member {
    QString kioskId;
    quint64 nodeId = 0;
    QString address; ///< "host:port" of the member's secure endpoint on the venue LAN
    Role role = Role::Standby;
    QByteArray signPublicKey; ///< Ed25519, from the member's kiosk certificate

    bool operator==(const Member &) const = default;
};

/// Voters for a venue of @p kiosks kiosks: 1 for 1–2, 3 for 3–6, 5 for 7 and more. Never
/// even: an even count tolerates no more failures than one fewer.
int votersFor(int kiosks);

class Membership {
public:
    Membership() = default;

    /// The members in a canonical order: kiosks sorted by id get node ids 1, 2, … (node 1
    /// bootstraps the cluster in dqlite 1.11) and the first votersFor(n) of them vote.
    /// Every kiosk derives the same membership from the same certificates.
    /// @p addresses gives each kiosk's endpoint, in the order of @p kioskIds.
    /// Error "venue-membership" when ids or keys repeat, a key is not 32 bytes or an
    /// address is missing.
    static Result<Membership> assign(const QList<QString> &kioskIds, const QList<QByteArray> &signPublicKeys,
                                     const QList<QString> &addresses);

    /// From the kiosk certificates a venue package carries (VenuePackageContent::kioskCerts):
    /// each is verified against the HQ root, activity and venue, then assign() applies.
    /// The package does not carry network addresses: @p addresses maps each kiosk id to its
    /// venue LAN endpoint (the venue's network plan, docs/venue.md §Set-up). Error codes:
    /// those of KioskCertificate::verify, and "venue-membership" (a kiosk without address).
    static Result<Membership> fromCertificates(const QList<QByteArray> &certificates, QByteArrayView rootPublicKey,
                                               const QString &activityId, const QString &venue,
                                               const QHash<QString, QString> &addresses);

    /// From members given explicitly (node ids and roles as listed). Same checks, plus:
    /// node ids unique and non-zero, node 1 present and a voter, an odd number of voters.
    static Result<Membership> fromMembers(QList<Member> members);

    const QList<Member> &members() const { return m_members; }
    const Member *byKiosk(const QString &kioskId) const;
    const Member *byNode(quint64 nodeId) const;
    const Member *byAddress(const QString &address) const;
    const Member *byKey(QByteArrayView signPublicKey) const;
    int voterCount() const;

    /// Text form for a kiosk's venue configuration and tests: one member per line,
    /// "kiosk<TAB>node<TAB>address<TAB>voter|standby<TAB>hex key".
    QByteArray toText() const;
    static Result<Membership> fromText(QByteArrayView text);

private:
    QList<Member> m_members;
};

} // namespace pingyi::venue
