import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// Every answer on one page, each with a way to change it, before anything is cast. Each
// department's rating shows its mark (colour and sign, as on the department page), so that
// a rating that differs from the rest stands out without reading every line.
VoterFrame {
    id: root

    objectName: "screen.review"
    title: qsTr("核对您的评议")
    speech: qsTr("请核对您的全部评议内容。需要修改的，请点该项右边的“修改”。核对无误后，请点“确认无误，提交”。")
    nextText: qsTr("确认无误，提交")
    hint: qsTr("可上下滑动查看全部内容")

    component AnswerRow: Rectangle {
        id: row
        property string label
        property string value
        property string tag: ""
        property int rank: -1 // a rating: its mark
        signal change()
        height: Math.max(Theme.touch + 20, Math.max(labelText.implicitHeight, valueText.implicitHeight) + 24)
        radius: 10
        color: Theme.surface
        border.width: Theme.highContrast ? 2 : 1
        border.color: Theme.line
        // First in the row, so that the marks stand in one column down the page.
        RatingMark {
            id: rowMark
            objectName: "mark_" + row.tag
            visible: row.rank >= 0
            anchors.left: parent.left
            anchors.leftMargin: 14
            anchors.verticalCenter: parent.verticalCenter
            rank: row.rank
            count: root.flow.scale.count
        }
        KText {
            id: labelText
            anchors.left: rowMark.visible ? rowMark.right : parent.left
            anchors.leftMargin: rowMark.visible ? 14 : 20
            anchors.right: valueText.left
            anchors.rightMargin: 16
            anchors.verticalCenter: parent.verticalCenter
            text: row.label
        }
        KText {
            id: valueText
            anchors.right: changeButton.left
            anchors.rightMargin: 16
            anchors.verticalCenter: parent.verticalCenter
            width: Math.min(implicitWidth, row.width * 0.38)
            horizontalAlignment: Text.AlignRight
            text: row.value !== "" ? row.value : qsTr("（未回答）")
            font.bold: true
            color: row.value === "" ? Theme.textMuted : row.rank >= 0 ? Theme.text : Theme.primary
        }
        KButton {
            id: changeButton
            objectName: "change_" + row.tag
            anchors.right: parent.right
            anchors.rightMargin: 10
            anchors.verticalCenter: parent.verticalCenter
            height: Theme.touch
            width: Math.max(implicitWidth, 140)
            size: "bar"
            text: qsTr("修改")
            onClicked: row.change()
        }
    }

    component SectionTitle: KText {
        width: parent ? parent.width : 0
        size: "large"
        font.bold: true
        topPadding: 12
    }

    ScrollArea {
        id: scroll
        objectName: "reviewList"
        anchors.fill: parent

        Column {
            id: column
            width: parent.width
            spacing: 12

            SectionTitle {
                text: qsTr("部门评议（共 %1 个部门）").arg(root.flow.ratings.count)
            }
            // What each mark means, in the order of the scale.
            Flow {
                objectName: "markLegend"
                width: parent.width
                spacing: Theme.gap
                Repeater {
                    model: root.flow.scale
                    Row {
                        required property string label
                        required property string labelEn
                        required property int rank
                        spacing: 10
                        RatingMark {
                            anchors.verticalCenter: parent.verticalCenter
                            width: Math.round(40 * Math.min(Theme.scale, 1.25))
                            height: width
                            rank: parent.rank
                            count: root.flow.scale.count
                        }
                        KText {
                            anchors.verticalCenter: parent.verticalCenter
                            text: Theme.pick(parent.label, parent.labelEn)
                            color: Theme.textMuted
                            wrapMode: Text.NoWrap
                        }
                    }
                }
            }
            Grid {
                id: deptGrid
                columns: Theme.textLevel > 0 ? 1 : 2
                spacing: 12
                width: parent.width
                Repeater {
                    model: root.flow.ratings
                    AnswerRow {
                        required property int index
                        required property int number
                        required property string name
                        required property string nameEn
                        required property string ratingLabel
                        required property string ratingLabelEn
                        required property int ratingRank
                        width: (deptGrid.width - (deptGrid.columns - 1) * deptGrid.spacing) / deptGrid.columns
                        tag: "department_" + index
                        label: number + ". " + Theme.pick(name, nameEn)
                        value: Theme.pick(ratingLabel, ratingLabelEn)
                        rank: ratingRank
                        onChange: root.flow.edit(VoterFlow.Department, index)
                    }
                }
            }

            SectionTitle {
                visible: root.flow.questionnaire.count > 0
                text: qsTr("社情民意调查问卷")
            }
            Repeater {
                model: root.flow.questionnaire
                AnswerRow {
                    required property int index
                    required property int number
                    required property string text
                    required property string textEn
                    required property string answerLabel
                    required property string answerLabelEn
                    width: column.width
                    tag: "question_" + index
                    label: number + ". " + Theme.pick(text, textEn)
                    value: Theme.pick(answerLabel, answerLabelEn)
                    onChange: root.flow.edit(VoterFlow.Question, index)
                }
            }

            SectionTitle {
                visible: root.flow.discipline.count > 0
                text: qsTr("活动纪律情况调查")
            }
            Repeater {
                model: root.flow.discipline
                AnswerRow {
                    required property int index
                    required property int number
                    required property string text
                    required property string textEn
                    required property string answerLabel
                    required property string answerLabelEn
                    width: column.width
                    tag: "discipline_" + index
                    label: number + ". " + Theme.pick(text, textEn)
                    value: Theme.pick(answerLabel, answerLabelEn)
                    onChange: root.flow.edit(VoterFlow.Discipline, index)
                }
            }

            SectionTitle {
                visible: root.flow.topics.count > 0
                text: qsTr("意见建议")
            }
            AnswerRow {
                visible: root.flow.topics.count > 0
                width: column.width
                tag: "suggestion"
                label: qsTr("是否提出建议")
                value: root.flow.wantsSuggestion === 1 ? qsTr("写了一条建议") : qsTr("不写建议")
                onChange: root.flow.edit(VoterFlow.SuggestionAsk, 0)
            }
            AnswerRow {
                visible: root.flow.wantsSuggestion === 1
                width: column.width
                tag: "suggestionTopic"
                label: qsTr("建议的方面")
                value: root.flow.topics.label(root.flow.suggestionTopic, Theme.english)
                onChange: root.flow.edit(VoterFlow.SuggestionTopic, 0)
            }
            AnswerRow {
                visible: root.flow.wantsSuggestion === 1
                width: column.width
                tag: "suggestionDepartment"
                label: qsTr("给哪个部门")
                value: root.flow.suggestionDepartment === "" ? qsTr("不针对具体部门")
                       : root.flow.ratings.name(root.flow.suggestionDepartment, Theme.english)
                onChange: root.flow.edit(VoterFlow.SuggestionDepartment, 0)
            }
            AnswerRow {
                visible: root.flow.wantsSuggestion === 1
                width: column.width
                tag: "suggestionText"
                label: root.flow.suggestionText
                value: ""
                onChange: root.flow.edit(VoterFlow.SuggestionText, 0)
            }
            Item {
                width: 1
                height: Theme.gap
            }
        }
    }
}
