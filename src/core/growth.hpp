#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careerbot {

/// The 70-20-10 model: where a piece of development came from.
enum class Growth { Job, Others, Training };

/// Recognises the 70-20-10 tags a person may add to a brag or an IDO progress note:
/// `#70` / `#job` (on the job), `#20` / `#others` (from others: mentoring, feedback),
/// `#10` / `#training` (courses, certifications). `tag` is lower case without '#'.
std::optional<Growth> growth_from_tag(std::string_view tag);

/// The first 70-20-10 tag among `tags`, if any.
std::optional<Growth> growth_from_tags(const std::vector<std::string>& tags);

/// Stored form: "job", "others", "training".
std::string growth_key(Growth g);
/// Parses the stored form.
std::optional<Growth> growth_from_key(std::string_view key);
/// Human label: "on the job (70)", "from others (20)", "training (10)".
std::string growth_label(Growth g);

/// Counts per category, for showing the mix.
struct GrowthMix {
    int job = 0;
    int others = 0;
    int training = 0;
    int untagged = 0;
    /// Adds one item.
    void add(const std::optional<Growth>& g);
    /// The shares of job, others and training among the tagged items in whole percent, by
    /// largest remainder so they add up to exactly 100 (all 0 when nothing is tagged). The text
    /// and the chart both show these, so they always agree.
    std::array<int, 3> percentages() const;
    /// "70-20-10 mix: on the job 6 (60%) · from others 3 (30%) · training 1 (10%) · 2 untagged"
    std::string summary() const;
};

}  // namespace careerbot
