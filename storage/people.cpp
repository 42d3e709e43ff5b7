#include "storage/people.hpp"

#include <SQLiteCpp/Statement.h>

#include "src/core/error.hpp"

namespace careerbot::storage {
namespace {

Person read_person(SQLite::Statement& q) {
    Person p;
    p.id = q.getColumn(0).getString();
    p.name = q.getColumn(1).getString();
    p.real_name = q.getColumn(2).getString();
    p.tz = q.getColumn(3).isNull() ? "" : q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) p.manager_id = q.getColumn(4).getString();
    return p;
}

constexpr const char* kColumns = "id, name, real_name, tz, manager_id";

}  // namespace

std::optional<Person> PeopleRepo::find(const std::string& id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns + " FROM people WHERE id = ?");
    q->bind(1, id);
    if (!q->executeStep()) return std::nullopt;
    return read_person(*q);
}

std::optional<Person> PeopleRepo::find_by_name(const std::string& name) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM people WHERE name = ? COLLATE NOCASE LIMIT 2");
    q.bind(1, name);
    if (!q.executeStep()) return std::nullopt;
    Person p = read_person(q);
    if (q.executeStep()) return std::nullopt;  // ambiguous handle
    return p;
}

void PeopleRepo::ensure(const std::string& id, const std::string& name, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO people (id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO NOTHING");
    q->bind(1, id);
    q->bind(2, name);
    q->bind(3, to_unix(now));
    q->bind(4, to_unix(now));
    q->exec();
}

void PeopleRepo::ensure_named(const std::string& id, const std::string& name, TimePoint now) {
    // A name equal to the id is the placeholder for "not told yet"; a real name is kept.
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO people (id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
                        "updated_at = excluded.updated_at WHERE people.name = people.id");
    q.bind(1, id);
    q.bind(2, name);
    q.bind(3, to_unix(now));
    q.bind(4, to_unix(now));
    q.exec();
}

void PeopleRepo::upsert_profile(const Person& p, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO people (id, name, real_name, tz, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                        "name = excluded.name, real_name = excluded.real_name, tz = excluded.tz, "
                        "updated_at = excluded.updated_at");
    q.bind(1, p.id);
    q.bind(2, p.name);
    q.bind(3, p.real_name);
    if (p.tz.empty())
        q.bind(4);
    else
        q.bind(4, p.tz);
    q.bind(5, to_unix(now));
    q.bind(6, to_unix(now));
    q.exec();
}

void PeopleRepo::set_manager(const std::string& id, const std::optional<std::string>& manager_id,
                             TimePoint now) {
    if (manager_id) {
        if (*manager_id == id) throw UserError("Nobody can be their own manager.");
        if (manages(id, *manager_id)) {
            throw UserError(
                "That would make a loop in the org chart: " + display_name(*manager_id) +
                " already reports (directly or not) to " + display_name(id) + ".");
        }
    }
    SQLite::Statement q(db_.sql(), "UPDATE people SET manager_id = ?, updated_at = ? WHERE id = ?");
    if (manager_id)
        q.bind(1, *manager_id);
    else
        q.bind(1);
    q.bind(2, to_unix(now));
    q.bind(3, id);
    q.exec();
}

std::vector<std::string> PeopleRepo::manager_chain(const std::string& id) {
    // Recursive walk up the tree; the depth cap guards against a cycle written by hand.
    SQLite::Statement q(db_.sql(),
                        "WITH RECURSIVE up(id, depth) AS ("
                        "  SELECT manager_id, 1 FROM people WHERE id = ? AND manager_id IS NOT NULL"
                        "  UNION ALL"
                        "  SELECT p.manager_id, up.depth + 1 FROM people p JOIN up ON p.id = up.id"
                        "  WHERE p.manager_id IS NOT NULL AND up.depth < 64"
                        ") SELECT id FROM up ORDER BY depth");
    q.bind(1, id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

bool PeopleRepo::manages(const std::string& manager, const std::string& id) {
    for (const auto& m : manager_chain(id)) {
        if (m == manager) return true;
    }
    return false;
}

std::vector<Person> PeopleRepo::direct_reports(const std::string& id) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM people WHERE manager_id = ? ORDER BY name, id");
    q.bind(1, id);
    std::vector<Person> out;
    while (q.executeStep()) out.push_back(read_person(q));
    return out;
}

std::vector<std::string> PeopleRepo::subtree(const std::string& id) {
    SQLite::Statement q(
        db_.sql(),
        "WITH RECURSIVE down(id, depth) AS ("
        "  SELECT id, 1 FROM people WHERE manager_id = ?"
        "  UNION ALL"
        "  SELECT p.id, down.depth + 1 FROM people p JOIN down ON p.manager_id = down.id"
        "  WHERE down.depth < 64"
        ") SELECT DISTINCT id FROM down");
    q.bind(1, id);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::optional<std::string> PeopleRepo::role(const std::string& id) {
    SQLite::Statement q(db_.sql(), "SELECT role FROM people WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getString();
}

void PeopleRepo::set_role(const std::string& id, const std::optional<std::string>& role,
                          TimePoint now) {
    SQLite::Statement q(db_.sql(), "UPDATE people SET role = ?, updated_at = ? WHERE id = ?");
    if (role)
        q.bind(1, *role);
    else
        q.bind(1);
    q.bind(2, to_unix(now));
    q.bind(3, id);
    q.exec();
}

std::string PeopleRepo::display_name(const std::string& id) {
    SQLite::Statement q(db_.sql(), "SELECT name FROM people WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? q.getColumn(0).getString() : id;
}

void PeopleRepo::set_dm_channel(const std::string& id, const std::string& channel) {
    auto st = db_.prepare(
        "UPDATE people SET dm_channel = ? WHERE id = ? AND "
        "dm_channel IS NOT ?");
    st->bind(1, channel);
    st->bind(2, id);
    st->bind(3, channel);
    st->exec();
}

std::map<std::string, std::string> PeopleRepo::dm_channels() {
    auto st = db_.prepare("SELECT id, dm_channel FROM people WHERE dm_channel IS NOT NULL");
    std::map<std::string, std::string> out;
    while (st->executeStep()) out[st->getColumn(0).getString()] = st->getColumn(1).getString();
    return out;
}

}  // namespace careerbot::storage
