#pragma once
// Selecting representatives (选聘) by a verifiable draw from a candidate pool, quota cell by
// quota cell, with a rotation floor against last year's roster. Format and algorithm:
// docs/formats.md §Candidate pool and §Roster draw; the walk-through: docs/operator-guide.md.
//
// Verifiable: before the public value is known the office publishes the commitment to a
// secret (and the pool's digest); the seed is BLAKE2b of the secret and the public value, so
// neither the office (bound by its commitment) nor whoever fixes the public value can steer
// it. Anyone with the pool file, the activity spec, last year's roster, the revealed secret
// and the public value redoes the draw (`roster draw --verify`) and gets the same bytes.

#include "activity.h"
#include "crypto.h"
#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace pingyi::hq {

/// The draw's format and algorithm tag, in every report: a later algorithm gets a new tag.
inline constexpr char kDrawAlgorithm[] = "pingyi-draw/v1";

struct DrawInput {
    const Activity *activity = nullptr;
    QByteArray pool; ///< candidate pool CSV (docs/formats.md §Candidate pool)
    QString poolOrigin = QStringLiteral("pool.csv"); ///< file name for messages
    QByteArray previous; ///< last year's roster CSV (an id_number column); empty: no rotation check
    QString previousOrigin = QStringLiteral("previous.csv");
    QByteArray secret; ///< the committed secret (32 bytes)
    QString publicValue; ///< the public value fixed after the commitment (UTF-8 text as published)
};

struct DrawOutput {
    QByteArray roster; ///< roster CSV (docs/formats.md §Roster CSV), ready for `roster import`
    QByteArray list; ///< rep_id,category,venue,sessions,source,new: the draw's marks, no names or ID numbers
    QJsonObject report; ///< format pingyi-draw-report/v1: inputs' digests, seed, rotation, every cell
};

/// 32 random bytes for a new draw.
QByteArray newDrawSecret();
/// Hex BLAKE2b-256 of "pingyi/draw-commit/v1\0" + secret: what is published in advance.
QString drawCommitment(const QByteArray &secret);
/// Hex BLAKE2b-256 of a file's bytes, as reports and the operator quote digests.
QString digestHex(const QByteArray &bytes);

/// Draws a roster. Errors: "pool-invalid" (every problem of the pool with its line; values
/// never quoted), "csv-invalid" (syntax), "previous-invalid", "draw-input" (secret or public
/// value missing), "draw-refused" (every quota cell that cannot be filled, with what it needs
/// and what the pool has: too few candidates, or too few new ones for the rotation floor).
Result<DrawOutput> drawRoster(const DrawInput &input);

/// Redoes the draw a report describes from the given files and the secret and public value
/// the report reveals, and compares: the commitment, every input digest and the roster's and
/// list's digests. `roster` (optional) is the roster file as distributed. The result lists
/// each comparison ("ok" or what differs); error "draw-mismatch" when any differs.
Result<QJsonObject> verifyDraw(const QJsonObject &report, const DrawInput &files, const QByteArray &roster);

} // namespace pingyi::hq
