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
            sessionName: Theme.pick(root.kiosk.sessionName, root.kiosk.sessionNameEn)
            rehearsal: root.kiosk.rehearsal
            onCancelled: root.kiosk.cancelOverride()
        }
    }
    Component {
        id: unprovisioned
        UnprovisionedScreen { kiosk: root.kiosk }
    }
}
