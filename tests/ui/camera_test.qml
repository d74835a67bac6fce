import QtQuick
import QtTest
import Pingyi.Controls

// The camera at the identify screen, on a replayed camera (synthetic frames of the test
// office's own invitation cards and ID cards): check-in by the card's QR code, by the ID card
// (read, shown, confirmed; a number that is not theirs is read again), the camera missing
// with the keypad beside it, and the staff dashboard following the camera being plugged in
// and out. Run by tst_ui_camera (labels ui, identity).
KioskTestCase {
    name: "Camera"

    // Tesseract needs several frames that agree; the two cores are shared.
    readonly property int readTimeout: 40000

    function grouped(v) {
        return v.substring(0, 6) + "  " + v.substring(6, 14) + "  " + v.substring(14, 18)
    }

    function previewShowsFrames(shell) {
        tryVerify(() => {
            const a = findVisible(shell, "cameraImageA")
            const b = findVisible(shell, "cameraImageB")
            const shown = a || b
            return shown && shown.status === Image.Ready && shown.implicitWidth === 640
        }, 10000, "the preview shows a camera frame")
    }

    function test_checkInByInvitationQr() {
        const code = fixture.credential("econ")
        verify(fixture.resetWithCamera([{ empty: 4 }, { qr: code, frames: 30 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "live", 10000)
        // The welcome screen does not read cards: the camera only previews there.
        compare(camera.reading, false)
        wait(500)
        compare(fixture.counts("econ").checkins, 0)

        tap(shell, "startVoting")
        // (The code may be read at once: what is on screen meanwhile is the next test's.)
        compare(camera.mode, "qr")
        verify(camera.reading)
        item(shell, "screen.department", readTimeout)
        compare(fixture.counts("econ").checkins, 1)
        const audit = fixture.lastAudit("check-in")
        compare(audit.method, "credential")
        compare(audit.source, "camera")
        verify(JSON.stringify(audit).indexOf(code) < 0, "the audit log does not hold the credential")
        compare(camera.reading, false)
    }

    function test_checkInByIdCardConfirmed() {
        const number = fixture.idNumber("econ", 1)
        verify(number.length === 18)
        verify(fixture.resetWithCamera([{ empty: 2 }, { idcard: number, frames: 40 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "live", 10000)
        tap(shell, "startVoting")
        // The live picture, the two things the camera reads, and the keypad beside them
        // (there is no QR code in this replay to check anyone in meanwhile).
        previewShowsFrames(shell)
        item(shell, "cameraQr")
        item(shell, "idField")
        tap(shell, "cameraIdCard")
        compare(camera.mode, "idcard")

        // Read: shown large, in groups, and nothing is used until they confirm.
        item(shell, "idCheck", readTimeout)
        compare(camera.candidate, number)
        compare(item(shell, "idCandidate").text, grouped(number))
        compare(camera.reading, false)
        compare(fixture.counts("econ").checkins, 0)
        compare(findVisible(shell, "cameraPreview"), null)

        // Not their number: it is forgotten and the card is read again.
        tap(shell, "idCheckNo")
        compare(camera.candidate, "")
        verify(camera.reading)
        item(shell, "cameraPreview")
        compare(fixture.counts("econ").checkins, 0)

        // Read again, confirmed: admitted.
        item(shell, "idCheck", readTimeout)
        compare(camera.candidate, number)
        tap(shell, "idCheckYes")
        item(shell, "screen.department")
        compare(camera.candidate, "")
        compare(fixture.counts("econ").checkins, 1)
        const audit = fixture.lastAudit("check-in")
        compare(audit.method, "id_number")
        compare(audit.source, "camera")
        verify(JSON.stringify(audit).indexOf(number) < 0, "the audit log does not hold the ID number")
    }

    function test_idCardOfSomeoneElseIsRefused() {
        // A valid number that is on nobody's roster: confirmed, then refused with words.
        const number = fixture.unknownIdNumber()
        verify(fixture.resetWithCamera([{ empty: 2 }, { idcard: number, frames: 40 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "live", 10000)
        tap(shell, "startVoting")
        tap(shell, "cameraIdCard")
        item(shell, "idCheck", readTimeout)
        tap(shell, "idCheckYes")
        compare(item(shell, "refusal").title, "名单中没有这个身份证号码")
        compare(camera.candidate, "")
        verify(camera.reading) // reading again, with the refusal on screen
        compare(fixture.counts("econ").checkins, 0)
    }

    function test_handScannerWorksBesideTheCamera() {
        verify(fixture.resetWithCamera([{ empty: 20 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        tryCompare(fixture.kiosk.camera, "status", "live", 10000)
        tap(shell, "startVoting")
        item(shell, "cameraPreview")
        const code = fixture.credential("econ")
        for (let i = 0; i < code.length; ++i)
            keyClick(code[i])
        keyClick(Qt.Key_Return)
        item(shell, "screen.department")
        compare(fixture.lastAudit("check-in").source, "scanner")
    }

    function test_numberFailingItsCheckDigitIsNeverShown() {
        // The card's number with a wrong last character: the card is seen, the person is
        // told what to do, and no number is ever offered.
        const good = fixture.idNumber("econ", 1)
        const wrong = good.substring(0, 17) + (good[17] === "0" ? "1" : "0")
        verify(fixture.resetWithCamera([{ empty: 2 }, { idcard: wrong, frames: 40 }]))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "live", 10000)
        tap(shell, "startVoting")
        tap(shell, "cameraIdCard")
        tryCompare(camera, "guidance", "card-no-number", readTimeout)
        const text = item(shell, "cameraGuidanceText").text
        verify(text.indexOf("放平") >= 0, text)
        wait(3000)
        compare(camera.candidate, "")
        compare(findVisible(shell, "idCheck"), null)
        compare(fixture.counts("econ").checkins, 0)
    }

    function test_missingCameraLeavesScannerAndKeypad() {
        verify(fixture.resetWithMissingCamera())
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "missing", 10000)
        verify(!camera.available)
        tap(shell, "startVoting")
        item(shell, "cameraTrouble")
        compare(findVisible(shell, "cameraPreview"), null)
        compare(findVisible(shell, "cameraQr"), null)
        // The hand scanner and the keypad work as ever.
        typeOnPad(shell, fixture.idNumber("econ"))
        tap(shell, "idConfirm")
        item(shell, "screen.department")
        compare(fixture.lastAudit("check-in").source, "keypad")
    }

    function test_dashboardFollowsTheCamera() {
        verify(fixture.resetWithCamera([{ empty: 10 }], false))
        const shell = makeShell()
        const camera = fixture.kiosk.camera
        tryCompare(camera, "status", "missing", 10000)
        tap(shell, "openStaff")
        typeOnPad(shell, fixture.staffPin)
        tap(shell, "pinConfirm")
        item(shell, "screen.staffDashboard")
        compare(item(shell, "cameraStatusText").text, "未连接")
        verify(item(shell, "cameraDetail").text.length > 0)
        // Plugged in: live without a restart.
        verify(fixture.plugCamera())
        tryCompare(item(shell, "cameraStatusText"), "text", "正常", 10000)
        // Pulled out mid-session: said so, and retried.
        verify(fixture.unplugCamera())
        tryCompare(item(shell, "cameraStatusText"), "text", "已断开，正在重试", 10000)
        verify(fixture.plugCamera())
        tryCompare(item(shell, "cameraStatusText"), "text", "正常", 10000)
    }
}
