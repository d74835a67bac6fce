// A preloaded library (LD_PRELOAD) for the kill matrix: counts the calls that change a
// regular file or a directory entry (write, pwrite, writev, fsync, fdatasync, ftruncate,
// rename, unlink, mkdir, rmdir) and raises SIGKILL on the process just before the Nth one,
// so a test can stop a program at every step inside a transition instead of only where a
// random timer happens to land.
//
// PINGYI_KILL_AT=N        kill before the Nth counted call (0 or unset: never)
// PINGYI_KILL_ARM=wait    count only after the program calls pingyi_killpoint_arm()
//                         (so its own set-up is not part of the transition under test)
// PINGYI_KILL_COUNT_FILE  at a normal exit, write the number of counted calls there
// PINGYI_KILL_TRACE=1     print each counted call to stderr (to see where a number lands)
//
// Writes to pipes, terminals and sockets (the "ACK" lines) are not counted.

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

std::atomic<long> g_count {0};
std::atomic<bool> g_armed {true};
long g_killAt = 0;
const char *g_countFile = nullptr;
bool g_trace = false;

struct Init {
    Init()
    {
        if (const char *at = std::getenv("PINGYI_KILL_AT"))
            g_killAt = std::atol(at);
        if (const char *arm = std::getenv("PINGYI_KILL_ARM"); arm && std::strcmp(arm, "wait") == 0)
            g_armed = false;
        g_countFile = std::getenv("PINGYI_KILL_COUNT_FILE");
        g_trace = std::getenv("PINGYI_KILL_TRACE") != nullptr;
    }
    ~Init()
    {
        if (!g_countFile)
            return;
        // Raw system calls: the count must not count itself.
        const int fd = int(syscall(SYS_openat, AT_FDCWD, g_countFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (fd < 0)
            return;
        char buf[32];
        const int n = std::snprintf(buf, sizeof buf, "%ld\n", g_count.load());
        (void)syscall(SYS_write, fd, buf, size_t(n));
        (void)syscall(SYS_close, fd);
    }
} g_init;

void step(const char *call, const char *path = nullptr)
{
    if (!g_armed)
        return;
    const long n = ++g_count;
    if (g_trace) {
        char line[512];
        const int len = std::snprintf(line, sizeof line, "killpoint %ld %s %s\n", n, call, path ? path : "");
        (void)syscall(SYS_write, 2, line, size_t(std::min(len, int(sizeof line) - 1)));
    }
    if (g_killAt > 0 && n == g_killAt)
        (void)syscall(SYS_kill, syscall(SYS_getpid), SIGKILL);
}

bool regularFile(int fd)
{
    struct stat st { };
    return syscall(SYS_fstat, fd, &st) == 0 && S_ISREG(st.st_mode);
}

template<typename F> F next(const char *name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

} // namespace

extern "C" {

__attribute__((visibility("default"))) void pingyi_killpoint_arm()
{
    g_count = 0;
    g_armed = true;
}

__attribute__((visibility("default"))) ssize_t write(int fd, const void *buf, size_t n)
{
    static auto real = next<ssize_t (*)(int, const void *, size_t)>("write");
    if (regularFile(fd))
        step("write");
    return real(fd, buf, n);
}

__attribute__((visibility("default"))) ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    static auto real = next<ssize_t (*)(int, const void *, size_t, off_t)>("pwrite");
    if (regularFile(fd))
        step("pwrite");
    return real(fd, buf, n, off);
}

__attribute__((visibility("default"))) ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    static auto real = next<ssize_t (*)(int, const void *, size_t, off64_t)>("pwrite64");
    if (regularFile(fd))
        step("pwrite64");
    return real(fd, buf, n, off);
}

__attribute__((visibility("default"))) ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    static auto real = next<ssize_t (*)(int, const struct iovec *, int)>("writev");
    if (regularFile(fd))
        step("writev");
    return real(fd, iov, cnt);
}

__attribute__((visibility("default"))) int fsync(int fd)
{
    static auto real = next<int (*)(int)>("fsync");
    step("fsync");
    return real(fd);
}

__attribute__((visibility("default"))) int fdatasync(int fd)
{
    static auto real = next<int (*)(int)>("fdatasync");
    step("fdatasync");
    return real(fd);
}

__attribute__((visibility("default"))) int ftruncate(int fd, off_t len)
{
    static auto real = next<int (*)(int, off_t)>("ftruncate");
    step("ftruncate");
    return real(fd, len);
}

__attribute__((visibility("default"))) int ftruncate64(int fd, off64_t len)
{
    static auto real = next<int (*)(int, off64_t)>("ftruncate64");
    step("ftruncate64");
    return real(fd, len);
}

__attribute__((visibility("default"))) int rename(const char *from, const char *to)
{
    static auto real = next<int (*)(const char *, const char *)>("rename");
    step("rename", to);
    return real(from, to);
}

__attribute__((visibility("default"))) int renameat(int fromDir, const char *from, int toDir, const char *to)
{
    static auto real = next<int (*)(int, const char *, int, const char *)>("renameat");
    step("renameat", to);
    return real(fromDir, from, toDir, to);
}

__attribute__((visibility("default"))) int renameat2(int fromDir, const char *from, int toDir, const char *to,
                                                     unsigned flags)
{
    static auto real = next<int (*)(int, const char *, int, const char *, unsigned)>("renameat2");
    step("renameat2", to);
    return real(fromDir, from, toDir, to, flags);
}

__attribute__((visibility("default"))) int unlink(const char *path)
{
    static auto real = next<int (*)(const char *)>("unlink");
    step("unlink", path);
    return real(path);
}

__attribute__((visibility("default"))) int unlinkat(int dir, const char *path, int flags)
{
    static auto real = next<int (*)(int, const char *, int)>("unlinkat");
    step("unlinkat", path);
    return real(dir, path, flags);
}

__attribute__((visibility("default"))) int mkdir(const char *path, mode_t mode)
{
    static auto real = next<int (*)(const char *, mode_t)>("mkdir");
    step("mkdir", path);
    return real(path, mode);
}

__attribute__((visibility("default"))) int rmdir(const char *path)
{
    static auto real = next<int (*)(const char *)>("rmdir");
    step("rmdir", path);
    return real(path);
}

} // extern "C"
