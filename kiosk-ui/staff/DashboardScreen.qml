import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// What staff need at a glance: a banner with the state of the session (word, sign and
// colour), its counts as large numbers, the main action (pause or resume) apart from
// closing, every session of this venue — real ones and rehearsals in their own sections —
// with the next step for it, the kiosk, disk space and the clock.
StaffFrame {
    id: root

    objectName: "screen.staffDashboard"
    title: qsTr("工作人员控制台")

    /// The camera's status and detail (CameraDesk), from the shell.
    property string cameraStatus: "off"
    property string cameraDetail

    readonly property sessionRow cur: root.staff.current
    readonly property bool hasCurrent: cur.valid
    /// What the banner shows: the session on now, else whether the venue's sessions are
    /// still to come ("ready") or all over ("closed").
    readonly property string bannerState: hasCurrent ? cur.state : (root.staff.venueDay === "ended" ? "closed" : "ready")

    component Stat: Rectangle {
        id: stat
        property string label
        property int value
        /// The three numbers staff compare: voted, checked in, invited.
        property bool strong: false
        width: Math.max(stat.strong ? 220 : 180, statLabel.implicitWidth + 32, statValue.implicitWidth + 32)
        height: statColumn.implicitHeight + 24
        radius: Theme.radius
        color: stat.strong ? Theme.infoSoft : Theme.surfaceAlt
        border.width: Theme.highContrast ? 2 : 0
        border.color: Theme.line
        Column {
            id: statColumn
            anchors.centerIn: parent
            spacing: 2
            KText {
                id: statValue
                objectName: "value"
                anchors.horizontalCenter: parent.horizontalCenter
                text: String(stat.value)
                size: stat.strong ? "headline" : "title"
                font.bold: true
                wrapMode: Text.NoWrap
            }
            KText {
                id: statLabel
                anchors.horizontalCenter: parent.horizontalCenter
                text: stat.label
                size: "bar"
                font.bold: stat.strong
                color: Theme.textMuted
                wrapMode: Text.NoWrap
            }
        }
    }

    component InfoLine: Row {
        id: line
        property string label
        property string value
        spacing: 12
        KText {
            text: line.label
            color: Theme.textMuted
            size: "bar"
            wrapMode: Text.NoWrap
        }
        KText {
            width: Math.min(implicitWidth, 420)
            text: line.value
            size: "bar"
            font.bold: true
            elide: Text.ElideRight
            wrapMode: Text.NoWrap
        }
    }

    component SectionTitle: Row {
        id: section
        property string text
        property string note
        property bool rehearsal: false
        spacing: Theme.gap
        Rectangle {
            visible: section.rehearsal
            anchors.verticalCenter: parent.verticalCenter
            width: 18
            height: sectionText.height
            color: Theme.rehearsal
        }
        KText {
            id: sectionText
            text: section.text
            size: "large"
            font.bold: true
            wrapMode: Text.NoWrap
        }
        KText {
            anchors.baseline: sectionText.baseline
            visible: section.note !== ""
            text: section.note
            size: "bar"
            color: Theme.textMuted
            wrapMode: Text.NoWrap
        }
    }

    // One session in the list; `wanted` says which section (real or rehearsal) shows it.
    component SessionRowItem: Rectangle {
        id: row
        required property string code
        required property string name
        required property string nameEn
        required property bool rehearsal
        required property string state
        required property int ballots
        required property int checkins
        required property int invited
        required property int departments
        property bool wanted: false
        readonly property string tag: code + "_" + (rehearsal ? "r" : "n")
        readonly property bool ended: state === "closed" || state === "exported"
        objectName: "session_" + tag
        // Wide buttons (English, large text) go under the name instead of squeezing it.
        readonly property bool stacked: actions.width > width * 0.5
        visible: rehearsal === wanted
        width: parent ? parent.width : 0
        height: stacked ? rowText.height + actions.height + 12 + 28 : Math.max(actions.height, rowText.height) + 28
        radius: Theme.radius
        color: Theme.surface
        border.width: Theme.highContrast ? 2 : 1
        border.color: Theme.line

        // Rehearsals carry the rehearsal colour down their left edge.
        Rectangle {
            visible: row.rehearsal
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            anchors.margins: 2
            width: 14
            radius: 6
            color: Theme.rehearsal
        }
        Column {
            id: rowText
            x: 32
            y: row.stacked ? 14 : (row.height - height) / 2
            width: row.stacked ? row.width - 32 - 16 : row.width - 32 - 16 - actions.width - 12
            spacing: 2
            KText {
                width: parent.width
                text: row.rehearsal ? qsTr("%1（演练）").arg(Theme.pick(row.name, row.nameEn)) : Theme.pick(row.name, row.nameEn)
                font.bold: true
            }
            KText {
                objectName: "sessionFacts"
                width: parent.width
                text: StaffText.stateGlyph(row.state) + " " + StaffText.stateLabel(row.state)
                      + "　·　" + qsTr("%1 个部门").arg(row.departments)
                      + (row.state !== "ready" ? "　·　" + qsTr("已签到 %1，已投 %2 / 应到 %3").arg(row.checkins).arg(row.ballots).arg(row.invited)
                                               : "　·　" + qsTr("应到 %1").arg(row.invited))
                size: "bar"
                color: Theme.textMuted
            }
        }
        Row {
            id: actions
            x: row.width - width - 12
            y: row.stacked ? rowText.y + rowText.height + 12 : (row.height - height) / 2
            spacing: 12
            KButton {
                objectName: "open_" + row.tag
                visible: row.state === "ready"
                enabled: !root.hasCurrent
                width: Math.max(implicitWidth, 240)
                kind: "primary"
                size: "bar"
                glyph: "▶"
                text: row.rehearsal ? qsTr("开始演练") : qsTr("开始评议")
                onClicked: root.staff.requestAction("open", row.code, row.rehearsal)
            }
            KButton {
                objectName: "zero_" + row.tag
                visible: row.state !== "ready"
                width: Math.max(implicitWidth, 180)
                size: "bar"
                text: qsTr("零报告")
                onClicked: root.staff.showReport(row.code, row.rehearsal, "zero")
            }
            KButton {
                objectName: "closing_" + row.tag
                visible: row.ended
                width: Math.max(implicitWidth, 180)
                size: "bar"
                text: qsTr("结束报告")
                onClicked: root.staff.showReport(row.code, row.rehearsal, "closing")
            }
            KButton {
                objectName: "export_" + row.tag
                visible: row.ended
                width: Math.max(implicitWidth, 220)
                kind: row.state === "closed" ? "primary" : "secondary"
                size: "bar"
                text: row.state === "closed" ? qsTr("导出到U盘") : qsTr("再次导出")
                onClicked: root.staff.startExport(row.code, row.rehearsal)
            }
        }
    }

    // ---- the state banner, full width -----------------------------------------------------
    Rectangle {
        id: banner
        objectName: "stateBanner"
        readonly property color ink: StaffText.stateInk(root.bannerState, Theme.highContrast)
        width: parent.width
        height: Math.max(bannerRow.implicitHeight, bannerHelp.implicitHeight) + 32
        radius: Theme.radius
        color: StaffText.stateColour(root.bannerState, Theme.highContrast)
        border.width: Theme.highContrast ? 3 : 0
        border.color: Theme.text
        Row {
            id: bannerRow
            anchors.left: parent.left
            anchors.leftMargin: 28
            anchors.verticalCenter: parent.verticalCenter
            spacing: 20
            KText {
                objectName: "stateBannerGlyph"
                anchors.verticalCenter: parent.verticalCenter
                text: StaffText.stateGlyph(root.bannerState)
                size: "headline"
                color: banner.ink
                wrapMode: Text.NoWrap
            }
            KText {
                objectName: "stateBannerWord"
                anchors.verticalCenter: parent.verticalCenter
                text: StaffText.stateLabel(root.bannerState)
                size: "headline"
                font.bold: true
                color: banner.ink
                wrapMode: Text.NoWrap
            }
        }
        Column {
            anchors.left: bannerRow.right
            anchors.leftMargin: 40
            anchors.right: parent.right
            anchors.rightMargin: 28
            anchors.verticalCenter: parent.verticalCenter
            spacing: 2
            KText {
                objectName: "stateBannerSession"
                visible: root.hasCurrent
                width: parent.width
                text: root.cur.rehearsal ? qsTr("%1（演练）").arg(Theme.pick(root.cur.name, root.cur.nameEn))
                                         : Theme.pick(root.cur.name, root.cur.nameEn)
                size: "title"
                font.bold: true
                color: banner.ink
            }
            KText {
                id: bannerHelp
                objectName: "stateBannerHelp"
                width: parent.width
                text: root.bannerState === "open" ? qsTr("代表现在可以评议。")
                    : root.bannerState === "paused" ? qsTr("代表现在不能开始评议。点“继续评议”恢复。")
                    : root.bannerState === "closed" ? qsTr("本会场的正式场次已全部结束。请把数据导出到U盘。")
                    : root.staff.venueDay === "between" ? qsTr("上一场已结束。请在下方开始下一场。")
                    : qsTr("请在下方开始本场评议。")
                size: "bar"
                color: banner.ink
            }
        }
    }

    Row {
        anchors.top: banner.bottom
        anchors.topMargin: Theme.gap
        anchors.bottom: parent.bottom
        width: parent.width
        spacing: Theme.margin

        // ---- left: the kiosk (it scrolls when the cards are taller than the screen) ----
        Flickable {
            id: side
            width: 560
            height: parent.height
            contentHeight: sideColumn.height
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            Column {
                id: sideColumn
                width: side.width
                spacing: Theme.gap

                KButton {
                    objectName: "technician"
                    visible: root.staff.role === "technician"
                    width: parent.width
                    text: qsTr("技术维护")
                    onClicked: root.staff.showTechnician()
                }

                Card {
                    width: parent.width
                    height: kioskInfo.implicitHeight + 48
                    Column {
                        id: kioskInfo
                        anchors.fill: parent
                        anchors.margins: 24
                        spacing: 10
                        KText {
                            width: parent.width
                            text: Theme.pick(root.staff.activityName, root.staff.activityNameEn)
                            size: "body"
                            font.bold: true
                        }
                        InfoLine { label: qsTr("会场"); value: Theme.pick(root.staff.venueName, root.staff.venueNameEn) }
                        InfoLine { label: qsTr("终端"); value: root.staff.kioskId }
                        InfoLine { label: qsTr("数据包版本"); value: String(root.staff.packageVersion) }
                        InfoLine { label: qsTr("本会场代表"); value: qsTr("%1 人").arg(root.staff.rosterSize) }
                        // The camera, live: plugging it back in shows here within seconds.
                        Row {
                            id: cameraLine
                            objectName: "cameraStatus"
                            readonly property bool ok: root.cameraStatus === "live"
                            readonly property bool trouble: root.cameraStatus === "missing" || root.cameraStatus === "busy"
                                                            || root.cameraStatus === "unplugged"
                            spacing: 12
                            KText {
                                text: qsTr("摄像头")
                                color: Theme.textMuted
                                size: "bar"
                                wrapMode: Text.NoWrap
                            }
                            Rectangle {
                                anchors.verticalCenter: parent.verticalCenter
                                width: 20
                                height: 20
                                radius: 10
                                color: cameraLine.ok ? Theme.success : cameraLine.trouble ? Theme.danger : Theme.line
                            }
                            KText {
                                objectName: "cameraStatusText"
                                text: StaffText.cameraLabel(root.cameraStatus)
                                size: "bar"
                                font.bold: true
                                color: cameraLine.trouble ? Theme.danger : Theme.text
                                wrapMode: Text.NoWrap
                            }
                        }
                        KText {
                            objectName: "cameraDetail"
                            visible: root.cameraDetail !== ""
                            width: parent.width
                            text: root.cameraDetail
                            size: "bar"
                            color: Theme.textMuted
                            // Often a device path: broken anywhere rather than cut (this column scrolls).
                            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        }
                    }
                }
                // The venue's kiosks, when they share check-ins (docs/venue.md): the network,
                // each kiosk's check-ins in the session on now, and the lead's offline switch.
                Card {
                    objectName: "venueView"
                    visible: root.staff.venueShared
                    width: parent.width
                    height: venueInfo.implicitHeight + 48
                    Column {
                        id: venueInfo
                        anchors.fill: parent
                        anchors.margins: 24
                        spacing: 10
                        KText {
                            text: qsTr("会场终端")
                            font.bold: true
                        }
                        InfoLine {
                            objectName: "venueNetwork"
                            label: qsTr("会场网络")
                            value: root.staff.venueConnected ? qsTr("正常") : qsTr("不可用")
                        }
                        KText {
                            objectName: "venueOfflineState"
                            visible: root.staff.venueOffline
                            width: parent.width
                            text: qsTr("本机正在离线签到，%1 条记录待上传").arg(root.staff.venueQueued)
                            size: "bar"
                            font.bold: true
                            color: Theme.danger
                        }
                        KText {
                            objectName: "venueNetworkHelp"
                            visible: !root.staff.venueConnected && !root.staff.venueOffline
                            width: parent.width
                            text: qsTr("网络不通时签到会被拒绝。请检查网线和交换机；需要继续评议时，请现场负责人改为离线签到。")
                            size: "bar"
                            color: Theme.danger
                        }
                        Repeater {
                            model: root.staff.venueKiosks
                            Row {
                                id: venueKioskRow
                                required property string kioskId
                                required property bool self
                                required property bool reachable
                                required property int checkedIn
                                required property int voted
                                required property string state
                                objectName: "venueKiosk_" + kioskId
                                spacing: 12
                                Rectangle {
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: 20
                                    height: 20
                                    radius: 10
                                    color: venueKioskRow.reachable ? Theme.success : Theme.danger
                                }
                                KText {
                                    width: venueInfo.width - 32
                                    // The kiosk's own session state (sign and word), then its counts.
                                    text: (venueKioskRow.self ? qsTr("%1（本机）").arg(venueKioskRow.kioskId) : venueKioskRow.kioskId)
                                          + (venueKioskRow.state !== "" ? "  " + StaffText.stateGlyph(venueKioskRow.state) + " "
                                                                          + StaffText.stateLabel(venueKioskRow.state) : "")
                                          + "  " + (venueKioskRow.reachable
                                                    ? qsTr("已签到 %1 · 已投 %2").arg(venueKioskRow.checkedIn).arg(venueKioskRow.voted)
                                                    : qsTr("无法连接"))
                                    size: "bar"
                                    color: venueKioskRow.reachable ? Theme.text : Theme.danger
                                }
                            }
                        }
                        KText {
                            objectName: "venueCloseRequested"
                            visible: root.staff.venueCloseRequestedBy !== ""
                            width: parent.width
                            text: qsTr("现场负责人已在终端“%1”要求所有终端结束本场评议：各终端在无人评议时自动结束，尚有 %2 台未结束。")
                                  .arg(root.staff.venueCloseRequestedBy).arg(root.staff.venueKiosks.stillOpen)
                            size: "bar"
                            font.bold: true
                        }
                        KText {
                            objectName: "venueCloseFailure"
                            visible: root.staff.venueCloseFailure !== ""
                            width: parent.width
                            text: qsTr("本机未能按要求结束评议，请联系技术人员：%1").arg(root.staff.venueCloseFailure)
                            size: "bar"
                            font.bold: true
                            color: Theme.danger
                        }
                        KButton {
                            objectName: "venueCloseAll"
                            visible: root.staff.role === "lead" && root.hasCurrent && root.staff.venueCloseRequestedBy === ""
                            width: parent.width
                            kind: "danger"
                            glyph: "■"
                            text: qsTr("所有终端结束评议…")
                            onClicked: root.staff.requestAction("close-all", root.cur.code, root.cur.rehearsal)
                        }
                        KButton {
                            objectName: "venueOffline"
                            visible: root.staff.role === "lead"
                            width: parent.width
                            kind: root.staff.venueOffline ? "primary" : "danger"
                            text: root.staff.venueOffline ? qsTr("恢复联网签到") : qsTr("改为离线签到")
                            onClicked: root.staff.setOfflineCheckIn(!root.staff.venueOffline)
                        }
                    }
                }
                Card {
                    width: parent.width
                    height: diskInfo.implicitHeight + 48
                    Column {
                        id: diskInfo
                        anchors.fill: parent
                        anchors.margins: 24
                        spacing: 10
                        KText {
                            text: qsTr("本机存储")
                            font.bold: true
                        }
                        Rectangle {
                            width: parent.width
                            height: 20
                            radius: 10
                            color: Theme.surfaceAlt
                            border.width: Theme.highContrast ? 2 : 0
                            border.color: Theme.line
                            Rectangle {
                                readonly property real used: root.staff.diskTotalBytes > 0
                                    ? 1 - root.staff.diskFreeBytes / root.staff.diskTotalBytes : 0
                                width: parent.width * used
                                height: parent.height
                                radius: 10
                                color: used > 0.9 ? Theme.danger : Theme.primary
                            }
                        }
                        KText {
                            objectName: "diskFree"
                            text: qsTr("可用 %1，共 %2").arg(StaffText.bytes(root.staff.diskFreeBytes)).arg(StaffText.bytes(root.staff.diskTotalBytes))
                            size: "bar"
                        }
                    }
                }
                Card {
                    objectName: "exportStatus"
                    width: parent.width
                    height: exportInfo.implicitHeight + 48
                    Column {
                        id: exportInfo
                        anchors.fill: parent
                        anchors.margins: 24
                        spacing: 8
                        KText {
                            text: qsTr("导出状态")
                            font.bold: true
                        }
                        Repeater {
                            model: root.staff.sessions
                            KText {
                                required property string name
                                required property string nameEn
                                required property bool rehearsal
                                required property string state
                                required property string exportedTo
                                visible: state === "closed" || state === "exported"
                                width: exportInfo.width
                                text: qsTr("%1：%2").arg(rehearsal ? qsTr("%1（演练）").arg(Theme.pick(name, nameEn)) : Theme.pick(name, nameEn))
                                                    .arg(state === "closed" ? qsTr("待导出") : qsTr("已导出"))
                                size: "bar"
                                font.bold: state === "closed"
                                color: state === "closed" ? Theme.danger : Theme.text
                            }
                        }
                        KText {
                            visible: root.staff.closedSessions === 0
                            width: exportInfo.width
                            text: qsTr("还没有已结束的场次。")
                            size: "bar"
                            color: Theme.textMuted
                        }
                    }
                }
            }
        }

        // ---- right: the session on now, then every session ----------------------------
        Column {
            id: main
            width: parent.width - side.width - parent.spacing
            height: parent.height
            spacing: Theme.gap

            MessagePanel {
                objectName: "dashboardError"
                width: parent.width
                visible: root.staff.error.isError
                kind: "error"
                title: StaffText.errorTitle(root.staff.error.code)
                text: StaffText.errorHelp(root.staff.error.code, 0, -1)
            }

            Card {
                objectName: "currentSession"
                visible: root.hasCurrent
                width: parent.width
                height: Math.max(counts.height, currentActions.height) + 48
                border.width: Theme.highContrast ? 4 : 3
                border.color: Theme.primary
                // The counts, from the left; they wrap under one another when large.
                Flow {
                    id: counts
                    anchors.left: parent.left
                    anchors.right: currentActions.left
                    anchors.margins: 24
                    anchors.verticalCenter: parent.verticalCenter
                    spacing: 16
                    Stat { objectName: "statBallots"; label: qsTr("已投"); value: root.cur.ballots; strong: true }
                    Stat { objectName: "statCheckins"; label: qsTr("已签到"); value: root.cur.checkins; strong: true }
                    Stat { objectName: "statInvited"; label: qsTr("应到"); value: root.cur.invited; strong: true }
                    Stat { objectName: "statReleased"; label: qsTr("未投票离开"); value: root.cur.released }
                    Stat { objectName: "statSuggestions"; label: qsTr("建议"); value: root.cur.suggestions }
                }
                // Pause and resume are the main action; closing is apart, below, and asks
                // for a press and hold in its confirmation.
                Column {
                    id: currentActions
                    anchors.right: parent.right
                    anchors.rightMargin: 24
                    anchors.verticalCenter: parent.verticalCenter
                    width: Math.max(320, pauseButton.implicitWidth, closeButton.implicitWidth)
                    spacing: Theme.margin
                    KButton {
                        id: pauseButton
                        objectName: "currentPauseResume"
                        width: parent.width
                        kind: "primary"
                        glyph: root.cur.state === "open" ? "‖" : "▶"
                        text: root.cur.state === "open" ? qsTr("暂停评议") : qsTr("继续评议")
                        enabled: !root.staff.voterActive || root.cur.state !== "open"
                        onClicked: root.staff.requestAction(root.cur.state === "open" ? "pause" : "resume",
                                                            root.cur.code, root.cur.rehearsal)
                    }
                    KButton {
                        id: closeButton
                        objectName: "currentClose"
                        width: parent.width
                        kind: "danger"
                        glyph: "■"
                        text: qsTr("结束评议…")
                        enabled: !root.staff.voterActive
                        onClicked: root.staff.requestAction("close", root.cur.code, root.cur.rehearsal)
                    }
                }
            }

            ScrollArea {
                id: listArea
                width: parent.width
                height: parent.height - y
                Column {
                    width: parent.width
                    spacing: 12
                    SectionTitle {
                        objectName: "realSessions"
                        text: qsTr("正式场次")
                        note: root.hasCurrent ? qsTr("同一时间只能进行一个场次") : ""
                    }
                    Repeater {
                        model: root.staff.sessions
                        SessionRowItem { wanted: false }
                    }
                    Item { width: 1; height: Theme.gap }
                    SectionTitle {
                        objectName: "rehearsalSessions"
                        rehearsal: true
                        text: qsTr("演练场次")
                        note: qsTr("投票不计入正式结果")
                    }
                    Repeater {
                        model: root.staff.sessions
                        SessionRowItem { wanted: true }
                    }
                }
            }
        }
    }
}
