#include "hqstore.h"

namespace pingyi::hq::store {

namespace {

constexpr Migration migrations[] = {
    {1, R"sql(
CREATE TABLE activity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    activity_id TEXT NOT NULL,
    spec BLOB NOT NULL
);
-- The ID number itself is never stored: only its keyed BLAKE2b hash.
CREATE TABLE representative (
    rep_id TEXT PRIMARY KEY,
    id_hash BLOB NOT NULL UNIQUE,
    masked_name TEXT NOT NULL,
    category TEXT NOT NULL,
    venue TEXT NOT NULL,
    sessions TEXT NOT NULL
);
CREATE INDEX representative_venue ON representative (venue);
CREATE TABLE kiosk (
    kiosk_id TEXT PRIMARY KEY,
    venue TEXT NOT NULL,
    sign_pk BLOB NOT NULL UNIQUE,
    certificate BLOB NOT NULL,
    serial INTEGER NOT NULL UNIQUE
);
CREATE TABLE staff_pin (
    venue TEXT NOT NULL,
    role TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    PRIMARY KEY (venue, role)
);
CREATE TABLE package (
    venue TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
)sql"},
    // Import (docs/tally.md §HQ database). The sealed records stay in the archived batch
    // files (batches/); a batch row lists the ids it counted as one sorted blob (the list
    // the kiosk's digest is taken over) — no order of casting, no time, nobody — and its
    // check-in list (for attendance), which is never joined to a record.
    {2, R"sql(
CREATE TABLE batch (
    batch_id INTEGER PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    venue TEXT NOT NULL,
    session TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_digest BLOB NOT NULL,
    header BLOB NOT NULL,
    checkins INTEGER NOT NULL,
    ballots INTEGER NOT NULL,
    released INTEGER NOT NULL,
    suggestions INTEGER NOT NULL,
    ballot_digest BLOB NOT NULL,
    suggestion_digest BLOB NOT NULL,
    checkin_digest BLOB NOT NULL,
    counted_ballots INTEGER NOT NULL,
    counted_suggestions INTEGER NOT NULL,
    quarantined INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'discrepancy')),
    findings TEXT NOT NULL,
    closing_report TEXT,
    audit_log BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    archive_file TEXT NOT NULL,
    ballot_ids BLOB NOT NULL,
    suggestion_ids BLOB NOT NULL,
    checkin_list BLOB NOT NULL,
    UNIQUE (kiosk_id, session)
);
CREATE TABLE quarantine (
    batch_id INTEGER NOT NULL REFERENCES batch (batch_id),
    position INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    record_id BLOB NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    counted_by_kiosk INTEGER NOT NULL CHECK (counted_by_kiosk IN (0, 1)),
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL,
    PRIMARY KEY (batch_id, position)
);
CREATE TABLE import_refusal (
    file_name TEXT NOT NULL,
    file_digest BLOB NOT NULL,
    kiosk_id TEXT NOT NULL,
    venue TEXT NOT NULL,
    session TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);
)sql"},
    // Tally runs (docs/tally.md §HQ database): what each published tally covered, so the
    // bulletin lists only ballots a tally counted, and a new full release can be refused
    // when it differs from an earlier one by fewer ballots than the anonymity threshold;
    // `part` is the venue breakdown part a cell was shown in (-1: not shown), which a
    // later full release keeps together.
    {3, R"sql(
CREATE TABLE tally_run (
    run_id INTEGER PRIMARY KEY,
    generated TEXT NOT NULL,
    full INTEGER NOT NULL CHECK (full IN (0, 1))
);
CREATE TABLE tally_batch (
    run_id INTEGER NOT NULL REFERENCES tally_run (run_id),
    batch_id INTEGER NOT NULL,
    PRIMARY KEY (run_id, batch_id)
);
CREATE TABLE tally_cell (
    run_id INTEGER NOT NULL REFERENCES tally_run (run_id),
    session TEXT NOT NULL,
    venue TEXT NOT NULL,
    ballots INTEGER NOT NULL,
    part INTEGER NOT NULL,
    PRIMARY KEY (run_id, session, venue)
);
CREATE TABLE tally_rejected (
    run_id INTEGER NOT NULL REFERENCES tally_run (run_id),
    record_id BLOB NOT NULL,
    kind INTEGER NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (run_id, record_id)
);
)sql"},
    // Ballot secrecy: a quarantined record's index in its batch's stream could follow the
    // order of casting (in a faulty kiosk's batch), so it is no longer kept. Copies of one
    // record are numbered instead, in signature order; WITHOUT ROWID, so not even the
    // insertion order is kept.
    {4, R"sql(
CREATE TABLE quarantine_v3 (
    batch_id INTEGER NOT NULL REFERENCES batch (batch_id),
    record_id BLOB NOT NULL,
    code TEXT NOT NULL,
    copy_no INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    message TEXT NOT NULL,
    counted_by_kiosk INTEGER NOT NULL CHECK (counted_by_kiosk IN (0, 1)),
    sealed BLOB NOT NULL,
    signature BLOB NOT NULL,
    PRIMARY KEY (batch_id, record_id, code, copy_no)
) WITHOUT ROWID;
INSERT INTO quarantine_v3 (batch_id, record_id, code, copy_no, kind, message, counted_by_kiosk, sealed, signature)
    SELECT batch_id, record_id, code,
           ROW_NUMBER() OVER (PARTITION BY batch_id, record_id, code ORDER BY signature),
           kind, message, counted_by_kiosk, sealed, signature
    FROM quarantine;
DROP TABLE quarantine;
ALTER TABLE quarantine_v3 RENAME TO quarantine;
)sql"},
    // Kiosk reports and retirements (docs/tally.md §Kiosks the office expects): a kiosk
    // that made a zero or closing report for a group is expected to send that group's
    // batch, so the tally refuses full results without it; a retired kiosk is no longer
    // expected. `incomplete` on a tally run is the office's recorded acknowledgement that
    // a full release lacks the ballots of a retired (lost) kiosk.
    {5, R"sql(
CREATE TABLE kiosk_report (
    kiosk_id TEXT NOT NULL,
    venue TEXT NOT NULL,
    session TEXT NOT NULL,
    rehearsal INTEGER NOT NULL CHECK (rehearsal IN (0, 1)),
    kind TEXT NOT NULL CHECK (kind IN ('zero', 'closing')),
    checkins INTEGER NOT NULL,
    ballots INTEGER NOT NULL,
    released INTEGER NOT NULL,
    suggestions INTEGER NOT NULL,
    ballot_digest BLOB NOT NULL,
    payload TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, session, rehearsal, kind)
);
CREATE TABLE kiosk_retired (
    kiosk_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    retired_at TEXT NOT NULL
);
ALTER TABLE tally_run ADD COLUMN incomplete TEXT;
)sql"},
    // Face enrolment (docs/identity.md#enrolment): the template made from a representative's
    // photo at roster import; never the photo. Replaced with the roster.
    {6, R"sql(
CREATE TABLE face_template (
    rep_id TEXT PRIMARY KEY REFERENCES representative (rep_id) ON DELETE CASCADE,
    template BLOB NOT NULL CHECK (length(template) = 512)
);
)sql"},
};

} // namespace

Result<Database> openDatabase(const QString &path)
{
    return Database::open(path, migrations);
}

/// Whether any batch has been imported: from then on the spec and the roster stay put.
Result<bool> batchesImported(Database &db)
{
    auto st = db.prepare("SELECT EXISTS (SELECT 1 FROM batch)");
    if (!st)
        return st.error();
    auto row = st->next();
    if (!row)
        return row.error();
    return *row && st->integer(0) != 0;
}

Result<std::optional<QByteArray>> activitySpec(Database &db)
{
    auto st = db.prepare("SELECT spec FROM activity");
    if (!st)
        return st.error();
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(st->blob(0));
}

Status saveActivity(Database &db, const QString &activityId, const QByteArray &spec)
{
    auto st = db.prepare("INSERT INTO activity (singleton, activity_id, spec) VALUES (1, ?1, ?2) "
                         "ON CONFLICT (singleton) DO UPDATE SET spec = excluded.spec");
    if (!st)
        return st.error();
    return st->bind(1, activityId).bind(2, spec).exec();
}

Status replaceRoster(Database &db, const QList<RepresentativeRow> &rows)
{
    if (auto s = db.exec("DELETE FROM face_template"); !s)
        return s;
    if (auto s = db.exec("DELETE FROM representative"); !s)
        return s;
    auto insert = db.prepare("INSERT INTO representative (rep_id, id_hash, masked_name, category, venue, sessions) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert)
        return insert.error();
    for (const RepresentativeRow &r : rows)
        if (auto s = insert->bind(1, r.repId)
                         .bind(2, r.idHash)
                         .bind(3, r.maskedName)
                         .bind(4, r.category)
                         .bind(5, r.venue)
                         .bind(6, r.sessions.join(QLatin1Char(';')))
                         .exec();
            !s)
            return s;
    return {};
}

Result<QList<RepresentativeRow>> representatives(Database &db, const QString &venue)
{
    auto st = db.prepare("SELECT rep_id, id_hash, masked_name, category, venue, sessions FROM representative "
                         "WHERE ?1 = '' OR venue = ?1 ORDER BY venue, rep_id");
    if (!st)
        return st.error();
    st->bind(1, venue);
    QList<RepresentativeRow> out;
    if (auto stepped = st->forEach([&](Statement &row) {
            out.append({row.text(0), row.blob(1), row.text(2), row.text(3), row.text(4),
                        row.text(5).split(QLatin1Char(';'), Qt::SkipEmptyParts)});
        });
        !stepped)
        return stepped.error();
    return out;
}

Status saveFaceTemplates(Database &db, const QMap<QString, QByteArray> &templates)
{
    auto insert = db.prepare("INSERT INTO face_template (rep_id, template) VALUES (?1, ?2) "
                             "ON CONFLICT (rep_id) DO UPDATE SET template = excluded.template");
    if (!insert)
        return insert.error();
    for (auto it = templates.cbegin(); it != templates.cend(); ++it)
        if (auto s = insert->bind(1, it.key()).bind(2, it.value()).exec(); !s)
            return s;
    return {};
}

Result<QMap<QString, QByteArray>> faceTemplates(Database &db)
{
    auto st = db.prepare("SELECT rep_id, template FROM face_template");
    if (!st)
        return st.error();
    QMap<QString, QByteArray> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.insert(row.text(0), row.blob(1)); }); !stepped)
        return stepped.error();
    return out;
}

namespace {

KioskRow kioskFrom(const Statement &st)
{
    return {st.text(0), st.text(1), st.blob(2), st.blob(3), st.integer(4)};
}

} // namespace

Result<QList<KioskRow>> kiosks(Database &db, const QString &venue)
{
    auto st = db.prepare("SELECT kiosk_id, venue, sign_pk, certificate, serial FROM kiosk "
                         "WHERE ?1 = '' OR venue = ?1 ORDER BY venue, kiosk_id");
    if (!st)
        return st.error();
    st->bind(1, venue);
    QList<KioskRow> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.append(kioskFrom(row)); }); !stepped)
        return stepped.error();
    return out;
}

Result<std::optional<KioskRow>> kiosk(Database &db, const QString &kioskId)
{
    auto st = db.prepare("SELECT kiosk_id, venue, sign_pk, certificate, serial FROM kiosk WHERE kiosk_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, kioskId);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<KioskRow>();
    return std::optional<KioskRow>(kioskFrom(*st));
}

Result<QList<KioskRow>> kiosksWithIdOrKey(Database &db, const QString &kioskId, const QByteArray &signPublicKey)
{
    auto st = db.prepare("SELECT kiosk_id, venue, sign_pk, certificate, serial FROM kiosk "
                         "WHERE kiosk_id = ?1 OR sign_pk = ?2");
    if (!st)
        return st.error();
    st->bind(1, kioskId).bind(2, signPublicKey);
    QList<KioskRow> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.append(kioskFrom(row)); }); !stepped)
        return stepped.error();
    return out;
}

Result<qint64> nextKioskSerial(Database &db)
{
    auto st = db.prepare("SELECT COALESCE(MAX(serial), 0) + 1 FROM kiosk");
    if (!st)
        return st.error();
    if (auto r = st->next(); !r)
        return r.error();
    return st->integer(0);
}

Status insertKiosk(Database &db, const KioskRow &k)
{
    auto st
        = db.prepare("INSERT INTO kiosk (kiosk_id, venue, sign_pk, certificate, serial) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return st.error();
    return st->bind(1, k.kioskId)
        .bind(2, k.venue)
        .bind(3, k.signPublicKey)
        .bind(4, k.certificate)
        .bind(5, k.serial)
        .exec();
}

Status setStaffPin(Database &db, const QString &venue, const QString &role, const QString &pinHash)
{
    auto st = db.prepare("INSERT OR REPLACE INTO staff_pin (venue, role, pin_hash) VALUES (?1, ?2, ?3)");
    if (!st)
        return st.error();
    return st->bind(1, venue).bind(2, role).bind(3, pinHash).exec();
}

Result<QList<StaffPin>> staffPins(Database &db, const QString &venue)
{
    auto st = db.prepare("SELECT role, pin_hash FROM staff_pin WHERE venue = ?1 ORDER BY role");
    if (!st)
        return st.error();
    st->bind(1, venue);
    QList<StaffPin> out;
    if (auto stepped = st->forEach([&](Statement &row) { out.append({row.text(0), row.text(1)}); }); !stepped)
        return stepped.error();
    return out;
}

Result<qint64> bumpPackageVersion(Database &db, const QString &venue)
{
    auto st = db.prepare("INSERT INTO package (venue, version) VALUES (?1, 1) "
                         "ON CONFLICT (venue) DO UPDATE SET version = version + 1 RETURNING version");
    if (!st)
        return st.error();
    st->bind(1, venue);
    if (auto r = st->next(); !r || !*r)
        return r ? makeError(QStringLiteral("db"), QStringLiteral("cannot number the package")) : r.error();
    const qint64 version = st->integer(0);
    st->reset();
    return version;
}

Result<std::optional<TallyRunRow>> lastTallyRun(Database &db)
{
    auto st = db.prepare("SELECT run_id, generated FROM tally_run ORDER BY run_id DESC LIMIT 1");
    if (!st)
        return st.error();
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<TallyRunRow>();
    return std::optional<TallyRunRow>(TallyRunRow {st->integer(0), st->text(1)});
}

Result<QSet<qint64>> tallyRunBatches(Database &db, qint64 run)
{
    QSet<qint64> covered;
    auto st = db.prepare("SELECT batch_id FROM tally_batch WHERE run_id = ?1");
    if (!st)
        return st.error();
    st->bind(1, run);
    if (auto stepped = st->forEach([&](Statement &) { covered.insert(st->integer(0)); }); !stepped)
        return stepped.error();
    return covered;
}

Status forEachTallyRejected(Database &db, qint64 run, int kind,
                            const std::function<void(const QByteArray &, const QString &)> &fn)
{
    auto rj = db.prepare("SELECT record_id, code FROM tally_rejected WHERE run_id = ?1 AND kind = ?2");
    if (!rj)
        return rj.error();
    rj->bind(1, run).bind(2, kind);
    return rj->forEach([&](Statement &) { fn(rj->blob(0), rj->text(1)); });
}

Result<qint64> quarantinedCount(Database &db, int kind)
{
    auto st = db.prepare("SELECT COUNT(*) FROM quarantine WHERE kind = ?1");
    if (!st)
        return st.error();
    st->bind(1, kind);
    if (auto row = st->next(); !row)
        return row.error();
    return st->integer(0);
}

Status forEachBatchBallotIds(Database &db, const std::function<void(qint64, const QString &, const QByteArray &)> &fn)
{
    auto st = db.prepare("SELECT batch_id, venue, ballot_ids FROM batch");
    if (!st)
        return st.error();
    return st->forEach([&](Statement &) { fn(st->integer(0), st->text(1), st->blob(2)); });
}

} // namespace pingyi::hq::store
