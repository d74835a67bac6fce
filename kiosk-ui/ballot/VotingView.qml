import QtQuick
import Pingyi.Controls
import Pingyi.Keyboard
import Pingyi.Ballot // its own C++ types (Qt 6.4 resolves them only when imported)

// The ballot, page by page, as the voter flow says; with the idle warning and the
// "leave?" question on top when they are due.
Item {
    id: root

    required property VoterFlow flow
    required property Accessibility access
    required property PinyinEngine pinyin

    Loader {
        id: page
        anchors.fill: parent
        sourceComponent: {
            switch (root.flow.stage) {
            case VoterFlow.Department: return department
            case VoterFlow.Question:
            case VoterFlow.Discipline: return question
            case VoterFlow.SuggestionAsk: return suggestionAsk
            case VoterFlow.SuggestionTopic: return suggestionTopic
            case VoterFlow.SuggestionDepartment: return suggestionDepartment
            case VoterFlow.SuggestionText: return suggestionText
            case VoterFlow.Review: return review
            case VoterFlow.Confirm: return confirm
            case VoterFlow.Receipt: return receipt
            default: return null
            }
        }
    }

    Component { id: department; DepartmentScreen { flow: root.flow; access: root.access } }
    Component { id: question; QuestionScreen { flow: root.flow; access: root.access } }
    Component { id: suggestionAsk; SuggestionAskScreen { flow: root.flow; access: root.access } }
    Component { id: suggestionTopic; SuggestionTopicScreen { flow: root.flow; access: root.access } }
    Component { id: suggestionDepartment; SuggestionDepartmentScreen { flow: root.flow; access: root.access } }
    Component { id: suggestionText; SuggestionTextScreen { flow: root.flow; access: root.access; pinyin: root.pinyin } }
    Component { id: review; ReviewScreen { flow: root.flow; access: root.access } }
    Component { id: confirm; ConfirmScreen { flow: root.flow; access: root.access } }
    Component { id: receipt; ReceiptScreen { flow: root.flow; access: root.access; rehearsal: root.flow.rehearsal } }

    Loader {
        anchors.fill: parent
        active: root.flow.confirmingCancel && !root.flow.idleWarning
        sourceComponent: CancelOverlay { flow: root.flow }
    }
    Loader {
        anchors.fill: parent
        active: root.flow.idleWarning
        sourceComponent: IdleOverlay { flow: root.flow }
    }
}
