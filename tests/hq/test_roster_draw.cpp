// The verifiable draw of representatives (provisioning/draw.h) and the roster's quota check
// at import: golden output for fixed inputs, quotas and the rotation floor met, refusals
// that name the cell, verification that catches a changed input, no ID number in anything
// the draw prints or publishes.

#include "draw.h"
#include "fileio.h"
#include "hq.h"
#include "roster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace pingyi;

namespace {

const QString kDir = QStringLiteral(PINGYI_TEST_DATA "/draw");

QByteArray readData(const QString &name)
{
    auto r = readFile(kDir + u'/' + name);
    if (!r)
        qFatal("%s", qPrintable(r.error().toString()));
    return *r;
}

/// Compares with a golden file; PINGYI_UPDATE_GOLDEN=1 rewrites it (review the diff).
bool matchesGolden(const QByteArray &actual, const QString &name)
{
    const QString path = kDir + u'/' + name;
    if (qEnvironmentVariableIsSet("PINGYI_UPDATE_GOLDEN")) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(actual) == actual.size();
    }
    auto expected = readFile(path);
    if (!expected || *expected != actual) {
        QFile f(path + QStringLiteral(".fail"));
        if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            f.write(actual);
        return false;
    }
    return true;
}

/// The pool's ID numbers, to check that none leaks into what the draw prints or publishes.
QStringList poolIdNumbers(const QByteArray &pool)
{
    QStringList ids;
    const QList<CsvRow> rows = *readCsvRows(pool, QStringLiteral("pool.csv"));
    for (qsizetype i = 1; i < rows.size(); ++i)
        ids << rows[i].fields.at(2);
    return ids;
}

} // namespace

class TestRosterDraw : public QObject {
    Q_OBJECT

private:
    Activity m_activity;
    QByteArray m_pool, m_previous;
    const QByteArray m_secret = QByteArray::fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const QString m_public = QStringLiteral("2025-11-20 体育彩票 排列五 12345");

    hq::DrawInput input() const
    {
        hq::DrawInput in;
        in.activity = &m_activity;
        in.pool = m_pool;
        in.previous = m_previous;
        in.secret = m_secret;
        in.publicValue = m_public;
        return in;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto a = Activity::fromJson(readData(QStringLiteral("activity.json")), QStringLiteral("activity.json"));
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        m_activity = *a;
        m_pool = readData(QStringLiteral("pool.csv"));
        m_previous = readData(QStringLiteral("previous.csv"));
    }

    /// Same pool, previous roster, secret and public value: the same bytes, as golden files
    /// (a change of algorithm must show here, and needs a new algorithm tag).
    void sameInputsSameRoster()
    {
        const hq::DrawOutput one = *hq::drawRoster(input());
        const hq::DrawOutput two = *hq::drawRoster(input());
        QCOMPARE(one.roster, two.roster);
        QCOMPARE(one.list, two.list);
        QCOMPARE(one.report, two.report);
        QVERIFY(matchesGolden(one.roster, QStringLiteral("expected-roster.csv")));
        QVERIFY(matchesGolden(one.list, QStringLiteral("expected-list.csv")));
        QCOMPARE(one.report.value(QStringLiteral("commitment")).toString(), hq::drawCommitment(m_secret));
        QCOMPARE(one.report.value(QStringLiteral("pool_digest")).toString(), hq::digestHex(m_pool));
        QCOMPARE(one.report.value(QStringLiteral("roster_digest")).toString(), hq::digestHex(one.roster));

        hq::DrawInput other = input();
        other.publicValue = QStringLiteral("2025-11-20 体育彩票 排列五 12346");
        QVERIFY(hq::drawRoster(other)->roster != one.roster);
    }

    /// Every quota cell filled exactly, at least 35 % new in each, the marks kept.
    void quotasAndRotationMet()
    {
        const hq::DrawOutput d = *hq::drawRoster(input());
        auto entries = parseRoster(d.roster, m_activity, QStringLiteral("drawn.csv"));
        QVERIFY2(entries.ok(), qPrintable(entries.ok() ? QString() : entries.error().message));
        QCOMPARE(entries->size(), 4 + 15 + 5);
        for (const QuotaCheck &q : checkQuotas(*entries, m_activity))
            QVERIFY2(q.ok(), qPrintable(q.name()));
        // Per venue quotas, not spread evenly: 12 and 3.
        const auto at = [&](const QString &venue) {
            return std::count_if(entries->cbegin(), entries->cend(), [&](const RosterEntry &e) {
                return e.category == QLatin1String("d-community") && e.venue == venue;
            });
        };
        QCOMPARE(at(QStringLiteral("dongsheng")), 12);
        QCOMPARE(at(QStringLiteral("otog-front")), 3);

        const QJsonObject rotation = d.report.value(QStringLiteral("rotation")).toObject();
        QVERIFY(rotation.value(QStringLiteral("checked")).toBool());
        QVERIFY(rotation.value(QStringLiteral("rate_percent")).toDouble() >= 35.0);
        for (const QJsonValue &v : d.report.value(QStringLiteral("cells")).toArray()) {
            const QJsonObject c = v.toObject();
            const qint64 planned = c.value(QStringLiteral("planned")).toInteger();
            QCOMPARE(c.value(QStringLiteral("drawn")).toInteger(), planned);
            QVERIFY2(c.value(QStringLiteral("new_drawn")).toInteger() * 100 >= planned * 35,
                     qPrintable(QJsonDocument(c).toJson()));
        }
        // The list keeps each candidate's source from the pool.
        QHash<QString, QString> sourceOf;
        const QList<CsvRow> pool = *readCsvRows(m_pool, QStringLiteral("pool.csv"));
        for (qsizetype i = 1; i < pool.size(); ++i)
            sourceOf.insert(pool[i].fields.at(0), pool[i].fields.at(6));
        const QList<CsvRow> list = *readCsvRows(d.list, QStringLiteral("list.csv"));
        QCOMPARE(list.first().fields,
                 (QStringList {QStringLiteral("rep_id"), QStringLiteral("category"), QStringLiteral("venue"),
                               QStringLiteral("sessions"), QStringLiteral("source"), QStringLiteral("new")}));
        QSet<QString> sources;
        for (qsizetype i = 1; i < list.size(); ++i) {
            QCOMPARE(list[i].fields.at(4), sourceOf.value(list[i].fields.at(0)));
            sources.insert(list[i].fields.at(4));
        }
        QVERIFY(sources.contains(QStringLiteral("recommended")));
        QVERIFY(sources.contains(QStringLiteral("volunteer")));
    }

    /// When last year's roster holds nearly the whole pool, the floor cannot be met: refused,
    /// naming every cell with what it needs and what the pool has.
    void rotationFloorRefused()
    {
        hq::DrawInput in = input();
        // Last year's roster = the whole pool except two community candidates at dongsheng.
        QByteArray previous("rep_id,name,id_number,category,venue,sessions,photo\n");
        const QList<CsvRow> pool = *readCsvRows(m_pool, QStringLiteral("pool.csv"));
        int spared = 0;
        for (qsizetype i = 1; i < pool.size(); ++i) {
            const QStringList &f = pool[i].fields;
            if (f.at(3) == QLatin1String("d-community") && f.at(4) == QLatin1String("dongsheng") && spared < 2) {
                ++spared;
                continue;
            }
            previous
                += QStringLiteral("L%1,%2,%3,%4,%5,econ,\n").arg(i).arg(f.at(1), f.at(2), f.at(3), f.at(4)).toUtf8();
        }
        in.previous = previous;
        auto r = hq::drawRoster(in);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("draw-refused"));
        const QString m = r.error().message;
        QVERIFY2(m.contains(QStringLiteral("c-volunteer at main: needs 2 new representative(s) of 4 (rotation floor 35 "
                                           "%), the pool has 0 candidate(s) not on last year's roster")),
                 qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("d-community at dongsheng: needs 5 new representative(s) of 12 (rotation "
                                           "floor 35 %), the pool has 2 candidate(s)")),
                 qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("d-enterprise at dongsheng in service: needs 1 new")), qPrintable(m));
        for (const QString &id : poolIdNumbers(m_pool))
            QVERIFY(!m.contains(id));
    }

    /// Too few candidates in a cell: refused naming it; the other cells are not reported.
    void shortCellRefused()
    {
        hq::DrawInput in = input();
        QByteArray pool;
        int otog = 0;
        for (const QByteArray &line : m_pool.split('\n')) {
            if (line.contains(",d-community,otog-front,") && ++otog > 2)
                continue;
            pool += line + '\n';
        }
        in.pool = pool.trimmed() + '\n';
        auto r = hq::drawRoster(in);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("draw-refused"));
        QVERIFY2(
            r.error().message.endsWith(QStringLiteral("cannot fill 1 quota cell(s); add candidates to the pool (or "
                                                      "correct the quotas) and draw again with a new commitment:\n"
                                                      "  d-community at otog-front: needs 3, the pool has 2 "
                                                      "candidate(s)")),
            qPrintable(r.error().message));
    }

    /// --verify redoes the draw from the report: everything agrees; a changed pool, previous
    /// roster or roster file is named.
    void verify()
    {
        const hq::DrawOutput d = *hq::drawRoster(input());
        hq::DrawInput files = input();
        files.secret.clear(); // the verifier has only the report's revealed secret
        files.publicValue.clear();
        auto ok = hq::verifyDraw(d.report, files, d.roster);
        QVERIFY2(ok.ok(), qPrintable(ok.ok() ? QString() : ok.error().message));
        QCOMPARE(ok->value(QStringLiteral("roster_file")).toString(), QStringLiteral("ok"));

        hq::DrawInput changed = files;
        changed.pool.replace("P002,", "P902,");
        auto bad = hq::verifyDraw(d.report, changed, {});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("draw-mismatch"));
        QVERIFY2(bad.error().message.contains(QStringLiteral("pool_digest: the report says")),
                 qPrintable(bad.error().message));

        hq::DrawInput noPrevious = files;
        noPrevious.previous.clear();
        auto bad2 = hq::verifyDraw(d.report, noPrevious, {});
        QVERIFY(!bad2.ok());
        QVERIFY(bad2.error().message.contains(QStringLiteral("previous_digest")));

        QByteArray edited = d.roster;
        edited.chop(1);
        edited += "\n\n";
        auto bad3 = hq::verifyDraw(d.report, files, edited);
        QVERIFY(!bad3.ok());
        QVERIFY(bad3.error().message.contains(QStringLiteral("roster_file")));

        QJsonObject forged = d.report;
        forged.insert(QStringLiteral("public_value"), QStringLiteral("another value"));
        auto bad4 = hq::verifyDraw(forged, files, {});
        QVERIFY(!bad4.ok());
        QVERIFY(bad4.error().message.contains(QStringLiteral("seed")));
    }

    /// The report and the list are published: no ID number, no name.
    void nothingPersonalPublished()
    {
        const hq::DrawOutput d = *hq::drawRoster(input());
        const QByteArray report = QJsonDocument(d.report).toJson();
        static const QRegularExpression longNumber(QStringLiteral("\\d{15,}"));
        QVERIFY(!longNumber.match(QString::fromUtf8(d.list)).hasMatch());
        for (const QString &id : poolIdNumbers(m_pool)) {
            QVERIFY(!report.contains(id.toLatin1()));
            QVERIFY(!d.list.contains(id.toLatin1()));
        }
        QVERIFY(!d.list.contains(QStringLiteral("廖").toUtf8()));
    }

    /// At import the spec's roster.quotas "refuse" turns a cell short or over into a refusal
    /// naming the cell; "warn" imports and lists it.
    void importQuotaCheck()
    {
        const hq::DrawOutput d = *hq::drawRoster(input());
        QList<RosterEntry> entries = *parseRoster(d.roster, m_activity, QStringLiteral("drawn.csv"));
        QVERIFY(hq::checkRosterQuotas(entries, m_activity, QStringLiteral("drawn.csv"))->off.isEmpty());
        for (RosterEntry &e : entries) {
            if (e.category == QLatin1String("d-community") && e.venue == QLatin1String("otog-front")) {
                e.venue = QStringLiteral("dongsheng");
                break;
            }
        }
        auto refused = hq::checkRosterQuotas(entries, m_activity, QStringLiteral("drawn.csv"));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("roster-quota"));
        QCOMPARE(refused.error().message,
                 QStringLiteral("drawn.csv: 2 quota cell(s) of the plan are not met, and the activity spec says "
                                "\"roster\": {\"quotas\": \"refuse\"}:\n"
                                "  d-community at dongsheng: over 1 (planned 12, found 13)\n"
                                "  d-community at otog-front: short 1 (planned 3, found 2)\n"
                                "Fix the roster (or the spec's quotas) and import again"));
        Activity warn = m_activity;
        warn.roster.quotas = RosterRules::Check::Warn;
        auto warned = hq::checkRosterQuotas(entries, warn, QStringLiteral("drawn.csv"));
        QVERIFY(warned.ok());
        QCOMPARE(warned->off.size(), 2);
        QCOMPARE(warned->cells.size(), 5);
    }

    void badPool()
    {
        hq::DrawInput in = input();
        in.pool = "cand_id,name,id_number,category,venue,session,source\n"
                  "P1,张三,370200196408017116,c-volunteer,main,,volunteer\n"
                  "P1,李四,370200196408017117,d-nothing,nowhere,,friend\n"
                  "P3,王五,370200196408017116,c-volunteer,main,culture,draw\n";
        auto r = hq::drawRoster(in);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("pool-invalid"));
        const QString m = r.error().message;
        QVERIFY2(m.contains(QStringLiteral("pool.csv:3: duplicate cand_id \"P1\" (first on line 2)")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("pool.csv:3: ID number has a bad check digit")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("pool.csv:3: source must be draw, recommended or volunteer")),
                 qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("pool.csv:4: the same ID number as on line 2")), qPrintable(m));
        QVERIFY2(m.contains(QStringLiteral("pool.csv:4: session \"culture\" is unknown")), qPrintable(m));
        QVERIFY(!m.contains(QStringLiteral("370200196408017116")));
        QVERIFY(!m.contains(QStringLiteral("370200196408017117")));

        in = input();
        in.secret = "short";
        QCOMPARE(hq::drawRoster(in).error().code, QStringLiteral("draw-input"));
        in = input();
        in.publicValue = QStringLiteral("  ");
        QCOMPARE(hq::drawRoster(in).error().code, QStringLiteral("draw-input"));
    }
};

QTEST_GUILESS_MAIN(TestRosterDraw)
#include "test_roster_draw.moc"
