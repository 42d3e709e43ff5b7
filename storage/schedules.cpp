#include "storage/schedules.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, manager_id, report_id, weekday, minute_of_day, tz, every_weeks, anchor_on, skip_until, "
    "created_by, created_at, updated_at, cancelled_at";

OneOnOne read_schedule(SQLite::Statement& q) {
    OneOnOne s;
    s.id = q.getColumn(0).getInt64();
    s.manager_id = q.getColumn(1).getString();
    s.report_id = q.getColumn(2).getString();
    s.weekday = q.getColumn(3).getInt();
    s.minute_of_day = q.getColumn(4).getInt();
    s.tz = q.getColumn(5).getString();
    s.every_weeks = q.getColumn(6).getInt();
    s.anchor_on = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) s.skip_until = q.getColumn(8).getInt64();
    s.created_by = q.getColumn(9).getString();
    s.created_at = q.getColumn(10).getInt64();
    s.updated_at = q.getColumn(11).getInt64();
    if (!q.getColumn(12).isNull()) s.cancelled_at = q.getColumn(12).getInt64();
    return s;
}

}  // namespace

OneOnOne ScheduleRepo::create(OneOnOne s, TimePoint now) {
    db_.write([&] {
        if (auto old = active(s.manager_id, s.report_id)) cancel(old->id, now);
        SQLite::Statement q(db_.sql(),
                            "INSERT INTO one_on_ones (manager_id, report_id, weekday, "
                            "minute_of_day, tz, every_weeks, anchor_on, created_by, created_at, "
                            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        q.bind(1, s.manager_id);
        q.bind(2, s.report_id);
        q.bind(3, s.weekday);
        q.bind(4, s.minute_of_day);
        q.bind(5, s.tz);
        q.bind(6, s.every_weeks);
        q.bind(7, s.anchor_on);
        q.bind(8, s.created_by);
        q.bind(9, to_unix(now));
        q.bind(10, to_unix(now));
        q.executeStep();
        s.id = q.getColumn(0).getInt64();
    });
    s.created_at = s.updated_at = to_unix(now);
    s.skip_until.reset();
    s.cancelled_at.reset();
    return s;
}

std::optional<OneOnOne> ScheduleRepo::find(int64_t id) {
    SQLite::Statement q(db_.sql(),
                        std::string("SELECT ") + kColumns + " FROM one_on_ones WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_schedule(q);
}

std::optional<OneOnOne> ScheduleRepo::active(const std::string& manager_id,
                                             const std::string& report_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM one_on_ones WHERE manager_id = ? AND report_id = ? "
                                       "AND cancelled_at IS NULL");
    q.bind(1, manager_id);
    q.bind(2, report_id);
    if (!q.executeStep()) return std::nullopt;
    return read_schedule(q);
}

std::vector<OneOnOne> ScheduleRepo::active_for(const std::string& person) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM one_on_ones WHERE cancelled_at IS NULL AND "
                                       "manager_id = ?1 UNION ALL SELECT " +
                                       kColumns +
                                       " FROM one_on_ones WHERE cancelled_at IS NULL AND "
                                       "report_id = ?1 ORDER BY id");
    q.bind(1, person);
    std::vector<OneOnOne> out;
    while (q.executeStep()) out.push_back(read_schedule(q));
    return out;
}

void ScheduleRepo::set_skip_until(int64_t id, int64_t until, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE one_on_ones SET skip_until = ?, updated_at = ? WHERE id = ?");
    q.bind(1, until);
    q.bind(2, to_unix(now));
    q.bind(3, id);
    q.exec();
}

bool ScheduleRepo::cancel(int64_t id, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE one_on_ones SET cancelled_at = ?, updated_at = ? "
                        "WHERE id = ? AND cancelled_at IS NULL");
    q.bind(1, to_unix(now));
    q.bind(2, to_unix(now));
    q.bind(3, id);
    return q.exec() > 0;
}

std::vector<OneOnOne> ScheduleRepo::for_pair(const std::string& manager_id,
                                             const std::string& report_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM one_on_ones WHERE manager_id = ? AND report_id = ? "
                                       "ORDER BY created_at, id");
    q.bind(1, manager_id);
    q.bind(2, report_id);
    std::vector<OneOnOne> out;
    while (q.executeStep()) out.push_back(read_schedule(q));
    return out;
}

void ScheduleRepo::record_skip(int64_t id, int64_t occurs_at, const std::string& by,
                               TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO one_on_one_skips (schedule_id, occurs_at, skipped_by, "
                        "created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.bind(1, id);
    q.bind(2, occurs_at);
    q.bind(3, by);
    q.bind(4, to_unix(now));
    q.exec();
}

bool ScheduleRepo::was_skipped(int64_t id, int64_t occurs_at) {
    SQLite::Statement q(db_.sql(),
                        "SELECT 1 FROM one_on_one_skips WHERE schedule_id = ? AND occurs_at = ?");
    q.bind(1, id);
    q.bind(2, occurs_at);
    return q.executeStep();
}

}  // namespace careerbot::storage
