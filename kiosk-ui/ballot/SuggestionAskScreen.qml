import QtQuick
import Pingyi.Controls

// Suggestions are optional: ask plainly, with two equal answers. Like every answer, a tap
// only selects; "下一个" goes on.
VoterFrame {
    id: root

    objectName: "screen.suggestionAsk"
    title: qsTr("意见建议")
    speech: qsTr("您对政府部门的工作有什么意见或建议吗？可以写一条建议，也可以不写，直接继续。")
    hint: root.flow.wantsSuggestion < 0 ? qsTr("请点选一项") : qsTr("选好后请点“下一个”")

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width, 1300)
        spacing: Theme.margin

        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("您对政府部门的工作有什么意见或建议吗？")
            size: "headline"
            font.bold: true
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("建议是自愿的，与评议票分开保存，不会和您的评议内容放在一起。")
            size: "large"
            color: Theme.textMuted
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.margin
            ChoiceButton {
                objectName: "suggestYes"
                width: 560
                height: 180
                size: "title"
                centered: true
                text: qsTr("写一条建议")
                checked: root.flow.wantsSuggestion === 1
                onClicked: root.flow.setWantsSuggestion(true)
            }
            ChoiceButton {
                objectName: "suggestNo"
                width: 560
                height: 180
                size: "title"
                centered: true
                text: qsTr("不写建议")
                checked: root.flow.wantsSuggestion === 0
                onClicked: root.flow.setWantsSuggestion(false)
            }
        }
    }
}
