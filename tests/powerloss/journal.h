/* The undo/redo journal shared by the power-loss shim (plshim.c, C) and the replayer
 * (replay.cpp, C++). One record per file-system operation on a watched file or folder,
 * appended before the operation runs (or, for creations, right after), so a process
 * killed at any instant leaves a journal that describes everything it changed. */
#ifndef PINGYI_POWERLOSS_JOURNAL_H
#define PINGYI_POWERLOSS_JOURNAL_H

#include <stdint.h>

#define PL_MAGIC 0x504c4a31u /* "PLJ1" */

enum PlType {
    /* Data, per inode. Payload: old bytes (the part of the range inside the old size), then
     * the new bytes. Durable once a later PL_FSYNC of the inode or PL_SYNCALL is logged, or
     * at once when its PL_DONE says the descriptor was O_SYNC/O_DSYNC. */
    PL_WRITE = 1,
    /* Size change, per inode. Payload: the bytes cut off (old size > new size). */
    PL_TRUNC = 2,
    /* fsync/fdatasync of a watched file returned 0. */
    PL_FSYNC = 3,
    /* fsync of a watched folder returned 0: its names (creations, renames, unlinks) are
     * durable. Payload: the folder's absolute path. */
    PL_DIRSYNC = 4,
    /* sync()/syncfs() returned 0: everything is durable. */
    PL_SYNCALL = 5,
    /* A new file `ino` (logged right after the creation). Payload: its absolute path. */
    PL_CREATE = 6,
    /* rename: payload "src\0dst" (absolute paths); `ino` moved, `other` (0 if none) is the
     * inode dst named before. */
    PL_RENAME = 7,
    /* unlink: payload the absolute path; `ino` is the inode it named. */
    PL_UNLINK = 8,
    /* The operation `seq` returned; `len` is its result (bytes written), `flags` 1 if the
     * descriptor was synchronous. An operation with no PL_DONE may or may not have happened:
     * the replay undoes it and never redoes it. */
    PL_DONE = 9,
};

/* Fixed header; `payload` bytes follow. Names are absolute paths: the watched folders never
 * move while a run is journalled. */
struct PlRecord {
    uint32_t magic;
    uint32_t type;
    uint64_t seq;
    uint64_t dev;
    uint64_t ino;
    uint64_t other; /* PL_RENAME: the replaced inode; PL_DONE: the operation's seq */
    int64_t off; /* PL_WRITE: offset */
    int64_t oldSize; /* PL_WRITE, PL_TRUNC: size before */
    int64_t len; /* PL_WRITE: bytes written; PL_TRUNC: new size; PL_DONE: result */
    uint32_t oldLen; /* PL_WRITE, PL_TRUNC: old bytes in the payload */
    uint32_t flags;
    uint32_t payload; /* total payload bytes */
    uint32_t reserved;
};

/* Hard links to every inode the journal names live in the side folder under this name,
 * so the replay can reach files that were since unlinked or renamed over. */
#define PL_LINK_FMT "i-%llu-%llu"

#endif
