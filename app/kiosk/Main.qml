import QtQuick
import QtQuick.Window
import Pingyi.Shell

// The kiosk's window: fullscreen without decorations in kiosk mode, where it cannot be
// closed until the technician chooses to leave.
Window {
    id: window

    required property Kiosk kiosk
    property bool windowed: false
    property size screenSize: Qt.size(1920, 1080)

    width: screenSize.width
    height: screenSize.height
    visibility: windowed ? Window.Windowed : Window.FullScreen
    flags: windowed ? Qt.Window : (Qt.Window | Qt.FramelessWindowHint)
    title: "市民评议终端 Pingyi"
    color: "#000000"
    visible: true

    onClosing: (close) => close.accepted = window.kiosk.mayClose

    KioskShell {
        objectName: "shell"
        anchors.fill: parent
        kiosk: window.kiosk
    }
}
