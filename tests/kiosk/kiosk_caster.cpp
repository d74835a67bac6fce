// Test helper for test_crash: opens a kiosk state directory and casts ballots in a loop,
// printing "ACK <receipt>" only after cast() returned success (the ballot is durable).
// The test kills this process with SIGKILL at random moments.
// Usage: kiosk_caster STATE_DIR CREDENTIALS_FILE SEED

#include "activity.h"
#include "clock.h"
#include "fileio.h"
#include "kioskservice.h"

#include <QCoreApplication>

#include <cstdio>
#include <random>

using namespace pingyi;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
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
