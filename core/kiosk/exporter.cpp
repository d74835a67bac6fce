#include "exporter.h"

#include "fileio.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStorageInfo>

#include <sys/stat.h>

Q_LOGGING_CATEGORY(lcExport, "pingyi.kiosk.export")

namespace pingyi::kiosk {

Result<BatchContent> Exporter::batchContent(const SessionKey &key) const
{
    auto n = m_sessions.counts(key);
    if (!n)
        return n.error();
    BatchContent c;
    c.header.context = m_env.context(key);
    c.header.counts = *n;
    c.header.kioskCertificate = m_env.certificate;
    auto records = m_env.store->ballotBox().records(key.code, key.rehearsal);
    if (!records)
        return records.error();
    c.records = std::move(records).value();
    auto checkins = m_env.store->finishedCheckIns(key);
    if (!checkins)
        return checkins.error();
    c.checkins = std::move(checkins).value();
    auto events = m_env.store->auditLog();
    if (!events)
        return events.error();
    c.auditLog = AuditLog::toJsonLines(*events);
    // Offline check-in's conflicts found so far (venue-shared ledger): the office's
    // duplicate report finds them in the check-in lists; the header says there are some.
    for (const AuditEvent &e : *events)
        if (e.body.value(QLatin1String("event")).toString() == QLatin1String("venue-duplicate")
            && e.body.value(QLatin1String("session")).toString() == key.code
            && e.body.value(QLatin1String("rehearsal")).toBool() == key.rehearsal)
            ++c.header.venueDuplicates;
    return c;
}

void Exporter::removeInterruptedExports(const QString &targetDir) const
{
    // writeFileAtomic's temporary files ("<batch>.tmp-XXXXXX") outlive an export killed or
    // cut off by a power loss; they hold nothing the kiosk does not still have. Only this
    // kiosk's are removed: a drive may carry other kiosks' exports.
    const QString prefix = QStringLiteral("%1_%2_%3_").arg(m_env.activity.id, m_env.venue, m_env.kioskId);
    static const QRegularExpression temp(QStringLiteral("\\.pybatch\\.tmp-[A-Za-z0-9]{6}$"));
    int removed = 0;
    for (const QFileInfo &fi : QDir(targetDir).entryInfoList({prefix + QLatin1Char('*')}, QDir::Files | QDir::Hidden))
        if (temp.match(fi.fileName()).hasMatch() && QFile::remove(fi.filePath()))
            ++removed;
    if (removed > 0)
        qCDebug(lcExport) << "removed" << removed << "temporary files of interrupted exports from" << targetDir;
}

Result<ExportResult> Exporter::exportSession(const SessionKey &key, const QString &targetDir)
{
    if (auto s = m_staff.require({Role::Staff, Role::Lead, Role::Technician}, QStringLiteral("export a session")); !s)
        return s.error();
    auto state = m_sessions.stateOf(key);
    if (!state)
        return state.error();
    if (*state != SessionState::Closed && *state != SessionState::Exported)
        return SessionLifecycle::illegal(key, *state, QStringLiteral("export it (close it first)"));
    auto fail = [&](const Error &e) {
        (void)m_env.audit(QStringLiteral("export-failed"),
                          {{QStringLiteral("session"), key.code},
                           {QStringLiteral("rehearsal"), key.rehearsal},
                           {QStringLiteral("reason"), e.code}});
        return e;
    };
    if (auto s = m_sessions.checkInvariants(key); !s)
        return fail(s.error());
    const QFileInfo dir(targetDir);
    if (!dir.exists() || !dir.isDir())
        return fail(
            kioskError("export-missing",
                       QStringLiteral("the export drive %1 is not there (was it removed?): insert it and try again")
                           .arg(targetDir)));
    if (!dir.isWritable())
        return fail(kioskError(
            "export-read-only",
            QStringLiteral("the export drive %1 is read-only: unlock it or use another drive").arg(targetDir)));
    // The drive's device, to notice at the end whether the batch went to it: a drive pulled
    // mid-export leaves its empty mount folder behind, which takes writes happily.
    struct stat driveStat { };
    if (::stat(QFile::encodeName(targetDir).constData(), &driveStat) != 0)
        return fail(
            kioskError("export-missing",
                       QStringLiteral("the export drive %1 is not there (was it removed?): insert it and try again")
                           .arg(targetDir)));
    auto content = batchContent(key);
    if (!content)
        return fail(content.error());
    const QList<SealedRecord> stored = content->records;
    crypto::SecretBytes fileKey;
    const QByteArray bytes = writeBatch(*content, m_env.key, m_env.electionPublicKey, m_env.archivePublicKey, &fileKey);
    removeInterruptedExports(targetDir);
    const QStorageInfo storage(targetDir);
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < bytes.size() + 4096)
        return fail(
            kioskError("export-full",
                       QStringLiteral("the export drive is full (%1 KB free, the batch needs %2 KB): use another drive")
                           .arg(storage.bytesAvailable() / 1024)
                           .arg(bytes.size() / 1024 + 4)));
    const QString path = QDir(targetDir).filePath(batchFileName(m_env.context(key)));
    if (auto s = writeFileAtomic(path, bytes); !s)
        return fail(s.error());

    // Read back what is on the drive and verify it before anyone is told it is safe.
    auto verifyWritten = [&]() -> Status {
        auto back = readFile(path);
        if (!back)
            return back.error();
        if (*back != bytes)
            return kioskError("export-verify",
                              QStringLiteral("the file read back from the drive differs from what was written"));
        auto file = readBatch(*back);
        if (!file)
            return file.error();
        if (auto s = verifyBatchSignature(*file, m_env.key.publicKey()); !s)
            return s;
        auto decoded = decryptBatch(*file, fileKey);
        if (!decoded)
            return decoded.error();
        if (!verifyRecords(*decoded, m_env.key.publicKey()).isEmpty())
            return kioskError("export-verify", QStringLiteral("a record read back from the drive does not verify"));
        if (auto s = checkBatchInvariants(*decoded); !s)
            return s;
        if (decoded->records.size() != stored.size())
            return kioskError("export-verify",
                              QStringLiteral("the drive holds %1 records, the kiosk %2")
                                  .arg(decoded->records.size())
                                  .arg(stored.size()));
        return {};
    };
    if (auto s = verifyWritten(); !s) {
        QFile::remove(path);
        return fail(kioskError(
            "export-verify",
            QStringLiteral(
                "the batch on the drive failed verification (%1): it was removed; try again or use another drive")
                .arg(s.error().message)));
    }
    // The file's own fsync leaves the rest of a drive's file system (a FAT table, the
    // directory) to the kernel's schedule: flush it all before the export counts as done.
    if (auto s = syncFileSystem(path); !s)
        return fail(s.error());
    struct stat fileStat { };
    if (::stat(QFile::encodeName(path).constData(), &fileStat) != 0 || fileStat.st_dev != driveStat.st_dev) {
        if (fileStat.st_dev != 0 && fileStat.st_dev != driveStat.st_dev)
            QFile::remove(path); // written to the folder the drive left behind, not to the drive
        return fail(kioskError("export-missing",
                               QStringLiteral("the export drive %1 was removed while the batch was written: insert "
                                              "it and try again")
                                   .arg(targetDir)));
    }
    Database::Transaction tx(m_env.store->database());
    if (*state == SessionState::Closed) {
        if (auto s = m_sessions.setState(key, SessionState::Closed, SessionState::Exported,
                                         QStringLiteral("session-exported"));
            !s)
            return s.error();
    }
    const QByteArray digest = sortedIdDigest([&] {
        QList<QByteArray> ids;
        for (const SealedRecord &r : stored)
            if (r.kind == RecordKind::Ballot)
                ids.append(r.id());
        return ids;
    }());
    if (auto s = m_env.audit(QStringLiteral("export"),
                             {{QStringLiteral("session"), key.code},
                              {QStringLiteral("rehearsal"), key.rehearsal},
                              {QStringLiteral("file"), QFileInfo(path).fileName()},
                              {QStringLiteral("blake2b"), QString::fromLatin1(crypto::hash(bytes).toHex())}});
        !s)
        return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    if (auto s = m_env.store->truncateWal(); !s)
        qCWarning(lcExport) << "could not truncate the write-ahead log after export:" << s.error().message;
    return ExportResult {path, bytes.size(), content->header.counts, QString::fromLatin1(digest.toHex())};
}

} // namespace pingyi::kiosk
