import QtQuick
import Pingyi.Controls
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// The frame of the staff screens: what, who is logged in, the clock, and log out.
Rectangle {
    id: root

    required property StaffConsole staff
    property string title
    property bool rehearsal: root.staff.current.rehearsal === true
    property bool showLogout: root.staff.role !== ""
    default property alias content: contentArea.data

    color: Theme.background

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: root.title
        subtitle: (root.staff.role !== "" ? StaffText.roleLabel(root.staff.role) + "　·　" : "")
                  + Theme.pick(root.staff.venueName, root.staff.venueNameEn) + "　·　" + qsTr("终端 %1").arg(root.staff.kioskId)
        KText {
            anchors.verticalCenter: parent.verticalCenter
            objectName: "clock"
            text: root.staff.clock
            size: "bar"
            color: Theme.headerText
            wrapMode: Text.NoWrap
        }
        KButton {
            objectName: "logout"
            visible: root.showLogout
            height: Theme.touch
            size: "bar"
            kind: "header"
            text: qsTr("退出登录")
            onClicked: root.staff.logout()
        }
    }
    RehearsalBanner {
        id: banner
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        active: root.rehearsal
    }
    Item {
        id: contentArea
        anchors.top: banner.bottom
        anchors.bottom: parent.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
    }
}
