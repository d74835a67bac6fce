/* A power-loss layer for tests, loaded with LD_PRELOAD: it journals every change a process
 * makes under the watched folders (data writes, size changes, creations, renames, unlinks)
 * together with the fsyncs that make them durable, so that after the process is killed
 * the replayer (replay.cpp) can put the files back in a state a disk could hold after a
 * power cut: unsynced writes dropped (all of them, or any subset), unsynced names undone.
 *
 * Environment:
 *   PINGYI_PL_ROOTS      colon-separated folders to watch (nothing is watched without it)
 *   PINGYI_PL_SIDE       side folder on the same file system: journal and inode links
 *   PINGYI_PL_CUT_AT     cut the power at this event (1-based): the process SIGKILLs itself
 *   PINGYI_PL_CUT_PHASE  0: just before the event's operation runs; 1: just after it ran,
 *                        before its caller learns the result
 *
 * An event is one operation on a watched file or folder (write, truncate, fsync, creation,
 * rename, unlink). Anything the layer cannot model on a watched file (a shared writable
 * mapping, fallocate, copy_file_range, a hard link, removing a folder) aborts the process
 * with a message, so a test can never pass because writes went around the journal.
 *
 * The journal itself is written without fsync on purpose: the "power cut" is a SIGKILL
 * and the replay runs on the same running kernel, whose page cache survives it. */
#define _GNU_SOURCE
#include "journal.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_ROOTS 8
#define TABLE_SIZE 8192

struct Inode {
    uint64_t dev;
    uint64_t ino;
    int rfd; /* the side link opened for reading old bytes */
    int used;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static char g_roots[MAX_ROOTS][PATH_MAX];
static dev_t g_rootDev[MAX_ROOTS];
static int g_rootCount;
static char g_side[PATH_MAX];
static int g_journal = -1;
static uint64_t g_seq;
static uint64_t g_events;
static uint64_t g_cutAt;
static int g_cutPhase;
static struct Inode g_inodes[TABLE_SIZE];

/* ---- the real functions ------------------------------------------------------------- */

#define REAL(ret, name, ...)                                                                                           \
    static ret (*real_##name)(__VA_ARGS__);                                                                            \
    static ret (*get_##name(void))(__VA_ARGS__)                                                                        \
    {                                                                                                                  \
        if (!real_##name)                                                                                              \
            real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name);                                                \
        return real_##name;                                                                                            \
    }

REAL(int, open, const char *, int, ...)
REAL(int, open64, const char *, int, ...)
REAL(int, openat, int, const char *, int, ...)
REAL(int, openat64, int, const char *, int, ...)
REAL(int, mkstemp, char *)
REAL(int, mkstemp64, char *)
REAL(int, mkostemp, char *, int)
REAL(int, mkostemp64, char *, int)
REAL(FILE *, fopen, const char *, const char *)
REAL(FILE *, fopen64, const char *, const char *)
REAL(ssize_t, write, int, const void *, size_t)
REAL(ssize_t, pwrite, int, const void *, size_t, off_t)
REAL(ssize_t, pwrite64, int, const void *, size_t, off_t)
REAL(ssize_t, writev, int, const struct iovec *, int)
REAL(ssize_t, pwritev, int, const struct iovec *, int, off_t)
REAL(ssize_t, pwritev64, int, const struct iovec *, int, off_t)
REAL(ssize_t, pwritev2, int, const struct iovec *, int, off_t, int)
REAL(int, ftruncate, int, off_t)
REAL(int, ftruncate64, int, off_t)
REAL(int, truncate, const char *, off_t)
REAL(int, truncate64, const char *, off_t)
REAL(int, fsync, int)
REAL(int, fdatasync, int)
REAL(void, sync, void)
REAL(int, syncfs, int)
REAL(int, renameat2, int, const char *, int, const char *, unsigned)
REAL(int, unlinkat, int, const char *, int)
REAL(int, rmdir, const char *)
REAL(int, link, const char *, const char *)
REAL(int, linkat, int, const char *, int, const char *, int)
REAL(void *, mmap, void *, size_t, int, int, int, off_t)
REAL(void *, mmap64, void *, size_t, int, int, int, off_t)
REAL(int, fallocate, int, int, off_t, off_t)
REAL(int, fallocate64, int, int, off_t, off_t)
REAL(int, posix_fallocate, int, off_t, off_t)
REAL(int, posix_fallocate64, int, off_t, off_t)
REAL(ssize_t, copy_file_range, int, off_t *, int, off_t *, size_t, unsigned)
REAL(ssize_t, sendfile, int, int, off_t *, size_t)
REAL(ssize_t, sendfile64, int, int, off_t *, size_t)

/* ---- set-up and helpers ------------------------------------------------------------- */

static void die(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if (n > (int)sizeof msg - 2)
        n = (int)sizeof msg - 2;
    msg[n] = '\n';
    (void)!get_write()(2, "powerloss shim: ", 16);
    (void)!get_write()(2, msg, (size_t)n + 1);
    abort();
}

static void init(void)
{
    const char *roots = getenv("PINGYI_PL_ROOTS");
    const char *side = getenv("PINGYI_PL_SIDE");
    if (!roots || !*roots)
        return;
    if (!side || !realpath(side, g_side))
        die("PINGYI_PL_SIDE must name an existing folder");
    char buf[PATH_MAX * MAX_ROOTS];
    snprintf(buf, sizeof buf, "%s", roots);
    struct stat sideSt;
    if (stat(g_side, &sideSt) != 0)
        die("cannot stat the side folder %s", g_side);
    for (char *save = NULL, *r = strtok_r(buf, ":", &save); r; r = strtok_r(NULL, ":", &save)) {
        if (g_rootCount == MAX_ROOTS)
            die("too many roots");
        struct stat st;
        if (!realpath(r, g_roots[g_rootCount]) || stat(g_roots[g_rootCount], &st) != 0)
            die("watched folder %s does not exist", r);
        if (st.st_dev != sideSt.st_dev)
            die("watched folder %s is not on the side folder's file system (hard links needed)", r);
        g_rootDev[g_rootCount++] = st.st_dev;
    }
    const char *cut = getenv("PINGYI_PL_CUT_AT");
    g_cutAt = cut ? strtoull(cut, NULL, 10) : 0;
    const char *phase = getenv("PINGYI_PL_CUT_PHASE");
    g_cutPhase = phase ? atoi(phase) : 0;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/journal", g_side);
    g_journal = get_open()(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (g_journal < 0)
        die("cannot open the journal %s: %s", path, strerror(errno));
}

static int active(void)
{
    pthread_once(&g_once, init);
    return g_rootCount > 0;
}

static int underRoot(const char *abs)
{
    for (int i = 0; i < g_rootCount; ++i) {
        const size_t n = strlen(g_roots[i]);
        if (strncmp(abs, g_roots[i], n) == 0 && (abs[n] == '/' || abs[n] == '\0'))
            return 1;
    }
    return 0;
}

/* The absolute path of `path` relative to `dirfd`, with the folder part resolved (the last
 * component stays as it is: it may not exist, or be a link to rename). 0 if unresolvable. */
static int absPath(int dirfd, const char *path, char *out)
{
    char joined[PATH_MAX * 2];
    if (path[0] == '/') {
        snprintf(joined, sizeof joined, "%s", path);
    } else {
        char base[PATH_MAX];
        if (dirfd == AT_FDCWD) {
            if (!getcwd(base, sizeof base))
                return 0;
        } else {
            char proc[64];
            snprintf(proc, sizeof proc, "/proc/self/fd/%d", dirfd);
            const ssize_t n = readlink(proc, base, sizeof base - 1);
            if (n <= 0)
                return 0;
            base[n] = '\0';
        }
        snprintf(joined, sizeof joined, "%s/%s", base, path);
    }
    char *slash = strrchr(joined, '/');
    const char *name = slash + 1;
    char parent[PATH_MAX];
    if (slash == joined)
        snprintf(parent, sizeof parent, "/");
    else {
        *slash = '\0';
        if (!realpath(joined, parent))
            return 0;
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || *name == '\0')
        return realpath(joined, out) != NULL;
    snprintf(out, PATH_MAX, "%s%s%s", parent, strcmp(parent, "/") == 0 ? "" : "/", name);
    return 1;
}

static int fdPath(int fd, char *out)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    const ssize_t n = readlink(proc, out, PATH_MAX - 1);
    if (n <= 0)
        return 0;
    out[n] = '\0';
    const size_t deleted = strlen(" (deleted)");
    if ((size_t)n > deleted && strcmp(out + n - deleted, " (deleted)") == 0)
        out[n - deleted] = '\0';
    return 1;
}

static struct Inode *lookup(uint64_t dev, uint64_t ino, int insert)
{
    size_t h = (size_t)((ino * 0x9e3779b97f4a7c15ull) ^ dev) % TABLE_SIZE;
    for (size_t i = 0; i < TABLE_SIZE; ++i, h = (h + 1) % TABLE_SIZE) {
        struct Inode *e = &g_inodes[h];
        if (e->used && e->dev == dev && e->ino == ino)
            return e;
        if (!e->used) {
            if (!insert)
                return NULL;
            e->used = 1;
            e->dev = dev;
            e->ino = ino;
            e->rfd = -1;
            return e;
        }
    }
    die("too many watched files");
    return NULL;
}

static void sideLink(uint64_t dev, uint64_t ino, char *out)
{
    snprintf(out, PATH_MAX, "%s/" PL_LINK_FMT, g_side, (unsigned long long)dev, (unsigned long long)ino);
}

/* Starts watching an inode: a hard link in the side folder keeps it reachable for the
 * replay. `fd` or `path` names it. */
static struct Inode *watch(const struct stat *st, int fd, const char *path)
{
    struct Inode *e = lookup(st->st_dev, st->st_ino, 0);
    if (e)
        return e;
    char link[PATH_MAX];
    sideLink(st->st_dev, st->st_ino, link);
    int rc;
    if (fd >= 0) {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
        rc = get_linkat()(AT_FDCWD, proc, AT_FDCWD, link, AT_SYMLINK_FOLLOW);
    } else {
        rc = get_link()(path, link);
    }
    if (rc != 0 && errno != EEXIST)
        die("cannot link watched file %s into the side folder: %s", path ? path : "(descriptor)", strerror(errno));
    e = lookup(st->st_dev, st->st_ino, 1);
    e->rfd = get_open()(link, O_RDONLY | O_CLOEXEC);
    if (e->rfd < 0)
        die("cannot open %s: %s", link, strerror(errno));
    return e;
}

/* The watched inode behind a descriptor, or NULL. Identity by fstat, so descriptors opened
 * behind the layer's back (dup, internal opens) are caught too. */
static struct Inode *watchedFd(int fd, struct stat *st)
{
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
        return NULL;
    struct Inode *e = lookup(st->st_dev, st->st_ino, 0);
    if (e)
        return e;
    int sameDev = 0;
    for (int i = 0; i < g_rootCount; ++i)
        sameDev |= g_rootDev[i] == st->st_dev;
    char path[PATH_MAX];
    if (!sameDev || !fdPath(fd, path) || !underRoot(path))
        return NULL;
    return watch(st, fd, NULL);
}

static int watchedDirFd(int fd, char *path)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    return fdPath(fd, path) && underRoot(path);
}

static void journalWrite(const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        const ssize_t w = get_write()(g_journal, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("cannot write the journal: %s", strerror(errno));
        p += w;
        n -= (size_t)w;
    }
}

/* Appends a record; returns its sequence number. */
static uint64_t record(struct PlRecord r, const void *a, size_t an, const void *b, size_t bn)
{
    r.magic = PL_MAGIC;
    r.seq = ++g_seq;
    r.payload = (uint32_t)(an + bn);
    /* One buffer, one write: only the last record can be torn by the kill, and the replay
     * drops it (its operation had not started). */
    char *buf = malloc(sizeof r + an + bn);
    if (!buf)
        die("out of memory");
    memcpy(buf, &r, sizeof r);
    if (an)
        memcpy(buf + sizeof r, a, an);
    if (bn)
        memcpy(buf + sizeof r + an, b, bn);
    journalWrite(buf, sizeof r + an + bn);
    free(buf);
    return r.seq;
}

static void cutPoint(int phase)
{
    if (g_cutAt != 0 && g_events == g_cutAt && phase == g_cutPhase) {
        kill(getpid(), SIGKILL);
        for (;;)
            pause();
    }
}

static void beginEvent(void)
{
    ++g_events;
}

static void done(uint64_t seq, int64_t result, int sync)
{
    struct PlRecord r = {0};
    r.type = PL_DONE;
    r.other = seq;
    r.len = result;
    r.flags = sync ? 1 : 0;
    record(r, NULL, 0, NULL, 0);
}

static char *readOld(struct Inode *e, off_t off, size_t n)
{
    char *old = malloc(n ? n : 1);
    if (!old)
        die("out of memory");
    size_t got = 0;
    while (got < n) {
        const ssize_t r = pread(e->rfd, old + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die("cannot read old bytes: %s", r < 0 ? strerror(errno) : "short file");
        got += (size_t)r;
    }
    return old;
}

/* Journals a data write of `n` bytes at `off` (-1: the descriptor's position or, with
 * O_APPEND, the end) before it happens. */
static uint64_t journalWriteOp(int fd, struct Inode *e, const struct stat *st, off_t off, const void *data, size_t n)
{
    const int fl = fcntl(fd, F_GETFL);
    if (off < 0)
        off = (fl & O_APPEND) ? st->st_size : lseek(fd, 0, SEEK_CUR);
    const size_t oldLen = off < st->st_size ? (size_t)(st->st_size - off < (off_t)n ? st->st_size - off : (off_t)n) : 0;
    char *old = readOld(e, off, oldLen);
    struct PlRecord r = {0};
    r.type = PL_WRITE;
    r.dev = st->st_dev;
    r.ino = st->st_ino;
    r.off = off;
    r.oldSize = st->st_size;
    r.len = (int64_t)n;
    r.oldLen = (uint32_t)oldLen;
    const uint64_t seq = record(r, old, oldLen, data, n);
    free(old);
    return seq;
}

static int syncFd(int fd)
{
    const int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_DSYNC);
}

static uint64_t journalTrunc(struct Inode *e, const struct stat *st, off_t length)
{
    const size_t cut = st->st_size > length ? (size_t)(st->st_size - length) : 0;
    char *old = readOld(e, length, cut);
    struct PlRecord r = {0};
    r.type = PL_TRUNC;
    r.dev = st->st_dev;
    r.ino = st->st_ino;
    r.oldSize = st->st_size;
    r.len = length;
    r.oldLen = (uint32_t)cut;
    const uint64_t seq = record(r, old, cut, NULL, 0);
    free(old);
    return seq;
}

/* ---- writes ------------------------------------------------------------------------- */

static ssize_t doWrite(int fd, const void *buf, size_t n, off_t off, ssize_t (*op)(void))
{
    struct stat st;
    struct Inode *e = watchedFd(fd, &st);
    if (!e)
        return op();
    beginEvent();
    const uint64_t seq = journalWriteOp(fd, e, &st, off, buf, n);
    cutPoint(0);
    const ssize_t rc = op();
    const int err = errno;
    cutPoint(1);
    done(seq, rc, syncFd(fd));
    errno = err;
    return rc;
}

static char *gather(const struct iovec *iov, int cnt, size_t *n)
{
    *n = 0;
    for (int i = 0; i < cnt; ++i)
        *n += iov[i].iov_len;
    char *buf = malloc(*n ? *n : 1);
    if (!buf)
        die("out of memory");
    size_t at = 0;
    for (int i = 0; i < cnt; ++i) {
        memcpy(buf + at, iov[i].iov_base, iov[i].iov_len);
        at += iov[i].iov_len;
    }
    return buf;
}

/* The operation to run, captured for doWrite. */
static __thread struct {
    int fd;
    const void *buf;
    size_t n;
    off_t off;
    const struct iovec *iov;
    int cnt;
    int flags;
    void *fn;
} t_op;

static ssize_t opWrite(void)
{
    return ((ssize_t(*)(int, const void *, size_t))t_op.fn)(t_op.fd, t_op.buf, t_op.n);
}
static ssize_t opPwrite(void)
{
    return ((ssize_t(*)(int, const void *, size_t, off_t))t_op.fn)(t_op.fd, t_op.buf, t_op.n, t_op.off);
}
static ssize_t opWritev(void)
{
    return ((ssize_t(*)(int, const struct iovec *, int))t_op.fn)(t_op.fd, t_op.iov, t_op.cnt);
}
static ssize_t opPwritev(void)
{
    return ((ssize_t(*)(int, const struct iovec *, int, off_t))t_op.fn)(t_op.fd, t_op.iov, t_op.cnt, t_op.off);
}
static ssize_t opPwritev2(void)
{
    return ((ssize_t(*)(int, const struct iovec *, int, off_t, int))t_op.fn)(t_op.fd, t_op.iov, t_op.cnt, t_op.off,
                                                                             t_op.flags);
}

#define LOCKED(expr)                                                                                                   \
    do {                                                                                                               \
        pthread_mutex_lock(&g_lock);                                                                                   \
        expr;                                                                                                          \
        pthread_mutex_unlock(&g_lock);                                                                                 \
    } while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
    if (!active())
        return get_write()(fd, buf, n);
    ssize_t rc;
    LOCKED(t_op.fd = fd; t_op.buf = buf; t_op.n = n; t_op.fn = (void *)get_write();
           rc = doWrite(fd, buf, n, -1, opWrite));
    return rc;
}

static ssize_t pwriteCommon(int fd, const void *buf, size_t n, off_t off, void *fn)
{
    ssize_t rc;
    LOCKED(t_op.fd = fd; t_op.buf = buf; t_op.n = n; t_op.off = off; t_op.fn = fn;
           rc = doWrite(fd, buf, n, off, opPwrite));
    return rc;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (!active())
        return get_pwrite()(fd, buf, n, off);
    return pwriteCommon(fd, buf, n, off, (void *)get_pwrite());
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    if (!active())
        return get_pwrite64()(fd, buf, n, off);
    return pwriteCommon(fd, buf, n, off, (void *)get_pwrite64());
}

static ssize_t vecCommon(int fd, const struct iovec *iov, int cnt, off_t off, int flags, void *fn, ssize_t (*op)(void))
{
    size_t n;
    char *buf = gather(iov, cnt, &n);
    ssize_t rc;
    LOCKED(t_op.fd = fd; t_op.iov = iov; t_op.cnt = cnt; t_op.off = off; t_op.flags = flags; t_op.fn = fn;
           rc = doWrite(fd, buf, n, off, op));
    free(buf);
    return rc;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    if (!active())
        return get_writev()(fd, iov, cnt);
    return vecCommon(fd, iov, cnt, -1, 0, (void *)get_writev(), opWritev);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
    if (!active())
        return get_pwritev()(fd, iov, cnt, off);
    return vecCommon(fd, iov, cnt, off, 0, (void *)get_pwritev(), opPwritev);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
    if (!active())
        return get_pwritev64()(fd, iov, cnt, off);
    return vecCommon(fd, iov, cnt, off, 0, (void *)get_pwritev64(), opPwritev);
}

ssize_t pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
    if (!active())
        return get_pwritev2()(fd, iov, cnt, off, flags);
    /* RWF_DSYNC/RWF_SYNC make this one write durable; treated like any other (stricter). */
    return vecCommon(fd, iov, cnt, off == -1 ? -1 : off, flags, (void *)get_pwritev2(), opPwritev2);
}

static int truncCommon(int fd, off_t length, int (*fn)(int, off_t))
{
    if (!active())
        return fn(fd, length);
    int rc;
    pthread_mutex_lock(&g_lock);
    struct stat st;
    struct Inode *e = watchedFd(fd, &st);
    if (!e) {
        rc = fn(fd, length);
    } else {
        beginEvent();
        const uint64_t seq = journalTrunc(e, &st, length);
        cutPoint(0);
        rc = fn(fd, length);
        const int err = errno;
        cutPoint(1);
        done(seq, rc, syncFd(fd));
        errno = err;
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int ftruncate(int fd, off_t length)
{
    return truncCommon(fd, length, get_ftruncate());
}
int ftruncate64(int fd, off_t length)
{
    return truncCommon(fd, length, get_ftruncate64());
}

static int pathTrunc(const char *path, off_t length, int (*fn)(const char *, off_t))
{
    if (!active())
        return fn(path, length);
    const int fd = get_open()(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const int rc = truncCommon(fd, length, get_ftruncate());
    const int err = errno;
    close(fd);
    errno = err;
    return rc;
}

int truncate(const char *path, off_t length)
{
    return pathTrunc(path, length, get_truncate());
}
int truncate64(const char *path, off_t length)
{
    return pathTrunc(path, length, get_truncate64());
}

/* ---- durability --------------------------------------------------------------------- */

static int syncCommon(int fd, int (*fn)(int))
{
    if (!active())
        return fn(fd);
    int rc;
    pthread_mutex_lock(&g_lock);
    struct stat st;
    char dir[PATH_MAX];
    struct Inode *e = watchedFd(fd, &st);
    if (e) {
        beginEvent();
        cutPoint(0);
        rc = fn(fd);
        const int err = errno;
        cutPoint(1);
        if (rc == 0) {
            struct PlRecord r = {0};
            r.type = PL_FSYNC;
            r.dev = st.st_dev;
            r.ino = st.st_ino;
            record(r, NULL, 0, NULL, 0);
        }
        errno = err;
    } else if (watchedDirFd(fd, dir)) {
        beginEvent();
        cutPoint(0);
        rc = fn(fd);
        const int err = errno;
        cutPoint(1);
        if (rc == 0) {
            struct PlRecord r = {0};
            r.type = PL_DIRSYNC;
            record(r, dir, strlen(dir) + 1, NULL, 0);
        }
        errno = err;
    } else {
        rc = fn(fd);
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int fsync(int fd)
{
    return syncCommon(fd, get_fsync());
}
int fdatasync(int fd)
{
    return syncCommon(fd, get_fdatasync());
}

static void syncAll(void)
{
    struct PlRecord r = {0};
    r.type = PL_SYNCALL;
    record(r, NULL, 0, NULL, 0);
}

void sync(void)
{
    if (!active()) {
        get_sync()();
        return;
    }
    pthread_mutex_lock(&g_lock);
    beginEvent();
    cutPoint(0);
    get_sync()();
    cutPoint(1);
    syncAll();
    pthread_mutex_unlock(&g_lock);
}

int syncfs(int fd)
{
    if (!active())
        return get_syncfs()(fd);
    pthread_mutex_lock(&g_lock);
    struct stat st;
    int ours = 0;
    if (fstat(fd, &st) == 0)
        for (int i = 0; i < g_rootCount; ++i)
            ours |= g_rootDev[i] == st.st_dev;
    if (ours) {
        beginEvent();
        cutPoint(0);
    }
    const int rc = get_syncfs()(fd);
    const int err = errno;
    if (ours) {
        cutPoint(1);
        if (rc == 0)
            syncAll();
    }
    pthread_mutex_unlock(&g_lock);
    errno = err;
    return rc;
}

/* ---- names -------------------------------------------------------------------------- */

static void journalCreate(int fd, const char *abs)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    watch(&st, fd, abs);
    struct PlRecord r = {0};
    r.type = PL_CREATE;
    r.dev = st.st_dev;
    r.ino = st.st_ino;
    record(r, abs, strlen(abs) + 1, NULL, 0);
}

/* Every open: creating a file under a root is a name change, O_TRUNC a size change. */
static int openCommon(int dirfd, const char *path, int flags, mode_t mode, int (*call)(int, const char *, int, mode_t))
{
    if (!active() || !(flags & (O_CREAT | O_TRUNC)))
        return call(dirfd, path, flags, mode);
    char abs[PATH_MAX];
    pthread_mutex_lock(&g_lock);
    if (!absPath(dirfd, path, abs) || !underRoot(abs)) {
        pthread_mutex_unlock(&g_lock);
        return call(dirfd, path, flags, mode);
    }
    if ((flags & O_TMPFILE) == O_TMPFILE)
        die("O_TMPFILE under a watched folder is not modelled (%s)", abs);
    struct stat before;
    const int existed = lstat(abs, &before) == 0;
    uint64_t seq = 0;
    if (existed && S_ISREG(before.st_mode) && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
        struct Inode *e = watch(&before, -1, abs);
        beginEvent();
        seq = journalTrunc(e, &before, 0);
        cutPoint(0);
    } else if (!existed && (flags & O_CREAT)) {
        beginEvent();
        cutPoint(0);
    }
    const int fd = call(dirfd, path, flags, mode);
    const int err = errno;
    if (seq) {
        cutPoint(1);
        done(seq, fd < 0 ? -1 : 0, 0);
    } else if (!existed && (flags & O_CREAT)) {
        cutPoint(1);
        if (fd >= 0)
            journalCreate(fd, abs);
    }
    pthread_mutex_unlock(&g_lock);
    errno = err;
    return fd;
}

static int callOpen(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd;
    return get_open()(path, flags, mode);
}
static int callOpen64(int dirfd, const char *path, int flags, mode_t mode)
{
    (void)dirfd;
    return get_open64()(path, flags, mode);
}
static int callOpenat(int dirfd, const char *path, int flags, mode_t mode)
{
    return get_openat()(dirfd, path, flags, mode);
}
static int callOpenat64(int dirfd, const char *path, int flags, mode_t mode)
{
    return get_openat64()(dirfd, path, flags, mode);
}

static mode_t modeArg(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeArg(flags, ap);
    va_end(ap);
    return openCommon(AT_FDCWD, path, flags, mode, callOpen);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeArg(flags, ap);
    va_end(ap);
    return openCommon(AT_FDCWD, path, flags, mode, callOpen64);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeArg(flags, ap);
    va_end(ap);
    return openCommon(dirfd, path, flags, mode, callOpenat);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = modeArg(flags, ap);
    va_end(ap);
    return openCommon(dirfd, path, flags, mode, callOpenat64);
}

/* _FORTIFY_SOURCE variants: no mode, so no O_CREAT. */
int __open_2(const char *path, int flags)
{
    return openCommon(AT_FDCWD, path, flags, 0, callOpen);
}
int __open64_2(const char *path, int flags)
{
    return openCommon(AT_FDCWD, path, flags, 0, callOpen64);
}
int __openat_2(int dirfd, const char *path, int flags)
{
    return openCommon(dirfd, path, flags, 0, callOpenat);
}
int __openat64_2(int dirfd, const char *path, int flags)
{
    return openCommon(dirfd, path, flags, 0, callOpenat64);
}

int creat(const char *path, mode_t mode)
{
    return openCommon(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, callOpen);
}
int creat64(const char *path, mode_t mode)
{
    return openCommon(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode, callOpen64);
}

/* mkstemp opens inside glibc, out of the layer's reach: journal the creation afterwards. */
static int tempCommon(char *tmpl, int flags, int (*fn)(char *, int))
{
    if (!active())
        return fn(tmpl, flags);
    char abs[PATH_MAX];
    pthread_mutex_lock(&g_lock);
    const int ours = absPath(AT_FDCWD, tmpl, abs) && underRoot(abs);
    if (ours) {
        beginEvent();
        cutPoint(0);
    }
    const int fd = fn(tmpl, flags);
    const int err = errno;
    if (ours && fd >= 0) {
        cutPoint(1);
        if (absPath(AT_FDCWD, tmpl, abs))
            journalCreate(fd, abs);
    }
    pthread_mutex_unlock(&g_lock);
    errno = err;
    return fd;
}

static int callMkstemp(char *t, int f)
{
    (void)f;
    return get_mkstemp()(t);
}
static int callMkstemp64(char *t, int f)
{
    (void)f;
    return get_mkstemp64()(t);
}
static int callMkostemp(char *t, int f)
{
    return get_mkostemp()(t, f);
}
static int callMkostemp64(char *t, int f)
{
    return get_mkostemp64()(t, f);
}

int mkstemp(char *tmpl)
{
    return tempCommon(tmpl, 0, callMkstemp);
}
int mkstemp64(char *tmpl)
{
    return tempCommon(tmpl, 0, callMkstemp64);
}
int mkostemp(char *tmpl, int flags)
{
    return tempCommon(tmpl, flags, callMkostemp);
}
int mkostemp64(char *tmpl, int flags)
{
    return tempCommon(tmpl, flags, callMkostemp64);
}

/* stdio writes go through glibc's internal write, which the layer cannot see. */
static void refuseStdio(const char *path, const char *mode)
{
    char abs[PATH_MAX];
    if (active() && strpbrk(mode, "wa+") && absPath(AT_FDCWD, path, abs) && underRoot(abs))
        die("writing a watched file through stdio is not modelled (%s)", abs);
}

FILE *fopen(const char *path, const char *mode)
{
    refuseStdio(path, mode);
    return get_fopen()(path, mode);
}
FILE *fopen64(const char *path, const char *mode)
{
    refuseStdio(path, mode);
    return get_fopen64()(path, mode);
}

static int renameCommon(int olddir, const char *oldpath, int newdir, const char *newpath, unsigned flags)
{
    if (!active())
        return get_renameat2()(olddir, oldpath, newdir, newpath, flags);
    char from[PATH_MAX], to[PATH_MAX];
    pthread_mutex_lock(&g_lock);
    const int a = absPath(olddir, oldpath, from) && underRoot(from);
    const int b = absPath(newdir, newpath, to) && underRoot(to);
    int rc;
    if (!a && !b) {
        rc = get_renameat2()(olddir, oldpath, newdir, newpath, flags);
    } else {
        struct stat src, dst;
        if (lstat(from, &src) != 0) { /* let the call fail as it would */
            rc = get_renameat2()(olddir, oldpath, newdir, newpath, flags);
            pthread_mutex_unlock(&g_lock);
            return rc;
        }
        if (!a || !b)
            die("rename across the watched boundary is not modelled (%s -> %s)", from, to);
        if (!S_ISREG(src.st_mode))
            die("renaming something other than a file is not modelled (%s)", from);
        if (flags & RENAME_EXCHANGE)
            die("RENAME_EXCHANGE is not modelled (%s)", from);
        watch(&src, -1, from);
        const int replaces = lstat(to, &dst) == 0;
        if (replaces && !S_ISREG(dst.st_mode))
            die("renaming over something other than a file is not modelled (%s)", to);
        if (replaces)
            watch(&dst, -1, to);
        beginEvent();
        struct PlRecord r = {0};
        r.type = PL_RENAME;
        r.dev = src.st_dev;
        r.ino = src.st_ino;
        r.other = replaces ? dst.st_ino : 0;
        const uint64_t seq = record(r, from, strlen(from) + 1, to, strlen(to) + 1);
        cutPoint(0);
        rc = get_renameat2()(olddir, oldpath, newdir, newpath, flags);
        const int err = errno;
        cutPoint(1);
        done(seq, rc, 0);
        errno = err;
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int rename(const char *oldpath, const char *newpath)
{
    return renameCommon(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}
int renameat(int olddir, const char *oldpath, int newdir, const char *newpath)
{
    return renameCommon(olddir, oldpath, newdir, newpath, 0);
}
int renameat2(int olddir, const char *oldpath, int newdir, const char *newpath, unsigned flags)
{
    return renameCommon(olddir, oldpath, newdir, newpath, flags);
}

static int unlinkCommon(int dirfd, const char *path, int flags)
{
    if (!active())
        return get_unlinkat()(dirfd, path, flags);
    char abs[PATH_MAX];
    pthread_mutex_lock(&g_lock);
    struct stat st;
    int rc;
    if (!absPath(dirfd, path, abs) || !underRoot(abs) || lstat(abs, &st) != 0) {
        rc = get_unlinkat()(dirfd, path, flags);
    } else if ((flags & AT_REMOVEDIR) || S_ISDIR(st.st_mode)) {
        die("removing a folder under a watched folder is not modelled (%s)", abs);
    } else if (!S_ISREG(st.st_mode)) {
        rc = get_unlinkat()(dirfd, path, flags); /* links, sockets: no data to lose */
    } else {
        watch(&st, -1, abs);
        beginEvent();
        struct PlRecord r = {0};
        r.type = PL_UNLINK;
        r.dev = st.st_dev;
        r.ino = st.st_ino;
        const uint64_t seq = record(r, abs, strlen(abs) + 1, NULL, 0);
        cutPoint(0);
        rc = get_unlinkat()(dirfd, path, flags);
        const int err = errno;
        cutPoint(1);
        done(seq, rc, 0);
        errno = err;
    }
    pthread_mutex_unlock(&g_lock);
    return rc;
}

int unlink(const char *path)
{
    return unlinkCommon(AT_FDCWD, path, 0);
}
int unlinkat(int dirfd, const char *path, int flags)
{
    return unlinkCommon(dirfd, path, flags);
}

int rmdir(const char *path)
{
    char abs[PATH_MAX];
    if (active() && absPath(AT_FDCWD, path, abs) && underRoot(abs))
        die("removing a folder under a watched folder is not modelled (%s)", abs);
    return get_rmdir()(path);
}

static void refuseLink(const char *to)
{
    char abs[PATH_MAX];
    if (active() && absPath(AT_FDCWD, to, abs) && underRoot(abs))
        die("hard links under a watched folder are not modelled (%s)", abs);
}

int link(const char *from, const char *to)
{
    refuseLink(to);
    return get_link()(from, to);
}

int linkat(int olddir, const char *from, int newdir, const char *to, int flags)
{
    char abs[PATH_MAX];
    if (active() && absPath(newdir, to, abs) && underRoot(abs))
        die("hard links under a watched folder are not modelled (%s)", abs);
    return get_linkat()(olddir, from, newdir, to, flags);
}

/* ---- what cannot be modelled -------------------------------------------------------- */

static void refuseFd(int fd, const char *what)
{
    if (!active())
        return;
    struct stat st;
    pthread_mutex_lock(&g_lock);
    const int watched = watchedFd(fd, &st) != NULL;
    pthread_mutex_unlock(&g_lock);
    if (watched)
        die("%s on a watched file is not modelled", what);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (fd >= 0 && (prot & PROT_WRITE) && (flags & MAP_SHARED))
        refuseFd(fd, "a shared writable mapping");
    return get_mmap()(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (fd >= 0 && (prot & PROT_WRITE) && (flags & MAP_SHARED))
        refuseFd(fd, "a shared writable mapping");
    return get_mmap64()(addr, len, prot, flags, fd, off);
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
    refuseFd(fd, "fallocate");
    return get_fallocate()(fd, mode, off, len);
}
int fallocate64(int fd, int mode, off_t off, off_t len)
{
    refuseFd(fd, "fallocate");
    return get_fallocate64()(fd, mode, off, len);
}
int posix_fallocate(int fd, off_t off, off_t len)
{
    refuseFd(fd, "posix_fallocate");
    return get_posix_fallocate()(fd, off, len);
}
int posix_fallocate64(int fd, off_t off, off_t len)
{
    refuseFd(fd, "posix_fallocate");
    return get_posix_fallocate64()(fd, off, len);
}
ssize_t copy_file_range(int in, off_t *inOff, int out, off_t *outOff, size_t n, unsigned flags)
{
    refuseFd(out, "copy_file_range");
    return get_copy_file_range()(in, inOff, out, outOff, n, flags);
}
ssize_t sendfile(int out, int in, off_t *off, size_t n)
{
    refuseFd(out, "sendfile");
    return get_sendfile()(out, in, off, n);
}
ssize_t sendfile64(int out, int in, off_t *off, size_t n)
{
    refuseFd(out, "sendfile");
    return get_sendfile64()(out, in, off, n);
}
