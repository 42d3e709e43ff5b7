#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A SMART task from a career check-in: what, for whom, by when, and who asked for it.
struct Task {
    int64_t id = 0;
    std::string assignee_id;
    int number = 0;  ///< the assignee's own running number (#1, #2, …)
    std::string text;
    std::string due_on;             ///< YYYY-MM-DD
    std::string creator_id;         ///< the assignee, or a manager above them
    std::optional<int64_t> ido_id;  ///< the IDO this task serves, if linked
    std::string source;             ///< slack, console, import
    int64_t created_at = 0;         ///< unix seconds
    int64_t updated_at = 0;
    std::optional<int64_t> done_at;       ///< set while the task is done
    std::string done_by;                  ///< who marked it done (empty while open)
    std::optional<int64_t> cancelled_at;  ///< set on a cancelled task (kept in task_history)
    std::string cancelled_by;             ///< who cancelled it

    /// True once the task is marked done.
    bool done() const { return done_at.has_value(); }
    /// True for a cancelled task: kept in the history, never open, due or overdue.
    bool cancelled() const { return cancelled_at.has_value(); }
};

/// What a new task is made of.
struct TaskFields {
    std::string assignee_id;
    std::string creator_id;
    std::string text;
    std::string due_on;  ///< YYYY-MM-DD
    std::optional<int64_t> ido_id;
};

/// Reads and writes tasks. Callers check visibility first; this class does not.
class TaskRepo {
  public:
    explicit TaskRepo(Database& db) : db_(db) {}

    /// Stores a new task and returns it with the assignee's next number.
    Task add(const TaskFields& fields, const std::string& source, TimePoint now);
    /// The assignee's task with this number.
    std::optional<Task> find(const std::string& assignee_id, int number);
    /// The task with this row id (as reminders refer to it), if it is still in `tasks`.
    std::optional<Task> find_by_id(int64_t id);
    /// What became of a task no longer in `tasks` (its task_history state), if recorded.
    std::optional<std::string> history_state(int64_t id);
    /// Marks an open task done; false if there is no such open task.
    bool mark_done(const std::string& assignee_id, int number, const std::string& done_by,
                   TimePoint now);
    /// Reopens a done task; false if there is no such done task.
    bool reopen(const std::string& assignee_id, int number, TimePoint now);

    /// Replaces the text of an open or done task; false if there is no such task.
    bool set_text(const std::string& assignee_id, int number, const std::string& text,
                  TimePoint now);
    /// Moves the due date (YYYY-MM-DD) of an open task; false if there is no such open task.
    bool set_due(const std::string& assignee_id, int number, const std::string& due_on,
                 TimePoint now);
    /// Cancels an open task: it leaves `tasks` for the history, where it is listed as
    /// cancelled and never counted as open or overdue. False if there is no such open task.
    bool cancel(const std::string& assignee_id, int number, const std::string& by, TimePoint now);
    /// Brings a cancelled task back as open; false if there is no such cancelled task.
    bool uncancel(const std::string& assignee_id, int number, TimePoint now);
    /// Deletes a task (open, done or cancelled): its text and due date are gone, only its
    /// number stays taken. False if there is no such task.
    bool remove(const std::string& assignee_id, int number, const std::string& by, TimePoint now);
    /// The assignee's cancelled task with this number.
    std::optional<Task> find_cancelled(const std::string& assignee_id, int number);
    /// Cancelled tasks of one person, most recently cancelled first, at most `limit`.
    std::vector<Task> cancelled_for(const std::string& assignee_id, int limit);

    /// Open tasks of one person, soonest due first.
    std::vector<Task> open_for(const std::string& assignee_id);
    /// Done tasks of one person, most recently done first, at most `limit`.
    std::vector<Task> done_for(const std::string& assignee_id, int limit);
    /// Open tasks of one person due in [from, to] (YYYY-MM-DD, inclusive; empty `from` = no
    /// lower bound, so overdue ones are included), soonest first. For 1:1 preparation.
    std::vector<Task> open_due_between(const std::string& assignee_id, const std::string& from,
                                       const std::string& to);
    /// Open tasks of one person due before `today` (YYYY-MM-DD), most overdue first.
    std::vector<Task> overdue(const std::string& assignee_id, const std::string& today);
    /// Open tasks of every person in `assignee_ids`, in that order, each soonest due first (a
    /// manager's table of reports' tasks).
    std::vector<Task> open_for_people(const std::vector<std::string>& assignee_ids);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
