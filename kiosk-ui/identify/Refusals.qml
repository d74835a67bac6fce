pragma Singleton
import QtQuick
import Pingyi.Controls

// Every check-in refusal in plain words, with what to do next.
QtObject {
    /// Where a refused representative belongs (CheckInDesk.place, an invitedPlace), in one
    /// sentence: "您属于市北区会场，经济建设组，12月18日下午 14:30–17:00。"; "" when not known.
    function placeText(place) {
        if (!place || !place.valid)
            return ""
        const sessions = []
        for (let i = 0; i < place.sessions.length; ++i) {
            const s = place.sessions[i]
            const name = Theme.pick(s.name, s.nameEn)
            const when = Theme.pick(s.when, s.whenEn)
            sessions.push(when !== "" ? qsTr("%1，%2").arg(name).arg(when) : name)
        }
        // Venue names may already end in 会场 ("主会场").
        const venue = Theme.english ? Theme.pick(place.venueName, place.venueNameEn)
            : place.venueName.endsWith("会场") ? place.venueName.slice(0, -2) : place.venueName
        const where = qsTr("您属于%1会场，%2。").arg(venue).arg(sessions.join(qsTr("；")))
        return place.otherVenue && place.address !== "" ? where + qsTr("地址：%1").arg(place.address) : where
    }

    function title(code) {
        switch (code) {
        case "": return ""
        case "credential-format": return qsTr("无法识别这个二维码")
        case "credential-signature": return qsTr("这个二维码无法通过验证")
        case "credential-activity": return qsTr("这张邀请函不属于本次评议活动")
        case "credential-venue": return qsTr("这张邀请函属于其他会场")
        case "credential-unknown": return qsTr("本会场名单中没有找到您")
        case "id-invalid": return qsTr("身份证号码有误")
        case "id-unknown": return qsTr("名单中没有这个身份证号码")
        case "not-in-session": return qsTr("您不在本场评议的代表名单中")
        case "already-voted": return qsTr("您已在本场评议中投过票")
        case "checked-in-elsewhere": return qsTr("您已在另一台终端签到")
        case "venue-unavailable": return qsTr("场馆网络不可用，请联系工作人员")
        case "session-not-open": return qsTr("评议尚未开始或已暂停")
        case "session-closing": return qsTr("本场评议正在结束")
        case "busy": return qsTr("另一位代表正在使用本机")
        case "override-reason": return qsTr("请写明原因")
        case "login-required":
        case "role": return qsTr("需要现场负责人登录")
        case "no-package": return qsTr("本终端尚未准备好")
        case "face-verify": return qsTr("还需要刷脸确认")
        case "face-not-verified": return qsTr("人脸与邀请卡不符")
        case "face-verify-expired": return qsTr("等待时间过长")
        case "face-no-match": return qsTr("没有认出您")
        case "face-ambiguous": return qsTr("无法确定是哪位代表")
        case "face-no-template": return qsTr("本场没有可用的人脸资料")
        case "face-unclear": return qsTr("没有看清您的脸")
        case "face-not-me": return qsTr("已取消，未作任何记录")
        case "face-no-challenge":
        case "face-invalid":
        case "liveness-incomplete":
        case "liveness-face-lost":
        case "liveness-face-changed": return qsTr("刷脸没有完成")
        case "liveness-wrong-way": return qsTr("转头方向不对")
        case "liveness-timeout": return qsTr("没有看到转头")
        case "liveness-many-faces": return qsTr("摄像头前不止一个人")
        case "liveness-not-frontal": return qsTr("请先正对摄像头")
        default: return qsTr("暂时无法核验身份")
        }
    }

    /// `holder`: the kiosk that holds the check-in, when the venue's kiosks share check-ins
    /// (CheckInDesk.holder); "" when not known.
    function help(code, holder) {
        if (holder && holder !== "") {
            if (code === "checked-in-elsewhere")
                return qsTr("您已在终端“%1”签到。请回到该终端完成评议；如需改在本机评议，请联系工作人员。").arg(holder)
            if (code === "already-voted")
                return qsTr("您已在终端“%1”投过票。每位代表每场只能评议一次。如有疑问，请联系工作人员。").arg(holder)
        }
        switch (code) {
        case "": return ""
        case "credential-format": return qsTr("请确认扫描的是本次活动邀请函上的二维码，或改为输入身份证号码。")
        case "credential-signature": return qsTr("这张邀请函可能不是本次活动签发的。请改为输入身份证号码，或请工作人员协助。")
        case "credential-activity": return qsTr("请使用今年活动的邀请函，或改为输入身份证号码。")
        case "credential-venue": return qsTr("请到邀请函上注明的会场参加评议。如有疑问，请联系工作人员。")
        case "credential-unknown": return qsTr("请联系工作人员核实您的代表身份。")
        case "id-invalid": return qsTr("号码中有数字输错了（地区、出生日期或最后一位校验码对不上）：请对照身份证逐位核对，用“删除”改正。最后一位可能是数字或字母X。")
        case "id-unknown": return qsTr("请对照身份证逐位核对号码，用“删除”改正。如确认无误，请联系工作人员。")
        case "not-in-session": return qsTr("您受邀参加的是其他评议组，请在相应场次前来。如有疑问，请联系工作人员。")
        case "already-voted": return qsTr("每位代表每场只能评议一次。如有疑问，请联系工作人员。")
        case "checked-in-elsewhere": return qsTr("请回到您签到的终端完成评议。如需改在本机评议，请联系工作人员。")
        case "venue-unavailable": return qsTr("本机暂时无法与会场其他终端核对签到。请稍候再试一次；如仍不行，请工作人员处理。")
        case "session-not-open": return qsTr("请稍候，工作人员开始评议后即可使用。")
        case "session-closing": return qsTr("现场负责人正在结束本会场的这一场评议，不再接受新的签到。如有疑问，请联系工作人员。")
        case "busy": return qsTr("请稍候片刻。")
        case "override-reason": return qsTr("请选择或写下常规核验未能通过的原因（至少四个字）。")
        case "login-required":
        case "role": return qsTr("请现场负责人输入PIN码后再操作。")
        case "no-package": return qsTr("本终端还没有装入本会场的评议资料。请到另一台终端评议，或请工作人员处理。")
        case "face-verify": return qsTr("本场评议要求核对人脸。本机摄像头暂时不能使用，请工作人员协助。")
        case "face-not-verified": return qsTr("请邀请卡上的代表本人前来刷脸。如有疑问，请联系工作人员。")
        case "face-verify-expired": return qsTr("请重新扫描邀请卡或输入身份证号码。")
        case "face-no-match": return qsTr("请再试一次，或改用邀请卡、身份证签到。如有疑问，请联系工作人员。")
        case "face-ambiguous": return qsTr("您和另一位代表长得很像。请改用邀请卡或身份证签到。")
        case "face-no-template": return qsTr("请改用邀请卡或身份证签到。")
        case "face-unclear": return qsTr("请正对摄像头，站在亮处，再试一次。")
        case "face-not-me": return qsTr("请改用邀请卡或身份证签到，或请工作人员协助。")
        case "face-no-challenge":
        case "face-invalid":
        case "liveness-incomplete":
        case "liveness-face-lost":
        case "liveness-face-changed": return qsTr("请一直看着摄像头，按屏幕提示转头，再试一次。")
        case "liveness-wrong-way": return qsTr("请按屏幕上箭头的方向慢慢转头，再试一次。")
        case "liveness-timeout": return qsTr("请在提示出现后慢慢转头，转到一半即可。也可以改用邀请卡或身份证签到。")
        case "liveness-many-faces": return qsTr("刷脸时摄像头前只能有一个人。请其他人稍稍离开，再试一次。")
        case "liveness-not-frontal": return qsTr("请先正对摄像头，看到箭头后再转头。")
        default: return qsTr("请联系工作人员。")
        }
    }
}
