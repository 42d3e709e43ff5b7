#pragma once
// When to reconnect to Slack and when to give up: a small pure class so the timing rules are
// unit-tested without sockets or sleeping.
#include <chrono>
#include <functional>
#include <string_view>

namespace careerbot::slack {

/// Tuning for ReconnectPolicy; the defaults suit Slack's Socket Mode.
struct ReconnectOptions {
    std::chrono::milliseconds initial{250};  ///< delay before the first retry (before jitter)
    std::chrono::milliseconds max{30000};    ///< the delay never grows beyond this
    double multiplier = 2.0;                 ///< growth per consecutive failure
    double jitter = 0.5;                     ///< up to this fraction is taken off at random
};

/// Exponential backoff with jitter between connection attempts. Each next_delay() counts one
/// failure; on_hello() (a working connection) starts over. Not thread-safe: one owner.
class ReconnectPolicy {
  public:
    /// Returns uniformly distributed numbers in [0, 1); injected so tests are deterministic.
    using Random = std::function<double()>;

    /// `random` defaults to a generator seeded from std::random_device.
    explicit ReconnectPolicy(ReconnectOptions options = {}, Random random = {});

    /// The delay before the next attempt, growing with consecutive failures up to the cap.
    std::chrono::milliseconds next_delay();
    /// A connection said hello: the next failure waits the initial delay again.
    void on_hello() { failures_ = 0; }
    /// Consecutive failures since the last hello.
    int failures() const { return failures_; }
    /// True for errors and disconnect reasons retrying cannot fix (a revoked or wrong token,
    /// a deactivated workspace, Socket Mode turned off for the app).
    static bool should_stop(std::string_view reason);

  private:
    ReconnectOptions options_;
    Random random_;
    int failures_ = 0;
};

}  // namespace careerbot::slack
