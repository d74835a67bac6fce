// pingyi-hq: the tallying office's command-line tool. Each command is a thin wrapper over
// pingyi::hq::Hq (hq.h) so the tests exercise the same code.

#include "activity.h"
#include "bulletin.h"
#include "cards.h"
#include "crypto.h"
#include "enrolment.h"
#include "fileio.h"
#include "hq.h"
#include "hqlock.h"
#include "importer.h"
#include "kioskreports.h"
#include "redact.h"
#include "resultsreport.h"
#include "roster.h"
#include "tally.h"
#include "trustees.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <unistd.h>

using namespace pingyi;

namespace {

enum Exit { Ok = 0, Failed = 1, Usage = 2 };

void out(const QString &s) { std::fputs(qPrintable(s + QLatin1Char('\n')), stdout); }
void err(const QString &s) { std::fputs(qPrintable(QStringLiteral("pingyi-hq: ") + s + QLatin1Char('\n')), stderr); }

int fail(const Error &e)
{
    err(QStringLiteral("error: ") + e.toString());
    return e.code == QLatin1String("usage") ? Usage : Failed;
}

void printJson(const QJsonObject &o) { std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout); }

struct Command {
    QString name;
    QString synopsis;
    QString description;
    std::function<void(QCommandLineParser &)> options;
    std::function<int(QCommandLineParser &)> run;
};

const QCommandLineOption hqOpt(QStringLiteral("hq"), QStringLiteral("HQ directory."), QStringLiteral("DIR"));
const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
const QCommandLineOption passOpt(QStringLiteral("passphrase-file"),
                                 QStringLiteral("Read the passphrase from FILE (else PINGYI_PASSPHRASE, else a prompt)."),
                                 QStringLiteral("FILE"));
const QCommandLineOption activityOpt(QStringLiteral("activity"), QStringLiteral("Activity spec (JSON)."),
                                     QStringLiteral("SPEC"));
const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Output file or directory."), QStringLiteral("PATH"));
const QCommandLineOption venueOpt(QStringLiteral("venue"), QStringLiteral("Venue code."), QStringLiteral("V"));

Result<QString> required(QCommandLineParser &p, const QCommandLineOption &o)
{
    if (!p.isSet(o) || p.value(o).isEmpty())
        return makeError(QStringLiteral("usage"), QStringLiteral("--%1 is required (see --help)").arg(o.names().first()));
    return p.value(o);
}

/// Who holds the HQ directory's lock for the command: this wrapper, or the importer
/// (verify and import take it themselves, for exactly their run).
enum class Lock { Here, ByImporter };

/// Opens --hq DIR. Unless the importer takes it, holds DIR's lock until the process ends:
/// one pingyi-hq command at a time per HQ directory ("hq-busy" names the other one).
Result<hq::Hq> openHq(QCommandLineParser &p, Lock lock = Lock::Here)
{
    static std::optional<hq::HqLock> held;
    auto dir = required(p, hqOpt);
    if (!dir)
        return dir.error();
    if (lock == Lock::Here && !held && QFileInfo::exists(QDir(*dir).filePath(QLatin1String(hq::Hq::rootKeyFile)))) {
        auto l = hq::HqLock::acquire(*dir);
        if (!l)
            return l.error();
        held.emplace(std::move(l).value());
    }
    return hq::Hq::open(*dir);
}

Result<hq::Secrets> unlock(QCommandLineParser &p, const hq::Hq &h)
{
    auto pass = crypto::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase: "), false);
    if (!pass)
        return pass.error();
    return h.unlock(*pass);
}

Result<Activity> loadActivity(const QString &path)
{
    auto bytes = readInputFile(path, InputKind::ActivitySpec);
    if (!bytes)
        return bytes.error();
    return Activity::fromJson(*bytes, path);
}

int cmdInit(QCommandLineParser &p)
{
    auto dir = required(p, hqOpt);
    if (!dir)
        return fail(dir.error());
    auto pass = crypto::obtainPassphrase(p.value(passOpt), QStringLiteral("New HQ passphrase: "), true);
    if (!pass)
        return fail(pass.error());
    auto r = hq::Hq::init(*dir, *pass);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
    } else {
        out(QStringLiteral("HQ directory:          %1").arg(r->value(QLatin1String("hq")).toString()));
        out(QStringLiteral("HQ root key:           %1").arg(r->value(QLatin1String("root_fingerprint")).toString()));
        out(QStringLiteral("Election sealing key:  %1").arg(r->value(QLatin1String("election_fingerprint")).toString()));
        out(QStringLiteral("Write both fingerprints down: kiosks pin the root key at enrolment."));
    }
    return Ok;
}

int cmdActivityCheck(QCommandLineParser &p)
{
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one SPEC file")));
    auto a = loadActivity(p.positionalArguments().first());
    if (!a)
        return fail(a.error());
    if (p.isSet(QStringLiteral("venues"))) {
        for (const Venue &v : a->venues)
            out(v.code);
    } else if (p.isSet(jsonOpt)) {
        printJson(a->summaryJson());
    } else {
        out(a->summary());
    }
    return Ok;
}

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
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--scale must be a number above 0 (1.0 = full quotas)")));
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
    if (auto entries = parseRoster(*csv, *a, QFileInfo(csvPath).fileName()); !entries)
        return fail(entries.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    if (auto s = h->setActivity(*a); !s)
        return fail(s.error());
    auto r = h->importRoster(*csv, QFileInfo(csvPath).fileName(), *secrets);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
    } else {
        out(QStringLiteral("Imported %1 representatives for %2 (ID numbers stored only as keyed hashes).")
                .arg(r->value(QLatin1String("representatives")).toInteger())
                .arg(a->id));
        const QJsonObject venues = r->value(QLatin1String("by_venue")).toObject();
        for (auto it = venues.begin(); it != venues.end(); ++it)
            out(QStringLiteral("  %1: %2").arg(it.key(), -12).arg(it.value().toInteger()));
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
    const QString pdf = QDir(*outDir).filePath(venue.isEmpty() ? QStringLiteral("cards-all.pdf")
                                                               : QStringLiteral("cards-%1.pdf").arg(venue));
    if (auto s = hq::renderCardsPdf(*cards, *a, pdf); !s)
        return fail(s.error());
    const qint64 pages = (cards->size() + 7) / 8;
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("pdf"), pdf},
                   {QStringLiteral("cards"), qint64(cards->size())},
                   {QStringLiteral("pages"), pages}});
    else
        out(QStringLiteral("Wrote %1 invitation cards on %2 A4 pages to %3").arg(cards->size()).arg(pages).arg(pdf));
    return Ok;
}

int cmdKioskRequest(QCommandLineParser &p)
{
    auto outPath = required(p, outOpt);
    auto keyPath = required(p, QCommandLineOption(QStringLiteral("key")));
    if (!outPath || !keyPath)
        return fail(!outPath ? outPath.error() : keyPath.error());
    if (QFileInfo::exists(*keyPath))
        return fail(makeError(QStringLiteral("exists"),
                              QStringLiteral("%1 already exists; refusing to replace a kiosk key").arg(*keyPath)));
    const auto key = crypto::SigningKey::generate();
    const QString id = p.isSet(QStringLiteral("id")) ? p.value(QStringLiteral("id"))
                                                     : EnrolmentRequest::defaultId(key.publicKey());
    if (!isValidKioskId(id))
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--id must be 1-32 letters, digits or '-'")));
    auto pass = crypto::obtainPassphrase(p.value(passOpt), QStringLiteral("Kiosk key passphrase: "), true);
    if (!pass)
        return fail(pass.error());
    crypto::KeyFileContents kf{QStringLiteral("kiosk"), key.publicKey(), crypto::SecretBytes::copyOf(key.seed().view())};
    if (auto s = crypto::writeKeyFile(*keyPath, kf, *pass, crypto::KdfStrength::interactive()); !s)
        return fail(s.error());
    if (auto s = writeFileAtomic(*outPath, EnrolmentRequest::create(key, id)); !s)
        return fail(s.error());
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("kiosk_id"), id},
                   {QStringLiteral("request"), *outPath},
                   {QStringLiteral("fingerprint"), crypto::fingerprint(key.publicKey())}});
    else
        out(QStringLiteral("Kiosk %1 (key %2): request written to %3").arg(id, crypto::fingerprint(key.publicKey()), *outPath));
    return Ok;
}

int cmdKioskCertify(QCommandLineParser &p)
{
    auto reqPath = required(p, QCommandLineOption(QStringLiteral("request")));
    auto venue = required(p, venueOpt);
    auto outPath = required(p, outOpt);
    for (auto *r : {&reqPath, &venue, &outPath})
        if (!*r)
            return fail(r->error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto req = readInputFile(*reqPath, InputKind::EnrolmentRequest);
    if (!req)
        return fail(req.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    QJsonObject summary;
    auto cert = h->certifyKiosk(*req, *venue, *secrets, &summary);
    if (!cert)
        return fail(cert.error());
    if (auto s = writeFileAtomic(*outPath, *cert); !s)
        return fail(s.error());
    summary.insert(QStringLiteral("certificate"), *outPath);
    if (p.isSet(jsonOpt))
        printJson(summary);
    else
        out(QStringLiteral("Certified kiosk %1 (key %2) for venue %3: %4\n"
                           "Compare the key with the one the kiosk shows before loading the certificate.")
                .arg(summary.value(QLatin1String("kiosk_id")).toString(),
                     summary.value(QLatin1String("kiosk_fingerprint")).toString(), *venue, *outPath));
    return Ok;
}

int cmdStaff(QCommandLineParser &p)
{
    auto venue = required(p, venueOpt);
    if (!venue)
        return fail(venue.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    // New PINs lock out the old ones at the next package: only the office may issue them.
    if (auto secrets = unlock(p, *h); !secrets)
        return fail(secrets.error());
    auto pins = h->issueStaffPins(*venue);
    if (!pins)
        return fail(pins.error());
    if (p.isSet(jsonOpt)) {
        QJsonObject o{{QStringLiteral("venue"), *venue}};
        for (const auto &pin : *pins)
            o.insert(pin.role, pin.pin);
        printJson(o);
    } else {
        out(QStringLiteral("Staff PINs for venue %1 (shown once; only their hashes are kept):").arg(*venue));
        for (const auto &pin : *pins)
            out(QStringLiteral("  %1 %2").arg(pin.role, -12).arg(pin.pin));
        out(QStringLiteral("Build the venue package again so the kiosks get the new PINs."));
    }
    return Ok;
}

int cmdPackage(QCommandLineParser &p)
{
    auto venue = required(p, venueOpt);
    auto outPath = required(p, outOpt);
    if (!venue || !outPath)
        return fail(!venue ? venue.error() : outPath.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    QJsonObject summary;
    auto file = h->buildPackage(*venue, *secrets, &summary);
    if (!file)
        return fail(file.error());
    if (auto s = writeFileAtomic(*outPath, *file); !s)
        return fail(s.error());
    summary.insert(QStringLiteral("package"), *outPath);
    if (p.isSet(jsonOpt))
        printJson(summary);
    else
        out(QStringLiteral("Venue package %1 v%2 for %3 representatives and %4 kiosk(s): %5")
                .arg(*venue)
                .arg(summary.value(QLatin1String("version")).toInteger())
                .arg(summary.value(QLatin1String("representatives")).toInteger())
                .arg(summary.value(QLatin1String("kiosks")).toArray().size())
                .arg(*outPath));
    return Ok;
}

int cmdPackageInspect(QCommandLineParser &p)
{
    if (p.positionalArguments().size() != 1)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give exactly one package FILE")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto file = readInputFile(p.positionalArguments().first(), InputKind::VenuePackage);
    if (!file)
        return fail(file.error());
    std::optional<hq::Secrets> secrets;
    if (!p.isSet(QStringLiteral("no-decrypt"))) {
        auto s = unlock(p, *h);
        if (!s)
            return fail(s.error());
        secrets.emplace(std::move(s).value());
    }
    auto r = h->inspectPackage(*file, secrets ? &*secrets : nullptr);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
        return Ok;
    }
    out(QStringLiteral("OK  %1").arg(p.positionalArguments().first()));
    out(QStringLiteral("  activity:        %1").arg(r->value(QLatin1String("activity")).toString()));
    out(QStringLiteral("  venue:           %1").arg(r->value(QLatin1String("venue")).toString()));
    out(QStringLiteral("  version:         %1").arg(r->value(QLatin1String("version")).toInteger()));
    out(QStringLiteral("  signed by:       %1 (valid)").arg(r->value(QLatin1String("issuer")).toString()));
    QStringList rec;
    for (const auto &v : r->value(QLatin1String("recipients")).toArray())
        rec << v.toString();
    out(QStringLiteral("  encrypted to:    %1").arg(rec.join(QStringLiteral(", "))));
    out(QStringLiteral("  content:         %1").arg(r->value(QLatin1String("content")).toString()));
    if (r->contains(QLatin1String("representatives"))) {
        out(QStringLiteral("  representatives: %1").arg(r->value(QLatin1String("representatives")).toInteger()));
        const QJsonObject s = r->value(QLatin1String("by_session")).toObject();
        for (auto it = s.begin(); it != s.end(); ++it)
            out(QStringLiteral("    %1: %2").arg(it.key(), -12).arg(it.value().toInteger()));
    }
    return Ok;
}

// ---- the tallying office: verify, import, trustees, tally, bulletin -----------------

const QCommandLineOption closingOpt(QStringLiteral("closing-report"),
                                    QStringLiteral("A kiosk's closing-report QR payload (PYR1:…), or a file with one payload "
                                                   "per line; repeatable. Each is checked against the batch of its kiosk "
                                                   "and session."),
                                    QStringLiteral("PAYLOAD|FILE"));
const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("Worker threads (default: one per core)."),
                                    QStringLiteral("N"));
const QCommandLineOption shareOpt(QStringLiteral("share"),
                                  QStringLiteral("A trustee's share file (repeat for each share brought)."),
                                  QStringLiteral("FILE"));
const QCommandLineOption sharePassOpt(QStringLiteral("share-passphrase-file"),
                                      QStringLiteral("For tests and rehearsals only: passphrase file for the share in the "
                                                     "same position (repeatable). Otherwise each trustee types theirs; "
                                                     "share passphrases never come from PINGYI_PASSPHRASE."),
                                      QStringLiteral("FILE"));

bool stderrIsTerminal() { return isatty(fileno(stderr)) != 0; }

/// A one-line progress bar on stderr, only when stderr is a terminal; redrawn from the
/// calling thread at most ten times a second.
class ProgressBar {
public:
    ProgressBar(bool enabled, const char *verb) : m_enabled(enabled && stderrIsTerminal()), m_verb(verb) {}
    ~ProgressBar() { finish(); }
    void update(const hq::ImportProgress &p)
    {
        if (!m_enabled)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (m_drawn && now - m_last < std::chrono::milliseconds(100) && p.batchesDone < p.batchesTotal)
            return;
        m_last = now;
        constexpr int width = 30;
        const qint64 total = std::max<qint64>(1, p.bytesTotal);
        const int filled = int(std::min<qint64>(width, p.bytesChecked * width / total));
        const std::string bar = std::string(std::size_t(filled), '#') + std::string(std::size_t(width - filled), '.');
        (void)std::fprintf(stderr, "\r[%s] %d/%d batches %s, %lld records checked", bar.c_str(), p.batchesDone,
                           p.batchesTotal, m_verb, static_cast<long long>(p.recordsChecked));
        (void)std::fflush(stderr);
        m_drawn = true;
    }
    void finish()
    {
        if (m_drawn)
            (void)std::fputs("\r\033[K", stderr);
        m_drawn = false;
    }

private:
    bool m_enabled;
    const char *m_verb;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last;
};

/// Batch files from the arguments; a directory stands for every *.pybatch in it.
Result<QStringList> batchArguments(QCommandLineParser &p)
{
    QStringList files;
    for (const QString &arg : p.positionalArguments()) {
        const QFileInfo info(arg);
        if (info.isDir()) {
            // QDir::System too: a *.pybatch that is a pipe, a device or a broken link is
            // reported by the import, not skipped without a word.
            const QStringList found
                = QDir(arg).entryList({QStringLiteral("*.pybatch")}, QDir::Files | QDir::System, QDir::Name);
            if (found.isEmpty())
                return makeError(QStringLiteral("no-batches"),
                                 QStringLiteral("no *.pybatch files in %1: is it the right drive or folder? A kiosk "
                                                "exports its batches to the top folder of the USB drive")
                                     .arg(arg));
            for (const QString &f : found)
                files << QDir(arg).filePath(f);
        } else {
            files << arg;
        }
    }
    if (files.isEmpty())
        return makeError(QStringLiteral("usage"), QStringLiteral("give at least one BATCH file or directory"));
    return files;
}

/// Report codes from `values`: `PYR1:` payloads, or files of scanned codes, one a line.
/// `option` names where they came from in messages ("--closing-report ", or empty).
Result<QStringList> reportCodes(const QStringList &values, const QString &option)
{
    QStringList out;
    for (const QString &v : values) {
        if (v.trimmed().startsWith(QLatin1String("PYR1:"))) {
            out << v.trimmed();
            continue;
        }
        auto text = readInputFile(v, InputKind::Reports);
        if (!text)
            return makeError(QStringLiteral("io-read"),
                             QStringLiteral("%1%2 is neither a report code (PYR1:…) nor a readable file: %3")
                                 .arg(option, v, text.error().message));
        const qsizetype before = out.size();
        for (const QString &line : QString::fromUtf8(*text).split(QLatin1Char('\n')))
            if (line.trimmed().startsWith(QLatin1String("PYR1:")))
                out << line.trimmed();
        if (out.size() == before)
            return makeError(QStringLiteral("usage"),
                             QStringLiteral("%1%2 holds no report code (no line starting with PYR1:): give the file with "
                                            "the scanned zero or closing report codes, one a line")
                                 .arg(option, v));
    }
    return out;
}

Result<QStringList> closingReports(QCommandLineParser &p)
{
    return reportCodes(p.values(closingOpt), QStringLiteral("--closing-report "));
}

Result<int> threadsOption(QCommandLineParser &p)
{
    if (!p.isSet(threadsOpt))
        return 0;
    bool ok = false;
    const int n = p.value(threadsOpt).toInt(&ok);
    if (!ok || n < 1 || n > 256)
        return makeError(QStringLiteral("usage"), QStringLiteral("--threads must be a whole number from 1 to 256"));
    return n;
}

QString batchLine(const hq::BatchReport &b)
{
    if (!b.headerRead)
        return QString();
    QString s = QStringLiteral("kiosk %1 at venue %2, group %3").arg(b.context.kioskId, b.context.venue, b.context.session);
    if (b.streamChecked)
        s += QStringLiteral(": %1 ballots, %2 suggestions, %3 check-ins")
                 .arg(b.ballotsCounted)
                 .arg(b.suggestionsCounted)
                 .arg(b.checkinsListed);
    else
        s += QStringLiteral(": header says %1 ballots, %2 suggestions").arg(b.counts.ballots).arg(b.counts.suggestions);
    return s;
}

/// Whether the batch was compared with its kiosk's closing report (--closing-report).
QString closingLine(const hq::BatchReport &b)
{
    if (b.closingReport.isEmpty())
        return QStringLiteral("          closing report: not checked");
    return b.closingReportStored ? QStringLiteral("          closing report: checked, now stored with the earlier import")
                                 : QStringLiteral("          closing report: checked");
}

void printFindings(const hq::BatchReport &b)
{
    if (b.headerRead)
        out(closingLine(b));
    for (const hq::QuarantinedRecord &q : b.quarantined)
        out(QStringLiteral("          ! quarantined: %1: %2").arg(q.code, q.message));
    for (const hq::Finding &w : b.warnings)
        out(QStringLiteral("          ! %1: %2").arg(w.code, w.message));
}

int finishSummary(const hq::ImportSummary &s, bool verify)
{
    for (const QString &u : s.unmatchedReports)
        out(QStringLiteral("! closing report %1").arg(u));
    for (const hq::Finding &f : s.reportProblems)
        out(QStringLiteral("! %1: %2").arg(f.code, f.message));
    for (const QString &n : s.reportNotes)
        out(QStringLiteral("  note: %1").arg(n));
    if (!s.reportsStored.isEmpty())
        out(QStringLiteral("  %1 report(s) stored (the tally expects each reporting kiosk's batch; pingyi-hq report "
                           "list shows them)")
                .arg(s.reportsStored.size()));
    if (verify)
        out(QStringLiteral("%1 of %2 batch(es) passed every check.")
                .arg(s.batches.size() - s.refused())
                .arg(s.batches.size()));
    else
        out(QStringLiteral("%1 imported, %2 already imported, %3 refused; %4 record(s) quarantined.")
                .arg(s.imported())
                .arg(s.alreadyImported())
                .arg(s.refused())
                .arg(s.quarantined()));
    return s.needsAttention() ? Failed : Ok;
}

int cmdVerify(QCommandLineParser &p)
{
    auto files = batchArguments(p);
    if (!files)
        return fail(files.error());
    auto reports = closingReports(p);
    if (!reports)
        return fail(reports.error());
    auto threads = threadsOption(p);
    if (!threads)
        return fail(threads.error());
    auto h = openHq(p, Lock::ByImporter);
    if (!h)
        return fail(h.error());
    std::optional<hq::Secrets> secrets;
    if (!p.isSet(QStringLiteral("no-decrypt"))) {
        auto s = unlock(p, *h);
        if (!s)
            return fail(s.error());
        secrets.emplace(std::move(s).value());
    }
    ProgressBar bar(!p.isSet(jsonOpt), "checked");
    hq::ImportOptions options;
    options.closingReports = *reports;
    options.threads = *threads;
    options.liveProgress = [&](const hq::ImportProgress &progress) { bar.update(progress); };
    auto summary = hq::verifyBatches(*h, secrets ? &secrets->archive : nullptr, *files, options);
    bar.finish();
    if (!summary)
        return fail(summary.error());
    if (p.isSet(jsonOpt)) {
        printJson(summary->toJson());
        return summary->needsAttention() ? Failed : Ok;
    }
    for (const hq::BatchReport &b : summary->batches) {
        if (b.refused()) {
            out(QStringLiteral("FAILED    %1").arg(b.file));
            for (const hq::Finding &f : b.problems)
                out(QStringLiteral("          - %1: %2").arg(f.code, f.message));
        } else {
            const QString note = b.sameAsEarlierInRun
                                     ? QStringLiteral(" (same as an earlier file in this run)")
                                     : b.outcome == hq::BatchOutcome::AlreadyImported
                                     ? QStringLiteral(" (already imported with the same content)")
                                     : b.streamChecked ? QString()
                                                       : QStringLiteral(" (header, certificate and signature only)");
            out(QStringLiteral("OK        %1%2").arg(b.file, note));
            out(QStringLiteral("          %1").arg(batchLine(b)));
        }
        if (b.outcome != hq::BatchOutcome::AlreadyImported)
            printFindings(b);
        else if (b.headerRead)
            out(closingLine(b));
    }
    return finishSummary(*summary, true);
}

void printImported(const hq::ImportSummary &summary);

int cmdImport(QCommandLineParser &p)
{
    auto files = batchArguments(p);
    if (!files)
        return fail(files.error());
    auto reports = closingReports(p);
    if (!reports)
        return fail(reports.error());
    auto threads = threadsOption(p);
    if (!threads)
        return fail(threads.error());
    auto h = openHq(p, Lock::ByImporter);
    if (!h)
        return fail(h.error());
    auto secrets = unlock(p, *h);
    if (!secrets)
        return fail(secrets.error());
    ProgressBar bar(!p.isSet(jsonOpt), "done");
    hq::ImportSummary partial;
    hq::ImportOptions options;
    options.closingReports = *reports;
    options.threads = *threads;
    options.liveProgress = [&](const hq::ImportProgress &progress) { bar.update(progress); };
    options.partial = &partial;
    auto summary = hq::importBatches(*h, secrets->archive, *files, options);
    bar.finish();
    if (!summary) {
        // Stopped by the database or the disk: say what was imported before, then why.
        if (p.isSet(jsonOpt)) {
            QJsonObject o = partial.toJson();
            o.insert(QStringLiteral("error"), QJsonObject {{QStringLiteral("code"), summary.error().code},
                                                          {QStringLiteral("message"), summary.error().message}});
            printJson(o);
        } else {
            printImported(partial);
        }
        return fail(summary.error());
    }
    if (p.isSet(jsonOpt)) {
        printJson(summary->toJson());
        return summary->needsAttention() ? Failed : Ok;
    }
    printImported(*summary);
    return finishSummary(*summary, false);
}

void printImported(const hq::ImportSummary &summary)
{
    for (const hq::BatchReport &b : summary.batches) {
        switch (b.outcome) {
        case hq::BatchOutcome::Imported:
            out(QStringLiteral("imported  %1").arg(b.file));
            out(QStringLiteral("          %1%2").arg(batchLine(b), b.discrepancy ? QStringLiteral(" (DISCREPANCY)") : QString()));
            break;
        case hq::BatchOutcome::AlreadyImported:
            out(QStringLiteral("already   %1").arg(b.file));
            out(QStringLiteral("          %1: %2 with the same content, nothing to do")
                    .arg(batchLine(b), b.sameAsEarlierInRun ? QStringLiteral("imported from an earlier file in this run")
                                                            : QStringLiteral("imported before")));
            break;
        default:
            out(QStringLiteral("REFUSED   %1").arg(b.file));
            for (const hq::Finding &f : b.problems)
                out(QStringLiteral("          - %1: %2").arg(f.code, f.message));
            break;
        }
        if (b.outcome != hq::BatchOutcome::AlreadyImported)
            printFindings(b);
        else if (b.headerRead)
            out(closingLine(b));
    }
}

/// The passphrase of the share at `position` (from --share-passphrase-file, else typed).
Result<crypto::SecretBytes> sharePassphrase(QCommandLineParser &p, const hq::ShareInfo &share, int position, bool create)
{
    const QStringList files = p.values(sharePassOpt);
    const QString file = position < files.size() ? files[position] : QString();
    QString who = QStringLiteral("share %1 of %2").arg(share.index).arg(share.count);
    if (!share.trustee.isEmpty())
        who += QStringLiteral(" (trustee %1)").arg(share.trustee);
    // Never from PINGYI_PASSPHRASE: that holds the office's passphrase, and every share
    // would get it (k-of-n would be gone).
    return crypto::obtainPassphrase(file, (create ? QStringLiteral("New passphrase for %1: ") : QStringLiteral("Passphrase for %1: ")).arg(who),
                                    create, false);
}

/// The office passphrase if it is at hand without asking (file or environment), to refuse
/// it as a share's passphrase.
std::optional<crypto::SecretBytes> officePassphraseIfGiven(QCommandLineParser &p)
{
    if (!p.isSet(passOpt) && qEnvironmentVariableIsEmpty("PINGYI_PASSPHRASE"))
        return std::nullopt;
    auto pass = crypto::obtainPassphrase(p.value(passOpt), QString(), false);
    if (!pass)
        return std::nullopt;
    return std::move(pass).value();
}

Result<crypto::BoxKeyPair> electionKey(QCommandLineParser &p, const hq::Hq &h)
{
    const QStringList shares = p.values(shareOpt);
    if (shares.isEmpty()) {
        auto pass = crypto::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase (election key): "), false);
        if (!pass)
            return pass.error();
        return h.unlockElection(*pass);
    }
    const std::optional<crypto::SecretBytes> office = officePassphraseIfGiven(p);
    return hq::combineShares(h, shares, [&](const hq::ShareInfo &s) -> Result<crypto::SecretBytes> {
        auto pass = sharePassphrase(p, s, int(shares.indexOf(s.path)), false);
        if (pass && office && pass->equals(*office))
            return makeError(QStringLiteral("share-passphrase"),
                             QStringLiteral("the passphrase given is the office (HQ) passphrase: each trustee's share "
                                            "has its own; make new shares if this one was made with it"));
        return pass;
    });
}

int cmdTrusteesSplit(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    bool okK = false, okN = false;
    const int k = p.value(QStringLiteral("k")).toInt(&okK);
    const int n = p.value(QStringLiteral("n")).toInt(&okN);
    if (!okK || !okN)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("--k and --n are required whole numbers (K of N shares rebuild the key)")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    hq::SplitOptions o;
    o.threshold = k;
    o.count = n;
    o.outDir = *outDir;
    o.trustees = p.values(QStringLiteral("trustee"));
    o.retireElectionKey = p.isSet(QStringLiteral("retire-election-key"));
    if (o.count < 2 || o.count > 255 || o.threshold < 2 || o.threshold > o.count)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("need 2 <= K <= N <= 255; got K=%1, N=%2").arg(k).arg(n)));
    if (!o.trustees.isEmpty() && o.trustees.size() != n)
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give --trustee once per share (%1 names for %2 shares)")
                                                          .arg(o.trustees.size())
                                                          .arg(n)));
    const hq::NoCoreDumps noDumps; // the election key and the shares are in memory from here
    auto pass = crypto::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase: "), false);
    if (!pass)
        return fail(pass.error());
    o.officePassphrase = &*pass;
    auto secrets = h->unlock(*pass);
    if (!secrets)
        return fail(secrets.error());
    auto election = p.isSet(shareOpt) ? electionKey(p, *h) : h->unlockElection(*pass);
    if (!election)
        return fail(election.error());
    std::vector<crypto::SecretBytes> passphrases;
    // With --share the first positions of --share-passphrase-file belong to the old shares.
    const int offset = int(p.values(shareOpt).size());
    for (int i = 1; i <= n; ++i) {
        hq::ShareInfo info;
        info.index = i;
        info.count = n;
        info.trustee = o.trustees.value(i - 1);
        auto sp = sharePassphrase(p, info, offset + i - 1, true);
        if (!sp)
            return fail(sp.error());
        passphrases.push_back(std::move(sp).value());
    }
    auto r = hq::splitElectionKey(*h, *election, secrets->root, o, passphrases);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
        return Ok;
    }
    out(QStringLiteral("Split the election key %1 into %2 shares; any %3 rebuild it (ceremony %4).")
            .arg(r->value(QLatin1String("election_fingerprint")).toString())
            .arg(n)
            .arg(k)
            .arg(r->value(QLatin1String("ceremony")).toString()));
    for (const QJsonValue &f : r->value(QLatin1String("files")).toArray())
        out(QStringLiteral("  %1").arg(f.toString()));
    out(QStringLiteral("Record of the split (signed): %1").arg(r->value(QLatin1String("record")).toString()));
    if (r->value(QLatin1String("election_key_retired")).toBool())
        out(QStringLiteral("election.key was removed: from now on only %1 trustees together can open ballots.").arg(k));
    else
        out(QStringLiteral("election.key is still in the HQ directory; add --retire-election-key to remove it once the "
                           "trustees hold their shares."));
    out(QStringLiteral("Give each trustee their file on its own medium; each keeps their passphrase to themselves."));
    return Ok;
}

int cmdTrusteesShow(QCommandLineParser &p)
{
    if (p.positionalArguments().isEmpty())
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give at least one SHARE file")));
    QJsonArray list;
    for (const QString &f : p.positionalArguments()) {
        auto s = hq::readShareInfo(f);
        if (!s)
            return fail(s.error());
        list.append(QJsonObject{{QStringLiteral("file"), f},
                                {QStringLiteral("index"), s->index},
                                {QStringLiteral("k"), s->threshold},
                                {QStringLiteral("n"), s->count},
                                {QStringLiteral("trustee"), s->trustee},
                                {QStringLiteral("ceremony"), s->ceremony},
                                {QStringLiteral("election_fingerprint"), crypto::fingerprint(s->electionPublicKey)}});
        if (!p.isSet(jsonOpt))
            out(QStringLiteral("%1: share %2 of %3 (any %4 rebuild the key)%5, election key %6, ceremony %7")
                    .arg(f)
                    .arg(s->index)
                    .arg(s->count)
                    .arg(s->threshold)
                    .arg(s->trustee.isEmpty() ? QString() : QStringLiteral(", trustee ") + s->trustee)
                    .arg(crypto::fingerprint(s->electionPublicKey), s->ceremony));
    }
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("shares"), list}});
    return Ok;
}

int cmdTally(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    auto threads = threadsOption(p);
    if (!threads)
        return fail(threads.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto activity = h->activity();
    if (!activity)
        return fail(activity.error());
    const bool provisional = p.isSet(QStringLiteral("provisional"));
    // Refuse an --out that is not an earlier tally's before anyone types a passphrase.
    auto stage = hq::StagedOutput::create(*outDir);
    if (!stage)
        return fail(stage.error());
    std::optional<hq::TallyResults> results;
    {
        // The election key exists only in this block: it is wiped before anything is written.
        const hq::NoCoreDumps noDumps;
        auto election = electionKey(p, *h);
        if (!election)
            return fail(election.error());
        hq::TallyOptions options;
        options.threads = *threads;
        auto computed = hq::computeTally(*h, *election, options);
        if (!computed)
            return fail(computed.error());
        results.emplace(std::move(computed).value());
    }
    if (p.isSet(QStringLiteral("accept-incomplete"))) {
        if (provisional)
            return fail(
                makeError(QStringLiteral("usage"),
                          QStringLiteral("--accept-incomplete is for full results; leave it out with --provisional")));
        results->incomplete = p.value(QStringLiteral("accept-incomplete")).trimmed();
        if (results->incomplete.isEmpty())
            return fail(makeError(QStringLiteral("usage"),
                                  QStringLiteral("--accept-incomplete needs the reason, as it will be printed on the "
                                                 "results (who decided, why the batch is lost)")));
    }
    if (provisional) {
        hq::withholdContent(*results);
    } else if (auto s = hq::checkFullRelease(*h, *results); !s) {
        for (const QString &a : results->attention())
            out(QStringLiteral("! %1").arg(a));
        return fail(s.error());
    }
    auto files = hq::writeTallyFiles(*results, *activity, stage->path());
    if (!files)
        return fail(files.error());
    if (!p.isSet(QStringLiteral("no-pdf"))) {
        const QString pdf = QDir(stage->path()).filePath(QStringLiteral("report.pdf"));
        if (auto s = hq::renderResultsPdf(*results, *activity, pdf); !s)
            return fail(s.error());
        files->append(pdf);
    }
    // Recorded before the files appear in --out: a later full tally is compared with it.
    if (auto s = hq::recordTallyRun(*h, *results); !s)
        return fail(s.error());
    if (auto s = stage->commit(); !s)
        return fail(s.error());
    const QStringList attention = results->attention();
    // The details of what could not be counted, for the office only (never in the files,
    // no receipt codes).
    QStringList rejected;
    for (const hq::RejectedRecord &r : results->rejected)
        rejected << QStringLiteral("%1 %2 of group %3 from kiosk %4 (venue %5): %6")
                        .arg(r.code, r.kind, r.session, r.kiosk, r.venue, r.message);
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("out"), *outDir},
                   {QStringLiteral("provisional"), results->provisional},
                   {QStringLiteral("ballots"), results->ballots},
                   {QStringLiteral("suggestions"), qint64(results->suggestions.size()) + results->withheldSuggestions},
                   {QStringLiteral("files"), qint64(files->size())},
                   {QStringLiteral("attention"), QJsonArray::fromStringList(attention)},
                   {QStringLiteral("rejected_details"), QJsonArray::fromStringList(rejected)}});
        return Ok;
    }
    out(QStringLiteral("%1 %2 ballots and %3 suggestions of %4.")
            .arg(results->provisional ? QStringLiteral("Provisional tally (counts and attendance only):")
                                      : QStringLiteral("Tallied"))
            .arg(results->ballots)
            .arg(results->suggestions.size() + results->withheldSuggestions)
            .arg(results->activityId));
    for (const hq::SessionResult &s : results->sessions) {
        if (!s.held)
            continue;
        out(QStringLiteral("  %1 %2: %3 ballots, attendance %4 / %5").arg(s.code, s.name).arg(s.ballots)
                .arg(s.attendance.present)
                .arg(s.attendance.invited));
        if (!s.departments.isEmpty())
            out(QStringLiteral("     first: %1 (%2)")
                    .arg(s.departments.first().name,
                         QString::number(s.departments.first().weightedScore(), 'f', hq::scoreDecimals(s.departments))));
        else if (!s.withheld.isEmpty())
            out(QStringLiteral("     content withheld (%1)").arg(s.withheld));
    }
    for (const QString &a : attention)
        out(QStringLiteral("! %1").arg(a));
    for (const QString &r : rejected)
        out(QStringLiteral("  not counted: %1").arg(r));
    out(QStringLiteral("Wrote %1 files to %2 (results.json, CSV files%3%4).")
            .arg(files->size())
            .arg(*outDir)
            .arg(results->provisional ? QString() : QStringLiteral(", suggestions/"))
            .arg(p.isSet(QStringLiteral("no-pdf")) ? QString() : QStringLiteral(", report.pdf")));
    return Ok;
}

/// Report codes from the arguments: `PYR1:` payloads, or files holding one a line.
Result<QStringList> reportTexts(const QStringList &args)
{
    auto codes = reportCodes(args, QString());
    if (!codes)
        return codes.error();
    const QStringList &texts = *codes;
    if (texts.isEmpty())
        return makeError(QStringLiteral("usage"), QStringLiteral("give at least one FILE (or PYR1:… code)"));
    return texts;
}

int cmdReportAdd(QCommandLineParser &p)
{
    auto texts = reportTexts(p.positionalArguments());
    if (!texts)
        return fail(texts.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto results = hq::storeReports(*h, *texts);
    if (!results)
        return fail(results.error());
    int refused = 0;
    QJsonArray list;
    for (const hq::ReportStoreResult &r : *results) {
        const QString outcome = r.outcome == hq::ReportOutcome::Stored ? QStringLiteral("stored")
            : r.outcome == hq::ReportOutcome::AlreadyStored            ? QStringLiteral("already-stored")
                                                                       : QStringLiteral("refused");
        refused += r.outcome == hq::ReportOutcome::Refused ? 1 : 0;
        QJsonObject o {{QStringLiteral("report"), r.label}, {QStringLiteral("outcome"), outcome}};
        if (r.outcome == hq::ReportOutcome::Refused) {
            o.insert(QStringLiteral("code"), r.code);
            o.insert(QStringLiteral("message"), r.message);
        }
        list.append(o);
        if (!p.isSet(jsonOpt))
            out(r.outcome == hq::ReportOutcome::Refused
                    ? QStringLiteral("REFUSED   %1\n          - %2: %3").arg(r.label, r.code, r.message)
                    : QStringLiteral("%1 %2").arg(outcome.leftJustified(9), r.label));
    }
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("reports"), list}, {QStringLiteral("refused"), refused}});
    else
        out(QStringLiteral("%1 report(s) given, %2 refused.").arg(results->size()).arg(refused));
    return refused ? Failed : Ok;
}

int cmdReportList(QCommandLineParser &p)
{
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto status = hq::kioskStatus(*h);
    if (!status)
        return fail(status.error());
    QJsonArray list;
    QStringList spares;
    int missing = 0;
    for (const hq::KioskStatus &k : *status) {
        QJsonArray reports;
        QStringList reportText;
        for (const hq::KioskReportRow &r : k.reports) {
            reports.append(
                QJsonObject {{QStringLiteral("session"), r.session},
                             {QStringLiteral("rehearsal"), r.rehearsal},
                             {QStringLiteral("kind"), r.closing ? QStringLiteral("closing") : QStringLiteral("zero")},
                             {QStringLiteral("ballots"), r.counts.ballots},
                             {QStringLiteral("stored_at"), r.storedAt}});
            reportText << QStringLiteral("%1 %2%3%4")
                              .arg(r.closing ? QStringLiteral("closing") : QStringLiteral("zero"), r.session,
                                   r.rehearsal ? QStringLiteral(" (rehearsal)") : QString(),
                                   r.closing ? QStringLiteral(" %1 ballots").arg(r.counts.ballots) : QString());
        }
        const QString state = !k.retiredReason.isEmpty() ? QStringLiteral("retired")
            : !k.missing.isEmpty()                       ? QStringLiteral("batch-missing")
            : k.spare()                                  ? QStringLiteral("spare")
                                                         : QStringLiteral("ok");
        missing += k.retiredReason.isEmpty() && !k.missing.isEmpty() ? 1 : 0;
        list.append(QJsonObject {{QStringLiteral("kiosk"), k.kiosk},
                                 {QStringLiteral("venue"), k.venue},
                                 {QStringLiteral("state"), state},
                                 {QStringLiteral("batches"), QJsonArray::fromStringList(k.batches)},
                                 {QStringLiteral("missing"), QJsonArray::fromStringList(k.missing)},
                                 {QStringLiteral("reports"), reports},
                                 {QStringLiteral("retired_reason"), k.retiredReason}});
        if (p.isSet(jsonOpt))
            continue;
        if (state == QLatin1String("spare")) {
            spares << QStringLiteral("%1 (%2)").arg(k.kiosk, k.venue);
            continue;
        }
        out(QStringLiteral("%1 %2 (venue %3)").arg(state.toUpper().leftJustified(13), k.kiosk, k.venue));
        if (!k.missing.isEmpty())
            out(QStringLiteral("              batch not imported: %1").arg(k.missing.join(QStringLiteral(", "))));
        if (!k.batches.isEmpty())
            out(QStringLiteral("              imported: %1").arg(k.batches.join(QStringLiteral(", "))));
        if (!reportText.isEmpty())
            out(QStringLiteral("              reports: %1").arg(reportText.join(QStringLiteral(", "))));
        if (!k.retiredReason.isEmpty())
            out(QStringLiteral("              retired: %1").arg(k.retiredReason));
    }
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("kiosks"), list}});
        return Ok;
    }
    if (!spares.isEmpty())
        out(QStringLiteral("%1 spare kiosk(s) (no report, no batch): %2")
                .arg(spares.size())
                .arg(spares.join(QStringLiteral(", "))));
    if (missing)
        out(QStringLiteral("%1 kiosk(s) with a batch missing: import their USB drives, or retire a kiosk whose drive "
                           "is lost (pingyi-hq kiosk retire).")
                .arg(missing));
    return Ok;
}

int cmdKioskRetire(QCommandLineParser &p)
{
    auto kiosk = required(p, QCommandLineOption(QStringLiteral("kiosk")));
    if (!kiosk)
        return fail(kiosk.error());
    auto reason = required(p, QCommandLineOption(QStringLiteral("reason")));
    if (!reason)
        return fail(reason.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto r = hq::retireKiosk(*h, *kiosk, *reason);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("kiosk"), r->kiosk},
                   {QStringLiteral("venue"), r->venue},
                   {QStringLiteral("reason"), r->reason},
                   {QStringLiteral("retired_at"), r->retiredAt}});
        return Ok;
    }
    out(QStringLiteral("Kiosk %1 (venue %2) retired at %3: %4. It is no longer expected; a batch it reported and "
                       "never sent is taken as lost (see pingyi-hq tally --accept-incomplete).")
            .arg(r->kiosk, r->venue, r->retiredAt, r->reason));
    return Ok;
}

int cmdBulletin(QCommandLineParser &p)
{
    auto outPath = required(p, outOpt);
    if (!outPath)
        return fail(outPath.error());
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    auto b = hq::buildBulletin(*h);
    if (!b)
        return fail(b.error());
    if (auto s = hq::writeBulletin(*b, *outPath); !s)
        return fail(s.error());
    if (p.isSet(jsonOpt)) {
        printJson({{QStringLiteral("bulletin"), *outPath},
                   {QStringLiteral("ballots"), b->total},
                   {QStringLiteral("status"), b->tallied ? QStringLiteral("counted") : QStringLiteral("imported-not-tallied")},
                   {QStringLiteral("venues"), qint64(b->venues.size())},
                   {QStringLiteral("digest"), b->digest}});
        return Ok;
    }
    out(QStringLiteral("Bulletin with %1 receipt codes at %2 venue(s): %3").arg(b->total).arg(b->venues.size()).arg(*outPath));
    if (!b->tallied)
        out(QStringLiteral("! no tally has run yet: the bulletin lists ballots imported, not yet tallied"));
    qint64 rejected = 0;
    for (qint64 n : b->rejected)
        rejected += n;
    if (rejected || b->quarantined || b->notYetTallied)
        out(QStringLiteral("Left out: %1 the tally could not count, %2 quarantined at import, %3 imported after the last "
                           "tally.")
                .arg(rejected)
                .arg(b->quarantined)
                .arg(b->notYetTallied));
    out(QStringLiteral("Digest (publish it with the bulletin): %1").arg(b->digest));
    return Ok;
}

std::vector<Command> commands()
{
    auto common = [](QCommandLineParser &p) { p.addOption(jsonOpt); };
    auto withHq = [](QCommandLineParser &p) {
        p.addOption(hqOpt);
        p.addOption(jsonOpt);
        p.addOption(passOpt);
    };
    return {
        {QStringLiteral("init"), QStringLiteral("init --hq DIR"),
         QStringLiteral(
             "Create the HQ root signing key and the election sealing key, each in a passphrase-protected file."),
         withHq, cmdInit},
        {QStringLiteral("activity check"), QStringLiteral("activity check SPEC"),
         QStringLiteral("Validate an activity spec and print a summary."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption({QStringLiteral("venues"), QStringLiteral("Only list the venue codes, one per line.")});
             p.addPositionalArgument(QStringLiteral("SPEC"), QStringLiteral("Activity spec (JSON)."));
         },
         cmdActivityCheck},
        {QStringLiteral("roster synth"),
         QStringLiteral("roster synth --activity SPEC --out ROSTER.csv [--seed N] [--scale F]"),
         QStringLiteral("Write a synthetic roster following the activity's quotas (scale 1.0 = full quotas)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(activityOpt);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 2025)."), QStringLiteral("N")});
             p.addOption({QStringLiteral("scale"), QStringLiteral("Fraction of the quotas (default 1.0)."), QStringLiteral("F")});
         },
         cmdRosterSynth},
        {QStringLiteral("roster import"), QStringLiteral("roster import --hq DIR --activity SPEC ROSTER.csv"),
         QStringLiteral(
             "Validate a roster and store it (ID numbers only as keyed hashes). Replaces an earlier roster."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(activityOpt);
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
        {QStringLiteral("kiosk request"), QStringLiteral("kiosk request --out REQ --key KEYFILE [--id ID]"),
         QStringLiteral(
             "Create a kiosk key and its enrolment request (for tests and rehearsals; kiosks do this themselves)."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addOption(passOpt);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("key"), QStringLiteral("Where to write the kiosk key file."), QStringLiteral("KEYFILE")});
             p.addOption({QStringLiteral("id"), QStringLiteral("Kiosk id (default derived from the key)."), QStringLiteral("ID")});
         },
         cmdKioskRequest},
        {QStringLiteral("kiosk certify"), QStringLiteral("kiosk certify --hq DIR --request REQ --venue V --out CERT"),
         QStringLiteral("Answer a kiosk's enrolment request with a certificate bound to the activity and venue."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("request"), QStringLiteral("Enrolment request file."), QStringLiteral("REQ")});
             p.addOption(venueOpt);
             p.addOption(outOpt);
         },
         cmdKioskCertify},
        {QStringLiteral("staff"), QStringLiteral("staff --hq DIR --venue V"),
         QStringLiteral(
             "Generate staff PINs (staff, lead, technician) for a venue; prints them once, stores only hashes."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(venueOpt);
         },
         cmdStaff},
        {QStringLiteral("package"), QStringLiteral("package --hq DIR --venue V --out FILE"),
         QStringLiteral("Build the signed, encrypted venue package for the venue's enrolled kiosks."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(venueOpt);
             p.addOption(outOpt);
         },
         cmdPackage},
        {QStringLiteral("package inspect"), QStringLiteral("package inspect FILE --hq DIR [--no-decrypt]"),
         QStringLiteral("Verify a venue package and print a summary; says exactly what failed."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("no-decrypt"), QStringLiteral("Check the signature and header only (no passphrase).")});
             p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Venue package."));
         },
         cmdPackageInspect},
        {QStringLiteral("verify"), QStringLiteral("verify --hq DIR [--no-decrypt] [--closing-report P] BATCH…"),
         QStringLiteral(
             "Check session batches as import would, without importing; prints OK or every problem per file."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("no-decrypt"),
                          QStringLiteral("Check header, certificate and signature only (no passphrase).")});
             p.addOption(closingOpt);
             p.addOption(threadsOpt);
             p.addPositionalArgument(QStringLiteral("BATCH"), QStringLiteral("Batch files or directories of them."));
         },
         cmdVerify},
        {QStringLiteral("import"), QStringLiteral("import --hq DIR [--closing-report P] BATCH…"),
         QStringLiteral(
             "Verify and import session batches: one transaction per batch; refuses wrong-activity, rehearsal "
             "and replayed batches; quarantines single bad records."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(closingOpt);
             p.addOption(threadsOpt);
             p.addPositionalArgument(QStringLiteral("BATCH"), QStringLiteral("Batch files or directories of them."));
         },
         cmdImport},
        {QStringLiteral("trustees split"),
         QStringLiteral("trustees split --hq DIR --k K --n N --out DIR [--trustee NAME…]"),
         QStringLiteral("Split the election key into N passphrase-protected shares of which any K rebuild it."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption({QStringLiteral("k"), QStringLiteral("Shares needed to rebuild the key."), QStringLiteral("K")});
             p.addOption({QStringLiteral("n"), QStringLiteral("Shares to make."), QStringLiteral("N")});
             p.addOption({QStringLiteral("trustee"), QStringLiteral("Name of the trustee of the next share (repeat N times)."),
                          QStringLiteral("NAME")});
             p.addOption({QStringLiteral("retire-election-key"),
                          QStringLiteral("Remove election.key after the split (keeps election.pub).")});
             p.addOption(shareOpt);
             p.addOption(sharePassOpt);
         },
         cmdTrusteesSplit},
        {QStringLiteral("trustees show"), QStringLiteral("trustees show SHARE…"),
         QStringLiteral("Print what a share file is (index, trustee, split) without its passphrase."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addPositionalArgument(QStringLiteral("SHARE"), QStringLiteral("Share files."));
         },
         cmdTrusteesShow},
        {QStringLiteral("tally"), QStringLiteral("tally --hq DIR --out DIR [--provisional] [--share FILE…]"),
         QStringLiteral("Open every imported ballot and write results.json, CSV files, suggestions per department and "
                        "report.pdf into a fresh --out. Uses election.key, or K trustee shares. Full results only when "
                        "every batch is in; --provisional writes counts and attendance only."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption(shareOpt);
             p.addOption(sharePassOpt);
             p.addOption(threadsOpt);
             p.addOption({QStringLiteral("no-pdf"), QStringLiteral("Skip the PDF report.")});
             p.addOption({QStringLiteral("provisional"),
                          QStringLiteral("Counts and attendance only (no ratings, questionnaire, discipline survey or "
                                         "suggestions): for a tally while batches are still missing.")});
             p.addOption({QStringLiteral("accept-incomplete"),
                          QStringLiteral("Publish full results without the batches of retired (lost) kiosks; REASON "
                                         "is recorded and printed on the results."),
                          QStringLiteral("REASON")});
         },
         cmdTally},
        {QStringLiteral("report add"), QStringLiteral("report add --hq DIR FILE…"),
         QStringLiteral("Verify and store kiosks' zero and closing reports (files of PYR1:… codes, one a line): the "
                        "tally then expects each reporting kiosk's batch of that group."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files of report codes, or PYR1:… codes."));
         },
         cmdReportAdd},
        {QStringLiteral("report list"), QStringLiteral("report list --hq DIR"),
         QStringLiteral("Per enrolled kiosk: batches imported, reports stored, batches missing, retired or spare."),
         [=](QCommandLineParser &p) { withHq(p); }, cmdReportList},
        {QStringLiteral("kiosk retire"), QStringLiteral("kiosk retire --hq DIR --kiosk ID --reason TEXT"),
         QStringLiteral("Record that a kiosk is no longer expected (spare, broken, USB drive lost); printed with the "
                        "results."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption({QStringLiteral("kiosk"), QStringLiteral("Kiosk id."), QStringLiteral("ID")});
             p.addOption({QStringLiteral("reason"), QStringLiteral("Why it is retired."), QStringLiteral("TEXT")});
         },
         cmdKioskRetire},
        {QStringLiteral("bulletin"), QStringLiteral("bulletin --hq DIR --out FILE"),
         QStringLiteral("Publish every counted receipt code, sorted, per venue (text; .json or .pdf by extension)."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
         },
         cmdBulletin},
    };
}

void usage(FILE *to)
{
    std::fputs("Usage: pingyi-hq COMMAND [options]   (pingyi-hq COMMAND --help for details)\n\nCommands:\n", to);
    for (const Command &c : commands())
        std::fprintf(to, "  %-70s\n      %s\n", qPrintable(c.synopsis), qPrintable(c.description));
}

} // namespace

int main(int argc, char **argv)
{
    // cards, tally and bulletin draw PDFs with QtGui; no display is needed.
    const bool needsGui = argc > 1
                          && (qstrcmp(argv[1], "cards") == 0 || qstrcmp(argv[1], "tally") == 0
                              || qstrcmp(argv[1], "bulletin") == 0);
    if (needsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Drawing a PDF offscreen needs no runtime directory: Qt's note that there is none
    // (usual for root on an offline office machine) would only alarm the operator.
    static const QtMessageHandler standard = qInstallMessageHandler(nullptr);
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (!message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
            standard(type, context, message);
    });
    std::unique_ptr<QCoreApplication> app(needsGui ? new QGuiApplication(argc, argv) : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("pingyi-hq"));
    if (!crypto::init()) {
        err(QStringLiteral("error: libsodium cannot be initialised"));
        return Failed;
    }
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")
        || args[1] == QLatin1String("help")) {
        usage(args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? Usage : Ok;
    }
    for (const Command &c : commands()) {
        const QStringList words = c.name.split(QLatin1Char(' '));
        if (args.size() < 1 + words.size() || args.mid(1, words.size()) != words)
            continue;
        // Two-word commands ("package inspect") are tried before their one-word prefix.
        if (words.size() == 1 && args.size() > 2) {
            bool longer = false;
            for (const Command &o : commands())
                if (o.name == c.name + QLatin1Char(' ') + args[2])
                    longer = true;
            if (longer)
                continue;
        }
        QCommandLineParser p;
        p.setApplicationDescription(c.description + QStringLiteral("\n\nUsage: pingyi-hq ") + c.synopsis);
        p.addHelpOption();
        c.options(p);
        QStringList rest{QStringLiteral("pingyi-hq ") + c.name};
        rest += args.mid(1 + words.size());
        if (!p.parse(rest)) {
            // Qt quotes the unknown option: it may be anything typed, an ID number included.
            err(QStringLiteral("error: ") + safeToPrint(p.errorText(), 200)
                + QStringLiteral(" (see pingyi-hq %1 --help)").arg(c.name));
            return Usage;
        }
        if (p.isSet(QStringLiteral("help"))) {
            std::fputs(qPrintable(p.helpText()), stdout);
            return Ok;
        }
        return c.run(p);
    }
    err(QStringLiteral("error: unknown command %1").arg(quoteInput(args.mid(1).join(QLatin1Char(' ')), 60)));
    usage(stderr);
    return Usage;
}
