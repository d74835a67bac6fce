#pragma once
// "Safe to remove" means the kiosk unmounted the drive itself: whatever the kernel still
// caches for it is on the device, and nothing can write to it any more. DriveEjector is an
// interface so the staff console's tests can watch it and a kiosk without udisks2 or
// privileges can say why it could not.

#include "result.h"

#include <QString>

#include <optional>

namespace pingyi::kiosk {

/// A mount as /proc/self/mountinfo lists it.
struct MountEntry {
    QString id; ///< the kernel's mount id (unique while mounted)
    QString root; ///< where it is mounted
    QString device; ///< "/dev/sdb1", "tmpfs", "fat.img" …
    QString fsType; ///< "vfat", "fuse.fusefat", "tmpfs" …
};

/// The mount `path` lies on (the deepest, topmost one), if /proc can be read.
std::optional<MountEntry> mountContaining(const QString &path);
/// Programs holding a file or their working folder under `root` ("name (pid N)"), at most
/// `limit` of them.
QStringList programsUsing(const QString &root, int limit = 5);

struct Ejection {
    bool unmounted = false; ///< false: `dir` is a folder, not a drive's root (flushed only)
    QString method; ///< "udisksctl", "umount", "systemd-mount"; empty when not unmounted
};

class DriveEjector {
public:
    virtual ~DriveEjector() = default;
    /// Flushes the file system holding `dir` (syncfs) and, when `dir` is a mount's root,
    /// unmounts it. Errors: "eject-busy" (the message names the programs using the drive),
    /// "eject-failed" (what was tried and why it failed), "export-missing", "io-write".
    virtual Result<Ejection> eject(const QString &dir) = 0;
};

/// udisks2 (`udisksctl unmount`, which polkit allows the active local user) for a block
/// device, then umount(2) when privileged, else `systemd-mount --umount` (the counterpart
/// of packaging/pingyi-usb-mount). Success is checked in /proc: the mount must be gone.
class SystemDriveEjector final : public DriveEjector {
public:
    Result<Ejection> eject(const QString &dir) override;
};

} // namespace pingyi::kiosk
