#pragma once
// A short two-note chime, synthesised in code and played through ALSA's default device on a
// worker thread: the idle warning and the staff call are heard, not only seen. A kiosk
// without a sound card (or a test run offscreen) plays nothing and goes on; nothing waits
// for the sound.

#include <QByteArray>
#include <QFuture>
#include <QObject>

#include <atomic>

namespace pingyi::ui {

class Chime : public QObject {
    Q_OBJECT

public:
    enum class Kind {
        Attention, ///< two rising notes: the idle warning
        Call, ///< three notes, louder: a representative needs the staff
    };

    static constexpr int sampleRate = 22050;

    /// `audible` false: count the rings, play nothing (tests, the screen tour).
    explicit Chime(bool audible = true, QObject *parent = nullptr);
    ~Chime() override;

    /// Plays the chime unless one is still playing (then this ring is dropped).
    void ring(Kind kind);
    /// How many times ring() was asked (played or not).
    int rings() const { return m_rings; }
    /// Mono signed 16-bit little-endian samples at sampleRate: sine notes with a soft attack
    /// and an exponential decay, so the chime starts and ends without a click.
    static QByteArray samples(Kind kind);

Q_SIGNALS:
    void rang();

private:
    bool m_audible;
    int m_rings = 0;
    std::atomic_bool m_playing {false};
    QFuture<void> m_player;
};

} // namespace pingyi::ui
