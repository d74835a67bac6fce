import QtQuick
import Pingyi.Controls
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// Shows an ID number as it is typed, in groups of 6, 8 and 4 so that it is easy to check
// against the card. A refused number is marked; when a part of it fails its check (region,
// birth date, check character) that part is drawn red and underlined and named below.
Rectangle {
    id: root

    property string value: ""
    /// The number on show was refused: the field is marked until it is changed.
    property bool wrong: false
    /// Which part fails its check (CheckInDesk.IdFlaw), when `wrong`.
    property int flaw: CheckInDesk.None

    readonly property bool marksPart: root.wrong && root.value.length === 18
        && (root.flaw === CheckInDesk.Region || root.flaw === CheckInDesk.BirthDate
            || root.flaw === CheckInDesk.CheckCharacter)

    implicitHeight: Math.max(120, digits.implicitHeight + (flawNote.visible ? flawNote.implicitHeight + 8 : 0) + 40)
    radius: Theme.radius
    color: Theme.surface
    border.width: root.wrong ? (Theme.highContrast ? 6 : 5) : (Theme.highContrast ? 4 : 3)
    border.color: root.wrong ? Theme.danger : Theme.primary

    // The groups present so far, two spaces apart: "110101  19900307  123X". (Written without
    // local variables: Qt 6.4's qmllint crashes on a `let` in a typed function.)
    function grouped(v: string): string {
        if (v.length > 14)
            return v.substring(0, 6) + "  " + v.substring(6, 14) + "  " + v.substring(14, 18)
        if (v.length > 6)
            return v.substring(0, 6) + "  " + v.substring(6, 14)
        return v.substring(0, 6)
    }
    // The same, with the failing part in red and underlined (the digits are only 0-9 and X,
    // so nothing needs escaping).
    function marked(v: string, flaw: int): string {
        return "<span style='white-space:pre'>"
            + (flaw === CheckInDesk.Region ? root.bad(v.substring(0, 6)) : v.substring(0, 6)) + "  "
            + (flaw === CheckInDesk.BirthDate ? root.bad(v.substring(6, 14)) : v.substring(6, 14)) + "  "
            + v.substring(14, 17)
            + (flaw === CheckInDesk.CheckCharacter ? root.bad(v.substring(17, 18)) : v.substring(17, 18))
            + "</span>"
    }
    function bad(part: string): string {
        return "<u><font color='" + Theme.danger + "'>" + part + "</font></u>"
    }

    KText {
        id: digits
        objectName: "idDigits"
        anchors.left: parent.left
        anchors.leftMargin: 28
        anchors.right: counter.left
        anchors.rightMargin: Theme.gap
        anchors.top: parent.top
        anchors.topMargin: 20
        height: Math.round(Theme.fontTitle * 1.3)
        verticalAlignment: Text.AlignVCenter
        textFormat: root.marksPart ? Text.StyledText : Text.PlainText
        text: root.value === "" ? qsTr("请输入18位身份证号码")
            : root.marksPart ? root.marked(root.value, root.flaw) : root.grouped(root.value)
        size: root.value === "" ? "body" : "title"
        font.family: root.value === "" ? Theme.fontFamily : "WenQuanYi Micro Hei Mono"
        font.bold: root.value !== ""
        color: root.value === "" ? Theme.textMuted : Theme.text
        wrapMode: Text.NoWrap
        // At the largest text sizes 18 digits in groups are wider than the field: they
        // shrink to fit instead of running under the count.
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: 24
    }
    KText {
        id: counter
        objectName: "idCount"
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.verticalCenter: digits.verticalCenter
        text: qsTr("%1 / 18 位").arg(root.value.length)
        size: "small"
        color: Theme.textMuted
        wrapMode: Text.NoWrap
    }
    KText {
        id: flawNote
        objectName: "idFlawNote"
        visible: root.marksPart
        anchors.left: digits.left
        anchors.right: parent.right
        anchors.rightMargin: 24
        anchors.top: digits.bottom
        anchors.topMargin: 4
        size: "body"
        font.bold: true
        color: Theme.danger
        text: root.flaw === CheckInDesk.Region ? qsTr("前6位地区码不对")
            : root.flaw === CheckInDesk.BirthDate ? qsTr("第7–14位出生日期不对")
            : qsTr("号码没有通过校验：有一位数字输错了")
    }
}
