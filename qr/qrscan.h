#pragma once
// QR codes read from an 8-bit grey image with zxing-cpp: QR only, rotated, harder. The
// kiosk camera's invitation-card reader (vision/qrreader) and the office's reading of a
// photographed report (pingyi-hq report add --image) both read codes through this.

#include <QString>
#include <QStringList>

#include <cstdint>

namespace pingyi::qr {

struct QrScan {
    QStringList texts; ///< every code read, in zxing's order
    bool seen = false; ///< a code was found that could not be read (damaged, blurred, partly hidden)
};

/// The codes in the `width`×`height` grey image at `pixels` (`stride` bytes a row).
QrScan scanGrey(const std::uint8_t *pixels, int width, int height, int stride);

} // namespace pingyi::qr
