import QtQuick

// Catches what a hand scanner types (it acts as a keyboard and ends with Enter). Keeps
// keyboard focus while its screen is shown; the text is never displayed.
Item {
    id: root

    property bool active: true

    signal scanned(string text)

    property string buffer: ""

    focus: active
    Component.onCompleted: if (active) forceActiveFocus()
    onActiveChanged: if (active) forceActiveFocus()

    Keys.onPressed: (event) => {
        if (!root.active)
            return
        if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            const text = root.buffer
            root.buffer = ""
            if (text.length > 0)
                root.scanned(text)
            event.accepted = true
        } else if (event.text.length > 0 && event.text.charCodeAt(0) >= 32) {
            root.buffer += event.text
            forget.restart()
            event.accepted = true
        }
    }

    // A scanner types a whole code in well under a second; half a code is dropped.
    Timer {
        id: forget
        interval: 3000
        onTriggered: root.buffer = ""
    }
}
