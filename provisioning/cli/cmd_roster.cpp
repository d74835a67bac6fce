// pingyi-hq: the roster and the invitation cards.

#include "hqcli.h"

#include "cards.h"
#include "draw.h"
#include "fileio.h"
#include "photoenrol.h"
#include "roster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace pingyi::hqcli {

namespace {

int cmdRosterSynth(QCommandLineParser &p)
{
    auto spec = required(p, activityOpt);
    auto outPath = required(p, outOpt);
    if (!spec || !outPath)
        return fail(!spec ? spec.error() : outPath.error());
    auto a = loadActivity(*spec);
    if (!a)
        return fail(a.error());
    bool ok = true;
    const quint64 seed = p.isSet(QStringLiteral("seed")) ? p.value(QStringLiteral("seed")).toULongLong(&ok) : 2025;
    if (!ok)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--seed must be a whole number")));
    const double scale = p.isSet(QStringLiteral("scale")) ? p.value(QStringLiteral("scale")).toDouble(&ok) : 1.0;
    if (!ok || scale <= 0 || scale > 100)
        return fail(
            makeError(QStringLiteral("usage"), QStringLiteral("--scale must be a number above 0 (1.0 = full quotas)")));
    const QByteArray csv = synthRoster(*a, seed, scale);
    if (auto s = writeFileAtomic(*outPath, csv, true); !s)
        return fail(s.error());
    const qsizetype n = csv.count('\n') - 1;
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("roster"), *outPath}, {QStringLiteral("representatives"), qint64(n)}});
    else
        out(QStringLiteral("Wrote %1 synthetic representatives to %2").arg(n).arg(*outPath));
    return Ok;
}

const QCommandLineOption photosOpt(QStringLiteral("photos"),
                                   QStringLiteral("Folder of face photos named by rep id (R00001.jpg, …) for face "
                                                  "enrolment; the roster's photo column wins where it names one."),
                                   QStringLiteral("DIR"));
const QCommandLineOption poolOpt(QStringLiteral("pool"), QStringLiteral("Candidate pool CSV."),
                                 QStringLiteral("POOL.csv"));
const QCommandLineOption previousOpt(QStringLiteral("previous"),
                                     QStringLiteral("Last year's roster CSV, for the rotation floor."),
                                     QStringLiteral("ROSTER.csv"));
const QCommandLineOption seedCommitOpt(QStringLiteral("seed-commit"),
                                       QStringLiteral("Create a new draw secret in FILE and print its commitment."),
                                       QStringLiteral("FILE"));
const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("The draw secret file made by --seed-commit."),
                                 QStringLiteral("FILE"));
const QCommandLineOption publicOpt(QStringLiteral("public"),
                                   QStringLiteral("The public value fixed after the commitment was published."),
                                   QStringLiteral("VALUE"));
const QCommandLineOption reportOpt(QStringLiteral("report"),
                                   QStringLiteral("Draw report JSON (default: next to --out, .draw.json)."),
                                   QStringLiteral("FILE"));
const QCommandLineOption verifyOpt(QStringLiteral("verify"), QStringLiteral("Redo the draw a report describes."),
                                   QStringLiteral("REPORT.json"));
const QCommandLineOption rosterOpt(QStringLiteral("roster"),
                                   QStringLiteral("With --verify: the drawn roster as distributed, compared too."),
                                   QStringLiteral("ROSTER.csv"));

/// ROSTER.csv -> ROSTER.<suffix>
QString besides(const QString &path, const QString &suffix)
{
    const QFileInfo fi(path);
    return fi.dir().filePath(fi.completeBaseName() + suffix);
}

Result<QByteArray> readSecret(const QString &path)
{
    auto text = readFile(path, 1024);
    if (!text)
        return text.error();
    const QByteArray hex = text->trimmed();
    const QByteArray secret = QByteArray::fromHex(hex);
    if (hex.size() != 64 || secret.toHex() != hex.toLower())
        return makeError(QStringLiteral("draw-input"),
                         QStringLiteral("%1 is not a draw secret (64 hex digits); use the file `roster draw "
                                        "--seed-commit` wrote")
                             .arg(path));
    return secret;
}

int cmdRosterDraw(QCommandLineParser &p)
{
    auto spec = required(p, activityOpt);
    auto poolPath = required(p, poolOpt);
    if (!spec || !poolPath)
        return fail(!spec ? spec.error() : poolPath.error());
    auto a = loadActivity(*spec);
    if (!a)
        return fail(a.error());
    auto pool = readInputFile(*poolPath, InputKind::Roster);
    if (!pool)
        return fail(pool.error());
    hq::DrawInput in;
    in.activity = &*a;
    in.pool = *pool;
    in.poolOrigin = QFileInfo(*poolPath).fileName();
    if (p.isSet(previousOpt)) {
        auto previous = readInputFile(p.value(previousOpt), InputKind::Roster);
        if (!previous)
            return fail(previous.error());
        in.previous = *previous;
        in.previousOrigin = QFileInfo(p.value(previousOpt)).fileName();
    }

    // Step 1: a new secret; its commitment and the pool's digest are published before the
    // public value is fixed.
    if (p.isSet(seedCommitOpt)) {
        const QString path = p.value(seedCommitOpt);
        if (QFileInfo::exists(path))
            return fail(makeError(QStringLiteral("io-write"),
                                  QStringLiteral("%1 already exists: a published commitment must not be replaced "
                                                 "silently; remove the file yourself if no commitment to it was "
                                                 "published")
                                      .arg(path)));
        const QByteArray secret = hq::newDrawSecret();
        if (auto st = writeFileAtomic(path, secret.toHex() + '\n', true); !st)
            return fail(st.error());
        const QString commitment = hq::drawCommitment(secret);
        const QString poolDigest = hq::digestHex(in.pool);
        if (p.isSet(jsonOpt)) {
            printJson(
                {{QStringLiteral("secret_file"), path},
                 {QStringLiteral("commitment"), commitment},
                 {QStringLiteral("pool_digest"), poolDigest},
                 {QStringLiteral("previous_digest"), in.previous.isEmpty() ? QString() : hq::digestHex(in.previous)},
                 {QStringLiteral("algorithm"), QString::fromLatin1(hq::kDrawAlgorithm)}});
        } else {
            out(QStringLiteral("Wrote the draw secret to %1 (keep it private until the draw).").arg(path));
            out(QStringLiteral("Publish now, before the public value is fixed:"));
            out(QStringLiteral("  commitment:  %1").arg(commitment));
            out(QStringLiteral("  pool digest: %1").arg(poolDigest));
            if (!in.previous.isEmpty())
                out(QStringLiteral("  last year's roster digest: %1").arg(hq::digestHex(in.previous)));
            out(QStringLiteral("  algorithm:   %1").arg(QLatin1String(hq::kDrawAlgorithm)));
        }
        return Ok;
    }

    // Step 3: anyone redoes the draw from the report.
    if (p.isSet(verifyOpt)) {
        auto reportBytes = readFile(p.value(verifyOpt), 64ll * 1024 * 1024);
        if (!reportBytes)
            return fail(reportBytes.error());
        const QJsonObject report = QJsonDocument::fromJson(*reportBytes).object();
        QByteArray roster;
        if (p.isSet(rosterOpt)) {
            auto r = readInputFile(p.value(rosterOpt), InputKind::Roster);
            if (!r)
                return fail(r.error());
            roster = *r;
        }
        auto v = hq::verifyDraw(report, in, roster);
        if (!v)
            return fail(v.error());
        if (p.isSet(jsonOpt)) {
            printJson(*v);
        } else {
            const QJsonObject rot = v->value(QLatin1String("rotation")).toObject();
            out(QStringLiteral("The draw verifies: same commitment, inputs, seed and roster (%1 representatives, %2 % "
                               "new).")
                    .arg(v->value(QLatin1String("representatives")).toInteger())
                    .arg(rot.value(QLatin1String("rate_percent")).toDouble(), 0, 'f', 1));
        }
        return Ok;
    }

    // Step 2: the draw.
    auto seedPath = required(p, seedOpt);
    auto outPath = required(p, outOpt);
    if (!seedPath || !outPath)
        return fail(!seedPath ? seedPath.error() : outPath.error());
    auto secret = readSecret(*seedPath);
    if (!secret)
        return fail(secret.error());
    in.secret = *secret;
    in.publicValue = p.value(publicOpt);
    auto drawn = hq::drawRoster(in);
    if (!drawn)
        return fail(drawn.error());
    const QString reportPath
        = p.isSet(reportOpt) ? p.value(reportOpt) : besides(*outPath, QStringLiteral(".draw.json"));
    const QString listPath = besides(*outPath, QStringLiteral(".list.csv"));
    if (auto st = writeFileAtomic(*outPath, drawn->roster, true); !st)
        return fail(st.error());
    if (auto st = writeFileAtomic(listPath, drawn->list, true); !st)
        return fail(st.error());
    if (auto st = writeFileAtomic(reportPath, QJsonDocument(drawn->report).toJson(QJsonDocument::Indented)); !st)
        return fail(st.error());
    if (p.isSet(jsonOpt)) {
        QJsonObject o = drawn->report;
        o.insert(QStringLiteral("roster"), *outPath);
        o.insert(QStringLiteral("list"), listPath);
        o.insert(QStringLiteral("report"), reportPath);
        printJson(o);
        return Ok;
    }
    const QJsonObject rot = drawn->report.value(QLatin1String("rotation")).toObject();
    out(QStringLiteral("Drew %1 representatives into %2 (marks in %3, report in %4).")
            .arg(drawn->report.value(QLatin1String("representatives")).toInteger())
            .arg(*outPath, listPath, reportPath));
    if (rot.value(QLatin1String("checked")).toBool())
        out(QStringLiteral("Rotation: %1 new of %2 = %3 % (floor %4 % in every cell).")
                .arg(rot.value(QLatin1String("new")).toInteger())
                .arg(drawn->report.value(QLatin1String("representatives")).toInteger())
                .arg(rot.value(QLatin1String("rate_percent")).toDouble(), 0, 'f', 1)
                .arg(rot.value(QLatin1String("floor_percent")).toInt()));
    else
        out(QStringLiteral("Rotation: not checked (no --previous roster)."));
    for (const QJsonValue &cv : drawn->report.value(QLatin1String("cells")).toArray()) {
        const QJsonObject c = cv.toObject();
        QString cell = c.value(QLatin1String("category")).toString() + QStringLiteral(" at ")
            + (c.value(QLatin1String("venue")).toString().isEmpty() ? QStringLiteral("the district venues")
                                                                    : c.value(QLatin1String("venue")).toString());
        if (!c.value(QLatin1String("session")).toString().isEmpty())
            cell += QStringLiteral(" in ") + c.value(QLatin1String("session")).toString();
        out(QStringLiteral("  %1: %2 of %3 candidates, %4 new")
                .arg(cell, -40)
                .arg(c.value(QLatin1String("drawn")).toInteger())
                .arg(c.value(QLatin1String("candidates")).toInteger())
                .arg(c.value(QLatin1String("new_drawn")).toInteger()));
    }
    out(QStringLiteral("Publish the report (it reveals the secret); keep the roster and the list private."));
    return Ok;
}

int cmdRosterImport(QCommandLineParser &p)
{
    auto spec = required(p, activityOpt);
    if (!spec)
        return fail(spec.error());
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one ROSTER.csv")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto a = loadActivity(*spec);
    if (!a)
        return fail(a.error());
    const QString csvPath = p.positionalArguments().first();
    auto csv = readInputFile(csvPath, InputKind::Roster);
    if (!csv)
        return fail(csv.error());
    // Checked against the spec before anything is stored: a bad roster leaves the HQ
    // directory exactly as it was (spec included).
    auto entries = parseRoster(*csv, *a, QFileInfo(csvPath).fileName());
    if (!entries)
        return fail(entries.error());
    if (auto quotas = hq::checkRosterQuotas(*entries, *a, QFileInfo(csvPath).fileName()); !quotas)
        return fail(quotas.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    // Face enrolment before anything is stored: without the models nothing is imported.
    const QString photosDir = p.value(photosOpt);
    if (hq::wantsPhotos(*entries, photosDir) && !p.isSet(jsonOpt))
        out(QStringLiteral("Enrolling face photos (about 40 ms each)…"));
    auto faces = hq::enrolPhotos(*entries, QFileInfo(csvPath).absolutePath(), photosDir);
    if (!faces)
        return fail(faces.error());
    if (auto s = h->setActivity(*a); !s)
        return fail(s.error());
    auto r = h->importRoster(*csv, QFileInfo(csvPath).fileName(), *secrets, faces->templates);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        QJsonArray refused;
        for (const hq::PhotoRefusal &f : faces->refused)
            refused.append(QJsonObject {{QStringLiteral("line"), f.line},
                                        {QStringLiteral("rep"), f.repId},
                                        {QStringLiteral("photo"), f.photo},
                                        {QStringLiteral("code"), f.code},
                                        {QStringLiteral("reason"), f.reason}});
        QJsonObject result = *r;
        result.insert(QStringLiteral("faces"),
                      QJsonObject {{QStringLiteral("photos"), faces->photos},
                                   {QStringLiteral("enrolled"), qint64(faces->templates.size())},
                                   {QStringLiteral("without_photo"), faces->withoutPhoto},
                                   {QStringLiteral("refused"), refused},
                                   {QStringLiteral("ms_per_photo"), qRound(faces->msPerPhoto * 10) / 10.0}});
        printJson(result);
    } else {
        out(QStringLiteral("Imported %1 representatives for %2 (ID numbers stored only as keyed hashes).")
                .arg(r->value(QLatin1String("representatives")).toInteger())
                .arg(a->id));
        const QJsonObject venues = r->value(QLatin1String("by_venue")).toObject();
        for (auto it = venues.begin(); it != venues.end(); ++it)
            out(QStringLiteral("  %1: %2").arg(it.key(), -12).arg(it.value().toInteger()));
        const QJsonArray warnings = r->value(QLatin1String("quota_warnings")).toArray();
        if (!warnings.isEmpty()) {
            out(QStringLiteral("Warning: %1 quota cell(s) not met (the spec's roster.quotas is \"warn\"):")
                    .arg(warnings.size()));
            for (const QJsonValue &w : warnings)
                out(QStringLiteral("  ") + w.toString());
        }
        if (faces->photos > 0) {
            out(QStringLiteral("Face enrolment: %1 of %2 photos enrolled (%3 ms per photo; only the templates are "
                               "kept, the photos are not copied).")
                    .arg(faces->templates.size())
                    .arg(faces->photos)
                    .arg(qRound(faces->msPerPhoto)));
            if (!faces->refused.isEmpty()) {
                out(QStringLiteral("%1 photo(s) refused; these representatives are imported and check in with "
                                   "their card or ID number:")
                        .arg(faces->refused.size()));
                for (const hq::PhotoRefusal &f : faces->refused)
                    out(QStringLiteral("  line %1 (%2): %3: %4").arg(f.line).arg(f.repId, f.photo, f.reason));
            }
        }
    }
    return Ok;
}

int cmdCards(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto a = h->activity();
    if (!a)
        return fail(a.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    const QString venue = p.value(venueOpt);
    auto cards = h->cards(*secrets, venue);
    if (!cards)
        return fail(cards.error());
    if (!QDir().mkpath(*outDir))
        return fail(makeError(QStringLiteral("io-write"), QStringLiteral("cannot create %1").arg(*outDir)));
    const QString stem = venue.isEmpty() ? QStringLiteral("cards-all") : QStringLiteral("cards-%1").arg(venue);
    const QString pdf = QDir(*outDir).filePath(stem + QStringLiteral(".pdf"));
    const QString list = QDir(*outDir).filePath(stem + QStringLiteral("-list.pdf"));
    if (auto s = hq::renderCardsPdf(*cards, *a, pdf); !s)
        return fail(s.error());
    if (auto s = hq::renderCardListPdf(*cards, *a, list); !s)
        return fail(s.error());
    const qint64 pages = (cards->size() + hq::cardsPerPage - 1) / hq::cardsPerPage;
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("pdf"), pdf},
                   {QStringLiteral("list"), list},
                   {QStringLiteral("cards"), qint64(cards->size())},
                   {QStringLiteral("pages"), pages}});
    else
        out(QStringLiteral("Wrote %1 invitation cards on %2 A4 pages to %3\nand the hand-out list for the venue "
                           "staff to %4")
                .arg(cards->size())
                .arg(pages)
                .arg(pdf, list));
    return Ok;
}

} // namespace

std::vector<Command> rosterCommands()
{
    return {
        {QStringLiteral("roster synth"),
         QStringLiteral("roster synth --activity SPEC --out ROSTER.csv [--seed N] [--scale F]"),
         QStringLiteral("Write a synthetic roster following the activity's quotas (scale 1.0 = full quotas)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(activityOpt);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 2025)."), QStringLiteral("N")});
             p.addOption({QStringLiteral("scale"), QStringLiteral("Fraction of the quotas (default 1.0)."),
                          QStringLiteral("F")});
         },
         cmdRosterSynth},
        {QStringLiteral("roster draw"),
         QStringLiteral("roster draw --activity SPEC --pool POOL.csv [--previous LAST.csv] (--seed-commit SECRET | "
                        "--seed SECRET --public VALUE --out ROSTER.csv [--report R.json] | --verify R.json "
                        "[--roster ROSTER.csv])"),
         QStringLiteral("Draw a roster from a candidate pool by quota cell, verifiably (commit, draw, verify)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(activityOpt);
             p.addOption(poolOpt);
             p.addOption(previousOpt);
             p.addOption(seedCommitOpt);
             p.addOption(seedOpt);
             p.addOption(publicOpt);
             p.addOption(outOpt);
             p.addOption(reportOpt);
             p.addOption(verifyOpt);
             p.addOption(rosterOpt);
         },
         cmdRosterDraw},
        {QStringLiteral("roster import"),
         QStringLiteral("roster import --hq DIR --activity SPEC [--photos DIR] ROSTER.csv"),
         QStringLiteral("Validate a roster and store it (ID numbers only as keyed hashes). Replaces an earlier roster. "
                        "Face photos (the photo column, or --photos) are enrolled as templates; the photos are not "
                        "copied."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(activityOpt);
             p.addOption(photosOpt);
             p.addPositionalArgument(QStringLiteral("ROSTER.csv"), QStringLiteral("Roster CSV (UTF-8)."));
         },
         cmdRosterImport},
        {QStringLiteral("cards"), QStringLiteral("cards --hq DIR --out DIR [--venue V]"),
         QStringLiteral("Render print-ready invitation cards (A4 PDF, 8 per page) with signed credential QR codes."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption(venueOpt);
         },
         cmdCards},
    };
}

} // namespace pingyi::hqcli
