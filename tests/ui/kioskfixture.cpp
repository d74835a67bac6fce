#include "kioskfixture.h"

#include "cameraservice.h"
#include "demoreplay.h"

#include <QDir>
#include <QFile>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QTimeZone>

namespace pingyi::uitest {

KioskFixture::KioskFixture(QObject *parent) : QObject(parent) { }

KioskFixture::~KioskFixture()
{
    teardown();
}

void KioskFixture::componentComplete()
{
    reset();
}

void KioskFixture::teardown()
{
    // In the order the application's composition root would destroy them.
    m_kiosk.reset();
    m_pinyin.reset();
    m_staff.reset();
    m_voter.reset();
    m_camera.reset();
    if (m_cameraService)
        m_cameraService->stop();
    m_cameraService.reset();
    m_desk.reset();
    m_access.reset();
    m_k.reset();
    m_replay.reset();
}

bool KioskFixture::begin(bool provisioned)
{
    teardown();
    m_error.clear();
    m_k = provisioned ? makeKiosk(&m_error) : makeUnprovisionedKiosk(&m_error);
    if (!m_k)
        Q_EMIT resetDone();
    return bool(m_k);
}

bool KioskFixture::reset(int settleMs, int idleWarnSeconds, int countdownSeconds)
{
    if (!begin(true))
        return false;
    build(settleMs, idleWarnSeconds, countdownSeconds);
    return true;
}

bool KioskFixture::resetUnprovisioned()
{
    if (!begin(false))
        return false;
    build(10, 3600, 30);
    return true;
}

bool KioskFixture::resetWithCamera(const QVariantList &scenes, bool plugged)
{
    if (!begin(true))
        return false;
    // The frames are written once, to staged/; the camera looks at frames/.
    m_replay = std::make_unique<QTemporaryDir>();
    QList<kiosk::demo::ReplayScene> list;
    using Kind = kiosk::demo::ReplayScene::Kind;
    for (const QVariant &v : scenes) {
        const QVariantMap m = v.toMap();
        const int frames = m.value(QStringLiteral("frames"), 30).toInt();
        if (m.contains(QStringLiteral("qr")))
            list.append({Kind::InvitationQr, m.value(QStringLiteral("qr")).toString(), frames});
        else if (m.contains(QStringLiteral("idcard")))
            list.append({Kind::IdCard, m.value(QStringLiteral("idcard")).toString(), frames});
        else
            list.append({Kind::Empty, {}, m.value(QStringLiteral("empty"), 10).toInt()});
    }
    if (auto s = kiosk::demo::writeReplay(m_replay->filePath(QStringLiteral("staged")), list); !s) {
        m_error = QStringLiteral("cannot write the camera replay: %1").arg(s.error().toString());
        Q_EMIT resetDone();
        return false;
    }
    if (plugged && !plugCamera()) {
        m_error = QStringLiteral("cannot plug the replay camera in");
        Q_EMIT resetDone();
        return false;
    }
    build(10, 3600, 30, vision::replayFactory(m_replay->filePath(QStringLiteral("frames")), 15.0, true));
    return true;
}

bool KioskFixture::resetWithMissingCamera()
{
    if (!begin(true))
        return false;
    build(10, 3600, 30, vision::cameraFactory(m_k->dir.filePath(QStringLiteral("no-such-camera"))));
    return true;
}

bool KioskFixture::plugCamera()
{
    return m_replay
        && QDir().rename(m_replay->filePath(QStringLiteral("staged")), m_replay->filePath(QStringLiteral("frames")));
}

bool KioskFixture::unplugCamera()
{
    return m_replay
        && QDir().rename(m_replay->filePath(QStringLiteral("frames")), m_replay->filePath(QStringLiteral("staged")));
}

void KioskFixture::build(int settleMs, int idleWarnSeconds, int countdownSeconds, vision::FrameSourceFactory camera)
{
    kiosk::KioskService &service = *m_k->service;
    m_access = std::make_unique<ui::Accessibility>(qmlEngine(this), ui::Accessibility::Speech::Record);
    m_desk = std::make_unique<ui::CheckInDesk>(service);
    if (camera) {
        m_cameraService = std::make_unique<vision::CameraService>(std::move(camera));
        // Plugging the camera back in shows within a fraction of a second, not a second.
        m_cameraService->setRetryInterval(std::chrono::milliseconds(200));
    }
    m_camera = std::make_unique<ui::CameraDesk>(*m_desk, m_cameraService.get());
    if (QQmlEngine *engine = qmlEngine(this)) {
        // The previous kiosk's provider goes with it (the engine shares it with loads in flight).
        engine->removeImageProvider(QStringLiteral("camera"));
        engine->addImageProvider(QStringLiteral("camera"), m_camera->makeImageProvider());
    }
    if (m_cameraService)
        m_cameraService->start();
    m_voter = std::make_unique<ui::VoterFlow>(
        service, ui::VoterFlow::Timings {settleMs, idleWarnSeconds, countdownSeconds, 3600});
    m_staff = std::make_unique<ui::StaffConsole>(service, m_k->clock, m_k->stateDir(), QStringList {m_k->usbDir});
    // The venue's zone, whatever the test machine's: reports must show 17:00 for 09:00 UTC.
    m_staff->setTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
    m_pinyin = std::make_unique<ui::PinyinEngine>(ui::PinyinEngine::defaultDictionary());
    m_kiosk = std::make_unique<ui::Kiosk>(service, m_access.get(), m_desk.get(), m_camera.get(), m_voter.get(),
                                          m_staff.get(), m_pinyin.get(), ui::Kiosk::Options {true, 50, 60, false});
    for (QObject *o : std::initializer_list<QObject *> {m_access.get(), m_desk.get(), m_camera.get(), m_voter.get(),
                                                        m_staff.get(), m_pinyin.get(), m_kiosk.get()})
        QQmlEngine::setObjectOwnership(o, QQmlEngine::CppOwnership);
    Q_EMIT resetDone();
}

bool KioskFixture::openSession(const QString &code, bool rehearsal)
{
    const bool ok = m_k && m_k->open(code, rehearsal);
    if (m_kiosk)
        m_kiosk->refresh();
    return ok;
}

bool KioskFixture::closeSession(const QString &code, bool rehearsal)
{
    if (!m_k)
        return false;
    const kiosk::SessionKey key {code, rehearsal};
    const auto s = m_k->service->session(key);
    if (s && s->state == kiosk::SessionState::Ready && !m_k->open(code, rehearsal))
        return false;
    if (!m_k->service->login(m_k->enrolment.pins.staff))
        return false;
    const bool ok = m_k->service->closeSession(key).ok();
    m_k->service->logout();
    m_staff->refresh();
    m_kiosk->refresh();
    return ok;
}

QString KioskFixture::credential(const QString &session, int n) const
{
    const kiosk::demo::Voter *v = m_k ? m_k->voter(session, n) : nullptr;
    return v ? v->credential : QString();
}

QString KioskFixture::idNumber(const QString &session, int n) const
{
    const kiosk::demo::Voter *v = m_k ? m_k->voter(session, n) : nullptr;
    return v ? v->idNumber : QString();
}

QString KioskFixture::unknownIdNumber() const
{
    return uitest::unknownIdNumber();
}

QVariantMap KioskFixture::counts(const QString &code, bool rehearsal) const
{
    const auto s = m_k ? m_k->service->session({code, rehearsal}) : std::nullopt;
    if (!s)
        return {};
    return {{QStringLiteral("checkins"), s->counts.checkins},
            {QStringLiteral("ballots"), s->counts.ballots},
            {QStringLiteral("released"), s->counts.released},
            {QStringLiteral("suggestions"), s->counts.suggestions}};
}

QVariantMap KioskFixture::castBallots(const QString &code, bool rehearsal) const
{
    if (!m_k)
        return {{QStringLiteral("error"), QStringLiteral("no kiosk")}};
    auto ballots = uitest::castBallots(*m_k, code, rehearsal);
    if (!ballots)
        return {{QStringLiteral("error"), ballots.error().toString()}};
    const auto answers = [](const QMap<QString, QStringList> &m) {
        QVariantMap out;
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            out.insert(it.key(), it.value());
        return out;
    };
    QVariantList list;
    for (const BallotAnswers &b : *ballots) {
        QVariantMap ratings;
        for (auto it = b.ratings.cbegin(); it != b.ratings.cend(); ++it)
            ratings.insert(it.key(), it.value());
        list.append(QVariantMap {{QStringLiteral("session"), b.session},
                                 {QStringLiteral("ratings"), ratings},
                                 {QStringLiteral("questionnaire"), answers(b.questionnaire)},
                                 {QStringLiteral("discipline"), answers(b.discipline)}});
    }
    return {{QStringLiteral("error"), QString()}, {QStringLiteral("ballots"), list}};
}

int KioskFixture::chimes() const
{
    return m_kiosk ? m_kiosk->chime().rings() : 0;
}

QVariantMap KioskFixture::lastAudit(const QString &event) const
{
    if (!m_k)
        return {};
    auto log = m_k->service->auditLog();
    if (!log)
        return {};
    for (auto it = log->crbegin(); it != log->crend(); ++it)
        if (it->body.value(QStringLiteral("event")).toString() == event)
            return it->body.toVariantMap();
    return {};
}

void KioskFixture::advanceClock(int seconds)
{
    if (m_k)
        m_k->clock.advance(seconds);
}

bool KioskFixture::removeUsb()
{
    return m_k && QDir(m_k->usbDir).removeRecursively();
}

bool KioskFixture::fileExists(const QString &path) const
{
    return QFile::exists(path);
}

} // namespace pingyi::uitest
