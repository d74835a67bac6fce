#include "facedemo.h"

#include "cameradesk.h"
#include "checkindesk.h"
#include "clock.h"
#include "demoprovisioning.h"
#include "faceevidence.h"
#include "facemodels.h"
#include "fileio.h"
#include "hq.h"
#include "kiosk.h"
#include "kioskservice.h"
#include "kioskwindow.h"
#include "scriptedperson.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQuickWindow>
#include <QTemporaryDir>

#include <cstdio>
#include <functional>

namespace pingyi::ui {

namespace {

void say(const QString &line)
{
    std::printf("pingyi-kiosk-preview: face demo: %s\n", qPrintable(line));
    std::fflush(stdout);
}

int cannot(const QString &why, int code = 1)
{
    std::fprintf(stderr, "pingyi-kiosk-preview: face demo: %s\n", qPrintable(why));
    return code;
}

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

/// The office's side: the first representative of `session` at `venue` enrolled from the
/// demo's photo (through the real enroller). Returns that representative's masked name.
Result<QString> enrolDemoFace(const QString &officeDir, const crypto::SecretBytes &passphrase, const QString &venue,
                              const QString &session, const QString &rosterCsv, const cv::Mat &photo)
{
    auto models = vision::findFaceModels();
    if (!models)
        return models.error();
    vision::FaceEnroller enroller(*models);
    if (!enroller.ready())
        return makeError(QStringLiteral("face-models-missing"), enroller.why());
    auto face = enroller.enrol(photo);
    if (!face)
        return face.error();
    QString name;
    auto enrolled
        = enrolFaces(officeDir, passphrase, venue, rosterCsv, [&](const hq::Card &c) -> std::optional<face::Embedding> {
              if (!name.isEmpty() || !c.sessions.contains(session))
                  return std::nullopt;
              name = c.maskedName;
              return *face;
          });
    if (!enrolled)
        return enrolled.error();
    if (name.isEmpty())
        return makeError(QStringLiteral("face-demo"), QStringLiteral("nobody of %1 at %2").arg(session, venue));
    return name;
}

} // namespace

Result<QMap<QString, face::Embedding>>
enrolFaces(const QString &officeDir, const crypto::SecretBytes &passphrase, const QString &venue,
           const QString &rosterCsv, const std::function<std::optional<face::Embedding>(const hq::Card &)> &faceOf)
{
    auto hq = hq::Hq::open(officeDir);
    if (!hq)
        return hq.error();
    auto secrets = hq->unlock(passphrase);
    if (!secrets)
        return secrets.error();
    auto cards = hq->cards(*secrets, venue);
    if (!cards)
        return cards.error();
    auto csv = readFile(rosterCsv);
    if (!csv)
        return csv.error();
    QMap<QString, face::Embedding> faces;
    QMap<QString, QByteArray> templates;
    for (const hq::Card &c : *cards)
        if (const std::optional<face::Embedding> e = faceOf(c)) {
            faces.insert(c.repId, *e);
            templates.insert(c.repId, face::encodeTemplate(*e));
        }
    if (auto r = hq->importRoster(*csv, QStringLiteral("roster with faces"), *secrets, templates); !r)
        return r.error();
    return faces;
}

int runFaceDemo(const FaceDemoOptions &o)
{
    using kiosk::demo::ScriptedPerson;
    auto cast = kiosk::demo::demoFaces();
    if (!cast)
        return cannot(cast.error().toString(), 2);
    if (auto models = vision::findFaceModels(); !models)
        return cannot(models.error().toString(), 2);

    // ---- the office: activity, roster, one representative's face -------------------------
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return cannot(QStringLiteral("cannot create a temporary directory"));
    const QString office = scratch.filePath(QStringLiteral("office"));
    const QString roster = scratch.filePath(QStringLiteral("roster.csv"));
    const QString venue = QStringLiteral("shinan");
    const crypto::SecretBytes passphrase = crypto::SecretBytes::copyOf("face demo");
    auto spec = readFile(QStringLiteral(":/demo/activity.json"));
    if (!spec)
        return cannot(spec.error().toString());
    if (auto s = kiosk::demo::makeScratchOffice(office, *spec, passphrase, roster); !s)
        return cannot(QStringLiteral("cannot make the demo office: %1").arg(s.error().toString()));
    auto activity = Activity::fromJson(*spec, QStringLiteral("activity.json"));
    if (!activity || activity->sessions.isEmpty())
        return cannot(QStringLiteral("the demo activity has no group session"));
    const QString session = activity->sessions.constFirst().code;
    auto enrolledName = enrolDemoFace(office, passphrase, venue, session, roster, cast->enrolment);
    if (!enrolledName)
        return cannot(QStringLiteral("cannot enrol the demo face: %1").arg(enrolledName.error().toString()));

    // ---- the kiosk: enrolled, the session open ---------------------------------------------
    const QString stateDir = scratch.filePath(QStringLiteral("kiosk"));
    SystemClock clock;
    auto opened = kiosk::KioskService::open(stateDir, clock);
    if (!opened)
        return cannot(opened.error().toString());
    kiosk::KioskService &service = **opened;
    auto enrolment = kiosk::demo::enrolWithOffice(service, office, passphrase, venue, roster);
    if (!enrolment)
        return cannot(QStringLiteral("demo enrolment failed: %1").arg(enrolment.error().toString()));
    if (!o.interactive) {
        if (auto s = service.login(enrolment->pins.staff); !s)
            return cannot(s.error().toString());
        if (auto s = service.openSession({session, false}); !s)
            return cannot(s.error().toString());
        service.logout();
    }

    // ---- the window, its camera the scripted person ------------------------------------------
    ScriptedPerson person(*cast, 15.0);
    person.setCycle(o.interactive);
    KioskWindow::Options options;
    options.windowed = true;
    options.screenSize = o.screenSize;
    options.speech = o.interactive;
    options.sound = o.interactive;
    options.name = QStringLiteral("pingyi-kiosk-preview");
    options.camera = person.factory();
    QElapsedTimer startup;
    startup.start();
    KioskWindow window(service, clock, stateDir, options);
    if (auto s = window.load(startup); !s)
        return cannot(s.error().toString());
    CameraDesk &camera = window.camera();
    // The person in front of the camera does what the screen asks.
    QObject::connect(&camera, &CameraDesk::faceChanged, &camera, [&] { person.follow(camera.faceTurn()); });

    if (o.interactive) {
        say(QStringLiteral("staff PIN %1 (open session %2 on the staff console), venue lead PIN %3")
                .arg(enrolment->pins.staff, session, enrolment->pins.lead));
        say(QStringLiteral("the camera shows %1 (enrolled as %2), then an impostor, then a printed photo; tap "
                           "开始评议 then 刷脸签到")
                .arg(cast->person, *enrolledName));
        return QCoreApplication::exec();
    }

    if (!waitUntil([&] { return window.kiosk().startupMs() > 0; }, 30000))
        return cannot(QStringLiteral("the kiosk's first screen did not appear"));
    window.kiosk().startVoting();
    if (!waitUntil([&] { return camera.faceOffered(); }, 20000))
        return cannot(QStringLiteral("the identify screen does not offer the face (camera %1: %2)")
                          .arg(camera.status(), camera.statusDetail()));

    struct Try {
        ScriptedPerson::Actor actor;
        const char *who;
        const char *file;
    };
    int shot = 0;
    bool allAsExpected = true;
    for (const Try &t : {Try {ScriptedPerson::Actor::Representative, "the enrolled representative", "representative"},
                         Try {ScriptedPerson::Actor::Impostor, "an impostor (not enrolled)", "impostor"},
                         Try {ScriptedPerson::Actor::Photo, "a printed photo of the representative", "photo"}}) {
        person.setActor(t.actor);
        if (camera.faceStage() == QLatin1String("retry"))
            camera.retryFace();
        else
            camera.chooseMode(QStringLiteral("face"));
        QString asked;
        const bool ended = waitUntil(
            [&] {
                if (!camera.faceTurn().isEmpty())
                    asked = camera.faceTurn();
                return camera.faceStage() == QLatin1String("confirm") || camera.faceStage() == QLatin1String("retry");
            },
            30000);
        const QString outcome = !ended ? QStringLiteral("no outcome in 30 s")
            : camera.faceStage() == QLatin1String("confirm")
            ? QStringLiteral("recognised as %1").arg(camera.faceName())
            : QStringLiteral("refused: %1").arg(window.desk().errorCode());
        say(QStringLiteral("%1, asked to turn %2: %3")
                .arg(QLatin1String(t.who), asked.isEmpty() ? QStringLiteral("(never asked)") : asked, outcome));
        if (!o.screenshotsDir.isEmpty()) {
            QDir().mkpath(o.screenshotsDir);
            window.window()->grabWindow().save(
                QDir(o.screenshotsDir)
                    .filePath(QStringLiteral("face-demo-%1-%2.png").arg(++shot).arg(QLatin1String(t.file))));
        }
        const QString code = window.desk().errorCode();
        const bool expected = t.actor == ScriptedPerson::Actor::Representative
            ? camera.faceStage() == QLatin1String("confirm") && camera.faceName() == *enrolledName
            : t.actor == ScriptedPerson::Actor::Impostor ? code == QLatin1String("face-no-match")
                                                         : code.startsWith(QLatin1String("liveness-"));
        allAsExpected = allAsExpected && ended && expected;
        if (camera.faceStage() == QLatin1String("confirm")) {
            // The demo does not vote: "not me" gives the check-in back.
            camera.confirmFace(false);
            if (service.voterActive()) {
                cannot(QStringLiteral("\"not me\" left the check-in held"));
                allAsExpected = false;
            }
        }
    }
    say(allAsExpected ? QStringLiteral("as expected: the representative recognised after the head turn, the impostor "
                                       "and the photo refused")
                      : QStringLiteral("NOT as expected (see above)"));
    return allAsExpected ? 0 : 1;
}

} // namespace pingyi::ui
