#include "storage/checkins.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, person_id, goals_6m, goals_1y, goals_3y, reality, plan, held_on, recorded_by, "
    "next_due_on, created_at, updated_at";

Checkin read_checkin(SQLite::Statement& q) {
    Checkin c;
    c.id = q.getColumn(0).getInt64();
    c.person_id = q.getColumn(1).getString();
    c.goals_6m = q.getColumn(2).getString();
    c.goals_1y = q.getColumn(3).getString();
    c.goals_3y = q.getColumn(4).getString();
    c.reality = q.getColumn(5).getString();
    c.plan = q.getColumn(6).getString();
    if (!q.getColumn(7).isNull()) c.held_on = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) c.recorded_by = q.getColumn(8).getString();
    if (!q.getColumn(9).isNull()) c.next_due_on = q.getColumn(9).getString();
    c.created_at = q.getColumn(10).getInt64();
    c.updated_at = q.getColumn(11).getInt64();
    return c;
}

/// Column names come from this fixed table, never from what a person typed.
const char* column_of(CheckinField f) {
    switch (f) {
        case CheckinField::Goals6m:
            return "goals_6m";
        case CheckinField::Goals1y:
            return "goals_1y";
        case CheckinField::Goals3y:
            return "goals_3y";
        case CheckinField::Reality:
            return "reality";
        case CheckinField::Plan:
            return "plan";
    }
    return "plan";
}

}  // namespace

std::optional<Checkin> CheckinRepo::draft(const std::string& person_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM checkins WHERE person_id = ? AND held_on IS NULL");
    q.bind(1, person_id);
    if (!q.executeStep()) return std::nullopt;
    return read_checkin(q);
}

void CheckinRepo::set_draft_field(const std::string& person_id, CheckinField field,
                                  const std::string& text, TimePoint now) {
    db_.write([&] {
        SQLite::Statement ins(db_.sql(),
                              "INSERT INTO checkins (person_id, created_at, updated_at) "
                              "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM checkins "
                              "WHERE person_id = ? AND held_on IS NULL)");
        ins.bind(1, person_id);
        ins.bind(2, to_unix(now));
        ins.bind(3, to_unix(now));
        ins.bind(4, person_id);
        ins.exec();
        SQLite::Statement up(db_.sql(), std::string("UPDATE checkins SET ") + column_of(field) +
                                            " = ?, updated_at = ? WHERE person_id = ? AND "
                                            "held_on IS NULL");
        up.bind(1, text);
        up.bind(2, to_unix(now));
        up.bind(3, person_id);
        up.exec();
    });
}

Checkin CheckinRepo::record_held(const std::string& person_id, const std::string& held_on,
                                 const std::string& recorded_by, const std::string& next_due_on,
                                 TimePoint now) {
    Checkin held;
    db_.write([&] {
        auto d = draft(person_id);
        if (d) {
            SQLite::Statement q(
                db_.sql(),
                "UPDATE checkins SET held_on = ?, recorded_by = ?, next_due_on = ?, "
                "updated_at = ? WHERE id = ?");
            q.bind(1, held_on);
            q.bind(2, recorded_by);
            q.bind(3, next_due_on);
            q.bind(4, to_unix(now));
            q.bind(5, d->id);
            q.exec();
        } else {
            SQLite::Statement q(db_.sql(),
                                "INSERT INTO checkins (person_id, held_on, recorded_by, "
                                "next_due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
            q.bind(1, person_id);
            q.bind(2, held_on);
            q.bind(3, recorded_by);
            q.bind(4, next_due_on);
            q.bind(5, to_unix(now));
            q.bind(6, to_unix(now));
            q.exec();
        }
        held = *last_held(person_id);
    });
    return held;
}

Checkin CheckinRepo::record_earlier(const std::string& person_id, const std::string& held_on_day,
                                    const std::string& recorded_by, const std::string& next_due_on,
                                    TimePoint now) {
    Checkin held;
    db_.write([&] {
        SQLite::Statement q(db_.sql(),
                            "INSERT INTO checkins (person_id, held_on, recorded_by, "
                            "next_due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        q.bind(1, person_id);
        q.bind(2, held_on_day);
        q.bind(3, recorded_by);
        q.bind(4, next_due_on);
        q.bind(5, to_unix(now));
        q.bind(6, to_unix(now));
        q.exec();
        held = *held_on(person_id, held_on_day);
    });
    return held;
}

std::optional<Checkin> CheckinRepo::held_on(const std::string& person_id,
                                            const std::string& held_on_day) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM checkins WHERE person_id = ? AND held_on = ? "
                                       "ORDER BY id DESC LIMIT 1");
    q.bind(1, person_id);
    q.bind(2, held_on_day);
    if (!q.executeStep()) return std::nullopt;
    return read_checkin(q);
}

bool CheckinRepo::undo_held(int64_t checkin_id, TimePoint now) {
    bool undone = false;
    db_.write([&] {
        SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                           " FROM checkins WHERE id = ? AND held_on IS NOT NULL");
        q.bind(1, checkin_id);
        if (!q.executeStep()) return;
        Checkin held = read_checkin(q);
        q.reset();
        auto d = draft(held.person_id);
        if (!d) {
            // The draft it was made from comes back as it was.
            SQLite::Statement back(db_.sql(),
                                   "UPDATE checkins SET held_on = NULL, next_due_on = NULL, "
                                   "recorded_by = NULL, updated_at = ? WHERE id = ?");
            back.bind(1, to_unix(now));
            back.bind(2, checkin_id);
            back.exec();
        } else {
            // A draft was started since: it keeps its own words and gains the rest.
            SQLite::Statement merge(
                db_.sql(),
                "UPDATE checkins SET "
                "goals_6m = CASE WHEN goals_6m = '' THEN ? ELSE goals_6m END, "
                "goals_1y = CASE WHEN goals_1y = '' THEN ? ELSE goals_1y END, "
                "goals_3y = CASE WHEN goals_3y = '' THEN ? ELSE goals_3y END, "
                "reality = CASE WHEN reality = '' THEN ? ELSE reality END, "
                "plan = CASE WHEN plan = '' THEN ? ELSE plan END, updated_at = ? WHERE id = ?");
            merge.bind(1, held.goals_6m);
            merge.bind(2, held.goals_1y);
            merge.bind(3, held.goals_3y);
            merge.bind(4, held.reality);
            merge.bind(5, held.plan);
            merge.bind(6, to_unix(now));
            merge.bind(7, d->id);
            merge.exec();
            SQLite::Statement del(db_.sql(), "DELETE FROM checkins WHERE id = ?");
            del.bind(1, checkin_id);
            del.exec();
        }
        undone = true;
    });
    return undone;
}

void CheckinRepo::set_next_due(int64_t checkin_id, const std::string& next_due_on, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE checkins SET next_due_on = ?, updated_at = ? "
                        "WHERE id = ? AND held_on IS NOT NULL");
    q.bind(1, next_due_on);
    q.bind(2, to_unix(now));
    q.bind(3, checkin_id);
    q.exec();
}

std::optional<Checkin> CheckinRepo::last_held(const std::string& person_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM checkins WHERE person_id = ? AND held_on IS NOT NULL "
                                       "ORDER BY held_on DESC, id DESC LIMIT 1");
    q.bind(1, person_id);
    if (!q.executeStep()) return std::nullopt;
    return read_checkin(q);
}

std::optional<std::string> CheckinRepo::next_due(const std::string& person_id) {
    auto last = last_held(person_id);
    if (!last) return std::nullopt;
    return last->next_due_on;
}

std::vector<Checkin> CheckinRepo::held_since(const std::string& person_id,
                                             const std::string& since) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM checkins WHERE person_id = ? AND held_on IS NOT NULL "
                                       "AND held_on >= ? ORDER BY held_on DESC, id DESC");
    q.bind(1, person_id);
    q.bind(2, since);
    std::vector<Checkin> out;
    while (q.executeStep()) out.push_back(read_checkin(q));
    return out;
}

}  // namespace careerbot::storage
