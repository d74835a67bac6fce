import QtQuick

// Text in the kiosk's font and one of its sizes: small, body, large, title, headline, display.
Text {
    property string size: "body"

    font.family: Theme.fontFamily
    font.pixelSize: size === "display" ? Theme.fontDisplay
                  : size === "headline" ? Theme.fontHeadline
                  : size === "title" ? Theme.fontTitle
                  : size === "large" ? Theme.fontLarge
                  : size === "small" ? Theme.fontSmall
                  : size === "bar" ? Theme.fontBar
                  : Theme.fontBody
    color: Theme.text
    wrapMode: Text.Wrap
    lineHeight: 1.12
}
