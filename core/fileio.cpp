#include "fileio.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pingyi {

namespace {

QString systemReason(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
        return QStringLiteral("the disk is full; free space or use another drive");
    case EROFS:
        return QStringLiteral("the drive is read-only; unlock it or use another drive");
    case EACCES:
    case EPERM:
        return QStringLiteral("permission denied; check the folder's permissions");
    case ENOENT:
        return QStringLiteral("the folder does not exist (was the drive removed?)");
    case EIO:
    case ENODEV:
    case ENXIO:
        return QStringLiteral("input/output error (was the drive removed?); reinsert it and retry");
    default:
        return QString::fromLocal8Bit(std::strerror(err));
    }
}

Error writeError(const QString &path, int err)
{
    return makeError(QStringLiteral("io-write"),
                     QStringLiteral("cannot write %1: %2").arg(path, systemReason(err)));
}

} // namespace

Status writeFileAtomic(const QString &path, QByteArrayView data, bool privateFile)
{
    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    QByteArray tmpl = QFile::encodeName(info.absoluteFilePath()) + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return writeError(path, errno);
    auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmpl.constData());
        return Status(writeError(path, err));
    };
    if (::fchmod(fd, privateFile ? 0600 : 0644) != 0)
        return fail(errno);
    const char *p = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno);
        }
        p += n;
        left -= n;
    }
    if (::fsync(fd) != 0)
        return fail(errno);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return writeError(path, err);
    }
    if (::rename(tmpl.constData(), QFile::encodeName(info.absoluteFilePath()).constData()) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return writeError(path, err);
    }
    const int dfd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY);
    if (dfd < 0)
        return writeError(path, errno);
    const int rc = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    if (rc != 0)
        return writeError(path, err);
    return {};
}

Status shredFile(const QString &path)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return writeError(path, errno);
    // Overwrite, sync, close; whatever of that fails, the file is still unlinked (a half
    // overwritten key must not stay behind looking like a damaged key) and the first
    // failure is reported.
    int failure = 0;
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        failure = errno;
    QByteArray noise(4096, '\0');
    for (off_t done = 0; failure == 0 && done < st.st_size;) {
        randombytes_buf(noise.data(), std::size_t(noise.size()));
        const auto chunk = std::min<off_t>(st.st_size - done, off_t(noise.size()));
        const ssize_t n = ::pwrite(fd, noise.constData(), std::size_t(chunk), done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            failure = n < 0 ? errno : EIO;
        else
            done += n;
    }
    if (::fsync(fd) != 0 && failure == 0)
        failure = errno;
    if (::close(fd) != 0 && failure == 0)
        failure = errno;
    if (::unlink(name.constData()) != 0)
        return writeError(path, errno);
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    if (const int d = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
    return failure ? Status(writeError(path, failure)) : Status();
}

Result<QByteArray> readFile(const QString &path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        const QString why = f.exists() ? f.errorString() : QStringLiteral("the file does not exist");
        return makeError(QStringLiteral("io-read"), QStringLiteral("cannot read %1: %2").arg(path, why));
    }
    if (f.size() > maxBytes)
        return makeError(QStringLiteral("io-read"),
                         QStringLiteral("%1 is too large (%2 bytes; at most %3 expected): is it the right file?")
                             .arg(path)
                             .arg(f.size())
                             .arg(maxBytes));
    QByteArray data = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return makeError(QStringLiteral("io-read"), QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return data;
}

} // namespace pingyi
