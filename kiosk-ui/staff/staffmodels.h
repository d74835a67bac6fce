#pragma once
// Typed list models for the staff console: the venue's group sessions with their state and
// counts, and the removable drives a batch can be exported to.

#include "kioskservice.h"
#include "result.h"

#include <QAbstractListModel>
#include <QHash>
#include <QStringList>
#include <QTimeZone>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

/// Why the staff console refused something, as the screens tell it apart. StaffText.qml
/// words each code; StaffError::fromService() is the one place service codes become these.
namespace StaffErrors {
Q_NAMESPACE
QML_ELEMENT
enum Code {
    None,
    PinWrong,
    PinLocked,
    NeedLead, ///< the override needs the venue lead's PIN (the console's own refusal)
    NoPackage,
    LoginRequired, ///< logged out by inactivity, or the role may not do this
    SessionOtherOpen,
    VoterActive,
    SessionNotEmpty,
    SessionChanged,
    Invariant,
    DriveMissing,
    DriveReadOnly,
    DriveFull,
    DriveVerify,
    DriveWrite,
    DriveBusy, ///< written and verified, not unmounted: a program still uses the drive
    DriveEject, ///< written and verified, not unmounted: no way to unmount it here
    VenueUnavailable, ///< the venue's other kiosks cannot be reached ("close all")
    SessionClosedAtVenue, ///< the venue lead closed the session at every kiosk
    Other, ///< anything else: the service's message says what
};
Q_ENUM_NS(Code)
} // namespace StaffErrors

/// A refusal shown on a staff screen: its code, and the service's own message (empty for
/// the console's own refusals).
class StaffError {
    Q_GADGET
    QML_VALUE_TYPE(staffError)
    Q_PROPERTY(pingyi::ui::StaffErrors::Code code MEMBER code)
    /// The service's error code as it came ("" for the console's own refusals).
    Q_PROPERTY(QString source MEMBER source)
    Q_PROPERTY(QString message MEMBER message)
    /// For PinWrong: tries left before PIN entry locks (KioskService::pinTriesLeft(); -1 unknown).
    Q_PROPERTY(int triesLeft MEMBER triesLeft)
    Q_PROPERTY(bool isError READ isError)

public:
    StaffError() = default;
    explicit StaffError(StaffErrors::Code c) : code(c) { }
    /// The service's error as the staff screens show it.
    static StaffError fromService(const Error &error);

    bool isError() const { return code != StaffErrors::None; }

    StaffErrors::Code code = StaffErrors::None;
    QString source;
    QString message;
    int triesLeft = -1;

    bool operator==(const StaffError &) const = default;
};

/// One group session as the staff screens show it (the current-session card, the report
/// and export headers, the action being confirmed). A default-constructed row is "none".
class SessionRow {
    Q_GADGET
    QML_VALUE_TYPE(sessionRow)
    Q_PROPERTY(bool valid READ valid)
    Q_PROPERTY(QString code MEMBER code)
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QString nameEn MEMBER nameEn)
    Q_PROPERTY(bool rehearsal MEMBER rehearsal)
    Q_PROPERTY(QString state MEMBER state)
    Q_PROPERTY(int checkins MEMBER checkins)
    Q_PROPERTY(int ballots MEMBER ballots)
    Q_PROPERTY(int released MEMBER released)
    Q_PROPERTY(int suggestions MEMBER suggestions)
    /// Representatives of this venue invited to the session (应到).
    Q_PROPERTY(int invited MEMBER invited)
    Q_PROPERTY(int departments MEMBER departments)
    Q_PROPERTY(bool current MEMBER current)
    Q_PROPERTY(QString exportedTo MEMBER exportedTo)

public:
    bool valid() const { return !code.isEmpty(); }
    kiosk::SessionKey key() const { return {code, rehearsal}; }

    QString code;
    QString name;
    QString nameEn;
    bool rehearsal = false;
    QString state; ///< "ready", "open", "paused", "closed", "exported"
    int checkins = 0;
    int ballots = 0;
    int released = 0;
    int suggestions = 0;
    int invited = 0;
    int departments = 0;
    bool current = false; ///< open or paused now
    QString exportedTo; ///< where it was exported during this run, if anywhere

    bool operator==(const SessionRow &) const = default;
};

class SessionListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("SessionListModel belongs to the staff console")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        CodeRole = Qt::UserRole + 1,
        NameRole,
        NameEnRole,
        RehearsalRole,
        StateRole, ///< "ready", "open", "paused", "closed", "exported"
        CheckinsRole,
        BallotsRole,
        ReleasedRole,
        SuggestionsRole,
        DepartmentsRole,
        CurrentRole, ///< open or paused now
        ExportedToRole, ///< where it was exported during this run, if anywhere
        InvitedRole, ///< representatives of this venue invited to the session
    };
    Q_ENUM(Roles)

    explicit SessionListModel(QObject *parent = nullptr) : QAbstractListModel(parent) { }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    /// Updates rows in place when the sessions are the same ones, so views keep their place.
    void update(const QList<kiosk::SessionStatus> &sessions, const Activity &activity);
    void setExportedTo(const kiosk::SessionKey &key, const QString &path);
    /// Representatives invited per session code (they change only with the venue package).
    void setInvited(const QHash<QString, int> &invited);
    /// Row of `key`, or -1.
    int find(const kiosk::SessionKey &key) const;
    const kiosk::SessionStatus &status(int row) const { return m_rows.at(row); }
    /// A row as a value (for the current-session card and the report header); an invalid
    /// row when `row` is out of range.
    SessionRow row(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    QList<kiosk::SessionStatus> m_rows;
    QStringList m_namesEn;
    QList<int> m_departments;
    QHash<QString, QString> m_exportedTo;
    QHash<QString, int> m_invited;
};

/// A signed session report as the report screen and the printer show it: labelled numbers,
/// the time in the kiosk's time zone, and the ballot digest shortened for reading aloud
/// (the QR code carries all of it).
class ReportFacts {
    Q_GADGET
    QML_VALUE_TYPE(reportFacts)
    Q_PROPERTY(bool valid READ valid)
    Q_PROPERTY(bool closing MEMBER closing)
    Q_PROPERTY(int checkins MEMBER checkins)
    Q_PROPERTY(int ballots MEMBER ballots)
    /// Checked in but left without voting (the core's "released").
    Q_PROPERTY(int leftWithoutVoting MEMBER leftWithoutVoting)
    Q_PROPERTY(int suggestions MEMBER suggestions)
    Q_PROPERTY(int invited MEMBER invited)
    /// When the report was made, in the kiosk's time zone: "yyyy-MM-dd" and "HH:mm".
    Q_PROPERTY(QString date MEMBER date)
    Q_PROPERTY(QString time MEMBER time)
    /// That zone's offset, e.g. "UTC+8".
    Q_PROPERTY(QString zone MEMBER zone)
    /// The ballot digest in full (hex) and its first 16 hex digits in groups of four.
    Q_PROPERTY(QString digest MEMBER digest)
    Q_PROPERTY(QString digestShort MEMBER digestShort)
    /// Closing reports: check-ins per representative category, "name count" each.
    Q_PROPERTY(QStringList categories MEMBER categories)
    /// The same in one line ("社区（村）居民代表 12；…"; the category names are Chinese only).
    Q_PROPERTY(QString categoryText READ categoryText)
    Q_PROPERTY(QString kioskId MEMBER kioskId)

public:
    /// Reads the report's signed body; times shown in `zone`, categories named by `activity`.
    static ReportFacts fromReport(const kiosk::Report &report, const QTimeZone &zone, const Activity &activity,
                                  int invited);
    /// "ab12 cd34 ef56 7890" from a hex digest.
    static QString shortDigest(const QString &hex);
    /// "UTC+8", "UTC+5:30", "UTC" for an offset in seconds.
    static QString offsetName(int seconds);

    bool valid() const { return !date.isEmpty(); }
    QString categoryText() const { return categories.join(QStringLiteral("；")); }

    bool closing = false;
    int checkins = 0;
    int ballots = 0;
    int leftWithoutVoting = 0;
    int suggestions = 0;
    int invited = 0;
    QString date;
    QString time;
    QString zone;
    QString digest;
    QString digestShort;
    QStringList categories;
    QString kioskId;

    bool operator==(const ReportFacts &) const = default;
};

/// Mounted removable drives (under /media or /run/media), or the directories given to the
/// constructor instead (tests, demos on a desktop).
class DriveListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("DriveListModel belongs to the staff console")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles { PathRole = Qt::UserRole + 1, LabelRole, FreeBytesRole, TotalBytesRole, ReadOnlyRole };
    Q_ENUM(Roles)

    struct Drive {
        QString path;
        QString label;
        qint64 freeBytes = 0;
        qint64 totalBytes = 0;
        bool readOnly = false;
        bool operator==(const Drive &) const = default;
    };

    explicit DriveListModel(QStringList overrideDirs, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_drives.size()); }
    Q_INVOKABLE void refresh();
    /// The drive mounted at `path` now (looked up afresh), if any.
    std::optional<Drive> drive(const QString &path) const;

    /// What is mounted now.
    QList<Drive> scan() const;

Q_SIGNALS:
    void countChanged();

private:
    QStringList m_override;
    QList<Drive> m_drives;
};

/// The venue's kiosks as this kiosk sees them when they share check-ins (the venue view):
/// each kiosk, whether its venue endpoint answers, and its check-ins in the session on now.
class VenueKioskListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("VenueKioskListModel belongs to the staff console")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    /// Ballots cast at all the venue's kiosks in the session shown (the sum of VotedRole).
    Q_PROPERTY(int voted READ voted NOTIFY countChanged)
    /// Kiosks whose session is still open or paused (by what they last told the venue), among
    /// those on this kiosk's session.
    Q_PROPERTY(int stillOpen READ stillOpen NOTIFY countChanged)

public:
    /// StateRole: the state of the session the kiosk has on ("open", "paused", "closed",
    /// "exported"; "" when not known); SessionRole: that session's code.
    enum Roles {
        KioskIdRole = Qt::UserRole + 1,
        SelfRole,
        ReachableRole,
        CheckedInRole,
        VotedRole,
        StateRole,
        SessionRole
    };
    Q_ENUM(Roles)

    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_kiosks.size()); }
    int voted() const;
    int stillOpen() const;
    /// Replaces the rows (a reset only when the kiosks changed, else dataChanged).
    void update(const QList<kiosk::VenueKioskStatus> &kiosks);

Q_SIGNALS:
    /// The rows, or the totals, changed.
    void countChanged();

private:
    QList<kiosk::VenueKioskStatus> m_kiosks;
};

} // namespace pingyi::ui
