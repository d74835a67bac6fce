#pragma once
// The representative's way through the ballot after check-in: every department of the
// group session (one per page), the questionnaire, the discipline survey, an optional
// suggestion, a review of every answer, a confirmation, the cast and the receipt. A tap on
// an answer only selects it; only "next" and "back" turn a page, and for a short settle
// period after every page turn all input is ignored, so that no tap can act on a page the
// representative has not yet seen (docs/kiosk-ui.md §Page turns).
// An idle representative is warned with a countdown (and a chime); then the ballot is
// discarded and the check-in released. From the warning they may call the venue staff, which
// holds the ballot until they continue. Answers live only in memory and are wiped when the person is done.

#include "ballotmodels.h"
#include "kioskservice.h"

#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

class VoterFlow : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("VoterFlow is made by the kiosk's composition root")

public:
    enum class Stage {
        None,
        Department,
        Question,
        Discipline,
        SuggestionAsk,
        SuggestionTopic,
        SuggestionDepartment,
        SuggestionText,
        Review,
        Confirm,
        Receipt,
    };
    Q_ENUM(Stage)

    struct Timings {
        int settleMs = 350; ///< after a page turn, input is ignored this long
        /// No touch for this long: "are you still there?". Long enough to read a department's
        /// name twice and think (issue 14: 90 s lost an elderly voter's 15 ratings).
        int idleWarnSeconds = 120;
        int idleCountdownSeconds = 60; ///< then this countdown, then the ballot is discarded
        /// The receipt returns to the welcome screen by itself after this long (a touch
        /// restarts it): short, so that the next person in the queue does not see it.
        int receiptSeconds = 15;
    };

private:
    Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
    /// 0 departments, 1 questionnaire, 2 discipline survey, 3 suggestion, 4 review, 5 done.
    Q_PROPERTY(int step READ step NOTIFY stageChanged)
    /// Position within the stage (department or question number, from 0) and its length.
    Q_PROPERTY(int index READ index NOTIFY pageChanged)
    Q_PROPERTY(int count READ count NOTIFY pageChanged)
    /// Came here from the review to change one answer: go back there afterwards.
    Q_PROPERTY(bool editing READ editing NOTIFY pageChanged)
    /// The department on show (invalid on other pages).
    Q_PROPERTY(pingyi::ui::DepartmentPage department READ department NOTIFY pageChanged)
    /// The question on show (see QuestionListModel::page; invalid on other pages).
    Q_PROPERTY(pingyi::ui::QuestionPage question READ question NOTIFY pageChanged)
    /// The page is answered (or may be left unanswered), so "next" is allowed.
    Q_PROPERTY(bool canAdvance READ canAdvance NOTIFY pageChanged)
    Q_PROPERTY(bool canGoBack READ canGoBack NOTIFY pageChanged)
    /// A multiple-choice question allows no more choices.
    Q_PROPERTY(bool atLimit READ atLimit NOTIFY pageChanged)
    /// A page has just turned: every answer and every move is ignored until this is false.
    Q_PROPERTY(bool settling READ settling NOTIFY settlingChanged)
    /// How long the settle period lasts (the page-turn animation takes as long).
    Q_PROPERTY(int settleMs READ settleMs NOTIFY settlingChanged)

    Q_PROPERTY(QString maskedName READ maskedName NOTIFY voterChanged)
    Q_PROPERTY(QString sessionName READ sessionName NOTIFY voterChanged)
    Q_PROPERTY(QString sessionNameEn READ sessionNameEn NOTIFY voterChanged)
    Q_PROPERTY(bool rehearsal READ rehearsal NOTIFY voterChanged)

    Q_PROPERTY(pingyi::ui::ChoiceListModel *scale READ scale CONSTANT)
    Q_PROPERTY(pingyi::ui::ChoiceListModel *topics READ topics CONSTANT)
    Q_PROPERTY(pingyi::ui::RatingListModel *ratings READ ratings CONSTANT)
    Q_PROPERTY(pingyi::ui::QuestionListModel *questionnaire READ questionnaire CONSTANT)
    Q_PROPERTY(pingyi::ui::QuestionListModel *discipline READ discipline CONSTANT)

    /// -1 not decided yet, 0 no suggestion, 1 writing one.
    Q_PROPERTY(int wantsSuggestion READ wantsSuggestion NOTIFY suggestionChanged)
    Q_PROPERTY(QString suggestionTopic READ suggestionTopic NOTIFY suggestionChanged)
    /// Department code, or empty for "no particular department".
    Q_PROPERTY(QString suggestionDepartment READ suggestionDepartment NOTIFY suggestionChanged)
    Q_PROPERTY(bool suggestionDepartmentChosen READ suggestionDepartmentChosen NOTIFY suggestionChanged)
    Q_PROPERTY(QString suggestionText READ suggestionText WRITE setSuggestionText NOTIFY suggestionChanged)
    Q_PROPERTY(int suggestionMaxChars READ suggestionMaxChars CONSTANT)

    Q_PROPERTY(QString receiptCode READ receiptCode NOTIFY stageChanged)
    /// How long the receipt stays up without a touch (Timings::receiptSeconds).
    Q_PROPERTY(int receiptSeconds READ receiptSeconds NOTIFY stageChanged)
    /// Why the cast failed ("ballot-incomplete", "db", …), empty when it did not.
    Q_PROPERTY(QString errorCode READ errorCode NOTIFY errorChanged)
    Q_PROPERTY(bool idleWarning READ idleWarning NOTIFY idleChanged)
    Q_PROPERTY(int idleRemaining READ idleRemaining NOTIFY idleChanged)
    /// The representative called the venue staff from the idle warning: the countdown stops
    /// and the ballot is kept until they continue (stillHere) or leave.
    Q_PROPERTY(bool helpCalled READ helpCalled NOTIFY idleChanged)
    Q_PROPERTY(bool confirmingCancel READ confirmingCancel NOTIFY confirmingCancelChanged)

public:
    VoterFlow(kiosk::KioskService &service, Timings timings, QObject *parent = nullptr);
    ~VoterFlow() override;

    Stage stage() const { return m_stage; }
    int step() const;
    int index() const { return m_index; }
    int count() const;
    bool editing() const { return m_editing; }
    DepartmentPage department() const;
    QuestionPage question() const;
    bool canAdvance() const;
    bool canGoBack() const;
    bool atLimit() const;
    bool settling() const { return m_settleTimer.isActive(); }
    int settleMs() const { return m_timings.settleMs; }
    QString maskedName() const { return m_maskedName; }
    QString sessionName() const { return m_session ? m_session->name : QString(); }
    QString sessionNameEn() const { return m_session ? m_session->nameEn : QString(); }
    bool rehearsal() const { return m_key.rehearsal; }
    ChoiceListModel *scale() { return &m_scale; }
    ChoiceListModel *topics() { return &m_topics; }
    RatingListModel *ratings() { return &m_ratings; }
    QuestionListModel *questionnaire() { return &m_questionnaire; }
    QuestionListModel *discipline() { return &m_discipline; }
    int wantsSuggestion() const { return m_wantsSuggestion; }
    QString suggestionTopic() const { return m_topic; }
    QString suggestionDepartment() const { return m_suggestionDepartment; }
    bool suggestionDepartmentChosen() const { return m_suggestionDepartmentChosen; }
    QString suggestionText() const { return m_text; }
    void setSuggestionText(const QString &text);
    int suggestionMaxChars() const;
    QString receiptCode() const { return m_receipt; }
    int receiptSeconds() const { return m_timings.receiptSeconds; }
    QString errorCode() const { return m_error; }
    bool idleWarning() const { return m_idleWarning; }
    int idleRemaining() const { return m_idleRemaining; }
    bool helpCalled() const { return m_helpCalled; }
    bool confirmingCancel() const { return m_confirmingCancel; }
    bool active() const { return m_stage != Stage::None; }

    void setTimings(Timings timings) { m_timings = timings; }
    Timings timings() const { return m_timings; }

    /// Starts the ballot for the representative just checked in.
    void begin(const QString &maskedName);

    /// Department page: choose a rating (stays on the page; a later choice replaces it).
    Q_INVOKABLE void rate(const QString &optionCode);
    /// Question page: choose (single) or toggle (multiple) a choice; stays on the page.
    Q_INVOKABLE void choose(const QString &choiceCode);
    /// The next page, once this one is answered (or may be left unanswered).
    Q_INVOKABLE void next();
    Q_INVOKABLE void back();
    /// From the review: change the answer at (stage, index), then come back.
    Q_INVOKABLE void edit(int stage, int index = 0);
    /// Suggestion pages: each choice only selects, like an answer.
    Q_INVOKABLE void setWantsSuggestion(bool wants);
    Q_INVOKABLE void chooseTopic(const QString &code);
    /// `code` empty: no particular department.
    Q_INVOKABLE void chooseSuggestionDepartment(const QString &code);
    Q_INVOKABLE void requestCast();
    /// Seals and stores the ballot; on success shows the receipt.
    Q_INVOKABLE bool cast();
    /// The representative is done with the receipt.
    Q_INVOKABLE void finish();
    Q_INVOKABLE void requestCancel();
    Q_INVOKABLE void keepVoting();
    /// Discards the ballot and releases the check-in.
    Q_INVOKABLE void confirmCancel();
    /// Any touch or key: the representative is still there (restarts the idle time). While
    /// the idle warning is up it is answered only by its buttons (stillHere, callForHelp),
    /// so that the touch on one of them does not close it first.
    Q_INVOKABLE void noteActivity();
    /// "继续评议" on the idle warning: close it (and any staff call) and carry on.
    Q_INVOKABLE void stillHere();
    /// "请工作人员协助" on the idle warning: stop the countdown and call the staff
    /// (helpRequested); the ballot is kept.
    Q_INVOKABLE void callForHelp();

Q_SIGNALS:
    void stageChanged();
    void pageChanged();
    void voterChanged();
    void suggestionChanged();
    void errorChanged();
    void idleChanged();
    /// The representative asked for the venue staff (the kiosk raises its staff call).
    void helpRequested();
    /// The idle warning came up (the kiosk chimes).
    void idleWarned();
    void confirmingCancelChanged();
    void settlingChanged();
    /// The representative is done: "cast", "cancelled" or "idle".
    void finished(const QString &how);

private:
    void go(Stage stage, int index);
    void advance();
    /// False (and the input is dropped) while a page turn settles.
    bool accepting() const;
    Stage firstPageAfter(Stage stage) const;
    bool complete() const;
    void end(const QString &how);
    void wipe();
    void idleTimeout();
    void countdownTick();
    QuestionListModel *currentQuestions();
    const QuestionListModel *currentQuestions() const;

    kiosk::KioskService &m_service;
    Timings m_timings;
    Stage m_stage = Stage::None;
    int m_index = 0;
    bool m_editing = false;
    kiosk::SessionKey m_key;
    const GroupSession *m_session = nullptr;
    QString m_maskedName;
    ChoiceListModel m_scale;
    ChoiceListModel m_topics;
    RatingListModel m_ratings;
    QuestionListModel m_questionnaire;
    QuestionListModel m_discipline;
    int m_wantsSuggestion = -1;
    QString m_topic;
    QString m_suggestionDepartment;
    bool m_suggestionDepartmentChosen = false;
    QString m_text;
    QString m_receipt;
    QString m_error;
    bool m_idleWarning = false;
    int m_idleRemaining = 0;
    bool m_helpCalled = false;
    bool m_confirmingCancel = false;
    QTimer m_settleTimer;
    QTimer m_idleTimer;
    QTimer m_countdownTimer;
};

} // namespace pingyi::ui
