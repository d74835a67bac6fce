import QtQuick
import Pingyi.Controls

// Which area the suggestion is about.
VoterFrame {
    id: root

    objectName: "screen.suggestionTopic"
    title: qsTr("意见建议")
    speech: qsTr("请选择建议的方面：") + root.flow.topics.spokenList(Theme.english)
    hint: root.flow.canAdvance ? qsTr("选好后请点“下一个”") : qsTr("请点选一项")

    ScrollArea {
        anchors.fill: parent
        Column {
            id: column
            width: parent.width
            spacing: Theme.gap
            KText {
                text: qsTr("您的建议是关于哪个方面的？")
                size: "title"
                font.bold: true
            }
            Grid {
                id: grid
                columns: Theme.textLevel > 0 ? 3 : 4
                spacing: Theme.gap
                Repeater {
                    model: root.flow.topics
                    ChoiceButton {
                        required property string code
                        required property string label
                        required property string labelEn
                        objectName: "topic_" + code
                        width: (column.width - (grid.columns - 1) * grid.spacing) / grid.columns
                        size: "large"
                        text: Theme.pick(label, labelEn)
                        checked: root.flow.suggestionTopic === code
                        onClicked: root.flow.chooseTopic(code)
                    }
                }
            }
        }
    }
}
