#pragma once
// Debian's libdlib19.1 example photos, which the face tests run on: examples/johns (5 people
// × 11 chips of 150×150) and examples/faces (group photos with imglab XML boxes). Used in the
// tests only, never shipped.

#include <QDir>
#include <QString>

#include <opencv2/imgcodecs.hpp>

#include <vector>

namespace pingyi::vision::dlibphotos {

inline const QString examples = QStringLiteral("/usr/share/doc/libdlib19.1/examples");

/// Whether both example folders are installed (the tests skip, saying so, when not).
inline bool installed()
{
    return QDir(examples + QStringLiteral("/johns")).exists() && QDir(examples + QStringLiteral("/faces")).exists();
}

struct Chip {
    QString person;
    QString file;
    cv::Mat image; ///< BGR
};

/// Every johns chip, by person then file name.
inline std::vector<Chip> johns()
{
    std::vector<Chip> chips;
    const QDir root(examples + QStringLiteral("/johns"));
    for (const QString &person : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir d(root.filePath(person));
        for (const QString &f : d.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name))
            chips.push_back({person, f, cv::imread(d.filePath(f).toStdString(), cv::IMREAD_COLOR)});
    }
    return chips;
}

} // namespace pingyi::vision::dlibphotos
