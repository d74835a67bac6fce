#include "accessibility.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QTextToSpeech>
#include <QVoice>

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

void Accessibility::setHeadphones(bool on)
{
    if (on == m_headphones)
        return;
    m_headphones = on;
    Q_EMIT headphonesChanged();
}

bool Accessibility::canSpeak() const
{
    if (m_speech == Speech::Record)
        return true;
    return m_ttsWorks && (m_english ? m_hasEnglish : m_hasChinese);
}

void Accessibility::startSpeech()
{
    if (m_speech != Speech::Auto || m_tts || QTextToSpeech::availableEngines().isEmpty())
        return;
    m_tts = new QTextToSpeech(this);
    auto update = [this] {
        const bool works = m_tts->state() != QTextToSpeech::Error;
        if (works && !m_ttsWorks) {
            m_ttsWorks = true;
            m_mandarin = findMandarin();
            m_hasChinese = m_mandarin.has_value();
            m_hasEnglish = false;
            for (const QLocale &l : m_tts->availableLocales())
                m_hasEnglish = m_hasEnglish || l.language() == QLocale::English;
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
    else if (!m_hasChinese)
        qCInfo(lcAccess) << "read-aloud has no Mandarin voice (install speech-dispatcher-espeak-ng)";
}

std::optional<Accessibility::Voice> Accessibility::findMandarin()
{
    // A locale of Chinese in China, where the engine names it so.
    for (const QLocale &l : m_tts->availableLocales()) {
        if (l.language() == QLocale::Chinese && l.territory() == QLocale::China) {
            m_tts->setLocale(l);
            if (!m_tts->availableVoices().isEmpty())
                return Voice {l, m_tts->availableVoices().constFirst()};
        }
    }
    // espeak-ng calls its Mandarin voice's language "cmn", which Qt 6.4 does not know: the
    // speech-dispatcher plugin files it under the C locale. Find it there by its name (without
    // a variant such as "+Adam", which changes the speaker's timbre, not the language).
    for (const QLocale &l : m_tts->availableLocales()) {
        if (l.language() != QLocale::C && l.language() != QLocale::Chinese)
            continue;
        m_tts->setLocale(l);
        std::optional<Voice> found;
        for (const QVoice &v : m_tts->availableVoices()) {
            if (!v.name().contains(QLatin1String("Mandarin")))
                continue;
            if (!found || (!v.name().contains(QLatin1Char('+')) && found->voice.name().contains(QLatin1Char('+'))))
                found = Voice {l, v};
        }
        if (found)
            return found;
    }
    return std::nullopt;
}

QString Accessibility::voiceName() const
{
    return m_tts && m_ttsWorks ? m_tts->voice().name() : QString();
}

void Accessibility::applyVoice()
{
    if (!m_ttsWorks)
        return;
    if (!m_english) {
        if (m_mandarin) {
            m_tts->setLocale(m_mandarin->locale);
            m_tts->setVoice(m_mandarin->voice);
        }
        return;
    }
    for (const QLocale &l : m_tts->availableLocales()) {
        if (l.language() == QLocale::English) {
            m_tts->setLocale(l);
            return;
        }
    }
}

void Accessibility::say(const QString &text)
{
    if (!canSpeak() || text.isEmpty())
        return;
    if (m_speech == Speech::Record) {
        m_spoken.append(text);
        Q_EMIT spokenChanged();
        return;
    }
    m_tts->stop();
    // A little slower than the default: many representatives are elderly.
    m_tts->setRate(-0.15);
    m_tts->say(text);
}

void Accessibility::sayPrivately(const QString &text)
{
    if (m_readAloud && m_headphones)
        say(text);
}

void Accessibility::stopSpeaking()
{
    if (m_tts && m_ttsWorks)
        m_tts->stop();
}

void Accessibility::reset()
{
    setReadAloud(false);
    setHeadphones(false);
    setTextLevel(0);
    setHighContrast(false);
    setEnglish(false);
}

} // namespace pingyi::ui
