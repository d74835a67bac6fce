import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// "Who are you?": show the invitation card's QR code or the ID card to the camera (when the
// kiosk has one and it is working), scan the card with the hand scanner, or type the ID
// number — whichever the activity allows. A number read by the camera is shown for the
// representative to confirm before it is used. A refusal says plainly what happened and
// what to do; staff can help from here.
Rectangle {
    id: root

    required property CheckInDesk desk
    required property CameraDesk camera
    required property Accessibility access
    property string sessionName
    property bool rehearsal: false

    signal back()
    signal help()

    objectName: "screen.identify"
    color: Theme.background

    property string idNumber: ""
    readonly property bool refused: desk.errorCode !== ""
    /// The refusal's words with where the representative belongs, when the core knows it.
    readonly property string refusalText: {
        const place = Refusals.placeText(root.desk.place)
        const help = Refusals.help(root.desk.errorCode, root.desk.holder)
        return place !== "" ? place + "\n" + help : help
    }
    /// The camera can take a card now: it delivers frames and the activity allows a card.
    readonly property bool cameraOffered: camera.available
        && (desk.allowsCredential || (desk.allowsIdNumber && camera.idCardReadable))
    /// The camera can read both: the person chooses. (Once the ID-card reader turns out to be
    /// unavailable that choice is withdrawn, unless it is the one on screen, which says why.)
    readonly property bool cameraChoice: desk.allowsCredential && desk.allowsIdNumber
        && (camera.idCardReadable || camera.mode === "idcard")
    /// A camera belongs here but is not working: say so, and offer the rest.
    readonly property bool cameraTrouble: camera.configured
        && (camera.status === "missing" || camera.status === "busy" || camera.status === "unplugged")
    readonly property bool confirming: camera.candidate !== ""
    /// Check-in by face (FaceCheckView takes the body's place).
    readonly property bool faceMode: camera.mode === "face"
    readonly property string speech: faceMode ? faceView.speech
        : confirming
        ? qsTr("请核对屏幕上的身份证号码。和您的身份证一致，请按确认；不一致，请按“不是我的号码”。")
        : refused ? Refusals.title(desk.errorCode) + "。" + root.refusalText
        : cameraOffered && camera.mode === "idcard" ? qsTr("请把身份证放在摄像头下，有号码的一面朝上，或在右边输入身份证号码。")
        : cameraOffered ? qsTr("请把邀请卡上的二维码对准摄像头，或在右边输入您的身份证号码。")
        : qsTr("请扫描邀请函上的二维码，或在右边输入您的身份证号码。")

    // A refused number stays on the field, so that one wrong digit is corrected with 删除
    // rather than all 18 typed again; leaving the screen (or its idle time-out) clears it.
    function submitId() {
        if (root.idNumber.length !== 18)
            return
        root.desk.submitIdNumber(root.idNumber)
    }
    readonly property bool idRefused: root.desk.errorCode === "id-invalid" || root.desk.errorCode === "id-unknown"

    // What the camera sees that keeps it from reading, in words that say what to do.
    function guidanceText(code: string): string {
        switch (code) {
        case "qr-unreadable": return qsTr("看到了二维码，但还读不出来：请把二维码完整地放在框内，不要遮挡。")
        case "qr-glare": return qsTr("屏幕反光太强：请把手机屏幕调暗或换个角度。")
        case "card-no-number": return qsTr("看到了身份证，但还读不出号码：请把身份证放平、放近一点。")
        case "card-reader-unavailable": return qsTr("本机暂时不能读取身份证：请用右边的键盘输入身份证号码。")
        default: return ""
        }
    }

    ScanCatcher {
        id: catcher
        active: !root.confirming
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
        visible: !root.confirming && !root.faceMode

        // ---- the camera: invitation QR or ID card, with the live picture --------------
        Card {
            id: cameraCard
            objectName: "cameraCard"
            visible: root.cameraOffered
            width: root.desk.allowsIdNumber ? (body.width - body.spacing) * 0.42 : body.width
            height: body.height
            border.width: root.refused ? (Theme.highContrast ? 4 : 3) : (Theme.highContrast ? 3 : 1)
            border.color: root.refused ? Theme.danger : Theme.line

            Column {
                id: cameraColumn
                anchors.fill: parent
                anchors.margins: Theme.gap
                spacing: Theme.gap

                MessagePanel {
                    id: refusalPanel
                    objectName: "refusal"
                    visible: root.refused
                    width: parent.width
                    kind: "error"
                    title: Refusals.title(root.desk.errorCode)
                    text: root.refusalText
                }
                // The two things the camera can read, when the activity allows both.
                // After a refusal at the largest text there may be no room for both: the
                // refusal says what to do, and the buttons return with the next try.
                Row {
                    id: modeRow
                    visible: root.cameraChoice
                             && (!root.refused || refusalPanel.height + 2 * cameraColumn.spacing + qrButton.implicitHeight + 140
                                 <= cameraColumn.height)
                    spacing: Theme.gap
                    KButton {
                        id: qrButton
                        objectName: "cameraQr"
                        width: (cameraColumn.width - modeRow.spacing) / 2
                        height: Math.max(implicitHeight, idCardButton.implicitHeight)
                        checked: root.camera.mode === "qr"
                        text: qsTr("把邀请卡二维码对准摄像头", "camera mode button")
                        onClicked: root.camera.chooseMode("qr")
                    }
                    KButton {
                        id: idCardButton
                        objectName: "cameraIdCard"
                        width: (cameraColumn.width - modeRow.spacing) / 2
                        height: Math.max(implicitHeight, qrButton.implicitHeight)
                        checked: root.camera.mode === "idcard"
                        text: qsTr("把身份证放在摄像头下", "camera mode button")
                        onClicked: root.camera.chooseMode("idcard")
                    }
                }
                KText {
                    id: singleMode
                    visible: !root.cameraChoice
                    width: parent.width
                    text: root.desk.allowsCredential ? qsTr("把邀请卡二维码对准摄像头") : qsTr("把身份证放在摄像头下")
                    size: "title"
                    font.bold: true
                }
                // The picture takes what room is left; with a refusal and large text there may
                // be too little for it to help, and then it steps aside rather than push the
                // advice off the card.
                CameraPreview {
                    objectName: "cameraPreview"
                    // From the heights above and below it (not its own y, which a hidden item
                    // keeps from when it was last placed).
                    readonly property real room: cameraColumn.height
                        - (root.refused ? refusalPanel.height + cameraColumn.spacing : 0)
                        - (modeRow.visible ? modeRow.height + cameraColumn.spacing : 0)
                        - (singleMode.visible ? singleMode.height + cameraColumn.spacing : 0)
                        - (guidanceBox.visible ? guidanceBox.height + cameraColumn.spacing : 0)
                    visible: room >= 140
                    camera: root.camera
                    width: parent.width
                    height: Math.max(0, room)
                }
                Rectangle {
                    id: guidanceBox
                    objectName: "cameraGuidance"
                    readonly property bool warning: root.camera.guidance !== ""
                    // A refusal above says what to do; the camera's advice returns with the next try.
                    visible: !root.refused || warning
                    width: parent.width
                    height: guidanceLabel.implicitHeight + 24
                    radius: Theme.radius
                    // What to do, not a refusal: the calm colour of advice.
                    color: warning ? Theme.infoSoft : "transparent"
                    border.width: warning ? (Theme.highContrast ? 4 : 2) : 0
                    border.color: Theme.info
                    KText {
                        id: guidanceLabel
                        objectName: "cameraGuidanceText"
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.leftMargin: guidanceBox.warning ? Theme.gap : 0
                        anchors.rightMargin: anchors.leftMargin
                        text: guidanceBox.warning ? root.guidanceText(root.camera.guidance)
                            : root.camera.mode === "idcard" ? qsTr("身份证有号码的一面朝上，放在框内，号码对准黄色的条。")
                            : qsTr("二维码放在框内，离摄像头一掌远。也可以用扫描器扫描。")
                        size: "large"
                        font.bold: guidanceBox.warning
                        color: Theme.text
                    }
                }
            }
        }

        // ---- the hand scanner (no camera, or the camera is not working) ---------------
        Card {
            id: scanCard
            visible: !root.cameraOffered
            width: root.desk.allowsIdNumber ? (body.width - body.spacing) * 0.42 : body.width
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
                text: root.refusalText
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
                id: cameraNote
                objectName: "cameraTrouble"
                visible: root.cameraTrouble
                anchors.bottom: scanText.top
                anchors.bottomMargin: Theme.gap
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                text: qsTr("摄像头暂时不能使用，请用扫描器或键盘。")
                size: "body"
                color: Theme.textMuted
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
                anchors.bottom: cameraNote.visible ? cameraNote.top : scanText.top
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

        // ---- the keypad (the same size whichever card is beside it) ----------------------
        Card {
            visible: root.desk.allowsIdNumber
            width: (body.width - body.spacing) * 0.58
            height: body.height
            Column {
                id: idColumn
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.gap
                // Gives way to a refused number's mark and note, so the keypad keeps its keys.
                KText {
                    visible: !(root.idRefused && root.idNumber.length === 18)
                    width: parent.width
                    text: qsTr("或输入身份证号码")
                    size: "title"
                    font.bold: true
                }
                IdNumberField {
                    objectName: "idField"
                    width: parent.width
                    value: root.idNumber
                    wrong: root.idRefused && root.idNumber.length === 18
                    flaw: root.desk.idFlaw
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
                        onBackspace: {
                            root.idNumber = root.idNumber.substring(0, root.idNumber.length - 1)
                            root.desk.clear()
                        }
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

    // ---- the number the camera read, for the representative to confirm -----------------
    IdConfirmView {
        visible: root.confirming
        camera: root.camera
        anchors.fill: body
    }

    // ---- check-in by face ---------------------------------------------------------------
    FaceCheckView {
        id: faceView
        visible: root.faceMode
        camera: root.camera
        desk: root.desk
        anchors.fill: body
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
            objectName: "identifyFace"
            visible: root.camera.faceOffered && !root.faceMode && !root.confirming
            anchors.centerIn: parent
            kind: "primary"
            text: qsTr("刷脸签到")
            onClicked: root.camera.chooseMode("face")
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
