#pragma once
// How the screen is presented to the person in front of it: text size, contrast, language
// and read-aloud. Chosen by each representative and reset for the next one (reset()).

#include <QObject>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QTextToSpeech;

namespace pingyi::ui {

class Accessibility : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Accessibility is made by the kiosk's composition root")
    /// 0 standard, 1 large, 2 extra large.
    Q_PROPERTY(int textLevel READ textLevel WRITE setTextLevel NOTIFY textLevelChanged)
    Q_PROPERTY(bool highContrast READ highContrast WRITE setHighContrast NOTIFY highContrastChanged)
    /// Simplified Chinese is the source language; English is a translation.
    Q_PROPERTY(bool english READ english WRITE setEnglish NOTIFY englishChanged)
    /// Read each screen aloud as it appears.
    Q_PROPERTY(bool readAloud READ readAloud WRITE setReadAloud NOTIFY readAloudChanged)
    /// A speech engine with a voice for the current language is installed and working.
    Q_PROPERTY(bool canSpeak READ canSpeak NOTIFY canSpeakChanged)

public:
    enum class Speech { Off, Auto };
    /// `engine` is retranslated on language changes; `speech` Off skips looking for a
    /// speech engine (tests, screenshots).
    Accessibility(QQmlEngine *engine, Speech speech, QObject *parent = nullptr);
    ~Accessibility() override;

    int textLevel() const { return m_textLevel; }
    void setTextLevel(int level);
    bool highContrast() const { return m_highContrast; }
    void setHighContrast(bool on);
    bool english() const { return m_english; }
    void setEnglish(bool on);
    bool readAloud() const { return m_readAloud; }
    void setReadAloud(bool on);
    bool canSpeak() const;

    /// Looks for a speech engine. Called once the first screen is up, so that start-up is
    /// not slowed by the speech service.
    void startSpeech();

    Q_INVOKABLE void cycleTextLevel();
    Q_INVOKABLE void say(const QString &text);
    Q_INVOKABLE void stopSpeaking();
    /// Back to the defaults for the next representative: standard text, normal contrast,
    /// Chinese, silent.
    Q_INVOKABLE void reset();

    /// The engine to retranslate (set when it is created after this object).
    void setEngine(QQmlEngine *engine) { m_engine = engine; }

Q_SIGNALS:
    void textLevelChanged();
    void highContrastChanged();
    void englishChanged();
    void readAloudChanged();
    void canSpeakChanged();

private:
    void applyVoice();

    QQmlEngine *m_engine;
    Speech m_speech;
    QTranslator m_translator;
    bool m_translatorInstalled = false;
    QTextToSpeech *m_tts = nullptr;
    bool m_ttsWorks = false;
    bool m_hasChinese = false;
    bool m_hasEnglish = false;
    int m_textLevel = 0;
    bool m_highContrast = false;
    bool m_english = false;
    bool m_readAloud = false;
};

} // namespace pingyi::ui
