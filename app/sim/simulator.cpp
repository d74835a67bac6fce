#include "simulator.h"

#include "ballot.h"
#include "clock.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "kioskservice.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <random>

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
    auto cards = hq->cards(*secrets, o.venue);
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
    Rng rng(o.seed);
    rng.shuffle(pool);
    pool = pool.mid(0, o.voters);

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

} // namespace pingyi::sim
