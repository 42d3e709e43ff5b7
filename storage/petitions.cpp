#include "storage/petitions.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, person_id, from_level, target_level, director_id, status, packet, created_at, "
    "updated_at, closed_by";

Petition read_petition(SQLite::Statement& q) {
    Petition p;
    p.id = q.getColumn(0).getInt64();
    p.person_id = q.getColumn(1).getString();
    if (!q.getColumn(2).isNull()) p.from_level = q.getColumn(2).getString();
    p.target_level = q.getColumn(3).getString();
    p.director_id = q.getColumn(4).getString();
    p.status = q.getColumn(5).getString();
    p.packet = q.getColumn(6).getString();
    p.created_at = q.getColumn(7).getInt64();
    p.updated_at = q.getColumn(8).getInt64();
    p.closed_by = q.getColumn(9).getString();  // NULL reads as ""
    return p;
}

}  // namespace

Petition PetitionRepo::create(const std::string& person_id,
                              const std::optional<std::string>& from_level,
                              const std::string& target_level, const std::string& director_id,
                              const std::string& packet, TimePoint now) {
    Petition p{0,      person_id, from_level,   target_level, director_id,
               "open", packet,    to_unix(now), to_unix(now), ""};
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO petitions (person_id, from_level, target_level, director_id, "
                        "status, packet, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, "
                        "?, ?) RETURNING id");
    q.bind(1, person_id);
    if (from_level) {
        q.bind(2, *from_level);
    } else {
        q.bind(2);
    }
    q.bind(3, target_level);
    q.bind(4, director_id);
    q.bind(5, packet);
    q.bind(6, p.created_at);
    q.bind(7, p.updated_at);
    q.executeStep();
    p.id = q.getColumn(0).getInt64();
    return p;
}

std::optional<Petition> PetitionRepo::open_for(const std::string& person_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM petitions WHERE person_id = ? AND status = 'open'");
    q.bind(1, person_id);
    if (!q.executeStep()) return std::nullopt;
    return read_petition(q);
}

std::vector<Petition> PetitionRepo::list_for(const std::string& person_id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM petitions WHERE person_id = ? ORDER BY created_at "
                                       "DESC, id DESC");
    q.bind(1, person_id);
    std::vector<Petition> out;
    while (q.executeStep()) out.push_back(read_petition(q));
    return out;
}

bool PetitionRepo::close(int64_t id, const std::string& status, const std::string& closed_by,
                         TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE petitions SET status = ?, closed_by = ?, updated_at = ? "
                        "WHERE id = ? AND status = 'open'");
    q.bind(1, status);
    q.bind(2, closed_by);
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

}  // namespace careerbot::storage
