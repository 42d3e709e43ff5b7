#include "storage/tasks.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, assignee_id, number, text, due_on, creator_id, ido_id, source, created_at, updated_at, "
    "done_at, done_by";

/// The columns `tasks` and `task_history` share, in the order of kColumns (0–8).
void read_common(const Database::Statement& q, Task& t) {
    q.read(t.id, t.assignee_id, t.number, t.text, t.due_on, t.creator_id, t.ido_id, t.source,
           t.created_at);
}

Task read_task(const Database::Statement& q) {
    Task t;
    read_common(q, t);
    t.updated_at = q.get<int64_t>(9);
    if (!q.is_null(10)) t.done_at = q.get<int64_t>(10);
    if (!q.is_null(11)) t.done_by = q.get<std::string>(11);
    return t;
}

std::vector<Task> read_all(Database::Statement& q) {
    std::vector<Task> out;
    while (q.step()) out.push_back(read_task(q));
    return out;
}

}  // namespace

Task TaskRepo::add(const TaskFields& f, const std::string& source, TimePoint now) {
    Task t;
    db_.write([&] {
        auto q = db_.prepare(
            "INSERT INTO tasks (assignee_id, number, text, due_on, creator_id, "
            "ido_id, source, created_at, updated_at) VALUES (?, "
            "(SELECT COALESCE(MAX(number), 0) + 1 FROM (SELECT number FROM tasks WHERE "
            "assignee_id = ?2 UNION ALL SELECT number FROM task_history WHERE assignee_id = ?2) "
            "AS used), "
            "?, ?, ?, ?, ?, ?, ?) RETURNING id, number");
        q.bind(f.assignee_id, f.assignee_id, f.text, f.due_on, f.creator_id, f.ido_id, source, now,
               now)
            .step();
        q.read(t.id, t.number);
    });
    t.assignee_id = f.assignee_id;
    t.creator_id = f.creator_id;
    t.text = f.text;
    t.due_on = f.due_on;
    t.ido_id = f.ido_id;
    t.source = source;
    t.created_at = t.updated_at = to_unix(now);
    return t;
}

std::optional<Task> TaskRepo::find(const std::string& assignee_id, int number) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND number = ?");
    q.bind(assignee_id, number);
    if (!q.step()) return std::nullopt;
    return read_task(q);
}

bool TaskRepo::mark_done(const std::string& assignee_id, int number, const std::string& done_by,
                         TimePoint now) {
    auto q = db_.prepare(
        "UPDATE tasks SET done_at = ?, done_by = ?, updated_at = ? "
        "WHERE assignee_id = ? AND number = ? AND done_at IS NULL");
    q.bind(now, done_by, now, assignee_id, number);
    return q.exec() > 0;
}

bool TaskRepo::reopen(const std::string& assignee_id, int number, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE tasks SET done_at = NULL, done_by = NULL, updated_at = ? "
        "WHERE assignee_id = ? AND number = ? AND done_at IS NOT NULL");
    q.bind(now, assignee_id, number);
    return q.exec() > 0;
}

bool TaskRepo::set_text(const std::string& assignee_id, int number, const std::string& text,
                        TimePoint now) {
    auto q = db_.prepare(
        "UPDATE tasks SET text = ?, updated_at = ? WHERE assignee_id = ? AND "
        "number = ?");
    q.bind(text, now, assignee_id, number);
    return q.exec() > 0;
}

bool TaskRepo::set_due(const std::string& assignee_id, int number, const std::string& due_on,
                       TimePoint now) {
    auto q = db_.prepare(
        "UPDATE tasks SET due_on = ?, updated_at = ? WHERE assignee_id = ? AND "
        "number = ? AND done_at IS NULL");
    q.bind(due_on, now, assignee_id, number);
    return q.exec() > 0;
}

bool TaskRepo::cancel(const std::string& assignee_id, int number, const std::string& by,
                      TimePoint now) {
    bool moved = false;
    db_.write([&] {
        auto copy = db_.prepare(
            "INSERT INTO task_history (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, state, closed_at, closed_by) SELECT id, assignee_id, number, "
            "text, due_on, creator_id, ido_id, source, created_at, 'cancelled', ?, ? FROM tasks "
            "WHERE assignee_id = ? AND number = ? AND done_at IS NULL");
        copy.bind(now, by, assignee_id, number);
        if (copy.exec() == 0) return;
        auto del = db_.prepare("DELETE FROM tasks WHERE assignee_id = ? AND number = ?");
        del.bind(assignee_id, number);
        del.exec();
        moved = true;
    });
    return moved;
}

bool TaskRepo::uncancel(const std::string& assignee_id, int number, TimePoint now) {
    bool moved = false;
    db_.write([&] {
        auto copy = db_.prepare(
            "INSERT INTO tasks (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, updated_at) SELECT id, assignee_id, number, text, due_on, "
            "creator_id, ido_id, source, created_at, ? FROM task_history WHERE assignee_id = ? "
            "AND number = ? AND state = 'cancelled'");
        copy.bind(now, assignee_id, number);
        if (copy.exec() == 0) return;
        auto del = db_.prepare("DELETE FROM task_history WHERE assignee_id = ? AND number = ?");
        del.bind(assignee_id, number);
        del.exec();
        moved = true;
    });
    return moved;
}

bool TaskRepo::remove(const std::string& assignee_id, int number, const std::string& by,
                      TimePoint now) {
    bool removed = false;
    db_.write([&] {
        // A cancelled task is already in the history: wipe it there.
        auto wipe = db_.prepare(
            "UPDATE task_history SET state = 'deleted', text = '', due_on = '', "
            "closed_at = ?, closed_by = ? WHERE assignee_id = ? AND number = ? "
            "AND state = 'cancelled'");
        wipe.bind(now, by, assignee_id, number);
        if (wipe.exec() > 0) {
            removed = true;
            return;
        }
        // Otherwise only its number is kept, so it is never given to another task.
        auto keep = db_.prepare(
            "INSERT INTO task_history (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, state, closed_at, closed_by) SELECT id, assignee_id, number, '', "
            "'', creator_id, NULL, source, created_at, 'deleted', ?, ? FROM tasks WHERE "
            "assignee_id = ? AND number = ?");
        keep.bind(now, by, assignee_id, number);
        if (keep.exec() == 0) return;
        auto del = db_.prepare("DELETE FROM tasks WHERE assignee_id = ? AND number = ?");
        del.bind(assignee_id, number);
        del.exec();
        removed = true;
    });
    return removed;
}

namespace {

constexpr const char* kHistoryColumns =
    "id, assignee_id, number, text, due_on, creator_id, ido_id, source, created_at, closed_at, "
    "closed_by";

Task read_cancelled(const Database::Statement& q) {
    Task t;
    read_common(q, t);
    t.updated_at = q.get<int64_t>(9);
    t.cancelled_at = q.get<int64_t>(9);
    t.cancelled_by = q.get<std::string>(10);
    return t;
}

}  // namespace

std::optional<Task> TaskRepo::find_cancelled(const std::string& assignee_id, int number) {
    auto q = db_.prepare(std::string("SELECT ") + kHistoryColumns +
                         " FROM task_history WHERE assignee_id = ? AND number = ? "
                         "AND state = 'cancelled'");
    q.bind(assignee_id, number);
    if (!q.step()) return std::nullopt;
    return read_cancelled(q);
}

std::vector<Task> TaskRepo::cancelled_for(const std::string& assignee_id, int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kHistoryColumns +
                         " FROM task_history WHERE assignee_id = ? AND state = "
                         "'cancelled' ORDER BY closed_at DESC, number DESC LIMIT ?");
    q.bind(assignee_id, limit);
    std::vector<Task> out;
    while (q.step()) out.push_back(read_cancelled(q));
    return out;
}

std::vector<Task> TaskRepo::open_for(const std::string& assignee_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                         "ORDER BY due_on, number");
    q.bind(assignee_id);
    return read_all(q);
}

std::vector<Task> TaskRepo::done_for(const std::string& assignee_id, int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND done_at IS NOT NULL "
                         "ORDER BY done_at DESC, number DESC LIMIT ?");
    q.bind(assignee_id, limit);
    return read_all(q);
}

std::vector<Task> TaskRepo::open_due_between(const std::string& assignee_id,
                                             const std::string& from, const std::string& to) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                         "AND due_on >= ? AND due_on <= ? ORDER BY due_on, number");
    // '' sorts before every date, so an empty `from` means "no lower bound".
    q.bind(assignee_id, from, to);
    return read_all(q);
}

std::vector<Task> TaskRepo::overdue(const std::string& assignee_id, const std::string& today) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                         "AND due_on < ? ORDER BY due_on, number");
    q.bind(assignee_id, today);
    return read_all(q);
}

std::vector<Task> TaskRepo::open_for_people(const std::vector<std::string>& assignee_ids) {
    std::vector<Task> out;
    // One prepared statement run per person keeps every value bound (no IN-list splicing).
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                         "ORDER BY due_on, number");
    for (const auto& id : assignee_ids) {
        q.bind(id);
        while (q.step()) out.push_back(read_task(q));
        q.reset();
    }
    return out;
}

std::optional<Task> TaskRepo::find_by_id(int64_t id) {
    std::string assignee;
    int number = 0;
    {
        auto q = db_.prepare("SELECT assignee_id, number FROM tasks WHERE id = ?");
        if (!q.bind(id).step()) return std::nullopt;
        q.read(assignee, number);
    }
    return find(assignee, number);
}

std::optional<std::string> TaskRepo::history_state(int64_t id) {
    auto q = db_.prepare("SELECT state FROM task_history WHERE id = ?");
    if (!q.bind(id).step()) return std::nullopt;
    return q.get<std::string>(0);
}

}  // namespace careerbot::storage
