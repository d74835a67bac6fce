// Invitation QR codes read by the camera: credential → QR → a card laid in 640×480 frames
// with each kind of distortion → QrReader → the core's credential verification. Prints the
// decode rate per distortion; a distorted frame may fail to decode but must never decode to
// another text. Also the debouncer.

#include "credential.h"
#include "crypto.h"
#include "idcardreader.h"
#include "qrreader.h"
#include "synth.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

using namespace pingyi;
using namespace pingyi::vision;
using Kind = QrRead::Kind;

namespace {
const QString activityId = QStringLiteral("qingdao-2025");
const QString venue = QStringLiteral("shinan");

struct Tally {
    int decoded = 0, wrong = 0, unreadable = 0, glare = 0, nothing = 0, total = 0;
    double rate() const { return total ? double(decoded) / total : 0; }
};
} // namespace

class TestQrCamera : public QObject {
    Q_OBJECT
    crypto::SigningKey m_root;
    QStringList m_texts;
    QImage cardFor(int i) const { return synth::renderInvitationCard(m_texts[i % m_texts.size()]); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(crypto::init());
        m_root = crypto::SigningKey::generate();
        for (int i = 0; i < 4; ++i) {
            const Credential c {activityId,
                                QStringLiteral("R-%1").arg(1000 + 37 * i),
                                venue,
                                {i % 2 ? QStringLiteral("econ") : QStringLiteral("social")}};
            m_texts << c.encode(m_root);
        }
    }

    void distortions_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<double>("floor"); // minimum decode rate
        QTest::addColumn<bool>("covered"); // the code is partly hidden: Unreadable/Glare/Nothing expected
        QTest::newRow("clean") << "clean" << 1.0 << false;
        QTest::newRow("scale") << "scale" << 1.0 << false;
        QTest::newRow("rotation") << "rotation" << 1.0 << false;
        QTest::newRow("perspective") << "perspective" << 0.95 << false;
        QTest::newRow("blur") << "blur" << 0.9 << false;
        QTest::newRow("low contrast") << "contrast" << 1.0 << false;
        QTest::newRow("noise+jpeg") << "noise" << 1.0 << false;
        QTest::newRow("glare patch") << "glare" << 0.0 << true;
        QTest::newRow("occlusion") << "occlusion" << 0.0 << true;
        QTest::newRow("middle covered") << "middle" << 0.0 << true;
    }

    void distortions()
    {
        QFETCH(QString, kind);
        QFETCH(double, floor);
        QFETCH(bool, covered);
        const QrReader reader;
        std::mt19937_64 rng(qHash(kind));
        auto u = [&rng](double lo, double hi) {
            return std::uniform_real_distribution<double>(lo, hi)(rng);
        };
        Tally t;
        const int frames = 24;
        const QRectF qr = synth::invitationQrArea();
        for (int i = 0; i < frames; ++i) {
            synth::Distortion d;
            d.scale = 0.8;
            d.noise = 1.5;
            if (kind == u"scale")
                d.scale = 0.5 + 0.5 * i / (frames - 1);
            else if (kind == u"rotation")
                d.rotation = -30 + 60.0 * i / (frames - 1);
            else if (kind == u"perspective") {
                d.perspective = u(0.1, 0.3);
                d.perspectiveEdge = i % 4;
            } else if (kind == u"blur")
                d.blur = u(0.6, 1.8);
            else if (kind == u"contrast") {
                d.contrast = u(0.25, 0.45);
                d.brightness = u(-30, 10);
            } else if (kind == u"noise") {
                d.noise = u(4, 9);
                d.jpegQuality = 40 + i * 2;
            } else if (kind == u"glare") {
                // A reflection over the middle of the code, as from a phone screen.
                d.glare = u(0.16, 0.26);
                d.glareAt = QPointF(qr.center().x() + u(-0.05, 0.05), qr.center().y() + u(-0.05, 0.05));
            } else if (kind == u"occlusion") {
                // A thumb over a third to a half of the code, finder pattern included.
                const double w = qr.width() * u(0.45, 0.7), hgt = qr.height() * u(0.5, 0.8);
                d.occluder = i % 2 ? QRectF(qr.left() - 0.05, qr.top() - 0.05, w, hgt)
                                   : QRectF(qr.right() - w + 0.05, qr.bottom() - hgt + 0.05, w, hgt);
            } else if (kind == u"middle") {
                // A finger over the data but not the finder patterns: seen, not readable.
                const double w = qr.width() * u(0.4, 0.5), hgt = qr.height() * u(0.4, 0.5);
                d.occluder = QRectF(qr.center().x() - w / 2, qr.center().y() - hgt / 2, w, hgt);
            }
            if (kind != u"rotation" && kind != u"scale")
                d.rotation = u(-10, 10);
            const QString expected = m_texts[i % m_texts.size()];
            const QrRead r = reader.read(synth::placeInFrame(cardFor(i), d, quint64(i + 1)));
            ++t.total;
            switch (r.kind) {
            case Kind::Decoded:
                r.text == expected ? ++t.decoded : ++t.wrong;
                break;
            case Kind::Unreadable:
                ++t.unreadable;
                break;
            case Kind::Glare:
                ++t.glare;
                break;
            case Kind::Nothing:
                ++t.nothing;
                break;
            }
        }
        std::printf("  QR %-12s decoded %5.1f %%  (unreadable %d, glare %d, nothing %d, wrong %d of %d)\n",
                    qPrintable(kind), 100 * t.rate(), t.unreadable, t.glare, t.nothing, t.wrong, t.total);
        QCOMPARE(t.wrong, 0);
        QVERIFY2(t.rate() >= floor, qPrintable(QStringLiteral("decode rate %1 below %2").arg(t.rate()).arg(floor)));
        if (kind == u"glare")
            QVERIFY2(t.glare >= (t.total - t.decoded) * 3 / 4, "a reflection over the code should say so");
        if (kind == u"middle")
            QVERIFY2(t.unreadable >= (t.total - t.decoded) * 3 / 4, "a code seen but not read should say so");
        if (covered)
            QCOMPARE(t.decoded + t.unreadable + t.glare + t.nothing, t.total);
    }

    void emptyViews()
    {
        const QrReader reader;
        QCOMPARE(reader.read(cv::Mat()).kind, Kind::Nothing);
        for (quint64 s = 1; s <= 5; ++s)
            QCOMPARE(reader.read(synth::emptyTable(s)).kind, Kind::Nothing);
        // A card without its code (an ID card) is neither a code nor a reflection.
        std::mt19937_64 rng(3);
        const QImage id = synth::renderIdCard(synth::randomFace(synth::randomIdNumber(rng), rng));
        QCOMPARE(reader.read(synth::placeInFrame(id, {}, 9)).kind, Kind::Nothing);
        // A reflection on the table alone is still worth a word.
        synth::Distortion d;
        d.glare = 0.25;
        QCOMPARE(reader.read(synth::placeInFrame(id, d, 9)).kind, Kind::Glare);
    }

    void verifiedThroughTheCore()
    {
        // Each credential goes through the camera, then through the same verification the
        // hand scanner's text goes through.
        const auto otherHq = crypto::SigningKey::generate();
        struct Case {
            const char *name;
            Credential c;
            const crypto::SigningKey *signer;
            QString code;
        };
        const QStringList sessions {QStringLiteral("econ")};
        const Case cases[] = {
            {"genuine", {activityId, QStringLiteral("R-7"), venue, sessions}, &m_root, {}},
            {"forged",
             {activityId, QStringLiteral("R-8"), venue, sessions},
             &otherHq,
             QStringLiteral("credential-signature")},
            {"foreign activity",
             {QStringLiteral("jinan-2025"), QStringLiteral("R-9"), venue, sessions},
             &m_root,
             QStringLiteral("credential-activity")},
            {"other venue",
             {activityId, QStringLiteral("R-10"), QStringLiteral("laoshan"), sessions},
             &m_root,
             QStringLiteral("credential-venue")},
        };
        const QrReader reader;
        quint64 seed = 40;
        for (const Case &k : cases) {
            const QString text = k.c.encode(*k.signer);
            synth::Distortion d;
            d.rotation = 12;
            d.perspective = 0.1;
            d.noise = 3;
            d.jpegQuality = 70;
            const QrRead r = reader.read(synth::placeInFrame(synth::renderInvitationCard(text), d, ++seed));
            QCOMPARE(r.kind, Kind::Decoded);
            QCOMPARE(r.text, text);
            const auto v = Credential::verify(r.text, m_root.publicKey(), activityId, venue);
            if (k.code.isEmpty()) {
                QVERIFY2(v.ok(), k.name);
                QCOMPARE(v->repId, k.c.repId);
            } else {
                QVERIFY2(!v.ok(), k.name);
                QCOMPARE(v.error().code, k.code);
            }
        }
    }

    void replayFolder()
    {
        // The demo's replay: table, invitation code held about a second, table, ID card held
        // about two seconds. Played back through the readers as the camera thread would.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::mt19937_64 rng(12);
        const QString number = synth::randomIdNumber(rng);
        const auto written = synth::writeReplayFolder(dir.filePath(QStringLiteral("replay")), m_texts[0],
                                                      synth::randomFace(number, rng), 15, 3);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
        QDir folder(dir.filePath(QStringLiteral("replay")));
        const QStringList files = folder.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), *written);
        const QrReader qr;
        IdCardReader id;
        QVERIFY2(id.ready(), qPrintable(id.why()));
        QrDebouncer debouncer;
        IdNumberConfirmer confirmer(3);
        int handedOn = 0, decodedFrames = 0, firstDecoded = -1, confirmedAt = -1;
        QString confirmed;
        auto now = QrDebouncer::Clock::time_point() + std::chrono::hours(1);
        for (int i = 0; i < files.size(); ++i) {
            const cv::Mat frame = cv::imread(folder.filePath(files[i]).toStdString(), cv::IMREAD_COLOR);
            QCOMPARE(frame.cols, synth::frameWidth);
            QCOMPARE(frame.rows, synth::frameHeight);
            now += std::chrono::milliseconds(67);
            const QrRead r = qr.read(frame);
            if (r.kind == Kind::Decoded) {
                QCOMPARE(r.text, m_texts[0]);
                ++decodedFrames;
                if (firstDecoded < 0)
                    firstDecoded = i;
            }
            handedOn += debouncer.accept(r, now).has_value();
            if (i > files.size() / 2) {
                if (auto n = confirmer.feed(id.read(frame)); n && confirmedAt < 0) {
                    confirmed = *n;
                    confirmedAt = i;
                }
            }
        }
        QVERIFY2(firstDecoded >= 15, "the replay starts with an empty table");
        QVERIFY2(decodedFrames >= 10, "the code is held about a second");
        QCOMPARE(handedOn, 1); // held for a second: handed on once
        QCOMPARE(confirmed, number);
    }

    void debouncer()
    {
        using namespace std::chrono_literals;
        QrDebouncer deb(3000ms);
        const auto t0 = QrDebouncer::Clock::time_point() + 100s;
        const QrRead a {Kind::Decoded, QStringLiteral("PY1:A")};
        const QrRead b {Kind::Decoded, QStringLiteral("PY1:B")};
        const QrRead none {};
        const QrRead glare {Kind::Glare, {}};
        QCOMPARE(deb.accept(none, t0), std::nullopt);
        QCOMPARE(deb.accept(a, t0), QStringLiteral("PY1:A"));
        // Held in view: not again within the pause, even across a misread frame.
        QCOMPARE(deb.accept(a, t0 + 100ms), std::nullopt);
        QCOMPARE(deb.accept(glare, t0 + 200ms), std::nullopt);
        QCOMPARE(deb.accept(a, t0 + 2900ms), std::nullopt);
        // The pause since it was handed on is over.
        QCOMPARE(deb.accept(a, t0 + 3000ms), QStringLiteral("PY1:A"));
        // Another code is handed on at once.
        QCOMPARE(deb.accept(b, t0 + 3100ms), QStringLiteral("PY1:B"));
        QCOMPARE(deb.accept(b, t0 + 3200ms), std::nullopt);
        // Taken away for the pause and shown again: handed on again.
        QCOMPARE(deb.accept(b, t0 + 5000ms), std::nullopt);
        QCOMPARE(deb.accept(none, t0 + 6000ms), std::nullopt);
        QCOMPARE(deb.accept(b, t0 + 8100ms), QStringLiteral("PY1:B"));
        // Back to A straight after B: A is a new code again.
        QCOMPARE(deb.accept(a, t0 + 8200ms), QStringLiteral("PY1:A"));
        deb.reset();
        QCOMPARE(deb.accept(a, t0 + 8300ms), QStringLiteral("PY1:A"));
    }
};

QTEST_MAIN(TestQrCamera)
#include "test_qrcamera.moc"
