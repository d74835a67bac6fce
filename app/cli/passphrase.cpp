#include "passphrase.h"

#include "fileio.h"

#include <QByteArrayList>

#include <sodium.h>

#include <cstdio>

#include <termios.h>
#include <unistd.h>

namespace pingyi::cli {

Result<crypto::SecretBytes> obtainPassphrase(const QString &passphraseFile, const QString &prompt, bool confirm,
                                             bool fromEnvironment)
{
    auto trimmed = [](QByteArray b) {
        while (!b.isEmpty() && (b.endsWith('\n') || b.endsWith('\r')))
            b.chop(1);
        return b;
    };
    auto accept = [](QByteArray b) -> Result<crypto::SecretBytes> {
        if (QString::fromUtf8(b).size() < 8) { // characters, not bytes: 8 Chinese characters are fine
            sodium_memzero(b.data(), size_t(b.size()));
            return makeError(QStringLiteral("passphrase"),
                             QStringLiteral("the passphrase is too short: use at least 8 characters"));
        }
        crypto::SecretBytes s = crypto::SecretBytes::copyOf(b);
        sodium_memzero(b.data(), size_t(b.size()));
        return s;
    };
    if (!passphraseFile.isEmpty()) {
        auto data = readInputFile(passphraseFile, InputKind::Passphrase);
        if (!data)
            return makeError(QStringLiteral("passphrase"), data.error().message);
        // Only the first line counts, so a trailing newline from an editor does no harm.
        QByteArray line = data->split('\n').value(0);
        sodium_memzero(data->data(), size_t(data->size()));
        return accept(trimmed(line));
    }
    if (fromEnvironment) {
        const QByteArray env = qgetenv("PINGYI_PASSPHRASE");
        if (!env.isEmpty())
            return accept(env);
    }
    if (!::isatty(STDIN_FILENO))
        return makeError(QStringLiteral("passphrase"),
                         fromEnvironment
                             ? QStringLiteral("a passphrase is needed: give --passphrase-file FILE, set "
                                              "PINGYI_PASSPHRASE, or run on a terminal to be asked")
                             : QStringLiteral("this passphrase is typed on a terminal (it is never taken from "
                                              "PINGYI_PASSPHRASE); for tests and rehearsals give its file"));
    auto ask = [&](const QString &text) {
        std::fprintf(stderr, "%s", text.toLocal8Bit().constData());
        std::fflush(stderr);
        termios old {};
        ::tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        char buf[512];
        QByteArray line;
        if (std::fgets(buf, sizeof buf, stdin))
            line = buf;
        sodium_memzero(buf, sizeof buf);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        std::fprintf(stderr, "\n");
        return trimmed(line);
    };
    QByteArray first = ask(prompt);
    if (confirm) {
        QByteArray second = ask(QStringLiteral("Repeat the passphrase: "));
        const bool same = first == second;
        sodium_memzero(second.data(), size_t(second.size()));
        if (!same) {
            sodium_memzero(first.data(), size_t(first.size()));
            return makeError(QStringLiteral("passphrase"), QStringLiteral("the two passphrases differ: try again"));
        }
    }
    return accept(first);
}

} // namespace pingyi::cli
