import QtQuick
import Pingyi.Controls

// Shows an ID number as it is typed, in groups of 6, 8 and 4 so that it is easy to check
// against the card.
Rectangle {
    id: root

    property string value: ""
    /// The number on show was refused: the field is marked until it is changed.
    property bool wrong: false

    implicitHeight: 120
    radius: Theme.radius
    color: Theme.surface
    border.width: root.wrong ? (Theme.highContrast ? 6 : 5) : (Theme.highContrast ? 4 : 3)
    border.color: root.wrong ? Theme.danger : Theme.primary

    // The groups present so far, two spaces apart: "110101  19900307  123X". (Written without
    // local variables: Qt 6.4's qmllint crashes on a `let` in a typed function.)
    function grouped(v: string): string {
        if (v.length > 14)
            return v.substring(0, 6) + "  " + v.substring(6, 14) + "  " + v.substring(14, 18)
        if (v.length > 6)
            return v.substring(0, 6) + "  " + v.substring(6, 14)
        return v.substring(0, 6)
    }

    KText {
        anchors.left: parent.left
        anchors.leftMargin: 28
        anchors.right: counter.left
        anchors.verticalCenter: parent.verticalCenter
        text: root.value === "" ? qsTr("请输入18位身份证号码") : root.grouped(root.value)
        size: root.value === "" ? "body" : "title"
        font.family: root.value === "" ? Theme.fontFamily : "WenQuanYi Micro Hei Mono"
        font.bold: root.value !== ""
        color: root.value === "" ? Theme.textMuted : Theme.text
        wrapMode: Text.NoWrap
    }
    KText {
        id: counter
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.verticalCenter: parent.verticalCenter
        text: qsTr("%1 / 18 位").arg(root.value.length)
        size: "small"
        color: Theme.textMuted
    }
}
