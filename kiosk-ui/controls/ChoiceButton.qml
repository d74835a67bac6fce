import QtQuick

// One answer option: a large card with a round (single choice) or square (multiple choice)
// mark that fills with a tick when chosen. Nothing is chosen until the person taps. A rating
// option shows its RatingMark at the right end. A double tap on the same card acts once
// (a multiple-choice card would otherwise toggle off again); a tap on another card always
// counts, so a quick correction is never lost.
Rectangle {
    id: root

    property string text
    property string hint
    property bool checked: false
    property bool multi: false
    property string size: "large"
    property bool centered: false
    /// A rating option's rank and the scale's length (RatingMark); -1: no mark.
    property int markRank: -1
    property int markCount: 0
    property double lastTap: 0

    signal clicked()

    implicitHeight: Math.max(Theme.buttonHeight + 16, label.implicitHeight + 40)
    implicitWidth: 360
    radius: Theme.radius
    color: checked ? Theme.primary : (area.pressed ? Theme.pressed : Theme.surface)
    border.width: checked ? Theme.border + 2 : Theme.border
    border.color: checked ? (Theme.highContrast ? Theme.text : Theme.primaryPressed) : Theme.line
    opacity: enabled ? 1 : 0.4

    Accessible.role: multi ? Accessible.CheckBox : Accessible.RadioButton
    Accessible.name: text
    Accessible.checkable: true
    Accessible.checked: checked
    Accessible.onPressAction: root.clicked()

    Rectangle {
        id: mark
        anchors.left: parent.left
        anchors.leftMargin: 28
        anchors.verticalCenter: parent.verticalCenter
        width: Math.round(44 * Math.min(Theme.scale, 1.25))
        height: width
        radius: root.multi ? 8 : width / 2
        color: root.checked ? Theme.primaryText : "transparent"
        border.width: 3
        border.color: root.checked ? Theme.primaryText : Theme.line

        CheckMark {
            anchors.centerIn: parent
            width: parent.width * 0.72
            height: width
            visible: root.checked
            color: Theme.primary
        }
    }

    Column {
        id: label
        anchors.left: mark.right
        anchors.leftMargin: 24
        anchors.right: parent.right
        anchors.rightMargin: root.centered || root.markRank >= 0 ? mark.width + 52 : 24
        anchors.verticalCenter: parent.verticalCenter
        spacing: 4
        KText {
            width: parent.width
            text: root.text
            size: root.size
            font.bold: root.checked
            color: root.checked ? Theme.primaryText : Theme.text
            horizontalAlignment: root.centered ? Text.AlignHCenter : Text.AlignLeft
        }
        KText {
            visible: root.hint !== ""
            width: parent.width
            text: root.hint
            size: "small"
            color: root.checked ? Theme.primaryText : Theme.textMuted
            horizontalAlignment: root.centered ? Text.AlignHCenter : Text.AlignLeft
        }
    }

    RatingMark {
        visible: root.markRank >= 0
        anchors.right: parent.right
        anchors.rightMargin: 28
        anchors.verticalCenter: parent.verticalCenter
        width: mark.width + 8
        height: width
        rank: root.markRank
        count: root.markCount
        // On the chosen (filled) card the badge keeps an outline of its own.
        border.width: root.checked ? 3 : (Theme.highContrast ? 3 : 0)
        border.color: root.checked ? Theme.primaryText : Theme.text
    }

    MouseArea {
        id: area
        anchors.fill: parent
        onClicked: {
            const now = Date.now()
            if (now - root.lastTap < Theme.tapGuardMs)
                return
            root.lastTap = now
            root.clicked()
        }
    }
}
