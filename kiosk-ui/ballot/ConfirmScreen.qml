import QtQuick
import Pingyi.Controls

// The last question before the ballot is sealed: nothing can be changed afterwards.
VoterFrame {
    id: root

    objectName: "screen.confirm"
    title: qsTr("确认提交")
    speech: qsTr("确认提交评议票吗？提交后将不能再修改。您的评议是无记名的，任何人都无法知道您的选择。")
    showNext: false
    showBack: false

    Card {
        anchors.centerIn: parent
        width: Math.min(parent.width, 1300)
        height: Math.min(parent.height, content.implicitHeight + 2 * Theme.margin)
        border.width: Theme.highContrast ? 4 : 2

        Column {
            id: content
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.margin

            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("确认提交评议票吗？")
                size: "headline"
                font.bold: true
            }
            KText {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("提交后将不能再修改。您的评议是无记名的，任何人都无法知道您的选择。")
                size: "large"
            }
            MessagePanel {
                objectName: "castError"
                width: parent.width
                visible: root.flow.errorCode !== ""
                kind: "error"
                title: qsTr("评议票未能提交")
                text: root.flow.errorCode === "no-voter"
                      ? qsTr("本次签到已失效。请返回首页重新核验身份，或请工作人员协助。")
                      : root.flow.errorCode === "db-full"
                        // Nothing was stored and the check-in still holds: staff free space, then the same person casts.
                        ? qsTr("存储空间已满，选票未保存，请联系工作人员。您的签到仍然有效，腾出空间后可再点“确认提交”。")
                        : qsTr("请再点一次“确认提交”。如果仍然不行，请联系工作人员。（%1）").arg(root.flow.errorCode)
            }
            Row {
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: Theme.margin
                KButton {
                    objectName: "confirmBack"
                    width: 480
                    height: 150
                    size: "title"
                    glyph: "‹"
                    text: qsTr("返回修改")
                    onClicked: root.flow.back()
                }
                KButton {
                    objectName: "confirmCast"
                    width: 480
                    height: 150
                    size: "title"
                    kind: "primary"
                    text: qsTr("确认提交")
                    onClicked: root.flow.cast()
                }
            }
        }
    }
}
