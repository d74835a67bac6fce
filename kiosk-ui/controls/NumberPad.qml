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

    // 删除 with its arrow on one line when the key is wide enough; at large text sizes (or
    // a longer translation) the arrow gives way, then the word takes the small size, so that
    // it never wraps (KButton keeps 40 px of padding).
    TextMetrics { id: deleteMetrics; font.family: Theme.fontFamily; font.pixelSize: Theme.fontBody; text: qsTr("删除") }
    TextMetrics { id: arrowMetrics; font.family: Theme.fontFamily; font.pixelSize: Theme.fontBody; font.bold: true; text: "←" }
    readonly property bool deleteFits: deleteMetrics.advanceWidth + 48 <= root.keyWidth
    readonly property bool deleteGlyphFits: deleteMetrics.advanceWidth + arrowMetrics.advanceWidth + 14 + 48 <= root.keyWidth

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
            glyph: modelData === "⌫" && root.deleteGlyphFits ? "←" : ""
            size: modelData !== "⌫" ? "title" : root.deleteFits ? "body" : "small"
            onClicked: modelData === "⌫" ? root.backspace() : root.typed(modelData)
        }
    }
}
