import QtQuick

// A question that must be answered before anything else: dims the screen behind it and
// catches every tap outside the card.
Rectangle {
    id: root

    property string title
    property string text
    property string acceptText: qsTr("确定")
    property string rejectText: qsTr("返回")
    property string acceptKind: "primary"
    property bool showReject: true
    default property alias extra: extraArea.data

    signal accepted()
    signal rejected()

    color: Theme.highContrast ? "#E0000000" : Theme.scrim
    z: 100
    /// Hides what lies under it (the screen tour checks only the topmost such layer).
    readonly property bool layoutModal: true

    MouseArea {
        anchors.fill: parent
        // Taps outside the card do nothing: the question stays until answered.
    }

    Card {
        id: card
        anchors.centerIn: parent
        width: Math.min(root.width - 2 * Theme.margin, 1100)
        height: content.implicitHeight + 2 * Theme.margin
        border.width: Theme.highContrast ? 4 : 2

        Column {
            id: content
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.gap

            KText {
                width: parent.width
                text: root.title
                size: "title"
                font.bold: true
            }
            KText {
                width: parent.width
                visible: root.text !== ""
                text: root.text
                size: "large"
            }
            Item {
                id: extraArea
                width: parent.width
                implicitHeight: childrenRect.height
                height: implicitHeight
            }
            Row {
                anchors.right: parent.right
                spacing: Theme.gap
                KButton {
                    objectName: "dialogReject"
                    visible: root.showReject
                    width: Math.max(implicitWidth, 320)
                    text: root.rejectText
                    onClicked: root.rejected()
                }
                KButton {
                    objectName: "dialogAccept"
                    width: Math.max(implicitWidth, 320)
                    kind: root.acceptKind
                    text: root.acceptText
                    onClicked: root.accepted()
                }
            }
        }
    }
}
