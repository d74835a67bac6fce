#include "kioskservice.h"

#include "credential.h"
#include "enrolment.h"
#include "fileio.h"
#include "kiosk/admission.h"
#include "kiosk/ballotcaster.h"
#include "kiosk/checkinledger.h"
#include "kiosk/exporter.h"
#include "kiosk/kioskenv.h"
#include "kiosk/kioskstore.h"
#include "kiosk/sessionlifecycle.h"
#include "kiosk/staffgate.h"
#include "signeddoc.h"
#include "venuepackage.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>

#include <unistd.h>

Q_LOGGING_CATEGORY(lcKiosk, "pingyi.kiosk")

namespace pingyi::kiosk {

namespace {
Error err(const char *code, const QString &message)
{
    return kioskError(code, message);
}

/// The activity and venue this kiosk's own certificate names (a package must match them).
struct Certified {
    QString activityId;
    QString venue;
};
Result<Certified> certifiedFor(const KioskEnv &env)
{
    const auto doc = SignedDocument::open(env.certificate, crypto::domain::kioskCert, env.rootPublicKey,
                                          QStringLiteral("kiosk-cert"));
    if (!doc)
        return doc.error();
    return Certified {doc->bodyObject.value(QLatin1String("activity")).toString(),
                      doc->bodyObject.value(QLatin1String("venue")).toString()};
}

/// What the kiosk keeps in memory from its venue package once it is loaded or reopened.
void adoptPackage(KioskEnv &env, const Activity &activity, const QString &venue, VenuePackageContent &content)
{
    env.activity = activity;
    env.venue = venue;
    env.packageVersion = content.version;
    env.electionPublicKey = content.electionPublicKey;
    env.ballotSize = ballotPlaintextSize(env.activity);
    env.archivePublicKey = content.archivePublicKey;
    env.idHashKey = std::move(content.idHashKey);
    env.faces.clear();
    for (const VenueRosterEntry &e : content.roster)
        if (const auto t = face::decodeTemplate(e.faceTemplate)) // openVenuePackage checked each
            env.faces.push_back({face::Template {e.repId, *t}, e.sessions});
    env.kioskCerts = content.kioskCerts;
    env.venueNetwork = content.network;
}
} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::Staff:
        return QStringLiteral("staff");
    case Role::Lead:
        return QStringLiteral("lead");
    case Role::Technician:
        return QStringLiteral("technician");
    case Role::None:
        break;
    }
    return QStringLiteral("none");
}

QString stateName(SessionState state)
{
    switch (state) {
    case SessionState::Ready:
        return QStringLiteral("ready");
    case SessionState::Open:
        return QStringLiteral("open");
    case SessionState::Paused:
        return QStringLiteral("paused");
    case SessionState::Closed:
        return QStringLiteral("closed");
    case SessionState::Exported:
        return QStringLiteral("exported");
    }
    return {};
}

/// The parts, in the order they are built; each refers to those before it.
struct KioskService::Parts {
    Parts(const Clock &clock, Options options) : env(clock, options), staff(env), sessions(env, staff) { }

    std::optional<FileLock> lock; // one process per state directory; released last
    KioskEnv env;
    StaffGate staff;
    SessionLifecycle sessions;
    std::unique_ptr<LocalCheckInLedger> local;
    std::unique_ptr<CheckInLedger> shared; ///< in front of `local` when the venue shares check-ins
    CheckInLedger *ledger = nullptr; ///< `shared` or `local`
    QString venueLedgerDir; ///< the shared ledger's files (Raft log, snapshots), beside kiosk.db
    QString venueCloseFailure; ///< why the venue's close request could not be honoured (logged once)
    std::unique_ptr<Admission> admission;
    std::unique_ptr<BallotCaster> caster;
    std::unique_ptr<Exporter> exporter;

    ~Parts()
    {
        if (env.store)
            env.store->settle();
    }
};

KioskService::KioskService(std::unique_ptr<Parts> parts) : m_parts(std::move(parts)) { }
KioskService::~KioskService() = default;

Result<std::unique_ptr<KioskService>> KioskService::open(const QString &stateDir, const Clock &clock, Options options)
{
    if (!crypto::init())
        return err("crypto", QStringLiteral("libsodium cannot be initialised"));
    if (!QDir().mkpath(stateDir))
        return err("io-write", QStringLiteral("cannot create the kiosk state directory %1").arg(stateDir));
    // Only the kiosk user may read the key, PIN hashes, ID hashes and check-in lists.
    QFile::setPermissions(stateDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    auto parts = std::make_unique<Parts>(clock, options);
    // Opening runs crash recovery (it releases check-ins left active): never while the
    // kiosk program, or a technician's setup command, has the same state open.
    auto lock = FileLock::acquire(QDir(stateDir).filePath(QStringLiteral("kiosk.lock")), QStringLiteral("kiosk-busy"),
                                  QStringLiteral("the kiosk state in %1 is in use by another program%2: stop it first "
                                                 "(on a kiosk: systemctl stop pingyi-kiosk), then run this again")
                                      .arg(stateDir, QStringLiteral("%1")));
    if (!lock)
        return lock.error();
    parts->lock.emplace(std::move(lock).value());

    // The kiosk's own key: made here, never exported. Only the kiosk user can read it.
    const QString keyPath = QDir(stateDir).filePath(QStringLiteral("kiosk.key"));
    if (!QFile::exists(keyPath)) {
        const auto fresh = crypto::SigningKey::generate();
        if (auto s = writeFileAtomic(keyPath, fresh.seed().view(), true); !s)
            return s.error();
    }
    auto seed = readFile(keyPath, 64);
    if (!seed || seed->size() != 32)
        return err("kiosk-key", QStringLiteral("the kiosk key %1 is damaged: re-enrol the kiosk").arg(keyPath));
    auto key = crypto::SigningKey::fromSeed(crypto::SecretBytes::copyOf(*seed));
    seed->fill('\0');
    parts->env.key = std::move(key).value();

    // Exclusive locking keeps the write-ahead log's index in memory: a -shm file would keep
    // the page numbers of the last transactions. One left by an older Pingyi goes (the state
    // lock above says no other program has the database open).
    const QString dbPath = QDir(stateDir).filePath(QStringLiteral("kiosk.db"));
    QFile::remove(dbPath + QStringLiteral("-shm"));
    auto store = KioskStore::open(dbPath);
    if (!store)
        return store.error();
    parts->env.store = std::move(store).value();
    KioskEnv &env = parts->env;
    parts->local = std::make_unique<LocalCheckInLedger>(*env.store);
    std::unique_ptr<KioskService> k(new KioskService(std::move(parts)));
    if (auto s = k->loadState(); !s)
        return s.error();
    if (auto s = k->chooseLedger(stateDir); !s)
        return s.error();
    if (auto s = k->recover(); !s)
        return s.error();
    // A power cut between a cast's commit and the truncation below leaves that transaction
    // in the log: fold it in now.
    if (auto s = env.store->truncateWal(); !s)
        return s.error();
    return k;
}

Status KioskService::loadState()
{
    auto id = m_parts->env.store->meta("kiosk_id");
    auto root = m_parts->env.store->meta("root_pk");
    auto cert = m_parts->env.store->meta("certificate");
    auto package = m_parts->env.store->meta("package");
    for (auto *r : {&id, &root, &cert, &package})
        if (!*r)
            return r->error();
    m_parts->env.kioskId = QString::fromUtf8(*id);
    m_parts->env.rootPublicKey = *root;
    m_parts->env.certificate = *cert;
    if (!package->isEmpty()) {
        const auto certified = certifiedFor(m_parts->env);
        if (!certified)
            return certified.error();
        auto content
            = openVenuePackage(*package, m_parts->env.rootPublicKey, {certified->activityId, certified->venue, 0},
                               m_parts->env.kioskId, crypto::BoxKeyPair::fromSigningKey(m_parts->env.key));
        if (!content)
            return content.error();
        auto activity = Activity::fromJson(content->activityJson, QStringLiteral("venue package"));
        if (!activity)
            return activity.error();
        adoptPackage(m_parts->env, *activity, certified->venue, *content);
    }
    return {};
}

Status KioskService::chooseLedger(const QString &stateDir)
{
    // A venue package that plans two or more kiosks on the venue network makes the kiosks
    // share their check-ins; one kiosk (or no plan) keeps the local list alone. A new plan
    // takes effect at the kiosk's next start.
    Parts &p = *m_parts;
    KioskEnv &env = p.env;
    p.ledger = p.local.get();
    p.venueLedgerDir = QDir(stateDir).filePath(QStringLiteral("venue-ledger"));
    if (env.venueNetwork.size() >= 2 && env.options.sharedLedger) {
        SharedLedgerPlan plan;
        plan.kioskId = env.kioskId;
        plan.key = &env.key;
        plan.rootPublicKey = env.rootPublicKey;
        plan.activityId = env.activity.id;
        plan.venue = env.venue;
        plan.kioskCerts = env.kioskCerts;
        plan.addresses = env.venueNetwork;
        plan.dataDir = p.venueLedgerDir;
        auto shared = env.options.sharedLedger(plan, *p.local, *env.store);
        if (!shared) {
            // Said as the venue's: the kiosk's own state is fine, its network plan is not.
            Error e = shared.error();
            e.message = QStringLiteral("venue network: ") + e.message;
            return e;
        }
        p.shared = std::move(shared).value();
        p.ledger = p.shared.get();
        qCInfo(lcKiosk) << "sharing check-ins with" << env.venueNetwork.size() - 1 << "other kiosk(s)";
    }
    p.admission = std::make_unique<Admission>(env, p.staff, p.sessions, *p.ledger);
    p.caster = std::make_unique<BallotCaster>(env, *p.ledger);
    p.exporter = std::make_unique<Exporter>(env, p.staff, p.sessions);
    return {};
}

Status KioskService::recover()
{
    // A crash or power cut while a representative was voting: nothing was cast for them,
    // so their check-in is released (they may check in again).
    KioskEnv &env = m_parts->env;
    Database::Transaction tx(env.store->database());
    if (!tx.status())
        return tx.status();
    auto stale = m_parts->ledger->recover();
    if (!stale)
        return stale.error();
    if (stale->isEmpty())
        return {};
    for (const auto &[key, n] : *stale)
        if (auto s = env.audit(QStringLiteral("check-in-released"),
                               {{QStringLiteral("session"), key.code},
                                {QStringLiteral("rehearsal"), key.rehearsal},
                                {QStringLiteral("reason"), QStringLiteral("restart")},
                                {QStringLiteral("count"), n}});
            !s)
            return s;
    return tx.commit();
}

Provisioning KioskService::provisioning() const
{
    return m_parts->env.provisioning();
}

QString KioskService::rootFingerprint() const
{
    const QByteArray &root = m_parts->env.rootPublicKey;
    return root.isEmpty() ? QString() : crypto::fingerprint(root);
}

QString KioskService::kioskId() const
{
    return m_parts->env.kioskId;
}
QByteArray KioskService::publicKey() const
{
    return m_parts->env.key.publicKey();
}
const Activity &KioskService::activity() const
{
    return m_parts->env.activity;
}
QString KioskService::venue() const
{
    return m_parts->env.venue;
}
qint64 KioskService::packageVersion() const
{
    return m_parts->env.packageVersion;
}

// ---- enrolment and package ---------------------------------------------------------

Result<QByteArray> KioskService::beginEnrolment(const QString &kioskId, QByteArrayView rootPublicKey)
{
    if (!isValidKioskId(kioskId))
        return err("kiosk-id", QStringLiteral("a kiosk id is 1-32 letters, digits or '-' (for example shinan-1)"));
    if (rootPublicKey.size() != qsizetype(crypto::signPublicKeyBytes))
        return err("root-key", QStringLiteral("the HQ root public key is not valid: copy it again from the office"));
    if (!m_parts->env.certificate.isEmpty()
        && (kioskId != m_parts->env.kioskId || rootPublicKey != m_parts->env.rootPublicKey))
        return err("enrolled",
                   QStringLiteral("this kiosk is already enrolled as %1; it cannot change its id or office")
                       .arg(m_parts->env.kioskId));
    Database::Transaction tx(m_parts->env.store->database());
    if (auto s = m_parts->env.store->setMeta("kiosk_id", kioskId.toUtf8()); !s)
        return s.error();
    if (auto s = m_parts->env.store->setMeta("root_pk", rootPublicKey); !s)
        return s.error();
    if (auto s = m_parts->env.audit(
            QStringLiteral("enrolment-request"),
            {{QStringLiteral("kiosk"), kioskId}, {QStringLiteral("root"), crypto::fingerprint(rootPublicKey)}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    m_parts->env.kioskId = kioskId;
    m_parts->env.rootPublicKey = rootPublicKey.toByteArray();
    return EnrolmentRequest::create(m_parts->env.key, kioskId);
}

Status KioskService::completeEnrolment(QByteArrayView certificate)
{
    if (m_parts->env.kioskId.isEmpty())
        return err("not-enrolled", QStringLiteral("create the enrolment request first"));
    auto cert = KioskCertificate::verify(certificate, m_parts->env.rootPublicKey, QString(), QString());
    if (!cert && cert.error().code == QLatin1String("kiosk-cert-activity")) {
        // The activity is not known yet: take it from a certificate that is otherwise valid.
        const auto doc = SignedDocument::open(certificate, crypto::domain::kioskCert, m_parts->env.rootPublicKey,
                                              QStringLiteral("kiosk-cert"));
        if (doc)
            cert = KioskCertificate::verify(certificate, m_parts->env.rootPublicKey,
                                            doc->bodyObject.value(QLatin1String("activity")).toString(), QString());
    }
    if (!cert)
        return cert.error();
    if (cert->signPublicKey != m_parts->env.key.publicKey() || cert->kioskId != m_parts->env.kioskId)
        return err("kiosk-cert-other",
                   QStringLiteral("this certificate was issued to kiosk %1, not to this kiosk (%2)")
                       .arg(cert->kioskId, m_parts->env.kioskId));
    if (!m_parts->env.certificate.isEmpty() && m_parts->env.certificate != cert->bytes)
        return err("enrolled", QStringLiteral("this kiosk already has a certificate"));
    Database::Transaction tx(m_parts->env.store->database());
    if (auto s = m_parts->env.store->setMeta("certificate", cert->bytes); !s)
        return s;
    if (auto s
        = m_parts->env.audit(QStringLiteral("enrolled"),
                             {{QStringLiteral("activity"), cert->activityId}, {QStringLiteral("venue"), cert->venue}});
        !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    m_parts->env.certificate = cert->bytes;
    m_parts->env.venue = cert->venue;
    return {};
}

Status KioskService::loadPackage(QByteArrayView package)
{
    if (m_parts->env.certificate.isEmpty())
        return err("not-enrolled", QStringLiteral("enrol this kiosk at the office before loading a venue package"));
    if (!m_parts->env.activity.id.isEmpty()) {
        if (auto s = m_parts->staff.require({Role::Technician}, QStringLiteral("load a new venue package")); !s)
            return s;
        if (m_parts->sessions.currentSession())
            return err("session-open", QStringLiteral("close the open session before loading a new venue package"));
    }
    const auto certified = certifiedFor(m_parts->env);
    if (!certified)
        return certified.error();
    const QString &activityId = certified->activityId;
    const QString &venue = certified->venue;

    auto refuse = [&](const Error &e) {
        (void)m_parts->env.audit(QStringLiteral("package-refused"), {{QStringLiteral("reason"), e.code}});
        return Status(e);
    };
    auto content
        = openVenuePackage(package, m_parts->env.rootPublicKey, {activityId, venue, m_parts->env.packageVersion},
                           m_parts->env.kioskId, crypto::BoxKeyPair::fromSigningKey(m_parts->env.key));
    if (!content)
        return refuse(content.error());
    bool named = false;
    for (const QByteArray &c : content->kioskCerts) {
        auto cert = KioskCertificate::verify(c, m_parts->env.rootPublicKey, activityId, venue);
        named = named
            || (cert && cert->signPublicKey == m_parts->env.key.publicKey() && cert->kioskId == m_parts->env.kioskId);
    }
    if (!named)
        return refuse(err("package-certificate",
                          QStringLiteral("this venue package does not name this kiosk's "
                                         "certificate: ask the office for a package made after "
                                         "this kiosk was enrolled")));
    auto activity = Activity::fromJson(content->activityJson, QStringLiteral("venue package"));
    if (!activity || activity->id != activityId || !activity->venue(venue))
        return refuse(err("package-content", QStringLiteral("the activity inside the venue package is damaged")));

    Database::Transaction tx(m_parts->env.store->database());
    if (!tx.status())
        return tx.status();
    auto step = [&]() -> Status {
        if (auto s = m_parts->env.store->replaceVenueData(content->roster, content->staff, package); !s)
            return s;
        return m_parts->env.audit(QStringLiteral("package-loaded"),
                                  {{QStringLiteral("version"), content->version},
                                   {QStringLiteral("representatives"), qint64(content->roster.size())}});
    };
    if (auto s = step(); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    adoptPackage(m_parts->env, *activity, venue, *content);
    qCInfo(lcKiosk) << "venue package loaded: version" << m_parts->env.packageVersion << "venue" << m_parts->env.venue;
    return {};
}

qint64 KioskService::rosterSize() const
{
    return m_parts->env.store->rosterSize();
}

Result<qint64> KioskService::invitedCount(const QString &session) const
{
    return m_parts->env.store->invitedCount(session);
}

// ---- the parts -------------------------------------------------------------------------

Result<Role> KioskService::login(const QString &pin)
{
    return m_parts->staff.login(pin);
}
void KioskService::logout()
{
    m_parts->staff.logout();
}
Role KioskService::role() const
{
    return m_parts->staff.role();
}
void KioskService::touch()
{
    m_parts->staff.touch();
}
qint64 KioskService::pinLockRemaining() const
{
    return m_parts->staff.pinLockRemaining();
}

int KioskService::pinTriesLeft() const
{
    return m_parts->staff.pinTriesLeft();
}

QList<SessionStatus> KioskService::sessions() const
{
    return m_parts->sessions.sessions();
}
std::optional<SessionStatus> KioskService::session(const SessionKey &key) const
{
    return m_parts->sessions.session(key);
}
std::optional<SessionKey> KioskService::currentSession() const
{
    return m_parts->sessions.currentSession();
}
Result<Report> KioskService::openSession(const SessionKey &key)
{
    if (const QString by = m_parts->ledger->closeRequestedBy(key); !by.isEmpty())
        return err("session-closed-at-venue",
                   QStringLiteral("the venue lead (at kiosk %1) closed session %2 at every kiosk of the venue: it "
                                  "cannot be opened again; open the next session, or export this one")
                       .arg(by, key.code));
    return m_parts->sessions.open(key);
}
Status KioskService::pauseSession(const SessionKey &key)
{
    return m_parts->sessions.pause(key);
}
Status KioskService::resumeSession(const SessionKey &key)
{
    return m_parts->sessions.resume(key);
}
Result<Report> KioskService::closeSession(const SessionKey &key)
{
    return m_parts->sessions.close(key);
}
Result<Report> KioskService::report(const SessionKey &key, const QString &kind) const
{
    return m_parts->sessions.report(key, kind);
}
Status KioskService::checkInvariants(const SessionKey &key) const
{
    return m_parts->sessions.checkInvariants(key);
}
Result<ExportResult> KioskService::exportSession(const SessionKey &key, const QString &targetDir)
{
    return m_parts->exporter->exportSession(key, targetDir);
}

Result<CheckIn> KioskService::checkIn(const Evidence &evidence)
{
    return m_parts->admission->checkIn(evidence);
}
Result<face::Turn> KioskService::beginFaceCheck()
{
    return m_parts->admission->beginFace();
}
int KioskService::facesEnrolled() const
{
    return m_parts->admission->facesEnrolled();
}
void KioskService::cancelFaceVerify()
{
    m_parts->admission->cancelFaceVerify();
}
std::optional<Placement> KioskService::refusalPlacement() const
{
    return m_parts->admission->refusalPlacement();
}
QString KioskService::refusalHolder() const
{
    return m_parts->admission->refusalHolder();
}

// ---- the venue's shared check-ins ---------------------------------------------------------

Status KioskService::setOfflineCheckIn(bool offline)
{
    if (auto s = m_parts->staff.require({Role::Lead},
                                        offline ? QStringLiteral("switch this kiosk to offline check-in")
                                                : QStringLiteral("end offline check-in"));
        !s)
        return s;
    KioskEnv &env = m_parts->env;
    Database::Transaction tx(env.store->database());
    if (!tx.status())
        return tx.status();
    if (auto s = m_parts->ledger->setOffline(offline); !s)
        return s;
    if (auto s
        = env.audit(QStringLiteral("venue-offline"),
                    {{QStringLiteral("offline"), offline}, {QStringLiteral("by"), roleName(m_parts->staff.role())}});
        !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    m_parts->staff.touch();
    qCInfo(lcKiosk) << (offline ? "offline check-in on" : "offline check-in off");
    return {};
}

std::optional<SessionStatus> KioskService::venueSession() const
{
    // The open or paused session, else the last one opened (closed or exported).
    const auto current = currentSession();
    std::optional<SessionStatus> shown = current ? session(*current) : std::nullopt;
    if (!shown)
        for (const SessionStatus &st : sessions())
            if (st.state != SessionState::Ready)
                shown = st;
    return shown;
}

VenueStatus KioskService::venueStatus() const
{
    const auto shown = venueSession();
    VenueStatus st = m_parts->ledger->venueStatus(shown ? shown->key : SessionKey {});
    st.closeFailure = m_parts->venueCloseFailure;
    return st;
}

QString KioskService::venueCloseRequestedBy(const SessionKey &key) const
{
    return m_parts->ledger->closeRequestedBy(key);
}

Result<std::optional<Report>> KioskService::closeAtEveryKiosk(const SessionKey &key)
{
    Parts &p = *m_parts;
    if (auto s = p.staff.require({Role::Lead}, QStringLiteral("close the session at every kiosk of the venue")); !s)
        return s.error();
    if (!p.shared)
        return err("venue-not-shared",
                   QStringLiteral("this kiosk does not share check-ins with other kiosks: close its session with "
                                  "结束评议"));
    const auto st = session(key);
    if (!st)
        return err("session-unknown",
                   QStringLiteral("group session %1 is not held at venue %2: choose a session from this kiosk's list")
                       .arg(key.code, p.env.venue));
    if (st->state == SessionState::Ready)
        return SessionLifecycle::illegal(key, st->state, QStringLiteral("close it at every kiosk"));
    // Logged before the venue is told: a request whose answer was lost may still have
    // reached the venue, and the audit log must show that the lead asked.
    if (auto s = p.env.audit(QStringLiteral("venue-close-all"),
                             {{QStringLiteral("session"), key.code},
                              {QStringLiteral("rehearsal"), key.rehearsal},
                              {QStringLiteral("by"), roleName(p.staff.role())}});
        !s)
        return s.error();
    if (auto s = p.ledger->requestCloseAll(key); !s) {
        Error e = s.error();
        if (e.code == QLatin1String("venue-unavailable"))
            e.message += QStringLiteral(" The request may have reached the venue all the same: the venue view shows "
                                        "it within seconds if so; otherwise close each kiosk by hand.");
        return e;
    }
    qCInfo(lcKiosk) << "the venue lead asked every kiosk to close session" << key.code;
    p.staff.touch();
    // This kiosk closes now, unless someone votes here (then the idle timer closes it).
    if ((st->state == SessionState::Open || st->state == SessionState::Paused) && !p.env.voter) {
        auto r = p.sessions.close(key);
        if (!r)
            return r.error();
        return std::optional<Report>(*r);
    }
    return std::optional<Report>();
}

Result<qint64> KioskService::wipeVenueLedger()
{
    Parts &p = *m_parts;
    if (auto s = p.staff.require({Role::Technician}, QStringLiteral("wipe the venue's shared check-in ledger")); !s)
        return s.error();
    if (p.shared)
        return err("venue-ledger-in-use",
                   QStringLiteral("this program is running the venue's ledger: stop the kiosk first (systemctl stop "
                                  "pingyi-kiosk) and wipe it with `pingyi-kiosk setup wipe-venue-ledger`"));
    // The other kiosks still need this kiosk's copy while any of its sessions is not done.
    for (const SessionStatus &st : sessions())
        if (!st.key.rehearsal
            && (st.state == SessionState::Open || st.state == SessionState::Paused || st.state == SessionState::Closed))
            return err("venue-ledger-needed",
                       QStringLiteral("session %1 is %2, not exported: export every session first, then wipe the "
                                      "venue ledger on every kiosk of the venue after the activity's last session")
                           .arg(st.key.code, stateName(st.state)));
    qint64 files = 0;
    QDirIterator it(p.venueLedgerDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        // Overwritten before removal: the Raft log lists which representative checked in
        // where, in order.
        QFile f(path);
        if (f.open(QIODevice::ReadWrite)) {
            const QByteArray zeros(64 * 1024, '\0');
            for (qint64 left = f.size(); left > 0; left -= zeros.size())
                f.write(zeros.constData(), qMin<qint64>(left, zeros.size()));
            f.flush();
            ::fsync(f.handle());
            f.close();
        }
        if (!QFile::remove(path))
            return err("io-write", QStringLiteral("cannot remove %1: check the kiosk state's permissions").arg(path));
        ++files;
    }
    QDir(p.venueLedgerDir).removeRecursively();
    if (auto s = p.env.audit(QStringLiteral("venue-ledger-wiped"), {{QStringLiteral("files"), files}}); !s)
        return s.error();
    return files;
}

void KioskService::venueTick()
{
    Parts &p = *m_parts;
    // The venue lead asked every kiosk to close the session this kiosk has on: closed once
    // nobody votes here (admission refuses new check-ins meanwhile).
    if (const auto current = currentSession(); current && !p.env.voter) {
        if (const QString by = p.ledger->closeRequestedBy(*current); !by.isEmpty()) {
            if (auto r = p.sessions.closeForVenue(*current, by)) {
                p.venueCloseFailure.clear();
                qCInfo(lcKiosk) << "closed session" << current->code << "as the venue lead at kiosk" << by << "asked";
            } else if (r.error().message != p.venueCloseFailure) {
                p.venueCloseFailure = r.error().message;
                qCWarning(lcKiosk) << "cannot close session" << current->code
                                   << "as the venue lead asked:" << r.error().message;
            }
        }
    }
    // Which session this kiosk has on, for the other kiosks' venue view (nothing while none
    // was opened).
    const auto shown = venueSession();
    if (shown)
        p.ledger->publishState(shown->key, stateName(shown->state));
    if (p.env.voter)
        return; // never between a voter's claim and their ballot
    p.ledger->tick([&p](const QString &event, const QJsonObject &details) { return p.env.audit(event, details); });
}
bool KioskService::voterActive() const
{
    return m_parts->env.voter.has_value();
}
Result<Receipt> KioskService::cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions)
{
    return m_parts->caster->cast(ballot, suggestions);
}
Status KioskService::release(ReleaseReason reason)
{
    return m_parts->admission->release(reason);
}

Status KioskService::recordStaffCall(const QString &from)
{
    if (m_parts->env.provisioning() != Provisioning::Ready)
        return err("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
    return m_parts->env.audit(QStringLiteral("staff-call"), {{QStringLiteral("from"), from}});
}

SessionContext KioskService::context(const SessionKey &key) const
{
    return m_parts->env.context(key);
}
Database &KioskService::database()
{
    return m_parts->env.store->database();
}

Result<QList<AuditEvent>> KioskService::auditLog() const
{
    return m_parts->env.store->auditLog();
}

Status KioskService::verifyAuditLog() const
{
    auto events = m_parts->env.store->auditLog();
    if (!events)
        return events.error();
    return AuditLog::verify(*events, m_parts->env.key.publicKey());
}

} // namespace pingyi::kiosk
