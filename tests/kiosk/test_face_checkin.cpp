// Face check-in at the kiosk service (docs/identity.md#at-the-kiosk): the office enrols
// templates for some representatives; the kiosk issues a head-turn challenge, replays it on
// the track the camera hands in, checks the probe belongs to that track and identifies it
// 1:N among the open session's enrolled faces. Embeddings here are synthetic (the camera
// path with real models is test_camera_face): each representative a random point, their
// probes near it.
//
// Covers: a genuine turn admits the right representative (and only once per session), the
// wrong way / a still face / a late hand-in / a used challenge / a forged probe / a probe of
// another session's representative / an impostor / two look-alikes / a dark probe are
// refused with their own codes; the audit log says "face" and the reasons, never a distance;
// templates are not in kiosk.db's bytes (they stay in the sealed package) and come back when
// the kiosk reopens.

#include "fixture.h"

#include "audit.h"
#include "storage.h"

#include <QDirIterator>

#include <cmath>
#include <set>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

namespace {

face::Embedding randomFace(std::mt19937_64 &rng)
{
    // Points on a sphere of radius 1.2: two random ones lie about 1.7 apart.
    std::normal_distribution<float> g(0, 1);
    face::Embedding e;
    double n = 0;
    for (float &v : e.values) {
        v = g(rng);
        n += double(v) * v;
    }
    for (float &v : e.values)
        v = float(v * 1.2 / std::sqrt(n));
    return e;
}

/// `e` moved `by` in a random direction.
face::Embedding near(const face::Embedding &e, double by, std::mt19937_64 &rng)
{
    const face::Embedding d = randomFace(rng);
    face::Embedding out = e;
    for (int i = 0; i < face::embeddingSize; ++i)
        out.values[size_t(i)] += float(d.values[size_t(i)] / 1.2 * by);
    return out;
}

face::ProbeQuality goodLight()
{
    return {0.4, 70, 130, 150, 0.02, 2};
}

/// Frames 33 ms apart: `rest` frontal frames, then the yaw moves smoothly to `to` and stays.
/// Every frame carries an embedding of the same face (the person), slightly varying.
std::vector<face::TrackFrame> track(const face::Embedding &who, double to, std::mt19937_64 &rng, int rest = 4,
                                    qint64 step = 33)
{
    std::vector<face::TrackFrame> out;
    const QRectF box(220, 130, 200, 220);
    for (int i = 0; i < rest + 12; ++i) {
        const double yaw = i < rest ? 0.01 : to * std::min(1.0, (i - rest + 1) / 8.0);
        out.push_back({i * step, 1, box.translated(yaw * 10, 0), yaw, near(who, 0.15, rng)});
    }
    return out;
}

double towards(face::Turn t)
{
    return t == face::Turn::Left ? 0.8 : -0.8;
}

} // namespace

class TestFaceCheckIn : public QObject {
    Q_OBJECT

    VenueFixture f;
    std::mt19937_64 rng {29};
    QMap<QString, face::Embedding> faces; ///< rep id → the person's face
    QStringList econ, service; ///< enrolled representatives of two sessions
    QString twinA, twinB; ///< two look-alikes of econ
    std::unique_ptr<KioskService> k;
    const SessionKey econKey {QStringLiteral("econ"), false};

    static QString code(const Status &s) { return s.ok() ? QStringLiteral("ok") : s.error().code; }
    template<typename T> static QString code(const Result<T> &r)
    {
        return r.ok() ? QStringLiteral("ok") : r.error().code;
    }

    /// A face check-in: challenge, the person's track (turned `as` asked, or the other way),
    /// the probe from its first frame.
    Result<CheckIn> tryFace(const face::Embedding &who, bool asAsked = true)
    {
        auto turn = k->beginFaceCheck();
        if (!turn)
            return turn.error();
        auto t = track(who, asAsked ? towards(*turn) : -towards(*turn), rng);
        f.clock.advance(1);
        FaceProbe p {t, {*t.front().embedding, goodLight(), 1}};
        return k->checkIn(p);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(f.setUp(0.3, 13));
        // Templates for most representatives of two sessions at the venue; two of econ are
        // look-alikes (0.02 apart); a few have no usable photo.
        QMap<QString, QByteArray> templates;
        for (const hq::Card &c : *f.hq->cards(*f.secrets, f.venue)) {
            QStringList *list = c.sessions.contains(QStringLiteral("econ")) ? &econ
                : c.sessions.contains(QStringLiteral("service"))            ? &service
                                                                            : nullptr;
            if (!list || (list->size() % 7) == 6) { // every seventh: no photo
                if (list)
                    list->append(QString()); // keeps the count honest
                continue;
            }
            faces.insert(c.repId, randomFace(rng));
            list->append(c.repId);
        }
        econ.removeAll(QString());
        service.removeAll(QString());
        QVERIFY(econ.size() >= 6 && service.size() >= 2);
        twinA = econ[1];
        twinB = econ[2];
        faces[twinB] = near(faces[twinA], 0.02, rng);
        for (auto it = faces.cbegin(); it != faces.cend(); ++it)
            templates.insert(it.key(), face::encodeTemplate(it.value()));
        QVERIFY(f.hq->importRoster(f.rosterCsv, QStringLiteral("roster.csv"), *f.secrets, templates).ok());
        k = f.enrolKiosk(QStringLiteral("shinan-f1"));
        QVERIFY(k);
    }

    void refusedBeforeTheSessionOpens()
    {
        QCOMPARE(code(k->beginFaceCheck()), QStringLiteral("session-not-open"));
        QCOMPARE(k->facesEnrolled(), 0);
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession(econKey).ok());
        QCOMPARE(k->facesEnrolled(), int(econ.size()));
    }

    void genuineTurnAdmitsOnce()
    {
        const QString who = econ[0];
        auto c = tryFace(faces[who]);
        QVERIFY2(c.ok(), qPrintable(code(c)));
        QCOMPARE(c->method, IdentityMethod::Face);
        QCOMPARE(c->session, econKey);
        // Whom it admitted: the masked name of that representative's card.
        QString masked;
        for (const hq::Card &card : *f.hq->cards(*f.secrets, f.venue))
            if (card.repId == who)
                masked = card.maskedName;
        QCOMPARE(c->maskedName, masked);
        QCOMPARE(code(k->beginFaceCheck()), QStringLiteral("busy"));
        QVERIFY(k->cast(f.ballot(QStringLiteral("econ"), rng), {}).ok());
        QCOMPARE(code(tryFace(faces[who])), QStringLiteral("already-voted"));
        // Both directions are drawn over a few tries (at random: 2^-12 to fail by chance).
        std::set<face::Turn> drawn;
        for (int i = 0; i < 12; ++i)
            drawn.insert(*k->beginFaceCheck());
        QCOMPARE(int(drawn.size()), 2);
    }

    void livenessRefusals()
    {
        const face::Embedding &who = faces[econ[3]];
        QCOMPARE(code(tryFace(who, false)), QStringLiteral("liveness-wrong-way"));

        // A face that never turns (a photo held still), handed in when the time is up.
        auto turn = k->beginFaceCheck();
        QVERIFY(turn.ok());
        auto still = track(who, 0, rng, 4, 400); // 16 frames over 6 s
        for (qint64 t = still.back().msec + 400; t <= 9000; t += 400)
            still.push_back({t, 1, still.back().box, 0.01, near(who, 0.15, rng)});
        f.clock.advance(9);
        QCOMPARE(code(k->checkIn(FaceProbe {still, {*still.front().embedding, goodLight(), 1}})),
                 QStringLiteral("liveness-timeout"));

        // A turn not finished when handed in.
        turn = k->beginFaceCheck();
        auto half = track(who, towards(*turn), rng);
        half.resize(6);
        QCOMPARE(code(k->checkIn(FaceProbe {half, {*half.front().embedding, goodLight(), 1}})),
                 QStringLiteral("liveness-incomplete"));

        // A genuine track handed in long after its challenge.
        turn = k->beginFaceCheck();
        auto late = track(who, towards(*turn), rng);
        f.clock.advance(30);
        QCOMPARE(code(k->checkIn(FaceProbe {late, {*late.front().embedding, goodLight(), 1}})),
                 QStringLiteral("liveness-timeout"));
        // No challenge (the last one was used): refused before anything is compared.
        QCOMPARE(code(k->checkIn(FaceProbe {late, {*late.front().embedding, goodLight(), 1}})),
                 QStringLiteral("face-no-challenge"));
    }

    void forgedEvidence()
    {
        const face::Embedding &who = faces[econ[3]];
        // A probe that is not a frame of the track: someone else's photo beside a live turn.
        auto turn = k->beginFaceCheck();
        auto t = track(faces[econ[4]], towards(*turn), rng);
        f.clock.advance(1);
        QCOMPARE(code(k->checkIn(FaceProbe {t, {near(who, 0.1, rng), goodLight(), 1}})),
                 QStringLiteral("face-invalid"));
        // Frame times from before the challenge's own clock allows, or out of order.
        turn = k->beginFaceCheck();
        t = track(who, towards(*turn), rng, 4, 1000); // 16 s of frames, 1 s later
        f.clock.advance(1);
        QCOMPARE(code(k->checkIn(FaceProbe {t, {*t.front().embedding, goodLight(), 1}})),
                 QStringLiteral("face-invalid"));
        turn = k->beginFaceCheck();
        t = track(who, towards(*turn), rng);
        std::swap(t[2], t[5]);
        f.clock.advance(1);
        QCOMPARE(code(k->checkIn(FaceProbe {t, {*t.front().embedding, goodLight(), 1}})),
                 QStringLiteral("face-invalid"));
        // A probe too dark to compare, though the track turned.
        turn = k->beginFaceCheck();
        t = track(who, towards(*turn), rng);
        face::ProbeQuality dark = goodLight();
        dark.brightness = 20;
        f.clock.advance(1);
        QCOMPARE(code(k->checkIn(FaceProbe {t, {*t.front().embedding, dark, 1}})), QStringLiteral("face-unclear"));
    }

    void identification()
    {
        // A stranger, a representative of another session, and a look-alike pair.
        QCOMPARE(code(tryFace(randomFace(rng))), QStringLiteral("face-no-match"));
        QCOMPARE(code(tryFace(faces[service[0]])), QStringLiteral("face-no-match"));
        QCOMPARE(code(tryFace(faces[twinA])), QStringLiteral("face-ambiguous"));
        QVERIFY(!k->voterActive());
        // Each other enrolled representative of econ is identified as themselves.
        int admitted = 0;
        for (const QString &rep : econ.mid(3)) {
            auto c = tryFace(faces[rep]);
            QVERIFY2(c.ok(), qPrintable(code(c)));
            QVERIFY(k->release(ReleaseReason::Cancelled).ok());
            ++admitted;
        }
        QVERIFY(admitted >= 3);
    }

    void auditSaysHowNeverHowClose()
    {
        auto log = k->auditLog();
        QVERIFY(log.ok());
        QSet<QString> reasons;
        int faceCheckIns = 0;
        for (const AuditEvent &e : *log) {
            const QString event = e.body.value(QLatin1String("event")).toString();
            if (event == QLatin1String("check-in") && e.body.value(QLatin1String("method")).toString() == "face")
                ++faceCheckIns;
            if (event == QLatin1String("check-in-refused")
                && e.body.value(QLatin1String("method")).toString() == QLatin1String("face"))
                reasons.insert(e.body.value(QLatin1String("reason")).toString());
            // A check-in or a refusal says how and why, nothing else: no rep, no distance.
            static const QSet<QString> allowed {"seq",       "time",   "event",  "prev",  "session",
                                                "rehearsal", "method", "source", "reason"};
            if (event.startsWith(QLatin1String("check-in")))
                for (const QString &key : e.body.keys())
                    QVERIFY2(allowed.contains(key), qPrintable(event + QLatin1Char(' ') + key));
        }
        QVERIFY(faceCheckIns >= 4);
        for (const char *r : {"liveness-wrong-way", "liveness-timeout", "liveness-incomplete", "face-no-challenge",
                              "face-invalid", "face-unclear", "face-no-match", "face-ambiguous", "already-voted"})
            QVERIFY2(reasons.contains(QLatin1String(r)), r);
    }

    void templatesStaySealed()
    {
        // No template's bytes in any file of the kiosk's state directory (database, WAL, …):
        // the kiosk keeps only the sealed package and decrypts the templates into memory.
        QList<QByteArray> needles;
        for (const face::Embedding &e : faces)
            needles << face::encodeTemplate(e).left(32);
        QDirIterator it(f.stateDir(QStringLiteral("shinan-f1")), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            const QByteArray bytes = *readFile(it.next());
            ++files;
            for (const QByteArray &n : needles)
                QVERIFY2(!bytes.contains(n), qPrintable(it.filePath()));
        }
        QVERIFY(files >= 1);
        // Reopened, the kiosk has them again (from the package) and the session still open.
        k.reset();
        auto reopened = KioskService::open(f.stateDir(QStringLiteral("shinan-f1")), f.clock);
        QVERIFY(reopened.ok());
        k = std::move(reopened).value();
        QCOMPARE(k->facesEnrolled(), int(econ.size()));
        QVERIFY(tryFace(faces[econ[5]]).ok());
    }
};

QTEST_GUILESS_MAIN(TestFaceCheckIn)
#include "test_face_checkin.moc"
