// A session batch file as it comes off the USB drive, read as the office reads it
// (fuzzbatch.h). Invariant: a batch whose signature verifies no longer does once any one byte
// changed.
#include "fuzzbatch.h"

using namespace pingyi;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)fuzz::testKeys();
    (void)fuzz::demoActivity();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const fuzz::TestKeys &keys = fuzz::testKeys();
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const fuzz::BatchReading reading = fuzz::readBatchAsOffice(raw, keys);
    if (reading.signatureValid) {
        auto forged = readBatch(fuzz::flipOneByte(raw));
        FUZZ_CHECK(!forged || !verifyBatchSignature(*forged, keys.kiosk.publicKey()));
    }
    return 0;
}
