import QtQuick
import Pingyi.Controls

// Which department the suggestion is for, or none in particular.
VoterFrame {
    id: root

    objectName: "screen.suggestionDepartment"
    title: qsTr("意见建议")
    speech: qsTr("这条建议是给哪个部门的？也可以选择不针对具体部门。")
    hint: root.flow.canAdvance ? qsTr("选好后请点“下一个”") : qsTr("请点选一项")

    ScrollArea {
        anchors.fill: parent
        Column {
            id: column
            width: parent.width
            spacing: Theme.gap
            KText {
                text: qsTr("这条建议是给哪个部门的？")
                size: "title"
                font.bold: true
            }
            ChoiceButton {
                objectName: "department_none"
                width: Math.min(column.width, 900)
                text: qsTr("不针对具体部门")
                checked: root.flow.suggestionDepartmentChosen && root.flow.suggestionDepartment === ""
                onClicked: root.flow.chooseSuggestionDepartment("")
            }
            Grid {
                id: grid
                columns: Theme.textLevel > 0 ? 2 : 3
                spacing: 16
                Repeater {
                    model: root.flow.ratings
                    ChoiceButton {
                        required property string code
                        required property string name
                        required property string nameEn
                        objectName: "department_" + code
                        width: (column.width - (grid.columns - 1) * grid.spacing) / grid.columns
                        size: "body"
                        text: Theme.pick(name, nameEn)
                        checked: root.flow.suggestionDepartment === code
                        onClicked: root.flow.chooseSuggestionDepartment(code)
                    }
                }
            }
        }
    }
}
