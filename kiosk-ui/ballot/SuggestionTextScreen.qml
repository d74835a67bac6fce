import QtQuick
import Pingyi.Controls
import Pingyi.Keyboard

// Writing the suggestion with the on-screen keyboard: Pinyin with a candidate bar, letters
// and digits.
VoterFrame {
    id: root

    required property PinyinEngine pinyin

    objectName: "screen.suggestionText"
    title: qsTr("意见建议")
    showSteps: false
    speech: qsTr("请用屏幕下方的键盘写下您的建议。输入拼音字母后，在候选栏中点选汉字。写好后点“写好了”。")
    nextText: root.flow.editing ? qsTr("完成，返回核对") : qsTr("写好了")
    hint: qsTr("%1 / %2 字").arg(editor.length).arg(root.flow.suggestionMaxChars)

    readonly property string topicName: root.flow.topics.label(root.flow.suggestionTopic, Theme.english)

    KText {
        id: heading
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
        text: root.topicName !== "" ? qsTr("请写下您关于“%1”的建议").arg(root.topicName) : qsTr("请写下您的建议")
        size: "large"
        font.bold: true
        maximumLineCount: 1
        elide: Text.ElideRight
    }

    Rectangle {
        id: box
        anchors.top: heading.bottom
        anchors.topMargin: 12
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: keyboard.top
        anchors.bottomMargin: 16
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.highContrast ? 4 : 3
        border.color: Theme.primary

        Flickable {
            id: scroller
            anchors.fill: parent
            anchors.margins: 16
            contentHeight: editor.contentHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            TextEdit {
                id: editor
                objectName: "suggestionEditor"
                width: scroller.width
                height: Math.max(scroller.height, contentHeight)
                wrapMode: TextEdit.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.text
                cursorVisible: true
                activeFocusOnPress: false
                Component.onCompleted: {
                    text = root.flow.suggestionText
                    cursorPosition = length
                }
                onTextChanged: root.flow.suggestionText = text
                Connections {
                    target: root.flow
                    function onSuggestionChanged() {
                        if (editor.text !== root.flow.suggestionText) {
                            editor.text = root.flow.suggestionText
                            editor.cursorPosition = editor.length
                        }
                    }
                }
                onCursorRectangleChanged: {
                    if (cursorRectangle.y + cursorRectangle.height > scroller.contentY + scroller.height)
                        scroller.contentY = cursorRectangle.y + cursorRectangle.height - scroller.height
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: (mouse) => editor.cursorPosition = editor.positionAt(mouse.x, mouse.y)
                }
            }
        }
        KText {
            anchors.fill: parent
            anchors.margins: 16
            visible: editor.length === 0
            text: qsTr("用下方键盘输入：先输入拼音字母，再在候选栏中点选汉字。")
            color: Theme.textMuted
        }
    }

    OnScreenKeyboard {
        id: keyboard
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        engine: root.pinyin
        target: editor
        maxLength: root.flow.suggestionMaxChars
    }

    onNextClicked: keyboard.flush()
}
