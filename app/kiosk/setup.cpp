#include "setup.h"

#include "clock.h"
#include "crypto.h"
#include "enrolment.h"
#include "fileio.h"
#include "kioskservice.h"
#include "passphrase.h"
#include "redact.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>

#include <cstdio>

namespace pingyi::kiosk {

namespace {

void say(const QString &line)
{
    std::fprintf(stdout, "%s\n", qPrintable(line));
    std::fflush(stdout);
}

int refuse(const QString &message, int code = 1)
{
    std::fprintf(stderr, "pingyi-kiosk setup: error: %s\n", qPrintable(message));
    return code;
}

QString stateName(Provisioning p)
{
    switch (p) {
    case Provisioning::Unenrolled:
        return QStringLiteral("unenrolled (未登记): make the enrolment request with `pingyi-kiosk setup request`");
    case Provisioning::AwaitingCertificate:
        return QStringLiteral("waiting for the certificate (待发证书): install it with `pingyi-kiosk setup certificate "
                              "FILE`");
    case Provisioning::AwaitingPackage:
        return QStringLiteral("waiting for the venue package (待装数据包): load it with `pingyi-kiosk setup package "
                              "FILE`");
    case Provisioning::Ready:
        return QStringLiteral("ready (就绪)");
    }
    return {};
}

int status(KioskService &k)
{
    say(QStringLiteral("state:            %1").arg(stateName(k.provisioning())));
    say(QStringLiteral("kiosk key:        %1").arg(k.fingerprint()));
    if (k.provisioning() != Provisioning::Unenrolled) {
        say(QStringLiteral("kiosk id:         %1").arg(k.kioskId()));
        say(QStringLiteral("office root key:  %1").arg(k.rootFingerprint()));
    }
    if (k.provisioning() == Provisioning::Ready) {
        say(QStringLiteral("activity:         %1 (%2)").arg(k.activity().name, k.activityId()));
        say(QStringLiteral("venue:            %1, package version %2").arg(k.venue()).arg(k.packageVersion()));
    }
    return 0;
}

} // namespace

bool isSetupCommand(int argc, char **argv)
{
    return argc >= 2 && qstrcmp(argv[1], "setup") == 0;
}

int runSetup(int argc, char **argv)
{
    // The office passphrase has no business here: a PIN is never taken from the environment.
    qunsetenv("PINGYI_PASSPHRASE");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pingyi-kiosk"));
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Technician's setup of a kiosk, from a console:\n"
                       "  pingyi-kiosk setup status\n"
                       "  pingyi-kiosk setup request --id ID --root-key ROOT.pub --out REQUEST\n"
                       "  pingyi-kiosk setup certificate CERT\n"
                       "  pingyi-kiosk setup package PACKAGE [--pin-file FILE]\n"
                       "  pingyi-kiosk setup wipe-venue-ledger [--pin-file FILE]   (after the activity)\n"
                       "Compare the fingerprints it prints with the office's before you go on."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("setup"), QStringLiteral("setup"));
    p.addPositionalArgument(QStringLiteral("step"), QStringLiteral("status, request, certificate or package"));
    p.addOptions({
        {QStringLiteral("state"), QStringLiteral("Kiosk state directory."), QStringLiteral("DIR"),
         QStringLiteral("/var/lib/pingyi-kiosk")},
        {QStringLiteral("id"), QStringLiteral("Kiosk id for the request (1-32 letters, digits, '-')."),
         QStringLiteral("ID")},
        {QStringLiteral("root-key"), QStringLiteral("The office's root.pub."), QStringLiteral("FILE")},
        {QStringLiteral("out"), QStringLiteral("Where to write the enrolment request."), QStringLiteral("FILE")},
        {QStringLiteral("pin-file"),
         QStringLiteral("Technician PIN, first line of FILE (else asked on the terminal); needed to replace a "
                        "loaded package."),
         QStringLiteral("FILE")},
    });
    p.process(app);
    const QStringList args = p.positionalArguments();
    if (args.size() < 2)
        return refuse(QStringLiteral("say which step: status, request, certificate or package (see --help)"), 2);
    const QString step = args[1];

    SystemClock clock;
    auto opened = KioskService::open(p.value(QStringLiteral("state")), clock);
    if (!opened)
        return refuse(QStringLiteral("cannot open the kiosk state in %1: %2")
                          .arg(p.value(QStringLiteral("state")), opened.error().toString()));
    KioskService &k = **opened;

    if (step == QLatin1String("status"))
        return status(k);

    if (step == QLatin1String("request")) {
        for (const char *o : {"id", "root-key", "out"})
            if (p.value(QLatin1String(o)).isEmpty())
                return refuse(QStringLiteral("--%1 is required for the request (see --help)").arg(QLatin1String(o)), 2);
        auto bytes = readInputFile(p.value(QStringLiteral("root-key")), InputKind::PublicKey);
        if (!bytes)
            return refuse(bytes.error().message);
        auto root = parseRootPublicFile(*bytes, p.value(QStringLiteral("root-key")));
        if (!root)
            return refuse(root.error().message);
        auto request = k.beginEnrolment(p.value(QStringLiteral("id")), *root);
        if (!request)
            return refuse(request.error().toString());
        if (auto s = writeFileAtomic(p.value(QStringLiteral("out")), *request); !s)
            return refuse(s.error().message);
        say(QStringLiteral("Enrolment request for kiosk %1 written to %2.")
                .arg(k.kioskId(), p.value(QStringLiteral("out"))));
        say(QStringLiteral("  office root key pinned: %1  <- must equal the fingerprint written down at `pingyi-hq "
                           "init`")
                .arg(crypto::fingerprint(*root)));
        say(QStringLiteral("  this kiosk's key:       %1  <- write it down; the office compares it when it "
                           "certifies")
                .arg(k.fingerprint()));
        return 0;
    }

    auto technician = [&]() -> Status {
        auto pin = cli::obtainPassphrase(p.value(QStringLiteral("pin-file")), QStringLiteral("Technician PIN: "), false,
                                         false);
        if (!pin)
            return pin.error();
        auto role = k.login(
            QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(pin->data()), qsizetype(pin->size()))));
        if (!role)
            return role.error();
        if (*role != Role::Technician)
            return makeError(QStringLiteral("role"), QStringLiteral("this needs the venue's technician PIN"));
        return {};
    };
    if (step == QLatin1String("wipe-venue-ledger")) {
        if (auto s = technician(); !s)
            return refuse(s.error().toString());
        auto wiped = k.wipeVenueLedger();
        if (!wiped)
            return refuse(wiped.error().toString());
        say(QStringLiteral("The venue's shared check-in ledger on this kiosk is wiped (%1 file(s) overwritten and "
                           "removed). Do the same on every kiosk of the venue.")
                .arg(*wiped));
        return 0;
    }

    if (args.size() != 3)
        return refuse(QStringLiteral("give exactly one FILE after `%1`").arg(step), 2);
    auto file = readInputFile(args[2],
                              step == QLatin1String("certificate") ? InputKind::Certificate : InputKind::VenuePackage);
    if (!file)
        return refuse(file.error().message);

    if (step == QLatin1String("certificate")) {
        if (auto s = k.completeEnrolment(*file); !s)
            return refuse(s.error().toString());
        say(QStringLiteral("Certificate installed: kiosk %1 serves venue %2. Now load the venue package the office "
                           "built after certifying it.")
                .arg(k.kioskId(), k.venue()));
        return 0;
    }
    if (step == QLatin1String("package")) {
        if (k.provisioning() == Provisioning::Ready) {
            // Replacing a loaded package is a technician's act, as on the touchscreen.
            auto pin = cli::obtainPassphrase(p.value(QStringLiteral("pin-file")), QStringLiteral("Technician PIN: "),
                                             false, false);
            if (!pin)
                return refuse(pin.error().message);
            auto role = k.login(
                QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(pin->data()), qsizetype(pin->size()))));
            if (!role)
                return refuse(role.error().toString());
            if (*role != Role::Technician)
                return refuse(QStringLiteral("only the venue's technician may replace the venue package; give the "
                                             "technician PIN"));
        }
        if (auto s = k.loadPackage(*file); !s)
            return refuse(s.error().toString());
        say(QStringLiteral("Venue package loaded: %1, venue %2, version %3. The kiosk is ready.")
                .arg(k.activityId(), k.venue())
                .arg(k.packageVersion()));
        return 0;
    }
    return refuse(QStringLiteral("unknown step %1: use status, request, certificate or package").arg(quoteInput(step)),
                  2);
}

} // namespace pingyi::kiosk
