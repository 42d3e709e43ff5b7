#pragma once
// Shared by the scheduler tests: a fake ReminderSender that records what Slack would have
// seen, and helpers to seed people with time zones.
#include <stdexcept>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "src/scheduler/planning.hpp"
#include "src/scheduler/scheduler.hpp"
#include "storage/people.hpp"

namespace careerbot::testing {

/// A simulated process crash: not a SenderError, so it escapes the scheduler.
struct Crash : std::runtime_error {
    Crash() : std::runtime_error("simulated crash") {}
};

/// Records every DM like Slack's history would, and fails on request.
class FakeSender : public scheduler::ReminderSender {
  public:
    struct Sent {
        std::string user;
        Message message;
        std::string key;
        TimePoint at;
        std::string ts;
    };

    explicit FakeSender(const Clock& clock) : clock_(clock) {}

    std::optional<std::string> send_dm(const std::string& user, const Message& message,
                                       const std::string& key) override {
        if (crash_before_send) throw Crash();
        if (fail_next > 0) {
            --fail_next;
            throw scheduler::SenderError("ratelimited");
        }
        std::string ts = std::to_string(sent.size() + 1) + ".000100";
        sent.push_back({user, message, key, clock_.now(), ts});
        if (crash_after_send) throw Crash();
        return ts;
    }

    std::optional<std::string> find_sent(const std::string& user, const std::string& key,
                                         TimePoint since) override {
        ++lookups;
        for (const auto& s : sent) {
            if (s.user == user && s.key == key && s.at >= since) return s.ts;
        }
        return std::nullopt;
    }

    /// Messages sent to `user`.
    std::vector<Sent> to(const std::string& user) const {
        std::vector<Sent> out;
        for (const auto& s : sent) {
            if (s.user == user) out.push_back(s);
        }
        return out;
    }

    std::vector<Sent> sent;
    int fail_next = 0;
    bool crash_before_send = false;
    bool crash_after_send = false;
    int lookups = 0;

  private:
    const Clock& clock_;
};

/// Gives a known person an IANA time zone (as users.info would).
inline void set_tz(storage::Database& db, const std::string& id, const std::string& tz,
                   TimePoint now) {
    storage::PeopleRepo people(db);
    db.write([&] { people.upsert_profile({id, id, id, tz, {}}, now); });
}

/// A UTC instant from calendar parts.
inline TimePoint utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
    return date::sys_days{date::year{y} / date::month{m} / date::day{d}} + std::chrono::hours{h} +
           std::chrono::minutes{min};
}

/// The rendered text of a sent message.
inline std::string rendered(storage::Database& db, const Message& m) {
    storage::PeopleRepo people(db);
    return blocks::render_text(m, [&](const std::string& id) { return people.display_name(id); });
}

/// Runs the scheduler at successive due times until `until`; returns the number of runs.
inline int run_until(scheduler::Scheduler& s, ManualClock& clock, TimePoint until) {
    int runs = 0;
    while (runs < 10000) {
        s.sync();
        auto due = s.next_due();
        if (!due || *due > until) break;
        if (*due > clock.now()) clock.set(*due);
        s.run_due(clock.now());
        ++runs;
    }
    clock.set(until);
    return runs;
}

}  // namespace careerbot::testing
