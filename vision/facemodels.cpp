#include "facemodels.h"

#include <QDir>
#include <QFileInfo>

namespace pingyi::vision {

QStringList faceModelSearchPath()
{
    QStringList dirs;
    const QString env = qEnvironmentVariable("PINGYI_MODEL_DIR");
    if (!env.isEmpty())
        dirs << env;
#ifdef PINGYI_MODEL_DIR
    dirs << QStringLiteral(PINGYI_MODEL_DIR);
#endif
    dirs << QStringLiteral("/usr/share/pingyi/models");
    dirs.removeDuplicates();
    return dirs;
}

Result<QString> findFaceModels()
{
    const QStringList dirs = faceModelSearchPath();
    for (const QString &dir : dirs) {
        const QDir d(dir);
        if (QFileInfo(d.filePath(QString::fromLatin1(facemodel::detectorNear))).isFile()
            && QFileInfo(d.filePath(QString::fromLatin1(facemodel::detectorFar))).isFile()
            && QFileInfo(d.filePath(QString::fromLatin1(facemodel::embedder))).isFile())
            return d.absolutePath();
    }
    return makeError(QString::fromLatin1(facemodel::missing),
                     QStringLiteral("The face models (%1, %2, %3) are in none of: %4. Run ./scripts/fetch-models "
                                    "(or ./scripts/setup), or point PINGYI_MODEL_DIR at the folder that holds them.")
                         .arg(QString::fromLatin1(facemodel::detectorNear), QString::fromLatin1(facemodel::detectorFar),
                              QString::fromLatin1(facemodel::embedder), dirs.join(QStringLiteral(", "))));
}

} // namespace pingyi::vision
