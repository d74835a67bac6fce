#include "kioskservice.h"

#include "ballotbox.h"
#include "credential.h"
#include "enrolment.h"
#include "fileio.h"
#include "report.h"
#include "roster.h"
#include "signeddoc.h"
#include "venuepackage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMap>
#include <QScopeGuard>
#include <QSet>
#include <QStorageInfo>

#include <cmath>

Q_LOGGING_CATEGORY(lcKiosk, "pingyi.kiosk")

namespace pingyi::kiosk {

namespace {

constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE roster (
    rep_id TEXT PRIMARY KEY,
    id_hash BLOB NOT NULL UNIQUE,
    masked_name TEXT NOT NULL,
    category TEXT NOT NULL,
    sessions TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE staff_pin (role TEXT PRIMARY KEY, pin_hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE session (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'paused', 'closed', 'exported')),
    checkins INTEGER NOT NULL DEFAULT 0,
    released INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, rehearsal)
) WITHOUT ROWID;
-- Who checked in, keyed by representative: no time, no order.
CREATE TABLE checkin (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    rep_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'voted', 'released')),
    PRIMARY KEY (code, rehearsal, rep_id)
) WITHOUT ROWID;
-- Ballots: keyed by the hash of their sealed bytes. No time, no counter, no rowid, no
-- reference to a representative; rows sort by a random-looking id.
CREATE TABLE ballot (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE suggestion (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    body BLOB NOT NULL,
    hash BLOB NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE report (
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    document BLOB NOT NULL,
    qr TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (code, rehearsal, kind)
) WITHOUT ROWID;
)sql"},
    // Ballots and suggestions move into slots allocated at session open and filled in a
    // random order (core/ballotbox.h): in the tables of version 1 every ballot spilled into
    // an overflow page allocated in the order of casting. A rowid table: the slot number is
    // fixed before anyone votes, and a record that fits a 4 KiB page is stored inline. The
    // columns a slot search reads come first, so it never reads a record's bytes. No index:
    // an index keyed by `used` or by the record would be rewritten at every cast, and where
    // SQLite puts a new cell in a page follows the order of insertion.
    {2, R"sql(
CREATE TABLE record_slot (
    slot INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    rehearsal INTEGER NOT NULL,
    kind INTEGER NOT NULL CHECK (kind IN (1, 2)),
    used INTEGER NOT NULL CHECK (used IN (0, 1)),
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL
);
INSERT INTO record_slot (code, rehearsal, kind, used, sealed, signature)
    SELECT code, rehearsal, 1, 1, sealed, signature FROM ballot ORDER BY id;
INSERT INTO record_slot (code, rehearsal, kind, used, sealed, signature)
    SELECT code, rehearsal, 2, 1, sealed, signature FROM suggestion ORDER BY id;
DROP TABLE ballot;
DROP TABLE suggestion;
)sql"},
};

Error err(const char *code, const QString &message) { return makeError(QLatin1String(code), message); }

/// Representatives of this venue's roster invited to a group session.
Result<qint64> invitedCount(Database &db, const QString &session)
{
    auto st = db.prepare("SELECT COUNT(*) FROM roster WHERE ';' || sessions || ';' LIKE '%;' || ?1 || ';%'");
    if (!st)
        return st.error();
    st->bind(1, session);
    if (auto row = st->next(); !row)
        return row.error();
    return st->integer(0);
}

SessionState parseState(const QString &s)
{
    if (s == QLatin1String("open"))
        return SessionState::Open;
    if (s == QLatin1String("paused"))
        return SessionState::Paused;
    if (s == QLatin1String("closed"))
        return SessionState::Closed;
    if (s == QLatin1String("exported"))
        return SessionState::Exported;
    return SessionState::Ready;
}

Result<QByteArray> metaValue(Database &db, const char *key)
{
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?1");
    if (!st)
        return st.error();
    st->bind(1, QString::fromLatin1(key));
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? st->blob(0) : QByteArray();
}

Status setMeta(Database &db, const char *key, QByteArrayView value)
{
    auto st = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
    if (!st)
        return st.error();
    return st->bind(1, QString::fromLatin1(key)).bind(2, value).exec();
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

KioskService::KioskService(const Clock &clock, Options options) : m_clock(clock), m_options(options) {}
KioskService::~KioskService()
{
    settle();
}

void KioskService::settle() const
{
    if (m_fold.valid())
        m_fold.get();
}

Database &KioskService::db() const
{
    settle();
    return *m_db;
}

BallotBox &KioskService::ballotBox() const
{
    Database &d = db(); // waits for the fold, like every use of the database
    if (!m_box)
        m_box.emplace(d);
    return *m_box;
}

Result<std::unique_ptr<KioskService>> KioskService::open(const QString &stateDir, const Clock &clock, Options options)
{
    if (!crypto::init())
        return err("crypto", QStringLiteral("libsodium cannot be initialised"));
    if (!QDir().mkpath(stateDir))
        return err("io-write", QStringLiteral("cannot create the kiosk state directory %1").arg(stateDir));
    // Only the kiosk user may read the key, PIN hashes, ID hashes and check-in lists.
    QFile::setPermissions(stateDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    std::unique_ptr<KioskService> k(new KioskService(clock, options));
    k->m_stateDir = stateDir;
    // Opening runs crash recovery (it releases check-ins left active): never while the
    // kiosk program, or a technician's setup command, has the same state open.
    auto lock = FileLock::acquire(QDir(stateDir).filePath(QStringLiteral("kiosk.lock")), QStringLiteral("kiosk-busy"),
                                  QStringLiteral("the kiosk state in %1 is in use by another program%2: stop it first "
                                                 "(on a kiosk: systemctl stop pingyi-kiosk), then run this again")
                                      .arg(stateDir, QStringLiteral("%1")));
    if (!lock)
        return lock.error();
    k->m_lock.emplace(std::move(lock).value());

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
    k->m_key = std::move(key).value();

    // Exclusive locking keeps the write-ahead log's index in memory: a -shm file would keep
    // the page numbers of the last transactions. One left by an older Pingyi goes (the state
    // lock above says no other program has the database open).
    const QString dbPath = QDir(stateDir).filePath(QStringLiteral("kiosk.db"));
    QFile::remove(dbPath + QStringLiteral("-shm"));
    auto db = Database::open(dbPath, migrations, Database::Mode::ReadWriteCreate, Database::Locking::Exclusive);
    if (!db)
        return db.error();
    k->m_db.emplace(std::move(db).value());
    if (auto s = k->loadState(); !s)
        return s.error();
    // A power cut between a cast's commit and the truncation below leaves that transaction
    // in the log: fold it in now.
    if (auto s = k->m_db->truncateWal(); !s)
        return s.error();
    return k;
}

Status KioskService::loadState()
{
    auto id = metaValue(db(), "kiosk_id");
    auto root = metaValue(db(), "root_pk");
    auto cert = metaValue(db(), "certificate");
    auto package = metaValue(db(), "package");
    for (auto *r : {&id, &root, &cert, &package})
        if (!*r)
            return r->error();
    m_kioskId = QString::fromUtf8(*id);
    m_rootPublicKey = *root;
    m_certificate = *cert;
    if (!package->isEmpty()) {
        // Activity and venue come from this kiosk's own certificate.
        const auto parsed = SignedDocument::open(m_certificate, crypto::domain::kioskCert, m_rootPublicKey,
                                                 QStringLiteral("kiosk-cert"));
        if (!parsed)
            return parsed.error();
        const QString activityId = parsed->bodyObject.value(QLatin1String("activity")).toString();
        const QString venue = parsed->bodyObject.value(QLatin1String("venue")).toString();
        auto content = openVenuePackage(*package, m_rootPublicKey, {activityId, venue, 0}, m_kioskId,
                                        crypto::BoxKeyPair::fromSigningKey(m_key));
        if (!content)
            return content.error();
        auto activity = Activity::fromJson(content->activityJson, QStringLiteral("venue package"));
        if (!activity)
            return activity.error();
        m_activity = *activity;
        m_venue = venue;
        m_packageVersion = content->version;
        m_electionPublicKey = content->electionPublicKey;
        m_ballotSize = ballotPlaintextSize(m_activity);
        m_archivePublicKey = content->archivePublicKey;
        m_idHashKey = std::move(content->idHashKey);
    }
    // A crash or power cut while a representative was voting: nothing was cast for them,
    // so their check-in is released (they may check in again).
    auto active = db().prepare(
        "SELECT code, rehearsal, COUNT(*) FROM checkin WHERE status = 'active' GROUP BY code, rehearsal");
    if (!active)
        return active.error();
    QList<QPair<SessionKey, qint64>> stale;
    if (auto stepped = active->forEach([&](Statement &) {
            stale.append({{active->text(0), active->integer(1) != 0}, active->integer(2)});
        });
        !stepped)
        return stepped.error();
    active->reset();
    for (const auto &[key, n] : stale) {
        Database::Transaction tx(db());
        auto upd = db().prepare(
            "UPDATE checkin SET status = 'released' WHERE code = ?1 AND rehearsal = ?2 AND status = 'active'");
        auto cnt = db().prepare("UPDATE session SET released = released + ?3 WHERE code = ?1 AND rehearsal = ?2");
        if (!upd || !cnt)
            return !upd ? upd.error() : cnt.error();
        if (auto s = upd->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).exec(); !s)
            return s;
        if (auto s = cnt->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).bind(3, n).exec(); !s)
            return s;
        if (auto s = audit(QStringLiteral("check-in-released"),
                           {{QStringLiteral("session"), key.code},
                            {QStringLiteral("rehearsal"), key.rehearsal},
                            {QStringLiteral("reason"), QStringLiteral("restart")},
                            {QStringLiteral("count"), n}});
            !s)
            return s;
        if (auto s = tx.commit(); !s)
            return s;
    }
    return {};
}

Status KioskService::audit(const QString &event, QJsonObject details)
{
    return AuditLog::append(db(), m_key, m_clock.now().toString(Qt::ISODate), event, std::move(details));
}

Provisioning KioskService::provisioning() const
{
    if (m_kioskId.isEmpty())
        return Provisioning::Unenrolled;
    if (m_certificate.isEmpty())
        return Provisioning::AwaitingCertificate;
    if (m_activity.id.isEmpty())
        return Provisioning::AwaitingPackage;
    return Provisioning::Ready;
}

QString KioskService::rootFingerprint() const
{
    return m_rootPublicKey.isEmpty() ? QString() : crypto::fingerprint(m_rootPublicKey);
}

// ---- enrolment and package ---------------------------------------------------------

Result<QByteArray> KioskService::beginEnrolment(const QString &kioskId, QByteArrayView rootPublicKey)
{
    if (!isValidKioskId(kioskId))
        return err("kiosk-id", QStringLiteral("a kiosk id is 1-32 letters, digits or '-' (for example shinan-1)"));
    if (rootPublicKey.size() != qsizetype(crypto::signPublicKeyBytes))
        return err("root-key", QStringLiteral("the HQ root public key is not valid: copy it again from the office"));
    if (!m_certificate.isEmpty() && (kioskId != m_kioskId || rootPublicKey != m_rootPublicKey))
        return err("enrolled", QStringLiteral("this kiosk is already enrolled as %1; it cannot change its id or office").arg(m_kioskId));
    Database::Transaction tx(db());
    if (auto s = setMeta(db(), "kiosk_id", kioskId.toUtf8()); !s)
        return s.error();
    if (auto s = setMeta(db(), "root_pk", rootPublicKey); !s)
        return s.error();
    if (auto s = audit(QStringLiteral("enrolment-request"), {{QStringLiteral("kiosk"), kioskId},
                                                             {QStringLiteral("root"), crypto::fingerprint(rootPublicKey)}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    m_kioskId = kioskId;
    m_rootPublicKey = rootPublicKey.toByteArray();
    return EnrolmentRequest::create(m_key, kioskId);
}

Status KioskService::completeEnrolment(QByteArrayView certificate)
{
    if (m_kioskId.isEmpty())
        return err("not-enrolled", QStringLiteral("create the enrolment request first"));
    auto cert = KioskCertificate::verify(certificate, m_rootPublicKey, QString(), QString());
    if (!cert && cert.error().code == QLatin1String("kiosk-cert-activity")) {
        // The activity is not known yet: take it from a certificate that is otherwise valid.
        const auto doc = SignedDocument::open(certificate, crypto::domain::kioskCert, m_rootPublicKey, QStringLiteral("kiosk-cert"));
        if (doc)
            cert = KioskCertificate::verify(certificate, m_rootPublicKey,
                                            doc->bodyObject.value(QLatin1String("activity")).toString(), QString());
    }
    if (!cert)
        return cert.error();
    if (cert->signPublicKey != m_key.publicKey() || cert->kioskId != m_kioskId)
        return err("kiosk-cert-other", QStringLiteral("this certificate was issued to kiosk %1, not to this kiosk (%2)")
                                           .arg(cert->kioskId, m_kioskId));
    if (!m_certificate.isEmpty() && m_certificate != cert->bytes)
        return err("enrolled", QStringLiteral("this kiosk already has a certificate"));
    Database::Transaction tx(db());
    if (auto s = setMeta(db(), "certificate", cert->bytes); !s)
        return s;
    if (auto s = audit(QStringLiteral("enrolled"), {{QStringLiteral("activity"), cert->activityId},
                                                    {QStringLiteral("venue"), cert->venue}});
        !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    m_certificate = cert->bytes;
    m_venue = cert->venue;
    return {};
}

Status KioskService::loadPackage(QByteArrayView package)
{
    if (m_certificate.isEmpty())
        return err("not-enrolled", QStringLiteral("enrol this kiosk at the office before loading a venue package"));
    if (!m_activity.id.isEmpty()) {
        if (auto s = requireRole({Role::Technician}, QStringLiteral("load a new venue package")); !s)
            return s;
        if (currentSession())
            return err("session-open", QStringLiteral("close the open session before loading a new venue package"));
    }
    const auto certDoc = SignedDocument::open(m_certificate, crypto::domain::kioskCert, m_rootPublicKey, QStringLiteral("kiosk-cert"));
    if (!certDoc)
        return certDoc.error();
    const QString activityId = certDoc->bodyObject.value(QLatin1String("activity")).toString();
    const QString venue = certDoc->bodyObject.value(QLatin1String("venue")).toString();

    auto refuse = [&](const Error &e) {
        (void)audit(QStringLiteral("package-refused"), {{QStringLiteral("reason"), e.code}});
        return Status(e);
    };
    auto content = openVenuePackage(package, m_rootPublicKey, {activityId, venue, m_packageVersion}, m_kioskId,
                                    crypto::BoxKeyPair::fromSigningKey(m_key));
    if (!content)
        return refuse(content.error());
    bool named = false;
    for (const QByteArray &c : content->kioskCerts) {
        auto cert = KioskCertificate::verify(c, m_rootPublicKey, activityId, venue);
        named = named || (cert && cert->signPublicKey == m_key.publicKey() && cert->kioskId == m_kioskId);
    }
    if (!named)
        return refuse(err("package-certificate", QStringLiteral("this venue package does not name this kiosk's "
                                                                "certificate: ask the office for a package made after "
                                                                "this kiosk was enrolled")));
    auto activity = Activity::fromJson(content->activityJson, QStringLiteral("venue package"));
    if (!activity || activity->id != activityId || !activity->venue(venue))
        return refuse(err("package-content", QStringLiteral("the activity inside the venue package is damaged")));

    Database::Transaction tx(db());
    if (!tx.status())
        return tx.status();
    auto step = [&]() -> Status {
        if (auto s = db().exec("DELETE FROM roster; DELETE FROM staff_pin;"); !s)
            return s;
        auto ins = db().prepare(
            "INSERT INTO roster (rep_id, id_hash, masked_name, category, sessions) VALUES (?1, ?2, ?3, ?4, ?5)");
        if (!ins)
            return ins.error();
        for (const VenueRosterEntry &e : content->roster)
            if (auto s = ins->bind(1, e.repId).bind(2, e.idHash).bind(3, e.maskedName).bind(4, e.category)
                             .bind(5, e.sessions.join(QLatin1Char(';'))).exec();
                !s)
                return s;
        auto pin = db().prepare("INSERT INTO staff_pin (role, pin_hash) VALUES (?1, ?2)");
        if (!pin)
            return pin.error();
        for (const StaffPin &p : content->staff)
            if (auto s = pin->bind(1, p.role).bind(2, p.pinHash).exec(); !s)
                return s;
        if (auto s = setMeta(db(), "package", package); !s)
            return s;
        return audit(QStringLiteral("package-loaded"), {{QStringLiteral("version"), content->version},
                                                        {QStringLiteral("representatives"), qint64(content->roster.size())}});
    };
    if (auto s = step(); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    m_activity = *activity;
    m_venue = venue;
    m_packageVersion = content->version;
    m_electionPublicKey = content->electionPublicKey;
    m_ballotSize = ballotPlaintextSize(m_activity);
    m_archivePublicKey = content->archivePublicKey;
    m_idHashKey = std::move(content->idHashKey);
    qCInfo(lcKiosk) << "venue package loaded: version" << m_packageVersion << "venue" << m_venue;
    return {};
}

qint64 KioskService::rosterSize() const
{
    auto st = db().prepare("SELECT COUNT(*) FROM roster");
    return st && *st->next() ? st->integer(0) : 0;
}

// ---- staff ---------------------------------------------------------------------------

qint64 KioskService::pinLockRemaining() const
{
    auto until = metaValue(db(), "pin_locked_until");
    if (!until || until->isEmpty())
        return 0;
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(*until), Qt::ISODate);
    return std::max<qint64>(0, m_clock.now().secsTo(t));
}

Result<Role> KioskService::login(const QString &pin)
{
    if (m_activity.id.isEmpty())
        return err("no-package", QStringLiteral("no venue package is loaded yet: load it first"));
    if (const qint64 wait = pinLockRemaining(); wait > 0)
        return err("pin-locked", QStringLiteral("too many wrong PINs: try again in %1 seconds").arg(wait));
    // Highest role first, stopping at the first match: each check is a deliberate Argon2id.
    auto st = db().prepare("SELECT role, pin_hash FROM staff_pin ORDER BY "
                           "CASE role WHEN 'technician' THEN 0 WHEN 'lead' THEN 1 ELSE 2 END");
    if (!st)
        return st.error();
    Role matched = Role::None;
    while (matched == Role::None) {
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            break;
        if (crypto::verifyPin(st->text(1), pin.toUtf8())) {
            const QString r = st->text(0);
            matched = r == QLatin1String("technician") ? Role::Technician
                      : r == QLatin1String("lead")     ? Role::Lead
                                                        : Role::Staff;
        }
    }
    st->reset();
    auto failures = metaValue(db(), "pin_failures");
    qint64 n = failures && !failures->isEmpty() ? failures->toLongLong() : 0;
    Database::Transaction tx(db());
    if (matched != Role::None) {
        (void)setMeta(db(), "pin_failures", "0");
        (void)audit(QStringLiteral("login"), {{QStringLiteral("role"), roleName(matched)}});
        if (auto s = tx.commit(); !s)
            return s.error();
        m_role = matched;
        m_lastStaffActivity = m_clock.now();
        return matched;
    }
    ++n;
    (void)setMeta(db(), "pin_failures", QByteArray::number(n));
    Error e;
    if (n >= m_options.pinAttemptsBeforeLock) {
        const double factor = std::pow(2.0, double(n - m_options.pinAttemptsBeforeLock));
        const qint64 wait = qint64(std::min<double>(m_options.pinMaxLockSeconds, m_options.pinFirstLockSeconds * factor));
        (void)setMeta(db(), "pin_locked_until", m_clock.now().addSecs(wait).toString(Qt::ISODate).toLatin1());
        e = err("pin-locked", QStringLiteral("wrong PIN; too many wrong PINs: try again in %1 seconds").arg(wait));
    } else {
        e = err("pin-wrong", QStringLiteral("wrong PIN: %1 more tries before PIN entry is locked")
                                 .arg(m_options.pinAttemptsBeforeLock - n));
    }
    (void)audit(QStringLiteral("login-failed"), {{QStringLiteral("failures"), n}});
    if (auto s = tx.commit(); !s)
        return s.error();
    return e;
}

void KioskService::logout()
{
    if (m_role != Role::None)
        (void)audit(QStringLiteral("logout"), {{QStringLiteral("role"), roleName(m_role)}});
    m_role = Role::None;
}

Role KioskService::role() const
{
    if (m_role == Role::None || m_lastStaffActivity.secsTo(m_clock.now()) > m_options.staffLockSeconds)
        return Role::None;
    return m_role;
}

void KioskService::touch()
{
    if (role() != Role::None)
        m_lastStaffActivity = m_clock.now();
}

Status KioskService::requireRole(std::initializer_list<Role> allowed, const QString &action) const
{
    const Role r = role();
    for (Role a : allowed)
        if (a == r)
            return {};
    QStringList names;
    for (Role a : allowed)
        names << roleName(a);
    return err(r == Role::None ? "login-required" : "role",
               QStringLiteral("to %1, log in with a %2 PIN").arg(action, names.join(QStringLiteral(" or "))));
}

// ---- sessions ------------------------------------------------------------------------

Result<SessionState> KioskService::stateOf(const SessionKey &key) const
{
    auto st = db().prepare("SELECT state FROM session WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
    auto row = st->next();
    if (!row)
        return row.error();
    return *row ? parseState(st->text(0)) : SessionState::Ready;
}

Result<BatchCounts> KioskService::counts(const SessionKey &key) const
{
    // The ballot box owns the record table; the session row holds the check-in counters.
    auto ballots = ballotBox().count(key.code, key.rehearsal, RecordKind::Ballot);
    auto suggestions = ballotBox().count(key.code, key.rehearsal, RecordKind::Suggestion);
    if (!ballots || !suggestions)
        return !ballots ? ballots.error() : suggestions.error();
    auto st = db().prepare("SELECT checkins, released FROM session WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
    auto row = st->next();
    if (!row)
        return row.error();
    // No session row yet: a session that was never opened has counted nothing.
    return *row ? BatchCounts{st->integer(0), *ballots, st->integer(1), *suggestions}
                : BatchCounts{0, *ballots, 0, *suggestions};
}

QList<SessionStatus> KioskService::sessions() const
{
    QList<SessionStatus> out;
    for (const GroupSession &g : m_activity.sessions) {
        if (!g.venues.contains(m_venue))
            continue;
        for (bool rehearsal : {false, true}) {
            if (auto s = session({g.code, rehearsal}))
                out.append(*s);
        }
    }
    return out;
}

std::optional<SessionStatus> KioskService::session(const SessionKey &key) const
{
    const GroupSession *g = m_activity.session(key.code);
    if (!g)
        return std::nullopt;
    auto state = stateOf(key);
    auto n = counts(key);
    if (!state || !n)
        return std::nullopt;
    return SessionStatus{key, g->name, *state, *n, m_active && m_active->session == key};
}

std::optional<SessionKey> KioskService::currentSession() const
{
    auto st = db().prepare("SELECT code, rehearsal FROM session WHERE state IN ('open', 'paused')");
    if (!st)
        return std::nullopt;
    auto row = st->next();
    if (!row || !*row)
        return std::nullopt;
    return SessionKey{st->text(0), st->integer(1) != 0};
}

SessionContext KioskService::context(const SessionKey &key) const
{
    return {m_activity.id, m_venue, m_kioskId, key.code, key.rehearsal};
}

Result<Report> KioskService::makeReport(const SessionKey &key, const QString &kind)
{
    auto n = counts(key);
    if (!n)
        return n.error();
    auto records = ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    QList<QByteArray> ballotIds, suggestionIds;
    for (const SealedRecord &r : *records)
        (r.kind == RecordKind::Ballot ? ballotIds : suggestionIds).append(r.id());
    const QByteArray ballotDigest = sortedIdDigest(ballotIds);

    QJsonObject byCategory;
    if (kind == QLatin1String("closing")) {
        auto st = db().prepare("SELECT r.category, COUNT(*) FROM checkin c JOIN roster r ON r.rep_id = c.rep_id "
                               "WHERE c.code = ?1 AND c.rehearsal = ?2 GROUP BY r.category ORDER BY r.category");
        if (!st)
            return st.error();
        st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
        if (auto stepped = st->forEach([&](Statement &) { byCategory.insert(st->text(0), st->integer(1)); }); !stepped)
            return stepped.error();
    }
    const QString time = m_clock.now().toString(Qt::ISODate);
    const GroupSession *g = m_activity.session(key.code);
    QJsonObject body {
        {QStringLiteral("format"), QStringLiteral("pingyi-report/v1")},
        {QStringLiteral("kind"), kind},
        {QStringLiteral("activity"), m_activity.id},
        {QStringLiteral("venue"), m_venue},
        {QStringLiteral("kiosk"), m_kioskId},
        {QStringLiteral("session"), key.code},
        {QStringLiteral("rehearsal"), key.rehearsal},
        {QStringLiteral("time"), time},
        {QStringLiteral("checkins"), n->checkins},
        {QStringLiteral("ballots"), n->ballots},
        {QStringLiteral("released"), n->released},
        {QStringLiteral("suggestions"), n->suggestions},
        {QStringLiteral("ballot_digest"), QString::fromLatin1(ballotDigest.toHex())},
        {QStringLiteral("suggestion_digest"), QString::fromLatin1(sortedIdDigest(suggestionIds).toHex())}};
    if (kind == QLatin1String("closing"))
        body.insert(QStringLiteral("by_category"), byCategory);

    Report r;
    r.kind = kind;
    r.body = body;
    r.document = SignedDocument::sign(m_key, crypto::domain::report, body);
    r.qrPayload = encodeReportQr({kind == QLatin1String("closing"), context(key), *n, ballotDigest}, m_key);
    const bool closing = kind == QLatin1String("closing");
    QStringList lines;
    lines << QStringLiteral("%1 %2%3")
                 .arg(closing ? QStringLiteral("结束报告 Closing report") : QStringLiteral("零报告 Zero report"),
                      g ? g->name : key.code, key.rehearsal ? QStringLiteral(" 【演练 REHEARSAL】") : QString());
    lines << QStringLiteral("活动 Activity: %1   会场 Venue: %2   终端 Kiosk: %3").arg(m_activity.id, m_venue, m_kioskId);
    lines << QStringLiteral("时间 Time: %1").arg(time);
    lines << QStringLiteral("签到 Check-ins: %1   选票 Ballots: %2   释放 Released: %3   建议 Suggestions: %4")
                 .arg(n->checkins)
                 .arg(n->ballots)
                 .arg(n->released)
                 .arg(n->suggestions);
    if (closing) {
        QStringList cats;
        for (auto it = byCategory.begin(); it != byCategory.end(); ++it) {
            const Category *c = m_activity.category(it.key());
            cats << QStringLiteral("%1 %2").arg(c ? c->name : it.key()).arg(it.value().toInteger());
        }
        lines << QStringLiteral("按类别签到 Check-ins by category: %1").arg(cats.isEmpty() ? QStringLiteral("—") : cats.join(QStringLiteral("; ")));
    }
    lines << QStringLiteral("选票摘要 Ballot digest: %1").arg(QString::fromLatin1(ballotDigest.toHex()));
    r.text = lines.join(QLatin1Char('\n'));

    auto st = db().prepare(
        "INSERT OR REPLACE INTO report (code, rehearsal, kind, document, qr, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return st.error();
    if (auto s = st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).bind(3, kind).bind(4, r.document)
                     .bind(5, r.qrPayload).bind(6, r.text).exec();
        !s)
        return s.error();
    return r;
}

Result<Report> KioskService::report(const SessionKey &key, const QString &kind) const
{
    auto st = db().prepare("SELECT document, qr, text FROM report WHERE code = ?1 AND rehearsal = ?2 AND kind = ?3");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).bind(3, kind);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return err("no-report", QStringLiteral("there is no %1 report for this session yet").arg(kind));
    auto doc = SignedDocument::open(st->blob(0), crypto::domain::report, m_key.publicKey(), QStringLiteral("report"));
    if (!doc)
        return doc.error();
    return Report{kind, doc->bodyObject, st->blob(0), st->text(2), st->text(1)};
}

Status KioskService::setState(const SessionKey &key, SessionState from, SessionState to, const QString &event)
{
    auto st = db().prepare("UPDATE session SET state = ?3 WHERE code = ?1 AND rehearsal = ?2 AND state = ?4");
    if (!st)
        return st.error();
    if (auto s = st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).bind(3, stateName(to)).bind(4, stateName(from)).exec(); !s)
        return s;
    if (db().changes() != 1)
        return err("session-state", QStringLiteral("the session changed state meanwhile"));
    return audit(event, {{QStringLiteral("session"), key.code}, {QStringLiteral("rehearsal"), key.rehearsal}});
}

namespace {
Error illegal(const SessionKey &key, SessionState state, const QString &action)
{
    static const QMap<SessionState, QString> what{
        {SessionState::Ready, QStringLiteral("has not been opened")},
        {SessionState::Open, QStringLiteral("is open")},
        {SessionState::Paused, QStringLiteral("is paused")},
        {SessionState::Closed, QStringLiteral("is closed")},
        {SessionState::Exported, QStringLiteral("is closed and exported")},
    };
    return makeError(QStringLiteral("session-state"),
                     QStringLiteral("cannot %1: session %2%3 %4").arg(action, key.code,
                                                                     key.rehearsal ? QStringLiteral(" (rehearsal)") : QString(),
                                                                     what.value(state)));
}
} // namespace

Result<Report> KioskService::openSession(const SessionKey &key)
{
    if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("open a session")); !s)
        return s.error();
    if (provisioning() != Provisioning::Ready)
        return err("no-package", QStringLiteral("load the venue package before opening a session"));
    if (!m_activity.sessionHeldAt(key.code, m_venue))
        return err("session-unknown", QStringLiteral("group session %1 is not held at venue %2").arg(key.code, m_venue));
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Ready)
        return illegal(key, *state, QStringLiteral("open it"));
    if (auto other = currentSession())
        return err("session-other-open", QStringLiteral("session %1 is still open at this kiosk: close it first").arg(other->code));
    auto n = counts(key);
    if (!n)
        return n.error();
    auto checkins = db().prepare("SELECT COUNT(*) FROM checkin WHERE code = ?1 AND rehearsal = ?2");
    if (!checkins)
        return checkins.error();
    checkins->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
    (void)checkins->next();
    // The zero report must be true: nothing may have been cast before opening.
    if (n->ballots || n->suggestions || checkins->integer(0))
        return err("session-not-empty", QStringLiteral("refusing to open: records for this session already exist on this kiosk"));
    checkins->reset();
    Database::Transaction tx(db());
    auto ins = db().prepare("INSERT INTO session (code, rehearsal, state) VALUES (?1, ?2, 'open')");
    if (!ins)
        return ins.error();
    if (auto s = ins->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0).exec(); !s)
        return s.error();
    // The ballot box's slots, before anyone votes: one ballot and maxSuggestionsPerVoter
    // suggestion slots per representative invited to the session at this venue.
    auto invited = invitedCount(db(), key.code);
    if (!invited)
        return invited.error();
    BallotBox &box = ballotBox();
    constexpr auto overhead = qsizetype(crypto::sealOverheadBytes);
    if (auto s = box.allocate(key.code, key.rehearsal, RecordKind::Ballot, *invited, m_ballotSize + overhead); !s)
        return s.error();
    if (auto s = box.allocate(key.code, key.rehearsal, RecordKind::Suggestion, *invited * maxSuggestionsPerVoter,
                              suggestionPadBlock + overhead);
        !s)
        return s.error();
    if (auto s = audit(QStringLiteral("session-open"), {{QStringLiteral("session"), key.code}, {QStringLiteral("rehearsal"), key.rehearsal}}); !s)
        return s.error();
    auto r = makeReport(key, QStringLiteral("zero"));
    if (!r)
        return r.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    return r;
}

Status KioskService::pauseSession(const SessionKey &key)
{
    if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("pause a session")); !s)
        return s;
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Open)
        return illegal(key, *state, QStringLiteral("pause it"));
    if (m_active)
        return err("voter-active", QStringLiteral("a representative is voting: wait until they finish, or release their check-in"));
    return setState(key, SessionState::Open, SessionState::Paused, QStringLiteral("session-pause"));
}

Status KioskService::resumeSession(const SessionKey &key)
{
    if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("resume a session")); !s)
        return s;
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Paused)
        return illegal(key, *state, QStringLiteral("resume it"));
    return setState(key, SessionState::Paused, SessionState::Open, QStringLiteral("session-resume"));
}

Result<Report> KioskService::closeSession(const SessionKey &key)
{
    if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("close a session")); !s)
        return s.error();
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Open && *state != SessionState::Paused)
        return illegal(key, *state, QStringLiteral("close it"));
    if (m_active)
        return err("voter-active", QStringLiteral("a representative is voting: wait until they finish, or release their check-in"));
    if (auto s = checkInvariants(key); !s)
        return s.error();
    Database::Transaction tx(db());
    if (auto s = setState(key, *state, SessionState::Closed, QStringLiteral("session-close")); !s)
        return s.error();
    auto r = makeReport(key, QStringLiteral("closing"));
    if (!r)
        return r.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    // Fold the write-ahead log into the database so it no longer holds the session's
    // transactions in the order they happened.
    if (auto s = db().exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s)
        qCWarning(lcKiosk) << "could not truncate the write-ahead log after closing:" << s.error().message;
    return r;
}

Status KioskService::checkInvariants(const SessionKey &key) const
{
    auto n = counts(key);
    if (!n)
        return n.error();
    auto st = db().prepare(
        "SELECT SUM(status = 'voted'), SUM(status = 'active') FROM checkin WHERE code = ?1 AND rehearsal = ?2");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
    (void)st->next();
    const qint64 voted = st->integer(0);
    const qint64 active = st->integer(1);
    st->reset();
    auto broken = [](const QString &what) {
        return Status(makeError(QStringLiteral("invariant"),
                                QStringLiteral("the kiosk's records do not add up (%1): do not export; call the technician").arg(what)));
    };
    if (n->checkins != n->ballots + n->released + active)
        return broken(QStringLiteral("%1 check-ins, %2 ballots, %3 released, %4 voting now")
                          .arg(n->checkins).arg(n->ballots).arg(n->released).arg(active));
    if (voted != n->ballots)
        return broken(QStringLiteral("%1 representatives marked as voted, %2 ballots").arg(voted).arg(n->ballots));
    const SessionContext ctx = context(key);
    auto records = ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    QSet<QByteArray> ids;
    for (const SealedRecord &r : *records) {
        if (!verifyRecord(ctx, r, m_key.publicKey()))
            return broken(QStringLiteral("a stored record does not verify"));
        ids.insert(r.id());
    }
    if (ids.size() != records->size())
        return broken(QStringLiteral("two stored records have the same id"));
    return {};
}

Result<BatchContent> KioskService::batchContent(const SessionKey &key) const
{
    auto n = counts(key);
    if (!n)
        return n.error();
    BatchContent c;
    c.header.context = context(key);
    c.header.counts = *n;
    c.header.kioskCertificate = m_certificate;
    auto records = ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    c.records = std::move(records).value();
    auto st
        = db().prepare("SELECT rep_id, status FROM checkin WHERE code = ?1 AND rehearsal = ?2 AND status != 'active'");
    if (!st)
        return st.error();
    st->bind(1, key.code).bind(2, key.rehearsal ? 1 : 0);
    if (auto stepped = st->forEach([&](Statement &) {
            c.checkins.append({st->text(0), st->text(1) == QLatin1String("voted")});
        });
        !stepped)
        return stepped.error();
    auto events = AuditLog::read(db());
    if (!events)
        return events.error();
    c.auditLog = AuditLog::toJsonLines(*events);
    return c;
}

Result<ExportResult> KioskService::exportSession(const SessionKey &key, const QString &targetDir)
{
    if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("export a session")); !s)
        return s.error();
    auto state = stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Closed && *state != SessionState::Exported)
        return illegal(key, *state, QStringLiteral("export it (close it first)"));
    auto fail = [&](const Error &e) {
        (void)audit(QStringLiteral("export-failed"), {{QStringLiteral("session"), key.code},
                                                      {QStringLiteral("rehearsal"), key.rehearsal},
                                                      {QStringLiteral("reason"), e.code}});
        return e;
    };
    if (auto s = checkInvariants(key); !s)
        return fail(s.error());
    const QFileInfo dir(targetDir);
    if (!dir.exists() || !dir.isDir())
        return fail(err("export-target", QStringLiteral("the export drive %1 is not there (was it removed?): insert it and try again").arg(targetDir)));
    if (!dir.isWritable())
        return fail(err("export-target", QStringLiteral("the export drive %1 is read-only: unlock it or use another drive").arg(targetDir)));
    auto content = batchContent(key);
    if (!content)
        return fail(content.error());
    const QList<SealedRecord> stored = content->records;
    crypto::SecretBytes fileKey;
    const QByteArray bytes = writeBatch(*content, m_key, m_electionPublicKey, m_archivePublicKey, &fileKey);
    const QStorageInfo storage(targetDir);
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < bytes.size() + 4096)
        return fail(err("export-full", QStringLiteral("the export drive is full (%1 KB free, the batch needs %2 KB): use another drive")
                                           .arg(storage.bytesAvailable() / 1024)
                                           .arg(bytes.size() / 1024 + 4)));
    const QString path = QDir(targetDir).filePath(batchFileName(context(key)));
    if (auto s = writeFileAtomic(path, bytes); !s)
        return fail(s.error());

    // Read back what is on the drive and verify it before anyone is told it is safe.
    auto verifyWritten = [&]() -> Status {
        auto back = readFile(path);
        if (!back)
            return back.error();
        if (*back != bytes)
            return err("export-verify", QStringLiteral("the file read back from the drive differs from what was written"));
        auto file = readBatch(*back);
        if (!file)
            return file.error();
        if (auto s = verifyBatchSignature(*file, m_key.publicKey()); !s)
            return s;
        auto decoded = decryptBatch(*file, fileKey);
        if (!decoded)
            return decoded.error();
        if (!verifyRecords(*decoded, m_key.publicKey()).isEmpty())
            return err("export-verify", QStringLiteral("a record read back from the drive does not verify"));
        if (auto s = checkBatchInvariants(*decoded); !s)
            return s;
        if (decoded->records.size() != stored.size())
            return err("export-verify", QStringLiteral("the drive holds %1 records, the kiosk %2").arg(decoded->records.size()).arg(stored.size()));
        return {};
    };
    if (auto s = verifyWritten(); !s) {
        QFile::remove(path);
        return fail(err("export-verify", QStringLiteral("the batch on the drive failed verification (%1): it was removed; try again or use another drive")
                                             .arg(s.error().message)));
    }
    Database::Transaction tx(db());
    if (*state == SessionState::Closed) {
        if (auto s = setState(key, SessionState::Closed, SessionState::Exported, QStringLiteral("session-exported")); !s)
            return s.error();
    }
    const QByteArray digest = sortedIdDigest([&] {
        QList<QByteArray> ids;
        for (const SealedRecord &r : stored)
            if (r.kind == RecordKind::Ballot)
                ids.append(r.id());
        return ids;
    }());
    if (auto s = audit(QStringLiteral("export"), {{QStringLiteral("session"), key.code},
                                                  {QStringLiteral("rehearsal"), key.rehearsal},
                                                  {QStringLiteral("file"), QFileInfo(path).fileName()},
                                                  {QStringLiteral("blake2b"), QString::fromLatin1(crypto::hash(bytes).toHex())}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    if (auto s = db().exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s)
        qCWarning(lcKiosk) << "could not truncate the write-ahead log after export:" << s.error().message;
    return ExportResult{path, bytes.size(), content->header.counts, QString::fromLatin1(digest.toHex())};
}

// ---- the voter -----------------------------------------------------------------------

Result<CheckIn> KioskService::refuse(const Error &error)
{
    // Only the reason: a refusal event never names the person.
    (void)audit(QStringLiteral("check-in-refused"), {{QStringLiteral("reason"), error.code}});
    return error;
}

Result<CheckIn> KioskService::admit(const QString &repId, IdentityMethod method, const QJsonObject &overrideEvent)
{
    static const char *const methodNames[] = {"credential", "id_number", "face", "override"};
    if (!m_activity.identityMethods.contains(QLatin1String(methodNames[int(method)])))
        return refuse(err("method-not-allowed", QStringLiteral("this way of identifying is not used in this activity: please use your invitation card or see the venue staff")));
    const auto current = currentSession();
    const auto state = current ? stateOf(*current) : Result<SessionState>(SessionState::Ready);
    if (!current || !state || *state != SessionState::Open)
        return refuse(err("session-not-open", QStringLiteral("voting is not open at this kiosk now: please wait for the staff to open the session")));
    if (m_active)
        return refuse(err("busy", QStringLiteral("another representative is voting at this kiosk: please wait")));
    auto st = db().prepare("SELECT masked_name, category, sessions FROM roster WHERE rep_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, repId);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return refuse(err("credential-unknown", QStringLiteral("this representative is not on this venue's list: please see the venue staff")));
    CheckIn c{st->text(0), st->text(1), *current, method};
    const QStringList sessions = st->text(2).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    st->reset();
    if (!sessions.contains(current->code)) {
        QStringList names;
        for (const QString &s : sessions)
            names << (m_activity.session(s) ? m_activity.session(s)->name : s);
        return refuse(err("not-in-session", QStringLiteral("you are invited to %1, not to the group being evaluated now (%2): please come to that session")
                                               .arg(names.join(QStringLiteral("、")), m_activity.session(current->code)->name)));
    }
    auto prior = db().prepare("SELECT status FROM checkin WHERE code = ?1 AND rehearsal = ?2 AND rep_id = ?3");
    if (!prior)
        return prior.error();
    prior->bind(1, current->code).bind(2, current->rehearsal ? 1 : 0).bind(3, repId);
    auto p = prior->next();
    if (!p)
        return p.error();
    if (*p && prior->text(0) == QLatin1String("voted"))
        return refuse(err("already-voted", QStringLiteral("this representative has already voted in this session at this kiosk")));
    prior->reset();
    Database::Transaction tx(db());
    auto up = db().prepare("INSERT INTO checkin (code, rehearsal, rep_id, status) VALUES (?1, ?2, ?3, 'active') "
                           "ON CONFLICT (code, rehearsal, rep_id) DO UPDATE SET status = 'active'");
    auto cnt = db().prepare("UPDATE session SET checkins = checkins + 1 WHERE code = ?1 AND rehearsal = ?2");
    if (!up || !cnt)
        return !up ? up.error() : cnt.error();
    if (auto s = up->bind(1, current->code).bind(2, current->rehearsal ? 1 : 0).bind(3, repId).exec(); !s)
        return s.error();
    if (auto s = cnt->bind(1, current->code).bind(2, current->rehearsal ? 1 : 0).exec(); !s)
        return s.error();
    // An override is logged in the same transaction as the admission it made.
    if (!overrideEvent.isEmpty())
        if (auto s = audit(QStringLiteral("override"), overrideEvent); !s)
            return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    m_active = Active{repId, *current};
    return c;
}

Result<CheckIn> KioskService::checkInCredential(const QString &qrText)
{
    if (provisioning() != Provisioning::Ready)
        return err("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
    auto cred = Credential::verify(qrText, m_rootPublicKey, m_activity.id, m_venue);
    if (!cred)
        return refuse(cred.error());
    return admit(cred->repId, IdentityMethod::Credential);
}

Result<CheckIn> KioskService::checkInIdNumber(const QString &idNumber)
{
    if (provisioning() != Provisioning::Ready)
        return err("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
    const QString id = idnumber::normalized(idNumber);
    if (const QString why = idnumber::problem(id); !why.isEmpty())
        return refuse(err("id-invalid", QStringLiteral("this ID number is not valid (%1): please check it and type it again").arg(why)));
    auto st = db().prepare("SELECT rep_id FROM roster WHERE id_hash = ?1");
    if (!st)
        return st.error();
    st->bind(1, crypto::keyedHash(m_idHashKey, id.toLatin1()));
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return refuse(err("id-unknown", QStringLiteral("this ID number is not on this venue's list of representatives: please see the venue staff")));
    return admit(st->text(0), IdentityMethod::IdNumber);
}

Result<CheckIn> KioskService::checkInFace(const QString &repId)
{
    if (provisioning() != Provisioning::Ready)
        return err("no-package", QStringLiteral("this kiosk is not ready: no venue package"));
    return admit(repId, IdentityMethod::Face);
}

Result<CheckIn> KioskService::checkInOverride(const QString &repIdOrIdNumber, const QString &reason)
{
    if (auto s = requireRole({Role::Lead}, QStringLiteral("let a representative in without the usual check")); !s)
        return s.error();
    if (reason.trimmed().size() < 4)
        return err("override-reason", QStringLiteral("write down why the usual check failed (at least a few words)"));
    QString repId = repIdOrIdNumber.trimmed();
    const QString id = idnumber::normalized(repId);
    if (idnumber::isValid(id)) {
        auto st = db().prepare("SELECT rep_id FROM roster WHERE id_hash = ?1");
        if (!st)
            return st.error();
        st->bind(1, crypto::keyedHash(m_idHashKey, id.toLatin1()));
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            return refuse(err("id-unknown", QStringLiteral("this ID number is not on this venue's list of representatives")));
        repId = st->text(0);
    }
    touch();
    return admit(repId, IdentityMethod::Override,
                 {{QStringLiteral("rep"), repId}, {QStringLiteral("reason"), reason.trimmed()}, {QStringLiteral("by"), roleName(role())}});
}

Result<Receipt> KioskService::cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions)
{
    if (!m_active)
        return err("no-voter", QStringLiteral("nobody is checked in at this kiosk"));
    if (ballot.session != m_active->session.code)
        return err("ballot-session", QStringLiteral("this ballot is for another group session"));
    if (auto s = validateBallot(m_activity, ballot); !s)
        return s.error();
    if (suggestions.size() > maxSuggestionsPerVoter)
        return err("suggestion-invalid",
                   QStringLiteral("at most %1 suggestion(s) per representative").arg(maxSuggestionsPerVoter));
    for (const Suggestion &sg : suggestions) {
        if (sg.session != m_active->session.code)
            return err("suggestion-invalid", QStringLiteral("a suggestion is for another group session"));
        if (auto s = validateSuggestion(m_activity, sg); !s)
            return s.error();
    }
    // Sealed to the election key at once: from here on the kiosk cannot read it.
    const SessionContext ctx = context(m_active->session);
    const SealedRecord b = sealRecord(ctx, RecordKind::Ballot, encodeBallot(m_activity.id, ballot, m_ballotSize),
                                      m_electionPublicKey, m_key);
    QList<SealedRecord> extra;
    for (const Suggestion &sg : suggestions)
        extra.append(sealRecord(ctx, RecordKind::Suggestion, encodeSuggestion(m_activity.id, sg), m_electionPublicKey, m_key));

    const int rehearsal = m_active->session.rehearsal ? 1 : 0;
    const QByteArray ballotId = b.id();
    Database::Transaction tx(db());
    if (!tx.status())
        return tx.status().error();
    auto mark = db().cached(
        "UPDATE checkin SET status = 'voted' WHERE code = ?1 AND rehearsal = ?2 AND rep_id = ?3 AND status = 'active'");
    if (!mark)
        return mark.error();
    if (auto s = (*mark)->bind(1, m_active->session.code).bind(2, rehearsal).bind(3, m_active->repId).exec(); !s)
        return s.error();
    if (db().changes() != 1)
        return err("no-voter", QStringLiteral("the check-in is no longer active"));
    // Slots taken by a transaction that does not commit are free again.
    BallotBox &box = ballotBox();
    auto forget = qScopeGuard([&] { box.invalidate(); });
    if (auto s = box.put(m_active->session.code, m_active->session.rehearsal, b); !s)
        return s.error();
    for (const SealedRecord &r : extra)
        if (auto s = box.put(m_active->session.code, m_active->session.rehearsal, r); !s)
            return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    forget.dismiss();
    m_active.reset();
    // The log now holds this cast's pages (the check-in marked voted beside the ballot's
    // slot): fold them into the database and empty the log. The ballot is durable already
    // (synchronous=FULL), so the voter need not wait for the second write; anything that
    // next uses the database waits for it (db()), and open() finishes it after a power cut.
    m_fold = std::async(std::launch::async, [this] {
        if (auto s = m_db->truncateWal(); !s)
            qCWarning(lcKiosk) << "could not truncate the write-ahead log after a cast:" << s.error().message;
    });
    return Receipt{receiptCode(ballotId), qint64(extra.size())};
}

Status KioskService::release(ReleaseReason reason)
{
    if (!m_active)
        return err("no-voter", QStringLiteral("nobody is checked in at this kiosk"));
    if (reason == ReleaseReason::StaffReset)
        if (auto s = requireRole({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("release a representative's check-in")); !s)
            return s;
    const QString why = reason == ReleaseReason::Idle        ? QStringLiteral("idle")
                        : reason == ReleaseReason::Cancelled ? QStringLiteral("cancelled")
                                                             : QStringLiteral("staff");
    if (auto s = releaseActive(why); !s)
        return s;
    m_active.reset();
    return {};
}

Status KioskService::releaseActive(const QString &why)
{
    const int rehearsal = m_active->session.rehearsal ? 1 : 0;
    Database::Transaction tx(db());
    auto mark = db().prepare("UPDATE checkin SET status = 'released' WHERE code = ?1 AND rehearsal = ?2 AND rep_id = "
                             "?3 AND status = 'active'");
    auto cnt = db().prepare("UPDATE session SET released = released + 1 WHERE code = ?1 AND rehearsal = ?2");
    if (!mark || !cnt)
        return !mark ? mark.error() : cnt.error();
    if (auto s = mark->bind(1, m_active->session.code).bind(2, rehearsal).bind(3, m_active->repId).exec(); !s)
        return s;
    if (auto s = cnt->bind(1, m_active->session.code).bind(2, rehearsal).exec(); !s)
        return s;
    if (auto s = audit(QStringLiteral("check-in-released"), {{QStringLiteral("session"), m_active->session.code},
                                                             {QStringLiteral("rehearsal"), m_active->session.rehearsal},
                                                             {QStringLiteral("reason"), why}});
        !s)
        return s;
    return tx.commit();
}

Result<QList<AuditEvent>> KioskService::auditLog() const
{
    return AuditLog::read(db());
}

Status KioskService::verifyAuditLog() const
{
    auto events = AuditLog::read(db());
    if (!events)
        return events.error();
    return AuditLog::verify(*events, m_key.publicKey());
}

} // namespace pingyi::kiosk
