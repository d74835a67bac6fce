import QtQuick

// Where the representative is in the ballot: numbered steps, done ones ticked.
Row {
    id: root

    property var steps: []
    property int current: 0

    spacing: 10

    Repeater {
        model: root.steps
        Row {
            id: step
            required property string modelData
            required property int index
            readonly property bool done: index < root.current
            readonly property bool here: index === root.current
            spacing: 10
            Rectangle {
                anchors.verticalCenter: parent.verticalCenter
                width: 48
                height: 48
                radius: 24
                color: step.here || step.done ? Theme.primary : "transparent"
                border.width: 3
                border.color: step.here || step.done ? Theme.primary : Theme.line
                CheckMark {
                    anchors.centerIn: parent
                    width: 28
                    height: 28
                    visible: step.done
                    color: Theme.primaryText
                }
                KText {
                    anchors.centerIn: parent
                    visible: !step.done
                    text: String(step.index + 1)
                    size: "bar"
                    font.bold: true
                    color: step.here || step.done ? Theme.primaryText : Theme.textMuted
                }
            }
            KText {
                anchors.verticalCenter: parent.verticalCenter
                text: step.modelData
                size: "bar"
                font.bold: step.here
                color: step.here ? Theme.text : Theme.textMuted
                wrapMode: Text.NoWrap
            }
            Rectangle {
                visible: step.index < root.steps.length - 1
                anchors.verticalCenter: parent.verticalCenter
                width: 28
                height: 3
                color: Theme.line
            }
        }
    }
}
