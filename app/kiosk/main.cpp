// pingyi-kiosk: the venue kiosk's touchscreen application. This is the composition root:
// it reads the options, opens the kiosk service on its state directory (provisioned by
// `pingyi-kiosk setup` or on the touchscreen) and shows the kiosk window. It carries no
// office code and no screen tour: previews and demos are pingyi-kiosk-preview's.

#include "clock.h"
#include "framesource.h"
#include "kioskservice.h"
#include "kioskwindow.h"
#include "setup.h"
#include "venuekioskledger.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFont>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>
#include <utility>

using namespace pingyi;

namespace {

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "pingyi-kiosk: error: %s\n", qPrintable(message));
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer startup;
    startup.start();
    if (kiosk::isSetupCommand(argc, argv))
        return kiosk::runSetup(argc, argv);

    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("pingyi-kiosk"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PINGYI_VERSION));
    QGuiApplication::setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 16));
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("The venue kiosk: the representatives' ballot and the staff console on a touchscreen.\n"
                       "Kiosk mode (the default) is fullscreen without decorations; only the technician can leave it.\n"
                       "Screen previews and the demo kiosk: pingyi-kiosk-preview."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("state"), QStringLiteral("Kiosk state directory (kiosk.key, kiosk.db)."), QStringLiteral("DIR"),
         QStringLiteral("/var/lib/pingyi-kiosk")},
        {QStringLiteral("windowed"), QStringLiteral("Run in a window instead of kiosk mode (development, demos).")},
        {QStringLiteral("size"), QStringLiteral("Window size for --windowed (default 1920x1080)."),
         QStringLiteral("WxH"), QStringLiteral("1920x1080")},
        {QStringLiteral("camera"),
         QStringLiteral("The camera: a device path such as /dev/video0, or an index such as 0 (default: the first "
                        "/dev/video* present). A missing or busy camera is retried every second."),
         QStringLiteral("DEV")},
        {QStringLiteral("replay"),
         QStringLiteral("Instead of a camera, play a folder of images (sorted by name) or a video file, in a loop "
                        "(demos, rehearsals, tests)."),
         QStringLiteral("PATH")},
        {QStringLiteral("replay-fps"), QStringLiteral("Frames per second for --replay (default 15)."),
         QStringLiteral("N"), QStringLiteral("15")},
        {QStringLiteral("no-camera"),
         QStringLiteral("The kiosk has no camera: check-in by hand scanner and keypad only.")},
        {QStringLiteral("check-start"),
         QStringLiteral("Installation check: show the first screen, then exit 0 (1 if QML reported a problem).")},
    });
    p.process(app);

    const QStringList sizeParts = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const QSize screenSize = sizeParts.size() == 2 ? QSize(sizeParts[0].toInt(), sizeParts[1].toInt()) : QSize();
    if (screenSize.width() < 800 || screenSize.height() < 600)
        return fail(QStringLiteral("--size wants WIDTHxHEIGHT, at least 800x600"), 2);
    const bool checkStart = p.isSet(QStringLiteral("check-start"));

    // ---- the camera ----------------------------------------------------------------------
    const bool noCamera = p.isSet(QStringLiteral("no-camera"));
    const bool replay = p.isSet(QStringLiteral("replay"));
    if (int(noCamera) + int(replay) + int(p.isSet(QStringLiteral("camera"))) > 1)
        return fail(QStringLiteral("choose one of --camera, --replay and --no-camera"), 2);
    bool fpsOk = false;
    const double replayFps = p.value(QStringLiteral("replay-fps")).toDouble(&fpsOk);
    if (!fpsOk || replayFps <= 0 || replayFps > 120)
        return fail(QStringLiteral("--replay-fps wants a number of frames per second between 0 and 120"), 2);
    vision::FrameSourceFactory camera;
    if (replay)
        camera = vision::replayFactory(p.value(QStringLiteral("replay")), replayFps, true);
    else if (!noCamera)
        camera = vision::cameraFactory(p.value(QStringLiteral("camera")));

    // ---- storage and the kiosk service ----------------------------------------------
    const QString stateDir = p.value(QStringLiteral("state"));
    SystemClock clock;
    // A venue package that plans two or more kiosks on the venue network makes this kiosk
    // share check-ins with them (docs/venue.md); otherwise the factory is never called.
    kiosk::Options serviceOptions;
    serviceOptions.sharedLedger = venue::sharedLedgerFactory();
    auto opened = kiosk::KioskService::open(stateDir, clock, serviceOptions);
    if (!opened)
        return fail(QStringLiteral("cannot open the kiosk state in %1: %2").arg(stateDir, opened.error().toString()));
    // Tells the venue what it missed while unreachable; records duplicates of offline check-in.
    QTimer venueTick;
    QObject::connect(&venueTick, &QTimer::timeout, &app, [&] { (*opened)->venueTick(); });
    venueTick.start(2000);

    // ---- view models and the window ----------------------------------------------------
    ui::KioskWindow::Options options;
    options.windowed = p.isSet(QStringLiteral("windowed")) || checkStart;
    options.screenSize = screenSize;
    options.speech = !checkStart;
    options.camera = std::move(camera);
    if (const QString drives = qEnvironmentVariable("PINGYI_EXPORT_DRIVES"); !drives.isEmpty())
        options.drives = drives.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    ui::QmlMessages qmlMessages;
    if (checkStart)
        qmlMessages.install();
    ui::KioskWindow window(**opened, clock, stateDir, options);
    if (auto s = window.load(startup); !s)
        return fail(s.error().toString());
    QObject::connect(&window.kiosk(), &ui::Kiosk::quitRequested, &app, &QCoreApplication::quit, Qt::QueuedConnection);

    if (checkStart) {
        // Quit once the first screen is up (or give up after 30 s), then judge the QML log.
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &app, [&] {
            if (window.kiosk().startupMs() > 0 || startup.elapsed() > 30000)
                app.quit();
        });
        poll.start(50);
        app.exec();
        const QStringList problems = qmlMessages.take();
        for (const QString &m : problems)
            std::fprintf(stderr, "pingyi-kiosk: check-start: QML says: %s\n", qPrintable(m));
        if (window.kiosk().startupMs() <= 0)
            return fail(QStringLiteral("the first screen did not appear within 30 s"));
        return problems.isEmpty() ? 0 : 1;
    }
    return app.exec();
}
