#pragma once
// The "reboot" after a power cut: reads the journal plshim.c left in the side folder and
// puts the watched files in a state a disk could hold after losing power at that moment.
// Everything made durable (fsync of the file, fsync of the folder for names, sync/syncfs)
// stays; of the rest, a disk may have written any part, so the replay keeps none of it or
// a random subset: each 512-byte sector of each unsynced write independently (torn writes
// included), each unsynced size change, and per folder a random prefix of the unsynced
// name changes (creations, renames, unlinks: file systems journal names in order).

#include <cstdint>
#include <string>

namespace pingyi::powerloss {

enum class Loss {
    DropAll, ///< nothing unsynced reached the disk
    Subset, ///< a random subset of the unsynced sectors and names reached it
};

struct ReplayStats {
    int events = 0; ///< operations journalled (writes, truncations, names, syncs)
    int unsyncedWrites = 0; ///< writes and truncations not durable at the cut
    int unfinished = 0; ///< operations the cut interrupted (undone, never redone)
    std::int64_t bytesDropped = 0; ///< unsynced bytes the replay threw away
    std::int64_t bytesKept = 0; ///< unsynced bytes it let reach the "disk" (Subset)
    int namesUndone = 0; ///< unsynced creations, renames and unlinks undone
    int namesKept = 0; ///< unsynced ones kept (Subset)
    bool tornTail = false; ///< the kill cut the journal's last record short (dropped)
};

struct ReplayResult {
    bool ok = false;
    std::string error; ///< what went wrong, when !ok
    ReplayStats stats;
};

/// Applies the power cut to the files on disk, then empties the side folder (the state
/// after the reboot is all durable). `seed` drives the Subset choices.
ReplayResult replayPowerCut(const std::string &sideDir, Loss loss, std::uint64_t seed);

/// Empties the side folder without replaying (after a clean exit, say).
void clearSide(const std::string &sideDir);

} // namespace pingyi::powerloss
