#include "voterflow.h"

#include "ballot.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcVoter, "pingyi.ui.voter")

namespace pingyi::ui {

using kiosk::ReleaseReason;

VoterFlow::VoterFlow(kiosk::KioskService &service, Timings timings, QObject *parent)
    : QObject(parent), m_service(service), m_timings(timings), m_ratings(m_scale)
{
    m_settleTimer.setSingleShot(true);
    connect(&m_settleTimer, &QTimer::timeout, this, &VoterFlow::settlingChanged);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &VoterFlow::idleTimeout);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &VoterFlow::countdownTick);
}

VoterFlow::~VoterFlow()
{
    // Leaving with a representative checked in (the kiosk is shut down): free the check-in.
    if (m_stage != Stage::None && m_stage != Stage::Receipt && m_service.voterActive())
        (void)m_service.release(ReleaseReason::Cancelled);
}

int VoterFlow::step() const
{
    switch (m_stage) {
    case Stage::None:
    case Stage::Department:
        return 0;
    case Stage::Question:
        return 1;
    case Stage::Discipline:
        return 2;
    case Stage::SuggestionAsk:
    case Stage::SuggestionTopic:
    case Stage::SuggestionDepartment:
    case Stage::SuggestionText:
        return 3;
    case Stage::Review:
    case Stage::Confirm:
        return 4;
    case Stage::Receipt:
        return 5;
    }
    return 0;
}

int VoterFlow::count() const
{
    switch (m_stage) {
    case Stage::Department:
        return m_ratings.count();
    case Stage::Question:
        return m_questionnaire.count();
    case Stage::Discipline:
        return m_discipline.count();
    default:
        return 0;
    }
}

QuestionListModel *VoterFlow::currentQuestions()
{
    return m_stage == Stage::Question ? &m_questionnaire : m_stage == Stage::Discipline ? &m_discipline : nullptr;
}

const QuestionListModel *VoterFlow::currentQuestions() const
{
    return m_stage == Stage::Question ? &m_questionnaire : m_stage == Stage::Discipline ? &m_discipline : nullptr;
}

DepartmentPage VoterFlow::department() const
{
    if (m_stage != Stage::Department || m_index < 0 || m_index >= m_ratings.count())
        return {};
    const Department &d = m_ratings.department(m_index);
    return {d.code, d.name, d.nameEn, m_ratings.rating(m_index)};
}

QuestionPage VoterFlow::question() const
{
    const QuestionListModel *q = currentQuestions();
    return q ? q->page(m_index) : QuestionPage();
}

bool VoterFlow::canAdvance() const
{
    switch (m_stage) {
    case Stage::Department:
        return !m_ratings.rating(m_index).isEmpty();
    case Stage::Question:
    case Stage::Discipline: {
        const QuestionListModel *q = currentQuestions();
        return !q->question(m_index).required || !q->answer(m_index).isEmpty();
    }
    case Stage::SuggestionAsk:
        return m_wantsSuggestion >= 0;
    case Stage::SuggestionTopic:
        return !m_topic.isEmpty();
    case Stage::SuggestionDepartment:
        return m_suggestionDepartmentChosen;
    case Stage::SuggestionText:
        return !m_text.trimmed().isEmpty() && m_text.trimmed().size() <= maxSuggestionChars;
    case Stage::Review:
        return complete();
    default:
        return false;
    }
}

bool VoterFlow::canGoBack() const
{
    switch (m_stage) {
    case Stage::None:
    case Stage::Receipt:
        return false;
    case Stage::Department:
        return m_index > 0 || m_editing;
    default:
        return true;
    }
}

bool VoterFlow::atLimit() const
{
    const QuestionListModel *q = currentQuestions();
    if (!q)
        return false;
    const Question &question = q->question(m_index);
    return question.kind == Question::Kind::Multiple && q->answer(m_index).size() >= question.maxChoices;
}

int VoterFlow::suggestionMaxChars() const
{
    return maxSuggestionChars;
}

void VoterFlow::begin(const QString &maskedName)
{
    const auto current = m_service.currentSession();
    const Activity &a = m_service.activity();
    m_session = current ? a.session(current->code) : nullptr;
    if (!m_session) {
        qCWarning(lcVoter) << "a representative was admitted without an open session";
        return;
    }
    wipe();
    m_key = *current;
    m_maskedName = maskedName;

    QList<ChoiceListModel::Item> scale;
    for (const RatingOption &o : a.scale) {
        // Rank by score, not by the order of the list (scores are unique).
        const auto higher
            = std::count_if(a.scale.cbegin(), a.scale.cend(), [&](const RatingOption &r) { return r.score > o.score; });
        scale.append({o.code, o.label, o.labelEn, int(higher)});
    }
    m_scale.setItems(scale);
    QList<ChoiceListModel::Item> topics;
    for (const SuggestionTopic &t : a.suggestionTopics)
        topics.append({t.code, t.name, t.nameEn});
    m_topics.setItems(topics);
    m_ratings.setDepartments(m_session->departments);
    m_questionnaire.setQuestions(a.questionnaire);
    m_discipline.setQuestions(a.discipline);

    Q_EMIT voterChanged();
    Q_EMIT suggestionChanged();
    go(Stage::Department, 0);
    noteActivity();
}

bool VoterFlow::accepting() const
{
    if (!m_settleTimer.isActive())
        return true;
    // A double tap, or a tap meant for the page before: the representative has not seen
    // this page yet. Nothing of the ballot is logged, only that a tap was dropped.
    qCDebug(lcVoter) << "input ignored while the page turn settles";
    return false;
}

void VoterFlow::go(Stage stage, int index)
{
    const bool pageTurns = stage != m_stage || index != m_index;
    const bool stageChanges = stage != m_stage;
    m_stage = stage;
    m_index = index;
    if (stage == Stage::Review || stage == Stage::None || stage == Stage::Receipt)
        m_editing = false;
    if (!m_error.isEmpty() && stage != Stage::Confirm) {
        m_error.clear();
        Q_EMIT errorChanged();
    }
    if (pageTurns && stage != Stage::None && m_timings.settleMs > 0) {
        const bool was = m_settleTimer.isActive();
        m_settleTimer.start(m_timings.settleMs);
        if (!was)
            Q_EMIT settlingChanged();
    } else if (stage == Stage::None && m_settleTimer.isActive()) {
        m_settleTimer.stop();
        Q_EMIT settlingChanged();
    }
    if (stageChanges)
        Q_EMIT stageChanged();
    Q_EMIT pageChanged();
}

VoterFlow::Stage VoterFlow::firstPageAfter(Stage stage) const
{
    // Parts the activity leaves empty are skipped.
    switch (stage) {
    case Stage::Department:
        if (m_questionnaire.count() > 0)
            return Stage::Question;
        [[fallthrough]];
    case Stage::Question:
        if (m_discipline.count() > 0)
            return Stage::Discipline;
        [[fallthrough]];
    case Stage::Discipline:
        if (m_topics.count() > 0)
            return Stage::SuggestionAsk;
        [[fallthrough]];
    default:
        return Stage::Review;
    }
}

void VoterFlow::advance()
{
    if (!canAdvance())
        return;
    switch (m_stage) {
    case Stage::Department:
    case Stage::Question:
    case Stage::Discipline:
        if (m_editing)
            go(Stage::Review, 0);
        else if (m_index + 1 < count())
            go(m_stage, m_index + 1);
        else
            go(firstPageAfter(m_stage), 0);
        break;
    case Stage::SuggestionAsk:
        if (m_wantsSuggestion == 1)
            go(Stage::SuggestionTopic, 0);
        else
            go(Stage::Review, 0);
        break;
    case Stage::SuggestionTopic:
        go(m_editing ? Stage::Review : Stage::SuggestionDepartment, 0);
        break;
    case Stage::SuggestionDepartment:
        go(m_editing ? Stage::Review : Stage::SuggestionText, 0);
        break;
    case Stage::SuggestionText:
        go(Stage::Review, 0);
        break;
    case Stage::Review:
        go(Stage::Confirm, 0);
        break;
    default:
        break;
    }
}

void VoterFlow::rate(const QString &optionCode)
{
    if (m_stage != Stage::Department || !m_scale.find(optionCode) || !accepting())
        return;
    m_ratings.setRating(m_index, optionCode);
    Q_EMIT pageChanged();
}

void VoterFlow::choose(const QString &choiceCode)
{
    QuestionListModel *q = currentQuestions();
    if (!q || !accepting())
        return;
    const Question &question = q->question(m_index);
    if (std::none_of(question.choices.cbegin(), question.choices.cend(),
                     [&](const Choice &c) { return c.code == choiceCode; }))
        return;
    if (question.kind == Question::Kind::Single) {
        q->setAnswer(m_index, {choiceCode});
        Q_EMIT pageChanged();
        return;
    }
    QStringList answer = q->answer(m_index);
    if (answer.contains(choiceCode))
        answer.removeAll(choiceCode);
    else if (answer.size() < question.maxChoices)
        answer.append(choiceCode);
    else
        return; // at the limit: the page says so
    // Keep the activity's order, whatever order they were tapped in.
    QStringList ordered;
    for (const Choice &c : question.choices)
        if (answer.contains(c.code))
            ordered.append(c.code);
    q->setAnswer(m_index, ordered);
    Q_EMIT pageChanged();
}

void VoterFlow::next()
{
    noteActivity();
    if (accepting())
        advance();
}

void VoterFlow::back()
{
    if (!canGoBack() || !accepting())
        return;
    if (m_editing && m_stage != Stage::Review && m_stage != Stage::Confirm) {
        go(Stage::Review, 0);
        return;
    }
    switch (m_stage) {
    case Stage::Department:
        go(Stage::Department, m_index - 1);
        break;
    case Stage::Question:
        if (m_index > 0)
            go(Stage::Question, m_index - 1);
        else
            go(Stage::Department, m_ratings.count() - 1);
        break;
    case Stage::Discipline:
        if (m_index > 0)
            go(Stage::Discipline, m_index - 1);
        else if (m_questionnaire.count() > 0)
            go(Stage::Question, m_questionnaire.count() - 1);
        else
            go(Stage::Department, m_ratings.count() - 1);
        break;
    case Stage::SuggestionAsk:
        if (m_discipline.count() > 0)
            go(Stage::Discipline, m_discipline.count() - 1);
        else if (m_questionnaire.count() > 0)
            go(Stage::Question, m_questionnaire.count() - 1);
        else
            go(Stage::Department, m_ratings.count() - 1);
        break;
    case Stage::SuggestionTopic:
        go(Stage::SuggestionAsk, 0);
        break;
    case Stage::SuggestionDepartment:
        go(Stage::SuggestionTopic, 0);
        break;
    case Stage::SuggestionText:
        go(Stage::SuggestionDepartment, 0);
        break;
    case Stage::Review:
        if (m_topics.count() == 0)
            go(Stage::Discipline, std::max(0, m_discipline.count() - 1));
        else if (m_wantsSuggestion == 1)
            go(Stage::SuggestionText, 0);
        else
            go(Stage::SuggestionAsk, 0);
        break;
    case Stage::Confirm:
        go(Stage::Review, 0);
        break;
    default:
        break;
    }
}

void VoterFlow::edit(int stage, int index)
{
    if (m_stage != Stage::Review || !accepting())
        return;
    const auto s = Stage(stage);
    const int limit = s == Stage::Department ? m_ratings.count()
        : s == Stage::Question               ? m_questionnaire.count()
        : s == Stage::Discipline             ? m_discipline.count()
                                             : 1;
    if (index < 0 || index >= limit || s == Stage::None || s == Stage::Review || s == Stage::Confirm
        || s == Stage::Receipt)
        return;
    go(s, index);
    m_editing = s != Stage::SuggestionAsk; // deciding again walks through the suggestion pages
    Q_EMIT pageChanged();
}

void VoterFlow::setWantsSuggestion(bool wants)
{
    if (m_stage != Stage::SuggestionAsk || !accepting())
        return;
    m_wantsSuggestion = wants ? 1 : 0;
    if (!wants) {
        m_topic.clear();
        m_suggestionDepartment.clear();
        m_suggestionDepartmentChosen = false;
        m_text.clear();
    }
    Q_EMIT suggestionChanged();
    Q_EMIT pageChanged();
}

void VoterFlow::chooseTopic(const QString &code)
{
    if (m_stage != Stage::SuggestionTopic || !m_topics.find(code) || !accepting())
        return;
    m_topic = code;
    Q_EMIT suggestionChanged();
    Q_EMIT pageChanged();
}

void VoterFlow::chooseSuggestionDepartment(const QString &code)
{
    if (m_stage != Stage::SuggestionDepartment || !accepting())
        return;
    if (!code.isEmpty()
        && std::none_of(m_session->departments.cbegin(), m_session->departments.cend(),
                        [&](const Department &d) { return d.code == code; }))
        return;
    m_suggestionDepartment = code;
    m_suggestionDepartmentChosen = true;
    Q_EMIT suggestionChanged();
    Q_EMIT pageChanged();
}

void VoterFlow::setSuggestionText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    Q_EMIT suggestionChanged();
    Q_EMIT pageChanged();
}

bool VoterFlow::complete() const
{
    if (m_ratings.firstUnanswered() >= 0 || m_questionnaire.firstMissing() >= 0 || m_discipline.firstMissing() >= 0)
        return false;
    if (m_topics.count() > 0 && m_wantsSuggestion < 0)
        return false;
    if (m_wantsSuggestion == 1 && (m_topic.isEmpty() || !m_suggestionDepartmentChosen || m_text.trimmed().isEmpty()))
        return false;
    return true;
}

void VoterFlow::requestCast()
{
    if (m_stage == Stage::Review && complete() && accepting())
        go(Stage::Confirm, 0);
}

bool VoterFlow::cast()
{
    if (m_stage != Stage::Confirm || !complete() || !accepting())
        return false;
    BallotAnswers b;
    b.session = m_key.code;
    for (int i = 0; i < m_ratings.count(); ++i)
        b.ratings.insert(m_ratings.department(i).code, m_ratings.rating(i));
    b.questionnaire = m_questionnaire.answers();
    b.discipline = m_discipline.answers();
    QList<Suggestion> suggestions;
    if (m_wantsSuggestion == 1)
        suggestions.append({m_key.code, m_topic, m_suggestionDepartment, m_text.trimmed()});
    auto receipt = m_service.cast(b, suggestions);
    if (!receipt) {
        // Never log the answers; the code says enough.
        qCWarning(lcVoter) << "cast refused:" << receipt.error().code;
        m_error = receipt.error().code;
        Q_EMIT errorChanged();
        return false;
    }
    m_receipt = receipt->code;
    // The answers are sealed now: forget them at once.
    wipe();
    m_receipt = receipt->code;
    go(Stage::Receipt, 0);
    noteActivity();
    return true;
}

void VoterFlow::finish()
{
    if (m_stage == Stage::Receipt && accepting())
        end(QStringLiteral("cast"));
}

void VoterFlow::requestCancel()
{
    if (m_stage == Stage::None || m_stage == Stage::Receipt || m_confirmingCancel)
        return;
    m_confirmingCancel = true;
    Q_EMIT confirmingCancelChanged();
}

void VoterFlow::keepVoting()
{
    if (!m_confirmingCancel)
        return;
    m_confirmingCancel = false;
    Q_EMIT confirmingCancelChanged();
    noteActivity();
}

void VoterFlow::confirmCancel()
{
    if (m_stage == Stage::None || m_stage == Stage::Receipt)
        return;
    if (auto s = m_service.release(ReleaseReason::Cancelled); !s)
        qCWarning(lcVoter) << "release after cancel failed:" << s.error().code;
    end(QStringLiteral("cancelled"));
}

void VoterFlow::noteActivity()
{
    if (m_stage == Stage::None || m_idleWarning)
        return;
    m_idleTimer.start((m_stage == Stage::Receipt ? m_timings.receiptSeconds : m_timings.idleWarnSeconds) * 1000);
}

void VoterFlow::stillHere()
{
    if (m_stage == Stage::None)
        return;
    m_countdownTimer.stop();
    if (m_idleWarning || m_helpCalled) {
        m_idleWarning = false;
        m_helpCalled = false;
        Q_EMIT idleChanged();
    }
    noteActivity();
}

void VoterFlow::callForHelp()
{
    if (m_stage == Stage::None || m_stage == Stage::Receipt || !m_idleWarning)
        return;
    m_countdownTimer.stop();
    if (!m_helpCalled) {
        m_helpCalled = true;
        Q_EMIT idleChanged();
    }
    Q_EMIT helpRequested();
}

void VoterFlow::idleTimeout()
{
    if (m_stage == Stage::None)
        return;
    if (m_stage == Stage::Receipt) {
        end(QStringLiteral("cast"));
        return;
    }
    m_idleWarning = true;
    m_idleRemaining = m_timings.idleCountdownSeconds;
    Q_EMIT idleChanged();
    Q_EMIT idleWarned();
    m_countdownTimer.start();
}

void VoterFlow::countdownTick()
{
    if (--m_idleRemaining > 0) {
        Q_EMIT idleChanged();
        return;
    }
    m_countdownTimer.stop();
    if (auto s = m_service.release(ReleaseReason::Idle); !s)
        qCWarning(lcVoter) << "release after idle failed:" << s.error().code;
    end(QStringLiteral("idle"));
}

void VoterFlow::wipe()
{
    m_ratings.setDepartments(m_session ? m_session->departments : QList<Department>());
    m_questionnaire.setQuestions(m_service.activity().questionnaire);
    m_discipline.setQuestions(m_service.activity().discipline);
    m_wantsSuggestion = -1;
    m_topic.clear();
    m_suggestionDepartment.clear();
    m_suggestionDepartmentChosen = false;
    m_text.clear();
    m_receipt.clear();
    if (!m_error.isEmpty()) {
        m_error.clear();
        Q_EMIT errorChanged();
    }
    Q_EMIT suggestionChanged();
}

void VoterFlow::end(const QString &how)
{
    m_idleTimer.stop();
    m_countdownTimer.stop();
    wipe();
    m_maskedName.clear();
    m_session = nullptr;
    m_key = {};
    if (m_idleWarning || m_helpCalled) {
        m_idleWarning = false;
        m_helpCalled = false;
        Q_EMIT idleChanged();
    }
    if (m_confirmingCancel) {
        m_confirmingCancel = false;
        Q_EMIT confirmingCancelChanged();
    }
    go(Stage::None, 0);
    Q_EMIT voterChanged();
    Q_EMIT finished(how);
}

} // namespace pingyi::ui
