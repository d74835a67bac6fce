import QtQuick

// The band at the top of every screen: what this is (title), for whom (subtitle), and the
// controls placed on the right.
Rectangle {
    id: root

    property string title
    property string subtitle
    default property alias trailing: trailingRow.data

    // The same height at every text size, so that nothing below it moves when the size
    // changes; a long title shrinks to fit its two lines instead of pushing the page down.
    implicitHeight: Theme.headerHeight
    color: Theme.header

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
            objectName: "headerTitle"
            width: parent.width
            height: root.height - 20 - (subtitleText.visible ? subtitleText.height + texts.spacing : 0)
            text: root.title
            font.pixelSize: Theme.fontHeaderTitle
            font.bold: true
            color: Theme.headerText
            verticalAlignment: Text.AlignVCenter
            maximumLineCount: 2
            fontSizeMode: Text.Fit
            minimumPixelSize: 22
            elide: Text.ElideRight
        }
        KText {
            id: subtitleText
            objectName: "headerSubtitle"
            width: parent.width
            height: Math.ceil(Theme.fontBar * 1.25)
            visible: root.subtitle !== ""
            text: root.subtitle
            size: "bar"
            color: Theme.headerText
            opacity: 0.9
            maximumLineCount: 1
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: 18
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
