import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// Asks before a session is opened, paused, resumed or closed, here or (the venue lead's
// "close-all") at every kiosk of the venue. The step that acts sits at the card's left, far
// from the console's buttons (all on the right), so a second tap on the button that opened
// this question never answers it. Closing cannot be undone: it shows how many have voted of
// those invited and acts only on a press held for 2 s.
Rectangle {
    id: root

    required property StaffConsole staff
    readonly property sessionRow p: root.staff.pending
    readonly property string action: root.staff.pendingAction
    readonly property bool everyKiosk: action === "close-all"
    readonly property bool closing: action === "close" || everyKiosk
    /// Ballots counted for the question: this kiosk's, or the whole venue's.
    readonly property int ballots: everyKiosk ? root.staff.venueKiosks.voted : p.ballots
    readonly property string name: p.rehearsal ? qsTr("%1（演练）").arg(Theme.pick(p.name, p.nameEn))
                                               : Theme.pick(p.name, p.nameEn)

    objectName: "actionConfirm"
    color: Theme.highContrast ? "#E0000000" : Theme.scrim
    z: 100
    /// Hides what lies under it (the screen tour checks only the topmost such layer).
    readonly property bool layoutModal: true

    MouseArea {
        anchors.fill: parent
        // Taps outside the card do nothing: the question stays until answered.
    }

    Card {
        id: card
        anchors.centerIn: parent
        width: Math.min(root.width - 2 * Theme.margin, 1100)
        height: content.implicitHeight + 2 * Theme.margin
        border.width: Theme.highContrast ? 4 : 2
        border.color: root.closing ? Theme.danger : Theme.line

        Column {
            id: content
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.gap

            KText {
                objectName: "actionTitle"
                width: parent.width
                text: root.action === "open" ? qsTr("开始“%1”？").arg(root.name)
                    : root.action === "pause" ? qsTr("暂停“%1”？").arg(root.name)
                    : root.action === "resume" ? qsTr("继续“%1”？").arg(root.name)
                    : root.everyKiosk ? qsTr("在本会场所有终端结束“%1”？").arg(root.name)
                    : qsTr("结束“%1”？").arg(root.name)
                size: "title"
                font.bold: true
            }
            // Closing: the numbers to weigh before ending the vote for good.
            // Side by side, or one under the other when the text is too large for one line.
            Flow {
                visible: root.closing
                width: parent.width
                spacing: Theme.margin
                KText {
                    id: closeCounts
                    objectName: "closeCounts"
                    text: root.everyKiosk ? qsTr("全会场已投 %1 / 应到 %2").arg(root.ballots).arg(root.p.invited)
                                          : qsTr("已投 %1 / 应到 %2").arg(root.ballots).arg(root.p.invited)
                    size: "headline"
                    font.bold: true
                    // One line when it fits; wrapped (never cut) on a narrow screen or at large text.
                    width: Math.min(implicitWidth, parent.width)
                    wrapMode: Text.Wrap
                }
                KText {
                    // Beside the counts: on their baseline. Below them (no room): its own height.
                    readonly property bool beside: closeCounts.width + parent.spacing + implicitWidth <= parent.width
                    visible: !root.everyKiosk
                    height: beside ? closeCounts.height : implicitHeight
                    verticalAlignment: Text.AlignBottom
                    bottomPadding: beside ? closeCounts.height * 0.12 : 0
                    text: qsTr("已签到 %1").arg(root.p.checkins)
                    size: "large"
                    color: Theme.textMuted
                    wrapMode: Text.NoWrap
                }
            }
            KText {
                width: parent.width
                text: root.action === "open" ? (qsTr("开始后，代表即可在本机评议。本机将生成零报告，证明此时没有任何选票。")
                                                + (root.p.rehearsal ? qsTr("这是演练场次，投票不计入正式结果。") : ""))
                    : root.action === "pause" ? qsTr("暂停期间，代表不能开始新的评议。")
                    : root.action === "resume" ? qsTr("继续后，代表可以再次开始评议。")
                    : root.everyKiosk ? qsTr("本会场每台终端都将结束这一场评议：空闲的终端马上结束，有代表正在评议的终端等其投完再结束，结束前不再接受新的签到。结束后不能再投票，也不能重新开始。每台终端各自生成结束报告，然后请逐台把数据导出到U盘。")
                      + (root.ballots < root.p.invited ? qsTr("还有 %1 位代表没有投票。").arg(root.p.invited - root.ballots) : "")
                    : qsTr("结束后不能再投票，也不能重新开始。本机将生成结束报告，然后请把数据导出到U盘。")
                      + (root.ballots < root.p.invited ? qsTr("还有 %1 位代表没有投票。").arg(root.p.invited - root.ballots) : "")
                size: "large"
            }
            KText {
                visible: root.closing
                width: parent.width
                text: qsTr("确定要结束，请按住红色按钮2秒。")
                size: "large"
                font.bold: true
                color: Theme.danger
            }
            // The act at the left, "cancel" at the right.
            Item {
                width: parent.width
                height: Math.max(acceptButton.visible ? acceptButton.height : 0,
                                 holdButton.visible ? holdButton.height : 0, rejectButton.height)
                KButton {
                    id: acceptButton
                    objectName: "dialogAccept"
                    visible: !root.closing
                    anchors.left: parent.left
                    width: Math.max(implicitWidth, 320)
                    kind: "primary"
                    text: root.action === "open" ? qsTr("开始")
                        : root.action === "pause" ? qsTr("暂停")
                        : qsTr("继续")
                    onClicked: root.staff.confirmAction()
                }
                HoldButton {
                    id: holdButton
                    objectName: "closeHold"
                    visible: root.closing
                    anchors.left: parent.left
                    width: Math.min(Math.max(implicitWidth, 460), parent.width - rejectButton.width - Theme.margin)
                    text: root.everyKiosk ? qsTr("按住结束全部终端") : qsTr("按住结束评议")
                    onActivated: root.staff.confirmAction()
                }
                KButton {
                    id: rejectButton
                    objectName: "dialogReject"
                    anchors.right: parent.right
                    width: Math.max(implicitWidth, 280)
                    text: qsTr("取消")
                    onClicked: root.staff.cancelAction()
                }
            }
        }
    }
}
