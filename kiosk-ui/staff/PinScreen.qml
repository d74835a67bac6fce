import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// PIN pad for staff, venue lead and technician. Wrong PINs back off, as the kiosk says.
StaffFrame {
    id: root

    property string pin: ""
    readonly property bool locked: root.staff.lockSeconds > 0 && root.staff.error.code === StaffErrors.PinLocked
    readonly property bool forOverride: root.staff.purpose === StaffConsole.Override

    objectName: "screen.staffLogin"
    title: forOverride ? qsTr("现场负责人协助核验") : qsTr("工作人员登录")
    showLogout: false

    function submit() {
        if (root.pin.length < 4)
            return
        const p = root.pin
        root.pin = ""
        root.staff.login(p)
    }

    Column {
        id: pinColumn
        anchors.horizontalCenter: parent.horizontalCenter
        // Centred, but never above the top when the largest text makes it tall.
        y: Math.max(0, (parent.height - height) / 2)
        width: Math.min(parent.width, 1000)
        spacing: Theme.gap
        /// The keys' height: 100 px where there is room, less (never under a finger's
        /// width) when large text and an error message take the room.
        readonly property real keyHeight: Math.max(Theme.touch, Math.min(100,
            (parent.height - pinTitle.height - pinDots.height - (pinError.visible ? pinError.height + spacing : 0)
             - 2 * spacing - 3 * pad.spacing) / 4))

        KText {
            id: pinTitle
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.forOverride ? qsTr("请现场负责人输入PIN码") : qsTr("请输入工作人员PIN码")
            size: "title"
            font.bold: true
        }
        Row {
            id: pinDots
            objectName: "pinDots"
            anchors.horizontalCenter: parent.horizontalCenter
            height: 64
            spacing: 20
            Repeater {
                model: Math.max(6, root.pin.length)
                Rectangle {
                    required property int index
                    anchors.verticalCenter: parent.verticalCenter
                    width: 40
                    height: 40
                    radius: 20
                    color: index < root.pin.length ? Theme.text : "transparent"
                    border.width: 3
                    border.color: Theme.line
                }
            }
        }
        MessagePanel {
            id: pinError
            objectName: "pinError"
            width: parent.width
            visible: root.staff.error.isError
            kind: "error"
            title: StaffText.errorTitle(root.staff.error.code)
            text: StaffText.errorHelp(root.staff.error.code, root.staff.lockSeconds, root.staff.error.triesLeft)
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.gap
            NumberPad {
                id: pad
                enabled: !root.locked
                keyHeight: pinColumn.keyHeight
                onTyped: (key) => {
                    if (root.pin.length < 12)
                        root.pin += key
                }
                onBackspace: root.pin = root.pin.substring(0, root.pin.length - 1)
            }
            Column {
                spacing: 14
                KButton {
                    objectName: "pinConfirm"
                    width: 300
                    height: 2 * pinColumn.keyHeight + pad.spacing
                    kind: "primary"
                    size: "large"
                    text: qsTr("确认")
                    enabled: root.pin.length >= 4 && !root.locked
                    onClicked: root.submit()
                }
                KButton {
                    objectName: "pinCancel"
                    width: 300
                    height: 2 * pinColumn.keyHeight + pad.spacing
                    text: qsTr("返回")
                    onClicked: {
                        root.pin = ""
                        root.staff.cancelLogin()
                    }
                }
            }
        }
    }
}
