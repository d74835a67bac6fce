#pragma once
// The environment that loads the kill library (killpoint.cpp) into a child process: killed
// just before its `killAt`-th write, fsync, rename or unlink (0: never), the count of those
// written to `countFile`. Shared by the kiosk and the office kill matrices.

#include <QProcessEnvironment>
#include <QString>

namespace pingyi::test {

inline QProcessEnvironment killpointEnvironment(long killAt, const QString &countFile)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LD_PRELOAD"), qEnvironmentVariable("PINGYI_KILLPOINT_LIB"));
    env.insert(QStringLiteral("PINGYI_KILL_AT"), QString::number(killAt));
    env.insert(QStringLiteral("PINGYI_KILL_COUNT_FILE"), countFile);
    // Under AddressSanitizer the preloaded library comes before its runtime: allowed here.
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":verify_asan_link_order=0"));
    return env;
}

} // namespace pingyi::test
