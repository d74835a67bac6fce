// The kiosk UI's C++ view models against a real, provisioned kiosk service: typed list
// models under QAbstractItemModelTester, the voter flow's rules (no default answer, no
// silent skip, a tap only selects, no input while a page turn settles, edit from the review,
// idle release, nothing kept after the cast), check-in
// refusals, the staff console (PIN back-off, sessions and reports, USB export and its
// errors, inactivity lock) and the Pinyin engine.

#include "accessibility.h"
#include "ballotmodels.h"
#include "cameradesk.h"
#include "cameraservice.h"
#include "checkindesk.h"
#include "kiosk.h"
#include "pinyinengine.h"
#include "roster.h"
#include "staffconsole.h"
#include "staffmodels.h"
#include "uitestsupport.h"
#include "voterflow.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QQuickImageProvider>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>

using namespace pingyi;
using namespace pingyi::ui;
using uitest::TestKiosk;

namespace {

/// Unmount outcomes in order, and the drives it was asked to unmount (thread-safe: the
/// console asks from its worker thread while the test waits).
class ScriptedEjector final : public kiosk::DriveEjector {
public:
    Result<kiosk::Ejection> eject(const QString &dir) override
    {
        const QMutexLocker lock(&mutex);
        asked.append(dir);
        return outcomes.isEmpty() ? Result<kiosk::Ejection>(kiosk::Ejection {}) : outcomes.takeFirst();
    }
    QMutex mutex;
    QList<Result<kiosk::Ejection>> outcomes;
    QStringList asked;
};

/// A camera for the tests: blue frames (BGR 255, 0, 0) about 50 a second, or missing, or
/// pulled out, as `state` says (shared with the test, read on the camera thread).
class FakeCamera final : public vision::FrameSource {
public:
    enum State { Present, Missing, Unplugged };
    explicit FakeCamera(std::shared_ptr<std::atomic<int>> state) : m_state(std::move(state)) { }
    Status open() override
    {
        if (m_state->load() != Present)
            return makeError(vision::sourceerror::missing, QStringLiteral("no fake camera"));
        return {};
    }
    Result<vision::Frame> read() override
    {
        QThread::msleep(20);
        if (m_state->load() != Present)
            return makeError(vision::sourceerror::unplugged, QStringLiteral("fake camera pulled out"));
        return vision::Frame {cv::Mat(480, 640, CV_8UC3, cv::Scalar(255, 0, 0)), ++m_count};
    }
    void close() override { }
    QString describe() const override { return QStringLiteral("fake camera"); }

private:
    std::shared_ptr<std::atomic<int>> m_state;
    std::uint64_t m_count = 0;
};

} // namespace

class TestViewModels : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestKiosk> kiosk()
    {
        QString error;
        auto k = uitest::makeKiosk(&error);
        if (!k)
            qFatal("test kiosk: %s", qPrintable(error));
        return k;
    }
    static VoterFlow::Timings quick() { return {0, 3600, 30, 3600}; }

    /// Checks in the first econ voter and answers every department.
    static void rateAll(VoterFlow &flow, const QString &code = QStringLiteral("satisfied"))
    {
        while (flow.stage() == VoterFlow::Stage::Department) {
            flow.rate(code);
            flow.next();
        }
    }
    static void answerQuestions(VoterFlow &flow)
    {
        while (flow.stage() == VoterFlow::Stage::Question || flow.stage() == VoterFlow::Stage::Discipline) {
            const QuestionPage q = flow.question();
            flow.choose(q.choices.last().code);
            flow.next();
        }
    }

private Q_SLOTS:
    void idNumberFlaws_data()
    {
        QTest::addColumn<QString>("number");
        QTest::addColumn<CheckInDesk::IdFlaw>("flaw");
        const QString first17 = QStringLiteral("37020219550307123");
        const QString good = first17 + idnumber::checkCharacter(first17);
        const QChar wrongCheck = good.at(17) == u'0' ? u'1' : u'0';
        QTest::newRow("valid") << good << CheckInDesk::IdFlaw::None;
        QTest::newRow("lower-case x is normalised")
            << QStringLiteral("11010519491231002x") << CheckInDesk::IdFlaw::None;
        QTest::newRow("too short") << good.left(17) << CheckInDesk::IdFlaw::Shape;
        QTest::newRow("region") << QLatin1Char('0') + good.mid(1) << CheckInDesk::IdFlaw::Region;
        QTest::newRow("month 13") << good.left(10) + QStringLiteral("13") + good.mid(12)
                                  << CheckInDesk::IdFlaw::BirthDate;
        QTest::newRow("born tomorrow") << QStringLiteral("370202")
                + QDate(2026, 12, 7).toString(QStringLiteral("yyyyMMdd")) + QStringLiteral("1234")
                                       << CheckInDesk::IdFlaw::BirthDate;
        QTest::newRow("check character") << good.left(17) + wrongCheck << CheckInDesk::IdFlaw::CheckCharacter;
        QTest::newRow("one digit swapped")
            << good.left(3) + (good.at(3) == u'5' ? u'6' : u'5') + good.mid(4) << CheckInDesk::IdFlaw::CheckCharacter;
    }

    void idNumberFlaws()
    {
        QFETCH(QString, number);
        QFETCH(CheckInDesk::IdFlaw, flaw);
        QCOMPARE(CheckInDesk::idFlawOf(number, QDate(2026, 12, 6)), flaw);
    }

    void chimeIsHeardAndClickFree()
    {
        for (const Chime::Kind kind : {Chime::Kind::Attention, Chime::Kind::Call}) {
            const QByteArray pcm = Chime::samples(kind);
            const auto *s = reinterpret_cast<const qint16 *>(pcm.constData());
            const qsizetype n = pcm.size() / 2;
            // Half a second to a second and a half: heard, never a long noise.
            QVERIFY(n > Chime::sampleRate / 2 && n < Chime::sampleRate * 3 / 2);
            double energy = 0;
            int peak = 0;
            for (qsizetype i = 0; i < n; ++i) {
                energy += double(s[i]) * s[i];
                peak = std::max(peak, std::abs(int(s[i])));
            }
            QVERIFY2(std::sqrt(energy / n) > 1500, "not silence");
            QVERIFY(peak < 32767); // no clipping
            // Starts and ends at rest: no click.
            QVERIFY(std::abs(int(s[0])) < 200);
            QVERIFY(std::abs(int(s[n - 1])) < 200);
        }
        // Counted, not played, when muted.
        Chime muted(false);
        QSignalSpy rang(&muted, &Chime::rang);
        muted.ring(Chime::Kind::Call);
        muted.ring(Chime::Kind::Call);
        QCOMPARE(muted.rings(), 2);
        QCOMPARE(rang.count(), 2);
    }

    void choiceAndRatingModels()
    {
        ChoiceListModel scale;
        QAbstractItemModelTester scaleTester(&scale, QAbstractItemModelTester::FailureReportingMode::QtTest);
        scale.setItems({{QStringLiteral("a"), QStringLiteral("满意"), QStringLiteral("Satisfied")},
                        {QStringLiteral("b"), QStringLiteral("不满意"), QStringLiteral("Dissatisfied")}});
        QCOMPARE(scale.count(), 2);
        QCOMPARE(scale.data(scale.index(1), ChoiceListModel::LabelEnRole).toString(), QStringLiteral("Dissatisfied"));
        QCOMPARE(scale.label(QStringLiteral("a"), true), QStringLiteral("Satisfied"));
        QCOMPARE(scale.labels(false), QStringList({QStringLiteral("满意"), QStringLiteral("不满意")}));
        QCOMPARE(scale.spokenList(false), QStringLiteral("满意、不满意"));

        RatingListModel ratings(scale);
        QAbstractItemModelTester ratingTester(&ratings, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy answered(&ratings, &RatingListModel::answeredChanged);
        QSignalSpy changed(&ratings, &QAbstractItemModel::dataChanged);
        ratings.setDepartments({{QStringLiteral("d1"), QStringLiteral("市财政局"), QStringLiteral("Finance")},
                                {QStringLiteral("d2"), QStringLiteral("市科技局"), QStringLiteral("Science")}});
        QCOMPARE(ratings.count(), 2);
        QCOMPARE(ratings.answered(), 0);
        QCOMPARE(ratings.firstUnanswered(), 0);
        QVERIFY(ratings.data(ratings.index(0), RatingListModel::RatingRole).toString().isEmpty()); // no default
        ratings.setRating(1, QStringLiteral("b"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(ratings.data(ratings.index(1), RatingListModel::RatingLabelRole).toString(), QStringLiteral("不满意"));
        QCOMPARE(ratings.data(ratings.index(1), RatingListModel::NumberRole).toInt(), 2);
        QCOMPARE(ratings.answered(), 1);
        QCOMPARE(ratings.firstUnanswered(), 0);
        QCOMPARE(ratings.name(QStringLiteral("d2"), true), QStringLiteral("Science"));
        QVERIFY(answered.count() >= 2);
    }

    void questionModel()
    {
        auto k = kiosk();
        QuestionListModel questions;
        QAbstractItemModelTester tester(&questions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        questions.setQuestions(k->service->activity().questionnaire);
        QVERIFY(questions.count() >= 2);
        QCOMPARE(questions.firstMissing(), 0);
        const Question &q = questions.question(1);
        QCOMPARE(q.kind, Question::Kind::Multiple);
        questions.setAnswer(1, {q.choices.at(0).code, q.choices.at(1).code});
        const QuestionPage page = questions.page(1);
        QCOMPARE(page.multiple, true);
        QCOMPARE(page.answer.size(), 2);
        QCOMPARE(page.answerLabel, q.choices.at(0).label + QStringLiteral("、") + q.choices.at(1).label);
        QCOMPARE(questions.answers().size(), 1);
    }

    void fullBallotThroughTheFlow()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, quick());
        QAbstractItemModelTester tester(flow.ratings(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QSignalSpy finished(&flow, &VoterFlow::finished);

        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
        QCOMPARE(flow.stage(), VoterFlow::Stage::Department);
        QCOMPARE(flow.count(), 15);
        QVERIFY(!flow.maskedName().isEmpty());
        // No default answer and no silent skip.
        QVERIFY(!flow.canAdvance());
        flow.next();
        QCOMPARE(flow.index(), 0);
        // A tap only selects; a second one changes it; "next" moves on.
        flow.rate(QStringLiteral("dissatisfied"));
        QCOMPARE(flow.index(), 0);
        QVERIFY(flow.canAdvance());
        flow.rate(QStringLiteral("satisfied"));
        QCOMPARE(flow.index(), 0);
        QCOMPARE(flow.department().rating, QStringLiteral("satisfied"));
        flow.next();
        QCOMPARE(flow.index(), 1);
        flow.back();
        QCOMPARE(flow.index(), 0);
        QCOMPARE(flow.department().rating, QStringLiteral("satisfied"));
        flow.next();
        rateAll(flow);
        QCOMPARE(flow.ratings()->answered(), 15);
        QCOMPARE(flow.stage(), VoterFlow::Stage::Question);
        QCOMPARE(flow.step(), 1);

        // Multiple choice: at most max_choices, in the activity's order.
        flow.choose(flow.question().choices.at(0).code);
        QCOMPARE(flow.index(), 0);
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::Question);
        QCOMPARE(flow.index(), 1);
        const QList<ChoiceView> choices = flow.question().choices;
        for (int i = 3; i >= 0; --i)
            flow.choose(choices.at(i).code);
        QVERIFY(flow.atLimit());
        const QStringList chosen = flow.question().answer;
        QCOMPARE(chosen.size(), 3);
        QCOMPARE(chosen.first(), choices.at(1).code);
        flow.next();
        answerQuestions(flow);
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionAsk);
        QVERIFY(!flow.canAdvance());

        flow.setWantsSuggestion(true);
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionAsk);
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionTopic);
        flow.chooseTopic(QStringLiteral("urban"));
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionTopic);
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionDepartment);
        flow.chooseSuggestionDepartment(QString());
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::SuggestionText);
        QVERIFY(!flow.canAdvance());
        flow.setSuggestionText(QStringLiteral("希望增加社区公交线路。"));
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::Review);

        // Change one answer from the review and come straight back.
        flow.edit(int(VoterFlow::Stage::Department), 4);
        QCOMPARE(flow.stage(), VoterFlow::Stage::Department);
        QCOMPARE(flow.index(), 4);
        QVERIFY(flow.editing());
        flow.rate(QStringLiteral("dissatisfied"));
        QCOMPARE(flow.stage(), VoterFlow::Stage::Department);
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::Review);
        QCOMPARE(flow.ratings()->rating(4), QStringLiteral("dissatisfied"));

        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::Confirm);
        QVERIFY(flow.cast());
        QCOMPARE(flow.stage(), VoterFlow::Stage::Receipt);
        QVERIFY(QRegularExpression(QStringLiteral("^[A-Z2-7]{4}-[A-Z2-7]{4}$")).match(flow.receiptCode()).hasMatch());
        // Nothing of the ballot is kept once it is sealed.
        QCOMPARE(flow.ratings()->answered(), 0);
        QVERIFY(flow.questionnaire()->answers().isEmpty());
        QVERIFY(flow.suggestionText().isEmpty());
        flow.finish();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("cast"));
        QVERIFY(flow.receiptCode().isEmpty());
        QVERIFY(flow.maskedName().isEmpty());
        const auto s = k->service->session({QStringLiteral("econ"), false});
        QCOMPARE(s->counts.ballots, 1);
        QCOMPARE(s->counts.suggestions, 1);
    }

    void receiptLeavesByItself()
    {
        // The receipt must not stay in view of the next person in the queue.
        QCOMPARE(VoterFlow::Timings {}.receiptSeconds, 15);
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, {0, 3600, 30, 1});
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QSignalSpy finished(&flow, &VoterFlow::finished);
        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
        rateAll(flow);
        answerQuestions(flow);
        flow.setWantsSuggestion(false);
        flow.next();
        QCOMPARE(flow.stage(), VoterFlow::Stage::Review);
        flow.next();
        QVERIFY(flow.cast());
        QCOMPARE(flow.stage(), VoterFlow::Stage::Receipt);
        QCOMPARE(flow.receiptSeconds(), 1);
        QVERIFY(!flow.receiptCode().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("cast"));
        QVERIFY(flow.receiptCode().isEmpty());
    }

    void inputIsIgnoredWhileAPageTurnSettles()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, {300, 3600, 30, 3600});
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QSignalSpy settling(&flow, &VoterFlow::settlingChanged);
        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
        // The first page has just appeared: a tap left over from the check-in does nothing.
        QVERIFY(flow.settling());
        flow.rate(QStringLiteral("dissatisfied"));
        QVERIFY(flow.department().rating.isEmpty());
        QTRY_VERIFY(!flow.settling());
        QCOMPARE(settling.count(), 2);

        // A correction on the page it was meant for is always kept.
        flow.rate(QStringLiteral("satisfied"));
        flow.rate(QStringLiteral("fairly-satisfied"));
        QCOMPARE(flow.index(), 0);
        flow.next();
        QCOMPARE(flow.index(), 1);
        QVERIFY(flow.settling());
        // The second tap of a double tap on "next", and a tap meant for the page before.
        flow.next();
        flow.rate(QStringLiteral("dissatisfied"));
        flow.back();
        QCOMPARE(flow.index(), 1);
        QVERIFY(flow.department().rating.isEmpty());
        QTRY_VERIFY(!flow.settling());
        QVERIFY(!flow.canAdvance()); // still no silent skip
        flow.back();
        QCOMPARE(flow.index(), 0);
        QCOMPARE(flow.department().rating, QStringLiteral("fairly-satisfied"));
        QCOMPARE(flow.ratings()->answered(), 1);
        // Selecting does not turn the page, so it does not start a settle period.
        QTRY_VERIFY(!flow.settling());
        const int turns = int(settling.count());
        flow.rate(QStringLiteral("satisfied"));
        QCOMPARE(settling.count(), turns);
    }

    void scaleMarksFollowTheScore()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, quick());
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
        const QList<RatingOption> &scale = k->service->activity().scale;
        QCOMPARE(flow.scale()->count(), scale.size());
        for (const RatingOption &o : scale) {
            const int higher = int(
                std::count_if(scale.cbegin(), scale.cend(), [&](const RatingOption &r) { return r.score > o.score; }));
            QCOMPARE(flow.scale()->rank(o.code), higher);
        }
        QCOMPARE(flow.scale()->rank(QStringLiteral("satisfied")), 0);
        QCOMPARE(flow.scale()->rank(QStringLiteral("dissatisfied")), int(scale.size()) - 1);
        QCOMPARE(flow.ratings()->data(flow.ratings()->index(0), RatingListModel::RatingRankRole).toInt(), -1);
        flow.rate(QStringLiteral("basically-satisfied"));
        QCOMPARE(flow.ratings()->data(flow.ratings()->index(0), RatingListModel::RatingRankRole).toInt(), 2);
    }

    void idleVoterIsReleased()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, {0, 0, 1, 3600});
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QSignalSpy idle(&flow, &VoterFlow::idleChanged);
        QSignalSpy finished(&flow, &VoterFlow::finished);
        QVERIFY(desk.submitIdNumber(k->voter(QStringLiteral("econ"))->idNumber));
        QTRY_VERIFY(flow.idleWarning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 3000);
        QCOMPARE(finished.at(0).at(0).toString(), QStringLiteral("idle"));
        QVERIFY(!k->service->voterActive());
        QCOMPARE(k->service->session({QStringLiteral("econ"), false})->counts.released, 1);
        QVERIFY(idle.count() >= 2);
    }

    void cancelReleasesTheCheckIn()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, quick());
        QObject::connect(&desk, &CheckInDesk::admitted, &flow, [&](const QString &name) { flow.begin(name); });
        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->idNumber)); // an ID card reader types the number
        flow.rate(QStringLiteral("satisfied"));
        flow.requestCancel();
        QVERIFY(flow.confirmingCancel());
        flow.keepVoting();
        QVERIFY(!flow.confirmingCancel());
        flow.requestCancel();
        flow.confirmCancel();
        QCOMPARE(flow.stage(), VoterFlow::Stage::None);
        QCOMPARE(k->service->session({QStringLiteral("econ"), false})->counts.released, 1);
        // The same representative may come back and vote.
        QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
    }

    void checkInRefusals_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("code");
        QTest::newRow("closed session") << "closed"
                                        << "session-not-open";
        QTest::newRow("unknown id") << "unknown-id"
                                    << "id-unknown";
        QTest::newRow("bad check digit") << "bad-id"
                                         << "id-invalid";
        QTest::newRow("garbage scan") << "garbage"
                                      << "credential-format";
        QTest::newRow("other group") << "other-session"
                                     << "not-in-session";
        QTest::newRow("voted already") << "twice"
                                       << "already-voted";
    }

    void checkInRefusals()
    {
        QFETCH(QString, what);
        QFETCH(QString, code);
        auto k = kiosk();
        if (what != QLatin1String("closed"))
            QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        QSignalSpy admitted(&desk, &CheckInDesk::admitted);
        bool ok = true;
        if (what == QLatin1String("closed"))
            ok = desk.submitScan(k->voter(QStringLiteral("econ"))->credential);
        else if (what == QLatin1String("unknown-id"))
            ok = desk.submitIdNumber(uitest::unknownIdNumber());
        else if (what == QLatin1String("bad-id"))
            ok = desk.submitIdNumber(QStringLiteral("110101199003071230"));
        else if (what == QLatin1String("garbage"))
            ok = desk.submitScan(QStringLiteral("HELLO-WORLD"));
        else if (what == QLatin1String("other-session"))
            ok = desk.submitScan(k->voter(QStringLiteral("service"))->credential);
        else if (what == QLatin1String("twice")) {
            VoterFlow flow(*k->service, quick());
            QVERIFY(desk.submitScan(k->voter(QStringLiteral("econ"))->credential));
            flow.begin(QStringLiteral("x"));
            rateAll(flow);
            answerQuestions(flow);
            flow.setWantsSuggestion(false);
            flow.next();
            QCOMPARE(flow.stage(), VoterFlow::Stage::Review);
            flow.next();
            QVERIFY(flow.cast());
            flow.finish();
            ok = desk.submitScan(k->voter(QStringLiteral("econ"))->credential);
        }
        QVERIFY(!ok);
        QCOMPARE(desk.errorCode(), code);
        QVERIFY(desk.attempts() >= 1);
        QVERIFY(!desk.errorDetail().isEmpty());
        desk.clear();
        QVERIFY(desk.errorCode().isEmpty());
    }

    void staffLoginBacksOff()
    {
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {});
        QSignalSpy errors(&staff, &StaffConsole::errorChanged);
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(!staff.login(QStringLiteral("000000")));
        QCOMPARE(staff.error().code, StaffErrors::PinWrong);
        QCOMPARE(staff.error().source, QStringLiteral("pin-wrong"));
        QCOMPARE(staff.error().triesLeft, 2);
        QVERIFY(!staff.login(QStringLiteral("000001")));
        QVERIFY(!staff.login(QStringLiteral("000002")));
        QCOMPARE(staff.error().code, StaffErrors::PinLocked);
        QVERIFY(staff.lockSeconds() > 0);
        QVERIFY(!staff.login(k->enrolment.pins.staff)); // even the right PIN waits
        k->clock.advance(staff.lockSeconds() + 1);
        QVERIFY(staff.login(k->enrolment.pins.staff));
        QCOMPARE(staff.page(), StaffConsole::Page::Dashboard);
        QCOMPARE(staff.role(), QStringLiteral("staff"));
        QVERIFY(errors.count() >= 4);
    }

    void staffErrorFromService_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("expected");
        QTest::newRow("none") << QString() << int(StaffErrors::None);
        QTest::newRow("pin-locked") << QStringLiteral("pin-locked") << int(StaffErrors::PinLocked);
        QTest::newRow("role") << QStringLiteral("role") << int(StaffErrors::LoginRequired);
        QTest::newRow("session-state") << QStringLiteral("session-state") << int(StaffErrors::SessionChanged);
        QTest::newRow("export-missing") << QStringLiteral("export-missing") << int(StaffErrors::DriveMissing);
        QTest::newRow("export-read-only") << QStringLiteral("export-read-only") << int(StaffErrors::DriveReadOnly);
        QTest::newRow("export-full") << QStringLiteral("export-full") << int(StaffErrors::DriveFull);
        QTest::newRow("export-verify") << QStringLiteral("export-verify") << int(StaffErrors::DriveVerify);
        QTest::newRow("io-write") << QStringLiteral("io-write") << int(StaffErrors::DriveWrite);
        QTest::newRow("unknown") << QStringLiteral("db") << int(StaffErrors::Other);
    }

    void staffErrorFromService()
    {
        QFETCH(QString, code);
        QFETCH(int, expected);
        const StaffError e = StaffError::fromService({code, QStringLiteral("what the service said")});
        QCOMPARE(int(e.code), expected);
        QCOMPARE(e.isError(), !code.isEmpty());
        QCOMPARE(e.source, code);
        QCOMPARE(e.message, code.isEmpty() ? QString() : QStringLiteral("what the service said"));
    }

    void overrideNeedsTheLead()
    {
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {});
        QSignalSpy authorized(&staff, &StaffConsole::overrideAuthorized);
        staff.begin(StaffConsole::Purpose::Override);
        QVERIFY(!staff.login(k->enrolment.pins.staff));
        QCOMPARE(staff.error().code, StaffErrors::NeedLead);
        QCOMPARE(staff.role(), QString());
        QVERIFY(staff.login(k->enrolment.pins.lead));
        QCOMPARE(authorized.count(), 1);
    }

    void reportFacts_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("date");
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("offset");
        QTest::newRow("Shanghai") << "Asia/Shanghai"
                                  << "2025-12-20"
                                  << "17:00"
                                  << "UTC+8";
        QTest::newRow("UTC") << "UTC"
                             << "2025-12-20"
                             << "09:00"
                             << "UTC";
        QTest::newRow("Kolkata") << "Asia/Kolkata"
                                 << "2025-12-20"
                                 << "14:30"
                                 << "UTC+5:30";
        QTest::newRow("past midnight backwards") << "America/Los_Angeles"
                                                 << "2025-12-20"
                                                 << "01:00"
                                                 << "UTC-8";
    }

    void reportFacts()
    {
        QFETCH(QString, zone);
        QFETCH(QString, date);
        QFETCH(QString, time);
        QFETCH(QString, offset);
        kiosk::Report r;
        r.kind = QStringLiteral("closing");
        const QString hex = QStringLiteral("0123456789abcdef") + QString(48, u'e');
        r.body = QJsonObject {{QStringLiteral("time"), QStringLiteral("2025-12-20T09:00:00Z")},
                              {QStringLiteral("checkins"), 7},
                              {QStringLiteral("ballots"), 5},
                              {QStringLiteral("released"), 2},
                              {QStringLiteral("suggestions"), 3},
                              {QStringLiteral("kiosk"), QStringLiteral("k-01")},
                              {QStringLiteral("ballot_digest"), hex},
                              {QStringLiteral("by_category"), QJsonObject {{QStringLiteral("nobody-knows"), 7}}}};
        const ReportFacts f = ReportFacts::fromReport(r, QTimeZone(zone.toLatin1()), Activity {}, 9);
        QVERIFY(f.valid());
        QVERIFY(f.closing);
        QCOMPARE(f.date, date);
        QCOMPARE(f.time, time);
        QCOMPARE(f.zone, offset);
        QCOMPARE(f.checkins, 7);
        QCOMPARE(f.ballots, 5);
        QCOMPARE(f.leftWithoutVoting, 2);
        QCOMPARE(f.suggestions, 3);
        QCOMPARE(f.invited, 9);
        QCOMPARE(f.digest, hex);
        QCOMPARE(f.digestShort, QStringLiteral("0123 4567 89ab cdef"));
        QCOMPARE(f.categories, QStringList {QStringLiteral("nobody-knows 7")}); // unknown code: shown as it is
    }

    void sessionsReportsAndExport()
    {
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {k->usbDir});
        QAbstractItemModelTester sessionTester(staff.sessions(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester driveTester(staff.drives(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(staff.login(k->enrolment.pins.staff));
        QCOMPARE(staff.sessions()->count(), 6); // three groups held at the venue, real and rehearsal
        QVERIFY(!staff.current().valid());

        staff.requestAction(QStringLiteral("open"), QStringLiteral("econ"), false);
        QCOMPARE(staff.pendingAction(), QStringLiteral("open"));
        QCOMPARE(staff.pending().code, QStringLiteral("econ"));
        QVERIFY(staff.confirmAction());
        QCOMPARE(staff.page(), StaffConsole::Page::Report);
        QCOMPARE(staff.reportKind(), QStringLiteral("zero"));
        QVERIFY(staff.reportQr().startsWith(QStringLiteral("PYR1:")));
        QVERIFY(staff.pendingAction().isEmpty());
        QVERIFY(!staff.pending().valid());
        QCOMPARE(staff.current().state, QStringLiteral("open"));

        // One session at a time.
        staff.requestAction(QStringLiteral("open"), QStringLiteral("service"), false);
        QVERIFY(!staff.confirmAction());
        QCOMPARE(staff.error().code, StaffErrors::SessionOtherOpen);

        staff.requestAction(QStringLiteral("pause"), QStringLiteral("econ"), false);
        QVERIFY(staff.confirmAction());
        QCOMPARE(staff.current().state, QStringLiteral("paused"));
        staff.requestAction(QStringLiteral("resume"), QStringLiteral("econ"), false);
        QVERIFY(staff.confirmAction());
        staff.requestAction(QStringLiteral("close"), QStringLiteral("econ"), false);
        QVERIFY(staff.confirmAction());
        QCOMPARE(staff.reportKind(), QStringLiteral("closing"));
        QVERIFY(staff.reportText().contains(QStringLiteral("Closing report")));
        QCOMPARE(staff.closedSessions(), 1);
        // What the report screen shows, from the signed body.
        QVERIFY(staff.report().closing);
        QCOMPARE(staff.report().ballots, 0);
        QCOMPARE(staff.report().digest.size(), 64);
        QCOMPARE(staff.report().digestShort.size(), 19);
        QVERIFY(staff.report().invited > 0);
        QCOMPARE(staff.report().invited, staff.reportSession().invited);
        QCOMPARE(staff.venueDay(), QStringLiteral("between")); // two real sessions still to come

        staff.startExport(QStringLiteral("econ"), false);
        QCOMPARE(staff.page(), StaffConsole::Page::Export);
        QCOMPARE(staff.drives()->count(), 1);
        QSignalSpy busy(&staff, &StaffConsole::busyChanged);
        staff.exportTo(k->usbDir);
        QVERIFY(staff.busy());
        QTRY_COMPARE(staff.exportStage(), StaffConsole::ExportStage::Done);
        QVERIFY(!staff.busy());
        QCOMPARE(busy.count(), 2);
        QVERIFY(QFile::exists(staff.exportPath()));
        QCOMPARE(QFileInfo(staff.exportPath()).size(), qint64(staff.exportBytes()));
        const int row = staff.sessions()->find({QStringLiteral("econ"), false});
        QCOMPARE(staff.sessions()->data(staff.sessions()->index(row), SessionListModel::StateRole).toString(),
                 QStringLiteral("exported"));
        QCOMPARE(staff.sessions()->data(staff.sessions()->index(row), SessionListModel::ExportedToRole).toString(),
                 staff.exportPath());

        // Written and verified, but the drive would not unmount: not "safe to remove" until
        // an unmount succeeds.
        auto ejector = std::make_shared<ScriptedEjector>();
        ejector->outcomes = {makeError(QStringLiteral("eject-busy"), QStringLiteral("still in use by x (pid 1)")),
                             kiosk::Ejection {true, QStringLiteral("umount")}};
        staff.setEjector(ejector);
        staff.startExport(QStringLiteral("econ"), false);
        staff.exportTo(k->usbDir);
        QTRY_COMPARE(staff.exportStage(), StaffConsole::ExportStage::Written);
        QCOMPARE(staff.exportEjectError().code, StaffErrors::DriveBusy);
        QVERIFY(QFile::exists(staff.exportPath()));
        staff.ejectAgain();
        QTRY_COMPARE(staff.exportStage(), StaffConsole::ExportStage::Done);
        QCOMPARE(staff.exportEjectError().code, StaffErrors::None);
        QCOMPARE(ejector->asked, QStringList({k->usbDir, k->usbDir}));

        // The drive was pulled out before the next export.
        staff.startExport(QStringLiteral("econ"), false);
        QVERIFY(QDir(k->usbDir).removeRecursively());
        staff.exportTo(k->usbDir);
        QCOMPARE(staff.exportStage(), StaffConsole::ExportStage::Failed);
        QCOMPARE(staff.exportError().code, StaffErrors::DriveMissing);
        staff.chooseDrive();
        QCOMPARE(staff.exportStage(), StaffConsole::ExportStage::Choose);
        QCOMPARE(staff.drives()->count(), 0);
    }

    void consoleLocksAfterInactivity()
    {
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {});
        QSignalSpy closed(&staff, &StaffConsole::closed);
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(staff.login(k->enrolment.pins.technician));
        staff.showTechnician();
        QCOMPARE(staff.page(), StaffConsole::Page::Technician);
        k->clock.advance(60);
        staff.touch();
        k->clock.advance(100);
        staff.refresh();
        QCOMPARE(staff.page(), StaffConsole::Page::Technician); // touched in time
        k->clock.advance(200);
        staff.refresh();
        QCOMPARE(staff.page(), StaffConsole::Page::Login);
        QCOMPARE(closed.count(), 1);
        QCOMPARE(staff.role(), QString());
    }

    void technicianLeavesKioskMode()
    {
        auto k = kiosk();
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {});
        QSignalSpy leave(&staff, &StaffConsole::leaveRequested);
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(staff.login(k->enrolment.pins.staff));
        staff.leaveKioskMode();
        QCOMPARE(leave.count(), 0);
        staff.logout();
        staff.begin(StaffConsole::Purpose::Console);
        QVERIFY(staff.login(k->enrolment.pins.technician));
        staff.leaveKioskMode();
        QCOMPARE(leave.count(), 1);
    }

    void driveListFindsOverrideDirectories()
    {
        QTemporaryDir a, b;
        DriveListModel drives({a.path(), QStringLiteral("/nonexistent/usb"), b.path()});
        QAbstractItemModelTester tester(&drives, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy count(&drives, &DriveListModel::countChanged);
        drives.refresh();
        QCOMPARE(drives.count(), 2);
        QCOMPARE(count.count(), 1);
        QVERIFY(drives.data(drives.index(0), DriveListModel::FreeBytesRole).toLongLong() > 0);
        QVERIFY(drives.drive(b.path()).has_value());
        QVERIFY(!drives.drive(QStringLiteral("/nonexistent/usb")).has_value());
    }

    void cameraDeskStatusAndPreview()
    {
        auto k = kiosk();
        CheckInDesk desk(*k->service);
        auto state = std::make_shared<std::atomic<int>>(FakeCamera::Missing);
        vision::CameraService service([state] { return std::make_unique<FakeCamera>(state); });
        service.setRetryInterval(std::chrono::milliseconds(20));
        auto ownedCamera = std::make_unique<CameraDesk>(desk, &service);
        CameraDesk &camera = *ownedCamera;
        std::unique_ptr<QQuickImageProvider> provider(camera.makeImageProvider());
        QVERIFY(camera.configured());
        QCOMPARE(camera.status(), QStringLiteral("off"));
        service.start();
        QTRY_COMPARE(camera.status(), QStringLiteral("missing"));
        QVERIFY(!camera.available());
        QVERIFY(camera.statusDetail().contains(QStringLiteral("no fake camera")));

        // Plugged in: live, and the preview counter moves, at most about 12 times a second.
        *state = FakeCamera::Present;
        QTRY_COMPARE(camera.status(), QStringLiteral("live"));
        QVERIFY(camera.available());
        QSignalSpy frames(&camera, &CameraDesk::frameCounterChanged);
        QTest::qWait(1000);
        QVERIFY2(frames.count() >= 5 && frames.count() <= 14, qPrintable(QString::number(frames.count())));

        // The provider converts BGR to the screen's colours, scaled to the size asked for.
        QSize size;
        const QImage image = provider->requestImage(QStringLiteral("1"), &size, QSize(320, 240));
        QCOMPARE(size, QSize(320, 240));
        QCOMPARE(image.pixelColor(10, 10), QColor(0, 0, 255));

        // Pulled out mid-session: said so, retried, and back without a restart.
        *state = FakeCamera::Unplugged;
        QTRY_COMPARE(camera.status(), QStringLiteral("unplugged"));
        *state = FakeCamera::Present;
        QTRY_COMPARE(camera.status(), QStringLiteral("live"));

        // After the desk goes, the provider serves a dark placeholder, not a dangling camera.
        ownedCamera.reset();
        const QImage after = provider->requestImage(QStringLiteral("2"), &size, QSize(320, 240));
        QCOMPARE(after.size(), QSize(64, 48));
        service.stop();
    }

    void cameraDeskHandsOnWhatTheCameraReads()
    {
        auto k = kiosk();
        QVERIFY(k->open(QStringLiteral("econ")));
        CheckInDesk desk(*k->service);
        // Not started: the test emits what the camera thread would.
        vision::CameraService service([] { return std::unique_ptr<vision::FrameSource>(); });
        CameraDesk camera(desk, &service);
        QSignalSpy admitted(&desk, &CheckInDesk::admitted);
        QSignalSpy candidates(&camera, &CameraDesk::candidateChanged);

        // Nothing is read unless the identify screen is shown.
        const QString number = k->voter(QStringLiteral("econ"), 1)->idNumber;
        Q_EMIT service.idNumberRead(number);
        Q_EMIT service.qrDecoded(k->voter(QStringLiteral("econ"))->credential);
        QTest::qWait(50);
        QVERIFY(camera.candidate().isEmpty());
        QCOMPARE(admitted.count(), 0);
        QCOMPARE(service.mode(), vision::CameraService::Mode::Preview);

        camera.setIdentifying(true);
        QCOMPARE(service.mode(), vision::CameraService::Mode::Qr);
        // A number is not read in QR mode.
        Q_EMIT service.idNumberRead(number);
        QTest::qWait(50);
        QVERIFY(camera.candidate().isEmpty());

        // An ID number waits for the representative; the readers stop meanwhile.
        camera.chooseMode(QStringLiteral("idcard"));
        QCOMPARE(service.mode(), vision::CameraService::Mode::IdCard);
        Q_EMIT service.idNumberRead(number);
        QTRY_COMPARE(camera.candidate(), number);
        QVERIFY(!camera.reading());
        QCOMPARE(service.mode(), vision::CameraService::Mode::Preview);
        QCOMPARE(admitted.count(), 0);
        // Not theirs: forgotten, and reading again.
        camera.rejectCandidate();
        QVERIFY(camera.candidate().isEmpty());
        QCOMPARE(service.mode(), vision::CameraService::Mode::IdCard);
        QCOMPARE(admitted.count(), 0);

        // Guidance is said, and stays a moment after the camera stops saying it.
        Q_EMIT service.guidance(QStringLiteral("card-no-number"));
        QTRY_COMPARE(camera.guidance(), QStringLiteral("card-no-number"));
        Q_EMIT service.guidance(QString());
        QTest::qWait(300);
        QCOMPARE(camera.guidance(), QStringLiteral("card-no-number"));
        QTRY_COMPARE_WITH_TIMEOUT(camera.guidance(), QString(), 3000);

        // A number on nobody's roster: refused, and not asked about again while the card lies there.
        Q_EMIT service.idNumberRead(uitest::unknownIdNumber());
        QTRY_VERIFY(!camera.candidate().isEmpty());
        QVERIFY(!camera.confirmCandidate());
        QCOMPARE(desk.errorCode(), QStringLiteral("id-unknown"));
        QCOMPARE(service.mode(), vision::CameraService::Mode::IdCard);
        Q_EMIT service.idNumberRead(uitest::unknownIdNumber());
        QTest::qWait(50);
        QVERIFY(camera.candidate().isEmpty());

        // Confirmed: checked in with the camera as the source.
        Q_EMIT service.idNumberRead(number);
        QTRY_COMPARE(camera.candidate(), number);
        QVERIFY(camera.confirmCandidate());
        QCOMPARE(admitted.count(), 1);
        QCOMPARE(admitted.at(0).at(2).toString(), QStringLiteral("id_number"));
        QVERIFY(camera.candidate().isEmpty());
        // The audit says how (method and source), never the number.
        const auto lastCheckIn = [&] {
            const auto log = k->service->auditLog();
            if (!log)
                return QJsonObject();
            for (auto it = log->crbegin(); it != log->crend(); ++it)
                if (it->body.value(QStringLiteral("event")).toString() == QLatin1String("check-in"))
                    return it->body;
            return QJsonObject();
        };
        QCOMPARE(lastCheckIn().value(QStringLiteral("method")).toString(), QStringLiteral("id_number"));
        QCOMPARE(lastCheckIn().value(QStringLiteral("source")).toString(), QStringLiteral("camera"));
        QVERIFY(!QJsonDocument(lastCheckIn()).toJson().contains(number.toLatin1()));

        // The next person: a QR code goes straight to the check-in, as from the hand scanner.
        QVERIFY(k->service->release(kiosk::ReleaseReason::Cancelled));
        camera.setIdentifying(true);
        QCOMPARE(camera.mode(), QStringLiteral("qr"));
        Q_EMIT service.qrDecoded(k->voter(QStringLiteral("econ"), 2)->credential);
        QTRY_COMPARE(admitted.count(), 2);
        QCOMPARE(admitted.at(1).at(2).toString(), QStringLiteral("credential"));
        QCOMPARE(lastCheckIn().value(QStringLiteral("method")).toString(), QStringLiteral("credential"));
        QCOMPARE(lastCheckIn().value(QStringLiteral("source")).toString(), QStringLiteral("camera"));

        // Tesseract's data missing: said once, and the ID-card choice is withdrawn.
        QVERIFY(k->service->release(kiosk::ReleaseReason::Cancelled));
        camera.setIdentifying(true);
        camera.chooseMode(QStringLiteral("idcard"));
        QVERIFY(camera.idCardReadable());
        Q_EMIT service.guidance(QStringLiteral("card-reader-unavailable"));
        QTRY_VERIFY(!camera.idCardReadable());
        QCOMPARE(camera.guidance(), QStringLiteral("card-reader-unavailable"));
        camera.setIdentifying(true); // the next person starts with the QR code
        QCOMPARE(camera.mode(), QStringLiteral("qr"));
        QCOMPARE(camera.defaultMode(), QStringLiteral("qr"));
    }

    void kioskNavigation()
    {
        auto k = kiosk();
        Accessibility access(nullptr, Accessibility::Speech::Off);
        CheckInDesk desk(*k->service);
        VoterFlow flow(*k->service, quick());
        StaffConsole staff(*k->service, k->clock, k->stateDir(), {});
        PinyinEngine pinyin(PinyinEngine::defaultDictionary());
        CameraDesk camera(desk, nullptr); // a kiosk without a camera
        Kiosk ui(*k->service, &access, &desk, &camera, &flow, &staff, &pinyin,
                 {.kioskMode = true, .tickMs = 20, .sound = false});
        QSignalSpy screens(&ui, &Kiosk::screenChanged);
        QCOMPARE(camera.status(), QStringLiteral("off"));
        QVERIFY(!camera.available());
        QVERIFY(!camera.reading());
        QCOMPARE(ui.screen(), Kiosk::Screen::Welcome);
        QVERIFY(!ui.canVote());
        QVERIFY(!ui.mayClose());
        ui.startVoting(); // nothing is open
        QCOMPARE(ui.screen(), Kiosk::Screen::Welcome);

        QVERIFY(k->open(QStringLiteral("econ"), true));
        QTRY_VERIFY(ui.canVote());
        QVERIFY(ui.rehearsal());
        QCOMPARE(ui.departmentCount(), 15);
        access.setTextLevel(2);
        access.setHighContrast(true);
        ui.startVoting();
        QCOMPARE(ui.screen(), Kiosk::Screen::Identify);
        // The camera's readers run on the check-in screen only, starting with the card's QR.
        QVERIFY(camera.reading());
        QCOMPARE(camera.mode(), QStringLiteral("qr"));
        camera.chooseMode(QStringLiteral("idcard"));
        QCOMPARE(camera.mode(), QStringLiteral("idcard"));
        camera.chooseMode(QStringLiteral("face")); // not a thing the camera reads here
        QCOMPARE(camera.mode(), QStringLiteral("idcard"));
        // The lead's override, from the check-in screen.
        ui.askForHelp();
        QCOMPARE(ui.screen(), Kiosk::Screen::Staff);
        QVERIFY(staff.login(k->enrolment.pins.lead));
        QCOMPARE(ui.screen(), Kiosk::Screen::Override);
        QVERIFY(desk.submitOverride(k->voter(QStringLiteral("econ"))->idNumber, QStringLiteral("邀请函遗失或损坏")));
        QCOMPARE(ui.screen(), Kiosk::Screen::Voting);
        QCOMPARE(staff.role(), QString()); // the lead is logged out behind the ballot
        QVERIFY(!camera.reading());
        QVERIFY(!ui.canVote());
        flow.requestCancel();
        flow.confirmCancel();
        QCOMPARE(ui.screen(), Kiosk::Screen::Welcome);
        // Settings are the next representative's own.
        QCOMPARE(access.textLevel(), 0);
        QVERIFY(!access.highContrast());
        QVERIFY(!access.english());

        // A card scanned on the welcome screen goes straight to the ballot, or says why not.
        ui.scan(QStringLiteral("NOT-A-CARD"));
        QCOMPARE(ui.screen(), Kiosk::Screen::Identify);
        QCOMPARE(desk.errorCode(), QStringLiteral("credential-format"));
        ui.backToWelcome();
        QVERIFY(desk.errorCode().isEmpty());
        ui.scan(k->voter(QStringLiteral("econ"), 1)->credential);
        QCOMPARE(ui.screen(), Kiosk::Screen::Voting);
        QVERIFY(screens.count() >= 6);
    }

    void pinyinCandidatesAndCommit()
    {
        PinyinEngine engine(PinyinEngine::defaultDictionary());
        QAbstractItemModelTester tester(engine.candidates(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy state(&engine, &PinyinEngine::stateChanged);
        for (const char c : QByteArray("nihao"))
            QVERIFY(engine.addLetter(QString(QLatin1Char(c))));
        QVERIFY(engine.available());
        QVERIFY(engine.composing());
        QCOMPARE(engine.composition(), QStringLiteral("ni'hao"));
        const QStringList candidates = engine.candidates()->candidates();
        QVERIFY(candidates.contains(QStringLiteral("你好")));
        QCOMPARE(engine.choose(int(candidates.indexOf(QStringLiteral("你好")))), QStringLiteral("你好"));
        QVERIFY(!engine.composing());
        QVERIFY(engine.predicting()); // follow-up words
        QVERIFY(engine.candidates()->rowCount() > 0);
        QVERIFY(!engine.backspace()); // predictions go; the caller deletes text
        QVERIFY(!engine.predicting());

        // A partial choice, then undo it; backspace shortens the spelling.
        for (const char c : QByteArray("woxiwang"))
            engine.addLetter(QString(QLatin1Char(c)));
        const int single = int(engine.candidates()->candidates().indexOf(QStringLiteral("我")));
        QVERIFY(single > 0);
        QCOMPARE(engine.choose(single), QString());
        QVERIFY(engine.composition().startsWith(QStringLiteral("我")));
        QVERIFY(engine.backspace());
        QCOMPARE(engine.composition(), QStringLiteral("wo'xi'wang"));
        QVERIFY(engine.backspace());
        QCOMPARE(engine.composition(), QStringLiteral("wo'xi'wan"));
        QCOMPARE(engine.commitLetters(), QStringLiteral("woxiwan"));
        QVERIFY(!engine.addLetter(QStringLiteral("1")));
        QVERIFY(state.count() > 5);
    }

    void pinyinWithoutDictionary()
    {
        PinyinEngine engine(QStringLiteral("/nonexistent/dict_pinyin.dat"));
        QSignalSpy available(&engine, &PinyinEngine::availableChanged);
        QVERIFY(!engine.addLetter(QStringLiteral("a")));
        QVERIFY(!engine.available());
        QCOMPARE(available.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestViewModels)
#include "tst_viewmodels.moc"
