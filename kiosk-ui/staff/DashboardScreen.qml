import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// What staff need at a glance: the package and activity, the session on now with its
// counts, every session of this venue with the next step for it, disk space and the clock.
StaffFrame {
    id: root

    objectName: "screen.staffDashboard"
    title: qsTr("工作人员控制台")

    /// The camera's status and detail (CameraDesk), from the shell.
    property string cameraStatus: "off"
    property string cameraDetail

    readonly property sessionRow cur: root.staff.current
    readonly property bool hasCurrent: cur.valid

    component Stat: Rectangle {
        id: stat
        property string label
        property var value
        width: Math.max(200, statLabel.implicitWidth + 32)
        height: 132
        radius: Theme.radius
        color: Theme.surfaceAlt
        border.width: Theme.highContrast ? 2 : 0
        border.color: Theme.line
        Column {
            anchors.centerIn: parent
            spacing: 4
            KText {
                anchors.horizontalCenter: parent.horizontalCenter
                text: String(stat.value)
                size: "headline"
                font.bold: true
            }
            KText {
                id: statLabel
                anchors.horizontalCenter: parent.horizontalCenter
                text: stat.label
                size: "bar"
                color: Theme.textMuted
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

    Row {
        anchors.fill: parent
        spacing: Theme.margin

        // ---- left: the kiosk --------------------------------------------------------
        Column {
            id: side
            width: 560
            height: parent.height
            spacing: Theme.gap

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
                        maximumLineCount: 3
                        elide: Text.ElideRight
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
                        maximumLineCount: 2
                        elide: Text.ElideRight
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
            KButton {
                objectName: "technician"
                visible: root.staff.role === "technician"
                width: parent.width
                text: qsTr("技术维护")
                onClicked: root.staff.showTechnician()
            }
        }

        // ---- right: sessions --------------------------------------------------------
        Column {
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
                width: parent.width
                height: currentColumn.implicitHeight + 48
                border.width: root.hasCurrent ? (Theme.highContrast ? 4 : 3) : 1
                border.color: root.hasCurrent ? Theme.primary : Theme.line
                Column {
                    id: currentColumn
                    anchors.fill: parent
                    anchors.margins: 24
                    spacing: 16
                    Row {
                        spacing: Theme.gap
                        KText {
                            text: root.hasCurrent ? Theme.pick(root.cur.name, root.cur.nameEn) : qsTr("当前没有进行中的评议")
                            size: "title"
                            font.bold: true
                        }
                        Rectangle {
                            visible: root.hasCurrent
                            anchors.verticalCenter: parent.verticalCenter
                            width: stateText.implicitWidth + 32
                            height: stateText.implicitHeight + 12
                            radius: height / 2
                            color: root.cur.state === "open" ? Theme.success : Theme.rehearsal
                            KText {
                                id: stateText
                                anchors.centerIn: parent
                                text: StaffText.stateLabel(root.cur.state || "")
                                size: "bar"
                                font.bold: true
                                color: root.cur.state === "open" ? (Theme.highContrast ? "#000000" : "#FFFFFF") : Theme.rehearsalText
                            }
                        }
                        Rectangle {
                            visible: root.cur.rehearsal === true
                            anchors.verticalCenter: parent.verticalCenter
                            width: rehearsalTag.implicitWidth + 32
                            height: rehearsalTag.implicitHeight + 12
                            radius: height / 2
                            color: Theme.rehearsal
                            KText {
                                id: rehearsalTag
                                anchors.centerIn: parent
                                text: qsTr("演练")
                                size: "bar"
                                font.bold: true
                                color: Theme.rehearsalText
                            }
                        }
                    }
                    Row {
                        visible: root.hasCurrent
                        spacing: Theme.gap
                        Stat { objectName: "statCheckins"; label: qsTr("已签到"); value: root.cur.checkins || 0 }
                        Stat { objectName: "statBallots"; label: qsTr("已投票"); value: root.cur.ballots || 0 }
                        Stat { objectName: "statReleased"; label: qsTr("未投票离开"); value: root.cur.released || 0 }
                        Stat { objectName: "statSuggestions"; label: qsTr("建议"); value: root.cur.suggestions || 0 }
                        Column {
                            anchors.verticalCenter: parent.verticalCenter
                            spacing: 12
                            KButton {
                                objectName: "currentPauseResume"
                                width: 300
                                text: root.cur.state === "open" ? qsTr("暂停评议") : qsTr("继续评议")
                                enabled: !root.staff.voterActive || root.cur.state !== "open"
                                onClicked: root.staff.requestAction(root.cur.state === "open" ? "pause" : "resume",
                                                                    root.cur.code, root.cur.rehearsal)
                            }
                            KButton {
                                objectName: "currentClose"
                                width: 300
                                kind: "primary"
                                text: qsTr("结束评议")
                                enabled: !root.staff.voterActive
                                onClicked: root.staff.requestAction("close", root.cur.code, root.cur.rehearsal)
                            }
                        }
                    }
                    KText {
                        visible: !root.hasCurrent
                        text: qsTr("在下方选择要开始的场次。")
                        color: Theme.textMuted
                    }
                }
            }

            Row {
                spacing: Theme.gap
                KText {
                    text: qsTr("本会场的全部场次")
                    size: "large"
                    font.bold: true
                }
                KText {
                    anchors.baseline: parent.children[0].baseline
                    visible: root.hasCurrent
                    text: qsTr("（同一时间只能进行一个场次）")
                    size: "bar"
                    color: Theme.textMuted
                }
            }

            ListView {
                id: list
                objectName: "sessionList"
                width: parent.width
                height: parent.height - y
                clip: true
                spacing: 12
                boundsBehavior: Flickable.StopAtBounds
                model: root.staff.sessions
                delegate: Rectangle {
                    id: row
                    required property string code
                    required property string name
                    required property string nameEn
                    required property bool rehearsal
                    required property string state
                    required property int ballots
                    required property int checkins
                    required property int departments
                    required property string exportedTo
                    readonly property string tag: code + "_" + (rehearsal ? "r" : "n")
                    width: list.width
                    height: Math.max(Theme.buttonHeight + 24, rowText.implicitHeight + 24)
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: Theme.highContrast ? 2 : 1
                    border.color: Theme.line

                    Column {
                        id: rowText
                        anchors.left: parent.left
                        anchors.leftMargin: 24
                        anchors.right: actions.left
                        anchors.rightMargin: 16
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 2
                        KText {
                            width: parent.width
                            text: row.rehearsal ? qsTr("%1【演练】").arg(Theme.pick(row.name, row.nameEn)) : Theme.pick(row.name, row.nameEn)
                            font.bold: true
                            elide: Text.ElideRight
                            maximumLineCount: 1
                        }
                        KText {
                            width: parent.width
                            text: StaffText.stateLabel(row.state) + "　·　" + qsTr("%1 个部门").arg(row.departments)
                                  + (row.state !== "ready" ? "　·　" + qsTr("签到 %1，投票 %2").arg(row.checkins).arg(row.ballots) : "")
                            size: "bar"
                            color: Theme.textMuted
                            elide: Text.ElideRight
                            maximumLineCount: 1
                        }
                    }
                    Row {
                        id: actions
                        anchors.right: parent.right
                        anchors.rightMargin: 12
                        anchors.verticalCenter: parent.verticalCenter
                        spacing: 12
                        KButton {
                            objectName: "open_" + row.tag
                            visible: row.state === "ready"
                            enabled: !root.hasCurrent
                            width: 240
                            kind: "primary"
                            size: "bar"
                            text: row.rehearsal ? qsTr("开始演练") : qsTr("开始评议")
                            onClicked: root.staff.requestAction("open", row.code, row.rehearsal)
                        }
                        KButton {
                            objectName: "zero_" + row.tag
                            visible: row.state !== "ready"
                            width: 200
                            size: "bar"
                            text: qsTr("零报告")
                            onClicked: root.staff.showReport(row.code, row.rehearsal, "zero")
                        }
                        KButton {
                            objectName: "closing_" + row.tag
                            visible: row.state === "closed" || row.state === "exported"
                            width: 200
                            size: "bar"
                            text: qsTr("结束报告")
                            onClicked: root.staff.showReport(row.code, row.rehearsal, "closing")
                        }
                        KButton {
                            objectName: "export_" + row.tag
                            visible: row.state === "closed" || row.state === "exported"
                            width: 240
                            kind: row.state === "closed" ? "primary" : "secondary"
                            size: "bar"
                            text: row.state === "closed" ? qsTr("导出到U盘") : qsTr("再次导出")
                            onClicked: root.staff.startExport(row.code, row.rehearsal)
                        }
                    }
                }
            }
        }
    }
}
