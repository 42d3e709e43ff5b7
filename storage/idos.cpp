#include "storage/idos.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kIdoColumns =
    "id, person_id, quarter, objective, mentor_id, set_by, created_at, updated_at, achieved_at";

Ido read_ido(const Database::Statement& q) {
    Ido i;
    q.read(i.id, i.person_id, i.quarter, i.objective, i.mentor_id, i.set_by, i.created_at,
           i.updated_at, i.achieved_at);
    return i;
}

std::optional<std::string> growth_column(const std::optional<Growth>& g) {
    if (!g) return std::nullopt;
    return growth_key(*g);
}

}  // namespace

std::optional<Ido> IdoRepo::for_quarter(const std::string& person_id, const std::string& quarter) {
    auto q = db_.prepare(std::string("SELECT ") + kIdoColumns +
                         " FROM idos WHERE person_id = ? AND quarter = ?");
    if (!q.bind(person_id, quarter).step()) return std::nullopt;
    return read_ido(q);
}

Ido IdoRepo::create(const std::string& person_id, const std::string& quarter,
                    const std::string& objective, const std::string& mentor_id,
                    const std::string& set_by, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO idos (person_id, quarter, objective, mentor_id, set_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(person_id, quarter, objective, mentor_id, set_by, now, now).step();
    Ido i;
    q.read(i.id);
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
    db_.prepare(
           "UPDATE idos SET objective = ?, mentor_id = ?, set_by = ?, updated_at = ?, "
           "achieved_at = NULL WHERE id = ?")
        .bind(objective, mentor_id, set_by, now, ido_id)
        .exec();
}

bool IdoRepo::mark_achieved(int64_t ido_id, TimePoint now) {
    return db_.prepare(
                  "UPDATE idos SET achieved_at = ?, updated_at = ? "
                  "WHERE id = ? AND achieved_at IS NULL")
               .bind(now, now, ido_id)
               .exec() > 0;
}

IdoProgress IdoRepo::add_progress(int64_t ido_id, const std::string& author_id,
                                  const std::string& note, std::optional<Growth> growth,
                                  const std::string& noted_on, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO ido_progress (ido_id, author_id, note, growth, noted_on, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(ido_id, author_id, note, growth_column(growth), noted_on, now).step();
    IdoProgress p;
    q.read(p.id);
    p.ido_id = ido_id;
    p.author_id = author_id;
    p.note = note;
    p.growth = growth;
    p.noted_on = noted_on;
    p.created_at = to_unix(now);
    return p;
}

std::vector<IdoProgress> IdoRepo::progress(int64_t ido_id) {
    auto q = db_.prepare(
        "SELECT id, ido_id, author_id, note, growth, noted_on, created_at "
        "FROM ido_progress WHERE ido_id = ? ORDER BY created_at DESC, id DESC");
    q.bind(ido_id);
    std::vector<IdoProgress> out;
    while (q.step()) {
        IdoProgress p;
        std::optional<std::string> growth;
        q.read(p.id, p.ido_id, p.author_id, p.note, growth, p.noted_on, p.created_at);
        if (growth) p.growth = growth_from_key(*growth);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<AchievedIdo> IdoRepo::achieved(const std::string& person_id) {
    auto q = db_.prepare(
        "SELECT quarter, objective FROM idos WHERE person_id = ? "
        "AND achieved_at IS NOT NULL ORDER BY quarter DESC");
    q.bind(person_id);
    std::vector<AchievedIdo> out;
    while (q.step()) {
        auto& a = out.emplace_back();
        q.read(a.quarter, a.objective);
    }
    return out;
}

}  // namespace careerbot::storage
