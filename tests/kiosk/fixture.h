#pragma once
// A provisioned venue for kiosk tests: an HQ directory with the Qingdao example activity,
// a synthetic roster, staff PINs and a function that enrols a fresh kiosk and loads its
// venue package. Everything is real (keys, signatures, SQLite files).

#include "ballot.h"
#include "clock.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "kioskservice.h"
#include "roster.h"
#include "simulator.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <random>

namespace pingyi::test {

inline crypto::SecretBytes hqPassphrase()
{
    return crypto::SecretBytes::copyOf("kiosk test passphrase");
}

struct VenueFixture {
    QTemporaryDir dir;
    QString venue = QStringLiteral("shinan");
    std::optional<hq::Hq> hq;
    std::optional<hq::Secrets> secrets;
    Activity activity;
    QByteArray rosterCsv;
    QHash<QString, QString> pins; ///< role -> PIN
    QByteArray package;
    ManualClock clock;

    /// Provisions the HQ side; `scale` multiplies the roster quotas.
    bool setUp(double scale = 0.3, quint64 seed = 11)
    {
        crypto::init();
        const QString hqDir = dir.filePath(QStringLiteral("hq"));
        if (!hq::Hq::init(hqDir, hqPassphrase(), crypto::KdfStrength::interactive()))
            return false;
        auto h = hq::Hq::open(hqDir);
        if (!h)
            return false;
        hq.emplace(std::move(h).value());
        auto s = hq->unlock(hqPassphrase());
        if (!s)
            return false;
        secrets.emplace(std::move(s).value());
        auto a = Activity::fromJson(*readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json")),
                                    QStringLiteral("activity.json"));
        if (!a)
            return false;
        activity = *a;
        rosterCsv = synthRoster(activity, seed, scale);
        if (!hq->setActivity(activity) || !hq->importRoster(rosterCsv, QStringLiteral("roster.csv"), *secrets))
            return false;
        auto issued = hq->issueStaffPins(venue);
        if (!issued)
            return false;
        for (const auto &p : *issued)
            pins.insert(p.role, p.pin);
        return true;
    }

    /// A kiosk enrolled at the venue; the package is rebuilt so it names every kiosk so far.
    std::unique_ptr<kiosk::KioskService> enrolKiosk(const QString &id, kiosk::Options options = {})
    {
        auto k = sim::enrolKiosk(*hq, *secrets, venue, stateDir(id), id, clock, options);
        if (!k)
            return {};
        auto pkg = hq->buildPackage(venue, *secrets, nullptr);
        if (!pkg)
            return {};
        package = *pkg;
        if (!(*k)->loadPackage(package))
            return {};
        return std::move(k).value();
    }

    QString stateDir(const QString &id) const { return dir.filePath(QStringLiteral("kiosk-") + id); }

    /// A kiosk `id` with `key` open, left closed for a child process (kiosk_caster) to cast
    /// with the credentials written to the returned file, one per line; empty on failure.
    QString openForCasting(const QString &id, const kiosk::SessionKey &key)
    {
        {
            auto k = enrolKiosk(id);
            if (!k || !k->login(pins[QStringLiteral("staff")]) || !k->openSession(key))
                return {};
        }
        const QString file = dir.filePath(QStringLiteral("creds-%1.txt").arg(id));
        return writeFileAtomic(file, credentials(key.code).join(QLatin1Char('\n')).toLatin1()) ? file : QString();
    }

    /// Credentials of representatives of `session` at the venue.
    QStringList credentials(const QString &session)
    {
        QStringList out;
        for (const hq::Card &c : *hq->cards(*secrets, venue))
            if (c.sessions.contains(session))
                out << c.credential;
        return out;
    }

    /// ID numbers (from the roster CSV) of representatives of `session` at the venue.
    QStringList idNumbers(const QString &session) const
    {
        QStringList out;
        for (const QByteArray &line : rosterCsv.split('\n').mid(1)) {
            const QList<QByteArray> cols = line.split(',');
            if (cols.size() >= 6 && cols[4] == venue.toUtf8() && cols[5] == session.toUtf8())
                out << QString::fromLatin1(cols[2]);
        }
        return out;
    }

    /// A complete, valid ballot with random ratings.
    BallotAnswers ballot(const QString &session, std::mt19937_64 &rng) const
    {
        BallotAnswers b;
        b.session = session;
        for (const Department &d : activity.session(session)->departments)
            b.ratings.insert(d.code, activity.scale[int(rng() % activity.scale.size())].code);
        for (const Question &q : activity.questionnaire)
            b.questionnaire.insert(q.code, {q.choices[int(rng() % q.choices.size())].code});
        for (const Question &q : activity.discipline)
            b.discipline.insert(q.code, {q.choices[int(rng() % q.choices.size())].code});
        return b;
    }
};

} // namespace pingyi::test
