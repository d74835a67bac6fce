import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// "Who are you?": scan the invitation card with the hand scanner, or type the ID number.
// A refusal says plainly what happened and what to do; staff can help from here.
Rectangle {
    id: root

    required property CheckInDesk desk
    required property Accessibility access
    property string sessionName
    property bool rehearsal: false

    signal back()
    signal help()

    objectName: "screen.identify"
    color: Theme.background

    property string idNumber: ""
    readonly property bool refused: desk.errorCode !== ""
    readonly property string speech: refused
        ? Refusals.title(desk.errorCode) + "。" + Refusals.help(desk.errorCode)
        : qsTr("请扫描邀请函上的二维码，或在右边输入您的身份证号码。")

    function submitId() {
        if (root.idNumber.length !== 18)
            return
        const id = root.idNumber
        root.idNumber = ""
        root.desk.submitIdNumber(id)
    }

    ScanCatcher {
        id: catcher
        onScanned: (text) => {
            root.idNumber = ""
            root.desk.submitScan(text)
        }
    }

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: qsTr("身份核验")
        subtitle: root.sessionName
        AccessBar {
            access: root.access
            speech: root.speech
        }
    }
    RehearsalBanner {
        id: banner
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        active: root.rehearsal
    }

    Row {
        id: body
        anchors.top: banner.bottom
        anchors.topMargin: Theme.margin
        anchors.left: parent.left
        anchors.leftMargin: Theme.margin
        anchors.right: parent.right
        anchors.rightMargin: Theme.margin
        anchors.bottom: footer.top
        anchors.bottomMargin: Theme.gap
        spacing: Theme.margin

        Card {
            id: scanCard
            width: (body.width - body.spacing) * 0.42
            height: body.height
            border.width: root.refused ? (Theme.highContrast ? 4 : 3) : (Theme.highContrast ? 3 : 1)
            border.color: root.refused ? Theme.danger : Theme.line

            // Why the last try was refused, and what to do; it takes the place of the
            // scanning instructions so that the keypad keeps its size.
            MessagePanel {
                objectName: "refusal"
                visible: root.refused
                anchors.top: parent.top
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.margins: Theme.gap
                kind: "error"
                title: Refusals.title(root.desk.errorCode)
                text: Refusals.help(root.desk.errorCode)
            }
            KText {
                id: scanHeading
                visible: !root.refused
                anchors.top: parent.top
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.margins: Theme.margin
                text: qsTr("扫描邀请函二维码")
                size: "title"
                font.bold: true
            }
            KText {
                id: scanText
                anchors.bottom: parent.bottom
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.margins: Theme.margin
                text: root.refused ? qsTr("可以再扫描一次邀请函，或在右边输入身份证号码。")
                                   : qsTr("把邀请函上的二维码放在扫描器下方，听到“嘀”的一声即可。")
                size: "large"
            }
            Item {
                visible: !root.refused
                anchors.top: scanHeading.bottom
                anchors.bottom: scanText.top
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.margins: Theme.gap
                // A drawing of the invitation card over the scanner (not a real code).
                Rectangle {
                    id: card
                    anchors.centerIn: parent
                    anchors.verticalCenterOffset: -arrow.height / 2
                    height: Math.min(parent.height - arrow.height, 300)
                    width: height * 1.5
                    radius: 16
                    color: Theme.surface
                    border.width: 4
                    border.color: Theme.primary
                    Column {
                        anchors.left: parent.left
                        anchors.leftMargin: 24
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 14
                        Repeater {
                            model: 4
                            Rectangle {
                                required property int index
                                width: card.width * (index === 0 ? 0.4 : 0.3)
                                height: index === 0 ? 18 : 12
                                radius: 6
                                color: Theme.line
                            }
                        }
                    }
                    Grid {
                        id: pattern
                        anchors.right: parent.right
                        anchors.rightMargin: 24
                        anchors.verticalCenter: parent.verticalCenter
                        columns: 5
                        readonly property real cell: card.height * 0.6 / 5
                        Repeater {
                            model: [1,1,0,1,1, 1,0,1,0,1, 0,1,1,1,0, 1,0,1,0,1, 1,1,0,1,1]
                            Rectangle {
                                required property int modelData
                                width: pattern.cell
                                height: pattern.cell
                                color: modelData ? Theme.primary : "transparent"
                            }
                        }
                    }
                }
                KText {
                    id: arrow
                    anchors.top: card.bottom
                    anchors.horizontalCenter: card.horizontalCenter
                    text: "↓"
                    size: "headline"
                    font.bold: true
                    color: Theme.primary
                }
            }
        }

        Card {
            width: (body.width - body.spacing) * 0.58
            height: body.height
            Column {
                id: idColumn
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.gap
                KText {
                    width: parent.width
                    text: qsTr("或输入身份证号码")
                    size: "title"
                    font.bold: true
                }
                IdNumberField {
                    objectName: "idField"
                    width: parent.width
                    value: root.idNumber
                }
                Row {
                    id: padRow
                    spacing: Theme.gap
                    NumberPad {
                        id: pad
                        extraKey: "X"
                        keyWidth: Math.min(180, (idColumn.width - Theme.gap - 300 - 2 * spacing) / 3)
                        keyHeight: Math.max(Theme.touch, Math.min(110, (idColumn.height - padRow.y - 3 * spacing) / 4))
                        onTyped: (key) => {
                            if (root.idNumber.length < 18) {
                                root.idNumber += key
                                root.desk.clear()
                            }
                        }
                        onBackspace: root.idNumber = root.idNumber.substring(0, root.idNumber.length - 1)
                    }
                    Column {
                        spacing: 14
                        KButton {
                            objectName: "idConfirm"
                            width: 300
                            height: pad.keyHeight * 2 + 14
                            kind: "primary"
                            size: "large"
                            text: qsTr("确认")
                            enabled: root.idNumber.length === 18
                            onClicked: root.submitId()
                        }
                        KButton {
                            objectName: "idClear"
                            width: 300
                            height: pad.keyHeight
                            text: qsTr("清空")
                            enabled: root.idNumber.length > 0
                            onClicked: root.idNumber = ""
                        }
                    }
                }
            }
        }
    }

    Rectangle {
        id: footer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.buttonHeight + 2 * Theme.gap
        color: Theme.surfaceAlt

        KButton {
            objectName: "identifyBack"
            anchors.left: parent.left
            anchors.leftMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            glyph: "‹"
            text: qsTr("返回首页")
            onClicked: root.back()
        }
        KButton {
            objectName: "identifyHelp"
            anchors.right: parent.right
            anchors.rightMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            kind: root.refused ? "primary" : "secondary"
            text: qsTr("请工作人员协助")
            onClicked: root.help()
        }
    }
}
