#include "filelock.h"

#include <QFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pingyi {

namespace {

/// The pid the holder wrote into the lock file, or 0 when it cannot be read.
long holderPid(int fd)
{
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    if (n <= 0)
        return 0;
    char *end = nullptr;
    const long pid = std::strtol(buffer, &end, 10);
    return pid > 0 ? pid : 0;
}

} // namespace

Result<FileLock> FileLock::acquire(const QString &path, const QString &busyCode, const QString &busyMessage)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("cannot create the lock file %1: %2; check that its folder is writable")
                             .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        const long pid = err == EWOULDBLOCK ? holderPid(fd) : 0;
        ::close(fd);
        if (err != EWOULDBLOCK)
            return makeError(
                QStringLiteral("io-write"),
                QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(err))));
        return makeError(busyCode, busyMessage.arg(pid ? QStringLiteral(" (pid %1)").arg(pid) : QString()));
    }
    // Only for the message above; nothing depends on it.
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0)
        (void)!::pwrite(fd, pid.constData(), size_t(pid.size()), 0);
    return FileLock(fd);
}

FileLock::FileLock(FileLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) { }

FileLock &FileLock::operator=(FileLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor releases the flock
}

} // namespace pingyi
