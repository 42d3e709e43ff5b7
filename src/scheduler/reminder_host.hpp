#pragma once
// The reminder thread of `careerbot run`: a ReminderService on a database connection of its
// own, and, on PostgreSQL where several instances may share the database, the scheduler's
// leadership (storage::SchedulerLeadership) and a second thread that LISTENs for the reminders
// other instances planned (storage::ReminderAnnouncements). See docs/scaling.md.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "src/core/metrics.hpp"
#include "src/scheduler/scheduler.hpp"
#include "src/scheduler/sender.hpp"
#include "storage/database.hpp"
#include "storage/instances.hpp"

namespace careerbot::scheduler {

class ReminderHost {
  public:
    /// Sends through `sender`, counts into `metrics` (may be null); writes take `write_gate`
    /// (the process's one writer at a time on SQLite).
    ReminderHost(const Config& config, const Clock& clock, ReminderSender& sender, Metrics* metrics,
                 std::shared_ptr<std::mutex> write_gate);
    ~ReminderHost();
    ReminderHost(const ReminderHost&) = delete;
    ReminderHost& operator=(const ReminderHost&) = delete;

    /// Opens the connection(s) and starts the thread(s). An in-memory database cannot be
    /// shared between connections, and a database that cannot be opened leaves commands
    /// working: both are logged, and the host then runs nothing (false).
    bool start();
    /// After a transaction on `writer` that planned reminders committed (its thread): this
    /// instance's loop looks again now, and on PostgreSQL every other instance's too (NOTIFY;
    /// the leader may be another one). Never throws.
    void planned(storage::Database& writer);
    /// Ends the threads after the wake in progress, if any, and gives leadership back so
    /// another instance takes over at its next try. Idempotent.
    void stop();
    /// Whether this instance ran the reminders at its last check (always, on SQLite).
    bool leading() const { return leading_.load(); }

  private:
    void listen(const std::stop_token& stop);
    void poke();

    const Config& config_;
    const Clock& clock_;
    ReminderSender& sender_;
    Metrics* metrics_;
    std::shared_ptr<std::mutex> write_gate_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<storage::SchedulerLeadership> leadership_;  ///< PostgreSQL only
    std::unique_ptr<ReminderService> service_;
    std::atomic<ReminderService*> live_{nullptr};  ///< service_ once its loop runs
    std::atomic<bool> leading_{false};
    std::jthread loop_;
    std::jthread listener_;  ///< PostgreSQL: other instances' announcements
};

}  // namespace careerbot::scheduler
