#pragma once
// Casting: the ballot (and suggestions) sealed to the election key at once, signed by the
// kiosk, put in the ballot box, and the check-in marked voted — in one transaction.

#include "checkinledger.h"
#include "kioskenv.h"

namespace pingyi::kiosk {

class BallotCaster {
public:
    BallotCaster(KioskEnv &env, CheckInLedger &ledger) : m_env(env), m_ledger(ledger) { }

    /// Error codes: "no-voter", "ballot-*", "suggestion-invalid", "db",
    /// "db-full" (the kiosk's disk is full: nothing was stored, the check-in stays unused).
    Result<Receipt> cast(const BallotAnswers &ballot, const QList<Suggestion> &suggestions);

private:
    KioskEnv &m_env;
    CheckInLedger &m_ledger;
};

} // namespace pingyi::kiosk
