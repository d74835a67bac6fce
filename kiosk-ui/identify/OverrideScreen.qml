import QtQuick
import Pingyi.Controls
import Pingyi.Keyboard
import Pingyi.Identify // its own C++ types (Qt 6.4 resolves them only when imported)

// The venue lead lets a representative in when the usual check fails: who (ID number or
// representative id from the roster) and why. Both are written to the kiosk's audit log.
Rectangle {
    id: root

    required property CheckInDesk desk
    required property Accessibility access
    required property PinyinEngine pinyin
    property string sessionName
    property bool rehearsal: false
    /// The kiosk has a camera (not --no-camera): only then can face recognition have failed.
    property bool hasCamera: false

    signal cancelled()

    objectName: "screen.override"
    color: Theme.background

    property Item activeField: whoInput
    property int reasonIndex: -1
    // Stored in the audit log in Chinese whatever language is on screen.
    readonly property var reasons: root.hasCamera
        ? ["邀请函遗失或损坏", "二维码无法识别", "身份证号码核验未通过", "人脸识别未通过"]
        : ["邀请函遗失或损坏", "二维码无法识别", "身份证号码核验未通过"]
    readonly property var reasonLabels: root.hasCamera
        ? [qsTr("邀请函遗失或损坏"), qsTr("二维码无法识别"), qsTr("身份证号码核验未通过"), qsTr("人脸识别未通过")]
        : [qsTr("邀请函遗失或损坏"), qsTr("二维码无法识别"), qsTr("身份证号码核验未通过")]
    readonly property string reasonText: {
        const preset = reasonIndex >= 0 ? reasons[reasonIndex] : ""
        const note = noteInput.text.trim()
        return preset && note ? preset + "；" + note : (preset || note)
    }
    readonly property bool ready: whoInput.text.trim().length > 0 && reasonText.length >= 4

    Component.onCompleted: root.desk.clear()

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: qsTr("现场负责人协助核验")
        subtitle: root.sessionName
        AccessBar {
            access: root.access
            speech: qsTr("现场负责人协助核验。请输入代表的身份证号码或代表编号，并选择原因。")
        }
    }
    RehearsalBanner {
        id: banner
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        active: root.rehearsal
    }

    Column {
        id: form
        anchors.top: banner.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
        spacing: 16

        Row {
            width: parent.width
            spacing: Theme.margin
            Column {
                width: (form.width - Theme.margin) / 2
                spacing: 12
                KText {
                    text: qsTr("代表的身份证号码或代表编号")
                    font.bold: true
                }
                Rectangle {
                    width: parent.width
                    height: Theme.touch
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: root.activeField === whoInput ? 4 : 2
                    border.color: root.activeField === whoInput ? Theme.primary : Theme.line
                    TextInput {
                        id: whoInput
                        objectName: "overrideWho"
                        anchors.fill: parent
                        anchors.margins: 16
                        verticalAlignment: TextInput.AlignVCenter
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontLarge
                        color: Theme.text
                        maximumLength: 32
                        onTextChanged: root.desk.clear()
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: root.activeField = whoInput
                    }
                }
            }
            Column {
                width: (form.width - Theme.margin) / 2
                spacing: 12
                KText {
                    text: qsTr("补充说明（可选）")
                    font.bold: true
                }
                Rectangle {
                    width: parent.width
                    height: Theme.touch
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: root.activeField === noteInput ? 4 : 2
                    border.color: root.activeField === noteInput ? Theme.primary : Theme.line
                    TextInput {
                        id: noteInput
                        objectName: "overrideNote"
                        anchors.fill: parent
                        anchors.margins: 16
                        verticalAlignment: TextInput.AlignVCenter
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        maximumLength: 200
                        clip: true
                    }
                    KText {
                        anchors.fill: noteInput
                        verticalAlignment: Text.AlignVCenter
                        visible: noteInput.text === ""
                        text: qsTr("点这里，用下方键盘输入")
                        color: Theme.textMuted
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: root.activeField = noteInput
                    }
                }
            }
        }

        KText {
            text: qsTr("常规核验未通过的原因")
            font.bold: true
        }
        Row {
            spacing: 12
            Repeater {
                model: root.reasonLabels
                ChoiceButton {
                    required property string modelData
                    required property int index
                    objectName: "reason_" + index
                    width: (form.width - (root.reasons.length - 1) * 12) / root.reasons.length
                    height: Theme.touch
                    // The lead's form: the bar size, which grows less, keeps it above the keyboard.
                    size: "bar"
                    text: modelData
                    checked: root.reasonIndex === index
                    onClicked: root.reasonIndex = (root.reasonIndex === index ? -1 : index)
                }
            }
        }
    }

    OnScreenKeyboard {
        id: keyboard
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: footer.top
        anchors.margins: Theme.gap
        engine: root.pinyin
        keyHeight: Theme.touch
        target: root.activeField
        chinese: root.activeField === noteInput
        multiline: false
        maxLength: root.activeField === noteInput ? 200 : 32
        onEntered: if (root.activeField === whoInput) root.activeField = noteInput
    }

    Rectangle {
        id: footer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.buttonHeight + 2 * Theme.gap
        color: Theme.surfaceAlt

        KButton {
            objectName: "overrideCancel"
            anchors.left: parent.left
            anchors.leftMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            text: qsTr("取消")
            onClicked: root.cancelled()
        }
        KText {
            objectName: "overrideError"
            anchors.left: parent.left
            anchors.leftMargin: 300
            anchors.right: confirmButton.left
            anchors.rightMargin: Theme.gap
            anchors.verticalCenter: parent.verticalCenter
            visible: root.desk.errorCode !== ""
            text: qsTr("%1：%2").arg(Refusals.title(root.desk.errorCode)).arg(Refusals.help(root.desk.errorCode))
            color: Theme.danger
            font.bold: true
            maximumLineCount: 3
            elide: Text.ElideRight
        }
        KButton {
            id: confirmButton
            objectName: "overrideConfirm"
            anchors.right: parent.right
            anchors.rightMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            width: Math.max(implicitWidth, 420)
            kind: "primary"
            text: qsTr("确认放行并记录")
            enabled: root.ready
            onClicked: {
                keyboard.flush()
                root.desk.submitOverride(whoInput.text, root.reasonText)
            }
        }
    }
}
