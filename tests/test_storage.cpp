// Unit tests of the SQLite layer: migrations as data, refusal of newer databases,
// durability pragmas, transactions that roll back unless committed; reading input files
// (only regular files, capped before reading).

#include "fileio.h"
#include "storage.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace pingyi;

namespace {
constexpr Migration v1[] = {{1, "CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"}};
constexpr Migration v2[] = {{1, "CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"},
                            {2, "ALTER TABLE t ADD COLUMN n INTEGER NOT NULL DEFAULT 0;"}};
constexpr Migration broken[] = {{1, "CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"},
                                {2, "ALTER TABLE t ADD COLUMN n INTEGER; CREATE TABLE oops ("}};

QString pragma(Database &db, const char *sql)
{
    auto st = db.prepare(sql);
    if (!st || !*st->next())
        return {};
    return st->text(0);
}
} // namespace

class TestStorage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void migratesAndStamps()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.db"));
        {
            auto db = Database::open(path, v1);
            QVERIFY(db.ok());
            QCOMPARE(db->userVersion(), 1);
            QCOMPARE(pragma(*db, "PRAGMA journal_mode"), QStringLiteral("wal"));
            QCOMPARE(pragma(*db, "PRAGMA synchronous"), QStringLiteral("2")); // FULL
            QCOMPARE(pragma(*db, "PRAGMA secure_delete"), QStringLiteral("1"));
            QVERIFY(db->prepare("INSERT INTO t (k, v) VALUES ('a', x'00')")->exec().ok());
        }
        {
            auto db = Database::open(path, v2);
            QVERIFY(db.ok());
            QCOMPARE(db->userVersion(), 2);
            auto st = db->prepare("SELECT k, v, n FROM t");
            QVERIFY(st.ok());
            QVERIFY(*st->next());
            QCOMPARE(st->text(0), QStringLiteral("a"));
            QCOMPARE(st->blob(1), QByteArray(1, '\0'));
            QCOMPARE(st->integer(2), 0);
        }
    }

    void refusesNewerDatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("b.db"));
        QVERIFY(Database::open(path, v2).ok());
        auto old = Database::open(path, v1);
        QVERIFY(!old.ok());
        QCOMPARE(old.error().code, QStringLiteral("db-newer"));
        QVERIFY(old.error().message.contains(QLatin1String("newer Pingyi")));
    }

    void failedMigrationChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.db"));
        QVERIFY(Database::open(path, v1).ok());
        QVERIFY(!Database::open(path, broken).ok());
        auto db = Database::open(path, v1);
        QVERIFY(db.ok());
        QCOMPARE(db->userVersion(), 1);
        // The half-applied ALTER was rolled back with its migration.
        QVERIFY(!db->prepare("SELECT n FROM t").ok());
    }

    void refusesNonDatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        auto db = Database::open(path, v1);
        QVERIFY(!db.ok());
        QVERIFY(db.error().message.contains(QLatin1String("damaged")));
        QCOMPARE(Database::open(dir.filePath(QStringLiteral("none.db")), v1, Database::Mode::ReadWrite).error().code,
                 QStringLiteral("db-missing"));
    }

    void transactionRollsBackUnlessCommitted()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("e.db")), v1);
        QVERIFY(db.ok());
        {
            Database::Transaction tx(*db);
            QVERIFY(tx.status().ok());
            QVERIFY(db->prepare("INSERT INTO t (k) VALUES ('gone')")->exec().ok());
        }
        {
            Database::Transaction tx(*db);
            QVERIFY(db->prepare("INSERT INTO t (k) VALUES ('kept')")->exec().ok());
            QVERIFY(tx.commit().ok());
        }
        auto st = db->prepare("SELECT group_concat(k) FROM t");
        QVERIFY(*st->next());
        QCOMPARE(st->text(0), QStringLiteral("kept"));
        // A constraint violation is an error value with the database named.
        auto dup = db->prepare("INSERT INTO t (k) VALUES ('kept')")->exec();
        QVERIFY(!dup.ok());
        QVERIFY(dup.error().message.contains(QLatin1String("e.db")));
    }

    void bindsAllTypes()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("f.db")), v2);
        auto ins = db->prepare("INSERT INTO t (k, v, n) VALUES (?1, ?2, ?3)");
        QVERIFY(ins->bind(1, QStringLiteral("中文")).bind(2, QByteArray()).bind(3, qint64(1) << 40).exec().ok());
        auto st = db->prepare("SELECT k, v, typeof(v), n FROM t");
        QVERIFY(*st->next());
        QCOMPARE(st->text(0), QStringLiteral("中文"));
        QCOMPARE(st->text(2), QStringLiteral("blob")); // empty blob stays a blob
        QCOMPARE(st->integer(3), qint64(1) << 40);
    }

    void forEachVisitsEveryRowAndStopsOnError()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("g.db")), v1);
        for (const char *k : {"a", "b", "c"})
            QVERIFY(db->prepare("INSERT INTO t (k) VALUES (?1)")->bind(1, k).exec().ok());
        auto st = db->prepare("SELECT k FROM t ORDER BY k");
        QStringList seen;
        QVERIFY(st->forEach([&](Statement &row) { seen << row.text(0); }).ok());
        QCOMPARE(seen, (QStringList {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        // A Status-returning body stops at its first error, which is returned as is.
        auto again = db->prepare("SELECT k FROM t ORDER BY k");
        int visited = 0;
        const Status s = again->forEach([&](Statement &row) -> Status {
            ++visited;
            if (row.text(0) == QLatin1String("b"))
                return makeError(QStringLiteral("stop"), QStringLiteral("b found"));
            return {};
        });
        QCOMPARE(s.error().code, QStringLiteral("stop"));
        QCOMPARE(visited, 2);
    }

    void shredFileOverwritesThenRemoves()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret.key"));
        QVERIFY(writeFileAtomic(path, QByteArray(10000, 'S'), true).ok());
        QVERIFY(shredFile(path).ok());
        QVERIFY(!QFile::exists(path));
        const Status missing = shredFile(path);
        QCOMPARE(missing.error().code, QStringLiteral("io-write"));
        QVERIFY(missing.error().message.contains(QLatin1String("secret.key")));
    }

    void readInputFileRefusesWhatIsNotAFile()
    {
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        // A batch that is a link to /dev/zero (a USB drive can hold one): refused at once,
        // instead of reading until memory runs out.
        const QString zero = dir.filePath(QStringLiteral("x.pybatch"));
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), zero));
        auto r = readInputFile(zero, InputKind::Batch);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("io-read"));
        QVERIFY2(r.error().message.contains(zero) && r.error().message.contains(QLatin1String("a link to /dev/zero"))
                     && r.error().message.contains(QLatin1String("a character device"))
                     && r.error().message.contains(QLatin1String("give the batch file itself")),
                 qPrintable(r.error().message));
        QVERIFY(!readFile(zero).ok()); // Pingyi's own files follow the same rule

        // A named pipe nobody writes to: refused at once, not waited on.
        const QString fifo = dir.filePath(QStringLiteral("activity.json"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        r = readInputFile(fifo, InputKind::ActivitySpec);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QLatin1String("a named pipe (FIFO)")), qPrintable(r.error().message));
        // Not even a passphrase waits for a writer that never comes.
        QVERIFY(readInputFile(fifo, InputKind::Passphrase).value().isEmpty());

        r = readInputFile(dir.path(), InputKind::Roster);
        QVERIFY2(!r.ok() && r.error().message.contains(QLatin1String("a folder")), qPrintable(r.error().message));
        r = readInputFile(dir.filePath(QStringLiteral("missing.csv")), InputKind::Roster);
        QVERIFY2(!r.ok() && r.error().message.contains(QLatin1String("does not exist")), qPrintable(r.error().message));
        QVERIFY2(timer.elapsed() < 5000, "nothing may wait or read without end");
    }

    void readInputFileCapsBeforeReading()
    {
        QTemporaryDir dir;
        const qint64 cap = inputCap(InputKind::Certificate);
        QVERIFY(cap >= 4096 && cap <= 1024 * 1024);
        const QString path = dir.filePath(QStringLiteral("kiosk.cert"));
        QVERIFY(writeFileAtomic(path, QByteArray(cap, ' ')).ok());
        QCOMPARE(readInputFile(path, InputKind::Certificate).value().size(), cap);
        QVERIFY(writeFileAtomic(path, QByteArray(cap + 1, ' ')).ok());
        auto r = readInputFile(path, InputKind::Certificate);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QLatin1String("too large for a kiosk certificate"))
                     && r.error().message.contains(QString::number(cap)),
                 qPrintable(r.error().message));
        // A link to a regular file is followed.
        const QString link = dir.filePath(QStringLiteral("link.cert"));
        QVERIFY(writeFileAtomic(path, "certificate").ok());
        QVERIFY(QFile::link(path, link));
        QCOMPARE(readInputFile(link, InputKind::Certificate).value(), QByteArray("certificate"));
        // Every kind has a bounded cap.
        for (const InputKind k : {InputKind::Batch, InputKind::ActivitySpec, InputKind::Roster, InputKind::VenuePackage,
                                  InputKind::EnrolmentRequest, InputKind::PublicKey, InputKind::KeyFile,
                                  InputKind::Reports, InputKind::Passphrase}) {
            QVERIFY(inputCap(k) > 0 && inputCap(k) <= 256ll * 1024 * 1024);
            QVERIFY(!inputKindName(k).isEmpty());
        }
    }

    void passphraseFromAPipe()
    {
        // `--passphrase-file <(…)` hands over a pipe: read it, up to the cap.
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        QCOMPARE(::write(fds[1], "secret words\n", 13), ssize_t(13));
        ::close(fds[1]);
        const QString path = QStringLiteral("/proc/self/fd/%1").arg(fds[0]);
        QCOMPARE(readInputFile(path, InputKind::Passphrase).value(), QByteArray("secret words\n"));
        ::close(fds[0]);
        QVERIFY(!readInputFile(QStringLiteral("/dev/zero"), InputKind::Passphrase).ok());
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "test_storage.moc"
