#include "ballotcaster.h"

#include <QScopeGuard>

namespace pingyi::kiosk {

Result<Receipt> BallotCaster::cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions)
{
    if (!m_env.voter)
        return kioskError("no-voter", QStringLiteral("nobody is checked in at this kiosk"));
    if (ballot.session != m_env.voter->session.code)
        return kioskError("ballot-session", QStringLiteral("this ballot is for another group session"));
    if (auto s = validateBallot(m_env.activity, ballot); !s)
        return s.error();
    if (suggestions.size() > maxSuggestionsPerVoter)
        return kioskError("suggestion-invalid",
                          QStringLiteral("at most %1 suggestion(s) per representative").arg(maxSuggestionsPerVoter));
    for (const Suggestion &sg : suggestions) {
        if (sg.session != m_env.voter->session.code)
            return kioskError("suggestion-invalid", QStringLiteral("a suggestion is for another group session"));
        if (auto s = validateSuggestion(m_env.activity, sg); !s)
            return s.error();
    }
    // Sealed to the election key at once: from here on the kiosk cannot read it.
    const SessionContext ctx = m_env.context(m_env.voter->session);
    const SealedRecord b
        = sealRecord(ctx, RecordKind::Ballot, encodeBallot(m_env.activity.id, ballot, m_env.ballotSize),
                     m_env.electionPublicKey, m_env.key);
    QList<SealedRecord> extra;
    for (const Suggestion &sg : suggestions)
        extra.append(sealRecord(ctx, RecordKind::Suggestion, encodeSuggestion(m_env.activity.id, sg),
                                m_env.electionPublicKey, m_env.key));

    const KioskEnv::Voter voter = *m_env.voter;
    const QByteArray ballotId = b.id();
    KioskStore &store = *m_env.store;
    Database::Transaction tx(store.database());
    if (!tx.status())
        return tx.status().error();
    // The local ledger marks the check-in voted in this transaction: mark and ballot
    // commit together or not at all.
    if (auto s = m_ledger.markVoted(voter.session, voter.repId); !s)
        return s.error();
    // Slots taken by a transaction that does not commit are free again.
    BallotBox &box = store.ballotBox();
    auto forget = qScopeGuard([&] { box.invalidate(); });
    if (auto s = box.put(voter.session.code, voter.session.rehearsal, b); !s)
        return s.error();
    for (const SealedRecord &r : extra)
        if (auto s = box.put(voter.session.code, voter.session.rehearsal, r); !s)
            return s.error();
    if (auto s = tx.commit(); !s)
        return s.error();
    forget.dismiss();
    m_env.voter.reset();
    // A venue-shared ledger tells the venue now; the ballot is durable here already.
    m_ledger.voteCommitted(voter.session, voter.repId);
    // The log now holds this cast's pages (the check-in marked voted beside the ballot's
    // slot): fold them into the database and empty the log. The ballot is durable already
    // (synchronous=FULL), so the voter need not wait for the second write; anything that
    // next uses the store waits for it, and open() finishes it after a power cut.
    store.truncateWalLater();
    return Receipt {receiptCode(ballotId), qint64(extra.size())};
}

} // namespace pingyi::kiosk
