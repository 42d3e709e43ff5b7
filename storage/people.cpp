#include "storage/people.hpp"

#include "src/core/error.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns = "id, name, real_name, tz, manager_id";

Person read_person(const Database::Statement& q) {
    Person p;
    std::optional<std::string> tz;
    q.read(p.id, p.name, p.real_name, tz, p.manager_id);
    p.tz = tz.value_or("");
    return p;
}

}  // namespace

std::unordered_map<std::string, Person>* PeopleRepo::memo() {
    return db_.transaction_memo<std::unordered_map<std::string, Person>>();
}

void PeopleRepo::forget() {
    if (auto* m = memo()) m->clear();
}

std::optional<Person> PeopleRepo::find(const std::string& id) {
    auto* m = memo();
    if (m != nullptr)
        if (auto it = m->find(id); it != m->end()) return it->second;
    auto q = db_.prepare(std::string("SELECT ") + kColumns + " FROM people WHERE id = ?");
    if (!q.bind(id).step()) return std::nullopt;
    Person p = read_person(q);
    if (m != nullptr) m->emplace(id, p);
    return p;
}

std::optional<Person> PeopleRepo::find_by_name(const std::string& name) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM people WHERE lower(name) = lower(?) LIMIT 2");
    if (!q.bind(name).step()) return std::nullopt;
    Person p = read_person(q);
    if (q.step()) return std::nullopt;  // ambiguous handle
    return p;
}

void PeopleRepo::ensure(const std::string& id, const std::string& name, TimePoint now) {
    // Inside a write, read first: nearly everyone is known, the read is remembered for the
    // rest of the transaction (the time zone most requests ask for next costs nothing), and an
    // INSERT that changes nothing is not counted as a change (App tells a failed read from a
    // failed write by that count).
    if (memo() != nullptr && find(id)) return;
    db_.prepare(
           "INSERT INTO people (id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT(id) DO NOTHING")
        .bind(id, name, now, now)
        .exec();
}

void PeopleRepo::ensure_named(const std::string& id, const std::string& name, TimePoint now) {
    forget();
    // A name equal to the id is the placeholder for "not told yet"; a real name is kept.
    db_.prepare(
           "INSERT INTO people (id, name, created_at, updated_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
           "updated_at = excluded.updated_at WHERE people.name = people.id")
        .bind(id, name, now, now)
        .exec();
}

void PeopleRepo::upsert_profile(const Person& p, TimePoint now) {
    forget();
    std::optional<std::string> tz;
    if (!p.tz.empty()) tz = p.tz;
    db_.prepare(
           "INSERT INTO people (id, name, real_name, tz, created_at, updated_at, "
           "profile_checked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
           "name = excluded.name, real_name = excluded.real_name, tz = excluded.tz, "
           "updated_at = excluded.updated_at, profile_checked_at = excluded.profile_checked_at")
        .bind(p.id, p.name, p.real_name, tz, now, now, now)
        .exec();
}

std::vector<std::string> PeopleRepo::stale_profiles(TimePoint before, int limit) {
    auto q = db_.prepare(
        "SELECT id FROM people WHERE (profile_checked_at IS NULL OR profile_checked_at < ?) "
        "ORDER BY coalesce(profile_checked_at, 0), id LIMIT ?");
    q.bind(before, limit);
    std::vector<std::string> out;
    while (q.step()) {
        std::string id;
        q.read(id);
        out.push_back(std::move(id));
    }
    return out;
}

void PeopleRepo::mark_profile_checked(const std::string& id, TimePoint now) {
    db_.prepare("UPDATE people SET profile_checked_at = ? WHERE id = ?").bind(now, id).exec();
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
    write_manager(id, manager_id, now);
}

std::vector<std::string> PeopleRepo::manager_chain(const std::string& id) {
    // Recursive walk up the tree; the depth cap guards against a cycle written by hand.
    auto q = db_.prepare(
        "WITH RECURSIVE up(id, depth) AS ("
        "  SELECT manager_id, 1 FROM people WHERE id = ? AND manager_id IS NOT NULL"
        "  UNION ALL"
        "  SELECT p.manager_id, up.depth + 1 FROM people p JOIN up ON p.id = up.id"
        "  WHERE p.manager_id IS NOT NULL AND up.depth < 64"
        ") SELECT id FROM up ORDER BY depth");
    q.bind(id);
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.get<std::string>(0));
    return out;
}

bool PeopleRepo::manages(const std::string& manager, const std::string& id) {
    for (const auto& m : manager_chain(id)) {
        if (m == manager) return true;
    }
    return false;
}

std::vector<Person> PeopleRepo::direct_reports(const std::string& id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM people WHERE manager_id = ? ORDER BY name, id");
    q.bind(id);
    std::vector<Person> out;
    while (q.step()) out.push_back(read_person(q));
    return out;
}

std::vector<std::string> PeopleRepo::subtree(const std::string& id) {
    auto q = db_.prepare(
        "WITH RECURSIVE down(id, depth) AS ("
        "  SELECT id, 1 FROM people WHERE manager_id = ?"
        "  UNION ALL"
        "  SELECT p.id, down.depth + 1 FROM people p JOIN down ON p.manager_id = down.id"
        "  WHERE down.depth < 64"
        ") SELECT DISTINCT id FROM down");
    q.bind(id);
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.get<std::string>(0));
    return out;
}

std::optional<std::string> PeopleRepo::role(const std::string& id) {
    auto q = db_.prepare("SELECT role FROM people WHERE id = ?");
    if (!q.bind(id).step()) return std::nullopt;
    return q.get<std::optional<std::string>>(0);
}

void PeopleRepo::set_role(const std::string& id, const std::optional<std::string>& role,
                          TimePoint now) {
    db_.prepare("UPDATE people SET role = ?, updated_at = ? WHERE id = ?")
        .bind(role, now, id)
        .exec();
}

std::string PeopleRepo::display_name(const std::string& id) {
    auto q = db_.prepare("SELECT name FROM people WHERE id = ?");
    return q.bind(id).step() ? q.get<std::string>(0) : id;
}

void PeopleRepo::set_dm_channel(const std::string& id, const std::string& channel) {
    db_.prepare(
           "UPDATE people SET dm_channel = ? WHERE id = ? AND "
           "dm_channel IS DISTINCT FROM ?")
        .bind(channel, id, channel)
        .exec();
}

std::map<std::string, std::string> PeopleRepo::dm_channels() {
    auto q = db_.prepare("SELECT id, dm_channel FROM people WHERE dm_channel IS NOT NULL");
    std::map<std::string, std::string> out;
    while (q.step()) out[q.get<std::string>(0)] = q.get<std::string>(1);
    return out;
}

std::map<std::string, std::string> PeopleRepo::managers() {
    auto q = db_.prepare("SELECT id, COALESCE(manager_id, '') FROM people");
    std::map<std::string, std::string> out;
    while (q.step()) out[q.get<std::string>(0)] = q.get<std::string>(1);
    return out;
}

std::map<std::string, std::string> PeopleRepo::names() {
    auto q = db_.prepare("SELECT id, name FROM people");
    std::map<std::string, std::string> out;
    while (q.step()) out[q.get<std::string>(0)] = q.get<std::string>(1);
    return out;
}

void PeopleRepo::write_manager(const std::string& id, const std::optional<std::string>& manager_id,
                               TimePoint now) {
    forget();
    db_.prepare("UPDATE people SET manager_id = ?, updated_at = ? WHERE id = ?")
        .bind(manager_id, now, id)
        .exec();
}

bool PeopleRepo::replace_role(const std::string& id, const std::optional<std::string>& role) {
    return db_.prepare("UPDATE people SET role = ? WHERE id = ? AND role IS DISTINCT FROM ?")
               .bind(role, id, role)
               .exec() > 0;
}

}  // namespace careerbot::storage
