// The office's printed matter read back from the PDF as a reader gets it (poppler-utils):
// the results report's first page is a Chinese summary with names, never codes, and local
// times; invitation cards carry the session's date, time and place, instructions in at
// least 12 pt and the check code that the hand-out list repeats.
#include "cards.h"
#include "fileio.h"
#include "hq.h"
#include "resultsreport.h"
#include "tally.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace pingyi;

namespace {

const QString examplePath = QStringLiteral(PINGYI_SOURCE_DIR "/examples/qingdao-2025/activity.json");

Activity exampleActivity()
{
    auto a = Activity::fromJson(*readFile(examplePath), QStringLiteral("activity.json"));
    if (!a)
        qFatal("example activity: %s", qPrintable(a.error().message));
    return *a;
}

/// Runs a poppler tool; empty when it fails (the caller QVERIFYs the text).
QString run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

QString pageText(const QString &pdf, int first, int last = 0)
{
    return run(QStringLiteral("pdftotext"),
               {QStringLiteral("-layout"), QStringLiteral("-f"), QString::number(first), QStringLiteral("-l"),
                QString::number(last ? last : first), pdf, QStringLiteral("-")});
}

int pageCount(const QString &pdf)
{
    const auto m = QRegularExpression(QStringLiteral("Pages:\\s+(\\d+)")).match(run(QStringLiteral("pdfinfo"), {pdf}));
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

/// Every word of a page with the height of its box in points (pdftotext -bbox).
QList<QPair<QString, double>> words(const QString &pdf, int page)
{
    const QString html = run(QStringLiteral("pdftotext"),
                             {QStringLiteral("-bbox"), QStringLiteral("-f"), QString::number(page),
                              QStringLiteral("-l"), QString::number(page), pdf, QStringLiteral("-")});
    static const QRegularExpression word(
        QStringLiteral("<word xMin=\"[\\d.]+\" yMin=\"([\\d.]+)\" xMax=\"[\\d.]+\" yMax=\"([\\d.]+)\">([^<]*)</word>"));
    QList<QPair<QString, double>> out;
    for (auto it = word.globalMatch(html); it.hasNext();) {
        const auto m = it.next();
        out.append({m.captured(3), m.captured(2).toDouble() - m.captured(1).toDouble()});
    }
    return out;
}

/// A tally of the example activity as computeTally would leave it: every group counted, the
/// internal group below the anonymity threshold (content withheld, so no departments), a
/// discipline survey with 8 of 93 saying they were instructed, one venue whose counts
/// disagree and one missing batch.
hq::TallyResults exampleResults(const Activity &a)
{
    hq::TallyResults r;
    r.activityId = a.id;
    r.activityName = a.name;
    r.year = a.year;
    r.generated = QDateTime(QDate(2025, 12, 18), QTime(6, 5), Qt::UTC);
    r.rootFingerprint = QStringLiteral("aaaa bbbb");
    r.electionFingerprint = QStringLiteral("cccc dddd");
    r.threshold = 10;
    r.scale = a.scale;
    int seed = 7;
    for (const GroupSession &g : a.sessions) {
        hq::SessionResult s;
        s.code = g.code;
        s.name = g.name;
        s.nameEn = g.nameEn;
        s.held = true;
        s.attendance = {QString(), QString(), 100, 95, 93, false};
        if (g.code == QLatin1String("internal")) {
            s.ballots = 6;
            s.belowThreshold = true;
            s.withheld = QStringLiteral("below_threshold");
            s.attendance = {QString(), QString(), 8, 6, 6, false};
        } else {
            s.ballots = 93;
            int rank = 0;
            for (const Department &d : g.departments) {
                hq::DepartmentResult dr {d.code, d.name, d.nameEn, 93, {}, 0, 0, 0};
                seed = (seed * 37 + 11) % 101;
                const qint64 top = 40 - rank * 2 + seed % 5;
                dr.counts = {top, 30, 93 - top - 30 - 3, 3};
                for (int i = 0; i < a.scale.size(); ++i)
                    dr.scoreSum += dr.counts[i] * a.scale[i].score;
                dr.satisfied = dr.counts[0] + dr.counts[1];
                ++rank;
                s.departments.append(dr);
            }
            // Ranked as the tally ranks them: by weighted score, equal scores share a rank.
            std::sort(s.departments.begin(), s.departments.end(),
                      [](const auto &x, const auto &y) { return x.scoreSum > y.scoreSum; });
            for (int i = 0; i < s.departments.size(); ++i)
                s.departments[i].rank = i > 0 && s.departments[i].scoreSum == s.departments[i - 1].scoreSum
                    ? s.departments[i - 1].rank
                    : i + 1;
            for (const Question &q : a.discipline) {
                hq::QuestionResult qr {q.code, q.text, false, 93, {}};
                for (const Choice &c : q.choices) {
                    const bool instructed = g.code == QLatin1String("econ") && q.code == QLatin1String("instructed");
                    const qint64 n = c.concern ? (instructed ? 8 : 0) : (instructed ? 85 : 93);
                    qr.choices.append({c.code, c.label, n});
                }
                s.discipline.append(qr);
            }
            s.intake.append({QStringLiteral("shibei"), 2, 40, 40, 40, 39, 0, 0, 39, 0, 0});
        }
        r.ballots += s.ballots;
        r.sessions.append(s);
    }
    r.attendance = {QString(), QString(), 308, 291, 285, false};
    hq::MissingBatch m;
    m.session = QStringLiteral("service");
    m.venue = QStringLiteral("laixi");
    m.kiosk = QStringLiteral("laixi-2");
    m.reportedBallots = 12;
    m.evidence = QStringLiteral("closing report");
    r.missing.append(m);
    return r;
}

QStringList codesOf(const Activity &a)
{
    QStringList codes;
    for (const GroupSession &g : a.sessions) {
        codes << g.code;
        for (const Department &d : g.departments)
            codes << d.code;
    }
    for (const Venue &v : a.venues)
        codes << v.code;
    for (const Question &q : a.discipline)
        codes << q.code;
    return codes;
}

} // namespace

class TestOfficePrint : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    Activity m_activity;

    /// PINGYI_PRINT_OUT=DIR keeps a copy of each PDF to look at.
    void keep(const QString &pdf)
    {
        const QString dir = qEnvironmentVariable("PINGYI_PRINT_OUT");
        if (!dir.isEmpty())
            QFile::copy(pdf, QDir(dir).filePath(QFileInfo(pdf).fileName()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_activity = exampleActivity();
        QVERIFY2(QProcess::execute(QStringLiteral("pdftotext"), {QStringLiteral("-v")}) == 0,
                 "poppler-utils (pdftotext, pdfinfo) is needed: scripts/setup installs it");
    }

    void reportFirstPageIsAChineseSummary()
    {
        const hq::TallyResults r = exampleResults(m_activity);
        const QString pdf = m_tmp.filePath(QStringLiteral("report.pdf"));
        QVERIFY(hq::renderResultsPdf(r, m_activity, pdf).ok());
        keep(pdf);
        const QString page1 = pageText(pdf, 1);
        QVERIFY2(!page1.isEmpty(), "pdftotext failed");
        for (const char *heading :
             {"评议结果报告", "一、参评情况", "二、各组综合得分排名", "三、末位部门", "四、需要关注"})
            QVERIFY2(page1.contains(QString::fromUtf8(heading)), heading);
        // The discipline survey's concern, in Chinese with the question's text.
        QVERIFY2(
            page1.contains(QStringLiteral("8/93 名代表就“是否有人要求或暗示您如何评议？”回答“是，有人要求或暗示过”")),
            qPrintable(page1));
        // The missing batch and the disagreeing venue, by name.
        QVERIFY(page1.contains(QStringLiteral("莱西市政务服务组")));
        QVERIFY(page1.contains(QStringLiteral("已投票代表 40 人，计入有效票 39 张")));
        // Local time (China Standard Time), not UTC.
        QVERIFY(page1.contains(QStringLiteral("2025年12月18日 14:05（北京时间）")));
        QVERIFY(!page1.contains(QStringLiteral("UTC")));
        QVERIFY(!page1.contains(QStringLiteral("06:05")));
        // Names, never codes: no Latin letter at all on the first page.
        for (const QString &code : codesOf(m_activity))
            QVERIFY2(!page1.contains(code), qPrintable(code));
        QVERIFY(!page1.contains(QStringLiteral("instructed")));
        // (U盘, the everyday word for a USB drive, is the one Latin letter allowed.)
        const auto latin
            = QRegularExpression(QStringLiteral("[A-Za-z]+")).match(QString(page1).remove(QStringLiteral("U盘")));
        QVERIFY2(!latin.hasMatch(), qPrintable(latin.captured()));
        // The internal group counts its three departments although its scores are withheld.
        const auto internalRow = QRegularExpression(QStringLiteral("内部述职组\\s+(\\d+)\\s+(\\d+)")).match(page1);
        QVERIFY2(internalRow.hasMatch(), qPrintable(page1));
        QCOMPARE(internalRow.captured(1), QStringLiteral("3"));
        QCOMPARE(internalRow.captured(2), QStringLiteral("8"));
        QVERIFY(page1.contains(QStringLiteral("有效票少于 10 张，不公布得分")));
        // Every group's last departments (ties included) are named, with 末位 on their bars.
        int lastBars = 0;
        for (const hq::SessionResult &s : r.sessions) {
            if (s.departments.isEmpty())
                continue;
            QVERIFY(page1.contains(s.name + QStringLiteral("：")));
            for (const hq::DepartmentResult &d : s.departments)
                if (d.rank == s.departments.last().rank) {
                    ++lastBars;
                    QVERIFY2(page1.contains(d.name + QStringLiteral("（综合得分")), qPrintable(d.name));
                }
        }
        QVERIFY(lastBars >= 3);
        QCOMPARE(page1.count(QStringLiteral("末位")), lastBars + 3); // the bars, twice in the legend, the heading
        // The audit tables come after the results, in the appendix.
        const int pages = pageCount(pdf);
        QVERIFY(pages > 3);
        const QString last = pageText(pdf, pages - 1, pages);
        QVERIFY(last.contains(QStringLiteral("附录 核查与审计"))
                || pageText(pdf, 2, pages).contains(QStringLiteral("附录")));
        const QString results = pageText(pdf, 2, 2);
        QVERIFY(!results.contains(QStringLiteral("附录")));
    }

    void cardsCarryWhenWhereAndCheckCode()
    {
        QList<hq::Card> cards;
        for (int i = 1; i <= 6; ++i) {
            const QString rep = QStringLiteral("R%1").arg(i, 5, 10, QLatin1Char('0'));
            cards.append({rep,
                          QStringLiteral("张*伟"),
                          QStringLiteral("shinan"),
                          {QStringLiteral("econ")},
                          QStringLiteral("PYC1.test-credential-") + rep,
                          hq::cardCheckCode(m_activity.id, rep)});
        }
        const QString pdf = m_tmp.filePath(QStringLiteral("cards.pdf"));
        QVERIFY(hq::renderCardsPdf(cards, m_activity, pdf).ok());
        keep(pdf);
        QCOMPARE(pageCount(pdf), 2); // four A6 cards per A4 page
        const QString text = pageText(pdf, 1);
        QCOMPARE(text.count(QStringLiteral("2025年12月16日（星期二）")), 4);
        QCOMPARE(text.count(QStringLiteral("09:00–11:30")), 4);
        QCOMPARE(text.count(QStringLiteral("示例地址：市南区社区会场")), 4);
        QCOMPARE(text.count(QStringLiteral("经济建设组")), 4);
        for (int i = 0; i < 4; ++i)
            QVERIFY2(text.contains(cards[i].checkCode), qPrintable(cards[i].checkCode));

        // Type sizes as printed: the instructions at least 12 pt, the date larger still. A word
        // box is the font's ascent plus descent tall: 1.17 em for WenQuanYi Micro Hei (9.12 pt
        // measures 10.69, 16.08 pt 18.85; sizes are whole pixels at 300 dpi), so the size is the height / 1.17.
        constexpr double em = 1.17;
        double instructions = 1e9, date = 0;
        for (const auto &[w, height] : words(pdf, 1)) {
            if (w.contains(QStringLiteral("请携带")) || w.contains(QStringLiteral("仅限本人")))
                instructions = std::min(instructions, height);
            if (w.contains(QStringLiteral("星期二")))
                date = std::max(date, height);
        }
        QVERIFY2(instructions < 1e9, "instructions not found");
        QVERIFY2(instructions / em >= 11.95, qPrintable(QString::number(instructions / em)));
        QVERIFY2(date / em >= hq::CardType::schedule - 0.05, qPrintable(QString::number(date / em)));
        QVERIFY(date > instructions);
    }

    void handOutListRepeatsTheCheckCodes()
    {
        QList<hq::Card> cards;
        for (int i = 1; i <= 40; ++i) {
            const QString rep = QStringLiteral("R%1").arg(i, 5, 10, QLatin1Char('0'));
            cards.append({rep,
                          QStringLiteral("李*"),
                          i <= 35 ? QStringLiteral("shinan") : QStringLiteral("shibei"),
                          {QStringLiteral("econ")},
                          QString(),
                          hq::cardCheckCode(m_activity.id, rep)});
        }
        const QString pdf = m_tmp.filePath(QStringLiteral("cards-list.pdf"));
        QVERIFY(hq::renderCardListPdf(cards, m_activity, pdf).ok());
        keep(pdf);
        QCOMPARE(QFileInfo(pdf).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        const int pages = pageCount(pdf);
        QVERIFY(pages >= 2); // a new page for the second venue
        const QString all = pageText(pdf, 1, pages);
        QVERIFY(all.contains(QStringLiteral("发卡清单 · 市南区")));
        QVERIFY(all.contains(QStringLiteral("发卡清单 · 市北区")));
        for (const hq::Card &c : cards) {
            const auto line = QRegularExpression(QStringLiteral("%1\\s+李\\*\\s+%2\\s+经济建设组 12月16日 09:00")
                                                     .arg(c.repId, QRegularExpression::escape(c.checkCode)))
                                  .match(all);
            QVERIFY2(line.hasMatch(), qPrintable(c.repId + u' ' + c.checkCode));
        }
    }

    void checkCodeIsStableAndSpread()
    {
        // The test vector of docs/formats.md §Invitation cards.
        QCOMPARE(hq::cardCheckCode(QStringLiteral("qingdao-2025"), QStringLiteral("R00001")), QStringLiteral("水 90"));
        QCOMPARE(hq::cardCheckCode(QStringLiteral("qingdao-2025"), QStringLiteral("R00042")), QStringLiteral("金 32"));
        const QRegularExpression shape(QStringLiteral("^[山水火木金土日月星云风雨花草竹松江河海田] \\d\\d$"));
        QSet<QString> seen;
        int sameAsNeighbour = 0;
        QString previous;
        for (int i = 1; i <= 500; ++i) {
            const QString code = hq::cardCheckCode(QStringLiteral("qingdao-2025"),
                                                   QStringLiteral("R%1").arg(i, 5, 10, QLatin1Char('0')));
            QVERIFY2(shape.match(code).hasMatch(), qPrintable(code));
            sameAsNeighbour += code == previous ? 1 : 0;
            previous = code;
            seen.insert(code);
        }
        QVERIFY(seen.size() > 400); // 2000 values: few repeats among 500 cards
        QVERIFY(sameAsNeighbour <= 2);
        // Bound to the activity: another year's cards get other codes.
        int differ = 0;
        for (int i = 1; i <= 50; ++i) {
            const QString rep = QStringLiteral("R%1").arg(i, 5, 10, QLatin1Char('0'));
            differ += hq::cardCheckCode(QStringLiteral("qingdao-2025"), rep)
                    != hq::cardCheckCode(QStringLiteral("qingdao-2026"), rep)
                ? 1
                : 0;
        }
        QVERIFY(differ > 40);
    }

    void specTimeZoneAndConcern()
    {
        QJsonObject o = QJsonDocument::fromJson(*readFile(examplePath)).object();
        QCOMPARE(m_activity.timeZone, QStringLiteral("Asia/Shanghai")); // the default
        o.insert(QStringLiteral("time_zone"), QStringLiteral("Asia/Urumqi"));
        auto a = Activity::fromJson(QJsonDocument(o).toJson(), QStringLiteral("a.json"));
        QVERIFY(a.ok());
        QCOMPARE(a->timeZone, QStringLiteral("Asia/Urumqi"));
        o.insert(QStringLiteral("time_zone"), QStringLiteral("Beijing"));
        a = Activity::fromJson(QJsonDocument(o).toJson(), QStringLiteral("a.json"));
        QVERIFY(!a.ok());
        QVERIFY2(a.error().message.contains(QStringLiteral("time_zone: \"Beijing\" is not a time zone")),
                 qPrintable(a.error().message));
        // Which discipline answers are a concern comes from the spec.
        QVERIFY(m_activity.discipline[0].choices[0].concern);
        QVERIFY(!m_activity.discipline[0].choices[1].concern);
        QVERIFY(m_activity.discipline[3].choices[0].concern); // "rules not explained" is the "no"
    }
};

QTEST_MAIN(TestOfficePrint)
#include "test_office_print.moc"
