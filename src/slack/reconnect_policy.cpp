#include "src/slack/reconnect_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <random>

namespace careerbot::slack {

ReconnectPolicy::ReconnectPolicy(ReconnectOptions options, Random random)
    : options_(options), random_(std::move(random)) {
    if (!random_) {
        auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
        random_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
    }
}

std::chrono::milliseconds ReconnectPolicy::next_delay() {
    const auto initial = static_cast<double>(options_.initial.count());
    const auto cap = static_cast<double>(options_.max.count());
    // The exponent is bounded so a long outage cannot overflow the double.
    const double grown = initial * std::pow(options_.multiplier, std::min(failures_, 60));
    const double base = std::min(cap, grown);
    ++failures_;
    // "Equal jitter": keep part of the delay so retries never hammer Slack, randomise the rest
    // so many bots disconnected at once do not reconnect in lock-step.
    const double r = std::clamp(random_(), 0.0, 1.0);
    const double jittered = base * (1.0 - options_.jitter * r);
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(jittered)));
}

bool ReconnectPolicy::should_stop(std::string_view reason) {
    static constexpr std::array<std::string_view, 8> fatal = {
        "invalid_auth",  "account_inactive", "link_disabled",          "not_authed",
        "token_revoked", "token_expired",    "not_allowed_token_type", "missing_scope"};
    return std::find(fatal.begin(), fatal.end(), reason) != fatal.end();
}

}  // namespace careerbot::slack
