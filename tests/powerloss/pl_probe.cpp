// Small writers that test_powerloss runs under the power-loss layer to show the layer does
// what it claims: unsynced data, sizes and names are lost at a cut, synced ones are kept,
// and a database committed without fsync (PRAGMA synchronous=OFF or NORMAL) loses
// acknowledged rows while synchronous=FULL, the kiosk's setting, loses none.
// Plain POSIX and SQLite, no Qt, so nothing else writes behind the test's back.
//
// Usage: pl_probe MODE PATH [PATH2|SYNC]

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "pl_probe: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

void writeAll(int fd, const std::string &data, off_t off)
{
    if (::pwrite(fd, data.data(), data.size(), off) != ssize_t(data.size()))
        fail("pwrite");
}

void syncFolderOf(const std::string &path)
{
    const std::string dir = path.substr(0, path.rfind('/'));
    const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (d < 0 || ::fsync(d) != 0)
        fail("fsync folder");
    ::close(d);
}

int openFile(const std::string &path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail("open");
    return fd;
}

void exec(sqlite3 *db, const char *sql)
{
    char *err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "pl_probe: %s: %s\n", sql, err ? err : "?");
        std::exit(1);
    }
}

/// The kiosk's database set-up (core/storage.cpp) with a chosen synchronous level;
/// inserts rows and acknowledges each after its commit returned, until killed.
int sqliteWriter(const std::string &path, const std::string &sync)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        fail("sqlite3_open_v2");
    exec(db, "PRAGMA locking_mode=EXCLUSIVE");
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, ("PRAGMA synchronous=" + sync).c_str());
    for (int i = 1; i <= 100000; ++i) {
        const std::string sql = "INSERT INTO t(v) VALUES(" + std::to_string(i) + ")";
        exec(db, "BEGIN IMMEDIATE");
        exec(db, sql.c_str());
        exec(db, "COMMIT");
        std::printf("ACK %d\n", i);
        std::fflush(stdout);
        if (i % 25 == 0) // the kiosk folds the log after casts too
            exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    sqlite3_close(db);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const std::string mode = argv[1];
    const std::string path = argv[2];
    const std::string arg = argc > 3 ? argv[3] : "";
    const std::string fresh(8192, 'N');
    if (mode == "overwrite" || mode == "overwrite-sync") { // an existing file, rewritten in place
        const int fd = openFile(path, O_RDWR);
        writeAll(fd, fresh, 0);
        if (mode == "overwrite-sync" && ::fdatasync(fd) != 0)
            fail("fdatasync");
        ::close(fd);
    } else if (mode == "append") { // grows an existing file, without sync
        const int fd = openFile(path, O_WRONLY | O_APPEND);
        if (::write(fd, fresh.data(), fresh.size()) != ssize_t(fresh.size()))
            fail("write");
        ::close(fd);
    } else if (mode == "create" || mode == "create-dirsync") { // a new file, its data synced
        const int fd = openFile(path, O_WRONLY | O_CREAT | O_EXCL);
        writeAll(fd, fresh, 0);
        if (::fsync(fd) != 0)
            fail("fsync");
        ::close(fd);
        if (mode == "create-dirsync")
            syncFolderOf(path);
    } else if (mode == "rename" || mode == "rename-dirsync") { // the writeFileAtomic pattern
        const int fd = openFile(path, O_WRONLY | O_CREAT | O_EXCL);
        writeAll(fd, fresh, 0);
        if (::fsync(fd) != 0)
            fail("fsync");
        ::close(fd);
        if (::rename(path.c_str(), arg.c_str()) != 0)
            fail("rename");
        if (mode == "rename-dirsync")
            syncFolderOf(arg);
    } else if (mode == "unlink") {
        if (::unlink(path.c_str()) != 0)
            fail("unlink");
    } else if (mode == "truncate") {
        const int fd = openFile(path, O_WRONLY);
        if (::ftruncate(fd, 100) != 0)
            fail("ftruncate");
        ::close(fd);
    } else if (mode == "steps") { // numbered events for the cut-at test: write, fsync, write, fsync…
        const int fd = openFile(path, O_RDWR);
        for (int i = 0; i < 10; ++i) {
            writeAll(fd, std::string(512, char('a' + i)), off_t(i) * 512);
            if (::fsync(fd) != 0)
                fail("fsync");
            std::printf("SYNCED %d\n", i);
            std::fflush(stdout);
        }
        ::close(fd);
    } else if (mode == "sqlite") {
        return sqliteWriter(path, arg);
    } else {
        return 2;
    }
    return 0;
}
