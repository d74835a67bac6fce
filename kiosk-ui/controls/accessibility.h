#pragma once
// How the screen is presented to the person in front of it: text size, contrast, language
// and read-aloud. Chosen by each representative and reset for the next one (reset()).

#include <QLocale>
#include <QObject>
#include <QTranslator>
#include <QVoice>

#include <QtQml/qqmlregistration.h>
#include <optional>

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
    /// The representative listens through headphones: read-aloud also says what only they
    /// may hear (their choices, the receipt code). On the loudspeaker it never does, since
    /// the people queueing behind them would hear it.
    Q_PROPERTY(bool headphones READ headphones WRITE setHeadphones NOTIFY headphonesChanged)
    /// Speech::Record only (tests): everything that would have been said, oldest first.
    Q_PROPERTY(QStringList spoken READ spoken NOTIFY spokenChanged)

public:
    /// Off: no speech engine is looked for (screenshots). Auto: the installed one, if it
    /// works. Record: no engine, but every language can be spoken and what would be said is
    /// kept in `spoken` (the QML tests check what is said, and what is not).
    enum class Speech { Off, Auto, Record };
    /// `engine` is retranslated on language changes.
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
    bool headphones() const { return m_headphones; }
    QStringList spoken() const { return m_spoken; }
    /// The speech engine's voice for the current language (empty without one).
    QString voiceName() const;
    void setHeadphones(bool on);

    /// Looks for a speech engine. Called once the first screen is up, so that start-up is
    /// not slowed by the speech service.
    void startSpeech();

    Q_INVOKABLE void say(const QString &text);
    Q_INVOKABLE void stopSpeaking();
    /// Says `text` only when reading aloud into headphones (AccessBar's privateSpeech).
    Q_INVOKABLE void sayPrivately(const QString &text);
    /// Back to the defaults for the next representative: standard text, normal contrast,
    /// Chinese, silent, loudspeaker.
    Q_INVOKABLE void reset();

    /// The engine to retranslate (set when it is created after this object).
    void setEngine(QQmlEngine *engine) { m_engine = engine; }

Q_SIGNALS:
    void textLevelChanged();
    void highContrastChanged();
    void englishChanged();
    void readAloudChanged();
    void canSpeakChanged();
    void headphonesChanged();
    void spokenChanged();

private:
    struct Voice {
        QLocale locale;
        QVoice voice;
    };
    std::optional<Voice> findMandarin();
    void applyVoice();

    QQmlEngine *m_engine;
    Speech m_speech;
    QTranslator m_translator;
    bool m_translatorInstalled = false;
    QTextToSpeech *m_tts = nullptr;
    bool m_ttsWorks = false;
    bool m_hasChinese = false;
    bool m_hasEnglish = false;
    std::optional<Voice> m_mandarin;
    int m_textLevel = 0;
    bool m_highContrast = false;
    bool m_english = false;
    bool m_readAloud = false;
    bool m_headphones = false;
    QStringList m_spoken;
};

} // namespace pingyi::ui
