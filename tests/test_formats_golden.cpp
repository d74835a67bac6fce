// Golden byte files of the formats with a deterministic encoding (docs/formats.md): a fixed
// input is encoded and compared with tests/data/formats/<name>.bin. On a mismatch the new
// bytes go to <name>.fail next to the test binary, a hex diff is printed, and the test
// fails; PINGYI_UPDATE_GOLDEN=1 writes the golden files instead. Each golden file is also
// decoded and its values checked, so an old file keeps being readable.

#include "audit.h"
#include "ballot.h"
#include "batch.h"
#include "credential.h"
#include "crypto.h"
#include "formats/ballotcodec.h"
#include "formats/batchstream.h"
#include "report.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pingyi;

namespace {

QString goldenPath(const QString &name)
{
    return QStringLiteral(PINGYI_SOURCE_DIR "/tests/data/formats/") + name + QStringLiteral(".bin");
}

/// Hex lines (16 bytes each) where the two differ, at most 8 of them.
QString hexDiff(const QByteArray &want, const QByteArray &got)
{
    QString out = QStringLiteral("golden %1 bytes, encoded %2 bytes\n").arg(want.size()).arg(got.size());
    int shown = 0;
    for (qsizetype at = 0; at < std::max(want.size(), got.size()) && shown < 8; at += 16) {
        const QByteArray a = want.mid(at, 16), b = got.mid(at, 16);
        if (a == b)
            continue;
        out += QStringLiteral("%1  - %2\n        + %3\n")
                   .arg(at, 6, 16, QLatin1Char('0'))
                   .arg(QString::fromLatin1(a.toHex(' ')), QString::fromLatin1(b.toHex(' ')));
        ++shown;
    }
    return out;
}

/// Compares `bytes` with the golden file `name` (or writes it under PINGYI_UPDATE_GOLDEN=1).
bool matchesGolden(const QString &name, const QByteArray &bytes)
{
    QFile golden(goldenPath(name));
    if (qEnvironmentVariableIntValue("PINGYI_UPDATE_GOLDEN") == 1) {
        if (!golden.open(QIODevice::WriteOnly) || golden.write(bytes) != bytes.size())
            qWarning("cannot write %s", qPrintable(golden.fileName()));
        return true;
    }
    const QByteArray want = golden.open(QIODevice::ReadOnly) ? golden.readAll() : QByteArray();
    if (want == bytes)
        return true;
    QFile fail(QDir(QCoreApplication::applicationDirPath()).filePath(name + QStringLiteral(".fail")));
    if (fail.open(QIODevice::WriteOnly))
        fail.write(bytes);
    qWarning().noquote() << QStringLiteral(
                                "%1 differs from %2 (new bytes in %3; PINGYI_UPDATE_GOLDEN=1 rewrites it):\n%4")
                                .arg(name, golden.fileName(), fail.fileName(), hexDiff(want, bytes));
    return false;
}

QByteArray golden(const QString &name)
{
    QFile f(goldenPath(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

crypto::SigningKey fixedKey()
{
    return *crypto::SigningKey::fromSeed(crypto::SecretBytes::copyOf(QByteArray(32, '\x07')));
}

BallotAnswers fixedBallot()
{
    BallotAnswers b;
    b.session = QStringLiteral("alpha");
    b.ratings = {{QStringLiteral("d1"), QStringLiteral("satisfied")}, {QStringLiteral("d2"), QStringLiteral("basic")}};
    b.questionnaire = {{QStringLiteral("q1"), {QStringLiteral("a"), QStringLiteral("c")}}};
    b.discipline = {{QStringLiteral("s1"), {QStringLiteral("yes")}}};
    return b;
}

const SessionContext fixedContext {QStringLiteral("act-2025"), QStringLiteral("west"), QStringLiteral("k1"),
                                   QStringLiteral("alpha"), false};

} // namespace

class TestFormatsGolden : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ballotPlaintext()
    {
        const QByteArray bytes = encodeBallot(QStringLiteral("act-2025"), fixedBallot(), 2 * ballotPadBlock);
        QVERIFY(matchesGolden(QStringLiteral("ballot-plaintext"), bytes));
        QString activity;
        const auto decoded = decodeBallot(golden(QStringLiteral("ballot-plaintext")), &activity);
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded, fixedBallot());
        QCOMPARE(activity, QStringLiteral("act-2025"));
        QCOMPARE(golden(QStringLiteral("ballot-plaintext")).size(), 2 * formats::ballotPadBlock);
        QVERIFY(golden(QStringLiteral("ballot-plaintext")).contains("\"v\":1}"));
        QCOMPARE(formats::ballotVersion, 1);
        // A version with a leading zero is neither canonical nor JSON: refused, not read as 1.
        QByteArray leadingZero = golden(QStringLiteral("ballot-plaintext"));
        QVERIFY(leadingZero.contains("\"v\":1}"));
        leadingZero.replace("\"v\":1}", "\"v\":01}");
        leadingZero.chop(1);
        QCOMPARE(leadingZero.size(), 2 * formats::ballotPadBlock);
        QVERIFY(!decodeBallot(leadingZero).ok());
    }

    void suggestionPlaintext()
    {
        const Suggestion s {QStringLiteral("alpha"), QStringLiteral("canteen"), QString(),
                            QStringLiteral("More \"light\" in hall 2, please \u4e2d")};
        QVERIFY(matchesGolden(QStringLiteral("suggestion-plaintext"), encodeSuggestion(QStringLiteral("act-2025"), s)));
        QString activity;
        const auto decoded = decodeSuggestion(golden(QStringLiteral("suggestion-plaintext")), &activity);
        QVERIFY(decoded.ok());
        QCOMPARE(*decoded, s);
        QCOMPARE(activity, QStringLiteral("act-2025"));
        QCOMPARE(golden(QStringLiteral("suggestion-plaintext")).size(), formats::suggestionPadBlock);
    }

    void recordSigningBytes()
    {
        const QByteArray sealed(100, '\x5a');
        QVERIFY(matchesGolden(QStringLiteral("record-signing"),
                              pingyi::recordSigningBytes(fixedContext, RecordKind::Ballot, sealed)));
        const QByteArray g = golden(QStringLiteral("record-signing"));
        QCOMPARE(quint8(g.at(0)), quint8(RecordKind::Ballot));
        QVERIFY(g.endsWith(crypto::hash(sealed)));
        // The signature over them is deterministic (Ed25519) and verifies.
        const auto key = fixedKey();
        const QByteArray sig = key.sign(recordDomain(RecordKind::Ballot), g);
        QVERIFY(matchesGolden(QStringLiteral("record-signature"), sig));
        QVERIFY(verifyRecord(fixedContext, {RecordKind::Ballot, sealed, golden(QStringLiteral("record-signature"))},
                             key.publicKey()));
    }

    void checkInList()
    {
        const QList<CheckInEntry> list {{QStringLiteral("r-001"), true}, {QStringLiteral("r-002"), false}};
        QVERIFY(matchesGolden(QStringLiteral("batch-checkins"), formats::checkInListJson(list)));
        const auto doc = QJsonDocument::fromJson(golden(QStringLiteral("batch-checkins")));
        QVERIFY(doc.isArray());
        QCOMPARE(doc.array().size(), 2);
        QCOMPARE(doc.array().at(1).toArray().at(1).toString(), QStringLiteral("released"));
    }

    void batchStreamFraming()
    {
        // The stream's nonce is random, so its bytes are compared after decryption: a batch
        // written, read back, and its chunks' plaintext framing checked against the golden.
        const auto key = fixedKey();
        const auto fileKey = crypto::SecretBytes::copyOf(QByteArray(32, '\x11'));
        const QByteArray header = "{\"format\":\"pingyi-batch/v1\"}";
        formats::BatchStreamWriter w(fileKey, header);
        w.record(RecordKind::Ballot, QByteArray(40, '\x01'), QByteArray(64, '\x02'));
        w.record(RecordKind::Suggestion, QByteArray(8, '\x03'), QByteArray(64, '\x04'));
        w.checkIns("[]");
        w.audit("{}\n");
        struct Framing : formats::BatchStreamVisitor {
            QByteArray bytes;
            void record(RecordKind kind, QByteArrayView sealed, QByteArrayView sig) override
            {
                bytes += char(kind);
                bytes += QByteArray::number(sealed.size()) + ':' + sealed.toByteArray() + sig.toByteArray();
            }
            Status checkIns(QByteArrayView json) override
            {
                bytes += char(formats::BatchChunk::CheckIns) + json.toByteArray();
                return {};
            }
            void audit(QByteArrayView lines) override
            {
                bytes += char(formats::BatchChunk::Audit) + lines.toByteArray();
            }
        } framing;
        std::vector<unsigned char> buffer;
        QVERIFY(formats::readBatchStream(header, w.stream(), fileKey, buffer, framing));
        QVERIFY(matchesGolden(QStringLiteral("batch-stream-framing"), framing.bytes));
        QCOMPARE(w.stream().size(), 24 + 4 * 4 + 4 * 17 + (1 + 4 + 40 + 64) + (1 + 4 + 8 + 64) + 3 + 4);
        const QByteArray file = formats::writeBatchFile(header, w.stream(), key);
        QVERIFY(file.startsWith(formats::batchMagic));
    }

    void auditEvent()
    {
        const auto key = fixedKey();
        AuditChain chain(key);
        chain.add(QStringLiteral("2025-12-20T09:00:00Z"), QStringLiteral("session-open"),
                  {{QStringLiteral("session"), QStringLiteral("alpha")}});
        chain.add(QStringLiteral("2025-12-20T11:00:00Z"), QStringLiteral("session-closed"),
                  {{QStringLiteral("session"), QStringLiteral("alpha")}});
        QVERIFY(matchesGolden(QStringLiteral("audit-events"), chain.toJsonLines()));
        const auto events = AuditLog::fromJsonLines(golden(QStringLiteral("audit-events")));
        QVERIFY(events.ok());
        QCOMPARE(events->size(), 2);
        QCOMPARE(events->at(1).body.value(QLatin1String("event")).toString(), QStringLiteral("session-closed"));
        QVERIFY(AuditLog::verify(*events, key.publicKey()).ok());
    }

    void credentialText()
    {
        // The invitation card's QR text: deterministic (Ed25519), so a change of the body's
        // encoding or of the "PY1:" prefix shows here before any printed card stops scanning.
        const auto root = fixedKey();
        const Credential c {QStringLiteral("act-2025"),
                            QStringLiteral("r-001"),
                            QStringLiteral("west"),
                            {QStringLiteral("alpha"), QStringLiteral("beta")}};
        QVERIFY(matchesGolden(QStringLiteral("credential-text"), c.encode(root).toLatin1()));
        const QString text = QString::fromLatin1(golden(QStringLiteral("credential-text")));
        QVERIFY(text.startsWith(QStringLiteral("PY1:")));
        const auto decoded
            = Credential::verify(text, root.publicKey(), QStringLiteral("act-2025"), QStringLiteral("west"));
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->repId, QStringLiteral("r-001"));
        QCOMPARE(decoded->sessions, (QStringList {QStringLiteral("alpha"), QStringLiteral("beta")}));
    }

    void closingReportText()
    {
        const auto key = fixedKey();
        ReportSummary r;
        r.closing = true;
        r.context = fixedContext;
        r.counts = {12, 10, 2, 3};
        r.ballotDigest = QByteArray(32, '\x22');
        QVERIFY(matchesGolden(QStringLiteral("closing-report-text"), encodeReportQr(r, key).toLatin1()));
        const auto decoded
            = decodeReportQr(QString::fromLatin1(golden(QStringLiteral("closing-report-text"))), key.publicKey());
        QVERIFY(decoded.ok());
        QVERIFY(decoded->closing);
        QCOMPARE(decoded->counts, r.counts);
        QCOMPARE(decoded->context.session, QStringLiteral("alpha"));
        QCOMPARE(decoded->ballotDigest, r.ballotDigest);
    }

    void batchHeader()
    {
        // The header JSON is the stream's associated data and what the office reads first. The
        // two sealed file keys are random (sealed boxes), so they are blanked before comparing.
        const auto key = fixedKey();
        BatchContent c;
        c.header.context = fixedContext;
        c.header.kioskCertificate = "cert";
        c.checkins = {{QStringLiteral("r-001"), true}};
        c.header.counts = {1, 0, 0, 0};
        const auto election = crypto::BoxKeyPair::generate(), archive = crypto::BoxKeyPair::generate();
        const auto file = readBatch(writeBatch(c, key, election.publicKey(), archive.publicKey()));
        QVERIFY(file.ok());
        QJsonObject header = QJsonDocument::fromJson(file->headerBytes).object();
        QVERIFY(header.value(QLatin1String("sealed_key")).toObject().value(QLatin1String("election")).isString());
        header.insert(QStringLiteral("sealed_key"),
                      QJsonObject {{QStringLiteral("election"), QString()}, {QStringLiteral("archive"), QString()}});
        QVERIFY(matchesGolden(QStringLiteral("batch-header"), QJsonDocument(header).toJson(QJsonDocument::Compact)));
        const QJsonObject g = QJsonDocument::fromJson(golden(QStringLiteral("batch-header"))).object();
        QCOMPARE(g.value(QLatin1String("format")).toString(), QLatin1String(formats::batchHeaderFormat));
        QCOMPARE(g.value(QLatin1String("counts")).toObject().value(QLatin1String("checkins")).toInt(), 1);
        QCOMPARE(g.value(QLatin1String("session")).toString(), QStringLiteral("alpha"));
    }
};

QTEST_GUILESS_MAIN(TestFormatsGolden)
#include "test_formats_golden.moc"
