import QtQuick

// A tick drawn with two strokes (crisper than any font's glyph at every size).
Item {
    id: root

    property color color: Theme.primaryText
    property real thickness: Math.max(3, width * 0.15)

    implicitWidth: 32
    implicitHeight: 32

    Rectangle {
        x: root.width * 0.14
        y: root.height * 0.52 - root.thickness / 2
        width: root.width * 0.36
        height: root.thickness
        radius: height / 2
        color: root.color
        transformOrigin: Item.Left
        rotation: 45
        antialiasing: true
    }
    Rectangle {
        x: root.width * 0.38
        y: root.height * 0.77 - root.thickness / 2
        width: root.width * 0.66
        height: root.thickness
        radius: height / 2
        color: root.color
        transformOrigin: Item.Left
        rotation: -50
        antialiasing: true
    }
}
