#pragma once
// What pingyi-hq's command files share: output and exit codes, the common options, and
// the steps most commands begin with (open the HQ directory under its lock, unlock the
// root key, rebuild the election key from its file or the trustees' shares).
// One file per area (cmd_*.cpp) defines its commands; main.cpp dispatches.

#include "activity.h"
#include "crypto.h"
#include "hq.h"
#include "passphrase.h"
#include "result.h"
#include "trustees.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace pingyi::hqcli {

/// Exit codes: 0 done, 1 failed or needs attention, 2 usage.
enum Exit { Ok = 0, Failed = 1, Usage = 2 };

void out(const QString &s);
/// "pingyi-hq: " + s on stderr.
void err(const QString &s);
/// Prints the error; returns Usage for code "usage", else Failed.
int fail(const Error &e);
void printJson(const QJsonObject &o);

struct Command {
    QString name;
    QString synopsis;
    QString description;
    std::function<void(QCommandLineParser &)> options;
    std::function<int(QCommandLineParser &)> run;
};

extern const QCommandLineOption hqOpt;
extern const QCommandLineOption jsonOpt;
extern const QCommandLineOption passOpt;
extern const QCommandLineOption activityOpt;
extern const QCommandLineOption outOpt;
extern const QCommandLineOption venueOpt;
extern const QCommandLineOption closingOpt;
extern const QCommandLineOption threadsOpt;
extern const QCommandLineOption shareOpt;
extern const QCommandLineOption sharePassOpt;

/// --json.
void common(QCommandLineParser &p);
/// --hq, --json, --passphrase-file.
void withHq(QCommandLineParser &p);

Result<QString> required(QCommandLineParser &p, const QCommandLineOption &o);

/// Who holds the HQ directory's lock for the command: this wrapper, or the importer
/// (verify and import take it themselves, for exactly their run).
enum class Lock { Here, ByImporter };

/// Opens --hq DIR. Unless the importer takes it, holds DIR's lock until the process ends:
/// one pingyi-hq command at a time per HQ directory ("hq-busy" names the other one).
Result<hq::Hq> openHq(QCommandLineParser &p, Lock lock = Lock::Here);
/// Unlocks the root key with the office passphrase (--passphrase-file, environment or prompt).
Result<hq::Secrets> unlock(QCommandLineParser &p, const hq::Hq &h);
/// unlock(), unless the command was given --no-decrypt (then nothing, and no passphrase asked).
Result<std::optional<hq::Secrets>> unlockUnlessNoDecrypt(QCommandLineParser &p, const hq::Hq &h);
Result<Activity> loadActivity(const QString &path);

/// --threads N (default 0: one per core).
Result<int> threadsOption(QCommandLineParser &p);

/// Report codes from `values`: `PYR1:` payloads, or files of scanned codes, one a line.
/// `option` names where they came from in messages ("--closing-report ", or empty).
Result<QStringList> reportCodes(const QStringList &values, const QString &option);

/// The passphrase of the share at `position` (from --share-passphrase-file, else typed).
Result<crypto::SecretBytes> sharePassphrase(QCommandLineParser &p, const hq::ShareInfo &share, int position,
                                            bool create);
/// The office passphrase if it is at hand without asking (file or environment), to refuse
/// it as a share's passphrase.
std::optional<crypto::SecretBytes> officePassphraseIfGiven(QCommandLineParser &p);
/// The election sealing key: from election.key with the office passphrase, or rebuilt from
/// the trustees' shares given with --share.
Result<crypto::BoxKeyPair> electionKey(QCommandLineParser &p, const hq::Hq &h);

// The commands of each area, in the order `pingyi-hq --help` lists them.
std::vector<Command> setupCommands();
std::vector<Command> rosterCommands();
std::vector<Command> kioskCommands();
std::vector<Command> packageCommands();
std::vector<Command> importCommands();
std::vector<Command> trusteesCommands();
std::vector<Command> tallyCommands();
std::vector<Command> reportCommands();
std::vector<Command> bulletinCommands();

} // namespace pingyi::hqcli
