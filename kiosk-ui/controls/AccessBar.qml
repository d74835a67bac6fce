import QtQuick
import Pingyi.Controls // its own C++ types (Qt 6.4 resolves them only when imported)

// The representative's own settings, on every voter screen: text size, high contrast,
// read-aloud (only where a speech engine with a suitable voice is installed) and language.
Row {
    id: root

    required property Accessibility access
    /// What "read aloud" says for the screen on show.
    property string speech

    spacing: 12

    onSpeechChanged: if (access.readAloud) access.say(speech)

    KButton {
        objectName: "textSizeButton"
        height: Theme.touch
        size: "bar"
        kind: "header"
        glyph: "A"
        text: root.access.textLevel === 2 ? qsTr("字号：特大") : root.access.textLevel === 1 ? qsTr("字号：大") : qsTr("字号：标准")
        onClicked: root.access.cycleTextLevel()
    }
    KButton {
        objectName: "contrastButton"
        height: Theme.touch
        size: "bar"
        kind: "header"
        checked: root.access.highContrast
        text: qsTr("高对比度")
        onClicked: root.access.highContrast = !root.access.highContrast
    }
    KButton {
        objectName: "readAloudButton"
        visible: root.access.canSpeak
        height: Theme.touch
        size: "bar"
        kind: "header"
        checked: root.access.readAloud
        glyph: "♪"
        text: qsTr("朗读")
        onClicked: {
            root.access.readAloud = !root.access.readAloud
            if (root.access.readAloud)
                root.access.say(root.speech)
        }
    }
    KButton {
        objectName: "languageButton"
        height: Theme.touch
        size: "bar"
        kind: "header"
        // Always in the language it switches to.
        text: root.access.english ? "中文" : "English"
        onClicked: root.access.english = !root.access.english
    }
}
