// Read-aloud through the real speech stack of a fresh machine, as the kiosk uses it: Qt
// TextToSpeech → Speech Dispatcher (with the kiosk's packaged speechd.conf) → espeak-ng's
// Mandarin and English voices → ALSA. ALSA's default device is replaced, through ~/.asoundrc
// in a private HOME, by a file: the test listens to what a representative would hear and
// checks that each utterance is sound, not silence, and that nothing is said for a choice on
// the loudspeaker. Label ui.

#include "accessibility.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextToSpeech>

#include <cmath>
#include <csignal>

using pingyi::ui::Accessibility;

namespace {

struct Loudness {
    qint64 samples = 0;
    double rms = 0; ///< of signed 16-bit samples
};

/// The 16-bit samples written to `path` from byte `from` on.
Loudness loudness(const QString &path, qint64 from)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(from))
        return {};
    const QByteArray raw = f.readAll();
    Loudness l;
    l.samples = raw.size() / 2;
    double sum = 0;
    for (qint64 i = 0; i < l.samples; ++i) {
        const auto s = qint16(quint16(quint8(raw[2 * i])) | quint16(quint8(raw[2 * i + 1])) << 8);
        sum += double(s) * s;
    }
    l.rms = l.samples > 0 ? std::sqrt(sum / double(l.samples)) : 0;
    return l;
}

} // namespace

class SpeechEngineTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir {QStringLiteral("/tmp/pingyi-speech-XXXXXX")};
    QString m_sink;
    std::unique_ptr<Accessibility> m_access;

    qint64 sinkSize() const { return QFileInfo(m_sink).size(); }

    /// Says `text` and waits until the engine is done; returns what reached the sink.
    Loudness sayAndListen(const std::function<void()> &speak)
    {
        const qint64 before = sinkSize();
        speak();
        // The stack writes as it speaks; done once the sink has stopped growing for a while.
        qint64 last = -1;
        int still = 0;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 && still < 8) {
            QTest::qWait(150);
            const qint64 now = sinkSize();
            still = now == last && now > before ? still + 1 : (now == before && t.elapsed() > 4000 ? still + 1 : 0);
            last = now;
        }
        return loudness(m_sink, before);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (QStandardPaths::findExecutable(QStringLiteral("speech-dispatcher")).isEmpty()
            || !QFile::exists(QStringLiteral("/usr/lib/speech-dispatcher-modules/sd_espeak-ng")))
            QFAIL("speech-dispatcher and speech-dispatcher-espeak-ng are not installed: run ./scripts/setup");
        const QString home = m_dir.filePath(QStringLiteral("home"));
        const QString runtime = m_dir.filePath(QStringLiteral("run"));
        const QString config = m_dir.filePath(QStringLiteral("xdg"));
        QVERIFY(QDir().mkpath(home) && QDir().mkpath(runtime) && QDir().mkpath(config + "/speech-dispatcher"));
        QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        // The kiosk's own configuration, as packaged.
        QVERIFY(QFile::copy(QStringLiteral(PINGYI_SOURCE_DIR "/packaging/speech-dispatcher/speechd.conf"),
                            config + "/speech-dispatcher/speechd.conf"));
        m_sink = m_dir.filePath(QStringLiteral("heard.raw"));
        QFile rc(home + "/.asoundrc");
        QVERIFY(rc.open(QIODevice::WriteOnly));
        rc.write(
            QStringLiteral("pcm.!default {\n  type file\n  slave.pcm \"null\"\n  file \"%1\"\n  format \"raw\"\n}\n")
                .arg(m_sink)
                .toUtf8());
        rc.close();
        qputenv("HOME", home.toUtf8());
        qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
        qputenv("XDG_CONFIG_HOME", config.toUtf8());
        qunsetenv("SPEECHD_ADDRESS");

        QVERIFY2(QTextToSpeech::availableEngines().contains(QStringLiteral("speechd")),
                 "Qt's speech-dispatcher plugin is missing (qt6-speech-speechd-plugin)");
        m_access = std::make_unique<Accessibility>(nullptr, Accessibility::Speech::Auto);
        m_access->startSpeech();
        QTRY_VERIFY_WITH_TIMEOUT(m_access->canSpeak(), 15000);
    }

    void cleanupTestCase()
    {
        m_access.reset();
        // The speech-dispatcher this test started (it would leave by itself after a while).
        QFile pid(m_dir.filePath(QStringLiteral("run/speech-dispatcher/pid/speech-dispatcher.pid")));
        if (pid.open(QIODevice::ReadOnly))
            if (const int p = pid.readAll().trimmed().toInt(); p > 1)
                ::kill(p, SIGTERM);
    }

    void mandarinIsSound()
    {
        QVERIFY2(m_access->canSpeak(), "no Mandarin voice");
        // espeak-ng's Mandarin, not another voice spelling out the characters.
        QVERIFY2(m_access->voiceName().contains(QLatin1String("Mandarin")), qPrintable(m_access->voiceName()));
        const Loudness l = sayAndListen([&] {
            m_access->say(QStringLiteral("第 1 个部门，共 15 个。市公安局。请选择：满意、基本满意、不满意、不了解。"));
        });
        qInfo("Mandarin: %lld samples, RMS %.0f", l.samples, l.rms);
        // About six seconds of speech at espeak-ng's 22050 Hz; silence would be RMS 0.
        QVERIFY2(l.samples > 22050, "the utterance is shorter than a second");
        QVERIFY2(l.rms > 300, "the utterance is silence");
    }

    void englishIsSound()
    {
        m_access->setEnglish(true);
        QTRY_VERIFY_WITH_TIMEOUT(m_access->canSpeak(), 5000);
        const Loudness l = sayAndListen([&] { m_access->say(QStringLiteral("Department 1 of 15. Please choose.")); });
        m_access->setEnglish(false);
        qInfo("English: %lld samples, RMS %.0f", l.samples, l.rms);
        QVERIFY(l.samples > 11025);
        QVERIFY(l.rms > 300);
    }

    void choicesOnlyIntoHeadphones()
    {
        m_access->setReadAloud(true);
        QVERIFY(m_access->readAloud());
        m_access->setHeadphones(false);
        const Loudness speaker = sayAndListen([&] { m_access->sayPrivately(QStringLiteral("您选择了：不满意。")); });
        QCOMPARE(speaker.samples, 0);
        m_access->setHeadphones(true);
        const Loudness headphones = sayAndListen([&] { m_access->sayPrivately(QStringLiteral("您选择了：不满意。")); });
        qInfo("a choice into headphones: %lld samples, RMS %.0f", headphones.samples, headphones.rms);
        QVERIFY(headphones.samples > 0 && headphones.rms > 300);
        m_access->reset();
        QVERIFY(!m_access->headphones());
        QVERIFY(!m_access->readAloud());
    }
};

QTEST_GUILESS_MAIN(SpeechEngineTest)
#include "tst_speech_engine.moc"
