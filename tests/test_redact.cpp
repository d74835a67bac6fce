// No message may print an ID number or a PIN, however it was typed: the redaction rule
// (core/redact.h, docs/security.md §9) on its own, then every roster column and every text
// field of the activity spec fed with ID numbers in full-width digits, with spaces, dashes,
// invisible characters and mixed forms, watching the error messages and every log line.

#include "activity.h"
#include "redact.h"
#include "roster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pingyi;

namespace {

/// Independent of the code under test: NFKC, every decimal digit (any script) and Chinese
/// numeral made ASCII, then everything that is not a letter or a digit dropped.
QString digitsAndLetters(const QString &text)
{
    static const QString chineseNumerals = QStringLiteral("〇一二三四五六七八九");
    QString out;
    for (const uint cp : text.normalized(QString::NormalizationForm_KC).toUcs4()) {
        const int numeral = cp <= 0xFFFF ? int(chineseNumerals.indexOf(QChar(char16_t(cp)))) : -1;
        if (numeral >= 0)
            out += QChar(u'0' + char16_t(numeral));
        else if (QChar::digitValue(cp) >= 0 && QChar::category(cp) == QChar::Number_DecimalDigit)
            out += QChar(u'0' + char16_t(QChar::digitValue(cp)));
        else if (QChar::isLetter(cp))
            out += QString::fromUcs4(reinterpret_cast<const char32_t *>(&cp), 1);
    }
    return out;
}

/// True when `text` holds, in any form, the first 6 digits of `id` (and so also the whole).
bool leaks(const QString &text, const QString &id)
{
    return digitsAndLetters(text).contains(id.left(6));
}

QString validId(const char *first17)
{
    const QString s = QString::fromLatin1(first17);
    return s + idnumber::checkCharacter(s);
}

/// The ways one ID number reaches a file: as typed with a Chinese input method (full-width),
/// grouped with spaces or dashes, with invisible characters, in other digits.
QStringList variants(const QString &id)
{
    const auto map = [&](auto &&f) {
        QString out;
        for (qsizetype i = 0; i < id.size(); ++i)
            out += f(id.at(i), i);
        return out;
    };
    const auto fullWidth = [](QChar c) {
        return QChar(char16_t(c.unicode() - u'0' + 0xFF10));
    };
    const auto wide = [&](QChar c, qsizetype) {
        return c == u'X' ? QString(QChar(0xFF38)) : QString(fullWidth(c));
    };
    const QString chinese = QStringLiteral("〇一二三四五六七八九");
    return {
        id,
        map(wide),
        id.left(6) + u' ' + id.mid(6, 8) + u' ' + id.mid(14),
        id.left(6) + u'-' + id.mid(6, 4) + u'-' + id.mid(10, 4) + u'-' + id.mid(14),
        map([&](QChar c, qsizetype i) { return i % 2 ? QString(c) : wide(c, i); }), // mixed widths
        map([&](QChar c, qsizetype i) {
            return QString(c) + (i % 4 == 3 ? QStringLiteral("\u3000") : QString()); // ideographic space
        }),
        map([&](QChar c, qsizetype) { return QString(c) + QChar(0x200B); }), // zero-width space
        map([&](QChar c, qsizetype i) { return i % 3 == 2 ? QString(c) + u'.' : QString(c); }),
        map([&](QChar c, qsizetype i) { return i % 3 == 2 ? QString(c) + u'_' : QString(c); }),
        map([&](QChar c, qsizetype) { return QString(c) + QChar(0x00A0); }), // no-break space
        map([&](QChar c, qsizetype i) { // Arabic-Indic digits, then full-width dash groups
            return c.isDigit()
                ? QString(QChar(char16_t(0x0660 + c.digitValue()))) + (i == 5 ? QStringLiteral("\uFF0D") : QString())
                : QString(c);
        }),
        map([&](QChar c, qsizetype) { return c.isDigit() ? QString(chinese.at(c.digitValue())) : QString(c); }),
        id.chopped(1) + u'x',
        QStringLiteral("R-") + id, // inside a longer value
        id.left(6) + QChar(0x202E) + id.mid(6), // a bidi override in the middle
        id.left(15), // an old 15-digit number
        id.left(8), // part of one: region and year
    };
}

const char *const kColumns[] = {"rep_id", "name", "id_number", "category", "venue", "sessions", "photo"};

Activity smallActivity()
{
    Activity a;
    a.id = QStringLiteral("test");
    Venue main;
    main.code = QStringLiteral("main");
    main.kind = Venue::Kind::Main;
    a.venues = {main};
    GroupSession econ;
    econ.code = QStringLiteral("econ");
    econ.venues = {QStringLiteral("main")};
    a.sessions = {econ};
    Category c;
    c.code = QStringLiteral("c-experts");
    c.level = QStringLiteral("city");
    c.quota = 1;
    a.categories = {c};
    return a;
}

QByteArray quotedField(const QString &value)
{
    QByteArray b = value.toUtf8();
    return '"' + b.replace("\"", "\"\"") + '"';
}

/// Every message Qt's logging sees while a test runs.
QStringList g_log;
void collect(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log << message;
}

struct LogCapture {
    QtMessageHandler previous;
    LogCapture() : previous(qInstallMessageHandler(collect)) { g_log.clear(); }
    ~LogCapture() { qInstallMessageHandler(previous); }
};

const char *const kSpec = R"({
    "format": "pingyi-activity/v1", "id": "mini", "name": "测试活动", "name_en": "Test", "year": 2025,
    "scale": [{"code": "good", "label": "满意", "label_en": "Good", "score": 100},
              {"code": "bad", "label": "不满意", "score": 0}],
    "venues": [{"code": "main", "name": "主会场", "name_en": "Main", "kind": "main"},
               {"code": "east", "name": "东区", "kind": "district"}],
    "sessions": [{"code": "s1", "name": "第一组", "name_en": "One", "venues": ["main", "east"],
                  "departments": [{"code": "d1", "name": "市甲局", "name_en": "A"}]}],
    "categories": [{"code": "c-a", "name": "甲类代表", "class": "自愿报名", "level": "city", "quota": 5}],
    "questionnaire": [{"code": "q1", "kind": "multiple", "text": "问题", "text_en": "Q",
                       "choices": [{"code": "a", "label": "甲", "label_en": "A"}, {"code": "b", "label": "乙"}]}],
    "discipline": [{"code": "k1", "kind": "single", "text": "问", "choices": [{"code": "y", "label": "是"},
                                                                            {"code": "n", "label": "否"}]}],
    "suggestion_topics": [{"code": "t", "name": "话题", "name_en": "Topic"}],
    "identity_methods": ["credential"],
    "tally": {"anonymity_threshold": 10}
})";

/// Calls `f` on every string in `v` (by reference, so it can replace it), with its path.
void forEachString(QJsonValue &v, const QString &path, const std::function<void(QJsonValue &, const QString &)> &f)
{
    if (v.isString()) {
        f(v, path);
    } else if (v.isObject()) {
        QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            QJsonValue child = it.value();
            forEachString(child, path + u'.' + it.key(), f);
            it.value() = child;
        }
        v = o;
    } else if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            QJsonValue child = a.at(i);
            forEachString(child, path + QStringLiteral("[%1]").arg(i), f);
            a.replace(i, child);
        }
        v = a;
    }
}

} // namespace

class TestRedact : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rule_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        const QString h = QString::fromUtf16(kHiddenNumber);
        QTest::newRow("plain text") << QStringLiteral("d-community") << QStringLiteral("d-community");
        QTest::newRow("five digits stay") << QStringLiteral("R00042") << QStringLiteral("R00042");
        QTest::newRow("a year stays") << QStringLiteral("2025年活动") << QStringLiteral("2025年活动");
        QTest::newRow("six digits") << QStringLiteral("R303000") << u'R' + h;
        QTest::newRow("id with X") << QStringLiteral("37020219800101011X!") << h + u'!';
        QTest::newRow("id with x after a space")
            << QStringLiteral("a 370202198001010 11 x b") << QStringLiteral("a ") + h + QStringLiteral(" b");
        QTest::newRow("full-width") << QStringLiteral("类别３７０２０２１９８００１") << QStringLiteral("类别") + h;
        QTest::newRow("separators kept outside") << QStringLiteral("(1234-5678)") << u'(' + h + u')';
        QTest::newRow("letters split numbers") << QStringLiteral("12345a12345") << QStringLiteral("12345a12345");
        QTest::newRow("two numbers") << QStringLiteral("123456 and 654321") << h + QStringLiteral(" and ") + h;
        QTest::newRow("chinese numerals") << QStringLiteral("三七〇二〇二") << h;
        QTest::newRow("PIN of 6") << QStringLiteral("PIN 482913") << QStringLiteral("PIN ") + h;
    }
    void rule()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(redact(input), expected);
    }

    void safeToPrintEscapesAndCuts()
    {
        QCOMPARE(safeToPrint(QStringLiteral("a\nb\u202Ec")), QStringLiteral("a<U+000A>b<U+202E>c"));
        QCOMPARE(safeToPrint(QString(50, u'a'), 10), QString(10, u'a') + QStringLiteral("..."));
        // Redacted before cutting: the cut cannot leave a readable part of a number.
        QCOMPARE(safeToPrint(QStringLiteral("abcd 370202198001010117 efgh"), 8),
                 QStringLiteral("abcd ") + QString::fromUtf16(kHiddenNumber) + QStringLiteral(" e..."));
        const QString lone = QString(QChar(0xD800));
        QCOMPARE(quoteInput(lone), QStringLiteral("\"<U+D800>\""));
        QCOMPARE(longestDigitRun(QStringLiteral("３７０-２０２ 1")), 7);
    }

    /// The test's own normaliser finds every variant: otherwise the sweeps below prove nothing.
    void variantsAreRecognisedByTheTest()
    {
        const QString id = validId("37020219800101011");
        for (const QString &v : variants(id)) {
            QVERIFY2(leaks(v, id), qPrintable(v));
            QVERIFY2(!leaks(redact(v), id), qPrintable(redact(v)));
            QVERIFY2(!leaks(safeToPrint(v), id), qPrintable(safeToPrint(v)));
        }
    }

    void rosterColumnsNeverPrintIdNumbers_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("value");
        // Two numbers: one ending in a digit, one in X.
        QString withX;
        for (int seq = 1; seq < 999 && withX.isEmpty(); ++seq) {
            const QString first17 = QStringLiteral("37021219751224%1").arg(seq, 3, 10, QLatin1Char('0'));
            if (idnumber::checkCharacter(first17) == u'X')
                withX = first17 + u'X';
        }
        QVERIFY(idnumber::isValid(withX));
        for (const QString &id : {validId("37020219800101011"), withX}) {
            const QStringList all = variants(id);
            for (int column = 0; column < 7; ++column) {
                for (qsizetype v = 0; v < all.size(); ++v)
                    QTest::addRow("%s %s variant %d", kColumns[column], qPrintable(id.right(1)), int(v))
                        << column << id << all.at(v);
            }
        }
    }
    void rosterColumnsNeverPrintIdNumbers()
    {
        QFETCH(int, column);
        QFETCH(QString, id);
        QFETCH(QString, value);
        const QStringList good = {QStringLiteral("R1"),
                                  QStringLiteral("张伟"),
                                  validId("37021319620315035"),
                                  QStringLiteral("c-experts"),
                                  QStringLiteral("main"),
                                  QStringLiteral("econ"),
                                  QString()};
        const QByteArray header = "rep_id,name,id_number,category,venue,sessions,photo\n";
        QList<QByteArray> files;
        for (const bool quoted : {true, false}) {
            QByteArray row;
            for (int c = 0; c < 7; ++c) {
                const QString field = c == column ? value : good.at(c);
                row += (quoted ? quotedField(field) : field.toUtf8()) + (c < 6 ? "," : "\n");
            }
            files << header + row;
            // The same row twice (duplicate messages), and as the header (a missing header).
            files << header + row + row;
            files << row + row;
        }
        LogCapture log;
        for (const QByteArray &csv : std::as_const(files)) {
            const auto r = parseRoster(csv, smallActivity(), QStringLiteral("roster.csv"));
            if (r.ok())
                continue;
            QVERIFY2(!leaks(r.error().message, id), qPrintable(r.error().message));
        }
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!leaks(line, id), qPrintable(line));
    }

    void specFieldsNeverPrintIdNumbers()
    {
        const QString id = validId("37020219800101011");
        const QJsonObject spec = QJsonDocument::fromJson(kSpec).object();
        QVERIFY(Activity::fromJson(kSpec, QStringLiteral("a.json")).ok());
        QStringList paths;
        QJsonValue probe(spec);
        forEachString(probe, QStringLiteral("$"), [&](QJsonValue &, const QString &p) { paths << p; });
        QVERIFY(paths.size() > 30);
        LogCapture log;
        int refused = 0;
        for (const QString &variant : variants(id)) {
            for (const QString &target : std::as_const(paths)) {
                QJsonValue v(spec);
                forEachString(v, QStringLiteral("$"), [&](QJsonValue &s, const QString &p) {
                    if (p == target)
                        s = QStringLiteral("x ") + variant;
                });
                const auto r = Activity::fromJson(QJsonDocument(v.toObject()).toJson(), QStringLiteral("a.json"));
                // A whole ID number (15 digits or more) has no place in a spec: it never gets as
                // far as a summary, a package or a ballot screen.
                if (r.ok()) {
                    QVERIFY2(longestDigitRun(variant) < 15 || target.endsWith(QLatin1String(".code")),
                             qPrintable(target + u' ' + variant));
                    continue;
                }
                ++refused;
                QVERIFY2(!leaks(r.error().message, id), qPrintable(target + u' ' + r.error().message));
            }
            // As an unknown key, a duplicated key and an unknown identity method.
            QByteArray text = QByteArray(kSpec).replace("\"tally\"", "\"" + variant.toUtf8() + "\": 1, \"tally\"");
            text.replace("\"credential\"]", "\"credential\", \"" + variant.toUtf8() + "\"]");
            text.replace("\"id\": \"mini\"",
                         "\"" + variant.toUtf8() + "\": 1, \"" + variant.toUtf8() + "\": 2, \"id\": \"mini\"");
            const auto r = Activity::fromJson(text, QStringLiteral("a.json"));
            QVERIFY(!r.ok());
            QVERIFY2(!leaks(r.error().message, id), qPrintable(r.error().message));
        }
        QVERIFY2(refused > 100, "the sweep must reach the messages that quote values");
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!leaks(line, id), qPrintable(line));
    }
};

QTEST_GUILESS_MAIN(TestRedact)
#include "test_redact.moc"
