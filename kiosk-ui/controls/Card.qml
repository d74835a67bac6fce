import QtQuick

// A calm surface that groups related things.
Rectangle {
    color: Theme.surface
    radius: Theme.radius
    border.width: Theme.highContrast ? 3 : 1
    border.color: Theme.line
}
