import QtQuick
import QtTest
import Pingyi.Keyboard

// The on-screen keyboard types into a TextInput or a TextEdit at the cursor, never past
// `maxLength`, and deletes the character before the cursor; anything else is refused.
KioskTestCase {
    name: "Keyboard"

    Component {
        id: inputKeyboard
        Item {
            property alias input: field
            property alias keyboard: keys
            anchors.fill: parent
            TextInput { id: field; width: 400; height: 60 }
            OnScreenKeyboard {
                id: keys
                y: 100
                width: 1600
                engine: fixture.kiosk.pinyin
                target: field
                chinese: false
                multiline: false
                maxLength: 5
            }
        }
    }
    Component {
        id: editKeyboard
        Item {
            property alias edit: field
            property alias keyboard: keys
            anchors.fill: parent
            TextEdit { id: field; width: 400; height: 60 }
            OnScreenKeyboard {
                id: keys
                y: 100
                width: 1600
                engine: fixture.kiosk.pinyin
                target: field
                chinese: false
                maxLength: 20
            }
        }
    }
    Component {
        id: plainTarget
        TextTarget {}
    }
    Component {
        id: notText
        Rectangle {}
    }

    function test_typesIntoATextInputUpToTheLimit() {
        verify(fixture.reset(10))
        const view = createTemporaryObject(inputKeyboard, this)
        verify(view !== null)
        typeOnPad(view, "abcdefg")
        compare(view.input.text, "ABCDE") // the letter keys show (and type) capitals
        tap(view, "key_backspace")
        compare(view.input.text, "ABCD")
        view.input.cursorPosition = 1
        tap(view, "key_backspace")
        compare(view.input.text, "BCD")
        tap(view, "key_backspace") // nothing before the cursor: nothing happens
        compare(view.input.text, "BCD")
        tap(view, "key_z")
        compare(view.input.text, "ZBCD")
    }

    function test_typesIntoATextEditAtTheCursor() {
        verify(fixture.reset(10))
        const view = createTemporaryObject(editKeyboard, this)
        verify(view !== null)
        typeOnPad(view, "ac")
        view.edit.cursorPosition = 1
        tap(view, "key_b")
        tap(view, "key_enter")
        compare(view.edit.text, "AB\nC")
        compare(view.edit.cursorPosition, 3)
    }

    function test_longTextIsCut() {
        verify(fixture.reset(10))
        const target = createTemporaryObject(plainTarget, this)
        const view = createTemporaryObject(inputKeyboard, this)
        target.item = view.input
        verify(target.valid)
        compare(target.insert("一二三四五六七", 5), 5)
        compare(view.input.text, "一二三四五")
        compare(target.length(), 5)
        compare(target.insert("八", 5), 0)
        verify(target.deleteBack())
        compare(view.input.text, "一二三四")
        view.destroy()
        tryVerify(() => !target.valid, 1000, "a destroyed item is no target")
        compare(target.insert("a", 5), 0)
        verify(!target.deleteBack())
    }

    function test_refusesAnItemWithoutText() {
        const target = createTemporaryObject(plainTarget, this)
        const rect = createTemporaryObject(notText, this)
        ignoreWarning(/the keyboard cannot type into QQuickRectangle/)
        target.item = rect
        verify(!target.valid)
        compare(target.item, null)
        compare(target.length(), 0)
    }
}
