// ReminderService::run / poke: the loop that hosts the scheduler on a thread of its own.
#include "src/scheduler/scheduler.hpp"

namespace careerbot::scheduler {

void ReminderService::run(const std::stop_token& stop) {
    recover();
    for (;;) {
        auto next = next_wakeup();  // never later than max_sleep ahead
        auto now = clock_.now();
        if (next && *next <= now) {
            wake(now);
            continue;
        }
        const TimePoint::duration wait =
            next ? *next - now : TimePoint::duration(options_.max_sleep);
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
