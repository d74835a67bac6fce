#pragma once
// QR code matrices from libqrencode, drawn by whoever needs them (cards PDF, kiosk UI).

#include <QString>
#include <QVector>

namespace pingyi {

struct QrMatrix {
    int size = 0; ///< modules per side (without quiet zone)
    QVector<bool> dark; ///< row-major, size*size
    bool at(int x, int y) const { return dark[y * size + x]; }
    bool isNull() const { return size == 0; }
};

/// Encodes `text` with error correction level M; null matrix if it does not fit.
QrMatrix encodeQr(const QString &text);

} // namespace pingyi
