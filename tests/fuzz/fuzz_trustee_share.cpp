// A trustee's share file (hq::readShareInfo: the key-file envelope, then the share's public
// description), as `pingyi-hq tally` reads every share before asking for a passphrase. The
// reader takes a path, so each input is written to one scratch file first.
// Invariant: a share that reads describes a consistent K-of-N split.
#include "fuzzcommon.h"
#include "trustees.h"

#include <QDir>
#include <QTemporaryDir>

using namespace pingyi;

namespace {
QString scratchPath()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/pingyi-fuzz-share-XXXXXX"));
    return dir.filePath(QStringLiteral("share.key"));
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    (void)crypto::init();
    (void)scratchPath();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = scratchPath();
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            fuzz::fail("cannot write the scratch share file", __FILE__, __LINE__);
        f.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    auto share = hq::readShareInfo(path);
    if (!share) {
        FUZZ_CHECK(!share.error().code.isEmpty() && !share.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(share->threshold >= 2 && share->threshold <= share->count && share->count <= 255);
    FUZZ_CHECK(share->index >= 1 && share->index <= share->count);
    FUZZ_CHECK(share->checks.size() == share->count && share->checks[share->index - 1] == share->check);
    FUZZ_CHECK(share->electionPublicKey.size() == qsizetype(crypto::boxPublicKeyBytes));
    return 0;
}
