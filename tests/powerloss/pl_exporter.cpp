// Test helper for test_powerloss: exports a closed session to a folder again and again,
// printing "EXPORTED <blake2b of the file>" only after exportSession() returned success
// (the kiosk has told staff the batch is on the drive). Run under the power-loss layer and
// cut at random moments.
// Usage: pl_exporter STATE_DIR TARGET_DIR PIN_FILE SESSION COUNT

#include "clock.h"
#include "crypto.h"
#include "fileio.h"
#include "kioskservice.h"

#include <QCoreApplication>

#include <cstdio>

using namespace pingyi;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 6)
        return 2;
    crypto::init();
    SystemClock clock;
    auto k = kiosk::KioskService::open(QString::fromLocal8Bit(argv[1]), clock);
    if (!k) {
        std::fprintf(stderr, "open: %s\n", qPrintable(k.error().message));
        return 3;
    }
    auto pin = readFile(QString::fromLocal8Bit(argv[3]));
    if (!pin || !(*k)->login(QString::fromLatin1(pin->trimmed()))) {
        std::fprintf(stderr, "login failed\n");
        return 4;
    }
    const kiosk::SessionKey key {QString::fromLocal8Bit(argv[4]), false};
    std::printf("READY\n");
    std::fflush(stdout);
    const int count = QByteArray(argv[5]).toInt();
    for (int i = 0; i < count; ++i) {
        auto r = (*k)->exportSession(key, QString::fromLocal8Bit(argv[2]));
        if (!r) {
            std::fprintf(stderr, "export: %s\n", qPrintable(r.error().message));
            return 5;
        }
        auto bytes = readFile(r->path);
        if (!bytes) {
            std::fprintf(stderr, "read back: %s\n", qPrintable(bytes.error().message));
            return 6;
        }
        std::printf("EXPORTED %s\n", crypto::hash(*bytes).toHex().constData());
        std::fflush(stdout);
    }
    std::printf("DONE\n");
    return 0;
}
