// pingyi-kiosk-preview: the kiosk's screens without a venue, for developers, the demo and
// the documentation. Not shipped on kiosks: it links the office code (pingyi_hq through
// the demo provisioning) to prepare kiosk states.
//
//   --self-test / --screenshots DIR   a throwaway office makes and certifies a venue
//                                     package for a throwaway kiosk; the screen tour then
//                                     drives every screen (Chinese, English, high contrast)
//   --prepare-state DIR --demo-hq HQ  enrols the kiosk state DIR with the office HQ (from
//                                     scripts/provision-demo) and loads its venue package,
//                                     for `pingyi-kiosk --state DIR`
//   --render-replay DIR --demo-hq HQ  writes the demo's camera replay (the office's own
//                                     invitation cards, a synthetic ID card of a demo
//                                     representative) for `pingyi-kiosk --replay DIR`

#include "activity.h"
#include "clock.h"
#include "demoprovisioning.h"
#include "demoreplay.h"
#include "facedemo.h"
#include "fileio.h"
#include "framesource.h"
#include "hq.h"
#include "kioskservice.h"
#include "kioskwindow.h"
#include "passphrase.h"
#include "screentour.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFont>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <utility>

using namespace pingyi;

namespace {

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "pingyi-kiosk-preview: error: %s\n", qPrintable(message));
    return code;
}

bool hasArgument(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], name) == 0)
            return true;
    return false;
}

/// Enrols the kiosk state `stateDir` with the demo office `hqDir` and writes its demo notes.
int prepareState(const QString &stateDir, const QString &hqDir, const QString &venue)
{
    SystemClock clock;
    auto opened = kiosk::KioskService::open(stateDir, clock);
    if (!opened)
        return fail(QStringLiteral("cannot open the kiosk state in %1: %2").arg(stateDir, opened.error().toString()));
    kiosk::KioskService &service = **opened;
    if (service.provisioning() == kiosk::Provisioning::Ready) {
        say(QStringLiteral("pingyi-kiosk-preview: %1 is provisioned already").arg(stateDir));
        return 0;
    }
    auto pass = cli::obtainPassphrase(QString(), QStringLiteral("Office passphrase: "), false);
    if (!pass)
        return fail(pass.error().toString());
    auto e = kiosk::demo::enrolWithOffice(service, hqDir, *pass, venue,
                                          QDir(hqDir).filePath(QStringLiteral("../roster.csv")));
    if (!e)
        return fail(QStringLiteral("demo enrolment with %1 failed: %2").arg(hqDir, e.error().toString()));
    const QString notes = QDir(stateDir).filePath(QStringLiteral("demo-pins.txt"));
    if (auto s = kiosk::demo::writeDemoNotes(notes, *e, venue); !s)
        return fail(s.error().toString());
    say(QStringLiteral("pingyi-kiosk-preview: enrolled %1 as %2 at venue %3; demo staff PINs and ID numbers to try are "
                       "in %4")
            .arg(stateDir, e->kioskId, venue, notes));
    return 0;
}

/// Gives every representative at `venue` a face template (a random point of the
/// embedding space, seeded) in the office at `officeDir`, and returns them by rep id.
Result<QMap<QString, face::Embedding>> enrolTourFaces(const QString &officeDir, const crypto::SecretBytes &passphrase,
                                                      const QString &venue, const QString &rosterCsv)
{
    std::mt19937_64 rng(12);
    std::normal_distribution<float> g(0, 1);
    return ui::enrolFaces(officeDir, passphrase, venue, rosterCsv, [&](const hq::Card &) {
        face::Embedding e;
        double n = 0;
        for (float &v : e.values) {
            v = g(rng);
            n += double(v) * v;
        }
        for (float &v : e.values)
            v = float(v / std::sqrt(n)); // about 1.4 apart from one another
        return std::optional(e);
    });
}

/// Writes the demo's camera replay for `venue` into `dir`: the first representative of
/// `session` (default: the activity's first group session) shows their invitation card, the
/// second their ID card.
int renderReplay(const QString &dir, const QString &hqDir, const QString &venue, QString session)
{
    auto pass = cli::obtainPassphrase(QString(), QStringLiteral("Office passphrase: "), false);
    if (!pass)
        return fail(pass.error().toString());
    if (session.isEmpty()) {
        auto hq = hq::Hq::open(hqDir);
        if (!hq)
            return fail(hq.error().toString());
        auto activity = hq->activity();
        if (!activity)
            return fail(activity.error().toString());
        if (activity->sessions.isEmpty())
            return fail(QStringLiteral("activity %1 has no group sessions").arg(activity->id));
        session = activity->sessions.constFirst().code;
    }
    auto voters = kiosk::demo::officeVoters(hqDir, *pass, venue, QDir(hqDir).filePath(QStringLiteral("../roster.csv")));
    if (!voters)
        return fail(QStringLiteral("cannot read the demo office %1: %2").arg(hqDir, voters.error().toString()));
    const QList<kiosk::demo::ReplayScene> scenes = kiosk::demo::demoScenes(*voters, session);
    if (scenes.isEmpty())
        return fail(QStringLiteral("session %1 has fewer than two representatives with known ID numbers at venue %2 "
                                   "(is %3/../roster.csv there?)")
                        .arg(session, venue, hqDir));
    if (auto s = kiosk::demo::writeReplay(dir, scenes); !s)
        return fail(QStringLiteral("cannot write the camera replay to %1: %2").arg(dir, s.error().toString()));
    say(QStringLiteral("pingyi-kiosk-preview: wrote the camera replay for session %1 at venue %2 to %3 (an invitation "
                       "card, then an ID card of two of its representatives)")
            .arg(session, venue, dir));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer startup;
    startup.start();
    const bool faceDemo = hasArgument(argc, argv, "--face-demo");
    const bool interactive = hasArgument(argc, argv, "--interactive");
    const bool tourMode = hasArgument(argc, argv, "--self-test") || hasArgument(argc, argv, "--screenshots")
        || (faceDemo && !interactive);
    // Screenshots and the self-test render offscreen, with the same pixels everywhere.
    if (tourMode && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (tourMode && qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software");
    if (!tourMode && !faceDemo && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen"); // --prepare-state shows nothing

    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("pingyi-kiosk-preview"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PINGYI_VERSION));
    QGuiApplication::setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 16));
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Previews of the kiosk's screens, and demo kiosk states, for developers and the documentation.\n"
                       "Never installed on a venue kiosk: it carries the office's code to prepare venue packages."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("self-test"),
         QStringLiteral("Load every screen with a throwaway office and kiosk, then exit 0 (or 1 on a problem).")},
        {QStringLiteral("screenshots"),
         QStringLiteral("Render every screen (Chinese, English, high contrast) to PNG files in DIR, then exit."),
         QStringLiteral("DIR")},
        {QStringLiteral("size"), QStringLiteral("Screen size for --screenshots (default 1920x1080)."),
         QStringLiteral("WxH"), QStringLiteral("1920x1080")},
        {QStringLiteral("prepare-state"),
         QStringLiteral("Demo only: enrol the kiosk state DIR with the office of --demo-hq and load its venue package "
                        "(passphrase from PINGYI_PASSPHRASE). Issues new staff PINs for the venue and writes them to "
                        "DIR/demo-pins.txt. Then run pingyi-kiosk --state DIR."),
         QStringLiteral("DIR")},
        {QStringLiteral("demo-hq"),
         QStringLiteral("Office directory for --prepare-state (from scripts/provision-demo)."),
         QStringLiteral("HQDIR")},
        {QStringLiteral("render-replay"),
         QStringLiteral("Demo only: write a camera replay (numbered frames) to DIR: the invitation card of a "
                        "representative of --session and the ID card of another, from the office of --demo-hq "
                        "(passphrase from PINGYI_PASSPHRASE). Then run pingyi-kiosk --replay DIR."),
         QStringLiteral("DIR")},
        {QStringLiteral("face-demo"),
         QStringLiteral("Demo only: the face check-in on a kiosk window whose camera is a scripted person (dlib's "
                        "example photos, libdlib19.1; the face models): the enrolled representative, an impostor and "
                        "a printed photo try in turn. Unattended (offscreen) it says how each try ended and exits 0 "
                        "only if the representative was recognised and the other two refused; with --interactive a "
                        "window is left to you. --screenshots DIR keeps a PNG of each outcome.")},
        {QStringLiteral("interactive"), QStringLiteral("With --face-demo: show the window and wait.")},
        {QStringLiteral("session"),
         QStringLiteral("Group session for --render-replay (default: the activity's first)."), QStringLiteral("S")},
        {QStringLiteral("venue"),
         QStringLiteral("Venue code for --prepare-state and --render-replay (default shinan)."), QStringLiteral("V"),
         QStringLiteral("shinan")},
    });
    p.process(app);

    const QString venue = p.value(QStringLiteral("venue"));
    if (faceDemo) {
        ui::FaceDemoOptions demo;
        demo.interactive = interactive;
        demo.screenshotsDir = p.value(QStringLiteral("screenshots"));
        return ui::runFaceDemo(demo);
    }
    if (p.isSet(QStringLiteral("prepare-state"))) {
        if (p.value(QStringLiteral("demo-hq")).isEmpty())
            return fail(QStringLiteral("--prepare-state needs --demo-hq HQDIR"), 2);
        return prepareState(p.value(QStringLiteral("prepare-state")), p.value(QStringLiteral("demo-hq")), venue);
    }
    if (p.isSet(QStringLiteral("render-replay"))) {
        if (p.value(QStringLiteral("demo-hq")).isEmpty())
            return fail(QStringLiteral("--render-replay needs --demo-hq HQDIR"), 2);
        return renderReplay(p.value(QStringLiteral("render-replay")), p.value(QStringLiteral("demo-hq")), venue,
                            p.value(QStringLiteral("session")));
    }
    if (!tourMode)
        return fail(QStringLiteral("say what to do: --self-test, --screenshots DIR, --prepare-state DIR or "
                                   "--render-replay DIR (see --help)"),
                    2);

    const QStringList sizeParts = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const QSize screenSize = sizeParts.size() == 2 ? QSize(sizeParts[0].toInt(), sizeParts[1].toInt()) : QSize();
    if (screenSize.width() < 800 || screenSize.height() < 600)
        return fail(QStringLiteral("--size wants WIDTHxHEIGHT, at least 800x600"), 2);

    // ---- a throwaway office prepares the venue package for a throwaway kiosk ------------
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return fail(QStringLiteral("cannot create a temporary directory"));
    const QString stateDir = scratch.filePath(QStringLiteral("kiosk"));
    SystemClock clock;
    // Every pass of the tour (each language, each contrast) types one wrong PIN on purpose to
    // show its message; the throwaway kiosk forgets it at once instead of locking a later pass.
    kiosk::Options kioskOptions;
    kioskOptions.pinFailureMemorySeconds = 0;
    auto opened = kiosk::KioskService::open(stateDir, clock, kioskOptions);
    if (!opened)
        return fail(QStringLiteral("cannot open the kiosk state in %1: %2").arg(stateDir, opened.error().toString()));
    kiosk::KioskService &service = **opened;

    const QString office = scratch.filePath(QStringLiteral("office"));
    const QString roster = scratch.filePath(QStringLiteral("roster.csv"));
    const crypto::SecretBytes passphrase = crypto::SecretBytes::copyOf("self-test");
    auto spec = readFile(QStringLiteral(":/demo/activity.json"));
    if (!spec)
        return fail(spec.error().toString());
    if (auto s = kiosk::demo::makeScratchOffice(office, *spec, passphrase, roster); !s)
        return fail(QStringLiteral("cannot make the preview office: %1").arg(s.error().toString()));
    // Faces for the venue's representatives (synthetic templates: the tour shows the face
    // check-in's screens from sightings it makes up, not from camera frames).
    auto faces = enrolTourFaces(office, passphrase, venue, roster);
    if (!faces)
        return fail(QStringLiteral("cannot enrol the tour's faces: %1").arg(faces.error().toString()));
    auto enrolment = kiosk::demo::enrolWithOffice(service, office, passphrase, venue, roster);
    if (!enrolment)
        return fail(QStringLiteral("demo enrolment with %1 failed: %2").arg(office, enrolment.error().toString()));

    // ---- a camera: replays of a representative's ID card ----------------------------------
    // Only ID cards: a QR code in view would check someone in behind the tour's back. Two
    // replays the tour swaps under the camera (as if a card were exchanged): the card with a
    // wrong check character (the camera says what to do and offers no number), and the
    // right one. The camera looks at `replay`; the one not in use waits beside it.
    const QString replay = scratch.filePath(QStringLiteral("replay"));
    QString cardNumber;
    for (const kiosk::demo::Voter &v : enrolment->voters)
        if (v.sessions.contains(QStringLiteral("econ")) && !v.idNumber.isEmpty() && cardNumber.isEmpty())
            cardNumber = v.idNumber;
    if (cardNumber.size() != 18)
        return fail(QStringLiteral("no representative of econ with an ID number for the tour's camera"));
    const QString wrongNumber = cardNumber.left(17) + (cardNumber.endsWith(QLatin1Char('0')) ? u'1' : u'0');
    using Scene = kiosk::demo::ReplayScene;
    for (const auto &[dir, number] :
         {std::pair {replay, wrongNumber}, std::pair {replay + QStringLiteral(".card"), cardNumber}})
        if (auto s = kiosk::demo::writeReplay(dir, {{Scene::Kind::Empty, {}, 4}, {Scene::Kind::IdCard, number, 40}});
            !s)
            return fail(QStringLiteral("cannot write the tour's camera replay: %1").arg(s.error().toString()));

    // ---- the kiosk's own window on it, toured ------------------------------------------
    const QString usb = scratch.filePath(QStringLiteral("media/PINGYI-USB"));
    QDir().mkpath(usb);
    ui::KioskWindow::Options options;
    options.windowed = true;
    options.screenSize = screenSize;
    options.drives = {usb};
    options.speech = false;
    options.sound = false; // the tour and the self-test make no noise
    options.settleMs = 0; // the tour turns the pages itself, faster than any finger
    options.name = QStringLiteral("pingyi-kiosk-preview");
    options.camera = vision::replayFactory(replay, 15.0, true);
    ui::ScreenTour::Messages qmlMessages; // collects QML warnings for the self-test
    qmlMessages.install();
    ui::KioskWindow window(service, clock, stateDir, options);
    if (auto s = window.load(startup); !s)
        return fail(s.error().toString());
    ui::ScreenTour tour({window.window(), &window.kiosk(), &service, &window.access(), &window.desk(), &window.voter(),
                         &window.staff(), &window.pinyin(), &window.camera(), window.cameraService(), *enrolment,
                         *faces, usb, replay, p.value(QStringLiteral("screenshots")),
                         p.isSet(QStringLiteral("self-test"))},
                        qmlMessages);
    return tour.run();
}
