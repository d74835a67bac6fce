#include "liveness.h"

#include "crypto.h"

#include <algorithm>
#include <cmath>

namespace pingyi::face {

Turn randomTurn()
{
    return crypto::randomUniform(2) == 0 ? Turn::Left : Turn::Right;
}

double boxOverlap(const QRectF &a, const QRectF &b)
{
    if (a.isEmpty() || b.isEmpty())
        return 0;
    const QRectF i = a.intersected(b);
    if (i.isEmpty())
        return 0;
    const double inter = i.width() * i.height();
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0 ? inter / uni : 0;
}

HeadTurnChallenge::HeadTurnChallenge(Turn asked, const FaceRules &rules, const LivenessLimits &limits)
    : m_asked(asked), m_timeoutMsec(qint64(rules.livenessSeconds) * 1000), m_limits(limits)
{
    m_result.reason = QStringLiteral("liveness-need-face");
}

LivenessResult HeadTurnChallenge::fail(const QString &reason)
{
    m_result.status = LivenessResult::Status::Failed;
    m_result.reason = reason;
    return m_result;
}

double HeadTurnChallenge::progress() const
{
    if (m_result.status == LivenessResult::Status::Passed)
        return 1;
    return std::clamp(m_bestDelta / m_limits.turnDelta, 0.0, 1.0);
}

LivenessResult HeadTurnChallenge::add(const TrackFrame &frame)
{
    if (m_result.status != LivenessResult::Status::Pending)
        return m_result;
    if (frame.msec > m_timeoutMsec)
        return fail(QStringLiteral("liveness-timeout"));
    if (frame.faces > 1)
        return fail(QStringLiteral("liveness-many-faces"));

    if (frame.faces <= 0) {
        // A few frames without a face (a fast turn, motion blur) are forgiven; a longer gap
        // could hide one face being swapped for another.
        if (m_lastBox && frame.msec - m_lastSeen > m_limits.maxGapMsec)
            return fail(QStringLiteral("liveness-face-lost"));
        m_held = 0;
        return m_result;
    }

    // The same face as before: where it was, and who it is.
    if (m_lastBox && boxOverlap(*m_lastBox, frame.box) < m_limits.minOverlap)
        return fail(QStringLiteral("liveness-face-changed"));
    if (frame.embedding) {
        if (!m_first)
            m_first = frame.embedding;
        else if (!(distance(*m_first, *frame.embedding) <= m_limits.maxDrift))
            return fail(QStringLiteral("liveness-face-changed"));
    }
    if (!m_first)
        return m_result; // the track starts with a face whose embedding is known
    m_lastBox = frame.box;
    m_lastSeen = frame.msec;

    if (!m_restYaw) {
        if (!(std::abs(frame.yaw) <= m_limits.maxRestingYaw)) {
            m_restFrames = 0;
            m_restYawSum = 0;
            m_result.reason = QStringLiteral("liveness-need-face");
            return m_result;
        }
        m_restYawSum += frame.yaw;
        if (++m_restFrames >= m_limits.baselineFrames) {
            m_restYaw = m_restYawSum / m_restFrames;
            m_result.reason = QStringLiteral("liveness-turn");
        }
        return m_result;
    }

    const double sign = m_asked == Turn::Left ? 1.0 : -1.0;
    const double delta = (frame.yaw - *m_restYaw) * sign;
    if (!std::isfinite(delta))
        return fail(QStringLiteral("liveness-face-changed"));
    if (delta <= -m_limits.wrongWayDelta)
        return fail(QStringLiteral("liveness-wrong-way"));
    m_bestDelta = std::max(m_bestDelta, delta);
    const double quarter = m_limits.turnDelta / 4, half = m_limits.turnDelta / 2;
    if (delta >= m_limits.turnDelta) {
        if (m_sawLow && m_sawHigh && ++m_held >= m_limits.holdFrames) {
            m_result.status = LivenessResult::Status::Passed;
            m_result.reason.clear();
        }
        return m_result;
    }
    m_held = 0;
    if (delta <= quarter) {
        m_sawLow = m_sawHigh = false; // back at rest: the way must be seen again
    } else if (delta <= half) {
        m_sawLow = true;
    } else {
        m_sawHigh = true;
    }
    return m_result;
}

} // namespace pingyi::face
