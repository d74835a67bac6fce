#include "demoreplay.h"

#include "synth.h"

#include <QDir>
#include <QImage>

#include <random>

namespace pingyi::kiosk::demo {

namespace {

Error writeError(const QString &message)
{
    return makeError(QStringLiteral("demo-replay"), message);
}

double uniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

} // namespace

Status writeReplay(const QString &dir, const QList<ReplayScene> &scenes, quint32 seed)
{
    namespace synth = vision::synth;
    QDir out(dir);
    if (!out.mkpath(QStringLiteral(".")))
        return writeError(
            QStringLiteral("cannot create the replay folder %1: check that its parent is writable").arg(dir));
    // An older replay's frames would play on after the new ones.
    for (const QString &name :
         out.entryList({QStringLiteral("frame-*.png"), QStringLiteral("frame-*.jpg")}, QDir::Files))
        out.remove(name);

    const cv::Mat table = synth::emptyTable(seed);
    std::mt19937_64 rng(seed);
    int count = 0;
    const auto write = [&](const cv::Mat &frame) -> Status {
        // JPEG, as a camera's MJPEG stream: a fifth of a noisy PNG's size and time.
        const QString path = out.filePath(QStringLiteral("frame-%1.jpg").arg(++count, 5, 10, QLatin1Char('0')));
        if (!synth::toQImage(frame).save(path, "JPEG", 92))
            return writeError(
                QStringLiteral("cannot write %1: check the free space and the folder's permissions").arg(path));
        return {};
    };
    for (const ReplayScene &scene : scenes) {
        if (scene.kind == ReplayScene::Kind::Empty) {
            for (int i = 0; i < scene.frames; ++i)
                if (auto s = write(table); !s)
                    return s;
            continue;
        }
        QImage card;
        double scale = 0.85;
        if (scene.kind == ReplayScene::Kind::InvitationQr) {
            card = synth::renderInvitationCard(scene.text);
        } else {
            if (scene.text.size() != 18)
                return writeError(QStringLiteral("an ID card needs an 18-character number, not %1 characters")
                                      .arg(scene.text.size()));
            card = synth::renderIdCard(synth::randomFace(scene.text, rng));
            scale = 0.88; // the number line must be large enough to read
        }
        if (card.isNull())
            return writeError(QStringLiteral("cannot draw the card for a replay scene (is the QR text too long?)"));
        // Held by a hand: a little tremor, nearly flat, in focus.
        for (int i = 0; i < scene.frames; ++i) {
            synth::Distortion d;
            d.scale = scale;
            d.offset = QPointF(uniform(rng, -4, 4), uniform(rng, -4, 4));
            d.rotation = uniform(rng, -1.5, 1.5);
            d.perspective = 0.03;
            d.blur = 0.4;
            d.noise = 2.0;
            if (auto s = write(synth::placeInFrame(card, d, seed + quint64(count), table)); !s)
                return s;
        }
    }
    return {};
}

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
