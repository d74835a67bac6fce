#pragma once
// An exclusive advisory lock (flock) on a lock file, taken without waiting: one process at
// a time per HQ directory (pingyi-hq) and per kiosk state directory (the kiosk and its
// console setup). The lock belongs to the open file, so it is released when the holder
// exits or crashes; the file itself stays (removing it would let two holders race). The
// holder's pid is written into it, for the message of the one that finds it busy.

#include "result.h"

#include <QString>

namespace pingyi {

class FileLock {
public:
    /// Takes the lock on `path`, or fails at once with `busyCode` and `busyMessage`, whose
    /// %1 becomes " (pid N)" naming the holder when known ("io-write" when the file cannot
    /// be created or locked).
    static Result<FileLock> acquire(const QString &path, const QString &busyCode, const QString &busyMessage);

    FileLock(FileLock &&other) noexcept;
    FileLock &operator=(FileLock &&other) noexcept;
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : m_fd(fd) { }
    int m_fd = -1;
};

} // namespace pingyi
