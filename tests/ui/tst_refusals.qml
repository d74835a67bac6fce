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
                "checked-in-elsewhere", "session-not-open", "busy", "override-reason", "no-package"]
            .map(code => ({ tag: code, code: code }))
    }

    function test_ownWords(data) {
        const fallbackTitle = Refusals.title("no-such-code")
        const fallbackHelp = Refusals.help("no-such-code")
        verify(Refusals.title(data.code).length > 0)
        verify(Refusals.title(data.code) !== fallbackTitle, data.code + " has no title of its own")
        verify(Refusals.help(data.code) !== fallbackHelp, data.code + " has no help of its own")
    }
}
