// A venue package file as it comes off the USB drive (verifyVenuePackage, then
// openVenuePackage as the office's archive recipient and as the test kiosk). Invariant: a
// package that opens no longer opens once any one byte changed (the HQ root signs all of it).
#include "container.h"
#include "fuzzcommon.h"
#include "venuepackage.h"

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
    const PackageExpectation expect {fuzz::demoActivity().id, QString(), 0};
    auto header = verifyVenuePackage(raw, keys.root.publicKey(), expect);
    if (!header) {
        FUZZ_CHECK(header.error().code.startsWith(QLatin1String("package-")));
        return 0;
    }
    auto archive
        = openVenuePackage(raw, keys.root.publicKey(), expect, QLatin1String(packageArchiveRecipient), keys.archive);
    auto kiosk = openVenuePackage(raw, keys.root.publicKey(), expect, keys.kioskId, keys.kioskBox);
    for (const auto *opened : {&archive, &kiosk}) {
        if (!*opened)
            continue;
        FUZZ_CHECK((*opened)->activityId == header->activityId && (*opened)->venue == header->venue);
        FUZZ_CHECK((*opened)->roster.size() == header->rosterSize);
    }
    auto forged = verifyVenuePackage(fuzz::flipOneByte(raw), keys.root.publicKey(), expect);
    FUZZ_CHECK(!forged);
    return 0;
}
