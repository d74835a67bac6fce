import QtQuick
import Pingyi.Controls
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// The frame of every ballot page: who and what at the top (with the representative's own
// settings), where in the ballot, the page itself, and the way back, on and out at the bottom.
// Every page turn is shown the same way (the page slides in) and, while it settles, a shield
// over the whole frame takes every touch, so a tap can never land on a page not yet seen.
Rectangle {
    id: root

    required property VoterFlow flow
    required property Accessibility access
    property string title
    property string speech
    /// Said only into headphones (AccessBar.privateSpeech): the choice on this page.
    property string privateSpeech
    property bool showSteps: true
    property bool showNext: true
    property string nextText: root.flow.editing ? qsTr("完成，返回核对") : qsTr("下一个")
    property string nextKind: "primary"
    property bool nextEnabled: root.flow.canAdvance
    property bool showBack: root.flow.canGoBack
    property string backText: root.flow.editing ? qsTr("返回核对") : qsTr("上一个")
    property bool showCancel: true
    property string hint
    default property alias content: contentArea.data
    readonly property alias contentItem: contentArea

    signal nextClicked()

    color: Theme.background

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: root.title
        subtitle: (root.flow.maskedName !== "" ? qsTr("%1 代表，您好").arg(root.flow.maskedName) + "　·　" : "")
                  + Theme.pick(root.flow.sessionName, root.flow.sessionNameEn)
        AccessBar {
            access: root.access
            speech: root.speech
            privateSpeech: root.privateSpeech
        }
    }
    RehearsalBanner {
        id: banner
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        active: root.flow.rehearsal
    }
    Rectangle {
        id: stepsBand
        anchors.top: banner.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        height: root.showSteps ? 76 : 0
        visible: root.showSteps
        color: Theme.surface
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: Theme.highContrast ? 3 : 1
            color: Theme.line
        }
        StepBar {
            anchors.centerIn: parent
            steps: [qsTr("部门评议"), qsTr("问卷调查"), qsTr("纪律调查"), qsTr("意见建议"), qsTr("核对提交")]
            current: root.flow.step
        }
    }

    Item {
        id: contentArea
        anchors.top: stepsBand.bottom
        anchors.bottom: footer.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.topMargin: Theme.gap
        anchors.bottomMargin: Theme.gap
        transform: Translate { id: slide }
    }

    // The page turn: the new page slides in from the side it comes from, for exactly as
    // long as input is ignored. Forward from the right, back from the left.
    readonly property int pageKey: root.flow.stage * 1000 + root.flow.index
    property int shownKey: -1
    function turnPage() {
        const forward = root.shownKey < 0 || root.pageKey > root.shownKey
        root.shownKey = root.pageKey
        if (root.flow.settleMs <= 0)
            return
        slideIn.from = (forward ? 1 : -1) * Math.min(160, root.width / 10)
        turn.restart()
    }
    onPageKeyChanged: turnPage()
    Component.onCompleted: turnPage()
    ParallelAnimation {
        id: turn
        NumberAnimation { id: slideIn; target: slide; property: "x"; to: 0; duration: root.flow.settleMs; easing.type: Easing.OutCubic }
        NumberAnimation { target: contentArea; property: "opacity"; from: 0.15; to: 1; duration: root.flow.settleMs; easing.type: Easing.OutQuad }
    }

    Rectangle {
        id: footer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.buttonHeight + 2 * Theme.gap
        color: Theme.surfaceAlt

        KButton {
            objectName: "cancelVoting"
            visible: root.showCancel
            anchors.left: parent.left
            anchors.leftMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            kind: "quiet"
            glyph: "×"
            text: qsTr("退出评议")
            onClicked: root.flow.requestCancel()
        }
        KText {
            anchors.left: parent.left
            anchors.leftMargin: 420
            anchors.right: buttons.left
            anchors.rightMargin: Theme.gap
            anchors.verticalCenter: parent.verticalCenter
            horizontalAlignment: Text.AlignHCenter
            text: root.hint
            color: Theme.textMuted
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Row {
            id: buttons
            anchors.right: parent.right
            anchors.rightMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            spacing: Theme.gap
            KButton {
                objectName: "back"
                visible: root.showBack
                width: Math.max(implicitWidth, 260)
                glyph: "‹"
                text: root.backText
                onClicked: root.flow.back()
            }
            KButton {
                objectName: "next"
                visible: root.showNext
                width: Math.max(implicitWidth, 320)
                kind: root.nextKind
                enabled: root.nextEnabled
                text: root.nextText + "  ›"
                onClicked: {
                    root.nextClicked()
                    root.flow.next()
                }
            }
        }
    }

    // While a page turn settles, every touch on the page is taken here and dropped
    // (the voter flow drops its own actions too; this also covers the keyboard and scrolling).
    MouseArea {
        objectName: "settleShield"
        anchors.fill: parent
        z: 100
        visible: root.flow.settling
        acceptedButtons: Qt.AllButtons
        preventStealing: true
        onWheel: wheel => wheel.accepted = true
    }
}
