#pragma once
// The reminder engine: plans one outbox row per occurrence of every scheduled message, sends
// the due ones exactly once through a ReminderSender, and recovers after a crash by asking
// Slack what went out. Pure logic on an injected Clock; see src/scheduler/README.md. What
// commands call to plan reminders is in planning.hpp; what differs by kind, in kinds.hpp.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "src/core/metrics.hpp"
#include "src/scheduler/sender.hpp"
#include "storage/database.hpp"
#include "storage/reminder_outbox.hpp"

namespace careerbot::scheduler {

/// Tuning knobs; the defaults suit production.
struct SchedulerOptions {
    int batch = 200;                        ///< rows read per query in run_due
    int plan_batch = 50;                    ///< changes planned per write transaction (short
                                            ///< transactions keep the acks' writer unblocked)
    std::chrono::seconds find_margin{600};  ///< look this far before a claim in Slack
    int max_attempts = 8;                   ///< then a reminder is dropped and logged
    std::chrono::seconds retry_base{60};    ///< first retry delay; doubles, capped 1 h
    std::chrono::seconds max_sleep{60};     ///< next_wakeup() polls at least this often
    Metrics* metrics = nullptr;             ///< counts reminders sent/failed; null: not counted
    /// recover() settles only rows claimed at least this long ago: with several instances, a
    /// younger claim may be another instance's send in progress (longer than any send takes:
    /// each Web API call gives up after 60 s). Zero, for one instance: every row it finds.
    std::chrono::seconds claim_timeout{0};
    /// Several instances: whether this one may run the reminders now
    /// (storage::SchedulerLeadership::hold). Empty: always (one instance).
    std::function<bool()> leading;
    std::chrono::seconds leader_retry{10};  ///< how often an instance not leading asks again
};

/// What one run did, for logs, tests and the benchmark.
struct RunStats {
    int sent = 0;
    int skipped = 0;
    int dropped = 0;
    int retried = 0;
    int recovered = 0;  ///< found already delivered in Slack

    /// Rows looked at.
    int total() const { return sent + skipped + dropped + retried + recovered; }
};

/// The engine. Use it from one thread; it shares the connection of `db`, and must be called
/// outside any open write() so each of its transactions really commits.
class Scheduler {
  public:
    /// Keeps references to everything; none is owned.
    Scheduler(storage::Database& db, const Config& config, const Clock& clock,
              ReminderSender& sender, SchedulerOptions options = {});

    /// Plans rows for the tasks and check-ins changed since the last sync (recorded by
    /// triggers in `reminder_changes`, so the cost follows the changes, not the tables).
    /// Returns how many changes it read.
    int sync();
    /// The earliest due time of a pending reminder: one MIN over a partial index.
    std::optional<TimePoint> next_due();
    /// Sends, skips or drops every pending reminder due at or before `now`.
    RunStats run_due(TimePoint now);
    /// Settles reminders left in `sending` by a crash: marks them sent when Slack has the
    /// message (found by its metadata key), otherwise sends them (or drops them if too late).
    RunStats recover();

  private:
    enum class Outcome { Sent, Skipped, Dropped, Retried, Recovered, Busy };
    Outcome process(int64_t id, TimePoint now);
    Outcome deliver(const storage::Reminder& row, const std::vector<Message>& pages,
                    bool check_first, TimePoint now);
    std::optional<std::string> skip_reason(const storage::Reminder& row, TimePoint now);
    std::vector<Message> render(const storage::Reminder& row, TimePoint now);
    void after_finished(const storage::Reminder& row, TimePoint now);
    void count(RunStats& stats, Outcome o);

    storage::Database& db_;
    const Config& config_;
    const Clock& clock_;
    ReminderSender& sender_;
    SchedulerOptions options_;
    storage::ReminderOutbox outbox_;
};

/// The host-facing facade: run() on a thread of its own (with its own database connection)
/// loops over next_wakeup(), a sleep until then (or a poke()), and wake(). Never throws
/// (failures are logged). The loop lives in src/scheduler/reminder_loop.cpp.
class ReminderService {
  public:
    /// Wraps a Scheduler over the same arguments.
    ReminderService(storage::Database& db, const Config& config, const Clock& clock,
                    ReminderSender& sender, const SchedulerOptions& options = {});

    /// When to call wake() next: the earliest due reminder, but no later than `max_sleep`
    /// from now, so tasks and check-ins created meanwhile get planned.
    std::optional<TimePoint> next_wakeup();
    /// Plans what changed, settles crashed sends, and sends what is due at `now`.
    RunStats wake(TimePoint now);
    /// Start-up: settles reminders a crash left in `sending`. Call once before the first wake.
    RunStats recover();

    /// The reminder loop, on the calling thread until `stop` is requested: recover() once,
    /// then wake() whenever something is due, sleeping in between until next_wakeup() or a
    /// poke(). A stop requested during a wake ends the loop once that wake is done. With
    /// `options.leading`, it runs the reminders only while that says so, and otherwise asks
    /// again every `leader_retry` (recovering first each time it becomes the leader).
    void run(const std::stop_token& stop);
    /// Has run() look again now (any thread): a command may have planned something due
    /// sooner than what the loop sleeps towards.
    void poke();

  private:
    std::mutex loop_mutex_;
    std::condition_variable_any loop_cv_;
    bool poked_ = false;
    const Clock& clock_;
    SchedulerOptions options_;
    Scheduler scheduler_;
};

/// The metadata key of page `index` of a reminder (page 0 keeps the row's key).
std::string page_key(const std::string& key, std::size_t index);

}  // namespace careerbot::scheduler
