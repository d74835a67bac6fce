#pragma once
// Durable file writes: nothing half-written is ever left under the final name.

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace pingyi {

/// Writes `data` to `path` atomically: temp file in the same directory, fsync, rename,
/// fsync of the directory. Mode 0600 when `privateFile`. Errors: "io-write" with the
/// system's reason (disk full, read-only, removed drive) and what to do.
Status writeFileAtomic(const QString &path, QByteArrayView data, bool privateFile = false);

/// Flushes the whole file system holding `path` (a file or folder on it; syncfs(2)): what a
/// drive's file system still caches beyond one file's fsync (FAT tables, directory blocks)
/// reaches the device before anyone is told to pull it. Error "io-write".
Status syncFileSystem(const QString &path);

/// The steps of writeFileAtomic (in order), of a read (readFile, readInputFile) and of
/// syncFileSystem, as the fault seam below names them.
enum class FileStep { Create, Write, Sync, Close, Rename, SyncDir, Read, SyncFs };

/// Test seam for disk and USB faults (tests/kiosk/test_faults.cpp). When set, it is asked
/// before each step with the file and, for Write, the offset of the chunk (writes go in
/// 4 KiB chunks then, so a fault can land mid-file). It returns 0 to let the step run or an
/// errno to fail it as the system would; it may also act on the real file system first
/// (fill the drive, remount it read-only, pull it). An empty function removes it.
using FileFaultHook = std::function<int(FileStep step, const QString &path, qint64 offset)>;
void setFileFaultHook(FileFaultHook hook);

/// Overwrites a file's bytes with random data, syncs, then unlinks it: for a secret that
/// must not stay readable in the file system's free blocks (best effort; flash wear
/// levelling and backups are outside its reach, see docs/security.md). Error "io-write".
Status shredFile(const QString &path);

/// What a file handed to Pingyi is meant to be; each kind has its own size cap
/// (docs/formats.md §Input files).
enum class InputKind {
    Batch, ///< *.pybatch from a kiosk's USB drive
    ActivitySpec, ///< activity.json
    Roster, ///< roster CSV
    VenuePackage, ///< *.pypkg
    Certificate, ///< a kiosk certificate
    EnrolmentRequest, ///< a kiosk's enrolment request
    PublicKey, ///< root.pub, election.pub
    KeyFile, ///< passphrase-protected key files, trustees' shares among them
    Reports, ///< scanned closing-report codes, one a line
    Passphrase, ///< --passphrase-file, --pin-file: a pipe is accepted too
};

/// The size cap of a kind, in bytes.
qint64 inputCap(InputKind kind);
/// "batch", "activity spec", …: how messages name the kind.
QString inputKindName(InputKind kind);

/// Reads a file a person handed over (an argument, a file on a USB drive). Links are
/// followed; then anything that is not a regular file — a named pipe, a device such as
/// /dev/zero, a folder, a socket — is refused with a message naming the file, what it is
/// and where a link points, and so is a file over the kind's cap, before anything is read
/// (the read stops at the cap even if the file grows meanwhile). Nothing ever waits on a
/// pipe that has no writer. Error "io-read".
Result<QByteArray> readInputFile(const QString &path, InputKind kind);

/// The same checks for files Pingyi itself keeps (state and HQ directories), with a
/// caller-given cap. Qt resource paths (":/…") are read as they are. Error "io-read".
Result<QByteArray> readFile(const QString &path, qint64 maxBytes = 512ll * 1024 * 1024);

} // namespace pingyi
