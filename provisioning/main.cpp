// pingyi-hq: the tallying office's command-line tool. main.cpp dispatches to the commands
// of each area (cli/cmd_*.cpp), each a thin wrapper over pingyi::hq (hq.h and its
// neighbours) so the tests exercise the same code.

#include "crypto.h"
#include "hqcli.h"
#include "redact.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstdio>
#include <memory>

using namespace pingyi;
using namespace pingyi::hqcli;

namespace {

std::vector<Command> commands()
{
    std::vector<Command> all;
    for (auto area : {setupCommands, rosterCommands, kioskCommands, packageCommands, importCommands, trusteesCommands,
                      tallyCommands, reportCommands, bulletinCommands})
        for (Command &c : area())
            all.push_back(std::move(c));
    return all;
}

void usage(FILE *to)
{
    std::fputs("Usage: pingyi-hq COMMAND [options]   (pingyi-hq COMMAND --help for details)\n\nCommands:\n", to);
    for (const Command &c : commands())
        std::fprintf(to, "  %-70s\n      %s\n", qPrintable(c.synopsis), qPrintable(c.description));
}

} // namespace

int main(int argc, char **argv)
{
    // cards, tally and bulletin draw PDFs with QtGui; no display is needed.
    const bool needsGui = argc > 1
        && (qstrcmp(argv[1], "cards") == 0 || qstrcmp(argv[1], "tally") == 0 || qstrcmp(argv[1], "bulletin") == 0);
    if (needsGui && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Drawing a PDF offscreen needs no runtime directory: Qt's note that there is none
    // (usual for root on an offline office machine) would only alarm the operator.
    static const QtMessageHandler standard = qInstallMessageHandler(nullptr);
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        if (!message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
            standard(type, context, message);
    });
    std::unique_ptr<QCoreApplication> app(needsGui ? new QGuiApplication(argc, argv)
                                                   : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("pingyi-hq"));
    if (!crypto::init()) {
        err(QStringLiteral("error: libsodium cannot be initialised"));
        return Failed;
    }
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")
        || args[1] == QLatin1String("help")) {
        usage(args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? Usage : Ok;
    }
    for (const Command &c : commands()) {
        const QStringList words = c.name.split(QLatin1Char(' '));
        if (args.size() < 1 + words.size() || args.mid(1, words.size()) != words)
            continue;
        // Two-word commands ("package inspect") are tried before their one-word prefix.
        if (words.size() == 1 && args.size() > 2) {
            bool longer = false;
            for (const Command &o : commands())
                if (o.name == c.name + QLatin1Char(' ') + args[2])
                    longer = true;
            if (longer)
                continue;
        }
        QCommandLineParser p;
        p.setApplicationDescription(c.description + QStringLiteral("\n\nUsage: pingyi-hq ") + c.synopsis);
        p.addHelpOption();
        c.options(p);
        QStringList rest {QStringLiteral("pingyi-hq ") + c.name};
        rest += args.mid(1 + words.size());
        if (!p.parse(rest)) {
            // Qt quotes the unknown option: it may be anything typed, an ID number included.
            err(QStringLiteral("error: ") + safeToPrint(p.errorText(), 200)
                + QStringLiteral(" (see pingyi-hq %1 --help)").arg(c.name));
            return Usage;
        }
        if (p.isSet(QStringLiteral("help"))) {
            std::fputs(qPrintable(p.helpText()), stdout);
            return Ok;
        }
        return c.run(p);
    }
    err(QStringLiteral("error: unknown command %1").arg(quoteInput(args.mid(1).join(QLatin1Char(' ')), 60)));
    usage(stderr);
    return Usage;
}
