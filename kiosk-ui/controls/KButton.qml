import QtQuick

// A large touch button. kind: primary (the next step), secondary, quiet (low emphasis),
// danger (ends or discards something), header (on the header band). `checked` shows a toggled state.
Rectangle {
    id: root

    property string text
    property string hint
    property string glyph
    property string kind: "secondary"
    property string size: "body"
    property bool checked: false
    /// Every tap counts (keypad keys), instead of a double tap acting once.
    property bool repeatable: false
    readonly property bool down: area.pressed

    signal clicked()

    readonly property color foreground: {
        if (kind === "header")
            return checked ? Theme.header : Theme.headerText
        if (kind === "primary" || checked)
            return Theme.primaryText
        if (kind === "danger")
            return Theme.danger
        if (kind === "quiet")
            return Theme.highContrast ? Theme.text : Theme.primary
        return Theme.text
    }

    // Measured apart from the laid-out text, so that widths never depend on themselves.
    TextMetrics { id: mainMetrics; font: mainText.font; text: root.text }
    TextMetrics { id: hintMetrics; font: hintText.font; text: root.hint }
    readonly property real glyphSpace: glyph !== "" ? glyphText.implicitWidth + 14 : 0
    readonly property real textSpace: Math.ceil(Math.max(mainMetrics.advanceWidth, hint !== "" ? hintMetrics.advanceWidth : 0)) + 2
    implicitHeight: Math.max(Theme.buttonHeight, content.implicitHeight + 28)
    implicitWidth: Math.max(Theme.touch * 2, glyphSpace + textSpace + 64)
    radius: Theme.radius
    opacity: enabled ? 1 : 0.4
    color: {
        if (kind === "header")
            return checked ? Theme.headerText : (down ? Theme.primaryPressed : "transparent")
        if (kind === "primary" || checked)
            return down ? Theme.primaryPressed : Theme.primary
        if (kind === "quiet")
            return down ? Theme.pressed : "transparent"
        return down ? Theme.pressed : Theme.surface
    }
    border.width: kind === "quiet" && !Theme.highContrast ? 0 : Theme.border
    border.color: kind === "header" ? Theme.headerText
                : kind === "danger" ? Theme.danger
                : (kind === "primary" || checked) ? (Theme.highContrast ? Theme.text : Theme.primary)
                : Theme.line

    Accessible.role: Accessible.Button
    Accessible.name: root.text
    Accessible.checkable: root.checked
    Accessible.onPressAction: root.clicked()

    Row {
        id: content
        anchors.centerIn: parent
        spacing: 14

        KText {
            id: glyphText
            visible: root.glyph !== ""
            anchors.verticalCenter: parent.verticalCenter
            text: root.glyph
            size: root.size
            font.bold: true
            color: root.foreground
        }
        Column {
            anchors.verticalCenter: parent.verticalCenter
            readonly property real maxWidth: Math.max(0, root.width - 40 - root.glyphSpace)
            KText {
                id: mainText
                width: Math.min(Math.ceil(mainMetrics.advanceWidth) + 2, parent.maxWidth)
                text: root.text
                size: root.size
                font.bold: root.kind === "primary"
                color: root.foreground
                horizontalAlignment: Text.AlignHCenter
                maximumLineCount: 3
                elide: Text.ElideRight
            }
            KText {
                id: hintText
                visible: root.hint !== ""
                width: Math.min(Math.ceil(hintMetrics.advanceWidth) + 2, parent.maxWidth)
                text: root.hint
                size: "small"
                color: root.foreground
                horizontalAlignment: Text.AlignHCenter
            }
        }
    }

    MouseArea {
        id: area
        anchors.fill: parent
        enabled: root.enabled
        onClicked: {
            if (root.repeatable || Theme.acceptTap())
                root.clicked()
        }
    }
}
