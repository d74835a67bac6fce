// pingyi-hq: kiosk enrolment (request, certificate) and staff PINs.

#include "hqcli.h"

#include "enrolment.h"
#include "fileio.h"

#include <QFileInfo>
#include <QJsonObject>

namespace pingyi::hqcli {

namespace {

int cmdKioskRequest(QCommandLineParser &p)
{
    auto outPath = required(p, outOpt);
    auto keyPath = required(p, QCommandLineOption(QStringLiteral("key")));
    if (!outPath || !keyPath)
        return fail(!outPath ? outPath.error() : keyPath.error());
    if (QFileInfo::exists(*keyPath))
        return fail(makeError(QStringLiteral("exists"),
                              QStringLiteral("%1 already exists; refusing to replace a kiosk key").arg(*keyPath)));
    const auto key = crypto::SigningKey::generate();
    const QString id
        = p.isSet(QStringLiteral("id")) ? p.value(QStringLiteral("id")) : EnrolmentRequest::defaultId(key.publicKey());
    if (!isValidKioskId(id))
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--id must be 1-32 letters, digits or '-'")));
    auto pass = cli::obtainPassphrase(p.value(passOpt), QStringLiteral("Kiosk key passphrase: "), true);
    if (!pass)
        return fail(pass.error());
    crypto::KeyFileContents kf {QStringLiteral("kiosk"), key.publicKey(),
                                crypto::SecretBytes::copyOf(key.seed().view())};
    if (auto s = crypto::writeKeyFile(*keyPath, kf, *pass, crypto::KdfStrength::interactive()); !s)
        return fail(s.error());
    if (auto s = writeFileAtomic(*outPath, EnrolmentRequest::create(key, id)); !s)
        return fail(s.error());
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("kiosk_id"), id},
                   {QStringLiteral("request"), *outPath},
                   {QStringLiteral("fingerprint"), crypto::fingerprint(key.publicKey())}});
    else
        out(QStringLiteral("Kiosk %1 (key %2): request written to %3")
                .arg(id, crypto::fingerprint(key.publicKey()), *outPath));
    return Ok;
}

int cmdKioskCertify(QCommandLineParser &p)
{
    auto reqPath = required(p, QCommandLineOption(QStringLiteral("request")));
    auto venue = required(p, venueOpt);
    auto outPath = required(p, outOpt);
    for (auto *r : {&reqPath, &venue, &outPath})
        if (!*r)
            return fail(r->error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto req = readInputFile(*reqPath, InputKind::EnrolmentRequest);
    if (!req)
        return fail(req.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    QJsonObject summary;
    auto cert = h->certifyKiosk(*req, *venue, *secrets, &summary);
    if (!cert)
        return fail(cert.error());
    if (auto s = writeFileAtomic(*outPath, *cert); !s)
        return fail(s.error());
    summary.insert(QStringLiteral("certificate"), *outPath);
    if (p.isSet(jsonOpt))
        printJson(summary);
    else
        out(QStringLiteral("Certified kiosk %1 (key %2) for venue %3: %4\n"
                           "Compare the key with the one the kiosk shows before loading the certificate.")
                .arg(summary.value(QLatin1String("kiosk_id")).toString(),
                     summary.value(QLatin1String("kiosk_fingerprint")).toString(), *venue, *outPath));
    return Ok;
}

int cmdStaff(QCommandLineParser &p)
{
    auto venue = required(p, venueOpt);
    if (!venue)
        return fail(venue.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    // New PINs lock out the old ones at the next package: only the office may issue them.
    if (auto secrets = unlock(p, *h); !secrets)
        return fail(secrets.error());
    auto pins = h->issueStaffPins(*venue);
    if (!pins)
        return fail(pins.error());
    if (p.isSet(jsonOpt)) {
        QJsonObject o {{QStringLiteral("venue"), *venue}};
        for (const auto &pin : *pins)
            o.insert(pin.role, pin.pin);
        printJson(o);
    } else {
        out(QStringLiteral("Staff PINs for venue %1 (shown once; only their hashes are kept):").arg(*venue));
        for (const auto &pin : *pins)
            out(QStringLiteral("  %1 %2").arg(pin.role, -12).arg(pin.pin));
        out(QStringLiteral("Build the venue package again so the kiosks get the new PINs."));
    }
    return Ok;
}

} // namespace

std::vector<Command> kioskCommands()
{
    return {
        {QStringLiteral("kiosk request"), QStringLiteral("kiosk request --out REQ --key KEYFILE [--id ID]"),
         QStringLiteral(
             "Create a kiosk key and its enrolment request (for tests and rehearsals; kiosks do this themselves)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(passOpt);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("key"), QStringLiteral("Where to write the kiosk key file."),
                          QStringLiteral("KEYFILE")});
             p.addOption({QStringLiteral("id"), QStringLiteral("Kiosk id (default derived from the key)."),
                          QStringLiteral("ID")});
         },
         cmdKioskRequest},
        {QStringLiteral("kiosk certify"), QStringLiteral("kiosk certify --hq DIR --request REQ --venue V --out CERT"),
         QStringLiteral("Answer a kiosk's enrolment request with a certificate bound to the activity and venue."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("request"), QStringLiteral("Enrolment request file."), QStringLiteral("REQ")});
             p.addOption(venueOpt);
             p.addOption(outOpt);
         },
         cmdKioskCertify},
        {QStringLiteral("staff"), QStringLiteral("staff --hq DIR --venue V"),
         QStringLiteral(
             "Generate staff PINs (staff, lead, technician) for a venue; prints them once, stores only hashes."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(venueOpt);
         },
         cmdStaff},
    };
}

} // namespace pingyi::hqcli
