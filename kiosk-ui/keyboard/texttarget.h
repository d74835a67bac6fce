#pragma once
// What the on-screen keyboard types into: a TextInput or a TextEdit. Both Qt Quick classes
// are private API, so they are driven through what they have in common in their meta
// objects (the `length` and `cursorPosition` properties, `insert(int, string)` and
// `remove(int, int)`), checked once when the item is set. This keeps the keyboard's QML
// typed (qmllint sees these members, not lookups on a plain Item).

#include <QObject>
#include <QPointer>
#include <QQuickItem>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

class TextTarget : public QObject {
    Q_OBJECT
    QML_ELEMENT
    /// The TextInput or TextEdit typed into; any other item is refused (with a warning).
    Q_PROPERTY(QQuickItem *item READ item WRITE setItem NOTIFY itemChanged)
    /// An item is set and it can be typed into.
    Q_PROPERTY(bool valid READ valid NOTIFY itemChanged)

public:
    explicit TextTarget(QObject *parent = nullptr) : QObject(parent) { }

    /// Whether `item` has what typing needs (TextInput and TextEdit do).
    static bool canType(const QObject *item);

    QQuickItem *item() const { return m_item; }
    void setItem(QQuickItem *item);
    bool valid() const { return !m_item.isNull(); }

    /// Characters in the item (0 without one).
    Q_INVOKABLE int length() const;
    /// Inserts `text` at the cursor, cut so that the item holds at most `maxLength`
    /// characters. Returns how many characters went in.
    Q_INVOKABLE int insert(const QString &text, int maxLength);
    /// Removes the character before the cursor. Returns false when there is none.
    Q_INVOKABLE bool deleteBack();

Q_SIGNALS:
    void itemChanged();

private:
    int cursorPosition() const;

    QPointer<QQuickItem> m_item;
};

} // namespace pingyi::ui
