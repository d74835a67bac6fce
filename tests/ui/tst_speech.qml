import QtQuick
import QtTest
import Pingyi.Ballot
import Pingyi.Controls

// Read-aloud, heard through the fixture's recording speech (Accessibility.Speech.Record): each
// screen is said when it appears; a representative's choices and receipt code are said only
// into headphones — on the loudspeaker the people queueing would hear them.
// tst_speech_engine.cpp checks that the real speech stack makes a sound.
KioskTestCase {
    name: "ReadAloud"

    function heard(access, from) {
        return access.spoken.slice(from).join(" | ")
    }

    /// Rates every department (the first `dissatisfied`, the rest `satisfied`), answers
    /// every question with its first choice, writes no suggestion, casts, and returns the
    /// receipt code.
    function castWholeBallot(shell) {
        const voter = fixture.kiosk.voter
        for (let i = 0; i < voter.count; ++i) {
            tap(shell, i === 0 ? "option_dissatisfied" : "option_satisfied")
            tap(shell, "next")
        }
        while (voter.stage === VoterFlow.Question || voter.stage === VoterFlow.Discipline) {
            const before = voter.stage * 100 + voter.index
            tap(shell, "choice_" + voter.question.choices[0].code)
            tap(shell, "next")
            tryVerify(() => voter.stage * 100 + voter.index !== before, 2000, "the page turns")
        }
        tap(shell, "suggestNo")
        tap(shell, "next")
        item(shell, "screen.review")
        tap(shell, "next")
        tap(shell, "confirmCast")
        item(shell, "screen.receipt")
        return item(shell, "receiptCode").text
    }

    function test_loudspeakerSaysNoChoiceAndNoReceipt() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const access = fixture.kiosk.access
        item(shell, "screen.welcome")
        tap(shell, "readAloudButton")
        verify(access.readAloud)
        verify(heard(access, 0).indexOf("欢迎参加市民评议") >= 0, heard(access, 0))
        tap(shell, "startVoting")
        item(shell, "screen.identify")
        typeOnPad(shell, fixture.idNumber("econ"))
        tap(shell, "idConfirm")
        item(shell, "screen.department")
        // A new screen is said as it appears, with the choices it offers.
        tryVerify(() => heard(access, 0).indexOf("第 1 个部门，共 15 个") >= 0, 2000, heard(access, 0))
        verify(heard(access, 0).indexOf("满意、基本满意") >= 0, heard(access, 0))
        const from = access.spoken.length
        const code = castWholeBallot(shell)
        const said = heard(access, from)
        verify(said.indexOf("第 2 个部门") >= 0, "each department is said: " + said)
        verify(said.indexOf("评议票已提交") >= 0, said)
        verify(said.indexOf("您选择了") < 0, "a choice was said on the loudspeaker: " + said)
        verify(said.indexOf(code.split("").join(" ")) < 0 && said.indexOf(code) < 0,
               "the receipt code was said on the loudspeaker")
        verify(!item(shell, "headphonesButton").checked)
    }

    function test_headphonesHearChoicesAndReceipt() {
        verify(fixture.reset(10))
        verify(fixture.openSession("econ"))
        const shell = makeShell()
        const access = fixture.kiosk.access
        tap(shell, "startVoting")
        item(shell, "screen.identify")
        tap(shell, "readAloudButton")
        tap(shell, "headphonesButton")
        verify(access.headphones)
        typeOnPad(shell, fixture.idNumber("econ"))
        tap(shell, "idConfirm")
        item(shell, "screen.department")
        let from = access.spoken.length
        tap(shell, "option_dissatisfied")
        tryVerify(() => heard(access, from).indexOf("您选择了：不满意") >= 0, 2000, heard(access, from))
        tap(shell, "next")
        // The next department: its prompt, and nothing chosen yet to say.
        from = access.spoken.length
        tap(shell, "option_fairly-satisfied")
        const fairly = "您选择了：" + fixture.kiosk.voter.scale.label("fairly-satisfied", false)
        tryVerify(() => heard(access, from).indexOf(fairly) >= 0, 2000, heard(access, from))
        from = access.spoken.length
        tap(shell, "back")
        item(shell, "screen.department")
        const voter = fixture.kiosk.voter
        // Back on the first department: its prompt with the choice already made.
        tryVerify(() => heard(access, from).indexOf("不满意") >= 0, 2000, heard(access, from))
        tap(shell, "next")
        tap(shell, "next")
        for (let i = voter.index; i < voter.count; ++i) {
            tap(shell, "option_satisfied")
            tap(shell, "next")
        }
        while (voter.stage === VoterFlow.Question || voter.stage === VoterFlow.Discipline) {
            const before = voter.stage * 100 + voter.index
            tap(shell, "choice_" + voter.question.choices[0].code)
            tap(shell, "next")
            tryVerify(() => voter.stage * 100 + voter.index !== before, 2000, "the page turns")
        }
        tap(shell, "suggestNo")
        tap(shell, "next")
        tap(shell, "next")
        from = access.spoken.length
        tap(shell, "confirmCast")
        const code = item(shell, "receiptCode").text
        tryVerify(() => heard(access, from).indexOf(code.split("").join(" ")) >= 0, 2000, heard(access, from))
        // The next representative starts on the loudspeaker, silent.
        tap(shell, "receiptDone")
        item(shell, "screen.welcome")
        verify(!access.headphones)
        verify(!access.readAloud)
    }
}
