#include "storage/certs.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {

Cert CertRepo::add(const std::string& person_id, const std::string& name,
                   const std::string& earned_on, const std::string& link, TimePoint now) {
    Cert c{0, person_id, 0, name, earned_on, link, to_unix(now)};
    db_.write([&] {
        SQLite::Statement q(db_.sql(),
                            "INSERT INTO certs (person_id, number, name, earned_on, link, "
                            "created_at) VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM "
                            "certs WHERE person_id = ?), ?, ?, ?, ?) RETURNING id, number");
        q.bind(1, person_id);
        q.bind(2, person_id);
        q.bind(3, name);
        q.bind(4, earned_on);
        q.bind(5, link);
        q.bind(6, c.created_at);
        q.executeStep();
        c.id = q.getColumn(0).getInt64();
        c.number = q.getColumn(1).getInt();
    });
    return c;
}

std::vector<Cert> CertRepo::list(const std::string& person_id) {
    SQLite::Statement q(db_.sql(),
                        "SELECT id, person_id, number, name, earned_on, link, created_at FROM "
                        "certs WHERE person_id = ? ORDER BY earned_on DESC, number DESC");
    q.bind(1, person_id);
    std::vector<Cert> out;
    while (q.executeStep()) {
        out.push_back(Cert{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                           q.getColumn(2).getInt(), q.getColumn(3).getString(),
                           q.getColumn(4).getString(), q.getColumn(5).getString(),
                           q.getColumn(6).getInt64()});
    }
    return out;
}

bool CertRepo::remove(const std::string& person_id, int number) {
    SQLite::Statement q(db_.sql(), "DELETE FROM certs WHERE person_id = ? AND number = ?");
    q.bind(1, person_id);
    q.bind(2, number);
    return q.exec() > 0;
}

std::optional<std::string> CertRepo::level_of(const std::string& person_id) {
    SQLite::Statement q(db_.sql(), "SELECT level FROM people WHERE id = ?");
    q.bind(1, person_id);
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getString();
}

void CertRepo::set_level(const std::string& person_id, const std::optional<std::string>& level,
                         TimePoint now) {
    SQLite::Statement q(db_.sql(), "UPDATE people SET level = ?, updated_at = ? WHERE id = ?");
    if (level) {
        q.bind(1, *level);
    } else {
        q.bind(1);
    }
    q.bind(2, to_unix(now));
    q.bind(3, person_id);
    q.exec();
}

}  // namespace careerbot::storage
