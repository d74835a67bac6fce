#include "staffmodels.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QStorageInfo>

#include <cstdlib>

namespace pingyi::ui {

namespace {
QString keyString(const kiosk::SessionKey &k)
{
    return k.code + (k.rehearsal ? QStringLiteral("|r") : QStringLiteral("|"));
}
} // namespace

// ---- SessionListModel ----------------------------------------------------------------

// ---- StaffError -----------------------------------------------------------------------

StaffError StaffError::fromService(const Error &error)
{
    using namespace StaffErrors;
    static const QHash<QString, Code> codes {
        {QStringLiteral("pin-wrong"), PinWrong},
        {QStringLiteral("pin-locked"), PinLocked},
        {QStringLiteral("no-package"), NoPackage},
        {QStringLiteral("login-required"), LoginRequired},
        {QStringLiteral("role"), LoginRequired},
        {QStringLiteral("session-other-open"), SessionOtherOpen},
        {QStringLiteral("voter-active"), VoterActive},
        {QStringLiteral("session-not-empty"), SessionNotEmpty},
        {QStringLiteral("session-state"), SessionChanged},
        {QStringLiteral("invariant"), Invariant},
        {QStringLiteral("venue-unavailable"), VenueUnavailable},
        {QStringLiteral("session-closed-at-venue"), SessionClosedAtVenue},
        // exportSession() writes, reads back and verifies: its refusals are the drive's.
        {QStringLiteral("export-missing"), DriveMissing},
        {QStringLiteral("export-read-only"), DriveReadOnly},
        {QStringLiteral("io-write"), DriveWrite},
        {QStringLiteral("export-full"), DriveFull},
        {QStringLiteral("export-verify"), DriveVerify},
        // The ejector's, after a good export.
        {QStringLiteral("eject-busy"), DriveBusy},
        {QStringLiteral("eject-failed"), DriveEject},
    };
    StaffError e;
    if (error.code.isEmpty())
        return e;
    e.code = codes.value(error.code, Other);
    e.source = error.code;
    e.message = error.message;
    return e;
}

// ---- SessionListModel ------------------------------------------------------------------

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kiosk::SessionStatus &s = m_rows.at(index.row());
    switch (role) {
    case CodeRole:
        return s.key.code;
    case Qt::DisplayRole:
    case NameRole:
        return s.name;
    case NameEnRole:
        return m_namesEn.at(index.row());
    case RehearsalRole:
        return s.key.rehearsal;
    case StateRole:
        return kiosk::stateName(s.state);
    case CheckinsRole:
        return s.counts.checkins;
    case BallotsRole:
        return s.counts.ballots;
    case ReleasedRole:
        return s.counts.released;
    case SuggestionsRole:
        return s.counts.suggestions;
    case DepartmentsRole:
        return m_departments.at(index.row());
    case CurrentRole:
        return s.state == kiosk::SessionState::Open || s.state == kiosk::SessionState::Paused;
    case ExportedToRole:
        return m_exportedTo.value(keyString(s.key));
    case InvitedRole:
        return m_invited.value(s.key.code);
    default:
        return {};
    }
}

QHash<int, QByteArray> SessionListModel::roleNames() const
{
    return {{CodeRole, "code"},
            {NameRole, "name"},
            {NameEnRole, "nameEn"},
            {RehearsalRole, "rehearsal"},
            {StateRole, "state"},
            {CheckinsRole, "checkins"},
            {BallotsRole, "ballots"},
            {ReleasedRole, "released"},
            {SuggestionsRole, "suggestions"},
            {DepartmentsRole, "departments"},
            {CurrentRole, "current"},
            {ExportedToRole, "exportedTo"},
            {InvitedRole, "invited"}};
}

void SessionListModel::update(const QList<kiosk::SessionStatus> &sessions, const Activity &activity)
{
    bool sameKeys = sessions.size() == m_rows.size();
    for (qsizetype i = 0; sameKeys && i < sessions.size(); ++i)
        sameKeys = sessions.at(i).key == m_rows.at(i).key;
    auto describe = [&](const kiosk::SessionStatus &s, QString *nameEn, int *departments) {
        const GroupSession *g = activity.session(s.key.code);
        *nameEn = g ? g->nameEn : QString();
        *departments = g ? int(g->departments.size()) : 0;
    };
    if (!sameKeys) {
        const bool countChanges = sessions.size() != m_rows.size();
        beginResetModel();
        m_rows = sessions;
        m_namesEn.clear();
        m_departments.clear();
        for (const kiosk::SessionStatus &s : sessions) {
            QString en;
            int n = 0;
            describe(s, &en, &n);
            m_namesEn.append(en);
            m_departments.append(n);
        }
        endResetModel();
        if (countChanges)
            Q_EMIT countChanged();
        return;
    }
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const kiosk::SessionStatus &now = sessions.at(i);
        const kiosk::SessionStatus &was = m_rows.at(i);
        if (now.state == was.state && now.counts == was.counts && now.voterActive == was.voterActive
            && now.name == was.name)
            continue;
        m_rows[i] = now;
        const QModelIndex idx = index(int(i));
        Q_EMIT dataChanged(idx, idx);
    }
}

void SessionListModel::setExportedTo(const kiosk::SessionKey &key, const QString &path)
{
    m_exportedTo.insert(keyString(key), path);
    const int row = find(key);
    if (row >= 0) {
        const QModelIndex idx = index(row);
        Q_EMIT dataChanged(idx, idx, {ExportedToRole});
    }
}

int SessionListModel::find(const kiosk::SessionKey &key) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).key == key)
            return i;
    return -1;
}

void SessionListModel::setInvited(const QHash<QString, int> &invited)
{
    if (invited == m_invited)
        return;
    m_invited = invited;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {InvitedRole});
}

SessionRow SessionListModel::row(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const kiosk::SessionStatus &s = m_rows.at(row);
    SessionRow r;
    r.code = s.key.code;
    r.name = s.name;
    r.nameEn = m_namesEn.at(row);
    r.rehearsal = s.key.rehearsal;
    r.state = kiosk::stateName(s.state);
    r.checkins = int(s.counts.checkins);
    r.ballots = int(s.counts.ballots);
    r.released = int(s.counts.released);
    r.suggestions = int(s.counts.suggestions);
    r.invited = m_invited.value(s.key.code);
    r.departments = m_departments.at(row);
    r.current = s.state == kiosk::SessionState::Open || s.state == kiosk::SessionState::Paused;
    r.exportedTo = m_exportedTo.value(keyString(s.key));
    return r;
}

// ---- ReportFacts ---------------------------------------------------------------------

QString ReportFacts::shortDigest(const QString &hex)
{
    QStringList groups;
    for (qsizetype i = 0; i < 16 && i < hex.size(); i += 4)
        groups << hex.mid(i, 4);
    return groups.join(QLatin1Char(' '));
}

QString ReportFacts::offsetName(int seconds)
{
    if (seconds == 0)
        return QStringLiteral("UTC");
    const int minutes = std::abs(seconds) / 60;
    QString name
        = QStringLiteral("UTC%1%2").arg(seconds < 0 ? QStringLiteral("-") : QStringLiteral("+")).arg(minutes / 60);
    if (minutes % 60)
        name += QStringLiteral(":%1").arg(minutes % 60, 2, 10, QLatin1Char('0'));
    return name;
}

ReportFacts ReportFacts::fromReport(const kiosk::Report &report, const QTimeZone &zone, const Activity &activity,
                                    int invited)
{
    const QJsonObject &b = report.body;
    ReportFacts f;
    f.closing = report.kind == QLatin1String("closing");
    f.checkins = b.value(QStringLiteral("checkins")).toInt();
    f.ballots = b.value(QStringLiteral("ballots")).toInt();
    f.leftWithoutVoting = b.value(QStringLiteral("released")).toInt();
    f.suggestions = b.value(QStringLiteral("suggestions")).toInt();
    f.invited = invited;
    f.kioskId = b.value(QStringLiteral("kiosk")).toString();
    f.digest = b.value(QStringLiteral("ballot_digest")).toString();
    f.digestShort = shortDigest(f.digest);
    const QDateTime utc = QDateTime::fromString(b.value(QStringLiteral("time")).toString(), Qt::ISODate);
    if (utc.isValid()) {
        const QDateTime local = utc.toTimeZone(zone);
        f.date = local.toString(QStringLiteral("yyyy-MM-dd"));
        f.time = local.toString(QStringLiteral("HH:mm"));
        f.zone = offsetName(local.offsetFromUtc());
    }
    const QJsonObject byCategory = b.value(QStringLiteral("by_category")).toObject();
    for (auto it = byCategory.begin(); it != byCategory.end(); ++it) {
        const Category *c = activity.category(it.key());
        f.categories << QStringLiteral("%1 %2").arg(c ? c->name : it.key()).arg(it.value().toInteger());
    }
    return f;
}

// ---- DriveListModel ------------------------------------------------------------------

DriveListModel::DriveListModel(QStringList overrideDirs, QObject *parent)
    : QAbstractListModel(parent), m_override(std::move(overrideDirs))
{
}

int DriveListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_drives.size());
}

QVariant DriveListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Drive &d = m_drives.at(index.row());
    switch (role) {
    case PathRole:
        return d.path;
    case Qt::DisplayRole:
    case LabelRole:
        return d.label;
    case FreeBytesRole:
        return d.freeBytes;
    case TotalBytesRole:
        return d.totalBytes;
    case ReadOnlyRole:
        return d.readOnly;
    default:
        return {};
    }
}

QHash<int, QByteArray> DriveListModel::roleNames() const
{
    return {{PathRole, "path"},
            {LabelRole, "label"},
            {FreeBytesRole, "freeBytes"},
            {TotalBytesRole, "totalBytes"},
            {ReadOnlyRole, "readOnly"}};
}

QList<DriveListModel::Drive> DriveListModel::scan() const
{
    QList<Drive> out;
    if (!m_override.isEmpty()) {
        for (const QString &dir : m_override) {
            const QFileInfo fi(dir);
            if (!fi.isDir())
                continue;
            const QStorageInfo s(dir);
            out.append({fi.absoluteFilePath(), fi.fileName(), s.bytesAvailable(), s.bytesTotal(),
                        s.isReadOnly() || !fi.isWritable()});
        }
        return out;
    }
    for (const QStorageInfo &s : QStorageInfo::mountedVolumes()) {
        const QString root = s.rootPath();
        if (!s.isValid() || !s.isReady()
            || !(root.startsWith(QLatin1String("/media/")) || root.startsWith(QLatin1String("/run/media/"))))
            continue;
        const QString label = !s.displayName().isEmpty() ? s.displayName() : QFileInfo(root).fileName();
        out.append({root, label, s.bytesAvailable(), s.bytesTotal(), s.isReadOnly() || !QFileInfo(root).isWritable()});
    }
    std::sort(out.begin(), out.end(), [](const Drive &a, const Drive &b) { return a.path < b.path; });
    return out;
}

void DriveListModel::refresh()
{
    const QList<Drive> now = scan();
    if (now == m_drives)
        return;
    const bool countChanges = now.size() != m_drives.size();
    beginResetModel();
    m_drives = now;
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
}

std::optional<DriveListModel::Drive> DriveListModel::drive(const QString &path) const
{
    for (const Drive &d : scan())
        if (d.path == path)
            return d;
    return std::nullopt;
}

// ---- VenueKioskListModel ----------------------------------------------------------------

int VenueKioskListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_kiosks.size());
}

QVariant VenueKioskListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const kiosk::VenueKioskStatus &k = m_kiosks[index.row()];
    switch (role) {
    case KioskIdRole:
        return k.kioskId;
    case SelfRole:
        return k.self;
    case ReachableRole:
        return k.reachable;
    case CheckedInRole:
        return int(k.checkedIn);
    case VotedRole:
        return int(k.voted);
    case StateRole:
        return k.state;
    case SessionRole:
        return k.session.code;
    default:
        return {};
    }
}

QHash<int, QByteArray> VenueKioskListModel::roleNames() const
{
    return {{KioskIdRole, "kioskId"}, {SelfRole, "self"},   {ReachableRole, "reachable"}, {CheckedInRole, "checkedIn"},
            {VotedRole, "voted"},     {StateRole, "state"}, {SessionRole, "session"}};
}

void VenueKioskListModel::update(const QList<kiosk::VenueKioskStatus> &kiosks)
{
    bool sameKiosks = kiosks.size() == m_kiosks.size();
    for (qsizetype i = 0; sameKiosks && i < kiosks.size(); ++i)
        sameKiosks = kiosks[i].kioskId == m_kiosks[i].kioskId;
    if (!sameKiosks) {
        beginResetModel();
        m_kiosks = kiosks;
        endResetModel();
        Q_EMIT countChanged();
        return;
    }
    bool changed = false;
    for (qsizetype i = 0; i < kiosks.size(); ++i) {
        const kiosk::VenueKioskStatus &a = m_kiosks[i], &b = kiosks[i];
        if (a.self == b.self && a.reachable == b.reachable && a.checkedIn == b.checkedIn && a.voted == b.voted
            && a.state == b.state && a.session == b.session)
            continue;
        m_kiosks[i] = b;
        changed = true;
        Q_EMIT dataChanged(index(int(i)), index(int(i)));
    }
    if (changed)
        Q_EMIT countChanged();
}

int VenueKioskListModel::voted() const
{
    qint64 n = 0;
    for (const kiosk::VenueKioskStatus &k : m_kiosks)
        n += k.voted;
    return int(n);
}

int VenueKioskListModel::stillOpen() const
{
    // Kiosks with this kiosk's session (the one being closed) still open or paused; a kiosk
    // on another session, or that never told its state, is not counted.
    const auto self = std::find_if(m_kiosks.cbegin(), m_kiosks.cend(), [](const auto &k) { return k.self; });
    if (self == m_kiosks.cend())
        return 0;
    const kiosk::SessionKey session = self->session;
    return int(std::count_if(m_kiosks.cbegin(), m_kiosks.cend(), [&](const kiosk::VenueKioskStatus &k) {
        return k.session == session && (k.state == QLatin1String("open") || k.state == QLatin1String("paused"));
    }));
}

} // namespace pingyi::ui
