#include "storage/internships.hpp"

#include "src/core/dates.hpp"

namespace careerbot::storage {
namespace {

void read_internship(const Database::Statement& q, Internship& i) {
    // A NULL closed_by reads as "".
    q.read(i.id, i.person_id, i.manager_id, i.host_manager_id, i.share_percent, i.starts_on,
           i.ends_on, i.goals, i.status, i.manager_ok_at, i.host_ok_at, i.closed_by, i.created_at,
           i.updated_at);
}

std::vector<Internship> read_all(Database::Statement& q) {
    std::vector<Internship> out;
    while (q.step()) read_internship(q, out.emplace_back());
    return out;
}

}  // namespace

Internship InternshipRepo::create(const Internship& proposal, TimePoint now) {
    Internship i = proposal;
    i.status = "proposed";
    i.manager_ok_at.reset();
    i.host_ok_at.reset();
    i.closed_by.clear();
    i.created_at = i.updated_at = to_unix(now);
    auto q = db_.prepare(
        "INSERT INTO internships (person_id, manager_id, host_manager_id, share_percent, "
        "starts_on, ends_on, goals, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?) RETURNING id");
    q.bind(i.person_id, i.manager_id, i.host_manager_id, i.share_percent, i.starts_on, i.ends_on,
           i.goals, i.created_at, i.updated_at)
        .step();
    q.read(i.id);
    return i;
}

std::optional<Internship> InternshipRepo::find(int64_t id) {
    auto q = db_.prepare(
        "SELECT id, person_id, manager_id, host_manager_id, share_percent, starts_on, ends_on, "
        "goals, status, manager_ok_at, host_ok_at, closed_by, created_at, updated_at "
        "FROM internships WHERE id = ?");
    if (!q.bind(id).step()) return std::nullopt;
    Internship i;
    read_internship(q, i);
    return i;
}

std::optional<Internship> InternshipRepo::live_for(const std::string& person_id) {
    auto q = db_.prepare(
        "SELECT id, person_id, manager_id, host_manager_id, share_percent, starts_on, ends_on, "
        "goals, status, manager_ok_at, host_ok_at, closed_by, created_at, updated_at "
        "FROM internships WHERE person_id = ? AND status IN ('proposed', 'active')");
    if (!q.bind(person_id).step()) return std::nullopt;
    Internship i;
    read_internship(q, i);
    return i;
}

std::vector<Internship> InternshipRepo::list_for(const std::string& person_id) {
    auto q = db_.prepare(
        "SELECT id, person_id, manager_id, host_manager_id, share_percent, starts_on, ends_on, "
        "goals, status, manager_ok_at, host_ok_at, closed_by, created_at, updated_at "
        "FROM internships WHERE person_id = ? ORDER BY created_at DESC, id DESC");
    q.bind(person_id);
    return read_all(q);
}

std::vector<Internship> InternshipRepo::hosted_by(const std::string& host_manager_id,
                                                  const std::string& today) {
    auto q = db_.prepare(
        "SELECT id, person_id, manager_id, host_manager_id, share_percent, starts_on, ends_on, "
        "goals, status, manager_ok_at, host_ok_at, closed_by, created_at, updated_at "
        "FROM internships WHERE host_manager_id = ? AND status = 'active' AND ends_on >= ? "
        "ORDER BY ends_on, id");
    q.bind(host_manager_id, today);
    return read_all(q);
}

std::vector<Internship> InternshipRepo::waiting_for(const std::string& user) {
    auto q = db_.prepare(
        "SELECT id, person_id, manager_id, host_manager_id, share_percent, starts_on, ends_on, "
        "goals, status, manager_ok_at, host_ok_at, closed_by, created_at, updated_at "
        "FROM internships WHERE status = 'proposed' AND "
        "((manager_id = ? AND manager_ok_at IS NULL) OR "
        "(host_manager_id = ? AND host_ok_at IS NULL)) ORDER BY created_at, id");
    q.bind(user, user);
    return read_all(q);
}

std::optional<Internship> InternshipRepo::approve(int64_t id, bool as_host, TimePoint now) {
    std::optional<Internship> out;
    db_.write([&] {
        auto current = find(id);
        if (!current || current->status != "proposed") return;
        const int64_t t = to_unix(now);
        if (as_host) {
            db_.prepare(
                   "UPDATE internships SET host_ok_at = COALESCE(host_ok_at, ?), updated_at = ? "
                   "WHERE id = ?")
                .bind(t, t, id)
                .exec();
        } else {
            db_.prepare(
                   "UPDATE internships SET manager_ok_at = COALESCE(manager_ok_at, ?), "
                   "updated_at = ? WHERE id = ?")
                .bind(t, t, id)
                .exec();
        }
        db_.prepare(
               "UPDATE internships SET status = 'active' WHERE id = ? AND "
               "manager_ok_at IS NOT NULL AND host_ok_at IS NOT NULL")
            .bind(id)
            .exec();
        out = find(id);
    });
    return out;
}

bool InternshipRepo::close(int64_t id, const std::string& status, const std::string& by,
                           TimePoint now) {
    return db_.prepare(
                  "UPDATE internships SET status = ?, closed_by = ?, updated_at = ? "
                  "WHERE id = ? AND status IN ('proposed', 'active')")
               .bind(status, by, to_unix(now), id)
               .exec() > 0;
}

}  // namespace careerbot::storage
