#include "demoreplay.h"

namespace pingyi::kiosk::demo {

QList<ReplayScene> demoScenes(const QList<Voter> &voters, const QString &session)
{
    const Voter *byQr = nullptr;
    const Voter *byCard = nullptr;
    for (const Voter &v : voters) {
        if (!v.sessions.contains(session))
            continue;
        if (!byQr)
            byQr = &v;
        else if (!byCard && !v.idNumber.isEmpty())
            byCard = &v;
    }
    if (!byQr || !byCard)
        return {};
    using K = ReplayScene::Kind;
    // About 15 frames a second: a few seconds of each card, and the empty counter between.
    return {{K::Empty, {}, 20},
            {K::InvitationQr, byQr->credential, 60},
            {K::Empty, {}, 20},
            {K::IdCard, byCard->idNumber, 90}};
}

} // namespace pingyi::kiosk::demo
