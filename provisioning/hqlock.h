#pragma once
// One pingyi-hq command at a time per HQ directory: the FileLock (core/filelock.h) on
// DIR/hq.lock, taken without waiting for the whole of a run that reads or changes it.

#include "filelock.h"

#include <QString>

namespace pingyi::hq {

class HqLock {
public:
    static constexpr char lockFile[] = "hq.lock";

    /// Takes the lock on `hqDir`, or fails at once with error "hq-busy" naming the process
    /// that holds it ("io-write" when the lock file cannot be created).
    static Result<HqLock> acquire(const QString &hqDir);

private:
    explicit HqLock(FileLock lock) : m_lock(std::move(lock)) { }
    FileLock m_lock;
};

} // namespace pingyi::hq
