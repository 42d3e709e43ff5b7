#include "storage/petitions.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, person_id, from_level, target_level, director_id, status, packet, created_at, "
    "updated_at, closed_by, statement, outcome_note";

Petition read_petition(const Database::Statement& q) {
    Petition p;
    // A NULL closed_by reads as "".
    q.read(p.id, p.person_id, p.from_level, p.target_level, p.director_id, p.status, p.packet,
           p.created_at, p.updated_at, p.closed_by, p.statement, p.outcome_note);
    return p;
}

}  // namespace

Petition PetitionRepo::create(const std::string& person_id,
                              const std::optional<std::string>& from_level,
                              const std::string& target_level, const std::string& director_id,
                              const std::string& packet, TimePoint now,
                              const std::string& statement) {
    Petition p{0,      person_id,    from_level,   target_level, director_id, "open",
               packet, to_unix(now), to_unix(now), "",           statement,   ""};
    auto q = db_.prepare(
        "INSERT INTO petitions (person_id, from_level, target_level, director_id, "
        "status, packet, created_at, updated_at, statement) VALUES (?, ?, ?, ?, 'open', ?, "
        "?, ?, ?) RETURNING id");
    q.bind(person_id, from_level, target_level, director_id, packet, p.created_at, p.updated_at,
           statement)
        .step();
    q.read(p.id);
    return p;
}

std::optional<Petition> PetitionRepo::open_for(const std::string& person_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM petitions WHERE person_id = ? AND status = 'open'");
    if (!q.bind(person_id).step()) return std::nullopt;
    return read_petition(q);
}

std::vector<Petition> PetitionRepo::list_for(const std::string& person_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM petitions WHERE person_id = ? ORDER BY created_at "
                         "DESC, id DESC");
    q.bind(person_id);
    std::vector<Petition> out;
    while (q.step()) out.push_back(read_petition(q));
    return out;
}

bool PetitionRepo::close(int64_t id, const std::string& status, const std::string& closed_by,
                         TimePoint now, const std::string& note) {
    return db_.prepare(
                  "UPDATE petitions SET status = ?, closed_by = ?, updated_at = ?, "
                  "outcome_note = ? WHERE id = ? AND status = 'open'")
               .bind(status, closed_by, now, note, id)
               .exec() > 0;
}

}  // namespace careerbot::storage
