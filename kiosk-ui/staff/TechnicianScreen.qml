import QtQuick
import Pingyi.Controls

// For the technician: what this kiosk is, and the only way out of kiosk mode.
StaffFrame {
    id: root

    property bool confirming: false

    objectName: "screen.staffTechnician"
    title: qsTr("技术维护")

    component Line: Row {
        id: line
        property string label
        property string value
        spacing: 16
        KText {
            width: 360
            text: line.label
            color: Theme.textMuted
        }
        KText {
            width: root.width - 2 * Theme.margin - 380
            text: line.value
            font.family: "WenQuanYi Micro Hei Mono"
            wrapMode: Text.WrapAnywhere
        }
    }

    Column {
        anchors.fill: parent
        spacing: Theme.gap
        Line { label: qsTr("终端编号"); value: root.staff.kioskId }
        Line { label: qsTr("终端密钥指纹"); value: root.staff.fingerprint }
        Line { label: qsTr("主办方根密钥指纹"); value: root.staff.rootFingerprint }
        Line { label: qsTr("数据包版本"); value: String(root.staff.packageVersion) }
        Line { label: qsTr("数据目录"); value: root.staff.stateDir }
        Line {
            label: qsTr("存储")
            value: qsTr("可用 %1，共 %2").arg(StaffText.bytes(root.staff.diskFreeBytes)).arg(StaffText.bytes(root.staff.diskTotalBytes))
        }
        Item { width: 1; height: Theme.gap }
        Row {
            spacing: Theme.gap
            KButton {
                objectName: "technicianBack"
                width: 360
                glyph: "‹"
                text: qsTr("返回控制台")
                onClicked: root.staff.showDashboard()
            }
            KButton {
                objectName: "leaveKioskMode"
                width: 420
                kind: "danger"
                text: qsTr("退出终端模式")
                onClicked: root.confirming = true
            }
        }
    }

    ModalDialog {
        anchors.fill: parent
        parent: root
        visible: root.confirming
        title: qsTr("退出终端模式？")
        text: qsTr("评议程序将关闭，屏幕回到系统桌面。已保存的数据不受影响。")
        acceptText: qsTr("退出终端模式")
        acceptKind: "danger"
        rejectText: qsTr("取消")
        onRejected: root.confirming = false
        onAccepted: {
            root.confirming = false
            root.staff.leaveKioskMode()
        }
    }
}
