import QtQuick

// A message with what to do next. kind: info, success, error.
Rectangle {
    id: root

    property string kind: "info"
    property string title
    property string text

    readonly property color accent: kind === "error" ? Theme.danger : kind === "success" ? Theme.success : Theme.info

    implicitHeight: Math.max(120, body.implicitHeight + 48)
    radius: Theme.radius
    color: kind === "error" ? Theme.dangerSoft : kind === "success" ? Theme.successSoft : Theme.infoSoft
    border.width: Theme.highContrast ? 4 : 2
    border.color: accent

    Accessible.role: Accessible.AlertMessage
    Accessible.name: title + " " + text

    Rectangle {
        id: badge
        anchors.left: parent.left
        anchors.leftMargin: 28
        anchors.top: parent.top
        anchors.topMargin: 26
        width: 64
        height: 64
        radius: 32
        color: root.accent
        CheckMark {
            anchors.centerIn: parent
            width: 40
            height: 40
            visible: root.kind === "success"
            color: Theme.highContrast ? "#000000" : "#FFFFFF"
        }
        KText {
            anchors.centerIn: parent
            visible: root.kind !== "success"
            text: root.kind === "error" ? "!" : "i"
            size: "title"
            font.bold: true
            color: Theme.highContrast ? "#000000" : "#FFFFFF"
        }
    }

    Column {
        id: body
        anchors.left: badge.right
        anchors.leftMargin: 24
        anchors.right: parent.right
        anchors.rightMargin: 28
        anchors.top: parent.top
        anchors.topMargin: 24
        spacing: 8
        KText {
            width: parent.width
            text: root.title
            size: "large"
            font.bold: true
            color: Theme.highContrast ? root.accent : Theme.text
        }
        KText {
            width: parent.width
            visible: root.text !== ""
            text: root.text
        }
    }
}
