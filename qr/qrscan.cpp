#include "qrscan.h"

// zxing-cpp 1.4 returns std::wstring from text() unless told to move to UTF-8 already.
#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

namespace pingyi::qr {

QrScan scanGrey(const std::uint8_t *pixels, int width, int height, int stride)
{
    QrScan out;
    if (!pixels || width <= 0 || height <= 0)
        return out;
    const ZXing::ImageView view(pixels, width, height, ZXing::ImageFormat::Lum, stride);
    // Errors are returned so that a code whose finder patterns were found but whose data
    // could not be corrected is told apart from no code at all.
    const auto hints = ZXing::DecodeHints()
                           .setFormats(ZXing::BarcodeFormat::QRCode)
                           .setTryRotate(true)
                           .setTryHarder(true)
                           .setReturnErrors(true);
    for (const ZXing::Result &r : ZXing::ReadBarcodes(view, hints)) {
        if (r.isValid())
            out.texts << QString::fromStdString(r.text());
        else if (r.format() != ZXing::BarcodeFormat::None)
            out.seen = true;
    }
    return out;
}

} // namespace pingyi::qr
