#pragma once
// Progress output for long command-line runs (import, verify).

#include <QString>

#include <chrono>

namespace pingyi::cli {

/// True when stderr is a terminal (progress bars and prompts go there).
bool stderrIsTerminal();

/// A one-line progress bar on stderr, only when stderr is a terminal; redrawn from the
/// calling thread at most ten times a second (and always for the last step).
class ProgressBar {
public:
    explicit ProgressBar(bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;

    /// Whether to draw now: enabled, and the last drawing is 100 ms old (or `last` step).
    bool due(bool last);
    /// Draws `part` of `whole` as a bar followed by `text`.
    void draw(qint64 part, qint64 whole, const QString &text);
    /// Clears the line.
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_last;
};

} // namespace pingyi::cli
