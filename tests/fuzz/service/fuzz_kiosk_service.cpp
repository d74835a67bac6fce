// State-machine fuzzer for the kiosk service (issue 15): every input is a fresh copy of one
// enrolled kiosk, driven through a fuzzed sequence of API calls (staff logins, session
// transitions, check-ins by every kind of evidence, casts, releases, exports, reports,
// package loads, restarts, clock jumps). A model of what the docs promise (docs/kiosk.md,
// docs/security.md) predicts each call's outcome, and after EVERY step the kiosk's state is
// compared with the model and its invariants are checked. A violation aborts with the step,
// the call and the error codes, never a ballot, an ID number, a card or a PIN.
//
// PINGYI_FUZZ_STATS=1 prints, at exit, how often each call kind ran and ended in each code;
// PINGYI_FUZZ_TRACE=1 prints every input's calls and outcomes.

#include "venueworld.h"

#include "audit.h"
#include "batch.h"
#include "fileio.h"
#include "report.h"
#include "roster.h"
#include "signeddoc.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QSet>

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::fuzz::Rep;
using pingyi::fuzz::VenueWorld;

namespace {

// ---- the calls --------------------------------------------------------------------------

enum class Op {
    Login,
    Logout,
    Touch,
    AdvanceClock,
    Open,
    Pause,
    Resume,
    Close,
    Export,
    Report,
    CheckInCredential,
    CheckInIdNumber,
    CheckInFace,
    Override,
    Cast,
    Release,
    Restart,
    CrashRestart,
    LoadPackage,
    Enrolment,
    VerifyAudit,
    Count
};

const char *opName(Op op)
{
    static const char *names[]
        = {"login", "logout",  "touch",   "advance-clock", "open",         "pause",         "resume",
           "close", "export",  "report",  "check-in-card", "check-in-id",  "check-in-face", "override",
           "cast",  "release", "restart", "crash-restart", "load-package", "enrolment",     "verify-audit"};
    static_assert(sizeof(names) / sizeof(names[0]) == int(Op::Count));
    return names[int(op)];
}

/// How often each call ran and how it ended ("ok" or the error code), for the stats.
std::map<std::string, std::map<std::string, long>> g_outcomes;
long g_inputs = 0;
long g_steps = 0;
bool g_printTrace = false; ///< PINGYI_FUZZ_TRACE=1: each input's calls and outcomes

void printStats()
{
    std::fprintf(stderr, "kiosk service fuzzer: %ld inputs, %ld steps, %zu call kinds reached\n", g_inputs, g_steps,
                 g_outcomes.size());
    for (const auto &[op, codes] : g_outcomes) {
        std::string line;
        for (const auto &[code, n] : codes)
            line += " " + code + "=" + std::to_string(n);
        std::fprintf(stderr, "  %-14s%s\n", op.c_str(), line.c_str());
    }
}

// ---- expected outcomes --------------------------------------------------------------------

/// What the model allows a call to do: succeed, and/or fail with one of `codes` (any code
/// when `anyCode`).
struct Expect {
    bool mayOk = false;
    QStringList codes;
    bool anyCode = false;

    static Expect success() { return {true, {}, false}; }
    static Expect fail(QStringList codes) { return {false, std::move(codes), false}; }
    static Expect failAny() { return {false, {}, true}; }
    bool mustSucceed() const { return mayOk && codes.isEmpty() && !anyCode; }
    QString describe() const
    {
        QStringList parts;
        if (mayOk)
            parts << QStringLiteral("ok");
        parts << codes;
        if (anyCode)
            parts << QStringLiteral("any refusal");
        return parts.join(QLatin1Char('|'));
    }
};

enum class Ci { None, Active, Voted, Released };

QString ciName(Ci c)
{
    switch (c) {
    case Ci::Active:
        return QStringLiteral("active");
    case Ci::Voted:
        return QStringLiteral("voted");
    case Ci::Released:
        return QStringLiteral("released");
    case Ci::None:
        break;
    }
    return QStringLiteral("none");
}

struct SessionModel {
    SessionState state = SessionState::Ready;
    BatchCounts counts;
    QHash<QString, Ci> checkins; ///< rep id -> status
    QList<QByteArray> ballots; ///< encodings of the ballots cast
    QList<QByteArray> suggestions; ///< encodings of the suggestions left
    std::optional<BatchCounts> closedCounts;
    QString closingDigest; ///< ballot digest of the closing report (hex)
    BatchCounts lastSeen; ///< counts the kiosk showed after the previous step
};

struct Voter {
    int rep;
    int session;
};

struct Model {
    QList<SessionModel> sessions;
    std::optional<Voter> voter;
    Role role = Role::None;
    QDateTime lastActivity;
    qint64 pinFailures = 0;
    QDateTime lastPinFailure;
    QDateTime lockedUntil;
    qint64 packageVersion = 0;

    Role effectiveRole(const QDateTime &now, int lockSeconds) const
    {
        if (role == Role::None || lastActivity.secsTo(now) > lockSeconds)
            return Role::None;
        return role;
    }
    /// Wrong PINs still counted: a correct PIN keeps them, only time forgets them.
    qint64 recentPinFailures(const QDateTime &now, int memorySeconds) const
    {
        if (pinFailures == 0 || !lastPinFailure.isValid())
            return pinFailures;
        return lastPinFailure.secsTo(now) >= memorySeconds ? 0 : pinFailures;
    }
    qint64 lockRemaining(const QDateTime &now) const
    {
        return lockedUntil.isValid() ? std::max<qint64>(0, now.secsTo(lockedUntil)) : 0;
    }
    std::optional<int> current() const
    {
        for (int i = 0; i < sessions.size(); ++i)
            if (sessions[i].state == SessionState::Open || sessions[i].state == SessionState::Paused)
                return i;
        return std::nullopt;
    }
};

// ---- the process-wide venue ----------------------------------------------------------------

VenueWorld *g_world = nullptr;
fuzz::FuzzClock *g_clock = nullptr;
QList<SessionKey> g_keys; ///< the venue's sessions (real and rehearsal), then two that are not
int g_venueKeys = 0;
QHash<QString, int> g_repIndex; ///< rep id -> index in reps
QHash<QString, int> g_repByIdNumber; ///< ID number -> index in reps
QSet<QString> g_otherIdNumbers; ///< valid numbers of other venues and of nobody
qsizetype g_ballotSize = 0;

void copyState(const QString &from, const QString &to)
{
    QDir target(to);
    target.removeRecursively();
    QDir().mkpath(to);
    QFile::setPermissions(to, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    for (const QString &name : QDir(from).entryList(QDir::Files | QDir::Hidden)) {
        if (name == QLatin1String("kiosk.lock"))
            continue;
        if (!QFile::copy(QDir(from).filePath(name), target.filePath(name))) {
            std::fprintf(stderr, "kiosk service fuzzer: cannot copy the kiosk state (%s)\n", qPrintable(name));
            std::abort();
        }
    }
}

// ---- one input ---------------------------------------------------------------------------------

class Run {
public:
    Run(const uint8_t *data, size_t size) : m_fdp(data, size), m_w(*g_world), m_clock(*g_clock)
    {
        m_dirA = m_w.root.filePath(QStringLiteral("run-a"));
        m_dirB = m_w.root.filePath(QStringLiteral("run-b"));
        m_usb = m_w.root.filePath(QStringLiteral("usb"));
        QDir(m_dirB).removeRecursively();
        QDir(m_usb).removeRecursively();
        QDir().mkpath(m_usb);
        QFile notADir(QDir(m_usb).filePath(QStringLiteral("a-file")));
        if (notADir.open(QIODevice::WriteOnly))
            notADir.write("not a directory");
        copyState(m_w.pristineDir, m_dirA);
        m_stateDir = m_dirA;
        m_clock.set(m_w.start);
        m_model.sessions.resize(g_venueKeys);
        m_model.packageVersion = m_w.packageVersion;
        reopen();
    }

    ~Run()
    {
        // Only the kiosk's files are left behind for the next input to wipe.
        m_kiosk.reset();
    }

    void go()
    {
        constexpr int maxSteps = 40;
        checkAll();
        while (m_fdp.remaining_bytes() > 0 && m_step < maxSteps) {
            ++m_step;
            ++g_steps;
            const auto op = Op(m_fdp.ConsumeIntegralInRange<int>(0, int(Op::Count) - 1));
            m_op = op;
            doStep(op);
            checkAll();
        }
        finalChecks();
        if (g_printTrace)
            std::fprintf(stderr, "calls: %s\n", qPrintable(m_trace.join(QLatin1Char(' '))));
    }

private:
    FuzzedDataProvider m_fdp;
    VenueWorld &m_w;
    fuzz::FuzzClock &m_clock;
    std::unique_ptr<KioskService> m_kiosk;
    Model m_model;
    QString m_dirA, m_dirB, m_stateDir, m_usb;
    int m_step = 0;
    Op m_op = Op::Count;
    QStringList m_trace; ///< call:outcome per step, codes only
    QSet<QString> m_usedIdNumbers; ///< for the secrecy scan of the audit log
    QSet<QString> m_usedCards;

    KioskService &k() { return *m_kiosk; }
    QDateTime now() const { return m_clock.now(); }
    Role role() const { return m_model.effectiveRole(now(), m_w.options.staffLockSeconds); }
    qint64 recentPinFailures() const { return m_model.recentPinFailures(now(), m_w.options.pinFailureMemorySeconds); }

    [[noreturn]] void violation(const QString &what)
    {
        std::fprintf(stderr, "\nkiosk service fuzzer: INVARIANT VIOLATED at step %d (%s): %s\n", m_step,
                     m_op == Op::Count ? "start" : opName(m_op), qPrintable(what));
        std::fprintf(stderr, "calls so far: %s\n", qPrintable(m_trace.join(QLatin1Char(' '))));
        std::abort();
    }

    void record(Op op, const QString &outcome)
    {
        m_trace << QStringLiteral("%1:%2").arg(QLatin1String(opName(op)), outcome);
        ++g_outcomes[opName(op)][outcome.toStdString()];
    }

    /// Compares a call's outcome with the model's expectation; returns whether it succeeded.
    bool judge(const Expect &e, bool ok, const QString &code)
    {
        record(m_op, ok ? QStringLiteral("ok") : code);
        if (ok && !e.mayOk)
            violation(QStringLiteral("succeeded; the model expected %1").arg(e.describe()));
        if (!ok && !e.anyCode && !e.codes.contains(code))
            violation(QStringLiteral("refused with %1; the model expected %2").arg(code, e.describe()));
        return ok;
    }
    template<typename T> bool judge(const Expect &e, const Result<T> &r)
    {
        return judge(e, r.ok(), r.ok() ? QString() : r.error().code);
    }
    bool judge(const Expect &e, const Status &s) { return judge(e, s.ok(), s.ok() ? QString() : s.error().code); }

    void reopen()
    {
        auto opened = KioskService::open(m_stateDir, m_clock, m_w.options);
        if (!opened)
            violation(QStringLiteral("the kiosk does not open: %1").arg(opened.error().code));
        m_kiosk = std::move(opened).value();
    }

    int pickKey() { return m_fdp.ConsumeIntegralInRange<int>(0, g_keys.size() - 1); }
    int pickRep() { return m_fdp.ConsumeIntegralInRange<int>(0, m_w.reps.size() - 1); }
    QString fuzzText(size_t max) { return QString::fromUtf8(m_fdp.ConsumeRandomLengthString(max)); }
    template<typename T> const T &pickFrom(const QList<T> &list)
    {
        return list[m_fdp.ConsumeIntegralInRange<int>(0, list.size() - 1)];
    }

    Expect needStaff() const
    {
        return role() == Role::None ? Expect::fail({QStringLiteral("login-required")}) : Expect::success();
    }

    SessionState stateOf(int key) const
    {
        return key < g_venueKeys ? m_model.sessions[key].state : SessionState::Ready;
    }

    // ---- the steps ---------------------------------------------------------------------

    void doStep(Op op)
    {
        switch (op) {
        case Op::Login:
            return login();
        case Op::Logout:
            k().logout();
            m_model.role = Role::None;
            return record(op, QStringLiteral("ok"));
        case Op::Touch:
            k().touch();
            if (role() != Role::None)
                m_model.lastActivity = now();
            return record(op, QStringLiteral("ok"));
        case Op::AdvanceClock: {
            const int scale = m_fdp.ConsumeIntegralInRange<int>(0, 3);
            const qint64 seconds = scale == 0 ? m_fdp.ConsumeIntegralInRange<qint64>(0, 10)
                : scale == 1                  ? m_fdp.ConsumeIntegralInRange<qint64>(0, 200)
                : scale == 2                  ? m_fdp.ConsumeIntegralInRange<qint64>(0, 2000)
                                              : m_fdp.ConsumeIntegralInRange<qint64>(0, 3 * 86400);
            m_clock.advance(seconds);
            return record(op, QStringLiteral("ok"));
        }
        case Op::Open:
            return openSession();
        case Op::Pause:
            return pauseOrResume(true);
        case Op::Resume:
            return pauseOrResume(false);
        case Op::Close:
            return closeSession();
        case Op::Export:
            return exportSession();
        case Op::Report:
            return report();
        case Op::CheckInCredential:
            return checkInCredential();
        case Op::CheckInIdNumber:
            return checkInIdNumber();
        case Op::CheckInFace:
            return checkInFace();
        case Op::Override:
            return checkInOverride();
        case Op::Cast:
            return cast();
        case Op::Release:
            return release();
        case Op::Restart:
        case Op::CrashRestart:
            return restart(op == Op::CrashRestart);
        case Op::LoadPackage:
            return loadPackage();
        case Op::Enrolment:
            return enrolment();
        case Op::VerifyAudit:
            if (auto s = k().verifyAuditLog(); !s)
                violation(QStringLiteral("the audit log does not verify: %1").arg(s.error().code));
            return record(op, QStringLiteral("ok"));
        case Op::Count:
            break;
        }
    }

    void login()
    {
        const int which = m_fdp.ConsumeIntegralInRange<int>(0, 5);
        QString pin;
        switch (which) {
        case 0:
            pin = m_w.pins.value(QStringLiteral("staff"));
            break;
        case 1:
            pin = m_w.pins.value(QStringLiteral("lead"));
            break;
        case 2:
            pin = m_w.pins.value(QStringLiteral("technician"));
            break;
        case 3: // one digit off
            pin = m_w.pins.value(QStringLiteral("lead"));
            pin[2] = pin[2] == QLatin1Char('9') ? QLatin1Char('0') : QChar(pin[2].unicode() + 1);
            break;
        default:
            pin = fuzzText(12);
            break;
        }
        Role matched = Role::None;
        if (pin == m_w.pins.value(QStringLiteral("technician")))
            matched = Role::Technician;
        else if (pin == m_w.pins.value(QStringLiteral("lead")))
            matched = Role::Lead;
        else if (pin == m_w.pins.value(QStringLiteral("staff")))
            matched = Role::Staff;

        Expect e;
        if (m_model.lockRemaining(now()) > 0)
            e = Expect::fail({QStringLiteral("pin-locked")});
        else if (matched != Role::None)
            e = Expect::success();
        else
            e = Expect::fail({recentPinFailures() + 1 >= m_w.options.pinAttemptsBeforeLock
                                  ? QStringLiteral("pin-locked")
                                  : QStringLiteral("pin-wrong")});
        auto r = k().login(pin);
        if (judge(e, r)) {
            if (*r != matched)
                violation(QStringLiteral("a PIN logged in as %1, not %2").arg(roleName(*r), roleName(matched)));
            m_model.role = matched;
            m_model.lastActivity = now();
        } else if (m_model.lockRemaining(now()) == 0) {
            const qint64 n = recentPinFailures() + 1;
            m_model.pinFailures = n;
            m_model.lastPinFailure = now();
            const Options &o = m_w.options;
            if (n >= o.pinAttemptsBeforeLock) {
                const double factor = std::pow(2.0, double(n - o.pinAttemptsBeforeLock));
                const qint64 wait = qint64(std::min<double>(o.pinMaxLockSeconds, o.pinFirstLockSeconds * factor));
                m_model.lockedUntil = now().addSecs(wait);
            }
        }
    }

    void openSession()
    {
        const int key = pickKey();
        Expect e = needStaff();
        if (e.mustSucceed()) {
            if (key >= g_venueKeys)
                e = Expect::fail({QStringLiteral("session-unknown")});
            else if (stateOf(key) != SessionState::Ready)
                e = Expect::fail({QStringLiteral("session-state")});
            else if (m_model.current())
                e = Expect::fail({QStringLiteral("session-other-open")});
        }
        auto r = k().openSession(g_keys[key]);
        if (!judge(e, r))
            return;
        m_model.sessions[key].state = SessionState::Open;
        checkReport(key, *r, QStringLiteral("zero"), BatchCounts {});
    }

    void pauseOrResume(bool pause)
    {
        const int key = pickKey();
        Expect e = needStaff();
        if (e.mustSucceed()) {
            if (stateOf(key) != (pause ? SessionState::Open : SessionState::Paused))
                e = Expect::fail({QStringLiteral("session-state")});
            else if (pause && m_model.voter)
                e = Expect::fail({QStringLiteral("voter-active")});
        }
        const Status s = pause ? k().pauseSession(g_keys[key]) : k().resumeSession(g_keys[key]);
        if (judge(e, s))
            m_model.sessions[key].state = pause ? SessionState::Paused : SessionState::Open;
    }

    void closeSession()
    {
        const int key = pickKey();
        Expect e = needStaff();
        if (e.mustSucceed()) {
            if (stateOf(key) != SessionState::Open && stateOf(key) != SessionState::Paused)
                e = Expect::fail({QStringLiteral("session-state")});
            else if (m_model.voter)
                e = Expect::fail({QStringLiteral("voter-active")});
        }
        auto r = k().closeSession(g_keys[key]);
        if (!judge(e, r))
            return;
        SessionModel &sm = m_model.sessions[key];
        sm.state = SessionState::Closed;
        sm.closedCounts = sm.counts;
        checkReport(key, *r, QStringLiteral("closing"), sm.counts);
        sm.closingDigest = r->body.value(QLatin1String("ballot_digest")).toString();
    }

    /// A zero or closing report: signed by this kiosk, for this session, with these counts,
    /// and its QR payload says the same.
    void checkReport(int key, const Report &r, const QString &kind, const BatchCounts &counts)
    {
        const SessionKey &sk = g_keys[key];
        if (r.kind != kind)
            violation(QStringLiteral("a %1 report came back as %2").arg(kind, r.kind));
        auto doc
            = SignedDocument::open(r.document, crypto::domain::report, m_w.kioskPublicKey, QStringLiteral("report"));
        if (!doc)
            violation(QStringLiteral("the %1 report does not verify: %2").arg(kind, doc.error().code));
        const QJsonObject &b = doc->bodyObject;
        const BatchCounts inReport {
            b.value(QLatin1String("checkins")).toInteger(), b.value(QLatin1String("ballots")).toInteger(),
            b.value(QLatin1String("released")).toInteger(), b.value(QLatin1String("suggestions")).toInteger()};
        if (inReport != counts)
            violation(QStringLiteral("the %1 report says %2 check-ins, %3 ballots, %4 released, %5 suggestions; "
                                     "the model %6, %7, %8, %9")
                          .arg(kind)
                          .arg(inReport.checkins)
                          .arg(inReport.ballots)
                          .arg(inReport.released)
                          .arg(inReport.suggestions)
                          .arg(counts.checkins)
                          .arg(counts.ballots)
                          .arg(counts.released)
                          .arg(counts.suggestions));
        if (inReport.checkins != inReport.ballots + inReport.released)
            violation(QStringLiteral("the %1 report's check-ins are not ballots + released").arg(kind));
        if (b.value(QLatin1String("session")).toString() != sk.code
            || b.value(QLatin1String("rehearsal")).toBool() != sk.rehearsal
            || b.value(QLatin1String("kiosk")).toString() != m_w.kioskId
            || b.value(QLatin1String("venue")).toString() != m_w.venue)
            violation(QStringLiteral("the %1 report names another session, kiosk or venue").arg(kind));
        auto qr = decodeReportQr(r.qrPayload, m_w.kioskPublicKey);
        if (!qr)
            violation(QStringLiteral("the %1 report's QR payload does not verify: %2").arg(kind, qr.error().code));
        if (qr->closing != (kind == QLatin1String("closing")) || qr->counts != counts || qr->context.session != sk.code
            || qr->context.rehearsal != sk.rehearsal
            || QString::fromLatin1(qr->ballotDigest.toHex()) != b.value(QLatin1String("ballot_digest")).toString())
            violation(QStringLiteral("the %1 report's QR payload disagrees with its document").arg(kind));
    }

    void report()
    {
        const int key = pickKey();
        const int which = m_fdp.ConsumeIntegralInRange<int>(0, 4);
        const QString kind = which < 2 ? QStringLiteral("zero") : which < 4 ? QStringLiteral("closing") : fuzzText(10);
        const SessionState st = stateOf(key);
        bool exists = false;
        if (kind == QLatin1String("zero"))
            exists = st != SessionState::Ready;
        else if (kind == QLatin1String("closing"))
            exists = st == SessionState::Closed || st == SessionState::Exported;
        auto r = k().report(g_keys[key], kind);
        if (!judge(exists ? Expect::success() : Expect::fail({QStringLiteral("no-report")}), r))
            return;
        const SessionModel &sm = m_model.sessions[key];
        checkReport(key, *r, kind, kind == QLatin1String("zero") ? BatchCounts {} : *sm.closedCounts);
        if (kind == QLatin1String("closing")
            && r->body.value(QLatin1String("ballot_digest")).toString() != sm.closingDigest)
            violation(QStringLiteral("the stored closing report's ballot digest changed"));
    }

    void exportSession()
    {
        const int key = pickKey();
        const int where = m_fdp.ConsumeIntegralInRange<int>(0, 5);
        const QString dir = where == 0 ? QDir(m_usb).filePath(QStringLiteral("pulled-out"))
            : where == 1               ? QDir(m_usb).filePath(QStringLiteral("a-file"))
                                       : m_usb;
        Expect e = needStaff();
        if (e.mustSucceed()) {
            if (stateOf(key) != SessionState::Closed && stateOf(key) != SessionState::Exported)
                e = Expect::fail({QStringLiteral("session-state")});
            else if (where <= 1)
                e = Expect::fail({QStringLiteral("export-missing")});
        }
        auto r = k().exportSession(g_keys[key], dir);
        if (!judge(e, r))
            return;
        m_model.sessions[key].state = SessionState::Exported;
        verifyExport(key, *r);
    }

    /// Reads the batch back as the office would and holds it against the model: signature,
    /// both sealed file keys, every record, the batch invariants, the counts, the very
    /// ballots and suggestions that were cast, who voted and who was released, and the
    /// audit log.
    void verifyExport(int key, const ExportResult &r)
    {
        const SessionKey &sk = g_keys[key];
        const SessionModel &sm = m_model.sessions[key];
        if (r.counts != sm.counts)
            violation(QStringLiteral("the export reports other counts than the model's"));
        if (r.ballotDigest != sm.closingDigest)
            violation(QStringLiteral("the export's ballot digest differs from the closing report's"));
        auto bytes = readFile(r.path);
        if (!bytes || bytes->size() != r.bytes)
            violation(QStringLiteral("the exported file cannot be read back whole"));
        auto file = readBatch(*bytes);
        if (!file)
            violation(QStringLiteral("the exported batch does not parse: %1").arg(file.error().code));
        if (auto s = verifyBatchSignature(*file, m_w.kioskPublicKey); !s)
            violation(QStringLiteral("the exported batch's signature does not verify"));
        const SessionContext &ctx = file->header.context;
        if (ctx.activityId != m_w.activity.id || ctx.venue != m_w.venue || ctx.kioskId != m_w.kioskId
            || ctx.session != sk.code || ctx.rehearsal != sk.rehearsal)
            violation(QStringLiteral("the exported batch names another session, kiosk, venue or activity"));
        if (file->header.counts != sm.counts)
            violation(QStringLiteral("the exported batch's header counts differ from the model's"));
        auto electionKey = openBatchKey(*file, *m_w.electionKeys, true);
        auto archiveKey = openBatchKey(*file, *m_w.archiveKeys, false);
        if (!electionKey || !archiveKey || !electionKey->equals(*archiveKey))
            violation(QStringLiteral("the batch's file key does not open with the election and archive keys"));
        auto content = decryptBatch(*file, *archiveKey);
        if (!content)
            violation(QStringLiteral("the exported batch does not decrypt: %1").arg(content.error().code));
        if (!verifyRecords(*content, m_w.kioskPublicKey).isEmpty())
            violation(QStringLiteral("a record in the exported batch does not verify"));
        if (auto s = checkBatchInvariants(*content); !s)
            violation(QStringLiteral("the exported batch breaks its invariants: %1").arg(s.error().code));

        QList<QByteArray> ballots, suggestions;
        for (const SealedRecord &rec : content->records) {
            auto plain = crypto::openSealed(*m_w.electionKeys, rec.sealed);
            if (!plain)
                violation(QStringLiteral("a sealed record does not open with the election key"));
            if (rec.kind == RecordKind::Ballot) {
                auto b = decodeBallot(plain->view());
                if (!b)
                    violation(QStringLiteral("an exported ballot does not decode"));
                ballots << encodeBallot(m_w.activity.id, *b, g_ballotSize);
            } else {
                auto sg = decodeSuggestion(plain->view());
                if (!sg)
                    violation(QStringLiteral("an exported suggestion does not decode"));
                suggestions << encodeSuggestion(m_w.activity.id, *sg);
            }
        }
        QList<QByteArray> cast = sm.ballots, left = sm.suggestions;
        std::sort(ballots.begin(), ballots.end());
        std::sort(cast.begin(), cast.end());
        std::sort(suggestions.begin(), suggestions.end());
        std::sort(left.begin(), left.end());
        if (ballots != cast)
            violation(QStringLiteral("the exported ballots are not the %1 ballots cast (%2 exported)")
                          .arg(cast.size())
                          .arg(ballots.size()));
        if (suggestions != left)
            violation(QStringLiteral("the exported suggestions are not the %1 left (%2 exported)")
                          .arg(left.size())
                          .arg(suggestions.size()));

        QSet<QString> seen;
        for (const CheckInEntry &c : content->checkins) {
            if (seen.contains(c.repId))
                violation(QStringLiteral("the batch's check-in list names a representative twice"));
            seen.insert(c.repId);
            const Ci expected = sm.checkins.value(c.repId, Ci::None);
            if (expected != (c.voted ? Ci::Voted : Ci::Released))
                violation(QStringLiteral("the batch's check-in list says %1 where the model says %2")
                              .arg(c.voted ? QStringLiteral("voted") : QStringLiteral("released"), ciName(expected)));
        }
        for (auto it = sm.checkins.cbegin(); it != sm.checkins.cend(); ++it)
            if (!seen.contains(it.key()))
                violation(QStringLiteral("the batch's check-in list misses a %1 check-in").arg(ciName(it.value())));

        auto events = AuditLog::fromJsonLines(content->auditLog);
        if (!events)
            violation(QStringLiteral("the batch's audit log does not parse"));
        if (auto s = AuditLog::verify(*events, m_w.kioskPublicKey); !s)
            violation(QStringLiteral("the batch's audit log does not verify"));
    }

    // ---- check-in ----------------------------------------------------------------------

    /// What admission must answer for a representative (index into reps, -1: not on the
    /// venue's roster) once the evidence itself was accepted.
    Expect admission(int rep) const
    {
        const auto cur = m_model.current();
        if (!cur || m_model.sessions[*cur].state != SessionState::Open)
            return Expect::fail({QStringLiteral("session-not-open")});
        if (m_model.voter)
            return Expect::fail({QStringLiteral("busy")});
        if (rep < 0)
            return Expect::fail({QStringLiteral("credential-unknown")});
        const Rep &r = m_w.reps[rep];
        if (r.session != g_keys[*cur].code)
            return Expect::fail({QStringLiteral("not-in-session")});
        switch (m_model.sessions[*cur].checkins.value(r.repId, Ci::None)) {
        case Ci::Voted:
            return Expect::fail({QStringLiteral("already-voted")});
        case Ci::Active:
            return Expect::fail({QStringLiteral("checked-in-elsewhere")});
        case Ci::None:
        case Ci::Released:
            break;
        }
        return Expect::success();
    }

    void admitted(int rep, const Result<CheckIn> &c, IdentityMethod method)
    {
        const int cur = *m_model.current();
        if (!(c->session == g_keys[cur]) || c->method != method || c->maskedName.isEmpty())
            violation(QStringLiteral("a check-in names another session or method, or no one"));
        SessionModel &sm = m_model.sessions[cur];
        sm.counts.checkins += 1;
        sm.checkins[m_w.reps[rep].repId] = Ci::Active;
        m_model.voter = Voter {rep, cur};
    }

    void checkInCredential()
    {
        const int variant = m_fdp.ConsumeIntegralInRange<int>(0, 9);
        const int rep = pickRep();
        const QString card = m_w.reps[rep].credential;
        QString text;
        Expect e;
        int who = -1;
        switch (variant) {
        case 0:
        case 1:
        case 2:
            text = card;
            break;
        case 3: // the scanner's line end
            text = card + QStringLiteral("\r\n");
            break;
        case 4: // Caps Lock: base32 is read without regard to case
            text = card.left(4) + card.mid(4).toLower();
            break;
        case 5: // one character changed
            text = card;
            text[m_fdp.ConsumeIntegralInRange<int>(0, text.size() - 1)]
                = QChar(m_fdp.ConsumeIntegralInRange<char16_t>(0x20, 0x7e));
            break;
        case 6:
            text = pickFrom(m_w.forgedCards);
            e = Expect::fail({QStringLiteral("credential-signature")});
            break;
        case 7:
            text = pickFrom(m_w.otherActivityCards);
            e = Expect::fail({QStringLiteral("credential-activity")});
            break;
        case 8:
            text = pickFrom(m_w.otherVenueCards);
            e = Expect::fail({QStringLiteral("credential-venue")});
            break;
        default:
            text = fuzzText(200);
            e = Expect::failAny();
            break;
        }
        if (variant <= 4 || (variant == 5 && text == card)) {
            who = rep;
            e = admission(rep);
        } else if (variant == 5) {
            // A damaged card may be refused for any reason, but it never admits someone
            // admission would refuse: the signature covers the rep id.
            const Expect a = admission(rep);
            e = a.mustSucceed() ? Expect {true, {}, true} : Expect::failAny();
            who = rep;
        }
        if (variant <= 8)
            m_usedCards.insert(text.trimmed());
        const EvidenceSource source = m_fdp.ConsumeBool() ? EvidenceSource::Scanner : EvidenceSource::Camera;
        auto c = k().checkIn(CredentialEvidence {text, source});
        if (judge(e, c))
            admitted(who, c, IdentityMethod::Credential);
    }

    /// The representative an ID number belongs to (index), -1 for a valid number on no
    /// roster of this venue, -2 for an invalid one.
    int ownerOfIdNumber(const QString &typed) const
    {
        const QString id = idnumber::normalized(typed);
        if (!idnumber::isValid(id))
            return -2;
        return g_repByIdNumber.value(id, -1);
    }

    void checkInIdNumber()
    {
        const int variant = m_fdp.ConsumeIntegralInRange<int>(0, 7);
        const int rep = pickRep();
        QString id;
        switch (variant) {
        case 0:
        case 1:
            id = m_w.reps[rep].idNumber;
            break;
        case 2: // as typed: spaces around, a lower-case x
            id = QStringLiteral(" %1 ").arg(m_w.reps[rep].idNumber.toLower());
            break;
        case 3:
            id = pickFrom(m_w.badCheckIdNumbers);
            break;
        case 4:
            id = pickFrom(m_w.unknownIdNumbers);
            break;
        case 5:
            id = pickFrom(m_w.otherVenueIdNumbers);
            break;
        default:
            id = fuzzText(24);
            break;
        }
        const int owner = ownerOfIdNumber(id);
        const Expect e = owner == -2 ? Expect::fail({QStringLiteral("id-invalid")})
            : owner == -1            ? Expect::fail({QStringLiteral("id-unknown")})
                                     : admission(owner);
        if (owner != -2)
            m_usedIdNumbers.insert(idnumber::normalized(id));
        const int src = m_fdp.ConsumeIntegralInRange<int>(0, 2);
        const EvidenceSource source = src == 0 ? EvidenceSource::Keypad
            : src == 1                         ? EvidenceSource::Scanner
                                               : EvidenceSource::Camera;
        auto c = k().checkIn(IdNumberEvidence {id, source});
        if (judge(e, c))
            admitted(owner, c, IdentityMethod::IdNumber);
    }

    void checkInFace()
    {
        // The fuzzed venue enrols no face: a challenge is refused (no template, or why nobody
        // can check in now), so whatever track and probe follow, a face admits nobody.
        const QStringList notNow {QStringLiteral("face-no-template"), QStringLiteral("session-not-open"),
                                  QStringLiteral("busy"), QStringLiteral("method-not-allowed"),
                                  QStringLiteral("no-package")};
        if (m_fdp.ConsumeBool())
            judge(Expect::fail(notNow), k().beginFaceCheck());
        const auto embedding = [this] {
            face::Embedding e;
            for (float &v : e.values)
                v = m_fdp.ConsumeFloatingPoint<float>();
            return e;
        };
        FaceProbe p;
        p.track.resize(size_t(m_fdp.ConsumeIntegralInRange<int>(0, 40)));
        for (face::TrackFrame &f : p.track) {
            f.msec = m_fdp.ConsumeIntegral<qint64>();
            f.faces = m_fdp.ConsumeIntegralInRange<int>(-1, 3);
            f.box = QRectF(m_fdp.ConsumeFloatingPoint<double>(), m_fdp.ConsumeFloatingPoint<double>(),
                           m_fdp.ConsumeFloatingPoint<double>(), m_fdp.ConsumeFloatingPoint<double>());
            f.yaw = m_fdp.ConsumeFloatingPoint<double>();
            if (m_fdp.ConsumeBool())
                f.embedding = embedding();
        }
        p.probe.embedding = embedding();
        p.probe.quality.brightness = m_fdp.ConsumeFloatingPoint<double>();
        p.probe.facesInFrame = m_fdp.ConsumeIntegralInRange<int>(0, 3);
        judge(Expect::fail({QStringLiteral("face-no-challenge"), QStringLiteral("method-not-allowed"),
                            QStringLiteral("no-package")}),
              k().checkIn(p));
    }

    void checkInOverride()
    {
        const int whoVariant = m_fdp.ConsumeIntegralInRange<int>(0, 6);
        const int rep = pickRep();
        QString who;
        switch (whoVariant) {
        case 0:
            who = m_w.reps[rep].repId;
            break;
        case 1:
            who = QStringLiteral("  %1 ").arg(m_w.reps[rep].repId);
            break;
        case 2:
            who = m_w.reps[rep].idNumber;
            break;
        case 3:
            who = pickFrom(m_w.otherVenueRepIds);
            break;
        case 4:
            who = pickFrom(m_w.unknownIdNumbers);
            break;
        case 5:
            who = pickFrom(m_w.otherVenueIdNumbers);
            break;
        default:
            who = fuzzText(24);
            break;
        }
        const int reasonVariant = m_fdp.ConsumeIntegralInRange<int>(0, 3);
        const QString reason = reasonVariant == 0 ? QStringLiteral("二维码损坏 card damaged")
            : reasonVariant == 1                  ? QStringLiteral("  ab ")
                                                  : fuzzText(40);

        Expect e;
        int owner = -1;
        bool touches = false;
        const Role r = role();
        if (r == Role::None)
            e = Expect::fail({QStringLiteral("login-required")});
        else if (r != Role::Lead)
            e = Expect::fail({QStringLiteral("role")});
        else if (reason.trimmed().size() < 4)
            e = Expect::fail({QStringLiteral("override-reason")});
        else {
            const QString trimmed = who.trimmed();
            const QString id = idnumber::normalized(trimmed);
            if (idnumber::isValid(id)) {
                owner = g_repByIdNumber.value(id, -1);
                m_usedIdNumbers.insert(id);
                if (owner < 0)
                    e = Expect::fail({QStringLiteral("id-unknown")});
            } else {
                owner = g_repIndex.value(trimmed, -1);
            }
            if (owner >= 0 || !idnumber::isValid(id)) {
                touches = true;
                e = admission(owner);
            }
        }
        auto c = k().checkIn(OverrideEvidence {who, reason});
        if (touches)
            m_model.lastActivity = now();
        if (judge(e, c))
            admitted(owner, c, IdentityMethod::Override);
    }

    // ---- casting -------------------------------------------------------------------------

    void cast()
    {
        const Activity &a = m_w.activity;
        // The session on the ballot: the voter's, mostly.
        QString session = m_model.voter ? g_keys[m_model.voter->session].code : m_w.sessionCodes.first();
        if (m_fdp.ConsumeIntegralInRange<int>(0, 15) == 0)
            session = pickFrom(m_w.sessionCodes);
        BallotAnswers b;
        b.session = session;
        bool broken = false; // incomplete or invalid
        for (const Department &d : a.session(session)->departments) {
            const int pick = m_fdp.ConsumeIntegralInRange<int>(0, 31);
            if (pick == 0) {
                broken = true; // not rated
            } else if (pick == 1) {
                const QString bogus = fuzzText(16);
                b.ratings.insert(d.code, bogus);
                broken = broken || std::none_of(a.scale.cbegin(), a.scale.cend(), [&](const RatingOption &o) {
                             return o.code == bogus;
                         });
            } else {
                b.ratings.insert(d.code, a.scale[pick % a.scale.size()].code);
            }
        }
        if (m_fdp.ConsumeIntegralInRange<int>(0, 31) == 0) {
            b.ratings.insert(QStringLiteral("no-such-department"), a.scale.first().code);
            broken = true;
        }
        auto answer = [&](const QList<Question> &questions, QMap<QString, QStringList> &out) {
            for (const Question &q : questions) {
                const int pick = m_fdp.ConsumeIntegralInRange<int>(0, 31);
                const int max = q.kind == Question::Kind::Single ? 1 : std::max(1, q.maxChoices);
                if (pick == 0) { // unanswered
                    broken = broken || q.required;
                } else if (pick == 1) { // a choice that does not exist
                    out.insert(q.code, {QStringLiteral("no-such-choice")});
                    broken = true;
                } else if (pick == 2) { // one choice too many, or repeated
                    QStringList chosen;
                    for (int i = 0; i <= max && i < q.choices.size(); ++i)
                        chosen << q.choices[i].code;
                    if (chosen.size() <= max)
                        chosen << chosen.first();
                    out.insert(q.code, chosen);
                    broken = true;
                } else {
                    QStringList chosen;
                    const int n = 1 + pick % max;
                    for (int i = 0; i < n; ++i)
                        chosen << q.choices[(pick + i) % q.choices.size()].code;
                    chosen.removeDuplicates();
                    chosen.sort();
                    out.insert(q.code, chosen);
                }
            }
        };
        answer(a.questionnaire, b.questionnaire);
        answer(a.discipline, b.discipline);
        if (m_fdp.ConsumeIntegralInRange<int>(0, 31) == 0) {
            b.questionnaire.insert(QStringLiteral("no-such-question"), {QStringLiteral("x")});
            broken = true;
        }

        // Suggestions: none mostly, one sometimes, two (one too many) rarely.
        const int count = std::max(0, m_fdp.ConsumeIntegralInRange<int>(-3, 2));
        QList<Suggestion> suggestions;
        bool suggestionBad = count > maxSuggestionsPerVoter;
        bool suggestionUncertain = false;
        for (int i = 0; i < count; ++i) {
            Suggestion sg;
            sg.session = m_fdp.ConsumeIntegralInRange<int>(0, 15) == 0 ? pickFrom(m_w.sessionCodes) : session;
            suggestionBad = suggestionBad || sg.session != session;
            const int topic = m_fdp.ConsumeIntegralInRange<int>(0, a.suggestionTopics.size());
            sg.topic = topic < a.suggestionTopics.size() ? a.suggestionTopics[topic].code : QStringLiteral("no-topic");
            suggestionBad = suggestionBad || topic == a.suggestionTopics.size();
            const auto &departments = a.session(sg.session)->departments;
            const int dept = m_fdp.ConsumeIntegralInRange<int>(-1, departments.size());
            sg.department = dept < 0        ? QString()
                : dept < departments.size() ? departments[dept].code
                                            : QStringLiteral("no-such-department");
            suggestionBad = suggestionBad || dept == departments.size();
            const int textVariant = m_fdp.ConsumeIntegralInRange<int>(0, 3);
            if (textVariant == 0) {
                sg.text = QStringLiteral("more buses to the industrial park please");
            } else if (textVariant == 1) {
                sg.text = QStringLiteral("   ");
                suggestionBad = true;
            } else {
                sg.text = fuzzText(600);
                // The encoded size decides for odd text: the fuzzer takes either answer.
                suggestionUncertain = true;
                suggestionBad = suggestionBad || sg.text.trimmed().isEmpty();
            }
            suggestions << sg;
        }

        Expect e;
        if (!m_model.voter)
            e = Expect::fail({QStringLiteral("no-voter")});
        else if (session != g_keys[m_model.voter->session].code)
            e = Expect::fail({QStringLiteral("ballot-session")});
        else if (broken)
            e = Expect::fail({QStringLiteral("ballot-invalid"), QStringLiteral("ballot-incomplete")});
        else if (suggestionBad)
            e = Expect::fail({QStringLiteral("suggestion-invalid")});
        else if (suggestionUncertain)
            e = Expect {true, {QStringLiteral("suggestion-invalid")}, false};
        else
            e = Expect::success();
        auto r = k().cast(b, suggestions);
        if (!judge(e, r))
            return;
        if (r->code.size() != 9 || r->suggestions != suggestions.size())
            violation(QStringLiteral("the receipt is malformed or counts the suggestions wrong"));
        const Voter v = *m_model.voter;
        SessionModel &sm = m_model.sessions[v.session];
        sm.counts.ballots += 1;
        sm.counts.suggestions += suggestions.size();
        sm.checkins[m_w.reps[v.rep].repId] = Ci::Voted;
        sm.ballots << encodeBallot(a.id, b, g_ballotSize);
        for (const Suggestion &sg : std::as_const(suggestions))
            sm.suggestions << encodeSuggestion(a.id, sg);
        m_model.voter.reset();
    }

    void release()
    {
        const int which = m_fdp.ConsumeIntegralInRange<int>(0, 2);
        const ReleaseReason reason = which == 0 ? ReleaseReason::Cancelled
            : which == 1                        ? ReleaseReason::Idle
                                                : ReleaseReason::StaffReset;
        Expect e = Expect::success();
        if (!m_model.voter)
            e = Expect::fail({QStringLiteral("no-voter")});
        else if (reason == ReleaseReason::StaffReset && role() == Role::None)
            e = Expect::fail({QStringLiteral("login-required")});
        if (judge(e, k().release(reason)))
            releaseVoter();
    }

    void releaseVoter()
    {
        const Voter v = *m_model.voter;
        SessionModel &sm = m_model.sessions[v.session];
        sm.counts.released += 1;
        sm.checkins[m_w.reps[v.rep].repId] = Ci::Released;
        m_model.voter.reset();
    }

    // ---- restarts, packages, enrolment -------------------------------------------------

    void restart(bool crash)
    {
        if (crash) {
            // What a kill between two calls leaves on disk: the files as they are once the
            // background fold of the last cast is done (database() waits for it).
            (void)k().database();
            const QString other = m_stateDir == m_dirA ? m_dirB : m_dirA;
            copyState(m_stateDir, other);
            m_kiosk.reset();
            m_stateDir = other;
        } else {
            m_kiosk.reset();
        }
        reopen();
        record(m_op, QStringLiteral("ok"));
        // Logins are in memory only; a voter who was checking in is released at start-up.
        m_model.role = Role::None;
        if (m_model.voter)
            releaseVoter();
    }

    void loadPackage()
    {
        const int which = m_fdp.ConsumeIntegralInRange<int>(0, 3);
        const QByteArray &pkg = which == 0 ? m_w.package
            : which == 1                   ? m_w.newerPackage
            : which == 2                   ? m_w.otherVenuePackage
                                           : m_w.damagedPackage;
        const qint64 version = which == 0 ? m_w.packageVersion : m_w.newerPackageVersion;
        Expect e;
        const Role r = role();
        if (r == Role::None)
            e = Expect::fail({QStringLiteral("login-required")});
        else if (r != Role::Technician)
            e = Expect::fail({QStringLiteral("role")});
        else if (m_model.current())
            e = Expect::fail({QStringLiteral("session-open")});
        else if (which == 2)
            e = Expect::fail({QStringLiteral("package-venue")});
        else if (which == 3)
            e = Expect::fail({QStringLiteral("package-signature"), QStringLiteral("package-format")});
        else if (version < m_model.packageVersion)
            e = Expect::fail({QStringLiteral("package-version")});
        else
            e = Expect::success();
        if (judge(e, k().loadPackage(pkg)))
            m_model.packageVersion = version;
    }

    void enrolment()
    {
        const int which = m_fdp.ConsumeIntegralInRange<int>(0, 4);
        switch (which) {
        case 0: // asking again, as enrolled: the same request
            judge(Expect::success(), k().beginEnrolment(m_w.kioskId, m_w.rootPublicKey));
            break;
        case 1:
            judge(Expect::fail({QStringLiteral("enrolled")}),
                  k().beginEnrolment(QStringLiteral("shinan-other"), m_w.rootPublicKey));
            break;
        case 2:
            judge(Expect::fail({QStringLiteral("kiosk-id")}),
                  k().beginEnrolment(fuzzText(8) + QLatin1Char('!'), m_w.rootPublicKey));
            break;
        case 3: {
            const std::string key = m_fdp.ConsumeBytesAsString(m_fdp.ConsumeIntegralInRange<size_t>(0, 31));
            judge(Expect::fail({QStringLiteral("root-key")}),
                  k().beginEnrolment(m_w.kioskId, QByteArrayView(key.data(), qsizetype(key.size()))));
            break;
        }
        default: {
            const std::string junk = m_fdp.ConsumeRandomLengthString(300);
            judge(Expect::failAny(), k().completeEnrolment(QByteArrayView(junk.data(), qsizetype(junk.size()))));
            break;
        }
        }
        if (k().provisioning() != Provisioning::Ready || k().kioskId() != m_w.kioskId)
            violation(QStringLiteral("an enrolment call changed an enrolled, provisioned kiosk"));
    }

    // ---- the invariants, after every step ------------------------------------------------

    void checkAll()
    {
        KioskService &kk = k();
        const QDateTime t = now();
        const Role expectedRole = role();
        if (kk.role() != expectedRole)
            violation(QStringLiteral("role is %1, the model says %2").arg(roleName(kk.role()), roleName(expectedRole)));
        const qint64 lock = m_model.lockRemaining(t);
        const int tries
            = lock > 0 ? 0 : int(std::max<qint64>(0, m_w.options.pinAttemptsBeforeLock - recentPinFailures()));
        if (kk.pinLockRemaining() != lock || kk.pinTriesLeft() != tries)
            violation(QStringLiteral("PIN lock %1 s / %2 tries left, the model says %3 s / %4")
                          .arg(kk.pinLockRemaining())
                          .arg(kk.pinTriesLeft())
                          .arg(lock)
                          .arg(tries));
        if (kk.provisioning() != Provisioning::Ready || kk.packageVersion() != m_model.packageVersion)
            violation(QStringLiteral("the kiosk lost its package or has another version"));
        if (kk.voterActive() != m_model.voter.has_value())
            violation(QStringLiteral("voterActive() is %1, the model says otherwise").arg(kk.voterActive()));
        const auto cur = kk.currentSession();
        const auto modelCur = m_model.current();
        if (cur.has_value() != modelCur.has_value() || (cur && !(*cur == g_keys[*modelCur])))
            violation(QStringLiteral("the current session differs from the model's"));

        const QList<SessionStatus> all = kk.sessions();
        if (all.size() != g_venueKeys)
            violation(
                QStringLiteral("sessions() lists %1 sessions, the venue has %2").arg(all.size()).arg(g_venueKeys));
        for (const SessionStatus &s : all) {
            const int i = int(g_keys.indexOf(s.key));
            if (i < 0 || i >= g_venueKeys)
                violation(QStringLiteral("sessions() lists a session not held at the venue"));
            checkSession(i, s);
        }
        checkLedger();
        // The two keys that are not the venue's sessions stay empty.
        for (int i = g_venueKeys; i < g_keys.size(); ++i) {
            if (auto s = kk.session(g_keys[i]); s && (s->state != SessionState::Ready || s->counts != BatchCounts {}))
                violation(QStringLiteral("a session not held here has state or records"));
        }
    }

    void checkSession(int i, const SessionStatus &s)
    {
        SessionModel &sm = m_model.sessions[i];
        const SessionKey &key = g_keys[i];
        const BatchCounts &n = s.counts;
        if (s.state != sm.state)
            violation(QStringLiteral("session %1%2 is %3, the model says %4")
                          .arg(key.code, key.rehearsal ? QStringLiteral(" (rehearsal)") : QString(), stateName(s.state),
                               stateName(sm.state)));
        const bool active = m_model.voter && m_model.voter->session == i;
        if (s.voterActive != active)
            violation(QStringLiteral("sessions() says someone votes where the model says otherwise"));
        // Counts only grow, never change once closed, and add up.
        const BatchCounts &prev = sm.lastSeen;
        if (n.checkins < prev.checkins || n.ballots < prev.ballots || n.released < prev.released
            || n.suggestions < prev.suggestions)
            violation(QStringLiteral("a count went down"));
        if (sm.state != SessionState::Open && (n.ballots != prev.ballots || n.suggestions != prev.suggestions))
            violation(QStringLiteral("ballots or suggestions changed while the session was not open"));
        if (sm.closedCounts && n != *sm.closedCounts)
            violation(QStringLiteral("counts changed after the session closed"));
        if (n.checkins != n.ballots + n.released + (active ? 1 : 0))
            violation(QStringLiteral("check-ins (%1) != ballots (%2) + released (%3) + voting now (%4)")
                          .arg(n.checkins)
                          .arg(n.ballots)
                          .arg(n.released)
                          .arg(active ? 1 : 0));
        if (n != sm.counts)
            violation(QStringLiteral("counts %1/%2/%3/%4 (check-ins/ballots/released/suggestions), the model "
                                     "says %5/%6/%7/%8")
                          .arg(n.checkins)
                          .arg(n.ballots)
                          .arg(n.released)
                          .arg(n.suggestions)
                          .arg(sm.counts.checkins)
                          .arg(sm.counts.ballots)
                          .arg(sm.counts.released)
                          .arg(sm.counts.suggestions));
        sm.lastSeen = n;
        // A session never opened has no rows: its counts above are all it can hold.
        if (sm.state != SessionState::Ready)
            if (auto st = k().checkInvariants(key); !st)
                violation(QStringLiteral("checkInvariants: %1").arg(st.error().code));
    }

    /// The check-in list of every session in one read: one row per representative, and
    /// exactly the model's. A voter marked voted twice or a second ballot for one person
    /// would show here or in the counts.
    void checkLedger()
    {
        auto q = k().database().prepare("SELECT code, rehearsal, rep_id, status FROM checkin");
        if (!q)
            violation(QStringLiteral("cannot read the check-in list"));
        QList<qsizetype> rows(g_venueKeys, 0);
        QList<qint64> voted(g_venueKeys, 0);
        const Status read = q->forEach([&](Statement &row) {
            const int i = int(g_keys.indexOf(SessionKey {row.text(0), row.integer(1) != 0}));
            if (i < 0 || i >= g_venueKeys)
                violation(QStringLiteral("the check-in list has rows for a session not held here"));
            const QString status = row.text(3);
            const QString expected = ciName(m_model.sessions[i].checkins.value(row.text(2), Ci::None));
            if (expected != status)
                violation(QStringLiteral("the check-in list says %1 where the model says %2").arg(status, expected));
            ++rows[i];
            voted[i] += status == QLatin1String("voted");
        });
        if (!read)
            violation(QStringLiteral("cannot read the check-in list"));
        for (int i = 0; i < g_venueKeys; ++i) {
            const SessionModel &sm = m_model.sessions[i];
            if (rows[i] != sm.checkins.size() || voted[i] != sm.counts.ballots)
                violation(QStringLiteral("a check-in list has %1 rows (%2 voted), the model %3 (%4 ballots)")
                              .arg(rows[i])
                              .arg(voted[i])
                              .arg(sm.checkins.size())
                              .arg(sm.counts.ballots));
        }
    }

    /// Once per input: the whole audit log verifies, and holds no ID number, card, PIN,
    /// and no representative outside an override.
    void finalChecks()
    {
        auto events = k().auditLog();
        if (!events)
            violation(QStringLiteral("cannot read the audit log"));
        if (auto s = AuditLog::verify(*events, m_w.kioskPublicKey); !s)
            violation(QStringLiteral("the audit log does not verify: %1").arg(s.error().code));
        // Hashes are hex (a PIN's digits could occur by chance); the reason of an override
        // is the lead's own words.
        static const QSet<QString> skipped {QStringLiteral("prev"), QStringLiteral("blake2b"), QStringLiteral("root"),
                                            QStringLiteral("reason")};
        for (const AuditEvent &e : *events) {
            const QString event = e.body.value(QLatin1String("event")).toString();
            if (event != QLatin1String("override") && e.body.contains(QLatin1String("rep")))
                violation(QStringLiteral("a %1 event names a representative").arg(event));
            for (auto it = e.body.constBegin(); it != e.body.constEnd(); ++it) {
                if (skipped.contains(it.key()))
                    continue;
                const QString value
                    = it.value().isString() ? it.value().toString() : QString::number(it.value().toInteger());
                for (const QString &pin : std::as_const(m_w.pins))
                    if (value.contains(pin))
                        violation(QStringLiteral("a PIN is in the audit log (event %1)").arg(e.seq));
                for (const QString &id : std::as_const(m_usedIdNumbers))
                    if (value.contains(id))
                        violation(QStringLiteral("an ID number is in the audit log (event %1)").arg(e.seq));
                for (const QString &card : std::as_const(m_usedCards))
                    if (value.contains(card))
                        violation(QStringLiteral("a card's text is in the audit log (event %1)").arg(e.seq));
            }
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    // The kiosk's info lines would drown libFuzzer's; warnings stay.
    QLoggingCategory::setFilterRules(QStringLiteral("pingyi.*.info=false\npingyi.*.debug=false"));
    static fuzz::FuzzClock clock;
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    const QString base = shm.isDir() && shm.isWritable() ? shm.filePath() : QDir::tempPath();
    static VenueWorld world(base + QStringLiteral("/pingyi-fuzz-kiosk-XXXXXX"));
    if (const QString problem = world.setUp(clock); !problem.isEmpty()) {
        std::fprintf(stderr, "kiosk service fuzzer: cannot set up the venue: %s\n", qPrintable(problem));
        std::abort();
    }
    g_world = &world;
    g_clock = &clock;
    for (const QString &code : std::as_const(world.sessionCodes))
        for (bool rehearsal : {false, true})
            g_keys.append({code, rehearsal});
    g_venueKeys = int(g_keys.size());
    g_keys.append({QStringLiteral("internal"), false}); // in the activity, not at this venue
    g_keys.append({QStringLiteral("no-such-session"), true});
    for (int i = 0; i < world.reps.size(); ++i) {
        g_repIndex.insert(world.reps[i].repId, i);
        g_repByIdNumber.insert(world.reps[i].idNumber, i);
    }
    g_ballotSize = ballotPlaintextSize(world.activity);
    g_printTrace = qEnvironmentVariableIsSet("PINGYI_FUZZ_TRACE");
    if (qEnvironmentVariableIsSet("PINGYI_FUZZ_STATS"))
        std::atexit(printStats);
    std::fprintf(stderr, "kiosk service fuzzer: venue %s, %lld representatives, %d sessions (real and rehearsal)\n",
                 qPrintable(world.venue), qint64(world.reps.size()), g_venueKeys);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ++g_inputs;
    Run run(data, size);
    run.go();
    return 0;
}
