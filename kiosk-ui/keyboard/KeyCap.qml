import QtQuick
import Pingyi.Controls

// One key of the on-screen keyboard.
Rectangle {
    id: root

    property string label
    property string name: label
    property bool accent: false
    property bool checked: false

    signal tapped()

    objectName: "key_" + name
    radius: 10
    color: checked || accent ? (area.pressed ? Theme.primaryPressed : Theme.primary)
                             : (area.pressed ? Theme.pressed : Theme.surface)
    border.width: Theme.highContrast ? 3 : 1
    border.color: checked || accent ? Theme.primary : Theme.line

    Accessible.role: Accessible.Button
    Accessible.name: label

    KText {
        anchors.centerIn: parent
        width: parent.width - 8
        horizontalAlignment: Text.AlignHCenter
        text: root.label
        size: root.label.length > 1 ? "bar" : "large"
        font.bold: root.checked || root.accent
        color: root.checked || root.accent ? Theme.primaryText : Theme.text
        wrapMode: Text.NoWrap
        elide: Text.ElideRight
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: root.tapped()
    }
}
