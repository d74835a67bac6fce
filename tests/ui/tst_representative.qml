import QtQuick
import QtTest
import Pingyi.Ballot
import Pingyi.Controls

// The representative's way through the kiosk, by touch (and a hand scanner).
KioskTestCase {
    name: "Representative"

    function checkInById(shell, session) {
        tap(shell, "startVoting")
        item(shell, "screen.identify")
        typeOnPad(shell, fixture.idNumber(session))
        tap(shell, "idConfirm")
        item(shell, "screen.department")
    }

    function test_wholeBallotOneTapPerDepartment() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const voter = fixture.kiosk.voter
        item(shell, "screen.welcome")
        checkInById(shell, "econ")

        // No default answer, no silent skip.
        compare(item(shell, "next").enabled, false)
        for (let i = 0; i < 15; ++i) {
            tryCompare(item(shell, "progress"), "text", "第 " + (i + 1) + " / 15 个部门")
            compare(voter.department.rating, "")
            tap(shell, i === 2 ? "option_fairly-satisfied" : "option_satisfied") // one tap each
        }
        item(shell, "screen.question")
        compare(voter.ratings.answered, 15)

        // The questionnaire and the discipline survey, one question per page.
        while (voter.stage === VoterFlow.Question || voter.stage === VoterFlow.Discipline) {
            const before = voter.stage * 100 + voter.index
            const q = voter.question
            if (voter.stage === VoterFlow.Discipline) {
                tap(shell, "choice_no")
            } else if (q.multiple) {
                tap(shell, "choice_" + q.choices[0].code)
                tap(shell, "next")
            } else {
                tap(shell, "choice_" + q.choices[0].code)
            }
            tryVerify(() => voter.stage * 100 + voter.index !== before, 2000, "the page turns")
        }

        // A suggestion typed in Pinyin.
        item(shell, "screen.suggestionAsk")
        tap(shell, "suggestYes")
        tap(shell, "topic_urban")
        tap(shell, "department_none")
        item(shell, "screen.suggestionText")
        compare(item(shell, "next").enabled, false)
        typeOnPad(shell, "jianyi")
        const first = item(shell, "candidate_0")
        mouseClick(first)
        tryVerify(() => item(shell, "suggestionEditor").text.length > 0)
        verify(/^[\u4e00-\u9fff]+$/.test(item(shell, "suggestionEditor").text), "Chinese text was written")
        tap(shell, "key_comma")
        tap(shell, "next")

        // Review: change one answer and come straight back.
        item(shell, "screen.review")
        tap(shell, "change_department_0")
        item(shell, "screen.department")
        tap(shell, "option_dissatisfied")
        item(shell, "screen.review")
        compare(voter.ratings.answered, 15)
        tap(shell, "next")

        item(shell, "screen.confirm")
        tap(shell, "confirmCast")
        item(shell, "screen.receipt")
        verify(/^[A-Z2-7]{4}-[A-Z2-7]{4}$/.test(item(shell, "receiptCode").text))
        verify(item(shell, "receiptQr").valid)
        tap(shell, "receiptDone")
        item(shell, "screen.welcome")

        const counts = fixture.counts("econ")
        compare(counts.ballots, 1)
        compare(counts.suggestions, 1)
        compare(counts.released, 0)
        // Nothing of this representative is left for the next one.
        compare(voter.ratings.answered, 0)
        compare(voter.suggestionText, "")
        compare(voter.receiptCode, "")
    }

    function test_handScannerOnTheWelcomeScreen() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        item(shell, "screen.welcome")
        const code = fixture.credential("econ")
        for (let i = 0; i < code.length; ++i)
            keyClick(code[i])
        keyClick(Qt.Key_Return)
        item(shell, "screen.department")
        compare(fixture.counts("econ").checkins, 1)
    }

    function test_refusalsSayWhatToDo() {
        verify(fixture.reset(10))
        const shell = makeShell()
        // Nothing is open: no start button, and a scan says why.
        compare(findVisible(shell, "startVoting"), null)
        verify(fixture.openSession("econ"))
        tap(shell, "startVoting")
        typeOnPad(shell, fixture.unknownIdNumber())
        tap(shell, "idConfirm")
        const refusal = item(shell, "refusal")
        compare(refusal.title, "名单中没有这个身份证号码")
        verify(refusal.text.indexOf("工作人员") >= 0)
        // An invitation for another group session.
        fixture.kiosk.desk.submitScan(fixture.credential("service"))
        tryCompare(item(shell, "refusal"), "title", "您不在本场评议的代表名单中")
        // Typing again clears the message.
        tap(shell, "key_1")
        tryVerify(() => findVisible(shell, "refusal") === null)
        tap(shell, "identifyBack")
        item(shell, "screen.welcome")
    }

    function test_idleVoterIsDiscarded() {
        verify(fixture.reset(10, 1, 2))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        checkInById(shell, "econ")
        tap(shell, "option_satisfied")
        item(shell, "idleWarning", 4000)
        item(shell, "screen.welcome", 6000)
        compare(fixture.counts("econ").released, 1)
        compare(fixture.counts("econ").ballots, 0)
    }

    function test_stillHereKeepsTheBallot() {
        verify(fixture.reset(10, 1, 30))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        checkInById(shell, "econ")
        item(shell, "idleWarning", 4000)
        tap(shell, "dialogAccept")
        tryVerify(() => findVisible(shell, "idleWarning") === null)
        item(shell, "screen.department")
        compare(fixture.counts("econ").released, 0)
    }

    function test_settingsAreResetForTheNextRepresentative() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const access = fixture.kiosk.access
        tap(shell, "textSizeButton")
        tap(shell, "textSizeButton")
        tap(shell, "contrastButton")
        compare(access.textLevel, 2)
        verify(access.highContrast)
        checkInById(shell, "econ")
        compare(access.textLevel, 2) // chosen before check-in, kept for the ballot
        tap(shell, "option_satisfied")
        tap(shell, "cancelVoting")
        item(shell, "cancelConfirm")
        tap(shell, "dialogAccept")
        item(shell, "screen.welcome")
        compare(access.textLevel, 0)
        verify(!access.highContrast)
        compare(fixture.counts("econ").released, 1)
    }

    function test_englishFromTheTranslation() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        tap(shell, "languageButton")
        tryCompare(item(shell, "startVoting"), "text", "Start")
        compare(item(shell, "sessionName").text, "Economic development")
        tap(shell, "languageButton")
        tryCompare(item(shell, "startVoting"), "text", "开始评议")
    }

    function test_doubleTapActsOnce() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const voter = fixture.kiosk.voter
        checkInById(shell, "econ") // keypad keys take every tap, guard or not
        tap(shell, "option_satisfied")
        tryCompare(voter, "index", 1)
        tap(shell, "option_satisfied")
        tryCompare(voter, "index", 2)
        tap(shell, "back")
        tap(shell, "back")
        tryCompare(voter, "index", 0)
        Theme.tapGuardMs = 400
        const next = item(shell, "next")
        wait(450) // well after the last tap
        mouseClick(next)
        mouseClick(next) // the second tap of a double tap
        wait(100)
        compare(voter.index, 1)
        wait(450)
        mouseClick(next)
        tryCompare(voter, "index", 2)
    }

    function test_rehearsalIsMarked() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ", true))
        const shell = makeShell()
        item(shell, "rehearsalBanner")
        checkInById(shell, "econ")
        item(shell, "rehearsalBanner")
    }
}
