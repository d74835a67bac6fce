import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// Export of a closed session to a USB drive: choose the drive, write, read back and verify,
// flush and unmount; "safe to remove" only after all of it succeeded. Errors say what to do.
StaffFrame {
    id: root

    readonly property sessionRow session: root.staff.exportSession
    readonly property int stage: root.staff.exportStage
    readonly property bool working: stage === StaffConsole.Writing

    objectName: "screen.staffExport"
    title: qsTr("导出到U盘") + "　" + Theme.pick(session.name, session.nameEn)
    rehearsal: session.rehearsal === true
    showLogout: !working

    // ---- choose a drive ---------------------------------------------------------------
    Column {
        anchors.fill: parent
        visible: root.stage === StaffConsole.Choose
        spacing: Theme.gap

        KText {
            text: qsTr("请插入U盘，然后点选要写入的U盘。")
            size: "title"
            font.bold: true
        }
        MessagePanel {
            objectName: "noDrive"
            width: parent.width
            visible: root.staff.drives.count === 0
            kind: "info"
            title: qsTr("没有发现U盘")
            text: qsTr("请插入U盘。插入后稍等几秒，它会出现在这里。")
        }
        // Offline check-ins the venue has not heard of: the batch is valid all the same (the
        // office's duplicate report finds a representative who voted at two kiosks), but the
        // other kiosks' audit logs learn of a duplicate only once this kiosk is back online.
        MessagePanel {
            objectName: "exportVenueQueued"
            width: parent.width
            visible: root.staff.venueShared && root.staff.venueQueued > 0
            kind: "info"
            title: qsTr("本机还有 %1 条离线签到记录未告知会场").arg(root.staff.venueQueued)
            text: qsTr("导出的数据照常有效，重复投票会在市里汇总时查出。会场网络恢复后，请让本机保持开机，直到会场终端卡片上不再显示待上传记录。")
        }
        Repeater {
            model: root.staff.drives
            Rectangle {
                id: drive
                required property int index
                required property string path
                required property string label
                required property double freeBytes
                required property bool readOnly
                objectName: "drive_" + index
                width: parent.width
                height: Theme.buttonHeight + 40
                radius: Theme.radius
                color: driveArea.pressed ? Theme.pressed : Theme.surface
                border.width: Theme.highContrast ? 4 : 2
                border.color: Theme.primary
                KText {
                    anchors.left: parent.left
                    anchors.leftMargin: 28
                    anchors.verticalCenter: parent.verticalCenter
                    text: "▣"
                    size: "headline"
                    color: Theme.primary
                }
                Column {
                    anchors.left: parent.left
                    anchors.leftMargin: 120
                    anchors.right: parent.right
                    anchors.rightMargin: 28
                    anchors.verticalCenter: parent.verticalCenter
                    KText {
                        text: drive.label
                        size: "large"
                        font.bold: true
                    }
                    KText {
                        text: (drive.readOnly ? qsTr("只读") + "　·　" : "") + qsTr("可用 %1").arg(StaffText.bytes(drive.freeBytes)) + "　·　" + drive.path
                        size: "bar"
                        color: drive.readOnly ? Theme.danger : Theme.textMuted
                    }
                }
                MouseArea {
                    id: driveArea
                    anchors.fill: parent
                    onClicked: root.staff.exportTo(drive.path)
                }
            }
        }
    }

    // ---- writing and verifying ----------------------------------------------------------
    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width, 1300)
        visible: root.working
        spacing: Theme.margin

        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("正在写入U盘……") // the service writes, then reads back and verifies
            size: "headline"
            font.bold: true
        }
        Rectangle {
            id: track
            objectName: "exportProgress"
            width: parent.width
            height: 36
            radius: 18
            color: Theme.surfaceAlt
            border.width: Theme.highContrast ? 3 : 0
            border.color: Theme.line
            clip: true
            Rectangle {
                width: track.width * 0.5
                height: parent.height
                radius: 18
                color: Theme.primary
                Behavior on width { NumberAnimation { duration: 300 } }
            }
            Rectangle {
                id: shimmer
                width: track.width * 0.15
                height: parent.height
                radius: 18
                color: Theme.primaryText
                opacity: 0.35
                NumberAnimation on x {
                    running: root.working
                    from: -shimmer.width
                    to: track.width
                    duration: 1200
                    loops: Animation.Infinite
                }
            }
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.margin
            Repeater {
                model: [qsTr("写入"), qsTr("读回校验"), qsTr("可以拔出")]
                KText {
                    required property string modelData
                    required property int index
                    readonly property int at: 0 // one service call writes and verifies
                    text: (index < at ? "● " : (index === at ? "◉ " : "○ ")) + modelData
                    size: "large"
                    font.bold: index === at
                    color: index <= at ? Theme.text : Theme.textMuted
                }
            }
        }
        KText {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("请不要拔出U盘。")
            size: "title"
            font.bold: true
            color: Theme.danger
        }
    }

    // ---- done ---------------------------------------------------------------------------
    Column {
        anchors.fill: parent
        visible: root.stage === StaffConsole.Done
        spacing: Theme.margin

        Rectangle {
            id: safeBand
            objectName: "safeToRemove"
            width: parent.width
            height: Math.max(260, safeTexts.height + 2 * Theme.gap)
            radius: Theme.radius
            color: Theme.success
            Row {
                anchors.centerIn: parent
                spacing: Theme.margin
                CheckMark {
                    id: safeMark
                    anchors.verticalCenter: parent.verticalCenter
                    width: 150
                    height: 150
                    color: Theme.highContrast ? "#000000" : "#FFFFFF"
                }
                Column {
                    id: safeTexts
                    anchors.verticalCenter: parent.verticalCenter
                    // The words wrap within the band rather than run past its end.
                    width: Math.min(Math.ceil(Math.max(safeTitleMetrics.advanceWidth, safeNoteMetrics.advanceWidth)) + 4,
                                    safeBand.width - safeMark.width - 3 * Theme.margin)
                    TextMetrics { id: safeTitleMetrics; font: safeTitle.font; text: safeTitle.text }
                    TextMetrics { id: safeNoteMetrics; font: safeNote.font; text: safeNote.text }
                    KText {
                        id: safeTitle
                        width: parent.width
                        text: qsTr("可以安全拔出U盘")
                        font.pixelSize: Theme.fontDisplay
                        font.bold: true
                        color: Theme.highContrast ? "#000000" : "#FFFFFF"
                    }
                    KText {
                        id: safeNote
                        width: parent.width
                        text: qsTr("文件已写入并读回校验无误，U盘已卸载。")
                        size: "large"
                        color: Theme.highContrast ? "#000000" : "#FFFFFF"
                    }
                }
            }
        }
        Card {
            width: parent.width
            height: doneInfo.implicitHeight + 48
            Column {
                id: doneInfo
                anchors.fill: parent
                anchors.margins: 24
                spacing: 8
                KText { text: qsTr("U盘：%1").arg(root.staff.exportDrive) }
                KText {
                    width: parent.width
                    text: qsTr("文件：%1").arg(root.staff.exportPath.substring(root.staff.exportPath.lastIndexOf("/") + 1))
                    wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                }
                KText { text: qsTr("大小：%1　·　选票 %2 张").arg(StaffText.bytes(root.staff.exportBytes)).arg(root.staff.exportBallots) }
                KText {
                    width: parent.width
                    text: qsTr("选票摘要：%1").arg(root.staff.exportDigest)
                    size: "bar"
                    color: Theme.textMuted
                    wrapMode: Text.WrapAnywhere
                }
            }
        }
        KButton {
            objectName: "exportDone"
            anchors.right: parent.right
            width: 360
            kind: "primary"
            text: qsTr("完成")
            onClicked: root.staff.showDashboard()
        }
    }

    // ---- written, not unmounted -----------------------------------------------------------
    // The batch on the drive verified, but the kiosk could not unmount the drive: it is not
    // said to be safe to remove until an unmount succeeds.
    Column {
        anchors.fill: parent
        visible: root.stage === StaffConsole.Written
        spacing: Theme.margin

        MessagePanel {
            objectName: "exportNotEjected"
            width: parent.width
            kind: "error"
            title: StaffText.errorTitle(root.staff.exportEjectError.code)
            text: StaffText.errorHelp(root.staff.exportEjectError.code, 0, -1)
        }
        KText {
            width: parent.width
            visible: root.staff.exportEjectError.message !== ""
            text: root.staff.exportEjectError.message
            size: "bar"
            color: Theme.textMuted
            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
        }
        KText {
            width: parent.width
            text: qsTr("文件：%1　·　选票 %2 张").arg(root.staff.exportPath.substring(root.staff.exportPath.lastIndexOf("/") + 1)).arg(root.staff.exportBallots)
            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
        }
        Row {
            spacing: Theme.gap
            KButton {
                objectName: "exportEjectAgain"
                width: 360
                kind: "primary"
                enabled: !root.staff.busy
                text: qsTr("再次卸载")
                onClicked: root.staff.ejectAgain()
            }
            KButton {
                objectName: "exportWrittenDone"
                width: 360
                enabled: !root.staff.busy
                text: qsTr("完成")
                onClicked: root.staff.showDashboard()
            }
        }
    }

    // ---- failed -------------------------------------------------------------------------
    Column {
        anchors.fill: parent
        visible: root.stage === StaffConsole.Failed
        spacing: Theme.margin

        MessagePanel {
            objectName: "exportError"
            width: parent.width
            kind: "error"
            title: StaffText.errorTitle(root.staff.exportError.code)
            text: StaffText.errorHelp(root.staff.exportError.code, 0, -1)
        }
        KText {
            width: parent.width
            visible: root.staff.exportError.message !== ""
            text: root.staff.exportError.message
            size: "bar"
            color: Theme.textMuted
        }
        Row {
            spacing: Theme.gap
            KButton {
                objectName: "exportRetry"
                width: 320
                kind: "primary"
                text: qsTr("重试")
                onClicked: root.staff.exportTo(root.staff.exportTarget)
            }
            KButton {
                objectName: "exportChooseAgain"
                width: 360
                text: qsTr("换一个U盘")
                onClicked: root.staff.chooseDrive()
            }
        }
    }

    KButton {
        objectName: "exportBack"
        visible: !root.working && root.stage !== StaffConsole.Done && root.stage !== StaffConsole.Written
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        width: 360
        glyph: "‹"
        text: qsTr("返回控制台")
        onClicked: root.staff.showDashboard()
    }
}
