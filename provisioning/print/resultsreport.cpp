#include "resultsreport.h"

#include "fileio.h"

#include <QBuffer>
#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QJsonObject>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTimeZone>

#include <algorithm>
#include <functional>
#include <numeric>

namespace pingyi::hq {

namespace {

constexpr double pageWidthMm = 210.0;
constexpr double pageHeightMm = 297.0;
constexpr double marginMm = 15.0;
constexpr double topMm = 16.0;
constexpr double bottomMm = 282.0;
constexpr double contentMm = pageWidthMm - 2 * marginMm;
constexpr int dpi = 300;

const QColor ink(0x21, 0x21, 0x21);
const QColor muted(0x61, 0x61, 0x61);
const QColor rule(0xbd, 0xbd, 0xbd);
const QColor band(0xb7, 0x1c, 0x1c);
const QColor zebra(0xf5, 0xf5, 0xf5);
const QColor warn(0xe6, 0x51, 0x00);

QString fixed(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}
QString percent(double v)
{
    return QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}

/// Colours for the rating options, best (blue) through a light grey to worst (orange): a
/// diverging palette that readers with red-green colour blindness tell apart too; the worse
/// half is also hatched (hatched()) and every segment carries its count, so nothing is told
/// by colour alone.
QColor optionColor(int i, int n)
{
    const QColor best(0x21, 0x66, 0xac), middle(0xe8, 0xe8, 0xe8), worst(0xd9, 0x5f, 0x02);
    if (n <= 1)
        return best;
    const double t = double(i) / double(n - 1);
    const auto mix = [](const QColor &a, const QColor &b, double f) {
        return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                                float(a.greenF() + (b.greenF() - a.greenF()) * f),
                                float(a.blueF() + (b.blueF() - a.blueF()) * f));
    };
    return t <= 0.5 ? mix(best, middle, t * 2) : mix(middle, worst, t * 2 - 1);
}
bool hatched(int i, int n)
{
    return n > 1 && double(i) / double(n - 1) > 0.5;
}
/// Black or white, whichever reads better on `c`.
QColor textOn(const QColor &c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF() < 0.5 ? Qt::white : QColor(0x21, 0x21, 0x21);
}

// The bar colours of the summary's ranking chart: every department blue, the group's last
// orange and hatched, and labelled 末位 in words too.
const QColor barColor(0x21, 0x66, 0xac);
const QColor lastColor(0xd9, 0x5f, 0x02);

struct Column {
    QString title;
    double width; ///< mm
    Qt::Alignment align = Qt::AlignLeft;
};

/// A cursor over A4 pages: text, tables and charts in millimetres, page breaks and
/// footers handled here.
class Layout {
public:
    Layout(QPdfWriter &writer, QPainter &painter, QString footer)
        : m_writer(writer), m_p(painter), m_footer(std::move(footer))
    {
        drawFooter();
    }

    double mm(double v) const { return v * dpi / 25.4; }
    double y() const { return m_y; }
    void space(double h) { m_y += h; }
    QPainter &painter() { return m_p; }
    int page() const { return m_page; }

    /// Diagonal lines over a filled box (mm), for the segments that must not be told by colour.
    void hatch(const QRectF &boxMm, const QColor &fill)
    {
        m_p.save();
        const QRectF box(mm(boxMm.x()), mm(boxMm.y()), mm(boxMm.width()), mm(boxMm.height()));
        m_p.setClipRect(box);
        m_p.setPen(QPen(fill.darker(175), mm(0.25)));
        for (double x = boxMm.x() - boxMm.height(); x < boxMm.right(); x += 1.4)
            m_p.drawLine(QPointF(mm(x), box.bottom()), QPointF(mm(x + boxMm.height()), box.top()));
        m_p.restore();
    }

    /// Height in mm that text() would use for `s`.
    double measure(const QString &s, double pt, bool bold = false, double indent = 0) const
    {
        const QRectF box(0, 0, mm(contentMm - indent), mm(400));
        return QFontMetricsF(font(pt, bold)).boundingRect(box, Qt::TextWordWrap | Qt::AlignLeft, s).height() / mm(1)
            + 1.2;
    }

    void newPage()
    {
        m_writer.newPage();
        ++m_page;
        m_y = topMm;
        drawFooter();
    }
    void need(double h)
    {
        if (m_y + h > bottomMm)
            newPage();
    }

    QFont font(double pt, bool bold = false) const
    {
        QFont f(QStringLiteral("WenQuanYi Micro Hei"));
        f.setPixelSize(std::max(1, int(pt * dpi / 72.0)));
        f.setBold(bold);
        return f;
    }

    /// Wrapped text across the content width; returns its height in mm.
    double text(const QString &s, double pt, const QColor &color = ink, bool bold = false, double indent = 0)
    {
        m_p.setFont(font(pt, bold));
        const QRectF box(mm(marginMm + indent), 0, mm(contentMm - indent), mm(400));
        const QRectF need = m_p.boundingRect(box, Qt::TextWordWrap | Qt::AlignLeft, s);
        const double h = need.height() / mm(1) + 1.2;
        this->need(h);
        m_p.setPen(color);
        m_p.drawText(QRectF(box.x(), mm(m_y), box.width(), need.height()), Qt::TextWordWrap | Qt::AlignLeft, s);
        m_y += h;
        return h;
    }

    void heading(const QString &s, int level = 1)
    {
        const double pt = level == 0 ? 20 : level == 1 ? 15 : 11.5;
        need(level == 1 ? 40 : 36); // keep a heading with the start of what follows it
        if (level == 1) {
            m_p.fillRect(QRectF(mm(marginMm), mm(m_y), mm(1.6), mm(7.5)), band);
            m_p.setFont(font(pt, true));
            m_p.setPen(ink);
            m_p.drawText(QRectF(mm(marginMm + 3.5), mm(m_y - 0.5), mm(contentMm - 3.5), mm(9)),
                         Qt::AlignLeft | Qt::AlignVCenter, s);
            m_y += 11;
        } else {
            m_y += 2;
            text(s, pt, ink, true);
            m_y += 0.8;
        }
    }

    /// A table; repeats its header after a page break.
    void table(const QList<Column> &cols, const QList<QStringList> &rows, double pt = 8,
               const std::function<QColor(int row, int col)> &cellColor = {})
    {
        const double rowH = pt * 0.62 + 2.4;
        auto header = [&] {
            double x = marginMm;
            m_p.fillRect(QRectF(mm(marginMm), mm(m_y), mm(totalWidth(cols)), mm(rowH)), QColor(0xee, 0xee, 0xee));
            m_p.setFont(font(pt, true));
            m_p.setPen(ink);
            for (const Column &c : cols) {
                m_p.drawText(QRectF(mm(x + 1), mm(m_y), mm(c.width - 2), mm(rowH)), c.align | Qt::AlignVCenter,
                             elide(c.title, c.width - 2, pt, true));
                x += c.width;
            }
            m_y += rowH;
        };
        need(rowH * std::min<qsizetype>(rows.size() + 1, 4));
        header();
        for (int r = 0; r < rows.size(); ++r) {
            if (m_y + rowH > bottomMm) {
                newPage();
                header();
            }
            if (r % 2 == 1)
                m_p.fillRect(QRectF(mm(marginMm), mm(m_y), mm(totalWidth(cols)), mm(rowH)), zebra);
            double x = marginMm;
            m_p.setFont(font(pt));
            for (int c = 0; c < cols.size(); ++c) {
                m_p.setPen(cellColor ? cellColor(r, c) : ink);
                m_p.drawText(QRectF(mm(x + 1), mm(m_y), mm(cols[c].width - 2), mm(rowH)),
                             cols[c].align | Qt::AlignVCenter, elide(rows[r].value(c), cols[c].width - 2, pt, false));
                x += cols[c].width;
            }
            m_y += rowH;
        }
        m_p.setPen(QPen(rule, mm(0.2)));
        m_p.drawLine(QPointF(mm(marginMm), mm(m_y)), QPointF(mm(marginMm + totalWidth(cols)), mm(m_y)));
        m_y += 3;
    }

    /// Horizontal stacked bars: one row per item, each segment a share of the item's total.
    struct Bar {
        QString label;
        QList<qint64> parts;
        QString value; ///< printed right of the bar
    };
    void stackedBars(const QList<Bar> &bars, const QStringList &legend, double labelMm = 62, double valueMm = 16)
    {
        const double rowH = 6.0;
        const double barMm = contentMm - labelMm - valueMm - 2;
        const double x0 = marginMm + labelMm;
        const int n = int(legend.size());
        // Legend.
        need(10 + rowH * std::min<qsizetype>(bars.size(), 5));
        m_p.setFont(font(7.5));
        double lx = x0;
        for (int i = 0; i < n; ++i) {
            m_p.fillRect(QRectF(mm(lx), mm(m_y + 1), mm(3), mm(3)), optionColor(i, n));
            if (hatched(i, n))
                hatch(QRectF(lx, m_y + 1, 3, 3), optionColor(i, n));
            m_p.setPen(ink);
            const double w = QFontMetricsF(font(7.5)).horizontalAdvance(legend[i]) / mm(1) + 7;
            m_p.drawText(QRectF(mm(lx + 4), mm(m_y), mm(w), mm(5)), Qt::AlignLeft | Qt::AlignVCenter, legend[i]);
            lx += w;
        }
        m_y += 7;
        auto axis = [&](double top, double bottom) {
            m_p.setFont(font(6.5));
            for (int t = 0; t <= 4; ++t) {
                const double x = x0 + barMm * t / 4.0;
                m_p.setPen(QPen(rule, mm(0.15), t == 0 ? Qt::SolidLine : Qt::DotLine));
                m_p.drawLine(QPointF(mm(x), mm(top)), QPointF(mm(x), mm(bottom)));
                m_p.setPen(muted);
                m_p.drawText(QRectF(mm(x - 6), mm(bottom + 0.3), mm(12), mm(3.5)), Qt::AlignCenter,
                             QStringLiteral("%1%").arg(t * 25));
            }
        };
        double top = m_y;
        for (const Bar &b : bars) {
            if (m_y + rowH + 5 > bottomMm) {
                axis(top, m_y);
                newPage();
                top = m_y;
            }
            m_p.setFont(font(8));
            m_p.setPen(ink);
            m_p.drawText(QRectF(mm(marginMm), mm(m_y), mm(labelMm - 2), mm(rowH)), Qt::AlignRight | Qt::AlignVCenter,
                         elide(b.label, labelMm - 2, 8, false));
            qint64 total = 0;
            for (qint64 v : b.parts)
                total += v;
            double x = x0;
            for (int i = 0; i < b.parts.size(); ++i) {
                if (total <= 0)
                    break;
                const double w = barMm * double(b.parts[i]) / double(total);
                m_p.fillRect(QRectF(mm(x), mm(m_y + 1), mm(w), mm(rowH - 2)), optionColor(i, n));
                if (hatched(i, n))
                    hatch(QRectF(x, m_y + 1, w, rowH - 2), optionColor(i, n));
                if (w > 7) {
                    m_p.setFont(font(6.5, true));
                    m_p.setPen(textOn(optionColor(i, n)));
                    m_p.drawText(QRectF(mm(x), mm(m_y + 1), mm(w), mm(rowH - 2)), Qt::AlignCenter,
                                 QString::number(b.parts[i]));
                }
                x += w;
            }
            m_p.setFont(font(8, true));
            m_p.setPen(ink);
            m_p.drawText(QRectF(mm(x0 + barMm + 2), mm(m_y), mm(valueMm), mm(rowH)), Qt::AlignLeft | Qt::AlignVCenter,
                         b.value);
            m_y += rowH;
        }
        axis(top, m_y);
        m_y += 6;
    }

    /// Simple bars of counts against a maximum, labelled with count and share.
    void simpleBars(const QList<QPair<QString, qint64>> &items, qint64 base, double labelMm = 48)
    {
        const double rowH = 5.0;
        const double valueMm = 26;
        const double barMm = contentMm - labelMm - valueMm - 2;
        qint64 max = 1;
        for (const auto &i : items)
            max = std::max(max, i.second);
        need(rowH * std::min<qsizetype>(items.size(), 4));
        for (const auto &[label, count] : items) {
            need(rowH);
            m_p.setFont(font(7.5));
            m_p.setPen(ink);
            m_p.drawText(QRectF(mm(marginMm), mm(m_y), mm(labelMm - 2), mm(rowH)), Qt::AlignRight | Qt::AlignVCenter,
                         elide(label, labelMm - 2, 7.5, false));
            const double w = barMm * double(count) / double(max);
            m_p.fillRect(QRectF(mm(marginMm + labelMm), mm(m_y + 0.8), mm(w), mm(rowH - 1.6)),
                         QColor(0x1e, 0x88, 0xe5));
            m_p.drawText(QRectF(mm(marginMm + labelMm + w + 1.5), mm(m_y), mm(valueMm + barMm - w), mm(rowH)),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("%1  (%2)").arg(count).arg(percent(base ? double(count) / double(base) : 0.0)));
            m_y += rowH;
        }
        m_y += 3;
    }

private:
    static double totalWidth(const QList<Column> &cols)
    {
        double w = 0;
        for (const Column &c : cols)
            w += c.width;
        return w;
    }
    QString elide(const QString &s, double widthMm, double pt, bool bold) const
    {
        return QFontMetricsF(font(pt, bold)).elidedText(s, Qt::ElideRight, mm(widthMm));
    }
    void drawFooter()
    {
        m_p.save();
        m_p.setFont(font(7));
        m_p.setPen(muted);
        m_p.setPen(QPen(rule, mm(0.2)));
        m_p.drawLine(QPointF(mm(marginMm), mm(bottomMm + 4)), QPointF(mm(pageWidthMm - marginMm), mm(bottomMm + 4)));
        m_p.setPen(muted);
        m_p.drawText(QRectF(mm(marginMm), mm(bottomMm + 5), mm(contentMm - 25), mm(5)),
                     Qt::AlignLeft | Qt::AlignVCenter, m_footer);
        m_p.drawText(QRectF(mm(pageWidthMm - marginMm - 25), mm(bottomMm + 5), mm(25), mm(5)),
                     Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("第 %1 页").arg(m_page));
        m_p.restore();
    }

    QPdfWriter &m_writer;
    QPainter &m_p;
    QString m_footer;
    double m_y = topMm;
    int m_page = 1;
};

QString venueName(const Activity &a, const QString &code)
{
    const Venue *v = a.venue(code);
    return v ? v->name : code;
}

QString groupName(const Activity &a, const VenueGroup &g)
{
    if (!g.merged)
        return venueName(a, g.venues.value(0));
    return QStringLiteral("其他会场(%1个)").arg(g.venues.size());
}

QStringList scaleLegend(const TallyResults &r)
{
    QStringList legend;
    for (const RatingOption &o : r.scale)
        legend << QStringLiteral("%1 %2分").arg(o.label).arg(o.score);
    return legend;
}

/// The activity's time in words, e.g. "2025年12月18日 14:05（北京时间）".
QString localTime(const QDateTime &utc, const Activity &a)
{
    const QTimeZone zone(a.timeZone.toUtf8());
    const QDateTime t = zone.isValid() ? utc.toTimeZone(zone) : utc.toUTC();
    const QString name = !zone.isValid()               ? QStringLiteral("UTC")
        : a.timeZone == QLatin1String("Asia/Shanghai") ? QStringLiteral("北京时间")
                                                       : a.timeZone;
    return QStringLiteral("%1（%2）").arg(t.toString(QStringLiteral("yyyy年M月d日 HH:mm")), name);
}

int departmentCount(const Activity &a, const QString &session)
{
    const GroupSession *g = a.session(session);
    return g ? int(g->departments.size()) : 0;
}

QString sessionName(const Activity &a, const QString &code)
{
    const GroupSession *g = a.session(code);
    return g ? g->name : code;
}

/// The lowest-ranked departments of a group whose ratings are shown (several when tied).
QList<DepartmentResult> lastRanked(const SessionResult &s)
{
    QList<DepartmentResult> out;
    if (s.departments.size() < 2)
        return out;
    int worst = 0;
    for (const DepartmentResult &d : s.departments)
        worst = std::max(worst, d.rank);
    for (const DepartmentResult &d : s.departments)
        if (d.rank == worst)
            out.append(d);
    return out;
}

/// What needs the office's attention, in Chinese with names (never codes): the discipline
/// survey's answers marked "concern" in the spec, then the checks of attention() in words for
/// the page a reader sees first. Kiosk ids and technical detail stay in the appendix.
QStringList chineseWarnings(const TallyResults &r, const Activity &a)
{
    QStringList out;
    QMap<QString, int> missingPerVenue;
    for (const MissingBatch &m : r.missing) {
        if (m.kiosk.isEmpty())
            out << QStringLiteral("%1%2：有受邀代表，但未导入该会场的任何数据，请导入其评议终端的数据。")
                       .arg(venueName(a, m.venue), sessionName(a, m.session));
        else if (m.retired)
            out << QStringLiteral("%1%2：一台已报废终端的数据缺失，按遗失处理。")
                       .arg(venueName(a, m.venue), sessionName(a, m.session));
        else
            out << QStringLiteral("%1%2：一台评议终端的数据尚未导入%3，请找到该终端的U盘并导入。")
                       .arg(venueName(a, m.venue), sessionName(a, m.session),
                            m.reportedBallots >= 0
                                ? QStringLiteral("（其关闭报告记有 %1 张选票）").arg(m.reportedBallots)
                                : QString());
    }
    if (!r.incomplete.isEmpty())
        out << QStringLiteral("本结果缺少已报废终端的选票，办公室已确认发布，理由：%1").arg(r.incomplete);
    if (r.provisional)
        out << QStringLiteral("临时统计：尚有数据未导入，只公布票数与到位率，不公布得分与排名。");

    // The discipline survey: "8/93 名代表就“是否有人要求或暗示您如何评议？”回答“是”".
    bool anyConcern = false, anyMarked = false;
    for (const SessionResult &s : r.sessions) {
        for (const QuestionResult &q : s.discipline) {
            const auto question = std::find_if(a.discipline.cbegin(), a.discipline.cend(),
                                               [&](const Question &x) { return x.code == q.code; });
            if (question == a.discipline.cend())
                continue;
            for (const ChoiceCount &c : q.choices) {
                const auto choice = std::find_if(question->choices.cbegin(), question->choices.cend(),
                                                 [&](const Choice &x) { return x.code == c.code; });
                if (choice == question->choices.cend() || !choice->concern)
                    continue;
                anyMarked = true;
                if (c.count <= 0)
                    continue;
                anyConcern = true;
                out << QStringLiteral("%1：%2/%3 名代表就“%4”回答“%5”。")
                           .arg(s.name)
                           .arg(c.count)
                           .arg(q.answered)
                           .arg(question->text, choice->label);
            }
        }
    }
    for (const SessionResult &s : r.sessions) {
        if (s.belowThreshold)
            out << QStringLiteral("%1：有效票 %2 张，少于匿名阈值 %3 张，只公布票数。")
                       .arg(s.name)
                       .arg(s.ballots)
                       .arg(r.threshold);
        for (const IntakeRow &x : s.intake)
            if (x.votedCheckins != x.valid && x.batches > 0)
                out << QStringLiteral("%1%2：已投票代表 %3 人，计入有效票 %4 张，两者不一致。")
                           .arg(venueName(a, x.venue), s.name)
                           .arg(x.votedCheckins)
                           .arg(x.valid);
    }
    if (!r.duplicates.isEmpty()) {
        int votes = 0;
        for (const DuplicateCheckin &d : r.duplicates)
            votes += std::max(0, d.votes() - 1);
        out << QStringLiteral("%1 名代表在多台终端签到，可能多投 %2 票（名单见附录所列文件）。")
                   .arg(r.duplicates.size())
                   .arg(votes);
    }
    if (!r.unexpected.isEmpty())
        out << QStringLiteral("%1 次签到的代表不属于该评议组或该会场。").arg(r.unexpected.size());
    if (!r.quarantined.isEmpty())
        out << QStringLiteral("导入时隔离 %1 条记录，不计入结果。").arg(r.quarantined.size());
    if (!r.rejected.isEmpty())
        out << QStringLiteral("计票时有 %1 条记录无法计入。").arg(r.rejected.size());
    for (const RetiredKioskRef &k : r.retired)
        out << QStringLiteral("%1有一台终端已报废：%2").arg(venueName(a, k.venue), k.reason);
    if (!r.silentKiosks.isEmpty()) {
        QStringList venues;
        for (const BatchRef &k : r.silentKiosks)
            if (!venues.contains(venueName(a, k.venue)))
                venues << venueName(a, k.venue);
        out << QStringLiteral("%1 台备用终端未见使用（%2）；如曾使用，请补交其开场或关闭报告。")
                   .arg(r.silentKiosks.size())
                   .arg(venues.join(QStringLiteral("、")));
    }
    if (!r.provisional && anyMarked && !anyConcern && r.ballots > 0)
        out.prepend(QStringLiteral("活动纪律调查：没有代表反映有人指示投票、赠送礼品等违纪情况。"));
    else if (!r.provisional && !anyMarked && r.ballots > 0)
        out << QStringLiteral("活动规范未标明纪律调查中需要关注的回答，纪律调查结果见各组页面。");
    return out;
}

/// The ranking of every department across all groups in two columns: one bar per
/// department with its weighted score written on it, each group's last orange, hatched and
/// labelled 末位. Row height shrinks to fit `heightMm`, within what stays readable.
void rankingChart(Layout &l, const TallyResults &r, double heightMm)
{
    struct Item {
        QString label;
        QString value;
        double share = 0; ///< bar length, 0..1
        bool last = false;
        bool header = false;
    };
    QList<Item> items;
    int maxScore = 0;
    for (const RatingOption &o : r.scale)
        maxScore = std::max(maxScore, o.score);
    for (const SessionResult &s : r.sessions) {
        items.append({s.name, {}, 0, false, true});
        if (!s.withheld.isEmpty() || !s.held) {
            const QString why = !s.held ? QStringLiteral("未导入数据")
                : s.belowThreshold      ? QStringLiteral("有效票少于 %1 张，不公布得分").arg(r.threshold)
                                        : QStringLiteral("临时统计，暂不公布得分");
            items.append({why, {}, 0, false, false});
            continue;
        }
        const int decimals = scoreDecimals(s.departments);
        const QList<DepartmentResult> last = lastRanked(s);
        for (const DepartmentResult &d : s.departments) {
            const bool isLast
                = std::any_of(last.cbegin(), last.cend(), [&](const auto &x) { return x.code == d.code; });
            items.append({QStringLiteral("%1. %2").arg(d.rank).arg(d.name), fixed(d.weightedScore(), decimals),
                          maxScore > 0 ? std::clamp(d.weightedScore() / maxScore, 0.0, 1.0) : 0.0, isLast, false});
        }
    }
    const qsizetype perColumn = (items.size() + 1) / 2;
    const double rowH = std::clamp(heightMm / double(std::max<qsizetype>(perColumn, 1)), 3.8, 6.0);
    const double pt = std::min(9.0, rowH * 1.9);
    const double colW = (contentMm - 6) / 2;
    const double labelW = colW * 0.42;
    const double valueW = 19;
    const double barW = colW - labelW - valueW - 1;
    QPainter &p = l.painter();

    // Legend first: what blue, orange and the hatching mean, in words.
    l.need(8 + rowH * 4);
    const double ly = l.y();
    p.fillRect(QRectF(l.mm(marginMm), l.mm(ly + 0.8), l.mm(6), l.mm(3.2)), barColor);
    p.fillRect(QRectF(l.mm(marginMm + 58), l.mm(ly + 0.8), l.mm(6), l.mm(3.2)), lastColor);
    l.hatch(QRectF(marginMm + 58, ly + 0.8, 6, 3.2), lastColor);
    p.setFont(l.font(8.5));
    p.setPen(ink);
    p.drawText(QRectF(l.mm(marginMm + 7.5), l.mm(ly), l.mm(50), l.mm(4.8)), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("综合得分（满分 %1，条上为得分）").arg(maxScore));
    p.drawText(QRectF(l.mm(marginMm + 65.5), l.mm(ly), l.mm(60), l.mm(4.8)), Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("本组末位（斜纹，标“末位”）"));
    l.space(6.5);

    const double top = l.y();
    double bottom = top;
    for (int column = 0; column < 2; ++column) {
        const double x0 = marginMm + column * (colW + 6);
        double y = top;
        for (qsizetype i = column * perColumn; i < std::min(items.size(), (column + 1) * perColumn); ++i) {
            const Item &it = items[i];
            if (it.header) {
                p.setFont(l.font(pt, true));
                p.setPen(ink);
                p.drawText(QRectF(l.mm(x0), l.mm(y), l.mm(colW), l.mm(rowH)), Qt::AlignLeft | Qt::AlignBottom,
                           it.label);
                p.setPen(QPen(rule, l.mm(0.2)));
                p.drawLine(QPointF(l.mm(x0), l.mm(y + rowH)), QPointF(l.mm(x0 + colW), l.mm(y + rowH)));
                y += rowH;
                continue;
            }
            p.setFont(l.font(pt, it.last));
            p.setPen(it.value.isEmpty() ? muted : ink);
            const QString label = QFontMetricsF(p.font()).elidedText(it.label, Qt::ElideRight, l.mm(labelW - 1.5));
            p.drawText(QRectF(l.mm(x0), l.mm(y), l.mm(it.value.isEmpty() ? colW : labelW - 1.5), l.mm(rowH)),
                       (it.value.isEmpty() ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter,
                       it.value.isEmpty() ? it.label : label);
            if (!it.value.isEmpty()) {
                const QRectF bar(x0 + labelW, y + rowH * 0.14, barW * it.share, rowH * 0.72);
                const QColor fill = it.last ? lastColor : barColor;
                p.fillRect(QRectF(l.mm(bar.x()), l.mm(bar.y()), l.mm(bar.width()), l.mm(bar.height())), fill);
                if (it.last)
                    l.hatch(bar, fill);
                // The value on the bar (white on blue; on the hatched bar, right of it).
                p.setFont(l.font(pt * 0.92, true));
                if (!it.last && bar.width() > 14) {
                    p.setPen(Qt::white);
                    p.drawText(QRectF(l.mm(bar.x()), l.mm(y), l.mm(bar.width() - 1), l.mm(rowH)),
                               Qt::AlignRight | Qt::AlignVCenter, it.value);
                    p.setPen(ink);
                } else {
                    p.setPen(ink);
                    p.drawText(QRectF(l.mm(bar.right() + 1), l.mm(y), l.mm(valueW), l.mm(rowH)),
                               Qt::AlignLeft | Qt::AlignVCenter,
                               it.last ? it.value + QStringLiteral(" 末位") : it.value);
                }
            }
            y += rowH;
        }
        bottom = std::max(bottom, y);
    }
    l.space(bottom - top + 3);
}

/// Page 1: what an official needs, in Chinese and on one page: attendance per group, the
/// ranking across all groups, the last-ranked departments and what needs attention.
void summaryPage(Layout &l, const TallyResults &r, const Activity &a)
{
    l.text(r.activityName, 17, ink, true);
    l.text(QStringLiteral("评议结果报告 · 摘要"), 13, band, true);
    l.text(QStringLiteral("生成时间：%1    详细结果见第 2 页起，核查表见附录").arg(localTime(r.generated, a)), 9,
           muted);
    if (r.provisional)
        l.text(QStringLiteral("临时统计：尚有数据未导入，本报告只公布票数与到位率。"), 10, warn, true);
    l.space(1.5);

    l.heading(QStringLiteral("一、参评情况"), 2);
    QList<QStringList> rows;
    for (const SessionResult &s : r.sessions) {
        const QString departments = QString::number(departmentCount(a, s.code));
        if (!s.held) {
            rows.append({s.name, departments, QString::number(s.attendance.invited), QStringLiteral("—"),
                         QStringLiteral("—"), QStringLiteral("未导入")});
            continue;
        }
        rows.append({s.name, departments, QString::number(s.attendance.invited), QString::number(s.attendance.voted),
                     percent(s.attendance.rate()), QString::number(s.ballots)});
    }
    rows.append(
        {QStringLiteral("合计"),
         QString::number(std::accumulate(a.sessions.cbegin(), a.sessions.cend(), 0,
                                         [](int n, const GroupSession &g) { return n + int(g.departments.size()); })),
         QString::number(r.attendance.invited), QString::number(r.attendance.voted), percent(r.attendance.rate()),
         QString::number(r.ballots)});
    l.table({{QStringLiteral("评议组"), 50},
             {QStringLiteral("评议部门"), 22, Qt::AlignRight},
             {QStringLiteral("应到（受邀）"), 28, Qt::AlignRight},
             {QStringLiteral("已投票"), 26, Qt::AlignRight},
             {QStringLiteral("到位率"), 26, Qt::AlignRight},
             {QStringLiteral("有效票"), 28, Qt::AlignRight}},
            rows, 9.5);

    // Measure what follows the chart so that the chart takes the rest of the page.
    const QStringList warnings = chineseWarnings(r, a);
    QStringList lastLines;
    for (const SessionResult &s : r.sessions) {
        if (!s.withheld.isEmpty())
            continue;
        const QList<DepartmentResult> last = lastRanked(s);
        if (last.isEmpty())
            continue;
        QStringList names;
        for (const DepartmentResult &d : last)
            names << QStringLiteral("%1（综合得分 %2，满意率 %3）")
                         .arg(d.name, fixed(d.weightedScore(), scoreDecimals(s.departments)),
                              percent(d.satisfactionRate()));
        lastLines << QStringLiteral("%1：%2").arg(s.name, names.join(QStringLiteral("；")));
    }
    double after = 2 * 10.0 + 4;
    for (const QString &w : warnings)
        after += l.measure(QStringLiteral("• ") + w, 9.5);
    for (const QString &x : lastLines)
        after += l.measure(x, 9.5);
    if (lastLines.isEmpty())
        after += 6;
    if (warnings.isEmpty())
        after += 6;

    l.heading(QStringLiteral("二、各组综合得分排名"), 2);
    rankingChart(l, r, std::max(40.0, bottomMm - l.y() - after - 10));

    l.heading(QStringLiteral("三、末位部门"), 2);
    if (lastLines.isEmpty())
        l.text(QStringLiteral("暂无：得分尚未公布。"), 9.5, muted);
    for (const QString &x : lastLines)
        l.text(x, 9.5, ink);

    l.heading(QStringLiteral("四、需要关注"), 2);
    if (warnings.isEmpty())
        l.text(QStringLiteral("无。所有数据均已完整导入，发放与回收一致。"), 9.5, ink);
    for (const QString &w : warnings)
        l.text(QStringLiteral("• ") + w, 9.5, warn);
}

void ratingPages(Layout &l, const TallyResults &r, const Activity &a, const SessionResult &s);
void intakeAndAttendance(Layout &l, const SessionResult &s);
void disciplinePages(Layout &l, const Activity &a, const SessionResult &s);

void sessionPages(Layout &l, const TallyResults &r, const Activity &a, const SessionResult &s)
{
    l.newPage();
    l.heading(QStringLiteral("%1  %2").arg(s.name, s.nameEn));
    l.text(QStringLiteral("有效票 %1 张 · 建议 %2 条 · 实到 %3 / 应到 %4（到位率 %5）")
               .arg(s.ballots)
               .arg(s.suggestions)
               .arg(s.attendance.present)
               .arg(s.attendance.invited)
               .arg(percent(s.attendance.rate())),
           9, muted);
    if (s.belowThreshold)
        l.text(
            QStringLiteral("本组有效票少于匿名阈值（%1 张），只公布票数。Fewer ballots than the anonymity threshold: "
                           "only their number is shown.")
                .arg(r.threshold),
            8.5, warn);
    else if (!s.withheld.isEmpty())
        l.text(QStringLiteral("临时统计：尚有批次未导入，只公布票数与到位率。Provisional: only counts and attendance."),
               8.5, warn);
    if (!s.withheld.isEmpty()) {
        QStringList names;
        if (const GroupSession *gs = a.session(s.code))
            for (const Department &d : gs->departments)
                names << d.name;
        l.text(QStringLiteral("评议部门 Departments evaluated: %1").arg(names.join(QStringLiteral("、"))), 8.5, ink);
    }
    l.space(2);

    if (s.withheld.isEmpty())
        ratingPages(l, r, a, s);
    intakeAndAttendance(l, s);
    if (s.withheld.isEmpty())
        disciplinePages(l, a, s);
}

void ratingPages(Layout &l, const TallyResults &r, const Activity &a, const SessionResult &s)
{
    const int decimals = scoreDecimals(s.departments);
    l.heading(QStringLiteral("评议结果 Ratings (每个部门的评价分布，按名次排列)"), 2);
    QList<Layout::Bar> bars;
    for (const DepartmentResult &d : s.departments)
        bars.append({QStringLiteral("%1. %2").arg(d.rank).arg(d.name), d.counts, fixed(d.weightedScore(), decimals)});
    l.stackedBars(bars, scaleLegend(r));

    QList<Column> cols {{QStringLiteral("名次"), 10, Qt::AlignRight}, {QStringLiteral("部门 Department"), 60}};
    for (const RatingOption &o : r.scale)
        cols.append({o.label, 16, Qt::AlignRight});
    cols.append({QStringLiteral("综合得分"), 18, Qt::AlignRight});
    cols.append({QStringLiteral("满意率"), 18, Qt::AlignRight});
    const double used = 10 + 60 + 16.0 * r.scale.size() + 36;
    cols[1].width += std::max(0.0, contentMm - used);
    QList<QStringList> rows;
    for (const DepartmentResult &d : s.departments) {
        QStringList row {QString::number(d.rank), d.name};
        for (qint64 c : d.counts)
            row << QString::number(c);
        row << fixed(d.weightedScore(), decimals) << percent(d.satisfactionRate());
        rows.append(row);
    }
    l.table(cols, rows, 8);

    l.heading(QStringLiteral("分会场综合得分 Weighted score by venue"), 2);
    if (s.byVenue.size() <= 1) {
        l.text(QStringLiteral("各会场选票数不足匿名阈值（%1 张）或只有一个会场，不作分会场显示。Not shown: too few "
                              "ballots per venue.")
                   .arg(r.threshold),
               8, muted);
    } else {
        const int perTable = 8;
        for (int start = 0; start < s.byVenue.size(); start += perTable) {
            const QList<VenueGroup> part = s.byVenue.mid(start, perTable);
            const double venueMm = std::clamp((contentMm - 62.0) / double(part.size()), 16.0, 28.0);
            QList<Column> vc {{QStringLiteral("部门 Department"), contentMm - venueMm * double(part.size())}};
            for (const VenueGroup &g : part)
                vc.append({groupName(a, g), venueMm, Qt::AlignRight});
            QList<QStringList> vr;
            QStringList counts {QStringLiteral("有效票 ballots")};
            for (const VenueGroup &g : part)
                counts << QString::number(g.ballots);
            vr.append(counts);
            for (const DepartmentResult &d : s.departments) {
                QStringList row {d.name};
                for (const VenueGroup &g : part) {
                    const auto it = std::find_if(g.departments.cbegin(), g.departments.cend(),
                                                 [&](const DepartmentResult &x) { return x.code == d.code; });
                    row << (it != g.departments.cend() ? fixed(it->weightedScore(), scoreDecimals(g.departments))
                                                       : QString());
                }
                vr.append(row);
            }
            l.table(vc, vr, 7.5);
        }
        for (const VenueGroup &g : s.byVenue)
            if (g.merged) {
                QStringList names;
                for (const QString &v : g.venues)
                    names << venueName(a, v);
                l.text(QStringLiteral("其他会场 = %1（合并显示）").arg(names.join(QStringLiteral("、"))), 7.5, muted);
            }
    }
}

void intakeAndAttendance(Layout &l, const SessionResult &s)
{
    l.heading(QStringLiteral("到位率 Attendance by venue"), 2);
    QList<QStringList> att;
    for (const AttendanceRow &x : s.attendanceByVenue)
        att.append({x.label, QString::number(x.invited), QString::number(x.present), QString::number(x.voted),
                    percent(x.rate()), x.noBatch ? QStringLiteral("未导入该会场数据 no batch") : QString()});
    l.table({{QStringLiteral("会场 Venue"), 52},
             {QStringLiteral("应到"), 20, Qt::AlignRight},
             {QStringLiteral("实到"), 20, Qt::AlignRight},
             {QStringLiteral("投票"), 20, Qt::AlignRight},
             {QStringLiteral("到位率"), 22, Qt::AlignRight},
             {QStringLiteral("备注"), 46}},
            att, 8);
}

void disciplinePages(Layout &l, const Activity &a, const SessionResult &s)
{
    l.heading(QStringLiteral("活动纪律情况调查 Discipline survey"), 2);
    QList<QStringList> disc;
    for (int i = 0; i < s.discipline.size(); ++i) {
        const QuestionResult &q = s.discipline[i];
        QStringList parts;
        for (const ChoiceCount &c : q.choices)
            parts << QStringLiteral("%1 %2").arg(c.label).arg(c.count);
        disc.append({QStringLiteral("问%1").arg(i + 1), q.text, QString::number(q.answered),
                     parts.join(QStringLiteral("   "))});
    }
    l.table({{QStringLiteral("题号"), 14},
             {QStringLiteral("题目 Question"), 104},
             {QStringLiteral("答题"), 14, Qt::AlignRight},
             {QStringLiteral("回答 Answers"), 48}},
            disc, 8);
    if (s.byVenue.size() > 1 && !s.discipline.isEmpty()) {
        // Findings by venue point at where a problem happened; merged below the threshold too.
        const double qMm = std::min(34.0, (contentMm - 46.0) / double(s.discipline.size()));
        l.text(QStringLiteral("按会场 By venue (列为题号 columns are question numbers)"), 8, muted);
        QList<Column> dc {{QStringLiteral("会场 Venue"), contentMm - qMm * double(s.discipline.size())}};
        for (int i = 0; i < s.discipline.size(); ++i)
            dc.append({QStringLiteral("问%1").arg(i + 1), qMm, Qt::AlignRight});
        QList<QStringList> dr;
        for (const VenueGroup &g : s.byVenue) {
            QStringList row {QStringLiteral("%1 (%2)").arg(groupName(a, g)).arg(g.ballots)};
            for (const QuestionResult &q : g.discipline) {
                QStringList parts;
                for (const ChoiceCount &c : q.choices)
                    parts << QStringLiteral("%1%2").arg(c.label).arg(c.count);
                row << parts.join(QLatin1Char(' '));
            }
            dr.append(row);
        }
        l.table(dc, dr, 7.5);
    }
}

void closingPages(Layout &l, const TallyResults &r, const Activity &a)
{
    l.newPage();
    l.heading(QStringLiteral("社情民意调查问卷 Questionnaire (all groups)"));
    if (r.provisional)
        l.text(QStringLiteral("临时统计，暂不公布。Provisional: not shown."), 8.5, muted);
    else if (r.questionnaireAllSessions.size() < r.sessions.size())
        l.text(QStringLiteral("包括 Includes: %1").arg(r.questionnaireAllSessions.join(QStringLiteral(", "))), 8,
               muted);
    for (const QuestionResult &q : r.questionnaireAll) {
        l.text(QStringLiteral("%1  （%2，答题 %3 人）")
                   .arg(q.text, q.multiple ? QStringLiteral("多选") : QStringLiteral("单选"))
                   .arg(q.answered),
               9, ink, true);
        QList<QPair<QString, qint64>> items;
        for (const ChoiceCount &c : q.choices)
            items.append({c.label, c.count});
        l.simpleBars(items, q.answered);
    }

    l.newPage();
    l.heading(QStringLiteral("到位率 Attendance (all groups)"));
    auto attendanceTable = [&](const QList<AttendanceRow> &rows, const QString &what) {
        QList<QStringList> t;
        for (const AttendanceRow &x : rows)
            t.append({x.label, QString::number(x.invited), QString::number(x.present), QString::number(x.voted),
                      percent(x.rate())});
        t.append({QStringLiteral("合计 Total"), QString::number(r.attendance.invited),
                  QString::number(r.attendance.present), QString::number(r.attendance.voted),
                  percent(r.attendance.rate())});
        l.table({{what, 110},
                 {QStringLiteral("应到"), 17, Qt::AlignRight},
                 {QStringLiteral("实到"), 17, Qt::AlignRight},
                 {QStringLiteral("投票"), 17, Qt::AlignRight},
                 {QStringLiteral("到位率"), 19, Qt::AlignRight}},
                t, 7.5);
    };
    attendanceTable(r.attendanceByVenue, QStringLiteral("会场 Venue"));
    attendanceTable(r.attendanceByCategory, QStringLiteral("代表类别 Category"));

    l.heading(QStringLiteral("意见建议 Suggestions by department"), 2);
    QMap<QString, int> perDept;
    for (const SuggestionRow &s : r.suggestions)
        ++perDept[s.department];
    QList<QStringList> sugg;
    for (auto it = perDept.cbegin(); it != perDept.cend(); ++it) {
        const Department *d = a.department(it.key());
        sugg.append({it.key().isEmpty() ? QStringLiteral("（未指定部门 general）") : (d ? d->name : it.key()),
                     QString::number(it.value())});
    }
    l.table({{QStringLiteral("部门 Department"), 150}, {QStringLiteral("条数"), 30, Qt::AlignRight}}, sugg, 8);
    l.text(QStringLiteral("建议全文按部门见 suggestions/*.csv。Full texts per department: suggestions/*.csv."), 8,
           muted);
}

/// Ballots handed out and collected per venue, for the appendix.
void intakeTable(Layout &l, const Activity &a, const SessionResult &s)
{
    l.heading(QStringLiteral("选票发放与回收：%1").arg(s.name), 2);
    QList<QStringList> intake;
    for (const IntakeRow &x : s.intake)
        intake.append({venueName(a, x.venue), QString::number(x.batches), QString::number(x.votedCheckins),
                       QString::number(x.headerBallots), QString::number(x.quarantined), QString::number(x.rejected),
                       QString::number(x.valid), QString::number(x.released)});
    l.table({{QStringLiteral("会场 Venue"), 44},
             {QStringLiteral("终端"), 14, Qt::AlignRight},
             {QStringLiteral("已投票代表"), 22, Qt::AlignRight},
             {QStringLiteral("终端计票"), 20, Qt::AlignRight},
             {QStringLiteral("隔离"), 16, Qt::AlignRight},
             {QStringLiteral("无效"), 16, Qt::AlignRight},
             {QStringLiteral("有效票"), 24, Qt::AlignRight},
             {QStringLiteral("放弃"), 24, Qt::AlignRight}},
            intake, 8, [&](int row, int) {
                const IntakeRow &x = s.intake[row];
                return x.votedCheckins != x.valid ? warn : ink;
            });
}

/// The appendix: how the figures are defined, the keys, ballots handed out and collected,
/// the office's checks, every imported batch and the technical detail for the operator.
void appendixPages(Layout &l, const TallyResults &r, const Activity &a)
{
    l.newPage();
    l.heading(QStringLiteral("附录 核查与审计 Appendix: audit"));
    l.text(QStringLiteral("生成时间 Generated: %1    匿名阈值 Anonymity threshold: %2 张选票")
               .arg(localTime(r.generated, a))
               .arg(r.threshold),
           8.5, muted);
    l.text(QStringLiteral("HQ 根密钥 root key: %1    选举密钥 election key: %2")
               .arg(r.rootFingerprint, r.electionFingerprint),
           8.5, muted);
    l.heading(QStringLiteral("口径 Definitions"), 2);
    // From the activity's own scale and threshold, the same text as results.json.
    const QJsonObject defs = definitions(r.scale, r.threshold, r.satisfiedThreshold, r.rankTies);
    for (const char *key : {"weighted_score", "satisfaction_rate", "rank", "attendance_rate", "anonymity"})
        l.text(defs.value(QLatin1String(key)).toString(), 8, ink);

    for (const SessionResult &s : r.sessions)
        if (s.held)
            intakeTable(l, a, s);

    l.heading(QStringLiteral("核查事项 Checks"), 2);
    QList<QStringList> checks;
    int extra = 0;
    for (const DuplicateCheckin &d : r.duplicates)
        extra += std::max(0, d.votes() - 1);
    checks.append({QStringLiteral("在多个终端签到的代表 checked in at more than one kiosk"),
                   QString::number(r.duplicates.size()),
                   QStringLiteral("可能多投 %1 票，见 checkins_duplicate.csv").arg(extra)});
    checks.append({QStringLiteral("非本组本会场代表签到 check-ins not invited"), QString::number(r.unexpected.size()),
                   QStringLiteral("见 results.json")});
    checks.append({QStringLiteral("导入时隔离的记录 quarantined at import"), QString::number(r.quarantined.size()),
                   QStringLiteral("不计入结果 not counted")});
    checks.append({QStringLiteral("计票时无法计入的记录 rejected at the tally"), QString::number(r.rejected.size()),
                   QStringLiteral("不计入结果 not counted")});
    l.table({{QStringLiteral("事项 Check"), 100},
             {QStringLiteral("数量"), 20, Qt::AlignRight},
             {QStringLiteral("说明"), 60}},
            checks, 8, [&](int row, int) {
                const qsizetype n = row == 0 ? r.duplicates.size()
                    : row == 1               ? r.unexpected.size()
                    : row == 2               ? r.quarantined.size()
                                             : r.rejected.size();
                return n ? warn : ink;
            });

    l.heading(QStringLiteral("导入批次 Batches"), 2);
    QList<QStringList> b;
    for (const BatchRef &x : r.batches)
        b.append({venueName(a, x.venue), sessionName(a, x.session), x.kiosk, QString::number(x.ballots),
                  QString::number(x.countedBallots), QString::number(x.quarantined),
                  x.status == QLatin1String("ok") ? QStringLiteral("正常 ok") : QStringLiteral("差异 discrepancy"),
                  x.closingReportChecked ? QStringLiteral("已核对") : QStringLiteral("—")});
    l.table({{QStringLiteral("会场"), 36},
             {QStringLiteral("评议组"), 26},
             {QStringLiteral("终端 Kiosk"), 32},
             {QStringLiteral("终端计票"), 18, Qt::AlignRight},
             {QStringLiteral("导入"), 16, Qt::AlignRight},
             {QStringLiteral("隔离"), 12, Qt::AlignRight},
             {QStringLiteral("状态"), 22},
             {QStringLiteral("关闭报告"), 18}},
            b, 7, [&](int row, int) { return r.batches[row].status == QLatin1String("ok") ? ink : warn; });

    const QStringList attention = r.attention();
    l.heading(QStringLiteral("技术明细 Technical details (for the operator)"), 2);
    if (attention.isEmpty())
        l.text(QStringLiteral("无 Nothing: every batch imported completely; ballots handed out equal ballots counted."),
               8, ink);
    for (const QString &x : attention)
        l.text(QStringLiteral("• ") + x, 8, ink);
}

} // namespace

Status renderResultsPdf(const TallyResults &results, const Activity &activity, const QString &pdfPath)
{
    QByteArray pdf;
    {
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setTitle(QStringLiteral("%1 评议结果").arg(activity.name));
        writer.setCreator(QStringLiteral("pingyi-hq tally"));
        writer.setResolution(dpi);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
        QPainter painter(&writer);
        if (!painter.isActive())
            return makeError(QStringLiteral("pdf"), QStringLiteral("cannot start the PDF writer"));
        painter.setRenderHint(QPainter::Antialiasing);
        Layout layout(writer, painter,
                      QStringLiteral("%1 · 评议结果 · %2").arg(activity.name, localTime(results.generated, activity)));
        summaryPage(layout, results, activity);
        for (const SessionResult &s : results.sessions)
            if (s.held)
                sessionPages(layout, results, activity, s);
        closingPages(layout, results, activity);
        appendixPages(layout, results, activity);
        painter.end();
    }
    return writeFileAtomic(pdfPath, pdf);
}

} // namespace pingyi::hq
