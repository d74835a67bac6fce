import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// A signed session report: the zero report when a session opens (nothing cast yet) and the
// closing report. Large labelled numbers, the time in the kiosk's zone, the ballot digest
// short and grouped for reading aloud; the QR code (with all of it, signed) is large enough
// to photograph and carry to the tallying office.
StaffFrame {
    id: root

    readonly property bool closing: root.staff.reportKind === "closing"
    readonly property sessionRow session: root.staff.reportSession

    objectName: "screen.staffReport"
    title: (closing ? qsTr("结束报告") : qsTr("零报告")) + "　" + Theme.pick(session.name, session.nameEn)
    rehearsal: session.rehearsal === true

    readonly property reportFacts facts: root.staff.report
    // "2025年12月20日 17:00" in the kiosk's time zone, which the line names.
    readonly property string whenText: {
        const d = root.facts.date
        if (d.length !== 10)
            return ""
        return qsTr("%1年%2月%3日 %4").arg(d.substring(0, 4)).arg(parseInt(d.substring(5, 7), 10))
                                      .arg(parseInt(d.substring(8, 10), 10)).arg(root.facts.time)
    }

    component BigNumber: Rectangle {
        id: number
        property string label
        property int value
        property bool strong: false
        width: Math.max(number.strong ? 240 : 200, numberLabel.implicitWidth + 32, numberValue.implicitWidth + 32)
        height: numberColumn.implicitHeight + 24
        radius: Theme.radius
        color: number.strong ? Theme.infoSoft : Theme.surfaceAlt
        border.width: Theme.highContrast ? 2 : 0
        border.color: Theme.line
        Column {
            id: numberColumn
            anchors.centerIn: parent
            spacing: 2
            KText {
                id: numberValue
                objectName: "value"
                anchors.horizontalCenter: parent.horizontalCenter
                text: String(number.value)
                size: number.strong ? "headline" : "title"
                font.bold: true
                wrapMode: Text.NoWrap
            }
            KText {
                id: numberLabel
                anchors.horizontalCenter: parent.horizontalCenter
                text: number.label
                size: "bar"
                font.bold: number.strong
                color: Theme.textMuted
                wrapMode: Text.NoWrap
            }
        }
    }

    component Fact: Row {
        id: fact
        property string label
        property string value
        width: parent ? parent.width : 0
        spacing: 16
        KText {
            id: factLabel
            text: fact.label
            size: "body"
            color: Theme.textMuted
            wrapMode: Text.NoWrap
        }
        KText {
            objectName: "value"
            width: fact.width - factLabel.width - fact.spacing
            text: fact.value
            size: "body"
            font.bold: true
        }
    }

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
            ScrollArea {
                anchors.fill: parent
                anchors.margins: 28
                Column {
                    width: parent.width
                    spacing: Theme.gap
                    KText {
                        width: parent.width
                        text: root.closing
                              ? qsTr("本场评议已结束，本机不再接受投票。请核对下面的数字，用手机拍下右边的二维码，然后把本场数据导出到U盘。")
                              : qsTr("本场评议已开始。零报告证明开始时本机没有任何选票。请用手机拍下右边的二维码留存。")
                        size: "large"
                    }
                    Flow {
                        objectName: "reportNumbers"
                        width: parent.width
                        spacing: 16
                        BigNumber { objectName: "reportBallots"; label: qsTr("选票"); value: root.facts.ballots; strong: true }
                        BigNumber { objectName: "reportCheckins"; label: qsTr("已签到"); value: root.facts.checkins; strong: true }
                        BigNumber { objectName: "reportInvited"; label: qsTr("应到"); value: root.facts.invited; strong: true }
                        BigNumber { objectName: "reportLeft"; label: qsTr("签到后未投票"); value: root.facts.leftWithoutVoting }
                        BigNumber { objectName: "reportSuggestions"; label: qsTr("建议"); value: root.facts.suggestions }
                    }
                    Fact {
                        objectName: "reportTime"
                        label: qsTr("时间")
                        value: root.whenText + qsTr("（%1，当地时间）").arg(root.facts.zone)
                    }
                    Fact {
                        objectName: "reportKiosk"
                        label: qsTr("终端")
                        value: root.facts.kioskId
                    }
                    Fact {
                        objectName: "reportDigest"
                        label: qsTr("选票校验码")
                        value: root.facts.digestShort
                    }
                    Fact {
                        objectName: "reportCategories"
                        visible: root.closing
                        label: qsTr("按类别签到")
                        value: root.facts.categoryText !== "" ? root.facts.categoryText : "—"
                    }
                    KText {
                        width: parent.width
                        text: qsTr("选票校验码是全部选票的指纹，这里只显示前16位；完整内容在二维码中，由计票办公室核对。")
                        size: "bar"
                        color: Theme.textMuted
                    }
                }
            }
        }
        Card {
            id: qrCard
            width: Math.min(body.height, 760)
            height: body.height
            Column {
                anchors.fill: parent
                anchors.margins: 16
                spacing: 8
                QrCode {
                    objectName: "reportQr"
                    width: parent.width
                    height: parent.height - qrHint.height - 8
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

    // How the last print went, left of the buttons.
    KText {
        objectName: "printMessage"
        visible: root.staff.printState !== ""
        anchors.left: parent.left
        anchors.right: buttons.left
        anchors.rightMargin: Theme.gap
        anchors.verticalCenter: buttons.verticalCenter
        text: root.staff.printState === "printing" ? qsTr("正在打印（打印机：%1）……").arg(root.staff.printerName)
            : root.staff.printState === "printed" ? qsTr("已打印（打印机：%1）。").arg(root.staff.printerName)
            : root.staff.printState === "no-printer" ? qsTr("没有找到打印机。请连接打印机后重试，或用手机拍下二维码。")
            : root.staff.printState === "printer-stopped"
                ? qsTr("打印机“%1”已暂停或不接受打印，报告没有打印。请技术员恢复打印机后重试，或用手机拍下二维码。").arg(root.staff.printerName)
            : qsTr("打印没有完成。请检查打印机后重试。")
        size: "bar"
        font.bold: true
        color: root.staff.printState === "printed" ? Theme.success
            : root.staff.printState === "printing" ? Theme.text : Theme.danger
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
            objectName: "reportPrint"
            width: Math.max(implicitWidth, 240)
            text: qsTr("打印")
            enabled: root.staff.printState !== "printing"
            onClicked: root.staff.printReport()
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
