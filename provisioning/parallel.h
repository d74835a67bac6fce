#pragma once
// A minimal parallel loop for the office's CPU-bound work (signature checks, opening
// sealed ballots): the calling thread and threads-1 helpers take chunks of the index
// range from a shared counter, so uneven chunks still balance.

#include <QtGlobal>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace pingyi::hq {

/// Worker threads to use when the caller asked for `requested` (0: one per core).
inline int workerThreads(int requested)
{
    if (requested > 0)
        return requested;
    return std::max(1, int(std::thread::hardware_concurrency()));
}

/// Calls fn(begin, end, worker) over [0, n) in chunks of `chunk`, on `threads` threads
/// (the caller is worker 0). Returns when every chunk is done.
template<typename Fn> void parallelFor(qsizetype n, int threads, Fn &&fn, qsizetype chunk = 32)
{
    if (n <= 0)
        return;
    threads = std::max(1, std::min<int>(threads, int((n + chunk - 1) / chunk)));
    if (threads == 1) {
        fn(qsizetype(0), n, 0);
        return;
    }
    std::atomic<qsizetype> next {0};
    auto work = [&](int worker) {
        for (;;) {
            const qsizetype begin = next.fetch_add(chunk);
            if (begin >= n)
                return;
            fn(begin, std::min(n, begin + chunk), worker);
        }
    };
    std::vector<std::thread> helpers;
    helpers.reserve(std::size_t(threads - 1));
    for (int w = 1; w < threads; ++w)
        helpers.emplace_back(work, w);
    work(0);
    for (std::thread &t : helpers)
        t.join();
}

} // namespace pingyi::hq
