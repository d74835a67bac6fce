// Face enrolment at the office, end to end on dlib's example photos: a roster whose photo
// column names johns chips, a group photo, a missing file and a file that is not an image,
// plus a folder of photos named by rep id (one usable, one blurred, one tiny) →
// hq::enrolPhotos → Hq::importRoster → the venue package → opened as a kiosk: templates for
// exactly the usable photos, each refusal with its line and reason, every representative
// imported, the kiosk identifies a johns photo it never saw from the package's templates, a
// package with a damaged template is refused, no photo bytes anywhere in the HQ directory,
// and a roster imported again without photos takes the templates away. Skips when dlib's
// examples are not installed.

#include "facealigner.h"
#include "faceevidence.h"
#include "facemodels.h"
#include "hqtestutil.h"
#include "photoenrol.h"
#include "synth.h"
#include "venuepackage.h"

#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace pingyi;
using namespace pingyi::hqtest;

namespace {

const QString johns = QStringLiteral("/usr/share/doc/libdlib19.1/examples/johns");
const QString faces = QStringLiteral("/usr/share/doc/libdlib19.1/examples/faces");

QStringList johnsPeople()
{
    return QDir(johns).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QString chip(const QString &person, int k)
{
    const QDir d(johns + QLatin1Char('/') + person);
    return d.filePath(d.entryList({QStringLiteral("*.jpg")}, QDir::Files, QDir::Name).value(k));
}

} // namespace

class TestFaceEnrolment : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!vision::findFaceModels())
            QFAIL("no face models: run ./scripts/fetch-models");
        if (!QDir(johns).exists() || !QDir(faces).exists())
            QSKIP("dlib's example photos are not installed (apt-get install libdlib19.1; scripts/setup does)");
    }

    void rosterToPackage()
    {
        QTemporaryDir tmp;
        const QDir dir(tmp.path());
        const Activity activity = exampleActivity();
        const QString venue = QStringLiteral("shinan");

        // The synthetic roster, with photos for the first ten representatives of one venue.
        QList<QByteArray> lines = synthRoster(activity, 5, 0.1).split('\n');
        QStringList reps; // rep ids given a photo, in order
        QMap<QString, int> lineOf;
        const QStringList people = johnsPeople();
        QVERIFY(dir.mkpath(QStringLiteral("photos")));
        const QDir photos(dir.filePath(QStringLiteral("photos")));
        {
            QFile junk(dir.filePath(QStringLiteral("notes.jpg")));
            QVERIFY(junk.open(QIODevice::WriteOnly));
            junk.write("this is not a photo");
        }
        for (int i = 1; i < lines.size() && reps.size() < 10; ++i) {
            QList<QByteArray> cols = lines[i].split(',');
            if (cols.size() < 7 || cols[4] != venue.toUtf8())
                continue;
            const QString rep = QString::fromUtf8(cols[0]);
            const int n = int(reps.size());
            QString photo;
            if (n < 5)
                photo = chip(people[n], 0); // usable, absolute path
            else if (n == 5)
                photo = faces + QStringLiteral("/bald_guys.jpg"); // 24 faces
            else if (n == 6)
                photo = QStringLiteral("photos/nobody.jpg"); // no such file
            else if (n == 7)
                photo = QStringLiteral("notes.jpg"); // not an image
            else if (n == 8) // in the folder, named by rep id: usable
                QVERIFY(QFile::copy(chip(people[0], 3), photos.filePath(rep + QStringLiteral(".jpg"))));
            else if (n == 9) { // in the folder: blurred
                cv::Mat blurred;
                cv::GaussianBlur(cv::imread(chip(people[1], 0).toStdString()), blurred, cv::Size(0, 0), 4.0);
                QVERIFY(cv::imwrite(photos.filePath(rep + QStringLiteral(".png")).toStdString(), blurred));
            }
            cols[6] = photo.toUtf8();
            lines[i] = cols.join(',');
            reps << rep;
            lineOf.insert(rep, i + 1);
        }
        QCOMPARE(reps.size(), 10);
        // A tiny photo in the folder for an eleventh representative of another venue.
        QString tinyRep;
        for (int i = 1; i < lines.size() && tinyRep.isEmpty(); ++i) {
            const QList<QByteArray> cols = lines[i].split(',');
            if (cols.size() >= 7 && cols[4] != venue.toUtf8()) {
                tinyRep = QString::fromUtf8(cols[0]);
                lineOf.insert(tinyRep, i + 1);
            }
        }
        cv::Mat tiny;
        cv::resize(cv::imread(chip(people[2], 0).toStdString()), tiny, cv::Size(45, 45), 0, 0, cv::INTER_AREA);
        QVERIFY(cv::imwrite(photos.filePath(tinyRep + QStringLiteral(".jpg")).toStdString(), tiny));
        const QByteArray csv = lines.join('\n');
        const QString csvPath = dir.filePath(QStringLiteral("roster.csv"));
        QVERIFY(writeFileAtomic(csvPath, csv).ok());

        auto entries = parseRoster(csv, activity, QStringLiteral("roster.csv"));
        QVERIFY2(entries.ok(), entries.ok() ? "" : qPrintable(entries.error().message));
        QVERIFY(hq::wantsPhotos(*entries, {}));
        auto enrolled = hq::enrolPhotos(*entries, dir.path(), photos.path());
        QVERIFY2(enrolled.ok(), enrolled.ok() ? "" : qPrintable(enrolled.error().message));
        std::printf("  %d photos, %lld enrolled, %lld refused, %d without a photo; %.1f ms per photo\n",
                    enrolled->photos, qint64(enrolled->templates.size()), qint64(enrolled->refused.size()),
                    enrolled->withoutPhoto, enrolled->msPerPhoto);
        QCOMPARE(enrolled->photos, 11);
        QCOMPARE(enrolled->withoutPhoto, int(entries->size()) - 11);
        const QStringList usable {reps[0], reps[1], reps[2], reps[3], reps[4], reps[8]};
        QCOMPARE(QStringList(enrolled->templates.keys()), [&] {
            QStringList s = usable;
            s.sort();
            return s;
        }());
        QMap<QString, QString> refusedCode;
        for (const hq::PhotoRefusal &r : enrolled->refused) {
            QCOMPARE(r.line, lineOf.value(r.repId));
            QVERIFY(!r.reason.isEmpty());
            refusedCode.insert(r.repId, r.code);
        }
        QCOMPARE(refusedCode.value(reps[5]), QStringLiteral("face-many"));
        QCOMPARE(refusedCode.value(reps[6]), QStringLiteral("photo-missing"));
        QCOMPARE(refusedCode.value(reps[7]), QStringLiteral("photo-unreadable"));
        QCOMPARE(refusedCode.value(reps[9]), QStringLiteral("face-blurred"));
        QCOMPARE(refusedCode.value(tinyRep), QStringLiteral("face-too-small"));
        QCOMPARE(refusedCode.size(), 5);

        // A folder that is not one: refused before anything is done.
        QCOMPARE(hq::enrolPhotos(*entries, dir.path(), csvPath).error().code, QStringLiteral("photo-folder"));

        // Into hq.db and the venue package.
        const QString hqDir = dir.filePath(QStringLiteral("hq"));
        must(hq::Hq::init(hqDir, passphrase(), fastKdf()), "init");
        auto h = must(hq::Hq::open(hqDir), "open");
        must(h.setActivity(activity), "activity");
        const auto secrets = must(h.unlock(passphrase()), "unlock");
        const QJsonObject imported
            = must(h.importRoster(csv, QStringLiteral("roster.csv"), secrets, enrolled->templates), "import");
        QCOMPARE(imported.value(QLatin1String("representatives")).toInteger(), qint64(entries->size()));
        QCOMPARE(imported.value(QLatin1String("face_templates")).toInteger(), 6);
        // A template for someone not on the roster, or a malformed one, is refused.
        QMap<QString, QByteArray> stray = enrolled->templates;
        stray.insert(QStringLiteral("nobody"), enrolled->templates.first());
        QCOMPARE(h.importRoster(csv, QStringLiteral("roster.csv"), secrets, stray).error().code,
                 QStringLiteral("face-template"));
        QCOMPARE(
            h.importRoster(csv, QStringLiteral("roster.csv"), secrets, {{reps[0], QByteArray(100, 'x')}}).error().code,
            QStringLiteral("face-template"));
        must(h.importRoster(csv, QStringLiteral("roster.csv"), secrets, enrolled->templates), "import again");

        const TestKiosk kiosk = enrolKiosk(h, secrets, venue, QStringLiteral("shinan-1"));
        must(h.issueStaffPins(venue), "pins");
        QJsonObject summary;
        const QByteArray package = must(h.buildPackage(venue, secrets, &summary), "package");
        QCOMPARE(summary.value(QLatin1String("face_templates")).toInteger(), 6);
        const auto content = openVenuePackage(package, h.rootPublicKey(), {activity.id, venue, 1}, kiosk.id,
                                              crypto::BoxKeyPair::fromSigningKey(kiosk.key));
        QVERIFY2(content.ok(), content.ok() ? "" : qPrintable(content.error().message));
        std::vector<face::Template> templates;
        for (const VenueRosterEntry &e : content->roster) {
            QCOMPARE(!e.faceTemplate.isEmpty(), usable.contains(e.repId));
            if (!e.faceTemplate.isEmpty()) {
                const auto t = face::decodeTemplate(e.faceTemplate);
                QVERIFY(t);
                QCOMPARE(e.faceTemplate, enrolled->templates.value(e.repId));
                templates.push_back({e.repId, *t});
            }
        }
        QCOMPARE(templates.size(), size_t(6));

        // A package whose template is damaged (signed by the root all the same) is refused.
        for (const QByteArray &bad :
             {QByteArray(100, 'x'), face::encodeTemplate({}).replace(0, 4, "\xff\xff\xff\x7f")}) {
            VenuePackageContent damaged
                = must(openVenuePackage(package, h.rootPublicKey(), {activity.id, venue, 1}, kiosk.id,
                                        crypto::BoxKeyPair::fromSigningKey(kiosk.key)),
                       "open again");
            damaged.version = 7;
            damaged.roster[0].faceTemplate = bad;
            const QByteArray file = buildVenuePackage(
                damaged, secrets.root, {{kiosk.id, crypto::BoxKeyPair::fromSigningKey(kiosk.key).publicKey()}});
            QCOMPARE(openVenuePackage(file, h.rootPublicKey(), {activity.id, venue, 1}, kiosk.id,
                                      crypto::BoxKeyPair::fromSigningKey(kiosk.key))
                         .error()
                         .code,
                     QStringLiteral("package-content"));
        }

        // The kiosk: another photo of the second john, in a camera frame, found among the
        // package's templates.
        const auto models = *vision::findFaceModels();
        vision::FaceDetector detector(models);
        vision::FaceEmbedder embedder(models);
        std::mt19937_64 rng(3);
        const cv::Mat frame
            = vision::synth::faceInFrame(cv::imread(chip(people[1], 5).toStdString()), {1.6, 5, 0.9, 0.5, 3}, 9);
        const auto found = detector.detect(frame);
        QCOMPARE(found.size(), size_t(1));
        const auto e = embedder.embed(vision::FaceAligner::align(frame, found.front()));
        QVERIFY(e.ok());
        const face::Decision d = face::identify(vision::makeProbe(found.front(), *e, 1), templates, activity.face);
        QCOMPARE(d.outcome, face::Decision::Outcome::Match);
        QCOMPARE(d.repId, reps[1]);

        // No photo in the office's directory: no JPEG or PNG signature in any file.
        for (QDirIterator it(hqDir, QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            const QByteArray bytes = *readFile(it.next());
            QVERIFY2(!bytes.contains("\xFF\xD8\xFF"), qPrintable(it.filePath()));
            QVERIFY2(!bytes.contains("\x89PNG"), qPrintable(it.filePath()));
        }

        // The roster again without photos: the templates go with the old roster.
        const auto plain = must(h.importRoster(csv, QStringLiteral("roster.csv"), secrets), "plain");
        QCOMPARE(plain.value(QLatin1String("face_templates")).toInteger(), 0);
        const QByteArray package2 = must(h.buildPackage(venue, secrets, &summary), "package 2");
        QCOMPARE(summary.value(QLatin1String("face_templates")).toInteger(), 0);
        const auto content2 = openVenuePackage(package2, h.rootPublicKey(), {activity.id, venue, 2}, kiosk.id,
                                               crypto::BoxKeyPair::fromSigningKey(kiosk.key));
        QVERIFY(content2.ok());
        for (const VenueRosterEntry &e : content2->roster)
            QVERIFY(e.faceTemplate.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFaceEnrolment)
#include "test_face_enrolment.moc"
