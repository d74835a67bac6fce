#include "pinyinengine.h"

#include <QFile>
#include <QLoggingCategory>

#include <pinyinime.h>

#include <atomic>

Q_LOGGING_CATEGORY(lcPinyin, "pingyi.ui.pinyin")

namespace pingyi::ui {

namespace {

constexpr int maxLetters = 28; // the decoder's own limit is a little higher
constexpr int maxCandidates = 60; // more than anyone pages through
constexpr int maxPredictions = 24;
constexpr int historyChars = 4;

// libgooglepinyin keeps its decoder in process-wide state: one engine at a time owns it.
std::atomic<const PinyinEngine *> decoderOwner {nullptr};

QString fromChar16(const ime_pinyin::char16 *s)
{
    qsizetype n = 0;
    while (s[n])
        ++n;
    return QString(reinterpret_cast<const QChar *>(s), n);
}

QString candidate(size_t index)
{
    ime_pinyin::char16 buf[ime_pinyin::kMaxSearchSteps + 1] = {};
    if (!ime_pinyin::im_get_candidate(index, buf, ime_pinyin::kMaxSearchSteps))
        return {};
    return fromChar16(buf);
}

} // namespace

int CandidateModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant CandidateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == TextRole || role == Qt::DisplayRole)
        return m_items.at(index.row());
    return {};
}

QHash<int, QByteArray> CandidateModel::roleNames() const
{
    return {{TextRole, "text"}};
}

void CandidateModel::setCandidates(const QStringList &candidates)
{
    if (candidates == m_items)
        return;
    beginResetModel();
    m_items = candidates;
    endResetModel();
}

QString PinyinEngine::defaultDictionary()
{
    return QStringLiteral(PINGYI_PINYIN_DICT);
}

PinyinEngine::PinyinEngine(const QString &dictionaryPath, QObject *parent)
    : QObject(parent), m_dictionary(dictionaryPath)
{
}

PinyinEngine::~PinyinEngine()
{
    if (m_open) {
        ime_pinyin::im_close_decoder();
        decoderOwner.store(nullptr);
    }
}

bool PinyinEngine::available() const
{
    return !m_failed;
}

bool PinyinEngine::ensureOpen()
{
    if (m_open || m_failed)
        return m_open;
    const PinyinEngine *none = nullptr;
    if (!decoderOwner.compare_exchange_strong(none, this)) {
        qCWarning(lcPinyin) << "another Pinyin engine already uses the decoder";
    } else if (!QFile::exists(m_dictionary)) {
        qCWarning(lcPinyin) << "Pinyin dictionary not found:" << m_dictionary;
        decoderOwner.store(nullptr);
    } else if (!ime_pinyin::im_open_decoder(QFile::encodeName(m_dictionary).constData(), "/dev/null")) {
        // "/dev/null" as the user dictionary: it cannot be loaded, so nothing is learned.
        qCWarning(lcPinyin) << "cannot open the Pinyin dictionary" << m_dictionary;
        decoderOwner.store(nullptr);
    } else {
        ime_pinyin::im_set_max_lens(maxLetters + 4, maxLetters + 4);
        m_open = true;
        return true;
    }
    m_failed = true;
    Q_EMIT availableChanged();
    return false;
}

void PinyinEngine::clear()
{
    m_letters.clear();
    m_composition.clear();
    m_predicting = false;
    m_predictions.clear();
    m_candidates.setCandidates({});
}

void PinyinEngine::reset()
{
    if (m_open)
        ime_pinyin::im_reset_search();
    clear();
    Q_EMIT stateChanged();
}

void PinyinEngine::update(size_t candidateCount)
{
    const size_t fixed = ime_pinyin::im_get_fixed_len();
    const ime_pinyin::uint16 *starts = nullptr;
    const size_t spellings = ime_pinyin::im_get_spl_start_pos(starts);
    const QString first = candidate(0);

    // Fixed Chinese, then the remaining syllables separated by apostrophes.
    QString shown = first.left(qsizetype(fixed));
    const QString letters = QString::fromLatin1(m_letters);
    if (starts) {
        for (size_t i = fixed; i < spellings; ++i) {
            if (i > fixed)
                shown += QLatin1Char('\'');
            shown += letters.mid(starts[i], starts[i + 1] - starts[i]);
        }
        shown += letters.mid(starts[spellings]); // letters that are not (yet) a syllable
    } else {
        shown += letters;
    }
    m_composition = shown;

    QStringList list;
    for (size_t i = 0; i < candidateCount && list.size() < maxCandidates; ++i) {
        // The first candidate is the whole sentence including what is already fixed.
        QString c = i == 0 ? first.mid(qsizetype(fixed)) : candidate(i);
        if (!c.isEmpty() && !list.contains(c))
            list.append(c);
    }
    m_candidates.setCandidates(list);
}

bool PinyinEngine::addLetter(const QString &letter)
{
    if (letter.size() != 1 || !ensureOpen())
        return false;
    const QChar c = letter.at(0).toLower();
    if (c < QLatin1Char('a') || c > QLatin1Char('z') || m_letters.size() >= maxLetters)
        return false;
    m_predicting = false;
    m_predictions.clear();
    m_letters.append(char(c.unicode()));
    update(ime_pinyin::im_search(m_letters.constData(), size_t(m_letters.size())));
    Q_EMIT stateChanged();
    return true;
}

bool PinyinEngine::backspace()
{
    if (m_predicting) {
        clear();
        Q_EMIT stateChanged();
        return false;
    }
    if (m_letters.isEmpty() || !m_open)
        return false;
    if (ime_pinyin::im_get_fixed_len() > 0) {
        update(ime_pinyin::im_cancel_last_choice());
    } else {
        m_letters.chop(1);
        if (m_letters.isEmpty()) {
            ime_pinyin::im_reset_search();
            clear();
        } else {
            update(ime_pinyin::im_search(m_letters.constData(), size_t(m_letters.size())));
        }
    }
    Q_EMIT stateChanged();
    return true;
}

QString PinyinEngine::choose(int index)
{
    if (index < 0 || index >= m_candidates.rowCount())
        return {};
    if (m_predicting) {
        const QString text = m_predictions.value(index);
        predict(text);
        return text;
    }
    if (!m_open || m_letters.isEmpty())
        return {};
    // The model drops duplicates, so map the shown index back to the decoder's.
    const QString wanted = m_candidates.candidates().at(index);
    const size_t fixed = ime_pinyin::im_get_fixed_len();
    size_t decoderIndex = size_t(index);
    for (size_t i = 0; i < size_t(maxCandidates) * 2; ++i) {
        const QString c = i == 0 ? candidate(0).mid(qsizetype(fixed)) : candidate(i);
        if (c == wanted) {
            decoderIndex = i;
            break;
        }
    }
    const size_t n = ime_pinyin::im_choose(decoderIndex);
    const ime_pinyin::uint16 *starts = nullptr;
    const size_t spellings = ime_pinyin::im_get_spl_start_pos(starts);
    if (ime_pinyin::im_get_fixed_len() >= spellings) {
        const QString text = candidate(0);
        ime_pinyin::im_reset_search();
        clear();
        predict(text);
        return text;
    }
    update(n);
    Q_EMIT stateChanged();
    return {};
}

QString PinyinEngine::commitLetters()
{
    const QString text = QString::fromLatin1(m_letters);
    if (m_open)
        ime_pinyin::im_reset_search();
    clear();
    Q_EMIT stateChanged();
    return text;
}

void PinyinEngine::predict(const QString &text)
{
    clear();
    if (text.isEmpty() || !ensureOpen()) {
        Q_EMIT stateChanged();
        return;
    }
    const QString tail = text.right(historyChars);
    ime_pinyin::char16 history[historyChars + 1] = {};
    for (qsizetype i = 0; i < tail.size(); ++i)
        history[i] = tail.at(i).unicode();
    ime_pinyin::char16(*predictions)[ime_pinyin::kMaxPredictSize + 1] = nullptr;
    const size_t n = ime_pinyin::im_get_predicts(history, predictions);
    for (size_t i = 0; i < n && m_predictions.size() < maxPredictions; ++i) {
        const QString p = fromChar16(predictions[i]);
        if (!p.isEmpty() && !m_predictions.contains(p))
            m_predictions.append(p);
    }
    m_predicting = !m_predictions.isEmpty();
    m_candidates.setCandidates(m_predictions);
    Q_EMIT stateChanged();
}

} // namespace pingyi::ui
