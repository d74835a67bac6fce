#include "importer.h"

#include "audit.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
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
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

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
};

/// Everything a batch is checked against; read once from hq.db, shared read-only by the
/// worker threads.
struct Context {
    Activity activity;
    QByteArray rootPublicKey;
    QHash<QString, EnrolledKiosk> kiosks;
    QHash<QString, RosterRep> roster;
    const crypto::BoxKeyPair *archive = nullptr;
    QList<ClosingReport> reports;
    QString archiveDir; ///< where checked batches are copied (import only)
};

/// A batch after the checks that need no database state.
struct Checked {
    BatchReport report;
    QByteArray headerBytes;
    BatchHeader header;
    QList<QPair<QByteArray, RecordKind>> clean; ///< ids and kinds of the records to count
    QByteArray checkinList;
    QByteArray checkinDigest;
    QByteArray auditLog;
    QString archiveFile; ///< the copy written to the HQ directory, if any
    Status archiveStatus;
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

Result<Context> loadContext(Hq &hq, const crypto::BoxKeyPair *archive, const QStringList &reportTexts)
{
    Context ctx;
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    ctx.activity = std::move(activity).value();
    ctx.rootPublicKey = hq.rootPublicKey();
    ctx.archive = archive;
    auto kiosks = hq.db().prepare("SELECT kiosk_id, venue, sign_pk FROM kiosk");
    if (!kiosks)
        return kiosks.error();
    for (;;) {
        auto row = kiosks->next();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ctx.kiosks.insert(kiosks->text(0), {kiosks->text(1), kiosks->blob(2)});
    }
    auto reps = hq.db().prepare("SELECT rep_id, venue, sessions FROM representative");
    if (!reps)
        return reps.error();
    for (;;) {
        auto row = reps->next();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ctx.roster.insert(reps->text(0), {reps->text(1), reps->text(2).split(QLatin1Char(';'), Qt::SkipEmptyParts)});
    }
    for (const QString &text : reportTexts) {
        auto summary = decodeReportQr(text, {});
        if (!summary)
            return makeError(
                summary.error().code,
                QStringLiteral("--closing-report \"%1…\": %2").arg(text.left(12), summary.error().message));
        ctx.reports.append({text.trimmed(), *summary});
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
        if (!verified->closing) {
            r.problems.append({QStringLiteral("closing-report-kind"),
                               QStringLiteral("the report code given for %1 is the opening (zero) report, not the "
                                              "closing report: give the code printed when the session was closed")
                                   .arg(describe(h.context))});
            continue;
        }
        if (rc.activityId != h.context.activityId || rc.venue != h.context.venue) {
            r.problems.append({QStringLiteral("closing-report-mismatch"),
                               QStringLiteral("the closing report is for activity %1, venue %2, but the batch for %3 "
                                              "names activity %4: the batch is not the session the kiosk reported")
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

/// The records' side of the checks: signatures and ids (on `threads` threads), second
/// copies, order, then counts and digests against the header with the quarantine rule.
void checkRecords(const BatchContent &content, const QByteArray &kioskKey, int threads, Checked &c)
{
    BatchReport &r = c.report;
    const BatchHeader &h = content.header;
    const QList<SealedRecord> &records = content.records;
    const qsizetype n = records.size();
    std::vector<QByteArray> ids(static_cast<std::size_t>(n));
    std::vector<char> signatureOk(static_cast<std::size_t>(n));
    parallelFor(n, threads, [&](qsizetype begin, qsizetype end, int) {
        for (qsizetype i = begin; i < end; ++i) {
            ids[std::size_t(i)] = records[i].id();
            signatureOk[std::size_t(i)] = verifyRecord(h.context, records[i], kioskKey) ? 1 : 0;
        }
    });

    QSet<QByteArray> seen;
    seen.reserve(n);
    bool ordered = true;
    QList<QByteArray> allIds[2], cleanIds[2];
    for (qsizetype i = 0; i < n; ++i) {
        const SealedRecord &rec = records[i];
        const QByteArray &id = ids[std::size_t(i)];
        const int k = rec.kind == RecordKind::Ballot ? 0 : 1;
        if (i > 0) {
            const SealedRecord &prev = records[i - 1];
            if (prev.kind > rec.kind || (prev.kind == rec.kind && ids[std::size_t(i - 1)] >= id))
                ordered = false;
        }
        if (seen.contains(id)) {
            r.quarantined.append({int(i), rec, id, QStringLiteral("record-duplicate"),
                                  QStringLiteral("%1 appears more than once in the batch; only its first copy is "
                                                 "counted")
                                      .arg(recordLabel(rec.kind, id)),
                                  false});
            continue;
        }
        seen.insert(id);
        allIds[k].append(id);
        if (!signatureOk[std::size_t(i)]) {
            r.quarantined.append({int(i), rec, id, QStringLiteral("record-signature"),
                                  QStringLiteral("%1 does not carry a valid signature of %2 for this session: it was "
                                                 "altered or comes from another kiosk or session; it is not counted")
                                      .arg(recordLabel(rec.kind, id), h.context.kioskId),
                                  false});
            continue;
        }
        cleanIds[k].append(id);
        c.clean.append({id, rec.kind});
    }
    if (!ordered)
        r.warnings.append({QStringLiteral("batch-order"),
                           QStringLiteral("the records are not in ascending id order as a kiosk writes them: every "
                                          "record was checked on its own, but tell the kiosk's maintainers (the order "
                                          "of a batch must never follow the order of voting)")});

    const struct {
        RecordKind kind;
        qint64 count;
        QByteArray digest;
        QString noun;
    } kinds[2] = {{RecordKind::Ballot, h.counts.ballots, h.ballotDigest, QStringLiteral("ballots")},
                  {RecordKind::Suggestion, h.counts.suggestions, h.suggestionDigest, QStringLiteral("suggestions")}};
    for (int k = 0; k < 2; ++k) {
        const auto &K = kinds[k];
        if (cleanIds[k].size() == K.count && sortedIdDigest(cleanIds[k]) == K.digest)
            continue; // anything quarantined was extra: the kiosk never counted it
        if (allIds[k].size() == K.count && sortedIdDigest(allIds[k]) == K.digest) {
            // The kiosk counted the records we quarantined: count the rest, say so loudly.
            qint64 counted = 0;
            for (QuarantinedRecord &q : r.quarantined)
                if (q.record.kind == K.kind && q.code == QLatin1String("record-signature")) {
                    q.countedByKiosk = true;
                    ++counted;
                }
            r.discrepancy = true;
            r.warnings.append(
                {QStringLiteral("batch-discrepancy"),
                 QStringLiteral("the kiosk's header counts %1 %2, but %3 of them were quarantined: %4 are counted. "
                                "Ballots handed out and ballots counted now differ for %5; compare with the kiosk's "
                                "closing report and audit log and record the decision")
                     .arg(K.count)
                     .arg(K.noun)
                     .arg(counted)
                     .arg(K.count - counted)
                     .arg(describe(h.context))});
            continue;
        }
        if (allIds[k].size() != K.count && cleanIds[k].size() != K.count)
            r.problems.append({QStringLiteral("batch-counts"),
                               QStringLiteral("the header says %1 %2, but the batch holds %3 (%4 with a valid "
                                              "signature): the batch does not add up; export it again from the kiosk")
                                   .arg(K.count)
                                   .arg(K.noun)
                                   .arg(allIds[k].size())
                                   .arg(cleanIds[k].size())});
        else
            r.problems.append({QStringLiteral("batch-digest"),
                               QStringLiteral("the digest of the sorted %1 ids differs from the header's (%2…): the "
                                              "records are not the ones the kiosk counted; export it again from the "
                                              "kiosk")
                                   .arg(K.noun, hexPrefix(K.digest))});
    }
    r.ballotsCounted = cleanIds[0].size();
    r.suggestionsCounted = cleanIds[1].size();
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
}

Checked checkBatch(const Context &ctx, QByteArray bytes, const QString &name, int threads)
{
    Checked c;
    BatchReport &r = c.report;
    r.file = name;
    r.fileDigest = crypto::hash(bytes);
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

    if (sc.activityId != ctx.activity.id)
        problem(QStringLiteral("batch-activity"),
                QStringLiteral("this batch is from activity \"%1\", but this office tallies \"%2\": it belongs to "
                               "another activity or office; set it aside and return it")
                    .arg(sc.activityId, ctx.activity.id));
    if (sc.rehearsal)
        problem(QStringLiteral("batch-rehearsal"),
                QStringLiteral("this is a rehearsal batch (%1): rehearsal ballots are never counted; keep it apart "
                               "from the real batches")
                    .arg(describe(sc)));
    if (!ctx.activity.venue(sc.venue))
        problem(QStringLiteral("batch-venue"),
                QStringLiteral("the batch names venue \"%1\", which is not a venue of activity %2: it was altered or made "
                               "with another activity spec; do not import it and report it")
                    .arg(sc.venue, ctx.activity.id));
    else if (!ctx.activity.session(sc.session))
        problem(QStringLiteral("batch-session"),
                QStringLiteral("the batch names group session \"%1\", which is not in activity %2: it was altered or made "
                               "with another activity spec; do not import it and report it")
                    .arg(sc.session, ctx.activity.id));
    else if (!ctx.activity.sessionHeldAt(sc.session, sc.venue))
        problem(QStringLiteral("batch-session"),
                QStringLiteral("group session %1 is not held at venue %2 in activity %3: the batch was altered or the "
                               "kiosk ran a session it should not have; do not import it and report it")
                    .arg(sc.session, sc.venue, ctx.activity.id));

    auto cert = KioskCertificate::verify(h.kioskCertificate, ctx.rootPublicKey, ctx.activity.id, sc.venue);
    if (!cert) {
        QString hint;
        if (cert.error().code == QLatin1String("kiosk-cert-signature"))
            hint = QStringLiteral(
                ": the kiosk certificate in the batch was not issued by this office's HQ root (forged, "
                "or from another office); do not import it");
        else if (cert.error().code == QLatin1String("kiosk-cert-venue"))
            hint = QStringLiteral(", but the batch says it was cast at venue %1: a kiosk may only export batches for "
                                  "the venue it is enrolled at")
                       .arg(sc.venue);
        problem(cert.error().code, cert.error().message + hint);
        return c;
    }
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
    else if (enrolled->venue != sc.venue)
        problem(QStringLiteral("kiosk-enrolled-elsewhere"),
                QStringLiteral("kiosk %1 is enrolled at venue %2, but the batch says venue %3: a kiosk may only export "
                               "batches for its own venue; do not import it and report it")
                    .arg(cert->kioskId, enrolled->venue, sc.venue));

    if (auto s = verifyBatchSignature(*file, cert->signPublicKey); !s) {
        problem(s.error().code, s.error().message);
        return c;
    }
    checkClosingReports(ctx, h, cert->signPublicKey, r);
    if (!ctx.archive)
        return c;

    auto key = openBatchKey(*file, *ctx.archive, false);
    if (!key) {
        problem(key.error().code,
                QStringLiteral("the batch's file key is not sealed to this office's archive key: it "
                               "was made for another office, or damaged by the kiosk"));
        return c;
    }
    auto content = decryptBatch(*file, *key);
    if (!content) {
        problem(content.error().code, content.error().message);
        return c;
    }
    r.streamChecked = true;
    checkRecords(*content, cert->signPublicKey, threads, c);
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
        r.warnings.append({QStringLiteral("audit-chain"), QStringLiteral("the batch carries no audit log")});
    if (r.problems.isEmpty() && !ctx.archiveDir.isEmpty()) {
        // The original file goes into the HQ directory before its records are committed;
        // named by content, so a different file for the same session never replaces it.
        c.archiveFile
            = QDir(ctx.archiveDir)
                  .filePath(QStringLiteral("%1_%2_%3.pybatch")
                                .arg(sc.kioskId, sc.session, QString::fromLatin1(r.fileDigest.toHex().left(16))));
        c.archiveStatus = writeFileAtomic(c.archiveFile, bytes);
    }
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
};

Result<std::optional<Prior>> priorImport(Database &db, const SessionContext &sc)
{
    auto st = db.prepare("SELECT file_digest, ballot_digest, suggestion_digest, checkin_digest, checkins, ballots, "
                         "released, suggestions, imported_at FROM batch WHERE kiosk_id = ?1 AND session = ?2");
    if (!st)
        return st.error();
    st->bind(1, sc.kioskId).bind(2, sc.session);
    auto row = st->next();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Prior>();
    return std::optional<Prior>(Prior {st->blob(0), st->blob(1), st->blob(2), st->blob(3),
                                       BatchCounts {st->integer(4), st->integer(5), st->integer(6), st->integer(7)},
                                       st->text(8)});
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
             "a batch of %1 was already imported (%2) with different content (%3, ballot digest %4…); this "
             "file has %5 (digest %6…). Only one batch per kiosk and session is accepted: find out which one "
             "the kiosk really exported (compare with its closing report) before doing anything else")
             .arg(describe(r.context), p.importedAt, countsText(p.counts), hexPrefix(p.ballotDigest),
                  countsText(c.header.counts), hexPrefix(c.header.ballotDigest))});
    r.outcome = BatchOutcome::Refused;
}

Status logRefusal(Database &db, const BatchReport &r)
{
    auto st
        = db.prepare("INSERT INTO import_refusal (file_name, file_digest, kiosk_id, venue, session, code, message, at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return st.error();
    const Error e = r.reason();
    return st->bind(1, QFileInfo(r.file).fileName())
        .bind(2, r.fileDigest)
        .bind(3, r.context.kioskId)
        .bind(4, r.context.venue)
        .bind(5, r.context.session)
        .bind(6, e.code)
        .bind(7, e.message)
        .bind(8, nowText())
        .exec();
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

/// Stores one checked batch in one transaction (after archiving the file). `known` holds
/// the ids of every record counted so far: none may be counted twice.
Status store(Hq &hq, Checked &c, QSet<QByteArray> &known)
{
    BatchReport &r = c.report;
    Database &db = hq.db();
    if (!c.archiveStatus)
        return c.archiveStatus;
    QList<QByteArray> ids[2];
    for (const auto &[id, kind] : c.clean) {
        if (known.contains(id))
            return makeError(QStringLiteral("record-known"),
                             QStringLiteral("%1 was already imported with another batch: the same record cannot be "
                                            "counted twice; nothing of this batch was imported")
                                 .arg(recordLabel(kind, id)));
        ids[kind == RecordKind::Ballot ? 0 : 1].append(id);
    }

    Database::Transaction tx(db);
    if (!tx.status())
        return tx.status();
    auto batch = db.prepare(
        "INSERT INTO batch (kiosk_id, venue, session, file_name, file_digest, header, checkins, ballots, released, "
        "suggestions, ballot_digest, suggestion_digest, checkin_digest, counted_ballots, counted_suggestions, "
        "quarantined, status, findings, closing_report, audit_log, imported_at, archive_file, ballot_ids, "
        "suggestion_ids, "
        "checkin_list) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
        "?20, "
        "?21, ?22, ?23, ?24, ?25) RETURNING batch_id");
    if (!batch)
        return batch.error();
    batch->bind(1, r.context.kioskId)
        .bind(2, r.context.venue)
        .bind(3, r.context.session)
        .bind(4, QFileInfo(r.file).fileName())
        .bind(5, r.fileDigest)
        .bind(6, c.headerBytes)
        .bind(7, r.counts.checkins)
        .bind(8, r.counts.ballots)
        .bind(9, r.counts.released)
        .bind(10, r.counts.suggestions)
        .bind(11, c.header.ballotDigest)
        .bind(12, c.header.suggestionDigest)
        .bind(13, c.checkinDigest)
        .bind(14, r.ballotsCounted)
        .bind(15, r.suggestionsCounted)
        .bind(16, qint64(r.quarantined.size()))
        .bind(17, r.discrepancy ? "discrepancy" : "ok")
        .bind(18, findingsJson(r.warnings))
        .bind(19, c.report.closingReport)
        .bind(20, c.auditLog)
        .bind(21, nowText())
        .bind(22, QFileInfo(c.archiveFile).fileName())
        .bind(23, idList(ids[0]))
        .bind(24, idList(ids[1]))
        .bind(25, c.checkinList);
    if (c.report.closingReport.isEmpty())
        batch->bindNull(19);
    auto row = batch->next();
    if (!row)
        return row.error();
    const qint64 batchId = batch->integer(0);
    batch->reset();

    auto quarantine = db.prepare("INSERT INTO quarantine (batch_id, position, kind, record_id, code, message, "
                                 "counted_by_kiosk, sealed, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!quarantine)
        return quarantine.error();
    for (const QuarantinedRecord &q : r.quarantined) {
        if (auto s = quarantine->bind(1, batchId)
                         .bind(2, q.position)
                         .bind(3, int(q.record.kind))
                         .bind(4, q.id)
                         .bind(5, q.code)
                         .bind(6, q.message)
                         .bind(7, q.countedByKiosk ? 1 : 0)
                         .bind(8, q.record.sealed)
                         .bind(9, q.record.signature)
                         .exec();
            !s)
            return s;
        quarantine->reset();
    }
    if (auto s = tx.commit(); !s)
        return s;
    for (const auto &[id, kind] : c.clean)
        known.insert(id);
    return {};
}

/// Every record id counted so far, from the batch rows.
Result<QSet<QByteArray>> countedIds(Database &db)
{
    auto st = db.prepare("SELECT ballot_ids, suggestion_ids FROM batch");
    if (!st)
        return st.error();
    QSet<QByteArray> ids;
    for (;;) {
        auto row = st->next();
        if (!row)
            return row.error();
        if (!*row)
            return ids;
        for (int column : {0, 1}) {
            const QByteArray list = st->blob(column);
            for (qsizetype at = 0; at + 32 <= list.size(); at += 32)
                ids.insert(list.mid(at, 32));
        }
    }
}

bool archivedBefore(Database &db, const QByteArray &fileDigest)
{
    auto st = db.prepare("SELECT 1 FROM batch WHERE file_digest = ?1");
    if (!st)
        return true; // when in doubt, keep the file
    st->bind(1, fileDigest);
    auto row = st->next();
    return !row || *row;
}

/// Checks on worker threads, in input order; the calling thread judges replays and
/// commits each batch while the workers check the next ones.
Result<ImportSummary> run(Hq &hq, const crypto::BoxKeyPair *archive, const QList<QByteArray> *inMemory,
                          const QStringList &names, const ImportOptions &options, bool commit)
{
    auto ctx = loadContext(hq, archive, options.closingReports);
    if (!ctx)
        return ctx.error();
    if (commit) {
        ctx->archiveDir = hq.filePath(Hq::batchesDir);
        if (!QDir().mkpath(ctx->archiveDir))
            return makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(ctx->archiveDir));
    }
    const int total = int(names.size());
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
                auto read = readFile(names[i]);
                if (!read) {
                    Checked c;
                    c.report.file = names[i];
                    c.report.problems.append({QStringLiteral("batch-io"), read.error().message});
                    result = std::move(c);
                } else {
                    bytes = std::move(read).value();
                }
            }
            if (!result)
                result = checkBatch(*ctx, std::move(bytes), names[i], innerThreads);
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
    auto known = countedIds(hq.db());
    if (!known)
        fatal = known.error();
    // Each batch is still one atomic transaction; its commit is made durable by the one
    // sync at the end of the run instead of one sync per batch (power lost mid-run can
    // only lose whole batches, which are then imported again).
    if (commit && !fatal)
        if (auto s = hq.db().exec("PRAGMA synchronous=NORMAL"); !s)
            fatal = s.error();
    qint64 records = 0;
    QHash<QPair<QString, QString>, Prior> seenThisRun; // for verify, where nothing is stored
    for (int i = 0; i < total; ++i) {
        Checked c;
        {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return done[std::size_t(i)].has_value(); });
            c = std::move(*done[std::size_t(i)]);
            done[std::size_t(i)].reset();
        }
        BatchReport &r = c.report;
        if (!fatal && r.problems.isEmpty()) {
            std::optional<Prior> prior;
            const auto key = qMakePair(r.context.kioskId, r.context.session);
            if (auto p = priorImport(hq.db(), r.context); !p)
                fatal = p.error();
            else if (p->has_value())
                prior = **p;
            else if (!commit && seenThisRun.contains(key))
                prior = seenThisRun.value(key);
            if (prior)
                judgeReplay(*prior, c);
            else
                r.outcome = commit ? BatchOutcome::Imported : BatchOutcome::Verified;
            if (!commit && r.outcome == BatchOutcome::Verified)
                seenThisRun.insert(key,
                                   Prior {r.fileDigest, c.header.ballotDigest, c.header.suggestionDigest,
                                          c.checkinDigest, c.header.counts, QStringLiteral("earlier in this run")});
        }
        if (!fatal && commit && r.outcome == BatchOutcome::Imported) {
            if (auto s = store(hq, c, *known); !s) {
                if (s.error().code == QLatin1String("record-known")) {
                    r.problems.append({s.error().code, s.error().message});
                    r.outcome = BatchOutcome::Refused;
                } else {
                    fatal = s.error(); // the database or the disk failed: stop, nothing half-done
                }
            } else {
                records += r.ballotsCounted + r.suggestionsCounted;
            }
        }
        if (!r.problems.isEmpty())
            r.outcome = BatchOutcome::Refused;
        if (!fatal && commit && r.refused()) {
            if (auto s = logRefusal(hq.db(), r); !s)
                fatal = s.error();
        }
        if (!c.archiveFile.isEmpty() && r.outcome != BatchOutcome::Imported && !archivedBefore(hq.db(), r.fileDigest))
            QFile::remove(c.archiveFile); // refused or already imported from another file: keep only what was imported
        summary.batches.append(std::move(r));
        {
            std::lock_guard lock(mutex);
            committed = i + 1;
        }
        advanced.notify_all();
        if (options.progress)
            options.progress(i + 1, total, records);
        if (fatal)
            break;
    }
    {
        std::lock_guard lock(mutex);
        next = total; // stop the workers early after a fatal error
    }
    advanced.notify_all();
    for (std::thread &t : pool)
        t.join();
    if (commit) {
        const Status synced = hq.db().exec("PRAGMA wal_checkpoint(FULL)");
        const Status restored = hq.db().exec("PRAGMA synchronous=FULL");
        if (!fatal && (!synced || !restored))
            fatal = !synced ? synced.error() : restored.error();
    }
    for (const std::optional<Checked> &left : done) // checked but never committed (after a fatal error)
        if (left && !left->archiveFile.isEmpty() && !archivedBefore(hq.db(), left->report.fileDigest))
            QFile::remove(left->archiveFile);
    if (fatal)
        return *fatal;

    for (const ClosingReport &cr : ctx->reports) {
        const bool matched = std::any_of(summary.batches.cbegin(), summary.batches.cend(),
                                         [&](const BatchReport &b) { return b.closingReport == cr.text; });
        if (!matched)
            summary.unmatchedReports << QStringLiteral("%1 (kiosk %2, group %3)")
                                            .arg(cr.text.left(16) + QStringLiteral("…"), cr.summary.context.kioskId,
                                                 cr.summary.context.session);
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
            {QStringLiteral("position"), r.position},
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
    if (!closingReport.isEmpty())
        o.insert(QStringLiteral("closing_report_checked"), true);
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
    return !unmatchedReports.isEmpty()
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
                        {QStringLiteral("unmatched_closing_reports"), QJsonArray::fromStringList(unmatchedReports)}};
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
        if (tab > 0)
            out.append({QString::fromUtf8(line.first(tab)), line.sliced(tab + 1) == "voted"});
    }
    return out;
}

} // namespace pingyi::hq
