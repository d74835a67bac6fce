// Ballot secrecy, read the way an attacker reads: the record table has no time, order or
// voter columns; over 2000 ballots (1000 with a suggestion) cast in a known order, the
// rank correlation of cast order with the order of records in the database, with the byte
// offset and page of each record's ciphertext in the raw bytes of kiosk.db, kiosk.db-wal and
// kiosk.db-shm (mid-session and after close) and with the order in the exported batch is
// indistinguishable from zero; neighbouring bytes do not pair suggestions with ballots; logs
// and the audit log carry no ballot data. Figures: docs/security.md §Physical secrecy.

#include "ballotbox.h"
#include "fixture.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <unordered_map>

using namespace pingyi;
using namespace pingyi::kiosk;
using pingyi::test::VenueFixture;

namespace {
QStringList g_log;
void capture(QtMsgType, const QMessageLogContext &, const QString &msg)
{
    g_log << msg;
}

/// Spearman's rank correlation of (i, position[i]).
double spearman(const QList<int> &position)
{
    const double n = double(position.size());
    double d2 = 0;
    for (int i = 0; i < position.size(); ++i)
        d2 += std::pow(double(i - position[i]), 2);
    return 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
}

/// Average ranks (ties share the mean of their ranks).
std::vector<double> ranks(const std::vector<double> &v)
{
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (size_t k = i; k <= j; ++k)
            r[order[k]] = (double(i) + double(j)) / 2.0;
        i = j + 1;
    }
    return r;
}

/// Spearman's rank correlation of two samples, ties allowed (Pearson on average ranks).
double spearman(const std::vector<double> &x, const std::vector<double> &y)
{
    const std::vector<double> rx = ranks(x), ry = ranks(y);
    const double n = double(rx.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n,
                 my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

/// A sealed record as an attacker looks for it, and when it was cast.
struct Known {
    QByteArray sealed;
    int castIndex = 0; ///< the ballot's place in casting order (a suggestion: its ballot's)
    bool ballot = true;
};

/// Where each known record's ciphertext lies in `bytes` (-1: absent); counts every copy.
QList<qint64> locate(const QByteArray &bytes, const QList<Known> &known, QList<int> *copies)
{
    std::unordered_map<quint64, int> byPrefix;
    for (int i = 0; i < known.size(); ++i) {
        quint64 k = 0;
        std::memcpy(&k, known[i].sealed.constData(), sizeof k);
        byPrefix.emplace(k, i);
    }
    QList<qint64> at(known.size(), -1);
    copies->fill(0, known.size());
    for (qsizetype off = 0; off + qsizetype(sizeof(quint64)) <= bytes.size(); ++off) {
        quint64 k = 0;
        std::memcpy(&k, bytes.constData() + off, sizeof k);
        const auto it = byPrefix.find(k);
        if (it == byPrefix.end())
            continue;
        const QByteArray &sealed = known[it->second].sealed;
        if (bytes.mid(off, sealed.size()) != sealed)
            continue;
        at[it->second] = off;
        ++(*copies)[it->second];
    }
    return at;
}

/// The order figures of one file: rank correlation of cast order with byte offset and with
/// page (ballots, suggestions), the share of same-page ballot pairs whose offsets follow
/// cast order, and how many suggestions sit next to their own ballot.
struct Figures {
    int found = 0;
    double rhoOffset = 0, rhoPage = 0, rhoSuggestion = 0, inPage = 0.5;
    int paired = 0, suggestions = 0;
};

Figures figures(const QList<Known> &known, const QList<qint64> &at, qint64 pageSize)
{
    Figures f;
    std::vector<double> cast, offset, page, sCast, sOffset;
    std::vector<std::pair<qint64, int>> ballotsByOffset; // offset, cast index
    for (int i = 0; i < known.size(); ++i) {
        if (at[i] < 0)
            continue;
        ++f.found;
        if (known[i].ballot) {
            cast.push_back(known[i].castIndex);
            offset.push_back(double(at[i]));
            page.push_back(double(at[i] / pageSize));
            ballotsByOffset.push_back({at[i], known[i].castIndex});
        } else {
            sCast.push_back(known[i].castIndex);
            sOffset.push_back(double(at[i]));
        }
    }
    if (cast.size() >= 10) {
        f.rhoOffset = spearman(cast, offset);
        f.rhoPage = spearman(cast, page);
    }
    if (sCast.size() >= 10)
        f.rhoSuggestion = spearman(sCast, sOffset);
    std::sort(ballotsByOffset.begin(), ballotsByOffset.end());
    int pairs = 0, concordant = 0;
    for (size_t i = 0; i < ballotsByOffset.size(); ++i)
        for (size_t j = i + 1;
             j < ballotsByOffset.size() && ballotsByOffset[j].first / pageSize == ballotsByOffset[i].first / pageSize;
             ++j) {
            ++pairs;
            concordant += ballotsByOffset[j].second > ballotsByOffset[i].second ? 1 : 0;
        }
    if (pairs > 0)
        f.inPage = double(concordant) / pairs;
    // Pairing by adjacency: the ballot whose bytes are nearest each suggestion's.
    for (size_t i = 0; i < sOffset.size() && !ballotsByOffset.empty(); ++i) {
        ++f.suggestions;
        const qint64 o = qint64(sOffset[i]);
        auto it = std::lower_bound(ballotsByOffset.begin(), ballotsByOffset.end(), std::pair<qint64, int> {o, -1});
        int nearest = -1;
        qint64 best = std::numeric_limits<qint64>::max();
        for (auto c : {it, it == ballotsByOffset.begin() ? it : std::prev(it)}) {
            if (c != ballotsByOffset.end() && std::llabs(c->first - o) < best) {
                best = std::llabs(c->first - o);
                nearest = c->second;
            }
        }
        f.paired += nearest == int(sCast[i]) ? 1 : 0;
    }
    return f;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestSecrecy : public QObject {
    Q_OBJECT
    VenueFixture f;

private Q_SLOTS:
    void schemaHasNothingToOrderOrLink()
    {
        QVERIFY(f.setUp(22.0));
        auto k = f.enrolKiosk(QStringLiteral("shinan-sec"));
        QVERIFY(k);
        Database &db = k->database();
        // One table of slots, numbered before anyone votes: no time, no voter, no id index.
        auto cols = db.prepare("SELECT name FROM pragma_table_info('record_slot') ORDER BY cid");
        QStringList names;
        while (*cols->next())
            names << cols->text(0);
        QCOMPARE(names,
                 QStringList({QStringLiteral("slot"), QStringLiteral("code"), QStringLiteral("rehearsal"),
                              QStringLiteral("kind"), QStringLiteral("used"), QStringLiteral("sealed"),
                              QStringLiteral("signature")}));
        auto indexes
            = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'record_slot'");
        QVERIFY(*indexes->next());
        QCOMPARE(indexes->integer(0), 0);
        auto old = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('ballot', 'suggestion')");
        QVERIFY(*old->next());
        QCOMPARE(old->integer(0), 0);
        auto ccols = db.prepare("SELECT name FROM pragma_table_info('checkin')");
        while (*ccols->next())
            QVERIFY(!QRegularExpression(QStringLiteral("time|date|seq|order|ballot")).match(ccols->text(0)).hasMatch());
        auto sd = db.prepare("PRAGMA secure_delete");
        QVERIFY(*sd->next());
        QCOMPARE(sd->integer(0), 1);
        // The write-ahead log's index lives in memory: there is no -shm file to read.
        QVERIFY(!QFile::exists(f.stateDir(QStringLiteral("shinan-sec")) + QStringLiteral("/kiosk.db-shm")));
    }

    void castOrderIsNotStoredOrExported()
    {
        const QString stateDir = f.stateDir(QStringLiteral("shinan-sec"));
        auto k = KioskService::open(stateDir, f.clock);
        QVERIFY(k.ok());
        KioskService &s = **k;
        const SessionKey econ {QStringLiteral("econ"), false};
        QVERIFY(s.login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(s.openSession(econ).ok());
        const QStringList creds = f.credentials(QStringLiteral("econ"));
        constexpr int n = 2000;
        QVERIFY2(creds.size() >= n, qPrintable(QString::number(creds.size())));
        std::mt19937_64 rng(3);
        QList<QString> castOrder; // receipt codes in the order cast
        QStringList suggestionTexts;
        QHash<QString, int> suggestionCast; // text -> cast index of its ballot
        qInstallMessageHandler(capture);
        for (int i = 0; i < n; ++i) {
            QVERIFY(s.checkInCredential(creds[i]).ok());
            QList<Suggestion> sg;
            if (i % 2 == 0) {
                suggestionTexts << QStringLiteral("秘密建议%1号").arg(i);
                suggestionCast.insert(suggestionTexts.last(), i);
                sg.append({QStringLiteral("econ"), QStringLiteral("ocean"), QString(), suggestionTexts.last()});
            }
            auto r = s.cast(f.ballot(QStringLiteral("econ"), rng), sg);
            QVERIFY(r.ok());
            castOrder << r->code;
        }
        qInstallMessageHandler(nullptr);
        QHash<QString, int> castIndex;
        for (int i = 0; i < castOrder.size(); ++i)
            castIndex.insert(castOrder[i], i);

        // What the attacker looks for: every record's ciphertext, with its cast index
        // (the office's election key tells which ballot each suggestion came with).
        auto election = f.hq->unlockElection(test::hqPassphrase());
        QVERIFY(election.ok());
        auto stored = BallotBox(s.database()).records(econ.code, econ.rehearsal);
        QVERIFY(stored.ok());
        QList<Known> known;
        QList<int> dbPosition(n, -1);
        int ballotsSeen = 0;
        for (const SealedRecord &r : *stored) {
            if (r.kind == RecordKind::Ballot) {
                const int at = castIndex.value(receiptCode(r.id()), -1);
                QVERIFY(at >= 0);
                dbPosition[at] = ballotsSeen++;
                known.append({r.sealed, at, true});
            } else {
                auto plain = crypto::openSealed(*election, r.sealed);
                QVERIFY(plain.ok());
                auto sg = decodeSuggestion(plain->view());
                QVERIFY(sg.ok());
                QVERIFY(suggestionCast.contains(sg->text));
                known.append({r.sealed, suggestionCast.value(sg->text), false});
            }
        }
        QCOMPARE(ballotsSeen, n);
        QCOMPARE(known.size(), n + n / 2);
        // Every sealed record of a kind has one size, so no slot's length says anything.
        QSet<qsizetype> ballotSizes, suggestionSizes;
        for (const Known &r : known)
            (r.ballot ? ballotSizes : suggestionSizes).insert(r.sealed.size());
        QCOMPARE(ballotSizes.size(), 1);
        QCOMPARE(suggestionSizes.size(), 1);
        const double rhoDb = spearman(dbPosition);

        // For n = 2000 the standard error of rho under independence is 1/sqrt(1999) ~ 0.022
        // (0.032 for the 1000 suggestions): |rho| < 0.1 is three to four and a half of them.
        auto inspect = [&](const QString &when) {
            const qint64 pageSize = [&] {
                const QByteArray head = fileBytes(stateDir + QStringLiteral("/kiosk.db")).left(18);
                const int v = (quint8(head[16]) << 8) | quint8(head[17]);
                return v == 1 ? qint64(65536) : qint64(v);
            }();
            for (const char *name : {"kiosk.db", "kiosk.db-wal", "kiosk.db-shm"}) {
                const QString path = stateDir + QLatin1Char('/') + QLatin1String(name);
                const QByteArray bytes = fileBytes(path);
                QList<int> copies;
                const QList<qint64> at = locate(bytes, known, &copies);
                const Figures fig = figures(known, at, pageSize);
                qInfo("%s %s (%lld bytes): %d of %lld records found; rho(cast, offset) %.4f, rho(cast, page) %.4f, "
                      "suggestions rho %.4f, same-page pairs in cast order %.3f, suggestions next to their ballot %d "
                      "of %d",
                      qPrintable(when), name, qint64(bytes.size()), fig.found, qint64(known.size()), fig.rhoOffset,
                      fig.rhoPage, fig.rhoSuggestion, fig.inPage, fig.paired, fig.suggestions);
                const QString where = when + QLatin1Char(' ') + QLatin1String(name);
                if (qstrcmp(name, "kiosk.db") == 0) {
                    // Each record is in the database exactly once: no stale copy in free space.
                    QCOMPARE(fig.found, known.size());
                    for (int c : copies)
                        QVERIFY2(c == 1, qPrintable(where));
                }
                QVERIFY2(std::abs(fig.rhoOffset) < 0.1, qPrintable(where + QString::number(fig.rhoOffset)));
                QVERIFY2(std::abs(fig.rhoPage) < 0.1, qPrintable(where + QString::number(fig.rhoPage)));
                QVERIFY2(std::abs(fig.rhoSuggestion) < 0.1, qPrintable(where + QString::number(fig.rhoSuggestion)));
                QVERIFY2(std::abs(fig.inPage - 0.5) < 0.1, qPrintable(where + QString::number(fig.inPage)));
                // By chance about one suggestion in n lands next to its own ballot.
                QVERIFY2(fig.paired <= fig.suggestions / 50, qPrintable(where + QString::number(fig.paired)));
            }
        };
        // A kiosk stolen while the session is open.
        inspect(QStringLiteral("mid-session"));
        QVERIFY(!QFile::exists(stateDir + QStringLiteral("/kiosk.db-shm")));
        QVERIFY(QFileInfo(stateDir + QStringLiteral("/kiosk.db-wal")).size() == 0);

        QVERIFY(s.login(f.pins[QStringLiteral("staff")]).ok());
        QVERIFY(s.closeSession(econ).ok());
        inspect(QStringLiteral("after close"));
        QTemporaryDir usb;
        auto exported = s.exportSession(econ, usb.path());
        QVERIFY(exported.ok());
        inspect(QStringLiteral("after export"));
        // Open the batch as the office would (archive key) and read the record order.
        auto file = readBatch(*readFile(exported->path));
        auto fileKey = openBatchKey(*file, f.secrets->archive, false);
        QVERIFY(fileKey.ok());
        auto content = decryptBatch(*file, *fileKey);
        QVERIFY(content.ok());
        QList<int> exportPosition(n);
        int pos = 0;
        QHash<QByteArray, int> knownBySealed;
        for (int i = 0; i < known.size(); ++i)
            knownBySealed.insert(known[i].sealed, i);
        QList<qint64> streamAt(known.size(), -1);
        for (int i = 0; i < content->records.size(); ++i) {
            const SealedRecord &r = content->records[i];
            streamAt[knownBySealed.value(r.sealed)] = i;
            if (r.kind == RecordKind::Ballot)
                exportPosition[castIndex.value(receiptCode(r.id()))] = pos++;
        }
        QCOMPARE(pos, n);
        const double rhoExport = spearman(exportPosition);
        const Figures batch = figures(known, streamAt, 1);
        qInfo("rank correlation with cast order: database rows %.4f, export %.4f; batch suggestions %.4f, "
              "suggestions next to their ballot in the batch %d of %d",
              rhoDb, rhoExport, batch.rhoSuggestion, batch.paired, batch.suggestions);
        QVERIFY2(std::abs(rhoDb) < 0.1, qPrintable(QString::number(rhoDb)));
        QVERIFY2(std::abs(rhoExport) < 0.1, qPrintable(QString::number(rhoExport)));
        QVERIFY2(std::abs(batch.rhoSuggestion) < 0.1, qPrintable(QString::number(batch.rhoSuggestion)));
        QVERIFY2(batch.paired <= batch.suggestions / 50, qPrintable(QString::number(batch.paired)));

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
