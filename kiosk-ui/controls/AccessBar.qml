import QtQuick
import Pingyi.Controls // its own C++ types (Qt 6.4 resolves them only when imported)

// The representative's own settings, on every voter screen: text size, high contrast,
// read-aloud (only where a speech engine with a suitable voice is installed) and language.
Row {
    id: root

    required property Accessibility access
    /// What "read aloud" says for the screen on show.
    property string speech
    /// What it adds only into headphones: the representative's choices, the receipt code.
    /// Said again on its own when it changes (a new choice).
    property string privateSpeech

    spacing: 12

    /// What this bar last had said (to say a new choice once, not again after the page).
    property string lastSaid

    function fullSpeech() {
        return root.access.headphones && root.privateSpeech !== "" ? root.speech + root.privateSpeech : root.speech
    }
    function sayAll() {
        root.lastSaid = root.fullSpeech()
        root.access.say(root.lastSaid)
    }
    // A new choice, said on its own; later, so that a page turn (which changes both texts)
    // is said once, whole.
    function sayChoice() {
        if (root.privateSpeech === "" || !root.access.readAloud || !root.access.headphones || root.lastSaid.endsWith(root.privateSpeech))
            return
        root.lastSaid = root.privateSpeech
        root.access.sayPrivately(root.privateSpeech)
    }

    // A new screen is a new bar: it speaks when it appears, and again when its text changes.
    Component.onCompleted: if (root.access.readAloud) root.sayAll()
    onSpeechChanged: if (root.access.readAloud) root.sayAll()
    onPrivateSpeechChanged: choiceLater.restart()

    Timer {
        id: choiceLater
        interval: 0
        onTriggered: root.sayChoice()
    }

    // The bar's buttons are as wide as their words at the largest size, so that choosing a
    // size never moves a button (the words grow inside them).
    component BarButton: KButton {
        id: barButton
        height: Theme.touch
        width: Math.max(104, Math.ceil(widest.advanceWidth) + 64 + (barButton.glyph !== "" ? 48 : 0))
        size: "bar"
        kind: "header"
        TextMetrics { id: widest; font.family: Theme.fontFamily; font.pixelSize: Theme.fontBarMax; text: barButton.text }
    }

    // Three sizes, each its own button that never moves: the one in use is filled.
    KText {
        anchors.verticalCenter: parent.verticalCenter
        width: Math.ceil(labelMetrics.advanceWidth) + 2
        horizontalAlignment: Text.AlignRight
        text: qsTr("字号")
        size: "bar"
        color: Theme.headerText
        wrapMode: Text.NoWrap
        TextMetrics { id: labelMetrics; font.family: Theme.fontFamily; font.pixelSize: Theme.fontBarMax; text: qsTr("字号") }
    }
    Repeater {
        model: [qsTr("标准"), qsTr("大"), qsTr("特大")]
        BarButton {
            required property int index
            required property string modelData
            objectName: "textSize" + index
            checked: root.access.textLevel === index
            text: modelData
            Accessible.name: qsTr("字号：%1").arg(modelData)
            onClicked: root.access.textLevel = index
        }
    }
    BarButton {
        objectName: "contrastButton"
        checked: root.access.highContrast
        text: qsTr("高对比度")
        onClicked: root.access.highContrast = !root.access.highContrast
    }
    BarButton {
        objectName: "readAloudButton"
        visible: root.access.canSpeak
        checked: root.access.readAloud
        glyph: "♪"
        text: qsTr("朗读")
        onClicked: {
            root.access.readAloud = !root.access.readAloud
            if (root.access.readAloud)
                root.sayAll()
        }
    }
    BarButton {
        // Only with read-aloud on: choices and the receipt code are said into headphones,
        // never through the loudspeaker.
        objectName: "headphonesButton"
        visible: root.access.canSpeak && root.access.readAloud
        checked: root.access.headphones
        text: qsTr("耳机")
        onClicked: {
            root.access.headphones = !root.access.headphones
            root.sayAll()
        }
    }
    BarButton {
        objectName: "languageButton"
        // Always in the language it switches to.
        text: root.access.english ? "中文" : "English"
        onClicked: root.access.english = !root.access.english
    }
}
