// The venue package's encrypted content, reached past the signature and the encryption: the
// input is the content JSON a venue package carries; the harness writes the header that
// matches it, encrypts it to the test kiosk and the office archive key, signs with the test
// root (the same container writer and stream cipher as buildVenuePackage), then loads it
// the way KioskService::loadPackage does: open, check the certificates, parse the activity.
// Invariants: what the harness signed always verifies; the opened content agrees with the header.
#include "container.h"
#include "enrolment.h"
#include "fuzzcommon.h"
#include "venuepackage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace pingyi;

namespace {
// core/venuepackage.cpp's container constants (the format, docs/formats.md §Venue package).
constexpr char packageMagic[] = "PYVPKG";
constexpr quint16 packageVersion = 1;

QByteArray packageFor(const QByteArray &content, const fuzz::TestKeys &keys)
{
    // A header that says what the content says, so the content checks are reached.
    const QJsonObject o = QJsonDocument::fromJson(content).object();
    static const crypto::SecretBytes fileKey = fuzz::constantSecret('\x05');
    // Sealed once: sealing draws a fresh ephemeral key, and it is not what is fuzzed here.
    static const QJsonArray recipients = [&keys] {
        QJsonArray r;
        for (const auto &[id, publicKey] :
             {std::pair {keys.kioskId, keys.kioskBox.publicKey()},
              std::pair {QString::fromLatin1(packageArchiveRecipient), keys.archive.publicKey()}})
            r.append(QJsonObject {
                {QStringLiteral("id"), id},
                {QStringLiteral("key"), QString::fromLatin1(crypto::seal(publicKey, fileKey.view()).toBase64())}});
        return r;
    }();
    const QJsonObject header {
        {QStringLiteral("format"), QStringLiteral("pingyi-venue-package/v1")},
        {QStringLiteral("activity_id"), o.value(QLatin1String("activity_id")).toString()},
        {QStringLiteral("venue"), o.value(QLatin1String("venue")).toString()},
        {QStringLiteral("version"), o.value(QLatin1String("version")).toInteger()},
        {QStringLiteral("issuer"), crypto::fingerprint(keys.root.publicKey())},
        {QStringLiteral("roster_size"), qint64(o.value(QLatin1String("roster")).toArray().size())},
        {QStringLiteral("recipients"), recipients}};
    const QByteArray headerBytes = QJsonDocument(header).toJson(QJsonDocument::Compact);
    const QByteArray stream = crypto::streamEncrypt(fileKey, content, headerBytes);
    return writeContainer(packageMagic, packageVersion, {headerBytes, stream}, keys.root, crypto::domain::venuePackage);
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
    const QByteArray content(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray package = packageFor(content, keys);

    auto header = verifyVenuePackage(package, keys.root.publicKey(), {QString(), QString(), 0});
    // Only the activity check can refuse: the harness signed it with the right root.
    FUZZ_CHECK(header || header.error().code == QLatin1String("package-activity"));
    if (!header)
        return 0;
    const PackageExpectation expect {header->activityId, header->venue, 0};
    auto opened = openVenuePackage(package, keys.root.publicKey(), expect, keys.kioskId, keys.kioskBox);
    if (!opened) {
        FUZZ_CHECK(opened.error().code == QLatin1String("package-content"));
        return 0;
    }
    FUZZ_CHECK(opened->activityId == header->activityId && opened->venue == header->venue
               && opened->roster.size() == header->rosterSize && opened->rootPublicKey == keys.root.publicKey());
    auto archived = openVenuePackage(package, keys.root.publicKey(), expect, QLatin1String(packageArchiveRecipient),
                                     keys.archive);
    FUZZ_CHECK(archived && archived->roster.size() == opened->roster.size());

    // What the kiosk does with it next (KioskService::loadPackage).
    for (const QByteArray &c : opened->kioskCerts)
        (void)KioskCertificate::verify(c, keys.root.publicKey(), opened->activityId, opened->venue);
    auto activity = Activity::fromJson(opened->activityJson, QStringLiteral("venue package"));
    if (activity) {
        (void)activity->venue(opened->venue);
        auto again = Activity::fromJson(activity->canonicalJson(), QStringLiteral("canonical"));
        FUZZ_CHECK(again && again->canonicalJson() == activity->canonicalJson());
    }
    return 0;
}
