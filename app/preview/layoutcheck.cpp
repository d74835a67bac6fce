#include "layoutcheck.h"

#include <QFont>
#include <QFontMetricsF>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>

#include <algorithm>

namespace pingyi::ui {

namespace {

constexpr qreal kSlack = 2.0; ///< pixels of rounding forgiven at every edge

QString shortened(const QString &text)
{
    QString t = text.simplified();
    return t.size() > 40 ? t.left(39) + QChar(0x2026) : t;
}

bool isText(const QQuickItem *item)
{
    return item->inherits("QQuickText");
}

bool isFlickable(const QQuickItem *item)
{
    return item->inherits("QQuickFlickable");
}

/// Where a Text paints its text inside its own box, from its alignment and content size.
QRectF paintedRect(const QQuickItem *text)
{
    const qreal w = text->property("contentWidth").toReal();
    const qreal h = text->property("contentHeight").toReal();
    const int hAlign = text->property("effectiveHorizontalAlignment").toInt();
    const int vAlign = text->property("verticalAlignment").toInt();
    qreal x = 0, y = 0;
    if (hAlign & Qt::AlignRight)
        x = text->width() - w;
    else if (hAlign & Qt::AlignHCenter)
        x = (text->width() - w) / 2;
    if (vAlign & Qt::AlignBottom)
        y = text->height() - h;
    else if (vAlign & Qt::AlignVCenter)
        y = (text->height() - h) / 2;
    // A line's box is taller than its characters (ascent, descent and the kiosk's extra line
    // spacing): what may not be cut or covered is the ink, about the middle 64 % of the first
    // and last lines.
    const int lines = std::max(1, text->property("lineCount").toInt());
    const qreal inset = std::min(h / lines * 0.18, h / 2);
    return {x, y + inset, w, h - 2 * inset};
}

struct Seen {
    const QQuickItem *item;
    QString text;
    QString where;
    QRectF rect; ///< painted, in window coordinates
    QRectF visible; ///< the part not clipped away by a scrolling page
};

class Walker {
public:
    QList<TextFlaw> flaws;
    QList<Seen> texts;
    QList<const QQuickItem *> covers;

    /// `boxes`: the boxes this item must stay inside (window coordinates; a zero extent
    /// means "not along this axis"); `view`: what of the window can be seen through the
    /// scrolling pages above it.
    void walk(QQuickItem *item, QList<QRectF> boxes, QRectF view, const QString &path)
    {
        if (!item->isVisible() || item->opacity() < 0.01)
            return;
        const QString name = item->objectName();
        const QString here = name.isEmpty() ? path : (path.isEmpty() ? name : path + QLatin1Char('/') + name);
        const QRectF box = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        if (item->property("layoutCover").toBool())
            covers << item;
        if (isText(item))
            checkText(item, boxes, view, here);
        if (isFlickable(item)) {
            // Its content may run past it along the way it scrolls; the other way it must fit.
            view = view.intersected(box);
            const bool across = item->property("contentWidth").toReal() > item->width() + 1;
            const bool down = item->property("contentHeight").toReal() > item->height() + 1 || !across;
            boxes
                = {QRectF(across ? 0 : box.x(), down ? 0 : box.y(), across ? 0 : box.width(), down ? 0 : box.height())};
        } else if (item->width() > 0 || item->height() > 0) {
            boxes << QRectF(item->width() > 0 ? box.x() : 0, item->height() > 0 ? box.y() : 0,
                            item->width() > 0 ? box.width() : 0, item->height() > 0 ? box.height() : 0);
        }
        for (QQuickItem *child : item->childItems())
            walk(child, boxes, view, here);
    }

private:
    void flaw(TextFlaw::Kind kind, const QString &text, const QString &where, const QRectF &rect)
    {
        flaws.append({kind, shortened(text), {}, where, rect});
    }

    void checkText(QQuickItem *item, const QList<QRectF> &boxes, const QRectF &view, const QString &where)
    {
        const QString text = item->property("text").toString();
        if (text.trimmed().isEmpty())
            return;
        const QRectF local = paintedRect(item);
        const QRectF rect = item->mapRectToScene(local);
        if (item->property("truncated").toBool())
            flaw(TextFlaw::Kind::Elided, text, where, rect);
        if (local.width() > item->width() + kSlack || local.bottom() > item->height() + kSlack || local.top() < -kSlack)
            flaw(TextFlaw::Kind::Overflow, text, where, rect);
        for (const QRectF &b : boxes) {
            const bool outX = b.width() > 0 && (rect.left() < b.left() - kSlack || rect.right() > b.right() + kSlack);
            const bool outY = b.height() > 0 && (rect.top() < b.top() - kSlack || rect.bottom() > b.bottom() + kSlack);
            if (outX || outY) {
                flaw(TextFlaw::Kind::OutsideBox, text, where, rect);
                break;
            }
        }
        const QRectF window = item->window() ? QRectF(QPointF(0, 0), item->window()->size()) : rect;
        // Past the window's edge, unless a scrolling page above it holds it (its part in the
        // page's view is on screen, the rest can be scrolled to).
        const QRectF shown = rect.intersected(view);
        const bool scrolls = view != window;
        if (!scrolls && !window.adjusted(-kSlack, -kSlack, kSlack, kSlack).contains(rect))
            flaw(TextFlaw::Kind::OffScreen, text, where, rect);
        // A word of Latin letters wider than the box is broken in two ("Delet e"), unless the
        // text shrinks to fit its box (fontSizeMode).
        const bool fits = item->property("fontSizeMode").toInt() != 0;
        const QFontMetricsF metrics(item->property("font").value<QFont>());
        static const QRegularExpression word(QStringLiteral("[A-Za-z][A-Za-z'’.,:;!?-]*"));
        for (auto it = word.globalMatch(text); it.hasNext();) {
            const QString w = it.next().captured();
            if (!fits && metrics.horizontalAdvance(w) > item->width() + kSlack && item->width() > 0) {
                flaw(TextFlaw::Kind::BrokenWord, w + QStringLiteral(" in ") + text, where, rect);
                break;
            }
        }
        if (!shown.isEmpty())
            texts.append({item, text, where, rect, shown});
    }
};

/// The topmost visible modal layer under `item`, if any.
QQuickItem *topModal(QQuickItem *item)
{
    QQuickItem *found = nullptr;
    if (!item->isVisible() || item->opacity() < 0.01)
        return nullptr;
    if (item->property("layoutModal").toBool())
        found = item;
    for (QQuickItem *child : item->childItems())
        if (QQuickItem *inner = topModal(child))
            found = inner;
    return found;
}

bool inside(const QQuickItem *item, const QQuickItem *ancestor)
{
    for (const QQuickItem *p = item; p; p = p->parentItem())
        if (p == ancestor)
            return true;
    return false;
}

} // namespace

QString TextFlaw::describe() const
{
    const QString at = QStringLiteral("\"%1\" at %2,%3 %4×%5 (%6)")
                           .arg(text)
                           .arg(rect.x(), 0, 'f', 0)
                           .arg(rect.y(), 0, 'f', 0)
                           .arg(rect.width(), 0, 'f', 0)
                           .arg(rect.height(), 0, 'f', 0)
                           .arg(where.isEmpty() ? QStringLiteral("?") : where);
    switch (kind) {
    case Kind::Elided:
        return QStringLiteral("text cut short with … : ") + at;
    case Kind::Overflow:
        return QStringLiteral("text larger than its box: ") + at;
    case Kind::OutsideBox:
        return QStringLiteral("text outside the box around it: ") + at;
    case Kind::OffScreen:
        return QStringLiteral("text off the screen: ") + at;
    case Kind::BrokenWord:
        return QStringLiteral("word broken across lines: ") + at;
    case Kind::Overlap:
        return QStringLiteral("text over \"%1\": ").arg(other) + at;
    }
    return at;
}

QList<TextFlaw> checkTextLayout(QQuickItem *root)
{
    Walker walker;
    QQuickItem *modal = topModal(root);
    const QRectF window = root->window() ? QRectF(QPointF(0, 0), root->window()->size())
                                         : root->mapRectToScene(QRectF(0, 0, root->width(), root->height()));
    walker.walk(modal ? modal : root, {}, window, {});
    // Texts over texts: within one modal layer everything is drawn side by side, but for
    // what a cover hides.
    QList<Seen> t;
    for (const Seen &s : std::as_const(walker.texts)) {
        bool hidden = false;
        for (const QQuickItem *cover : std::as_const(walker.covers))
            hidden = hidden
                || (!inside(s.item, cover)
                    && cover->mapRectToScene(QRectF(0, 0, cover->width(), cover->height())).intersects(s.visible));
        if (!hidden)
            t << s;
    }
    for (qsizetype i = 0; i < t.size(); ++i)
        for (qsizetype j = i + 1; j < t.size(); ++j) {
            if (inside(t[i].item, t[j].item) || inside(t[j].item, t[i].item))
                continue;
            const QRectF both = t[i].visible.intersected(t[j].visible);
            if (both.width() > kSlack * 2 && both.height() > kSlack * 2)
                walker.flaws.append(
                    {TextFlaw::Kind::Overlap, shortened(t[j].text), shortened(t[i].text), t[j].where, t[j].rect});
        }
    return walker.flaws;
}

} // namespace pingyi::ui
