pragma Singleton
import QtQuick

// The kiosk's look: three text sizes, a calm normal theme and a high-contrast one. The
// shell binds textLevel, highContrast and english to the current representative's choices.
QtObject {
    property int textLevel: 0
    property bool highContrast: false
    property bool english: false

    readonly property real scale: textLevel === 2 ? 1.5 : (textLevel === 1 ? 1.25 : 1.0)
    readonly property string fontFamily: "WenQuanYi Micro Hei"

    // Type sizes in pixels. Body text is at least 30 px at the standard size.
    readonly property int fontSmall: Math.round(26 * scale)
    readonly property int fontBody: Math.round(30 * scale)
    readonly property int fontLarge: Math.round(36 * scale)
    readonly property int fontTitle: Math.round(44 * scale)
    readonly property int fontHeadline: Math.round(60 * scale)
    readonly property int fontDisplay: Math.round(76 * scale)
    // The bars at the top and bottom grow less, so that they keep their place.
    readonly property int fontBar: Math.round(28 * Math.min(scale, 1.2))
    readonly property int fontBarMax: Math.round(28 * 1.2)
    // The header band keeps one height at every size; its title grows a little and, when
    // long, shrinks to fit its two lines.
    readonly property int headerHeight: 132
    readonly property int fontHeaderTitle: Math.round(44 * Math.min(scale, 1.2))

    // Touch targets: nothing a finger needs is smaller than `touch`.
    readonly property int touch: 80
    readonly property int buttonHeight: Math.round(96 * Math.min(scale, 1.25))
    readonly property int gap: 24
    readonly property int margin: 40
    readonly property int radius: 14
    readonly property int border: highContrast ? 4 : 2

    readonly property color background: highContrast ? "#000000" : "#F3F0E8"
    readonly property color surface: highContrast ? "#000000" : "#FFFFFF"
    readonly property color surfaceAlt: highContrast ? "#202020" : "#E8E2D4"
    readonly property color pressed: highContrast ? "#3A3A3A" : "#DCD5C4"
    readonly property color text: highContrast ? "#FFFFFF" : "#1C1C1C"
    readonly property color textMuted: highContrast ? "#FFFFFF" : "#4D4A45"
    readonly property color line: highContrast ? "#FFFFFF" : "#B3AB9B"
    readonly property color primary: highContrast ? "#FFE000" : "#1D5A96"
    readonly property color primaryPressed: highContrast ? "#C9B200" : "#143F6B"
    readonly property color primaryText: highContrast ? "#000000" : "#FFFFFF"
    readonly property color header: highContrast ? "#000000" : "#1D5A96"
    readonly property color headerText: highContrast ? "#FFE000" : "#FFFFFF"
    readonly property color success: highContrast ? "#8CFF8C" : "#2E6B30"
    readonly property color successSoft: highContrast ? "#000000" : "#E2F0DE"
    readonly property color danger: highContrast ? "#FF9A90" : "#A4261D"
    readonly property color dangerSoft: highContrast ? "#000000" : "#FBE7E4"
    readonly property color info: highContrast ? "#FFFFFF" : "#1D5A96"
    readonly property color infoSoft: highContrast ? "#000000" : "#E3ECF5"
    readonly property color rehearsal: "#F2B705"
    readonly property color rehearsalText: "#1C1C1C"
    readonly property color scrim: "#B0000000"

    // A double tap acts once: a second tap within tapGuardMs of the last accepted one, on
    // any button, is ignored. Keypad and keyboard keys are exempt: "55" is two taps. Answer
    // cards (ChoiceButton) guard only against a second tap on the same card, so that a quick
    // correction always counts. A tap on a page not yet seen is stopped by the voter flow's
    // settle period, not here.
    property int tapGuardMs: 400
    property double lastTapTime: 0

    /// True when a tap now should act (and remembers it).
    function acceptTap() {
        const now = Date.now()
        if (now - lastTapTime < tapGuardMs)
            return false
        lastTapTime = now
        return true
    }

    /// The English text when English is chosen and there is one, else the Chinese.
    function pick(zh, en) {
        return english && en ? en : zh
    }
}
