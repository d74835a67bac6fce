#include "qrcodeitem.h"

#include <QPainter>

#include <cmath>

namespace pingyi::ui {

namespace {
constexpr int quietZone = 4; // modules of light border every reader expects
}

QrCode::QrCode(QQuickItem *parent) : QQuickPaintedItem(parent)
{
    setAntialiasing(false);
    setImplicitSize(320, 320);
}

void QrCode::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_matrix = text.isEmpty() ? QrMatrix {} : encodeQr(text);
    Q_EMIT textChanged();
    update();
}

void QrCode::setDarkColor(const QColor &c)
{
    if (c == m_dark)
        return;
    m_dark = c;
    Q_EMIT colorsChanged();
    update();
}

void QrCode::setLightColor(const QColor &c)
{
    if (c == m_light)
        return;
    m_light = c;
    Q_EMIT colorsChanged();
    update();
}

void QrCode::paint(QPainter *painter)
{
    if (m_matrix.isNull())
        return;
    const int total = m_matrix.size + 2 * quietZone;
    const qreal side = std::min(width(), height());
    // Whole pixels per module keep the edges sharp for phone cameras; fall back to
    // fractional modules only when the item is smaller than one pixel per module.
    const qreal module = side >= total ? std::floor(side / total) : side / total;
    const qreal drawn = module * total;
    const qreal x0 = std::round((width() - drawn) / 2);
    const qreal y0 = std::round((height() - drawn) / 2);
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->fillRect(QRectF(x0, y0, drawn, drawn), m_light);
    for (int y = 0; y < m_matrix.size; ++y) {
        for (int x = 0; x < m_matrix.size; ++x) {
            if (m_matrix.at(x, y))
                painter->fillRect(QRectF(x0 + (x + quietZone) * module, y0 + (y + quietZone) * module, module, module),
                                  m_dark);
        }
    }
}

} // namespace pingyi::ui
