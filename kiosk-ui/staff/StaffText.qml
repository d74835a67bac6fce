pragma Singleton
import QtQuick
import Pingyi.Staff // StaffErrors (Qt 6.4 resolves the module's C++ types only when imported)

// Words for the staff console: session states, sizes, and every refusal with what to do.
QtObject {
    function stateLabel(state) {
        switch (state) {
        case "ready": return qsTr("未开始")
        case "open": return qsTr("进行中")
        case "paused": return qsTr("已暂停")
        case "closed": return qsTr("已结束")
        case "exported": return qsTr("已结束并导出")
        default: return state
        }
    }

    // A sign for each state, so that the state never rests on colour alone.
    function stateGlyph(state) {
        switch (state) {
        case "ready": return "○"
        case "open": return "▶"
        case "paused": return "‖"
        case "closed": return "■"
        case "exported": return "■"
        default: return ""
        }
    }

    // The state banner's colours: green running, amber paused, grey not started, dark
    // blue-grey ended; in high contrast bright fills with black ink.
    function stateColour(state, highContrast) {
        switch (state) {
        case "open": return highContrast ? "#8CFF8C" : "#2E6B30"
        case "paused": return highContrast ? "#FFB000" : "#9A5B00"
        case "closed":
        case "exported": return highContrast ? "#FFFFFF" : "#3F4A57"
        default: return highContrast ? "#000000" : "#E8E2D4"
        }
    }

    function stateInk(state, highContrast) {
        if (state === "ready" || state === "")
            return highContrast ? "#FFFFFF" : "#1C1C1C"
        return highContrast ? "#000000" : "#FFFFFF"
    }

    // The camera's status (CameraDesk.status). The camera thread retries every second
    // whatever went wrong; the detail line under it says which device and why.
    function cameraLabel(status) {
        switch (status) {
        case "live": return qsTr("正常")
        case "starting": return qsTr("正在启动")
        case "missing": return qsTr("未连接")
        case "busy": return qsTr("被占用")
        case "unplugged": return qsTr("已断开，正在重试")
        case "ended": return qsTr("回放已结束")
        default: return qsTr("未启用")
        }
    }

    function roleLabel(role) {
        switch (role) {
        case "staff": return qsTr("工作人员")
        case "lead": return qsTr("现场负责人")
        case "technician": return qsTr("技术人员")
        default: return ""
        }
    }

    function bytes(n) {
        if (n >= 1e9)
            return (n / 1e9).toFixed(1) + " GB"
        if (n >= 1e6)
            return (n / 1e6).toFixed(1) + " MB"
        if (n >= 1e3)
            return Math.round(n / 1e3) + " KB"
        return Math.round(n) + " B"
    }

    // `code` is a StaffErrors.Code: the one place the console words its refusals.
    function errorTitle(code) {
        switch (code) {
        case StaffErrors.None: return ""
        case StaffErrors.PinWrong: return qsTr("PIN码不正确")
        case StaffErrors.PinLocked: return qsTr("PIN码错误次数过多，已暂时锁定")
        case StaffErrors.NeedLead: return qsTr("这里需要现场负责人的PIN码")
        case StaffErrors.NoPackage: return qsTr("本终端尚未装载会场数据包")
        case StaffErrors.LoginRequired: return qsTr("登录已过期或权限不足")
        case StaffErrors.SessionOtherOpen: return qsTr("另一场评议仍在进行")
        case StaffErrors.VoterActive: return qsTr("有代表正在投票")
        case StaffErrors.SessionNotEmpty: return qsTr("本机已有该场次的记录")
        case StaffErrors.SessionChanged: return qsTr("场次状态已经变化")
        case StaffErrors.Invariant: return qsTr("记录核对不一致")
        case StaffErrors.DriveMissing: return qsTr("找不到U盘")
        case StaffErrors.DriveReadOnly: return qsTr("U盘处于只读状态")
        case StaffErrors.DriveFull: return qsTr("U盘空间不足")
        case StaffErrors.DriveVerify: return qsTr("读回校验没有通过")
        case StaffErrors.DriveWrite: return qsTr("写入U盘失败")
        case StaffErrors.DriveBusy: return qsTr("U盘仍被占用，未能卸载")
        case StaffErrors.DriveEject: return qsTr("本机未能卸载U盘")
        case StaffErrors.VenueUnavailable: return qsTr("会场网络不可用")
        case StaffErrors.SessionClosedAtVenue: return qsTr("本场评议已在全会场结束")
        default: return qsTr("操作没有完成")
        }
    }

    function errorHelp(code, seconds, tries) {
        switch (code) {
        case StaffErrors.None: return ""
        case StaffErrors.PinWrong: return tries >= 0 ? qsTr("请重新输入。再错 %1 次将暂时锁定。").arg(tries) : qsTr("请重新输入。")
        case StaffErrors.PinLocked: return qsTr("请在 %1 秒后再试。").arg(seconds)
        case StaffErrors.NeedLead: return qsTr("身份核验协助只能由现场负责人操作。")
        case StaffErrors.NoPackage: return qsTr("请技术人员装载会场数据包。")
        case StaffErrors.LoginRequired: return qsTr("请重新输入PIN码。")
        case StaffErrors.SessionOtherOpen: return qsTr("请先结束正在进行的场次，再开始新的场次。")
        case StaffErrors.VoterActive: return qsTr("请等这位代表完成评议，或等本机超时后自动取消，再进行操作。")
        case StaffErrors.SessionNotEmpty: return qsTr("已有记录的场次不能重新开始。请联系技术人员。")
        case StaffErrors.SessionChanged: return qsTr("请查看最新状态后再操作。")
        case StaffErrors.Invariant: return qsTr("请不要导出，立即联系技术人员。")
        case StaffErrors.DriveMissing: return qsTr("U盘可能已被拔出。请重新插入U盘，稍等几秒后再试。")
        case StaffErrors.DriveReadOnly: return qsTr("请关闭U盘上的写保护开关，或换一个U盘。")
        case StaffErrors.DriveFull: return qsTr("请换一个有足够空间的U盘。")
        case StaffErrors.DriveVerify: return qsTr("U盘上的文件已删除。请重试，或换一个U盘。")
        case StaffErrors.DriveWrite: return qsTr("U盘可能已被拔出或已损坏。请重试，或换一个U盘。")
        case StaffErrors.DriveBusy: return qsTr("U盘上的文件已写入并校验无误，但还有程序在使用U盘。请先不要拔出，点“再次卸载”。")
        case StaffErrors.DriveEject: return qsTr("U盘上的文件已写入并校验无误，但本机无法卸载U盘。请先不要拔出，点“再次卸载”；仍不行请联系技术人员。")
        case StaffErrors.VenueUnavailable: return qsTr("本机联系不上会场其他终端。请看会场终端卡片：若显示已要求结束，说明请求已送达；否则请检查网线和交换机后再试，或到各终端分别结束评议。")
        case StaffErrors.SessionClosedAtVenue: return qsTr("现场负责人已要求本会场所有终端结束这一场评议，不能再开始。")
        default: return qsTr("请重试。如果仍然不行，请联系技术人员。")
        }
    }
}
