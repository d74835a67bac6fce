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

#include <algorithm>
#include <functional>

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

/// Colours for the rating options, best (green) to worst (red).
QColor optionColor(int i, int n)
{
    if (n <= 1)
        return QColor(0x2e, 0x7d, 0x32);
    const double t = double(i) / double(n - 1);
    return QColor::fromHsvF(float((1.0 - t) * 120.0 / 360.0), 0.75f, 0.80f - float(0.1 * t));
}

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
                if (w > 7) {
                    m_p.setFont(font(6));
                    m_p.setPen(i * 2 < n ? Qt::white : ink);
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

void summaryPage(Layout &l, const TallyResults &r)
{
    l.text(r.activityName, 17, ink, true);
    l.text(QStringLiteral("评议结果报告  ·  Evaluation results"), 13, band, true);
    l.space(2);
    l.text(QStringLiteral("生成时间 Generated: %1 (UTC)    匿名阈值 Anonymity threshold: %2 张选票")
               .arg(r.generated.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
               .arg(r.threshold),
           8.5, muted);
    l.text(QStringLiteral("HQ 根密钥 root key: %1    选举密钥 election key: %2")
               .arg(r.rootFingerprint, r.electionFingerprint),
           8.5, muted);
    l.space(4);

    l.heading(QStringLiteral("总览 Summary"));
    QList<QStringList> rows;
    qint64 invited = 0, present = 0;
    for (const SessionResult &s : r.sessions) {
        if (!s.held) {
            rows.append({s.name + QStringLiteral("（未导入 no batches）"), s.code, QStringLiteral("—"),
                         QStringLiteral("—"), QStringLiteral("—"), QStringLiteral("—"),
                         QString::number(s.departments.size())});
            continue;
        }
        invited += s.attendance.invited;
        present += s.attendance.present;
        rows.append({s.name, s.code, QString::number(s.ballots), QString::number(s.suggestions),
                     QStringLiteral("%1 / %2").arg(s.attendance.present).arg(s.attendance.invited),
                     percent(s.attendance.rate()), QString::number(s.departments.size())});
    }
    rows.append({QStringLiteral("合计 Total"), QString(), QString::number(r.ballots),
                 QString::number(r.suggestions.size()), QStringLiteral("%1 / %2").arg(present).arg(invited),
                 percent(invited ? double(present) / double(invited) : 0.0), QString()});
    l.table({{QStringLiteral("评议组 Group"), 58},
             {QStringLiteral("代码 Code"), 22},
             {QStringLiteral("有效票 Ballots"), 22, Qt::AlignRight},
             {QStringLiteral("建议 Sugg."), 18, Qt::AlignRight},
             {QStringLiteral("实到/应到"), 26, Qt::AlignRight},
             {QStringLiteral("到位率"), 18, Qt::AlignRight},
             {QStringLiteral("部门数"), 16, Qt::AlignRight}},
            rows, 8.5);

    l.heading(QStringLiteral("口径 Definitions"), 2);
    // From the activity's own scale and threshold, the same text as results.json.
    const QJsonObject defs = definitions(r.scale, r.threshold, r.satisfiedThreshold, r.rankTies);
    for (const char *key : {"weighted_score", "satisfaction_rate", "rank", "attendance_rate", "anonymity"})
        l.text(defs.value(QLatin1String(key)).toString(), 8, ink);
    if (r.provisional)
        l.text(QStringLiteral(
                   "本报告为临时统计：尚有批次未导入，只公布票数与到位率。Provisional: batches are missing; only "
                   "counts and attendance are shown."),
               8.5, warn, true);
    l.space(2);

    const QStringList attention = r.attention();
    l.heading(QStringLiteral("需要关注 Attention"), 2);
    if (attention.isEmpty()) {
        l.text(
            QStringLiteral("无。所有批次均完整导入，发放与回收一致。 Nothing: every batch imported completely; ballots "
                           "handed out equal ballots counted."),
            8.5, QColor(0x2e, 0x7d, 0x32));
    } else {
        for (const QString &a : attention)
            l.text(QStringLiteral("• ") + a, 8.5, warn);
    }
}

void ratingPages(Layout &l, const TallyResults &r, const Activity &a, const SessionResult &s);
void intakeAndAttendance(Layout &l, const Activity &a, const SessionResult &s);
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
    intakeAndAttendance(l, a, s);
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

void intakeAndAttendance(Layout &l, const Activity &a, const SessionResult &s)
{
    l.heading(QStringLiteral("选票发放与回收 Ballots handed out and collected"), 2);
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
    for (const QuestionResult &q : s.discipline) {
        QStringList parts;
        for (const ChoiceCount &c : q.choices)
            parts << QStringLiteral("%1 %2").arg(c.label).arg(c.count);
        disc.append({q.code, q.text, QString::number(q.answered), parts.join(QStringLiteral("   "))});
    }
    l.table({{QStringLiteral("代码 Code"), 26},
             {QStringLiteral("题目 Question"), 92},
             {QStringLiteral("答题"), 14, Qt::AlignRight},
             {QStringLiteral("回答 Answers"), 48}},
            disc, 8);
    if (s.byVenue.size() > 1 && !s.discipline.isEmpty()) {
        // Findings by venue point at where a problem happened; merged below the threshold too.
        const double qMm = std::min(34.0, (contentMm - 46.0) / double(s.discipline.size()));
        l.text(QStringLiteral("按会场 By venue (列为题目代码 columns are question codes)"), 8, muted);
        QList<Column> dc {{QStringLiteral("会场 Venue"), contentMm - qMm * double(s.discipline.size())}};
        for (const QuestionResult &q : s.discipline)
            dc.append({q.code, qMm, Qt::AlignRight});
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
        sugg.append({it.key().isEmpty() ? QStringLiteral("（未指定部门 general）") : (d ? d->name : it.key()), it.key(),
                     QString::number(it.value())});
    }
    l.table({{QStringLiteral("部门 Department"), 110},
             {QStringLiteral("代码"), 40},
             {QStringLiteral("条数"), 30, Qt::AlignRight}},
            sugg, 8);
    l.text(QStringLiteral("建议全文按部门见 suggestions/*.csv。Full texts per department: suggestions/*.csv."), 8,
           muted);

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
        b.append({venueName(a, x.venue), x.session, x.kiosk, QString::number(x.ballots),
                  QString::number(x.countedBallots), QString::number(x.quarantined),
                  x.status == QLatin1String("ok") ? QStringLiteral("正常 ok") : QStringLiteral("差异 discrepancy"),
                  x.closingReportChecked ? QStringLiteral("已核对") : QStringLiteral("—")});
    l.table({{QStringLiteral("会场"), 36},
             {QStringLiteral("评议组"), 20},
             {QStringLiteral("终端 Kiosk"), 38},
             {QStringLiteral("终端计票"), 18, Qt::AlignRight},
             {QStringLiteral("导入"), 16, Qt::AlignRight},
             {QStringLiteral("隔离"), 12, Qt::AlignRight},
             {QStringLiteral("状态"), 22},
             {QStringLiteral("关闭报告"), 18}},
            b, 7, [&](int row, int) { return r.batches[row].status == QLatin1String("ok") ? ink : warn; });
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
                      QStringLiteral("%1 · 评议结果 · %2")
                          .arg(activity.name, results.generated.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
        summaryPage(layout, results);
        for (const SessionResult &s : results.sessions)
            if (s.held)
                sessionPages(layout, results, activity, s);
        closingPages(layout, results, activity);
        painter.end();
    }
    return writeFileAtomic(pdfPath, pdf);
}

} // namespace pingyi::hq
