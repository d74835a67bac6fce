// The screen tour's layout check (app/preview/layoutcheck.cpp) on scenes built to hold one
// flaw each, and on a sound one: it must name every flaw it claims to find, and nothing else.
// Without this the tour's "no clipped or overlapping text" could pass by seeing nothing.

#include "layoutcheck.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

using namespace pingyi::ui;

class TestLayoutCheck : public QObject {
    Q_OBJECT

    /// The flaws found in `qml` (a scene in a 800×600 window), by kind.
    QList<TextFlaw::Kind> flawsIn(const QByteArray &qml, QStringList *described = nullptr)
    {
        QQmlEngine engine;
        QQmlComponent component(&engine);
        component.setData("import QtQuick\n" + qml, QUrl(QStringLiteral("qrc:/scene.qml")));
        std::unique_ptr<QObject> object(component.create());
        if (!object) {
            qWarning() << component.errors();
            return {};
        }
        QQuickWindow window;
        window.resize(800, 600);
        auto *item = qobject_cast<QQuickItem *>(object.get());
        item->setParentItem(window.contentItem());
        window.show();
        QTest::qWait(30);
        QList<TextFlaw::Kind> kinds;
        for (const TextFlaw &f : checkTextLayout(window.contentItem())) {
            kinds << f.kind;
            if (described)
                *described << f.describe();
        }
        item->setParentItem(nullptr);
        return kinds;
    }

private Q_SLOTS:
    void soundSceneHasNoFlaws()
    {
        QStringList said;
        const auto kinds = flawsIn(R"(
Item {
    width: 800; height: 600
    Column {
        width: 400; spacing: 10
        Text { width: parent.width; wrapMode: Text.Wrap; font.pixelSize: 30
               text: "A long sentence that wraps onto several lines inside its column." }
        Text { width: parent.width; font.pixelSize: 30; text: "短的中文" }
        Rectangle { width: 300; height: 80
            Text { anchors.centerIn: parent; font.pixelSize: 30; text: "Button" } }
    }
    Flickable {  // a page that scrolls: text below its fold is not cut
        x: 420; width: 360; height: 200; contentHeight: 800; clip: true
        Text { y: 700; width: 360; font.pixelSize: 30; text: "Below the fold" }
    }
    Rectangle { // a modal layer hides what is under it
        x: 0; y: 400; width: 800; height: 200; color: "black"
        readonly property bool layoutModal: true
        Text { x: 20; y: 20; font.pixelSize: 30; color: "white"; text: "Only this is checked" }
    }
    Text { x: 0; y: 420; font.pixelSize: 30; text: "Under the modal layer" }
}
)",
                                   &said);
        QVERIFY2(kinds.isEmpty(), qPrintable(said.join(QLatin1Char('\n'))));
    }

    void elidedText()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { width: 120; elide: Text.ElideRight; font.pixelSize: 30; text: "A title far too long for its box" } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::Elided));
    }

    void textTallerThanItsBox()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { width: 200; height: 40; wrapMode: Text.Wrap; font.pixelSize: 30
           text: "Three lines of text in a box of one line" } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::Overflow));
    }

    void textOutsideItsButton()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Rectangle { width: 100; height: 60
        Text { anchors.centerIn: parent; font.pixelSize: 30; text: "Close session" } } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::OutsideBox));
    }

    void textOffTheScreen()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { y: 580; font.pixelSize: 40; text: "Under the bottom edge" } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::OffScreen));
    }

    void brokenWord()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { width: 70; wrapMode: Text.Wrap; font.pixelSize: 30; text: "Delete" } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::BrokenWord));
    }

    void textOverText()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { x: 10; y: 10; font.pixelSize: 40; text: "欢迎参加市民评议" }
    Text { x: 30; y: 20; font.pixelSize: 40; text: "经济建设组" } }
)");
        QVERIFY(kinds.contains(TextFlaw::Kind::Overlap));
    }

    // The same overlap under a cover (the staff-call band) is not text over text.
    void coverHidesWhatIsUnder()
    {
        const auto kinds = flawsIn(R"(
Item { width: 800; height: 600
    Text { x: 10; y: 10; font.pixelSize: 40; text: "评议完成" }
    Rectangle { width: 800; height: 100; color: "red"
        readonly property bool layoutCover: true
        Text { x: 30; y: 20; font.pixelSize: 40; text: "需要协助" } } }
)");
        QVERIFY(!kinds.contains(TextFlaw::Kind::Overlap));
    }
};

QTEST_MAIN(TestLayoutCheck)
#include "tst_layoutcheck.moc"
