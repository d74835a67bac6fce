import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// The camera's live picture with a guide frame drawn over it: a square for the invitation
// card's QR code, or the shape of an ID card with its number line marked. The frames come
// from the "camera" image provider, converted on the engine's loader thread; two images take
// turns so that the picture never blanks while the next frame loads, and a new frame is
// asked for only when the last one has arrived (at most the camera desk's ~12 a second).
Rectangle {
    id: root

    required property CameraDesk camera
    /// "qr", "idcard" or "face": which guide to draw.
    property string guide: root.camera.mode

    color: "#202020"
    radius: Theme.radius
    clip: true

    // Which of the two images is shown; the other one loads the next frame.
    property int front: 0
    property int wanted: root.camera.frameCounter

    function request() {
        const back = root.front === 0 ? imageB : imageA
        if (back.status === Image.Loading || !root.camera.available)
            return
        const source = "image://camera/" + root.wanted
        if (String(back.source) !== source)
            back.source = source
    }

    onWantedChanged: root.request()
    Component.onCompleted: root.request()
    // A camera that went away leaves no frozen picture of whoever stood there last.
    Connections {
        target: root.camera
        function onStatusChanged() {
            if (!root.camera.available) {
                imageA.source = ""
                imageB.source = ""
            }
        }
    }

    // The picture keeps the camera's 4:3 shape, as large as the box allows.
    Item {
        id: picture
        anchors.centerIn: parent
        width: Math.min(parent.width, parent.height * 4 / 3)
        height: width * 3 / 4

        Image {
            id: imageA
            objectName: "cameraImageA"
            anchors.fill: parent
            asynchronous: true
            cache: false
            smooth: true
            sourceSize.width: 640
            sourceSize.height: 480
            fillMode: Image.PreserveAspectFit
            visible: root.front === 0
            onStatusChanged: if (status === Image.Ready && root.front !== 0) { root.front = 0; root.request() }
        }
        Image {
            id: imageB
            objectName: "cameraImageB"
            anchors.fill: parent
            asynchronous: true
            cache: false
            smooth: true
            sourceSize.width: 640
            sourceSize.height: 480
            fillMode: Image.PreserveAspectFit
            visible: root.front === 1
            onStatusChanged: if (status === Image.Ready && root.front !== 1) { root.front = 1; root.request() }
        }

        // ---- the guide frame --------------------------------------------------------
    // Yellow, which stands out on a white card and on a dark table alike.
        // Where the QR code should be: a square in the middle, marked at its corners.
        Item {
            id: qrGuide
            visible: root.guide === "qr"
            anchors.centerIn: parent
            width: picture.height * 0.62
            height: width
            Repeater {
                model: 4
                Item {
                    id: corner
                    required property int index
                    readonly property bool atRight: index === 1 || index === 3
                    readonly property bool atBottom: index >= 2
                    readonly property real arm: qrGuide.width * 0.22
                    x: atRight ? qrGuide.width - arm : 0
                    y: atBottom ? qrGuide.height - arm : 0
                    width: arm
                    height: arm
                    Rectangle {
                        x: 0
                        y: corner.atBottom ? corner.arm - 12 : 0
                        width: corner.arm
                        height: 12
                        color: "#FFE000"
                    }
                    Rectangle {
                        x: corner.atRight ? corner.arm - 12 : 0
                        y: 0
                        width: 12
                        height: corner.arm
                        color: "#FFE000"
                    }
                }
            }
        }
        // Where the ID card should lie: its outline, with the number line along the bottom
        // (where it is on the card's front side).
        Rectangle {
            id: cardGuide
            objectName: "cardGuide"
            visible: root.guide === "idcard"
            anchors.centerIn: parent
            width: Math.min(picture.width * 0.84, picture.height * 0.84 * 85.6 / 54)
            height: width * 54 / 85.6
            color: "transparent"
            radius: width * 0.04
            border.width: 6
            border.color: "#FFE000"
            Rectangle {
                id: numberLine
                x: parent.width * 0.30
                y: parent.height * 0.78
                width: parent.width * 0.66
                height: parent.height * 0.14
                color: "#40FFE000"
                border.width: 4
                border.color: "#FFE000"
                radius: 6
            }
            Rectangle {
                anchors.right: numberLine.left
                anchors.rightMargin: 8
                anchors.verticalCenter: numberLine.verticalCenter
                // Inside the outline, left of the line: on a small picture the word shrinks.
                width: Math.min(Math.ceil(tagMetrics.advanceWidth) + 16, numberLine.x - 16)
                height: numberTag.implicitHeight + 4
                radius: 6
                color: "#FFE000"
                TextMetrics { id: tagMetrics; font: numberTag.font; text: numberTag.text }
                KText {
                    id: numberTag
                    anchors.centerIn: parent
                    width: parent.width - 8
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("号码")
                    size: "small"
                    font.bold: true
                    color: "#1C1C1C"
                    wrapMode: Text.NoWrap
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 12
                }
            }
        }
        // Where the face should be: an upright oval in the middle, about the size of a face
        // at arm's length (the quality gate wants its height between a quarter and three
        // quarters of the picture's).
        Rectangle {
            objectName: "faceGuide"
            visible: root.guide === "face"
            anchors.centerIn: parent
            height: picture.height * 0.62
            width: height * 0.74
            radius: width / 2
            color: "transparent"
            border.width: 6
            border.color: "#FFE000"
        }
    }

    // Before the first frame, or while the camera is away.
    KText {
        anchors.centerIn: parent
        visible: !root.camera.available
        text: qsTr("摄像头正在启动…")
        color: "#FFFFFF"
    }
}
