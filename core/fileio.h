#pragma once
// Durable file writes: nothing half-written is ever left under the final name.

#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace pingyi {

/// Writes `data` to `path` atomically: temp file in the same directory, fsync, rename,
/// fsync of the directory. Mode 0600 when `privateFile`. Errors: "io-write" with the
/// system's reason (disk full, read-only, removed drive) and what to do.
Status writeFileAtomic(const QString &path, QByteArrayView data, bool privateFile = false);

/// Overwrites a file's bytes with random data, syncs, then unlinks it: for a secret that
/// must not stay readable in the file system's free blocks (best effort; flash wear
/// levelling and backups are outside its reach, see docs/security.md). Error "io-write".
Status shredFile(const QString &path);

/// Reads a whole file, refusing files larger than `maxBytes`. Error "io-read".
Result<QByteArray> readFile(const QString &path, qint64 maxBytes = 512ll * 1024 * 1024);

} // namespace pingyi
