#include "simulator.h"

#include "ballot.h"
#include "clock.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "hqstore.h"
#include "kioskservice.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>

#include <random>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pingyi::sim {

namespace {

using kiosk::KioskService;

struct Voter {
    QString repId;
    QString credential;
};

class Rng {
public:
    explicit Rng(quint64 seed) : m_engine(seed) { }
    int below(int n) { return int(m_engine() % quint64(n)); }
    bool chance(double p) { return double(m_engine() % 1000000) / 1e6 < p; }
    template<typename T> void shuffle(QList<T> &list)
    {
        for (qsizetype i = list.size() - 1; i > 0; --i)
            list.swapItemsAt(i, below(int(i + 1)));
    }

private:
    std::mt19937_64 m_engine;
};

QStringList pick(Rng &rng, const Question &q)
{
    QList<Choice> choices = q.choices;
    rng.shuffle(choices);
    const int max = q.kind == Question::Kind::Single ? 1 : q.maxChoices;
    const int n = 1 + rng.below(max);
    QStringList out;
    for (int i = 0; i < n; ++i)
        out << choices[i].code;
    return out;
}

BallotAnswers randomBallot(Rng &rng, const Activity &a, const GroupSession &s)
{
    BallotAnswers b;
    b.session = s.code;
    // Most representatives are satisfied; a realistic skew makes tallies non-trivial.
    const int weights[] = {55, 25, 12, 8};
    for (const Department &d : s.departments) {
        int roll = rng.below(100);
        int option = 0;
        while (option + 1 < a.scale.size() && roll >= weights[std::min(option, 3)]) {
            roll -= weights[std::min(option, 3)];
            ++option;
        }
        b.ratings.insert(d.code, a.scale[option].code);
    }
    for (const Question &q : a.questionnaire)
        if (q.required || rng.chance(0.7))
            b.questionnaire.insert(q.code, pick(rng, q));
    for (const Question &q : a.discipline) {
        // Mostly the reassuring answer (the last choice is "no" in the demo), sometimes not.
        if (q.choices.size() == 2 && !rng.chance(0.04))
            b.discipline.insert(q.code, {q.choices.last().code});
        else
            b.discipline.insert(q.code, pick(rng, q));
    }
    return b;
}

QJsonObject answersJson(const QMap<QString, QStringList> &m)
{
    QJsonObject o;
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        o.insert(it.key(), QJsonArray::fromStringList(it.value()));
    return o;
}

/// The `o.voters` representatives of group `o.session` at `o.venue` the run simulates, drawn
/// from the venue's roster with `rng`.
Result<QList<Voter>> drawVoters(hq::Hq &hq, const hq::Secrets &secrets, const Options &o, Rng &rng)
{
    auto cards = hq.cards(secrets, o.venue);
    if (!cards)
        return cards.error();
    QList<Voter> pool;
    for (const hq::Card &c : *cards)
        if (c.sessions.contains(o.session))
            pool.append({c.repId, c.credential});
    if (o.voters > pool.size())
        return makeError(
            QStringLiteral("usage"),
            QStringLiteral("only %1 representatives of group %2 are on the roster of venue %3; asked for %4")
                .arg(pool.size())
                .arg(o.session, o.venue)
                .arg(o.voters));
    rng.shuffle(pool);
    return pool.mid(0, o.voters);
}

} // namespace

Result<std::unique_ptr<KioskService>> enrolKiosk(hq::Hq &hq, const hq::Secrets &secrets, const QString &venue,
                                                 const QString &stateDir, const QString &kioskId, const Clock &clock,
                                                 kiosk::Options options)
{
    auto service = KioskService::open(stateDir, clock, options);
    if (!service)
        return service.error();
    auto request = (*service)->beginEnrolment(kioskId, hq.rootPublicKey());
    if (!request)
        return request.error();
    auto cert = hq.certifyKiosk(*request, venue, secrets, nullptr);
    if (!cert)
        return cert.error();
    if (auto s = (*service)->completeEnrolment(*cert); !s)
        return s.error();
    return service;
}

/// Opens a kiosk the office enrolled earlier; refuses one that is not enrolled at `venue`.
Result<std::unique_ptr<KioskService>> openEnrolled(hq::Hq &hq, const QString &venue, const QString &stateDir,
                                                   const Clock &clock)
{
    if (!QFileInfo::exists(QDir(stateDir).filePath(QStringLiteral("kiosk.db"))))
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--kiosk-state %1 holds no kiosk state (no kiosk.db): give the state "
                                        "directory of a kiosk the office enrolled")
                             .arg(stateDir));
    auto service = KioskService::open(stateDir, clock);
    if (!service)
        return service.error();
    KioskService &k = **service;
    if (k.provisioning() != kiosk::Provisioning::AwaitingPackage && k.provisioning() != kiosk::Provisioning::Ready)
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("the kiosk in %1 is not enrolled yet (no certificate): enrol it first "
                                        "(pingyi-hq kiosk certify)")
                             .arg(stateDir));
    auto st = hq.db().prepare("SELECT venue FROM kiosk WHERE kiosk_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, k.kioskId());
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row || st->text(0) != venue)
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("kiosk %1 (%2) is %3: give state directories of kiosks enrolled at venue %4 "
                                        "by this office")
                             .arg(k.kioskId(), stateDir,
                                  *row ? QStringLiteral("enrolled at venue %1").arg(st->text(0))
                                       : QStringLiteral("not enrolled by this office"),
                                  venue));
    return service;
}

Result<Outcome> run(const Options &o, const crypto::SecretBytes &passphrase)
{
    if (o.kioskStates.isEmpty() && (o.kiosks < 1 || o.kiosks > 99))
        return makeError(QStringLiteral("usage"), QStringLiteral("--kiosks must be between 1 and 99"));
    auto hq = hq::Hq::open(o.hqDir);
    if (!hq)
        return hq.error();
    auto activity = hq->activity();
    if (!activity)
        return activity.error();
    const GroupSession *session = activity->session(o.session);
    if (!session || !activity->sessionHeldAt(o.session, o.venue))
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("group session %1 is not held at venue %2").arg(o.session, o.venue));
    auto secrets = hq->unlock(passphrase);
    if (!secrets)
        return secrets.error();
    Rng rng(o.seed);
    auto drawn = drawVoters(*hq, *secrets, o, rng);
    if (!drawn)
        return drawn.error();
    const QList<Voter> pool = std::move(drawn).value();

    if (!QDir().mkpath(o.outDir))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(o.outDir));
    static const SystemClock clock;
    std::vector<std::unique_ptr<KioskService>> kiosks;
    std::vector<bool> holdsPackage;
    for (const QString &dir : o.kioskStates) {
        auto service = openEnrolled(*hq, o.venue, dir, clock);
        if (!service)
            return service.error();
        holdsPackage.push_back((*service)->provisioning() == kiosk::Provisioning::Ready);
        if (holdsPackage.back() && o.technicianPin.isEmpty())
            return makeError(QStringLiteral("usage"),
                             QStringLiteral("kiosk %1 already holds a venue package: give its technician PIN "
                                            "(--technician-pin-file) so that a package with fresh staff PINs can be "
                                            "loaded")
                                 .arg((*service)->kioskId()));
        kiosks.push_back(std::move(service).value());
    }
    // Otherwise fresh kiosks each run: new keys, ids with a random suffix so runs never collide.
    const QString suffix = QString::fromLatin1(crypto::randomBytes(3).toHex());
    for (int k = 1; o.kioskStates.isEmpty() && k <= o.kiosks; ++k) {
        const QString id = QStringLiteral("%1-%2-%3").arg(o.venue.left(16)).arg(k).arg(suffix);
        auto service = enrolKiosk(*hq, *secrets, o.venue, QDir(o.outDir).filePath(QStringLiteral("kiosk-state/") + id),
                                  id, clock);
        if (!service)
            return service.error();
        kiosks.push_back(std::move(service).value());
    }
    auto pins = hq->issueStaffPins(o.venue);
    if (!pins)
        return pins.error();
    auto package = hq->buildPackage(o.venue, *secrets, nullptr);
    if (!package)
        return package.error();
    QString staffPin, leadPin;
    for (const auto &p : *pins) {
        if (p.role == QLatin1String("staff"))
            staffPin = p.pin;
        if (p.role == QLatin1String("lead"))
            leadPin = p.pin;
    }
    const kiosk::SessionKey key {o.session, o.rehearsal};
    for (std::size_t i = 0; i < kiosks.size(); ++i) {
        auto &k = kiosks[i];
        if (i < holdsPackage.size() && holdsPackage[i]) {
            if (auto r = k->login(o.technicianPin); !r)
                return makeError(r.error().code,
                                 QStringLiteral("kiosk %1: the technician PIN given is not accepted: %2")
                                     .arg(k->kioskId(), r.error().message));
        }
        if (auto s = k->loadPackage(*package); !s)
            return s.error();
        if (auto r = k->login(staffPin); !r)
            return r.error();
        if (auto r = k->openSession(key); !r)
            return r.error();
    }

    // Staff overrides only where the activity allows them (an activity may accept the
    // credential alone).
    const double overrideRate
        = activity->identityMethods.contains(identityMethodName(IdentityMethod::Override)) ? o.overrideRate : 0.0;
    Outcome out;
    QJsonArray ballots, suggestions;
    QHash<QString, QJsonArray> receipts;
    for (int i = 0; i < pool.size(); ++i) {
        KioskService &k = *kiosks[size_t(rng.below(int(kiosks.size())))];
        const Voter &v = pool[i];
        Result<kiosk::CheckIn> checkIn = makeError(QString(), QString());
        if (overrideRate > 0 && rng.chance(overrideRate)) {
            if (auto r = k.login(leadPin); !r)
                return r.error();
            checkIn = k.checkIn(OverrideEvidence {v.repId, QStringLiteral("simulated: card damaged")});
            k.logout();
        } else {
            checkIn = k.checkIn(CredentialEvidence {v.credential});
        }
        if (!checkIn)
            return makeError(
                checkIn.error().code,
                QStringLiteral("simulated check-in of %1 refused: %2").arg(v.repId, checkIn.error().message));
        if (rng.chance(o.abandonRate)) {
            if (auto s = k.release(rng.chance(0.5) ? kiosk::ReleaseReason::Idle : kiosk::ReleaseReason::Cancelled); !s)
                return s.error();
            ++out.released;
            continue;
        }
        const BallotAnswers b = randomBallot(rng, *activity, *session);
        QList<Suggestion> sg;
        if (rng.chance(o.suggestionRate)) {
            const SuggestionTopic &t = activity->suggestionTopics[rng.below(int(activity->suggestionTopics.size()))];
            const Department &d = session->departments[rng.below(int(session->departments.size()))];
            sg.append({o.session, t.code, rng.chance(0.8) ? d.code : QString(),
                       QStringLiteral("模拟建议：希望%1进一步改进%2方面的工作。").arg(d.name, t.name)});
        }
        auto receipt = k.cast(b, sg);
        if (!receipt)
            return receipt.error();
        ++out.ballots;
        out.suggestions += sg.size();
        QJsonObject ratings;
        for (auto it = b.ratings.cbegin(); it != b.ratings.cend(); ++it)
            ratings.insert(it.key(), it.value());
        ballots.append(QJsonObject {{QStringLiteral("ratings"), ratings},
                                    {QStringLiteral("questionnaire"), answersJson(b.questionnaire)},
                                    {QStringLiteral("discipline"), answersJson(b.discipline)}});
        for (const Suggestion &s : sg)
            suggestions.append(QJsonObject {{QStringLiteral("topic"), s.topic},
                                            {QStringLiteral("department"), s.department},
                                            {QStringLiteral("text"), s.text}});
        receipts[k.kioskId()].append(receipt->code);
    }
    // Ballots and suggestions in the truth file are shuffled and receipts sorted: it must
    // not teach anyone the cast order.
    QList<QJsonValue> shuffled(ballots.begin(), ballots.end());
    rng.shuffle(shuffled);
    QList<QJsonValue> shuffledSuggestions(suggestions.begin(), suggestions.end());
    rng.shuffle(shuffledSuggestions);
    suggestions = QJsonArray();
    for (const QJsonValue &v : shuffledSuggestions)
        suggestions.append(v);
    for (auto it = receipts.begin(); it != receipts.end(); ++it) {
        QStringList sorted;
        for (const QJsonValue &r : it.value())
            sorted << r.toString();
        sorted.sort();
        it.value() = QJsonArray::fromStringList(sorted);
    }

    QJsonArray kioskInfo;
    for (auto &k : kiosks) {
        if (auto r = k->login(staffPin); !r) // an override logged the lead out again
            return r.error();
        auto report = k->closeSession(key);
        if (!report)
            return report.error();
        auto exported = k->exportSession(key, o.outDir);
        if (!exported)
            return exported.error();
        out.batches << exported->path;
        kioskInfo.append(QJsonObject {{QStringLiteral("kiosk"), k->kioskId()},
                                      {QStringLiteral("batch"), QFileInfo(exported->path).fileName()},
                                      {QStringLiteral("checkins"), exported->counts.checkins},
                                      {QStringLiteral("ballots"), exported->counts.ballots},
                                      {QStringLiteral("released"), exported->counts.released},
                                      {QStringLiteral("suggestions"), exported->counts.suggestions},
                                      {QStringLiteral("closing_report"), report->qrPayload},
                                      {QStringLiteral("receipts"), receipts.value(k->kioskId())}});
    }
    QJsonArray ballotArray;
    for (const QJsonValue &v : shuffled)
        ballotArray.append(v);
    out.truth = QJsonObject {{QStringLiteral("activity"), activity->id},   {QStringLiteral("venue"), o.venue},
                             {QStringLiteral("session"), o.session},       {QStringLiteral("rehearsal"), o.rehearsal},
                             {QStringLiteral("voters"), o.voters},         {QStringLiteral("ballots"), ballotArray},
                             {QStringLiteral("suggestions"), suggestions}, {QStringLiteral("released"), out.released},
                             {QStringLiteral("kiosks"), kioskInfo}};
    return out;
}

// ---- pingyi-sim --shared: the venue's kiosks as processes sharing check-ins ----------------

namespace {

/// A loopback port nobody listens on right now (the kernel picks it).
int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in sa {};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len) == 0)
        port = ntohs(sa.sin_port);
    ::close(fd);
    return port;
}

/// The next line a child process writes, within the deadline; empty when none came.
QByteArray lineFrom(QProcess &p, const QDeadlineTimer &deadline)
{
    while (!p.canReadLine()) {
        if (deadline.hasExpired() || p.state() == QProcess::NotRunning)
            return {};
        p.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 500)));
    }
    return p.readLine().trimmed();
}

bool isSecondAttemptRefusal(const QString &code)
{
    return code == QLatin1String("checked-in-elsewhere") || code == QLatin1String("already-voted");
}

} // namespace

Result<SharedOutcome> runShared(const Options &o, const crypto::SecretBytes &passphrase, const QString &program)
{
    if (o.kiosks < 2 || o.kiosks > 15)
        return makeError(
            QStringLiteral("usage"),
            QStringLiteral("--shared needs between 2 and 15 kiosks (a venue of one kiosk shares nothing)"));
    if (!o.kioskStates.isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--shared enrols fresh kiosks: leave out --kiosk-state"));
    if (o.secondAttemptRate < 0 || o.secondAttemptRate > 1)
        return makeError(QStringLiteral("usage"), QStringLiteral("--second-attempts must be between 0 and 1"));
    QElapsedTimer clockTime;
    clockTime.start();
    auto hq = hq::Hq::open(o.hqDir);
    if (!hq)
        return hq.error();
    auto activity = hq->activity();
    if (!activity)
        return activity.error();
    if (!activity->session(o.session) || !activity->sessionHeldAt(o.session, o.venue))
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("group session %1 is not held at venue %2").arg(o.session, o.venue));
    // The network plan must give every kiosk of the venue an address, and kiosks of an
    // earlier run are not running: the venue must have none yet.
    auto enrolled = hq::store::kiosks(hq->db(), o.venue);
    if (!enrolled)
        return enrolled.error();
    if (!enrolled->isEmpty())
        return makeError(
            QStringLiteral("usage"),
            QStringLiteral("venue %1 already has %2 enrolled kiosk(s) (an earlier run?): --shared runs every "
                           "kiosk of the venue, so it needs a venue without kiosks; use another venue or "
                           "a fresh HQ directory")
                .arg(o.venue)
                .arg(enrolled->size()));
    auto secrets = hq->unlock(passphrase);
    if (!secrets)
        return secrets.error();
    Rng rng(o.seed);
    auto drawn = drawVoters(*hq, *secrets, o, rng);
    if (!drawn)
        return drawn.error();
    const QList<Voter> pool = std::move(drawn).value();
    if (!QDir().mkpath(o.outDir))
        return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(o.outDir));

    // The office's side: fresh kiosks, their network plan on loopback, the package; each
    // kiosk loads it and opens the session, then is closed for its own process to take.
    static const SystemClock clock;
    const QString suffix = QString::fromLatin1(crypto::randomBytes(3).toHex());
    QStringList ids, states;
    QHash<QString, QString> plan;
    {
        std::vector<std::unique_ptr<KioskService>> kiosks;
        for (int k = 1; k <= o.kiosks; ++k) {
            const QString id = QStringLiteral("%1-%2-%3").arg(o.venue.left(16)).arg(k).arg(suffix);
            const QString dir = QDir(o.outDir).filePath(QStringLiteral("kiosk-state/") + id);
            auto service = enrolKiosk(*hq, *secrets, o.venue, dir, id, clock);
            if (!service)
                return service.error();
            const int port = freeLoopbackPort();
            if (port == 0)
                return makeError(QStringLiteral("io"), QStringLiteral("no free loopback port for kiosk %1").arg(id));
            plan.insert(id, QStringLiteral("127.0.0.1:%1").arg(port));
            ids << id;
            states << dir;
            kiosks.push_back(std::move(service).value());
        }
        auto pins = hq->issueStaffPins(o.venue);
        if (!pins)
            return pins.error();
        QString staffPin;
        for (const auto &p : *pins)
            if (p.role == QLatin1String("staff"))
                staffPin = p.pin;
        auto package = hq->buildPackage(o.venue, *secrets, nullptr, plan);
        if (!package)
            return package.error();
        for (auto &k : kiosks) {
            if (auto s = k->loadPackage(*package); !s)
                return s.error();
            if (auto r = k->login(staffPin); !r)
                return r.error();
            if (auto r = k->openSession({o.session, o.rehearsal}); !r)
                return r.error();
        }
        // Who tries where: every representative at one kiosk, a share also at another.
        QList<QList<int>> lists(o.kiosks);
        SharedOutcome out;
        for (int i = 0; i < pool.size(); ++i) {
            const int home = rng.below(o.kiosks);
            lists[home].append(i);
            if (rng.chance(o.secondAttemptRate)) {
                lists[(home + 1 + rng.below(o.kiosks - 1)) % o.kiosks].append(i);
                ++out.secondAttempts;
            }
        }
        kiosks.clear();

        // ---- the kiosk processes -------------------------------------------------------
        std::vector<std::unique_ptr<QProcess>> procs;
        auto stopAll = [&] {
            for (auto &p : procs) {
                p->kill();
                p->waitForFinished(5000);
            }
        };
        for (int k = 0; k < o.kiosks; ++k) {
            rng.shuffle(lists[k]);
            QJsonArray attempts;
            for (int i : lists[k])
                attempts.append(pool[i].credential);
            out.attempts += attempts.size();
            const QJsonObject job {{QStringLiteral("state"), states[k]},
                                   {QStringLiteral("staff_pin"), staffPin},
                                   {QStringLiteral("session"), o.session},
                                   {QStringLiteral("rehearsal"), o.rehearsal},
                                   {QStringLiteral("seed"), qint64(o.seed * 100 + quint64(k))},
                                   {QStringLiteral("out"), o.outDir},
                                   {QStringLiteral("attempts"), attempts}};
            auto p = std::make_unique<QProcess>();
            p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            p->start(program, {QStringLiteral("--venue-kiosk")});
            if (!p->waitForStarted(10000)) {
                stopAll();
                return makeError(QStringLiteral("sim-kiosk"),
                                 QStringLiteral("cannot start kiosk process %1: %2").arg(program, p->errorString()));
            }
            // The credentials go through the pipe, never to a file.
            p->write(QJsonDocument(job).toJson(QJsonDocument::Compact) + '\n');
            procs.push_back(std::move(p));
        }
        const QDeadlineTimer startDeadline(60000);
        for (int k = 0; k < o.kiosks; ++k)
            if (lineFrom(*procs[size_t(k)], startDeadline) != "ready") {
                stopAll();
                return makeError(QStringLiteral("sim-kiosk"),
                                 QStringLiteral("kiosk %1 did not join the venue within 60 s").arg(ids[k]));
            }
        for (auto &p : procs)
            p->write("go\n");
        QHash<int, QString> castAt; // voter index -> kiosk id
        QList<QPair<int, QJsonObject>> refusals; // kiosk, refusal
        const QDeadlineTimer runDeadline(180000);
        for (int k = 0; k < o.kiosks; ++k) {
            const QByteArray line = lineFrom(*procs[size_t(k)], runDeadline);
            const QJsonObject r = QJsonDocument::fromJson(line).object();
            if (r.isEmpty() || r.contains(QLatin1String("error"))) {
                stopAll();
                return makeError(QStringLiteral("sim-kiosk"),
                                 QStringLiteral("kiosk %1 failed: %2")
                                     .arg(ids[k],
                                          r.isEmpty() ? QStringLiteral("no result within 180 s")
                                                      : r.value(QLatin1String("error")).toString()));
            }
            for (const QJsonValue &v : r.value(QLatin1String("cast")).toArray()) {
                const int voter = lists[k][v.toInt()];
                if (castAt.contains(voter))
                    ++out.doubleVotes;
                castAt.insert(voter, ids[k]);
                ++out.ballots;
            }
            for (const QJsonValue &v : r.value(QLatin1String("refused")).toArray()) {
                QJsonObject ref = v.toObject();
                ref.insert(QStringLiteral("voter"), lists[k][ref.value(QLatin1String("attempt")).toInt()]);
                refusals.append({k, ref});
            }
            const QJsonObject errors = r.value(QLatin1String("errors")).toObject();
            for (auto it = errors.begin(); it != errors.end(); ++it)
                out.otherErrors[it.key()] += it.value().toInteger();
            out.batches << r.value(QLatin1String("batch")).toString();
        }
        // Every kiosk has finished: now they may leave the venue (none loses its quorum early).
        for (auto &p : procs) {
            p->write("exit\n");
            p->closeWriteChannel();
        }
        for (auto &p : procs)
            if (!p->waitForFinished(20000))
                p->kill();
        for (const auto &[k, ref] : refusals) {
            ++out.refusals;
            const QString holder = ref.value(QLatin1String("holder")).toString();
            const int voter = ref.value(QLatin1String("voter")).toInt();
            if (!holder.isEmpty() && holder != ids[k] && castAt.value(voter) == holder)
                ++out.refusalsNamingHolder;
        }
        out.kiosks = o.kiosks;
        out.voters = pool.size();
        out.seconds = double(clockTime.elapsed()) / 1000.0;
        return out;
    }
}

int runVenueKiosk(const kiosk::SharedLedgerFactory &sharedLedger)
{
    QFile in, out;
    if (!in.open(stdin, QIODevice::ReadOnly) || !out.open(stdout, QIODevice::WriteOnly))
        return 1;
    auto say = [&](const QByteArray &line) {
        out.write(line + '\n');
        out.flush();
    };
    auto failWith = [&](const QString &why) {
        say(QJsonDocument(QJsonObject {{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact));
        in.readLine(); // the parent's "exit" (or the pipe closed)
        return 1;
    };
    const QJsonObject job = QJsonDocument::fromJson(in.readLine()).object();
    static const SystemClock clock;
    kiosk::Options options;
    options.sharedLedger = sharedLedger;
    auto opened = KioskService::open(job.value(QLatin1String("state")).toString(), clock, options);
    if (!opened)
        return failWith(opened.error().toString());
    KioskService &k = **opened;
    if (!k.venueStatus().shared)
        return failWith(QStringLiteral("the venue package has no network plan"));
    // Ready once the venue answers (the other kiosks start at the same time).
    QElapsedTimer waited;
    waited.start();
    while (!k.venueStatus().connected && waited.elapsed() < 45000)
        QThread::msleep(100);
    say("ready");
    if (in.readLine().trimmed() != "go")
        return 1;
    const kiosk::SessionKey key {job.value(QLatin1String("session")).toString(),
                                 job.value(QLatin1String("rehearsal")).toBool()};
    if (auto r = k.login(job.value(QLatin1String("staff_pin")).toString()); !r)
        return failWith(r.error().toString());
    const Activity &activity = k.activity();
    const GroupSession *session = activity.session(key.code);
    Rng rng(quint64(job.value(QLatin1String("seed")).toInteger()));
    QJsonArray cast, refused;
    QMap<QString, qint64> errors;
    const QJsonArray attempts = job.value(QLatin1String("attempts")).toArray();
    for (int i = 0; i < attempts.size(); ++i) {
        auto checkIn = k.checkInCredential(attempts[i].toString());
        if (!checkIn) {
            if (isSecondAttemptRefusal(checkIn.error().code))
                refused.append(QJsonObject {{QStringLiteral("attempt"), i},
                                            {QStringLiteral("code"), checkIn.error().code},
                                            {QStringLiteral("holder"), k.refusalHolder()}});
            else
                ++errors[checkIn.error().code];
            continue;
        }
        if (auto r = k.cast(randomBallot(rng, activity, *session), {}); r)
            cast.append(i);
        else
            ++errors[r.error().code];
        k.venueTick();
    }
    if (auto r = k.login(job.value(QLatin1String("staff_pin")).toString()); !r)
        return failWith(r.error().toString());
    if (auto r = k.closeSession(key); !r)
        return failWith(r.error().toString());
    auto exported = k.exportSession(key, job.value(QLatin1String("out")).toString());
    if (!exported)
        return failWith(exported.error().toString());
    QJsonObject errorCounts;
    for (auto it = errors.cbegin(); it != errors.cend(); ++it)
        errorCounts.insert(it.key(), it.value());
    say(QJsonDocument(QJsonObject {{QStringLiteral("kiosk"), k.kioskId()},
                                   {QStringLiteral("cast"), cast},
                                   {QStringLiteral("refused"), refused},
                                   {QStringLiteral("errors"), errorCounts},
                                   {QStringLiteral("batch"), exported->path}})
            .toJson(QJsonDocument::Compact));
    // Stay in the venue until every kiosk has finished.
    in.readLine();
    return 0;
}

} // namespace pingyi::sim
