#pragma once
// The demo's camera replay: a folder of synthetic camera frames showing the demo
// activity's own invitation cards (their QR codes) and synthetic resident ID cards with a
// demo representative's number, for `pingyi-kiosk --replay` in the demo, the screen tour and
// the UI tests. Synthetic people only; never part of a venue kiosk (it links
// pingyi_vision_synth, which pingyi-kiosk must not).

#include "demoprovisioning.h"
#include "result.h"

#include <QList>
#include <QString>

namespace pingyi::kiosk::demo {

/// A stretch of the replay: what is in front of the camera for `frames` frames.
struct ReplayScene {
    enum class Kind {
        Empty, ///< nobody there: the empty counter
        InvitationQr, ///< an invitation card with `text` as its QR code
        IdCard, ///< a resident ID card with the number `text`
    };
    Kind kind = Kind::Empty;
    QString text;
    int frames = 15;
};

/// Writes the scenes as numbered 640×480 JPEG frames into `dir` (created; files already there are
/// replaced). Different frames of one scene differ a little (position, angle, noise), as a
/// hand holding a card would.
Status writeReplay(const QString &dir, const QList<ReplayScene> &scenes, quint32 seed = 2025);

/// The demo's scenes for group session `session`: the invitation card of its first
/// representative, then the ID card of its second, with empty frames between; empty when
/// the session has fewer than two representatives here (or no ID numbers are known).
QList<ReplayScene> demoScenes(const QList<Voter> &voters, const QString &session);

} // namespace pingyi::kiosk::demo
