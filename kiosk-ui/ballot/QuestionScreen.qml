import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// One question per page, for the questionnaire and the discipline survey. A tap only
// selects (another tap changes it) and "下一题" moves on; multiple-choice questions say how
// many may be chosen.
VoterFrame {
    id: root

    readonly property bool survey: root.flow.stage === VoterFlow.Discipline
    readonly property questionPage q: root.flow.question
    readonly property var choices: q.choices // list<choiceView>
    readonly property var answer: q.answer // list<string>: chosen codes
    readonly property bool multiple: q.multiple
    readonly property string questionText: Theme.pick(q.text, q.textEn)

    objectName: survey ? "screen.discipline" : "screen.question"
    title: survey ? qsTr("活动纪律情况调查") : qsTr("社情民意调查问卷")
    speech: qsTr("第 %1 题，共 %2 题。").arg(root.flow.index + 1).arg(root.flow.count) + questionText + "。"
            + choices.map(c => Theme.pick(c.label, c.labelEn)).join(Theme.english ? ", " : "、")
    privateSpeech: answer.length > 0 ? qsTr("您选择了：") + Theme.pick(q.answerLabel, q.answerLabelEn) + "。" : ""
    nextText: root.flow.editing ? qsTr("完成，返回核对")
              : (!q.required && answer.length === 0 ? qsTr("跳过此题") : qsTr("下一题"))
    nextKind: !q.required && answer.length === 0 ? "secondary" : "primary"
    hint: multiple ? qsTr("已选 %1 项").arg(answer.length)
          : answer.length > 0 ? qsTr("选好后请点“下一题”")
          : (q.required ? qsTr("请点选一项") : qsTr("此题可以不答"))

    ScrollArea {
        id: scroll
        anchors.fill: parent

        Column {
            id: column
            width: parent.width
            spacing: Theme.gap

            Row {
                width: parent.width
                spacing: Theme.gap
                KText {
                    id: progress
                    objectName: "progress"
                    text: qsTr("第 %1 / %2 题").arg(root.flow.index + 1).arg(root.flow.count)
                    size: "large"
                    font.bold: true
                    color: Theme.primary
                    wrapMode: Text.NoWrap
                }
                KText {
                    anchors.baseline: progress.baseline
                    width: parent.width - progress.width - Theme.gap
                    text: root.flow.atLimit ? qsTr("已选满 %1 项。如需更换，请先点一下已选的项取消。").arg(root.q.maxChoices)
                          : root.multiple ? qsTr("可多选，最多选 %1 项").arg(root.q.maxChoices)
                          : (root.survey && root.flow.index === 0 ? qsTr("以下问题用于了解评议活动是否公正，请如实回答。您的回答同样是无记名的。") : "")
                    color: root.flow.atLimit ? Theme.primary : Theme.textMuted
                    font.bold: root.flow.atLimit
                }
            }
            KText {
                id: questionText
                objectName: "questionText"
                width: parent.width
                text: root.questionText
                size: "title"
                font.bold: true
            }
            Grid {
                id: grid
                readonly property int n: root.choices.length
                columns: n <= 3 ? n : (n === 4 ? 2 : (column.width / 3 >= 480 * Theme.scale ? 3 : 2))
                readonly property int rows: Math.ceil(n / Math.max(1, columns))
                readonly property real cellWidth: (column.width - (columns - 1) * spacing) / Math.max(1, columns)
                // Fit every choice on the page when the text size allows it.
                readonly property real fitHeight: (scroll.height - progress.height - questionText.height - 2 * column.spacing
                                                   - (rows - 1) * spacing) / Math.max(1, rows)
                readonly property bool compact: n <= 3
                spacing: Theme.gap
                Repeater {
                    model: root.choices
                    ChoiceButton {
                        required property choiceView modelData
                        objectName: "choice_" + modelData.code
                        width: grid.cellWidth
                        height: Math.max(implicitHeight, Math.min(grid.compact ? 180 : 130, grid.fitHeight))
                        size: grid.compact ? "title" : "large"
                        centered: grid.compact
                        text: Theme.pick(modelData.label, modelData.labelEn)
                        multi: root.multiple
                        checked: root.answer.indexOf(modelData.code) >= 0
                        enabled: checked || !root.flow.atLimit
                        onClicked: root.flow.choose(modelData.code)
                    }
                }
            }
        }
    }
}
