#pragma once
// The screen tour's eye for broken layouts: every visible text of a screen must be whole
// (not elided, not cut by its box, by a box around it or by the window's edge, no word of
// Latin letters broken in two) and must not lie over another text. A page that scrolls may
// hold text below its fold: what a Flickable clips can be scrolled to, so it is not cut.
// Modal layers (an item with a true `layoutModal` property) hide what lies under them: only
// the topmost one is checked. A cover (an item with a true `layoutCover`, e.g. the
// staff-call band across the top) hides the texts under it from the overlap check.

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>

class QQuickItem;

namespace pingyi::ui {

struct TextFlaw {
    enum class Kind { Elided, Overflow, OutsideBox, OffScreen, BrokenWord, Overlap };
    Kind kind;
    QString text; ///< the text at fault (shortened)
    QString other; ///< for Overlap: the text it lies over
    QString where; ///< the objectName path down to the text, for finding it
    QRectF rect; ///< where it is painted, in window coordinates

    QString describe() const;
};

/// The flaws in the visible texts under `root` (the window's content item).
QList<TextFlaw> checkTextLayout(QQuickItem *root);

} // namespace pingyi::ui
