// The invitation credential's QR text (Credential::verify: base32, body reader, HQ root
// signature, activity), as the kiosk's scanner path runs it. Invariants: a text that verifies
// still verifies to the same credential after re-encoding; one changed byte never verifies to
// a different credential (the signature covers every field); a credential built from the
// input's bytes and signed with the test root round-trips field for field.
#include "credential.h"
#include "fuzzcommon.h"

#include <fuzzer/FuzzedDataProvider.h>

using namespace pingyi;

namespace {
bool same(const Credential &a, const Credential &b)
{
    return a.activityId == b.activityId && a.repId == b.repId && a.venue == b.venue && a.sessions == b.sessions;
}
} // namespace

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
    const QString activityId = fuzz::demoActivity().id;
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(raw);

    auto cred = Credential::verify(text, keys.root.publicKey(), activityId, QString());
    if (cred) {
        FUZZ_CHECK(cred->activityId == activityId && !cred->repId.isEmpty() && !cred->sessions.isEmpty());
        auto again = Credential::verify(cred->encode(keys.root), keys.root.publicKey(), activityId, cred->venue);
        FUZZ_CHECK(again && same(*again, *cred));
        const QByteArray flipped = fuzz::flipOneByte(raw);
        auto forged = Credential::verify(QString::fromUtf8(flipped), keys.root.publicKey(), activityId, QString());
        FUZZ_CHECK(!forged || same(*forged, *cred));
    } else {
        FUZZ_CHECK(cred.error().code.startsWith(QLatin1String("credential-")));
    }
    // Any root: the format reader runs before the signature check.
    (void)Credential::verify(text, keys.kiosk.publicKey(), activityId, QStringLiteral("V"));

    // Structured: fields from the input, signed by the test root, must come back unchanged.
    FuzzedDataProvider fdp(data, size);
    Credential c;
    c.activityId = activityId;
    c.repId = QString::fromStdString(fdp.ConsumeRandomLengthString(40));
    c.venue = QString::fromStdString(fdp.ConsumeRandomLengthString(20));
    const int n = fdp.ConsumeIntegralInRange(1, 4);
    for (int i = 0; i < n; ++i)
        c.sessions << QString::fromStdString(fdp.ConsumeRandomLengthString(20));
    // The body stores short strings (u8 length); longer ones are not representable.
    if (c.repId.isEmpty() || c.repId.toUtf8().size() > 255)
        return 0;
    const QString encoded = c.encode(keys.root);
    auto back = Credential::verify(encoded, keys.root.publicKey(), activityId, c.venue);
    FUZZ_CHECK(back && same(*back, c));
    return 0;
}
