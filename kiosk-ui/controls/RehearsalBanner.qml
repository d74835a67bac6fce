import QtQuick

// Marks every screen of a rehearsal session: nothing cast here counts.
Rectangle {
    id: root

    property bool active: false

    objectName: "rehearsalBanner"
    visible: active
    implicitHeight: active ? Math.max(64, note.implicitHeight + 16) : 0
    color: Theme.rehearsal
    clip: true

    Row {
        anchors.fill: parent
        spacing: 26
        Repeater {
            model: Math.ceil(root.width / 52) + 2
            Rectangle {
                width: 26
                height: root.height * 2
                y: -root.height / 2
                rotation: 35
                color: "#1C1C1C"
                opacity: 0.16
            }
        }
    }

    Rectangle {
        anchors.centerIn: parent
        width: note.implicitWidth + 48
        height: parent.height - 12
        radius: 8
        color: Theme.rehearsal
        KText {
            id: note
            anchors.centerIn: parent
            text: qsTr("演练　本次投票不计入正式评议结果")
            size: "bar"
            font.bold: true
            color: Theme.rehearsalText
        }
    }
}
