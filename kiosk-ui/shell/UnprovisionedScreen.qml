import QtQuick
import Pingyi.Controls
import Pingyi.Shell // its own C++ types (Qt 6.4 resolves them only when imported)

// A kiosk without a venue package: says so, and what the technician needs.
Rectangle {
    id: root

    required property Kiosk kiosk

    objectName: "screen.unprovisioned"
    color: Theme.background

    ScreenHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
        title: qsTr("评议终端尚未就绪")
        AccessBar {
            access: root.kiosk.access
            speech: qsTr("本终端还没有装载会场数据包，请联系技术人员。")
        }
    }

    Column {
        anchors.top: header.bottom
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: Theme.margin
        spacing: Theme.gap

        MessagePanel {
            width: parent.width
            kind: "info"
            title: qsTr("本终端还没有装载会场数据包")
            text: qsTr("请技术人员为本机登记并装载会场数据包（见操作手册）。在此之前，本机不能用于评议。")
        }
        KText {
            text: qsTr("终端编号：%1").arg(root.kiosk.kioskId !== "" ? root.kiosk.kioskId : qsTr("（未登记）"))
        }
        KText {
            width: parent.width
            text: qsTr("终端密钥指纹：%1").arg(root.kiosk.fingerprint)
            wrapMode: Text.WrapAnywhere
        }
        KButton {
            objectName: "closeUnprovisioned"
            width: 360
            text: qsTr("关闭程序")
            onClicked: root.kiosk.closeUnprovisioned()
        }
    }
}
