#pragma once
// The export of a closed session: the batch file written atomically to the drive, read
// back, verified and the drive's file system flushed (syncfs) before anyone is told it is
// safe to remove (docs/formats.md §Batch). Unmounting is DriveEjector's (driveeject.h).

#include "kioskenv.h"
#include "sessionlifecycle.h"
#include "staffgate.h"

namespace pingyi::kiosk {

class Exporter {
public:
    Exporter(KioskEnv &env, StaffGate &staff, SessionLifecycle &sessions)
        : m_env(env), m_staff(staff), m_sessions(sessions)
    {
    }

    Result<ExportResult> exportSession(const SessionKey &key, const QString &targetDir);
    /// What goes into the session's batch: header, records, check-in list, audit log.
    Result<BatchContent> batchContent(const SessionKey &key) const;

private:
    /// Deletes this kiosk's temporary batch files left on the drive by an interrupted export.
    void removeInterruptedExports(const QString &targetDir) const;

    KioskEnv &m_env;
    StaffGate &m_staff;
    SessionLifecycle &m_sessions;
};

} // namespace pingyi::kiosk
