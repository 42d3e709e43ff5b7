#include "src/core/growth.hpp"

namespace careerbot {

std::optional<Growth> growth_from_tag(std::string_view tag) {
    if (tag == "70" || tag == "job" || tag == "onthejob") return Growth::Job;
    if (tag == "20" || tag == "others" || tag == "social") return Growth::Others;
    if (tag == "10" || tag == "training") return Growth::Training;
    return std::nullopt;
}

std::optional<Growth> growth_from_tags(const std::vector<std::string>& tags) {
    for (const auto& t : tags) {
        if (auto g = growth_from_tag(t)) return g;
    }
    return std::nullopt;
}

std::string growth_key(Growth g) {
    switch (g) {
        case Growth::Job:
            return "job";
        case Growth::Others:
            return "others";
        case Growth::Training:
            return "training";
    }
    return "job";
}

std::optional<Growth> growth_from_key(std::string_view key) {
    if (key == "job") return Growth::Job;
    if (key == "others") return Growth::Others;
    if (key == "training") return Growth::Training;
    return std::nullopt;
}

std::string growth_label(Growth g) {
    switch (g) {
        case Growth::Job:
            return "on the job (70)";
        case Growth::Others:
            return "from others (20)";
        case Growth::Training:
            return "training (10)";
    }
    return "";
}

void GrowthMix::add(const std::optional<Growth>& g) {
    if (!g)
        ++untagged;
    else if (*g == Growth::Job)
        ++job;
    else if (*g == Growth::Others)
        ++others;
    else
        ++training;
}

std::array<int, 3> GrowthMix::percentages() const {
    const std::array<int, 3> counts{job, others, training};
    const int tagged = job + others + training;
    std::array<int, 3> out{0, 0, 0};
    if (tagged == 0) return out;
    // Largest remainder (Hamilton): floor every share, then hand the missing points to the
    // largest remainders (ties: the 70, then the 20), so 1-1-1 is 34-33-33, never 33-33-33.
    std::array<int, 3> remainder{};
    int given = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        out[i] = counts[i] * 100 / tagged;
        remainder[i] = counts[i] * 100 % tagged;
        given += out[i];
    }
    for (; given < 100; ++given) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < 3; ++i) {
            if (remainder[i] > remainder[best]) best = i;
        }
        ++out[best];
        remainder[best] = -1;
    }
    return out;
}

std::string GrowthMix::summary() const {
    int tagged = job + others + training;
    if (tagged == 0) {
        return "70-20-10 mix: nothing tagged yet (add #70 on the job, #20 from others or #10 "
               "training)";
    }
    auto pct = percentages();
    auto part = [&](const char* label, int n, int share) {
        return std::string(label) + " " + std::to_string(n) + " (" + std::to_string(share) + "%)";
    };
    std::string s = "70-20-10 mix: " + part("on the job", job, pct[0]) + " · " +
                    part("from others", others, pct[1]) + " · " +
                    part("training", training, pct[2]);
    if (untagged > 0) s += " · " + std::to_string(untagged) + " untagged";
    return s;
}

}  // namespace careerbot
