import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// Check-in by face: the live picture with an oval for the face on the left; on the right,
// one step at a time, what to do: look at the camera (with the camera's advice: closer,
// farther, more light, one person), turn the head the way the arrow shows (the kiosk draws
// the way at random; a photo cannot follow it), wait, and finally confirm the masked name the
// face matched — a relative can look alike, so nobody votes under a name they did not
// accept. A refusal says why, offers another try, and the card and ID-number ways.
Item {
    id: root

    required property CameraDesk camera
    required property CheckInDesk desk

    objectName: "faceCheck"

    readonly property string stage: root.camera.faceStage
    readonly property bool turnLeft: root.camera.faceTurn === "left"

    /// The camera's advice on the face in front of it, in words that say what to do.
    function adviceText(code: string): string {
        switch (code) {
        case "face-none": return qsTr("没有看到人脸：请站到摄像头正前方，摘下帽子和口罩。")
        case "face-many": return qsTr("摄像头前有不止一个人：请其他人稍稍离开。")
        case "face-far": return qsTr("请再靠近一点。")
        case "face-close": return qsTr("太近了：请稍稍后退。")
        case "face-dark": return qsTr("光线太暗：请面向亮处，或请工作人员开灯。")
        case "face-blur": return qsTr("请保持不动片刻。")
        case "face-turn": return qsTr("请正对摄像头。")
        case "face-reader-unavailable": return qsTr("本机暂时不能刷脸：请用邀请卡或身份证签到。")
        default: return ""
        }
    }
    readonly property string stageTitle: {
        switch (root.stage) {
        case "turn": return root.turnLeft ? qsTr("请慢慢向左转头") : qsTr("请慢慢向右转头")
        case "checking": return qsTr("正在核对，请稍候")
        case "retry": return Refusals.title(root.desk.errorCode)
        case "confirm": return qsTr("请确认您的姓名")
        default: return qsTr("请看着摄像头")
        }
    }
    /// What the screen reader says for this step.
    readonly property string speech: {
        switch (root.stage) {
        case "turn": return root.stageTitle + qsTr("，转到一半就可以，然后看回屏幕。")
        case "retry": return root.stageTitle + "。" + Refusals.help(root.desk.errorCode)
        case "confirm": return qsTr("摄像头认出的代表是%1。是您本人，请按“是我”；不是，请按“不是我”。").arg(root.camera.faceName)
        default: return qsTr("请看着摄像头，把脸放在黄色框内。") + root.adviceText(root.camera.guidance)
        }
    }

    Row {
        anchors.fill: parent
        spacing: Theme.margin

        Card {
            width: (parent.width - parent.spacing) * 0.46
            height: parent.height
            CameraPreview {
                objectName: "facePreview"
                anchors.fill: parent
                anchors.margins: Theme.gap
                camera: root.camera
                guide: root.stage === "look" || root.stage === "turn" ? "face" : ""
            }
        }

        Card {
            id: panel
            objectName: "faceStep"
            width: (parent.width - parent.spacing) * 0.54
            height: parent.height
            border.width: root.stage === "retry" ? (Theme.highContrast ? 4 : 3) : (Theme.highContrast ? 3 : 1)
            border.color: root.stage === "retry" ? Theme.danger : Theme.line

            Column {
                id: steps
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.margin

                KText {
                    objectName: "faceTitle"
                    width: parent.width
                    text: root.stageTitle
                    size: "title"
                    font.bold: true
                    color: root.stage === "retry" ? Theme.danger : Theme.text
                }

                // ---- look: how to stand, and the camera's advice ---------------------
                KText {
                    objectName: "faceVerifyNote"
                    visible: root.stage === "look" && root.desk.errorCode === "face-verify"
                    width: parent.width
                    text: qsTr("还差一步：本场评议要求刷脸确认是您本人。")
                    size: "large"
                    font.bold: true
                    color: Theme.primary
                }
                KText {
                    visible: root.stage === "look"
                    width: parent.width
                    text: qsTr("把脸放在黄色框内，离屏幕一臂远。请摘下帽子和口罩。")
                    size: "large"
                }
                Rectangle {
                    objectName: "faceAdvice"
                    visible: root.stage === "look" && root.camera.guidance !== ""
                    width: parent.width
                    height: adviceLabel.implicitHeight + 2 * Theme.gap
                    radius: Theme.radius
                    color: Theme.infoSoft
                    border.width: Theme.highContrast ? 4 : 2
                    border.color: Theme.info
                    KText {
                        id: adviceLabel
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.margins: Theme.gap
                        text: root.adviceText(root.camera.guidance)
                        size: "large"
                        font.bold: true
                    }
                }

                // ---- turn: the arrow, how far, how long ------------------------------
                KText {
                    objectName: "faceArrow"
                    visible: root.stage === "turn"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: root.turnLeft ? "←" : "→"
                    font.pixelSize: Math.min(Theme.fontDisplay * 2, 140)
                    font.bold: true
                    color: Theme.primary
                }
                Rectangle {
                    objectName: "faceProgress"
                    visible: root.stage === "turn"
                    width: parent.width
                    height: 36
                    radius: 18
                    color: Theme.surfaceAlt
                    border.width: Theme.border
                    border.color: Theme.line
                    Rectangle {
                        x: root.turnLeft ? parent.width - width : 0
                        width: parent.width * Math.max(0.04, Math.min(1, root.camera.faceProgress))
                        height: parent.height
                        radius: 18
                        color: Theme.primary
                    }
                }
                KText {
                    visible: root.stage === "turn"
                    width: parent.width
                    text: qsTr("转到一半就可以，然后看回屏幕。还剩 %1 秒。").arg(root.camera.faceSecondsLeft)
                    size: "large"
                }

                // ---- retry: why, and what to do ------------------------------------------
                KText {
                    objectName: "faceRefusal"
                    visible: root.stage === "retry"
                    width: parent.width
                    text: Refusals.help(root.desk.errorCode)
                    size: "large"
                }
                KButton {
                    objectName: "faceRetry"
                    visible: root.stage === "retry"
                    width: parent.width
                    height: Theme.buttonHeight * 1.2
                    kind: "primary"
                    size: "large"
                    text: qsTr("再试一次")
                    onClicked: root.camera.retryFace()
                }

                // ---- confirm: the name the face matched ----------------------------------
                KText {
                    visible: root.stage === "confirm"
                    width: parent.width
                    text: qsTr("摄像头认出的代表是：")
                    size: "large"
                    color: Theme.textMuted
                }
                KText {
                    objectName: "faceName"
                    visible: root.stage === "confirm"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: root.camera.faceName
                    font.pixelSize: Math.min(Theme.fontDisplay, 96)
                    font.bold: true
                    color: Theme.primary
                }
                Row {
                    visible: root.stage === "confirm"
                    width: parent.width
                    spacing: Theme.gap
                    KButton {
                        objectName: "faceNo"
                        width: (parent.width - parent.spacing) * 0.4
                        height: Theme.buttonHeight * 1.2
                        size: "large"
                        text: qsTr("不是我")
                        onClicked: root.camera.confirmFace(false)
                    }
                    KButton {
                        objectName: "faceYes"
                        width: (parent.width - parent.spacing) * 0.6
                        height: Theme.buttonHeight * 1.2
                        kind: "primary"
                        size: "large"
                        text: qsTr("是我，开始评议")
                        onClicked: root.camera.confirmFace(true)
                    }
                }
            }

            // The other ways, while nothing runs: not during the turn (the footer's 返回首页
            // stays) nor while the name waits for an answer.
            KButton {
                objectName: "faceOtherWays"
                visible: root.stage === "look" || root.stage === "retry"
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.bottom: parent.bottom
                anchors.margins: Theme.margin
                height: Theme.buttonHeight
                text: qsTr("改用邀请卡或身份证")
                onClicked: root.camera.chooseMode(root.camera.defaultMode())
            }
        }
    }
}
