#include "staffconsole.h"

#include "batch.h"
#include "fileio.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QtConcurrent/QtConcurrentRun>

Q_LOGGING_CATEGORY(lcStaff, "pingyi.ui.staff")

namespace pingyi::ui {

using kiosk::Role;
using kiosk::SessionKey;

namespace {
constexpr qint64 minimumFreeBytes = 256 * 1024; // a batch of a large session fits easily
}

StaffConsole::StaffConsole(kiosk::KioskService &service, const Clock &clock, QString stateDir, QStringList driveOverride,
                           QObject *parent)
    : QObject(parent), m_service(service), m_clock(clock), m_stateDir(std::move(stateDir)), m_drives(std::move(driveOverride))
{
    m_rosterSize = int(m_service.rosterSize());
    m_driveTimer.setInterval(2000);
    connect(&m_driveTimer, &QTimer::timeout, &m_drives, &DriveListModel::refresh);
    connect(&m_writeWatcher, &QFutureWatcher<Outcome>::finished, this, &StaffConsole::exportWritten);
    connect(&m_checkWatcher, &QFutureWatcher<Error>::finished, this, &StaffConsole::exportChecked);
    refresh();
}

StaffConsole::~StaffConsole()
{
    // Never leave a thread writing to the drive behind.
    m_writeWatcher.waitForFinished();
    m_checkWatcher.waitForFinished();
}

QString StaffConsole::role() const
{
    const Role r = m_service.role();
    return r == Role::None ? QString() : kiosk::roleName(r);
}

int StaffConsole::lockSeconds() const { return m_busy ? 0 : int(m_service.pinLockRemaining()); }

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
    return m_clock.now().toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QVariantMap StaffConsole::current() const
{
    const auto key = m_busy ? std::nullopt : m_service.currentSession();
    return key ? m_sessions.row(m_sessions.find(*key)) : QVariantMap();
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

void StaffConsole::setError(const QString &code, const QString &detail)
{
    if (code == m_errorCode && detail == m_errorDetail)
        return;
    m_errorCode = code;
    m_errorDetail = detail;
    if (code.isEmpty())
        m_triesLeft = -1;
    Q_EMIT errorChanged();
}

void StaffConsole::clearError() { setError({}); }

bool StaffConsole::fail(const Error &error)
{
    qCInfo(lcStaff) << "refused:" << error.code;
    setError(error.code, error.message);
    refresh();
    return false;
}

void StaffConsole::begin(Purpose purpose)
{
    if (m_service.role() != Role::None)
        m_service.logout();
    m_lastRole = Role::None;
    m_purpose = purpose;
    m_pending.clear();
    Q_EMIT pendingChanged();
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
        m_triesLeft = -1;
        if (r.error().code == QLatin1String("pin-wrong")) {
            static const QRegularExpression tries(QStringLiteral("(\\d+) more tr"));
            const auto m = tries.match(r.error().message);
            if (m.hasMatch())
                m_triesLeft = m.captured(1).toInt();
        }
        m_errorCode = r.error().code;
        m_errorDetail = r.error().message;
        Q_EMIT errorChanged();
        Q_EMIT tick();
        return false;
    }
    if (m_purpose == Purpose::Override && *r != Role::Lead) {
        m_service.logout();
        setError(QStringLiteral("need-lead"));
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
    m_pending.clear();
    Q_EMIT pendingChanged();
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
        m_pending.clear();
        Q_EMIT pendingChanged();
        setPage(Page::Login);
        Q_EMIT roleChanged();
        Q_EMIT closed();
    }
    const int roster = int(m_service.rosterSize());
    if (roster != m_rosterSize) {
        m_rosterSize = roster;
        Q_EMIT infoChanged();
    }
    m_sessions.update(m_service.sessions(), m_service.activity());
    const QStorageInfo disk(m_stateDir);
    m_diskFree = disk.bytesAvailable();
    m_diskTotal = disk.bytesTotal();
    Q_EMIT sessionsChanged();
    Q_EMIT tick();
}

void StaffConsole::requestAction(const QString &action, const QString &code, bool rehearsal)
{
    static const QStringList actions{QStringLiteral("open"), QStringLiteral("pause"), QStringLiteral("resume"),
                                     QStringLiteral("close")};
    const int row = m_sessions.find({code, rehearsal});
    if (m_busy || !actions.contains(action) || row < 0)
        return;
    m_pending = m_sessions.row(row);
    m_pending.insert(QStringLiteral("action"), action);
    setError({});
    Q_EMIT pendingChanged();
}

void StaffConsole::cancelAction()
{
    m_pending.clear();
    Q_EMIT pendingChanged();
}

bool StaffConsole::confirmAction()
{
    if (m_pending.isEmpty() || m_busy)
        return false;
    const QString action = m_pending.value(QStringLiteral("action")).toString();
    const SessionKey key{m_pending.value(QStringLiteral("code")).toString(), m_pending.value(QStringLiteral("rehearsal")).toBool()};
    m_pending.clear();
    Q_EMIT pendingChanged();
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
    Q_EMIT reportChanged();
}

void StaffConsole::showReport(const QString &code, bool rehearsal, const QString &kind)
{
    const SessionKey key{code, rehearsal};
    auto r = m_service.report(key, kind);
    if (!r) {
        fail(r.error());
        return;
    }
    setError({});
    setReport(*r, key);
    setPage(Page::Report);
}

void StaffConsole::startExport(const QString &code, bool rehearsal)
{
    if (m_busy || m_service.role() == Role::None)
        return;
    m_exportKey = {code, rehearsal};
    m_exportSession = m_sessions.row(m_sessions.find(m_exportKey));
    m_exportStage = ExportStage::Choose;
    m_exportError.clear();
    m_exportErrorDetail.clear();
    m_exportPath.clear();
    m_exportDrive.clear();
    m_exportBytes = 0;
    m_exportBallots = 0;
    m_exportDigest.clear();
    Q_EMIT exportChanged();
    setError({});
    m_drives.refresh();
    m_driveTimer.start();
    setPage(Page::Export);
}

QString StaffConsole::classifyDriveProblem(const QString &path) const
{
    const QFileInfo dir(path);
    if (!dir.exists() || !dir.isDir())
        return QStringLiteral("drive-missing");
    const QStorageInfo storage(path);
    if (storage.isReadOnly() || !dir.isWritable())
        return QStringLiteral("drive-readonly");
    if (storage.isValid() && storage.bytesAvailable() >= 0 && storage.bytesAvailable() < minimumFreeBytes)
        return QStringLiteral("drive-full");
    return {};
}

void StaffConsole::failExport(const QString &code, const QString &detail)
{
    qCWarning(lcStaff) << "export failed:" << code;
    m_exportStage = ExportStage::Failed;
    m_exportError = code;
    m_exportErrorDetail = detail;
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
    if (m_busy || m_page != Page::Export || m_exportStage == ExportStage::Writing || m_exportStage == ExportStage::Verifying)
        return;
    m_service.touch();
    const auto drive = m_drives.drive(path);
    m_exportTarget = path;
    m_exportDrive = drive ? drive->label : QFileInfo(path).fileName();
    m_exportError.clear();
    m_exportErrorDetail.clear();
    if (const QString problem = classifyDriveProblem(path); !problem.isEmpty()) {
        failExport(problem, {});
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
    m_writeWatcher.setFuture(QtConcurrent::run([service, key, path] {
        Outcome o;
        auto r = service->exportSession(key, path);
        if (r)
            o.result = *r;
        else
            o.error = r.error();
        return o;
    }));
}

void StaffConsole::chooseDrive()
{
    if (m_busy || m_page != Page::Export)
        return;
    m_exportStage = ExportStage::Choose;
    m_exportError.clear();
    m_exportErrorDetail.clear();
    Q_EMIT exportChanged();
    m_drives.refresh();
    m_driveTimer.start();
}

void StaffConsole::exportWritten()
{
    const Outcome o = m_writeWatcher.result();
    if (!o.result) {
        const QString code = o.error.code;
        QString mapped;
        if (code == QLatin1String("export-full"))
            mapped = QStringLiteral("drive-full");
        else if (code == QLatin1String("export-target") || code == QLatin1String("io-write"))
            mapped = classifyDriveProblem(m_exportTarget);
        else if (code == QLatin1String("export-verify"))
            mapped = QStringLiteral("drive-verify");
        if (mapped.isEmpty())
            mapped = code == QLatin1String("io-write") || code == QLatin1String("export-target") ? QStringLiteral("drive-write") : code;
        failExport(mapped, o.error.message);
        return;
    }
    m_exportPath = o.result->path;
    m_exportBytes = o.result->bytes;
    m_exportBallots = int(o.result->counts.ballots);
    m_exportDigest = o.result->ballotDigest;
    m_exportStage = ExportStage::Verifying;
    Q_EMIT exportChanged();
    // A second, independent look at what is on the drive: the file is there, whole, and
    // signed by this kiosk. Only then is the drive called safe to remove.
    const QString path = m_exportPath;
    const qint64 bytes = m_exportBytes;
    const QByteArray publicKey = m_service.publicKey();
    m_checkWatcher.setFuture(QtConcurrent::run([path, bytes, publicKey]() -> Error {
        auto data = readFile(path);
        if (!data)
            return data.error();
        if (data->size() != bytes)
            return makeError(QStringLiteral("export-verify"), QStringLiteral("the file on the drive has %1 bytes, %2 were written")
                                                                  .arg(data->size()).arg(bytes));
        auto file = readBatch(*data);
        if (!file)
            return file.error();
        if (auto s = verifyBatchSignature(*file, publicKey); !s)
            return s.error();
        return {};
    }));
}

void StaffConsole::exportChecked()
{
    const Error e = m_checkWatcher.result();
    if (!e.code.isEmpty()) {
        failExport(QFileInfo::exists(m_exportTarget) ? QStringLiteral("drive-verify") : QStringLiteral("drive-missing"),
                   e.message);
        return;
    }
    m_busy = false;
    Q_EMIT busyChanged();
    m_exportStage = ExportStage::Done;
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
