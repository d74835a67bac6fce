#include "kioskwindow.h"

#include "cameraservice.h"
#include "clock.h"
#include "kioskservice.h"

#include <QElapsedTimer>
#include <QQuickImageProvider>
#include <QQuickWindow>
#include <QTimer>
#include <QUrl>
#include <QVariant>
#include <QtQml/QQmlExtensionPlugin>

#include <cstdio>
#include <utility>

// The kiosk's QML modules are static: every program that shows the kiosk window (the kiosk
// and its preview) needs them registered, so they are imported once, here.
Q_IMPORT_QML_PLUGIN(Pingyi_ControlsPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_KeyboardPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_IdentifyPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_BallotPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_StaffPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_ShellPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_AppPlugin)

namespace pingyi::ui {

namespace {

QStringList *seen = nullptr;
QtMessageHandler previousHandler = nullptr;

void collect(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString category = QString::fromLatin1(context.category ? context.category : "");
    if (seen && type != QtDebugMsg && type != QtInfoMsg
        && (message.contains(QLatin1String("qrc:/")) || category == QLatin1String("qml")
            || category == QLatin1String("js") || category.startsWith(QLatin1String("qt.qml"))))
        seen->append(message);
    if (previousHandler)
        previousHandler(type, context, message);
}

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

} // namespace

void QmlMessages::install()
{
    if (seen)
        return;
    seen = new QStringList;
    previousHandler = qInstallMessageHandler(collect);
}

QmlMessages::~QmlMessages()
{
    if (seen) {
        qInstallMessageHandler(previousHandler);
        delete seen;
        seen = nullptr;
    }
}

QStringList QmlMessages::take()
{
    if (!seen)
        return {};
    return std::exchange(*seen, {});
}

namespace {

std::unique_ptr<vision::CameraService> makeCamera(const KioskWindow::Options &options)
{
    if (!options.camera)
        return nullptr;
    return std::make_unique<vision::CameraService>(options.camera, options.tessdata);
}

} // namespace

VoterFlow::Timings KioskWindow::timings(const Options &options)
{
    VoterFlow::Timings t;
    if (options.settleMs >= 0)
        t.settleMs = options.settleMs;
    return t;
}

KioskWindow::KioskWindow(kiosk::KioskService &service, Clock &clock, const QString &stateDir, Options options)
    : m_options(std::move(options)),
      m_access(nullptr, m_options.speech ? Accessibility::Speech::Auto : Accessibility::Speech::Off), m_desk(service),
      m_cameraService(makeCamera(m_options)), m_camera(m_desk, m_cameraService.get()),
      m_voter(service, timings(m_options)), m_staff(service, clock, stateDir, m_options.drives),
      m_pinyin(PinyinEngine::defaultDictionary()),
      m_kiosk(service, &m_access, &m_desk, &m_camera, &m_voter, &m_staff, &m_pinyin,
              {.kioskMode = !m_options.windowed, .sound = m_options.sound})
{
    m_access.setEngine(&m_engine);
    m_engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_engine.addImageProvider(QStringLiteral("camera"), m_camera.makeImageProvider());
}

KioskWindow::~KioskWindow()
{
    // No frame or code may arrive while the window and the view models go.
    if (m_cameraService)
        m_cameraService->stop();
}

Status KioskWindow::load(const QElapsedTimer &startup)
{
    // The camera opens while the window loads; it retries by itself when it is missing.
    if (m_cameraService)
        m_cameraService->start();
    m_engine.setInitialProperties({{QStringLiteral("kiosk"), QVariant::fromValue(&m_kiosk)},
                                   {QStringLiteral("windowed"), m_options.windowed},
                                   {QStringLiteral("screenSize"), m_options.screenSize}});
    m_engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Pingyi/App/Main.qml")));
    if (m_engine.rootObjects().isEmpty())
        return makeError(QStringLiteral("ui"), QStringLiteral("the user interface did not load"));
    m_window = qobject_cast<QQuickWindow *>(m_engine.rootObjects().constFirst());
    if (!m_window)
        return makeError(QStringLiteral("ui"), QStringLiteral("the root object is not a window"));
    // frameSwapped may come from the render thread (queued): take the first one only.
    QObject::connect(m_window, &QQuickWindow::frameSwapped, &m_kiosk, [this, &startup] {
        if (std::exchange(m_started, true))
            return;
        const int ms = int(startup.elapsed());
        m_kiosk.setStartupMs(ms);
        say(QStringLiteral("%1: start-up to the welcome screen took %2 ms").arg(m_options.name).arg(ms));
        // Looking for a speech engine waits until the first screen is up.
        QTimer::singleShot(500, &m_access, &Accessibility::startSpeech);
    });
    return {};
}

} // namespace pingyi::ui
