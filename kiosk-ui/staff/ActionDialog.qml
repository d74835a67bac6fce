import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// Asks before a session is opened, paused, resumed or closed.
ModalDialog {
    id: root

    required property StaffConsole staff
    readonly property sessionRow p: root.staff.pending
    readonly property string action: root.staff.pendingAction
    readonly property string name: p.rehearsal ? qsTr("%1（演练）").arg(Theme.pick(p.name, p.nameEn))
                                               : Theme.pick(p.name, p.nameEn)

    objectName: "actionConfirm"
    title: action === "open" ? qsTr("开始“%1”？").arg(name)
         : action === "pause" ? qsTr("暂停“%1”？").arg(name)
         : action === "resume" ? qsTr("继续“%1”？").arg(name)
         : qsTr("结束“%1”？").arg(name)
    text: action === "open" ? (qsTr("开始后，代表即可在本机评议。本机将生成零报告，证明此时没有任何选票。")
                                 + (p.rehearsal ? qsTr("这是演练场次，投票不计入正式结果。") : ""))
        : action === "pause" ? qsTr("暂停期间，代表不能开始新的评议。")
        : action === "resume" ? qsTr("继续后，代表可以再次开始评议。")
        : qsTr("结束后本场不能再投票，本机将生成结束报告。结束后请把本场数据导出到U盘。")
    acceptText: action === "open" ? qsTr("开始")
              : action === "pause" ? qsTr("暂停")
              : action === "resume" ? qsTr("继续")
              : qsTr("结束评议")
    rejectText: qsTr("取消")
    onAccepted: root.staff.confirmAction()
    onRejected: root.staff.cancelAction()
}
