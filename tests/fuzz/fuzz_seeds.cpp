// pingyi-fuzz-seeds OUTDIR [DEMO_DIR]: the seed corpora of the fuzz targets, one directory per
// target, made from real artefacts: the demo activity spec (examples/qingdao-2025), a roster
// synthesized for it by the office's generator, the spec and roster files under tests/data,
// the golden format files, and documents written by the production writers (credentials,
// report QR texts, venue package, kiosk request and certificate, root.pub, a batch with real
// ballots and audit log, a trustee share from a real split), signed with the fuzz test keys
// (fuzzcommon.h) so that the harnesses' signature checks pass and their parsers go deeper.
// With DEMO_DIR (scripts/provision-demo output) its packages, kiosk files and root.pub are
// added as they are. Run by scripts/fuzz-seeds; the build runs it for the `fuzzers` target.
#include "audit.h"
#include "ballot.h"
#include "batch.h"
#include "container.h"
#include "credential.h"
#include "enrolment.h"
#include "formats/batchstream.h"
#include "fuzzcommon.h"
#include "hq.h"
#include "report.h"
#include "roster.h"
#include "signeddoc.h"
#include "trustees.h"
#include "venuepackage.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sodium.h>

using namespace pingyi;

namespace {
QString g_out;
int g_count = 0;

void put(const QString &target, const QString &name, const QByteArray &bytes)
{
    const QString dir = g_out + QLatin1Char('/') + target;
    QDir().mkpath(dir);
    QFile f(dir + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        fuzz::fail(qPrintable(QStringLiteral("cannot write %1").arg(f.fileName())), __FILE__, __LINE__);
    ++g_count;
}

/// Every file of @p dir matching @p filters (recursively), capped at @p limit bytes each.
void putFiles(const QString &target, const QString &dir, const QStringList &filters, qsizetype limit = 64 * 1024)
{
    QDirIterator it(dir, filters, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QByteArray bytes = fuzz::readFile(path);
        if (bytes.size() <= limit)
            put(target, QStringLiteral("file-") + QFileInfo(path).fileName(), bytes);
    }
}

/// The first @p lines lines (the header and some rows) of a CSV.
QByteArray headLines(const QByteArray &csv, int lines)
{
    qsizetype at = 0;
    for (int i = 0; i < lines && at >= 0; ++i)
        at = csv.indexOf('\n', at + 1);
    return at < 0 ? csv : csv.left(at + 1);
}

BallotAnswers sampleBallot(const Activity &a, const GroupSession &g, int variant)
{
    BallotAnswers b;
    b.session = g.code;
    for (const Department &d : g.departments)
        b.ratings.insert(d.code, a.scale[(variant + int(d.code.size())) % a.scale.size()].code);
    for (const Question &q : a.questionnaire)
        b.questionnaire.insert(q.code, {q.choices[variant % q.choices.size()].code});
    for (const Question &q : a.discipline)
        b.discipline.insert(q.code, {q.choices[(variant + 1) % q.choices.size()].code});
    return b;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    fuzz::quietQt();
    if (argc < 2) {
        std::fprintf(stderr, "usage: pingyi-fuzz-seeds OUTDIR [DEMO_DIR]\n");
        return 2;
    }
    g_out = QString::fromLocal8Bit(argv[1]);
    const QString demoDir = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    const QString src = QStringLiteral(PINGYI_SOURCE_DIR);
    const QString data = src + QStringLiteral("/tests/data");
    const fuzz::TestKeys &keys = fuzz::testKeys();
    const Activity &activity = fuzz::demoActivity();

    // Activity specs: the demo, the test specs, the specs the validator must refuse.
    put(QStringLiteral("activity"), QStringLiteral("qingdao-2025.json"),
        fuzz::readFile(src + QStringLiteral("/examples/qingdao-2025/activity.json")));
    put(QStringLiteral("activity"), QStringLiteral("canonical.json"), activity.canonicalJson());
    putFiles(QStringLiteral("activity"), data + QStringLiteral("/activity"), {QStringLiteral("*.json")});
    putFiles(QStringLiteral("activity"), data + QStringLiteral("/draw"), {QStringLiteral("*.json")});
    putFiles(QStringLiteral("activity"), data + QStringLiteral("/tally"), {QStringLiteral("activity.json")});

    // Rosters: the office's synthetic roster of the demo (as scripts/provision-demo makes it),
    // cut to a few rows, plus the roster files of the tests.
    const QByteArray roster = synthRoster(activity, 2025, 1.0);
    put(QStringLiteral("roster"), QStringLiteral("synth-head.csv"), headLines(roster, 40));
    putFiles(QStringLiteral("roster"), data + QStringLiteral("/roster"), {QStringLiteral("*.csv")}, 16 * 1024);
    putFiles(QStringLiteral("roster"), data + QStringLiteral("/draw"), {QStringLiteral("*.csv")}, 16 * 1024);
    auto entries = parseRoster(roster, activity, QStringLiteral("synth"));
    if (!entries || entries->isEmpty())
        fuzz::fail("the synthetic demo roster does not parse", __FILE__, __LINE__);
    const QList<RosterEntry> some = entries->mid(0, 12);

    // Credentials as printed on the invitation cards, for real roster rows.
    for (int i = 0; i < some.size() && i < 6; ++i) {
        const RosterEntry &e = some[i];
        const Credential c {activity.id, e.repId, e.venue, e.sessions};
        put(QStringLiteral("credential"), QStringLiteral("card-%1.txt").arg(i), c.encode(keys.root).toLatin1());
    }
    put(QStringLiteral("credential"), QStringLiteral("golden.txt"),
        fuzz::readFile(data + QStringLiteral("/formats/credential-text.bin")));

    // The session everything below is cast in: the first roster row's.
    const RosterEntry &first = some.first();
    SessionContext ctx {activity.id, first.venue, keys.kioskId, first.sessions.first(), false};
    const GroupSession *group = activity.session(ctx.session);

    // Kiosk enrolment documents.
    const QByteArray request = EnrolmentRequest::create(keys.kiosk, keys.kioskId);
    put(QStringLiteral("kiosk_request"), QStringLiteral("request.json"), request);
    put(QStringLiteral("kiosk_request"), QStringLiteral("request-default-id.json"),
        EnrolmentRequest::create(keys.root, EnrolmentRequest::defaultId(keys.root.publicKey())));
    const QByteArray cert
        = KioskCertificate::issue(keys.root, *EnrolmentRequest::parse(request), activity.id, ctx.venue, 1);
    put(QStringLiteral("kiosk_cert"), QStringLiteral("cert.json"), cert);
    // The signed bodies alone (the kiosk targets sign them again, fuzzcommon.h resignedEnvelope).
    put(QStringLiteral("kiosk_request"), QStringLiteral("body.json"),
        SignedDocument::open(request, crypto::domain::kioskRequest, {}, QStringLiteral("seed"))->body);
    put(QStringLiteral("kiosk_cert"), QStringLiteral("body.json"),
        SignedDocument::open(cert, crypto::domain::kioskCert, keys.root.publicKey(), QStringLiteral("seed"))->body);
    put(QStringLiteral("root_pub"), QStringLiteral("root.pub"), rootPublicFile(keys.root.publicKey()));

    // Ballots and a suggestion of this session, sealed and signed as the kiosk does.
    BatchContent content;
    content.header.context = ctx;
    content.header.kioskCertificate = cert;
    QList<QByteArray> ballotPlaintexts;
    for (int v = 0; v < 3; ++v)
        ballotPlaintexts << encodeBallot(activity.id, sampleBallot(activity, *group, v), ballotPlaintextSize(activity));
    Suggestion suggestion {ctx.session, activity.suggestionTopics.first().code, group->departments.first().code,
                           QStringLiteral("候车室的座位太少，希望增加。")};
    const QByteArray suggestionPlain = encodeSuggestion(activity.id, suggestion);
    for (const QByteArray &p : ballotPlaintexts)
        content.records << sealRecord(ctx, RecordKind::Ballot, p, keys.election.publicKey(), keys.kiosk);
    content.records << sealRecord(ctx, RecordKind::Suggestion, suggestionPlain, keys.election.publicKey(), keys.kiosk);
    for (int i = 0; i < some.size() && i < 4; ++i)
        content.checkins << CheckInEntry {some[i].repId, i < 3};
    content.header.counts = {4, 3, 1, 1};
    AuditChain chain(keys.kiosk);
    chain.add(QStringLiteral("2025-05-10T08:00:00Z"), QStringLiteral("session-opened"),
              {{QStringLiteral("session"), ctx.session}});
    chain.add(QStringLiteral("2025-05-10T11:30:00Z"), QStringLiteral("session-closed"),
              {{QStringLiteral("ballots"), 3}});
    content.auditLog = chain.toJsonLines();
    const QByteArray auditLines = content.auditLog;
    const QList<CheckInEntry> checkins = content.checkins;
    const QByteArray batch
        = writeBatch(std::move(content), keys.kiosk, keys.election.publicKey(), keys.archive.publicKey());
    put(QStringLiteral("batch_raw"), QStringLiteral("session.pybatch"), batch);
    auto readBack = readBatch(batch);
    if (!readBack)
        fuzz::fail("the seed batch does not read", __FILE__, __LINE__);

    // batch_signed frames (fuzz_batch_signed.cpp): the same content, chunk by chunk.
    {
        QByteArray frames;
        for (const QByteArray &p : ballotPlaintexts)
            fuzz::appendFrame(frames, 0, p);
        fuzz::appendFrame(frames, 1, suggestionPlain);
        fuzz::appendFrame(frames, 2, formats::checkInListJson(checkins));
        fuzz::appendFrame(frames, 3, auditLines);
        put(QStringLiteral("batch_signed"), QStringLiteral("session.frames"), frames);
        QByteArray empty;
        fuzz::appendFrame(empty, 2, formats::checkInListJson({}));
        fuzz::appendFrame(empty, 3, QByteArray());
        put(QStringLiteral("batch_signed"), QStringLiteral("empty-session.frames"), empty);
        QByteArray golden;
        fuzz::appendFrame(golden, 0, fuzz::readFile(data + QStringLiteral("/formats/ballot-plaintext.bin")));
        fuzz::appendFrame(golden, 1, fuzz::readFile(data + QStringLiteral("/formats/suggestion-plaintext.bin")));
        fuzz::appendFrame(golden, 2, fuzz::readFile(data + QStringLiteral("/formats/batch-checkins.bin")));
        fuzz::appendFrame(golden, 3, fuzz::readFile(data + QStringLiteral("/formats/audit-events.bin")));
        put(QStringLiteral("batch_signed"), QStringLiteral("golden.frames"), golden);
        QByteArray header;
        fuzz::appendFrame(header, 6, readBack->headerBytes);
        fuzz::appendFrame(header, 2, formats::checkInListJson(checkins));
        fuzz::appendFrame(header, 3, auditLines);
        put(QStringLiteral("batch_signed"), QStringLiteral("header.frames"), header);
    }

    // Closing and zero report QR texts of that batch.
    ReportSummary closing {true, ctx, readBack->header.counts, readBack->header.ballotDigest};
    put(QStringLiteral("report"), QStringLiteral("closing.txt"), encodeReportQr(closing, keys.kiosk).toLatin1());
    ReportSummary zero {false, ctx, {}, sortedIdDigest({})};
    put(QStringLiteral("report"), QStringLiteral("zero.txt"), encodeReportQr(zero, keys.kiosk).toLatin1());
    put(QStringLiteral("report"), QStringLiteral("golden.txt"),
        fuzz::readFile(data + QStringLiteral("/formats/closing-report-text.bin")));

    // A venue package for the session's venue: real roster rows, the kiosk certificate, a
    // staff PIN hash, to the test kiosk and the office archive key.
    VenuePackageContent pkg;
    pkg.activityId = activity.id;
    pkg.venue = ctx.venue;
    pkg.version = 1;
    pkg.activityJson = activity.canonicalJson();
    pkg.rootPublicKey = keys.root.publicKey();
    pkg.electionPublicKey = keys.election.publicKey();
    pkg.archivePublicKey = keys.archive.publicKey();
    pkg.idHashKey = fuzz::constantSecret('\x06');
    for (const RosterEntry &e : some)
        if (e.venue == ctx.venue)
            pkg.roster.append({e.repId, crypto::keyedHash(pkg.idHashKey, e.idNumber.toLatin1()), maskName(e.name),
                               e.category, e.sessions});
    pkg.kioskCerts << cert;
    char pinHash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(pinHash, "246810", 6, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE)
        != 0)
        fuzz::fail("crypto_pwhash_str", __FILE__, __LINE__);
    pkg.staff.append({QStringLiteral("lead"), QString::fromLatin1(pinHash)});
    const QByteArray package = buildVenuePackage(pkg, keys.root,
                                                 {{keys.kioskId, keys.kioskBox.publicKey()},
                                                  {QLatin1String(packageArchiveRecipient), keys.archive.publicKey()}});
    put(QStringLiteral("venue_raw"), QStringLiteral("venue.pingyi-package"), package);
    // Its decrypted content, for the target that re-signs it.
    {
        auto c = readContainer(package, "PYVPKG", 1, 2, QStringLiteral("package"), QStringLiteral("venue package"));
        if (!c)
            fuzz::fail("the seed package does not read", __FILE__, __LINE__);
        const QJsonObject header = QJsonDocument::fromJson(c->sections[0].toByteArray()).object();
        QByteArray sealedKey;
        for (const QJsonValue &r : header.value(QLatin1String("recipients")).toArray())
            if (r.toObject().value(QLatin1String("id")).toString() == keys.kioskId)
                sealedKey = QByteArray::fromBase64(r.toObject().value(QLatin1String("key")).toString().toLatin1());
        auto fileKey = crypto::openSealed(keys.kioskBox, sealedKey);
        auto plain = fileKey ? crypto::streamDecrypt(*fileKey, c->sections[1], c->sections[0])
                             : Result<QByteArray>(makeError(QStringLiteral("seed"), QStringLiteral("no key")));
        if (!plain)
            fuzz::fail("the seed package does not decrypt", __FILE__, __LINE__);
        put(QStringLiteral("venue_signed"), QStringLiteral("content.json"), *plain);
    }

    // A trustee share from a real 2-of-3 split of a real office directory.
    {
        QTemporaryDir tmp;
        const crypto::SecretBytes passphrase = crypto::SecretBytes::copyOf("fuzz-seed-office-passphrase");
        const QString hqDir = tmp.filePath(QStringLiteral("hq"));
        if (!hq::Hq::init(hqDir, passphrase, crypto::KdfStrength::interactive()))
            fuzz::fail("hq init", __FILE__, __LINE__);
        auto office = hq::Hq::open(hqDir);
        auto secrets = office ? office->unlock(passphrase) : Result<hq::Secrets>(makeError({}, {}));
        auto election = office ? office->unlockElection(passphrase) : Result<crypto::BoxKeyPair>(makeError({}, {}));
        if (!secrets || !election)
            fuzz::fail("hq unlock", __FILE__, __LINE__);
        hq::SplitOptions o;
        o.threshold = 2;
        o.count = 3;
        o.outDir = tmp.filePath(QStringLiteral("shares"));
        o.trustees = QStringList {QStringLiteral("主任"), QStringLiteral("副主任"), QStringLiteral("监督员")};
        o.strength = crypto::KdfStrength::interactive();
        std::vector<crypto::SecretBytes> passphrases;
        for (const char *p : {"share-one-passphrase", "share-two-passphrase", "share-three-passphrase"})
            passphrases.push_back(crypto::SecretBytes::copyOf(p));
        auto split = hq::splitElectionKey(*office, *election, secrets->root, o, passphrases);
        if (!split)
            fuzz::fail(qPrintable(split.error().message), __FILE__, __LINE__);
        putFiles(QStringLiteral("trustee_share"), o.outDir, {QStringLiteral("*.key")});
        putFiles(QStringLiteral("trustee_share"), hqDir, {QStringLiteral("root.key")});
    }

    // The real demo's files (scripts/provision-demo), when given: signed by its own root, so
    // they exercise the readers up to the signature check.
    if (!demoDir.isEmpty()) {
        putFiles(QStringLiteral("venue_raw"), demoDir + QStringLiteral("/packages"),
                 {QStringLiteral("*.pingyi-package")}, 1024 * 1024);
        putFiles(QStringLiteral("kiosk_request"), demoDir + QStringLiteral("/kiosks"), {QStringLiteral("*.request")});
        putFiles(QStringLiteral("kiosk_cert"), demoDir + QStringLiteral("/kiosks"), {QStringLiteral("*.cert")});
        putFiles(QStringLiteral("root_pub"), demoDir + QStringLiteral("/hq"), {QStringLiteral("root.pub")});
        putFiles(QStringLiteral("roster"), demoDir, {QStringLiteral("roster.csv")}, 64 * 1024);
    }
    std::printf("pingyi-fuzz-seeds: %d seed files in %s\n", g_count, qPrintable(g_out));
    return 0;
}
