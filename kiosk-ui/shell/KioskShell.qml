import QtQuick
import Pingyi.Controls
import Pingyi.Identify
import Pingyi.Ballot
import Pingyi.Staff
import Pingyi.Shell // its own C++ types (Qt 6.4 resolves them only when imported)

// The whole kiosk user interface: one screen at a time, as the kiosk says.
Rectangle {
    id: root

    required property Kiosk kiosk

    color: Theme.background

    // The theme follows the current representative's choices.
    Binding { target: Theme; property: "textLevel"; value: root.kiosk.access.textLevel }
    Binding { target: Theme; property: "highContrast"; value: root.kiosk.access.highContrast }
    Binding { target: Theme; property: "english"; value: root.kiosk.access.english }

    Loader {
        id: screen
        objectName: "screenLoader"
        anchors.fill: parent
        focus: true
        sourceComponent: {
            switch (root.kiosk.screen) {
            case Kiosk.Identify: return identify
            case Kiosk.Voting: return voting
            case Kiosk.Staff: return staff
            case Kiosk.Override: return override
            case Kiosk.Unprovisioned: return unprovisioned
            default: return welcome
            }
        }
    }

    Component {
        id: welcome
        WelcomeScreen { kiosk: root.kiosk }
    }
    Component {
        id: identify
        IdentifyScreen {
            desk: root.kiosk.desk
            camera: root.kiosk.camera
            access: root.kiosk.access
            sessionName: Theme.pick(root.kiosk.sessionName, root.kiosk.sessionNameEn)
            rehearsal: root.kiosk.rehearsal
            onBack: root.kiosk.backToWelcome()
            onHelp: root.kiosk.askForHelp()
        }
    }
    Component {
        id: voting
        VotingView {
            flow: root.kiosk.voter
            access: root.kiosk.access
            pinyin: root.kiosk.pinyin
        }
    }
    Component {
        id: staff
        StaffView {
            staff: root.kiosk.staff
            cameraStatus: root.kiosk.camera.status
            cameraDetail: root.kiosk.camera.statusDetail
        }
    }
    Component {
        id: override
        OverrideScreen {
            desk: root.kiosk.desk
            access: root.kiosk.access
            pinyin: root.kiosk.pinyin
            hasCamera: root.kiosk.camera.configured
            sessionName: Theme.pick(root.kiosk.sessionName, root.kiosk.sessionNameEn)
            rehearsal: root.kiosk.rehearsal
            onCancelled: root.kiosk.cancelOverride()
        }
    }
    Component {
        id: unprovisioned
        UnprovisionedScreen { kiosk: root.kiosk }
    }

    // A representative called the staff: a band across the top of whatever is on screen,
    // flashing between two strong colours so that it is seen across the hall (the kiosk
    // chimes as well). It catches no taps: what it covers keeps working.
    Rectangle {
        id: staffCall
        objectName: "staffCallBanner"
        property bool flash: false
        /// Covers what lies under it (the screen tour does not count that as text over text).
        readonly property bool layoutCover: true
        visible: root.kiosk.staffCalled
        z: 1000
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        height: Math.max(Theme.buttonHeight, callText.implicitHeight + 24)
        color: flash ? Theme.rehearsal : "#A4261D"
        border.width: 4
        border.color: Theme.rehearsalText
        Timer {
            interval: 600
            repeat: true
            running: staffCall.visible
            onTriggered: staffCall.flash = !staffCall.flash
            onRunningChanged: staffCall.flash = false
        }
        KText {
            id: callText
            objectName: "staffCallText"
            anchors.centerIn: parent
            width: parent.width - 2 * Theme.margin
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("终端 %1 需要协助：请工作人员过来").arg(root.kiosk.kioskId)
            size: "title"
            font.bold: true
            color: staffCall.flash ? Theme.rehearsalText : "#FFFFFF"
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
}
