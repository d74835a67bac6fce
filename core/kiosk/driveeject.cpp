#include "driveeject.h"

#include "fileio.h"
#include "kioskenv.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEject, "pingyi.kiosk.eject")

namespace pingyi::kiosk {

namespace {

/// mountinfo escapes space, tab, newline and backslash as \ooo.
QString unescape(const QByteArray &field)
{
    QByteArray out;
    out.reserve(field.size());
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size()) {
            bool ok = false;
            const int c = field.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(char(c));
                i += 3;
                continue;
            }
        }
        out.append(field[i]);
    }
    return QFile::decodeName(out);
}

QList<MountEntry> mounts()
{
    QFile f(QStringLiteral("/proc/self/mountinfo"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<MountEntry> out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype dash = fields.indexOf("-");
        if (fields.size() < 5 || dash < 0 || dash + 2 >= fields.size())
            continue;
        out.append({QString::fromLatin1(fields[0]), unescape(fields[4]), unescape(fields[dash + 2]),
                    unescape(fields[dash + 1])});
    }
    return out;
}

bool stillMounted(const QString &id)
{
    for (const MountEntry &m : mounts())
        if (m.id == id)
            return true;
    return false;
}

struct Run {
    bool ok = false;
    QString why;
};

Run runTool(const QString &program, const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForStarted(5000))
        return {false, QStringLiteral("%1 did not start").arg(program)};
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished(1000);
        return {false, QStringLiteral("%1 did not finish in 20 s").arg(program)};
    }
    const QString said = QString::fromLocal8Bit(p.readAll()).simplified();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {false,
                QStringLiteral("%1: %2").arg(QFileInfo(program).fileName(),
                                             said.isEmpty() ? QStringLiteral("failed") : said)};
    return {true, {}};
}

/// Where a /proc link points, as the kernel says (no resolving: it may be a socket).
QString linkTarget(const QString &link)
{
    char buf[4096];
    const ssize_t n = ::readlink(QFile::encodeName(link).constData(), buf, sizeof buf);
    return n > 0 ? QFile::decodeName(QByteArray(buf, qsizetype(n))) : QString();
}

} // namespace

std::optional<MountEntry> mountContaining(const QString &path)
{
    const QString canon = QFileInfo(path).canonicalFilePath();
    if (canon.isEmpty())
        return std::nullopt;
    std::optional<MountEntry> best;
    for (const MountEntry &m : mounts()) {
        const bool under
            = canon == m.root || m.root == QLatin1String("/") || canon.startsWith(m.root + QLatin1Char('/'));
        // Later lines are mounted over earlier ones at the same place: keep the last.
        if (under && (!best || m.root.size() >= best->root.size()))
            best = m;
    }
    return best;
}

QStringList programsUsing(const QString &root, int limit)
{
    QStringList out;
    const QString prefix = root + QLatin1Char('/');
    auto isUnder = [&](const QString &target) {
        return target == root || target.startsWith(prefix);
    };
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        if (out.size() >= limit)
            break;
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        const QString base = QStringLiteral("/proc/") + pid;
        bool uses = isUnder(linkTarget(base + QStringLiteral("/cwd")));
        const QStringList fds = QDir(base + QStringLiteral("/fd"))
                                    .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
        for (qsizetype i = 0; !uses && i < fds.size(); ++i)
            uses = isUnder(linkTarget(base + QStringLiteral("/fd/") + fds[i]));
        if (!uses)
            continue;
        QFile comm(base + QStringLiteral("/comm"));
        const QString name
            = comm.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(comm.readAll()).trimmed() : QStringLiteral("?");
        out << QStringLiteral("%1 (pid %2)").arg(name, pid);
    }
    return out;
}

Result<Ejection> SystemDriveEjector::eject(const QString &dir)
{
    const QString canon = QFileInfo(dir).canonicalFilePath();
    if (canon.isEmpty() || !QFileInfo(canon).isDir())
        return kioskError("export-missing",
                          QStringLiteral("the drive %1 is not there any more (was it removed?)").arg(dir));
    const auto mount = mountContaining(canon);
    if (auto s = syncFileSystem(canon); !s)
        return s.error();
    if (!mount || mount->root != canon)
        return Ejection {}; // a folder (a desktop demo's export directory), not a drive
    QStringList tried;
    auto gone = [&] {
        return !stillMounted(mount->id);
    };
    if (mount->device.startsWith(QLatin1String("/dev/"))) {
        const QString udisks = QStandardPaths::findExecutable(QStringLiteral("udisksctl"));
        if (!udisks.isEmpty()) {
            const Run r = runTool(udisks,
                                  {QStringLiteral("unmount"), QStringLiteral("--no-user-interaction"),
                                   QStringLiteral("-b"), mount->device});
            if (r.ok && gone())
                return Ejection {true, QStringLiteral("udisksctl")};
            tried << r.why;
        }
    }
    if (::geteuid() == 0) {
        if (::umount2(QFile::encodeName(canon).constData(), 0) == 0 && gone())
            return Ejection {true, QStringLiteral("umount")};
        tried << QStringLiteral("umount: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    } else if (const QString sm = QStandardPaths::findExecutable(QStringLiteral("systemd-mount")); !sm.isEmpty()) {
        const Run r = runTool(sm, {QStringLiteral("--umount"), QStringLiteral("--no-ask-password"), canon});
        if (r.ok && gone())
            return Ejection {true, QStringLiteral("systemd-mount")};
        tried << r.why;
    }
    if (gone()) // unmounted meanwhile (pulled, or the tool returned before /proc caught up)
        return Ejection {true, QStringLiteral("gone")};
    const QStringList users = programsUsing(canon);
    qCWarning(lcEject) << "could not unmount" << canon << tried << users;
    if (!users.isEmpty())
        return kioskError("eject-busy",
                          QStringLiteral("the drive %1 is still in use by %2: it was not unmounted; "
                                         "close them and unmount again")
                              .arg(canon, users.join(QStringLiteral(", "))));
    return kioskError("eject-failed",
                      QStringLiteral("the drive %1 could not be unmounted (%2)")
                          .arg(canon,
                               tried.isEmpty() ? QStringLiteral("no way to unmount it here: no udisksctl, "
                                                                "no privileges, no systemd-mount")
                                               : tried.join(QStringLiteral("; "))));
}

} // namespace pingyi::kiosk
