#include "photoenrol.h"

#include "faceevidence.h"
#include "facemodels.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>

namespace pingyi::hq {

namespace {

const QStringList photoSuffixes {QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("png"),
                                 QStringLiteral("bmp"), QStringLiteral("JPG"),  QStringLiteral("JPEG"),
                                 QStringLiteral("PNG")};

/// DIR/<rep id>.<suffix>, or empty.
QString photoInFolder(const QDir &dir, const QString &repId)
{
    for (const QString &suffix : photoSuffixes) {
        const QString path = dir.filePath(repId + QLatin1Char('.') + suffix);
        if (QFileInfo(path).isFile())
            return path;
    }
    return {};
}

/// The photo decoded from its bytes (so a path with Chinese characters reads on any locale).
cv::Mat readPhoto(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    const cv::Mat raw(1, int(bytes.size()), CV_8UC1, const_cast<char *>(bytes.constData()));
    return cv::imdecode(raw, cv::IMREAD_COLOR);
}

} // namespace

bool wantsPhotos(const QList<RosterEntry> &entries, const QString &photosDir)
{
    return !photosDir.isEmpty()
        || std::any_of(entries.cbegin(), entries.cend(), [](const RosterEntry &e) { return !e.photo.isEmpty(); });
}

Result<PhotoEnrolment> enrolPhotos(const QList<RosterEntry> &entries, const QString &csvDir, const QString &photosDir)
{
    PhotoEnrolment out;
    if (!wantsPhotos(entries, photosDir))
        return out;
    if (!photosDir.isEmpty() && !QFileInfo(photosDir).isDir())
        return makeError(QStringLiteral("photo-folder"),
                         QStringLiteral("%1 is not a folder: give the folder of photos named by rep id "
                                        "(R00001.jpg, …)")
                             .arg(photosDir));
    const Result<QString> models = vision::findFaceModels();
    if (!models)
        return models.error();
    vision::FaceEnroller enroller(*models);
    if (!enroller.ready())
        return makeError(QStringLiteral("face-models-missing"), enroller.why());

    const QDir base(csvDir);
    const QDir folder(photosDir);
    QElapsedTimer timer;
    timer.start();
    for (const RosterEntry &e : entries) {
        QString path;
        QString shown; // as the office wrote it, or as found in the folder
        if (!e.photo.isEmpty()) {
            shown = e.photo;
            path = QDir::isAbsolutePath(e.photo) ? e.photo : base.filePath(e.photo);
        } else if (!photosDir.isEmpty()) {
            path = photoInFolder(folder, e.repId);
            shown = path;
        }
        if (path.isEmpty()) {
            ++out.withoutPhoto;
            continue;
        }
        ++out.photos;
        if (!QFileInfo(path).isFile()) {
            out.refused.append({e.line, e.repId, shown, QStringLiteral("photo-missing"),
                                QStringLiteral("no such file: check the photo column (paths are relative to the "
                                               "roster file)")});
            continue;
        }
        const cv::Mat photo = readPhoto(path);
        if (photo.empty()) {
            out.refused.append({e.line, e.repId, shown, QStringLiteral("photo-unreadable"),
                                QStringLiteral("not a JPEG, PNG or BMP image this program can read: save the photo "
                                               "as JPEG")});
            continue;
        }
        const Result<face::Embedding> t = enroller.enrol(photo);
        if (!t) {
            if (t.error().code == QLatin1String("face-model"))
                return t.error();
            out.refused.append({e.line, e.repId, shown, t.error().code, t.error().message});
            continue;
        }
        out.templates.insert(e.repId, face::encodeTemplate(*t));
    }
    if (out.photos > 0)
        out.msPerPhoto = double(timer.nsecsElapsed()) / 1e6 / out.photos;
    return out;
}

} // namespace pingyi::hq
