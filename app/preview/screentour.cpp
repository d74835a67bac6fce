#include "screentour.h"

#include "accessibility.h"
#include "cameradesk.h"
#include "cameraservice.h"
#include "checkindesk.h"
#include "kiosk.h"
#include "kioskservice.h"
#include "layoutcheck.h"
#include "pinyinengine.h"
#include "roster.h"
#include "staffconsole.h"
#include "voterflow.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

#include <cmath>
#include <cstdio>

namespace pingyi::ui {

namespace {

void note(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

/// The visible item called `name` in the visual tree under `item`.
QQuickItem *findVisible(QQuickItem *item, const QString &name)
{
    if (!item || !item->isVisible())
        return nullptr;
    if (item->objectName() == name)
        return item;
    for (QQuickItem *child : item->childItems())
        if (QQuickItem *found = findVisible(child, name))
            return found;
    return nullptr;
}

} // namespace

ScreenTour::ScreenTour(Setup setup, Messages &messages) : m_s(std::move(setup)), m_messages(messages) { }

void ScreenTour::settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool ScreenTour::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > timeoutMs)
            return false;
        settle(10);
    }
    return true;
}

bool ScreenTour::check(bool ok, const QString &what)
{
    if (!ok)
        m_failures << what;
    return ok;
}

void ScreenTour::apply()
{
    m_s.access->setEnglish(m_variant.english);
    m_s.access->setHighContrast(m_variant.contrast);
}

bool ScreenTour::capture(const QString &name, const QString &screenObject)
{
    apply();
    QQuickItem *root = m_s.window->contentItem();
    const bool shown = waitFor([&] {
        auto *item = findVisible(root, screenObject);
        return item && item->width() > 0;
    });
    if (!check(shown, QStringLiteral("%1/%2: %3 did not appear").arg(m_variant.dir, name, screenObject)))
        return false;
    ++m_shot;
    // Every screen at every text size: whole texts, none over another; then back to the
    // size the screen was shown at.
    const int level = m_s.access->textLevel();
    static const char *const suffixes[] = {"", "-large", "-extra-large"};
    bool ok = true;
    for (int l = 0; l < 3; ++l) {
        m_s.access->setTextLevel(l);
        // A page turn slides the page in; the layout is judged where it comes to rest.
        waitFor([&] { return !m_s.voter->settling(); }, 3000);
        settle(m_s.outDir.isEmpty() ? 15 : 280);
        ++m_screens;
        for (const TextFlaw &f : checkTextLayout(root))
            ok = check(
                false,
                QStringLiteral("%1/%2%3: %4").arg(m_variant.dir, name, QLatin1String(suffixes[l]), f.describe()));
        if (m_s.outDir.isEmpty())
            continue;
        const QImage image = m_s.window->grabWindow();
        const QString dir = QDir(m_s.outDir).filePath(m_variant.dir);
        QDir().mkpath(dir);
        const QString file = QDir(dir).filePath(
            QStringLiteral("%1-%2%3.png").arg(m_shot, 2, 10, QLatin1Char('0')).arg(name, QLatin1String(suffixes[l])));
        ok = check(!image.isNull() && image.save(file), QStringLiteral("cannot save %1").arg(file)) && ok;
    }
    m_s.access->setTextLevel(level);
    return ok;
}

void ScreenTour::cameraScreens(bool unplug)
{
    CameraDesk &camera = *m_s.camera;
    Kiosk &k = *m_s.kiosk;
    // The preview shows a picture (a few frames in), in QR mode.
    check(waitFor([&] { return camera.available() && camera.frameCounter() > 3; }, 10000),
          QStringLiteral("%1: the camera replay delivers frames (%2: %3)")
              .arg(m_variant.dir, camera.status(), camera.statusDetail()));
    capture(QStringLiteral("identify-camera"), QStringLiteral("cameraPreview"));
    camera.chooseMode(QStringLiteral("idcard"));
    // A card with a wrong check character: guidance, and never a number.
    const bool guided = waitFor([&] { return !camera.guidance().isEmpty(); }, 30000);
    check(guided, QStringLiteral("%1: the camera gives guidance on a card it cannot read").arg(m_variant.dir));
    if (guided)
        capture(QStringLiteral("identify-camera-guidance"), QStringLiteral("cameraGuidance"));
    check(camera.candidate().isEmpty(),
          QStringLiteral("%1: a number failing its check digit is offered for confirmation").arg(m_variant.dir));
    // The right card: tesseract needs a few frames that agree; the tour waits generously.
    check(showCard(QStringLiteral("card")), QStringLiteral("swap the replay's cards"));
    const bool read = waitFor([&] { return !camera.candidate().isEmpty(); }, 30000);
    check(read, QStringLiteral("%1: the camera reads the ID card of the replay").arg(m_variant.dir));
    if (read)
        capture(QStringLiteral("identify-camera-confirm"), QStringLiteral("idCheck"));
    camera.rejectCandidate();
    capture(QStringLiteral("identify-camera-idcard"), QStringLiteral("cameraPreview"));
    camera.chooseMode(QStringLiteral("qr")); // the replay holds no QR code: nothing more happens
    check(showCard(QStringLiteral("wrong")), QStringLiteral("swap the replay's cards back"));
    check(waitFor([&] { return camera.available(); }, 10000), QStringLiteral("the camera is back after the swap"));
    if (!unplug)
        return;

    // Pulled out: the identify screen offers the scanner and the keypad, and says why.
    const QString away = m_s.replayDir + QStringLiteral(".unplugged");
    check(QDir().rename(m_s.replayDir, away), QStringLiteral("unplug the replay camera"));
    check(waitFor([&] { return !camera.available(); }, 10000), QStringLiteral("the camera goes away"));
    capture(QStringLiteral("identify-camera-missing"), QStringLiteral("cameraTrouble"));
    k.backToWelcome();
    k.openStaffConsole();
    check(m_s.staff->login(m_s.enrolment.pins.staff), QStringLiteral("staff login for the camera status"));
    capture(QStringLiteral("staff-dashboard-camera-unplugged"), QStringLiteral("cameraStatus"));
    // Plugged back in: the dashboard says so without a restart.
    check(QDir().rename(away, m_s.replayDir), QStringLiteral("plug the replay camera back in"));
    check(waitFor([&] { return camera.available(); }, 10000), QStringLiteral("the camera comes back"));
    capture(QStringLiteral("staff-dashboard-camera-back"), QStringLiteral("cameraStatus"));
    m_s.staff->logout();
    k.startVoting();
}

void ScreenTour::seeFace(const face::Embedding &who, double yaw)
{
    vision::FaceSighting s;
    s.box = QRectF(220 + yaw * 40, 120, 200, 230);
    s.heightRatio = s.quality.heightRatio = 230.0 / 480;
    s.yaw = s.quality.yaw = yaw;
    s.quality.eyeDistance = 72;
    s.quality.brightness = 128;
    s.quality.sharpness = 160;
    s.usable = std::abs(yaw) < 0.45;
    s.embedding = vision::FaceEmbedding {who.values};
    Q_EMIT m_s.cameraService->faceSeen(s);
}

void ScreenTour::faceScreens(const QString &session)
{
    CameraDesk &camera = *m_s.camera;
    if (!check(m_s.cameraService && !m_s.faces.isEmpty() && camera.faceOffered(),
               QStringLiteral("%1: the face way is offered on the identify screen").arg(m_variant.dir)))
        return;
    capture(QStringLiteral("identify-face-offered"), QStringLiteral("identifyFace"));
    camera.chooseMode(QStringLiteral("face"));
    // The replay shows a card, not a face: the camera's advice says what to do.
    check(waitFor([&] { return !camera.guidance().isEmpty(); }, 10000),
          QStringLiteral("%1: the camera advises on the face").arg(m_variant.dir));
    capture(QStringLiteral("identify-face-look"), QStringLiteral("faceCheck"));

    // The session's last representative (the first votes in this pass).
    QString rep;
    for (const kiosk::demo::Voter &v : m_s.enrolment.voters)
        if (v.sessions.contains(session) && m_s.faces.contains(v.repId))
            rep = v.repId;
    if (!check(!rep.isEmpty(), QStringLiteral("%1: a representative of %2 with a face").arg(m_variant.dir, session)))
        return;
    const face::Embedding &who = m_s.faces[rep];
    const auto lookAndTurn = [&](double share) {
        for (int i = 0; i < 5; ++i)
            seeFace(who, 0.01);
        const double to = camera.faceTurn() == QLatin1String("left") ? 0.8 : -0.8;
        for (int i = 1; i <= 12 && camera.faceStage() == QLatin1String("turn") && i <= share * 8; ++i)
            seeFace(who, to * std::min(1.0, i / 8.0));
    };
    lookAndTurn(0.4);
    check(camera.faceStage() == QLatin1String("turn"), QStringLiteral("%1: the turn is asked").arg(m_variant.dir));
    capture(QStringLiteral("identify-face-turn"), QStringLiteral("faceArrow"));
    // The other way (or too late, if the captures took the challenge's time): refused.
    if (camera.faceStage() == QLatin1String("turn")) {
        const double back = camera.faceTurn() == QLatin1String("left") ? -0.8 : 0.8;
        for (int i = 0; i < 3 && camera.faceStage() == QLatin1String("turn"); ++i)
            seeFace(who, back);
    }
    check(waitFor([&] { return camera.faceStage() == QLatin1String("retry"); }, 12000),
          QStringLiteral("%1: a turn the other way is refused").arg(m_variant.dir));
    capture(QStringLiteral("identify-face-refused"), QStringLiteral("faceRefusal"));
    camera.retryFace();
    lookAndTurn(2);
    check(camera.faceStage() == QLatin1String("confirm"),
          QStringLiteral("%1: the face is recognised (%2)").arg(m_variant.dir, m_s.desk->errorCode()));
    capture(QStringLiteral("identify-face-confirm"), QStringLiteral("faceName"));
    camera.confirmFace(false);
    check(!m_s.service->voterActive(), QStringLiteral("%1: \"not me\" gives the check-in back").arg(m_variant.dir));
    capture(QStringLiteral("identify-face-not-me"), QStringLiteral("faceRefusal"));
    camera.chooseMode(camera.defaultMode());
}

bool ScreenTour::showCard(const QString &which)
{
    if (which == m_card)
        return true;
    // Moving the folder away and another in its place: the camera sees it unplugged and,
    // a second later, plugged in with the other card.
    if (!QDir().rename(m_s.replayDir, m_s.replayDir + QLatin1Char('.') + m_card))
        return false;
    if (!QDir().rename(m_s.replayDir + QLatin1Char('.') + which, m_s.replayDir))
        return false;
    m_card = which;
    return true;
}

const kiosk::demo::Voter *ScreenTour::voterFor(const QString &session) const
{
    for (const kiosk::demo::Voter &v : m_s.enrolment.voters)
        if (v.sessions.contains(session))
            return &v;
    return nullptr;
}

bool ScreenTour::pass(const Variant &variant, const QString &session, bool extras)
{
    m_variant = variant;
    m_shot = 0;
    Kiosk &k = *m_s.kiosk;
    StaffConsole &staff = *m_s.staff;
    VoterFlow &flow = *m_s.voter;
    const auto &pins = m_s.enrolment.pins;
    const kiosk::demo::Voter *voter = voterFor(session);
    if (!check(voter != nullptr, QStringLiteral("no representative of %1 at this venue").arg(session)))
        return false;

    capture(QStringLiteral("welcome-not-open"), QStringLiteral("screen.welcome"));
    k.openStaffConsole();
    capture(QStringLiteral("staff-pin"), QStringLiteral("screen.staffLogin"));
    staff.login(QStringLiteral("00000000"));
    capture(QStringLiteral("staff-pin-wrong"), QStringLiteral("pinError"));
    check(staff.login(pins.staff), QStringLiteral("staff login"));
    capture(QStringLiteral("staff-dashboard"), QStringLiteral("screen.staffDashboard"));
    staff.requestAction(QStringLiteral("open"), session, false);
    capture(QStringLiteral("staff-confirm-open"), QStringLiteral("actionConfirm"));
    check(staff.confirmAction(), QStringLiteral("open %1").arg(session));
    capture(QStringLiteral("staff-zero-report"), QStringLiteral("screen.staffReport"));
    staff.showDashboard();
    capture(QStringLiteral("staff-dashboard-open"), QStringLiteral("screen.staffDashboard"));
    if (extras) {
        staff.requestAction(QStringLiteral("pause"), session, false);
        check(staff.confirmAction(), QStringLiteral("pause %1").arg(session));
        capture(QStringLiteral("staff-dashboard-paused"), QStringLiteral("screen.staffDashboard"));
        staff.requestAction(QStringLiteral("resume"), session, false);
        check(staff.confirmAction(), QStringLiteral("resume %1").arg(session));
    }
    staff.logout();

    capture(QStringLiteral("welcome"), QStringLiteral("screen.welcome"));
    k.startVoting();
    capture(QStringLiteral("identify"), QStringLiteral("screen.identify"));
    cameraScreens(extras && !m_variant.english);
    faceScreens(session);
    // Typed on the keypad: the number goes on the field and is submitted from the screen, so
    // that its refusal shows beside the keypad as a tap on 确认 would.
    const auto typeAndConfirm = [this](const QString &number) {
        if (auto *screen = findVisible(m_s.window->contentItem(), QStringLiteral("screen.identify"))) {
            screen->setProperty("idNumber", number);
            QMetaObject::invokeMethod(screen, "submitId");
        }
    };
    if (auto *screen = findVisible(m_s.window->contentItem(), QStringLiteral("screen.identify")))
        screen->setProperty("idNumber", QStringLiteral("3702021955"));
    capture(QStringLiteral("identify-typing"), QStringLiteral("screen.identify"));
    // One digit wrong: the check character fails; all 18 stay, the check character is marked.
    const QString good = voter->idNumber;
    const QChar typo = good.at(3) == u'5' ? u'6' : u'5';
    typeAndConfirm(good.left(3) + typo + good.mid(4));
    capture(QStringLiteral("identify-typo"), QStringLiteral("idFlawNote"));
    // A representative of this venue invited to another group session: told where and when.
    for (const kiosk::demo::Voter &other : m_s.enrolment.voters)
        if (!other.sessions.contains(session) && !other.idNumber.isEmpty()) {
            typeAndConfirm(other.idNumber);
            capture(QStringLiteral("identify-other-group"), QStringLiteral("refusal"));
            break;
        }
    const QString first17 = QStringLiteral("11010119900307123");
    typeAndConfirm(first17 + idnumber::checkCharacter(first17));
    capture(QStringLiteral("identify-refused"), QStringLiteral("refusal"));
    k.askForHelp();
    capture(QStringLiteral("override-pin"), QStringLiteral("screen.staffLogin"));
    check(staff.login(pins.lead), QStringLiteral("lead login"));
    capture(QStringLiteral("override"), QStringLiteral("screen.override"));
    k.cancelOverride();
    capture(QStringLiteral("identify-again"), QStringLiteral("screen.identify"));

    check(m_s.desk->submitScan(voter->credential), QStringLiteral("check-in of %1").arg(voter->repId));
    capture(QStringLiteral("department-first"), QStringLiteral("screen.department"));
    // Every option of the scale at least once, so that the review shows every mark.
    const QStringList ratings {QStringLiteral("satisfied"),           QStringLiteral("satisfied"),
                               QStringLiteral("fairly-satisfied"),    QStringLiteral("satisfied"),
                               QStringLiteral("basically-satisfied"), QStringLiteral("satisfied"),
                               QStringLiteral("dissatisfied")};
    for (int i = 0; flow.stage() == VoterFlow::Stage::Department && i < 100; ++i) {
        flow.rate(ratings.at(i % ratings.size()));
        if (i == 2) {
            capture(QStringLiteral("department-chosen"), QStringLiteral("screen.department"));
        }
        flow.next();
    }
    bool shotSingle = false, shotMultiple = false, shotSurvey = false;
    for (int i = 0;
         (flow.stage() == VoterFlow::Stage::Question || flow.stage() == VoterFlow::Stage::Discipline) && i < 100; ++i) {
        const QuestionPage q = flow.question();
        const QList<ChoiceView> &choices = q.choices;
        const bool survey = flow.stage() == VoterFlow::Stage::Discipline;
        if (survey && !shotSurvey) {
            capture(QStringLiteral("discipline"), QStringLiteral("screen.discipline"));
            shotSurvey = true;
        } else if (survey && flow.index() == flow.count() - 1) {
            capture(QStringLiteral("discipline-last"), QStringLiteral("screen.discipline"));
        }
        if (q.multiple) {
            const int max = q.maxChoices;
            for (int c = 0; c < std::min<int>(max, int(choices.size())); ++c)
                flow.choose(choices.at(c).code);
            if (!shotMultiple) {
                capture(QStringLiteral("question-multiple"), QStringLiteral("screen.question"));
                shotMultiple = true;
            }
        } else {
            const ChoiceView choice = survey ? choices.last() : choices.first();
            if (!shotSingle && !survey) {
                capture(QStringLiteral("question-single"), QStringLiteral("screen.question"));
                shotSingle = true;
            }
            flow.choose(choice.code);
        }
        flow.next();
    }
    capture(QStringLiteral("suggestion-ask"), QStringLiteral("screen.suggestionAsk"));
    flow.setWantsSuggestion(true);
    flow.next();
    flow.chooseTopic(QStringLiteral("urban"));
    capture(QStringLiteral("suggestion-topic"), QStringLiteral("screen.suggestionTopic"));
    flow.next();
    const QString department = m_s.service->activity().session(session)->departments.value(1).code;
    flow.chooseSuggestionDepartment(department);
    capture(QStringLiteral("suggestion-department"), QStringLiteral("screen.suggestionDepartment"));
    flow.next();
    flow.setSuggestionText(QStringLiteral("希望进一步改善老旧小区周边的公共交通，增加社区公交线路。"));
    for (const QChar c : QStringLiteral("gongjiao"))
        m_s.pinyin->addLetter(QString(c));
    capture(QStringLiteral("suggestion-text"), QStringLiteral("screen.suggestionText"));
    m_s.pinyin->reset();
    flow.next();
    capture(QStringLiteral("review"), QStringLiteral("screen.review"));
    flow.next();
    capture(QStringLiteral("confirm"), QStringLiteral("screen.confirm"));
    flow.requestCancel();
    capture(QStringLiteral("cancel-confirm"), QStringLiteral("cancelConfirm"));
    flow.keepVoting();
    const VoterFlow::Timings timings = flow.timings();
    flow.setTimings({timings.settleMs, 0, timings.idleCountdownSeconds, timings.receiptSeconds});
    flow.noteActivity();
    capture(QStringLiteral("idle-warning"), QStringLiteral("idleWarning"));
    // "请工作人员协助": the countdown stops and the kiosk's staff-call banner flashes.
    flow.callForHelp();
    capture(QStringLiteral("idle-staff-called"), QStringLiteral("staffCallBanner"));
    flow.setTimings(timings);
    flow.stillHere();
    check(flow.cast(), QStringLiteral("cast in %1").arg(session));
    capture(QStringLiteral("receipt"), QStringLiteral("screen.receipt"));
    flow.finish();

    k.openStaffConsole();
    check(staff.login(pins.staff), QStringLiteral("staff login to close"));
    capture(QStringLiteral("staff-dashboard-counts"), QStringLiteral("screen.staffDashboard"));
    staff.requestAction(QStringLiteral("close"), session, false);
    capture(QStringLiteral("staff-confirm-close"), QStringLiteral("actionConfirm"));
    check(staff.confirmAction(), QStringLiteral("close %1").arg(session));
    capture(QStringLiteral("staff-closing-report"), QStringLiteral("screen.staffReport"));
    staff.startExport(session, false);
    capture(QStringLiteral("staff-export-choose"), QStringLiteral("drive_0"));
    staff.exportTo(m_s.usbDir);
    check(waitFor(
              [&] {
                  return staff.exportStage() == StaffConsole::ExportStage::Done
                      || staff.exportStage() == StaffConsole::ExportStage::Failed;
              },
              20000),
          QStringLiteral("export finishes"));
    check(staff.exportStage() == StaffConsole::ExportStage::Done,
          QStringLiteral("export to the pretend drive: %1 %2")
              .arg(staff.exportError().source, staff.exportError().message));
    capture(QStringLiteral("staff-export-done"), QStringLiteral("safeToRemove"));
    staff.startExport(session, false);
    staff.exportTo(QDir(m_s.usbDir).filePath(QStringLiteral("../REMOVED-USB")));
    capture(QStringLiteral("staff-export-error"), QStringLiteral("exportError"));
    staff.logout();
    // The public screen after closing: the next session is still to come, or all are over.
    capture(QStringLiteral("welcome-after-close"), QStringLiteral("screen.welcome"));

    if (extras) {
        // A rehearsal is marked on every screen.
        k.openStaffConsole();
        check(staff.login(pins.staff), QStringLiteral("staff login for rehearsal"));
        staff.requestAction(QStringLiteral("open"), session, true);
        check(staff.confirmAction(), QStringLiteral("open the rehearsal"));
        capture(QStringLiteral("rehearsal-zero-report"), QStringLiteral("screen.staffReport"));
        staff.logout();
        capture(QStringLiteral("rehearsal-welcome"), QStringLiteral("rehearsalBanner"));
        check(m_s.desk->submitScan(voter->credential), QStringLiteral("rehearsal check-in"));
        capture(QStringLiteral("rehearsal-department"), QStringLiteral("rehearsalBanner"));
        flow.confirmCancel();
        k.openStaffConsole();
        check(staff.login(pins.staff), QStringLiteral("staff login to close the rehearsal"));
        capture(QStringLiteral("rehearsal-dashboard"), QStringLiteral("screen.staffDashboard"));
        staff.requestAction(QStringLiteral("close"), session, true);
        check(staff.confirmAction(), QStringLiteral("close the rehearsal"));
        staff.logout();

        k.openStaffConsole();
        check(staff.login(pins.technician), QStringLiteral("technician login"));
        staff.showTechnician();
        capture(QStringLiteral("staff-technician"), QStringLiteral("screen.staffTechnician"));
        staff.logout();
    }
    return true;
}

int ScreenTour::run()
{
    QElapsedTimer t;
    t.start();
    // Let the first frame (and the start-up time) come through.
    waitFor([&] { return m_s.kiosk->startupMs() > 0; }, 5000);
    const QList<std::tuple<Variant, QString, bool>> passes {
        {{QStringLiteral("zh"), false, false}, QStringLiteral("econ"), true},
        {{QStringLiteral("en"), true, false}, QStringLiteral("service"), true},
        {{QStringLiteral("zh-contrast"), false, true}, QStringLiteral("enforcement"), false},
    };
    for (const auto &[variant, session, extras] : passes) {
        if (!pass(variant, session, extras))
            break;
        for (const QString &m : m_messages.take())
            m_failures << QStringLiteral("%1: QML says: %2").arg(variant.dir, m);
    }
    m_s.access->reset();
    if (!m_failures.isEmpty()) {
        for (const QString &f : m_failures)
            std::fprintf(stderr, "pingyi-kiosk-preview: self-test: %s\n", qPrintable(f));
        std::fprintf(stderr, "pingyi-kiosk-preview: self-test FAILED (%lld problems)\n", qlonglong(m_failures.size()));
        return 1;
    }
    if (!m_s.outDir.isEmpty())
        note(QStringLiteral("pingyi-kiosk-preview: %1 screenshots of every screen are in %2 (zh, en, zh-contrast)")
                 .arg(m_screens)
                 .arg(QDir(m_s.outDir).absolutePath()));
    note(QStringLiteral("pingyi-kiosk-preview: self-test passed: %1 screens in %2 s, no QML warnings")
             .arg(m_screens)
             .arg(double(t.elapsed()) / 1000.0, 0, 'f', 1));
    return 0;
}

} // namespace pingyi::ui
