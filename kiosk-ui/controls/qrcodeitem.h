#pragma once
// A QR code drawn crisply at any size (receipt codes, session reports). The matrix comes
// from libqrencode through pingyi_qr's encodeQr().

#include "qrcode.h"

#include <QColor>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

class QrCode : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY textChanged)
    Q_PROPERTY(QColor darkColor READ darkColor WRITE setDarkColor NOTIFY colorsChanged)
    Q_PROPERTY(QColor lightColor READ lightColor WRITE setLightColor NOTIFY colorsChanged)
    /// False when the text is empty or too long for a QR code.
    Q_PROPERTY(bool valid READ valid NOTIFY textChanged)
    /// Modules per side (without the quiet zone); 0 when not valid.
    Q_PROPERTY(int modules READ modules NOTIFY textChanged)

public:
    explicit QrCode(QQuickItem *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    QColor darkColor() const { return m_dark; }
    void setDarkColor(const QColor &c);
    QColor lightColor() const { return m_light; }
    void setLightColor(const QColor &c);
    bool valid() const { return !m_matrix.isNull(); }
    int modules() const { return m_matrix.size; }

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void textChanged();
    void colorsChanged();

private:
    QString m_text;
    QrMatrix m_matrix;
    QColor m_dark {Qt::black};
    QColor m_light {Qt::white};
};

} // namespace pingyi::ui
