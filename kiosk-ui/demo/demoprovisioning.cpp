#include "demoprovisioning.h"

#include "activity.h"
#include "fileio.h"
#include "hq.h"
#include "roster.h"

#include <QDir>
#include <QFile>
#include <QHash>

namespace pingyi::kiosk::demo {

namespace {

Error fail(const QString &code, const QString &message)
{
    return makeError(code, message);
}

Result<QList<Voter>> listVoters(hq::Hq &hq, const Activity &activity, const hq::Secrets &secrets, const QString &venue,
                                const QString &rosterCsv)
{
    QHash<QString, QString> idNumbers;
    if (!rosterCsv.isEmpty() && QFile::exists(rosterCsv)) {
        auto csv = readFile(rosterCsv);
        if (!csv)
            return csv.error();
        auto entries = parseRoster(*csv, activity, rosterCsv);
        if (!entries)
            return entries.error();
        for (const RosterEntry &e : *entries)
            idNumbers.insert(e.repId, e.idNumber);
    }
    auto cards = hq.cards(secrets, venue);
    if (!cards)
        return cards.error();
    QList<Voter> voters;
    for (const hq::Card &c : *cards)
        voters.append({c.repId, c.credential, idNumbers.value(c.repId), c.sessions});
    return voters;
}

/// The demo office, unlocked, with its activity, which must hold `venue`.
struct Office {
    hq::Hq hq;
    Activity activity;
    hq::Secrets secrets;
};

Result<Office> openOffice(const QString &hqDir, const crypto::SecretBytes &passphrase, const QString &venue)
{
    auto hq = hq::Hq::open(hqDir);
    if (!hq)
        return hq.error();
    auto activity = hq->activity();
    if (!activity)
        return activity.error();
    if (!activity->venue(venue))
        return fail(QStringLiteral("demo-venue"),
                    QStringLiteral("venue %1 is not part of activity %2").arg(venue, activity->id));
    auto secrets = hq->unlock(passphrase);
    if (!secrets)
        return secrets.error();
    return Office {std::move(*hq), std::move(*activity), std::move(*secrets)};
}

} // namespace

Result<Enrolment> enrolWithOffice(KioskService &service, const QString &hqDir, const crypto::SecretBytes &passphrase,
                                  const QString &venue, const QString &rosterCsv)
{
    if (service.provisioning() == Provisioning::Ready)
        return fail(QStringLiteral("demo-provisioned"), QStringLiteral("this kiosk state is already provisioned"));
    auto office = openOffice(hqDir, passphrase, venue);
    if (!office)
        return office.error();
    hq::Hq &hq = office->hq;
    const hq::Secrets &secrets = office->secrets;

    Enrolment out;
    // A new kiosk key needs a new id: the office refuses to re-certify an id for another key.
    out.kioskId = QStringLiteral("%1-ui-%2").arg(venue.left(16), QString::fromLatin1(crypto::randomBytes(3).toHex()));
    auto request = service.beginEnrolment(out.kioskId, hq.rootPublicKey());
    if (!request)
        return request.error();
    auto cert = hq.certifyKiosk(*request, venue, secrets, nullptr);
    if (!cert)
        return cert.error();
    if (auto s = service.completeEnrolment(*cert); !s)
        return s.error();
    auto pins = hq.issueStaffPins(venue);
    if (!pins)
        return pins.error();
    for (const hq::StaffPinIssued &p : *pins) {
        if (p.role == QLatin1String("staff"))
            out.pins.staff = p.pin;
        else if (p.role == QLatin1String("lead"))
            out.pins.lead = p.pin;
        else if (p.role == QLatin1String("technician"))
            out.pins.technician = p.pin;
    }
    auto package = hq.buildPackage(venue, secrets, nullptr);
    if (!package)
        return package.error();
    if (auto s = service.loadPackage(*package); !s)
        return s.error();

    auto voters = listVoters(hq, office->activity, secrets, venue, rosterCsv);
    if (!voters)
        return voters.error();
    out.voters = std::move(*voters);
    return out;
}

Result<QList<Voter>> officeVoters(const QString &hqDir, const crypto::SecretBytes &passphrase, const QString &venue,
                                  const QString &rosterCsv)
{
    auto office = openOffice(hqDir, passphrase, venue);
    if (!office)
        return office.error();
    return listVoters(office->hq, office->activity, office->secrets, venue, rosterCsv);
}

Status makeScratchOffice(const QString &officeDir, const QByteArray &activityJson,
                         const crypto::SecretBytes &passphrase, const QString &rosterCsv, double scale)
{
    auto activity = Activity::fromJson(activityJson, QStringLiteral("activity spec"));
    if (!activity)
        return activity.error();
    if (auto r = hq::Hq::init(officeDir, passphrase, crypto::KdfStrength::interactive()); !r)
        return r.error();
    auto hq = hq::Hq::open(officeDir);
    if (!hq)
        return hq.error();
    if (auto s = hq->setActivity(*activity); !s)
        return s;
    auto secrets = hq->unlock(passphrase);
    if (!secrets)
        return secrets.error();
    const QByteArray csv = synthRoster(*activity, 2025, scale);
    if (auto s = writeFileAtomic(rosterCsv, csv); !s)
        return s;
    if (auto r = hq->importRoster(csv, QStringLiteral("synthetic roster"), *secrets); !r)
        return r.error();
    return {};
}

Status writeDemoNotes(const QString &path, const Enrolment &enrolment, const QString &venue)
{
    QString text;
    text += QStringLiteral("# Pingyi kiosk demo — venue %1, kiosk %2\n").arg(venue, enrolment.kioskId);
    text += QStringLiteral("# Demo PINs, issued for this kiosk's venue package. For demonstrations only.\n");
    text += QStringLiteral("staff      %1\n").arg(enrolment.pins.staff);
    text += QStringLiteral("lead       %1\n").arg(enrolment.pins.lead);
    text += QStringLiteral("technician %1\n").arg(enrolment.pins.technician);
    QHash<QString, QStringList> bySession;
    for (const Voter &v : enrolment.voters) {
        if (v.idNumber.isEmpty())
            continue;
        for (const QString &s : v.sessions)
            if (bySession[s].size() < 5)
                bySession[s].append(v.idNumber);
    }
    if (!bySession.isEmpty()) {
        text += QStringLiteral("\n# ID numbers of synthetic representatives to type on the kiosk, by group session\n");
        QStringList sessions = bySession.keys();
        sessions.sort();
        for (const QString &s : sessions)
            text += QStringLiteral("%1: %2\n").arg(s, bySession.value(s).join(QStringLiteral("  ")));
    }
    return writeFileAtomic(path, text.toUtf8(), true);
}

} // namespace pingyi::kiosk::demo
