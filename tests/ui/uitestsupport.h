#pragma once
// Test support for the kiosk UI: one throwaway office per test process (fast key
// derivation, a small synthetic roster of the Qingdao 2025 activity), enrolled once into a
// template kiosk state that each test copies, so that every test starts from a fresh,
// provisioned kiosk in milliseconds.

#include "ballot.h"
#include "clock.h"
#include "demoprovisioning.h"
#include "kioskservice.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace pingyi::uitest {

/// A provisioned kiosk on a manual clock, in its own temporary directory.
struct TestKiosk {
    QTemporaryDir dir;
    ManualClock clock;
    std::unique_ptr<kiosk::KioskService> service;
    kiosk::demo::Enrolment enrolment;
    QString usbDir; ///< an empty directory that stands for a USB drive

    QString stateDir() const { return dir.filePath(QStringLiteral("kiosk")); }
    /// The n-th representative invited to `session` at this venue (nullptr if none).
    const kiosk::demo::Voter *voter(const QString &session, int n = 0) const;
    /// Logs in with the staff PIN, opens the session, logs out.
    bool open(const QString &session, bool rehearsal = false);
};

/// A fresh kiosk (venue "shinan"); QFAIL-style message in `*error` on failure.
std::unique_ptr<TestKiosk> makeKiosk(QString *error);
/// A kiosk that was never enrolled (no venue package).
std::unique_ptr<TestKiosk> makeUnprovisionedKiosk(QString *error);

/// A valid ID number that is on nobody's roster.
QString unknownIdNumber();

/// The ballots cast in `session` on `kiosk`, opened with the test office's election key as
/// the tallying office would (for tests that check what was cast against what was shown).
/// Order is the database's, which says nothing about cast order.
Result<QList<BallotAnswers>> castBallots(const TestKiosk &kiosk, const QString &session, bool rehearsal = false);

} // namespace pingyi::uitest
