#pragma once
// The kinds of scheduled DM, as one table: for each kind, why a due row is skipped, what it
// says, what comes after it, and how a preparation lists it when an absence skipped it. The
// engine (scheduler.cpp) and the preparation (messages.cpp) look a row's kind up here instead
// of comparing kind strings. Adding a kind is adding one row to the table (and its name to
// the CHECK of `reminders.kind` in a migration; a unit test compares the two).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "src/core/reply.hpp"
#include "storage/database.hpp"
#include "storage/reminder_outbox.hpp"

namespace careerbot::scheduler {

/// The names of the kinds (values of `reminders.kind`).
inline constexpr const char* kOneOnOne = "one_on_one";       ///< the 1:1 preparation
inline constexpr const char* kTaskDue = "task_due";          ///< a task is due soon
inline constexpr const char* kTaskOverdue = "task_overdue";  ///< a task is overdue
inline constexpr const char* kCheckin = "checkin";           ///< a career check-in is due
/// An internship for learning ends: the host manager is asked for feedback.
inline constexpr const char* kInternshipFeedback = "internship_feedback";

/// What a kind's functions may use: the connection (inside the engine's write transaction)
/// and the moment the engine is acting at.
struct KindContext {
    storage::Database& db;
    const Config& config;
    TimePoint now;
};

/// One kind of scheduled DM (a value of `reminders.kind`).
struct ReminderKind {
    /// The `reminders.kind` value.
    std::string_view name;
    /// Why the due row must not be sent (stored as its `reason`: "away:<id>", "done", "skip",
    /// "cancelled", "moved", "superseded", …), or nothing to send it. Applied at claim time.
    std::optional<std::string> (*skip_reason)(const KindContext&, const storage::Reminder&);
    /// The pages to send; none when there is nothing left to say.
    std::vector<Message> (*render)(const KindContext&, const storage::Reminder&);
    /// What comes after the row finished (sent, skipped or dropped), in the transaction that
    /// finished it: a recurring kind plans its next occurrence. Null: nothing.
    void (*after_finished)(const KindContext&, const storage::Reminder&);
    /// The line of a 1:1 preparation's "Missed since the last 1:1" for a row of this kind that
    /// an absence skipped (dates shown in `tz`). Null: not listed that way (1:1s are listed
    /// from their own history).
    std::string (*missed_line)(storage::Database&, const storage::Reminder&, const std::string& tz);
    /// Whether the recipient may snooze it (the Snooze button is on it).
    bool snoozable = false;
    /// Moves a still-pending row after its recipient's time zone changed from `from_tz` to
    /// `to_tz`, so it keeps its local wall-clock time (DST-correct); in the engine's or a
    /// handler's write transaction. Null: the row stays at its instant.
    void (*rezone)(const KindContext&, const storage::Reminder&, const std::string& from_tz,
                   const std::string& to_tz) = nullptr;
};

/// Every kind, one row each.
std::span<const ReminderKind> reminder_kinds();

/// The row of kind `name`; null for a kind no row describes.
const ReminderKind* reminder_kind(std::string_view name);

}  // namespace careerbot::scheduler
