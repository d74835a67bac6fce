#include "progress.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace pingyi::cli {

bool stderrIsTerminal()
{
    return ::isatty(::fileno(stderr)) != 0;
}

ProgressBar::ProgressBar(bool enabled) : m_enabled(enabled && stderrIsTerminal()) { }

ProgressBar::~ProgressBar()
{
    finish();
}

bool ProgressBar::due(bool last)
{
    if (!m_enabled)
        return false;
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_last < std::chrono::milliseconds(100) && !last)
        return false;
    m_last = now;
    return true;
}

void ProgressBar::draw(qint64 part, qint64 whole, const QString &text)
{
    if (!m_enabled)
        return;
    constexpr int width = 30;
    const qint64 total = std::max<qint64>(1, whole);
    const int filled = int(std::min<qint64>(width, part * width / total));
    const std::string bar = std::string(std::size_t(filled), '#') + std::string(std::size_t(width - filled), '.');
    (void)std::fprintf(stderr, "\r[%s] %s", bar.c_str(), qPrintable(text));
    (void)std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_drawn)
        (void)std::fputs("\r\033[K", stderr);
    m_drawn = false;
}

} // namespace pingyi::cli
