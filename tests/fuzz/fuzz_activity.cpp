// The activity spec reader (Activity::fromJson), as `pingyi-hq activity check` and the kiosk's
// package load run it. Invariant: a spec that parses re-emits canonically, and the canonical
// bytes parse to the same canonical bytes (the digest that binds credentials to it).
#include "fuzzcommon.h"

using namespace pingyi;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    auto activity = Activity::fromJson(json, QStringLiteral("fuzz"));
    if (!activity) {
        FUZZ_CHECK(!activity.error().code.isEmpty() && !activity.error().message.isEmpty());
        return 0;
    }
    const QByteArray canonical = activity->canonicalJson();
    auto again = Activity::fromJson(canonical, QStringLiteral("fuzz canonical"));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->canonicalJson() == canonical);
    FUZZ_CHECK(again->id == activity->id);
    FUZZ_CHECK(again->sessions.size() == activity->sessions.size());
    // What the office prints and the quota check reads.
    (void)activity->summary();
    (void)activity->summaryJson();
    (void)activity->quotaCells();
    return 0;
}
