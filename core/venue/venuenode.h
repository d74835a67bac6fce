#pragma once
// One kiosk's node of the venue's shared check-in ledger: a dqlite node bound to a local
// (abstract unix) socket, a listener on the venue LAN that admits only venue kiosks through
// the secure channel, and dqlite's outgoing connections routed through the same channel.
// docs/venue.md.

#include "crypto.h"
#include "membership.h"
#include "result.h"

#include <QString>

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

struct dqlite_node;

namespace pingyi::venue {

struct NodeOptions {
    QString dataDir; ///< the node's Raft log and snapshots (created if missing)
    QString kioskId; ///< this kiosk: must be a member
    /// Raft timing hint: dqlite derives heartbeat and election time-outs from it.
    unsigned networkLatencyMs = 50;
    int connectTimeoutMs = 1000;
    /// Snapshot every this many log entries; keep this many entries after a snapshot.
    unsigned snapshotThreshold = 1024;
    unsigned snapshotTrailing = 1024;
};

class VenueNode {
public:
    /// Starts the node and its listener on the member's address. Error codes:
    /// "venue-membership" (this kiosk is not a member), "venue-node" (dqlite or the
    /// listener could not start, with why).
    static Result<std::unique_ptr<VenueNode>> start(const Membership &membership, crypto::SigningKey key,
                                                    const NodeOptions &options);
    ~VenueNode();
    VenueNode(const VenueNode &) = delete;
    VenueNode &operator=(const VenueNode &) = delete;

    const Membership &membership() const { return m_membership; }
    const Member &self() const { return m_self; }

    /// Makes this node a member of the cluster with its role (node 1 bootstraps and has
    /// nothing to do), retrying until @p timeoutMs. Error "venue-unavailable".
    Status join(int timeoutMs);

    /// A plain connection to the dqlite node of the member at @p address: this node's
    /// local socket for its own address, else through the secure channel, connected and
    /// authenticated within @p timeoutMs. -1 on failure.
    int dial(const QString &address, int timeoutMs = 2000);
    /// The leader's id and address as this node or, failing that, any reachable voter
    /// knows it, all asked within @p timeoutMs. Node id 0 when nobody knows (no quorum).
    QPair<quint64, QString> findLeader(int timeoutMs);

    /// Failure drills and tests: as if this kiosk's venue network cable were pulled. Every
    /// link to another kiosk is cut at once, and none is made or accepted until it is set
    /// back; the node's own local socket still answers its kiosk (without the others it
    /// cannot commit).
    void setIsolated(bool isolated);
    bool isolated() const { return m_isolated.load(); }

    /// This node's local socket ("@…"), for tests and tools on the same machine.
    QString localAddress() const { return m_bindAddress; }

private:
    VenueNode(const Membership &membership, crypto::SigningKey key, const Member &self, const NodeOptions &options);
    Status startListener();
    void listen();
    void serve(int fd);
    int dialLocal();
    int dialRemote(const QString &address, int timeoutMs);
    void spawn(std::function<void()> fn);
    static int connectHook(void *arg, const char *address, int *fd);

    Membership m_membership;
    crypto::SigningKey m_key;
    Member m_self;
    NodeOptions m_options;
    QString m_bindAddress;
    dqlite_node *m_node = nullptr;
    int m_listenFd = -1;
    int m_stop[2] = {-1, -1};
    /// Readable while isolated: every pump polls it and ends.
    int m_cut[2] = {-1, -1};
    std::atomic<bool> m_isolated {false};
    std::mutex m_isolationMutex; ///< one setIsolated() at a time (the flag and the pipe agree)
    std::mutex m_threadsMutex;
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> finished;
    };
    std::list<Worker> m_threads; ///< listener, handshakes and pumps; finished ones are joined on the next spawn
};

} // namespace pingyi::venue
