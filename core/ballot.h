#pragma once
// What a representative submits: ratings for every department of the group session,
// questionnaire and discipline-survey answers (the ballot), and optional suggestions,
// which are separate records never joined to the ballot. Both are encoded as padded
// canonical JSON and sealed to the election key at once. Format: docs/formats.md §Ballot.

#include "activity.h"
#include "crypto.h"
#include "formats/ballotcodec.h"
#include "result.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace pingyi {

struct BallotAnswers {
    QString session;
    QMap<QString, QString> ratings; ///< department code -> rating option code
    QMap<QString, QStringList> questionnaire; ///< question code -> choice codes
    QMap<QString, QStringList> discipline; ///< question code -> choice codes

    bool operator==(const BallotAnswers &) const = default;
};

struct Suggestion {
    QString session;
    QString topic; ///< SuggestionTopic::code
    QString department; ///< Department::code of the session, or empty for "no particular department"
    QString text; ///< 1..maxSuggestionChars characters

    bool operator==(const Suggestion &) const = default;
};

inline constexpr int maxSuggestionChars = 500;
/// A voter leaves at most this many suggestions; the kiosk keeps that many suggestion slots
/// per invited representative (core/ballotbox.h).
inline constexpr int maxSuggestionsPerVoter = 1;

/// Plaintext sizes: a ballot is padded to a multiple of ballotPadBlock that is the same for
/// every ballot of an activity (ballotPlaintextSize), a suggestion to exactly
/// suggestionPadBlock, so every sealed record of a kind has one size.
/// (The values live with the codec, core/formats/ballotcodec.h.)
inline constexpr qsizetype ballotPadBlock = formats::ballotPadBlock;
inline constexpr qsizetype suggestionPadBlock = formats::suggestionPadBlock;

/// Every department rated with a scale option, required questions answered, choices
/// valid and within max_choices. Error codes: "ballot-session", "ballot-incomplete",
/// "ballot-invalid".
Status validateBallot(const Activity &activity, const BallotAnswers &ballot);
/// Error code "suggestion-invalid".
Status validateSuggestion(const Activity &activity, const Suggestion &suggestion);

/// The padded size of every ballot of the activity: the encoding of its largest possible
/// ballot (every department, every question with as many of its longest choices as allowed)
/// rounded up to ballotPadBlock, so no ballot's length tells how it was filled in.
qsizetype ballotPlaintextSize(const Activity &activity);

/// Padded plaintext (length hides how many choices were made). `paddedSize` is a multiple
/// of ballotPadBlock larger than the encoding (ballotPlaintextSize for a real ballot).
QByteArray encodeBallot(const QString &activityId, const BallotAnswers &ballot, qsizetype paddedSize = ballotPadBlock);
QByteArray encodeSuggestion(const QString &activityId, const Suggestion &suggestion);
/// Decoders check structure only; validate against the activity separately. A ballot's
/// padding may fill any multiple of ballotPadBlock.
Result<BallotAnswers> decodeBallot(QByteArrayView plaintext, QString *activityId = nullptr);
Result<Suggestion> decodeSuggestion(QByteArrayView plaintext, QString *activityId = nullptr);

enum class RecordKind : quint8 { Ballot = 1, Suggestion = 2 };

/// Where a record was cast; bound into every record's signature so a record cannot be
/// moved to another session, kiosk, venue, activity, or from a rehearsal to a real session.
struct SessionContext {
    QString activityId;
    QString venue;
    QString kioskId;
    QString session;
    bool rehearsal = false;
};

/// A sealed record as stored by the kiosk and carried in a batch: no time, no order, no voter.
struct SealedRecord {
    RecordKind kind = RecordKind::Ballot;
    QByteArray sealed; ///< sealed box to the election key
    QByteArray signature; ///< kiosk signature over recordSigningBytes()

    /// The record id: BLAKE2b-256 of the sealed bytes.
    QByteArray id() const { return crypto::hash(sealed); }
};

QByteArray recordSigningBytes(const SessionContext &context, RecordKind kind, QByteArrayView sealed);
const char *recordDomain(RecordKind kind);

SealedRecord sealRecord(const SessionContext &context, RecordKind kind, QByteArrayView plaintext,
                        QByteArrayView electionPublicKey, const crypto::SigningKey &kioskKey);
bool verifyRecord(const SessionContext &context, const SealedRecord &record, QByteArrayView kioskPublicKey);

/// Receipt code shown to the voter and published on the bulletin: 40 bits of the ballot
/// id in base32, as "ABCD-EFGH".
QString receiptCode(QByteArrayView ballotId);

/// BLAKE2b-256 over the concatenation of the sorted ids (the closing report's digest).
QByteArray sortedIdDigest(QList<QByteArray> ids);

} // namespace pingyi
