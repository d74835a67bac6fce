#include "fileio.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
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
    return makeError(QStringLiteral("io-write"), QStringLiteral("cannot write %1: %2").arg(path, systemReason(err)));
}

std::mutex g_hookMutex;
FileFaultHook g_hook;

FileFaultHook currentHook()
{
    const std::lock_guard lock(g_hookMutex);
    return g_hook;
}

/// 0, or the errno the seam injects for this step.
int injected(const FileFaultHook &hook, FileStep step, const QString &path, qint64 offset = 0)
{
    return hook ? hook(step, path, offset) : 0;
}

} // namespace

void setFileFaultHook(FileFaultHook hook)
{
    const std::lock_guard lock(g_hookMutex);
    g_hook = std::move(hook);
}

Status syncFileSystem(const QString &dir)
{
    // Opened read-only, a file or a folder: syncfs needs only a descriptor on the file system.
    const FileFaultHook hook = currentHook();
    if (const int e = injected(hook, FileStep::SyncFs, dir))
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("cannot flush the drive %1: %2").arg(dir, systemReason(e)));
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("cannot flush the drive %1: %2").arg(dir, systemReason(errno)));
    const int rc = ::syncfs(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return makeError(QStringLiteral("io-write"),
                         QStringLiteral("cannot flush the drive %1: %2").arg(dir, systemReason(err)));
    return {};
}

Status writeFileAtomic(const QString &path, QByteArrayView data, bool privateFile)
{
    const FileFaultHook hook = currentHook();
    const QFileInfo info(path);
    const QByteArray dir = QFile::encodeName(info.absolutePath());
    QByteArray tmpl = QFile::encodeName(info.absoluteFilePath()) + ".tmp-XXXXXX";
    if (const int e = injected(hook, FileStep::Create, path))
        return writeError(path, e);
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return writeError(path, errno);
    auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmpl.constData());
        return Status(writeError(path, err));
    };
    // mkstemp made it 0600. A file system without Unix modes (a FAT drive) refuses the
    // change (EPERM, or ENOSYS through FUSE): the mode means nothing there, so go on.
    if (!privateFile && ::fchmod(fd, 0644) != 0 && errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP)
        return fail(errno);
    const char *p = data.data();
    qsizetype left = data.size();
    while (left > 0) {
        const qsizetype chunk = hook ? std::min<qsizetype>(left, 4096) : left;
        if (const int e = injected(hook, FileStep::Write, path, qint64(p - data.data())))
            return fail(e);
        const ssize_t n = ::write(fd, p, size_t(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(errno);
        }
        p += n;
        left -= n;
    }
    if (const int e = injected(hook, FileStep::Sync, path))
        return fail(e);
    if (::fsync(fd) != 0)
        return fail(errno);
    const int closeFault = injected(hook, FileStep::Close, path);
    if (::close(fd) != 0 || closeFault) {
        const int err = closeFault ? closeFault : errno;
        ::unlink(tmpl.constData());
        return writeError(path, err);
    }
    const int renameFault = injected(hook, FileStep::Rename, path);
    if (renameFault || ::rename(tmpl.constData(), QFile::encodeName(info.absoluteFilePath()).constData()) != 0) {
        const int err = renameFault ? renameFault : errno;
        ::unlink(tmpl.constData());
        return writeError(path, err);
    }
    if (const int e = injected(hook, FileStep::SyncDir, path))
        return writeError(path, e);
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
    struct stat st { };
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

qint64 inputCap(InputKind kind)
{
    constexpr qint64 KiB = 1024;
    constexpr qint64 MiB = 1024 * KiB;
    switch (kind) {
    case InputKind::Batch:
        return 256 * MiB;
    case InputKind::ActivitySpec:
        return 16 * MiB;
    case InputKind::Roster:
        return 256 * MiB;
    case InputKind::VenuePackage:
        return 256 * MiB;
    case InputKind::Certificate:
    case InputKind::EnrolmentRequest:
    case InputKind::PublicKey:
        return 64 * KiB;
    case InputKind::KeyFile:
        return 1 * MiB;
    case InputKind::Reports:
        return 1 * MiB;
    case InputKind::Passphrase:
        return 4 * KiB;
    }
    return 0;
}

QString inputKindName(InputKind kind)
{
    switch (kind) {
    case InputKind::Batch:
        return QStringLiteral("batch");
    case InputKind::ActivitySpec:
        return QStringLiteral("activity spec");
    case InputKind::Roster:
        return QStringLiteral("roster");
    case InputKind::VenuePackage:
        return QStringLiteral("venue package");
    case InputKind::Certificate:
        return QStringLiteral("kiosk certificate");
    case InputKind::EnrolmentRequest:
        return QStringLiteral("enrolment request");
    case InputKind::PublicKey:
        return QStringLiteral("public key file");
    case InputKind::KeyFile:
        return QStringLiteral("key file");
    case InputKind::Reports:
        return QStringLiteral("file of report codes");
    case InputKind::Passphrase:
        return QStringLiteral("passphrase file");
    }
    return {};
}

namespace {

Error readError(const QString &path, const QString &why)
{
    return makeError(QStringLiteral("io-read"), QStringLiteral("cannot read %1: %2").arg(path, why));
}

QString fileTypeName(mode_t mode)
{
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    if (S_ISFIFO(mode))
        return QStringLiteral("a named pipe (FIFO)");
    if (S_ISCHR(mode))
        return QStringLiteral("a character device");
    if (S_ISBLK(mode))
        return QStringLiteral("a block device");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    return QStringLiteral("not a regular file");
}

/// `kind` names the file in messages; empty for Pingyi's own files.
Result<QByteArray> readBounded(const QString &path, qint64 maxBytes, const QString &kind, bool pipeAllowed)
{
    if (path.startsWith(u':')) { // Qt resource compiled into the program
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return readError(path, QStringLiteral("the file does not exist"));
        return f.read(maxBytes);
    }
    if (const int e = injected(currentHook(), FileStep::Read, path))
        return readError(path, systemReason(e));
    const QByteArray name = QFile::encodeName(path);
    // O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer forever.
    const int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int err = errno;
        return readError(path, err == ENOENT ? QStringLiteral("the file does not exist") : systemReason(err));
    }
    const auto done = [fd](Result<QByteArray> r) {
        ::close(fd);
        return r;
    };
    struct stat st { };
    if (::fstat(fd, &st) != 0)
        return done(readError(path, systemReason(errno)));
    const bool pipe = S_ISFIFO(st.st_mode);
    if (!S_ISREG(st.st_mode) && !(pipe && pipeAllowed)) {
        const QFileInfo info(path);
        const QString link
            = info.isSymLink() ? QStringLiteral("a link to %1, which is ").arg(info.symLinkTarget()) : QString();
        return done(
            readError(path,
                      QStringLiteral("it is %1%2, not a regular file: give the %3 file itself")
                          .arg(link, fileTypeName(st.st_mode), kind.isEmpty() ? QStringLiteral("real") : kind)));
    }
    const auto tooLarge = [&](const QString &size) {
        return done(makeError(QStringLiteral("io-read"),
                              QStringLiteral("%1 is too large for %2 (%3; at most %4 bytes): is it the right file?")
                                  .arg(path, kind.isEmpty() ? QStringLiteral("this file") : QStringLiteral("a ") + kind,
                                       size, QString::number(maxBytes))));
    };
    if (qint64(st.st_size) > maxBytes)
        return tooLarge(QStringLiteral("%1 bytes").arg(qint64(st.st_size)));
    if (pipe) { // a pipe someone writes into (a passphrase from another program): wait for it
        const int flags = ::fcntl(fd, F_GETFL);
        if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0)
            return done(readError(path, systemReason(errno)));
    }
    // Read at most one byte over the cap, whatever the size said: the file may grow, and a
    // pipe has no size at all.
    QByteArray data;
    data.resize(qsizetype(std::min<qint64>(maxBytes, std::max<qint64>(qint64(st.st_size), 4096))) + 1);
    qint64 got = 0;
    for (;;) {
        if (got == data.size()) {
            if (got > maxBytes)
                break;
            data.resize(qsizetype(std::min<qint64>(maxBytes + 1, got * 2)));
        }
        const ssize_t n = ::read(fd, data.data() + got, std::size_t(data.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return done(readError(path, systemReason(errno)));
        if (n == 0)
            break;
        got += n;
    }
    if (got > maxBytes)
        return tooLarge(QStringLiteral("more than %1 bytes").arg(maxBytes));
    data.truncate(qsizetype(got));
    return done(std::move(data));
}

} // namespace

Result<QByteArray> readInputFile(const QString &path, InputKind kind)
{
    return readBounded(path, inputCap(kind), inputKindName(kind), kind == InputKind::Passphrase);
}

Result<QByteArray> readFile(const QString &path, qint64 maxBytes)
{
    return readBounded(path, maxBytes, QString(), false);
}

} // namespace pingyi
