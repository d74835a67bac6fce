import QtQuick

// A page that may be longer than the screen. When it is, large "page up" and "page down"
// buttons appear beside it, for those who do not think of swiping. Their place is kept
// free either way, so that the page's width never depends on its own height.
Item {
    id: root

    default property alias content: holder.data
    readonly property alias flickable: flick
    readonly property bool overflows: flick.contentHeight > flick.height + 1

    Flickable {
        id: flick
        objectName: "scrollArea"
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.right: pager.left
        anchors.rightMargin: Theme.gap
        contentWidth: width
        contentHeight: holder.height
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        Item {
            id: holder
            width: flick.width
            height: childrenRect.height
        }
    }

    Column {
        id: pager
        opacity: root.overflows ? 1 : 0
        enabled: root.overflows
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: Math.round(150 * Math.min(Theme.scale, 1.25))
        spacing: Theme.gap
        KButton {
            objectName: "pageUp"
            width: parent.width
            height: (parent.height - Theme.gap) / 2
            glyph: "▲"
            text: qsTr("上翻")
            size: "bar"
            enabled: flick.contentY > 1
            onClicked: flick.contentY = Math.max(0, flick.contentY - flick.height * 0.8)
        }
        KButton {
            objectName: "pageDown"
            width: parent.width
            height: (parent.height - Theme.gap) / 2
            glyph: "▼"
            text: qsTr("下翻")
            size: "bar"
            enabled: flick.contentY < flick.contentHeight - flick.height - 1
            kind: enabled ? "primary" : "secondary"
            onClicked: flick.contentY = Math.min(flick.contentHeight - flick.height, flick.contentY + flick.height * 0.8)
        }
    }
}
