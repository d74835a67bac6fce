import QtQuick

// A large keypad for digits (ID numbers, PINs). `extraKey` fills the bottom-left key,
// e.g. "X" for the check character of ID numbers.
Grid {
    id: root

    property string extraKey: ""
    property int keyWidth: 168
    property int keyHeight: 104

    signal typed(string key)
    signal backspace()

    columns: 3
    spacing: 14

    Repeater {
        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", root.extraKey, "0", "⌫"]
        KButton {
            required property string modelData
            objectName: "key_" + (modelData === "⌫" ? "backspace" : modelData)
            repeatable: true
            width: root.keyWidth
            height: root.keyHeight
            visible: modelData !== ""
            text: modelData === "⌫" ? qsTr("删除") : modelData
            glyph: modelData === "⌫" ? "←" : ""
            size: modelData === "⌫" ? "body" : "title"
            onClicked: modelData === "⌫" ? root.backspace() : root.typed(modelData)
        }
    }
}
