// ReminderService::run / poke: the loop wakes on a poke and stops on request, without the test
// sleeping (the clock is a ManualClock; the loop's own sleep would be a minute).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/scheduler/scheduler.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

/// Records sends for another thread to wait on.
class WaitableSender final : public scheduler::ReminderSender {
  public:
    std::optional<std::string> send_dm(const std::string& user, const Message&,
                                       const std::string& key) override {
        std::lock_guard lock(mutex_);
        sent_.push_back(user + " " + key);
        cv_.notify_all();
        return std::to_string(sent_.size()) + ".000100";
    }
    std::optional<std::string> find_sent(const std::string&, const std::string&,
                                         TimePoint) override {
        return std::nullopt;
    }
    /// Waits (at most `limit`) until `n` messages were sent; returns how many were.
    std::size_t wait_for(std::size_t n, std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, limit, [&] { return sent_.size() >= n; });
        return sent_.size();
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> sent_;
};

}  // namespace

TEST_CASE("a poke makes the sleeping reminder loop send what became due", "[reminder_loop]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");  // prep due Tue 24th, 08:00 UTC
    WaitableSender sender;
    scheduler::ReminderService service(t.db, t.config, t.clock, sender);
    std::jthread loop([&](std::stop_token stop) { service.run(stop); });

    // Nothing is due: the loop sleeps towards its one-minute poll.
    CHECK(sender.wait_for(1, std::chrono::milliseconds(20)) == 0);
    t.clock.set(testing::test_now() + std::chrono::hours(4 * 24));  // Tue 24th, 10:00
    const auto poked = std::chrono::steady_clock::now();
    service.poke();
    CHECK(sender.wait_for(1, std::chrono::seconds(20)) == 1);
    // Far sooner than the minute it was sleeping towards.
    CHECK(std::chrono::steady_clock::now() - poked < std::chrono::seconds(20));

    const auto stopping = std::chrono::steady_clock::now();
    loop.request_stop();
    loop.join();
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(5));
}

TEST_CASE("a stop request ends the reminder loop while it sleeps", "[reminder_loop]") {
    TestApp t;
    WaitableSender sender;
    scheduler::ReminderService service(t.db, t.config, t.clock, sender);
    const auto started = std::chrono::steady_clock::now();
    {
        std::jthread loop([&](std::stop_token stop) { service.run(stop); });
        service.poke();  // a poke with nothing due only makes it look again
    }                    // the jthread requests a stop and joins
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK(sender.wait_for(1, std::chrono::milliseconds(0)) == 0);
}

TEST_CASE("an instance that does not lead sends nothing until it becomes the leader",
          "[reminder_loop][instances]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(testing::test_now() + std::chrono::hours(4 * 24));  // its preparation is due
    WaitableSender sender;
    std::atomic<bool> leader{false};
    std::atomic<int> asked{0};
    scheduler::SchedulerOptions options;
    options.leading = [&] {
        ++asked;
        return leader.load();
    };
    options.leader_retry = std::chrono::seconds(1);
    options.claim_timeout = std::chrono::seconds(300);
    scheduler::ReminderService service(t.db, t.config, t.clock, sender, options);
    std::jthread loop([&](std::stop_token stop) { service.run(stop); });

    service.poke();  // another instance announced it: a follower still leaves it alone
    CHECK(sender.wait_for(1, std::chrono::milliseconds(1500)) == 0);
    CHECK(asked.load() >= 2);  // it asked again after leader_retry

    leader = true;  // the leader went away and this instance took the lock
    CHECK(sender.wait_for(1, std::chrono::seconds(20)) == 1);
    loop.request_stop();
    loop.join();
    CHECK(sender.wait_for(2, std::chrono::milliseconds(0)) == 1);
}
