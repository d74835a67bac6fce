import QtQuick
import QtTest
import Pingyi.Ballot

// Venue staff run a whole session by touch: PIN, open (zero report), pause, resume, close
// (closing report), export to USB until it is safe to remove; the lead's override; the
// technician's way out of kiosk mode; and the console locks itself.
KioskTestCase {
    name: "Staff"

    SignalSpy {
        id: quitSpy
        signalName: "quitRequested"
    }

    function login(shell, pin) {
        tap(shell, "openStaff")
        item(shell, "screen.staffLogin")
        typeOnPad(shell, pin)
        tap(shell, "pinConfirm")
    }

    /// The number or text shown in a labelled box (its child called "value").
    function value(shell, name) {
        return findVisible(item(shell, name), "value").text
    }

    function holdToClose(shell) {
        const hold = item(shell, "closeHold")
        // Where the finger is: the button is gone when it lifts (the session closed).
        const at = hold.mapToItem(shell, hold.width / 2, 20)
        mousePress(shell, at.x, at.y)
        wait(hold.holdMs + 300)
        mouseRelease(shell, at.x, at.y)
    }

    function rectOf(shell, it) {
        const p = it.mapToItem(shell, 0, 0)
        return Qt.rect(p.x, p.y, it.width, it.height)
    }

    function overlaps(a, b) {
        return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    function bannerWord(shell) {
        return item(shell, "stateBannerWord").text
    }

    function test_wholeSessionWithoutAKeyboard() {
        verify(fixture.reset(10))
        const shell = makeShell()
        const staff = fixture.kiosk.staff
        item(shell, "screen.welcome")

        // A wrong PIN says so; the right one opens the console.
        login(shell, "999999")
        compare(item(shell, "pinError").title, "PIN码不正确")
        typeOnPad(shell, fixture.staffPin)
        tap(shell, "pinConfirm")
        item(shell, "screen.staffDashboard")

        tap(shell, "open_econ_n")
        item(shell, "actionConfirm")
        tap(shell, "dialogAccept")
        item(shell, "screen.staffReport")
        verify(item(shell, "reportQr").valid)
        compare(staff.report.closing, false)
        compare(value(shell, "reportBallots"), "0")
        tap(shell, "reportBack")
        item(shell, "screen.staffDashboard")
        compare(staff.current.state, "open")

        tap(shell, "currentPauseResume")
        tap(shell, "dialogAccept")
        tryCompare(staff.current, "state", "paused")
        tap(shell, "currentPauseResume")
        tap(shell, "dialogAccept")
        tryCompare(staff.current, "state", "open")

        // One representative votes in between.
        tap(shell, "logout")
        item(shell, "screen.welcome")
        fixture.kiosk.scan(fixture.credential("econ"))
        const voter = fixture.kiosk.voter
        const settled = () => tryVerify(() => !voter.settling, 2000, "the page has settled")
        while (voter.stage === VoterFlow.Department) {
            settled()
            voter.rate("satisfied")
            voter.next()
        }
        while (voter.stage === VoterFlow.Question || voter.stage === VoterFlow.Discipline) {
            settled()
            const q = voter.question
            voter.choose(q.choices[q.choices.length - 1].code)
            voter.next()
        }
        settled()
        voter.setWantsSuggestion(false)
        voter.next()
        settled()
        voter.next()
        settled()
        verify(voter.cast())
        settled()
        voter.finish()
        item(shell, "screen.welcome")

        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")
        compare(staff.current.ballots, 1)
        tap(shell, "currentClose")
        holdToClose(shell)
        item(shell, "screen.staffReport")
        compare(staff.report.closing, true)
        compare(value(shell, "reportBallots"), "1")
        compare(value(shell, "reportCheckins"), "1")
        tap(shell, "reportExport")
        item(shell, "screen.staffExport")
        tap(shell, "drive_0")
        item(shell, "safeToRemove", 15000)
        verify(fixture.fileExists(staff.exportPath))
        tap(shell, "exportDone")
        item(shell, "screen.staffDashboard")

        // The drive is pulled out before the next export: a clear error, never "safe".
        tap(shell, "export_econ_n")
        const drive = item(shell, "drive_0")
        verify(fixture.removeUsb())
        mouseClick(drive)
        compare(item(shell, "exportError").title, "找不到U盘")
        compare(findVisible(shell, "safeToRemove"), null)
        tap(shell, "exportBack")
        tap(shell, "logout")
        item(shell, "screen.welcome")
    }

    function test_leadLetsARepresentativeIn() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        tap(shell, "startVoting")
        tap(shell, "identifyHelp")
        item(shell, "screen.staffLogin")
        typeOnPad(shell, fixture.staffPin)
        tap(shell, "pinConfirm")
        compare(item(shell, "pinError").title, "这里需要现场负责人的PIN码")
        typeOnPad(shell, fixture.leadPin)
        tap(shell, "pinConfirm")
        item(shell, "screen.override")
        compare(item(shell, "overrideConfirm").enabled, false)
        tap(shell, "key_modeSymbols")
        const id = fixture.idNumber("econ")
        for (let i = 0; i < id.length; ++i) {
            if (id[i] === "X") {
                tap(shell, "key_modeLetters")
                tap(shell, "key_x")
            } else {
                tap(shell, "key_" + id[i])
            }
        }
        compare(item(shell, "overrideWho").text, id)
        tap(shell, "reason_1")
        tap(shell, "overrideConfirm")
        item(shell, "screen.department")
        compare(fixture.kiosk.staff.role, "") // the lead's console is not left open
        compare(fixture.counts("econ").checkins, 1)
    }

    function test_technicianLeavesKioskMode() {
        verify(fixture.reset(10))
        const shell = makeShell()
        quitSpy.target = fixture.kiosk
        quitSpy.clear()
        verify(!fixture.kiosk.mayClose)
        login(shell, fixture.technicianPin)
        tap(shell, "technician")
        item(shell, "screen.staffTechnician")
        tap(shell, "leaveKioskMode")
        tap(shell, "dialogAccept")
        compare(quitSpy.count, 1)
        verify(fixture.kiosk.mayClose)
    }

    function test_unprovisionedKioskSaysSo() {
        verify(fixture.resetUnprovisioned())
        const shell = makeShell()
        item(shell, "screen.unprovisioned")
        verify(fixture.kiosk.mayClose) // nothing to protect yet
        quitSpy.target = fixture.kiosk
        quitSpy.clear()
        tap(shell, "closeUnprovisioned")
        compare(quitSpy.count, 1)
    }

    function test_consoleLocksWhenLeftAlone() {
        verify(fixture.reset(10))
        const shell = makeShell()
        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")
        fixture.advanceClock(600)
        item(shell, "screen.welcome", 3000)
        compare(fixture.kiosk.staff.role, "")
    }

    // Closing cannot be undone: a tap, even a double tap, only explains; a 2 s hold closes.
    function test_closingNeedsAHold() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const staff = fixture.kiosk.staff
        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")
        verify(staff.current.invited > 0)
        compare(value(shell, "statInvited"), String(staff.current.invited))
        compare(value(shell, "statBallots"), "0")

        const closeButton = tap(shell, "currentClose")
        compare(item(shell, "closeCounts").text, "已投 0 / 应到 " + staff.current.invited)
        const hold = item(shell, "closeHold")
        // Never where the button that asked was: a second tap of the same finger misses it.
        verify(!overlaps(rectOf(shell, hold), rectOf(shell, closeButton)))
        compare(findVisible(shell, "holdHint"), null)

        mouseClick(hold)
        wait(300)
        compare(staff.current.state, "open")
        compare(item(shell, "holdHint").text, "按住2秒结束")
        mouseDoubleClickSequence(hold)
        wait(300)
        compare(staff.current.state, "open")
        // Held for half the time, then let go: still open, and the fill empties.
        mousePress(hold)
        wait(hold.holdMs / 2)
        verify(hold.progress > 0.2)
        mouseRelease(hold)
        wait(hold.holdMs)
        compare(staff.current.state, "open")
        compare(hold.progress, 0)
        item(shell, "actionConfirm")

        holdToClose(shell)
        item(shell, "screen.staffReport")
        compare(staff.current.valid, false)
        compare(fixture.counts("econ").ballots, 0)
    }

    // The step that acts never sits where the step before it was tapped.
    function test_confirmIsNeverUnderTheFinger() {
        verify(fixture.reset(10))
        const shell = makeShell()
        const staff = fixture.kiosk.staff
        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")

        const open = item(shell, "open_econ_n")
        const openRect = rectOf(shell, open)
        mouseDoubleClickSequence(open)
        verify(!overlaps(rectOf(shell, item(shell, "dialogAccept")), openRect))
        compare(staff.current.valid, false) // the double tap asked, and did not open
        tap(shell, "dialogAccept")
        tap(shell, "reportBack")

        const pause = item(shell, "currentPauseResume")
        compare(pause.kind, "primary") // pausing is the main action; closing is not
        compare(item(shell, "currentClose").kind, "danger")
        const pauseRect = rectOf(shell, pause)
        mouseDoubleClickSequence(pause)
        verify(!overlaps(rectOf(shell, item(shell, "dialogAccept")), pauseRect))
        compare(staff.current.state, "open")
        tap(shell, "dialogReject")
    }

    // The banner says the state in words and a sign, not in colour alone.
    function test_bannerSaysTheState() {
        verify(fixture.reset(10))
        const shell = makeShell()
        const staff = fixture.kiosk.staff
        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")
        compare(bannerWord(shell), "未开始")
        compare(item(shell, "stateBannerGlyph").text, "○")

        tap(shell, "open_econ_n")
        tap(shell, "dialogAccept")
        tap(shell, "reportBack")
        compare(bannerWord(shell), "进行中")
        const openColour = String(item(shell, "stateBanner").color) // a copy, not a reference
        tap(shell, "currentPauseResume")
        tap(shell, "dialogAccept")
        tryCompare(staff.current, "state", "paused")
        compare(bannerWord(shell), "已暂停")
        compare(item(shell, "stateBannerGlyph").text, "‖")
        verify(String(item(shell, "stateBanner").color) !== openColour, openColour)
        compare(item(shell, "currentPauseResume").text, "继续评议")

        tap(shell, "currentPauseResume")
        tap(shell, "dialogAccept")
        tryCompare(staff.current, "state", "open")
        tap(shell, "currentClose")
        holdToClose(shell)
        tap(shell, "reportBack")
        // Two more sessions are still to come at this venue.
        compare(bannerWord(shell), "未开始")
        compare(item(shell, "stateBannerHelp").text, "上一场已结束。请在下方开始下一场。")

        tap(shell, "logout")
        compare(item(shell, "sessionState").text, "上一场评议已结束，下一场尚未开始，请稍候")

        verify(fixture.closeSession("service"))
        verify(fixture.closeSession("enforcement"))
        compare(item(shell, "sessionState").text, "本场评议已结束，感谢参与")
        login(shell, fixture.staffPin)
        compare(bannerWord(shell), "已结束")
        compare(item(shell, "stateBannerGlyph").text, "■")
    }

    // Rehearsals have their own section, below every real session.
    function test_rehearsalsApart() {
        verify(fixture.reset(10))
        const shell = makeShell()
        login(shell, fixture.staffPin)
        item(shell, "screen.staffDashboard")
        const header = item(shell, "rehearsalSessions")
        const headerY = header.mapToItem(shell, 0, 0).y
        for (const code of ["econ", "service", "enforcement"]) {
            const real = findVisible(shell, "session_" + code + "_n")
            const rehearsal = findVisible(shell, "session_" + code + "_r")
            verify(real !== null && rehearsal !== null, code)
            verify(real.mapToItem(shell, 0, 0).y < headerY, code + " real above the rehearsals")
            verify(rehearsal.mapToItem(shell, 0, 0).y > headerY, code + " rehearsal below")
        }
    }

    // The public screen says when the venue's sessions are over; a rehearsal ending does not.
    function test_welcomeAfterClosing() {
        verify(fixture.reset(10))
        verify(fixture.closeSession("econ", true))
        let shell = makeShell()
        compare(item(shell, "sessionState").text, "评议尚未开始，请稍候")
        verify(fixture.closeSession("econ"))
        compare(item(shell, "sessionState").text, "上一场评议已结束，下一场尚未开始，请稍候")
        verify(fixture.closeSession("service"))
        verify(fixture.closeSession("enforcement"))
        compare(item(shell, "sessionState").text, "本场评议已结束，感谢参与")
        compare(findVisible(shell, "startVoting"), null)
    }

    // The report: plain labelled numbers, local time with its zone, a short grouped digest.
    function test_reportReadsPlainly() {
        verify(fixture.reset(10))
        const shell = makeShell()
        const staff = fixture.kiosk.staff
        login(shell, fixture.staffPin)
        tap(shell, "open_econ_n")
        tap(shell, "dialogAccept")
        item(shell, "screen.staffReport")
        // The test clock says 09:00 UTC; the kiosk's zone is Asia/Shanghai.
        compare(value(shell, "reportTime"), "2025年12月20日 17:00（UTC+8，当地时间）")
        const digest = staff.report.digest
        compare(digest.length, 64)
        compare(value(shell, "reportDigest"),
                [digest.substr(0, 4), digest.substr(4, 4), digest.substr(8, 4), digest.substr(12, 4)].join(" "))
        compare(value(shell, "reportInvited"), String(staff.reportSession.invited))
        compare(value(shell, "reportLeft"), "0")
        verify(item(shell, "reportQr").width >= 600)
    }

}
