// pingyi-sim: runs a simulated group session at one venue through the real kiosk service.

#include "fileio.h"
#include "passphrase.h"
#include "simulator.h"
#include "venuekioskledger.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <cstdio>

using namespace pingyi;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pingyi-sim"));
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false"));
    // One kiosk of --shared, started by pingyi-sim itself: its job comes on stdin.
    if (argc == 2 && qstrcmp(argv[1], "--venue-kiosk") == 0)
        return sim::runVenueKiosk(venue::sharedLedgerFactory());
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Simulates one group session at a venue: enrols K kiosks with the HQ directory, loads the venue "
                       "package, lets N "
                       "representatives vote through the real kiosk service, closes and exports K batch files."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("hq"), QStringLiteral("HQ directory."), QStringLiteral("DIR")},
        {QStringLiteral("venue"), QStringLiteral("Venue code."), QStringLiteral("V")},
        {QStringLiteral("session"), QStringLiteral("Group session code."), QStringLiteral("GROUP")},
        {QStringLiteral("kiosks"), QStringLiteral("Number of kiosks (default 1)."), QStringLiteral("K"),
         QStringLiteral("1")},
        {QStringLiteral("voters"), QStringLiteral("Number of representatives who come."), QStringLiteral("N")},
        {QStringLiteral("out"), QStringLiteral("Directory for the batches and kiosk state."), QStringLiteral("DIR")},
        {QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("S"), QStringLiteral("1")},
        {QStringLiteral("rehearsal"), QStringLiteral("Run a rehearsal session.")},
        {QStringLiteral("truth"), QStringLiteral("Write what was cast to FILE (for tests)."), QStringLiteral("FILE")},
        {QStringLiteral("passphrase-file"),
         QStringLiteral("HQ passphrase file (else PINGYI_PASSPHRASE, else a prompt)."), QStringLiteral("FILE")},
        {QStringLiteral("kiosk-state"),
         QStringLiteral("State directory of a kiosk the office enrolled (repeatable): drive these instead of enrolling "
                        "--kiosks fresh ones."),
         QStringLiteral("DIR")},
        {QStringLiteral("shared"),
         QStringLiteral(
             "The venue's kiosks share check-ins (the venue network, issue 13): each kiosk runs as a process "
             "of its own on 127.0.0.1, and a share of representatives tries a second kiosk. Prints double "
             "votes (must be 0) and refusals.")},
        {QStringLiteral("second-attempts"),
         QStringLiteral("With --shared: share of representatives who also try another kiosk (default 0.1)."),
         QStringLiteral("P"), QStringLiteral("0.1")},
        {QStringLiteral("technician-pin-file"),
         QStringLiteral("File with the technician PIN of the package the --kiosk-state kiosks already hold."),
         QStringLiteral("FILE")},
    });
    p.process(app);
    auto fail = [](const QString &m, int code) {
        std::fprintf(stderr, "pingyi-sim: error: %s\n", qPrintable(m));
        return code;
    };
    for (const char *required : {"hq", "venue", "session", "voters", "out"})
        if (p.value(QLatin1String(required)).isEmpty())
            return fail(QStringLiteral("--%1 is required (see --help)").arg(QLatin1String(required)), 2);
    sim::Options o;
    bool ok1 = false, ok2 = false, ok3 = false;
    o.hqDir = p.value(QStringLiteral("hq"));
    o.venue = p.value(QStringLiteral("venue"));
    o.session = p.value(QStringLiteral("session"));
    o.kiosks = p.value(QStringLiteral("kiosks")).toInt(&ok1);
    o.voters = p.value(QStringLiteral("voters")).toInt(&ok2);
    o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok3);
    o.outDir = p.value(QStringLiteral("out"));
    o.rehearsal = p.isSet(QStringLiteral("rehearsal"));
    o.kioskStates = p.values(QStringLiteral("kiosk-state"));
    if (p.isSet(QStringLiteral("technician-pin-file"))) {
        auto pin = readFile(p.value(QStringLiteral("technician-pin-file")), 1024);
        if (!pin)
            return fail(pin.error().message, 1);
        o.technicianPin = QString::fromUtf8(*pin).trimmed();
    }
    if (!o.kioskStates.isEmpty())
        o.kiosks = int(o.kioskStates.size());
    if (!ok1 || !ok2 || !ok3 || o.voters < 0)
        return fail(QStringLiteral("--kiosks, --voters and --seed must be whole numbers"), 2);
    auto pass
        = cli::obtainPassphrase(p.value(QStringLiteral("passphrase-file")), QStringLiteral("HQ passphrase: "), false);
    if (!pass)
        return fail(pass.error().message, 1);
    if (p.isSet(QStringLiteral("shared"))) {
        bool okRate = false;
        o.secondAttemptRate = p.value(QStringLiteral("second-attempts")).toDouble(&okRate);
        if (!okRate)
            return fail(QStringLiteral("--second-attempts must be a number between 0 and 1"), 2);
        auto r = sim::runShared(o, *pass, QCoreApplication::applicationFilePath());
        if (!r)
            return fail(r.error().toString(), r.error().code == QLatin1String("usage") ? 2 : 1);
        std::printf("Session %s%s at %s, %d kiosks sharing check-ins: %lld representatives, %lld attempts "
                    "(%lld second attempts) in %.1f s\n",
                    qPrintable(o.session), o.rehearsal ? " (rehearsal)" : "", qPrintable(o.venue), r->kiosks, r->voters,
                    r->attempts, r->secondAttempts, r->seconds);
        std::printf("  ballots: %lld\n  double votes: %lld\n  refusals: %lld (naming the kiosk that holds the "
                    "check-in: %lld)\n",
                    r->ballots, r->doubleVotes, r->refusals, r->refusalsNamingHolder);
        for (auto it = r->otherErrors.cbegin(); it != r->otherErrors.cend(); ++it)
            std::printf("  other refusals %s: %lld\n", qPrintable(it.key()), it.value());
        for (const QString &b : r->batches)
            std::printf("  %s\n", qPrintable(b));
        const bool sound = r->doubleVotes == 0 && r->refusals == r->refusalsNamingHolder && r->otherErrors.isEmpty();
        if (!sound)
            std::fprintf(stderr,
                         "pingyi-sim: error: the shared check-in let a double vote through, or a refusal did "
                         "not name the kiosk holding the check-in, or a check-in failed otherwise\n");
        return sound ? 0 : 1;
    }
    QElapsedTimer t;
    t.start();
    auto r = sim::run(o, *pass);
    if (!r)
        return fail(r.error().toString(), 1);
    if (p.isSet(QStringLiteral("truth"))) {
        if (auto s = writeFileAtomic(p.value(QStringLiteral("truth")),
                                     QJsonDocument(r->truth).toJson(QJsonDocument::Indented));
            !s)
            return fail(s.error().message, 1);
    }
    std::printf("Session %s%s at %s: %lld ballots, %lld released, %lld suggestions on %d kiosk(s) in %.1f s\n",
                qPrintable(o.session), o.rehearsal ? " (rehearsal)" : "", qPrintable(o.venue), r->ballots, r->released,
                r->suggestions, int(r->batches.size()), double(t.elapsed()) / 1000.0);
    for (const QString &b : r->batches)
        std::printf("  %s\n", qPrintable(b));
    return 0;
}
