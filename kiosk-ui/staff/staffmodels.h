#pragma once
// Typed list models for the staff console: the venue's group sessions with their state and
// counts, and the removable drives a batch can be exported to.

#include "kioskservice.h"

#include <QAbstractListModel>
#include <QHash>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

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
    };
    Q_ENUM(Roles)

    explicit SessionListModel(QObject *parent = nullptr) : QAbstractListModel(parent) {}
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rows.size()); }
    /// Updates rows in place when the sessions are the same ones, so views keep their place.
    void update(const QList<kiosk::SessionStatus> &sessions, const Activity &activity);
    void setExportedTo(const kiosk::SessionKey &key, const QString &path);
    /// Row of `key`, or -1.
    int find(const kiosk::SessionKey &key) const;
    const kiosk::SessionStatus &status(int row) const { return m_rows.at(row); }
    /// A row as a map (for the current-session card and the report header).
    QVariantMap row(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    QList<kiosk::SessionStatus> m_rows;
    QStringList m_namesEn;
    QList<int> m_departments;
    QHash<QString, QString> m_exportedTo;
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

} // namespace pingyi::ui
