#include "checkindesk.h"

#include <QRegularExpression>

namespace pingyi::ui {

CheckInDesk::CheckInDesk(kiosk::KioskService &service, QObject *parent) : QObject(parent), m_service(service) { }

bool CheckInDesk::looksLikeIdNumber(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral("^[0-9]{17}[0-9Xx]$"));
    return shape.match(text.trimmed()).hasMatch();
}

bool CheckInDesk::submitScan(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    if (looksLikeIdNumber(t))
        return submit(IdNumberEvidence {t, EvidenceSource::Scanner});
    return submit(CredentialEvidence {t});
}

bool CheckInDesk::submitIdNumber(const QString &idNumber)
{
    return submit(IdNumberEvidence {idNumber, EvidenceSource::Keypad});
}

bool CheckInDesk::submitCameraScan(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    return submit(CredentialEvidence {t, EvidenceSource::Camera});
}

bool CheckInDesk::submitCameraIdNumber(const QString &idNumber)
{
    return submit(IdNumberEvidence {idNumber, EvidenceSource::Camera});
}

bool CheckInDesk::allowsCredential() const
{
    return m_service.activity().identityMethods.contains(identityMethodName(IdentityMethod::Credential));
}

bool CheckInDesk::allowsIdNumber() const
{
    return m_service.activity().identityMethods.contains(identityMethodName(IdentityMethod::IdNumber));
}

bool CheckInDesk::submitOverride(const QString &who, const QString &reason)
{
    return submit(OverrideEvidence {who.trimmed(), reason});
}

void CheckInDesk::clear()
{
    if (m_errorCode.isEmpty() && m_attempts == 0)
        return;
    m_errorCode.clear();
    m_errorDetail.clear();
    m_attempts = 0;
    Q_EMIT errorChanged();
}

bool CheckInDesk::submit(const Evidence &evidence)
{
    const Result<kiosk::CheckIn> result = m_service.checkIn(evidence);
    if (!result) {
        m_errorCode = result.error().code;
        m_errorDetail = result.error().message;
        ++m_attempts;
        Q_EMIT errorChanged();
        return false;
    }
    const kiosk::CheckIn c = *result;
    m_errorCode.clear();
    m_errorDetail.clear();
    m_attempts = 0;
    Q_EMIT errorChanged();
    Q_EMIT admitted(c.maskedName, c.category, identityMethodName(c.method));
    return true;
}

} // namespace pingyi::ui
