#pragma once
// Typed list models behind the ballot screens: answer options, the departments with their
// ratings, and questions with their answers. They hold one representative's answers in
// memory only, and are emptied when that representative is done.

#include "activity.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

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

    explicit ChoiceListModel(QObject *parent = nullptr) : QAbstractListModel(parent) {}
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
    /// All labels in order, for reading aloud.
    Q_INVOKABLE QStringList labels(bool english) const;

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
        ChoicesRole,     ///< list of {code, label, labelEn}
        AnswerRole,      ///< chosen codes
        AnswerLabelRole, ///< chosen labels joined with "、"
        AnswerLabelEnRole,
        AnsweredRole,
    };
    Q_ENUM(Roles)

    explicit QuestionListModel(QObject *parent = nullptr) : QAbstractListModel(parent) {}
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_questions.size()); }
    void setQuestions(const QList<Question> &questions);
    const Question &question(int row) const { return m_questions.at(row); }
    QStringList answer(int row) const { return m_answers.value(row); }
    void setAnswer(int row, const QStringList &codes);
    /// Everything about one question, for the page that shows it.
    QVariantMap page(int row) const;
    /// The answers of answered questions, keyed by question code.
    QMap<QString, QStringList> answers() const;
    /// First required question without an answer, or -1.
    int firstMissing() const;

Q_SIGNALS:
    void countChanged();

private:
    QString labels(int row, bool english) const;

    QList<Question> m_questions;
    QList<QStringList> m_answers;
};

} // namespace pingyi::ui
