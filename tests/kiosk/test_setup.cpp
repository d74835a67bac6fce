// `pingyi-kiosk setup`: a technician provisions a kiosk from a console with the files the
// office hands out (root.pub, certificate, venue package), through the real binary.

#include "fixture.h"

#include <QElapsedTimer>
#include <QProcess>

#include <sys/stat.h>

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
};

QTEST_GUILESS_MAIN(TestSetup)
#include "test_setup.moc"
