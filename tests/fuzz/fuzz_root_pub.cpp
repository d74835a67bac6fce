// The office's root.pub as a kiosk technician installs it (parseRootPublicFile). Invariant:
// a key that parses is written back by rootPublicFile and parses to the same key.
#include "enrolment.h"
#include "fuzzcommon.h"

using namespace pingyi;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto key = parseRootPublicFile(fuzz::view(data, size), QStringLiteral("fuzz root.pub"));
    if (!key) {
        FUZZ_CHECK(key.error().code == QLatin1String("root-key-file"));
        return 0;
    }
    FUZZ_CHECK(key->size() == qsizetype(crypto::signPublicKeyBytes));
    auto again = parseRootPublicFile(rootPublicFile(*key), QStringLiteral("rewritten root.pub"));
    FUZZ_CHECK(again && *again == *key);
    return 0;
}
