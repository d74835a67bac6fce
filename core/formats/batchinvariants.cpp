#include "batchinvariants.h"

#include <QSet>

namespace pingyi::formats {

namespace {
QList<QByteArray> idsOf(const QList<SealedRecord> &records, RecordKind kind)
{
    QList<QByteArray> ids;
    for (const SealedRecord &r : records)
        if (r.kind == kind)
            ids.append(r.id());
    return ids;
}
} // namespace

IdsMatch matchIds(const QList<QByteArray> &ids, qint64 count, const QByteArray &digest)
{
    if (ids.size() != count)
        return IdsMatch::CountDiffers;
    return sortedIdDigest(ids) == digest ? IdsMatch::Match : IdsMatch::DigestDiffers;
}

QList<BatchFinding> batchInvariantFindings(const BatchContent &c)
{
    QList<BatchFinding> out;
    auto broken = [&](const QString &what) {
        out.append(
            {QStringLiteral("batch-invariant"), QStringLiteral("the batch's counts do not add up: %1").arg(what)});
    };
    const BatchCounts &n = c.header.counts;
    const QList<QByteArray> ballots = idsOf(c.records, RecordKind::Ballot);
    const QList<QByteArray> suggestions = idsOf(c.records, RecordKind::Suggestion);
    if (n.checkins != n.ballots + n.released)
        broken(
            QStringLiteral("%1 check-ins but %2 ballots + %3 released").arg(n.checkins).arg(n.ballots).arg(n.released));
    const IdsMatch b = matchIds(ballots, n.ballots, c.header.ballotDigest);
    const IdsMatch s = matchIds(suggestions, n.suggestions, c.header.suggestionDigest);
    if (b == IdsMatch::CountDiffers)
        broken(QStringLiteral("header says %1 ballots, the batch holds %2").arg(n.ballots).arg(ballots.size()));
    if (s == IdsMatch::CountDiffers)
        broken(QStringLiteral("header says %1 suggestions, the batch holds %2")
                   .arg(n.suggestions)
                   .arg(suggestions.size()));
    if (QSet<QByteArray>(ballots.cbegin(), ballots.cend()).size() != ballots.size())
        broken(QStringLiteral("a ballot id appears twice"));
    if (sortedIdDigest(ballots) != c.header.ballotDigest)
        broken(QStringLiteral("the digest of the sorted ballot ids differs from the header's"));
    if (sortedIdDigest(suggestions) != c.header.suggestionDigest)
        broken(QStringLiteral("the digest of the sorted suggestion ids differs from the header's"));
    qint64 voted = 0;
    QSet<QString> reps;
    for (const CheckInEntry &e : c.checkins) {
        voted += e.voted ? 1 : 0;
        reps.insert(e.repId);
    }
    if (reps.size() != c.checkins.size())
        broken(QStringLiteral("a representative appears twice in the check-in list"));
    if (voted != n.ballots)
        broken(QStringLiteral("%1 representatives voted but there are %2 ballots").arg(voted).arg(n.ballots));
    if (c.checkins.size() > n.checkins)
        broken(QStringLiteral("more representatives in the check-in list than check-ins"));
    return out;
}

} // namespace pingyi::formats
