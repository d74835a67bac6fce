#include "staffconsole.h"

#include "cupsprint.h"
#include "reportprint.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPrinter>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

Q_LOGGING_CATEGORY(lcStaff, "pingyi.ui.staff")

namespace pingyi::ui {

using kiosk::Role;
using kiosk::SessionKey;

namespace {
constexpr qint64 minimumFreeBytes = 256 * 1024; // a batch of a large session fits easily
// A print job is followed every half second, for at most two minutes: a printer that has
// not finished one page by then is out of paper or jammed, and the job is cancelled so that
// it does not come out later, after staff printed again.
constexpr int printPollMs = 500;
constexpr int printPollLimit = 240;
} // namespace

StaffConsole::StaffConsole(kiosk::KioskService &service, const Clock &clock, QString stateDir,
                           QStringList driveOverride, QObject *parent)
    : QObject(parent), m_service(service), m_clock(clock), m_stateDir(std::move(stateDir)),
      m_drives(std::move(driveOverride))
{
    m_rosterSize = int(m_service.rosterSize());
    updateInvited();
    m_driveTimer.setInterval(2000);
    connect(&m_driveTimer, &QTimer::timeout, &m_drives, &DriveListModel::refresh);
    connect(&m_writeWatcher, &QFutureWatcher<Outcome>::finished, this, &StaffConsole::exportWritten);
    m_printTimer.setInterval(printPollMs);
    connect(&m_printTimer, &QTimer::timeout, this, &StaffConsole::followPrintJob);
    refresh();
}

StaffConsole::~StaffConsole()
{
    // Never leave a thread writing to the drive behind.
    m_writeWatcher.waitForFinished();
}

QString StaffConsole::role() const
{
    const Role r = m_service.role();
    return r == Role::None ? QString() : kiosk::roleName(r);
}

int StaffConsole::lockSeconds() const
{
    return m_busy ? 0 : int(m_service.pinLockRemaining());
}

QString StaffConsole::venueName() const
{
    const Venue *v = m_service.activity().venue(m_service.venue());
    return v ? v->name : m_service.venue();
}

QString StaffConsole::venueNameEn() const
{
    const Venue *v = m_service.activity().venue(m_service.venue());
    return v ? v->nameEn : m_service.venue();
}

QString StaffConsole::clock() const
{
    return m_clock.now().toTimeZone(zone()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

SessionRow StaffConsole::current() const
{
    const auto key = m_busy ? std::nullopt : m_service.currentSession();
    return key ? m_sessions.row(m_sessions.find(*key)) : SessionRow();
}

int StaffConsole::closedSessions() const
{
    int n = 0;
    for (int i = 0; i < m_sessions.count(); ++i) {
        const auto state = m_sessions.status(i).state;
        n += state == kiosk::SessionState::Closed || state == kiosk::SessionState::Exported ? 1 : 0;
    }
    return n;
}

void StaffConsole::setPage(Page page)
{
    if (page != Page::Export)
        m_driveTimer.stop();
    if (page == m_page)
        return;
    m_page = page;
    Q_EMIT pageChanged();
}

void StaffConsole::setError(const StaffError &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void StaffConsole::clearError()
{
    setError({});
}

bool StaffConsole::fail(const Error &error)
{
    qCInfo(lcStaff) << "refused:" << error.code;
    setError(StaffError::fromService(error));
    refresh();
    return false;
}

void StaffConsole::begin(Purpose purpose)
{
    if (m_service.role() != Role::None)
        m_service.logout();
    m_lastRole = Role::None;
    m_purpose = purpose;
    clearPending();
    setError({});
    m_page = Page::Dashboard; // so that setPage() announces the change
    setPage(Page::Login);
    Q_EMIT roleChanged();
}

bool StaffConsole::login(const QString &pin)
{
    if (m_busy)
        return false;
    auto r = m_service.login(pin);
    if (!r) {
        m_error = StaffError::fromService(r.error());
        if (m_error.code == StaffErrors::PinWrong)
            m_error.triesLeft = m_service.pinTriesLeft();
        Q_EMIT errorChanged(); // also when repeated: the tries left or the wait changed
        Q_EMIT tick();
        return false;
    }
    if (m_purpose == Purpose::Override && *r != Role::Lead) {
        m_service.logout();
        setError(StaffError(StaffErrors::NeedLead));
        return false;
    }
    m_lastRole = *r;
    setError({});
    Q_EMIT roleChanged();
    if (m_purpose == Purpose::Override) {
        Q_EMIT overrideAuthorized();
        return true;
    }
    refresh();
    setPage(Page::Dashboard);
    return true;
}

void StaffConsole::logout()
{
    if (m_busy)
        return;
    m_service.logout();
    m_lastRole = Role::None;
    clearPending();
    setError({});
    setPage(Page::Login);
    Q_EMIT roleChanged();
    Q_EMIT closed();
}

void StaffConsole::cancelLogin()
{
    setError({});
    Q_EMIT closed();
}

void StaffConsole::showDashboard()
{
    if (m_busy || m_service.role() == Role::None)
        return;
    setError({});
    refresh();
    setPage(Page::Dashboard);
}

void StaffConsole::showTechnician()
{
    if (m_service.role() == Role::Technician)
        setPage(Page::Technician);
}

void StaffConsole::touch()
{
    m_service.touch();
}

void StaffConsole::refresh()
{
    if (m_busy)
        return;
    if (m_lastRole != Role::None && m_service.role() == Role::None) {
        // Nobody touched the console for a while: lock it.
        qCInfo(lcStaff) << "staff console locked after inactivity";
        m_service.logout();
        m_lastRole = Role::None;
        clearPending();
        setPage(Page::Login);
        Q_EMIT roleChanged();
        Q_EMIT closed();
    }
    const int roster = int(m_service.rosterSize());
    if (roster != m_rosterSize) {
        m_rosterSize = roster;
        updateInvited();
        Q_EMIT infoChanged();
    }
    m_sessions.update(m_service.sessions(), m_service.activity());
    refreshVenue();
    const QStorageInfo disk(m_stateDir);
    m_diskFree = disk.bytesAvailable();
    m_diskTotal = disk.bytesTotal();
    Q_EMIT sessionsChanged();
    Q_EMIT tick();
}

void StaffConsole::refreshVenue()
{
    const kiosk::VenueStatus venue = m_service.venueStatus();
    m_venueKiosks.update(venue.kiosks);
    if (venue.shared == m_venue.shared && venue.connected == m_venue.connected && venue.offline == m_venue.offline
        && venue.queued == m_venue.queued && venue.unsettled == m_venue.unsettled
        && venue.closeRequestedBy == m_venue.closeRequestedBy && venue.closeFailure == m_venue.closeFailure)
        return;
    m_venue = venue;
    Q_EMIT venueChanged();
}

bool StaffConsole::setOfflineCheckIn(bool offline)
{
    if (auto s = m_service.setOfflineCheckIn(offline); !s)
        return fail(s.error());
    setError({});
    refreshVenue();
    return true;
}

void StaffConsole::updateInvited()
{
    QHash<QString, int> invited;
    for (const kiosk::SessionStatus &s : m_service.sessions()) {
        if (invited.contains(s.key.code))
            continue;
        // A failed count shows as 0 invited; the numbers that matter (ballots) do not depend on it.
        auto n = m_service.invitedCount(s.key.code);
        invited.insert(s.key.code, n ? int(*n) : 0);
    }
    m_sessions.setInvited(invited);
}

void StaffConsole::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
    Q_EMIT tick();
}

QTimeZone StaffConsole::zone() const
{
    if (m_zone.isValid())
        return m_zone;
    const QTimeZone activity(m_service.activity().timeZone.toUtf8());
    return activity.isValid() ? activity : QTimeZone::systemTimeZone();
}

QString StaffConsole::venueDay() const
{
    int closed = 0, toCome = 0;
    for (int i = 0; i < m_sessions.count(); ++i) {
        const kiosk::SessionStatus &s = m_sessions.status(i);
        if (s.key.rehearsal)
            continue;
        if (s.state == kiosk::SessionState::Closed || s.state == kiosk::SessionState::Exported)
            ++closed;
        else
            ++toCome;
    }
    if (closed == 0)
        return QStringLiteral("before");
    return toCome == 0 ? QStringLiteral("ended") : QStringLiteral("between");
}

void StaffConsole::requestAction(const QString &action, const QString &code, bool rehearsal)
{
    static const QStringList actions {QStringLiteral("open"), QStringLiteral("pause"), QStringLiteral("resume"),
                                      QStringLiteral("close"), QStringLiteral("close-all")};
    const int row = m_sessions.find({code, rehearsal});
    if (m_busy || !actions.contains(action) || row < 0)
        return;
    m_pending = m_sessions.row(row);
    m_pendingAction = action;
    setError({});
    Q_EMIT pendingChanged();
}

void StaffConsole::clearPending()
{
    m_pending = {};
    m_pendingAction.clear();
    Q_EMIT pendingChanged();
}

void StaffConsole::cancelAction()
{
    clearPending();
}

bool StaffConsole::confirmAction()
{
    if (m_pendingAction.isEmpty() || m_busy)
        return false;
    const QString action = m_pendingAction;
    const SessionKey key = m_pending.key();
    clearPending();
    m_service.touch();
    if (action == QLatin1String("open") || action == QLatin1String("close")) {
        auto r = action == QLatin1String("open") ? m_service.openSession(key) : m_service.closeSession(key);
        if (!r)
            return fail(r.error());
        refresh();
        setReport(*r, key);
        setPage(Page::Report);
        return true;
    }
    if (action == QLatin1String("close-all")) {
        auto r = m_service.closeAtEveryKiosk(key);
        if (!r)
            return fail(r.error());
        setError({});
        refresh();
        if (*r) { // closed here at once: its closing report, as after 结束评议
            setReport(**r, key);
            setPage(Page::Report);
        }
        return true;
    }
    const Status s = action == QLatin1String("pause") ? m_service.pauseSession(key) : m_service.resumeSession(key);
    if (!s)
        return fail(s.error());
    refresh();
    return true;
}

void StaffConsole::setReport(const kiosk::Report &report, const SessionKey &key)
{
    m_reportKind = report.kind;
    m_reportText = report.text;
    m_reportQr = report.qrPayload;
    m_reportSession = m_sessions.row(m_sessions.find(key));
    m_report = ReportFacts::fromReport(report, zone(), m_service.activity(), m_reportSession.invited);
    // A job of the previous report still printing goes on; it is only no longer followed.
    forgetPrintJob();
    m_printerName.clear();
    setPrintState({});
    Q_EMIT reportChanged();
}

void StaffConsole::showReport(const QString &code, bool rehearsal, const QString &kind)
{
    const SessionKey key {code, rehearsal};
    auto r = m_service.report(key, kind);
    if (!r) {
        fail(r.error());
        return;
    }
    setError({});
    setReport(*r, key);
    setPage(Page::Report);
}

bool StaffConsole::printReportTo(QPrinter &printer) const
{
    if (m_reportKind.isEmpty())
        return false;
    PrintedReport r;
    r.activity = m_service.activity().name;
    r.venue = venueName();
    r.session = m_reportSession.name;
    r.rehearsal = m_reportSession.rehearsal;
    r.facts = m_report;
    r.qrPayload = m_reportQr;
    return pingyi::ui::printReport(printer, r);
}

bool StaffConsole::printReport()
{
    m_service.touch();
    if (m_reportKind.isEmpty() || m_printState == QLatin1String("printing"))
        return false;
    const auto printer = cupsprint::defaultPrinter();
    m_printerName = printer ? printer->name : QString();
    if (!printer) {
        qCInfo(lcStaff) << "report print: no CUPS queue";
        setPrintState(QStringLiteral("no-printer"));
        return false;
    }
    if (printer->stopped || !printer->accepting) {
        // Nothing is sent: a job left waiting in a paused queue would come out later,
        // after staff had printed the report again elsewhere.
        qCInfo(lcStaff) << "report print:" << printer->name << "is" << (printer->stopped ? "stopped" : "rejecting jobs")
                        << printer->reasons;
        setPrintState(QStringLiteral("printer-stopped"));
        return false;
    }
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("report.pdf"));
    QPrinter paper(QPrinter::HighResolution);
    paper.setOutputFormat(QPrinter::PdfFormat);
    paper.setOutputFileName(pdf);
    paper.setDocName(QStringLiteral("pingyi-%1-report").arg(m_reportKind));
    if (!dir.isValid() || !printReportTo(paper)) {
        qCWarning(lcStaff) << "report print: could not paint the report to" << pdf;
        setPrintState(QStringLiteral("failed"));
        return false;
    }
    // CUPS copies the file before cupsPrintFile2 returns; the directory may go.
    const auto job = cupsprint::printPdf(printer->name, pdf, paper.docName());
    if (job.job == 0) {
        qCWarning(lcStaff) << "report print:" << printer->name << "refused the job:" << job.error;
        setPrintState(QStringLiteral("failed"));
        return false;
    }
    qCInfo(lcStaff) << "report print: job" << job.job << "on" << printer->name;
    m_printJob = job.job;
    m_printPolls = 0;
    m_printTimer.start();
    setPrintState(QStringLiteral("printing"));
    return true;
}

void StaffConsole::followPrintJob()
{
    if (m_printJob == 0) {
        m_printTimer.stop();
        return;
    }
    const auto state = cupsprint::jobState(m_printerName, m_printJob);
    if (state == cupsprint::JobState::Done) {
        qCInfo(lcStaff) << "report print: job" << m_printJob << "completed";
        forgetPrintJob();
        setPrintState(QStringLiteral("printed"));
        return;
    }
    if (state == cupsprint::JobState::Failed) {
        qCWarning(lcStaff) << "report print: job" << m_printJob << "did not complete";
        forgetPrintJob();
        setPrintState(QStringLiteral("failed"));
        return;
    }
    // Still waiting: the queue may have stopped under it (CUPS stops a queue whose backend
    // failed), or the printer may never finish.
    const auto printer = cupsprint::defaultPrinter();
    const bool stopped = printer && printer->name == m_printerName && printer->stopped;
    if (stopped || ++m_printPolls >= printPollLimit) {
        qCWarning(lcStaff) << "report print: job" << m_printJob << (stopped ? "held by a stopped queue" : "timed out")
                           << "- cancelled";
        cupsprint::cancelJob(m_printerName, m_printJob);
        forgetPrintJob();
        setPrintState(stopped ? QStringLiteral("printer-stopped") : QStringLiteral("failed"));
    }
}

void StaffConsole::forgetPrintJob()
{
    m_printTimer.stop();
    m_printJob = 0;
    m_printPolls = 0;
}

void StaffConsole::setPrintState(const QString &state)
{
    m_printState = state;
    Q_EMIT printChanged();
}

void StaffConsole::startExport(const QString &code, bool rehearsal)
{
    if (m_busy || m_service.role() == Role::None)
        return;
    m_exportKey = {code, rehearsal};
    m_exportSession = m_sessions.row(m_sessions.find(m_exportKey));
    m_exportStage = ExportStage::Choose;
    m_exportError = {};
    m_exportPath.clear();
    m_exportDrive.clear();
    m_exportBytes = 0;
    m_exportBallots = 0;
    m_exportDigest.clear();
    m_exportEjectError = {};
    Q_EMIT exportChanged();
    setError({});
    m_drives.refresh();
    m_driveTimer.start();
    setPage(Page::Export);
}

StaffErrors::Code StaffConsole::classifyDriveProblem(const QString &path) const
{
    const QFileInfo dir(path);
    if (!dir.exists() || !dir.isDir())
        return StaffErrors::DriveMissing;
    const QStorageInfo storage(path);
    if (storage.isReadOnly() || !dir.isWritable())
        return StaffErrors::DriveReadOnly;
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < minimumFreeBytes)
        return StaffErrors::DriveFull;
    return StaffErrors::None;
}

void StaffConsole::failExport(const StaffError &error)
{
    qCWarning(lcStaff) << "export failed:" << error.code << error.source;
    m_exportStage = ExportStage::Failed;
    m_exportError = error;
    if (m_busy) {
        m_busy = false;
        Q_EMIT busyChanged();
    }
    Q_EMIT exportChanged();
    m_drives.refresh();
    m_driveTimer.start();
    refresh();
}

void StaffConsole::exportTo(const QString &path)
{
    if (m_busy || m_page != Page::Export || m_exportStage == ExportStage::Writing)
        return;
    m_service.touch();
    const auto drive = m_drives.drive(path);
    m_exportTarget = path;
    m_exportDrive = drive ? drive->label : QFileInfo(path).fileName();
    m_exportError = {};
    // Looked at before the drive is written, so a pulled or locked drive is told at once. A
    // drive no longer mounted leaves its empty folder, which would take the batch onto the
    // kiosk's own disk.
    if (!drive) {
        failExport(StaffError(StaffErrors::DriveMissing));
        return;
    }
    if (const auto problem = classifyDriveProblem(path); problem != StaffErrors::None) {
        failExport(StaffError(problem));
        return;
    }
    m_driveTimer.stop();
    m_busy = true;
    Q_EMIT busyChanged();
    m_exportStage = ExportStage::Writing;
    Q_EMIT exportChanged();
    // The only work done off the UI thread; the kiosk leaves the service alone while busy.
    kiosk::KioskService *service = &m_service;
    const SessionKey key = m_exportKey;
    const std::shared_ptr<kiosk::DriveEjector> ejector = m_ejector;
    m_writeWatcher.setFuture(QtConcurrent::run([service, ejector, key, path] {
        Outcome o;
        auto r = service->exportSession(key, path);
        if (!r) {
            o.error = r.error();
            return o;
        }
        o.result = *r;
        // Safe to remove only once the kiosk unmounted the drive itself.
        if (auto e = ejector->eject(path); !e)
            o.ejectError = e.error();
        return o;
    }));
}

void StaffConsole::chooseDrive()
{
    if (m_busy || m_page != Page::Export)
        return;
    m_exportStage = ExportStage::Choose;
    m_exportError = {};
    Q_EMIT exportChanged();
    m_drives.refresh();
    m_driveTimer.start();
}

void StaffConsole::ejectAgain()
{
    if (m_busy || m_page != Page::Export || m_exportStage != ExportStage::Written)
        return;
    m_service.touch();
    m_busy = true;
    Q_EMIT busyChanged();
    const std::shared_ptr<kiosk::DriveEjector> ejector = m_ejector;
    const QString path = m_exportTarget;
    m_writeWatcher.setFuture(QtConcurrent::run([ejector, path] {
        Outcome o;
        o.ejectOnly = true;
        if (auto e = ejector->eject(path); !e)
            o.ejectError = e.error();
        return o;
    }));
}

void StaffConsole::exportWritten()
{
    const Outcome o = m_writeWatcher.result();
    if (o.ejectOnly) {
        m_busy = false;
        Q_EMIT busyChanged();
        m_exportEjectError = StaffError::fromService(o.ejectError);
        m_exportStage = o.ejectError.code.isEmpty() ? ExportStage::Done : ExportStage::Written;
        Q_EMIT exportChanged();
        return;
    }
    if (!o.result) {
        StaffError e = StaffError::fromService(o.error);
        // The service could not write or read back: say why when the drive shows it (pulled
        // out, write-protected, full), else what the service found.
        if (e.code == StaffErrors::DriveWrite) {
            if (const auto problem = classifyDriveProblem(m_exportTarget); problem != StaffErrors::None)
                e.code = problem;
        } else if (e.code == StaffErrors::DriveVerify && !QFileInfo::exists(m_exportTarget)) {
            e.code = StaffErrors::DriveMissing;
        }
        failExport(e);
        return;
    }
    // exportSession() returns only after it read the file back from the drive, verified it
    // and flushed the drive; once the ejector unmounted it, it is safe to remove.
    m_exportPath = o.result->path;
    m_exportBytes = o.result->bytes;
    m_exportBallots = int(o.result->counts.ballots);
    m_exportDigest = o.result->ballotDigest;
    m_busy = false;
    Q_EMIT busyChanged();
    m_exportEjectError = StaffError::fromService(o.ejectError);
    if (m_exportEjectError.isError())
        qCWarning(lcStaff) << "exported, but the drive was not unmounted:" << o.ejectError.code;
    m_exportStage = m_exportEjectError.isError() ? ExportStage::Written : ExportStage::Done;
    m_sessions.setExportedTo(m_exportKey, m_exportPath);
    Q_EMIT exportChanged();
    refresh();
}

void StaffConsole::leaveKioskMode()
{
    if (m_service.role() == Role::Technician)
        Q_EMIT leaveRequested();
}

} // namespace pingyi::ui
