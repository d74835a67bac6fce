// The tamper corpus: real batches from the simulator (the real kiosk service), mutated in
// every region — byte flips, truncation, appended data, other files — and, signed again
// with the kiosk's own key, changed in meaning: records swapped between batches or
// duplicated, forged or misplaced kiosk certificates, another activity, a rehearsal, a
// replay with different content, counts and check-in lists that do not add up, closing
// reports that disagree. Each one must be refused, or have its bad records quarantined,
// with its specific reason, and nothing of it may be counted.

#include "hqtestutil.h"
#include "importer.h"
#include "report.h"
#include "simulator.h"
#include "tally.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

struct Case {
    QString name;
    QByteArray bytes;
    QList<QByteArray> before; ///< imported first (replays)
    QStringList closingReports;
    QStringList codes; ///< refused with one of these reasons; empty: imported with quarantine
    QStringList quarantine; ///< expected quarantine codes, sorted
    qint64 countedBallots = -1; ///< valid ballots the tally must count afterwards
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

} // namespace

class TestImportTamper : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_base;
    Activity m_activity;
    std::optional<hq::Secrets> m_secrets;
    std::optional<crypto::BoxKeyPair> m_election;
    QByteArray m_a1, m_a2, m_b1, m_rehearsal, m_s1, m_package;
    QString m_a1Closing, m_a2Closing;
    crypto::SigningKey m_k1, m_k2;
    QList<Case> m_cases;
    int m_caseDir = 0;

    struct Run {
        hq::BatchReport report;
        hq::BatchReport verified;
        qint64 batches = 0;
        QSet<QByteArray> records;
        QStringList refusalCodes;
        qsizetype archived = 0; ///< files in batches/
        std::optional<hq::TallyResults> tally;
    };

    /// Imports `before`, then `bytes` (through a file, as the CLI does), into a fresh copy
    /// of the prepared HQ directory.
    Run run(const Case &c, bool tally)
    {
        const QString dir = m_tmp.filePath(QStringLiteral("case-%1").arg(++m_caseDir));
        copyDir(m_base, dir);
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
        auto st = must(h.db().prepare("SELECT COUNT(*) FROM batch"), "count");
        (void)st.next();
        r.batches = st.integer(0);
        auto recs = must(h.db().prepare("SELECT ballot_ids || suggestion_ids FROM batch"), "records");
        while (*recs.next()) {
            const QByteArray ids = recs.blob(0);
            for (qsizetype at = 0; at < ids.size(); at += 32)
                r.records.insert(ids.mid(at, 32));
        }
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
        add({name, bytes, std::move(before), std::move(closing), codes, {}, -1, false});
    }
    void quarantined(const QString &name, const QByteArray &bytes, const QStringList &codes, qint64 counted,
                     bool discrepancy)
    {
        QStringList q = codes;
        q.sort();
        add({name, bytes, {}, {}, {}, q, counted, discrepancy});
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
        refused(QStringLiteral("header activity id"), replaced(a, valueAt(a, "activity"), 'x'),
                {QStringLiteral("batch-activity")});
        refused(QStringLiteral("header rehearsal flag"),
                [&] {
                    QByteArray b = a;
                    const qsizetype at = valueAt(a, "rehearsal");
                    b.replace(at, 5, "true ");
                    return b;
                }(),
                {QStringLiteral("batch-rehearsal")});
        refused(QStringLiteral("header venue"), replaced(a, valueAt(a, "venue") + 5, 'm'),
                {QStringLiteral("batch-venue")});
        refused(QStringLiteral("header session"), replaced(a, valueAt(a, "session") + 3, 'm'),
                {QStringLiteral("batch-session")});
        refused(QStringLiteral("header kiosk id"),
                [&] {
                    const qsizetype at = valueAt(a, "kiosk") + ctx.kioskId.size() - 1;
                    return replaced(a, at, a[at] == 'f' ? 'e' : 'f');
                }(),
                {QStringLiteral("batch-kiosk")});
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

        // ---- replays ----------------------------------------------------------------
        Forge shorter = base.clone();
        {
            const QByteArray dropped = shorter.records.takeFirst().id();
            Q_UNUSED(dropped);
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
            ReportSummary zero {false, ctx, {}, sortedIdDigest({})};
            refused(QStringLiteral("opening report instead of closing"), a, {QStringLiteral("closing-report-kind")}, {},
                    {encodeReportQr(zero, m_k1)});
            auto closing = must(decodeReportQr(m_a1Closing, {}), "closing");
            refused(QStringLiteral("closing report signed by another kiosk"), a, {QStringLiteral("report-signature")},
                    {}, {encodeReportQr(closing, m_k2)});
        }

        // ---- single bad records: quarantined, never counted ----------------------------
        const qint64 b1Ballots = forge(m_b1).count("ballots");
        Q_UNUSED(b1Ballots);
        {
            Forge f = base.clone();
            f.records[0].signature[5] = char(f.records[0].signature[5] ^ 0x04);
            quarantined(QStringLiteral("a ballot's signature damaged"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots - 1, true);
        }
        {
            Forge f = base.clone();
            f.records[1].sealed[60] = char(f.records[1].sealed[60] ^ 0x01);
            f.recount(); // the kiosk counted what it wrote
            quarantined(QStringLiteral("a ballot's sealed bytes damaged"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots - 1, true);
        }
        {
            Forge f = base.clone();
            f.records.insert(0, forge(m_b1).records.first()); // from another session's batch, not counted in the header
            quarantined(QStringLiteral("a record of another batch added"), f.build(m_k1),
                        {QStringLiteral("record-signature")}, ballots, false);
        }
        {
            Forge f = base.clone();
            const SealedRecord theirs = forge(m_a2).records.first();
            f.records.insert(0, theirs);
            f.records.removeAt(1);
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
            f.records.append(f.records[s]);
            quarantined(QStringLiteral("a suggestion duplicated"), f.build(m_k1), {QStringLiteral("record-duplicate")},
                        ballots, false);
            Forge g = base.clone();
            g.records[s].kind = RecordKind::Ballot; // a suggestion passed off as a ballot
            std::rotate(g.records.begin(), g.records.begin() + s, g.records.begin() + s + 1);
            g.recount(); // one ballot more than representatives who voted
            refused(QStringLiteral("a suggestion relabelled as a ballot"), g.build(m_k1),
                    {QStringLiteral("batch-checkins")});
        }
        {
            Forge f = base.clone();
            SessionContext rehearsal = ctx;
            rehearsal.rehearsal = true;
            const BallotAnswers b = makeBallot(m_activity, ctx.session, [](int) { return 3; });
            f.records.insert(0,
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
            f.records.insert(
                0,
                sealRecord(theirs, RecordKind::Ballot, encodeBallot(ctx.activityId, b), m_election->publicKey(), m_k2));
            f.records.insert(
                0, sealRecord(ctx, RecordKind::Ballot, encodeBallot(ctx.activityId, b), m_election->publicKey(), m_k2));
            quarantined(QStringLiteral("ballots signed by the other kiosk slipped in"), f.build(m_k1),
                        {QStringLiteral("record-signature"), QStringLiteral("record-signature")}, ballots, false);
        }
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
        const Forge f = forge(m_a1);
        QVERIFY2(f.count("ballots") >= 3 && f.count("suggestions") >= 1,
                 "the simulated batch needs a few ballots and a suggestion; change the seed");
        buildCorpus();
    }

    void corpusIsLarge()
    {
        QSet<QString> names;
        QSet<QByteArray> bytes;
        for (const Case &c : m_cases) {
            names.insert(c.name);
            bytes.insert(c.bytes);
        }
        QCOMPARE(names.size(), m_cases.size());
        QVERIFY2(m_cases.size() >= 50, qPrintable(QStringLiteral("%1 cases").arg(m_cases.size())));
    }

    void genuineBatchesImport()
    {
        Case c {QStringLiteral("genuine"), m_a1, {}, {m_a1Closing}, {}, {}, -1, false};
        const Run r = run(c, true);
        QCOMPARE(r.report.outcome, hq::BatchOutcome::Imported);
        QVERIFY2(!r.report.needsAttention(), qPrintable(QJsonDocument(r.report.toJson()).toJson()));
        QCOMPARE(r.verified.outcome, hq::BatchOutcome::Verified);
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
            Case c {QStringLiteral("replay"), bytes, {m_a1}, {}, {}, {}, -1, false};
            const Run r = run(c, true);
            QCOMPARE(r.report.outcome, hq::BatchOutcome::AlreadyImported);
            QCOMPARE(r.verified.outcome, hq::BatchOutcome::AlreadyImported);
            QCOMPARE(r.batches, qint64(1));
            QCOMPARE(r.archived, qsizetype(1)); // the re-export's copy is not kept
            QCOMPARE(r.tally->ballots, forge(m_a1).count("ballots"));
        }
    }

    void recordOrderIsOnlyAWarning()
    {
        Forge f = forge(m_a1);
        std::swap(f.records[0], f.records[1]);
        Case c {QStringLiteral("order"), f.build(m_k1), {}, {}, {}, {}, -1, false};
        const Run r = run(c, true);
        QCOMPARE(r.report.outcome, hq::BatchOutcome::Imported);
        QCOMPARE(r.report.warnings.value(0).code, QStringLiteral("batch-order"));
        QCOMPARE(r.tally->ballots, f.count("ballots"));
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

        if (!expectQuarantine) {
            QVERIFY2(r.report.refused(), qPrintable(report));
            QVERIFY2(c.codes.contains(r.report.reason().code), qPrintable(report));
            QVERIFY2(!r.report.reason().message.isEmpty(), qPrintable(report));
            // verify says the same as import.
            QVERIFY2(r.verified.refused() && r.verified.reason().code == r.report.reason().code, qPrintable(report));
            // Nothing of it stored; the refusal is on record.
            QCOMPARE(r.batches, before);
            QCOMPARE(r.records, beforeRecords);
            QCOMPARE(r.archived, c.before.size()); // no copy of a refused file is kept
            QCOMPARE(r.refusalCodes, QStringList {r.report.reason().code});
            return;
        }
        QVERIFY2(r.report.outcome == hq::BatchOutcome::Imported, qPrintable(report));
        QStringList codes;
        for (const hq::QuarantinedRecord &q : r.report.quarantined) {
            codes << q.code;
            QVERIFY2(!r.records.contains(q.id) || c.quarantine.contains(QStringLiteral("record-duplicate")),
                     qPrintable(report));
        }
        codes.sort();
        QCOMPARE(codes, c.quarantine);
        QCOMPARE(r.report.discrepancy, c.discrepancy);
        QVERIFY(r.report.needsAttention());
        QCOMPARE(r.batches, qint64(1));
        QCOMPARE(r.archived, qsizetype(1));
        QCOMPARE(qint64(r.records.size()), r.report.ballotsCounted + r.report.suggestionsCounted);
        // The tally counts exactly the records that were not quarantined.
        QCOMPARE(r.tally->ballots, c.countedBallots);
        QVERIFY2(r.tally->rejected.isEmpty(), qPrintable(QJsonDocument(r.tally->toJson()).toJson()));
        QCOMPARE(r.tally->quarantined.size(), r.report.quarantined.size());
        const auto &sessions = r.tally->sessions;
        const auto econ = std::find_if(sessions.cbegin(), sessions.cend(),
                                       [](const hq::SessionResult &s) { return s.code == QLatin1String("econ"); });
        QVERIFY(econ != sessions.cend());
        QCOMPARE(econ->ballots, c.countedBallots);
        for (const hq::DepartmentResult &d : econ->departments)
            QCOMPARE(d.ballots, c.countedBallots);
    }
};

QTEST_GUILESS_MAIN(TestImportTamper)
#include "test_import_tamper.moc"
