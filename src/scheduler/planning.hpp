#pragma once
// The planning API: what commands call to put reminders in the outbox or take them out, and
// what the engine's sync() calls for the tasks and check-ins that changed. Each function plans
// idempotently (a row's key names its occurrence); none sends anything. The engine that sends
// the planned rows is in scheduler.hpp.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "storage/database.hpp"
#include "storage/internships.hpp"
#include "storage/schedules.hpp"

namespace careerbot::scheduler {

/// Overdue and check-in nudges stay worth sending this long after their moment.
inline constexpr std::chrono::hours kNudgeUseful{24 * 14};

/// Plans the reminder row for the next live occurrence of a 1:1 after `now`; returns the
/// occurrence. Idempotent (the row's key names the occurrence).
TimePoint plan_one_on_one(storage::Database& db, const Config& config,
                          const storage::OneOnOne& schedule, TimePoint now);

/// Skips the next occurrence of a 1:1 (recorded as skipped by `by`, so preparations know it
/// did not take place) and plans the one after; returns the skipped one.
TimePoint skip_next_one_on_one(storage::Database& db, const Config& config,
                               const storage::OneOnOne& schedule, const std::string& by,
                               TimePoint now);

/// Stops a 1:1 cadence and its pending reminders; false if it was not running.
bool cancel_one_on_one(storage::Database& db, int64_t schedule_id, TimePoint now);

/// Sends the 1:1 preparation `reminder_id` again `kSnooze` from now, if `user` received it,
/// its kind can be snoozed and the 1:1 is still ahead by then; returns when. Nothing when not
/// allowed or too late.
std::optional<TimePoint> snooze_reminder(storage::Database& db, int64_t reminder_id,
                                         const std::string& user, TimePoint now);

/// Plans (or skips, revives, moves) the due-date and overdue nudges of task `task_id` after a
/// change to it. Call inside an open Database::write().
void plan_task(storage::Database& db, const Config& config, int64_t task_id, TimePoint now);

/// Plans the nudges of `person`'s next check-in, to them and their manager, superseding those
/// planned for another date. Call inside an open Database::write().
void plan_checkin(storage::Database& db, const Config& config, const std::string& person,
                  TimePoint now);

/// Plans the reminder to the host manager to give feedback at the end of an active internship
/// (its last day, at the nudge time in the host manager's zone). Idempotent.
void plan_internship_feedback(storage::Database& db, const Config& config,
                              const storage::Internship& internship, TimePoint now);

/// Skips what is pending for an internship that ended early (`why`: "cancelled").
void skip_internship_feedback(storage::Database& db, int64_t internship_id, const std::string& why,
                              TimePoint now);

/// Moves the reminders still pending for `person` (their recipient) after their time zone
/// changed from `from_tz` to `to_tz`: each keeps its local wall-clock time, as its kind says
/// (ReminderKind::rezone). Returns how many pending rows were looked at. Call inside an open
/// Database::write().
int rezone_reminders(storage::Database& db, const Config& config, const std::string& person,
                     const std::string& from_tz, const std::string& to_tz, TimePoint now);

}  // namespace careerbot::scheduler
