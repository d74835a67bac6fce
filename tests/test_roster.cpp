// Tests for the roster module: GB 11643 ID numbers, name masking, roster CSV parsing and
// validation (with golden files of error messages) and the synthetic roster generator.

#include "roster.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace pingyi;

namespace {

const QString kQingdaoSpec = QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json");
const QString kBadDir = QStringLiteral(PINGYI_TEST_DATA "/roster/bad");

/// A small spec built in code, so most tests do not depend on the example file.
Activity smallActivity()
{
    Activity a;
    a.id = QStringLiteral("test");
    a.year = 2025;
    Venue main;
    main.code = QStringLiteral("main");
    main.kind = Venue::Kind::Main;
    Venue east;
    east.code = QStringLiteral("east");
    Venue west;
    west.code = QStringLiteral("west");
    a.venues = {main, east, west};
    GroupSession econ;
    econ.code = QStringLiteral("econ");
    econ.venues = {QStringLiteral("main"), QStringLiteral("east"), QStringLiteral("west")};
    GroupSession service;
    service.code = QStringLiteral("service");
    service.venues = econ.venues;
    GroupSession internal;
    internal.code = QStringLiteral("internal");
    internal.venues = {QStringLiteral("main")};
    a.sessions = {econ, service, internal};
    const auto category = [](const char *code, const char *level, int quota) {
        Category c;
        c.code = QString::fromLatin1(code);
        c.level = QString::fromLatin1(level);
        c.quota = quota;
        return c;
    };
    a.categories = {category("c-experts", "city", 10), category("d-residents", "district", 21),
                    category("d-firms", "district", 7)};
    return a;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// A unified-style line diff (longest common subsequence; golden files are small).
QString lineDiff(const QString &expected, const QString &actual)
{
    const QStringList a = expected.split(u'\n');
    const QStringList b = actual.split(u'\n');
    const qsizetype n = a.size(), m = b.size();
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i)
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    QString out;
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out += QStringLiteral("  ") + a[i++] + u'\n';
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += QStringLiteral("- ") + a[i++] + u'\n';
        } else {
            out += QStringLiteral("+ ") + b[j++] + u'\n';
        }
    }
    return out;
}

/// Splits synthRoster output (no quoting needed there: names and codes have no commas).
QList<QStringList> rowsOf(const QByteArray &csv)
{
    QList<QStringList> rows;
    const QStringList lines = QString::fromUtf8(csv).split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = 1; i < lines.size(); ++i)
        rows.append(lines.at(i).split(u','));
    return rows;
}

} // namespace

class TestRoster : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void checkCharacter_data();
    void checkCharacter();
    void problem_data();
    void problem();
    void normalized();
    void maskName_data();
    void maskName();

    void parseValid();
    void parseLineNumbers();
    void csvLineBreaksRoundTrip();
    void parseProblemsSmall();
    void parseNeverShowsIdNumbers();

    void synthDeterministic();
    void synthSmallActivity();
    void synthInvalidScale();
    void synthQingdao();
    void synthQingdaoSmallScale();
    void synthFollowsVenueQuotas();
    void quotaCheck();

    void goldenFilesPresent();
    void golden_data();
    void golden();

private:
    std::optional<Activity> m_qingdao;
    QString m_qingdaoProblem;
};

void TestRoster::initTestCase()
{
    const QByteArray json = readAll(kQingdaoSpec);
    if (json.isEmpty()) {
        m_qingdaoProblem = QStringLiteral("cannot read %1").arg(kQingdaoSpec);
        return;
    }
    auto spec = Activity::fromJson(json, QStringLiteral("activity.json"));
    if (!spec) {
        m_qingdaoProblem = spec.error().toString();
        return;
    }
    m_qingdao = spec.value();
}

// ---------------------------------------------------------------------------------------------

void TestRoster::checkCharacter_data()
{
    QTest::addColumn<QString>("first17");
    QTest::addColumn<QChar>("check");
    // Worked by hand: sum of digit × weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mod 11,
    // looked up in "10X98765432".
    // 1·7+1·9+0+1·5+0+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0+0+2·2 = 167; 167 mod 11 = 2 → X
    QTest::newRow("textbook 11010519491231002X") << QStringLiteral("11010519491231002") << QChar(u'X');
    // 4·7+4·9+0+5·5+2·8+4·4+1·2+9·1+8·6+0+0+1·9+0+1·5+0+0+1·2 = 196; 196 mod 11 = 9 → 3
    QTest::newRow("440524198001010013") << QStringLiteral("44052419800101001") << QChar(u'3');
    // 3·7+7·9+0+2·5+0+2·4+1·2+9·1+8·6+0+0+1·9+0+1·5+0+0+1·2 = 177; 177 mod 11 = 1 → 0
    QTest::newRow("370202198001010010") << QStringLiteral("37020219800101001") << QChar(u'0');
    // 1·7+1·9+0+1·5+0+1·4+1·2+9·1+9·6+0+0+1·9+0+1·5+0+0+1·2 = 106; 106 mod 11 = 7 → 5
    QTest::newRow("110101199001010015") << QStringLiteral("11010119900101001") << QChar(u'5');
    QTest::newRow("too short") << QStringLiteral("1101011990") << QChar();
    QTest::newRow("not digits") << QStringLiteral("1101011990010100A") << QChar();
}

void TestRoster::checkCharacter()
{
    QFETCH(QString, first17);
    QFETCH(QChar, check);
    QCOMPARE(idnumber::checkCharacter(first17), check);
    if (!check.isNull())
        QVERIFY(idnumber::isValid(first17 + check));
}

void TestRoster::problem_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("expected");
    QTest::newRow("valid textbook") << QStringLiteral("11010519491231002X") << QString();
    QTest::newRow("valid digit") << QStringLiteral("440524198001010013") << QString();
    QTest::newRow("valid leap day") << QStringLiteral("370202200002290018") << QString();
    QTest::newRow("empty") << QString() << QStringLiteral("is missing");
    QTest::newRow("17 characters") << QStringLiteral("11010519491231002")
                                   << QStringLiteral("has 17 characters; expected 18");
    QTest::newRow("19 characters") << QStringLiteral("11010519491231002X1")
                                   << QStringLiteral("has 19 characters; expected 18");
    QTest::newRow("15 characters") << QStringLiteral(
        "110105491231002") << QStringLiteral("has 15 characters (an old first-generation number?); expected 18");
    QTest::newRow("letter inside") << QStringLiteral("1101051949123100AX")
                                   << QStringLiteral("has a non-digit among the first 17 characters");
    QTest::newRow("full-width digit") << QStringLiteral("11010519491231002").replace(0, 1, QChar(0xFF11)) + u'X'
                                      << QStringLiteral("has a non-digit among the first 17 characters");
    QTest::newRow("bad last character") << QStringLiteral("11010519491231002Y")
                                        << QStringLiteral("must end in a digit or X");
    QTest::newRow("lower-case x") << QStringLiteral("11010519491231002x")
                                  << QStringLiteral("must end in a digit or an upper-case X");
    QTest::newRow("region starts with 0")
        << QStringLiteral("010105194912310021") << QStringLiteral("has a bad region code (it must not start with 0)");
    QTest::newRow("30 February") << QStringLiteral("370202198002300015")
                                 << QStringLiteral("has a birth date that does not exist");
    QTest::newRow("month 13") << QStringLiteral("370202198013010015")
                              << QStringLiteral("has a birth date that does not exist");
    QTest::newRow("29 February 1900") << QStringLiteral("370202190002290015")
                                      << QStringLiteral("has a birth date that does not exist");
    QTest::newRow("before 1900") << QStringLiteral("370202189912310015")
                                 << QStringLiteral("has a birth date before 1900");
    QTest::newRow("after today") << QStringLiteral("370202202506020015")
                                 << QStringLiteral("has a birth date in the future");
    QTest::newRow("bad check digit") << QStringLiteral("110105194912310021") << QStringLiteral("has a bad check digit");
    QTest::newRow("bad check X") << QStringLiteral("44052419800101001X") << QStringLiteral("has a bad check digit");
}

void TestRoster::problem()
{
    QFETCH(QString, id);
    QFETCH(QString, expected);
    // A fixed "today" keeps the future-date rows stable.
    const QString reason = idnumber::problem(id, QDate(2025, 6, 1));
    QCOMPARE(reason, expected);
    // The reason never repeats the number or a recognisable part of it.
    if (id.size() >= 6)
        QVERIFY(!reason.contains(id.left(6)));
}

void TestRoster::normalized()
{
    QCOMPARE(idnumber::normalized(QStringLiteral(" 11010519491231002x ")), QStringLiteral("11010519491231002X"));
    QCOMPARE(idnumber::normalized(QStringLiteral("440524198001010013")), QStringLiteral("440524198001010013"));
    QVERIFY(idnumber::isValid(idnumber::normalized(QStringLiteral("11010519491231002x"))));
    QVERIFY(!idnumber::isValid(QStringLiteral("11010519491231002x")));
}

void TestRoster::maskName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("masked");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("one") << QStringLiteral("张") << QStringLiteral("*");
    QTest::newRow("two") << QStringLiteral("张三") << QStringLiteral("张*");
    QTest::newRow("three") << QStringLiteral("张三明") << QStringLiteral("张*明");
    QTest::newRow("four compound") << QStringLiteral("欧阳小明") << QStringLiteral("欧**明");
    QTest::newRow("five") << QStringLiteral("爱新觉罗溥") << QStringLiteral("爱***溥");
    QTest::newRow("latin") << QStringLiteral("Smith") << QStringLiteral("S***h");
    QTest::newRow("middle dot") << QStringLiteral("阿依·买买提") << QStringLiteral("阿****提");
    // U+20BB7 𠮷 (a surrogate pair in UTF-16) counts as one character.
    QTest::newRow("surrogate first") << QStringLiteral("𠮷三") << QStringLiteral("𠮷*");
    QTest::newRow("surrogate last") << QStringLiteral("王小𠮷") << QStringLiteral("王*𠮷");
    QTest::newRow("surrogate middle") << QStringLiteral("王𠮷明") << QStringLiteral("王*明");
    QTest::newRow("surrogate alone") << QStringLiteral("𠮷") << QStringLiteral("*");
}

void TestRoster::maskName()
{
    QFETCH(QString, name);
    QFETCH(QString, masked);
    QCOMPARE(pingyi::maskName(name), masked);
}

// ---------------------------------------------------------------------------------------------

void TestRoster::parseValid()
{
    const Activity a = smallActivity();
    // BOM, CRLF, a quoted name with a comma and an escaped quote, spaces around values, a
    // blank line, a spreadsheet's empty row, a lower-case x, and the photo column.
    const QByteArray csv = "\xEF\xBB\xBF"
                           "rep_id,name,id_number,category,venue,sessions,photo\r\n"
                           "R1,张三,11010519491231002x,c-experts,main,internal,\r\n"
                           "\r\n"
                           ",,,,,,\r\n"
                           "R2,\"李,\"\"四\"\"\", 440524198001010013 ,d-residents,east, econ ;,photos/r2.jpg\r\n";
    auto r = parseRoster(csv, a, QStringLiteral("r.csv"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->size(), 2);
    const RosterEntry &first = r->at(0);
    QCOMPARE(first.line, 2);
    QCOMPARE(first.repId, QStringLiteral("R1"));
    QCOMPARE(first.name, QStringLiteral("张三"));
    QCOMPARE(first.idNumber, QStringLiteral("11010519491231002X"));
    QCOMPARE(first.category, QStringLiteral("c-experts"));
    QCOMPARE(first.venue, QStringLiteral("main"));
    QCOMPARE(first.sessions, QStringList {QStringLiteral("internal")});
    QVERIFY(first.photo.isEmpty());
    const RosterEntry &second = r->at(1);
    QCOMPARE(second.line, 5);
    QCOMPARE(second.name, QStringLiteral("李,\"四\""));
    QCOMPARE(second.idNumber, QStringLiteral("440524198001010013"));
    QCOMPARE(second.sessions, QStringList {QStringLiteral("econ")});
    QCOMPARE(second.photo, QStringLiteral("photos/r2.jpg"));

    // Without the photo column, LF only, no final newline.
    const QByteArray six = "rep_id,name,id_number,category,venue,sessions\n"
                           "R1,张三,11010519491231002X,c-experts,main,econ";
    auto r6 = parseRoster(six, a, QStringLiteral("six.csv"));
    QVERIFY2(r6.ok(), qPrintable(r6.ok() ? QString() : r6.error().message));
    QCOMPARE(r6->size(), 1);
    QCOMPARE(r6->first().sessions, QStringList {QStringLiteral("econ")});
}

void TestRoster::csvLineBreaksRoundTrip()
{
    // A line break inside a quoted field reads as one '\n' however it was written; what is
    // read, written with csvField, reads back the same (the fuzzer found "\r\r\n" read as
    // "\r\n", which read back as "\n").
    for (const QByteArray &csv : {QByteArray("\"n\r\r\no\""), QByteArray("\"n\r\no\""), QByteArray("\"n\no\"")}) {
        auto rows = readCsvRows(csv, QStringLiteral("breaks.csv"));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 1);
        QCOMPARE(rows->first().fields, QStringList {QStringLiteral("n\no")});
        auto again = readCsvRows(csvField(rows->first().fields.first()), QStringLiteral("again.csv"));
        QVERIFY(again.ok());
        QCOMPARE(again->first().fields, rows->first().fields);
    }
    // A carriage return not before a line break is kept, and survives the round trip.
    auto cr = readCsvRows("\"a\rb\"", QStringLiteral("cr.csv"));
    QVERIFY(cr.ok());
    QCOMPARE(cr->first().fields, QStringList {QStringLiteral("a\rb")});
    auto crAgain = readCsvRows(csvField(cr->first().fields.first()), QStringLiteral("cr2.csv"));
    QVERIFY(crAgain.ok());
    QCOMPARE(crAgain->first().fields, cr->first().fields);
}

void TestRoster::parseLineNumbers()
{
    // A quoted field spanning lines: the next record's line is its physical line.
    const Activity a = smallActivity();
    const QByteArray csv = "rep_id,name,id_number,category,venue,sessions,photo\n"
                           "R1,\"张\n三\",11010519491231002X,c-experts,main,econ,\n"
                           "\n"
                           "R2,李四,440524198001010013,nope,east,econ,\n";
    auto r = parseRoster(csv, a, QStringLiteral("lines.csv"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("roster-invalid"));
    QVERIFY2(r.error().message.contains(QStringLiteral("\nlines.csv:5: unknown category \"nope\"")),
             qPrintable(r.error().message));
}

void TestRoster::parseProblemsSmall()
{
    const Activity a = smallActivity();
    const QByteArray csv = "rep_id,name,id_number,category,venue,sessions,photo\n"
                           "R1,张三,11010519491231002X,c-experts,east,internal,\n"
                           "R2,李四,11010519491231002X,d-firms,west,econ;service,\n";
    auto r = parseRoster(csv, a, QStringLiteral("s.csv"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("roster-invalid"));
    const QString expected = QStringLiteral(
        "s.csv: the roster has 3 problems:\n"
        "s.csv:2: session \"internal\" is not held at venue \"east\" (the activity spec holds it at: main)\n"
        "s.csv:3: duplicate ID number (the same as on line 2)\n"
        "s.csv:3: a representative may sit in only one group session; found 2: econ;service");
    QCOMPARE(r.error().message, expected);
}

void TestRoster::parseNeverShowsIdNumbers()
{
    // ID numbers in every column where a careless export might put them.
    const Activity a = smallActivity();
    const QByteArray csv = "rep_id,name,id_number,category,venue,sessions,photo\n"
                           "110105194912310021,张三,11010519491231002X,440524198001010013,main,econ,\n"
                           "R2,440524198001010013,张三,c-experts,370202198001010010,370202198001010010,\n"
                           "R3,张三,110105194912310021,c-experts,main,econ;11010519491231002X,\n";
    auto r = parseRoster(csv, a, QStringLiteral("p.csv"));
    QVERIFY(!r.ok());
    const QString msg = r.error().message;
    static const QRegularExpression longDigits(QStringLiteral("[0-9]{15}"));
    QVERIFY2(!longDigits.match(msg).hasMatch(), qPrintable(msg));
    // A header-less file: the first row is taken as the header and must not be echoed.
    auto h = parseRoster("R1,张三,11010519491231002X,c-experts,main,econ,\n", a, QStringLiteral("h.csv"));
    QVERIFY(!h.ok());
    QVERIFY2(!longDigits.match(h.error().message).hasMatch(), qPrintable(h.error().message));
    QVERIFY(!h.error().message.contains(QStringLiteral("张三")));
}

// ---------------------------------------------------------------------------------------------

void TestRoster::synthDeterministic()
{
    const Activity a = m_qingdao ? *m_qingdao : smallActivity();
    const QByteArray one = synthRoster(a, 42, 1.0);
    QVERIFY(!one.isEmpty());
    QCOMPARE(synthRoster(a, 42, 1.0), one);
    QVERIFY(synthRoster(a, 43, 1.0) != one);
    QVERIFY(one.startsWith("rep_id,name,id_number,category,venue,sessions,photo\n"));
    QVERIFY(!one.contains('\r'));
    QVERIFY(one.endsWith('\n'));
}

void TestRoster::synthSmallActivity()
{
    const Activity a = smallActivity();
    const QByteArray csv = synthRoster(a, 7, 1.0);
    auto r = parseRoster(csv, a, QStringLiteral("synth.csv"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->size(), 10 + 21 + 7);
    // 21 over two districts: 11 + 10; 7: the extra one goes to the other district.
    QHash<QString, int> perVenue;
    for (const RosterEntry &e : *r)
        ++perVenue[e.venue];
    QCOMPARE(perVenue.value(QStringLiteral("main")), 10);
    QCOMPARE(perVenue.value(QStringLiteral("east")), 11 + 3);
    QCOMPARE(perVenue.value(QStringLiteral("west")), 10 + 4);
    QCOMPARE(r->first().repId, QStringLiteral("R00001"));
    QCOMPARE(r->last().repId, QStringLiteral("R00038"));
    for (const RosterEntry &e : *r) {
        QVERIFY(e.photo.isEmpty());
        QVERIFY(e.name.size() >= 2 && e.name.size() <= 4);
    }
}

void TestRoster::synthInvalidScale()
{
    const Activity a = smallActivity();
    QVERIFY(synthRoster(a, 1, 0.0).isEmpty());
    QVERIFY(synthRoster(a, 1, -1.0).isEmpty());
    QVERIFY(synthRoster(a, 1, std::numeric_limits<double>::quiet_NaN()).isEmpty());
    QVERIFY(synthRoster(a, 1, std::numeric_limits<double>::infinity()).isEmpty());
    QVERIFY(synthRoster(a, 1, 100.5).isEmpty());
    // A scale so small that every category rounds to zero: only the header.
    QCOMPARE(synthRoster(a, 1, 0.001), QByteArray("rep_id,name,id_number,category,venue,sessions,photo\n"));
}

void TestRoster::synthQingdao()
{
    if (!m_qingdao)
        QSKIP(qPrintable(QStringLiteral("Qingdao example not available: ") + m_qingdaoProblem));
    const Activity &a = *m_qingdao;
    const QByteArray csv = synthRoster(a, 2025, 1.0);
    const QList<QStringList> rows = rowsOf(csv);
    QCOMPARE(rows.size(), 3030);

    auto parsed = parseRoster(csv, a, QStringLiteral("qingdao.csv"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message.left(2000)));
    QCOMPARE(parsed->size(), 3030);

    QHash<QString, int> perCategory;
    QSet<QString> ids;
    QHash<QString, QHash<QString, int>> perVenueSession; // venue -> session -> n
    QHash<QString, QHash<QString, QSet<QString>>> categoriesPerSession; // venue -> session -> categories
    for (const RosterEntry &e : *parsed) {
        ++perCategory[e.category];
        QVERIFY2(idnumber::isValid(e.idNumber), qPrintable(e.repId));
        ids.insert(e.idNumber);
        const Category *c = a.category(e.category);
        QVERIFY(c);
        const Venue *v = a.venue(e.venue);
        QVERIFY(v);
        if (c->level == QLatin1String("city"))
            QCOMPARE(v->kind, Venue::Kind::Main);
        else
            QCOMPARE(v->kind, Venue::Kind::District);
        QCOMPARE(e.sessions.size(), 1);
        ++perVenueSession[e.venue][e.sessions.first()];
        categoriesPerSession[e.venue][e.sessions.first()].insert(e.category);
    }
    QCOMPARE(ids.size(), 3030);
    int citySum = 0, districtSum = 0;
    for (const Category &c : a.categories) {
        QCOMPARE(perCategory.value(c.code), c.quota);
        (c.level == QLatin1String("city") ? citySum : districtSum) += c.quota;
    }
    QCOMPARE(citySum, 200);
    QCOMPARE(districtSum, 2830);

    int districtCategories = 0;
    for (const Category &c : a.categories)
        districtCategories += c.level == QLatin1String("district") ? 1 : 0;
    for (const Venue &v : a.venues) {
        int smallest = std::numeric_limits<int>::max(), largest = 0;
        for (const GroupSession &s : a.sessions) {
            if (!a.sessionHeldAt(s.code, v.code))
                continue;
            const int n = perVenueSession.value(v.code).value(s.code);
            QVERIFY2(n > 0, qPrintable(v.code + u'/' + s.code));
            smallest = std::min(smallest, n);
            largest = std::max(largest, n);
            // Stratified: at scale 1.0 every district session sees every district category.
            if (v.kind == Venue::Kind::District)
                QCOMPARE(int(categoriesPerSession.value(v.code).value(s.code).size()), districtCategories);
        }
        QVERIFY2(largest - smallest <= 1, qPrintable(v.code));
    }

    // Region codes follow the venue.
    for (const RosterEntry &e : *parsed) {
        if (e.venue == QLatin1String("shinan"))
            QVERIFY(e.idNumber.startsWith(QLatin1String("370202")));
        else if (e.venue == QLatin1String("main"))
            QVERIFY(e.idNumber.startsWith(QLatin1String("370200")));
    }
}

void TestRoster::synthQingdaoSmallScale()
{
    if (!m_qingdao)
        QSKIP(qPrintable(QStringLiteral("Qingdao example not available: ") + m_qingdaoProblem));
    const Activity &a = *m_qingdao;
    const QByteArray csv = synthRoster(a, 5, 0.1);
    auto parsed = parseRoster(csv, a, QStringLiteral("small.csv"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message.left(2000)));
    qint64 expected = 0;
    for (const Category &c : a.categories)
        expected += std::llround(c.quota * 0.1);
    QCOMPARE(qint64(parsed->size()), expected);
    // Every district venue still gets representatives.
    QSet<QString> venues;
    for (const RosterEntry &e : *parsed)
        venues.insert(e.venue);
    for (const Venue &v : a.venues)
        QVERIFY2(venues.contains(v.code), qPrintable(v.code));
}

// ---------------------------------------------------------------------------------------------

namespace {

/// An Ordos-like plan: per-venue quotas very different between districts (300 vs 65 in the
/// real plan, scaled down here), and one category fixed per session at one venue.
Activity venueQuotaActivity()
{
    Activity a = smallActivity();
    Category residents = a.categories[1]; // d-residents, 21 in total
    residents.cells = {{QStringLiteral("east"), QString(), 18}, {QStringLiteral("west"), QString(), 3}};
    Category firms = a.categories[2]; // d-firms, 7 in total
    firms.cells
        = {{QStringLiteral("east"), QStringLiteral("econ"), 5}, {QStringLiteral("east"), QStringLiteral("service"), 2}};
    a.categories[1] = residents;
    a.categories[2] = firms;
    return a;
}

QString quotaLines(const QList<QuotaCheck> &checks)
{
    QStringList lines;
    for (const QuotaCheck &q : checks)
        lines << QStringLiteral("%1 planned %2 found %3").arg(q.name()).arg(q.planned).arg(q.found);
    return lines.join(u'\n');
}

} // namespace

void TestRoster::synthFollowsVenueQuotas()
{
    const Activity a = venueQuotaActivity();
    const QByteArray csv = synthRoster(a, 5, 1.0);
    auto r = parseRoster(csv, a, QStringLiteral("synth.csv"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->size(), 10 + 21 + 7);
    QHash<QString, int> cells;
    for (const RosterEntry &e : *r)
        ++cells[e.category + u'@' + e.venue
                + (e.category == QLatin1String("d-firms") ? u'/' + e.sessions.first() : QString())];
    // Not spread evenly (11 + 10): the plan's 18 and 3.
    QCOMPARE(cells.value(QStringLiteral("d-residents@east")), 18);
    QCOMPARE(cells.value(QStringLiteral("d-residents@west")), 3);
    QCOMPARE(cells.value(QStringLiteral("d-firms@east/econ")), 5);
    QCOMPARE(cells.value(QStringLiteral("d-firms@east/service")), 2);
    QCOMPARE(cells.value(QStringLiteral("c-experts@main")), 10);
    for (const QuotaCheck &q : checkQuotas(*r, a))
        QVERIFY2(q.ok(), qPrintable(q.name()));
    QCOMPARE(synthRoster(a, 5, 1.0), csv);
    // At a scale the cells are rounded one by one.
    auto half = parseRoster(synthRoster(a, 5, 0.5), a, QStringLiteral("half.csv"));
    QVERIFY(half.ok());
    QCOMPARE(half->size(), 5 + (9 + 2) + (3 + 1)); // llround: 1.5 -> 2, 2.5 -> 3
}

void TestRoster::quotaCheck()
{
    const Activity a = venueQuotaActivity();
    auto r = parseRoster(synthRoster(a, 5, 1.0), a, QStringLiteral("synth.csv"));
    QVERIFY(r.ok());
    QList<RosterEntry> entries = *r;
    // Two residents of east moved to west, one firm of east/service moved to econ, one expert
    // moved to a district venue, and one district resident fewer.
    int moved = 0, firmMoved = 0, expertMoved = 0;
    for (RosterEntry &e : entries) {
        if (e.category == QLatin1String("d-residents") && e.venue == QLatin1String("east") && moved < 2) {
            e.venue = QStringLiteral("west");
            ++moved;
        } else if (e.category == QLatin1String("d-firms") && e.sessions.first() == QLatin1String("service")
                   && !firmMoved) {
            e.sessions = {QStringLiteral("econ")};
            ++firmMoved;
        } else if (e.category == QLatin1String("c-experts") && !expertMoved) {
            e.venue = QStringLiteral("west");
            ++expertMoved;
        }
    }
    const auto westResident = std::find_if(entries.cbegin(), entries.cend(), [](const RosterEntry &e) {
        return e.category == QLatin1String("d-residents") && e.venue == QLatin1String("west");
    });
    QVERIFY(westResident != entries.cend());
    entries.erase(westResident);
    const QString expected = QStringLiteral("c-experts at main planned 10 found 9\n"
                                            "d-residents at east planned 18 found 16\n"
                                            "d-residents at west planned 3 found 4\n"
                                            "d-firms at east in econ planned 5 found 6\n"
                                            "d-firms at east in service planned 2 found 1\n"
                                            "c-experts at west planned 0 found 1");
    QCOMPARE(quotaLines(checkQuotas(entries, a)), expected);

    // The city/district form: a district category is checked as one total over all districts.
    const Activity legacy = smallActivity();
    auto l = parseRoster(synthRoster(legacy, 3, 1.0), legacy, QStringLiteral("legacy.csv"));
    QVERIFY(l.ok());
    QList<RosterEntry> fewer = *l;
    fewer.removeLast();
    QCOMPARE(quotaLines(checkQuotas(fewer, legacy)),
             QStringLiteral("c-experts at main planned 10 found 10\n"
                            "d-residents at the district venues (total) planned 21 found 21\n"
                            "d-firms at the district venues (total) planned 7 found 6"));
}

void TestRoster::goldenFilesPresent()
{
    const QStringList files = QDir(kBadDir).entryList({QStringLiteral("*.csv")}, QDir::Files);
    QVERIFY2(files.size() >= 12, qPrintable(QStringLiteral("expected at least 12 bad rosters in %1").arg(kBadDir)));
    for (const QString &f : files) {
        const QString expected = kBadDir + u'/' + QFileInfo(f).completeBaseName() + QStringLiteral(".expected");
        QVERIFY2(QFileInfo::exists(expected) || qEnvironmentVariableIntValue("PINGYI_UPDATE_GOLDEN") == 1,
                 qPrintable(QStringLiteral("missing %1").arg(expected)));
    }
}

void TestRoster::golden_data()
{
    QTest::addColumn<QString>("name");
    const QStringList files = QDir(kBadDir).entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name);
    for (const QString &f : files) {
        const QString name = QFileInfo(f).completeBaseName();
        QTest::newRow(qPrintable(name)) << name;
    }
    if (files.isEmpty()) // a data function without rows would run golden() without data
        QTest::newRow("none") << QString();
}

void TestRoster::golden()
{
    QFETCH(QString, name);
    if (name.isEmpty())
        QSKIP("no golden files (see goldenFilesPresent)");
    if (!m_qingdao)
        QSKIP(qPrintable(QStringLiteral("Qingdao example not available: ") + m_qingdaoProblem));
    const QString base = kBadDir + u'/' + name;
    const QByteArray csv = readAll(base + QStringLiteral(".csv"));
    auto r = parseRoster(csv, *m_qingdao, name + QStringLiteral(".csv"));
    QVERIFY2(!r.ok(), "a bad roster was accepted");
    QCOMPARE(r.error().code, QStringLiteral("roster-invalid"));
    const QString actual = r.error().message + u'\n';

    // Privacy: no ID-number-like value from the input shows up in the message.
    static const QRegularExpression idLike(QStringLiteral("[0-9]{15,}[0-9Xx]*"));
    const QString input = QString::fromUtf8(csv);
    for (auto it = idLike.globalMatch(input); it.hasNext();) {
        const QString id = it.next().captured();
        QVERIFY2(!actual.contains(id.left(15)), qPrintable(QStringLiteral("message shows an ID number")));
    }
    static const QRegularExpression longDigits(QStringLiteral("[0-9]{15}"));
    QVERIFY2(!longDigits.match(actual).hasMatch(), "message contains a long run of digits");

    const QString expectedPath = base + QStringLiteral(".expected");
    const QString failPath = base + QStringLiteral(".fail");
    if (qEnvironmentVariableIntValue("PINGYI_UPDATE_GOLDEN") == 1) {
        QVERIFY(writeAll(expectedPath, actual.toUtf8()));
        QFile::remove(failPath);
        qInfo("updated %s", qPrintable(expectedPath));
        return;
    }
    const QString expected = QString::fromUtf8(readAll(expectedPath));
    if (expected != actual) {
        writeAll(failPath, actual.toUtf8());
        qWarning("golden mismatch for %s (actual output in %s; rerun with PINGYI_UPDATE_GOLDEN=1 to "
                 "accept):\n%s",
                 qPrintable(expectedPath), qPrintable(failPath), qPrintable(lineDiff(expected, actual)));
        QFAIL("output differs from the golden file");
    }
    QFile::remove(failPath);
}

QTEST_GUILESS_MAIN(TestRoster)
#include "test_roster.moc"
