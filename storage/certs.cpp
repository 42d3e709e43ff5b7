#include "storage/certs.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {

Cert CertRepo::add(const std::string& person_id, const std::string& name,
                   const std::string& earned_on, const std::string& link, TimePoint now) {
    Cert c{0, person_id, 0, name, earned_on, link, to_unix(now)};
    db_.write([&] {
        auto q = db_.prepare(
            "INSERT INTO certs (person_id, number, name, earned_on, link, "
            "created_at) VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM "
            "certs WHERE person_id = ?), ?, ?, ?, ?) RETURNING id, number");
        q.bind(person_id, person_id, name, earned_on, link, c.created_at).step();
        q.read(c.id, c.number);
    });
    return c;
}

std::vector<Cert> CertRepo::list(const std::string& person_id) {
    auto q = db_.prepare(
        "SELECT id, person_id, number, name, earned_on, link, created_at FROM "
        "certs WHERE person_id = ? ORDER BY earned_on DESC, number DESC");
    q.bind(person_id);
    std::vector<Cert> out;
    while (q.step()) {
        auto& c = out.emplace_back();
        q.read(c.id, c.person_id, c.number, c.name, c.earned_on, c.link, c.created_at);
    }
    return out;
}

bool CertRepo::remove(const std::string& person_id, int number) {
    return db_.prepare("DELETE FROM certs WHERE person_id = ? AND number = ?")
               .bind(person_id, number)
               .exec() > 0;
}

std::optional<std::string> CertRepo::level_of(const std::string& person_id) {
    auto q = db_.prepare("SELECT level FROM people WHERE id = ?");
    if (!q.bind(person_id).step()) return std::nullopt;
    return q.get<std::optional<std::string>>(0);
}

void CertRepo::set_level(const std::string& person_id, const std::optional<std::string>& level,
                         TimePoint now) {
    db_.prepare("UPDATE people SET level = ?, updated_at = ? WHERE id = ?")
        .bind(level, now, person_id)
        .exec();
}

}  // namespace careerbot::storage
