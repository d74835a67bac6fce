import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// The number the camera read from the ID card, large and in groups of 6, 8 and 4, for the
// representative to check against their card before it is used. Nothing happens until they
// say it is theirs; "not my number" reads the card again.
Rectangle {
    id: root

    required property CameraDesk camera

    objectName: "idCheck"
    color: Theme.surface
    radius: Theme.radius
    border.width: Theme.highContrast ? 4 : 3
    border.color: Theme.primary

    // Untyped: Qt 6.4's qmllint crashes compiling this one with types.
    function grouped(v) {
        return v.substring(0, 6) + "  " + v.substring(6, 14) + "  " + v.substring(14, 18)
    }

    Column {
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.margin
        spacing: Theme.margin

        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("请核对您的身份证号码")
            size: "headline"
            font.bold: true
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("摄像头从身份证上读到的号码是：")
            size: "large"
            color: Theme.textMuted
        }
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Math.min(parent.width, number.implicitWidth + 2 * Theme.margin)
            height: number.implicitHeight + Theme.margin
            radius: Theme.radius
            color: Theme.infoSoft
            border.width: Theme.highContrast ? 4 : 2
            border.color: Theme.primary
            KText {
                id: number
                objectName: "idCandidate"
                anchors.centerIn: parent
                width: Math.min(implicitWidth, parent.width - Theme.gap)
                text: root.grouped(root.camera.candidate)
                font.family: "WenQuanYi Micro Hei Mono"
                font.pixelSize: Math.min(Theme.fontDisplay, 96)
                font.bold: true
                wrapMode: Text.NoWrap
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.fontTitle
            }
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("和您的身份证一致，请按“确认”。")
            size: "large"
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.margin
            KButton {
                objectName: "idCheckNo"
                width: 480
                height: Theme.buttonHeight * 1.3
                size: "large"
                text: qsTr("不是我的号码")
                hint: qsTr("重新读取身份证")
                onClicked: root.camera.rejectCandidate()
            }
            KButton {
                objectName: "idCheckYes"
                width: 480
                height: Theme.buttonHeight * 1.3
                kind: "primary"
                size: "large"
                text: qsTr("确认")
                onClicked: root.camera.confirmCandidate()
            }
        }
    }
}
