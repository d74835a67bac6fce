#pragma once
// Check-in at the kiosk: the invitation card's QR code from a hand scanner (a keyboard
// wedge that types the code and Enter) or the camera, the ID number typed on the keypad,
// read by the scanner or read from the card by the camera (after the representative
// confirmed it), or the venue lead's override with a reason — each handed to the core as
// typed evidence (core/identity.h) with where it came from. Refusals are exposed as the core's stable error codes;
// the screens turn them into plain Chinese (or English) with what to do next.

#include "kioskservice.h"

#include <QObject>
#include <QtQml/qqml.h> // QML_SEQUENTIAL_CONTAINER needs more than qqmlregistration.h

namespace pingyi::ui {

/// One group session a refused representative is invited to, as the refusal names it.
class InvitedSession {
    Q_GADGET
    QML_VALUE_TYPE(invitedSession)
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QString nameEn MEMBER nameEn)
    /// "12月18日下午 14:30–17:00" / "18 Dec, afternoon, 14:30–17:00"; empty without a schedule.
    Q_PROPERTY(QString when MEMBER when)
    Q_PROPERTY(QString whenEn MEMBER whenEn)
    /// Where the reports are given (GroupSession::place), may be empty.
    Q_PROPERTY(QString place MEMBER place)

public:
    QString name;
    QString nameEn;
    QString when;
    QString whenEn;
    QString place;
    bool operator==(const InvitedSession &) const = default;
};

/// QList<InvitedSession> is a sequence in QML (an array of invitedSession values).
struct InvitedSessionListForeign {
    Q_GADGET
    QML_FOREIGN(QList<pingyi::ui::InvitedSession>)
    QML_ANONYMOUS
    QML_SEQUENTIAL_CONTAINER(pingyi::ui::InvitedSession)
};

/// Where the representative just refused is invited instead ("not-in-session",
/// "credential-venue"): the card or number identified them, so the refusal may send them
/// to the right place. Nothing else about them (no name) is told.
class InvitedPlace {
    Q_GADGET
    QML_VALUE_TYPE(invitedPlace)
    Q_PROPERTY(bool valid READ valid)
    Q_PROPERTY(QString venueName MEMBER venueName)
    Q_PROPERTY(QString venueNameEn MEMBER venueNameEn)
    /// Another venue than this kiosk's (then `address` says where it is).
    Q_PROPERTY(bool otherVenue MEMBER otherVenue)
    Q_PROPERTY(QString address MEMBER address)
    Q_PROPERTY(QList<pingyi::ui::InvitedSession> sessions MEMBER sessions)

public:
    bool valid() const { return !venueName.isEmpty(); }
    QString venueName;
    QString venueNameEn;
    bool otherVenue = false;
    QString address;
    QList<InvitedSession> sessions;
    bool operator==(const InvitedPlace &) const = default;

    /// The names and schedule of `placement` in both languages, from the activity spec.
    static InvitedPlace from(const kiosk::Placement &placement, const Activity &activity, const QString &ownVenue);
};

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
    /// Where the representative just refused belongs ("not-in-session", "credential-venue");
    /// invalid otherwise.
    Q_PROPERTY(pingyi::ui::InvitedPlace place READ place NOTIFY errorChanged)
    /// What is wrong with a refused "id-invalid" number, so the field can mark that part.
    Q_PROPERTY(IdFlaw idFlaw READ idFlaw NOTIFY errorChanged)
    /// The kiosk holding the check-in of a "checked-in-elsewhere" / "already-voted" refusal
    /// when the venue's kiosks share check-ins; empty otherwise.
    Q_PROPERTY(QString holder READ holder NOTIFY errorChanged)

public:
    /// Which part of an 18-character ID number fails its check (GB 11643), in the order the
    /// core checks them: the region code (digits 1–6), the birth date (7–14), the check
    /// character (18; a wrong digit anywhere shows here). `Shape`: not 17 digits and 0-9/X.
    enum class IdFlaw { None, Shape, Region, BirthDate, CheckCharacter };
    Q_ENUM(IdFlaw)

    explicit CheckInDesk(kiosk::KioskService &service, QObject *parent = nullptr);

    QString errorCode() const { return m_errorCode; }
    QString errorDetail() const { return m_errorDetail; }
    int attempts() const { return m_attempts; }
    bool allowsCredential() const;
    bool allowsIdNumber() const;
    InvitedPlace place() const { return m_place; }
    IdFlaw idFlaw() const { return m_idFlaw; }
    QString holder() const { return m_holder; }
    /// The first part of `idNumber` that fails its check (None when it passes all).
    static IdFlaw idFlawOf(const QString &idNumber, QDate today);

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
    /// The activity allows the face, and someone of the open session has an enrolled one.
    bool allowsFace() const;
    const FaceRules &faceRules() const;
    /// Starts a face check-in (the core draws the direction); a refusal shows as any other.
    std::optional<face::Turn> beginFace();
    /// The camera's track and probe of a face check-in. Admitted, the representative is
    /// not let in yet: their masked name waits for them to confirm it is theirs
    /// (pendingName(), confirmPending()), since a relative can look alike.
    bool submitFace(const FaceProbe &probe);
    /// The masked name of the representative the face admitted, waiting for confirmation.
    QString pendingName() const { return m_pending ? m_pending->maskedName : QString(); }
    /// "It's me": the representative may vote.
    void confirmPending();
    /// "Not me" (or nobody answered): the check-in is given back and the refusal says why
    /// ("face-not-me").
    void rejectPending(kiosk::ReleaseReason reason);
    /// Venue lead only: `who` is an ID number or a representative id.
    Q_INVOKABLE bool submitOverride(const QString &who, const QString &reason);
    /// Forget the refusal (a new person, or starting again), and a card or number that
    /// waited for its face.
    Q_INVOKABLE void clear();
    /// Forget the refusal only (another try of the same way: a card waiting for its face
    /// still waits).
    void clearError();

    /// An 18-character ID number shape (17 digits and a digit or X), checksum not checked.
    static bool looksLikeIdNumber(const QString &text);

Q_SIGNALS:
    /// The representative may vote now; `method` is identityMethodName() ("credential",
    /// "id_number", "face", "override").
    void admitted(const QString &maskedName, const QString &category, const QString &method);
    void errorChanged();

private:
    bool submit(const Evidence &evidence, IdFlaw flaw = IdFlaw::None, bool holdForConfirmation = false);
    void refused(const Error &error, IdFlaw flaw = IdFlaw::None);

    std::optional<kiosk::CheckIn> m_pending;

    kiosk::KioskService &m_service;
    QString m_errorCode;
    QString m_errorDetail;
    QString m_holder;
    int m_attempts = 0;
    InvitedPlace m_place;
    IdFlaw m_idFlaw = IdFlaw::None;
};

} // namespace pingyi::ui
