// Test helper for test_crash: opens a kiosk state directory and casts ballots in a loop,
// printing "ACK <receipt>" only after cast() returned success (the ballot is durable).
// The test kills this process with SIGKILL at random moments.
// Usage: kiosk_caster STATE_DIR CREDENTIALS_FILE SEED
//
// The kill matrix's other transitions, one per run (kiosk_caster --step NAME ...):
//   cert STATE_DIR CERT_FILE                  install the office's certificate
//   package STATE_DIR PACKAGE_FILE            load the venue package
//   open|pause|resume|close STATE_DIR PIN SESSION
//   export STATE_DIR PIN SESSION TARGET_DIR
// prints "ARMED" just before the transition starts (after opening the kiosk and logging
// in) and "DONE" once it returned success; errors go to stderr with exit status 5.
// Under the killpoint library (killpoint.cpp) the count of writes starts at "ARMED".

#include "activity.h"
#include "clock.h"
#include "fileio.h"
#include "kioskservice.h"

#include <QCoreApplication>

#include <cstdio>
#include <dlfcn.h>
#include <random>

using namespace pingyi;

namespace {

/// One transition of the kiosk's state; the killpoint library (if preloaded) counts from here.
int runStep(const QStringList &args)
{
    const QString step = args.value(0);
    const QString stateDir = args.value(1);
    SystemClock clock;
    auto k = kiosk::KioskService::open(stateDir, clock);
    if (!k) {
        std::fprintf(stderr, "open: %s\n", qPrintable(k.error().message));
        return 3;
    }
    kiosk::KioskService &kiosk = **k;
    const bool staffStep = step != QLatin1String("cert") && step != QLatin1String("package");
    if (staffStep) {
        if (auto r = kiosk.login(args.value(2)); !r) {
            std::fprintf(stderr, "login: %s\n", qPrintable(r.error().message));
            return 3;
        }
    }
    const kiosk::SessionKey key {args.value(3), false};
    QByteArray input;
    if (!staffStep) {
        auto bytes = readFile(args.value(2));
        if (!bytes) {
            std::fprintf(stderr, "read: %s\n", qPrintable(bytes.error().message));
            return 3;
        }
        input = *bytes;
    }
    if (auto arm = reinterpret_cast<void (*)()>(dlsym(RTLD_DEFAULT, "pingyi_killpoint_arm")))
        arm();
    std::printf("ARMED\n");
    std::fflush(stdout);
    Status s;
    if (step == QLatin1String("cert"))
        s = kiosk.completeEnrolment(input);
    else if (step == QLatin1String("package"))
        s = kiosk.loadPackage(input);
    else if (step == QLatin1String("open"))
        s = Status::from(kiosk.openSession(key));
    else if (step == QLatin1String("pause"))
        s = kiosk.pauseSession(key);
    else if (step == QLatin1String("resume"))
        s = kiosk.resumeSession(key);
    else if (step == QLatin1String("close"))
        s = Status::from(kiosk.closeSession(key));
    else if (step == QLatin1String("export"))
        s = Status::from(kiosk.exportSession(key, args.value(4)));
    else {
        std::fprintf(stderr, "unknown step %s\n", qPrintable(step));
        return 2;
    }
    if (!s) {
        std::fprintf(stderr, "%s: %s\n", qPrintable(step), qPrintable(s.error().message));
        return 5;
    }
    std::printf("DONE\n");
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc >= 4 && QByteArray(argv[1]) == "--step")
        return runStep(app.arguments().mid(2));
    if (argc != 4)
        return 2;
    SystemClock clock;
    auto k = kiosk::KioskService::open(QString::fromLocal8Bit(argv[1]), clock);
    if (!k) {
        std::fprintf(stderr, "open: %s\n", qPrintable(k.error().message));
        return 3;
    }
    const QList<QByteArray> creds = readFile(QString::fromLocal8Bit(argv[2]))->split('\n');
    std::mt19937_64 rng(QByteArray(argv[3]).toULongLong());
    const Activity &a = (*k)->activity();
    const auto current = (*k)->currentSession();
    if (!current)
        return 4;
    std::printf("READY\n");
    std::fflush(stdout);
    const qsizetype start = qsizetype(rng() % quint64(creds.size()));
    for (qsizetype i = 0; i < creds.size(); ++i) {
        const QByteArray &c = creds[(start + i) % creds.size()];
        if (c.isEmpty())
            continue;
        auto in = (*k)->checkInCredential(QString::fromLatin1(c));
        if (!in)
            continue; // already voted in an earlier life
        BallotAnswers b;
        b.session = current->code;
        for (const Department &d : a.session(current->code)->departments)
            b.ratings.insert(d.code, a.scale[int(rng() % a.scale.size())].code);
        for (const Question &q : a.questionnaire)
            b.questionnaire.insert(q.code, {q.choices[int(rng() % q.choices.size())].code});
        for (const Question &q : a.discipline)
            b.discipline.insert(q.code, {q.choices[int(rng() % q.choices.size())].code});
        if (rng() % 10 == 0) { // some voters walk away
            (void)(*k)->release(kiosk::ReleaseReason::Idle);
            continue;
        }
        auto r = (*k)->cast(b, {});
        if (!r) {
            std::fprintf(stderr, "cast: %s\n", qPrintable(r.error().message));
            return 5;
        }
        std::printf("ACK %s\n", qPrintable(r->code));
        std::fflush(stdout);
    }
    std::printf("DONE\n");
    return 0;
}
