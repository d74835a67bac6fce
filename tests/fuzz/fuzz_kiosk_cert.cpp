// The kiosk certificate (KioskCertificate::verify against the HQ root), as the kiosk installs
// it and the office reads it from a batch. Invariants: the canonical bytes of a certificate
// that verifies verify to the same certificate and are a fixed point; one changed byte never
// verifies to a different certificate. The input (or the body of the envelope it is) is also
// signed with the test root as a certificate body, so the body checks are reached.
#include "enrolment.h"
#include "fuzzcommon.h"

using namespace pingyi;

namespace {
bool same(const KioskCertificate &a, const KioskCertificate &b)
{
    return a.kioskId == b.kioskId && a.signPublicKey == b.signPublicKey && a.boxPublicKey == b.boxPublicKey
        && a.activityId == b.activityId && a.venue == b.venue && a.serial == b.serial;
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
    const QByteArray resigned = fuzz::resignedEnvelope(raw, keys.root, crypto::domain::kioskCert);
    if (auto body = KioskCertificate::verify(resigned, keys.root.publicKey(), activityId, QString())) {
        auto canonical = KioskCertificate::verify(body->bytes, keys.root.publicKey(), activityId, body->venue);
        FUZZ_CHECK(canonical && same(*canonical, *body) && canonical->bytes == body->bytes);
        FUZZ_CHECK(isValidKioskId(body->kioskId)
                   && body->signPublicKey.size() == qsizetype(crypto::signPublicKeyBytes));
    }
    auto cert = KioskCertificate::verify(raw, keys.root.publicKey(), activityId, QString());
    if (!cert) {
        FUZZ_CHECK(cert.error().code.startsWith(QLatin1String("kiosk-cert-")));
        return 0;
    }
    FUZZ_CHECK(cert->activityId == activityId);
    auto canonical = KioskCertificate::verify(cert->bytes, keys.root.publicKey(), activityId, cert->venue);
    FUZZ_CHECK(canonical && same(*canonical, *cert) && canonical->bytes == cert->bytes);
    auto forged = KioskCertificate::verify(fuzz::flipOneByte(raw), keys.root.publicKey(), activityId, QString());
    FUZZ_CHECK(!forged || same(*forged, *cert));
    return 0;
}
