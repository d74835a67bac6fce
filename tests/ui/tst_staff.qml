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
        verify(item(shell, "reportText").text.indexOf("Zero report") >= 0)
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
        tap(shell, "dialogAccept")
        item(shell, "screen.staffReport")
        verify(item(shell, "reportText").text.indexOf("Closing report") >= 0)
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
}
