#pragma once
#include <string>
#include <utility>
#include <vector>

#include "src/core/growth.hpp"

namespace careerbot::commands {

/// What the summary chart shows: brags per month and the 70-20-10 mix.
struct ChartData {
    std::string title;                                   ///< e.g. "2026Q4 — @dana's org"
    std::vector<std::pair<std::string, int>> per_month;  ///< "2026-10" -> brags: the quarter's
    GrowthMix mix;
};

/// The legend of the 70-20-10 bar, one line per part: "on the job (70): 2 (67%)", …, then
/// "untagged: 1 (not in the mix)". The shares are GrowthMix::percentages(), as in the text.
std::vector<std::string> mix_legend(const GrowthMix& mix);

/// Draws the chart as a PNG (Cairo): bars of brags per month on the left, the 70-20-10 mix
/// as a stacked bar with its shares on the right. Returns the PNG bytes; empty on failure.
std::string render_chart_png(const ChartData& data, int width = 800, int height = 360);

}  // namespace careerbot::commands
