#include "chime.h"

#include <QLoggingCategory>
#include <QtConcurrent/QtConcurrentRun>

#include <alsa/asoundlib.h>

#include <cmath>
#include <mutex>
#include <numbers>

Q_LOGGING_CATEGORY(lcChime, "pingyi.ui.chime")

namespace pingyi::ui {

namespace {

// ALSA reports a missing device on stderr by itself; the kiosk says it once in its own log.
void quietAlsa(const char *, int, const char *, int, const char *, ...) { }

struct Note {
    double hz;
    double seconds;
};

/// Opens the default device and plays `pcm` to the end; false when there is no device.
bool play(const QByteArray &pcm)
{
    snd_pcm_t *pcmHandle = nullptr;
    // Non-blocking open: a busy or absent sound server must not stall the worker.
    if (snd_pcm_open(&pcmHandle, "default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK) < 0)
        return false;
    snd_pcm_nonblock(pcmHandle, 0);
    if (snd_pcm_set_params(pcmHandle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, Chime::sampleRate, 1,
                           100000)
        < 0) {
        snd_pcm_close(pcmHandle);
        return false;
    }
    const auto *data = reinterpret_cast<const qint16 *>(pcm.constData());
    snd_pcm_uframes_t left = snd_pcm_uframes_t(pcm.size() / 2);
    while (left > 0) {
        snd_pcm_sframes_t n = snd_pcm_writei(pcmHandle, data, left);
        if (n < 0)
            n = snd_pcm_recover(pcmHandle, int(n), 1);
        if (n < 0)
            break;
        data += n;
        left -= snd_pcm_uframes_t(n);
    }
    snd_pcm_drain(pcmHandle);
    snd_pcm_close(pcmHandle);
    return true;
}

} // namespace

Chime::Chime(bool audible, QObject *parent) : QObject(parent), m_audible(audible)
{
    static std::once_flag quiet;
    if (m_audible)
        std::call_once(quiet, [] { snd_lib_error_set_handler(&quietAlsa); });
}

Chime::~Chime()
{
    m_player.waitForFinished(); // at most one chime, under a second
}

QByteArray Chime::samples(Kind kind)
{
    // Attention: E5 then A5, gentle. Call: C6, E6, G6, louder, to be heard across a hall.
    const QList<Note> notes = kind == Kind::Attention ? QList<Note> {{659.25, 0.28}, {880.0, 0.42}}
                                                      : QList<Note> {{1046.5, 0.22}, {1318.5, 0.22}, {1568.0, 0.45}};
    const double volume = kind == Kind::Attention ? 0.35 : 0.6;
    QByteArray out;
    for (const Note &note : notes) {
        const int n = int(note.seconds * sampleRate);
        const int attack = sampleRate / 200; // 5 ms
        for (int i = 0; i < n; ++i) {
            const double t = double(i) / sampleRate;
            const double envelope = std::min(1.0, double(i) / attack) * std::exp(-4.0 * t / note.seconds)
                * std::min(1.0, double(n - i) / attack);
            // A bell-like tone: the note and a quieter octave above.
            const double wave
                = std::sin(2 * std::numbers::pi * note.hz * t) + 0.3 * std::sin(2 * std::numbers::pi * 2 * note.hz * t);
            const auto sample = qint16(std::lround(volume * envelope * wave / 1.3 * 32767));
            out.append(char(sample & 0xff));
            out.append(char((sample >> 8) & 0xff));
        }
    }
    return out;
}

void Chime::ring(Kind kind)
{
    ++m_rings;
    Q_EMIT rang();
    if (!m_audible || m_playing.exchange(true))
        return;
    m_player = QtConcurrent::run([this, pcm = samples(kind)] {
        static std::once_flag told;
        if (!play(pcm))
            std::call_once(told, [] { qCInfo(lcChime) << "no sound device: the chime is shown, not heard"; });
        m_playing = false;
    });
}

} // namespace pingyi::ui
