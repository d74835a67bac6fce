#include "hqcli.h"

#include "fileio.h"
#include "hqlock.h"
#include "redact.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>

namespace pingyi::hqcli {

void out(const QString &s)
{
    std::fputs(qPrintable(s + QLatin1Char('\n')), stdout);
}
void err(const QString &s)
{
    std::fputs(qPrintable(QStringLiteral("pingyi-hq: ") + s + QLatin1Char('\n')), stderr);
}

int fail(const Error &e)
{
    err(QStringLiteral("error: ") + e.toString());
    return e.code == QLatin1String("usage") ? Usage : Failed;
}

void printJson(const QJsonObject &o)
{
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Indented).constData(), stdout);
}

const QCommandLineOption hqOpt(QStringLiteral("hq"), QStringLiteral("HQ directory."), QStringLiteral("DIR"));
const QCommandLineOption jsonOpt(QStringLiteral("json"), QStringLiteral("Print the result as JSON."));
const QCommandLineOption
    passOpt(QStringLiteral("passphrase-file"),
            QStringLiteral("Read the passphrase from FILE (else PINGYI_PASSPHRASE, else a prompt)."),
            QStringLiteral("FILE"));
const QCommandLineOption activityOpt(QStringLiteral("activity"), QStringLiteral("Activity spec (JSON)."),
                                     QStringLiteral("SPEC"));
const QCommandLineOption outOpt(QStringLiteral("out"), QStringLiteral("Output file or directory."),
                                QStringLiteral("PATH"));
const QCommandLineOption venueOpt(QStringLiteral("venue"), QStringLiteral("Venue code."), QStringLiteral("V"));
const QCommandLineOption
    closingOpt(QStringLiteral("closing-report"),
               QStringLiteral("A kiosk's closing-report QR payload (PYR1:…), or a file with one payload "
                              "per line; repeatable. Each is checked against the batch of its kiosk "
                              "and session."),
               QStringLiteral("PAYLOAD|FILE"));
const QCommandLineOption threadsOpt(QStringLiteral("threads"),
                                    QStringLiteral("Worker threads (default: one per core)."), QStringLiteral("N"));
const QCommandLineOption shareOpt(QStringLiteral("share"),
                                  QStringLiteral("A trustee's share file (repeat for each share brought)."),
                                  QStringLiteral("FILE"));
const QCommandLineOption
    sharePassOpt(QStringLiteral("share-passphrase-file"),
                 QStringLiteral("For tests and rehearsals only: passphrase file for the share in the "
                                "same position (repeatable). Otherwise each trustee types theirs; "
                                "share passphrases never come from PINGYI_PASSPHRASE."),
                 QStringLiteral("FILE"));

void common(QCommandLineParser &p)
{
    p.addOption(jsonOpt);
}

void withHq(QCommandLineParser &p)
{
    p.addOption(hqOpt);
    p.addOption(jsonOpt);
    p.addOption(passOpt);
}

Result<QString> required(QCommandLineParser &p, const QCommandLineOption &o)
{
    if (!p.isSet(o) || p.value(o).isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--%1 is required (see --help)").arg(o.names().first()));
    return p.value(o);
}

Result<hq::Hq> openHq(QCommandLineParser &p, Lock lock)
{
    static std::optional<hq::HqLock> held;
    auto dir = required(p, hqOpt);
    if (!dir)
        return dir.error();
    if (lock == Lock::Here && !held && QFileInfo::exists(QDir(*dir).filePath(QLatin1String(hq::Hq::rootKeyFile)))) {
        auto l = hq::HqLock::acquire(*dir);
        if (!l)
            return l.error();
        held.emplace(std::move(l).value());
    }
    return hq::Hq::open(*dir);
}

Result<std::optional<hq::Secrets>> unlockUnlessNoDecrypt(QCommandLineParser &p, const hq::Hq &h)
{
    if (p.isSet(QStringLiteral("no-decrypt")))
        return std::optional<hq::Secrets>();
    auto secrets = unlock(p, h);
    if (!secrets)
        return secrets.error();
    return std::optional<hq::Secrets>(std::move(secrets).value());
}

Result<hq::Secrets> unlock(QCommandLineParser &p, const hq::Hq &h)
{
    auto pass = cli::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase: "), false);
    if (!pass)
        return pass.error();
    return h.unlock(*pass);
}

Result<Activity> loadActivity(const QString &path)
{
    auto bytes = readInputFile(path, InputKind::ActivitySpec);
    if (!bytes)
        return bytes.error();
    return Activity::fromJson(*bytes, path);
}

Result<QStringList> reportCodes(const QStringList &values, const QString &option)
{
    QStringList out;
    for (const QString &v : values) {
        if (v.trimmed().startsWith(QLatin1String("PYR1:"))) {
            out << v.trimmed();
            continue;
        }
        auto text = readInputFile(v, InputKind::Reports);
        if (!text)
            return makeError(QStringLiteral("io-read"),
                             QStringLiteral("%1%2 is neither a report code (PYR1:…) nor a readable file: %3")
                                 .arg(option, v, text.error().message));
        const qsizetype before = out.size();
        for (const QString &line : QString::fromUtf8(*text).split(QLatin1Char('\n')))
            if (line.trimmed().startsWith(QLatin1String("PYR1:")))
                out << line.trimmed();
        if (out.size() == before)
            return makeError(
                QStringLiteral("usage"),
                QStringLiteral("%1%2 holds no report code (no line starting with PYR1:): give the file with "
                               "the scanned zero or closing report codes, one a line")
                    .arg(option, v));
    }
    return out;
}

Result<crypto::SecretBytes> sharePassphrase(QCommandLineParser &p, const hq::ShareInfo &share, int position,
                                            bool create)
{
    const QStringList files = p.values(sharePassOpt);
    const QString file = position < files.size() ? files[position] : QString();
    QString who = QStringLiteral("share %1 of %2").arg(share.index).arg(share.count);
    if (!share.trustee.isEmpty())
        who += QStringLiteral(" (trustee %1)").arg(share.trustee);
    // Never from PINGYI_PASSPHRASE: that holds the office's passphrase, and every share
    // would get it (k-of-n would be gone).
    return cli::obtainPassphrase(
        file, (create ? QStringLiteral("New passphrase for %1: ") : QStringLiteral("Passphrase for %1: ")).arg(who),
        create, false);
}

std::optional<crypto::SecretBytes> officePassphraseIfGiven(QCommandLineParser &p)
{
    if (!p.isSet(passOpt) && qEnvironmentVariableIsEmpty("PINGYI_PASSPHRASE"))
        return std::nullopt;
    auto pass = cli::obtainPassphrase(p.value(passOpt), QString(), false);
    if (!pass)
        return std::nullopt;
    return std::move(pass).value();
}

Result<crypto::BoxKeyPair> electionKey(QCommandLineParser &p, const hq::Hq &h)
{
    const QStringList shares = p.values(shareOpt);
    if (shares.isEmpty()) {
        auto pass = cli::obtainPassphrase(p.value(passOpt), QStringLiteral("HQ passphrase (election key): "), false);
        if (!pass)
            return pass.error();
        return h.unlockElection(*pass);
    }
    const std::optional<crypto::SecretBytes> office = officePassphraseIfGiven(p);
    return hq::combineShares(h, shares, [&](const hq::ShareInfo &s) -> Result<crypto::SecretBytes> {
        auto pass = sharePassphrase(p, s, int(shares.indexOf(s.path)), false);
        if (pass && office && pass->equals(*office))
            return makeError(QStringLiteral("share-passphrase"),
                             QStringLiteral("the passphrase given is the office (HQ) passphrase: each trustee's share "
                                            "has its own; make new shares if this one was made with it"));
        return pass;
    });
}

Result<int> threadsOption(QCommandLineParser &p)
{
    if (!p.isSet(threadsOpt))
        return 0;
    bool ok = false;
    const int n = p.value(threadsOpt).toInt(&ok);
    if (!ok || n < 1 || n > 256)
        return makeError(QStringLiteral("usage"), QStringLiteral("--threads must be a whole number from 1 to 256"));
    return n;
}

} // namespace pingyi::hqcli
