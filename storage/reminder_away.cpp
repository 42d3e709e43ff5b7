#include "storage/reminder_away.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

AwayPeriod read_away(const Database::Statement& q) {
    AwayPeriod a;
    q.read(a.id, a.person_id, a.from_on, a.to_on, a.created_at, a.source, a.status);
    return a;
}

}  // namespace

AwayPeriod AwayRepo::add(const std::string& person_id, const std::string& from_on,
                         const std::string& to_on, TimePoint now, const std::string& source,
                         const std::string& status) {
    AwayPeriod a{0, person_id, from_on, to_on, to_unix(now), source, status};
    db_.write([&] {
        auto q = db_.prepare(
            "INSERT INTO away_periods (person_id, from_on, to_on, created_at, source, status) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        q.bind(person_id, from_on, to_on, a.created_at, source, status).step();
        q.read(a.id);
    });
    return a;
}

std::vector<AwayPeriod> AwayRepo::upcoming(const std::string& person_id, const std::string& today) {
    auto q = db_.prepare(
        "SELECT id, person_id, from_on, to_on, created_at, source, status FROM away_periods "
        "WHERE person_id = ? AND to_on >= ? AND cancelled_at IS NULL "
        "ORDER BY from_on, id");
    q.bind(person_id, today);
    std::vector<AwayPeriod> out;
    while (q.step()) out.push_back(read_away(q));
    return out;
}

int AwayRepo::cancel_upcoming(const std::string& person_id, const std::string& today,
                              TimePoint now) {
    int n = 0;
    db_.write([&] {
        n = db_.prepare(
                   "UPDATE away_periods SET cancelled_at = ? WHERE person_id = ? AND "
                   "to_on >= ? AND cancelled_at IS NULL")
                .bind(now, person_id, today)
                .exec();
    });
    return n;
}

bool AwayRepo::cancel(int64_t id, TimePoint now) {
    return db_.prepare(
                  "UPDATE away_periods SET cancelled_at = ? WHERE id = ? AND "
                  "cancelled_at IS NULL")
               .bind(now, id)
               .exec() > 0;
}

void AwayRepo::end_on(int64_t id, const std::string& to_on) {
    db_.prepare(
           "UPDATE away_periods SET to_on = ? WHERE id = ? AND from_on <= ? AND "
           "cancelled_at IS NULL")
        .bind(to_on, id, to_on)
        .exec();
}

std::optional<AwayPeriod> AwayRepo::covering(const std::string& person_id, const std::string& day) {
    auto q = db_.prepare(
        "SELECT id, person_id, from_on, to_on, created_at, source, status FROM away_periods "
        "WHERE person_id = ? AND to_on >= ? AND from_on <= ? AND "
        "cancelled_at IS NULL ORDER BY from_on LIMIT 1");
    if (!q.bind(person_id, day, day).step()) return std::nullopt;
    return read_away(q);
}

std::optional<AwayPeriod> AwayRepo::status_absence(const std::string& person_id,
                                                   const std::string& today) {
    auto q = db_.prepare(
        "SELECT id, person_id, from_on, to_on, created_at, source, status FROM away_periods "
        "WHERE person_id = ? AND to_on >= ? AND source = 'slack_status' AND "
        "cancelled_at IS NULL ORDER BY from_on DESC, id DESC LIMIT 1");
    if (!q.bind(person_id, today).step()) return std::nullopt;
    return read_away(q);
}

void AwayRepo::set_status_until(int64_t id, const std::string& to_on, const std::string& status) {
    db_.prepare(
           "UPDATE away_periods SET to_on = ?, status = ? WHERE id = ? AND from_on <= ? AND "
           "source = 'slack_status' AND cancelled_at IS NULL")
        .bind(to_on, status, id, to_on)
        .exec();
}

}  // namespace careerbot::storage
