#include "replay.h"

#include "journal.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <random>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pingyi::powerloss {

namespace {

constexpr std::int64_t Sector = 512;

struct Op {
    PlRecord r {};
    std::string payload;
    bool done = false;
    bool syncWrite = false;
    std::int64_t result = -1;
    bool durable = false;

    bool isData() const { return r.type == PL_WRITE || r.type == PL_TRUNC; }
    bool isName() const { return r.type == PL_CREATE || r.type == PL_RENAME || r.type == PL_UNLINK; }
    std::string path(int i) const
    {
        const std::size_t nul = payload.find('\0');
        if (i == 0)
            return payload.substr(0, nul);
        return payload.substr(nul + 1, payload.find('\0', nul + 1) - nul - 1);
    }
    std::string oldBytes() const { return payload.substr(0, r.oldLen); }
    std::string newBytes() const { return payload.substr(r.oldLen); }
};

std::string parentOf(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    return slash == 0 ? std::string("/") : path.substr(0, slash);
}

class Replayer {
public:
    explicit Replayer(std::string side) : m_side(std::move(side)) { }

    bool load()
    {
        const std::string path = m_side + "/journal";
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return errno == ENOENT || fail("cannot open " + path + ": " + std::strerror(errno));
        std::string data;
        char buf[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                ::close(fd);
                return fail("cannot read " + path);
            }
            if (n == 0)
                break;
            data.append(buf, std::size_t(n));
        }
        ::close(fd);
        std::map<std::uint64_t, std::size_t> bySeq;
        std::size_t at = 0;
        // A record is appended with one write(2) before its operation starts, but a SIGKILL
        // can still cut a large write(2) short: a torn last record is an operation that
        // never ran (or, for a creation, ran without being told to anyone) and is dropped.
        while (at + sizeof(PlRecord) <= data.size()) {
            Op op;
            std::memcpy(&op.r, data.data() + at, sizeof(PlRecord));
            if (op.r.magic != PL_MAGIC)
                return fail("the journal is damaged at byte " + std::to_string(at));
            if (at + sizeof(PlRecord) + op.r.payload > data.size())
                break;
            op.payload = data.substr(at + sizeof(PlRecord), op.r.payload);
            at += sizeof(PlRecord) + op.r.payload;
            if (op.r.type == PL_DONE) {
                auto it = bySeq.find(op.r.other);
                if (it == bySeq.end())
                    return fail("the journal completes an operation it never began");
                Op &begun = m_ops[it->second];
                begun.done = true;
                begun.result = op.r.len;
                begun.syncWrite = op.r.flags & 1;
                continue;
            }
            if (op.r.type == PL_CREATE)
                op.done = true; // journalled after the fact
            bySeq[op.r.seq] = m_ops.size();
            m_ops.push_back(std::move(op));
        }
        m_stats.tornTail = at != data.size();
        return true;
    }

    void classify()
    {
        // Walking backwards, an operation is durable if a sync covering it came later.
        std::set<std::pair<std::uint64_t, std::uint64_t>> syncedFiles;
        std::set<std::string> syncedDirs;
        bool all = false;
        for (auto it = m_ops.rbegin(); it != m_ops.rend(); ++it) {
            Op &op = *it;
            ++m_stats.events;
            switch (op.r.type) {
            case PL_FSYNC:
                syncedFiles.insert({op.r.dev, op.r.ino});
                break;
            case PL_DIRSYNC:
                syncedDirs.insert(op.path(0));
                break;
            case PL_SYNCALL:
                all = true;
                break;
            case PL_WRITE:
            case PL_TRUNC:
                op.durable = op.done && (all || op.syncWrite || syncedFiles.count({op.r.dev, op.r.ino}));
                break;
            case PL_CREATE:
            case PL_UNLINK:
                op.durable = op.done && (all || syncedDirs.count(parentOf(op.path(0))));
                break;
            case PL_RENAME:
                op.durable = op.done
                    && (all || (syncedDirs.count(parentOf(op.path(0))) && syncedDirs.count(parentOf(op.path(1)))));
                break;
            default:
                break;
            }
            if (!op.done && (op.isData() || op.isName()))
                ++m_stats.unfinished;
            if (!op.durable && op.isData())
                ++m_stats.unsyncedWrites;
        }
    }

    bool apply(Loss loss, std::uint64_t seed)
    {
        // Back to what was durable: undo every unsynced operation, newest first.
        for (auto it = m_ops.rbegin(); it != m_ops.rend(); ++it)
            if (!it->durable && (it->isData() || it->isName()) && !undo(*it))
                return false;
        // Then let a random part of it reach the disk, in the order it was issued.
        std::mt19937_64 rng(seed);
        std::map<std::string, std::pair<int, int>> prefix; // folder -> (seen, kept)
        if (loss == Loss::Subset) {
            for (const Op &op : m_ops)
                if (!op.durable && op.done && op.isName())
                    for (const std::string &d : folders(op))
                        ++prefix[d].first;
            for (auto &[dir, counts] : prefix)
                counts.second = int(rng() % std::uint64_t(counts.first + 1));
        }
        std::map<std::string, int> seen;
        for (const Op &op : m_ops) {
            if (op.durable || !(op.isData() || op.isName()))
                continue;
            if (op.isName()) {
                bool keep = op.done && loss == Loss::Subset;
                if (op.done)
                    for (const std::string &d : folders(op))
                        keep = seen[d]++ < prefix[d].second && keep;
                if (keep) {
                    if (!redo(op))
                        return false;
                    ++m_stats.namesKept;
                } else {
                    ++m_stats.namesUndone;
                }
                continue;
            }
            if (!op.done || op.result < 0) {
                m_stats.bytesDropped += op.r.type == PL_WRITE ? op.r.len : 0;
                continue;
            }
            if (op.r.type == PL_TRUNC) {
                if (loss == Loss::Subset && rng() % 2 && !redoTrunc(op))
                    return false;
                continue;
            }
            // Sector by sector, each kept or lost on its own: a torn write is a subset too.
            const std::string bytes = op.newBytes().substr(0, std::size_t(op.result));
            for (std::int64_t from = 0; from < std::int64_t(bytes.size());) {
                const std::int64_t off = op.r.off + from;
                const std::int64_t to
                    = std::min<std::int64_t>(std::int64_t(bytes.size()), (off / Sector + 1) * Sector - op.r.off);
                if (loss == Loss::Subset && rng() % 2) {
                    if (!pwriteAll(op, bytes.data() + from, std::size_t(to - from), off))
                        return false;
                    m_stats.bytesKept += to - from;
                } else {
                    m_stats.bytesDropped += to - from;
                }
                from = to;
            }
        }
        return true;
    }

    ReplayStats stats() const { return m_stats; }
    std::string error() const { return m_error; }

private:
    bool fail(const std::string &why)
    {
        m_error = why;
        return false;
    }

    static std::vector<std::string> folders(const Op &op)
    {
        if (op.r.type == PL_RENAME && parentOf(op.path(0)) != parentOf(op.path(1)))
            return {parentOf(op.path(0)), parentOf(op.path(1))};
        return {parentOf(op.path(0))};
    }

    std::string link(std::uint64_t dev, std::uint64_t ino) const
    {
        char name[64];
        std::snprintf(name, sizeof name, PL_LINK_FMT, static_cast<unsigned long long>(dev),
                      static_cast<unsigned long long>(ino));
        return m_side + "/" + name;
    }

    int openInode(const Op &op)
    {
        const std::string l = link(op.r.dev, op.r.ino);
        const int fd = ::open(l.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            fail("cannot open " + l + ": " + std::strerror(errno));
        return fd;
    }

    bool pwriteAll(const Op &op, const char *p, std::size_t n, std::int64_t off)
    {
        const int fd = openInode(op);
        if (fd < 0)
            return false;
        while (n > 0) {
            const ssize_t w = ::pwrite(fd, p, n, off);
            if (w <= 0) {
                ::close(fd);
                return fail(std::string("cannot write during the replay: ") + std::strerror(errno));
            }
            p += w;
            n -= std::size_t(w);
            off += w;
        }
        ::close(fd);
        return true;
    }

    bool resize(const Op &op, std::int64_t size)
    {
        const int fd = openInode(op);
        if (fd < 0)
            return false;
        const int rc = ::ftruncate(fd, size);
        ::close(fd);
        return rc == 0 || fail(std::string("cannot resize during the replay: ") + std::strerror(errno));
    }

    bool redoTrunc(const Op &op) { return resize(op, op.r.len); }

    /// Makes `path` name inode `ino` (or nothing, when ino is 0), whatever it names now.
    bool setName(const std::string &path, std::uint64_t dev, std::uint64_t ino)
    {
        struct stat st { };
        const bool exists = ::lstat(path.c_str(), &st) == 0;
        if (ino == 0)
            return !exists || ::unlink(path.c_str()) == 0 || fail("cannot remove " + path);
        if (exists && st.st_ino == ino)
            return true;
        const std::string tmp = parentOf(path) + "/.powerloss-replay";
        ::unlink(tmp.c_str());
        if (::link(link(dev, ino).c_str(), tmp.c_str()) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0)
            return fail("cannot restore " + path + ": " + std::strerror(errno));
        return true;
    }

    /// Removes `path` if it names `ino`.
    bool clearName(const std::string &path, std::uint64_t ino)
    {
        struct stat st { };
        if (::lstat(path.c_str(), &st) != 0 || st.st_ino != ino)
            return true;
        return ::unlink(path.c_str()) == 0 || fail("cannot remove " + path);
    }

    bool undo(const Op &op)
    {
        switch (op.r.type) {
        case PL_WRITE: {
            const std::string old = op.oldBytes();
            if (!old.empty() && !pwriteAll(op, old.data(), old.size(), op.r.off))
                return false;
            return op.r.off + op.r.len <= op.r.oldSize || resize(op, op.r.oldSize);
        }
        case PL_TRUNC: {
            if (!resize(op, op.r.oldSize))
                return false;
            const std::string old = op.oldBytes();
            return old.empty() || pwriteAll(op, old.data(), old.size(), op.r.len);
        }
        case PL_CREATE:
            return clearName(op.path(0), op.r.ino);
        case PL_RENAME:
            return setName(op.path(0), op.r.dev, op.r.ino)
                && (op.r.other ? setName(op.path(1), op.r.dev, op.r.other) : clearName(op.path(1), op.r.ino));
        case PL_UNLINK:
            return setName(op.path(0), op.r.dev, op.r.ino);
        default:
            return true;
        }
    }

    bool redo(const Op &op)
    {
        switch (op.r.type) {
        case PL_CREATE:
            return setName(op.path(0), op.r.dev, op.r.ino);
        case PL_RENAME:
            return setName(op.path(1), op.r.dev, op.r.ino) && clearName(op.path(0), op.r.ino);
        case PL_UNLINK:
            return clearName(op.path(0), op.r.ino);
        default:
            return true;
        }
    }

    std::string m_side;
    std::vector<Op> m_ops;
    ReplayStats m_stats;
    std::string m_error;
};

} // namespace

void clearSide(const std::string &sideDir)
{
    DIR *d = ::opendir(sideDir.c_str());
    if (!d)
        return;
    while (dirent *e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            ::unlink((sideDir + "/" + e->d_name).c_str());
    ::closedir(d);
}

ReplayResult replayPowerCut(const std::string &sideDir, Loss loss, std::uint64_t seed)
{
    ReplayResult out;
    Replayer r(sideDir);
    if (!r.load()) {
        out.error = r.error();
        return out;
    }
    r.classify();
    out.ok = r.apply(loss, seed);
    out.error = r.error();
    out.stats = r.stats();
    clearSide(sideDir);
    return out;
}

} // namespace pingyi::powerloss
