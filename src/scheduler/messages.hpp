#pragma once
// What the scheduled DMs say: the 1:1 preparation for a manager, task due-date nudges and
// check-in nudges. Pure functions of storage and time, so the console can preview them.
#include <optional>
#include <string>
#include <vector>

#include "src/core/config.hpp"
#include "src/core/directory.hpp"  // time_zone_of
#include "src/core/reply.hpp"
#include "storage/database.hpp"
#include "storage/internships.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"

namespace careerbot::scheduler {

/// action_id of the "Mark done" button on reminders; value = {"u": assignee, "n": number}.
inline constexpr const char* kTaskDoneAction = "task_done_from_reminder";
/// action_id of the "Snooze" button on a 1:1 preparation; value = the reminder row id.
inline constexpr const char* kSnoozeAction = "reminder_snooze";
/// action_id of the "Skip this 1:1" button on a 1:1 preparation; value = the reminder row id.
inline constexpr const char* kSkipAction = "reminder_skip_one_on_one";
/// How long "Snooze" postpones a 1:1 preparation.
inline constexpr std::chrono::minutes kSnooze{30};

/// The task a manager should ask about first: the most overdue, else the one due soonest
/// (ties: lowest number). `tasks` may be in any order.
std::optional<storage::Task> ask_first(const std::vector<storage::Task>& tasks);

/// A 1:1 occurrence that did not take place.
struct MissedOneOnOne {
    TimePoint at;
    std::string tz;      ///< the cadence's zone, to show the day
    std::string reason;  ///< "skip:<who skipped it>" or "away:<who was away>"
};

/// Which 1:1s between a manager and a report took place before a given one.
struct OneOnOneHistory {
    /// The last occurrence that took place: not skipped with `/1on1 skip`, and on a day
    /// neither of them was away. Occurrences are those of every cadence the pair has had,
    /// while it ran.
    std::optional<TimePoint> last_held;
    /// Where "since the last 1:1" starts: `last_held`, else when the pair's first cadence was
    /// set up.
    TimePoint since;
    /// The occurrences after `since` that did not take place, oldest first.
    std::vector<MissedOneOnOne> missed;
};

/// The 1:1s of `schedule`'s pair before `before` (and not after `now`).
OneOnOneHistory one_on_one_history(storage::Database& db, const storage::OneOnOne& schedule,
                                   TimePoint before, TimePoint now);

/// The preparation DM for the 1:1 at `occurrence`: tasks due before the following 1:1 or
/// overdue, brags and feedback since the last 1:1 that took place (one_on_one_history), IDO
/// progress, the next check-in, the task to ask about first, and what was missed since that
/// 1:1 (1:1s skipped or during an absence, nudges not sent during one). `reminder_id` adds the
/// snooze and skip buttons (none in a console preview). Split to respect Slack's limits.
/// Each task's "Mark #N done" button carries the cadence, the occurrence, `sent_at` (default
/// `now`) and `reminder_id`, so the press can draw the preparation again; drawn again with
/// `sent_at`, tasks of the list done since then are shown struck through, without a button.
/// Each task's section has the block_id prep_task_block_id(number).
std::vector<Message> prep_message(storage::Database& db, const Config& config,
                                  const storage::OneOnOne& schedule, TimePoint occurrence,
                                  TimePoint now, std::optional<int64_t> reminder_id,
                                  std::optional<TimePoint> sent_at = std::nullopt);

/// The block_id of task #`number`'s section in a preparation.
std::string prep_task_block_id(int number);

/// How many of a report's most recently done tasks a preparation drawn again looks through.
inline constexpr int kMaxTasksDoneSinceSent = 200;

/// The nudge to an assignee about a task due soon (`overdue` false) or overdue.
Message task_nudge(storage::Database& db, const Config& config, const storage::Task& task,
                   bool overdue, TimePoint now);

/// The nudge that a check-in is due, to the person or (`to_manager`) their manager.
Message checkin_nudge(storage::Database& db, const Config& config, const std::string& person,
                      const std::string& due_on, bool to_manager, TimePoint now);

/// One line (mrkdwn, escaped) describing an internship for someone who may read it: share,
/// host team, dates, state and goals; `today` (YYYY-MM-DD) tells a running one from an ended one.
std::string internship_line(const storage::Internship& internship, const std::string& today);

/// The reminder to the host manager, at the end of an internship, to give the intern feedback.
Message internship_feedback_nudge(const storage::Internship& internship);

/// A task by its row id (the outbox refers to tasks by id).
std::optional<storage::Task> task_by_id(storage::Database& db, int64_t id);
/// Why a task id is no longer in `tasks`: "cancelled", "deleted", or "gone" (never existed).
std::string task_gone_reason(storage::Database& db, int64_t id);

}  // namespace careerbot::scheduler
