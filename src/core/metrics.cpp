#include "src/core/metrics.hpp"

#include <fmt/format.h>

namespace careerbot {

void Metrics::observe_ack(std::chrono::nanoseconds latency) {
    const double seconds = std::chrono::duration<double>(latency).count();
    // Buckets are stored non-cumulative and summed when scraped: one increment per ack.
    for (std::size_t i = 0; i < kAckBuckets.size(); ++i) {
        if (seconds <= kAckBuckets[i]) {
            ack_buckets_[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    ack_count_.fetch_add(1, std::memory_order_relaxed);
    ack_sum_ns_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, latency.count())),
                          std::memory_order_relaxed);
}

double Metrics::uptime_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

// Debian 12 packages no Prometheus client library for C++; the text format is a few lines
// per metric (https://prometheus.io/docs/instrumenting/exposition_formats/).
std::string Metrics::prometheus() const {
    std::string out;
    auto load = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    auto counter = [&](const char* name, const char* help, uint64_t value,
                       const char* labels = "") {
        out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0}{2} {3}\n", name, help, labels,
                           value);
    };
    auto counter_family = [&](const char* name, const char* help) {
        out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n", name, help);
    };
    auto sample = [&](const char* name, const char* labels, uint64_t value) {
        out += fmt::format("{}{} {}\n", name, labels, value);
    };

    counter_family("careerbot_envelopes_received_total",
                   "Socket Mode envelopes received, by type.");
    sample("careerbot_envelopes_received_total", "{type=\"slash_commands\"}",
           load(envelopes_slash));
    sample("careerbot_envelopes_received_total", "{type=\"events_api\"}", load(envelopes_events));
    sample("careerbot_envelopes_received_total", "{type=\"interactive\"}",
           load(envelopes_interactive));
    sample("careerbot_envelopes_received_total", "{type=\"other\"}", load(envelopes_other));
    counter("careerbot_envelopes_malformed_total",
            "Envelopes that could not be parsed (logged and acked).", load(envelopes_malformed));
    counter("careerbot_events_duplicate_total",
            "Retried events acked without being processed again.", load(events_duplicate));
    counter("careerbot_envelopes_acked_total", "Envelopes acknowledged.", load(acks));
    counter("careerbot_acks_late_total",
            "Envelopes acked empty at the deadline and answered through response_url.",
            load(acks_late));

    out +=
        "# HELP careerbot_ack_latency_seconds Time from an envelope's arrival to its ack "
        "(after its writes committed).\n# TYPE careerbot_ack_latency_seconds histogram\n";
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kAckBuckets.size(); ++i) {
        cumulative += load(ack_buckets_[i]);
        out += fmt::format("careerbot_ack_latency_seconds_bucket{{le=\"{}\"}} {}\n", kAckBuckets[i],
                           cumulative);
    }
    const uint64_t count = load(ack_count_);
    out += fmt::format("careerbot_ack_latency_seconds_bucket{{le=\"+Inf\"}} {}\n", count);
    out += fmt::format("careerbot_ack_latency_seconds_sum {}\n",
                       static_cast<double>(load(ack_sum_ns_)) / 1e9);
    out += fmt::format("careerbot_ack_latency_seconds_count {}\n", count);

    counter("careerbot_socket_connects_total", "Socket Mode connections that said hello.",
            load(connects));
    counter("careerbot_socket_reconnects_total",
            "Socket Mode reconnections (disconnect messages, drops, failed opens).",
            load(reconnects));
    counter("careerbot_commit_failures_total",
            "Group commits that failed (their envelopes were answered with an apology or left "
            "for Slack to retry).",
            load(commit_failures));
    counter("careerbot_handler_errors_total", "Commands that failed on careerbot's side.",
            load(handler_errors));
    counter("careerbot_web_api_calls_total", "Slack Web API requests sent (retries included).",
            load(api_calls));
    counter("careerbot_web_api_errors_total",
            "Slack Web API calls that ended in ok:false or a transport failure.", load(api_errors));
    counter("careerbot_web_api_rate_limited_total",
            "HTTP 429 answers from the Web API (each waited out and retried).",
            load(api_rate_limited));
    counter("careerbot_reminders_sent_total", "Scheduled DMs delivered.", load(reminders_sent));
    counter("careerbot_reminders_failed_total", "Scheduled DMs whose send failed (retried later).",
            load(reminders_failed));
    out += fmt::format(
        "# HELP careerbot_connected Whether a Socket Mode connection is up.\n"
        "# TYPE careerbot_connected gauge\ncareerbot_connected {}\n"
        "# HELP careerbot_uptime_seconds Seconds since careerbot started.\n"
        "# TYPE careerbot_uptime_seconds gauge\ncareerbot_uptime_seconds {:.3f}\n",
        connected.load() ? 1 : 0, uptime_seconds());
    return out;
}

}  // namespace careerbot
