import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// A signed session report: the zero report when a session opens (nothing cast yet) and the
// closing report with counts and the ballot digest. The QR code is large enough to
// photograph and carry to the tallying office.
StaffFrame {
    id: root

    readonly property bool closing: root.staff.reportKind === "closing"
    readonly property sessionRow session: root.staff.reportSession

    objectName: "screen.staffReport"
    title: (closing ? qsTr("结束报告") : qsTr("零报告")) + "　" + Theme.pick(session.name, session.nameEn)
    rehearsal: session.rehearsal === true

    Row {
        id: body
        anchors.top: parent.top
        anchors.bottom: buttons.top
        anchors.bottomMargin: Theme.gap
        anchors.left: parent.left
        anchors.right: parent.right
        spacing: Theme.margin

        Card {
            width: body.width - qrCard.width - body.spacing
            height: body.height
            Flickable {
                id: textFlick
                anchors.fill: parent
                anchors.margins: 28
                contentHeight: textColumn.height
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                Column {
                    id: textColumn
                    width: textFlick.width
                    spacing: Theme.gap
                    KText {
                        width: parent.width
                        text: root.closing
                              ? qsTr("本场评议已结束，本机不再接受投票。请核对下面的数字，用手机拍下右边的二维码，然后把本场数据导出到U盘。")
                              : qsTr("本场评议已开始。零报告证明开始时本机没有任何选票。请用手机拍下右边的二维码留存。")
                        size: "large"
                    }
                    KText {
                        objectName: "reportText"
                        width: parent.width
                        text: root.staff.reportText
                        font.family: "WenQuanYi Micro Hei Mono"
                        size: "bar"
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                    }
                }
            }
        }
        Card {
            id: qrCard
            width: Math.min(body.height, 720)
            height: body.height
            Column {
                anchors.fill: parent
                anchors.margins: 20
                spacing: 12
                QrCode {
                    objectName: "reportQr"
                    width: parent.width
                    height: parent.height - qrHint.height - 12
                    text: root.staff.reportQr
                }
                KText {
                    id: qrHint
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("请拍下此二维码，交计票办公室核对")
                    size: "bar"
                    color: Theme.textMuted
                }
            }
        }
    }

    Row {
        id: buttons
        anchors.bottom: parent.bottom
        anchors.right: parent.right
        spacing: Theme.gap
        KButton {
            objectName: "reportBack"
            width: Math.max(implicitWidth, 320)
            glyph: "‹"
            text: qsTr("返回控制台")
            onClicked: root.staff.showDashboard()
        }
        KButton {
            objectName: "reportExport"
            visible: root.closing
            width: Math.max(implicitWidth, 360)
            kind: "primary"
            text: qsTr("导出到U盘") + "  ›"
            onClicked: root.staff.startExport(root.session.code, root.session.rehearsal)
        }
    }
}
