#pragma once
// Pinyin input for the on-screen keyboard, backed by libgooglepinyin (Debian's Qt virtual
// keyboard has no Chinese). Letters build a spelling; the engine offers candidate words;
// choosing one commits Chinese text (or fixes part of a longer spelling). After a commit
// it offers likely next words (predictions).
//
// Nothing is learned: the user dictionary is disabled, so one representative's words are
// never suggested to the next.

#include <QAbstractListModel>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace pingyi::ui {

/// The candidate words on show (typed list model).
class CandidateModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("CandidateModel belongs to a PinyinEngine")

public:
    enum Roles { TextRole = Qt::UserRole + 1 };
    Q_ENUM(Roles)

    explicit CandidateModel(QObject *parent = nullptr) : QAbstractListModel(parent) { }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setCandidates(const QStringList &candidates);
    QStringList candidates() const { return m_items; }

private:
    QStringList m_items;
};

class PinyinEngine : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("PinyinEngine is made by the kiosk's composition root")
    /// The system dictionary could be opened.
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    /// What is being composed: fixed Chinese followed by the rest of the spelling (ni'hao).
    Q_PROPERTY(QString composition READ composition NOTIFY stateChanged)
    Q_PROPERTY(bool composing READ composing NOTIFY stateChanged)
    /// The candidates are follow-up words for text just committed.
    Q_PROPERTY(bool predicting READ predicting NOTIFY stateChanged)
    Q_PROPERTY(pingyi::ui::CandidateModel *candidates READ candidates CONSTANT)

public:
    /// The dictionary installed by Debian's libgooglepinyin0.
    static QString defaultDictionary();

    explicit PinyinEngine(const QString &dictionaryPath, QObject *parent = nullptr);
    ~PinyinEngine() override;

    bool available() const;
    QString composition() const { return m_composition; }
    bool composing() const { return !m_letters.isEmpty(); }
    bool predicting() const { return m_predicting; }
    CandidateModel *candidates() { return &m_candidates; }

    /// Adds a letter a-z to the spelling; false if it is not one or the spelling is full.
    Q_INVOKABLE bool addLetter(const QString &letter);
    /// Removes the last letter (or undoes the last partial choice); false when there was no
    /// spelling, so the caller deletes a character of the text instead.
    Q_INVOKABLE bool backspace();
    /// Chooses candidate `index`. Returns the text to insert when the spelling is complete
    /// (or a prediction was chosen); an empty string while part of the spelling is left.
    Q_INVOKABLE QString choose(int index);
    /// Ends composing and returns the letters as typed.
    Q_INVOKABLE QString commitLetters();
    /// Offers follow-up words for the end of `text`.
    Q_INVOKABLE void predict(const QString &text);
    /// Forgets the spelling and any predictions.
    Q_INVOKABLE void reset();

Q_SIGNALS:
    void availableChanged();
    void stateChanged();

private:
    bool ensureOpen();
    void update(size_t candidateCount);
    void clear();

    QString m_dictionary;
    bool m_open = false;
    bool m_failed = false;
    QByteArray m_letters;
    QString m_composition;
    bool m_predicting = false;
    QStringList m_predictions;
    CandidateModel m_candidates;
};

} // namespace pingyi::ui
