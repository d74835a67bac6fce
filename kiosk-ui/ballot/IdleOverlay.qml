import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// "Are you still there?" with a large countdown (the kiosk chimes as it comes up); then the
// ballot is discarded. "请工作人员协助" calls the venue staff (the kiosk shows and sounds its
// staff call) and stops the countdown: the answers are kept until the representative
// continues.
ModalDialog {
    id: root

    required property VoterFlow flow

    objectName: "idleWarning"
    title: root.flow.helpCalled ? qsTr("已通知工作人员") : qsTr("您还在评议吗？")
    text: root.flow.helpCalled
        ? qsTr("工作人员马上就来，请稍候。您已填写的内容都保留着。")
        : qsTr("如果 %1 秒内没有操作，本次评议将被取消，已填写的内容不会保存。").arg(root.flow.idleRemaining)
    acceptText: qsTr("继续评议")
    showReject: false
    onAccepted: root.flow.stillHere()

    Column {
        width: parent.width
        spacing: Theme.gap

        // The seconds left, as large as the screen allows, in a ring that reads at a glance.
        Rectangle {
            objectName: "idleCountdown"
            visible: !root.flow.helpCalled
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.round(Theme.fontDisplay * 3)
            height: width
            radius: width / 2
            color: "transparent"
            border.width: Theme.highContrast ? 12 : 10
            border.color: root.flow.idleRemaining <= 10 ? Theme.danger : Theme.primary
            KText {
                objectName: "idleSeconds"
                anchors.centerIn: parent
                text: String(root.flow.idleRemaining)
                font.pixelSize: Math.round(Theme.fontDisplay * 2)
                font.bold: true
                font.family: "WenQuanYi Micro Hei Mono"
                wrapMode: Text.NoWrap
                color: root.flow.idleRemaining <= 10 ? Theme.danger : Theme.primary
            }
        }
        KButton {
            objectName: "idleCallStaff"
            visible: !root.flow.helpCalled
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.max(implicitWidth, 480)
            text: qsTr("请工作人员协助")
            onClicked: root.flow.callForHelp()
        }
    }
}
