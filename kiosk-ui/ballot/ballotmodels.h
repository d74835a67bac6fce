#pragma once
// Typed list models behind the ballot screens: answer options, the departments with their
// ratings, and questions with their answers. They hold one representative's answers in
// memory only, and are emptied when that representative is done.

#include "activity.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqml.h> // QML_SEQUENTIAL_CONTAINER needs more than qqmlregistration.h

namespace pingyi::ui {

/// One answer option of a question, as its page shows it.
class ChoiceView {
    Q_GADGET
    QML_VALUE_TYPE(choiceView)
    Q_PROPERTY(QString code MEMBER code)
    Q_PROPERTY(QString label MEMBER label)
    Q_PROPERTY(QString labelEn MEMBER labelEn)

public:
    QString code;
    QString label;
    QString labelEn;
    bool operator==(const ChoiceView &) const = default;
};

/// The question on show (questionnaire or discipline survey) with the answer so far. A
/// default-constructed page is "no question".
class QuestionPage {
    Q_GADGET
    QML_VALUE_TYPE(questionPage)
    Q_PROPERTY(bool valid READ valid)
    Q_PROPERTY(QString code MEMBER code)
    Q_PROPERTY(QString text MEMBER text)
    Q_PROPERTY(QString textEn MEMBER textEn)
    Q_PROPERTY(int number MEMBER number)
    Q_PROPERTY(bool multiple MEMBER multiple)
    Q_PROPERTY(bool required MEMBER required)
    Q_PROPERTY(int maxChoices MEMBER maxChoices)
    Q_PROPERTY(QList<pingyi::ui::ChoiceView> choices MEMBER choices)
    Q_PROPERTY(QStringList answer MEMBER answer)
    Q_PROPERTY(QString answerLabel MEMBER answerLabel)
    Q_PROPERTY(QString answerLabelEn MEMBER answerLabelEn)
    Q_PROPERTY(bool answered READ answered)

public:
    bool valid() const { return !code.isEmpty(); }
    bool answered() const { return !answer.isEmpty(); }

    QString code;
    QString text;
    QString textEn;
    int number = 0; ///< from 1
    bool multiple = false;
    bool required = false;
    int maxChoices = 0;
    QList<ChoiceView> choices;
    QStringList answer; ///< chosen codes
    QString answerLabel; ///< chosen labels joined with "、"
    QString answerLabelEn;
    bool operator==(const QuestionPage &) const = default;
};

/// The department on show with the rating chosen so far (a choice code, or empty).
class DepartmentPage {
    Q_GADGET
    QML_VALUE_TYPE(departmentPage)
    Q_PROPERTY(bool valid READ valid)
    Q_PROPERTY(QString code MEMBER code)
    Q_PROPERTY(QString name MEMBER name)
    Q_PROPERTY(QString nameEn MEMBER nameEn)
    Q_PROPERTY(QString rating MEMBER rating)

public:
    bool valid() const { return !code.isEmpty(); }

    QString code;
    QString name;
    QString nameEn;
    QString rating;
    bool operator==(const DepartmentPage &) const = default;
};

/// QList<ChoiceView> is a sequence in QML (an array of choiceView values).
struct ChoiceViewListForeign {
    Q_GADGET
    QML_FOREIGN(QList<pingyi::ui::ChoiceView>)
    QML_ANONYMOUS
    QML_SEQUENTIAL_CONTAINER(pingyi::ui::ChoiceView)
};

/// Options with a code and Chinese and English labels (rating scale, suggestion topics).
/// Rating options also carry their rank by score, which picks their mark (RatingMark.qml).
class ChoiceListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChoiceListModel belongs to the voter flow")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles { CodeRole = Qt::UserRole + 1, LabelRole, LabelEnRole, RankRole };
    Q_ENUM(Roles)

    struct Item {
        QString code;
        QString label;
        QString labelEn;
        int rank = -1; ///< rating options: 0 for the highest score; -1 for other lists
    };

    explicit ChoiceListModel(QObject *parent = nullptr) : QAbstractListModel(parent) { }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_items.size()); }
    void setItems(const QList<Item> &items);
    /// The item with `code`, or nullptr.
    const Item *find(const QString &code) const;
    /// The label of `code` (empty if there is none).
    Q_INVOKABLE QString label(const QString &code, bool english) const;
    /// The rank of `code` (-1 if there is none).
    Q_INVOKABLE int rank(const QString &code) const;
    /// All labels in order.
    QStringList labels(bool english) const;
    /// All labels in order as one text, for reading aloud ("、" between them, ", " in English).
    Q_INVOKABLE QString spokenList(bool english) const;

Q_SIGNALS:
    void countChanged();

private:
    QList<Item> m_items;
};

/// The departments of the group session and the rating given to each (empty until rated).
class RatingListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("RatingListModel belongs to the voter flow")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int answered READ answered NOTIFY answeredChanged)

public:
    enum Roles {
        CodeRole = Qt::UserRole + 1,
        NameRole,
        NameEnRole,
        NumberRole,
        RatingRole,
        RatingLabelRole,
        RatingLabelEnRole,
        RatingRankRole, ///< the rating's rank on the scale, -1 until rated
    };
    Q_ENUM(Roles)

    RatingListModel(const ChoiceListModel &scale, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_departments.size()); }
    int answered() const;
    void setDepartments(const QList<Department> &departments);
    const Department &department(int row) const { return m_departments.at(row); }
    QString rating(int row) const { return m_ratings.value(row); }
    void setRating(int row, const QString &code);
    /// First department without a rating, or -1.
    int firstUnanswered() const;
    /// The name of the department with `code`.
    Q_INVOKABLE QString name(const QString &code, bool english) const;

Q_SIGNALS:
    void countChanged();
    void answeredChanged();

private:
    const ChoiceListModel &m_scale;
    QList<Department> m_departments;
    QStringList m_ratings;
};

/// Questions (questionnaire or discipline survey) and the choices made for each.
class QuestionListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("QuestionListModel belongs to the voter flow")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        CodeRole = Qt::UserRole + 1,
        TextRole,
        TextEnRole,
        NumberRole,
        MultipleRole,
        RequiredRole,
        MaxChoicesRole,
        ChoicesRole, ///< QList<ChoiceView>
        AnswerRole, ///< chosen codes
        AnswerLabelRole, ///< chosen labels joined with "、"
        AnswerLabelEnRole,
        AnsweredRole,
    };
    Q_ENUM(Roles)

    explicit QuestionListModel(QObject *parent = nullptr) : QAbstractListModel(parent) { }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_questions.size()); }
    void setQuestions(const QList<Question> &questions);
    const Question &question(int row) const { return m_questions.at(row); }
    QStringList answer(int row) const { return m_answers.value(row); }
    void setAnswer(int row, const QStringList &codes);
    /// Everything about one question, for the page that shows it (invalid out of range).
    QuestionPage page(int row) const;
    /// The answers of answered questions, keyed by question code.
    QMap<QString, QStringList> answers() const;
    /// First required question without an answer, or -1.
    int firstMissing() const;

Q_SIGNALS:
    void countChanged();

private:
    QString labels(int row, bool english) const;
    static QList<ChoiceView> choiceViews(const Question &q);

    QList<Question> m_questions;
    QList<QStringList> m_answers;
};

} // namespace pingyi::ui
