// `pingyi-kiosk setup`: a technician provisions a kiosk from a console with the files the
// office hands out (root.pub, certificate, venue package), through the real binary.

#include "fixture.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QThread>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace pingyi;

namespace {

struct Run {
    int exit = -1;
    QString out;
    QString err;
};

Run setup(const QString &state, const QStringList &args)
{
    QProcess p;
    p.setProgram(QString::fromLocal8Bit(qgetenv("PINGYI_KIOSK")));
    p.setArguments(QStringList {QStringLiteral("setup")} + args + QStringList {QStringLiteral("--state"), state});
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PINGYI_PASSPHRASE"), QStringLiteral("must never be read as a PIN"));
    p.setProcessEnvironment(env);
    p.setStandardInputFile(QProcess::nullDevice());
    p.start();
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class TestSetup : public QObject {
    Q_OBJECT

    test::VenueFixture f;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qgetenv("PINGYI_KIOSK").isEmpty());
        QVERIFY(f.setUp(0.05));
    }

    void technicianProvisionsAKiosk()
    {
        const QString state = f.dir.filePath(QStringLiteral("kiosk-state"));
        const QString rootPub = QDir(f.hq->dir()).filePath(QLatin1String(hq::Hq::rootPublicFile));
        QVERIFY2(QFile::exists(rootPub), "init writes root.pub for the technicians");

        Run r = setup(state, {QStringLiteral("status")});
        QCOMPARE(r.exit, 0);
        QVERIFY2(r.out.contains(QLatin1String("unenrolled")), qPrintable(r.out));

        // While the kiosk program has the state open, setup is refused (opening it would
        // release a voter's active check-in) and says what to do.
        {
            auto running = kiosk::KioskService::open(state, f.clock);
            QVERIFY(running.ok());
            r = setup(state, {QStringLiteral("status")});
            QCOMPARE(r.exit, 1);
            QVERIFY2(r.err.contains(QLatin1String("systemctl stop pingyi-kiosk")), qPrintable(r.err));
            QCOMPARE(kiosk::KioskService::open(state, f.clock).error().code, QStringLiteral("kiosk-busy"));
        }
        QCOMPARE(setup(state, {QStringLiteral("status")}).exit, 0);

        // Usage: missing options and unknown steps exit 2 with what to give.
        r = setup(state, {QStringLiteral("request"), QStringLiteral("--id"), QStringLiteral("shinan-7")});
        QCOMPARE(r.exit, 2);
        QVERIFY(r.err.contains(QLatin1String("--root-key")));
        QCOMPARE(setup(state, {QStringLiteral("reboot")}).exit, 2);

        // A file that is not root.pub is refused with what to do.
        const QString bogus = f.dir.filePath(QStringLiteral("bogus.pub"));
        QVERIFY(writeFileAtomic(bogus, "{\"format\":\"something-else\"}").ok());
        const QString request = f.dir.filePath(QStringLiteral("shinan-7.request"));
        r = setup(state,
                  {QStringLiteral("request"), QStringLiteral("--id"), QStringLiteral("shinan-7"),
                   QStringLiteral("--root-key"), bogus, QStringLiteral("--out"), request});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(QLatin1String("root.pub")), qPrintable(r.err));
        QVERIFY(!QFile::exists(request));

        r = setup(state,
                  {QStringLiteral("request"), QStringLiteral("--id"), QStringLiteral("shinan-7"),
                   QStringLiteral("--root-key"), rootPub, QStringLiteral("--out"), request});
        QCOMPARE(r.exit, 0);
        // Both fingerprints are printed for the technician to compare and write down.
        QVERIFY2(r.out.contains(crypto::fingerprint(f.hq->rootPublicKey())), qPrintable(r.out));
        auto parsed = EnrolmentRequest::parse(*readFile(request));
        QVERIFY(parsed.ok());
        QVERIFY(r.out.contains(crypto::fingerprint(parsed->signPublicKey)));

        auto cert = f.hq->certifyKiosk(*readFile(request), f.venue, *f.secrets, nullptr);
        QVERIFY(cert.ok());
        const QString certFile = f.dir.filePath(QStringLiteral("shinan-7.cert"));
        QVERIFY(writeFileAtomic(certFile, *cert).ok());
        // The package before the certificate is installed: refused, nothing changes.
        auto early = f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        QVERIFY(early.ok());
        const QString earlyFile = f.dir.filePath(QStringLiteral("early.pkg"));
        QVERIFY(writeFileAtomic(earlyFile, *early).ok());
        r = setup(state, {QStringLiteral("package"), earlyFile});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(QLatin1String("enrol this kiosk")), qPrintable(r.err));
        r = setup(state, {QStringLiteral("certificate"), certFile});
        QCOMPARE(r.exit, 0);
        QVERIFY2(r.out.contains(QLatin1String("kiosk shinan-7 serves venue shinan.")), qPrintable(r.out));

        auto pkg = f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        const QString pkgFile = f.dir.filePath(QStringLiteral("shinan.pkg"));
        QVERIFY(writeFileAtomic(pkgFile, *pkg).ok());
        r = setup(state, {QStringLiteral("package"), pkgFile});
        QCOMPARE(r.exit, 0);
        r = setup(state, {QStringLiteral("status")});
        QVERIFY2(r.out.contains(QLatin1String("ready")) && r.out.contains(QLatin1String("shinan-7")),
                 qPrintable(r.out));

        // Replacing a loaded package takes the technician's PIN: never from the environment,
        // a wrong or lower PIN is refused, and the loaded package stays.
        auto newer = f.hq->buildPackage(f.venue, *f.secrets, nullptr);
        const QString newerFile = f.dir.filePath(QStringLiteral("shinan-v3.pkg"));
        QVERIFY(writeFileAtomic(newerFile, *newer).ok());
        r = setup(state, {QStringLiteral("package"), newerFile});
        QCOMPARE(r.exit, 1);
        const QString pinFile = f.dir.filePath(QStringLiteral("pin.txt"));
        QVERIFY(writeFileAtomic(pinFile, f.pins.value(QStringLiteral("lead")).toLatin1() + "00\n", true).ok());
        r = setup(state, {QStringLiteral("package"), newerFile, QStringLiteral("--pin-file"), pinFile});
        QCOMPARE(r.exit, 1);
        QVERIFY(setup(state, {QStringLiteral("status")}).out.contains(QLatin1String("version 2")));
        QVERIFY(writeFileAtomic(pinFile, f.pins.value(QStringLiteral("technician")).toLatin1() + "\n", true).ok());
        r = setup(state, {QStringLiteral("package"), newerFile, QStringLiteral("--pin-file"), pinFile});
        QCOMPARE(r.exit, 0);
        QVERIFY2(setup(state, {QStringLiteral("status")}).out.contains(QLatin1String("version 3")), qPrintable(r.err));
    }

    /// The certificate is stored in its canonical form: the bytes the office issued, whatever
    /// white space the copy gained on the way; so installing it again from another copy is
    /// the same certificate, and no junk reaches the batch headers that carry it.
    void certificateIsStoredCanonically()
    {
        const QString state = f.dir.filePath(QStringLiteral("kiosk-state-cert"));
        const QString rootPub = QDir(f.hq->dir()).filePath(QLatin1String(hq::Hq::rootPublicFile));
        const QString request = f.dir.filePath(QStringLiteral("shinan-8.request"));
        Run r = setup(state,
                      {QStringLiteral("request"), QStringLiteral("--id"), QStringLiteral("shinan-8"),
                       QStringLiteral("--root-key"), rootPub, QStringLiteral("--out"), request});
        QCOMPARE(r.exit, 0);
        auto cert = f.hq->certifyKiosk(*readFile(request), f.venue, *f.secrets, nullptr);
        QVERIFY(cert.ok());
        const auto file = [&](const char *name, const QByteArray &bytes) {
            const QString path = f.dir.filePath(QLatin1String(name));
            return writeFileAtomic(path, bytes).ok() ? path : QString();
        };

        // 100 MB of trailing white space: refused by the size cap before it is read.
        const QString huge = file("huge.cert", *cert + QByteArray(100 * 1024 * 1024, ' '));
        QElapsedTimer timer;
        timer.start();
        r = setup(state, {QStringLiteral("certificate"), huge});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(QLatin1String("too large for a kiosk certificate")), qPrintable(r.err));
        QFile::remove(huge);
        // Not a file at all: a link to /dev/zero, a named pipe. Refused at once.
        const QString zero = f.dir.filePath(QStringLiteral("zero.cert"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zero));
        r = setup(state, {QStringLiteral("certificate"), zero});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(QLatin1String("a character device")), qPrintable(r.err));
        const QString fifo = f.dir.filePath(QStringLiteral("fifo.pkg"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        r = setup(state, {QStringLiteral("package"), fifo});
        QCOMPARE(r.exit, 1);
        QVERIFY2(r.err.contains(QLatin1String("a named pipe")), qPrintable(r.err));
        QVERIFY2(timer.elapsed() < 60000, "refusals must not read or wait");
        QVERIFY(setup(state, {QStringLiteral("status")}).out.contains(QLatin1String("waiting for the certificate")));

        // Trailing blank lines: accepted, and the message names the venue.
        r = setup(state, {QStringLiteral("certificate"), file("spaced.cert", *cert + "\n\n \t\n")});
        QCOMPARE(r.exit, 0);
        QVERIFY2(r.out.contains(QLatin1String("kiosk shinan-8 serves venue shinan.")), qPrintable(r.out));
        // The same certificate with Windows line endings and no final newline: the same one.
        QByteArray crlf = *cert;
        crlf.replace("\n", "\r\n");
        r = setup(state, {QStringLiteral("certificate"), file("crlf.cert", crlf.trimmed())});
        QVERIFY2(r.exit == 0, qPrintable(r.err));

        auto k = kiosk::KioskService::open(state, f.clock);
        QVERIFY(k.ok());
        auto st = (*k)->database().prepare("SELECT value FROM meta WHERE key = 'certificate'");
        QVERIFY(st.ok());
        QVERIFY(st->next().value());
        QCOMPARE(st->blob(0), *cert);
    }

    void kioskListensOnNothing()
    {
        // A device on the venue LAN has nothing to talk to: the running kiosk program, with
        // a package loaded and its window up, holds no TCP or UDP socket at all.
        auto k = f.enrolKiosk(QStringLiteral("shinan-net"));
        QVERIFY(k);
        k.reset();
        QProcess p;
        p.setProgram(QString::fromLocal8Bit(qgetenv("PINGYI_KIOSK")));
        p.setArguments({QStringLiteral("--windowed"), QStringLiteral("--no-camera"), QStringLiteral("--state"),
                        f.stateDir(QStringLiteral("shinan-net"))});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start();
        QVERIFY(p.waitForStarted());
        const auto stop = qScopeGuard([&] {
            p.kill();
            p.waitForFinished();
        });
        // Up when it says the welcome screen is shown; then give QML and speech a moment.
        QByteArray said;
        QElapsedTimer up;
        up.start();
        while (!said.contains("welcome screen") && up.elapsed() < 60000 && p.state() == QProcess::Running)
            if (p.waitForReadyRead(1000))
                said += p.readAll();
        QVERIFY2(said.contains("welcome screen"), said.constData());
        QVERIFY2(!p.waitForFinished(3000), said.constData()); // still running 3 s later
        const QString proc = QStringLiteral("/proc/%1/").arg(p.processId());
        QSet<QByteArray> sockets;
        bool seesDatabase = false; // the scan itself works: it finds the open kiosk.db
        // POSIX, not QDir: the links point at "socket:[…]", which QDir drops as broken.
        const QByteArray fdDir = QFile::encodeName(proc + QStringLiteral("fd"));
        DIR *d = ::opendir(fdDir.constData());
        QVERIFY(d);
        while (const dirent *e = ::readdir(d)) {
            char buf[512] = {};
            const ssize_t n = ::readlinkat(::dirfd(d), e->d_name, buf, sizeof buf - 1);
            const QByteArray link(buf, n > 0 ? int(n) : 0);
            if (link.startsWith("socket:["))
                sockets.insert(link.mid(8, link.size() - 9));
            seesDatabase = seesDatabase || link.endsWith("/kiosk.db");
        }
        ::closedir(d);
        QVERIFY(seesDatabase);
        int inet = 0;
        for (const char *table : {"tcp", "tcp6", "udp", "udp6", "raw", "raw6"}) {
            QFile file(proc + QStringLiteral("net/") + QLatin1String(table));
            if (!file.exists())
                continue; // e.g. no IPv6 in this kernel
            QVERIFY2(file.open(QIODevice::ReadOnly),
                     qPrintable(file.fileName() + QLatin1Char(' ') + file.errorString()));
            for (const QByteArray &line : file.readAll().split('\n').mid(1)) {
                const QList<QByteArray> cols = line.simplified().split(' ');
                if (cols.size() > 9 && sockets.contains(cols[9])) {
                    ++inet;
                    qWarning("the kiosk holds a %s socket: %s", table, line.constData());
                }
            }
        }
        qInfo("the running kiosk holds %lld sockets, %d of them TCP/UDP/raw", qint64(sockets.size()), inet);
        QCOMPARE(inet, 0);
    }
};

QTEST_GUILESS_MAIN(TestSetup)
#include "test_setup.moc"
