#include "accessibility.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QTextToSpeech>

Q_LOGGING_CATEGORY(lcAccess, "pingyi.ui.accessibility")

namespace pingyi::ui {

Accessibility::Accessibility(QQmlEngine *engine, Speech speech, QObject *parent)
    : QObject(parent), m_engine(engine), m_speech(speech)
{
}

Accessibility::~Accessibility()
{
    if (m_translatorInstalled)
        QCoreApplication::removeTranslator(&m_translator);
}

void Accessibility::setTextLevel(int level)
{
    level = std::clamp(level, 0, 2);
    if (level == m_textLevel)
        return;
    m_textLevel = level;
    Q_EMIT textLevelChanged();
}

void Accessibility::cycleTextLevel()
{
    setTextLevel((m_textLevel + 1) % 3);
}

void Accessibility::setHighContrast(bool on)
{
    if (on == m_highContrast)
        return;
    m_highContrast = on;
    Q_EMIT highContrastChanged();
}

void Accessibility::setEnglish(bool on)
{
    if (on == m_english)
        return;
    if (on && !m_translatorInstalled) {
        if (m_translator.isEmpty() && !m_translator.load(QStringLiteral(":/i18n/pingyi_en.qm")))
            qCWarning(lcAccess) << "the English translation is missing from the build";
        m_translatorInstalled = QCoreApplication::installTranslator(&m_translator);
    } else if (!on && m_translatorInstalled) {
        QCoreApplication::removeTranslator(&m_translator);
        m_translatorInstalled = false;
    }
    m_english = on;
    stopSpeaking();
    if (m_engine)
        m_engine->retranslate();
    applyVoice();
    Q_EMIT englishChanged();
    Q_EMIT canSpeakChanged();
}

void Accessibility::setReadAloud(bool on)
{
    on = on && canSpeak();
    if (on == m_readAloud)
        return;
    m_readAloud = on;
    if (!on)
        stopSpeaking();
    Q_EMIT readAloudChanged();
}

bool Accessibility::canSpeak() const
{
    return m_ttsWorks && (m_english ? m_hasEnglish : m_hasChinese);
}

void Accessibility::startSpeech()
{
    if (m_speech == Speech::Off || m_tts || QTextToSpeech::availableEngines().isEmpty())
        return;
    m_tts = new QTextToSpeech(this);
    auto update = [this] {
        const bool works = m_tts->state() != QTextToSpeech::Error;
        if (works && !m_ttsWorks) {
            m_hasChinese = m_hasEnglish = false;
            for (const QLocale &l : m_tts->availableLocales()) {
                m_hasChinese = m_hasChinese || l.language() == QLocale::Chinese;
                m_hasEnglish = m_hasEnglish || l.language() == QLocale::English;
            }
            m_ttsWorks = true;
            applyVoice();
            Q_EMIT canSpeakChanged();
        } else if (!works && m_ttsWorks) {
            m_ttsWorks = false;
            setReadAloud(false);
            Q_EMIT canSpeakChanged();
        }
    };
    connect(m_tts, &QTextToSpeech::stateChanged, this, update);
    update();
    if (!m_ttsWorks)
        qCInfo(lcAccess) << "read-aloud is not available:" << m_tts->errorString();
}

void Accessibility::applyVoice()
{
    if (!m_ttsWorks)
        return;
    const QLocale::Language want = m_english ? QLocale::English : QLocale::Chinese;
    for (const QLocale &l : m_tts->availableLocales()) {
        if (l.language() == want && (want != QLocale::Chinese || l.territory() == QLocale::China)) {
            m_tts->setLocale(l);
            return;
        }
    }
    for (const QLocale &l : m_tts->availableLocales()) {
        if (l.language() == want) {
            m_tts->setLocale(l);
            return;
        }
    }
}

void Accessibility::say(const QString &text)
{
    if (!canSpeak() || text.isEmpty())
        return;
    m_tts->stop();
    // A little slower than the default: many representatives are elderly.
    m_tts->setRate(-0.15);
    m_tts->say(text);
}

void Accessibility::stopSpeaking()
{
    if (m_tts && m_ttsWorks)
        m_tts->stop();
}

void Accessibility::reset()
{
    setReadAloud(false);
    setTextLevel(0);
    setHighContrast(false);
    setEnglish(false);
}

} // namespace pingyi::ui
