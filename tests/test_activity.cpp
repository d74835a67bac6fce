// Tests of the activity spec parser: the Qingdao 2025 example, canonical JSON, lookups,
// defaults, and golden files of invalid specs (tests/data/activity/bad/<name>.json must fail
// with exactly <name>.expected; PINGYI_UPDATE_GOLDEN=1 rewrites the expected files).

#include "activity.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pingyi;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

bool updateGolden()
{
    return qEnvironmentVariableIntValue("PINGYI_UPDATE_GOLDEN") == 1;
}

/// A line diff (longest common subsequence) good enough for the short golden texts.
QString lineDiff(const QString &expected, const QString &actual)
{
    const QStringList a = expected.split(QLatin1Char('\n'));
    const QStringList b = actual.split(QLatin1Char('\n'));
    const qsizetype n = a.size(), m = b.size();
    QList<QList<int>> lcs(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    QStringList out;
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out << QStringLiteral("  ") + a[i];
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out << QStringLiteral("+ ") + b[j++];
        } else {
            out << QStringLiteral("- ") + a[i++];
        }
    }
    return out.join(QLatin1Char('\n'));
}

/// Compares `actual` with the golden file; on mismatch writes `<base>.fail` and prints a diff.
/// With PINGYI_UPDATE_GOLDEN=1 the golden file is rewritten instead.
bool matchesGolden(const QString &actual, const QString &goldenPath)
{
    const QString failPath = goldenPath.left(goldenPath.lastIndexOf(QLatin1Char('.'))) + QStringLiteral(".fail");
    if (updateGolden()) {
        QFile::remove(failPath);
        if (!writeFile(goldenPath, actual.toUtf8())) {
            qWarning("cannot write %s", qPrintable(goldenPath));
            return false;
        }
        qInfo("updated %s", qPrintable(goldenPath));
        return true;
    }
    const QString expected = QString::fromUtf8(readFile(goldenPath));
    if (expected == actual) {
        QFile::remove(failPath);
        return true;
    }
    writeFile(failPath, actual.toUtf8());
    qWarning().noquote() << "golden mismatch:" << goldenPath << "(actual output written to" << failPath
                         << "; run with PINGYI_UPDATE_GOLDEN=1 to accept)\n--- expected\n+++ actual\n"
            + lineDiff(expected, actual);
    return false;
}

/// What a spec parses to, in the form the golden files hold: the error code, then the message.
QString outcome(const Result<Activity> &r)
{
    if (r.ok())
        return QStringLiteral("(parsed without error)\n");
    return r.error().code + QLatin1Char('\n') + r.error().message + QLatin1Char('\n');
}

QString examplePath()
{
    return QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json");
}

QString badDir()
{
    return QStringLiteral(PINGYI_TEST_DATA "/activity/bad");
}

/// The smallest valid spec; tests patch it to probe one rule at a time.
QJsonObject minimalSpec()
{
    const QByteArray json = R"({
        "format": "pingyi-activity/v1",
        "id": "mini",
        "name": "测试活动",
        "year": 2025,
        "scale": [{"code": "good", "label": "满意", "score": 100},
                  {"code": "bad", "label": "不满意", "score": 0}],
        "venues": [{"code": "main", "name": "主会场", "kind": "main"},
                   {"code": "east", "name": "东区", "kind": "district"}],
        "sessions": [{"code": "s1", "name": "第一组", "venues": ["main", "east"],
                      "departments": [{"code": "d1", "name": "市甲局"}, {"code": "d2", "name": "市乙局"}]}],
        "categories": [{"code": "c-a", "name": "甲类代表", "class": "自愿报名", "level": "city", "quota": 5},
                       {"code": "d-b", "name": "乙类代表", "class": "自愿报名", "level": "district", "quota": 0}],
        "questionnaire": [{"code": "q1", "kind": "multiple", "text": "问题",
                           "choices": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"},
                                       {"code": "c", "label": "丙"}]}],
        "discipline": [{"code": "k1", "kind": "single", "text": "是否有人代您填写评议票？",
                        "choices": [{"code": "yes", "label": "是"}, {"code": "no", "label": "否"}]}],
        "suggestion_topics": [],
        "identity_methods": ["credential"]
    })";
    return QJsonDocument::fromJson(json).object();
}

QByteArray toJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace

class TestActivity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void qingdaoExample();
    void qingdaoSummary();
    void canonicalJsonStable();
    void canonicalIgnoresFormatting();
    void lookups();
    void defaults();
    void validVariants_data();
    void validVariants();
    void tallyRules();
    void quotaCells();
    void syntaxErrorPosition();
    void badSpecs_data();
    void badSpecs();
};

void TestActivity::qingdaoExample()
{
    const QByteArray json = readFile(examplePath());
    QVERIFY2(!json.isEmpty(), qPrintable(examplePath()));
    const Result<Activity> r = Activity::fromJson(json, QStringLiteral("activity.json"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    const Activity &a = r.value();

    QCOMPARE(a.id, QStringLiteral("qingdao-2025"));
    QCOMPARE(a.year, 2025);
    QVERIFY(a.name.contains(QStringLiteral("请市民评议")));
    QVERIFY(!a.nameEn.isEmpty());

    QCOMPARE(a.sessions.size(), 4);
    const QStringList codes = {QStringLiteral("econ"), QStringLiteral("service"), QStringLiteral("enforcement"),
                               QStringLiteral("internal")};
    const QList<qsizetype> departmentCounts = {15, 12, 9, 3};
    for (qsizetype i = 0; i < codes.size(); ++i) {
        QCOMPARE(a.sessions[i].code, codes[i]);
        QCOMPARE(a.sessions[i].departments.size(), departmentCounts[i]);
    }
    QCOMPARE(a.sessions[0].departments.first().code, QStringLiteral("econ-01"));
    QCOMPARE(a.sessions[0].departments.last().code, QStringLiteral("econ-15"));
    QCOMPARE(a.sessions[0].venues.size(), 11);
    QCOMPARE(a.sessions[3].venues, QStringList {QStringLiteral("main")});

    QCOMPARE(a.venues.size(), 11);
    QCOMPARE(
        std::count_if(a.venues.cbegin(), a.venues.cend(), [](const Venue &v) { return v.kind == Venue::Kind::Main; }),
        1);

    QCOMPARE(a.categories.size(), 24);
    int city = 0, district = 0;
    for (const Category &c : a.categories) {
        QVERIFY2(c.code.startsWith(c.level == QLatin1String("city") ? QLatin1String("c-") : QLatin1String("d-")),
                 qPrintable(c.code));
        (c.level == QLatin1String("city") ? city : district) += c.quota;
    }
    QCOMPARE(city, 200);
    QCOMPARE(district, 2830);
    QCOMPARE(city + district, 3030);

    QCOMPARE(a.scale.size(), 4);
    QCOMPARE(a.scale.first().score, 100);
    QCOMPARE(a.scale.last().score, 0);
    QVERIFY(a.questionnaire.size() >= 4 && a.questionnaire.size() <= 6);
    QVERIFY(a.discipline.size() >= 3);
    for (const Question &q : a.discipline)
        QCOMPARE(q.kind, Question::Kind::Single);
    QCOMPARE(a.suggestionTopics.size(), 12);
    QCOMPARE(a.identityMethods,
             (QStringList {QStringLiteral("credential"), QStringLiteral("id_number"), QStringLiteral("face"),
                           QStringLiteral("override")}));
    QCOMPARE(a.tally.anonymityThreshold, 10);

    // Schedule and addresses (example values, docs/formats.md), and the plan's rules.
    QCOMPARE(a.sessions[0].date, QStringLiteral("2025-12-16"));
    QCOMPARE(a.sessions[0].start, QStringLiteral("09:00"));
    QCOMPARE(a.sessions[0].end, QStringLiteral("11:30"));
    for (const GroupSession &s : a.sessions) {
        QVERIFY2(!s.date.isEmpty() && !s.start.isEmpty() && !s.end.isEmpty() && !s.place.isEmpty(), qPrintable(s.code));
        QVERIFY(s.start < s.end);
    }
    for (const Venue &v : a.venues)
        QVERIFY2(!v.address.isEmpty(), qPrintable(v.code));
    QCOMPARE(a.roster.rotationFloor, 35);
    QCOMPARE(a.tally.satisfiedThreshold, 80);
    QVERIFY(a.tally.publishes(TallyRules::Breakdown::Venue));
    // Qingdao gives city and district totals only: one cell per category.
    QCOMPARE(a.quotaCells().size(), 24);
}

void TestActivity::qingdaoSummary()
{
    const Result<Activity> r = Activity::fromJson(readFile(examplePath()), QStringLiteral("activity.json"));
    QVERIFY(r.ok());
    QVERIFY(matchesGolden(r->summary(), QStringLiteral(PINGYI_TEST_DATA "/activity/qingdao-2025.summary.txt")));

    const QJsonObject s = r->summaryJson();
    QCOMPARE(s.value(QStringLiteral("id")).toString(), QStringLiteral("qingdao-2025"));
    QCOMPARE(s.value(QStringLiteral("sessions")).toArray().size(), 4);
    QCOMPARE(s.value(QStringLiteral("departments")).toInt(), 39);
    QCOMPARE(s.value(QStringLiteral("quota")).toObject().value(QStringLiteral("total")).toInt(), 3030);
    QCOMPARE(s.value(QStringLiteral("suggestion_topics")).toInt(), 12);
    QCOMPARE(s.value(QStringLiteral("anonymity_threshold")).toInt(), 10);
}

void TestActivity::canonicalJsonStable()
{
    const Result<Activity> first = Activity::fromJson(readFile(examplePath()), QStringLiteral("activity.json"));
    QVERIFY(first.ok());
    const QByteArray canonical = first->canonicalJson();
    QVERIFY(!canonical.contains('\n'));
    QVERIFY(canonical.startsWith("{\"categories\":"));

    const Result<Activity> second = Activity::fromJson(canonical, QStringLiteral("canonical.json"));
    QVERIFY(second.ok());
    QCOMPARE(second->canonicalJson(), canonical);
    QCOMPARE(second->source, first->source);
    QCOMPARE(second->summary(), first->summary());
    QCOMPARE(second->summaryJson(), first->summaryJson());
}

void TestActivity::canonicalIgnoresFormatting()
{
    // Same content, other key order and layout: the canonical bytes (and so the digest) agree.
    const QByteArray a = R"({"format":"pingyi-activity/v1","id":"x","name":"n","year":2025})";
    const QByteArray b
        = "{\n  \"year\" : 2025,\n  \"name\": \"n\",\n\t\"id\": \"x\", \"format\": \"pingyi-activity/v1\"\n}\n";
    Activity x, y;
    x.source = QJsonDocument::fromJson(a).object();
    y.source = QJsonDocument::fromJson(b).object();
    QCOMPARE(x.canonicalJson(), y.canonicalJson());
    QCOMPARE(x.canonicalJson(), QByteArray(R"({"format":"pingyi-activity/v1","id":"x","name":"n","year":2025})"));
}

void TestActivity::lookups()
{
    const Result<Activity> r = Activity::fromJson(readFile(examplePath()), QStringLiteral("activity.json"));
    QVERIFY(r.ok());
    const Activity &a = r.value();

    QVERIFY(a.session(QStringLiteral("econ")));
    QCOMPARE(a.session(QStringLiteral("econ"))->name, QStringLiteral("经济建设组"));
    QVERIFY(!a.session(QStringLiteral("nope")));

    QVERIFY(a.department(QStringLiteral("econ-01")));
    QCOMPARE(a.department(QStringLiteral("econ-01"))->name, QStringLiteral("市发展改革委"));
    QCOMPARE(a.department(QStringLiteral("enforcement-09"))->name, QStringLiteral("青岛仲裁办"));
    QCOMPARE(a.department(QStringLiteral("internal-03"))->name, QStringLiteral("市信访局"));
    QVERIFY(!a.department(QStringLiteral("econ-16")));

    QVERIFY(a.venue(QStringLiteral("main")));
    QCOMPARE(a.venue(QStringLiteral("main"))->kind, Venue::Kind::Main);
    QCOMPARE(a.venue(QStringLiteral("huangdao"))->kind, Venue::Kind::District);
    QCOMPARE(a.venue(QStringLiteral("huangdao"))->name, QStringLiteral("黄岛区（西海岸新区）"));
    QVERIFY(!a.venue(QStringLiteral("qingdao")));

    QVERIFY(a.category(QStringLiteral("d-community")));
    QCOMPARE(a.category(QStringLiteral("d-community"))->quota, 600);
    QCOMPARE(a.category(QStringLiteral("d-community"))->className, QStringLiteral("服务对象代表"));
    QCOMPARE(a.category(QStringLiteral("c-volunteer"))->level, QStringLiteral("city"));
    QVERIFY(!a.category(QStringLiteral("community")));

    QVERIFY(a.sessionHeldAt(QStringLiteral("econ"), QStringLiteral("shinan")));
    QVERIFY(a.sessionHeldAt(QStringLiteral("internal"), QStringLiteral("main")));
    QVERIFY(!a.sessionHeldAt(QStringLiteral("internal"), QStringLiteral("shinan")));
    QVERIFY(!a.sessionHeldAt(QStringLiteral("nope"), QStringLiteral("main")));
    QVERIFY(!a.sessionHeldAt(QStringLiteral("econ"), QStringLiteral("nope")));
}

void TestActivity::defaults()
{
    const Result<Activity> r = Activity::fromJson(toJson(minimalSpec()), QStringLiteral("mini.json"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    const Activity &a = r.value();
    QVERIFY(a.nameEn.isEmpty());
    QVERIFY(a.scale.first().labelEn.isEmpty());
    QVERIFY(a.sessions.first().nameEn.isEmpty());
    QCOMPARE(a.tally.anonymityThreshold, 10);
    QCOMPARE(a.tally.satisfiedThreshold, 80);
    // The most private: nothing but each group's totals over all venues.
    QVERIFY(a.tally.publish.isEmpty());
    QCOMPARE(a.roster.quotas, RosterRules::Check::Warn);
    QCOMPARE(a.roster.rotationFloor, 35);
    QVERIFY(a.sessions.first().date.isEmpty());
    QVERIFY(a.sessions.first().start.isEmpty());
    QVERIFY(a.sessions.first().place.isEmpty());
    QVERIFY(a.venues.first().address.isEmpty());
    QVERIFY(a.categories.first().cells.isEmpty());
    // Without by_venue: a city category at the main venue, a district one over all districts.
    const QList<RosterQuota> cells = a.quotaCells();
    QCOMPARE(cells.size(), 2);
    QCOMPARE(cells[0].venue, QStringLiteral("main"));
    QCOMPARE(cells[0].count, 5);
    QVERIFY(cells[1].venue.isEmpty());
    QCOMPARE(cells[1].category, QStringLiteral("d-b"));
    const Question &multiple = a.questionnaire.first();
    QCOMPARE(multiple.kind, Question::Kind::Multiple);
    QCOMPARE(multiple.maxChoices, 3); // defaults to the number of choices
    QVERIFY(multiple.required);
    QVERIFY(multiple.textEn.isEmpty());
    QCOMPARE(a.discipline.first().maxChoices, 1);
    QVERIFY(a.suggestionTopics.isEmpty());
    QCOMPARE(a.venues.last().kind, Venue::Kind::District);
}

void TestActivity::validVariants_data()
{
    QTest::addColumn<QByteArray>("patch"); // top-level keys replaced in the minimal spec
    QTest::newRow("year 2000") << QByteArray(R"({"year": 2000})");
    QTest::newRow("year 2100") << QByteArray(R"({"year": 2100})");
    QTest::newRow("year written as 2025.0") << QByteArray(R"({"year": 2025.0})");
    QTest::newRow("empty questionnaire") << QByteArray(R"({"questionnaire": []})");
    QTest::newRow("empty tally") << QByteArray(R"({"tally": {}})");
    QTest::newRow("threshold 1") << QByteArray(R"({"tally": {"anonymity_threshold": 1}})");
    QTest::newRow("satisfied threshold 1") << QByteArray(R"({"tally": {"satisfied_threshold": 1}})");
    QTest::newRow("satisfied threshold 100") << QByteArray(R"({"tally": {"satisfied_threshold": 100}})");
    QTest::newRow("publish nothing") << QByteArray(R"({"tally": {"publish": []}})");
    QTest::newRow("publish both") << QByteArray(R"({"tally": {"publish": ["category", "venue"]}})");
    QTest::newRow("$schema") << QByteArray(R"({"$schema": "activity.schema.json"})");
    QTest::newRow("all identity methods")
        << QByteArray(R"({"identity_methods": ["credential", "id_number", "face", "override"]})");
    QTest::newRow("only district venues") << QByteArray(
        R"({"venues": [{"code": "east", "name": "东区", "kind": "district"}],
            "sessions": [{"code": "s1", "name": "组", "venues": ["east"], "departments": [{"code": "d1", "name": "局"}]}],
            "categories": [{"code": "d-b", "name": "乙", "class": "类", "level": "district", "quota": 1}]})");
    QTest::newRow("code characters") << QByteArray(
        R"({"suggestion_topics": [{"code": "a.b_c-9", "name": "话题"},
                                  {"code": "0123456789012345678901234567890123456789", "name": "长代码"}]})");
    QTest::newRow("multiple with max_choices 1 and optional") << QByteArray(
        R"({"questionnaire": [{"code": "q", "kind": "multiple", "text": "问", "max_choices": 1, "required": false,
            "choices": [{"code": "a", "label": "甲"}, {"code": "b", "label": "乙"}]}]})");
}

void TestActivity::validVariants()
{
    QFETCH(QByteArray, patch);
    QJsonObject spec = minimalSpec();
    const QJsonObject changes = QJsonDocument::fromJson(patch).object();
    QVERIFY(!changes.isEmpty());
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        spec.insert(it.key(), it.value());
    const Result<Activity> r = Activity::fromJson(toJson(spec), QStringLiteral("variant.json"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
}

void TestActivity::tallyRules()
{
    QJsonObject spec = minimalSpec();
    spec.insert(QStringLiteral("tally"),
                QJsonObject {{QStringLiteral("satisfied_threshold"), 60},
                             {QStringLiteral("publish"), QJsonArray {QStringLiteral("category")}}});
    const Result<Activity> r = Activity::fromJson(toJson(spec), QStringLiteral("rules.json"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r->tally.satisfiedThreshold, 60);
    QCOMPARE(r->tally.anonymityThreshold, 10);
    QVERIFY(r->tally.publishes(TallyRules::Breakdown::Category));
    QVERIFY(!r->tally.publishes(TallyRules::Breakdown::Venue));
    // Stored and read back as written (hq.db keeps the canonical JSON).
    const Result<Activity> again = Activity::fromJson(r->canonicalJson(), QStringLiteral("again.json"));
    QVERIFY(again.ok());
    QCOMPARE(again->tally.satisfiedThreshold, 60);
    QCOMPARE(again->tally.publish, r->tally.publish);
}

/// An Ordos-like plan: quotas per district venue (300 at one, 65 at another) and, for one
/// category, per session.
void TestActivity::quotaCells()
{
    QJsonObject spec = minimalSpec();
    const QJsonObject patch = QJsonDocument::fromJson(R"({
        "venues": [{"code": "main", "name": "主会场", "kind": "main"},
                   {"code": "dongsheng", "name": "东胜区", "kind": "district", "address": "示例地址"},
                   {"code": "otog-front", "name": "鄂托克前旗", "kind": "district"}],
        "sessions": [{"code": "s1", "name": "第一组", "venues": ["main", "dongsheng", "otog-front"],
                      "date": "2025-01-08", "start": "08:30", "end": "12:00", "place": "主会场",
                      "departments": [{"code": "d1", "name": "市甲局"}]},
                     {"code": "s2", "name": "第二组", "venues": ["main", "dongsheng"],
                      "departments": [{"code": "d2", "name": "市乙局"}]}],
        "categories": [{"code": "c-a", "name": "甲类代表", "class": "自愿报名", "level": "city", "quota": 5},
                       {"code": "d-b", "name": "乙类代表", "class": "自愿报名", "level": "district",
                        "by_venue": {"otog-front": 65, "dongsheng": 300}},
                       {"code": "d-c", "name": "丙类代表", "class": "自愿报名", "level": "district", "quota": 30,
                        "by_venue": {"dongsheng": {"s2": 10, "s1": 20}}}],
        "roster": {"quotas": "refuse", "rotation_floor": 40}
    })")
                                  .object();
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it)
        spec.insert(it.key(), it.value());
    const Result<Activity> r = Activity::fromJson(toJson(spec), QStringLiteral("ordos-like.json"));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    const Category *b = r->category(QStringLiteral("d-b"));
    QVERIFY(b);
    QCOMPARE(b->quota, 365); // the sum of the cells when "quota" is left out
    QCOMPARE(b->cells.size(), 2);
    // Spec venue order, not the object's key order.
    QCOMPARE(b->cells[0].venue, QStringLiteral("dongsheng"));
    QCOMPARE(b->cells[0].count, 300);
    QCOMPARE(b->cells[1].venue, QStringLiteral("otog-front"));
    QCOMPARE(b->cells[1].count, 65);
    const Category *c = r->category(QStringLiteral("d-c"));
    QCOMPARE(c->cells.size(), 2);
    QCOMPARE(c->cells[0].session, QStringLiteral("s1"));
    QCOMPARE(c->cells[0].count, 20);
    QCOMPARE(c->cells[1].session, QStringLiteral("s2"));
    const QList<RosterQuota> cells = r->quotaCells();
    QCOMPARE(cells.size(), 5);
    QCOMPARE(cells[0].venue, QStringLiteral("main"));
    QCOMPARE(r->roster.quotas, RosterRules::Check::Refuse);
    QCOMPARE(r->roster.rotationFloor, 40);
    QCOMPARE(r->sessions[0].place, QStringLiteral("主会场"));
    QCOMPARE(r->venue(QStringLiteral("dongsheng"))->address, QStringLiteral("示例地址"));
    const Result<Activity> again = Activity::fromJson(r->canonicalJson(), QStringLiteral("again.json"));
    QVERIFY(again.ok());
    QCOMPARE(again->quotaCells().size(), 5);
}

void TestActivity::syntaxErrorPosition()
{
    // Columns count characters, not UTF-8 bytes; a byte order mark is not a column.
    const QByteArray json = "\xEF\xBB\xBF{\n  \"name\": \"评议\" \"year\": 2025\n}";
    const Result<Activity> r = Activity::fromJson(json, QStringLiteral("x.json"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("spec-json"));
    QVERIFY2(r.error().message.startsWith(QStringLiteral("x.json: line 2, column 16: ")),
             qPrintable(r.error().message));
}

void TestActivity::badSpecs_data()
{
    QTest::addColumn<QString>("name");
    const QStringList files = QDir(badDir()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    // The golden set is the main check of the validator; losing it must not pass silently.
    QVERIFY2(files.size() >= 15, qPrintable(QStringLiteral("only %1 bad specs in %2").arg(files.size()).arg(badDir())));
    for (const QString &file : files) {
        const QString name = file.chopped(5);
        QTest::newRow(qPrintable(name)) << name;
    }
}

void TestActivity::badSpecs()
{
    QFETCH(QString, name);
    const QByteArray json = readFile(badDir() + QLatin1Char('/') + name + QStringLiteral(".json"));
    const Result<Activity> r = Activity::fromJson(json, name + QStringLiteral(".json"));
    QVERIFY2(!r.ok(), "a bad spec was accepted");
    QVERIFY(matchesGolden(outcome(r), badDir() + QLatin1Char('/') + name + QStringLiteral(".expected")));
}

QTEST_GUILESS_MAIN(TestActivity)
#include "test_activity.moc"
