import QtQuick
import QtTest
import Pingyi.Controls
import Pingyi.Shell
import Pingyi.TestSupport

// What the kiosk's QML tests share: a fixture kiosk, the whole UI on a 1920×1080 screen,
// and helpers that find what is on screen and tap it as a finger would.
TestCase {
    id: tc

    width: 1920
    height: 1080
    when: windowShown
    visible: true // a TestCase is hidden by default; the kiosk UI must be seen to be tapped

    property alias fixture: fixtureObject

    KioskFixture { id: fixtureObject }
    Component {
        id: shellComponent
        KioskShell {}
    }

    // Any QML warning from the kiosk's own modules fails the test.
    function init() {
        failOnWarning(/qrc:\/qt\/qml\/Pingyi\//)
        // Test taps come faster than any finger; the double-tap guard has its own test.
        Theme.tapGuardMs = 0
    }

    function makeShell() {
        verify(fixture.error === "", fixture.error)
        const shell = createTemporaryObject(shellComponent, tc, { kiosk: fixture.kiosk, width: tc.width, height: tc.height })
        verify(shell !== null, "the kiosk UI loads")
        return shell
    }

    function findVisible(parent, name) {
        if (!parent || !parent.visible)
            return null
        if (parent.objectName === name)
            return parent
        for (let i = 0; i < parent.children.length; ++i) {
            const found = findVisible(parent.children[i], name)
            if (found)
                return found
        }
        return null
    }

    /// The visible item called `name`, waiting for it to appear.
    function item(shell, name, timeout) {
        let found = null
        tryVerify(() => { found = findVisible(shell, name); return found !== null }, timeout || 3000,
                  "'" + name + "' is on screen")
        // Let layout settle and replaced screens go, as between two taps of a real finger.
        wait(30)
        return found
    }

    function tap(shell, name) {
        const it = item(shell, name)
        tryVerify(() => it.enabled, 2000, "'" + name + "' can be tapped")
        // A finger waits until the page has turned (input is ignored while it settles).
        const voter = fixture.kiosk ? fixture.kiosk.voter : null
        if (voter)
            tryVerify(() => !voter.settling, 2000, "the page has settled")
        mouseClick(it)
        return it
    }

    function typeOnPad(shell, text) {
        for (let i = 0; i < text.length; ++i)
            tap(shell, "key_" + text[i])
    }
}
