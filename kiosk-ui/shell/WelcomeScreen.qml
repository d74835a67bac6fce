import QtQuick
import Pingyi.Controls
import Pingyi.Identify
import Pingyi.Shell // its own C++ types (Qt 6.4 resolves them only when imported)

// The first thing a representative sees: which session, and one large button to start.
// A card scanned here starts straight away.
Rectangle {
    id: root

    required property Kiosk kiosk

    objectName: "screen.welcome"
    color: Theme.background

    readonly property string sessionTitle: Theme.pick(root.kiosk.sessionName, root.kiosk.sessionNameEn)
    // When the session is held, as the activity's plan gives it (the spec may leave it out).
    readonly property string scheduleText: {
        const d = root.kiosk.sessionDate
        let when = ""
        if (d.length === 10)
            when = qsTr("%1年%2月%3日").arg(d.substring(0, 4)).arg(parseInt(d.substring(5, 7), 10))
                                        .arg(parseInt(d.substring(8, 10), 10))
        if (root.kiosk.sessionTime !== "")
            when = (when === "" ? "" : when + " ") + root.kiosk.sessionTime
        return root.kiosk.sessionState === "none" ? "" : when
    }
    readonly property string stateText: root.kiosk.sessionState === "open"
        ? (root.kiosk.canVote ? qsTr("评议进行中，共 %1 个部门").arg(root.kiosk.departmentCount) : qsTr("请稍候，上一位代表即将完成"))
        : root.kiosk.sessionState === "paused" ? qsTr("评议暂停中，请稍候")
        : root.venueDay === "ended" ? qsTr("本场评议已结束，感谢参与")
        : root.venueDay === "between" ? qsTr("上一场评议已结束，下一场尚未开始，请稍候")
        : qsTr("评议尚未开始，请稍候")
    // With no session on: whether this venue's real sessions are all over (StaffConsole).
    readonly property string venueDay: root.kiosk.staff.venueDay

    ScanCatcher {
        active: root.kiosk.canVote
        onScanned: (text) => root.kiosk.scan(text)
    }

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: Theme.pick(root.kiosk.activityName, root.kiosk.activityNameEn)
        subtitle: Theme.pick(root.kiosk.venueName, root.kiosk.venueNameEn)
                  + (root.scheduleText === "" ? "" : "  ·  " + root.scheduleText)
        AccessBar {
            access: root.kiosk.access
            speech: qsTr("欢迎参加市民评议。") + root.sessionTitle + "。" + root.stateText + "。"
                    + (root.kiosk.canVote ? qsTr("请点击屏幕中间的“开始评议”按钮，或把邀请函上的二维码放到扫描器下方。") : "")
        }
    }
    RehearsalBanner {
        id: banner
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        active: root.kiosk.rehearsal
    }

    // Between the header (and the rehearsal banner) and the footer, centred; the gaps shrink
    // before anything would reach the bands at the largest text size.
    Item {
        id: body
        anchors.top: banner.bottom
        anchors.bottom: footer.top
        anchors.left: parent.left
        anchors.right: parent.right
    }
    Column {
        id: welcome
        anchors.centerIn: body
        width: Math.min(parent.width - 2 * Theme.margin, 1400)
        readonly property real gaps: visibleChildren.length - 1
        readonly property real contentHeight: {
            let h = 0
            for (let i = 0; i < visibleChildren.length; ++i)
                h += visibleChildren[i].height
            return h
        }
        spacing: Math.max(8, Math.min(Theme.margin, (body.height - 2 * Theme.gap - contentHeight) / Math.max(1, gaps)))

        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("欢迎参加市民评议")
            size: "title"
            color: Theme.textMuted
        }
        KText {
            objectName: "sessionName"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            visible: root.kiosk.sessionState !== "none"
            text: root.sessionTitle
            font.pixelSize: Theme.fontDisplay
            font.bold: true
        }
        KText {
            objectName: "sessionState"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: root.stateText
            size: "large"
            color: root.kiosk.canVote ? Theme.text : Theme.textMuted
        }
        KButton {
            objectName: "startVoting"
            anchors.horizontalCenter: parent.horizontalCenter
            visible: root.kiosk.sessionState === "open"
            enabled: root.kiosk.canVote
            width: Math.min(parent.width, 760)
            height: Math.round(200 * Math.min(Theme.scale, 1.3))
            kind: "primary"
            text: qsTr("开始评议")
            size: "display"
            onClicked: root.kiosk.startVoting()
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            visible: root.kiosk.canVote
            text: qsTr("也可以直接把邀请函上的二维码放到扫描器下方")
            size: "large"
            color: Theme.textMuted
        }
    }

    Rectangle {
        id: footer
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.touch + 2 * 16
        color: Theme.surfaceAlt

        KText {
            objectName: "startupTime"
            anchors.left: parent.left
            anchors.leftMargin: Theme.margin
            anchors.verticalCenter: parent.verticalCenter
            text: (root.kiosk.startupMs > 0 ? qsTr("启动用时 %1 秒").arg((root.kiosk.startupMs / 1000).toFixed(2)) + "　·　" : "")
                  + qsTr("终端 %1").arg(root.kiosk.kioskId)
            size: "small"
            color: Theme.textMuted
        }
        KButton {
            objectName: "openStaff"
            anchors.right: parent.right
            anchors.rightMargin: Theme.margin / 2
            anchors.verticalCenter: parent.verticalCenter
            height: Theme.touch
            kind: "quiet"
            size: "bar"
            text: qsTr("工作人员")
            onClicked: root.kiosk.openStaffConsole()
        }
    }
}
