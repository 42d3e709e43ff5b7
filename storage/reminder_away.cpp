#include "storage/reminder_away.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

AwayPeriod read_away(SQLite::Statement& q) {
    AwayPeriod a;
    a.id = q.getColumn(0).getInt64();
    a.person_id = q.getColumn(1).getString();
    a.from_on = q.getColumn(2).getString();
    a.to_on = q.getColumn(3).getString();
    a.created_at = q.getColumn(4).getInt64();
    return a;
}

}  // namespace

AwayPeriod AwayRepo::add(const std::string& person_id, const std::string& from_on,
                         const std::string& to_on, TimePoint now) {
    AwayPeriod a{0, person_id, from_on, to_on, to_unix(now)};
    db_.write([&] {
        SQLite::Statement q(db_.sql(),
                            "INSERT INTO away_periods (person_id, from_on, to_on, created_at) "
                            "VALUES (?, ?, ?, ?) RETURNING id");
        q.bind(1, person_id);
        q.bind(2, from_on);
        q.bind(3, to_on);
        q.bind(4, a.created_at);
        q.executeStep();
        a.id = q.getColumn(0).getInt64();
    });
    return a;
}

std::vector<AwayPeriod> AwayRepo::upcoming(const std::string& person_id, const std::string& today) {
    SQLite::Statement q(db_.sql(),
                        "SELECT id, person_id, from_on, to_on, created_at FROM away_periods "
                        "WHERE person_id = ? AND to_on >= ? AND cancelled_at IS NULL "
                        "ORDER BY from_on, id");
    q.bind(1, person_id);
    q.bind(2, today);
    std::vector<AwayPeriod> out;
    while (q.executeStep()) out.push_back(read_away(q));
    return out;
}

int AwayRepo::cancel_upcoming(const std::string& person_id, const std::string& today,
                              TimePoint now) {
    int n = 0;
    db_.write([&] {
        SQLite::Statement q(db_.sql(),
                            "UPDATE away_periods SET cancelled_at = ? WHERE person_id = ? AND "
                            "to_on >= ? AND cancelled_at IS NULL");
        q.bind(1, to_unix(now));
        q.bind(2, person_id);
        q.bind(3, today);
        n = q.exec();
    });
    return n;
}

bool AwayRepo::cancel(int64_t id, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE away_periods SET cancelled_at = ? WHERE id = ? AND "
                        "cancelled_at IS NULL");
    q.bind(1, to_unix(now));
    q.bind(2, id);
    return q.exec() > 0;
}

void AwayRepo::end_on(int64_t id, const std::string& to_on) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE away_periods SET to_on = ? WHERE id = ? AND from_on <= ? AND "
                        "cancelled_at IS NULL");
    q.bind(1, to_on);
    q.bind(2, id);
    q.bind(3, to_on);
    q.exec();
}

std::optional<AwayPeriod> AwayRepo::covering(const std::string& person_id, const std::string& day) {
    SQLite::Statement q(db_.sql(),
                        "SELECT id, person_id, from_on, to_on, created_at FROM away_periods "
                        "WHERE person_id = ? AND to_on >= ? AND from_on <= ? AND "
                        "cancelled_at IS NULL ORDER BY from_on LIMIT 1");
    q.bind(1, person_id);
    q.bind(2, day);
    q.bind(3, day);
    if (!q.executeStep()) return std::nullopt;
    return read_away(q);
}

}  // namespace careerbot::storage
