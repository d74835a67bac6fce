import QtQuick
import QtTest
import Pingyi.Controls
import Pingyi.Identify

// Issue 14, the representative's side: a typo in the ID number keeps the digits and marks
// the part that fails its check, at every text size without overlap; a refusal sits beside
// the keypad and names the venue, group and time the representative belongs to; the idle
// warning counts down large, chimes, and its "请工作人员协助" calls the staff (banner, chime,
// audit) until the voter continues; the lead's override offers the face reason only on a
// kiosk with a camera, and its note takes Pinyin.
KioskTestCase {
    name: "CheckInHelp"

    function startIdentify() {
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        tap(shell, "startVoting")
        item(shell, "screen.identify")
        return shell
    }

    function besideTheKeypad(shell, refusal) {
        const field = item(shell, "idField"), key = item(shell, "key_1")
        const r = refusal.mapToItem(null, 0, 0)
        return r.x + refusal.width <= field.mapToItem(null, 0, 0).x
            && r.x + refusal.width >= field.mapToItem(null, 0, 0).x - 2 * Theme.margin - 2 * Theme.gap - 8
            && r.y < key.mapToItem(null, 0, 0).y
    }

    function test_typoIsMarked_data() {
        // Each number starts from a real representative's and breaks one part of it.
        return [
            { tag: "check character", flaw: CheckInDesk.CheckCharacter, part: 3 },
            { tag: "birth date", flaw: CheckInDesk.BirthDate, part: 10 },
            { tag: "region", flaw: CheckInDesk.Region, part: 0 },
        ]
    }

    function test_typoIsMarked(data) {
        verify(fixture.reset(10))
        const shell = startIdentify()
        const good = fixture.idNumber("econ")
        let bad
        if (data.flaw === CheckInDesk.CheckCharacter)
            bad = good.substring(0, 3) + (good[3] === "5" ? "6" : "5") + good.substring(4)
        else if (data.flaw === CheckInDesk.BirthDate)
            bad = good.substring(0, 10) + "13" + good.substring(12) // month 13
        else
            bad = "0" + good.substring(1)
        typeOnPad(shell, bad)
        tap(shell, "idConfirm")
        tryCompare(fixture.kiosk.desk, "errorCode", "id-invalid")
        compare(fixture.kiosk.desk.idFlaw, data.flaw)
        // All 18 characters stay; the failing part is marked and named.
        const field = item(shell, "idField")
        compare(field.value, bad)
        verify(field.wrong)
        compare(field.flaw, data.flaw)
        const note = item(shell, "idFlawNote")
        verify(note.text.length > 0)
        const digits = item(shell, "idDigits")
        verify(digits.text.indexOf("<u>") >= 0, "the failing part is underlined")
        // The refusal is in the card right beside the keypad.
        const refusal = item(shell, "refusal")
        compare(refusal.title, "身份证号码有误")
        verify(besideTheKeypad(shell, refusal))
        // A 删除 takes one character and the mark goes; the right number is accepted.
        tap(shell, "key_backspace")
        compare(field.value, bad.substring(0, 17))
        verify(!field.wrong)
        compare(findVisible(shell, "idFlawNote"), null)
        tap(shell, "idClear")
        typeOnPad(shell, good)
        compare(field.value, good)
        tap(shell, "idConfirm")
        item(shell, "screen.department")
    }

    function test_digitsFitAtEveryTextSize_data() {
        return [ { tag: "standard", level: 0 }, { tag: "large", level: 1 }, { tag: "extra large", level: 2 } ]
    }

    function test_digitsFitAtEveryTextSize(data) {
        verify(fixture.reset(10))
        const shell = startIdentify()
        fixture.kiosk.access.textLevel = data.level
        const good = fixture.idNumber("econ")
        typeOnPad(shell, good.substring(0, 17) + (good[17] === "0" ? "1" : "0"))
        tap(shell, "idConfirm")
        item(shell, "idFlawNote")
        wait(50)
        const digits = item(shell, "idDigits"), count = item(shell, "idCount")
        const right = digits.mapToItem(null, digits.contentWidth, 0).x
        verify(right <= count.mapToItem(null, 0, 0).x, "the digits end before the 18/18 count")
        verify(digits.contentWidth <= digits.width + 1, "the digits fit their box")
        compare(count.lineCount, 1)
        // 删除 stays on one line, whatever the size.
        const key = item(shell, "key_backspace")
        const texts = []
        collectTexts(key, texts)
        const word = texts.filter(t => t.text === "删除")
        compare(word.length, 1)
        compare(word[0].lineCount, 1)
        verify(!word[0].truncated)
        verify(word[0].contentWidth <= key.width, "删除 fits its key")
        verify(besideTheKeypad(shell, item(shell, "refusal")))
        // Every key of the pad is above the footer (not hidden under it).
        const keyBottom = key.mapToItem(null, 0, key.height).y
        // (the footer's buttons sit Theme.gap below its top edge)
        verify(keyBottom <= item(shell, "identifyBack").mapToItem(null, 0, 0).y - Theme.gap, "the keypad is above the footer")
        fixture.kiosk.access.textLevel = 0
    }

    function collectTexts(it, out) {
        if (it.text !== undefined && it.lineCount !== undefined)
            out.push(it)
        for (let i = 0; i < it.children.length; ++i)
            collectTexts(it.children[i], out)
    }

    function test_refusalNamesVenueGroupAndTime() {
        verify(fixture.reset(10))
        const shell = startIdentify()
        // A representative of this venue, invited to the afternoon's group, typing their
        // number in the morning's session.
        typeOnPad(shell, fixture.idNumber("service"))
        tap(shell, "idConfirm")
        tryCompare(fixture.kiosk.desk, "errorCode", "not-in-session")
        const place = fixture.kiosk.desk.place
        verify(place.valid)
        compare(place.venueName, "市南区")
        verify(!place.otherVenue)
        compare(place.sessions.length, 1)
        compare(place.sessions[0].name, "政务服务组")
        compare(place.sessions[0].when, "12月16日下午 14:30–17:00")
        const refusal = item(shell, "refusal")
        compare(refusal.title, "您不在本场评议的代表名单中")
        verify(refusal.text.indexOf("您属于市南区会场，政务服务组，12月16日下午 14:30–17:00。") >= 0, refusal.text)
        // Beside the keypad, and never the name of the person.
        verify(besideTheKeypad(shell, refusal))
        // English names and times from the spec.
        fixture.kiosk.access.english = true
        tryVerify(() => item(shell, "refusal").text.indexOf("Government services") >= 0)
        verify(item(shell, "refusal").text.indexOf("16 Dec, afternoon, 14:30–17:00") >= 0, item(shell, "refusal").text)
        fixture.kiosk.access.english = false
        // The same by the card's QR code, shown where the scanner is.
        fixture.kiosk.desk.submitScan(fixture.credential("service"))
        tryVerify(() => item(shell, "refusal").text.indexOf("政务服务组") >= 0)
        // A number not on the list tells nothing of anyone.
        tap(shell, "idClear")
        typeOnPad(shell, fixture.unknownIdNumber())
        tap(shell, "idConfirm")
        tryCompare(fixture.kiosk.desk, "errorCode", "id-unknown")
        verify(!fixture.kiosk.desk.place.valid)
        verify(item(shell, "refusal").text.indexOf("您属于") < 0)
    }

    function test_idleWarningCountsDownAndCallsStaff() {
        verify(fixture.reset(10, 1, 30))
        const shell = startIdentify()
        typeOnPad(shell, fixture.idNumber("econ"))
        tap(shell, "idConfirm")
        item(shell, "screen.department")
        tap(shell, "option_satisfied")
        const chimesBefore = fixture.chimes()
        item(shell, "idleWarning", 4000)
        // A large countdown, and a chime as the warning comes up.
        const seconds = item(shell, "idleSeconds")
        verify(seconds.font.pixelSize >= 2 * Theme.fontDisplay)
        compare(seconds.text, String(fixture.kiosk.voter.idleRemaining))
        const shown = fixture.kiosk.voter.idleRemaining
        tryVerify(() => fixture.kiosk.voter.idleRemaining < shown, 2500, "it counts down")
        compare(item(shell, "idleSeconds").text, String(fixture.kiosk.voter.idleRemaining))
        verify(fixture.chimes() > chimesBefore, "the warning chimes")
        compare(findVisible(shell, "staffCallBanner"), null)
        verify(!fixture.kiosk.staffCalled)

        // "请工作人员协助": the staff are called, the countdown stops, the answers are kept.
        const chimesAtCall = fixture.chimes()
        tap(shell, "idleCallStaff")
        tryVerify(() => fixture.kiosk.staffCalled)
        verify(fixture.kiosk.voter.helpCalled)
        const banner = item(shell, "staffCallBanner")
        verify(item(shell, "staffCallText").text.indexOf(fixture.kiosk.kioskId) >= 0)
        verify(fixture.chimes() > chimesAtCall, "the call chimes")
        const audit = fixture.lastAudit("staff-call")
        compare(audit.from, "ballot")
        compare(audit.rep, undefined)
        verify(JSON.stringify(audit).indexOf(fixture.idNumber("econ")) < 0, "nothing about the representative is logged")
        const held = fixture.kiosk.voter.idleRemaining
        wait(1500)
        compare(fixture.kiosk.voter.idleRemaining, held)
        compare(findVisible(shell, "idleCountdown"), null)
        item(shell, "idleWarning")
        compare(fixture.counts("econ").released, 0)

        // The representative carries on: the call is withdrawn, the rating is still there.
        tap(shell, "dialogAccept")
        tryVerify(() => !fixture.kiosk.staffCalled)
        tryVerify(() => findVisible(shell, "staffCallBanner") === null)
        item(shell, "screen.department")
        compare(fixture.kiosk.voter.department.rating, "satisfied")
        compare(fixture.counts("econ").released, 0)
    }

    function test_helpAtCheckInCallsStaffUntilTheyLogIn() {
        verify(fixture.reset(10))
        const shell = startIdentify()
        tap(shell, "identifyHelp")
        item(shell, "screen.staffLogin")
        verify(fixture.kiosk.staffCalled)
        item(shell, "staffCallBanner")
        compare(fixture.lastAudit("staff-call").from, "identify")
        typeOnPad(shell, fixture.leadPin)
        tap(shell, "pinConfirm")
        item(shell, "screen.override")
        tryVerify(() => !fixture.kiosk.staffCalled)
        compare(findVisible(shell, "staffCallBanner"), null)
    }

    function openOverride(shell) {
        tap(shell, "startVoting")
        tap(shell, "identifyHelp")
        item(shell, "screen.staffLogin")
        typeOnPad(shell, fixture.leadPin)
        tap(shell, "pinConfirm")
        return item(shell, "screen.override")
    }

    function test_overrideWithoutCameraHasNoFaceReason() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        verify(!fixture.kiosk.camera.configured)
        const screen = openOverride(shell)
        compare(screen.reasons.length, 3)
        verify(screen.reasons.indexOf("人脸识别未通过") < 0)
        item(shell, "reason_2")
        compare(findVisible(shell, "reason_3"), null)
        // The note takes Pinyin from the on-screen keyboard.
        mouseClick(item(shell, "overrideNote"))
        typeOnPad(shell, "yiwang")
        mouseClick(item(shell, "candidate_0"))
        tryVerify(() => item(shell, "overrideNote").text.length > 0)
        verify(/^[\u4e00-\u9fff]+$/.test(item(shell, "overrideNote").text), "Chinese was written")
    }

    function test_overrideWithCameraHasTheFaceReason() {
        verify(fixture.resetWithCamera([{ empty: 4 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        verify(fixture.kiosk.camera.configured)
        const screen = openOverride(shell)
        compare(screen.reasons.length, 4)
        compare(item(shell, "reason_3").text, "人脸识别未通过")
    }
}
