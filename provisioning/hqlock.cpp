#include "hqlock.h"

#include <QDir>

namespace pingyi::hq {

Result<HqLock> HqLock::acquire(const QString &hqDir)
{
    auto lock = FileLock::acquire(
        QDir(hqDir).filePath(QLatin1String(lockFile)), QStringLiteral("hq-busy"),
        QStringLiteral("another pingyi-hq command is working on %1%2; wait for it to finish, then run this again")
            .arg(QDir::toNativeSeparators(hqDir), QStringLiteral("%1")));
    if (!lock)
        return lock.error();
    return HqLock(std::move(lock).value());
}

} // namespace pingyi::hq
