#pragma once
// One pingyi-hq command at a time per HQ directory: an exclusive advisory lock (flock) on
// DIR/hq.lock, taken without waiting for the whole of a run that reads or changes the
// imported batches. The lock belongs to the open file, so it is released when the holder
// exits or crashes; the file itself stays (removing it would let two holders race).

#include "result.h"

#include <QString>

namespace pingyi::hq {

class HqLock {
public:
    static constexpr char lockFile[] = "hq.lock";

    /// Takes the lock on `hqDir`, or fails at once with error "hq-busy" naming the process
    /// that holds it ("io-write" when the lock file cannot be created).
    static Result<HqLock> acquire(const QString &hqDir);

    HqLock(HqLock &&other) noexcept;
    HqLock &operator=(HqLock &&other) noexcept;
    HqLock(const HqLock &) = delete;
    HqLock &operator=(const HqLock &) = delete;
    ~HqLock();

private:
    explicit HqLock(int fd) : m_fd(fd) { }
    int m_fd = -1;
};

} // namespace pingyi::hq
