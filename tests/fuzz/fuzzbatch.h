#pragma once
// The office's reading of a session batch, step for step as `pingyi-hq import` and the tally
// take it (provisioning/importer.cpp checkBatch, tally/counting.cpp openRecord), for the two
// batch targets: container and header, kiosk certificate, signature, file key, stream,
// records, invariants, each ballot and suggestion opened and decoded, the audit log.

#include "audit.h"
#include "ballot.h"
#include "batch.h"
#include "enrolment.h"
#include "fuzzcommon.h"

namespace pingyi::fuzz {

/// What the reading got to, for the targets' own invariants.
struct BatchReading {
    bool read = false;
    bool certified = false;
    bool signatureValid = false;
    bool keyOpened = false;
    std::optional<BatchContent> content;
};

/// A ballot plaintext the fast canonical reader accepted, written with one space more so only
/// the JSON reader takes it: both readers of decodeBallot must agree.
inline void checkBallotReaders(QByteArrayView plain, const BallotAnswers &fast, const QString &fastActivity)
{
    const qsizetype unpadded = formats::unpaddedLength(plain, ballotPadBlock);
    if (unpadded < 1 || plain[0] != '{')
        return;
    QByteArray loose = "{ " + plain.first(unpadded).sliced(1).toByteArray();
    loose.append('\x80');
    loose.append(QByteArray((ballotPadBlock - loose.size() % ballotPadBlock) % ballotPadBlock, '\0'));
    QString looseActivity;
    auto slow = decodeBallot(loose, &looseActivity);
    FUZZ_CHECK(slow && *slow == fast && looseActivity == fastActivity);
}

inline void readRecords(const BatchContent &content, const TestKeys &keys)
{
    const Activity &activity = demoActivity();
    for (const SealedRecord &r : content.records) {
        auto plain = crypto::openSealed(keys.election, r.sealed);
        if (!plain)
            continue;
        QString activityId;
        if (r.kind == RecordKind::Ballot) {
            auto ballot = decodeBallot(plain->view(), &activityId);
            if (!ballot)
                continue;
            (void)validateBallot(activity, *ballot);
            // Re-encoded, a decoded ballot decodes to itself.
            const QByteArray again = encodeBallot(activityId, *ballot, qMax(plain->view().size(), ballotPadBlock));
            QString againActivity;
            auto back = decodeBallot(again, &againActivity);
            FUZZ_CHECK(back && *back == *ballot && againActivity == activityId);
            checkBallotReaders(again, *ballot, activityId);
        } else {
            auto suggestion = decodeSuggestion(plain->view(), &activityId);
            if (!suggestion)
                continue;
            (void)validateSuggestion(activity, *suggestion);
        }
    }
}

inline BatchReading readBatchAsOffice(QByteArrayView bytes, const TestKeys &keys)
{
    BatchReading out;
    auto file = readBatch(bytes);
    if (!file) {
        FUZZ_CHECK(file.error().code.startsWith(QLatin1String("batch-")));
        return out;
    }
    out.read = true;
    (void)batchFileName(file->header.context);
    auto cert = KioskCertificate::verify(file->header.kioskCertificate, keys.root.publicKey(),
                                         file->header.context.activityId, QString());
    out.certified = bool(cert);
    // The importer checks with the certificate's key; the test kiosk's is the only one the
    // harnesses sign with.
    out.signatureValid = bool(verifyBatchSignature(*file, keys.kiosk.publicKey()));
    if (cert && cert->signPublicKey != keys.kiosk.publicKey())
        FUZZ_CHECK(!verifyBatchSignature(*file, cert->signPublicKey));
    if (!out.signatureValid)
        return out;
    auto key = openBatchKey(*file, keys.archive, false);
    auto electionKey = openBatchKey(*file, keys.election, true);
    if (key && electionKey)
        FUZZ_CHECK(key->equals(*electionKey));
    if (!key)
        return out;
    out.keyOpened = true;
    auto content = decryptBatch(*file, *key);
    if (!content)
        return out;
    (void)verifyRecords(*content, keys.kiosk.publicKey());
    (void)checkBatchInvariants(*content);
    readRecords(*content, keys);
    auto events = AuditLog::fromJsonLines(content->auditLog);
    if (events)
        (void)AuditLog::verify(*events, keys.kiosk.publicKey());
    out.content = std::move(*content);
    return out;
}

} // namespace pingyi::fuzz
