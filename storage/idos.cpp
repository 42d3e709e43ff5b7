#include "storage/idos.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kIdoColumns =
    "id, person_id, quarter, objective, mentor_id, set_by, created_at, updated_at, achieved_at";

Ido read_ido(SQLite::Statement& q) {
    Ido i;
    i.id = q.getColumn(0).getInt64();
    i.person_id = q.getColumn(1).getString();
    i.quarter = q.getColumn(2).getString();
    i.objective = q.getColumn(3).getString();
    i.mentor_id = q.getColumn(4).getString();
    i.set_by = q.getColumn(5).getString();
    i.created_at = q.getColumn(6).getInt64();
    i.updated_at = q.getColumn(7).getInt64();
    if (!q.getColumn(8).isNull()) i.achieved_at = q.getColumn(8).getInt64();
    return i;
}

}  // namespace

std::optional<Ido> IdoRepo::for_quarter(const std::string& person_id, const std::string& quarter) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kIdoColumns +
                                       " FROM idos WHERE person_id = ? AND quarter = ?");
    q.bind(1, person_id);
    q.bind(2, quarter);
    if (!q.executeStep()) return std::nullopt;
    return read_ido(q);
}

Ido IdoRepo::create(const std::string& person_id, const std::string& quarter,
                    const std::string& objective, const std::string& mentor_id,
                    const std::string& set_by, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO idos (person_id, quarter, objective, mentor_id, set_by, "
                        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(1, person_id);
    q.bind(2, quarter);
    q.bind(3, objective);
    q.bind(4, mentor_id);
    q.bind(5, set_by);
    q.bind(6, to_unix(now));
    q.bind(7, to_unix(now));
    q.executeStep();
    Ido i;
    i.id = q.getColumn(0).getInt64();
    i.person_id = person_id;
    i.quarter = quarter;
    i.objective = objective;
    i.mentor_id = mentor_id;
    i.set_by = set_by;
    i.created_at = i.updated_at = to_unix(now);
    return i;
}

void IdoRepo::replace(int64_t ido_id, const std::string& objective, const std::string& mentor_id,
                      const std::string& set_by, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE idos SET objective = ?, mentor_id = ?, set_by = ?, updated_at = ?, "
                        "achieved_at = NULL WHERE id = ?");
    q.bind(1, objective);
    q.bind(2, mentor_id);
    q.bind(3, set_by);
    q.bind(4, to_unix(now));
    q.bind(5, ido_id);
    q.exec();
}

bool IdoRepo::mark_achieved(int64_t ido_id, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE idos SET achieved_at = ?, updated_at = ? "
                        "WHERE id = ? AND achieved_at IS NULL");
    q.bind(1, to_unix(now));
    q.bind(2, to_unix(now));
    q.bind(3, ido_id);
    return q.exec() > 0;
}

IdoProgress IdoRepo::add_progress(int64_t ido_id, const std::string& author_id,
                                  const std::string& note, std::optional<Growth> growth,
                                  const std::string& noted_on, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO ido_progress (ido_id, author_id, note, growth, noted_on, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(1, ido_id);
    q.bind(2, author_id);
    q.bind(3, note);
    if (growth)
        q.bind(4, growth_key(*growth));
    else
        q.bind(4);
    q.bind(5, noted_on);
    q.bind(6, to_unix(now));
    q.executeStep();
    IdoProgress p;
    p.id = q.getColumn(0).getInt64();
    p.ido_id = ido_id;
    p.author_id = author_id;
    p.note = note;
    p.growth = growth;
    p.noted_on = noted_on;
    p.created_at = to_unix(now);
    return p;
}

std::vector<IdoProgress> IdoRepo::progress(int64_t ido_id) {
    SQLite::Statement q(db_.sql(),
                        "SELECT id, ido_id, author_id, note, growth, noted_on, created_at "
                        "FROM ido_progress WHERE ido_id = ? ORDER BY created_at DESC, id DESC");
    q.bind(1, ido_id);
    std::vector<IdoProgress> out;
    while (q.executeStep()) {
        IdoProgress p;
        p.id = q.getColumn(0).getInt64();
        p.ido_id = q.getColumn(1).getInt64();
        p.author_id = q.getColumn(2).getString();
        p.note = q.getColumn(3).getString();
        if (!q.getColumn(4).isNull()) p.growth = growth_from_key(q.getColumn(4).getString());
        p.noted_on = q.getColumn(5).getString();
        p.created_at = q.getColumn(6).getInt64();
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace careerbot::storage
