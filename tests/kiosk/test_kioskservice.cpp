// The kiosk service: enrolment and package refusals, staff PINs and back-off, every legal
// and illegal session transition, check-in refusals, casting, release, reports, audit log.

#include "fixture.h"

#include "audit.h"
#include "credential.h"
#include "report.h"
#include "signeddoc.h"
#include "storage.h"

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

class TestKioskService : public QObject {
    Q_OBJECT

    VenueFixture f;
    std::mt19937_64 rng {7};

    static QString code(const Status &s) { return s.ok() ? QStringLiteral("ok") : s.error().code; }
    template<typename T> static QString code(const Result<T> &r)
    {
        return r.ok() ? QStringLiteral("ok") : r.error().code;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(f.setUp()); }

    void enrolmentAndPackageRefusals()
    {
        auto k = KioskService::open(f.dir.filePath(QStringLiteral("k-enrol")), f.clock);
        QVERIFY(k.ok());
        KioskService &s = **k;
        QCOMPARE(s.provisioning(), Provisioning::Unenrolled);
        QCOMPARE(code(s.loadPackage("x")), QStringLiteral("not-enrolled"));
        QCOMPARE(code(s.beginEnrolment(QStringLiteral("bad id!"), f.hq->rootPublicKey())), QStringLiteral("kiosk-id"));
        auto request = s.beginEnrolment(QStringLiteral("shinan-e1"), f.hq->rootPublicKey());
        QVERIFY(request.ok());
        QCOMPARE(s.provisioning(), Provisioning::AwaitingCertificate);
        QCOMPARE(s.rootFingerprint(), crypto::fingerprint(f.hq->rootPublicKey()));

        // A certificate for another kiosk's key, or signed by another office, is refused.
        auto other = EnrolmentRequest::create(crypto::SigningKey::generate(), QStringLiteral("shinan-e9"));
        auto otherCert = f.hq->certifyKiosk(other, f.venue, *f.secrets, nullptr);
        const QByteArray packageBefore = *f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        QCOMPARE(code(s.completeEnrolment(*otherCert)), QStringLiteral("kiosk-cert-other"));
        const auto fakeRoot = crypto::SigningKey::generate();
        const QByteArray forged
            = KioskCertificate::issue(fakeRoot, *EnrolmentRequest::parse(*request), f.activity.id, f.venue, 99);
        QCOMPARE(code(s.completeEnrolment(forged)), QStringLiteral("kiosk-cert-signature"));

        auto cert = f.hq->certifyKiosk(*request, f.venue, *f.secrets, nullptr);
        QVERIFY(s.completeEnrolment(*cert).ok());
        QCOMPARE(s.provisioning(), Provisioning::AwaitingPackage);

        // A package built before this kiosk was enrolled is not encrypted to it.
        QCOMPARE(code(s.loadPackage(packageBefore)), QStringLiteral("package-recipient"));
        // Another venue's package.
        auto laixiKiosk
            = f.hq->certifyKiosk(EnrolmentRequest::create(crypto::SigningKey::generate(), QStringLiteral("laixi-e1")),
                                 QStringLiteral("laixi"), *f.secrets, nullptr);
        QVERIFY(laixiKiosk.ok());
        QVERIFY(f.hq->issueStaffPins(QStringLiteral("laixi")).ok());
        auto laixi = f.hq->buildPackage(QStringLiteral("laixi"), *f.secrets, nullptr);
        QCOMPARE(code(s.loadPackage(*laixi)), QStringLiteral("package-venue"));
        QByteArray damaged = *f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        damaged[damaged.size() / 2] = char(damaged[damaged.size() / 2] ^ 0x10);
        QCOMPARE(code(s.loadPackage(damaged)), QStringLiteral("package-signature"));
        QCOMPARE(s.provisioning(), Provisioning::AwaitingPackage); // refusals changed nothing

        auto good = f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        QVERIFY(s.loadPackage(*good).ok());
        QCOMPARE(s.provisioning(), Provisioning::Ready);
        QVERIFY(s.rosterSize() > 0);

        // Updating needs a technician; an older package is refused.
        auto newer = f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        QCOMPARE(code(s.loadPackage(*newer)), QStringLiteral("login-required"));
        QVERIFY(s.login(f.pins[QStringLiteral("technician")]).ok());
        QVERIFY(s.loadPackage(*newer).ok());
        QCOMPARE(code(s.loadPackage(*good)), QStringLiteral("package-version"));

        // The state survives a restart.
        k->reset();
        auto again = KioskService::open(f.dir.filePath(QStringLiteral("k-enrol")), f.clock);
        QVERIFY(again.ok());
        QCOMPARE((*again)->provisioning(), Provisioning::Ready);
        QCOMPARE((*again)->venue(), f.venue);
        QVERIFY((*again)->verifyAuditLog().ok());
    }

    void pinBackoffAndLock()
    {
        Options o;
        o.staffLockSeconds = 60;
        auto k = f.enrolKiosk(QStringLiteral("shinan-pin"), o);
        QVERIFY(k);
        QCOMPARE(k->pinTriesLeft(), 3);
        QCOMPARE(code(k->login(QStringLiteral("000000"))), QStringLiteral("pin-wrong"));
        QCOMPARE(k->pinTriesLeft(), 2); // a typed value, not only the message's words
        QCOMPARE(code(k->login(QStringLiteral("000001"))), QStringLiteral("pin-wrong"));
        QCOMPARE(k->pinTriesLeft(), 1);
        QCOMPARE(code(k->login(QStringLiteral("000002"))), QStringLiteral("pin-locked"));
        QCOMPARE(k->pinTriesLeft(), 0);
        // Locked: even the right PIN is refused until the wait is over.
        QCOMPARE(code(k->login(f.pins[QStringLiteral("staff")])), QStringLiteral("pin-locked"));
        QCOMPARE(k->pinLockRemaining(), 30);
        f.clock.advance(31);
        QCOMPARE(code(k->login(QStringLiteral("000003"))), QStringLiteral("pin-locked"));
        QCOMPARE(k->pinLockRemaining(), 60); // doubled
        f.clock.advance(61);
        auto r = k->login(f.pins[QStringLiteral("lead")]);
        QVERIFY(r.ok());
        QCOMPARE(*r, Role::Lead);
        QCOMPARE(k->role(), Role::Lead);
        f.clock.advance(59);
        k->touch();
        f.clock.advance(59);
        QCOMPARE(k->role(), Role::Lead);
        f.clock.advance(2);
        QCOMPARE(k->role(), Role::None); // inactivity lock
        // PINs are never logged.
        for (const AuditEvent &e : *k->auditLog())
            for (const QString &pin : f.pins)
                QVERIFY(!e.bodyBytes.contains(pin.toLatin1()));
    }

    void sessionTransitions()
    {
        auto k = f.enrolKiosk(QStringLiteral("shinan-sm"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const SessionKey service {QStringLiteral("service"), false};
        QCOMPARE(code(k->openSession(econ)), QStringLiteral("login-required"));
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QCOMPARE(code(k->openSession({QStringLiteral("internal"), false})), QStringLiteral("session-unknown"));
        // From ready: only open.
        QCOMPARE(code(k->pauseSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->resumeSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->closeSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->exportSession(econ, f.dir.path())), QStringLiteral("session-state"));
        auto zero = k->openSession(econ);
        QVERIFY(zero.ok());
        QCOMPARE(zero->kind, QStringLiteral("zero"));
        QCOMPARE(zero->body.value(QLatin1String("ballots")).toInt(), 0);
        auto qr = decodeReportQr(zero->qrPayload, k->publicKey());
        QVERIFY(qr.ok());
        QVERIFY(!qr->closing);
        QCOMPARE(qr->counts, BatchCounts {});
        // Open: pause, close; not open again, not resume, not export; no second session.
        QCOMPARE(code(k->openSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->resumeSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->exportSession(econ, f.dir.path())), QStringLiteral("session-state"));
        QCOMPARE(code(k->openSession(service)), QStringLiteral("session-other-open"));
        QVERIFY(k->pauseSession(econ).ok());
        // Paused: resume or close; check-in refused.
        QCOMPARE(code(k->pauseSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->checkInCredential(f.credentials(QStringLiteral("econ")).first())),
                 QStringLiteral("session-not-open"));
        QVERIFY(k->resumeSession(econ).ok());
        QVERIFY(k->pauseSession(econ).ok());
        auto closing = k->closeSession(econ); // from paused
        QVERIFY(closing.ok());
        QCOMPARE(closing->kind, QStringLiteral("closing"));
        // Closed: only export.
        QCOMPARE(code(k->openSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->pauseSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->resumeSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->closeSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->checkInCredential(f.credentials(QStringLiteral("econ")).first())),
                 QStringLiteral("session-not-open"));
        QTemporaryDir usb;
        QVERIFY(k->exportSession(econ, usb.path()).ok());
        QCOMPARE(k->session(econ)->state, SessionState::Exported);
        // Exported: export again (same content), nothing else.
        QVERIFY(k->exportSession(econ, usb.path()).ok());
        QCOMPARE(code(k->openSession(econ)), QStringLiteral("session-state"));
        QCOMPARE(code(k->closeSession(econ)), QStringLiteral("session-state"));
        // Another session can now be opened, and the rehearsal of econ is separate.
        QVERIFY(k->openSession({QStringLiteral("econ"), true}).ok());
        QCOMPARE(k->currentSession(), (SessionKey {QStringLiteral("econ"), true}));
        QVERIFY(k->closeSession({QStringLiteral("econ"), true}).ok());
        QVERIFY(k->verifyAuditLog().ok());
    }

    void checkInRefusalsAndCasting()
    {
        auto k = f.enrolKiosk(QStringLiteral("shinan-ci"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        const QStringList creds = f.credentials(QStringLiteral("econ"));
        const QStringList ids = f.idNumbers(QStringLiteral("econ"));
        QVERIFY(creds.size() >= 4 && ids.size() >= 4);
        QCOMPARE(code(k->checkInCredential(creds[0])), QStringLiteral("session-not-open"));
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession(econ).ok());

        // Each refusal has its own reason.
        QCOMPARE(code(k->checkInCredential(QStringLiteral("hello"))), QStringLiteral("credential-format"));
        const auto fake = crypto::SigningKey::generate();
        QCOMPARE(
            code(k->checkInCredential(
                Credential {f.activity.id, QStringLiteral("R00001"), f.venue, {QStringLiteral("econ")}}.encode(fake))),
            QStringLiteral("credential-signature"));
        QCOMPARE(code(k->checkInCredential(Credential {
                     QStringLiteral("other-2025"), QStringLiteral("R00001"), f.venue, {QStringLiteral("econ")}}
                                               .encode(f.secrets->root))),
                 QStringLiteral("credential-activity"));
        QCOMPARE(code(k->checkInCredential(Credential {
                     f.activity.id, QStringLiteral("R00001"), QStringLiteral("laixi"), {QStringLiteral("econ")}}
                                               .encode(f.secrets->root))),
                 QStringLiteral("credential-venue"));
        // A genuine card of another venue says where its holder belongs (issue 14).
        QVERIFY(k->refusalPlacement());
        QCOMPARE(k->refusalPlacement()->venue, QStringLiteral("laixi"));
        QCOMPARE(k->refusalPlacement()->sessions, QStringList {QStringLiteral("econ")});
        // A forged one says nothing.
        QCOMPARE(code(k->checkInCredential(Credential {
                     f.activity.id, QStringLiteral("R00001"), QStringLiteral("laixi"), {QStringLiteral("econ")}}
                                               .encode(fake))),
                 QStringLiteral("credential-signature"));
        QVERIFY(!k->refusalPlacement());
        QCOMPARE(code(k->checkInCredential(
                     Credential {f.activity.id, QStringLiteral("R99999"), f.venue, {QStringLiteral("econ")}}.encode(
                         f.secrets->root))),
                 QStringLiteral("credential-unknown"));
        const QStringList serviceCreds = f.credentials(QStringLiteral("service"));
        QCOMPARE(code(k->checkInCredential(serviceCreds.first())), QStringLiteral("not-in-session"));
        QVERIFY(k->refusalPlacement());
        QCOMPARE(k->refusalPlacement()->venue, f.venue);
        QVERIFY(k->refusalPlacement()->sessions.contains(QStringLiteral("service")));
        QVERIFY(!k->refusalPlacement()->sessions.contains(QStringLiteral("econ")));
        QCOMPARE(code(k->checkInIdNumber(QStringLiteral("123"))), QStringLiteral("id-invalid"));
        QVERIFY(!k->refusalPlacement()); // every check-in starts afresh
        QCOMPARE(code(k->checkInIdNumber(QStringLiteral("11010519491231002X"))), QStringLiteral("id-unknown"));
        // The same lookup for a number from the hand scanner; the audit log keeps the source.
        QCOMPARE(code(k->checkIn(IdNumberEvidence {QStringLiteral("11010519491231002X"), EvidenceSource::Scanner})),
                 QStringLiteral("id-unknown"));
        // A face without a challenge first is refused before anything is compared (test_face_checkin).
        QCOMPARE(code(k->checkIn(FaceProbe {})), QStringLiteral("face-no-challenge"));
        QCOMPARE(code(k->cast(f.ballot(QStringLiteral("econ"), rng), {})), QStringLiteral("no-voter"));

        // Credential check-in, an incomplete ballot is refused and changes nothing, then cast.
        auto c = k->checkInCredential(creds[0]);
        QVERIFY2(c.ok(), qPrintable(code(c)));
        QVERIFY(c->maskedName.contains(QLatin1Char('*')));
        QCOMPARE(code(k->checkInCredential(creds[1])), QStringLiteral("busy"));
        BallotAnswers incomplete = f.ballot(QStringLiteral("econ"), rng);
        incomplete.ratings.remove(incomplete.ratings.firstKey());
        QCOMPARE(code(k->cast(incomplete, {})), QStringLiteral("ballot-incomplete"));
        BallotAnswers wrongScale = f.ballot(QStringLiteral("econ"), rng);
        wrongScale.ratings[wrongScale.ratings.firstKey()] = QStringLiteral("excellent");
        QCOMPARE(code(k->cast(wrongScale, {})), QStringLiteral("ballot-invalid"));
        // One suggestion per voter; every suggestion must encode into one padding block (a
        // control character is written as six bytes).
        const Suggestion escaped {QStringLiteral("econ"), QStringLiteral("ocean"), QString(),
                                  QString(400, QChar(0x01))};
        QCOMPARE(code(k->cast(f.ballot(QStringLiteral("econ"), rng), {escaped})), QStringLiteral("suggestion-invalid"));
        const Suggestion sg {QStringLiteral("econ"), QStringLiteral("ocean"), QStringLiteral("econ-10"),
                             QStringLiteral("建议加强海洋经济政策宣传。")};
        QCOMPARE(code(k->cast(f.ballot(QStringLiteral("econ"), rng), {sg, sg})), QStringLiteral("suggestion-invalid"));
        auto receipt = k->cast(f.ballot(QStringLiteral("econ"), rng), {sg});
        QVERIFY2(receipt.ok(), qPrintable(code(receipt)));
        QCOMPARE(receipt->code.size(), 9);
        QCOMPARE(receipt->suggestions, 1);
        QCOMPARE(code(k->checkInCredential(creds[0])), QStringLiteral("already-voted"));
        // The same person by ID number is the same representative.
        const QString firstId = ids[0];
        auto byId = k->checkInIdNumber(firstId.toLower() + QStringLiteral(" "));
        if (!byId.ok())
            QCOMPARE(byId.error().code, QStringLiteral("already-voted")); // creds[0] may be ids[0]
        else
            QVERIFY(k->release(ReleaseReason::Cancelled).ok());

        // Release: nothing stored, may check in again and vote.
        QVERIFY(k->checkInCredential(creds[1]).ok());
        QVERIFY(k->release(ReleaseReason::Idle).ok());
        QVERIFY(k->checkInCredential(creds[1]).ok());
        QVERIFY(k->cast(f.ballot(QStringLiteral("econ"), rng), {}).ok());

        // Override: venue lead only, with a reason; logged with whom it let in.
        QCOMPARE(code(k->checkInOverride(QStringLiteral("x"), QStringLiteral("card damaged"))), QStringLiteral("role"));
        QVERIFY(k->login(f.pins[QStringLiteral("lead")]).ok());
        QCOMPARE(code(k->checkInOverride(ids[2], QStringLiteral(""))), QStringLiteral("override-reason"));
        auto ov = k->checkInOverride(ids[2], QStringLiteral("二维码损坏 card damaged"));
        QVERIFY2(ov.ok(), qPrintable(code(ov)));
        QCOMPARE(ov->method, IdentityMethod::Override);
        QVERIFY(k->cast(f.ballot(QStringLiteral("econ"), rng), {}).ok());

        // Close refuses while someone votes; the closing report adds up.
        QVERIFY(k->checkInCredential(creds[3]).ok());
        QCOMPARE(code(k->closeSession(econ)), QStringLiteral("voter-active"));
        QCOMPARE(code(k->pauseSession(econ)), QStringLiteral("voter-active"));
        QVERIFY(k->release(ReleaseReason::Cancelled).ok());
        QVERIFY(k->checkInvariants(econ).ok());
        auto closing = k->closeSession(econ);
        QVERIFY(closing.ok());
        const QJsonObject b = closing->body;
        QCOMPARE(b.value(QLatin1String("ballots")).toInt(), 3);
        QCOMPARE(b.value(QLatin1String("suggestions")).toInt(), 1);
        QCOMPARE(b.value(QLatin1String("checkins")).toInt(),
                 b.value(QLatin1String("ballots")).toInt() + b.value(QLatin1String("released")).toInt());
        QVERIFY(
            SignedDocument::open(closing->document, crypto::domain::report, k->publicKey(), QStringLiteral("report"))
                .ok());
        QVERIFY(closing->text.contains(QLatin1String("Ballots: 3")));
        auto stored = k->report(econ, QStringLiteral("closing"));
        QVERIFY(stored.ok());
        QCOMPARE(stored->qrPayload, closing->qrPayload);

        // The audit log has the override with its reason and no ballot content; refusals
        // and check-ins say the method and the source, never who or the number.
        bool sawOverride = false;
        QStringList refusals;
        QStringList checkIns;
        for (const AuditEvent &e : *k->auditLog()) {
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("check-in")) {
                checkIns << e.body.value(QLatin1String("method")).toString() + QLatin1Char('/')
                        + e.body.value(QLatin1String("source")).toString();
                QVERIFY(!e.body.contains(QLatin1String("rep")));
            }
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("check-in-refused")) {
                QVERIFY(identityMethodFromName(e.body.value(QLatin1String("method")).toString()).has_value());
                refusals << e.body.value(QLatin1String("reason")).toString() + QLatin1Char('/')
                        + e.body.value(QLatin1String("method")).toString() + QLatin1Char('/')
                        + e.body.value(QLatin1String("source")).toString();
            }
            QVERIFY(!e.bodyBytes.contains("11010519491231002X"));
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("override")) {
                sawOverride = true;
                QVERIFY(e.body.value(QLatin1String("reason")).toString().contains(QLatin1String("card damaged")));
            }
            QVERIFY(!e.bodyBytes.contains("satisfied"));
            QVERIFY(!e.bodyBytes.contains("econ-01"));
            QVERIFY(!e.bodyBytes.contains(receipt->code.toLatin1()));
            QVERIFY(!e.bodyBytes.contains(ids[2].toLatin1())); // the ID number itself never
        }
        QVERIFY(sawOverride);
        QVERIFY(refusals.contains(QStringLiteral("id-unknown/id_number/keypad")));
        QVERIFY(refusals.contains(QStringLiteral("id-unknown/id_number/scanner")));
        QVERIFY(refusals.contains(QStringLiteral("face-no-challenge/face/camera")));
        QVERIFY(refusals.contains(QStringLiteral("already-voted/credential/scanner")));
        QVERIFY2(checkIns.contains(QStringLiteral("credential/scanner")), qPrintable(checkIns.join(u' ')));
        QVERIFY2(checkIns.contains(QStringLiteral("override/override")), qPrintable(checkIns.join(u' ')));
    }

    void identityMethodNames()
    {
        // One spelling, the activity spec's, shared by parser, audit log, kiosk and UI.
        const QStringList expected {QStringLiteral("credential"), QStringLiteral("id_number"), QStringLiteral("face"),
                                    QStringLiteral("override")};
        QCOMPARE(pingyi::identityMethodNames(), expected);
        for (IdentityMethod m : allIdentityMethods)
            QCOMPARE(identityMethodFromName(identityMethodName(m)), std::optional<IdentityMethod>(m));
        QVERIFY(!identityMethodFromName(QStringLiteral("Face")));
        QVERIFY(!identityMethodFromName(QStringLiteral("id-number")));
        for (EvidenceSource s :
             {EvidenceSource::Keypad, EvidenceSource::Scanner, EvidenceSource::Camera, EvidenceSource::Override})
            QCOMPARE(evidenceSourceFromName(evidenceSourceName(s)), std::optional<EvidenceSource>(s));
        QCOMPARE(methodOf(Evidence {OverrideEvidence {}}), IdentityMethod::Override);
        QCOMPARE(methodOf(Evidence {FaceProbe {}}), IdentityMethod::Face);
        QCOMPARE(sourceOf(Evidence {FaceProbe {}}), EvidenceSource::Camera);
        QCOMPARE(sourceOf(Evidence {OverrideEvidence {}}), EvidenceSource::Override);
        QCOMPARE(sourceOf(Evidence {CredentialEvidence {QStringLiteral("x"), EvidenceSource::Camera}}),
                 EvidenceSource::Camera);
        QCOMPARE(sourceOf(Evidence {CredentialEvidence {QStringLiteral("x")}}), EvidenceSource::Scanner);
    }

    void ballotSizeIsOnePerActivity()
    {
        // Qingdao 2025: every ballot fits one block.
        QCOMPARE(ballotPlaintextSize(f.activity), qsizetype(1024));
        // A larger activity: more departments with long codes, so ballots outgrow a block.
        Activity big = f.activity;
        GroupSession &econ = big.sessions.first();
        for (int i = 0; i < 40; ++i)
            econ.departments.append(
                {QStringLiteral("department-with-a-long-code-%1").arg(i), QStringLiteral("部门"), {}});
        const qsizetype size = ballotPlaintextSize(big);
        QVERIFY2(size > 1024 && size % 1024 == 0, qPrintable(QString::number(size)));
        // The fullest and the emptiest ballot of the activity have that one size.
        BallotAnswers full, sparse;
        full.session = sparse.session = econ.code;
        for (const Department &d : econ.departments) {
            full.ratings.insert(d.code, big.scale.first().code);
            sparse.ratings.insert(d.code, big.scale.last().code);
        }
        for (const Question &q : big.questionnaire) {
            QStringList all;
            for (const Choice &c : q.choices)
                all << c.code;
            all = all.mid(0, q.kind == Question::Kind::Single ? 1 : q.maxChoices);
            all.sort(); // the encoding sorts choices
            full.questionnaire.insert(q.code, all);
            if (q.required)
                sparse.questionnaire.insert(q.code, {q.choices.first().code});
        }
        for (const Question &q : big.discipline) {
            full.discipline.insert(q.code, {q.choices.first().code});
            if (q.required)
                sparse.discipline.insert(q.code, {q.choices.first().code});
        }
        QVERIFY(validateBallot(big, full).ok());
        QVERIFY(validateBallot(big, sparse).ok());
        const QByteArray a = encodeBallot(big.id, full, size), b = encodeBallot(big.id, sparse, size);
        QCOMPARE(a.size(), size);
        QCOMPARE(b.size(), size);
        QCOMPARE(*decodeBallot(a), full);
        QCOMPARE(*decodeBallot(b), sparse);
        // A plaintext that is not a whole number of blocks is refused.
        QCOMPARE(decodeBallot(a.left(size - 1)).error().code, QStringLiteral("ballot-format"));
    }

    void restartReleasesActiveCheckIn()
    {
        const QString id = QStringLiteral("shinan-rs");
        auto k = f.enrolKiosk(id);
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession(econ).ok());
        const QString cred = f.credentials(QStringLiteral("econ"))[5];
        QVERIFY(k->checkInCredential(cred).ok());
        k.reset(); // power cut while voting
        auto again = KioskService::open(f.stateDir(id), f.clock);
        QVERIFY(again.ok());
        QVERIFY((*again)->checkInvariants(econ).ok());
        QCOMPARE((*again)->session(econ)->counts.released, 1);
        QVERIFY((*again)->checkInCredential(cred).ok()); // may come back
    }

    void auditTamperDetected()
    {
        auto k = f.enrolKiosk(QStringLiteral("shinan-au"));
        QVERIFY(k);
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession({QStringLiteral("econ"), false}).ok());
        QVERIFY(k->verifyAuditLog().ok());
        auto events = *k->auditLog();
        QVERIFY(events.size() >= 4);
        QList<AuditEvent> dropped = events;
        dropped.removeAt(1);
        QCOMPARE(AuditLog::verify(dropped, k->publicKey()).error().code, QStringLiteral("audit-chain"));
        QList<AuditEvent> edited = events;
        edited.last().bodyBytes.replace("session-open", "session-shut");
        QVERIFY(edited.last().bodyBytes.contains("session-shut"));
        QVERIFY(!AuditLog::verify(edited, k->publicKey()).ok());
        auto lines = AuditLog::fromJsonLines(AuditLog::toJsonLines(events));
        QVERIFY(AuditLog::verify(*lines, k->publicKey()).ok());
        QVERIFY(!AuditLog::verify(*lines, crypto::SigningKey::generate().publicKey()).ok());
    }

    void exportErrors()
    {
        auto k = f.enrolKiosk(QStringLiteral("shinan-ex"));
        QVERIFY(k);
        const SessionKey econ {QStringLiteral("econ"), false};
        QVERIFY(k->login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(k->openSession(econ).ok());
        QVERIFY(k->checkInCredential(f.credentials(QStringLiteral("econ"))[7]).ok());
        QVERIFY(k->cast(f.ballot(QStringLiteral("econ"), rng), {}).ok());
        QVERIFY(k->closeSession(econ).ok());
        QCOMPARE(code(k->exportSession(econ, f.dir.filePath(QStringLiteral("no-such-drive")))),
                 QStringLiteral("export-missing"));
        QTemporaryDir ro;
        QFile::setPermissions(ro.path(), QFile::ReadOwner | QFile::ExeOwner);
        if (!QFileInfo(ro.path()).isWritable()) // root ignores permissions
            QCOMPARE(code(k->exportSession(econ, ro.path())), QStringLiteral("export-read-only"));
        QFile::setPermissions(ro.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(k->session(econ)->state, SessionState::Closed); // failures changed nothing
        QTemporaryDir usb;
        auto r = k->exportSession(econ, usb.path());
        QVERIFY(r.ok());
        QCOMPARE(r->counts.ballots, 1);
        QVERIFY(QFile::exists(r->path));
        QVERIFY(r->path.endsWith(QLatin1String("qingdao-2025_shinan_shinan-ex_econ.pybatch")));
        // The written batch verifies with the kiosk's key, and any damage is detected.
        const QByteArray bytes = *readFile(r->path);
        auto file = readBatch(bytes);
        QVERIFY(file.ok());
        QVERIFY(verifyBatchSignature(*file, k->publicKey()).ok());
        for (qsizetype i = 0; i < bytes.size(); i += 97) {
            QByteArray bad = bytes;
            bad[i] = char(bad[i] ^ 0x04);
            auto f2 = readBatch(bad);
            QVERIFY2(!f2.ok() || !verifyBatchSignature(*f2, k->publicKey()).ok(), qPrintable(QString::number(i)));
        }
        for (qsizetype cut : {qsizetype(10), bytes.size() / 3, bytes.size() - 1})
            QVERIFY(!readBatch(bytes.left(cut)).ok());
        QVERIFY(!readBatch(bytes + "\n").ok());
    }
};

QTEST_GUILESS_MAIN(TestKioskService)
#include "test_kioskservice.moc"
