#pragma once
// Process-wide counters for operators: what `/metrics` serves in Prometheus' text format.
//
// No global registry: `careerbot run` (run_bot) creates one Metrics and hands it to each unit
// that counts — the Socket Mode client, the receiver, the Web API client and the scheduler
// through their options (`metrics`), the commit queue and App's handlers through
// Services::metrics, the ops server to serve it. A null pointer there means "not counted"
// (the console, unit tests). Counters are relaxed atomics: cheap on the ack path, and a scrape
// needs no lock.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace careerbot {

class Metrics {
  public:
    /// Upper bounds (seconds) of the ack-latency histogram's buckets; +Inf is implicit.
    static constexpr std::array<double, 12> kAckBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    // Socket Mode
    std::atomic<uint64_t> envelopes_slash{0};
    std::atomic<uint64_t> envelopes_events{0};
    std::atomic<uint64_t> envelopes_interactive{0};
    std::atomic<uint64_t> envelopes_other{0};  ///< hello, disconnect, unknown, malformed
    std::atomic<uint64_t> envelopes_malformed{0};
    std::atomic<uint64_t> events_duplicate{0};  ///< retried events acked but not processed again
    std::atomic<uint64_t> acks{0};
    std::atomic<uint64_t> acks_late{0};  ///< acked empty at the deadline; answered later
    std::atomic<uint64_t> connects{0};   ///< `hello` received
    std::atomic<uint64_t> reconnects{0};
    std::atomic<uint64_t> commit_failures{0};
    std::atomic<uint64_t> handler_errors{0};  ///< commands that failed on careerbot's side

    // Web API
    std::atomic<uint64_t> api_calls{0};
    std::atomic<uint64_t> api_errors{0};        ///< ok:false or transport failures
    std::atomic<uint64_t> api_rate_limited{0};  ///< HTTP 429 answers (each waited and retried)

    // Scheduler
    std::atomic<uint64_t> reminders_sent{0};
    std::atomic<uint64_t> reminders_failed{0};

    // State for /healthz
    std::atomic<bool> connected{false};  ///< a Socket Mode connection has said hello

    /// Records one ack `latency` after its envelope arrived.
    void observe_ack(std::chrono::nanoseconds latency);

    /// Everything above in Prometheus' text exposition format (version 0.0.4).
    std::string prometheus() const;

    /// Seconds since the registry was created (at the start of `careerbot run`).
    double uptime_seconds() const;

  private:
    std::array<std::atomic<uint64_t>, kAckBuckets.size()> ack_buckets_{};
    std::atomic<uint64_t> ack_count_{0};
    std::atomic<uint64_t> ack_sum_ns_{0};
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace careerbot
