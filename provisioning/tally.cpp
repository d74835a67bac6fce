// computeTally: the order of the tally's steps. Each step lives in provisioning/tally/:
// counting (open every archived batch, count the ballots), aggregation (results per
// group, department, venue and category), disclosure (what may be shown: anonymity
// threshold, withholding, release checks) and output (results.json, CSV files); the
// tally's hq.db queries are in tallystore.h. docs/tally.md §6 says where each part lives.
#include "tally.h"

#include "hq.h"
#include "tally/aggregation.h"
#include "tally/counting.h"
#include "tally/disclosure.h"

#include <algorithm>
#include <utility>

namespace pingyi::hq {

Result<TallyResults> computeTally(Hq &hq, const crypto::BoxKeyPair &election, const TallyOptions &options)
{
    if (election.publicKey() != hq.electionPublicKey())
        return makeError(QStringLiteral("election-key"),
                         QStringLiteral("the key given is not this office's election key (%1)")
                             .arg(crypto::fingerprint(hq.electionPublicKey())));
    auto activity = hq.activity();
    if (!activity)
        return activity.error();
    const tally::Index ix(*activity);
    Database &db = hq.db();

    // ---- read what import stored ---------------------------------------------------
    auto batches = tally::importedBatches(db, ix);
    if (!batches)
        return batches.error();
    auto kiosks = tally::accountForKiosks(hq, *batches);
    if (!kiosks)
        return kiosks.error();
    auto roster = tally::readRoster(db);
    if (!roster)
        return roster.error();

    // ---- open every record on every core ------------------------------------------
    auto counted = tally::countRecords(*activity, ix, *batches, election, hq.filePath(Hq::batchesDir), options);
    if (!counted)
        return counted.error();

    QHash<qint64, int> batchIndex;
    for (int i = 0; i < batches->size(); ++i)
        batchIndex.insert((*batches)[i].id, i);
    auto checkins = tally::readCheckins(db, batchIndex);
    if (!checkins)
        return checkins.error();
    auto quarantined = tally::quarantinedRecords(db);
    if (!quarantined)
        return quarantined.error();
    auto released = tally::releasedParts(db);
    if (!released)
        return released.error();

    // ---- results -------------------------------------------------------------------
    TallyResults res;
    res.activityId = activity->id;
    res.activityName = activity->name;
    res.year = activity->year;
    res.generated = options.generated.isValid() ? options.generated : QDateTime::currentDateTimeUtc();
    res.rootFingerprint = crypto::fingerprint(hq.rootPublicKey());
    res.electionFingerprint = crypto::fingerprint(hq.electionPublicKey());
    res.threshold = std::max(1, activity->tally.anonymityThreshold);
    res.satisfiedThreshold = activity->tally.satisfiedThreshold;
    res.rankTies = activity->tally.rankTies;
    res.scale = activity->scale;
    res.retired = std::move(kiosks->retired);
    res.silentKiosks = std::move(kiosks->silent);
    res.quarantined = std::move(*quarantined);
    res.rejected = std::move(counted->rejected);
    res.suggestions = std::move(counted->suggestions);
    for (const tally::BatchInfo &b : *batches) {
        res.batches.append(b.ref);
        res.batchIds.append(b.id);
    }
    tally::aggregate({*activity, ix, *batches, counted->cells, *roster, *checkins, kiosks->expected, *released}, res);
    return res;
}

} // namespace pingyi::hq
