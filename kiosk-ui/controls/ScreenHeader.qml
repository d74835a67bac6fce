import QtQuick

// The band at the top of every screen: what this is (title), for whom (subtitle), and the
// controls placed on the right.
Rectangle {
    id: root

    property string title
    property string subtitle
    default property alias trailing: trailingRow.data

    implicitHeight: Math.max(112, texts.implicitHeight + 28)
    color: Theme.header
    border.width: Theme.highContrast ? 0 : 0

    Rectangle {
        visible: Theme.highContrast
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 4
        color: Theme.text
    }

    Column {
        id: texts
        anchors.left: parent.left
        anchors.leftMargin: Theme.margin
        anchors.right: trailingRow.left
        anchors.rightMargin: Theme.gap
        anchors.verticalCenter: parent.verticalCenter
        spacing: 2
        KText {
            width: parent.width
            text: root.title
            size: "title"
            font.bold: true
            color: Theme.headerText
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        KText {
            width: parent.width
            visible: root.subtitle !== ""
            text: root.subtitle
            size: "bar"
            color: Theme.headerText
            opacity: 0.9
            maximumLineCount: 1
            elide: Text.ElideRight
        }
    }

    Row {
        id: trailingRow
        anchors.right: parent.right
        anchors.rightMargin: Theme.margin / 2
        anchors.verticalCenter: parent.verticalCenter
        spacing: 12
    }
}
