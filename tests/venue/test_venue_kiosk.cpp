// Two kiosks of one venue through the real kiosk service: the network plan in the venue
// package selects the shared ledger, a second attempt is refused naming the kiosk that holds
// the check-in, quorum lost is refused "venue-unavailable" within the deadline, and offline
// check-in (the lead's degraded mode) ends as a duplicate in both kiosks' audit logs.

#include "../kiosk/fixture.h"
#include "accessibility.h"
#include "cameradesk.h"
#include "checkindesk.h"
#include "importer.h"
#include "staffconsole.h"
#include "tally.h"
#include "venuekioskledger.h"
#include "venuetestutil.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickView>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Pingyi_ControlsPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_KeyboardPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_IdentifyPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_BallotPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_StaffPlugin)
Q_IMPORT_QML_PLUGIN(Pingyi_ShellPlugin)

using namespace pingyi;
using kiosk::KioskService;
using kiosk::SessionKey;

class TestVenueKiosk : public QObject {
    Q_OBJECT

    test::VenueFixture f;
    const SessionKey econ {QStringLiteral("econ"), false};
    QHash<QString, QString> plan;
    std::mt19937_64 rng {7};

    /// Kiosks "a" and "b" enrolled, the package with the network plan loaded in both.
    bool enrolBoth()
    {
        for (const char *id : {"a", "b"}) {
            if (!f.enrolKiosk(QLatin1String(id)))
                return false;
            plan.insert(QLatin1String(id), QStringLiteral("127.0.0.1:%1").arg(venue::testutil::freePort()));
        }
        auto pkg = f.hq->buildPackage(f.venue, *f.secrets, nullptr, plan);
        if (!pkg)
            return false;
        for (const char *id : {"a", "b"}) {
            auto k = KioskService::open(f.stateDir(QLatin1String(id)), f.clock);
            if (!k || !(*k)->login(f.pins[QStringLiteral("technician")]) || !(*k)->loadPackage(*pkg))
                return false;
        }
        return true;
    }

    std::unique_ptr<KioskService> openShared(const QString &id)
    {
        kiosk::Options options;
        options.sharedLedger = venue::sharedLedgerFactory();
        auto k = KioskService::open(f.stateDir(id), f.clock, options);
        if (!k) {
            qWarning() << k.error().message;
            return {};
        }
        return std::move(k).value();
    }

    /// The item named @p name among the visual descendants of @p item (Repeater rows too);
    /// with @p visibleOnly, the first one shown (a screen may lay out two of them).
    static QQuickItem *findItem(QQuickItem *item, const QString &name, bool visibleOnly = false)
    {
        if (item->objectName() == name && (!visibleOnly || item->isVisible()))
            return item;
        for (QQuickItem *child : item->childItems())
            if (QQuickItem *found = findItem(child, name, visibleOnly))
                return found;
        return nullptr;
    }

    /// Shows the module screen @p screen ("Staff/DashboardScreen") with @p properties at
    /// 1920×1080; false (with QML's errors logged) when it does not load.
    static bool show(QQuickView &view, const QString &screen, const QVariantMap &properties)
    {
        view.engine()->addImportPath(QStringLiteral("qrc:/qt/qml"));
        view.setResizeMode(QQuickView::SizeRootObjectToView);
        view.setInitialProperties(properties);
        view.setSource(QUrl(QStringLiteral("qrc:/qt/qml/Pingyi/%1.qml").arg(screen)));
        if (view.status() != QQuickView::Ready) {
            qWarning() << view.errors();
            return false;
        }
        view.resize(1920, 1080);
        view.show();
        return QTest::qWaitForWindowExposed(&view);
    }

    /// Opens @p session at each kiosk with the staff PIN.
    bool openOn(std::initializer_list<KioskService *> kiosks, const SessionKey &session)
    {
        for (KioskService *k : kiosks) {
            if (!k->login(f.pins[QStringLiteral("staff")]) || !k->openSession(session))
                return false;
            k->logout();
        }
        return true;
    }

    static int count(KioskService &k, const QString &event)
    {
        int n = 0;
        for (const AuditEvent &e : *k.auditLog())
            n += e.body.value(QLatin1String("event")).toString() == event;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(f.setUp());
        QVERIFY(enrolBoth());
    }

    void planIsChecked()
    {
        // A plan that leaves out an enrolled kiosk, names a stranger or repeats an address.
        auto missing = plan;
        missing.remove(QStringLiteral("b"));
        auto r = f.hq->buildPackage(f.venue, *f.secrets, nullptr, missing);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("network-plan"));
        QVERIFY(r.error().message.contains(QStringLiteral("kiosk b has no address")));
        auto stranger = plan;
        stranger.insert(QStringLiteral("zz"), QStringLiteral("127.0.0.1:1"));
        QVERIFY(!f.hq->buildPackage(f.venue, *f.secrets, nullptr, stranger));
        auto twice = plan;
        twice[QStringLiteral("b")] = twice[QStringLiteral("a")];
        QVERIFY(!f.hq->buildPackage(f.venue, *f.secrets, nullptr, twice));
        // The plan file's words.
        auto parsed = hq::Hq::parseNetworkPlan("# venue LAN\nshinan-1 10.0.0.11:7443\n\nshinan-2  10.0.0.12:7443\n",
                                               QStringLiteral("plan.txt"));
        QVERIFY(parsed);
        QCOMPARE(parsed->value(QStringLiteral("shinan-2")), QStringLiteral("10.0.0.12:7443"));
        auto bad = hq::Hq::parseNetworkPlan("shinan-1 10.0.0.11\n", QStringLiteral("plan.txt"));
        QVERIFY(!bad);
        QVERIFY(bad.error().message.contains(QStringLiteral("plan.txt, line 1")));
        QVERIFY(!hq::Hq::parseNetworkPlan("shinan-1 10.0.0.11:1\nshinan-1 10.0.0.12:1\n", QStringLiteral("p")));
    }

    void oneKioskKeepsItsOwnList()
    {
        // Without the factory (a setup command) the kiosk opens on its local list alone.
        auto k = KioskService::open(f.stateDir(QStringLiteral("a")), f.clock);
        QVERIFY(k);
        QVERIFY(!(*k)->venueStatus().shared);
        QVERIFY((*k)->login(f.pins[QStringLiteral("lead")]));
        auto s = (*k)->setOfflineCheckIn(true);
        QVERIFY(!s);
        QCOMPARE(s.error().code, QStringLiteral("venue-not-shared"));
        // Nor is there a venue to close at every kiosk (and nothing is logged).
        auto closed = (*k)->closeAtEveryKiosk(econ);
        QVERIFY(!closed);
        QCOMPARE(closed.error().code, QStringLiteral("venue-not-shared"));
        QCOMPARE(count(**k, QStringLiteral("venue-close-all")), 0);
    }

    void secondAttemptNamesTheHolder()
    {
        auto a = openShared(QStringLiteral("a"));
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(a && b);
        QVERIFY(a->venueStatus().shared);
        QVERIFY(openOn({a.get(), b.get()}, econ));
        const QStringList creds = f.credentials(econ.code);
        QVERIFY(creds.size() >= 4);
        QVERIFY(a->checkInCredential(creds[0]));
        auto held = b->checkInCredential(creds[0]);
        QVERIFY(!held);
        QCOMPARE(held.error().code, QStringLiteral("checked-in-elsewhere"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        QVERIFY(held.error().message.contains(QStringLiteral("kiosk a")));
        QVERIFY(a->cast(f.ballot(econ.code, rng), {}));
        auto voted = b->checkInCredential(creds[0]);
        QVERIFY(!voted);
        QCOMPARE(voted.error().code, QStringLiteral("already-voted"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        // The other way round, and the refusal is forgotten at the next check-in.
        QVERIFY(b->checkInCredential(creds[1]));
        QVERIFY(b->refusalHolder().isEmpty());
        QVERIFY(!a->checkInCredential(creds[1]));
        QCOMPARE(a->refusalHolder(), QStringLiteral("b"));
        QVERIFY(b->cast(f.ballot(econ.code, rng), {}));
        // The venue view counts per kiosk (the prober looks every 2 s).
        QTRY_VERIFY_WITH_TIMEOUT(a->venueStatus().connected && a->venueStatus().kiosks.size() == 2
                                     && a->venueStatus().kiosks[1].voted == 1,
                                 10000);
        const auto st = a->venueStatus();
        QCOMPARE(st.kiosks[0].kioskId, QStringLiteral("a"));
        QVERIFY(st.kiosks[0].self);
        QCOMPARE(st.kiosks[0].voted, 1);
        QCOMPARE(st.kiosks[0].checkedIn, 1);
        QVERIFY(st.kiosks[1].reachable);
    }

    void staffConsoleVenueView()
    {
        // The staff console's venue view: the kiosks, their check-ins, the lead's switch.
        auto a = openShared(QStringLiteral("a"));
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(a && b);
        ui::StaffConsole staff(*a, f.clock, f.stateDir(QStringLiteral("a")), {});
        QAbstractItemModelTester tester(staff.venueKiosks(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT((staff.refresh(), staff.venueConnected()), 10000);
        QVERIFY(staff.venueShared());
        QCOMPARE(staff.venueKiosks()->count(), 2);
        const QModelIndex first = staff.venueKiosks()->index(0);
        QCOMPARE(first.data(ui::VenueKioskListModel::KioskIdRole).toString(), QStringLiteral("a"));
        QVERIFY(first.data(ui::VenueKioskListModel::SelfRole).toBool());
        // "a" voted one representative of econ in the test before.
        QCOMPARE(first.data(ui::VenueKioskListModel::VotedRole).toInt(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(
            (staff.refresh(), staff.venueKiosks()->index(1).data(ui::VenueKioskListModel::ReachableRole).toBool()),
            10000);
        // Each kiosk's session state, as it tells the venue from its idle timer.
        QTRY_VERIFY_WITH_TIMEOUT((a->venueTick(), b->venueTick(), staff.refresh(),
                                  staff.venueKiosks()->index(1).data(ui::VenueKioskListModel::StateRole).toString()
                                      == QLatin1String("open")),
                                 10000);
        QCOMPARE(staff.venueKiosks()->index(1).data(ui::VenueKioskListModel::SessionRole).toString(), econ.code);
        QCOMPARE(first.data(ui::VenueKioskListModel::StateRole).toString(), QStringLiteral("open"));
        // Staff may not switch to offline check-in; the lead may, and back.
        QVERIFY(staff.login(f.pins[QStringLiteral("staff")]));
        QVERIFY(!staff.setOfflineCheckIn(true));
        QCOMPARE(staff.error().code, ui::StaffErrors::LoginRequired);
        QVERIFY(!staff.venueOffline());
        staff.logout();
        QVERIFY(staff.login(f.pins[QStringLiteral("lead")]));
        QVERIFY(staff.setOfflineCheckIn(true));
        QVERIFY(staff.venueOffline());
        QVERIFY(staff.setOfflineCheckIn(false));
        QVERIFY(!staff.venueOffline());
        QCOMPARE(count(*a, QStringLiteral("venue-offline")), 2);
        QVERIFY(staff.setOfflineCheckIn(true));
        staff.refresh();
        // The dashboard's venue card: shown, one row per kiosk, the lead's switch.
        QQuickView view;
        QVERIFY(show(view, QStringLiteral("Staff/DashboardScreen"),
                     {{QStringLiteral("staff"), QVariant::fromValue(&staff)}}));
        QQuickItem *root = view.rootObject();
        auto *card = findItem(root, QStringLiteral("venueView"));
        QVERIFY(card && card->isVisible());
        QVERIFY(findItem(root, QStringLiteral("venueKiosk_a")));
        QVERIFY(findItem(root, QStringLiteral("venueKiosk_b")));
        auto *offline = findItem(root, QStringLiteral("venueOfflineState"));
        QVERIFY(offline && offline->isVisible());
        auto *button = findItem(root, QStringLiteral("venueOffline"));
        QVERIFY(button && button->isVisible());
        if (const QString shots = qEnvironmentVariable("PINGYI_VENUE_SHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(view.grabWindow().save(shots + QStringLiteral("/venue-view.png")));
        }
        QVERIFY(staff.setOfflineCheckIn(false));
        staff.logout();
    }

    void refusalScreenNamesTheHolder()
    {
        // The representative's screen names the kiosk holding their check-in.
        auto a = openShared(QStringLiteral("a"));
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(a && b);
        const QString cred = f.credentials(econ.code).value(4);
        QVERIFY(a->checkInCredential(cred));
        ui::CheckInDesk desk(*b);
        QVERIFY(!desk.submitScan(cred));
        QCOMPARE(desk.errorCode(), QStringLiteral("checked-in-elsewhere"));
        QCOMPARE(desk.holder(), QStringLiteral("a"));
        ui::CameraDesk camera(desk, nullptr);
        ui::Accessibility access(nullptr, ui::Accessibility::Speech::Off);
        QQuickView view;
        QVERIFY(show(view, QStringLiteral("Identify/IdentifyScreen"),
                     {{QStringLiteral("desk"), QVariant::fromValue(&desk)},
                      {QStringLiteral("camera"), QVariant::fromValue(&camera)},
                      {QStringLiteral("access"), QVariant::fromValue(&access)},
                      {QStringLiteral("sessionName"), QStringLiteral("经济建设组")}}));
        QQuickItem *refusal = nullptr;
        QTRY_VERIFY((refusal = findItem(view.rootObject(), QStringLiteral("refusal"), true)) && refusal->isVisible());
        QVERIFY2(refusal->property("text").toString().contains(QStringLiteral("终端“a”")),
                 qPrintable(refusal->property("text").toString()));
        if (const QString shots = qEnvironmentVariable("PINGYI_VENUE_SHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(view.grabWindow().save(shots + QStringLiteral("/refusal-holder.png")));
        }
        QVERIFY(a->release(kiosk::ReleaseReason::Cancelled));
    }

    void quorumLostIsRefusedInTime()
    {
        // Two kiosks have one voter: "a" (node 1). Without it "b" cannot claim.
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(b);
        const QStringList creds = f.credentials(econ.code);
        QElapsedTimer t;
        t.start();
        auto r = b->checkInCredential(creds[2]);
        const qint64 ms = t.elapsed();
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("venue-unavailable"));
        qInfo("venue-unavailable after %lld ms", ms);
        QVERIFY2(ms >= 2500 && ms <= 4000, qPrintable(QString::number(ms)));
        QCOMPARE(count(*b, QStringLiteral("check-in-refused")) > 0, true);
        QVERIFY(!b->voterActive());
    }

    void offlineCheckInBecomesADuplicate()
    {
        const QStringList creds = f.credentials(econ.code);
        const QString rep = creds[3];
        {
            // The network is down ("a" is off): the lead switches "b" to offline check-in.
            auto b = openShared(QStringLiteral("b"));
            QVERIFY(b);
            QVERIFY(!b->setOfflineCheckIn(true)); // the lead's PIN first
            QVERIFY(b->login(f.pins[QStringLiteral("staff")]));
            QCOMPARE(b->setOfflineCheckIn(true).error().code, QStringLiteral("role"));
            QVERIFY(b->login(f.pins[QStringLiteral("lead")]));
            QVERIFY(b->setOfflineCheckIn(true));
            b->logout();
            QVERIFY(b->venueStatus().offline);
            QVERIFY(b->checkInCredential(rep));
            QVERIFY(b->cast(f.ballot(econ.code, rng), {}));
            QCOMPARE(b->venueStatus().queued, 1);
            QCOMPARE(count(*b, QStringLiteral("venue-offline")), 1);
        }
        // Meanwhile the same representative voted at "a".
        auto a = openShared(QStringLiteral("a"));
        QVERIFY(a);
        QVERIFY(a->checkInCredential(rep));
        QVERIFY(a->cast(f.ballot(econ.code, rng), {}));
        // The network is back: "b" (offline still, and after a restart) pushes its queue.
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(b);
        QVERIFY(b->venueStatus().offline);
        QCOMPARE(b->venueStatus().queued, 1);
        QTRY_VERIFY_WITH_TIMEOUT((b->venueTick(), b->venueStatus().queued == 0), 15000);
        QCOMPARE(count(*b, QStringLiteral("venue-duplicate")), 1);
        QTRY_VERIFY_WITH_TIMEOUT((a->venueTick(), count(*a, QStringLiteral("venue-duplicate")) == 1), 15000);
        for (const AuditEvent &e : *a->auditLog())
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("venue-duplicate")) {
                QCOMPARE(e.body.value(QLatin1String("offline_kiosk")).toString(), QStringLiteral("b"));
                QCOMPARE(e.body.value(QLatin1String("holder")).toString(), QStringLiteral("a"));
            }
        QVERIFY(a->verifyAuditLog());
        QVERIFY(b->verifyAuditLog());
        // Back online: "b" asks the venue again, and the venue knows who voted.
        QVERIFY(b->login(f.pins[QStringLiteral("lead")]));
        QVERIFY(b->setOfflineCheckIn(false));
        b->logout();
        auto again = b->checkInCredential(creds[0]);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("already-voted"));
        QCOMPARE(b->refusalHolder(), QStringLiteral("a"));
        // Both batches say so in their headers, and the office's duplicate report lists the
        // representative with two votes.
        const QString out = f.dir.filePath(QStringLiteral("batches"));
        QVERIFY(QDir().mkpath(out));
        QList<QByteArray> batches;
        for (auto *k : {a.get(), b.get()}) {
            QVERIFY(k->login(f.pins[QStringLiteral("staff")]));
            QVERIFY(k->closeSession(econ));
            auto exported = k->exportSession(econ, out);
            QVERIFY2(exported, exported ? "" : qPrintable(exported.error().message));
            batches << *readFile(exported->path);
            auto header = readBatch(batches.back());
            QVERIFY(header);
            QCOMPARE(header->header.venueDuplicates, 1);
        }
        auto imported = hq::importBatchBytes(*f.hq, f.secrets->archive, batches, {});
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        QCOMPARE(imported->imported(), 2);
        QCOMPARE(imported->batches[0].warnings.value(0).code, QStringLiteral("venue-duplicates"));
        auto election = f.hq->unlockElection(test::hqPassphrase());
        QVERIFY(election);
        auto tally = hq::computeTally(*f.hq, *election, {});
        QVERIFY2(tally, tally ? "" : qPrintable(tally.error().message));
        QString repId;
        for (const hq::Card &c : *f.hq->cards(*f.secrets, f.venue))
            if (c.credential == rep)
                repId = c.repId;
        QCOMPARE(tally->duplicates.size(), 1);
        QCOMPARE(tally->duplicates[0].repId, repId);
        QCOMPARE(tally->duplicates[0].votes(), 2);
    }

    void closeAllClosesEveryKiosk()
    {
        // The venue lead's "close all": every kiosk closes the session when nobody votes
        // there, with its own closing report; meanwhile it checks nobody in.
        auto a = openShared(QStringLiteral("a"));
        auto b = openShared(QStringLiteral("b"));
        QVERIFY(a && b);
        QStringList ready;
        for (const kiosk::SessionStatus &st : a->sessions())
            if (!st.key.rehearsal && st.state == kiosk::SessionState::Ready
                && b->session(st.key)->state == kiosk::SessionState::Ready)
                ready << st.key.code;
        QVERIFY2(ready.size() >= 2, "one ready session for this test and one for the wipe test");
        const SessionKey x {ready.first(), false};
        QVERIFY(openOn({a.get(), b.get()}, x));
        const QStringList creds = f.credentials(x.code);
        QVERIFY(creds.size() >= 2);
        QVERIFY(b->checkInCredential(creds[0])); // someone votes at "b"
        // Staff may not; the lead may (a kiosk sharing nothing cannot: oneKioskKeepsItsOwnList).
        QVERIFY(a->login(f.pins[QStringLiteral("staff")]));
        QCOMPARE(a->closeAtEveryKiosk(x).error().code, QStringLiteral("role"));
        QVERIFY(a->login(f.pins[QStringLiteral("lead")]));
        auto closed = a->closeAtEveryKiosk(x);
        QVERIFY2(closed, closed ? "" : qPrintable(closed.error().message));
        QVERIFY(closed->has_value()); // "a" was idle: closed at once, its closing report returned
        QCOMPARE((*closed)->kind, QStringLiteral("closing"));
        QCOMPARE(a->session(x)->state, kiosk::SessionState::Closed);
        QCOMPARE(a->venueStatus().closeRequestedBy, QStringLiteral("a"));
        a->logout();
        // "b" sees the request; its voter goes on and casts, then it closes at its idle tick.
        QTRY_VERIFY_WITH_TIMEOUT(b->venueStatus().closeRequestedBy == QLatin1String("a"), 10000);
        b->venueTick();
        QCOMPARE(b->session(x)->state, kiosk::SessionState::Open);
        QVERIFY(b->cast(f.ballot(x.code, rng), {}));
        auto refused = b->checkInCredential(creds[1]);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("session-closing"));
        QVERIFY(refused.error().message.contains(QStringLiteral("kiosk a")));
        b->venueTick();
        QCOMPARE(b->session(x)->state, kiosk::SessionState::Closed);
        QVERIFY(b->checkInvariants(x));
        auto report = b->report(x, QStringLiteral("closing"));
        QVERIFY(report);
        // Audited: the lead's request at "a", the close at "b" naming it.
        QCOMPARE(count(*a, QStringLiteral("venue-close-all")), 1);
        bool named = false;
        for (const AuditEvent &e : *b->auditLog())
            if (e.body.value(QLatin1String("event")).toString() == QLatin1String("session-close")
                && e.body.value(QLatin1String("session")).toString() == x.code)
                named = e.body.value(QLatin1String("requested_by")).toString() == QLatin1String("a");
        QVERIFY(named);
        QVERIFY(a->verifyAuditLog());
        QVERIFY(b->verifyAuditLog());
        // "a"'s venue view sees "b" closed.
        QTRY_VERIFY_WITH_TIMEOUT((b->venueTick(), a->venueStatus().kiosks.value(1).state == QLatin1String("closed")),
                                 10000);

        // Through the staff console, on the rehearsal of the same session, opened at "a"
        // only: "b" may no longer open it.
        const SessionKey rx {x.code, true};
        ui::StaffConsole staff(*a, f.clock, f.stateDir(QStringLiteral("a")), {});
        QVERIFY(staff.login(f.pins[QStringLiteral("staff")]));
        QVERIFY(a->openSession(rx));
        staff.logout();
        QVERIFY(staff.login(f.pins[QStringLiteral("lead")]));
        QTRY_VERIFY_WITH_TIMEOUT((staff.refresh(), staff.venueConnected()), 10000);
        QQuickView view;
        if (const QString shots = qEnvironmentVariable("PINGYI_VENUE_SHOTS"); !shots.isEmpty()) {
            QVERIFY(show(view, QStringLiteral("Staff/StaffView"),
                         {{QStringLiteral("staff"), QVariant::fromValue(&staff)}}));
            staff.showDashboard();
            QTest::qWait(300);
            QVERIFY(view.grabWindow().save(shots + QStringLiteral("/venue-close-all-button.png")));
        }
        staff.requestAction(QStringLiteral("close-all"), rx.code, rx.rehearsal);
        QCOMPARE(staff.pendingAction(), QStringLiteral("close-all"));
        if (const QString shots = qEnvironmentVariable("PINGYI_VENUE_SHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(view.grabWindow().save(shots + QStringLiteral("/venue-close-all-confirm.png")));
        }
        QVERIFY(staff.confirmAction());
        QCOMPARE(staff.page(), ui::StaffConsole::Page::Report);
        QCOMPARE(staff.reportKind(), QStringLiteral("closing"));
        QCOMPARE(staff.venueCloseRequestedBy(), QStringLiteral("a"));
        QTRY_COMPARE_WITH_TIMEOUT(b->venueCloseRequestedBy(rx), QStringLiteral("a"), 10000);
        QVERIFY(b->login(f.pins[QStringLiteral("staff")]));
        auto reopen = b->openSession(rx);
        QVERIFY(!reopen);
        QCOMPARE(reopen.error().code, QStringLiteral("session-closed-at-venue"));
        // Closed so, each kiosk exports as after its own close.
        const QString out = f.dir.filePath(QStringLiteral("batches-close-all"));
        QVERIFY(QDir().mkpath(out));
        QVERIFY(a->login(f.pins[QStringLiteral("staff")]));
        for (auto *k : {a.get(), b.get()}) {
            auto exported = k->exportSession(x, out);
            QVERIFY2(exported, exported ? "" : qPrintable(exported.error().message));
        }
        b->logout();
        staff.logout();
        // "b" keeps what it saw in kiosk.db: restarted, it knows before its prober looks.
        b->venueTick();
        b.reset();
        b = openShared(QStringLiteral("b"));
        QVERIFY(b);
        QCOMPARE(b->venueCloseRequestedBy(rx), QStringLiteral("a"));
        QCOMPARE(b->venueCloseRequestedBy(x), QStringLiteral("a"));
    }

    void wipeAfterTheActivity()
    {
        // The shared ledger's Raft files are wiped by the technician after the activity,
        // never while the ledger runs or while a session of the kiosk is not exported.
        const QString dir = f.stateDir(QStringLiteral("a")) + QStringLiteral("/venue-ledger");
        {
            auto a = openShared(QStringLiteral("a"));
            QVERIFY(a);
            QVERIFY(a->login(f.pins[QStringLiteral("technician")]));
            QCOMPARE(a->wipeVenueLedger().error().code, QStringLiteral("venue-ledger-in-use"));
        }
        QString other;
        for (const kiosk::SessionStatus &st :
             KioskService::open(f.stateDir(QStringLiteral("b")), f.clock).value()->sessions())
            if (!st.key.rehearsal && st.state == kiosk::SessionState::Ready)
                other = st.key.code;
        QVERIFY(!other.isEmpty());
        {
            auto b = KioskService::open(f.stateDir(QStringLiteral("b")), f.clock);
            QVERIFY(b);
            QVERIFY((*b)->login(f.pins[QStringLiteral("staff")]));
            QVERIFY((*b)->openSession({other, false}));
            QVERIFY((*b)->login(f.pins[QStringLiteral("technician")]));
            auto refused = (*b)->wipeVenueLedger();
            QVERIFY(!refused);
            QCOMPARE(refused.error().code, QStringLiteral("venue-ledger-needed"));
            QVERIFY(refused.error().message.contains(other));
        }
        QVERIFY(QDir(dir).exists());
        auto a = KioskService::open(f.stateDir(QStringLiteral("a")), f.clock);
        QVERIFY(a);
        QVERIFY(!(*a)->wipeVenueLedger()); // the technician's PIN first
        QVERIFY((*a)->login(f.pins[QStringLiteral("technician")]));
        auto wiped = (*a)->wipeVenueLedger();
        QVERIFY2(wiped, wiped ? "" : qPrintable(wiped.error().message));
        QVERIFY(*wiped > 0);
        QVERIFY(!QDir(dir).exists());
        QCOMPARE(count(**a, QStringLiteral("venue-ledger-wiped")), 1);
    }
};

QTEST_MAIN(TestVenueKiosk)
#include "test_venue_kiosk.moc"
