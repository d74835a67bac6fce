#pragma once
// The tally's counting (internal to the tally): the activity's codes as dense indices, the
// accumulators per (group, venue) cell, and countRecords, which opens every archived
// batch with the election key and counts the records import counted, on every core.
// Ballots in canonical form are read straight from their bytes through the core/formats
// visitor (BallotCounter); anything else goes through decodeBallot + validateBallot.

#include "activity.h"
#include "crypto.h"
#include "result.h"
#include "storage.h"
#include "tally.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace pingyi::hq::tally {

/// Codes to dense indices, built once and shared read-only by the worker threads.
struct Questions {
    QHash<QString, int> question;
    QList<QHash<QString, int>> choice; ///< per question: choice code -> flat index
    int choices = 0;

    explicit Questions(const QList<Question> &list)
    {
        for (const Question &q : list) {
            question.insert(q.code, int(choice.size()));
            QHash<QString, int> c;
            for (const Choice &ch : q.choices)
                c.insert(ch.code, choices++);
            choice.append(c);
        }
    }
};

struct Index {
    QHash<QString, int> option;
    QList<int> score;
    QList<bool> satisfied;
    QHash<QString, int> session;
    QList<QHash<QString, int>> department; ///< per session
    QHash<QString, int> venue;
    Questions questionnaire;
    Questions discipline;
    int maxDepartments = 0;

    explicit Index(const Activity &a) : questionnaire(a.questionnaire), discipline(a.discipline)
    {
        for (const RatingOption &o : a.scale) {
            option.insert(o.code, int(score.size()));
            score.append(o.score);
            satisfied.append(isSatisfied(o, a.tally.satisfiedThreshold));
        }
        for (const GroupSession &s : a.sessions) {
            session.insert(s.code, int(department.size()));
            QHash<QString, int> d;
            for (const Department &dep : s.departments)
                d.insert(dep.code, int(d.size()));
            department.append(d);
            maxDepartments = std::max(maxDepartments, int(s.departments.size()));
        }
        for (const Venue &v : a.venues)
            venue.insert(v.code, int(venue.size()));
    }
};

/// Counts for one (group, venue) cell.
struct Acc {
    qint64 ballots = 0;
    std::vector<qint64> ratings; ///< department * options + option
    std::vector<qint64> qAnswered, qChoice, dAnswered, dChoice;

    void init(const Index &ix)
    {
        ratings.assign(std::size_t(ix.maxDepartments * ix.score.size()), 0);
        qAnswered.assign(std::size_t(ix.questionnaire.choice.size()), 0);
        qChoice.assign(std::size_t(ix.questionnaire.choices), 0);
        dAnswered.assign(std::size_t(ix.discipline.choice.size()), 0);
        dChoice.assign(std::size_t(ix.discipline.choices), 0);
    }
    void add(const Acc &o)
    {
        ballots += o.ballots;
        auto sum = [](std::vector<qint64> &a, const std::vector<qint64> &b) {
            for (std::size_t i = 0; i < a.size(); ++i)
                a[i] += b[i];
        };
        sum(ratings, o.ratings);
        sum(qAnswered, o.qAnswered);
        sum(qChoice, o.qChoice);
        sum(dAnswered, o.dAnswered);
        sum(dChoice, o.dChoice);
    }
};

/// An imported batch as the tally reads it from hq.db.
struct BatchInfo {
    qint64 id = 0;
    int session = -1; ///< index into the activity's sessions; -1 unknown
    int venue = -1;
    BatchRef ref;
    QString archiveFile;
    qint64 records = 0; ///< records counted at import
    QByteArray ballotIds, suggestionIds; ///< counted at import: sorted, 32 bytes each
};

/// The imported batches (by venue, group and kiosk) with the ids of the records import
/// counted in each.
Result<QList<BatchInfo>> importedBatches(Database &db, const Index &ix);

/// The records quarantined at import (by venue, group and code).
Result<QList<QuarantineRef>> quarantinedRecords(Database &db);

/// What countRecords found: the counts per (group, venue) cell (group * venues + venue),
/// the records that could not be counted (sorted) and the suggestions (in follow-up order).
struct Counted {
    std::vector<Acc> cells;
    QList<RejectedRecord> rejected;
    QList<SuggestionRow> suggestions;
};

/// Opens, in `archiveDir`, the archived copy of every batch with `election` and counts
/// exactly the records import counted there (matched by id); error "tally-archive" when a
/// copy cannot be read or opened or lacks a record.
Result<Counted> countRecords(const Activity &activity, const Index &ix, const QList<BatchInfo> &batches,
                             const crypto::BoxKeyPair &election, const QString &archiveDir,
                             const TallyOptions &options);

} // namespace pingyi::hq::tally
