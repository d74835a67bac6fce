import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// "Are you still there?" with a countdown; then the ballot is discarded.
ModalDialog {
    id: root

    required property VoterFlow flow

    objectName: "idleWarning"
    title: qsTr("您还在评议吗？")
    text: qsTr("如果 %1 秒内没有操作，本次评议将被取消，已填写的内容不会保存。").arg(root.flow.idleRemaining)
    acceptText: qsTr("继续评议")
    showReject: false
    onAccepted: root.flow.noteActivity()

    KText {
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        text: String(root.flow.idleRemaining)
        font.pixelSize: Theme.fontDisplay * 1.6
        font.bold: true
        color: Theme.primary
    }
}
