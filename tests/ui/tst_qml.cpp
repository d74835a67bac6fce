// QtQuickTest runner for the kiosk UI's QML tests (tst_*.qml in this directory). The
// kiosk's QML modules are linked statically and imported here.

#include <QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(Pingyi_ControlsPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_KeyboardPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_IdentifyPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_BallotPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_StaffPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_ShellPlugin)

class Setup : public QObject {
    Q_OBJECT

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral("qrc:/qt/qml")); }
};

QUICK_TEST_MAIN_WITH_SETUP(kiosk_ui, Setup)
#include "tst_qml.moc"
