#pragma once
// Passphrases for the command-line tools (pingyi-hq, pingyi-sim, `pingyi-kiosk setup`,
// the kiosk preview): from a file, the environment or the terminal. Kept out of the core,
// which takes a passphrase as bytes and never reads a terminal or the environment.

#include "crypto.h"
#include "result.h"

#include <QString>

namespace pingyi::cli {

/// Where a command gets its passphrase from, in order: the file given, the environment
/// variable PINGYI_PASSPHRASE (unless `fromEnvironment` is false: a trustee's share must
/// never get the office's passphrase that way), or a prompt on the terminal (no echo).
/// `confirm` asks twice. Error code: "passphrase".
Result<crypto::SecretBytes> obtainPassphrase(const QString &passphraseFile, const QString &prompt, bool confirm,
                                             bool fromEnvironment = true);

} // namespace pingyi::cli
