#include "storage/checkins.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, person_id, goals_6m, goals_1y, goals_3y, reality, plan, held_on, recorded_by, "
    "next_due_on, created_at, updated_at";

Checkin read_checkin(const Database::Statement& q) {
    Checkin c;
    q.read(c.id, c.person_id, c.goals_6m, c.goals_1y, c.goals_3y, c.reality, c.plan, c.held_on,
           c.recorded_by, c.next_due_on, c.created_at, c.updated_at);
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
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM checkins WHERE person_id = ? AND held_on IS NULL");
    q.bind(person_id);
    if (!q.step()) return std::nullopt;
    return read_checkin(q);
}

void CheckinRepo::set_draft_field(const std::string& person_id, CheckinField field,
                                  const std::string& text, TimePoint now) {
    db_.write([&] {
        auto ins = db_.prepare(
            "INSERT INTO checkins (person_id, created_at, updated_at) "
            "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM checkins "
            "WHERE person_id = ? AND held_on IS NULL)");
        ins.bind(person_id, now, now, person_id);
        ins.exec();
        auto up = db_.prepare(std::string("UPDATE checkins SET ") + column_of(field) +
                              " = ?, updated_at = ? WHERE person_id = ? AND "
                              "held_on IS NULL");
        up.bind(text, now, person_id);
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
            auto q = db_.prepare(
                "UPDATE checkins SET held_on = ?, recorded_by = ?, next_due_on = ?, "
                "updated_at = ? WHERE id = ?");
            q.bind(held_on, recorded_by, next_due_on, now, d->id);
            q.exec();
        } else {
            auto q = db_.prepare(
                "INSERT INTO checkins (person_id, held_on, recorded_by, "
                "next_due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
            q.bind(person_id, held_on, recorded_by, next_due_on, now, now);
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
        auto q = db_.prepare(
            "INSERT INTO checkins (person_id, held_on, recorded_by, "
            "next_due_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        q.bind(person_id, held_on_day, recorded_by, next_due_on, now, now);
        q.exec();
        held = *held_on(person_id, held_on_day);
    });
    return held;
}

std::optional<Checkin> CheckinRepo::held_on(const std::string& person_id,
                                            const std::string& held_on_day) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM checkins WHERE person_id = ? AND held_on = ? "
                         "ORDER BY id DESC LIMIT 1");
    q.bind(person_id, held_on_day);
    if (!q.step()) return std::nullopt;
    return read_checkin(q);
}

bool CheckinRepo::undo_held(int64_t checkin_id, TimePoint now) {
    bool undone = false;
    db_.write([&] {
        auto q = db_.prepare(std::string("SELECT ") + kColumns +
                             " FROM checkins WHERE id = ? AND held_on IS NOT NULL");
        q.bind(checkin_id);
        if (!q.step()) return;
        Checkin held = read_checkin(q);
        q.reset();
        auto d = draft(held.person_id);
        if (!d) {
            // The draft it was made from comes back as it was.
            auto back = db_.prepare(
                "UPDATE checkins SET held_on = NULL, next_due_on = NULL, "
                "recorded_by = NULL, updated_at = ? WHERE id = ?");
            back.bind(now, checkin_id);
            back.exec();
        } else {
            // A draft was started since: it keeps its own words and gains the rest.
            auto merge = db_.prepare(
                "UPDATE checkins SET "
                "goals_6m = CASE WHEN goals_6m = '' THEN ? ELSE goals_6m END, "
                "goals_1y = CASE WHEN goals_1y = '' THEN ? ELSE goals_1y END, "
                "goals_3y = CASE WHEN goals_3y = '' THEN ? ELSE goals_3y END, "
                "reality = CASE WHEN reality = '' THEN ? ELSE reality END, "
                "plan = CASE WHEN plan = '' THEN ? ELSE plan END, updated_at = ? WHERE id = ?");
            merge.bind(held.goals_6m, held.goals_1y, held.goals_3y, held.reality, held.plan, now,
                       d->id);
            merge.exec();
            auto del = db_.prepare("DELETE FROM checkins WHERE id = ?");
            del.bind(checkin_id);
            del.exec();
        }
        undone = true;
    });
    return undone;
}

void CheckinRepo::set_next_due(int64_t checkin_id, const std::string& next_due_on, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE checkins SET next_due_on = ?, updated_at = ? "
        "WHERE id = ? AND held_on IS NOT NULL");
    q.bind(next_due_on, now, checkin_id);
    q.exec();
}

std::optional<Checkin> CheckinRepo::last_held(const std::string& person_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM checkins WHERE person_id = ? AND held_on IS NOT NULL "
                         "ORDER BY held_on DESC, id DESC LIMIT 1");
    q.bind(person_id);
    if (!q.step()) return std::nullopt;
    return read_checkin(q);
}

std::optional<std::string> CheckinRepo::next_due(const std::string& person_id) {
    auto last = last_held(person_id);
    if (!last) return std::nullopt;
    return last->next_due_on;
}

std::vector<Checkin> CheckinRepo::held_since(const std::string& person_id,
                                             const std::string& since) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM checkins WHERE person_id = ? AND held_on IS NOT NULL "
                         "AND held_on >= ? ORDER BY held_on DESC, id DESC");
    q.bind(person_id, since);
    std::vector<Checkin> out;
    while (q.step()) out.push_back(read_checkin(q));
    return out;
}

}  // namespace careerbot::storage
