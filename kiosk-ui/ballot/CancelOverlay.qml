import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// Leaving the ballot is never one accidental tap away.
ModalDialog {
    id: root

    required property VoterFlow flow

    objectName: "cancelConfirm"
    title: qsTr("确定要退出评议吗？")
    text: qsTr("退出后，您已填写的内容不会保存，也不会计入结果。您可以重新核验身份后再评议。")
    rejectText: qsTr("继续评议")
    acceptText: qsTr("退出评议")
    acceptKind: "danger"
    onRejected: root.flow.keepVoting()
    onAccepted: root.flow.confirmCancel()
}
