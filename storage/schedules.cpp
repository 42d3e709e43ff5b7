#include "storage/schedules.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, manager_id, report_id, weekday, minute_of_day, tz, every_weeks, anchor_on, skip_until, "
    "created_by, created_at, updated_at, cancelled_at";

OneOnOne read_schedule(const Database::Statement& q) {
    OneOnOne s;
    q.read(s.id, s.manager_id, s.report_id, s.weekday, s.minute_of_day, s.tz, s.every_weeks,
           s.anchor_on, s.skip_until, s.created_by, s.created_at, s.updated_at, s.cancelled_at);
    return s;
}

}  // namespace

OneOnOne ScheduleRepo::create(OneOnOne s, TimePoint now) {
    db_.write([&] {
        if (auto old = active(s.manager_id, s.report_id)) cancel(old->id, now);
        auto q = db_.prepare(
            "INSERT INTO one_on_ones (manager_id, report_id, weekday, "
            "minute_of_day, tz, every_weeks, anchor_on, created_by, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.bind(s.manager_id, s.report_id, s.weekday, s.minute_of_day, s.tz, s.every_weeks,
               s.anchor_on, s.created_by, now, now);
        q.step();
        q.read(s.id);
    });
    s.created_at = s.updated_at = to_unix(now);
    s.skip_until.reset();
    s.cancelled_at.reset();
    return s;
}

std::optional<OneOnOne> ScheduleRepo::find(int64_t id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns + " FROM one_on_ones WHERE id = ?");
    q.bind(id);
    if (!q.step()) return std::nullopt;
    return read_schedule(q);
}

std::optional<OneOnOne> ScheduleRepo::active(const std::string& manager_id,
                                             const std::string& report_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM one_on_ones WHERE manager_id = ? AND report_id = ? "
                         "AND cancelled_at IS NULL");
    q.bind(manager_id, report_id);
    if (!q.step()) return std::nullopt;
    return read_schedule(q);
}

std::vector<OneOnOne> ScheduleRepo::active_for(const std::string& person) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM one_on_ones WHERE cancelled_at IS NULL AND "
                         "manager_id = ?1 UNION ALL SELECT " +
                         kColumns +
                         " FROM one_on_ones WHERE cancelled_at IS NULL AND "
                         "report_id = ?1 ORDER BY id");
    q.bind(person);
    std::vector<OneOnOne> out;
    while (q.step()) out.push_back(read_schedule(q));
    return out;
}

void ScheduleRepo::set_skip_until(int64_t id, int64_t until, TimePoint now) {
    auto q = db_.prepare("UPDATE one_on_ones SET skip_until = ?, updated_at = ? WHERE id = ?");
    q.bind(until, now, id);
    q.exec();
}

bool ScheduleRepo::cancel(int64_t id, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE one_on_ones SET cancelled_at = ?, updated_at = ? "
        "WHERE id = ? AND cancelled_at IS NULL");
    q.bind(now, now, id);
    return q.exec() > 0;
}

std::vector<OneOnOne> ScheduleRepo::for_pair(const std::string& manager_id,
                                             const std::string& report_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM one_on_ones WHERE manager_id = ? AND report_id = ? "
                         "ORDER BY created_at, id");
    q.bind(manager_id, report_id);
    std::vector<OneOnOne> out;
    while (q.step()) out.push_back(read_schedule(q));
    return out;
}

void ScheduleRepo::record_skip(int64_t id, int64_t occurs_at, const std::string& by,
                               TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO one_on_one_skips (schedule_id, occurs_at, skipped_by, "
        "created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.bind(id, occurs_at, by, now);
    q.exec();
}

bool ScheduleRepo::was_skipped(int64_t id, int64_t occurs_at) {
    auto q = db_.prepare("SELECT 1 FROM one_on_one_skips WHERE schedule_id = ? AND occurs_at = ?");
    q.bind(id, occurs_at);
    return q.step();
}

}  // namespace careerbot::storage
