#include "storage/tasks.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, assignee_id, number, text, due_on, creator_id, ido_id, source, created_at, updated_at, "
    "done_at, done_by";

/// The columns `tasks` and `task_history` share, in the order of kColumns (0–8).
void read_common(SQLite::Statement& q, Task& t) {
    t.id = q.getColumn(0).getInt64();
    t.assignee_id = q.getColumn(1).getString();
    t.number = q.getColumn(2).getInt();
    t.text = q.getColumn(3).getString();
    t.due_on = q.getColumn(4).getString();
    t.creator_id = q.getColumn(5).getString();
    if (!q.getColumn(6).isNull()) t.ido_id = q.getColumn(6).getInt64();
    t.source = q.getColumn(7).getString();
    t.created_at = q.getColumn(8).getInt64();
}

Task read_task(SQLite::Statement& q) {
    Task t;
    read_common(q, t);
    t.updated_at = q.getColumn(9).getInt64();
    if (!q.getColumn(10).isNull()) t.done_at = q.getColumn(10).getInt64();
    if (!q.getColumn(11).isNull()) t.done_by = q.getColumn(11).getString();
    return t;
}

std::vector<Task> read_all(SQLite::Statement& q) {
    std::vector<Task> out;
    while (q.executeStep()) out.push_back(read_task(q));
    return out;
}

}  // namespace

Task TaskRepo::add(const TaskFields& f, const std::string& source, TimePoint now) {
    Task t;
    db_.write([&] {
        SQLite::Statement q(
            db_.sql(),
            "INSERT INTO tasks (assignee_id, number, text, due_on, creator_id, "
            "ido_id, source, created_at, updated_at) VALUES (?, "
            "(SELECT COALESCE(MAX(number), 0) + 1 FROM (SELECT number FROM tasks WHERE "
            "assignee_id = ?2 UNION ALL SELECT number FROM task_history WHERE assignee_id = ?2)), "
            "?, ?, ?, ?, ?, ?, ?) RETURNING id, number");
        q.bind(1, f.assignee_id);
        q.bind(2, f.assignee_id);
        q.bind(3, f.text);
        q.bind(4, f.due_on);
        q.bind(5, f.creator_id);
        if (f.ido_id)
            q.bind(6, *f.ido_id);
        else
            q.bind(6);
        q.bind(7, source);
        q.bind(8, to_unix(now));
        q.bind(9, to_unix(now));
        q.executeStep();
        t.id = q.getColumn(0).getInt64();
        t.number = q.getColumn(1).getInt();
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
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND number = ?");
    q.bind(1, assignee_id);
    q.bind(2, number);
    if (!q.executeStep()) return std::nullopt;
    return read_task(q);
}

bool TaskRepo::mark_done(const std::string& assignee_id, int number, const std::string& done_by,
                         TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks SET done_at = ?, done_by = ?, updated_at = ? "
                        "WHERE assignee_id = ? AND number = ? AND done_at IS NULL");
    q.bind(1, to_unix(now));
    q.bind(2, done_by);
    q.bind(3, to_unix(now));
    q.bind(4, assignee_id);
    q.bind(5, number);
    return q.exec() > 0;
}

bool TaskRepo::reopen(const std::string& assignee_id, int number, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks SET done_at = NULL, done_by = NULL, updated_at = ? "
                        "WHERE assignee_id = ? AND number = ? AND done_at IS NOT NULL");
    q.bind(1, to_unix(now));
    q.bind(2, assignee_id);
    q.bind(3, number);
    return q.exec() > 0;
}

bool TaskRepo::set_text(const std::string& assignee_id, int number, const std::string& text,
                        TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks SET text = ?, updated_at = ? WHERE assignee_id = ? AND "
                        "number = ?");
    q.bind(1, text);
    q.bind(2, to_unix(now));
    q.bind(3, assignee_id);
    q.bind(4, number);
    return q.exec() > 0;
}

bool TaskRepo::set_due(const std::string& assignee_id, int number, const std::string& due_on,
                       TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE tasks SET due_on = ?, updated_at = ? WHERE assignee_id = ? AND "
                        "number = ? AND done_at IS NULL");
    q.bind(1, due_on);
    q.bind(2, to_unix(now));
    q.bind(3, assignee_id);
    q.bind(4, number);
    return q.exec() > 0;
}

bool TaskRepo::cancel(const std::string& assignee_id, int number, const std::string& by,
                      TimePoint now) {
    bool moved = false;
    db_.write([&] {
        SQLite::Statement copy(
            db_.sql(),
            "INSERT INTO task_history (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, state, closed_at, closed_by) SELECT id, assignee_id, number, "
            "text, due_on, creator_id, ido_id, source, created_at, 'cancelled', ?, ? FROM tasks "
            "WHERE assignee_id = ? AND number = ? AND done_at IS NULL");
        copy.bind(1, to_unix(now));
        copy.bind(2, by);
        copy.bind(3, assignee_id);
        copy.bind(4, number);
        if (copy.exec() == 0) return;
        SQLite::Statement del(db_.sql(), "DELETE FROM tasks WHERE assignee_id = ? AND number = ?");
        del.bind(1, assignee_id);
        del.bind(2, number);
        del.exec();
        moved = true;
    });
    return moved;
}

bool TaskRepo::uncancel(const std::string& assignee_id, int number, TimePoint now) {
    bool moved = false;
    db_.write([&] {
        SQLite::Statement copy(
            db_.sql(),
            "INSERT INTO tasks (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, updated_at) SELECT id, assignee_id, number, text, due_on, "
            "creator_id, ido_id, source, created_at, ? FROM task_history WHERE assignee_id = ? "
            "AND number = ? AND state = 'cancelled'");
        copy.bind(1, to_unix(now));
        copy.bind(2, assignee_id);
        copy.bind(3, number);
        if (copy.exec() == 0) return;
        SQLite::Statement del(db_.sql(),
                              "DELETE FROM task_history WHERE assignee_id = ? AND number = ?");
        del.bind(1, assignee_id);
        del.bind(2, number);
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
        SQLite::Statement wipe(db_.sql(),
                               "UPDATE task_history SET state = 'deleted', text = '', due_on = '', "
                               "closed_at = ?, closed_by = ? WHERE assignee_id = ? AND number = ? "
                               "AND state = 'cancelled'");
        wipe.bind(1, to_unix(now));
        wipe.bind(2, by);
        wipe.bind(3, assignee_id);
        wipe.bind(4, number);
        if (wipe.exec() > 0) {
            removed = true;
            return;
        }
        // Otherwise only its number is kept, so it is never given to another task.
        SQLite::Statement keep(
            db_.sql(),
            "INSERT INTO task_history (id, assignee_id, number, text, due_on, creator_id, ido_id, "
            "source, created_at, state, closed_at, closed_by) SELECT id, assignee_id, number, '', "
            "'', creator_id, NULL, source, created_at, 'deleted', ?, ? FROM tasks WHERE "
            "assignee_id = ? AND number = ?");
        keep.bind(1, to_unix(now));
        keep.bind(2, by);
        keep.bind(3, assignee_id);
        keep.bind(4, number);
        if (keep.exec() == 0) return;
        SQLite::Statement del(db_.sql(), "DELETE FROM tasks WHERE assignee_id = ? AND number = ?");
        del.bind(1, assignee_id);
        del.bind(2, number);
        del.exec();
        removed = true;
    });
    return removed;
}

namespace {

constexpr const char* kHistoryColumns =
    "id, assignee_id, number, text, due_on, creator_id, ido_id, source, created_at, closed_at, "
    "closed_by";

Task read_cancelled(SQLite::Statement& q) {
    Task t;
    read_common(q, t);
    t.updated_at = q.getColumn(9).getInt64();
    t.cancelled_at = q.getColumn(9).getInt64();
    t.cancelled_by = q.getColumn(10).getString();
    return t;
}

}  // namespace

std::optional<Task> TaskRepo::find_cancelled(const std::string& assignee_id, int number) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kHistoryColumns +
                                       " FROM task_history WHERE assignee_id = ? AND number = ? "
                                       "AND state = 'cancelled'");
    q.bind(1, assignee_id);
    q.bind(2, number);
    if (!q.executeStep()) return std::nullopt;
    return read_cancelled(q);
}

std::vector<Task> TaskRepo::cancelled_for(const std::string& assignee_id, int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kHistoryColumns +
                                       " FROM task_history WHERE assignee_id = ? AND state = "
                                       "'cancelled' ORDER BY closed_at DESC, number DESC LIMIT ?");
    q.bind(1, assignee_id);
    q.bind(2, limit);
    std::vector<Task> out;
    while (q.executeStep()) out.push_back(read_cancelled(q));
    return out;
}

std::vector<Task> TaskRepo::open_for(const std::string& assignee_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                                       "ORDER BY due_on, number");
    q.bind(1, assignee_id);
    return read_all(q);
}

std::vector<Task> TaskRepo::done_for(const std::string& assignee_id, int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND done_at IS NOT NULL "
                                       "ORDER BY done_at DESC, number DESC LIMIT ?");
    q.bind(1, assignee_id);
    q.bind(2, limit);
    return read_all(q);
}

std::vector<Task> TaskRepo::open_due_between(const std::string& assignee_id,
                                             const std::string& from, const std::string& to) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                                       "AND due_on >= ? AND due_on <= ? ORDER BY due_on, number");
    q.bind(1, assignee_id);
    q.bind(2, from);  // '' sorts before every date, so an empty bound means "no lower bound"
    q.bind(3, to);
    return read_all(q);
}

std::vector<Task> TaskRepo::overdue(const std::string& assignee_id, const std::string& today) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                                       "AND due_on < ? ORDER BY due_on, number");
    q.bind(1, assignee_id);
    q.bind(2, today);
    return read_all(q);
}

std::vector<Task> TaskRepo::open_for_people(const std::vector<std::string>& assignee_ids) {
    std::vector<Task> out;
    // One prepared statement run per person keeps every value bound (no IN-list splicing).
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM tasks WHERE assignee_id = ? AND done_at IS NULL "
                                       "ORDER BY due_on, number");
    for (const auto& id : assignee_ids) {
        q.bind(1, id);
        while (q.executeStep()) out.push_back(read_task(q));
        q.reset();
    }
    return out;
}

}  // namespace careerbot::storage
