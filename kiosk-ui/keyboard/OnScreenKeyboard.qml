import QtQuick
import Pingyi.Controls
import Pingyi.Keyboard // its own C++ types (Qt 6.4 resolves them only when imported)

// The on-screen keyboard for suggestions and staff entries. Modes: Pinyin (Chinese with the
// candidate bar), ABC (letters) and 123 (digits and punctuation). It types into `target`,
// a TextEdit or TextInput, never more than `maxLength` characters.
Rectangle {
    id: root

    required property PinyinEngine engine
    property Item target
    /// Offer Pinyin; when false the keyboard starts in letters.
    property bool chinese: true
    property string mode: chinese ? "pinyin" : "letters"
    property int maxLength: 500
    /// Enter inserts a new line; otherwise it emits `entered`.
    property bool multiline: true
    property int keyHeight: 88

    signal entered()

    color: Theme.surfaceAlt
    radius: Theme.radius
    implicitHeight: column.implicitHeight + 32

    function insert(text: string) {
        typing.insert(text, root.maxLength)
    }
    function deleteBack() {
        typing.deleteBack()
    }
    /// Writes out what is being composed (the best candidate) before anything else is typed.
    function flush() {
        if (root.engine.composing) {
            const text = root.engine.choose(0)
            insert(text !== "" ? text : root.engine.commitLetters())
        }
        if (root.engine.predicting)
            root.engine.reset()
    }
    function letter(l) {
        if (root.mode === "pinyin")
            root.engine.addLetter(l)
        else
            insert(l.toUpperCase()) // as the keys show
    }
    function punctuation(p) {
        flush()
        insert(p)
    }
    function setMode(m) {
        flush()
        root.mode = m
    }

    Component.onDestruction: root.engine.reset()

    // Types into `target` (a TextEdit or TextInput) at its cursor, within `maxLength`.
    TextTarget {
        id: typing
        item: root.target
    }

    Column {
        id: column
        anchors.fill: parent
        anchors.margins: 16
        spacing: 10

        CandidateBar {
            width: parent.width
            visible: root.mode === "pinyin"
            engine: root.engine
            onChosen: (text) => root.insert(text)
        }

        Repeater {
            model: root.mode === "symbols"
                   ? (root.chinese ? ["1234567890", "，。？！、：；", "“”（）《》…—"] : ["1234567890", "-/:;()@", ".,?!'\"#"])
                   : ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
            Row {
                id: keyRow
                required property string modelData
                readonly property real keyWidth: (column.width - 9 * spacing) / 10
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: 10
                Repeater {
                    model: keyRow.modelData.split("")
                    KeyCap {
                        required property string modelData
                        width: keyRow.keyWidth
                        height: root.keyHeight
                        label: root.mode === "letters" ? modelData.toUpperCase() : modelData
                        name: modelData
                        onTapped: root.mode === "symbols" ? root.punctuation(modelData) : root.letter(modelData)
                    }
                }
            }
        }

        Row {
            id: bottomRow
            readonly property real unit: (column.width - 9 * spacing) / 10
            spacing: 10
            KeyCap {
                visible: root.chinese
                width: bottomRow.unit
                height: root.keyHeight
                label: qsTr("拼音")
                name: "modePinyin"
                checked: root.mode === "pinyin"
                onTapped: root.setMode("pinyin")
            }
            KeyCap {
                width: bottomRow.unit
                height: root.keyHeight
                label: "ABC"
                name: "modeLetters"
                checked: root.mode === "letters"
                onTapped: root.setMode("letters")
            }
            KeyCap {
                width: bottomRow.unit
                height: root.keyHeight
                label: "123"
                name: "modeSymbols"
                checked: root.mode === "symbols"
                onTapped: root.setMode("symbols")
            }
            KeyCap {
                width: bottomRow.unit
                height: root.keyHeight
                label: root.chinese ? "，" : ","
                name: "comma"
                onTapped: root.punctuation(label)
            }
            KeyCap {
                width: bottomRow.unit * (root.chinese ? 2 : 3) + bottomRow.spacing * (root.chinese ? 1 : 2)
                height: root.keyHeight
                label: root.engine.composing ? qsTr("选定") : qsTr("空格")
                name: "space"
                onTapped: {
                    if (root.engine.composing)
                        root.flush()
                    else
                        root.insert(" ")
                }
            }
            KeyCap {
                width: bottomRow.unit
                height: root.keyHeight
                label: root.chinese ? "。" : "."
                name: "period"
                onTapped: root.punctuation(label)
            }
            KeyCap {
                width: bottomRow.unit * 1.5 + bottomRow.spacing / 2
                height: root.keyHeight
                label: qsTr("删除")
                name: "backspace"
                onTapped: {
                    if (!root.engine.backspace())
                        root.deleteBack()
                }
            }
            KeyCap {
                width: bottomRow.unit * 1.5 + bottomRow.spacing / 2
                height: root.keyHeight
                label: root.multiline ? qsTr("换行") : qsTr("确定")
                name: "enter"
                accent: !root.multiline
                onTapped: {
                    root.flush()
                    if (root.multiline)
                        root.insert("\n")
                    else
                        root.entered()
                }
            }
        }
    }
}
