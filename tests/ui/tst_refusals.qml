import QtQuick
import QtTest
import Pingyi.Identify

// Every check-in refusal the service can give a representative at the identify screen has
// its own words (title and what to do next), not the catch-all "暂时无法核验身份".
TestCase {
    name: "Refusals"

    function test_ownWords_data() {
        return ["credential-format", "credential-signature", "credential-activity", "credential-venue",
                "credential-unknown", "id-invalid", "id-unknown", "not-in-session", "already-voted",
                "checked-in-elsewhere", "session-not-open", "busy", "override-reason", "no-package",
                "venue-unavailable"]
            .map(code => ({ tag: code, code: code }))
    }

    function test_ownWords(data) {
        const fallbackTitle = Refusals.title("no-such-code")
        const fallbackHelp = Refusals.help("no-such-code")
        verify(Refusals.title(data.code).length > 0)
        verify(Refusals.title(data.code) !== fallbackTitle, data.code + " has no title of its own")
        verify(Refusals.help(data.code) !== fallbackHelp, data.code + " has no help of its own")
    }

    // At a venue whose kiosks share check-ins the refusal names the kiosk that holds it.
    function test_namesTheHolder_data() {
        return [{ tag: "checked-in-elsewhere", code: "checked-in-elsewhere" },
                { tag: "already-voted", code: "already-voted" }]
    }

    function test_namesTheHolder(data) {
        verify(Refusals.help(data.code, "shinan-2").indexOf("shinan-2") >= 0)
        compare(Refusals.help(data.code, ""), Refusals.help(data.code))
        verify(Refusals.help(data.code).indexOf("shinan-2") < 0)
    }

    function test_venueUnavailableWords() {
        compare(Refusals.title("venue-unavailable"), "场馆网络不可用，请联系工作人员")
    }
}
