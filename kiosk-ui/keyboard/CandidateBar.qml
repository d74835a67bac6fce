import QtQuick
import Pingyi.Controls
import Pingyi.Keyboard // its own C++ types (Qt 6.4 resolves them only when imported)

// The Pinyin candidate bar: the spelling so far and the words it may mean; tap one to
// write it. After writing, likely next words are offered.
Rectangle {
    id: root

    required property PinyinEngine engine

    signal chosen(string text)

    // Runs in the bar's context: choosing resets the model, which destroys the delegate
    // that was tapped.
    function pick(index) {
        const committed = root.engine.choose(index)
        if (committed !== "")
            root.chosen(committed)
    }

    implicitHeight: 100
    color: Theme.surface
    border.width: Theme.highContrast ? 3 : 1
    border.color: Theme.line
    radius: 10

    KText {
        id: spelling
        anchors.left: parent.left
        anchors.leftMargin: 20
        anchors.verticalCenter: parent.verticalCenter
        width: Math.min(implicitWidth, 320)
        text: root.engine.composing ? root.engine.composition : (root.engine.predicting ? qsTr("接着写：") : "")
        size: "large"
        font.bold: true
        color: Theme.primary
        wrapMode: Text.NoWrap
        elide: Text.ElideLeft
    }

    KText {
        anchors.left: spelling.right
        anchors.leftMargin: 20
        anchors.verticalCenter: parent.verticalCenter
        visible: list.count === 0
        text: root.engine.available ? qsTr("用下面的键盘输入拼音，再点选汉字") : qsTr("拼音输入不可用，请用英文字母或数字")
        color: Theme.textMuted
    }

    ListView {
        id: list
        objectName: "candidateList"
        anchors.left: spelling.right
        anchors.leftMargin: 16
        anchors.right: pager.left
        anchors.rightMargin: 8
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.margins: 8
        orientation: ListView.Horizontal
        cacheBuffer: 0 // no delegates made in the background: the model changes with every key
        spacing: 10
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        model: root.engine.candidates
        Connections {
            target: root.engine
            function onStateChanged() { list.contentX = 0 }
        }
        delegate: KeyCap {
            required property string text
            required property int index
            objectName: "candidate_" + index
            height: list.height
            width: Math.max(Theme.touch, word.implicitWidth + 44)
            label: ""
            name: "candidate_" + index
            onTapped: root.pick(index)
            KText {
                id: word
                anchors.centerIn: parent
                text: parent.text
                size: "large"
                wrapMode: Text.NoWrap
            }
        }
    }

    Row {
        id: pager
        anchors.right: parent.right
        anchors.rightMargin: 8
        anchors.verticalCenter: parent.verticalCenter
        spacing: 8
        visible: list.contentWidth > list.width
        KeyCap {
            width: Theme.touch
            height: root.height - 16
            label: "‹"
            name: "candidatesBack"
            onTapped: list.contentX = Math.max(0, list.contentX - list.width * 0.8)
        }
        KeyCap {
            width: Theme.touch
            height: root.height - 16
            label: "›"
            name: "candidatesMore"
            onTapped: list.contentX = Math.min(list.contentWidth - list.width, list.contentX + list.width * 0.8)
        }
    }
}
