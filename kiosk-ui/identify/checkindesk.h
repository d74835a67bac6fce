#pragma once
// Check-in at the kiosk: the invitation card's QR code from a hand scanner (a keyboard
// wedge that types the code and Enter) or the camera, the ID number typed on the keypad,
// read by the scanner or read from the card by the camera (after the representative
// confirmed it), or the venue lead's override with a reason — each handed to the core as
// typed evidence (core/identity.h) with where it came from. Refusals are exposed as the core's stable error codes;
// the screens turn them into plain Chinese (or English) with what to do next.

#include "kioskservice.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

class CheckInDesk : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("CheckInDesk is made by the kiosk's composition root")
    /// The last refusal's code (e.g. "id-unknown", "already-voted"), empty when none.
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    /// The core's English explanation, for staff and logs (never an ID number).
    Q_PROPERTY(QString errorDetail READ errorDetail NOTIFY errorChanged)
    /// How many times check-in was refused for the person in front of the kiosk.
    Q_PROPERTY(int attempts READ attempts NOTIFY errorChanged)
    /// The activity allows check-in by invitation card ("credential") / by ID number.
    Q_PROPERTY(bool allowsCredential READ allowsCredential NOTIFY errorChanged)
    Q_PROPERTY(bool allowsIdNumber READ allowsIdNumber NOTIFY errorChanged)

public:
    explicit CheckInDesk(kiosk::KioskService &service, QObject *parent = nullptr);

    QString errorCode() const { return m_errorCode; }
    QString errorDetail() const { return m_errorDetail; }
    int attempts() const { return m_attempts; }
    bool allowsCredential() const;
    bool allowsIdNumber() const;

    /// Text from the hand scanner: an invitation credential, or an ID number read from a
    /// card by the same kind of reader.
    Q_INVOKABLE bool submitScan(const QString &text);
    Q_INVOKABLE bool submitIdNumber(const QString &idNumber);
    /// An invitation card's QR code decoded by the camera: the same verification as the
    /// hand scanner's, audited with source "camera".
    bool submitCameraScan(const QString &text);
    /// An ID number the camera read from the card and the representative confirmed on
    /// screen.
    bool submitCameraIdNumber(const QString &idNumber);
    /// Venue lead only: `who` is an ID number or a representative id.
    Q_INVOKABLE bool submitOverride(const QString &who, const QString &reason);
    /// Forget the refusal (a new person, or starting again).
    Q_INVOKABLE void clear();

    /// An 18-character ID number shape (17 digits and a digit or X), checksum not checked.
    static bool looksLikeIdNumber(const QString &text);

Q_SIGNALS:
    /// The representative may vote now; `method` is identityMethodName() ("credential",
    /// "id_number", "face", "override").
    void admitted(const QString &maskedName, const QString &category, const QString &method);
    void errorChanged();

private:
    bool submit(const Evidence &evidence);

    kiosk::KioskService &m_service;
    QString m_errorCode;
    QString m_errorDetail;
    int m_attempts = 0;
};

} // namespace pingyi::ui
