#include "qrcode.h"

#include <qrencode.h>

namespace pingyi {

QrMatrix encodeQr(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // Case-sensitive with the 8-bit hint: libqrencode still picks alphanumeric mode for
    // runs of upper-case base32, which keeps credential codes small.
    QRcode *code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code)
        return {};
    QrMatrix m;
    m.size = code->width;
    m.dark.resize(m.size * m.size);
    for (int i = 0; i < m.size * m.size; ++i)
        m.dark[i] = code->data[i] & 1;
    QRcode_free(code);
    return m;
}

} // namespace pingyi
