// pingyi-hq: the election key split among trustees.

#include "hqcli.h"

#include "fileio.h"

#include <QJsonArray>
#include <QJsonObject>

#include <utility>

namespace pingyi::hqcli {

namespace {

int cmdTrusteesSplit(QCommandLineParser &p)
{
    auto outDir = required(p, outOpt);
    if (!outDir)
        return fail(outDir.error());
    bool okK = false, okN = false;
    const int k = p.value(QStringLiteral("k")).toInt(&okK);
    const int n = p.value(QStringLiteral("n")).toInt(&okN);
    if (!okK || !okN)
        return fail(
            makeError(QStringLiteral("usage"),
                      QStringLiteral("--k and --n are required whole numbers (K of N shares rebuild the key)")));
    auto h = openHq(p);
    if (!h)
        return fail(h.error());
    hq::SplitOptions o;
    o.threshold = k;
    o.count = n;
    o.outDir = *outDir;
    o.trustees = p.values(QStringLiteral("trustee"));
    o.retireElectionKey = p.isSet(QStringLiteral("retire-election-key"));
    if (o.count < 2 || o.count > 255 || o.threshold < 2 || o.threshold > o.count)
        return fail(makeError(QStringLiteral("usage"),
                              QStringLiteral("need 2 <= K <= N <= 255; got K=%1, N=%2").arg(k).arg(n)));
    if (!o.trustees.isEmpty() && o.trustees.size() != n)
        return fail(makeError(
            QStringLiteral("usage"),
            QStringLiteral("give --trustee once per share (%1 names for %2 shares)").arg(o.trustees.size()).arg(n)));
    const hq::NoCoreDumps noDumps; // the election key and the shares are in memory from here
    auto pass = cli::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase: "), false);
    if (!pass)
        return fail(pass.error());
    o.officePassphrase = &*pass;
    auto secrets = h->unlock(*pass);
    if (!secrets)
        return fail(secrets.error());
    auto election = p.isSet(shareOpt) ? electionKey(p, *h) : h->unlockElection(*pass);
    if (!election)
        return fail(election.error());
    std::vector<crypto::SecretBytes> passphrases;
    // With --share the first positions of --share-passphrase-file belong to the old shares.
    const int offset = int(p.values(shareOpt).size());
    for (int i = 1; i <= n; ++i) {
        hq::ShareInfo info;
        info.index = i;
        info.count = n;
        info.trustee = o.trustees.value(i - 1);
        auto sp = sharePassphrase(p, info, offset + i - 1, true);
        if (!sp)
            return fail(sp.error());
        passphrases.push_back(std::move(sp).value());
    }
    auto r = hq::splitElectionKey(*h, *election, secrets->root, o, passphrases);
    if (!r)
        return fail(r.error());
    if (p.isSet(jsonOpt)) {
        printJson(*r);
        return Ok;
    }
    out(QStringLiteral("Split the election key %1 into %2 shares; any %3 rebuild it (ceremony %4).")
            .arg(r->value(QLatin1String("election_fingerprint")).toString())
            .arg(n)
            .arg(k)
            .arg(r->value(QLatin1String("ceremony")).toString()));
    for (const QJsonValue &f : r->value(QLatin1String("files")).toArray())
        out(QStringLiteral("  %1").arg(f.toString()));
    out(QStringLiteral("Record of the split (signed): %1").arg(r->value(QLatin1String("record")).toString()));
    if (r->value(QLatin1String("election_key_retired")).toBool())
        out(QStringLiteral("election.key was removed: from now on only %1 trustees together can open ballots.").arg(k));
    else
        out(QStringLiteral("election.key is still in the HQ directory; add --retire-election-key to remove it once the "
                           "trustees hold their shares."));
    out(QStringLiteral("Give each trustee their file on its own medium; each keeps their passphrase to themselves."));
    return Ok;
}

int cmdTrusteesShow(QCommandLineParser &p)
{
    if (p.positionalArguments().isEmpty())
        return fail(makeError(QStringLiteral("usage"), QStringLiteral("give at least one SHARE file")));
    QJsonArray list;
    for (const QString &f : p.positionalArguments()) {
        auto s = hq::readShareInfo(f);
        if (!s)
            return fail(s.error());
        list.append(QJsonObject {{QStringLiteral("file"), f},
                                 {QStringLiteral("index"), s->index},
                                 {QStringLiteral("k"), s->threshold},
                                 {QStringLiteral("n"), s->count},
                                 {QStringLiteral("trustee"), s->trustee},
                                 {QStringLiteral("ceremony"), s->ceremony},
                                 {QStringLiteral("election_fingerprint"), crypto::fingerprint(s->electionPublicKey)}});
        if (!p.isSet(jsonOpt))
            out(QStringLiteral("%1: share %2 of %3 (any %4 rebuild the key)%5, election key %6, ceremony %7")
                    .arg(f)
                    .arg(s->index)
                    .arg(s->count)
                    .arg(s->threshold)
                    .arg(s->trustee.isEmpty() ? QString() : QStringLiteral(", trustee ") + s->trustee)
                    .arg(crypto::fingerprint(s->electionPublicKey), s->ceremony));
    }
    if (p.isSet(jsonOpt))
        printJson({{QStringLiteral("shares"), list}});
    return Ok;
}

} // namespace

std::vector<Command> trusteesCommands()
{
    return {
        {QStringLiteral("trustees split"),
         QStringLiteral("trustees split --hq DIR --k K --n N --out DIR [--trustee NAME…]"),
         QStringLiteral("Split the election key into N passphrase-protected shares of which any K rebuild it."),
         [=](QCommandLineParser &p) {
             withHq(p);
             p.addOption(outOpt);
             p.addOption(
                 {QStringLiteral("k"), QStringLiteral("Shares needed to rebuild the key."), QStringLiteral("K")});
             p.addOption({QStringLiteral("n"), QStringLiteral("Shares to make."), QStringLiteral("N")});
             p.addOption({QStringLiteral("trustee"),
                          QStringLiteral("Name of the trustee of the next share (repeat N times)."),
                          QStringLiteral("NAME")});
             p.addOption({QStringLiteral("retire-election-key"),
                          QStringLiteral("Remove election.key after the split (keeps election.pub).")});
             p.addOption(shareOpt);
             p.addOption(sharePassOpt);
         },
         cmdTrusteesSplit},
        {QStringLiteral("trustees show"), QStringLiteral("trustees show SHARE…"),
         QStringLiteral("Print what a share file is (index, trustee, split) without its passphrase."),
         [=](QCommandLineParser &p) {
             common(p);
             p.addPositionalArgument(QStringLiteral("SHARE"), QStringLiteral("Share files."));
         },
         cmdTrusteesShow},
    };
}

} // namespace pingyi::hqcli
