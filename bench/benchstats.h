#pragma once
// Small statistics the benchmarks share.

#include <algorithm>
#include <vector>

namespace pingyi::bench {

/// The p-quantile (0–1) of `v` by nearest rank; 0 for no samples.
inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

} // namespace pingyi::bench
