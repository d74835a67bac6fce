import QtQuick
import Pingyi.Controls

// An irreversible step (closing a session) as a press and hold: the button fills while held
// and acts only when full, after holdMs. A tap, a double tap or a brush never acts; letting
// go early empties it and says how it works.
Item {
    id: root

    property string text
    /// Shown under the button after a press too short to act.
    property string holdHint: qsTr("按住2秒结束")
    property int holdMs: 2000
    /// 0..1 while held.
    readonly property real progress: fill.progress
    /// A press was let go before the fill was full (the hint is shown).
    property bool hinted: false

    signal activated()

    function letGo() {
        if (fill.progress < 1)
            root.hinted = true
        grow.stop()
        fill.progress = 0
    }

    implicitWidth: Math.max(Theme.touch * 4, label.implicitWidth + 120)
    // Room for the hint is kept, so that nothing moves when it appears.
    implicitHeight: face.height + 8 + hintText.implicitHeight
    opacity: enabled ? 1 : 0.4

    Accessible.role: Accessible.Button
    Accessible.name: root.text + "，" + root.holdHint

    Rectangle {
        id: face
        width: parent.width
        height: Math.max(Theme.buttonHeight, label.implicitHeight + 28)
        radius: Theme.radius
        color: Theme.dangerSoft
        border.width: Theme.border + 1
        border.color: Theme.danger

        // The fill grows from the left while the finger stays down.
        Rectangle {
            id: fill
            property real progress
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            anchors.margins: face.border.width
            width: (face.width - 2 * face.border.width) * progress
            radius: Math.max(0, face.radius - face.border.width)
            color: Theme.danger
            NumberAnimation {
                id: grow
                target: fill
                property: "progress"
                from: 0
                to: 1
                duration: root.holdMs
                onFinished: {
                    if (area.pressed && fill.progress >= 1) {
                        root.hinted = false
                        root.activated()
                    }
                }
            }
        }

        Row {
            anchors.centerIn: parent
            spacing: 14
            KText {
                anchors.verticalCenter: parent.verticalCenter
                text: "■"
                font.bold: true
                color: fill.progress > 0.5 ? Theme.primaryText : Theme.danger
            }
            KText {
                id: label
                anchors.verticalCenter: parent.verticalCenter
                width: Math.min(implicitWidth, face.width - 120)
                text: root.text
                font.bold: true
                color: fill.progress > 0.5 ? Theme.primaryText : Theme.danger
                horizontalAlignment: Text.AlignHCenter
            }
        }
    }

    KText {
        id: hintText
        objectName: "holdHint"
        anchors.top: face.bottom
        anchors.topMargin: 8
        width: parent.width
        visible: root.hinted
        horizontalAlignment: Text.AlignHCenter
        text: root.holdHint
        size: "bar"
        font.bold: true
        color: Theme.danger
    }

    MouseArea {
        id: area
        anchors.fill: face
        enabled: root.enabled
        onPressed: {
            grow.stop()
            fill.progress = 0
            grow.start()
        }
        onReleased: root.letGo()
        onCanceled: root.letGo()
    }
}
