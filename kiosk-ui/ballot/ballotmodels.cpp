#include "ballotmodels.h"

namespace pingyi::ui {

// ---- ChoiceListModel -----------------------------------------------------------------

int ChoiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant ChoiceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &i = m_items.at(index.row());
    switch (role) {
    case CodeRole:
        return i.code;
    case Qt::DisplayRole:
    case LabelRole:
        return i.label;
    case LabelEnRole:
        return i.labelEn;
    case RankRole:
        return i.rank;
    default:
        return {};
    }
}

QHash<int, QByteArray> ChoiceListModel::roleNames() const
{
    return {{CodeRole, "code"}, {LabelRole, "label"}, {LabelEnRole, "labelEn"}, {RankRole, "rank"}};
}

void ChoiceListModel::setItems(const QList<Item> &items)
{
    const bool countChanges = items.size() != m_items.size();
    beginResetModel();
    m_items = items;
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
}

const ChoiceListModel::Item *ChoiceListModel::find(const QString &code) const
{
    for (const Item &i : m_items)
        if (i.code == code)
            return &i;
    return nullptr;
}

QString ChoiceListModel::label(const QString &code, bool english) const
{
    const Item *i = find(code);
    return !i ? QString() : (english && !i->labelEn.isEmpty() ? i->labelEn : i->label);
}

int ChoiceListModel::rank(const QString &code) const
{
    const Item *i = find(code);
    return i ? i->rank : -1;
}

QStringList ChoiceListModel::labels(bool english) const
{
    QStringList out;
    for (const Item &i : m_items)
        out << (english && !i.labelEn.isEmpty() ? i.labelEn : i.label);
    return out;
}

QString ChoiceListModel::spokenList(bool english) const
{
    return labels(english).join(english ? QStringLiteral(", ") : QStringLiteral("、"));
}

// ---- RatingListModel -----------------------------------------------------------------

RatingListModel::RatingListModel(const ChoiceListModel &scale, QObject *parent)
    : QAbstractListModel(parent), m_scale(scale)
{
}

int RatingListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_departments.size());
}

QVariant RatingListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Department &d = m_departments.at(index.row());
    const QString rating = m_ratings.at(index.row());
    const ChoiceListModel::Item *option = m_scale.find(rating);
    switch (role) {
    case CodeRole:
        return d.code;
    case Qt::DisplayRole:
    case NameRole:
        return d.name;
    case NameEnRole:
        return d.nameEn;
    case NumberRole:
        return index.row() + 1;
    case RatingRole:
        return rating;
    case RatingLabelRole:
        return option ? option->label : QString();
    case RatingLabelEnRole:
        return option ? option->labelEn : QString();
    case RatingRankRole:
        return option ? option->rank : -1;
    default:
        return {};
    }
}

QHash<int, QByteArray> RatingListModel::roleNames() const
{
    return {{CodeRole, "code"},
            {NameRole, "name"},
            {NameEnRole, "nameEn"},
            {NumberRole, "number"},
            {RatingRole, "rating"},
            {RatingLabelRole, "ratingLabel"},
            {RatingLabelEnRole, "ratingLabelEn"},
            {RatingRankRole, "ratingRank"}};
}

int RatingListModel::answered() const
{
    return int(std::count_if(m_ratings.cbegin(), m_ratings.cend(), [](const QString &r) { return !r.isEmpty(); }));
}

void RatingListModel::setDepartments(const QList<Department> &departments)
{
    const bool countChanges = departments.size() != m_departments.size();
    beginResetModel();
    m_departments = departments;
    m_ratings = QStringList(departments.size(), QString());
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
    Q_EMIT answeredChanged();
}

void RatingListModel::setRating(int row, const QString &code)
{
    if (row < 0 || row >= m_ratings.size() || m_ratings.at(row) == code)
        return;
    m_ratings[row] = code;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {RatingRole, RatingLabelRole, RatingLabelEnRole, RatingRankRole});
    Q_EMIT answeredChanged();
}

int RatingListModel::firstUnanswered() const
{
    for (int i = 0; i < m_ratings.size(); ++i)
        if (m_ratings.at(i).isEmpty())
            return i;
    return -1;
}

QString RatingListModel::name(const QString &code, bool english) const
{
    for (const Department &d : m_departments)
        if (d.code == code)
            return english && !d.nameEn.isEmpty() ? d.nameEn : d.name;
    return {};
}

// ---- QuestionListModel ---------------------------------------------------------------

int QuestionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_questions.size());
}

QList<ChoiceView> QuestionListModel::choiceViews(const Question &q)
{
    QList<ChoiceView> out;
    out.reserve(q.choices.size());
    for (const Choice &c : q.choices)
        out.append({c.code, c.label, c.labelEn});
    return out;
}

QString QuestionListModel::labels(int row, bool english) const
{
    QStringList out;
    const Question &q = m_questions.at(row);
    for (const QString &code : m_answers.at(row)) {
        for (const Choice &c : q.choices)
            if (c.code == code)
                out << (english && !c.labelEn.isEmpty() ? c.labelEn : c.label);
    }
    return out.join(english ? QStringLiteral(", ") : QStringLiteral("、"));
}

QVariant QuestionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const Question &q = m_questions.at(row);
    switch (role) {
    case CodeRole:
        return q.code;
    case Qt::DisplayRole:
    case TextRole:
        return q.text;
    case TextEnRole:
        return q.textEn;
    case NumberRole:
        return row + 1;
    case MultipleRole:
        return q.kind == Question::Kind::Multiple;
    case RequiredRole:
        return q.required;
    case MaxChoicesRole:
        return q.kind == Question::Kind::Multiple ? q.maxChoices : 1;
    case ChoicesRole:
        return QVariant::fromValue(choiceViews(q));
    case AnswerRole:
        return m_answers.at(row);
    case AnswerLabelRole:
        return labels(row, false);
    case AnswerLabelEnRole:
        return labels(row, true);
    case AnsweredRole:
        return !m_answers.at(row).isEmpty();
    default:
        return {};
    }
}

QHash<int, QByteArray> QuestionListModel::roleNames() const
{
    return {{CodeRole, "code"},
            {TextRole, "text"},
            {TextEnRole, "textEn"},
            {NumberRole, "number"},
            {MultipleRole, "multiple"},
            {RequiredRole, "required"},
            {MaxChoicesRole, "maxChoices"},
            {ChoicesRole, "choices"},
            {AnswerRole, "answer"},
            {AnswerLabelRole, "answerLabel"},
            {AnswerLabelEnRole, "answerLabelEn"},
            {AnsweredRole, "answered"}};
}

void QuestionListModel::setQuestions(const QList<Question> &questions)
{
    const bool countChanges = questions.size() != m_questions.size();
    beginResetModel();
    m_questions = questions;
    m_answers = QList<QStringList>(questions.size());
    endResetModel();
    if (countChanges)
        Q_EMIT countChanged();
}

void QuestionListModel::setAnswer(int row, const QStringList &codes)
{
    if (row < 0 || row >= m_answers.size() || m_answers.at(row) == codes)
        return;
    m_answers[row] = codes;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {AnswerRole, AnswerLabelRole, AnswerLabelEnRole, AnsweredRole});
}

QuestionPage QuestionListModel::page(int row) const
{
    if (row < 0 || row >= m_questions.size())
        return {};
    const Question &q = m_questions.at(row);
    QuestionPage p;
    p.code = q.code;
    p.text = q.text;
    p.textEn = q.textEn;
    p.number = row + 1;
    p.multiple = q.kind == Question::Kind::Multiple;
    p.required = q.required;
    p.maxChoices = p.multiple ? q.maxChoices : 1;
    p.choices = choiceViews(q);
    p.answer = m_answers.at(row);
    p.answerLabel = labels(row, false);
    p.answerLabelEn = labels(row, true);
    return p;
}

QMap<QString, QStringList> QuestionListModel::answers() const
{
    QMap<QString, QStringList> out;
    for (int i = 0; i < m_questions.size(); ++i)
        if (!m_answers.at(i).isEmpty())
            out.insert(m_questions.at(i).code, m_answers.at(i));
    return out;
}

int QuestionListModel::firstMissing() const
{
    for (int i = 0; i < m_questions.size(); ++i)
        if (m_questions.at(i).required && m_answers.at(i).isEmpty())
            return i;
    return -1;
}

} // namespace pingyi::ui
