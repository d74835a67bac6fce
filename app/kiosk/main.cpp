// pingyi-kiosk: the venue kiosk's touchscreen application. This is the composition root:
// it reads the options, opens the kiosk service on its state directory, builds the view
// models by constructor injection and hands the root one to the QML window.

#include "accessibility.h"
#include "checkindesk.h"
#include "clock.h"
#include "crypto.h"
#include "demoprovisioning.h"
#include "fileio.h"
#include "kiosk.h"
#include "kioskservice.h"
#include "pinyinengine.h"
#include "screentour.h"
#include "setup.h"
#include "staffconsole.h"
#include "voterflow.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFont>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>
#include <utility>

Q_IMPORT_QML_PLUGIN(Pingyi_ControlsPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_KeyboardPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_IdentifyPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_BallotPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_StaffPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_ShellPlugin)

using namespace pingyi;

namespace {

void say(const QString &line) { std::fprintf(stdout, "%s\n", qPrintable(line)); std::fflush(stdout); }

int fail(const QString &message, int code = 1)
{
    std::fprintf(stderr, "pingyi-kiosk: error: %s\n", qPrintable(message));
    return code;
}

bool hasArgument(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], name) == 0)
            return true;
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer startup;
    startup.start();
    if (kiosk::isSetupCommand(argc, argv))
        return kiosk::runSetup(argc, argv);

    const bool tourMode = hasArgument(argc, argv, "--self-test") || hasArgument(argc, argv, "--screenshots");
    // Screenshots and the self-test render offscreen, with the same pixels everywhere.
    if (tourMode && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (tourMode && qEnvironmentVariableIsEmpty("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software");

    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("pingyi-kiosk"));
    QGuiApplication::setApplicationVersion(QStringLiteral(PINGYI_VERSION));
    QGuiApplication::setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 16));
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The venue kiosk: the representatives' ballot and the staff console on a touchscreen.\n"
        "Kiosk mode (the default) is fullscreen without decorations; only the technician can leave it."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("state"), QStringLiteral("Kiosk state directory (kiosk.key, kiosk.db)."), QStringLiteral("DIR"),
         QStringLiteral("/var/lib/pingyi-kiosk")},
        {QStringLiteral("windowed"), QStringLiteral("Run in a window instead of kiosk mode (development, demos).")},
        {QStringLiteral("self-test"), QStringLiteral("Load every screen with a throwaway kiosk, then exit 0 (or 1 on a problem).")},
        {QStringLiteral("screenshots"), QStringLiteral("Render every screen (Chinese, English, high contrast) to PNG files in DIR, then exit."),
         QStringLiteral("DIR")},
        {QStringLiteral("size"), QStringLiteral("Screen size for --screenshots and --windowed (default 1920x1080)."),
         QStringLiteral("WxH"), QStringLiteral("1920x1080")},
        {QStringLiteral("demo-hq"), QStringLiteral("Demo only: enrol an unprovisioned kiosk with this office directory "
                                                   "(from scripts/provision-demo; passphrase from PINGYI_PASSPHRASE). "
                                                   "Issues new staff PINs for the venue and writes them to STATE/demo-pins.txt."),
         QStringLiteral("HQDIR")},
        {QStringLiteral("venue"), QStringLiteral("Venue code for --demo-hq (default shinan)."), QStringLiteral("V"),
         QStringLiteral("shinan")},
    });
    p.process(app);

    const QStringList sizeParts = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
    const QSize screenSize = sizeParts.size() == 2 ? QSize(sizeParts[0].toInt(), sizeParts[1].toInt()) : QSize();
    if (screenSize.width() < 800 || screenSize.height() < 600)
        return fail(QStringLiteral("--size wants WIDTHxHEIGHT, at least 800x600"), 2);
    const bool selfTest = p.isSet(QStringLiteral("self-test"));
    const QString screenshots = p.value(QStringLiteral("screenshots"));
    const QString venue = p.value(QStringLiteral("venue"));
    const QString demoHq = p.value(QStringLiteral("demo-hq"));

    // ---- storage and the kiosk service ----------------------------------------------
    QTemporaryDir scratch; // the self-test and screenshots use a throwaway kiosk and office
    QString stateDir = p.value(QStringLiteral("state"));
    if (tourMode) {
        if (!scratch.isValid())
            return fail(QStringLiteral("cannot create a temporary directory"));
        stateDir = scratch.filePath(QStringLiteral("kiosk"));
    }
    SystemClock clock;
    auto opened = kiosk::KioskService::open(stateDir, clock);
    if (!opened)
        return fail(QStringLiteral("cannot open the kiosk state in %1: %2").arg(stateDir, opened.error().toString()));
    kiosk::KioskService &service = **opened;

    std::optional<kiosk::demo::Enrolment> enrolment;
    if (tourMode || (!demoHq.isEmpty() && service.provisioning() != kiosk::Provisioning::Ready)) {
        QString office = demoHq;
        crypto::SecretBytes passphrase;
        if (office.isEmpty()) {
            office = scratch.filePath(QStringLiteral("office"));
            passphrase = crypto::SecretBytes::copyOf("self-test");
            auto spec = readFile(QStringLiteral(":/demo/activity.json"));
            if (!spec)
                return fail(spec.error().toString());
            if (auto s = kiosk::demo::makeScratchOffice(office, *spec, passphrase, scratch.filePath(QStringLiteral("roster.csv")));
                !s)
                return fail(QStringLiteral("cannot make the preview office: %1").arg(s.error().toString()));
        } else {
            auto pass = crypto::obtainPassphrase(QString(), QStringLiteral("Office passphrase: "), false);
            if (!pass)
                return fail(pass.error().toString());
            passphrase = std::move(pass).value();
        }
        const QString roster = demoHq.isEmpty() ? scratch.filePath(QStringLiteral("roster.csv"))
                                                : QDir(demoHq).filePath(QStringLiteral("../roster.csv"));
        auto e = kiosk::demo::enrolWithOffice(service, office, passphrase, venue, roster);
        if (!e)
            return fail(QStringLiteral("demo enrolment with %1 failed: %2").arg(office, e.error().toString()));
        enrolment = std::move(e).value();
        if (!tourMode) {
            const QString notes = QDir(stateDir).filePath(QStringLiteral("demo-pins.txt"));
            if (auto s = kiosk::demo::writeDemoNotes(notes, *enrolment, venue); !s)
                return fail(s.error().toString());
            say(QStringLiteral("pingyi-kiosk: enrolled as %1 at venue %2; demo staff PINs and ID numbers to try are in %3")
                    .arg(enrolment->kioskId, venue, notes));
        }
    }

    // ---- view models ------------------------------------------------------------------
    const bool windowed = p.isSet(QStringLiteral("windowed")) || tourMode;
    QStringList driveOverride;
    if (const QString drives = qEnvironmentVariable("PINGYI_EXPORT_DRIVES"); !drives.isEmpty())
        driveOverride = drives.split(QLatin1Char(':'), Qt::SkipEmptyParts);
    if (tourMode) {
        const QString usb = scratch.filePath(QStringLiteral("media/PINGYI-USB"));
        QDir().mkpath(usb);
        driveOverride = {usb};
    }
    ui::VoterFlow::Timings timings;
    if (tourMode)
        timings.settleMs = 0; // the tour turns the pages itself, faster than any finger

    ui::Accessibility access(nullptr, tourMode ? ui::Accessibility::Speech::Off : ui::Accessibility::Speech::Auto);
    ui::CheckInDesk desk(service);
    ui::VoterFlow voter(service, timings);
    ui::StaffConsole staff(service, clock, stateDir, driveOverride);
    ui::PinyinEngine pinyin(ui::PinyinEngine::defaultDictionary());
    ui::Kiosk kiosk(service, &access, &desk, &voter, &staff, &pinyin, {.kioskMode = !windowed});

    QQmlApplicationEngine engine;
    access.setEngine(&engine);
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.setInitialProperties({{QStringLiteral("kiosk"), QVariant::fromValue(&kiosk)},
                                 {QStringLiteral("windowed"), windowed},
                                 {QStringLiteral("screenSize"), screenSize}});
    ui::ScreenTour::Messages qmlMessages; // collects QML warnings for the self-test
    if (tourMode)
        qmlMessages.install();
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Pingyi/App/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return fail(QStringLiteral("the user interface did not load"));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window)
        return fail(QStringLiteral("the root object is not a window"));

    QObject::connect(&kiosk, &ui::Kiosk::quitRequested, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    // frameSwapped may come from the render thread (queued): take the first one only.
    bool started = false;
    QObject::connect(window, &QQuickWindow::frameSwapped, &kiosk, [&] {
        if (std::exchange(started, true))
            return;
        const int ms = int(startup.elapsed());
        kiosk.setStartupMs(ms);
        say(QStringLiteral("pingyi-kiosk: start-up to the welcome screen took %1 ms").arg(ms));
        // Looking for a speech engine waits until the first screen is up.
        QTimer::singleShot(500, &access, &ui::Accessibility::startSpeech);
    });

    if (tourMode) {
        ui::ScreenTour tour({window, &kiosk, &service, &access, &desk, &voter, &staff, &pinyin, *enrolment,
                             driveOverride.value(0), screenshots, selfTest},
                            qmlMessages);
        return tour.run();
    }
    return app.exec();
}
