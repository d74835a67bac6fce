#include "texttarget.h"

#include <QLoggingCategory>
#include <QMetaObject>

Q_LOGGING_CATEGORY(lcTextTarget, "pingyi.ui.keyboard")

namespace pingyi::ui {

bool TextTarget::canType(const QObject *item)
{
    if (!item)
        return false;
    const QMetaObject *m = item->metaObject();
    return m->indexOfProperty("length") >= 0 && m->indexOfProperty("cursorPosition") >= 0
        && m->indexOfMethod("insert(int,QString)") >= 0 && m->indexOfMethod("remove(int,int)") >= 0;
}

void TextTarget::setItem(QQuickItem *item)
{
    if (item && !canType(item)) {
        qCWarning(lcTextTarget) << "the keyboard cannot type into" << item->metaObject()->className();
        item = nullptr;
    }
    if (m_item == item)
        return;
    if (m_item)
        disconnect(m_item, &QObject::destroyed, this, nullptr);
    m_item = item;
    // A destroyed item reads as none; tell the bindings on `valid`.
    if (m_item)
        connect(m_item, &QObject::destroyed, this, &TextTarget::itemChanged);
    Q_EMIT itemChanged();
}

int TextTarget::length() const
{
    return m_item ? m_item->property("length").toInt() : 0;
}

int TextTarget::cursorPosition() const
{
    return m_item ? m_item->property("cursorPosition").toInt() : 0;
}

int TextTarget::insert(const QString &text, int maxLength)
{
    if (!m_item || text.isEmpty())
        return 0;
    const int room = maxLength - length();
    if (room <= 0)
        return 0;
    const QString part = text.left(room);
    QMetaObject::invokeMethod(m_item, "insert", Q_ARG(int, cursorPosition()), Q_ARG(QString, part));
    return int(part.size());
}

bool TextTarget::deleteBack()
{
    const int at = cursorPosition();
    if (!m_item || at <= 0)
        return false;
    QMetaObject::invokeMethod(m_item, "remove", Q_ARG(int, at - 1), Q_ARG(int, at));
    return true;
}

} // namespace pingyi::ui
