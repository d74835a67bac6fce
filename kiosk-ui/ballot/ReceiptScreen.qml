import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// Thanks, and the receipt code (with its QR code) that the representative can look up on
// the published list to see that the ballot was counted.
Rectangle {
    id: root

    required property VoterFlow flow
    required property Accessibility access
    property bool rehearsal: false

    objectName: "screen.receipt"
    color: Theme.background

    readonly property string spokenCode: root.flow.receiptCode.split("").join(" ")

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: qsTr("评议完成")
        AccessBar {
            access: root.access
            // The code is said only into headphones: with it, anyone queueing could look the
            // ballot up on the published list.
            speech: qsTr("评议票已提交，感谢您的参与。回执码显示在屏幕上。")
            privateSpeech: qsTr("您的回执码是：") + root.spokenCode
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
        anchors.top: banner.bottom
        anchors.bottom: footer.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
        spacing: Theme.margin * 2

        // At the largest text size the words may not fit beside the QR code: they scroll, and
        // the code comes first.
        ScrollArea {
            id: textArea
            width: parent.width - qrCard.width - parent.spacing
            height: parent.height

            Item {
                width: parent.width
                height: Math.max(textArea.flickable.height, texts.height)
                Column {
                    id: texts
                    width: parent.width
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: Theme.margin

                    Row {
                        spacing: Theme.gap
                        Rectangle {
                            width: 96
                            height: 96
                            radius: 48
                            color: Theme.success
                            CheckMark {
                                anchors.centerIn: parent
                                width: 60
                                height: 60
                                color: Theme.highContrast ? "#000000" : "#FFFFFF"
                            }
                        }
                        KText {
                            anchors.verticalCenter: parent.verticalCenter
                            width: texts.width - 96 - Theme.gap
                            text: qsTr("评议票已提交，感谢您的参与！")
                            size: "title"
                            font.bold: true
                        }
                    }
                    KText {
                        width: parent.width
                        text: qsTr("您的回执码")
                        size: "large"
                        color: Theme.textMuted
                    }
                    Rectangle {
                        width: codeText.implicitWidth + 80
                        height: codeText.implicitHeight + 40
                        radius: Theme.radius
                        color: Theme.surface
                        border.width: Theme.highContrast ? 4 : 3
                        border.color: Theme.primary
                        KText {
                            id: codeText
                            objectName: "receiptCode"
                            anchors.centerIn: parent
                            text: root.flow.receiptCode
                            font.family: "WenQuanYi Micro Hei Mono"
                            font.pixelSize: Theme.fontDisplay
                            font.bold: true
                            font.letterSpacing: 6
                            color: Theme.text
                            wrapMode: Text.NoWrap
                        }
                    }
                    KText {
                        width: parent.width
                        text: qsTr("评议结果公布时，会同时公布所有回执码。您可以凭这个回执码查验自己的评议票已被计入。回执码不会显示您的任何选择。需要的话，请用手机拍下右边的二维码。")
                    }
                    KText {
                        width: parent.width
                        text: qsTr("请不要把回执码交给他人。为保护您的隐私，本页 %1 秒后自动返回首页。").arg(root.flow.receiptSeconds)
                        color: Theme.textMuted
                    }
                }
            }
        }

        Card {
            id: qrCard
            anchors.verticalCenter: parent.verticalCenter
            width: Math.min(520, parent.height)
            height: width
            QrCode {
                objectName: "receiptQr"
                anchors.fill: parent
                anchors.margins: 16
                text: root.flow.receiptCode
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
            objectName: "receiptDone"
            anchors.right: parent.right
            anchors.rightMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            width: Math.max(implicitWidth, 420)
            kind: "primary"
            text: qsTr("完成")
            onClicked: root.flow.finish()
        }
    }
}
