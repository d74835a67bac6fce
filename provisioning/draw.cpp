#include "draw.h"

#include "redact.h"
#include "roster.h"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace pingyi::hq {

namespace {

const char *const kPoolColumns[] = {"cand_id", "name", "id_number", "category", "venue", "session", "source"};
constexpr int kPoolColumnCount = 7;
constexpr int kSecretBytes = 32;

struct Candidate {
    int line = 0;
    QString candId;
    QString name;
    QString idNumber;
    QString category;
    QString venue;
    QString session; ///< empty: any session held at the venue
    QString source; ///< draw, recommended or volunteer
    bool returning = false; ///< on last year's roster
    QByteArray order; ///< the draw's sort key
    bool taken = false;
};

QByteArray tagged(const char *tag, QByteArrayView data)
{
    QByteArray out(tag);
    out += '\0';
    out += data;
    return out;
}

QString quotedValue(const QString &s)
{
    return quoteInput(s);
}

Result<QList<Candidate>> parsePool(const QByteArray &csv, const QString &origin, const Activity &activity)
{
    auto rows = readCsvRows(csv, origin);
    if (!rows)
        return rows.error();
    QStringList problems;
    const auto problem = [&](int line, const QString &what) {
        problems << QStringLiteral("%1:%2: %3").arg(origin).arg(line).arg(what);
    };
    const auto fail = [&]() {
        return makeError(QStringLiteral("pool-invalid"),
                         QStringLiteral("%1: the candidate pool has %2 problem(s):\n").arg(origin).arg(problems.size())
                             + problems.join(u'\n'));
    };
    if (rows->isEmpty()) {
        problem(1,
                QStringLiteral("the file is empty; expected the header \"cand_id,name,id_number,category,venue,"
                               "session,source\" and one line per candidate"));
        return fail();
    }
    const CsvRow header = rows->takeFirst();
    bool headerOk = header.fields.size() == kPoolColumnCount;
    for (int i = 0; headerOk && i < kPoolColumnCount; ++i)
        headerOk = header.fields.at(i) == QLatin1String(kPoolColumns[i]);
    if (!headerOk) {
        // Not quoted: without a header the first line is a candidate's row.
        problem(header.line,
                QStringLiteral("missing or bad header; the first line must be "
                               "\"cand_id,name,id_number,category,venue,session,source\""));
        return fail();
    }
    static const QRegularExpression idRe(QStringLiteral("^[A-Za-z0-9-]{1,24}$"));
    const QDate today = QDate::currentDate();
    QHash<QString, int> candLines, idLines;
    QList<Candidate> out;
    for (const CsvRow &row : std::as_const(*rows)) {
        if (row.fields.size() != kPoolColumnCount) {
            problem(row.line, QStringLiteral("expected 7 columns as in the header, found %1").arg(row.fields.size()));
            continue;
        }
        Candidate c;
        c.line = row.line;
        c.candId = row.fields.at(0);
        c.name = row.fields.at(1);
        c.idNumber = idnumber::normalized(row.fields.at(2));
        c.category = row.fields.at(3);
        c.venue = row.fields.at(4);
        c.session = row.fields.at(5);
        c.source = row.fields.at(6);
        if (longestDigitRun(c.candId) >= 15 || !idRe.match(c.candId).hasMatch())
            problem(row.line,
                    QStringLiteral("bad cand_id: use 1 to 24 characters from A-Z, a-z, 0-9 and - (it "
                                   "becomes the rep_id; never an ID number)"));
        else if (const auto it = candLines.constFind(c.candId.toLower()); it != candLines.cend())
            problem(row.line,
                    QStringLiteral("duplicate cand_id %1 (first on line %2)").arg(quotedValue(c.candId)).arg(*it));
        else
            candLines.insert(c.candId.toLower(), row.line);
        if (c.name.isEmpty() || longestDigitRun(c.name) >= 6)
            problem(row.line, QStringLiteral("the name is empty or holds a long number"));
        if (const QString why = idnumber::problem(c.idNumber, today); !why.isEmpty())
            problem(row.line, QStringLiteral("ID number ") + why);
        else if (const auto it = idLines.constFind(c.idNumber); it != idLines.cend())
            problem(row.line,
                    QStringLiteral("the same ID number as on line %1: a person is a candidate once (one "
                                   "category, one venue)")
                        .arg(*it));
        else
            idLines.insert(c.idNumber, row.line);
        if (!activity.category(c.category))
            problem(row.line, QStringLiteral("unknown category %1").arg(quotedValue(c.category)));
        if (!activity.venue(c.venue))
            problem(row.line, QStringLiteral("unknown venue %1").arg(quotedValue(c.venue)));
        else if (!c.session.isEmpty() && !activity.sessionHeldAt(c.session, c.venue))
            problem(row.line,
                    QStringLiteral("session %1 is unknown or not held at venue \"%2\"")
                        .arg(quotedValue(c.session), c.venue));
        if (c.source != QLatin1String("draw") && c.source != QLatin1String("recommended")
            && c.source != QLatin1String("volunteer"))
            problem(
                row.line,
                QStringLiteral("source must be draw, recommended or volunteer, found %1").arg(quotedValue(c.source)));
        out.append(c);
    }
    if (out.isEmpty())
        problem(header.line, QStringLiteral("no candidates: the file has a header but no rows"));
    if (!problems.isEmpty())
        return fail();
    return out;
}

/// Keyed hashes of last year's ID numbers (the numbers themselves are dropped at once).
Result<QSet<QByteArray>> previousHashes(const QByteArray &csv, const QString &origin, const crypto::SecretBytes &key)
{
    QSet<QByteArray> out;
    if (csv.isEmpty())
        return out;
    auto rows = readCsvRows(csv, origin);
    if (!rows)
        return rows.error();
    if (rows->isEmpty())
        return makeError(QStringLiteral("previous-invalid"), QStringLiteral("%1: the file is empty").arg(origin));
    const qsizetype column = rows->first().fields.indexOf(QStringLiteral("id_number"));
    if (column < 0)
        return makeError(QStringLiteral("previous-invalid"),
                         QStringLiteral("%1:%2: no \"id_number\" column in the header; give last year's roster CSV")
                             .arg(origin)
                             .arg(rows->first().line));
    QStringList problems;
    for (qsizetype i = 1; i < rows->size(); ++i) {
        const CsvRow &row = rows->at(i);
        const QString id = idnumber::normalized(row.fields.value(column));
        if (const QString why = idnumber::problem(id); !why.isEmpty()) {
            problems << QStringLiteral("%1:%2: ID number %3").arg(origin).arg(row.line).arg(why);
            continue;
        }
        out.insert(crypto::keyedHash(key, id.toLatin1()));
    }
    if (!problems.isEmpty())
        return makeError(QStringLiteral("previous-invalid"),
                         QStringLiteral("%1: %2 row(s) of last year's roster have no valid ID number:\n")
                                 .arg(origin)
                                 .arg(problems.size())
                             + problems.join(u'\n'));
    return out;
}

QString cellName(const RosterQuota &q)
{
    QuotaCheck c;
    c.cell = q;
    return c.name();
}

bool inCell(const Candidate &c, const RosterQuota &q, const Activity &a)
{
    if (c.taken || c.category != q.category)
        return false;
    if (q.venue.isEmpty()) {
        const Venue *v = a.venue(c.venue);
        if (!v || v->kind != Venue::Kind::District)
            return false;
    } else if (c.venue != q.venue) {
        return false;
    }
    return q.session.isEmpty() || c.session.isEmpty() || c.session == q.session;
}

} // namespace

QByteArray newDrawSecret()
{
    return crypto::randomBytes(kSecretBytes);
}

QString drawCommitment(const QByteArray &secret)
{
    return QString::fromLatin1(crypto::hash(tagged("pingyi/draw-commit/v1", secret)).toHex());
}

QString digestHex(const QByteArray &bytes)
{
    return QString::fromLatin1(crypto::hash(bytes).toHex());
}

Result<DrawOutput> drawRoster(const DrawInput &in)
{
    if (!in.activity)
        return makeError(QStringLiteral("draw-input"), QStringLiteral("no activity spec"));
    const Activity &a = *in.activity;
    if (in.secret.size() != kSecretBytes)
        return makeError(QStringLiteral("draw-input"),
                         QStringLiteral("the draw secret must be %1 bytes (64 hex digits), found %2 bytes; use the "
                                        "file `roster draw --seed-commit` wrote")
                             .arg(kSecretBytes)
                             .arg(in.secret.size()));
    if (in.publicValue.trimmed().isEmpty())
        return makeError(QStringLiteral("draw-input"),
                         QStringLiteral("the public value is empty: give the value fixed after the commitment was "
                                        "published (--public)"));
    // seed = BLAKE2b("pingyi/draw-seed/v1\0" secret "\0" public value)
    const QByteArray seed = crypto::hash(tagged("pingyi/draw-seed/v1", in.secret + '\0' + in.publicValue.toUtf8()));
    const crypto::SecretBytes orderKey
        = crypto::SecretBytes::copyOf(crypto::hash(tagged("pingyi/draw-order/v1", seed)));
    const crypto::SecretBytes idKey = crypto::SecretBytes::copyOf(crypto::hash(tagged("pingyi/draw-id/v1", seed)));

    auto pool = parsePool(in.pool, in.poolOrigin, a);
    if (!pool)
        return pool.error();
    auto previous = previousHashes(in.previous, in.previousOrigin, idKey);
    if (!previous)
        return previous.error();
    const bool rotation = !in.previous.isEmpty();
    for (Candidate &c : *pool) {
        c.returning = rotation && previous->contains(crypto::keyedHash(idKey, c.idNumber.toLatin1()));
        c.order = crypto::keyedHash(orderKey, c.candId.toUtf8());
    }
    // The draw order: ascending keyed hash of the candidate id (ties impossible in practice,
    // broken by the id so the order is total).
    QList<Candidate *> ordered;
    for (Candidate &c : *pool)
        ordered.append(&c);
    std::sort(ordered.begin(), ordered.end(), [](const Candidate *x, const Candidate *y) {
        return x->order != y->order ? x->order < y->order : x->candId < y->candId;
    });

    const int floor = rotation ? a.roster.rotationFloor : 0;
    QStringList refusals;
    QJsonArray cellsJson;
    QList<std::pair<Candidate *, QString>> chosen; // candidate, session
    QHash<QString, quint64> turns; // per venue: the next session for candidates without one
    qint64 totalNew = 0;
    for (const RosterQuota &q : a.quotaCells()) {
        QList<Candidate *> eligible;
        qint64 newEligible = 0;
        for (Candidate *c : std::as_const(ordered)) {
            if (inCell(*c, q, a)) {
                eligible.append(c);
                newEligible += c->returning ? 0 : 1;
            }
        }
        // Whole representatives: ceil(count × floor / 100).
        const qint64 needNew = (qint64(q.count) * floor + 99) / 100;
        const QString name = cellName(q);
        if (eligible.size() < q.count) {
            refusals << QStringLiteral("%1: needs %2, the pool has %3 candidate(s)")
                            .arg(name)
                            .arg(q.count)
                            .arg(eligible.size());
        } else if (newEligible < needNew) {
            refusals << QStringLiteral("%1: needs %2 new representative(s) of %3 (rotation floor %4 %), the pool has "
                                       "%5 candidate(s) not on last year's roster")
                            .arg(name)
                            .arg(needNew)
                            .arg(q.count)
                            .arg(floor)
                            .arg(newEligible);
        }
        // First the new candidates the floor needs, then the rest; the picks keep the draw
        // order.
        QSet<const Candidate *> picked;
        for (Candidate *c : std::as_const(eligible)) {
            if (picked.size() >= needNew || picked.size() >= q.count)
                break;
            if (!c->returning)
                picked.insert(c);
        }
        for (Candidate *c : std::as_const(eligible)) {
            if (picked.size() >= q.count)
                break;
            picked.insert(c);
        }
        QList<Candidate *> picks;
        for (Candidate *c : std::as_const(eligible))
            if (picked.contains(c))
                picks.append(c);
        QMap<QString, qint64> bySource;
        qint64 newDrawn = 0;
        for (Candidate *c : std::as_const(picks)) {
            c->taken = true;
            QString session = c->session.isEmpty() ? q.session : c->session;
            if (session.isEmpty()) {
                QStringList held;
                for (const GroupSession &s : a.sessions)
                    if (s.venues.contains(c->venue))
                        held.append(s.code);
                if (!held.isEmpty())
                    session = held.at(qsizetype(turns[c->venue]++ % quint64(held.size())));
            }
            chosen.append({c, session});
            ++bySource[c->source];
            newDrawn += c->returning ? 0 : 1;
        }
        totalNew += newDrawn;
        QJsonObject sources;
        for (auto it = bySource.cbegin(); it != bySource.cend(); ++it)
            sources.insert(it.key(), it.value());
        cellsJson.append(QJsonObject {{QStringLiteral("category"), q.category},
                                      {QStringLiteral("venue"), q.venue},
                                      {QStringLiteral("session"), q.session},
                                      {QStringLiteral("planned"), q.count},
                                      {QStringLiteral("candidates"), qint64(eligible.size())},
                                      {QStringLiteral("new_candidates"), newEligible},
                                      {QStringLiteral("drawn"), qint64(picks.size())},
                                      {QStringLiteral("new_drawn"), newDrawn},
                                      {QStringLiteral("by_source"), sources}});
    }
    if (!refusals.isEmpty())
        return makeError(QStringLiteral("draw-refused"),
                         QStringLiteral("the draw cannot fill %1 quota cell(s); add candidates to the pool (or correct "
                                        "the quotas) and draw again with a new commitment:\n  %2")
                             .arg(refusals.size())
                             .arg(refusals.join(QStringLiteral("\n  "))));

    DrawOutput out;
    out.roster = "rep_id,name,id_number,category,venue,sessions,photo\n";
    out.list = "rep_id,category,venue,sessions,source,new\n";
    for (const auto &[c, session] : std::as_const(chosen)) {
        out.roster += csvField(c->candId) + ',' + csvField(c->name) + ',' + csvField(c->idNumber) + ','
            + csvField(c->category) + ',' + csvField(c->venue) + ',' + csvField(session) + ",\n";
        out.list += csvField(c->candId) + ',' + csvField(c->category) + ',' + csvField(c->venue) + ','
            + csvField(session) + ',' + csvField(c->source) + ',' + (c->returning ? "no" : "yes") + '\n';
    }
    const qint64 total = chosen.size();
    out.report = QJsonObject {
        {QStringLiteral("format"), QStringLiteral("pingyi-draw-report/v1")},
        {QStringLiteral("algorithm"), QString::fromLatin1(kDrawAlgorithm)},
        {QStringLiteral("activity"), a.id},
        {QStringLiteral("activity_digest"), digestHex(a.canonicalJson())},
        {QStringLiteral("pool_digest"), digestHex(in.pool)},
        {QStringLiteral("previous_digest"), rotation ? digestHex(in.previous) : QString()},
        {QStringLiteral("commitment"), drawCommitment(in.secret)},
        {QStringLiteral("secret"), QString::fromLatin1(in.secret.toHex())},
        {QStringLiteral("public_value"), in.publicValue},
        {QStringLiteral("seed"), QString::fromLatin1(seed.toHex())},
        {QStringLiteral("roster_digest"), digestHex(out.roster)},
        {QStringLiteral("list_digest"), digestHex(out.list)},
        {QStringLiteral("representatives"), total},
        {QStringLiteral("rotation"),
         QJsonObject {{QStringLiteral("checked"), rotation},
                      {QStringLiteral("floor_percent"), floor},
                      {QStringLiteral("new"), totalNew},
                      {QStringLiteral("returning"), total - totalNew},
                      {QStringLiteral("rate_percent"), total ? double(totalNew) * 100.0 / double(total) : 0.0}}},
        {QStringLiteral("cells"), cellsJson},
    };
    return out;
}

Result<QJsonObject> verifyDraw(const QJsonObject &report, const DrawInput &files, const QByteArray &roster)
{
    if (report.value(QStringLiteral("format")).toString() != QLatin1String("pingyi-draw-report/v1")
        || report.value(QStringLiteral("algorithm")).toString() != QLatin1String(kDrawAlgorithm))
        return makeError(QStringLiteral("draw-mismatch"),
                         QStringLiteral("the report is not a pingyi-draw-report/v1 of algorithm %1; this tool "
                                        "redoes only that algorithm")
                             .arg(QLatin1String(kDrawAlgorithm)));
    DrawInput in = files;
    in.secret = QByteArray::fromHex(report.value(QStringLiteral("secret")).toString().toLatin1());
    in.publicValue = report.value(QStringLiteral("public_value")).toString();
    QJsonObject checks;
    QStringList differ;
    const auto compare = [&](const char *what, const QString &expected, const QString &actual) {
        const bool same = expected == actual;
        checks.insert(QLatin1String(what), same ? QStringLiteral("ok") : QStringLiteral("differs"));
        if (!same)
            differ << QStringLiteral("%1: the report says %2, redone %3")
                          .arg(QLatin1String(what), expected.isEmpty() ? QStringLiteral("(none)") : expected,
                               actual.isEmpty() ? QStringLiteral("(none)") : actual);
    };
    compare("commitment", report.value(QStringLiteral("commitment")).toString(), drawCommitment(in.secret));
    compare("activity_digest", report.value(QStringLiteral("activity_digest")).toString(),
            digestHex(in.activity->canonicalJson()));
    compare("pool_digest", report.value(QStringLiteral("pool_digest")).toString(), digestHex(in.pool));
    compare("previous_digest", report.value(QStringLiteral("previous_digest")).toString(),
            in.previous.isEmpty() ? QString() : digestHex(in.previous));
    auto redone = drawRoster(in);
    if (!redone)
        return makeError(QStringLiteral("draw-mismatch"),
                         QStringLiteral("the draw could not be redone: %1").arg(redone.error().message));
    compare("seed", report.value(QStringLiteral("seed")).toString(),
            redone->report.value(QStringLiteral("seed")).toString());
    compare("roster_digest", report.value(QStringLiteral("roster_digest")).toString(), digestHex(redone->roster));
    compare("list_digest", report.value(QStringLiteral("list_digest")).toString(), digestHex(redone->list));
    if (!roster.isEmpty())
        compare("roster_file", digestHex(redone->roster), digestHex(roster));
    if (!differ.isEmpty())
        return makeError(QStringLiteral("draw-mismatch"),
                         QStringLiteral("the draw does not verify (%1 of %2 checks differ):\n  %3")
                             .arg(differ.size())
                             .arg(checks.size())
                             .arg(differ.join(QStringLiteral("\n  "))));
    checks.insert(QStringLiteral("representatives"), redone->report.value(QStringLiteral("representatives")));
    checks.insert(QStringLiteral("rotation"), redone->report.value(QStringLiteral("rotation")));
    return checks;
}

} // namespace pingyi::hq
