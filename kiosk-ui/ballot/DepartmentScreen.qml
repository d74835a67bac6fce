import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// One department per page: its number and name, large, and the rating scale as large
// buttons, each with its mark (the same mark as on the review). Nothing is chosen until the
// representative taps; a tap only selects (another tap changes it), and "下一个" moves on.
VoterFrame {
    id: root

    objectName: "screen.department"
    title: qsTr("部门评议")
    readonly property departmentPage dept: root.flow.department
    readonly property string deptName: Theme.pick(dept.name, dept.nameEn)
    speech: qsTr("第 %1 个部门，共 %2 个。").arg(root.flow.index + 1).arg(root.flow.count) + root.deptName + "。"
            + qsTr("请选择：") + root.flow.scale.spokenList(Theme.english)
    privateSpeech: root.dept.rating !== "" ? qsTr("您选择了：") + root.flow.scale.label(root.dept.rating, Theme.english) + "。" : ""
    hint: root.dept.rating ? qsTr("选好后请点“下一个”") : qsTr("请点选一项评价")

    Column {
        id: column
        anchors.fill: parent
        spacing: Theme.gap

        Row {
            width: parent.width
            spacing: Theme.gap
            KText {
                id: progressText
                objectName: "progress"
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("第 %1 / %2 个部门").arg(root.flow.index + 1).arg(root.flow.count)
                size: "title"
                font.bold: true
                color: Theme.primary
                wrapMode: Text.NoWrap
            }
            Row {
                anchors.verticalCenter: parent.verticalCenter
                spacing: 6
                Repeater {
                    model: root.flow.ratings
                    Rectangle {
                        required property int index
                        required property string rating
                        width: Math.min(40, (column.width - progressText.width - 2 * Theme.gap) / root.flow.count - 6)
                        height: 16
                        radius: 8
                        color: rating !== "" ? Theme.primary : "transparent"
                        border.width: index === root.flow.index ? 3 : 2
                        border.color: index === root.flow.index ? Theme.text : Theme.line
                    }
                }
            }
        }

        Item {
            width: parent.width
            height: Math.max(0, (column.height - progressText.height - (instruction.visible ? instruction.height + Theme.gap : 0)
                                 - options.height - 3 * Theme.gap - nameBlock.height) / 2)
        }

        Column {
            id: nameBlock
            width: parent.width
            spacing: 8
            KText {
                id: deptName
                objectName: "departmentName"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: root.deptName
                size: "headline"
                font.bold: true
            }
        }

        KText {
            id: instruction
            // Said again in the footer's hint: when the largest text leaves no room for it
            // above the ratings, the ratings keep their room and this steps aside.
            visible: column.height - progressText.height - nameBlock.height - options.minHeight - 3 * column.spacing
                     >= implicitHeight + column.spacing
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("您对该部门的工作是否满意？请选择一项，再点“下一个”：")
            size: "large"
            color: Theme.textMuted
        }

        Grid {
            id: options
            readonly property int n: root.flow.scale.count
            readonly property bool oneRow: column.width / Math.max(1, n) >= 380 * Theme.scale
            readonly property int rows: Math.ceil(n / Math.max(1, columns))
            // As tall as comfortable, but never pushed off the page by large text.
            readonly property real fitHeight: (column.height - progressText.height - nameBlock.height
                                               - (instruction.visible ? instruction.height + column.spacing : 0)
                                               - 3 * column.spacing - (rows - 1) * spacing) / Math.max(1, rows)
            readonly property real minHeight: rows * (Theme.touch + 16) + (rows - 1) * spacing
            anchors.horizontalCenter: parent.horizontalCenter
            columns: oneRow ? n : 2
            spacing: Theme.gap
            Repeater {
                model: root.flow.scale
                ChoiceButton {
                    required property string code
                    required property string label
                    required property string labelEn
                    required property int rank
                    objectName: "option_" + code
                    width: (column.width - (options.columns - 1) * options.spacing) / options.columns
                    height: Math.max(Theme.touch + 16, Math.min(170, options.fitHeight))
                    text: Theme.pick(label, labelEn)
                    size: "title"
                    centered: true
                    checked: root.dept.rating === code
                    markRank: rank
                    markCount: options.n
                    onClicked: root.flow.rate(code)
                }
            }
        }
    }
}
