import QtQuick

// The mark of one rating option, so that ratings tell apart at a glance without reading and
// without colour: a badge whose colour AND drawn sign both follow the option's rank by score
// (best ✓✓, then ✓, ○, –, worst ✗). Colours run blue to orange (safe for colour-blind
// readers, and neither is "good" or "bad" by Chinese custom); high contrast has its own.
Rectangle {
    id: root

    /// 0 for the option with the highest score, count - 1 for the lowest; -1: no rating.
    property int rank: -1
    property int count: 4

    readonly property string sign: {
        if (rank < 0 || count < 2)
            return "none"
        if (rank === 0)
            return "tick2"
        if (rank === count - 1)
            return "cross"
        const middle = count === 3 ? ["tick"] : count === 4 ? ["tick", "dash"] : ["tick", "circle", "dash"]
        return rank - 1 < middle.length ? middle[rank - 1] : "number"
    }
    // Four colours from best to worst; a longer scale takes the nearest.
    readonly property var palette: Theme.highContrast ? ["#6FD3FF", "#FFFFFF", "#FFE000", "#FF9A90"]
                                                      : ["#0B4F8A", "#3D8FCC", "#C77700", "#A8331F"]
    readonly property color signColor: Theme.highContrast ? "#000000" : "#FFFFFF"

    implicitWidth: Math.round(56 * Math.min(Theme.scale, 1.25))
    implicitHeight: implicitWidth
    radius: width * 0.22
    color: rank < 0 ? "transparent" : palette[Math.round(rank / Math.max(1, count - 1) * (palette.length - 1))]
    border.width: rank < 0 || Theme.highContrast ? 3 : 0
    border.color: Theme.highContrast ? Theme.text : Theme.line

    Accessible.ignored: true // the label beside it says the same in words

    // ✓✓: two ticks, the second a little lower and to the right.
    CheckMark {
        visible: root.sign === "tick2"
        x: root.width * 0.06
        y: root.height * 0.12
        width: root.width * 0.6
        height: width
        color: root.signColor
        thickness: Math.max(3, root.width * 0.09)
    }
    CheckMark {
        visible: root.sign === "tick2" || root.sign === "tick"
        x: root.sign === "tick2" ? root.width * 0.36 : root.width * 0.14
        y: root.sign === "tick2" ? root.height * 0.3 : root.height * 0.14
        width: root.sign === "tick2" ? root.width * 0.6 : root.width * 0.72
        height: width
        color: root.signColor
        thickness: Math.max(3, root.width * (root.sign === "tick2" ? 0.09 : 0.11))
    }
    Rectangle {
        visible: root.sign === "circle"
        anchors.centerIn: parent
        width: root.width * 0.52
        height: width
        radius: width / 2
        color: "transparent"
        border.width: Math.max(3, root.width * 0.1)
        border.color: root.signColor
    }
    Rectangle {
        visible: root.sign === "dash"
        anchors.centerIn: parent
        width: root.width * 0.6
        height: Math.max(3, root.width * 0.12)
        radius: height / 2
        color: root.signColor
    }
    Repeater {
        model: root.sign === "cross" ? [45, -45] : []
        Rectangle {
            required property int modelData
            anchors.centerIn: parent
            width: root.width * 0.7
            height: Math.max(3, root.width * 0.12)
            radius: height / 2
            rotation: modelData
            antialiasing: true
            color: root.signColor
        }
    }
    Text {
        visible: root.sign === "number"
        anchors.centerIn: parent
        text: root.rank + 1
        font.pixelSize: root.height * 0.55
        font.bold: true
        color: root.signColor
    }
}
