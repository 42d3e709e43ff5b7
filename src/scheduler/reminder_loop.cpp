// ReminderService::run / poke: the loop that hosts the scheduler on a thread of its own.
#include "src/scheduler/scheduler.hpp"

#include "src/core/logging.hpp"

namespace careerbot::scheduler {

void ReminderService::run(const std::stop_token& stop) {
    auto log = logger("scheduler");
    bool leading = false;
    bool first = true;
    const bool shared = options_.claim_timeout.count() > 0;
    TimePoint last_recovery{};
    for (;;) {
        const bool lead = !options_.leading || options_.leading();
        if (lead && !leading) {
            if (options_.leading) log->info("this instance now runs the reminders");
            recover();
            last_recovery = clock_.now();
        } else if (!lead && leading) {
            log->warn(
                "this instance no longer runs the reminders (another one does, or the "
                "database is out of reach); asking again every {} s",
                options_.leader_retry.count());
        } else if (!lead && first) {
            log->info("another instance runs the reminders; this one takes over if it stops");
        }
        first = false;
        leading = lead;
        TimePoint::duration wait = options_.leader_retry;
        if (lead) {
            auto now = clock_.now();
            if (shared && now - last_recovery >= options_.leader_retry) {
                // A claim left by an instance that vanished becomes stale while nothing else
                // may be due: look for it every leader_retry, not only at the next wake.
                recover();
                last_recovery = now;
            }
            auto next = next_wakeup();  // never later than max_sleep ahead
            now = clock_.now();
            if (next && *next <= now) {
                wake(now);
                continue;
            }
            wait = next ? *next - now : TimePoint::duration(options_.max_sleep);
            if (shared) wait = std::min<TimePoint::duration>(wait, options_.leader_retry);
        }
        std::unique_lock lock(loop_mutex_);
        // Returns at once when stop is requested (the stop_token wakes the wait).
        loop_cv_.wait_for(lock, stop, wait, [&] { return poked_; });
        if (stop.stop_requested()) return;
        poked_ = false;
    }
}

void ReminderService::poke() {
    {
        std::lock_guard lock(loop_mutex_);
        poked_ = true;
    }
    loop_cv_.notify_all();
}

}  // namespace careerbot::scheduler
