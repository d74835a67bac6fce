import QtQuick
import Pingyi.Staff // its own C++ types (Qt 6.4 resolves them only when imported)

// The staff console, page by page, with the question before a session changes state.
Item {
    id: root

    required property StaffConsole staff
    /// The camera's status for the dashboard (CameraDesk.status / statusDetail).
    property string cameraStatus: "off"
    property string cameraDetail

    Loader {
        anchors.fill: parent
        sourceComponent: {
            switch (root.staff.page) {
            case StaffConsole.Dashboard: return dashboard
            case StaffConsole.Report: return report
            case StaffConsole.Export: return exportPage
            case StaffConsole.Technician: return technician
            default: return login
            }
        }
    }
    Component { id: login; PinScreen { staff: root.staff } }
    Component {
        id: dashboard
        DashboardScreen {
            staff: root.staff
            cameraStatus: root.cameraStatus
            cameraDetail: root.cameraDetail
        }
    }
    Component { id: report; ReportScreen { staff: root.staff } }
    Component { id: exportPage; ExportScreen { staff: root.staff } }
    Component { id: technician; TechnicianScreen { staff: root.staff } }

    Loader {
        anchors.fill: parent
        active: root.staff.pendingAction !== ""
        sourceComponent: ActionDialog { staff: root.staff }
    }
}
