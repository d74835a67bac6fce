// The tamper corpus: real batches from the simulator (the real kiosk service), mutated in
// every region — byte flips, truncation, appended data, other files — and, signed again
// with the kiosk's own key, changed in meaning: records swapped between batches or
// duplicated, forged or misplaced kiosk certificates, another activity, a rehearsal, a
// replay with different content, counts and check-in lists that do not add up, closing
// reports that disagree, a record signed by a kiosk for two sessions. Each one must be
// refused, or have its bad records quarantined, with its specific reason, and nothing of
// it may be counted. Then what a run must keep straight around the batches: the lock, a
// batch committed by someone else mid-run, closing and zero reports, a database that
// fails mid-run, progress, and that hq.db keeps no order of records.

#include "hqlock.h"
#include "hqtestutil.h"
#include "importer.h"
#include "report.h"
#include "simulator.h"
#include "storage.h"
#include "tally.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

struct Case {
    QString name;
    QByteArray bytes;
    QList<QByteArray> before; ///< imported first (replays, records counted before)
    QStringList closingReports;
    QStringList codes; ///< refused with one of these reasons; empty: imported with quarantine
    QStringList also; ///< (refused) codes that must be among the problems as well
    QStringList never; ///< (refused) codes that must not be among the problems
    QString mentions; ///< (refused) words the reason must contain
    QStringList quarantine; ///< expected quarantine codes, sorted
    qint64 countedBallots = -1; ///< valid ballots the tally must count afterwards, all batches
    bool discrepancy = false;
};

QByteArray flipped(QByteArray b, qsizetype pos, char mask = 0x01)
{
    b[pos] = char(b[pos] ^ mask);
    return b;
}

QByteArray replaced(QByteArray b, qsizetype pos, char c)
{
    Q_ASSERT(b[pos] != c);
    b[pos] = c;
    return b;
}

/// Position of the value after `"key":"` in the header (the first occurrence).
qsizetype valueAt(const QByteArray &file, const QByteArray &key)
{
    const qsizetype at = file.indexOf('"' + key + "\":");
    Q_ASSERT(at > 0);
    qsizetype pos = at + key.size() + 3;
    if (file[pos] == '"' || file[pos] == '{')
        ++pos;
    return pos;
}

char otherHex(char c)
{
    return c == '0' ? '1' : '0';
}
char otherB64(char c)
{
    return c == 'A' ? 'B' : 'A';
}

QSet<QByteArray> ids(const QList<SealedRecord> &records)
{
    QSet<QByteArray> out;
    for (const SealedRecord &r : records)
        out.insert(r.id());
    return out;
}

bool kioskOrder(const SealedRecord &a, const SealedRecord &b)
{
    return a.kind != b.kind ? a.kind < b.kind : a.id() < b.id();
}

/// Where a kiosk writes a record: ballots then suggestions, each ascending by id (a
/// second copy next to the first). Only a faulty kiosk writes anything else.
void insertSorted(QList<SealedRecord> &records, const SealedRecord &r)
{
    records.insert(std::lower_bound(records.begin(), records.end(), r, kioskOrder), r);
}

void sortRecords(QList<SealedRecord> &records)
{
    std::stable_sort(records.begin(), records.end(), kioskOrder);
}

/// The record signed again by `key` for another session context (what a kiosk key held
/// by the wrong hands, or a faulty kiosk, can do).
SealedRecord resigned(SealedRecord r, const SessionContext &ctx, const crypto::SigningKey &key)
{
    r.signature = key.sign(recordDomain(r.kind), recordSigningBytes(ctx, r.kind, r.sealed));
    return r;
}

/// Forge::build with a check-in chunk given as raw JSON (entries a kiosk would never write).
QByteArray buildWithCheckins(const Forge &f, const crypto::SigningKey &key, const QByteArray &checkinJson)
{
    const QByteArray headerBytes = QJsonDocument(f.header).toJson(QJsonDocument::Compact);
    formats::BatchStreamWriter w(f.fileKey, headerBytes);
    for (const SealedRecord &r : f.records)
        w.record(r.kind, r.sealed, r.signature);
    w.checkIns(checkinJson);
    w.audit(f.auditLog);
    return formats::writeBatchFile(headerBytes, w.stream(), key);
}

QByteArray checkinJson(const QList<CheckInEntry> &checkins, const std::function<void(QJsonArray &)> &change)
{
    QJsonArray list;
    for (const CheckInEntry &e : checkins)
        list.append(QJsonArray {e.repId, e.voted ? QStringLiteral("voted") : QStringLiteral("released")});
    change(list);
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

/// Every refusal says what is wrong and what to do next: one of these steps.
bool saysWhatToDo(const QString &message)
{
    static const char *const steps[]
        = {"export it again", "copy it again", "copy the file", "do not import", "report it",
           "set it aside",    "keep it apart", "import with",   "scan the code", "find out",
           "check that",      "return it",     "use matching"};
    const QString m = message.toLower();
    return std::any_of(std::begin(steps), std::end(steps), [&](const char *s) { return m.contains(QLatin1String(s)); });
}

QStringList codesOf(const QList<hq::Finding> &findings)
{
    QStringList out;
    for (const hq::Finding &f : findings)
        out << f.code;
    return out;
}

QStringList quarantineCodes(const hq::BatchReport &r)
{
    QStringList out;
    for (const hq::QuarantinedRecord &q : r.quarantined)
        out << q.code;
    out.sort();
    return out;
}

qint64 scalar(Database &db, const char *sql)
{
    auto st = must(db.prepare(sql), sql);
    if (!*st.next())
        return -1;
    return st.integer(0);
}

/// Every counted record id of every batch row, with repeats (none may repeat).
QList<QByteArray> storedIds(Database &db)
{
    QList<QByteArray> out;
    auto recs = must(db.prepare("SELECT ballot_ids || suggestion_ids FROM batch"), "records");
    while (*recs.next()) {
        const QByteArray list = recs.blob(0);
        for (qsizetype at = 0; at < list.size(); at += 32)
            out << list.mid(at, 32);
    }
    return out;
}

qint64 countOf(const QList<QByteArray> &list, const QByteArray &id)
{
    return std::count(list.cbegin(), list.cend(), id);
}

} // namespace

class TestImportTamper : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_base;
    Activity m_activity;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    QByteArray m_a1, m_a2, m_b1, m_rehearsal, m_s1, m_package;
    QByteArray m_known; ///< b1 with a record of a1 signed again for b1's session by b1's kiosk
    QString m_a1Closing, m_a2Closing;
    crypto::SigningKey m_k1, m_k2, m_kb;
    QList<Case> m_cases;
    int m_caseDir = 0;

    struct Run {
        hq::BatchReport report;
        hq::BatchReport verified;
        qint64 batches = 0;
        QSet<QByteArray> records;
        QList<QByteArray> recordList; ///< with repeats
        QStringList refusalCodes;
        qsizetype archived = 0; ///< files in batches/
        std::optional<hq::TallyResults> tally;
    };

    /// A fresh copy of the prepared HQ directory.
    QString freshDir()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("case-%1").arg(++m_caseDir));
        copyDir(m_base, dir);
        return dir;
    }

    /// Imports `before`, then `bytes` (through a file, as the CLI does), into a fresh copy
    /// of the prepared HQ directory.
    Run run(const Case &c, bool tally)
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open case");
        if (!c.before.isEmpty()) {
            auto pre = must(hq::importBatchBytes(h, m_secrets->archive, c.before, {}), "import before");
            for (const hq::BatchReport &b : pre.batches)
                if (b.outcome != hq::BatchOutcome::Imported)
                    qFatal("a genuine batch was not imported: %s", qPrintable(b.reason().message));
        }
        const QString file = QDir(dir).filePath(QStringLiteral("mutated.pybatch"));
        must(writeFileAtomic(file, c.bytes), "write case");
        hq::ImportOptions options;
        options.closingReports = c.closingReports;
        Run r;
        r.verified = must(hq::verifyBatches(h, &m_secrets->archive, {file}, options), "verify").batches.first();
        r.report = must(hq::importBatches(h, m_secrets->archive, {file}, options), "import").batches.first();
        r.batches = scalar(h.db(), "SELECT COUNT(*) FROM batch");
        r.recordList = storedIds(h.db());
        r.records = QSet<QByteArray>(r.recordList.cbegin(), r.recordList.cend());
        auto refusals = must(h.db().prepare("SELECT code FROM import_refusal"), "refusals");
        while (*refusals.next())
            r.refusalCodes << refusals.text(0);
        r.archived = QDir(h.filePath(hq::Hq::batchesDir)).entryList(QDir::Files).size();
        if (tally)
            r.tally = must(hq::computeTally(h, *m_election, {}), "tally");
        return r;
    }

    Forge forge(const QByteArray &bytes) const { return Forge::open(bytes, m_secrets->archive); }

    void add(Case c) { m_cases.append(std::move(c)); }
    void refused(const QString &name, const QByteArray &bytes, const QStringList &codes, QList<QByteArray> before = {},
                 QStringList closing = {})
    {
        add({name, bytes, std::move(before), std::move(closing), codes, {}, {}, {}, {}, -1, false});
    }
    /// Refused first for a broken signature: the header's own claim (`claim`) follows.
    void refusedSignatureFirst(const QString &name, const QByteArray &bytes, const QString &claim)
    {
        add({name, bytes, {}, {}, {QStringLiteral("batch-signature")}, {claim}, {}, {}, {}, -1, false});
    }
    void quarantined(const QString &name, const QByteArray &bytes, const QStringList &codes, qint64 counted,
                     bool discrepancy, QList<QByteArray> before = {})
    {
        QStringList q = codes;
        q.sort();
        add({name, bytes, std::move(before), {}, {}, {}, {}, {}, q, counted, discrepancy});
    }

    void buildCorpus()
    {
        const QByteArray &a = m_a1;
        const qsizetype headerLength = qsizetype(qFromBigEndian<quint32>(a.constData() + 8));
        const qsizetype headerStart = 12;
        const qsizetype streamLengthAt = headerStart + headerLength;
        const qsizetype streamStart = streamLengthAt + 4;
        const qsizetype signatureStart = a.size() - 64;
        const Forge base = forge(a);
        const qint64 ballots = base.count("ballots");
        const SessionContext ctx = base.context();

        // ---- structure: magic, version, lengths ------------------------------------
        refused(QStringLiteral("magic first byte"), flipped(a, 0), {QStringLiteral("batch-format")});
        refused(QStringLiteral("magic last byte"), flipped(a, 5), {QStringLiteral("batch-format")});
        refused(QStringLiteral("version high byte"), flipped(a, 6), {QStringLiteral("batch-version")});
        refused(QStringLiteral("version low byte"), flipped(a, 7, 0x02), {QStringLiteral("batch-version")});
        refused(QStringLiteral("header length high byte"), flipped(a, 8, 0x10), {QStringLiteral("batch-format")});
        refused(QStringLiteral("header length low byte"), flipped(a, 11), {QStringLiteral("batch-format")});
        refused(QStringLiteral("stream length high byte"), flipped(a, streamLengthAt, 0x20),
                {QStringLiteral("batch-format")});
        refused(QStringLiteral("stream length low byte"), flipped(a, streamLengthAt + 3),
                {QStringLiteral("batch-format")});

        // ---- header bytes ----------------------------------------------------------
        refused(QStringLiteral("header opening brace"), flipped(a, headerStart, 0x40),
                {QStringLiteral("batch-format")});
        // Unsigned claims in an altered header: the broken signature is the reason, the claim follows.
        refusedSignatureFirst(QStringLiteral("header activity id"), replaced(a, valueAt(a, "activity"), 'x'),
                              QStringLiteral("batch-activity"));
        refusedSignatureFirst(
            QStringLiteral("header rehearsal flag"),
            [&] {
                QByteArray b = a;
                const qsizetype at = valueAt(a, "rehearsal");
                b.replace(at, 5, "true ");
                return b;
            }(),
            QStringLiteral("batch-rehearsal"));
        refusedSignatureFirst(QStringLiteral("header venue"), replaced(a, valueAt(a, "venue") + 5, 'm'),
                              QStringLiteral("batch-venue"));
        refusedSignatureFirst(QStringLiteral("header session"), replaced(a, valueAt(a, "session") + 3, 'm'),
                              QStringLiteral("batch-session"));
        refusedSignatureFirst(
            QStringLiteral("header kiosk id"),
            [&] {
                const qsizetype at = valueAt(a, "kiosk") + ctx.kioskId.size() - 1;
                return replaced(a, at, a[at] == 'f' ? 'e' : 'f');
            }(),
            QStringLiteral("batch-kiosk"));
        refused(QStringLiteral("header ballot count"),
                [&] {
                    const qsizetype at = valueAt(a, "ballots");
                    return replaced(a, at, a[at] == '9' ? '8' : '9');
                }(),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("header ballot digest"),
                [&] {
                    const qsizetype at = valueAt(a, "ballot_digest") + 10;
                    return replaced(a, at, otherHex(a[at]));
                }(),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("header suggestion digest"),
                [&] {
                    const qsizetype at = valueAt(a, "suggestion_digest") + 20;
                    return replaced(a, at, otherHex(a[at]));
                }(),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("header archive sealed key"),
                [&] {
                    const qsizetype at = valueAt(a, "archive") + 4;
                    return replaced(a, at, otherB64(a[at]));
                }(),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("header election sealed key"),
                [&] {
                    const qsizetype at = valueAt(a, "election") + 7;
                    return replaced(a, at, otherB64(a[at]));
                }(),
                {QStringLiteral("batch-signature")});
        refused(
            QStringLiteral("kiosk certificate signature"),
            [&] {
                const QByteArray cert = base.header.value(QLatin1String("kiosk_certificate")).toString().toUtf8();
                const QByteArray sig
                    = QJsonDocument::fromJson(cert).object().value(QLatin1String("signature")).toString().toLatin1();
                const qsizetype at = a.indexOf(sig) + 6;
                return replaced(a, at, otherB64(a[at]));
            }(),
            {QStringLiteral("kiosk-cert-signature")});
        refused(QStringLiteral("kiosk certificate body"),
                [&] {
                    const QByteArray cert = base.header.value(QLatin1String("kiosk_certificate")).toString().toUtf8();
                    const QByteArray body
                        = QJsonDocument::fromJson(cert).object().value(QLatin1String("body")).toString().toLatin1();
                    const qsizetype at = a.indexOf(body) + 40;
                    return replaced(a, at, otherB64(a[at]));
                }(),
                {QStringLiteral("kiosk-cert-signature"), QStringLiteral("kiosk-cert-format")});

        // ---- stream bytes ----------------------------------------------------------
        refused(QStringLiteral("stream header"), flipped(a, streamStart + 3), {QStringLiteral("batch-signature")});
        refused(QStringLiteral("first chunk length"), flipped(a, streamStart + 24 + 3),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("first record ciphertext"), flipped(a, streamStart + 24 + 4 + 100),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("middle of the stream"), flipped(a, streamStart + (signatureStart - streamStart) / 2),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("last chunk (audit log)"), flipped(a, signatureStart - 9),
                {QStringLiteral("batch-signature")});

        // ---- signature ---------------------------------------------------------------
        refused(QStringLiteral("signature first byte"), flipped(a, signatureStart),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("signature middle byte"), flipped(a, signatureStart + 32),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("signature last byte"), flipped(a, a.size() - 1, char(0x80)),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("signature of the other kiosk's batch"), a.first(signatureStart) + m_a2.right(64),
                {QStringLiteral("batch-signature")});
        refused(QStringLiteral("signed by the other kiosk"), base.build(m_k2), {QStringLiteral("batch-signature")});

        // ---- truncation and appended data ---------------------------------------------
        refused(QStringLiteral("empty file"), QByteArray(), {QStringLiteral("batch-format")});
        refused(QStringLiteral("first five bytes"), a.first(5), {QStringLiteral("batch-format")});
        refused(QStringLiteral("cut inside the header"), a.first(headerStart + headerLength / 2),
                {QStringLiteral("batch-format")});
        refused(QStringLiteral("cut inside the stream"), a.first(streamStart + 500), {QStringLiteral("batch-format")});
        refused(QStringLiteral("last byte missing"), a.chopped(1), {QStringLiteral("batch-format")});
        refused(QStringLiteral("signature missing"), a.chopped(64), {QStringLiteral("batch-format")});
        refused(QStringLiteral("one byte appended"), a + QByteArray(1, '\0'), {QStringLiteral("batch-format")});
        refused(QStringLiteral("newline appended"), a + "\n", {QStringLiteral("batch-format")});
        refused(QStringLiteral("64 random bytes appended"), a + crypto::randomBytes(64),
                {QStringLiteral("batch-format")});
        refused(QStringLiteral("the batch twice"), a + a, {QStringLiteral("batch-format")});
        refused(QStringLiteral("a venue package instead"), m_package, {QStringLiteral("batch-format")});
        refused(QStringLiteral("random bytes"), crypto::randomBytes(std::size_t(a.size())),
                {QStringLiteral("batch-format")});

        // ---- signed again with the kiosk's key: batch-level meaning --------------------
        refused(QStringLiteral("rehearsal batch"), m_rehearsal, {QStringLiteral("batch-rehearsal")});
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("rehearsal"), true);
            refused(QStringLiteral("real batch relabelled as rehearsal"), f.build(m_k1),
                    {QStringLiteral("batch-rehearsal")});
        }
        {
            // Another activity: a kiosk certified by another office for its own activity.
            const auto otherRoot = crypto::SigningKey::generate();
            TestKiosk other {QStringLiteral("other-1"), QStringLiteral("shinan"), crypto::SigningKey::generate(), {}};
            other.certificate = KioskCertificate::issue(otherRoot, {other.id, other.key.publicKey()},
                                                        QStringLiteral("qingdao-2024"), other.venue, 1);
            const SessionContext octx {QStringLiteral("qingdao-2024"), other.venue, other.id, QStringLiteral("econ"),
                                       false};
            auto h = must(hq::Hq::open(m_base), "open");
            const BallotAnswers b = makeBallot(m_activity, QStringLiteral("econ"), [](int) { return 0; });
            refused(QStringLiteral("another activity"),
                    makeBatch(h, other, octx, {b}, {}, {{QStringLiteral("R1"), true}}),
                    {QStringLiteral("batch-activity")});
            // Its venues and groups are not this activity's: that is no news of its own.
            const SessionContext nctx {QStringLiteral("nanjing-2025"), QStringLiteral("gulou"), other.id,
                                       QStringLiteral("civic"), false};
            other.certificate
                = KioskCertificate::issue(otherRoot, {other.id, other.key.publicKey()}, nctx.activityId, nctx.venue, 2);
            add({QStringLiteral("another activity with venues and groups of its own"),
                 makeBatch(h, other, nctx, {b}, {}, {{QStringLiteral("R1"), true}}),
                 {},
                 {},
                 {QStringLiteral("batch-activity")},
                 {QStringLiteral("kiosk-cert-signature")},
                 {QStringLiteral("batch-venue"), QStringLiteral("batch-session")},
                 {},
                 {},
                 -1,
                 false});
        }
        {
            Forge f = base.clone();
            const auto otherRoot = crypto::SigningKey::generate();
            f.header.insert(QStringLiteral("kiosk_certificate"),
                            QString::fromUtf8(KioskCertificate::issue(otherRoot, {ctx.kioskId, m_k1.publicKey()},
                                                                      ctx.activityId, ctx.venue, 1)));
            refused(QStringLiteral("kiosk certificate forged by another root"), f.build(m_k1),
                    {QStringLiteral("kiosk-cert-signature")});
        }
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("kiosk_certificate"),
                            QString::fromUtf8(KioskCertificate::issue(m_secrets->root, {ctx.kioskId, m_k1.publicKey()},
                                                                      ctx.activityId, QStringLiteral("shibei"), 999)));
            refused(QStringLiteral("certificate for another venue"), f.build(m_k1),
                    {QStringLiteral("kiosk-cert-venue")});
            f.header.insert(QStringLiteral("venue"), QStringLiteral("shibei"));
            refused(QStringLiteral("batch moved to the venue of a forged certificate"), f.build(m_k1),
                    {QStringLiteral("kiosk-enrolled-elsewhere")});
        }
        {
            // A real kiosk of another venue (shibei) claiming to have voted at shinan.
            Forge f = forge(m_s1);
            f.header.insert(QStringLiteral("venue"), QStringLiteral("shinan"));
            const SessionContext sctx = f.context();
            refused(QStringLiteral("kiosk enrolled at another venue"),
                    f.build(simKioskKey(m_tmp.filePath(QStringLiteral("simS")), sctx.kioskId)),
                    {QStringLiteral("kiosk-cert-venue")});
        }
        {
            // Certified by this office's root, but never entered in hq.db.
            TestKiosk ghost {QStringLiteral("ghost-1"), ctx.venue, crypto::SigningKey::generate(), {}};
            ghost.certificate = KioskCertificate::issue(m_secrets->root, {ghost.id, ghost.key.publicKey()},
                                                        ctx.activityId, ctx.venue, 998);
            auto h = must(hq::Hq::open(m_base), "open");
            const SessionContext gctx {ctx.activityId, ctx.venue, ghost.id, ctx.session, false};
            const BallotAnswers b = makeBallot(m_activity, ctx.session, [](int d) { return d; });
            refused(QStringLiteral("kiosk not enrolled"),
                    makeBatch(h, ghost, gctx, {b}, {}, {{QStringLiteral("R1"), true}}),
                    {QStringLiteral("kiosk-unknown")});
        }
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("kiosk"), forge(m_a2).context().kioskId);
            refused(QStringLiteral("header names the other kiosk"), f.build(m_k1), {QStringLiteral("batch-kiosk")});
        }
        {
            // Certified by this office for the enrolled kiosk's id, with another key.
            Forge f = base.clone();
            const auto otherKey = crypto::SigningKey::generate();
            f.header.insert(QStringLiteral("kiosk_certificate"),
                            QString::fromUtf8(KioskCertificate::issue(
                                m_secrets->root, {ctx.kioskId, otherKey.publicKey()}, ctx.activityId, ctx.venue, 997)));
            refused(QStringLiteral("kiosk enrolled with another key"), f.build(otherKey),
                    {QStringLiteral("kiosk-key-mismatch")});
        }
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("session"), QStringLiteral("internal"));
            refused(QStringLiteral("group not held at the venue"), f.build(m_k1), {QStringLiteral("batch-session")});
            f.header.insert(QStringLiteral("session"), QStringLiteral("culture"));
            refused(QStringLiteral("unknown group"), f.build(m_k1), {QStringLiteral("batch-session")});
            f.header.insert(QStringLiteral("venue"), QStringLiteral("qingdao"));
            refused(QStringLiteral("unknown venue"), f.build(m_k1), {QStringLiteral("batch-venue")});
        }
        {
            Forge f = base.clone();
            QJsonObject keys = f.header.value(QLatin1String("sealed_key")).toObject();
            keys.insert(QStringLiteral("archive"),
                        QString::fromLatin1(
                            crypto::seal(crypto::BoxKeyPair::generate().publicKey(), f.fileKey.view()).toBase64()));
            f.header.insert(QStringLiteral("sealed_key"), keys);
            refused(QStringLiteral("file key sealed to another office"), f.build(m_k1), {QStringLiteral("batch-key")});
        }
        {
            const crypto::SecretBytes other = crypto::SecretBytes::random(32);
            refused(QStringLiteral("stream under another file key"), base.build(m_k1, &other),
                    {QStringLiteral("batch-stream")});
            const SealedRecord extra = forge(m_b1).records.first();
            refused(QStringLiteral("record after the check-in list"), base.build(m_k1, nullptr, &extra),
                    {QStringLiteral("batch-stream")});
        }

        // ---- signed again: counts, digests, check-ins ----------------------------------
        {
            Forge f = base.clone();
            f.setCount("checkins", f.count("checkins") + 1);
            refused(QStringLiteral("check-ins do not add up"), f.build(m_k1), {QStringLiteral("batch-counts")});
        }
        {
            Forge f = base.clone();
            f.setCount("ballots", ballots + 1);
            f.setCount("checkins", f.count("checkins") + 1);
            refused(QStringLiteral("one ballot more in the header"), f.build(m_k1), {QStringLiteral("batch-counts")});
        }
        {
            Forge f = base.clone();
            f.setCount("suggestions", f.count("suggestions") + 2);
            refused(QStringLiteral("more suggestions in the header"), f.build(m_k1), {QStringLiteral("batch-counts")});
        }
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("ballot_digest"), QString::fromLatin1(crypto::randomBytes(32).toHex()));
            refused(QStringLiteral("wrong ballot digest"), f.build(m_k1), {QStringLiteral("batch-digest")});
        }
        {
            Forge f = base.clone();
            f.header.insert(QStringLiteral("suggestion_digest"), QString::fromLatin1(crypto::randomBytes(32).toHex()));
            refused(QStringLiteral("wrong suggestion digest"), f.build(m_k1), {QStringLiteral("batch-digest")});
        }
        {
            Forge f = base.clone();
            f.records.removeAt(0); // a ballot left out, header unchanged
            refused(QStringLiteral("a ballot removed"), f.build(m_k1), {QStringLiteral("batch-counts")});
        }
        {
            Forge f = base.clone();
            f.checkins.append(f.checkins.first());
            refused(QStringLiteral("representative twice in the check-in list"), f.build(m_k1),
                    {QStringLiteral("batch-checkins")});
        }
        {
            Forge f = base.clone();
            for (CheckInEntry &e : f.checkins)
                if (e.voted) {
                    e.voted = false;
                    break;
                }
            f.setCount("released", f.count("released") + 1);
            f.setCount("checkins", f.count("checkins") + 1);
            refused(QStringLiteral("voted check-ins differ from ballots"), f.build(m_k1),
                    {QStringLiteral("batch-checkins")});
        }
        {
            Forge f = base.clone();
            f.checkins.append({QStringLiteral("NOBODY-1"), false});
            refused(QStringLiteral("more representatives listed than check-ins"), f.build(m_k1),
                    {QStringLiteral("batch-checkins")});
        }
        {
            Forge f = base.clone();
            f.checkins.append({QStringLiteral("ZZ-LEFT-1"), false});
            f.checkins.append({QStringLiteral("ZZ-LEFT-2"), false});
            f.setCount("released", f.count("released") + 1);
            f.setCount("checkins", f.count("checkins") + 1);
            add({QStringLiteral("more releases listed than counted"),
                 f.build(m_k1),
                 {},
                 {},
                 {QStringLiteral("batch-checkins")},
                 {},
                 {},
                 QStringLiteral("left without voting"),
                 {},
                 -1,
                 false});
        }
        {
            // Check-in entries no kiosk writes: the list is refused as a whole, nothing of it kept.
            const QString rep = base.checkins.first().repId;
            const struct {
                const char *name;
                std::function<void(QJsonArray &)> change;
            } entries[] = {
                {"check-in entry that is not a pair",
                 [](QJsonArray &l) {
                     l[0] = l[0].toArray().at(0);
                 }},
                {"check-in entry with one element",
                 [](QJsonArray &l) {
                     l[0] = QJsonArray {l[0].toArray().at(0)};
                 }},
                {"check-in entry with an empty rep id",
                 [](QJsonArray &l) {
                     l[0] = QJsonArray {QString(), QStringLiteral("voted")};
                 }},
                {"check-in entry with another status",
                 [&](QJsonArray &l) {
                     l[0] = QJsonArray {rep, QStringLiteral("maybe")};
                 }},
                {"check-in rep id with a tab",
                 [&](QJsonArray &l) {
                     l[0] = QJsonArray {rep + QStringLiteral("\treleased"), QStringLiteral("voted")};
                 }},
                {"check-in rep id with a line break",
                 [&](QJsonArray &l) {
                     l[0] = QJsonArray {rep + QStringLiteral("\nX-1"), QStringLiteral("voted")};
                 }},
            };
            for (const auto &e : entries)
                add({QString::fromLatin1(e.name),
                     buildWithCheckins(base, m_k1, checkinJson(base.checkins, e.change)),
                     {},
                     {},
                     {QStringLiteral("batch-checkins")},
                     {},
                     {},
                     QStringLiteral("malformed"),
                     {},
                     -1,
                     false});
        }
        {
            Forge f = base.clone();
            std::swap(f.records[0], f.records[1]);
            add({QStringLiteral("records out of id order"),
                 f.build(m_k1),
                 {},
                 {},
                 {QStringLiteral("batch-order")},
                 {},
                 {},
                 QStringLiteral("kiosk software is faulty"),
                 {},
                 -1,
                 false});
        }

        // ---- replays ----------------------------------------------------------------
        Forge shorter = base.clone();
        {
            shorter.records.removeFirst();
            for (CheckInEntry &e : shorter.checkins)
                if (e.voted) {
                    e.voted = false;
                    break;
                }
            shorter.recount();
            refused(QStringLiteral("replay with a ballot fewer"), shorter.build(m_k1), {QStringLiteral("batch-replay")},
                    {a});
            Forge otherList = base.clone();
            otherList.checkins.first().repId = QStringLiteral("%1-X").arg(otherList.checkins.first().repId);
            std::sort(otherList.checkins.begin(), otherList.checkins.end(),
                      [](const CheckInEntry &x, const CheckInEntry &y) { return x.repId < y.repId; });
            refused(QStringLiteral("replay with another check-in list"), otherList.build(m_k1),
                    {QStringLiteral("batch-replay")}, {a});
        }

        // ---- closing reports -----------------------------------------------------------
        refused(QStringLiteral("closing report disagrees"), shorter.build(m_k1),
                {QStringLiteral("closing-report-mismatch")}, {}, {m_a1Closing});
        {
            auto closing = must(decodeReportQr(m_a1Closing, {}), "closing");
            refused(QStringLiteral("closing report signed by another kiosk"), a, {QStringLiteral("report-signature")},
                    {}, {encodeReportQr(closing, m_k2)});
        }

        // ---- single bad records: quarantined, never counted ----------------------------
        const qint64 b1Ballots = forge(m_b1).count("ballots");
        {
            Forge f = base.clone();
            f.records[0].signature[5] = char(f.records[0].signature[5] ^ 0x04);
            quarantined(QStringLiteral("a ballot's signature damaged"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots - 1, true);
        }
        {
            Forge f = base.clone();
            f.records[1].sealed[60] = char(f.records[1].sealed[60] ^ 0x01);
            sortRecords(f.records); // a new id, in its place
            f.recount(); // the kiosk counted what it wrote
            quarantined(QStringLiteral("a ballot's sealed bytes damaged"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots - 1, true);
        }
        {
            Forge f = base.clone();
            insertSorted(f.records,
                         forge(m_b1).records.first()); // from another session's batch, not counted in the header
            quarantined(QStringLiteral("a record of another batch added"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots, false);
        }
        {
            Forge f = base.clone();
            const SealedRecord theirs = forge(m_a2).records.first();
            f.records.removeAt(0);
            insertSorted(f.records, theirs);
            refused(QStringLiteral("records swapped between batches"), f.build(m_k1), {QStringLiteral("batch-digest")});
            f.recount();
            quarantined(QStringLiteral("records swapped between batches, header recounted"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots - 1, true);
        }
        {
            Forge f = base.clone();
            f.records.insert(1, f.records[0]);
            quarantined(QStringLiteral("a ballot duplicated"), f.build(m_k1), {QStringLiteral("record-duplicate")},
                        ballots, false);
        }
        {
            Forge f = base.clone();
            const qsizetype s = std::find_if(f.records.cbegin(), f.records.cend(),
                                             [](const SealedRecord &r) { return r.kind == RecordKind::Suggestion; })
                - f.records.cbegin();
            f.records.insert(s + 1, f.records[s]);
            quarantined(QStringLiteral("a suggestion duplicated"), f.build(m_k1), {QStringLiteral("record-duplicate")},
                        ballots, false);
            Forge g = base.clone();
            SealedRecord relabelled = g.records.takeAt(s);
            relabelled.kind = RecordKind::Ballot; // a suggestion passed off as a ballot
            insertSorted(g.records, relabelled);
            g.recount(); // one ballot more than representatives who voted
            refused(QStringLiteral("a suggestion relabelled as a ballot"), g.build(m_k1),
                    {QStringLiteral("batch-checkins")});
        }
        {
            Forge f = base.clone();
            SessionContext rehearsal = ctx;
            rehearsal.rehearsal = true;
            const BallotAnswers b = makeBallot(m_activity, ctx.session, [](int) { return 3; });
            insertSorted(f.records,
                         sealRecord(rehearsal, RecordKind::Ballot, encodeBallot(ctx.activityId, b),
                                    m_election->publicKey(), m_k1));
            quarantined(QStringLiteral("a rehearsal ballot slipped in"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots, false);
        }
        {
            Forge f = base.clone();
            SessionContext theirs = ctx;
            theirs.kioskId = forge(m_a2).context().kioskId;
            const BallotAnswers b = makeBallot(m_activity, ctx.session, [](int) { return 3; });
            insertSorted(
                f.records,
                sealRecord(theirs, RecordKind::Ballot, encodeBallot(ctx.activityId, b), m_election->publicKey(), m_k2));
            insertSorted(
                f.records,
                sealRecord(ctx, RecordKind::Ballot, encodeBallot(ctx.activityId, b), m_election->publicKey(), m_k2));
            quarantined(QStringLiteral("ballots signed by the other kiosk slipped in"), f.build(m_k1),
                        {QStringLiteral("record-signature"), QStringLiteral("record-signature")}, ballots, false);
        }
        {
            // Two copies of one ballot, the first with a damaged signature: the good copy counts.
            Forge f = base.clone();
            SealedRecord bad = f.records[0];
            bad.signature[5] = char(bad.signature[5] ^ 0x04);
            f.records.insert(0, bad);
            quarantined(QStringLiteral("a ballot duplicated, the first copy badly signed"), f.build(m_k1),
                        {QStringLiteral("record-duplicate")}, ballots, false);
        }
        // Two kiosk-signed batches sharing a record: the second quarantines it, naming the first.
        quarantined(QStringLiteral("a record already counted with another batch"), m_known,
                    {QStringLiteral("record-known")}, ballots + b1Ballots, true, {a});
    }
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_base = m_tmp.filePath(QStringLiteral("hq"));
        m_activity = exampleActivity();
        makeHq(m_base, m_activity, 0.2);
        auto simulate = [&](const QString &out, const QString &venue, const QString &session, int kiosks, int voters,
                            quint64 seed, bool rehearsal) {
            sim::Options o;
            o.hqDir = m_base;
            o.venue = venue;
            o.session = session;
            o.kiosks = kiosks;
            o.voters = voters;
            o.outDir = m_tmp.filePath(out);
            o.seed = seed;
            o.rehearsal = rehearsal;
            o.suggestionRate = 0.5;
            return must(sim::run(o, passphrase()), "simulate");
        };
        const sim::Outcome a
            = simulate(QStringLiteral("simA"), QStringLiteral("shinan"), QStringLiteral("econ"), 2, 16, 3, false);
        const sim::Outcome b
            = simulate(QStringLiteral("simB"), QStringLiteral("shinan"), QStringLiteral("service"), 1, 6, 4, false);
        const sim::Outcome r
            = simulate(QStringLiteral("simR"), QStringLiteral("main"), QStringLiteral("econ"), 1, 3, 5, true);
        const sim::Outcome s
            = simulate(QStringLiteral("simS"), QStringLiteral("shibei"), QStringLiteral("econ"), 1, 4, 6, false);
        m_a1 = must(readFile(a.batches[0]), "a1");
        m_a2 = must(readFile(a.batches[1]), "a2");
        m_b1 = must(readFile(b.batches[0]), "b1");
        m_rehearsal = must(readFile(r.batches[0]), "rehearsal");
        m_s1 = must(readFile(s.batches[0]), "s1");
        const QJsonArray kiosks = a.truth.value(QLatin1String("kiosks")).toArray();
        m_a1Closing = kiosks[0].toObject().value(QLatin1String("closing_report")).toString();
        m_a2Closing = kiosks[1].toObject().value(QLatin1String("closing_report")).toString();
        m_k1 = simKioskKey(m_tmp.filePath(QStringLiteral("simA")),
                           kiosks[0].toObject().value(QLatin1String("kiosk")).toString());
        m_k2 = simKioskKey(m_tmp.filePath(QStringLiteral("simA")),
                           kiosks[1].toObject().value(QLatin1String("kiosk")).toString());
        {
            auto h = must(hq::Hq::open(m_base), "open");
            m_secrets.emplace(must(h.unlock(passphrase()), "unlock"));
            m_election.emplace(must(h.unlockElection(passphrase()), "election"));
            m_package = must(h.buildPackage(QStringLiteral("shinan"), *m_secrets, nullptr), "package");
        }
        m_kb = simKioskKey(m_tmp.filePath(QStringLiteral("simB")), forge(m_b1).context().kioskId);
        const Forge f = forge(m_a1);
        QVERIFY2(f.count("ballots") >= 3 && f.count("suggestions") >= 1,
                 "the simulated batch needs a few ballots and a suggestion; change the seed");
        {
            // b1's kiosk signs one of a1's sealed ballots for its own session, and counts it.
            Forge k = forge(m_b1);
            insertSorted(k.records, resigned(f.records.first(), k.context(), m_kb));
            k.checkins.append({QStringLiteral("ZZ-EXTRA-1"), true});
            k.recount();
            m_known = k.build(m_kb);
        }
        buildCorpus();
    }

    void corpusIsLarge()
    {
        QSet<QString> names;
        QSet<QByteArray> inputs; // what a case feeds the import: the file, what came before, the reports
        for (const Case &c : m_cases) {
            names.insert(c.name);
            QCryptographicHash h(QCryptographicHash::Sha256);
            h.addData(c.bytes);
            for (const QByteArray &b : c.before)
                h.addData(QByteArrayLiteral("\0before\0") + b);
            for (const QString &r : c.closingReports)
                h.addData(QByteArrayLiteral("\0report\0") + r.toUtf8());
            inputs.insert(h.result());
        }
        QCOMPARE(names.size(), m_cases.size());
        QCOMPARE(inputs.size(), m_cases.size());
        QVERIFY2(m_cases.size() >= 60, qPrintable(QStringLiteral("%1 cases").arg(m_cases.size())));
    }

    void genuineBatchesImport()
    {
        Case c {QStringLiteral("genuine"), m_a1, {}, {m_a1Closing}, {}, {}, {}, {}, {}, -1, false};
        const Run r = run(c, true);
        QCOMPARE(r.report.outcome, hq::BatchOutcome::Imported);
        QVERIFY2(!r.report.needsAttention(), qPrintable(QJsonDocument(r.report.toJson()).toJson()));
        QCOMPARE(r.verified.outcome, hq::BatchOutcome::Verified);
        QCOMPARE(r.report.closingReport, m_a1Closing);
        QCOMPARE(r.verified.closingReport, m_a1Closing);
        QCOMPARE(r.report.ballotsCounted, forge(m_a1).count("ballots"));
        QCOMPARE(r.tally->ballots, r.report.ballotsCounted);
        QVERIFY(r.tally->rejected.isEmpty());
        QCOMPARE(r.records, ids(forge(m_a1).records));
    }

    void replayOfTheSameBatchIsANoOp()
    {
        // The identical file, and a re-export of the same session (new file key, new bytes).
        Forge again = forge(m_a1);
        const QByteArray reexport = again.build(m_k1, nullptr);
        QVERIFY(reexport != m_a1);
        for (const QByteArray &bytes : {m_a1, reexport}) {
            Case c {QStringLiteral("replay"), bytes, {m_a1}, {}, {}, {}, {}, {}, {}, -1, false};
            const Run r = run(c, true);
            QCOMPARE(r.report.outcome, hq::BatchOutcome::AlreadyImported);
            QCOMPARE(r.verified.outcome, hq::BatchOutcome::AlreadyImported);
            QVERIFY(!r.report.sameAsEarlierInRun);
            QVERIFY(!r.verified.sameAsEarlierInRun);
            QCOMPARE(r.batches, qint64(1));
            QCOMPARE(r.archived, qsizetype(1)); // the re-export's copy is not kept
            QCOMPARE(r.tally->ballots, forge(m_a1).count("ballots"));
        }
    }

    void corpus_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < m_cases.size(); ++i)
            QTest::newRow(qPrintable(m_cases[i].name)) << i;
    }

    void corpus()
    {
        QFETCH(int, index);
        const Case &c = m_cases[index];
        const bool expectQuarantine = c.codes.isEmpty();
        const Run r = run(c, expectQuarantine);
        const QString report = QString::fromUtf8(QJsonDocument(r.report.toJson()).toJson());
        const qint64 before = c.before.size();
        QSet<QByteArray> beforeRecords;
        for (const QByteArray &b : c.before)
            beforeRecords += ids(forge(b).records);
        // Whatever happened, no record is counted twice.
        QCOMPARE(qsizetype(r.records.size()), r.recordList.size());

        if (!expectQuarantine) {
            QVERIFY2(r.report.refused(), qPrintable(report));
            QVERIFY2(c.codes.contains(r.report.reason().code), qPrintable(report));
            const QStringList problems = codesOf(r.report.problems);
            for (const QString &code : c.also)
                QVERIFY2(problems.contains(code), qPrintable(report));
            for (const QString &code : c.never)
                QVERIFY2(!problems.contains(code), qPrintable(report));
            if (!c.mentions.isEmpty())
                QVERIFY2(r.report.reason().message.contains(c.mentions), qPrintable(report));
            for (const hq::Finding &p : r.report.problems)
                QVERIFY2(saysWhatToDo(p.message), qPrintable(QStringLiteral("%1: %2").arg(p.code, p.message)));
            // verify says the same as import.
            QVERIFY2(r.verified.refused() && r.verified.reason().code == r.report.reason().code, qPrintable(report));
            QCOMPARE(codesOf(r.verified.problems), problems);
            // Nothing of it stored; the refusal is on record.
            QCOMPARE(r.batches, before);
            QCOMPARE(r.records, beforeRecords);
            QCOMPARE(r.archived, c.before.size()); // no copy of a refused file is kept
            QCOMPARE(r.refusalCodes, QStringList {r.report.reason().code});
            return;
        }
        QVERIFY2(r.report.outcome == hq::BatchOutcome::Imported, qPrintable(report));
        QCOMPARE(quarantineCodes(r.report), c.quarantine);
        // verify finds exactly what import does.
        QVERIFY2(r.verified.outcome == hq::BatchOutcome::Verified,
                 qPrintable(QJsonDocument(r.verified.toJson()).toJson()));
        QCOMPARE(quarantineCodes(r.verified), c.quarantine);
        QCOMPARE(r.verified.discrepancy, c.discrepancy);
        QCOMPARE(r.verified.ballotsCounted, r.report.ballotsCounted);
        for (const hq::QuarantinedRecord &q : r.report.quarantined) {
            if (q.code == QLatin1String("record-known")) {
                // Counted once, by the batch that had it first.
                QVERIFY2(beforeRecords.contains(q.id), qPrintable(report));
                QCOMPARE(countOf(r.recordList, q.id), qint64(1));
            } else if (q.code == QLatin1String("record-duplicate")) {
                QVERIFY2(countOf(r.recordList, q.id) <= 1, qPrintable(report));
            } else {
                QVERIFY2(!r.records.contains(q.id), qPrintable(report));
            }
        }
        QCOMPARE(r.report.discrepancy, c.discrepancy);
        QVERIFY(r.report.needsAttention());
        QCOMPARE(r.batches, before + 1);
        QCOMPARE(r.archived, c.before.size() + 1);
        QCOMPARE(qint64(r.records.size()),
                 qint64(beforeRecords.size()) + r.report.ballotsCounted + r.report.suggestionsCounted);
        // The tally counts exactly the records that were not quarantined.
        QCOMPARE(r.tally->ballots, c.countedBallots);
        QVERIFY2(r.tally->rejected.isEmpty(), qPrintable(QJsonDocument(r.tally->toJson()).toJson()));
        QCOMPARE(r.tally->quarantined.size(), r.report.quarantined.size());
        qint64 sessionBallots = 0;
        for (const hq::SessionResult &s : r.tally->sessions) {
            sessionBallots += s.ballots;
            for (const hq::DepartmentResult &d : s.departments)
                QCOMPARE(d.ballots, s.ballots);
        }
        QCOMPARE(sessionBallots, c.countedBallots);
    }

    /// Item: verify sees what import would do with a record counted earlier in the same
    /// run, and import quarantines it naming the batch that counted it (kiosk, group, file).
    void recordKnownInOneRun()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        const QString a1 = QDir(dir).filePath(QStringLiteral("a1.pybatch"));
        const QString known = QDir(dir).filePath(QStringLiteral("known.pybatch"));
        must(writeFileAtomic(a1, m_a1), "a1");
        must(writeFileAtomic(known, m_known), "known");
        const QString kioskA = forge(m_a1).context().kioskId;
        for (bool commit : {false, true}) {
            auto s = commit ? must(hq::importBatches(h, m_secrets->archive, {a1, known}), "import")
                            : must(hq::verifyBatches(h, &m_secrets->archive, {a1, known}), "verify");
            QCOMPARE(s.batches.size(), 2);
            const hq::BatchReport &second = s.batches[1];
            const QString json = QString::fromUtf8(QJsonDocument(second.toJson()).toJson());
            QCOMPARE(second.outcome, commit ? hq::BatchOutcome::Imported : hq::BatchOutcome::Verified);
            QCOMPARE(quarantineCodes(second), QStringList {QStringLiteral("record-known")});
            QVERIFY2(second.discrepancy, qPrintable(json));
            const QString message = second.quarantined.first().message;
            QVERIFY2(message.contains(kioskA) && message.contains(QStringLiteral("group econ"))
                         && message.contains(QStringLiteral("a1.pybatch"))
                         && message.contains(QStringLiteral("report it")),
                     qPrintable(message));
        }
        const QList<QByteArray> stored = storedIds(h.db());
        QCOMPARE(QSet<QByteArray>(stored.cbegin(), stored.cend()).size(), stored.size());
    }

    /// Item: the replay and record-known checks run inside the batch's write transaction, so
    /// a batch another connection committed during the run is seen (here injected between
    /// two batches of a run, where the lock would normally keep everyone else out).
    void commitByAnotherConnectionIsSeen()
    {
        // a1 imported in another copy of the office: its row is what the other process stores.
        const QString other = freshDir();
        {
            auto o = must(hq::Hq::open(other), "open other");
            must(hq::importBatchBytes(o, m_secrets->archive, {m_a1}, {}), "import other");
        }
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        auto h2 = must(hq::Hq::open(dir), "open again");
        const QByteArray columns
            = "kiosk_id, venue, session, file_name, file_digest, header, checkins, ballots, released, suggestions, "
              "ballot_digest, suggestion_digest, checkin_digest, counted_ballots, counted_suggestions, quarantined, "
              "status, findings, closing_report, audit_log, imported_at, archive_file, ballot_ids, suggestion_ids, "
              "checkin_list";
        hq::ImportOptions options;
        bool injected = false;
        options.progress = [&](int done, int, qint64) {
            if (done != 1 || injected)
                return;
            injected = true;
            must(h2.db().exec(QByteArray("ATTACH DATABASE '"
                                         + QFile::encodeName(QDir(other).filePath(QStringLiteral("hq.db")))
                                         + "' AS other")
                                  .constData()),
                 "attach");
            must(h2.db().exec(
                     QByteArray("INSERT INTO main.batch (" + columns + ") SELECT " + columns + " FROM other.batch")
                         .constData()),
                 "inject");
            must(h2.db().exec("DETACH DATABASE other"), "detach");
        };
        auto s = must(hq::importBatchBytes(h, m_secrets->archive, {m_a2, m_known, m_a1}, {}, options), "import");
        QVERIFY(injected);
        QCOMPARE(s.batches[0].outcome, hq::BatchOutcome::Imported);
        QCOMPARE(s.batches[1].outcome, hq::BatchOutcome::Imported);
        QCOMPARE(quarantineCodes(s.batches[1]), QStringList {QStringLiteral("record-known")});
        QCOMPARE(s.batches[2].outcome, hq::BatchOutcome::AlreadyImported); // not a UNIQUE constraint error
        const QList<QByteArray> stored = storedIds(h.db());
        QCOMPARE(QSet<QByteArray>(stored.cbegin(), stored.cend()).size(), stored.size());
        QCOMPARE(scalar(h.db(), "SELECT COUNT(*) FROM batch"), qint64(3));
    }

    /// Item: one command at a time per HQ directory; the message says who and what to do.
    void secondRunIsRefusedWhileLocked()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        {
            auto lock = must(hq::HqLock::acquire(dir), "lock");
            auto imported = hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {});
            QVERIFY(!imported);
            QCOMPARE(imported.error().code, QStringLiteral("hq-busy"));
            const QString message = imported.error().message;
            QVERIFY2(message.contains(QStringLiteral("another pingyi-hq command is working on"))
                         && message.contains(dir)
                         && message.contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid()))
                         && message.contains(QStringLiteral("wait for it to finish")),
                     qPrintable(message));
            auto verified = hq::verifyBatches(h, &m_secrets->archive, {});
            QVERIFY(!verified);
            QCOMPARE(verified.error().code, QStringLiteral("hq-busy"));
            QCOMPARE(scalar(h.db(), "SELECT COUNT(*) FROM batch"), qint64(0));
        }
        // Released with its holder: the next run goes ahead.
        auto s = must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}), "import after the lock");
        QCOMPARE(s.imported(), 1);
    }

    /// Items: closing reports for batches imported in an earlier run are matched against
    /// the stored rows (stored with them, not "unmatched"); only reports that match nothing
    /// are listed; one that disagrees with a stored batch needs a decision.
    void closingReportsMatchEarlierImports()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}), "first run, no report");
        auto storedReport = [&](const QString &kiosk) {
            auto st = must(h.db().prepare("SELECT closing_report FROM batch WHERE kiosk_id = ?1"), "report");
            st.bind(1, kiosk);
            return *st.next() && !st.isNull(0) ? st.text(0) : QString();
        };
        const SessionContext c1 = forge(m_a1).context();
        QVERIFY(storedReport(c1.kioskId).isEmpty());

        // The same file again with its report: already imported, the report is stored now.
        hq::ImportOptions withA1;
        withA1.closingReports = {m_a1Closing};
        auto again = must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}, withA1), "again");
        QCOMPARE(again.batches[0].outcome, hq::BatchOutcome::AlreadyImported);
        QVERIFY(again.batches[0].closingReportStored);
        QCOMPARE(storedReport(c1.kioskId), m_a1Closing);

        // Another batch, with the reports of both: a1's matches its stored row.
        const QString dir2 = freshDir();
        auto h2 = must(hq::Hq::open(dir2), "open 2");
        must(hq::importBatchBytes(h2, m_secrets->archive, {m_a1}, {}), "first run");
        hq::ImportOptions both;
        both.closingReports = {m_a1Closing, m_a2Closing};
        auto verified = must(hq::verifyBatches(h2, &m_secrets->archive, {}, both), "verify");
        QCOMPARE(verified.unmatchedReports.size(), 1); // a2 is neither given nor imported
        QVERIFY(verified.unmatchedReports.first().contains(forge(m_a2).context().kioskId));
        QCOMPARE(verified.reportNotes.size(), 1); // a1's matches, and verify stores nothing
        QCOMPARE(scalar(h2.db(), "SELECT COUNT(*) FROM batch WHERE closing_report IS NOT NULL"), qint64(0));
        auto s = must(hq::importBatchBytes(h2, m_secrets->archive, {m_a2}, {}, both), "second run");
        QVERIFY2(s.unmatchedReports.isEmpty(), qPrintable(s.unmatchedReports.join(QLatin1Char('\n'))));
        QVERIFY(s.reportProblems.isEmpty());
        QVERIFY2(!s.needsAttention(), qPrintable(QJsonDocument(s.toJson()).toJson()));
        QCOMPARE(s.batches[0].closingReport, m_a2Closing);
        QVERIFY(std::any_of(s.reportNotes.cbegin(), s.reportNotes.cend(),
                            [](const QString &n) { return n.contains(QStringLiteral("stored with it")); }));
        QCOMPARE(scalar(h2.db(), "SELECT COUNT(*) FROM batch WHERE closing_report IS NOT NULL"), qint64(2));

        // A report that matches nothing, and one that disagrees with a stored batch.
        ReportSummary nothing = must(decodeReportQr(m_a1Closing, {}), "decode");
        nothing.context.session = QStringLiteral("service");
        ReportSummary wrong = must(decodeReportQr(m_a2Closing, {}), "decode");
        wrong.counts.ballots += 1;
        wrong.counts.checkins += 1;
        hq::ImportOptions odd;
        odd.closingReports = {encodeReportQr(nothing, m_k1), encodeReportQr(wrong, m_k2)};
        auto o = must(hq::importBatchBytes(h2, m_secrets->archive, {m_a1}, {}, odd), "odd reports");
        QCOMPARE(o.unmatchedReports.size(), 1);
        QVERIFY2(o.unmatchedReports.first().contains(QStringLiteral("group service"))
                     && saysWhatToDo(o.unmatchedReports.first()),
                 qPrintable(o.unmatchedReports.first()));
        QCOMPARE(codesOf(o.reportProblems), QStringList {QStringLiteral("closing-report-mismatch")});
        QVERIFY(saysWhatToDo(o.reportProblems.first().message));
        QVERIFY(o.needsAttention());
    }

    /// Item: a zero (opening) report is never matched as a closing report: with its
    /// closing report the batch is checked and imported, alone it is noted; one that is not
    /// empty needs a decision.
    void zeroReportsAreNotedNotMatched()
    {
        const SessionContext ctx = forge(m_a1).context();
        const QString zero = encodeReportQr({false, ctx, {}, sortedIdDigest({})}, m_k1);
        for (const QStringList &reports :
             {QStringList {zero, m_a1Closing}, QStringList {m_a1Closing, zero}, QStringList {zero}}) {
            const QString dir = freshDir();
            auto h = must(hq::Hq::open(dir), "open");
            hq::ImportOptions options;
            options.closingReports = reports;
            auto s = must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}, options), "import");
            const QString json = QString::fromUtf8(QJsonDocument(s.toJson()).toJson());
            QCOMPARE(s.batches[0].outcome, hq::BatchOutcome::Imported);
            QCOMPARE(s.batches[0].closingReport, reports.contains(m_a1Closing) ? m_a1Closing : QString());
            QVERIFY2(!s.needsAttention(), qPrintable(json));
            QCOMPARE(s.reportNotes.size(), 1);
            QVERIFY2(s.reportNotes.first().contains(QStringLiteral("opening (zero) report")), qPrintable(json));
            QCOMPARE(s.reportNotes.first().contains(QStringLiteral("give its code")), reports.size() == 1);
        }
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        hq::ImportOptions options;
        options.closingReports = {encodeReportQr({false, ctx, {1, 1, 0, 0}, crypto::randomBytes(32)}, m_k1)};
        auto s = must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}, options), "import");
        QCOMPARE(codesOf(s.reportProblems), QStringList {QStringLiteral("zero-report-not-empty")});
        QVERIFY(s.needsAttention());
    }

    /// Item: a second file of the same session in one verify run is "the same as an earlier
    /// file in this run", not "already imported".
    void sameSessionTwiceInOneRun()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        const QString first = QDir(dir).filePath(QStringLiteral("first.pybatch"));
        const QString copy = QDir(dir).filePath(QStringLiteral("copy.pybatch"));
        must(writeFileAtomic(first, m_a1), "first");
        must(writeFileAtomic(copy, forge(m_a1).build(m_k1)), "re-export");
        for (bool commit : {false, true}) {
            auto s = commit ? must(hq::importBatches(h, m_secrets->archive, {first, copy}), "import")
                            : must(hq::verifyBatches(h, &m_secrets->archive, {first, copy}), "verify");
            QCOMPARE(s.batches[0].outcome, commit ? hq::BatchOutcome::Imported : hq::BatchOutcome::Verified);
            QCOMPARE(s.batches[1].outcome, hq::BatchOutcome::AlreadyImported);
            QCOMPARE(s.batches[1].ballotsCounted, forge(m_a1).count("ballots")); // what it holds, for its line
            QVERIFY(s.batches[1].sameAsEarlierInRun);
            QVERIFY(!s.batches[0].sameAsEarlierInRun);
        }
        QCOMPARE(scalar(h.db(), "SELECT COUNT(*) FROM batch"), qint64(1));
    }

    /// Item: hq.db keeps nothing of the order of records: no stream position, no rowid in
    /// the quarantine, counted ids sorted. Also: a schema-2 database is migrated.
    void hqDbHoldsNoOrder()
    {
        const QString dir = freshDir();
        Forge f = forge(m_a1);
        f.records.insert(2, f.records[1]); // a second copy
        f.records[0].signature[9] = char(f.records[0].signature[9] ^ 0x10);
        {
            auto h = must(hq::Hq::open(dir), "open");
            QCOMPARE(h.db().userVersion(), 6);
            auto s = must(hq::importBatchBytes(h, m_secrets->archive, {f.build(m_k1), m_a2}, {}), "import");
            QCOMPARE(quarantineCodes(s.batches[0]),
                     (QStringList {QStringLiteral("record-duplicate"), QStringLiteral("record-signature")}));
            for (const QJsonValue &q : s.batches[0].toJson().value(QLatin1String("quarantined")).toArray())
                QVERIFY(!q.toObject().contains(QLatin1String("position")));
            auto columns = must(h.db().prepare("SELECT name FROM pragma_table_info('quarantine')"), "columns");
            QStringList names;
            while (*columns.next())
                names << columns.text(0);
            QVERIFY2(!names.contains(QStringLiteral("position")), qPrintable(names.join(QLatin1Char(','))));
            QVERIFY(!h.db().prepare("SELECT rowid FROM quarantine")); // WITHOUT ROWID
            QCOMPARE(scalar(h.db(), "SELECT COUNT(*) FROM quarantine"), qint64(2));
            auto lists = must(h.db().prepare("SELECT ballot_ids, suggestion_ids FROM batch"), "lists");
            while (*lists.next())
                for (int column : {0, 1}) {
                    const QByteArray list = lists.blob(column);
                    QCOMPARE(list.size() % 32, 0);
                    for (qsizetype at = 32; at < list.size(); at += 32)
                        QVERIFY(list.mid(at - 32, 32) < list.mid(at, 32));
                }
            // Back to the schema-2 table, with positions, as an older Pingyi left it.
            must(h.db().exec(
                     "CREATE TABLE q2 (batch_id INTEGER NOT NULL REFERENCES batch (batch_id), "
                     "position INTEGER NOT NULL, kind INTEGER NOT NULL, record_id BLOB NOT NULL, code TEXT "
                     "NOT NULL, message TEXT NOT NULL, counted_by_kiosk INTEGER NOT NULL, sealed BLOB NOT "
                     "NULL, signature BLOB NOT NULL, PRIMARY KEY (batch_id, position));"
                     "INSERT INTO q2 SELECT batch_id, CASE code WHEN 'record-signature' THEN 0 ELSE 3 END, kind, "
                     "record_id, code, message, "
                     "counted_by_kiosk, sealed, signature FROM quarantine;"
                     "INSERT INTO q2 SELECT batch_id, 20, kind, record_id, code, message, "
                     "counted_by_kiosk, sealed, signature FROM quarantine WHERE code = 'record-duplicate';"
                     "DROP TABLE quarantine; ALTER TABLE q2 RENAME TO quarantine;"
                     "DROP TABLE tally_rejected; DROP TABLE tally_cell; DROP TABLE tally_batch; DROP TABLE tally_run;"
                     "DROP TABLE kiosk_report; DROP TABLE kiosk_retired; DROP TABLE face_template;"
                     "PRAGMA user_version = 2;"),
                 "downgrade");
        }
        auto h = must(hq::Hq::open(dir), "migrate");
        QCOMPARE(h.db().userVersion(), 6);
        QCOMPARE(scalar(h.db(), "SELECT COUNT(*) FROM quarantine"), qint64(3));
        QCOMPARE(scalar(h.db(), "SELECT MAX(copy_no) FROM quarantine WHERE code = 'record-duplicate'"), qint64(2));
        QVERIFY(!h.db().prepare("SELECT position FROM quarantine"));
    }

    /// Once a batch is imported, the spec and the roster it was judged against stay put:
    /// a changed spec is activity-locked, a new roster roster-locked; the same spec is fine.
    void specAndRosterStayOnceImported()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        const QByteArray roster = synthRoster(m_activity, 99, 0.05);
        must(hq::importBatchBytes(h, m_secrets->archive, {m_a1}, {}), "import");
        Activity changed = m_activity;
        changed.source.insert(QStringLiteral("name"), m_activity.name + QStringLiteral("（修订）"));
        QCOMPARE(h.setActivity(changed).error().code, QStringLiteral("activity-locked"));
        QVERIFY(h.setActivity(m_activity).ok());
        auto again = h.importRoster(roster, QStringLiteral("after.csv"), *m_secrets);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("roster-locked"));
        QVERIFY(again.error().message.contains(QLatin1String("keep the roster")));
    }

    /// Item: when the database fails mid-run, the batches committed before are reported,
    /// the failed batch leaves no copy behind, and running the import again finishes it.
    void databaseFailureKeepsWhatWasDone()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        auto blocker = must(hq::Hq::open(dir), "open again");
        hq::ImportSummary partial;
        hq::ImportOptions options;
        options.partial = &partial;
        bool blocked = false;
        options.progress = [&](int done, int, qint64) {
            if (done == 1 && !blocked) {
                blocked = true; // another writer that never lets go: the next commit fails
                must(blocker.db().exec("BEGIN EXCLUSIVE"), "block");
            }
        };
        auto s = hq::importBatchBytes(h, m_secrets->archive, {m_a1, m_a2}, {QStringLiteral("a1"), QStringLiteral("a2")},
                                      options);
        must(blocker.db().exec("ROLLBACK"), "unblock");
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("db"));
        QVERIFY2(s.error().message.contains(QStringLiteral("a2"))
                     && s.error().message.contains(QStringLiteral("again")),
                 qPrintable(s.error().message));
        QCOMPARE(partial.batches.size(), 1);
        QCOMPARE(partial.batches[0].outcome, hq::BatchOutcome::Imported);
        const QStringList files = QDir(h.filePath(hq::Hq::batchesDir)).entryList(QDir::Files);
        QCOMPARE(files.size(), 1); // a1's copy; nothing of a2, no temporary file
        QVERIFY(files.first().endsWith(QStringLiteral(".pybatch")));
        auto again = must(hq::importBatchBytes(h, m_secrets->archive, {m_a1, m_a2}, {}), "again");
        QCOMPARE(again.alreadyImported(), 1);
        QCOMPARE(again.imported(), 1);
        QCOMPARE(QDir(h.filePath(hq::Hq::batchesDir)).entryList(QDir::Files).size(), 2);
    }

    /// Item: progress comes from the workers per record, for a single batch too, in both
    /// verify and import, and ends at every record and byte.
    void progressIsReportedPerRecord()
    {
        const QString dir = freshDir();
        auto h = must(hq::Hq::open(dir), "open");
        const QString file = QDir(dir).filePath(QStringLiteral("a1.pybatch"));
        must(writeFileAtomic(file, m_a1), "a1");
        const qint64 records = forge(m_a1).records.size();
        for (bool commit : {false, true}) {
            QList<hq::ImportProgress> seen;
            hq::ImportOptions options;
            options.liveProgress = [&](const hq::ImportProgress &p) {
                seen << p;
            };
            auto s = commit ? must(hq::importBatches(h, m_secrets->archive, {file}, options), "import")
                            : must(hq::verifyBatches(h, &m_secrets->archive, {file}, options), "verify");
            QVERIFY(!seen.isEmpty());
            const hq::ImportProgress &last = seen.last();
            QCOMPARE(last.batchesTotal, 1);
            QCOMPARE(last.batchesDone, 1);
            QCOMPARE(last.recordsChecked, records);
            QCOMPARE(last.bytesTotal, qint64(m_a1.size()));
            QCOMPARE(last.bytesChecked, last.bytesTotal);
            for (qsizetype i = 1; i < seen.size(); ++i)
                QVERIFY(seen[i].recordsChecked >= seen[i - 1].recordsChecked);
        }
    }
};

QTEST_GUILESS_MAIN(TestImportTamper)
#include "test_import_tamper.moc"
