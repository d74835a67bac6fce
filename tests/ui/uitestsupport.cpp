#include "uitestsupport.h"

#include "ballotbox.h"
#include "fileio.h"
#include "hq.h"
#include "roster.h"

#include <QDir>
#include <QFile>

namespace pingyi::uitest {

namespace {

constexpr char venue[] = "shinan";

/// The office and the enrolled template kiosk, made once per process.
struct Template {
    QTemporaryDir dir;
    kiosk::demo::Enrolment enrolment;
    QString error;

    QString office() const { return dir.filePath(QStringLiteral("office")); }
    static crypto::SecretBytes passphrase() { return crypto::SecretBytes::copyOf("ui-tests"); }

    Template()
    {
        const QString office = this->office();
        const auto passphrase = Template::passphrase();
        auto spec = readFile(QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json"));
        if (!spec) {
            error = spec.error().toString();
            return;
        }
        const QString roster = dir.filePath(QStringLiteral("roster.csv"));
        if (auto s = kiosk::demo::makeScratchOffice(office, *spec, passphrase, roster); !s) {
            error = s.error().toString();
            return;
        }
        SystemClock clock;
        auto service = kiosk::KioskService::open(dir.filePath(QStringLiteral("kiosk")), clock);
        if (!service) {
            error = service.error().toString();
            return;
        }
        auto e = kiosk::demo::enrolWithOffice(**service, office, passphrase, QString::fromLatin1(venue), roster);
        if (!e) {
            error = e.error().toString();
            return;
        }
        enrolment = *e;
    }
};

const Template &templateKiosk()
{
    static const Template t; // tests only: one office per process
    return t;
}

} // namespace

const kiosk::demo::Voter *TestKiosk::voter(const QString &session, int n) const
{
    for (const kiosk::demo::Voter &v : enrolment.voters)
        if (v.sessions.contains(session) && n-- == 0)
            return &v;
    return nullptr;
}

bool TestKiosk::open(const QString &session, bool rehearsal)
{
    if (!service->login(enrolment.pins.staff))
        return false;
    const bool ok = service->openSession({session, rehearsal}).ok();
    service->logout();
    return ok;
}

std::unique_ptr<TestKiosk> makeKiosk(QString *error)
{
    const Template &t = templateKiosk();
    if (!t.error.isEmpty()) {
        *error = t.error;
        return nullptr;
    }
    auto k = std::make_unique<TestKiosk>();
    QDir().mkpath(k->stateDir());
    for (const char *file : {"kiosk.key", "kiosk.db", "kiosk.db-wal"}) {
        const QString from = t.dir.filePath(QStringLiteral("kiosk/") + QLatin1String(file));
        const QString to = QDir(k->stateDir()).filePath(QLatin1String(file));
        if (!QFile::exists(from) && qstrcmp(file, "kiosk.db-wal") == 0)
            continue;
        if (!QFile::copy(from, to)) {
            *error = QStringLiteral("cannot copy %1").arg(from);
            return nullptr;
        }
        QFile::setPermissions(to, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    auto service = kiosk::KioskService::open(k->stateDir(), k->clock);
    if (!service) {
        *error = service.error().toString();
        return nullptr;
    }
    k->service = std::move(service).value();
    k->enrolment = t.enrolment;
    k->usbDir = k->dir.filePath(QStringLiteral("media/PINGYI-TEST"));
    QDir().mkpath(k->usbDir);
    return k;
}

std::unique_ptr<TestKiosk> makeUnprovisionedKiosk(QString *error)
{
    auto k = std::make_unique<TestKiosk>();
    auto service = kiosk::KioskService::open(k->stateDir(), k->clock);
    if (!service) {
        *error = service.error().toString();
        return nullptr;
    }
    k->service = std::move(service).value();
    k->usbDir = k->dir.filePath(QStringLiteral("media/PINGYI-TEST"));
    return k;
}

Result<QList<BallotAnswers>> castBallots(const TestKiosk &kiosk, const QString &session, bool rehearsal)
{
    auto hq = hq::Hq::open(templateKiosk().office());
    if (!hq)
        return hq.error();
    auto election = hq->unlockElection(Template::passphrase());
    if (!election)
        return election.error();
    auto records = BallotBox(kiosk.service->database()).records(session, rehearsal);
    if (!records)
        return records.error();
    QList<BallotAnswers> out;
    for (const SealedRecord &r : *records) {
        if (r.kind != RecordKind::Ballot)
            continue;
        auto plain = crypto::openSealed(*election, r.sealed);
        if (!plain)
            return plain.error();
        auto ballot = decodeBallot(plain->view());
        if (!ballot)
            return ballot.error();
        out.append(*ballot);
    }
    return out;
}

QString unknownIdNumber()
{
    const QString first17 = QStringLiteral("11010119900307123");
    return first17 + idnumber::checkCharacter(first17);
}

} // namespace pingyi::uitest
