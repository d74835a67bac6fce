// Disk and USB faults (issue 15). Export to a drive that fails at every step of the write
// with ENOSPC, EROFS, EIO and ENODEV (the fileio fault seam; always runs), and, when this
// process may mount: a really full tmpfs, a drive remounted read-only, a drive pulled
// (lazily unmounted) at every step, a FAT drive (FUSE fusefat), the kiosk unmounting the
// drive itself (ext2 on a loop device; a busy drive), and the kiosk's own disk full
// during a cast. After every fault: the error is clear, the kiosk database passes its
// invariants, earlier exports are intact, and a retry writes a batch that verifies. The
// kiosk's disk full during a cast also runs without mounting, through a SQLite VFS shim.

#include "fixture.h"
#include "kiosk/driveeject.h"

#include <QProcess>
#include <QStandardPaths>

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace pingyi;
using namespace pingyi::kiosk;
using namespace pingyi::test;

namespace {

template<typename T> QString code(const Result<T> &r)
{
    return r ? QString() : r.error().code;
}

/// The seam, removed again when the test step ends (even by a failed QVERIFY).
struct HookGuard {
    explicit HookGuard(FileFaultHook hook) { setFileFaultHook(std::move(hook)); }
    ~HookGuard() { setFileFaultHook({}); }
};

bool run(const QString &program, const QStringList &args, QString *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(30000))
        return false;
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool mountTmpfs(const QString &dir, qint64 bytes)
{
    QDir().mkpath(dir);
    const QByteArray opts = "size=" + QByteArray::number(bytes) + ",mode=0700";
    return ::mount("tmpfs", QFile::encodeName(dir).constData(), "tmpfs", 0, opts.constData()) == 0;
}

bool isMountRoot(const QString &dir)
{
    const auto m = mountContaining(dir);
    return m && m->root == QFileInfo(dir).canonicalFilePath();
}

void unmountAll(const QString &dir)
{
    while (isMountRoot(dir))
        if (::umount2(QFile::encodeName(dir).constData(), MNT_DETACH) != 0)
            break;
}

/// Fills the file system holding `dir` until it refuses: a file of as many 4 KiB blocks
/// as fit. Returns the file's size.
qint64 fill(const QString &file)
{
    const int fd = ::open(QFile::encodeName(file).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    const QByteArray block(4096, 'f');
    qint64 size = 0;
    for (;;) {
        const ssize_t n = ::write(fd, block.constData(), std::size_t(block.size()));
        if (n <= 0)
            break;
        size += n;
    }
    ::fsync(fd);
    ::close(fd);
    return size;
}

QStringList leftovers(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.tmp-*")}, QDir::Files | QDir::Hidden);
}

/// A SQLite VFS over the default one whose writes fail with SQLITE_FULL (as the unix VFS
/// reports ENOSPC) from the `failAt`-th write on while armed: the kiosk's own disk full,
/// at every write of a cast, where this process may not mount a small file system.
namespace fullvfs {

std::atomic<int> failAt {-1}; ///< -1: off
std::atomic<int> writes {0};
sqlite3_vfs *base = nullptr;
sqlite3_vfs vfs;

struct File {
    sqlite3_file file;
    sqlite3_file *real; ///< the default VFS's file, allocated right after this struct
};

sqlite3_file *real(sqlite3_file *f)
{
    return reinterpret_cast<File *>(f)->real;
}

int xClose(sqlite3_file *f)
{
    return real(f)->pMethods->xClose(real(f));
}
int xRead(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return real(f)->pMethods->xRead(real(f), b, n, o);
}
int xWrite(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (const int at = failAt.load(); at >= 0 && writes++ >= at)
        return SQLITE_FULL;
    return real(f)->pMethods->xWrite(real(f), b, n, o);
}
int xTruncate(sqlite3_file *f, sqlite3_int64 n)
{
    return real(f)->pMethods->xTruncate(real(f), n);
}
int xSync(sqlite3_file *f, int flags)
{
    return real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file *f, sqlite3_int64 *n)
{
    return real(f)->pMethods->xFileSize(real(f), n);
}
int xLock(sqlite3_file *f, int l)
{
    return real(f)->pMethods->xLock(real(f), l);
}
int xUnlock(sqlite3_file *f, int l)
{
    return real(f)->pMethods->xUnlock(real(f), l);
}
int xCheckReservedLock(sqlite3_file *f, int *r)
{
    return real(f)->pMethods->xCheckReservedLock(real(f), r);
}
int xFileControl(sqlite3_file *f, int op, void *a)
{
    return real(f)->pMethods->xFileControl(real(f), op, a);
}
int xSectorSize(sqlite3_file *f)
{
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file *f)
{
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file *f, int i, int sz, int ext, void volatile **p)
{
    return real(f)->pMethods->xShmMap(real(f), i, sz, ext, p);
}
int xShmLock(sqlite3_file *f, int o, int n, int flags)
{
    return real(f)->pMethods->xShmLock(real(f), o, n, flags);
}
void xShmBarrier(sqlite3_file *f)
{
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file *f, int del)
{
    return real(f)->pMethods->xShmUnmap(real(f), del);
}
int xFetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return real(f)->pMethods->xFetch(real(f), o, n, p);
}
int xUnfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return real(f)->pMethods->xUnfetch(real(f), o, p);
}

const sqlite3_io_methods methods {3,
                                  xClose,
                                  xRead,
                                  xWrite,
                                  xTruncate,
                                  xSync,
                                  xFileSize,
                                  xLock,
                                  xUnlock,
                                  xCheckReservedLock,
                                  xFileControl,
                                  xSectorSize,
                                  xDeviceCharacteristics,
                                  xShmMap,
                                  xShmLock,
                                  xShmBarrier,
                                  xShmUnmap,
                                  xFetch,
                                  xUnfetch};

int xOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *f, int flags, int *outFlags)
{
    auto *file = reinterpret_cast<File *>(f);
    file->real = reinterpret_cast<sqlite3_file *>(file + 1);
    file->file.pMethods = nullptr;
    const int rc = base->xOpen(base, name, file->real, flags, outFlags);
    if (rc == SQLITE_OK && file->real->pMethods)
        file->file.pMethods = &methods;
    return rc;
}

/// Makes the shim the default VFS (once per process).
void install()
{
    if (base)
        return;
    base = sqlite3_vfs_find(nullptr);
    vfs = *base;
    vfs.zName = "pingyi-full";
    vfs.szOsFile = int(sizeof(File)) + base->szOsFile;
    vfs.pAppData = nullptr;
    vfs.xOpen = xOpen;
    sqlite3_vfs_register(&vfs, 1);
}

} // namespace fullvfs

} // namespace

class TestFaults : public QObject {
    Q_OBJECT

    VenueFixture f;
    int m_injected = 0; ///< faults through the seam
    int m_real = 0; ///< faults on real file systems
    int m_retries = 0; ///< retries that wrote a valid batch
    bool m_canMount = false;
    QString m_mountWhy;

    /// The batch at `path` opens with the archive key as the office would open it: signature,
    /// stream, every record, the invariants; it holds `ballots` ballots.
    Status validBatch(const QString &path, QByteArrayView kioskKey, qint64 ballots)
    {
        auto bytes = readFile(path);
        if (!bytes)
            return bytes.error();
        auto file = readBatch(*bytes);
        if (!file)
            return file.error();
        if (auto s = verifyBatchSignature(*file, kioskKey); !s)
            return s;
        auto key = openBatchKey(*file, f.secrets->archive, false);
        if (!key)
            return key.error();
        auto content = decryptBatch(*file, *key);
        if (!content)
            return content.error();
        if (!verifyRecords(*content, kioskKey).isEmpty())
            return makeError(QStringLiteral("test"), QStringLiteral("a record does not verify"));
        if (auto s = checkBatchInvariants(*content); !s)
            return s;
        if (content->header.counts.ballots != ballots)
            return makeError(
                QStringLiteral("test"),
                QStringLiteral("%1 ballots, expected %2").arg(content->header.counts.ballots).arg(ballots));
        return {};
    }

    /// A kiosk with econ (3 ballots) and service (2 ballots) both closed.
    std::unique_ptr<KioskService> closedKiosk(const QString &id)
    {
        auto k = f.enrolKiosk(id);
        if (!k || !k->login(f.pins[QStringLiteral("staff")]))
            return {};
        std::mt19937_64 rng(7);
        for (const auto &[session, n] : {std::pair {QStringLiteral("econ"), 3}, {QStringLiteral("service"), 2}}) {
            const SessionKey key {session, false};
            if (!k->openSession(key))
                return {};
            const QStringList creds = f.credentials(session);
            for (int i = 0; i < n; ++i)
                if (!k->checkInCredential(creds.value(i)) || !k->cast(f.ballot(session, rng), {}))
                    return {};
            if (!k->closeSession(key))
                return {};
        }
        return k;
    }

    /// What must hold after any failed export: the kiosk's database, its audit log, the
    /// session's state, the earlier export on the drive.
    void checkKioskIntact(KioskService &k, const SessionKey &key, SessionState state, const QString &earlier,
                          const QByteArray &earlierBytes)
    {
        QVERIFY(k.checkInvariants(key).ok());
        QVERIFY(k.checkInvariants({QStringLiteral("econ"), false}).ok());
        QVERIFY(k.verifyAuditLog().ok());
        QCOMPARE(k.session(key)->state, state);
        if (!earlier.isEmpty()) {
            auto now = readFile(earlier);
            QVERIFY2(now && *now == earlierBytes, qPrintable(earlier));
        }
    }

    /// The mount points of one test step, unmounted whatever happens.
    struct Mounts {
        QStringList dirs;
        ~Mounts()
        {
            for (const QString &d : dirs)
                unmountAll(d);
        }
    };

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(f.setUp(0.1));
        // May this process mount? (root, or CAP_SYS_ADMIN in its namespace)
        const QString probe = f.dir.filePath(QStringLiteral("probe"));
        if (mountTmpfs(probe, 64 * 1024)) {
            m_canMount = true;
            ::umount2(QFile::encodeName(probe).constData(), 0);
        } else {
            m_mountWhy = QStringLiteral("this process may not mount file systems (%1): the real-file-system "
                                        "fault tests need root or CAP_SYS_ADMIN; the injected ones ran")
                             .arg(QString::fromLocal8Bit(std::strerror(errno)));
        }
    }

    /// Every step of the export (create, each 4 KiB write, fsync, close, rename, folder
    /// fsync, read-back, syncfs) fails once with each errno.
    void injectedExportFaults()
    {
        auto k = closedKiosk(QStringLiteral("shinan-inj"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const SessionKey service {QStringLiteral("service"), false};
        const QString usb = f.dir.filePath(QStringLiteral("usb-inj"));
        QVERIFY(QDir().mkpath(usb));
        auto earlier = k->exportSession(econ, usb);
        QVERIFY(earlier.ok());
        const QByteArray earlierBytes = *readFile(earlier->path);

        // The steps of one export, as the seam sees them: (step, how many of that step came
        // before). The batch grows a little with every audited export, so a fault is aimed
        // at "the 3rd write", not at "the 5th call".
        QList<std::pair<FileStep, int>> steps;
        {
            QHash<int, int> seen;
            HookGuard g([&](FileStep s, const QString &, qint64) {
                steps.append({s, seen[int(s)]++});
                return 0;
            });
            QVERIFY(k->exportSession(service, usb).ok());
        }
        const QString target = steps.isEmpty() ? QString() : k->exportSession(service, usb)->path;
        const qint64 batchBytes = QFileInfo(target).size();
        QList<FileStep> kinds;
        for (const auto &st : steps)
            kinds.append(st.first);
        QVERIFY(kinds.count(FileStep::Write) >= 2);
        for (FileStep s : {FileStep::Create, FileStep::Sync, FileStep::Close, FileStep::Rename, FileStep::SyncDir,
                           FileStep::Read, FileStep::SyncFs})
            QVERIFY2(kinds.contains(s), qPrintable(QString::number(int(s))));

        const QList<std::pair<int, QString>> errnos {{ENOSPC, QStringLiteral("disk is full")},
                                                     {EROFS, QStringLiteral("read-only")},
                                                     {EIO, QStringLiteral("input/output error")},
                                                     {ENODEV, QStringLiteral("input/output error")}};
        for (const auto &[err, words] : errnos) {
            for (const auto &[step, occurrence] : steps) {
                QHash<int, int> seen;
                bool hit = false;
                Result<ExportResult> r = makeError(QStringLiteral("test"), QString());
                {
                    HookGuard g([&, step = step, occurrence = occurrence](FileStep s, const QString &, qint64) {
                        if (s != step || seen[int(s)]++ != occurrence)
                            return 0;
                        hit = true;
                        return err;
                    });
                    r = k->exportSession(service, usb);
                }
                ++m_injected;
                const QString what = QStringLiteral("errno %1 at step %2 #%3").arg(err).arg(int(step)).arg(occurrence);
                QVERIFY2(hit, qPrintable(what));
                QVERIFY2(!r, qPrintable(what));
                QVERIFY2(
                    QStringList({QStringLiteral("io-write"), QStringLiteral("export-verify")}).contains(r.error().code),
                    qPrintable(what + u' ' + r.error().code));
                QVERIFY2(r.error().message.contains(words), qPrintable(what + u' ' + r.error().message));
                checkKioskIntact(*k, service, SessionState::Exported, earlier->path, earlierBytes);
                QVERIFY2(leftovers(usb).isEmpty(), qPrintable(leftovers(usb).join(u' ')));
                // Under its final name only a complete batch: the one from before, or this
                // one when the fault came after the rename.
                if (QFileInfo::exists(target))
                    QVERIFY(validBatch(target, k->publicKey(), 2).ok());
                auto again = k->exportSession(service, usb);
                QVERIFY2(again.ok(), qPrintable(what));
                QVERIFY(validBatch(again->path, k->publicKey(), 2).ok());
                ++m_retries;
            }
        }
        // The audit log says what failed, without a path or anything about a voter.
        int failed = 0;
        for (const AuditEvent &e : *k->auditLog())
            failed += e.body.value(QLatin1String("event")).toString() == QLatin1String("export-failed") ? 1 : 0;
        QCOMPARE(failed, int(errnos.size() * steps.size()));
        qInfo("injected export faults: %d steps (a %lld-byte batch in 4 KiB writes) x %d errnos = %d",
              int(steps.size()), batchBytes, int(errnos.size()), int(steps.size() * errnos.size()));
    }

    /// Temporary files a killed or power-cut export left on the drive: the next export of this
    /// kiosk removes its own, never another kiosk's, nor anything else.
    void interruptedExportsAreCleanedUp()
    {
        auto k = closedKiosk(QStringLiteral("shinan-tmp"));
        QVERIFY(k);
        const QString usb = f.dir.filePath(QStringLiteral("usb-tmp"));
        QVERIFY(QDir().mkpath(usb));
        const SessionContext econ = k->context({QStringLiteral("econ"), false});
        const SessionContext other {econ.activityId, econ.venue, QStringLiteral("shinan-other"), econ.session, false};
        const QStringList mine {batchFileName(econ) + QStringLiteral(".tmp-a1B2c3"),
                                batchFileName(k->context({QStringLiteral("service"), false}))
                                    + QStringLiteral(".tmp-Zz9x8Y")};
        const QStringList kept {batchFileName(other) + QStringLiteral(".tmp-a1B2c3"),
                                batchFileName(econ) + QStringLiteral(".bak"), QStringLiteral("notes.txt")};
        for (const QString &name : mine + kept)
            QVERIFY(writeFileAtomic(QDir(usb).filePath(name), QByteArray(3000, 'x')).ok());
        auto r = k->exportSession({QStringLiteral("econ"), false}, usb);
        QVERIFY(r.ok());
        for (const QString &name : mine)
            QVERIFY2(!QFileInfo::exists(QDir(usb).filePath(name)), qPrintable(name));
        for (const QString &name : kept)
            QVERIFY2(QFileInfo::exists(QDir(usb).filePath(name)), qPrintable(name));
        QVERIFY(validBatch(r->path, k->publicKey(), 3).ok());
    }

    /// A really full drive: before the export (refused at once) and filled at each write.
    void fullDrive()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy));
        auto k = closedKiosk(QStringLiteral("shinan-full-usb"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const QString usb = f.dir.filePath(QStringLiteral("usb-full"));
        Mounts mounts {{usb}};
        QVERIFY(mountTmpfs(usb, 2 * 1024 * 1024));
        const QString filler = QDir(usb).filePath(QStringLiteral("filler"));
        QVERIFY(fill(filler) > 0);
        auto r = k->exportSession(econ, usb);
        ++m_real;
        QCOMPARE(code(r), QStringLiteral("export-full"));
        checkKioskIntact(*k, econ, SessionState::Closed, {}, {});
        QVERIFY(QFile::remove(filler));

        // Filled up just before each 4 KiB write: the write itself runs out of space.
        int writes = 0;
        {
            HookGuard g([&](FileStep s, const QString &, qint64) {
                writes += s == FileStep::Write ? 1 : 0;
                return 0;
            });
            QVERIFY(k->exportSession(econ, usb).ok());
        }
        const QString target = QDir(usb).filePath(batchFileName(k->context(econ)));
        QVERIFY(QFile::remove(target));
        for (int at = 0; at < writes; ++at) {
            int seen = 0;
            {
                HookGuard g([&](FileStep s, const QString &, qint64) {
                    if (s == FileStep::Write && seen++ == at)
                        fill(filler);
                    return 0;
                });
                r = k->exportSession(econ, usb);
            }
            ++m_real;
            QVERIFY2(!r, qPrintable(QStringLiteral("filled at write %1").arg(at)));
            QCOMPARE(r.error().code, QStringLiteral("io-write"));
            QVERIFY2(r.error().message.contains(QLatin1String("disk is full")), qPrintable(r.error().message));
            QVERIFY(!QFileInfo::exists(target));
            QVERIFY(leftovers(usb).isEmpty());
            checkKioskIntact(*k, econ, SessionState::Exported, {}, {});
            QVERIFY(QFile::remove(filler));
            auto again = k->exportSession(econ, usb);
            QVERIFY(again.ok());
            QVERIFY(validBatch(again->path, k->publicKey(), 3).ok());
            QVERIFY(QFile::remove(again->path));
            ++m_retries;
        }
    }

    /// Write-protected before the export, and remounted read-only just before the rename.
    void readOnlyDrive()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy));
        auto k = closedKiosk(QStringLiteral("shinan-ro"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const SessionKey service {QStringLiteral("service"), false};
        const QString usb = f.dir.filePath(QStringLiteral("usb-ro"));
        Mounts mounts {{usb}};
        QVERIFY(mountTmpfs(usb, 4 * 1024 * 1024));
        auto earlier = k->exportSession(econ, usb);
        QVERIFY(earlier.ok());
        const QByteArray earlierBytes = *readFile(earlier->path);
        const QByteArray dir = QFile::encodeName(usb);
        auto remount = [&](bool readOnly) {
            return ::mount("tmpfs", dir.constData(), "tmpfs", MS_REMOUNT | (readOnly ? MS_RDONLY : 0), nullptr) == 0;
        };
        QVERIFY(remount(true));
        auto r = k->exportSession(service, usb);
        ++m_real;
        QCOMPARE(code(r), QStringLiteral("export-read-only"));
        checkKioskIntact(*k, service, SessionState::Closed, earlier->path, earlierBytes);
        QVERIFY(remount(false));
        {
            HookGuard g([&](FileStep s, const QString &, qint64) {
                if (s == FileStep::Rename)
                    remount(true);
                return 0;
            });
            r = k->exportSession(service, usb);
        }
        ++m_real;
        QCOMPARE(code(r), QStringLiteral("io-write"));
        QVERIFY2(r.error().message.contains(QLatin1String("read-only")), qPrintable(r.error().message));
        checkKioskIntact(*k, service, SessionState::Closed, earlier->path, earlierBytes);
        // The temporary file could not be deleted from a read-only drive; it never has the
        // batch's name, and the next export on a writable drive goes on beside it.
        const int stray = int(leftovers(usb).size());
        QVERIFY(stray <= 1);
        QVERIFY(remount(false));
        auto again = k->exportSession(service, usb);
        QVERIFY(again.ok());
        QVERIFY(validBatch(again->path, k->publicKey(), 2).ok());
        ++m_retries;
        qInfo("read-only drive: %d stray temporary file(s) left by a drive that turned read-only mid-export", stray);
    }

    /// The drive pulled (lazily unmounted) before each step: never "done", the stray file
    /// in the folder it leaves behind removed, a retry on the reinserted drive valid.
    void removedMidWrite()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy));
        auto k = closedKiosk(QStringLiteral("shinan-pull"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const QString usb = f.dir.filePath(QStringLiteral("usb-pull"));
        Mounts mounts {{usb}};
        QList<std::pair<FileStep, int>> steps;
        QVERIFY(mountTmpfs(usb, 4 * 1024 * 1024));
        {
            QHash<int, int> seen;
            HookGuard g([&](FileStep s, const QString &, qint64) {
                steps.append({s, seen[int(s)]++});
                return 0;
            });
            QVERIFY(k->exportSession(econ, usb).ok());
        }
        unmountAll(usb);
        for (int at = 0; at < steps.size(); ++at) {
            QVERIFY(mountTmpfs(usb, 4 * 1024 * 1024));
            QHash<int, int> seen;
            Result<ExportResult> r = makeError(QStringLiteral("test"), QString());
            {
                HookGuard g([&](FileStep s, const QString &, qint64) {
                    if (s == steps[at].first && seen[int(s)]++ == steps[at].second)
                        ::umount2(QFile::encodeName(usb).constData(), MNT_DETACH);
                    return 0;
                });
                r = k->exportSession(econ, usb);
            }
            ++m_real;
            const QString what
                = QStringLiteral("pulled before step %1 #%2").arg(int(steps[at].first)).arg(steps[at].second);
            QVERIFY2(!r, qPrintable(what));
            QVERIFY2(QStringList({QStringLiteral("export-missing"), QStringLiteral("export-verify"),
                                  QStringLiteral("io-write")})
                         .contains(r.error().code),
                     qPrintable(what + u' ' + r.error().code));
            QVERIFY2(!isMountRoot(usb), qPrintable(what));
            // Nothing of it in the folder the drive left behind (the kiosk's own disk).
            QVERIFY2(QDir(usb).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                     qPrintable(what + u' ' + QDir(usb).entryList(QDir::Files | QDir::Hidden).join(u' ')));
            checkKioskIntact(*k, econ, SessionState::Exported, {}, {});
            QVERIFY(mountTmpfs(usb, 4 * 1024 * 1024)); // reinserted
            auto again = k->exportSession(econ, usb);
            QVERIFY2(again.ok(), qPrintable(what));
            QVERIFY(validBatch(again->path, k->publicKey(), 3).ok());
            ++m_retries;
            unmountAll(usb);
        }
        qInfo("drive pulled before each of %d steps", int(steps.size()));
    }

    /// A FAT drive (FUSE: this kernel may lack vfat): export, the kiosk unmounts it, the
    /// file system checks clean and the batch reads back valid. Then a FAT drive too full.
    void fatDrive()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy));
        const QString fusefat = QStandardPaths::findExecutable(QStringLiteral("fusefat"));
        const QString mkfs = QStandardPaths::findExecutable(QStringLiteral("mkfs.vfat"),
                                                            {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        const QString fsck = QStandardPaths::findExecutable(QStringLiteral("fsck.fat"),
                                                            {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (fusefat.isEmpty() || mkfs.isEmpty() || fsck.isEmpty() || !QFileInfo::exists(QStringLiteral("/dev/fuse")))
            QSKIP("needs fusefat, dosfstools and /dev/fuse (scripts/setup installs them)");
        auto k = closedKiosk(QStringLiteral("shinan-fat"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const SessionKey service {QStringLiteral("service"), false};
        const QString image = f.dir.filePath(QStringLiteral("fat.img"));
        const QString usb = f.dir.filePath(QStringLiteral("usb-fat"));
        Mounts mounts {{usb}};
        QVERIFY(QDir().mkpath(usb));
        QFile img(image);
        QVERIFY(img.open(QIODevice::WriteOnly) && img.resize(8 * 1024 * 1024));
        img.close();
        QString out;
        QVERIFY2(run(mkfs, {QStringLiteral("-n"), QStringLiteral("PINGYI"), image}, &out), qPrintable(out));
        QVERIFY2(run(fusefat, {QStringLiteral("-o"), QStringLiteral("rw+"), image, usb}, &out), qPrintable(out));
        QVERIFY(isMountRoot(usb));
        auto r = k->exportSession(econ, usb);
        ++m_real;
        QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
        const QByteArray written = *readFile(r->path);
        SystemDriveEjector ejector;
        auto e = ejector.eject(usb);
        QVERIFY2(e.ok(), qPrintable(e ? QString() : e.error().message));
        QVERIFY(e->unmounted);
        QVERIFY(!isMountRoot(usb));
        QVERIFY2(run(fsck, {QStringLiteral("-n"), image}, &out), qPrintable(out));
        QVERIFY2(run(fusefat, {QStringLiteral("-o"), QStringLiteral("ro"), image, usb}, &out), qPrintable(out));
        QCOMPARE(*readFile(r->path), written);
        QVERIFY(validBatch(r->path, k->publicKey(), 3).ok());
        unmountAll(usb);

        // A FAT drive with no room left.
        QVERIFY2(run(fusefat, {QStringLiteral("-o"), QStringLiteral("rw+"), image, usb}, &out), qPrintable(out));
        const QString filler = QDir(usb).filePath(QStringLiteral("filler.bin"));
        QVERIFY(fill(filler) > 0);
        auto full = k->exportSession(service, usb);
        ++m_real;
        QVERIFY(!full);
        QVERIFY2(QStringList({QStringLiteral("export-full"), QStringLiteral("io-write")}).contains(full.error().code),
                 qPrintable(full.error().code + u' ' + full.error().message));
        checkKioskIntact(*k, service, SessionState::Closed, r->path, written);
        QVERIFY(leftovers(usb).isEmpty());
        QVERIFY(QFile::remove(filler));
        auto again = k->exportSession(service, usb);
        QVERIFY2(again.ok(), qPrintable(again ? QString() : again.error().message));
        QVERIFY(validBatch(again->path, k->publicKey(), 2).ok());
        ++m_retries;
        QVERIFY(ejector.eject(usb).ok());
        QVERIFY2(run(fsck, {QStringLiteral("-n"), image}, &out), qPrintable(out));
    }

    /// The kiosk unmounts the drive itself: a block device (ext2 on a loop device) comes
    /// back with the batch intact; a drive still in use is named, not unmounted.
    void ejectDrive()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy));
        const QString mkfs = QStandardPaths::findExecutable(QStringLiteral("mkfs.ext2"),
                                                            {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin")});
        if (mkfs.isEmpty())
            QSKIP("needs mkfs.ext2 (e2fsprogs)");
        auto k = closedKiosk(QStringLiteral("shinan-eject"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const QString image = f.dir.filePath(QStringLiteral("ext2.img"));
        const QString usb = f.dir.filePath(QStringLiteral("usb-ext2"));
        Mounts mounts {{usb}};
        QVERIFY(QDir().mkpath(usb));
        QString out;
        QVERIFY2(run(mkfs, {QStringLiteral("-q"), QStringLiteral("-F"), image, QStringLiteral("4M")}, &out),
                 qPrintable(out));
        if (!run(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("loop"), image, usb}, &out))
            QSKIP(qPrintable(QStringLiteral("cannot mount a loop device here: ") + out.trimmed()));
        auto r = k->exportSession(econ, usb);
        QVERIFY(r.ok());
        SystemDriveEjector ejector;
        auto e = ejector.eject(usb);
        QVERIFY2(e.ok(), qPrintable(e ? QString() : e.error().message));
        QVERIFY(e->unmounted);
        QVERIFY(!isMountRoot(usb));
        QVERIFY2(run(QStringLiteral("mount"), {QStringLiteral("-o"), QStringLiteral("loop,ro"), image, usb}, &out),
                 qPrintable(out));
        QVERIFY(validBatch(r->path, k->publicKey(), 3).ok());
        unmountAll(usb);

        // Busy: this test holds a file open on the drive.
        QVERIFY(mountTmpfs(usb, 4 * 1024 * 1024));
        r = k->exportSession(econ, usb);
        QVERIFY(r.ok());
        QFile holder(QDir(usb).filePath(QStringLiteral("open.txt")));
        QVERIFY(holder.open(QIODevice::WriteOnly));
        e = ejector.eject(usb);
        ++m_real;
        QCOMPARE(code(e), QStringLiteral("eject-busy"));
        QVERIFY2(e.error().message.contains(QStringLiteral("pid %1").arg(::getpid())), qPrintable(e.error().message));
        QVERIFY(isMountRoot(usb));
        QVERIFY(validBatch(r->path, k->publicKey(), 3).ok()); // the batch is still good
        holder.close();
        e = ejector.eject(usb);
        QVERIFY2(e.ok(), qPrintable(e ? QString() : e.error().message));
        QVERIFY(!isMountRoot(usb));
        // A folder that is not a drive: flushed, nothing to unmount.
        e = ejector.eject(f.dir.path());
        QVERIFY(e.ok());
        QVERIFY(!e->unmounted);
    }

    /// The kiosk's own disk fills up during a cast, a page further each time: the
    /// representative is told ("db-full"), nothing is stored, the check-in stays unused;
    /// once there is room the same representative casts exactly one ballot.
    void kioskDiskFullDuringCast()
    {
        if (!m_canMount)
            QSKIP(qPrintable(m_mountWhy + QStringLiteral(" (the kiosk's own disk full needs a small tmpfs)")));
        const QString id = QStringLiteral("shinan-cast");
        const QString state = f.stateDir(id);
        Mounts mounts {{state}};
        QVERIFY(mountTmpfs(state, 32 * 1024 * 1024));
        auto k = f.enrolKiosk(id);
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        const SessionKey econ {QStringLiteral("econ"), false};
        QVERIFY(k->openSession(econ).ok());
        QVERIFY(k->checkInCredential(f.credentials(QStringLiteral("econ")).first()).ok());
        QVERIFY(k->database().truncateWal().ok()); // the cast's pages need new room
        const QString filler = QDir(state).filePath(QStringLiteral("filler"));
        const qint64 full = fill(filler);
        QVERIFY(full > 0);
        std::mt19937_64 rng(3);
        const BallotAnswers ballot = f.ballot(QStringLiteral("econ"), rng);
        int refused = 0;
        for (qint64 room = 0;; room += 4096) {
            QVERIFY2(room <= 1024 * 1024, "still refused with 1 MiB free");
            QVERIFY(::truncate(QFile::encodeName(filler).constData(), full - room) == 0);
            auto r = k->cast(ballot, {});
            if (r)
                break;
            ++refused;
            ++m_real;
            QVERIFY2(r.error().code == QLatin1String("db-full"),
                     qPrintable(QStringLiteral("%1 free: %2 %3").arg(room).arg(r.error().code, r.error().message)));
            QVERIFY(k->voterActive()); // the check-in is not used up
            QCOMPARE(k->session(econ)->counts.ballots, 0);
            QVERIFY(k->checkInvariants(econ).ok());
        }
        QVERIFY(refused > 0);
        QCOMPARE(k->session(econ)->counts.ballots, 1);
        QVERIFY(!k->voterActive());
        QCOMPARE(code(k->cast(ballot, {})), QStringLiteral("no-voter"));
        QVERIFY(k->checkInvariants(econ).ok());
        // Reopened from its files: the same one ballot.
        QVERIFY(QFile::remove(filler));
        k.reset();
        auto again = KioskService::open(state, f.clock);
        QVERIFY(again.ok());
        QCOMPARE((*again)->session(econ)->counts.ballots, 1);
        QCOMPARE((*again)->session(econ)->counts.checkins, 1);
        QVERIFY((*again)->checkInvariants(econ).ok());
        QVERIFY((*again)->verifyAuditLog().ok());
        qInfo("kiosk disk full: %d casts refused, a page more room each time, before the one that went in", refused);
    }

    /// The same through the VFS shim (no mounting): every write of the cast, in turn,
    /// is the first one the full disk refuses.
    void kioskDiskFullInjected()
    {
        fullvfs::install();
        auto k = f.enrolKiosk(QStringLiteral("shinan-vfs"));
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        const SessionKey econ {QStringLiteral("econ"), false};
        QVERIFY(k->openSession(econ).ok());
        const QStringList creds = f.credentials(QStringLiteral("econ"));
        std::mt19937_64 rng(5);
        int refused = 0;
        for (int voter = 0; voter < 2; ++voter) { // a second voter: the log is not empty then
            QVERIFY(k->checkInCredential(creds.value(voter)).ok());
            const BallotAnswers ballot = f.ballot(QStringLiteral("econ"), rng);
            for (int at = 0;; ++at) {
                QVERIFY2(at < 1000, "the cast never went in");
                fullvfs::writes = 0;
                fullvfs::failAt = at;
                auto r = k->cast(ballot, {});
                fullvfs::failAt = -1;
                if (r)
                    break;
                ++refused;
                ++m_injected;
                QVERIFY2(r.error().code == QLatin1String("db-full"),
                         qPrintable(QStringLiteral("write %1: %2 %3").arg(at).arg(r.error().code, r.error().message)));
                QVERIFY(k->voterActive());
                QCOMPARE(k->session(econ)->counts.ballots, voter);
                QVERIFY(k->checkInvariants(econ).ok());
            }
            QCOMPARE(k->session(econ)->counts.ballots, voter + 1);
            QCOMPARE(code(k->cast(ballot, {})), QStringLiteral("no-voter"));
        }
        QVERIFY(k->checkInvariants(econ).ok());
        QVERIFY(k->verifyAuditLog().ok());
        k.reset();
        auto again = KioskService::open(f.stateDir(QStringLiteral("shinan-vfs")), f.clock);
        QVERIFY(again.ok());
        QCOMPARE((*again)->session(econ)->counts.ballots, 2);
        QVERIFY((*again)->checkInvariants(econ).ok());
        qInfo("kiosk disk full (VFS shim): %d casts refused, at each write in turn", refused);
    }

    void cleanupTestCase()
    {
        qInfo("faults tried: %d (injected %d, real file systems %d); retries writing a valid batch: %d%s",
              m_injected + m_real, m_injected, m_real, m_retries,
              m_canMount ? "" : " — real-file-system tests skipped: may not mount");
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "test_faults.moc"
