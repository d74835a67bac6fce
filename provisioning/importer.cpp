#include "importer.h"

#include "audit.h"
#include "enrolment.h"
#include "fileio.h"
#include "formats/batchinvariants.h"
#include "hq.h"
#include "hqlock.h"
#include "hqstore.h"
#include "kioskreports.h"
#include "parallel.h"
#include "report.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace pingyi::hq {

namespace {

struct EnrolledKiosk {
    QString venue;
    QByteArray signPublicKey;
};

struct RosterRep {
    QString venue;
    QStringList sessions;
};

struct ClosingReport {
    QString text;
    ReportSummary summary; ///< decoded without the key, to find its batch
    bool stored = false; ///< not given in this run: stored in hq.db by an earlier import or `report add`
};

/// What the workers have checked so far, read by the calling thread for the progress bar.
struct Counters {
    std::atomic<qint64> records {0};
    std::atomic<qint64> bytes {0};
};

/// Everything a batch is checked against; read once from hq.db, shared read-only by the
/// worker threads (the counters excepted).
struct Context {
    Activity activity;
    QByteArray rootPublicKey;
    QHash<QString, EnrolledKiosk> kiosks;
    QHash<QString, RosterRep> roster;
    const crypto::BoxKeyPair *archive = nullptr;
    QList<ClosingReport> reports; ///< closing reports, matched to batches
    QList<ClosingReport> zeroReports; ///< opening reports, only noted
    QString archiveDir; ///< where checked batches are copied (import only)
    Counters *counters = nullptr;
};

struct CleanRecord {
    QByteArray id;
    SealedRecord record;
};

/// A batch after the checks that need no database state.
struct Checked {
    BatchReport report;
    QByteArray headerBytes;
    BatchHeader header;
    QList<CleanRecord> clean; ///< the records to count (so far: record-known is decided at commit)
    QByteArray checkinList;
    QByteArray checkinDigest;
    QByteArray auditLog;
    QByteArray bytes; ///< the file, for its digest and archived copy (made by the committing thread)
    QString archiveFile; ///< the copy placed in DIR/batches/ for this batch, if any
    qint64 bytesReported = 0; ///< progress bytes the record checks already counted
    bool recordsSorted = false; ///< the records were sorted into clean and quarantined
    int countsAt = 0; ///< where in report.problems the count problems go (before the check-in ones)
};

/// The batch that counted a record before (for the record-known message).
struct CountedBy {
    QString kiosk;
    QString session;
    QString file;
    QString when; ///< "imported <time>" or "earlier in this run"
};

/// Every record id counted so far and which batch counted it.
struct Known {
    QHash<QByteArray, int> ids; ///< record id -> index in `by`
    QList<CountedBy> by;
    qint64 dataVersion = -1; ///< PRAGMA data_version when `ids` was read

    void add(const CountedBy &batch, const QList<CleanRecord> &records)
    {
        by.append(batch);
        for (const CleanRecord &c : records)
            ids.insert(c.id, int(by.size() - 1));
    }
};

QString hexPrefix(QByteArrayView id)
{
    return QString::fromLatin1(id.toByteArray().toHex().left(16));
}

QString describe(const SessionContext &c)
{
    return QStringLiteral("kiosk %1, venue %2, group %3").arg(c.kioskId, c.venue, c.session);
}

QString countsText(const BatchCounts &n)
{
    return QStringLiteral("%1 check-ins, %2 ballots, %3 released, %4 suggestions")
        .arg(n.checkins)
        .arg(n.ballots)
        .arg(n.released)
        .arg(n.suggestions);
}

QString listSome(const QStringList &items)
{
    constexpr int shown = 8;
    QString s = items.mid(0, shown).join(QStringLiteral(", "));
    if (items.size() > shown)
        s += QStringLiteral(" and %1 more").arg(items.size() - shown);
    return s;
}

QString recordLabel(RecordKind kind, QByteArrayView id)
{
    return kind == RecordKind::Ballot ? QStringLiteral("ballot %1 (receipt %2)").arg(hexPrefix(id), receiptCode(id))
                                      : QStringLiteral("suggestion %1").arg(hexPrefix(id));
}

QString reportLabel(const ClosingReport &cr)
{
    return QStringLiteral("%1 (kiosk %2, group %3%4)")
        .arg(cr.text.left(16) + QStringLiteral("…"), cr.summary.context.kioskId, cr.summary.context.session,
             cr.summary.context.rehearsal ? QStringLiteral(", rehearsal") : QString());
}

Result<Context> loadContext(Hq &hq, const crypto::BoxKeyPair *archive, const QStringList &reportTexts)
{
    Context ctx;
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    ctx.activity = std::move(activity).value();
    ctx.rootPublicKey = hq.rootPublicKey();
    ctx.archive = archive;
    auto kiosks = store::kiosks(hq.db());
    if (!kiosks)
        return kiosks.error();
    for (const store::KioskRow &k : *kiosks)
        ctx.kiosks.insert(k.kioskId, {k.venue, k.signPublicKey});
    auto reps = store::representatives(hq.db());
    if (!reps)
        return reps.error();
    for (const store::RepresentativeRow &r : *reps)
        ctx.roster.insert(r.repId, {r.venue, r.sessions});
    for (const QString &text : reportTexts) {
        auto summary = decodeReportQr(text, {});
        if (!summary)
            return makeError(
                summary.error().code,
                QStringLiteral("--closing-report \"%1…\": %2").arg(text.left(12), summary.error().message));
        (summary->closing ? ctx.reports : ctx.zeroReports).append({text.trimmed(), *summary});
    }
    // Closing reports stored earlier (`report add`, an earlier import) are checked against
    // their batch when it arrives, exactly like those given now.
    auto stored = storedReports(hq);
    if (!stored)
        return stored.error();
    for (const KioskReportRow &row : *stored) {
        if (!row.closing || std::any_of(ctx.reports.cbegin(), ctx.reports.cend(), [&](const ClosingReport &cr) {
                return cr.text == row.payload;
            }))
            continue;
        if (auto summary = decodeReportQr(row.payload, {}))
            ctx.reports.append({row.payload, *summary, true});
    }
    return ctx;
}

void checkClosingReports(const Context &ctx, const BatchHeader &h, const QByteArray &kioskKey, BatchReport &r)
{
    for (const ClosingReport &cr : ctx.reports) {
        const SessionContext &rc = cr.summary.context;
        if (rc.kioskId != h.context.kioskId || rc.session != h.context.session || rc.rehearsal != h.context.rehearsal)
            continue;
        r.closingReport = cr.text;
        auto verified = decodeReportQr(cr.text, kioskKey);
        if (!verified) {
            r.problems.append(
                {verified.error().code,
                 verified.error().message
                     + QStringLiteral(": the report code was not made by the kiosk that signed this batch; "
                                      "scan the code shown on that kiosk's closing report again")});
            continue;
        }
        if (rc.activityId != h.context.activityId || rc.venue != h.context.venue) {
            r.problems.append({QStringLiteral("closing-report-mismatch"),
                               QStringLiteral("the closing report is for activity %1, venue %2, but the batch for %3 "
                                              "names activity %4: the batch is not the session the kiosk reported; "
                                              "do not import it, keep the file and report it")
                                   .arg(rc.activityId, rc.venue, describe(h.context), h.context.activityId)});
            continue;
        }
        if (verified->counts != h.counts || verified->ballotDigest != h.ballotDigest) {
            r.problems.append(
                {QStringLiteral("closing-report-mismatch"),
                 QStringLiteral("at closing, %1 reported %2 (ballot digest %3…), but the batch says %4 (digest %5…): "
                                "this batch is not what the kiosk reported when the session closed. Do not import it; "
                                "export the session again from the kiosk and compare with the printed closing report")
                     .arg(describe(h.context), countsText(verified->counts), hexPrefix(verified->ballotDigest),
                          countsText(h.counts), hexPrefix(h.ballotDigest))});
        }
    }
}

/// The records' side of the checks on a worker: signatures and ids (on `threads`
/// threads), second copies (the copy whose signature verifies is the one kept), order.
/// Counts and digests are judged later (judgeCounts), once it is known which records were
/// already counted with another batch.
void checkRecords(const Context &ctx, const BatchContent &content, const QByteArray &kioskKey, int threads, Checked &c)
{
    BatchReport &r = c.report;
    const BatchHeader &h = content.header;
    const QList<SealedRecord> &records = content.records;
    const qsizetype n = records.size();
    std::vector<QByteArray> ids(static_cast<std::size_t>(n));
    std::vector<char> signatureOk(static_cast<std::size_t>(n));
    // The signing bytes are the session's fields and then the record id (docs/formats.md
    // §Sealed record): build the fields once per kind and hash each record's sealed
    // bytes only once, for its id and its signature both.
    QByteArray prefix[2];
    for (const RecordKind kind : {RecordKind::Ballot, RecordKind::Suggestion})
        prefix[kind == RecordKind::Ballot ? 0 : 1] = recordSigningBytes(h.context, kind, {}).chopped(32);
    std::atomic<qint64> bytesReported {0};
    parallelFor(n, threads, [&](qsizetype begin, qsizetype end, int) {
        QByteArray message[2] = {prefix[0] + QByteArray(32, '\0'), prefix[1] + QByteArray(32, '\0')};
        qint64 bytes = 0, done = 0;
        for (qsizetype i = begin; i < end; ++i) {
            const SealedRecord &rec = records[i];
            QByteArray id = crypto::hash(rec.sealed);
            QByteArray &m = message[rec.kind == RecordKind::Ballot ? 0 : 1];
            std::memcpy(m.data() + m.size() - 32, id.constData(), 32);
            signatureOk[std::size_t(i)] = crypto::verify(kioskKey, recordDomain(rec.kind), m, rec.signature);
            ids[std::size_t(i)] = std::move(id);
            bytes += rec.sealed.size() + rec.signature.size();
            if (++done % 16 == 0 || i + 1 == end) {
                ctx.counters->records.fetch_add(done, std::memory_order_relaxed);
                ctx.counters->bytes.fetch_add(bytes, std::memory_order_relaxed);
                bytesReported.fetch_add(bytes, std::memory_order_relaxed);
                done = bytes = 0;
            }
        }
    });
    c.bytesReported += bytesReported.load();

    // The copy kept of an id given more than once: the first whose signature verifies,
    // else the first.
    QHash<QByteArray, qsizetype> kept;
    kept.reserve(n);
    bool ordered = true;
    for (qsizetype i = 0; i < n; ++i) {
        const QByteArray &id = ids[std::size_t(i)];
        const auto it = kept.find(id);
        if (it == kept.end())
            kept.insert(id, i);
        else if (!signatureOk[std::size_t(*it)] && signatureOk[std::size_t(i)])
            *it = i;
        if (i > 0) {
            const SealedRecord &prev = records[i - 1];
            const SealedRecord &rec = records[i];
            // Equal neighbours are copies of one record, judged below; they tell nothing.
            if (prev.kind > rec.kind || (prev.kind == rec.kind && ids[std::size_t(i - 1)] > id))
                ordered = false;
        }
    }
    if (!ordered) {
        r.problems.append({QStringLiteral("batch-order"),
                           QStringLiteral("the records are not in ascending id order as every kiosk writes them, so "
                                          "their order could follow the order of voting: the kiosk software is "
                                          "faulty. Keep the file, do not import it, and report it to the kiosk's "
                                          "maintainers")});
        return;
    }
    for (qsizetype i = 0; i < n; ++i) {
        const SealedRecord &rec = records[i];
        const QByteArray &id = ids[std::size_t(i)];
        const qsizetype keep = kept.value(id);
        if (keep != i) {
            r.quarantined.append(
                {rec, id, QStringLiteral("record-duplicate"),
                 QStringLiteral("%1 appears more than once in the batch; only one copy is "
                                "considered%2")
                     .arg(recordLabel(rec.kind, id),
                          signatureOk[std::size_t(keep)] ? QStringLiteral(" (one whose signature verifies)")
                                                         : QString()),
                 false});
            continue;
        }
        if (!signatureOk[std::size_t(i)]) {
            r.quarantined.append({rec, id, QStringLiteral("record-signature"),
                                  QStringLiteral("%1 does not carry a valid signature of %2 for this session: it was "
                                                 "altered or comes from another kiosk or session; it is not counted")
                                      .arg(recordLabel(rec.kind, id), h.context.kioskId),
                                  false});
            continue;
        }
        c.clean.append({id, rec});
    }
    c.recordsSorted = true;
    // What a batch seen before holds; judgeCounts() settles it for a batch to be stored.
    r.ballotsCounted = std::count_if(c.clean.cbegin(), c.clean.cend(),
                                     [](const CleanRecord &x) { return x.record.kind == RecordKind::Ballot; });
    r.suggestionsCounted = c.clean.size() - r.ballotsCounted;
}

/// Moves the clean records that `known` already counted with another batch into the
/// quarantine (record-known), naming that batch.
void applyKnown(Checked &c, const Known &known)
{
    BatchReport &r = c.report;
    for (auto it = c.clean.begin(); it != c.clean.end();) {
        const auto found = known.ids.constFind(it->id);
        if (found == known.ids.cend()) {
            ++it;
            continue;
        }
        const CountedBy &b = known.by[*found];
        r.quarantined.append(
            {it->record, it->id, QStringLiteral("record-known"),
             QStringLiteral("%1 was already counted with the batch of kiosk %2, group %3 (file %4, %5): the same "
                            "record is never counted twice, so it is quarantined here. A kiosk signed it for two "
                            "sessions: keep both files, compare both kiosks' closing reports and audit logs, and "
                            "report it")
                 .arg(recordLabel(it->record.kind, it->id), b.kiosk, b.session, b.file, b.when),
             false});
        it = c.clean.erase(it);
    }
}

/// Counts and sorted-id digests against the header. The header must describe the clean
/// records plus, possibly, quarantined ones the kiosk counted: none (they were extra), the
/// already-counted ones, the badly signed ones, or both. Counting any of them makes the
/// batch a discrepancy; matching none of these refuses it.
void judgeCounts(Checked &c)
{
    BatchReport &r = c.report;
    const BatchHeader &h = c.header;
    const struct {
        RecordKind kind;
        qint64 count;
        QByteArray digest;
        QString noun;
    } kinds[2] = {{RecordKind::Ballot, h.counts.ballots, h.ballotDigest, QStringLiteral("ballots")},
                  {RecordKind::Suggestion, h.counts.suggestions, h.suggestionDigest, QStringLiteral("suggestions")}};
    QList<Finding> problems;
    for (const auto &K : kinds) {
        QList<QByteArray> clean, badSignature, known;
        for (const CleanRecord &rec : c.clean)
            if (rec.record.kind == K.kind)
                clean.append(rec.id);
        for (const QuarantinedRecord &q : r.quarantined) {
            if (q.record.kind != K.kind)
                continue;
            if (q.code == QLatin1String("record-signature"))
                badSignature.append(q.id);
            else if (q.code == QLatin1String("record-known"))
                known.append(q.id);
        }
        // Candidates in order of preference: the fewest records the kiosk counted wrongly.
        const struct {
            bool known, badSignature;
        } candidates[4] = {{false, false}, {true, false}, {false, true}, {true, true}};
        bool matched = false, countMatched = false;
        for (const auto &cand : candidates) {
            if ((cand.known && known.isEmpty()) || (cand.badSignature && badSignature.isEmpty()))
                continue;
            QList<QByteArray> ids = clean;
            if (cand.known)
                ids += known;
            if (cand.badSignature)
                ids += badSignature;
            const formats::IdsMatch m = formats::matchIds(ids, K.count, K.digest);
            if (m == formats::IdsMatch::CountDiffers)
                continue;
            countMatched = true;
            if (m == formats::IdsMatch::DigestDiffers)
                continue;
            matched = true;
            qint64 counted = 0;
            for (QuarantinedRecord &q : r.quarantined)
                if (q.record.kind == K.kind
                    && ((cand.known && q.code == QLatin1String("record-known"))
                        || (cand.badSignature && q.code == QLatin1String("record-signature")))) {
                    q.countedByKiosk = true;
                    ++counted;
                }
            if (counted > 0) {
                r.discrepancy = true;
                r.warnings.append({QStringLiteral("batch-discrepancy"),
                                   QStringLiteral("the kiosk's header counts %1 %2, but %3 of them were quarantined: "
                                                  "%4 are counted. Ballots handed out and ballots counted now differ "
                                                  "for %5; compare with the kiosk's closing report and audit log and "
                                                  "record the decision")
                                       .arg(K.count)
                                       .arg(K.noun)
                                       .arg(counted)
                                       .arg(K.count - counted)
                                       .arg(describe(h.context))});
            }
            break;
        }
        if (matched)
            continue;
        const qsizetype all = clean.size() + known.size() + badSignature.size();
        if (!countMatched)
            problems.append({QStringLiteral("batch-counts"),
                             QStringLiteral("the header says %1 %2, but the batch holds %3 (%4 that can be "
                                            "counted): the batch does not add up; export it again from the kiosk")
                                 .arg(K.count)
                                 .arg(K.noun)
                                 .arg(all)
                                 .arg(clean.size())});
        else
            problems.append({QStringLiteral("batch-digest"),
                             QStringLiteral("the digest of the sorted %1 ids differs from the header's (%2…): the "
                                            "records are not the ones the kiosk counted; export it again from the "
                                            "kiosk")
                                 .arg(K.noun, hexPrefix(K.digest))});
    }
    const qsizetype at = std::min<qsizetype>(c.countsAt, r.problems.size());
    for (qsizetype i = 0; i < problems.size(); ++i)
        r.problems.insert(at + i, problems[i]);
    r.ballotsCounted = std::count_if(c.clean.cbegin(), c.clean.cend(),
                                     [](const CleanRecord &x) { return x.record.kind == RecordKind::Ballot; });
    r.suggestionsCounted = c.clean.size() - r.ballotsCounted;
    // Kind and id order: nothing of the batch's stream order is kept or shown.
    std::sort(r.quarantined.begin(), r.quarantined.end(), [](const QuarantinedRecord &a, const QuarantinedRecord &b) {
        return std::tie(a.record.kind, a.id, a.code, a.record.signature)
            < std::tie(b.record.kind, b.id, b.code, b.record.signature);
    });
}

void checkCheckins(const Context &ctx, const BatchContent &content, Checked &c)
{
    BatchReport &r = c.report;
    const BatchCounts &n = content.header.counts;
    auto bad = [&](const QString &code, const QString &what) {
        r.problems.append({code,
                           what
                               + QStringLiteral(": the batch's check-in list is inconsistent; export it again "
                                                "from the kiosk")});
    };
    if (n.checkins != n.ballots + n.released)
        bad(QStringLiteral("batch-counts"),
            QStringLiteral("the header counts %1 check-ins but %2 ballots + %3 released")
                .arg(n.checkins)
                .arg(n.ballots)
                .arg(n.released));
    QSet<QString> reps;
    qint64 voted = 0, released = 0;
    QStringList twice;
    for (const CheckInEntry &e : content.checkins) {
        if (reps.contains(e.repId))
            twice << e.repId;
        reps.insert(e.repId);
        (e.voted ? voted : released) += 1;
    }
    if (!twice.isEmpty())
        bad(QStringLiteral("batch-checkins"), QStringLiteral("representative(s) %1 appear twice").arg(listSome(twice)));
    if (voted != n.ballots)
        bad(QStringLiteral("batch-checkins"),
            QStringLiteral("%1 representatives are marked as having voted, but the header counts %2 ballots")
                .arg(voted)
                .arg(n.ballots));
    if (released > n.released)
        bad(QStringLiteral("batch-checkins"),
            QStringLiteral("%1 representatives left without voting, but the header counts only %2 releases")
                .arg(released)
                .arg(n.released));
    if (content.checkins.size() > n.checkins)
        bad(QStringLiteral("batch-checkins"),
            QStringLiteral("%1 representatives listed but only %2 check-ins counted")
                .arg(content.checkins.size())
                .arg(n.checkins));
    r.checkinsListed = content.checkins.size();

    QStringList unknown, uninvited;
    for (const CheckInEntry &e : content.checkins) {
        const auto it = ctx.roster.constFind(e.repId);
        if (it == ctx.roster.cend())
            unknown << e.repId;
        else if (it->venue != content.header.context.venue || !it->sessions.contains(content.header.context.session))
            uninvited << e.repId;
    }
    if (!unknown.isEmpty())
        r.warnings.append(
            {QStringLiteral("checkin-not-on-roster"),
             QStringLiteral("%1 checked-in representative(s) are not on the office's roster (%2): was the "
                            "roster re-imported after the venue packages were built? Check before "
                            "publishing")
                 .arg(unknown.size())
                 .arg(listSome(unknown))});
    if (!uninvited.isEmpty())
        r.warnings.append(
            {QStringLiteral("checkin-not-invited"),
             QStringLiteral("%1 checked-in representative(s) are on the roster but not invited to group "
                            "%2 at venue %3 (%4): check with the venue")
                 .arg(uninvited.size())
                 .arg(content.header.context.session, content.header.context.venue, listSome(uninvited))});
    // The venue's kiosks share check-ins; one checked in offline and met another's check-in.
    if (content.header.venueDuplicates > 0)
        r.warnings.append({QStringLiteral("venue-duplicates"),
                           QStringLiteral("kiosk %1 found %2 representative(s) of group %3 also checked in at another "
                                          "kiosk of venue %4 while it checked in offline: the tally's duplicate "
                                          "report lists them")
                               .arg(content.header.context.kioskId)
                               .arg(content.header.venueDuplicates)
                               .arg(content.header.context.session, content.header.context.venue)});
}

Checked checkBatch(const Context &ctx, QByteArray bytes, const QString &name, int threads)
{
    Checked c;
    BatchReport &r = c.report;
    r.file = name;
    c.bytes = bytes; // shared, not copied
    auto problem = [&](const QString &code, const QString &message) {
        r.problems.append({code, message});
    };

    auto file = readBatch(bytes);
    if (!file) {
        problem(file.error().code, file.error().message);
        return c;
    }
    const BatchHeader &h = file->header;
    const SessionContext &sc = h.context;
    r.headerRead = true;
    r.context = sc;
    r.counts = h.counts;
    c.header = h;
    c.headerBytes = file->headerBytes;

    // The header's claims are not trusted before the signature: when the signature can be
    // checked and fails, that is the reason given first and these follow.
    const bool otherActivity = sc.activityId != ctx.activity.id;
    if (otherActivity)
        problem(QStringLiteral("batch-activity"),
                QStringLiteral("this batch is from activity \"%1\", but this office tallies \"%2\": it belongs to "
                               "another activity or office; set it aside and return it")
                    .arg(sc.activityId, ctx.activity.id));
    if (sc.rehearsal)
        problem(QStringLiteral("batch-rehearsal"),
                QStringLiteral("this is a rehearsal batch (%1): rehearsal ballots are never counted; keep it apart "
                               "from the real batches")
                    .arg(describe(sc)));
    if (otherActivity) {
        // Its venues and groups are another activity's: nothing to say about them here.
    } else if (!ctx.activity.venue(sc.venue)) {
        problem(
            QStringLiteral("batch-venue"),
            QStringLiteral("the batch names venue \"%1\", which is not a venue of activity %2: it was altered or made "
                           "with another activity spec; do not import it and report it")
                .arg(sc.venue, ctx.activity.id));
    } else if (!ctx.activity.session(sc.session)) {
        problem(
            QStringLiteral("batch-session"),
            QStringLiteral("the batch names group session \"%1\", which is not in activity %2: it was altered or made "
                           "with another activity spec; do not import it and report it")
                .arg(sc.session, ctx.activity.id));
    } else if (!ctx.activity.sessionHeldAt(sc.session, sc.venue)) {
        problem(QStringLiteral("batch-session"),
                QStringLiteral("group session %1 is not held at venue %2 in activity %3: the batch was altered or the "
                               "kiosk ran a session it should not have; do not import it and report it")
                    .arg(sc.session, sc.venue, ctx.activity.id));
    }

    // The venue is compared below, so that a certificate of this office still gives the
    // key to check the batch signature with.
    auto cert = KioskCertificate::verify(h.kioskCertificate, ctx.rootPublicKey, ctx.activity.id, QString());
    if (!cert) {
        const QString &code = cert.error().code;
        QString hint;
        if (code == QLatin1String("kiosk-cert-signature"))
            hint = QStringLiteral(
                ": the kiosk certificate in the batch was not issued by this office's HQ root (forged, "
                "or from another office); do not import it, set it aside and report it");
        else if (code == QLatin1String("kiosk-cert-activity"))
            hint = QStringLiteral(": the kiosk was certified for another activity; do not import the batch, set it "
                                  "aside and return it to the office that certified the kiosk");
        else
            hint = QStringLiteral(": the kiosk certificate in the batch is damaged or not a kiosk certificate, so "
                                  "nothing in it can be checked; do not import it, keep the file and report it");
        problem(code, cert.error().message + hint);
        return c;
    }
    if (cert->venue != sc.venue)
        problem(QStringLiteral("kiosk-cert-venue"),
                QStringLiteral("kiosk %1 is enrolled at venue %2, but the batch says it was cast at venue %3: a kiosk "
                               "may only export batches for the venue it is enrolled at; do not import it, keep the "
                               "file and report it")
                    .arg(cert->kioskId, cert->venue, sc.venue));
    if (cert->kioskId != sc.kioskId)
        problem(QStringLiteral("batch-kiosk"),
                QStringLiteral("the batch says it comes from kiosk %1, but carries the certificate of kiosk %2: it was "
                               "altered; do not import it and report it")
                    .arg(sc.kioskId, cert->kioskId));
    const auto enrolled = ctx.kiosks.constFind(cert->kioskId);
    if (enrolled == ctx.kiosks.cend())
        problem(QStringLiteral("kiosk-unknown"),
                QStringLiteral("kiosk %1 is not in this office's list of enrolled kiosks (hq.db): import with the HQ "
                               "directory that certified the venue's kiosks")
                    .arg(cert->kioskId));
    else if (enrolled->signPublicKey != cert->signPublicKey)
        problem(QStringLiteral("kiosk-key-mismatch"),
                QStringLiteral("kiosk %1 is enrolled with another key than the one in the batch's certificate (%2): do "
                               "not import it and report it")
                    .arg(cert->kioskId, crypto::fingerprint(cert->signPublicKey)));
    else if (cert->venue == sc.venue && enrolled->venue != sc.venue)
        problem(QStringLiteral("kiosk-enrolled-elsewhere"),
                QStringLiteral("kiosk %1 is enrolled at venue %2, but the batch says venue %3: a kiosk may only export "
                               "batches for its own venue; do not import it and report it")
                    .arg(cert->kioskId, enrolled->venue, sc.venue));

    if (auto s = verifyBatchSignature(*file, cert->signPublicKey); !s) {
        r.problems.prepend({s.error().code, s.error().message});
        return c;
    }
    checkClosingReports(ctx, h, cert->signPublicKey, r);
    if (!ctx.archive)
        return c;

    auto key = openBatchKey(*file, *ctx.archive, false);
    if (!key) {
        problem(key.error().code,
                QStringLiteral("the batch's file key is not sealed to this office's archive key: it was made for "
                               "another office, or damaged by the kiosk. Check that this is the HQ directory whose "
                               "venue package the kiosk loaded; if it is, keep the file and report it"));
        return c;
    }
    auto content = decryptBatch(*file, *key);
    if (!content) {
        problem(content.error().code, content.error().message);
        return c;
    }
    r.streamChecked = true;
    checkRecords(ctx, *content, cert->signPublicKey, threads, c);
    c.countsAt = int(r.problems.size());
    checkCheckins(ctx, *content, c);
    c.checkinList = checkinList(content->checkins);
    c.checkinDigest = crypto::hash(c.checkinList);
    c.auditLog = content->auditLog;

    auto events = AuditLog::fromJsonLines(content->auditLog);
    const Status audit = events ? AuditLog::verify(*events, cert->signPublicKey) : Status(events.error());
    if (!audit)
        r.warnings.append({QStringLiteral("audit-chain"),
                           QStringLiteral("the kiosk's audit log in the batch does not verify (%1): the ballots were "
                                          "checked on their own, but the kiosk's history cannot be trusted; inspect "
                                          "the kiosk")
                               .arg(audit.error().message)});
    else if (events->isEmpty())
        r.warnings.append({QStringLiteral("audit-chain"),
                           QStringLiteral("the batch carries no audit log, so the kiosk's history (logins, "
                                          "overrides, exports) cannot be checked: keep the kiosk as it is and have "
                                          "its log read out before it is reset")});
    return c;
}

QString nowText()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

struct Prior {
    QByteArray fileDigest, ballotDigest, suggestionDigest, checkinDigest;
    BatchCounts counts;
    QString importedAt;
    QString archiveFile;
};

Result<std::optional<Prior>> priorImport(Database &db, const SessionContext &sc)
{
    auto row = store::priorBatch(db, sc.kioskId, sc.session);
    if (!row)
        return row.error();
    if (!row->has_value())
        return std::optional<Prior>();
    const store::PriorBatchRow &p = **row;
    return std::optional<Prior>(Prior {p.fileDigest, p.ballotDigest, p.suggestionDigest, p.checkinDigest, p.counts,
                                       QStringLiteral("imported %1").arg(p.importedAt), p.archiveFile});
}

/// Same session of the same kiosk seen before: identical is a no-op, different refused.
void judgeReplay(const Prior &p, Checked &c)
{
    BatchReport &r = c.report;
    const bool same = p.fileDigest == r.fileDigest
        || (p.ballotDigest == c.header.ballotDigest && p.suggestionDigest == c.header.suggestionDigest
            && p.counts == c.header.counts && (!r.streamChecked || p.checkinDigest == c.checkinDigest));
    if (same) {
        r.outcome = BatchOutcome::AlreadyImported;
        return;
    }
    r.problems.append(
        {QStringLiteral("batch-replay"),
         QStringLiteral(
             "a batch of %1 was already %2 with different content (%3, ballot digest %4…); this "
             "file has %5 (digest %6…). Only one batch per kiosk and session is accepted: find out which one "
             "the kiosk really exported (compare with its closing report) before doing anything else")
             .arg(describe(r.context), p.importedAt, countsText(p.counts), hexPrefix(p.ballotDigest),
                  countsText(c.header.counts), hexPrefix(c.header.ballotDigest))});
    r.outcome = BatchOutcome::Refused;
}

Status logRefusal(Database &db, const BatchReport &r)
{
    const Error e = r.reason();
    return store::insertImportRefusal(db,
                                      {QFileInfo(r.file).fileName(), r.fileDigest, r.context.kioskId, r.context.venue,
                                       r.context.session, e.code, e.message, nowText()});
}

QByteArray findingsJson(const QList<Finding> &findings)
{
    QJsonArray a;
    for (const Finding &f : findings)
        a.append(QJsonObject {{QStringLiteral("code"), f.code}, {QStringLiteral("message"), f.message}});
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

/// Sorted concatenation of ids: what a batch row keeps of its counted records.
QByteArray idList(QList<QByteArray> ids)
{
    std::sort(ids.begin(), ids.end());
    QByteArray out;
    out.reserve(ids.size() * 32);
    for (const QByteArray &id : ids)
        out += id;
    return out;
}

/// Reads every record id counted so far, with the batch that counted it.
Status loadKnown(Database &db, Known &known)
{
    // The version first: a commit by another connection after it makes the next
    // refreshKnown() read everything again.
    auto version = store::dataVersion(db);
    if (!version)
        return version.error();
    Known fresh;
    fresh.dataVersion = *version;
    if (auto stepped = store::forEachBatchRecordIds(
            db,
            [&](const QString &kiosk, const QString &session, const QString &file, const QString &importedAt,
                const QByteArray &ballotIds, const QByteArray &suggestionIds) {
                fresh.by.append({kiosk, session, file, QStringLiteral("imported %1").arg(importedAt)});
                const int index = int(fresh.by.size() - 1);
                for (const QByteArray &list : {ballotIds, suggestionIds})
                    for (qsizetype at = 0; at + 32 <= list.size(); at += 32)
                        fresh.ids.insert(list.mid(at, 32), index);
            });
        !stepped)
        return stepped.error();
    known = std::move(fresh);
    return {};
}

/// Inside a write transaction: reads the counted ids again if another connection has
/// committed since they were read (the lock should prevent it; the database decides).
Status refreshKnown(Database &db, Known &known)
{
    auto version = store::dataVersion(db);
    if (!version)
        return version.error();
    return *version == known.dataVersion ? Status() : loadKnown(db, known);
}

/// What a run has stored so far, for the checks on the next batches.
struct RunState {
    QString archiveDir;
    Known known;
    QSet<QString> archived; ///< archive file names that batch rows refer to
    QSet<QPair<QString, QString>> committed; ///< (kiosk, session) imported in this run
};

/// The batch file's copy in DIR/batches/, named by content so that a different file for
/// the same session never replaces it.
QString archivePath(const RunState &run, const Checked &c)
{
    return QDir(run.archiveDir)
        .filePath(QStringLiteral("%1_%2_%3.pybatch")
                      .arg(c.report.context.kioskId, c.report.context.session,
                           QString::fromLatin1(c.report.fileDigest.toHex().left(16))));
}

Status insertBatch(Database &db, Checked &c)
{
    BatchReport &r = c.report;
    QList<QByteArray> ids[2];
    for (const CleanRecord &rec : c.clean)
        ids[rec.record.kind == RecordKind::Ballot ? 0 : 1].append(rec.id);
    auto batchId = store::insertBatch(db,
                                      {r.context.kioskId,
                                       r.context.venue,
                                       r.context.session,
                                       QFileInfo(r.file).fileName(),
                                       r.fileDigest,
                                       c.headerBytes,
                                       r.counts,
                                       c.header.ballotDigest,
                                       c.header.suggestionDigest,
                                       c.checkinDigest,
                                       r.ballotsCounted,
                                       r.suggestionsCounted,
                                       qint64(r.quarantined.size()),
                                       r.discrepancy,
                                       findingsJson(r.warnings),
                                       r.closingReport,
                                       c.auditLog,
                                       nowText(),
                                       QFileInfo(c.archiveFile).fileName(),
                                       idList(ids[0]),
                                       idList(ids[1]),
                                       c.checkinList});
    if (!batchId)
        return batchId.error();

    // No stream position: copies of one record are numbered in kind, id and signature
    // order (r.quarantined is sorted so), which says nothing about when anything was cast.
    int copy = 0;
    for (qsizetype i = 0; i < r.quarantined.size(); ++i) {
        const QuarantinedRecord &q = r.quarantined[i];
        const bool again = i > 0 && r.quarantined[i - 1].id == q.id && r.quarantined[i - 1].code == q.code;
        copy = again ? copy + 1 : 1;
        if (auto s = store::insertQuarantined(db,
                                              {*batchId, q.id, q.code, copy, int(q.record.kind), q.message,
                                               q.countedByKiosk, q.record.sealed, q.record.signature});
            !s)
            return s;
    }
    return {};
}

/// Judges and stores one checked batch in one write transaction. BEGIN IMMEDIATE takes
/// the database's write lock, so the replay and record-known checks here see every batch
/// stored so far, even one that another process stored during this run: the database
/// itself never counts a session or a record twice. Errors are database or disk failures.
Status store(Hq &hq, Checked &c, RunState &run)
{
    BatchReport &r = c.report;
    Database &db = hq.db();
    Database::Transaction tx(db);
    if (!tx.status())
        return tx.status();
    auto prior = priorImport(db, r.context);
    if (!prior)
        return prior.error();
    if (prior->has_value()) {
        const Prior &p = **prior;
        judgeReplay(p, c);
        r.sameAsEarlierInRun = run.committed.contains(qMakePair(r.context.kioskId, r.context.session));
        if (r.outcome != BatchOutcome::AlreadyImported)
            return {};
        // The same file restores a missing archived copy.
        const QString copy = archivePath(run, c);
        if (QFileInfo(copy).fileName() == p.archiveFile && !QFile::exists(copy)) {
            if (auto s = writeFileAtomic(copy, c.bytes); !s)
                return s;
            c.archiveFile = copy;
        }
        if (!r.closingReport.isEmpty()) {
            auto stored = store::setClosingReport(db, r.context.kioskId, r.context.session, r.closingReport);
            if (!stored)
                return stored.error();
            r.closingReportStored = *stored;
        }
        return tx.commit();
    }
    if (auto s = refreshKnown(db, run.known); !s)
        return s;
    applyKnown(c, run.known);
    judgeCounts(c);
    if (!r.problems.isEmpty()) {
        r.outcome = BatchOutcome::Refused;
        return {};
    }
    // The copy is on disk (written and synced) before the batch's commit: a committed
    // batch always has its file.
    if (auto s = writeFileAtomic(archivePath(run, c), c.bytes); !s)
        return s;
    c.archiveFile = archivePath(run, c);
    if (auto s = insertBatch(db, c); !s)
        return s;
    if (auto s = tx.commit(); !s)
        return s;
    r.outcome = BatchOutcome::Imported;
    run.known.add({r.context.kioskId, r.context.session, QFileInfo(r.file).fileName(), QStringLiteral("imported now")},
                  c.clean);
    run.archived.insert(QFileInfo(c.archiveFile).fileName());
    run.committed.insert(qMakePair(r.context.kioskId, r.context.session));
    return {};
}

/// The reports no batch of this run took: closing reports are checked against the
/// batches imported earlier (and, on import, stored with them); zero reports are noted.
Status settleReports(Hq &hq, const Context &ctx, ImportSummary &summary, bool commit)
{
    Database &db = hq.db();
    auto givenNow = [&](const SessionContext &rc) {
        return std::any_of(summary.batches.cbegin(), summary.batches.cend(), [&](const BatchReport &b) {
            return b.headerRead && b.context.kioskId == rc.kioskId && b.context.session == rc.session
                && b.context.rehearsal == rc.rehearsal;
        });
    };
    for (const ClosingReport &cr : ctx.reports) {
        const SessionContext &rc = cr.summary.context;
        if (cr.stored || givenNow(rc))
            continue; // checked with its batch, and reported there; or stored before
        std::optional<store::StoredBatchRow> stored;
        if (!rc.rehearsal) {
            auto s = store::storedBatch(db, rc.kioskId, rc.session);
            if (!s)
                return s.error();
            stored = *s;
        }
        if (!stored) {
            summary.unmatchedReports
                << QStringLiteral("%1 matches no batch given here and none imported before: import that kiosk's "
                                  "batch of this group with it, or check that the code was taken from the right "
                                  "kiosk's closing report%2")
                       .arg(reportLabel(cr),
                            commit && !rc.rehearsal
                                ? QStringLiteral(". The report is kept: full results are refused until that batch "
                                                 "is imported")
                                : QString());
            continue;
        }
        const QString label = QStringLiteral("the closing report %1").arg(reportLabel(cr));
        const QString batchText
            = QStringLiteral("the batch imported %1 from %2").arg(stored->importedAt, stored->fileName);
        auto verified = decodeReportQr(cr.text, ctx.kiosks.value(rc.kioskId).signPublicKey);
        if (!verified) {
            summary.reportProblems.append(
                {verified.error().code,
                 QStringLiteral("%1 is not signed by kiosk %2 (%3): scan the code shown on that kiosk's closing "
                                "report again")
                     .arg(label, rc.kioskId, verified.error().message)});
            continue;
        }
        if (rc.activityId != ctx.activity.id || rc.venue != stored->venue || verified->counts != stored->counts
            || verified->ballotDigest != stored->ballotDigest) {
            summary.reportProblems.append(
                {QStringLiteral("closing-report-mismatch"),
                 QStringLiteral("%1 says %2 (ballot digest %3…), but %4 says %5 (digest %6…): the imported batch is "
                                "not what the kiosk reported when the session closed. Compare with the printed "
                                "closing report and the kiosk's audit log, record the decision, and report it")
                     .arg(label, countsText(verified->counts), hexPrefix(verified->ballotDigest), batchText,
                          countsText(stored->counts), hexPrefix(stored->ballotDigest))});
            continue;
        }
        if (stored->closingReport == cr.text) {
            summary.reportNotes << QStringLiteral("%1 matches %2 and was stored with it before").arg(label, batchText);
            continue;
        }
        if (!commit || !stored->closingReport.isEmpty()) {
            summary.reportNotes << QStringLiteral("%1 matches %2").arg(label, batchText);
            continue;
        }
        if (auto s = store::setClosingReport(db, stored->id, cr.text); !s)
            return s;
        summary.reportNotes << QStringLiteral("%1 matches %2: stored with it").arg(label, batchText);
    }
    for (const ClosingReport &zr : ctx.zeroReports) {
        const SessionContext &rc = zr.summary.context;
        const QString label = QStringLiteral("the opening (zero) report %1").arg(reportLabel(zr));
        const auto kiosk = ctx.kiosks.constFind(rc.kioskId);
        if (kiosk != ctx.kiosks.cend()) {
            if (auto verified = decodeReportQr(zr.text, kiosk->signPublicKey); !verified) {
                summary.reportProblems.append(
                    {verified.error().code,
                     QStringLiteral("%1 is not signed by kiosk %2 (%3): scan the code shown on that kiosk's opening "
                                    "report again")
                         .arg(label, rc.kioskId, verified.error().message)});
                continue;
            }
        }
        const BatchCounts &n = zr.summary.counts;
        if (n != BatchCounts {} || zr.summary.ballotDigest != sortedIdDigest({})) {
            summary.reportProblems.append(
                {QStringLiteral("zero-report-not-empty"),
                 QStringLiteral("%1 shows %2: the kiosk held records before voting started. Keep that kiosk's batch "
                                "of this group apart, compare with its audit log, and report it")
                     .arg(label, countsText(n))});
            continue;
        }
        const bool closingGiven = std::any_of(ctx.reports.cbegin(), ctx.reports.cend(), [&](const ClosingReport &cr) {
            return cr.summary.context.kioskId == rc.kioskId && cr.summary.context.session == rc.session
                && cr.summary.context.rehearsal == rc.rehearsal;
        });
        summary.reportNotes << QStringLiteral("%1 shows zero counts; only closing reports are compared with batches%2")
                                   .arg(label,
                                        closingGiven ? QString()
                                                     : QStringLiteral(" (no closing report was given for this "
                                                                      "kiosk and group: give its code to check "
                                                                      "the batch against it)"));
    }
    return {};
}

/// Stores the reports given to import (kioskreports.h), so that the tally knows which
/// kiosks opened or closed which groups. Refusals the batch and report checks above have
/// already explained (signature, mismatch, non-empty zero report) are not repeated.
Status keepReports(Hq &hq, const QStringList &texts, ImportSummary &summary)
{
    if (texts.isEmpty())
        return {};
    auto results = storeReports(hq, texts);
    if (!results)
        return results.error();
    static const QStringList explained {QStringLiteral("report-signature"), QStringLiteral("closing-report-mismatch"),
                                        QStringLiteral("zero-report-not-empty"), QStringLiteral("report-format")};
    for (const ReportStoreResult &r : *results) {
        if (r.outcome == ReportOutcome::Stored) {
            summary.reportsStored << r.label;
            continue;
        }
        if (r.outcome != ReportOutcome::Refused || explained.contains(r.code))
            continue;
        if (r.code == QLatin1String("report-conflict")) {
            // With the batch imported, settleReports compared this report with it already.
            auto batch = store::storedBatch(hq.db(), r.kiosk, r.session);
            if (!batch)
                return batch.error();
            if (batch->has_value())
                continue;
        }
        summary.reportProblems.append({r.code, QStringLiteral("the %1 is not stored: %2").arg(r.label, r.message)});
    }
    return {};
}

/// Temporary archive copies left by a run that was killed (this run holds the lock, so
/// no other run is writing any).
void removeStaleCopies(const QString &archiveDir)
{
    const QDir dir(archiveDir);
    for (const QString &name : dir.entryList({QStringLiteral("*.pybatch.tmp-*")}, QDir::Files))
        QFile::remove(dir.filePath(name));
}

/// Checks on worker threads, in input order; the calling thread judges replays and
/// already-counted records and commits each batch while the workers check the next ones.
Result<ImportSummary> run(Hq &hq, const crypto::BoxKeyPair *archive, const QList<QByteArray> *inMemory,
                          const QStringList &names, const ImportOptions &options, bool commit)
{
    auto lock = HqLock::acquire(hq.dir());
    if (!lock)
        return lock.error();
    auto ctx = loadContext(hq, archive, options.closingReports);
    if (!ctx)
        return ctx.error();
    Counters counters;
    ctx->counters = &counters;
    if (commit) {
        ctx->archiveDir = hq.filePath(Hq::batchesDir);
        if (!QDir().mkpath(ctx->archiveDir))
            return makeError(
                QStringLiteral("io-write"),
                QStringLiteral("cannot create %1: check that the HQ directory is writable").arg(ctx->archiveDir));
        removeStaleCopies(ctx->archiveDir);
    }
    RunState state;
    state.archiveDir = ctx->archiveDir;
    if (auto s = loadKnown(hq.db(), state.known); !s)
        return s.error();
    if (auto archived = store::archiveFiles(hq.db()); !archived)
        return archived.error();
    else
        state.archived = std::move(archived).value();

    const int total = int(names.size());
    qint64 bytesTotal = 0;
    for (int i = 0; i < total; ++i)
        bytesTotal += inMemory ? (*inMemory)[i].size() : QFileInfo(names[i]).size();
    const int threads = workerThreads(options.threads);
    // Few large batches: split each batch's record checks; many: one batch per worker.
    const int innerThreads = std::max(1, threads / std::max(1, total));
    const int workers = std::min(threads, std::max(1, total));
    const int window = 2 * workers + 2; // bounds how far checking runs ahead of committing

    std::vector<std::optional<Checked>> done(static_cast<std::size_t>(total));
    std::mutex mutex;
    std::condition_variable ready, advanced;
    int next = 0, committed = 0;
    auto worker = [&] {
        for (;;) {
            int i;
            {
                std::unique_lock lock(mutex);
                advanced.wait(lock, [&] { return next >= total || next < committed + window; });
                if (next >= total)
                    return;
                i = next++;
            }
            QByteArray bytes;
            std::optional<Checked> result;
            if (inMemory) {
                bytes = (*inMemory)[i];
            } else {
                auto read = readInputFile(names[i], InputKind::Batch);
                if (!read) {
                    Checked c;
                    c.report.file = names[i];
                    c.report.problems.append(
                        {QStringLiteral("batch-io"),
                         read.error().message
                             + QStringLiteral(": check the file name, or copy the file from the kiosk's USB drive "
                                              "again")});
                    result = std::move(c);
                } else {
                    bytes = std::move(read).value();
                }
            }
            const qint64 size = inMemory ? bytes.size() : QFileInfo(names[i]).size();
            if (!result)
                result = checkBatch(*ctx, std::move(bytes), names[i], innerThreads);
            counters.bytes.fetch_add(std::max<qint64>(0, size - result->bytesReported), std::memory_order_relaxed);
            {
                std::lock_guard lock(mutex);
                done[std::size_t(i)] = std::move(result);
            }
            ready.notify_all();
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(std::size_t(workers));
    for (int w = 0; w < workers; ++w)
        pool.emplace_back(worker);

    ImportSummary summary;
    std::optional<Error> fatal;
    QString failedFile;
    // Each batch is still one atomic transaction; its commit is made durable by the one
    // sync at the end of the run instead of one sync per batch (power lost mid-run can
    // only lose whole batches, which are then imported again).
    if (commit)
        if (auto s = store::relaxSync(hq.db()); !s)
            fatal = s.error();
    qint64 records = 0;
    int judged = 0;
    auto tick = [&] {
        if (options.liveProgress)
            options.liveProgress({judged, total, counters.records.load(std::memory_order_relaxed),
                                  counters.bytes.load(std::memory_order_relaxed), bytesTotal});
    };
    QHash<QPair<QString, QString>, Prior> seenThisRun; // for verify, where nothing is stored
    for (int i = 0; i < total && !fatal; ++i) {
        Checked c;
        {
            std::unique_lock lock(mutex);
            while (!ready.wait_for(lock, std::chrono::milliseconds(100),
                                   [&] { return done[std::size_t(i)].has_value(); })) {
                lock.unlock();
                tick();
                lock.lock();
            }
            c = std::move(*done[std::size_t(i)]);
            done[std::size_t(i)].reset();
        }
        BatchReport &r = c.report;
        // Here rather than on a worker: with one worker, this thread has time to spare.
        if (r.problems.value(0).code != QLatin1String("batch-io"))
            r.fileDigest = crypto::hash(c.bytes);
        const auto key = qMakePair(r.context.kioskId, r.context.session);
        if (!r.problems.isEmpty()) {
            if (c.recordsSorted)
                judgeCounts(c); // every problem in one go, for verify's list
            r.outcome = BatchOutcome::Refused;
        } else if (commit) {
            if (auto s = store(hq, c, state); !s) {
                fatal = s.error(); // the database or the disk failed: stop, nothing half-done
                failedFile = r.file;
                if (!c.archiveFile.isEmpty() && !state.archived.contains(QFileInfo(c.archiveFile).fileName()))
                    QFile::remove(c.archiveFile); // placed, but its batch was not committed
                break;
            }
            if (r.outcome == BatchOutcome::Imported)
                records += r.ballotsCounted + r.suggestionsCounted;
        } else {
            auto p = priorImport(hq.db(), r.context);
            if (!p) {
                fatal = p.error();
                failedFile = r.file;
                break;
            }
            if (p->has_value()) {
                judgeReplay(**p, c);
            } else if (seenThisRun.contains(key)) {
                judgeReplay(seenThisRun.value(key), c);
                r.sameAsEarlierInRun = true;
            } else {
                if (c.recordsSorted) {
                    applyKnown(c, state.known);
                    judgeCounts(c);
                }
                r.outcome = r.problems.isEmpty() ? BatchOutcome::Verified : BatchOutcome::Refused;
                if (r.outcome == BatchOutcome::Verified) {
                    seenThisRun.insert(key,
                                       Prior {r.fileDigest, c.header.ballotDigest, c.header.suggestionDigest,
                                              c.checkinDigest, c.header.counts,
                                              QStringLiteral("given earlier in this run (%1)").arg(r.file), QString()});
                    state.known.add(
                        {r.context.kioskId, r.context.session, r.file, QStringLiteral("given earlier in this run")},
                        c.clean);
                }
            }
        }
        if (commit && r.refused()) {
            if (auto s = logRefusal(hq.db(), r); !s) {
                fatal = s.error();
                failedFile = r.file;
            }
        }
        summary.batches.append(std::move(r));
        ++judged;
        {
            std::lock_guard lock(mutex);
            committed = i + 1;
        }
        advanced.notify_all();
        if (options.progress)
            options.progress(i + 1, total, records);
        tick();
    }
    {
        std::lock_guard lock(mutex);
        next = total; // stop the workers early after a fatal error
    }
    advanced.notify_all();
    for (std::thread &t : pool)
        t.join();

    if (!fatal)
        if (auto s = settleReports(hq, *ctx, summary, commit); !s)
            fatal = s.error();
    if (!fatal && commit)
        if (auto s = keepReports(hq, options.closingReports, summary); !s)
            fatal = s.error();
    if (commit) {
        const Status synced = store::checkpointFull(hq.db());
        const Status restored = store::restoreSync(hq.db());
        if (!fatal && (!synced || !restored))
            fatal = !synced ? synced.error() : restored.error();
    }
    if (fatal) {
        if (options.partial)
            *options.partial = summary;
        Error e = *fatal;
        if (commit)
            e.message += QStringLiteral(
                             ". The run stopped%1: the batches listed as imported were stored, nothing of the rest. "
                             "Fix the cause (disk space, permissions, the drive), then run the same import again; "
                             "what was imported is skipped")
                             .arg(failedFile.isEmpty() ? QString() : QStringLiteral(" at %1").arg(failedFile));
        return e;
    }
    return summary;
}

QString outcomeName(BatchOutcome o)
{
    switch (o) {
    case BatchOutcome::Imported:
        return QStringLiteral("imported");
    case BatchOutcome::AlreadyImported:
        return QStringLiteral("already-imported");
    case BatchOutcome::Refused:
        return QStringLiteral("refused");
    case BatchOutcome::Verified:
        return QStringLiteral("verified");
    }
    return {};
}

QJsonArray findingsArray(const QList<Finding> &findings)
{
    QJsonArray a;
    for (const Finding &f : findings)
        a.append(QJsonObject {{QStringLiteral("code"), f.code}, {QStringLiteral("message"), f.message}});
    return a;
}

} // namespace

bool BatchReport::needsAttention() const
{
    if (outcome == BatchOutcome::AlreadyImported)
        return false; // whatever it had was reported when it was imported
    return refused() || discrepancy || !quarantined.isEmpty() || !warnings.isEmpty();
}

Error BatchReport::reason() const
{
    if (problems.isEmpty())
        return {};
    Error e {problems.first().code, problems.first().message};
    for (qsizetype i = 1; i < problems.size(); ++i)
        e.message += QStringLiteral("; also: ") + problems[i].message;
    return e;
}

QJsonObject BatchReport::toJson() const
{
    QJsonObject o {{QStringLiteral("file"), file},
                   {QStringLiteral("file_digest"), QString::fromLatin1(fileDigest.toHex())},
                   {QStringLiteral("outcome"), outcomeName(outcome)}};
    if (headerRead) {
        o.insert(QStringLiteral("activity"), context.activityId);
        o.insert(QStringLiteral("venue"), context.venue);
        o.insert(QStringLiteral("kiosk"), context.kioskId);
        o.insert(QStringLiteral("session"), context.session);
        o.insert(QStringLiteral("rehearsal"), context.rehearsal);
        o.insert(QStringLiteral("header_counts"),
                 QJsonObject {{QStringLiteral("checkins"), counts.checkins},
                              {QStringLiteral("ballots"), counts.ballots},
                              {QStringLiteral("released"), counts.released},
                              {QStringLiteral("suggestions"), counts.suggestions}});
    }
    if (refused()) {
        o.insert(QStringLiteral("reason"), problems.isEmpty() ? QString() : problems.first().code);
        o.insert(QStringLiteral("problems"), findingsArray(problems));
    } else {
        o.insert(QStringLiteral("stream_checked"), streamChecked);
        if (streamChecked) {
            o.insert(QStringLiteral("ballots_counted"), ballotsCounted);
            o.insert(QStringLiteral("suggestions_counted"), suggestionsCounted);
            o.insert(QStringLiteral("checkins_listed"), checkinsListed);
        }
        o.insert(QStringLiteral("discrepancy"), discrepancy);
    }
    QJsonArray q;
    for (const QuarantinedRecord &r : quarantined)
        q.append(QJsonObject {
            {QStringLiteral("kind"),
             r.record.kind == RecordKind::Ballot ? QStringLiteral("ballot") : QStringLiteral("suggestion")},
            {QStringLiteral("id"), QString::fromLatin1(r.id.toHex())},
            {QStringLiteral("code"), r.code},
            {QStringLiteral("message"), r.message},
            {QStringLiteral("counted_by_kiosk"), r.countedByKiosk}});
    if (!q.isEmpty())
        o.insert(QStringLiteral("quarantined"), q);
    if (!warnings.isEmpty())
        o.insert(QStringLiteral("warnings"), findingsArray(warnings));
    o.insert(QStringLiteral("closing_report_checked"), !closingReport.isEmpty());
    if (closingReportStored)
        o.insert(QStringLiteral("closing_report_stored"), true);
    if (sameAsEarlierInRun)
        o.insert(QStringLiteral("same_as_earlier_in_run"), true);
    return o;
}

int ImportSummary::imported() const
{
    return int(std::count_if(batches.cbegin(), batches.cend(),
                             [](const BatchReport &b) { return b.outcome == BatchOutcome::Imported; }));
}

int ImportSummary::alreadyImported() const
{
    return int(std::count_if(batches.cbegin(), batches.cend(),
                             [](const BatchReport &b) { return b.outcome == BatchOutcome::AlreadyImported; }));
}

int ImportSummary::refused() const
{
    return int(std::count_if(batches.cbegin(), batches.cend(), [](const BatchReport &b) { return b.refused(); }));
}

qint64 ImportSummary::quarantined() const
{
    qint64 n = 0;
    for (const BatchReport &b : batches)
        if (!b.refused())
            n += b.quarantined.size();
    return n;
}

bool ImportSummary::needsAttention() const
{
    return !unmatchedReports.isEmpty() || !reportProblems.isEmpty()
        || std::any_of(batches.cbegin(), batches.cend(), [](const BatchReport &b) { return b.needsAttention(); });
}

QJsonObject ImportSummary::toJson() const
{
    QJsonArray list;
    for (const BatchReport &b : batches)
        list.append(b.toJson());
    return QJsonObject {{QStringLiteral("batches"), list},
                        {QStringLiteral("imported"), imported()},
                        {QStringLiteral("already_imported"), alreadyImported()},
                        {QStringLiteral("refused"), refused()},
                        {QStringLiteral("quarantined"), quarantined()},
                        {QStringLiteral("unmatched_closing_reports"), QJsonArray::fromStringList(unmatchedReports)},
                        {QStringLiteral("report_problems"), findingsArray(reportProblems)},
                        {QStringLiteral("report_notes"), QJsonArray::fromStringList(reportNotes)},
                        {QStringLiteral("reports_stored"), QJsonArray::fromStringList(reportsStored)}};
}

Result<ImportSummary> importBatches(Hq &hq, const crypto::BoxKeyPair &archive, const QStringList &files,
                                    const ImportOptions &options)
{
    return run(hq, &archive, nullptr, files, options, true);
}

Result<ImportSummary> importBatchBytes(Hq &hq, const crypto::BoxKeyPair &archive, const QList<QByteArray> &batches,
                                       const QStringList &names, const ImportOptions &options)
{
    QStringList labels = names;
    for (qsizetype i = labels.size(); i < batches.size(); ++i)
        labels << QStringLiteral("batch-%1").arg(i + 1);
    return run(hq, &archive, &batches, labels.mid(0, batches.size()), options, true);
}

Result<ImportSummary> verifyBatches(Hq &hq, const crypto::BoxKeyPair *archive, const QStringList &files,
                                    const ImportOptions &options)
{
    return run(hq, archive, nullptr, files, options, false);
}

QByteArray checkinList(const QList<CheckInEntry> &checkins)
{
    QList<QByteArray> lines;
    lines.reserve(checkins.size());
    for (const CheckInEntry &e : checkins)
        lines << e.repId.toUtf8() + (e.voted ? "\tvoted\n" : "\treleased\n");
    std::sort(lines.begin(), lines.end());
    QByteArray out;
    for (const QByteArray &l : lines)
        out += l;
    return out;
}

QList<CheckInEntry> parseCheckinList(QByteArrayView list)
{
    QList<CheckInEntry> out;
    for (const QByteArray &line : list.toByteArray().split('\n')) {
        const qsizetype tab = line.indexOf('\t');
        if (tab <= 0)
            continue;
        const QByteArrayView status = QByteArrayView(line).sliced(tab + 1);
        // Import only stores entries decryptBatch accepted; anything else is not an entry.
        if (status == "voted" || status == "released")
            out.append({QString::fromUtf8(line.first(tab)), status == "voted"});
    }
    return out;
}

} // namespace pingyi::hq
