// The kiosk enrolment request (EnrolmentRequest::parse: signed-document envelope, self
// signature, body), as `pingyi-hq kiosk certify` reads it. Invariants: a request that parses
// is re-made identically from its key; one changed byte never parses to another kiosk id or
// key (the self signature covers them). The input (or its envelope's body) is also signed with
// the test kiosk key, so the body checks are reached when it names that key.
#include "enrolment.h"
#include "fuzzcommon.h"

using namespace pingyi;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)fuzz::testKeys();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    const fuzz::TestKeys &keys = fuzz::testKeys();
    if (auto body = EnrolmentRequest::parse(fuzz::resignedEnvelope(raw, keys.kiosk, crypto::domain::kioskRequest)))
        FUZZ_CHECK(body->signPublicKey == keys.kiosk.publicKey() && isValidKioskId(body->kioskId));
    auto request = EnrolmentRequest::parse(raw);
    if (!request) {
        FUZZ_CHECK(request.error().code.startsWith(QLatin1String("kiosk-request-")));
        return 0;
    }
    FUZZ_CHECK(isValidKioskId(request->kioskId));
    FUZZ_CHECK(request->signPublicKey.size() == qsizetype(crypto::signPublicKeyBytes));
    auto forged = EnrolmentRequest::parse(fuzz::flipOneByte(raw));
    FUZZ_CHECK(!forged || (forged->kioskId == request->kioskId && forged->signPublicKey == request->signPublicKey));
    // The office certifies what it parsed: the certificate must verify and name the same key.
    const QByteArray cert = KioskCertificate::issue(keys.root, *request, QStringLiteral("A"), QStringLiteral("V"), 1);
    auto verified = KioskCertificate::verify(cert, keys.root.publicKey(), QStringLiteral("A"), QStringLiteral("V"));
    FUZZ_CHECK(verified && verified->kioskId == request->kioskId && verified->signPublicKey == request->signPublicKey);
    return 0;
}
