// Ballot secrecy: the ballot table has no time, order or voter columns; over 1000 cast
// ballots the rank correlation between cast order and the order of ballots in the database
// and in the exported batch is indistinguishable from zero; logs and the audit log carry
// no ballot data.

#include "fixture.h"

#include <QRegularExpression>

#include <cmath>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

namespace {
QStringList g_log;
void capture(QtMsgType, const QMessageLogContext &, const QString &msg) { g_log << msg; }

/// Spearman's rank correlation of (i, position[i]).
double spearman(const QList<int> &position)
{
    const double n = double(position.size());
    double d2 = 0;
    for (int i = 0; i < position.size(); ++i)
        d2 += std::pow(double(i - position[i]), 2);
    return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}
} // namespace

class TestSecrecy : public QObject {
    Q_OBJECT
    VenueFixture f;

private Q_SLOTS:
    void schemaHasNothingToOrderOrLink()
    {
        QVERIFY(f.setUp(11.0));
        auto k = f.enrolKiosk(QStringLiteral("shinan-sec"));
        QVERIFY(k);
        Database &db = k->database();
        for (const char *table : {"ballot", "suggestion"}) {
            auto cols = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
            cols->bind(1, QString::fromLatin1(table));
            QStringList names;
            while (*cols->next())
                names << cols->text(0);
            QCOMPARE(names, QStringList({QStringLiteral("id"), QStringLiteral("code"), QStringLiteral("rehearsal"),
                                         QStringLiteral("sealed"), QStringLiteral("signature")}));
            auto sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = ?1");
            sql->bind(1, QString::fromLatin1(table));
            QVERIFY(*sql->next());
            QVERIFY(sql->text(0).contains(QLatin1String("WITHOUT ROWID")));
        }
        auto cols = db.prepare("SELECT name FROM pragma_table_info('checkin')");
        while (*cols->next())
            QVERIFY(!QRegularExpression(QStringLiteral("time|date|seq|order|ballot")).match(cols->text(0)).hasMatch());
        auto sd = db.prepare("PRAGMA secure_delete");
        QVERIFY(*sd->next());
        QCOMPARE(sd->integer(0), 1);
    }

    void castOrderIsNotStoredOrExported()
    {
        auto k = KioskService::open(f.stateDir(QStringLiteral("shinan-sec")), f.clock);
        QVERIFY(k.ok());
        KioskService &s = **k;
        const SessionKey econ{QStringLiteral("econ"), false};
        QVERIFY(s.login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(s.openSession(econ).ok());
        const QStringList creds = f.credentials(QStringLiteral("econ"));
        QVERIFY(creds.size() >= 1000);
        std::mt19937_64 rng(3);
        QList<QString> castOrder; // receipt codes in the order cast
        QStringList suggestionTexts;
        qInstallMessageHandler(capture);
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(s.checkInCredential(creds[i]).ok());
            QList<Suggestion> sg;
            if (i % 10 == 0) {
                suggestionTexts << QStringLiteral("秘密建议%1号").arg(i);
                sg.append({QStringLiteral("econ"), QStringLiteral("ocean"), QString(), suggestionTexts.last()});
            }
            auto r = s.cast(f.ballot(QStringLiteral("econ"), rng), sg);
            QVERIFY(r.ok());
            castOrder << r->code;
        }
        qInstallMessageHandler(nullptr);

        // Order of ballots as the database returns them.
        QHash<QString, int> castIndex;
        for (int i = 0; i < castOrder.size(); ++i)
            castIndex.insert(castOrder[i], i);
        auto st = s.database().prepare("SELECT id FROM ballot WHERE code = 'econ'");
        QList<int> dbPosition(castOrder.size());
        int pos = 0;
        while (*st->next())
            dbPosition[castIndex.value(receiptCode(st->blob(0)))] = pos++;
        QCOMPARE(pos, 1000);
        const double rhoDb = spearman(dbPosition);

        QVERIFY(s.login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(s.closeSession(econ).ok());
        QTemporaryDir usb;
        auto exported = s.exportSession(econ, usb.path());
        QVERIFY(exported.ok());
        // Open the batch as the office would (archive key) and read the record order.
        auto file = readBatch(*readFile(exported->path));
        auto fileKey = openBatchKey(*file, f.secrets->archive, false);
        QVERIFY(fileKey.ok());
        auto content = decryptBatch(*file, *fileKey);
        QVERIFY(content.ok());
        QList<int> exportPosition(castOrder.size());
        pos = 0;
        for (const SealedRecord &r : content->records)
            if (r.kind == RecordKind::Ballot)
                exportPosition[castIndex.value(receiptCode(r.id()))] = pos++;
        QCOMPARE(pos, 1000);
        const double rhoExport = spearman(exportPosition);
        // For n = 1000 the standard error of rho under independence is 1/sqrt(999) ~ 0.032:
        // |rho| < 0.13 is four standard errors.
        qInfo("rank correlation with cast order: database %.4f, export %.4f", rhoDb, rhoExport);
        QVERIFY2(std::abs(rhoDb) < 0.13, qPrintable(QString::number(rhoDb)));
        QVERIFY2(std::abs(rhoExport) < 0.13, qPrintable(QString::number(rhoExport)));

        // Nothing of a ballot reached the logs or the audit log.
        QStringList forbidden = castOrder.mid(0, 50) + suggestionTexts;
        for (const RatingOption &o : f.activity.scale)
            forbidden << o.code << o.label;
        for (const Department &d : f.activity.session(QStringLiteral("econ"))->departments)
            forbidden << d.code;
        const QString logText = g_log.join(QLatin1Char('\n'));
        QByteArray audit;
        for (const AuditEvent &e : *s.auditLog())
            audit += e.bodyBytes + '\n';
        for (const QString &w : forbidden) {
            QVERIFY2(!logText.contains(w), qPrintable(w));
            QVERIFY2(!audit.contains(w.toUtf8()), qPrintable(w));
        }
        // The check-in list in the batch is sorted by representative, not by arrival.
        QStringList reps;
        for (const CheckInEntry &e : content->checkins)
            reps << e.repId;
        QStringList sorted = reps;
        sorted.sort();
        QCOMPARE(reps, sorted);
    }
};

QTEST_GUILESS_MAIN(TestSecrecy)
#include "test_secrecy.moc"
