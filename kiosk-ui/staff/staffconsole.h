#pragma once
// The venue staff's console: PIN login per role (staff, venue lead, technician), the
// dashboard, opening, pausing, resuming and closing group sessions with their signed
// reports, and export of a closed session to a USB drive, said to be safe to remove only
// after the service read the file on the drive back and verified it and the console
// flushed and unmounted the drive (kiosk::DriveEjector).

#include "clock.h"
#include "kiosk/driveeject.h"
#include "kioskservice.h"
#include "staffmodels.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimeZone>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QPrinter;

namespace pingyi::ui {

class StaffConsole : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("StaffConsole is made by the kiosk's composition root")

public:
    enum class Page { Login, Dashboard, Report, Export, Technician };
    Q_ENUM(Page)
    /// Why the PIN is asked: the console, or the venue lead's identity override.
    enum class Purpose { Console, Override };
    Q_ENUM(Purpose)
    /// Writing covers the service's write, read-back and verification (one call) and the
    /// unmount. Written: the batch on the drive is valid, but the drive could not be
    /// unmounted (exportEjectError says why), so it is not said to be safe to remove.
    enum class ExportStage { Choose, Writing, Done, Failed, Written };
    Q_ENUM(ExportStage)

private:
    Q_PROPERTY(Page page READ page NOTIFY pageChanged)
    Q_PROPERTY(Purpose purpose READ purpose NOTIFY pageChanged)
    /// "staff", "lead", "technician", or empty when nobody is logged in.
    Q_PROPERTY(QString role READ role NOTIFY roleChanged)
    /// The last refusal (code None when there is none).
    Q_PROPERTY(pingyi::ui::StaffError error READ error NOTIFY errorChanged)
    /// Seconds until PIN entry is allowed again.
    Q_PROPERTY(int lockSeconds READ lockSeconds NOTIFY tick)
    /// Something is running (an export); the kiosk leaves the service alone meanwhile.
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

    Q_PROPERTY(QString activityName READ activityName NOTIFY infoChanged)
    Q_PROPERTY(QString activityNameEn READ activityNameEn NOTIFY infoChanged)
    Q_PROPERTY(QString venueName READ venueName NOTIFY infoChanged)
    Q_PROPERTY(QString venueNameEn READ venueNameEn NOTIFY infoChanged)
    Q_PROPERTY(QString kioskId READ kioskId NOTIFY infoChanged)
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY infoChanged)
    Q_PROPERTY(QString rootFingerprint READ rootFingerprint NOTIFY infoChanged)
    Q_PROPERTY(int packageVersion READ packageVersion NOTIFY infoChanged)
    Q_PROPERTY(int rosterSize READ rosterSize NOTIFY infoChanged)
    Q_PROPERTY(QString stateDir READ stateDir CONSTANT)
    /// The kiosk's clock (local time), updated every tick.
    Q_PROPERTY(QString clock READ clock NOTIFY tick)
    Q_PROPERTY(double diskFreeBytes READ diskFreeBytes NOTIFY tick)
    Q_PROPERTY(double diskTotalBytes READ diskTotalBytes NOTIFY tick)

    Q_PROPERTY(pingyi::ui::SessionListModel *sessions READ sessions CONSTANT)
    /// The open or paused session (see SessionListModel::row), invalid if none.
    Q_PROPERTY(pingyi::ui::SessionRow current READ current NOTIFY sessionsChanged)
    Q_PROPERTY(bool voterActive READ voterActive NOTIFY sessionsChanged)
    /// Sessions closed (exported or not): what the export card lists.
    Q_PROPERTY(int closedSessions READ closedSessions NOTIFY sessionsChanged)
    /// Where the venue's real (not rehearsal) sessions stand while none is open or paused:
    /// "before" (none closed yet), "between" (some closed, some still to come) or "ended"
    /// (all closed). The public welcome screen says so.
    Q_PROPERTY(QString venueDay READ venueDay NOTIFY sessionsChanged)

    /// The venue's kiosks share check-ins (docs/venue.md): the venue view shows.
    Q_PROPERTY(bool venueShared READ venueShared NOTIFY venueChanged)
    /// The venue's shared ledger answered at the last look.
    Q_PROPERTY(bool venueConnected READ venueConnected NOTIFY venueChanged)
    /// The venue lead switched this kiosk to offline check-in.
    Q_PROPERTY(bool venueOffline READ venueOffline NOTIFY venueChanged)
    /// Offline check-ins (and votes, releases) not yet told to the venue.
    Q_PROPERTY(int venueQueued READ venueQueued NOTIFY venueChanged)
    /// The kiosk whose lead asked every kiosk to close the session shown ("close all");
    /// empty when nobody asked.
    Q_PROPERTY(QString venueCloseRequestedBy READ venueCloseRequestedBy NOTIFY venueChanged)
    /// Why this kiosk could not close as the venue lead asked (the service's words); empty
    /// when nothing is wrong.
    Q_PROPERTY(QString venueCloseFailure READ venueCloseFailure NOTIFY venueChanged)
    Q_PROPERTY(pingyi::ui::VenueKioskListModel *venueKiosks READ venueKiosks CONSTANT)

    /// An action waiting for confirmation: "open", "pause", "resume", "close", "close-all"
    /// (the venue lead closes the session at every kiosk of the venue); empty when none.
    Q_PROPERTY(QString pendingAction READ pendingAction NOTIFY pendingChanged)
    /// The session the pending action is for.
    Q_PROPERTY(pingyi::ui::SessionRow pending READ pending NOTIFY pendingChanged)

    Q_PROPERTY(QString reportKind READ reportKind NOTIFY reportChanged)
    Q_PROPERTY(QString reportText READ reportText NOTIFY reportChanged)
    /// The report's numbers, local time and short digest (what the report screen shows).
    Q_PROPERTY(pingyi::ui::ReportFacts report READ report NOTIFY reportChanged)
    /// The last print of the report shown: "" (none yet), "printing" (handed to CUPS, not
    /// done yet), "printed" (CUPS completed the job), "no-printer" (no queue, or CUPS not
    /// running), "printer-stopped" (the queue is paused or refuses jobs: nothing was sent),
    /// "failed" (refused, cancelled, aborted or not done in time).
    Q_PROPERTY(QString printState READ printState NOTIFY printChanged)
    /// The CUPS queue of the last print (empty when there is none).
    Q_PROPERTY(QString printerName READ printerName NOTIFY printChanged)
    Q_PROPERTY(QString reportQr READ reportQr NOTIFY reportChanged)
    Q_PROPERTY(pingyi::ui::SessionRow reportSession READ reportSession NOTIFY reportChanged)

    Q_PROPERTY(pingyi::ui::DriveListModel *drives READ drives CONSTANT)
    Q_PROPERTY(ExportStage exportStage READ exportStage NOTIFY exportChanged)
    Q_PROPERTY(pingyi::ui::SessionRow exportSession READ exportSession NOTIFY exportChanged)
    Q_PROPERTY(pingyi::ui::StaffError exportError READ exportError NOTIFY exportChanged)
    Q_PROPERTY(QString exportPath READ exportPath NOTIFY exportChanged)
    Q_PROPERTY(QString exportDrive READ exportDrive NOTIFY exportChanged)
    /// The drive directory chosen last (for "try again").
    Q_PROPERTY(QString exportTarget READ exportTarget NOTIFY exportChanged)
    Q_PROPERTY(double exportBytes READ exportBytes NOTIFY exportChanged)
    Q_PROPERTY(int exportBallots READ exportBallots NOTIFY exportChanged)
    /// From the service's ExportResult: what it wrote and read back.
    Q_PROPERTY(QString exportDigest READ exportDigest NOTIFY exportChanged)
    /// Why the drive was not unmounted (stage Written); code None otherwise.
    Q_PROPERTY(pingyi::ui::StaffError exportEjectError READ exportEjectError NOTIFY exportChanged)

public:
    StaffConsole(kiosk::KioskService &service, const Clock &clock, QString stateDir, QStringList driveOverride,
                 QObject *parent = nullptr);
    ~StaffConsole() override;

    Page page() const { return m_page; }
    Purpose purpose() const { return m_purpose; }
    QString role() const;
    StaffError error() const { return m_error; }
    int lockSeconds() const;
    bool busy() const { return m_busy; }
    QString activityName() const { return m_service.activity().name; }
    QString activityNameEn() const { return m_service.activity().nameEn; }
    QString venueName() const;
    QString venueNameEn() const;
    QString kioskId() const { return m_service.kioskId(); }
    QString fingerprint() const { return m_service.fingerprint(); }
    QString rootFingerprint() const { return m_service.rootFingerprint(); }
    int packageVersion() const { return int(m_service.packageVersion()); }
    int rosterSize() const { return m_rosterSize; }
    QString stateDir() const { return m_stateDir; }
    QString clock() const;
    double diskFreeBytes() const { return double(m_diskFree); }
    double diskTotalBytes() const { return double(m_diskTotal); }
    SessionListModel *sessions() { return &m_sessions; }
    SessionRow current() const;
    bool voterActive() const { return m_service.voterActive(); }
    int closedSessions() const;
    QString venueDay() const;
    QString pendingAction() const { return m_pendingAction; }
    SessionRow pending() const { return m_pending; }
    QString reportKind() const { return m_reportKind; }
    QString reportText() const { return m_reportText; }
    ReportFacts report() const { return m_report; }
    QString printState() const { return m_printState; }
    QString printerName() const { return m_printerName; }
    QString reportQr() const { return m_reportQr; }
    SessionRow reportSession() const { return m_reportSession; }
    DriveListModel *drives() { return &m_drives; }
    bool venueShared() const { return m_venue.shared; }
    bool venueConnected() const { return m_venue.connected; }
    bool venueOffline() const { return m_venue.offline; }
    int venueQueued() const { return int(m_venue.queued + m_venue.unsettled); }
    QString venueCloseRequestedBy() const { return m_venue.closeRequestedBy; }
    QString venueCloseFailure() const { return m_venue.closeFailure; }
    VenueKioskListModel *venueKiosks() { return &m_venueKiosks; }
    ExportStage exportStage() const { return m_exportStage; }
    SessionRow exportSession() const { return m_exportSession; }
    StaffError exportError() const { return m_exportError; }
    QString exportPath() const { return m_exportPath; }
    QString exportDrive() const { return m_exportDrive; }
    QString exportTarget() const { return m_exportTarget; }
    double exportBytes() const { return double(m_exportBytes); }
    int exportBallots() const { return m_exportBallots; }
    QString exportDigest() const { return m_exportDigest; }
    StaffError exportEjectError() const { return m_exportEjectError; }
    /// The zone the clock and the reports' times are shown in, instead of the activity's
    /// (`time_zone` in the spec; tests set one).
    void setTimeZone(const QTimeZone &zone);
    /// How drives are unmounted after an export (tests put their own here).
    void setEjector(std::shared_ptr<kiosk::DriveEjector> ejector) { m_ejector = std::move(ejector); }

    /// Shows the PIN pad for `purpose`.
    void begin(Purpose purpose);

    Q_INVOKABLE bool login(const QString &pin);
    Q_INVOKABLE void logout();
    /// Leaves the PIN pad without logging in.
    Q_INVOKABLE void cancelLogin();
    Q_INVOKABLE void showDashboard();
    Q_INVOKABLE void showTechnician();
    Q_INVOKABLE void requestAction(const QString &action, const QString &code, bool rehearsal);
    Q_INVOKABLE void cancelAction();
    Q_INVOKABLE bool confirmAction();
    Q_INVOKABLE void showReport(const QString &code, bool rehearsal, const QString &kind);
    /// Prints the report shown on CUPS's default queue (else its only or first queue):
    /// painted to a PDF, handed to CUPS as one job, then followed until CUPS completes it;
    /// printState says how it goes. False if nothing was handed to CUPS.
    Q_INVOKABLE bool printReport();
    /// Renders the report shown to `printer` (tests print to a PDF file this way).
    bool printReportTo(QPrinter &printer) const;
    Q_INVOKABLE void startExport(const QString &code, bool rehearsal);
    /// Has the service write the batch to the drive at `path` and read it back (asynchronous).
    Q_INVOKABLE void exportTo(const QString &path);
    /// Back to the list of drives after a failed export.
    Q_INVOKABLE void chooseDrive();
    /// Stage Written: tries to unmount the drive again (asynchronous).
    Q_INVOKABLE void ejectAgain();
    /// Venue lead only (audited): offline check-in while the venue network is down, and back.
    Q_INVOKABLE bool setOfflineCheckIn(bool offline);
    /// Technician only: asks the application to leave kiosk mode.
    Q_INVOKABLE void leaveKioskMode();
    /// A staff member touched the screen: keeps the login alive.
    Q_INVOKABLE void touch();
    Q_INVOKABLE void clearError();

    /// Re-reads sessions, counts, clock, disk space; locks the console after inactivity.
    void refresh();

Q_SIGNALS:
    void pageChanged();
    void roleChanged();
    void errorChanged();
    void busyChanged();
    void infoChanged();
    void tick();
    void sessionsChanged();
    void pendingChanged();
    void reportChanged();
    void printChanged();
    void exportChanged();
    void venueChanged();
    /// The lead logged in for an identity override.
    void overrideAuthorized();
    /// The console was left (logout, lock, or the PIN pad cancelled).
    void closed();
    void leaveRequested();

private:
    void setPage(Page page);
    void setError(const StaffError &error);
    bool fail(const Error &error);
    void refreshVenue();
    void setReport(const kiosk::Report &report, const kiosk::SessionKey &key);
    void exportWritten();
    void failExport(const StaffError &error);
    StaffErrors::Code classifyDriveProblem(const QString &path) const;
    void clearPending();
    void updateInvited();
    void setPrintState(const QString &state);
    void followPrintJob();
    void forgetPrintJob();

    kiosk::KioskService &m_service;
    const Clock &m_clock;
    QString m_stateDir;
    Page m_page = Page::Login;
    Purpose m_purpose = Purpose::Console;
    kiosk::Role m_lastRole = kiosk::Role::None;
    StaffError m_error;
    bool m_busy = false;
    int m_rosterSize = 0;
    qint64 m_diskFree = 0;
    qint64 m_diskTotal = 0;
    SessionListModel m_sessions;
    QString m_pendingAction;
    SessionRow m_pending;
    QString m_reportKind;
    QString m_reportText;
    QString m_reportQr;
    ReportFacts m_report;
    QString m_printState;
    QString m_printerName;
    int m_printJob = 0; ///< the CUPS job followed while printState is "printing"
    QTimer m_printTimer;
    int m_printPolls = 0;
    QTimeZone m_zone; ///< setTimeZone's; invalid: the activity's (zone())
    /// The zone of the clock and the reports: the activity's time zone (its sessions' times
    /// are local there), the kiosk's own if the package names none it knows.
    QTimeZone zone() const;
    SessionRow m_reportSession;
    DriveListModel m_drives;
    kiosk::VenueStatus m_venue;
    VenueKioskListModel m_venueKiosks;
    QTimer m_driveTimer;
    kiosk::SessionKey m_exportKey;
    ExportStage m_exportStage = ExportStage::Choose;
    SessionRow m_exportSession;
    StaffError m_exportError;
    QString m_exportPath;
    QString m_exportDrive;
    QString m_exportTarget;
    qint64 m_exportBytes = 0;
    int m_exportBallots = 0;
    QString m_exportDigest;
    StaffError m_exportEjectError;
    std::shared_ptr<kiosk::DriveEjector> m_ejector = std::make_shared<kiosk::SystemDriveEjector>();
    struct Outcome {
        std::optional<kiosk::ExportResult> result;
        Error error;
        bool ejectOnly = false; ///< ejectAgain(): no export ran
        Error ejectError; ///< empty code: unmounted (or a plain folder, flushed)
    };
    QFutureWatcher<Outcome> m_writeWatcher;
};

} // namespace pingyi::ui
