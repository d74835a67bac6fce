#pragma once
// Face enrolment at the office (docs/identity.md#enrolment): each representative's photo,
// named by the roster's photo column (relative to the CSV) or found as DIR/<rep id>.jpg, is
// detected, checked, aligned and embedded; only the 128-number template is kept. The photo
// is read, never copied, and nothing about it is logged. An unusable photo is refused with
// its line and reason, and the representative is still imported (they check in another way).
// Its own library (OpenCV, the face models) so that pingyi_hq stays Qt Core only.

#include "result.h"
#include "roster.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace pingyi::hq {

struct PhotoRefusal {
    int line = 0; ///< the representative's line in the roster CSV
    QString repId;
    QString photo; ///< the path as given (column) or found (folder)
    /// "photo-missing", "photo-unreadable", or FaceEnroller's "face-none", "face-many",
    /// "face-too-small", "face-blurred", "face-not-frontal".
    QString code;
    QString reason; ///< what is wrong and what to do
};

struct PhotoEnrolment {
    QMap<QString, QByteArray> templates; ///< rep id → face::encodeTemplate
    QList<PhotoRefusal> refused;
    int photos = 0; ///< photos looked at
    int withoutPhoto = 0; ///< representatives with no photo named or found
    double msPerPhoto = 0; ///< wall time per photo looked at
};

/// Whether enrolment has anything to do: some entry names a photo, or a folder is given.
bool wantsPhotos(const QList<RosterEntry> &entries, const QString &photosDir);

/// Enrols every representative's photo. `csvDir`: the folder the photo column is relative to;
/// `photosDir`: the folder of photos named by rep id (empty: the column only; a photo named
/// in the column wins). Errors: "face-models-missing" (the models are not installed: nothing
/// is enrolled, nothing should be imported), "photo-folder" (`photosDir` is not a folder).
Result<PhotoEnrolment> enrolPhotos(const QList<RosterEntry> &entries, const QString &csvDir, const QString &photosDir);

} // namespace pingyi::hq
