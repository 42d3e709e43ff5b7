#include "src/core/org_import.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <set>

#include <date/tz.h>

#include "src/core/csv.hpp"
#include "src/core/error.hpp"
#include "src/core/org_authority.hpp"
#include "src/core/text.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"

namespace careerbot {
namespace {

struct OrgRow {
    std::size_t line = 0;
    std::string id, name, manager, real_name, tz, role;
    bool has_real_name = false, has_tz = false, has_role = false;
};

/// Why `name` cannot be typed as `@name`, or nothing when it can. Mirrors how the console
/// reads a handle (handle_char in src/console/console.cpp): letters, digits, `_`, `-`, `.`
/// and any non-ASCII character, not ending in `.`, and not one of Slack's broadcast names.
std::optional<std::string> handle_problem(const std::string& name) {
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80) continue;
        if (c == ' ' || c == '\t') return "it contains a space";
        if (c < 0x20 || c == 0x7f) return "it contains a control character";
        return "it contains '" + std::string(1, static_cast<char>(c)) + "'";
    }
    if (name.ends_with('.')) return "a handle cannot end with '.'";
    auto l = text::lower(name);
    if (l == "channel" || l == "here" || l == "everyone")
        return "@" + l + " means everyone in Slack";
    return std::nullopt;
}

bool valid_zone(const std::string& tz) {
    try {
        (void)date::locate_zone(tz);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

OrgImportResult import_org_csv(Services& services, const std::string& csv_text,
                               const std::string& actor) {
    std::vector<std::string> errors;
    if (!text::valid_utf8(csv_text)) throw UserError("the file is not valid UTF-8 text");
    auto rows = csv::parse(csv_text);
    if (rows.empty())
        throw UserError("the file is empty; expected a header row: user_id,name,manager_id");

    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < rows[0].fields.size(); ++i)
        col[text::lower(text::trim(rows[0].fields[i]))] = i;
    for (const char* required : {"user_id", "name", "manager_id"}) {
        if (!col.contains(required))
            errors.push_back("line " + std::to_string(rows[0].line) + ": missing column '" +
                             required + "'");
    }
    static const std::set<std::string> known{"user_id",   "name", "manager_id",
                                             "real_name", "tz",   "role"};
    for (const auto& [name, index] : col) {
        if (!known.contains(name))
            errors.push_back("line " + std::to_string(rows[0].line) + ": unknown column '" + name +
                             "'");
    }
    if (!errors.empty()) {
        std::string msg = "nothing was imported:";
        for (const auto& e : errors) msg += "\n  " + e;
        throw UserError(msg);
    }

    std::vector<OrgRow> org;
    std::map<std::string, std::size_t> first_line;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& f = rows[r].fields;
        auto line = std::to_string(rows[r].line);
        if (f.size() != rows[0].fields.size()) {
            errors.push_back("line " + line + ": " + std::to_string(f.size()) +
                             " fields, expected " + std::to_string(rows[0].fields.size()));
            continue;
        }
        auto get = [&](const char* c) {
            return col.contains(c) ? text::trim(f[col[c]]) : std::string();
        };
        OrgRow o;
        o.line = rows[r].line;
        o.id = get("user_id");
        o.name = get("name");
        o.manager = get("manager_id");
        o.real_name = get("real_name");
        o.tz = get("tz");
        o.role = text::lower(get("role"));
        o.has_real_name = col.contains("real_name");
        o.has_tz = col.contains("tz");
        o.has_role = col.contains("role");
        if (o.id.empty()) errors.push_back("line " + line + ": user_id is empty");
        if (o.name.empty()) errors.push_back("line " + line + ": name is empty");
        if (auto why = o.name.empty() ? std::nullopt : handle_problem(o.name)) {
            errors.push_back("line " + line + ": name '" + o.name + "' cannot be typed as @" +
                             "handle (" + *why + "); use letters, digits, '_', '-' or '.' " +
                             "(the real_name column takes the full name)");
        }
        if (!o.id.empty() && o.id == o.manager)
            errors.push_back("line " + line + ": " + o.id + " cannot be their own manager");
        if (!o.tz.empty() && !valid_zone(o.tz))
            errors.push_back("line " + line + ": unknown time zone '" + o.tz + "'");
        if (!o.role.empty() && o.role != "manager" && o.role != "director")
            errors.push_back("line " + line + ": role must be manager, director or empty, not '" +
                             o.role + "'");
        if (!o.id.empty()) {
            if (auto [it, fresh] = first_line.emplace(o.id, o.line); !fresh) {
                errors.push_back("line " + line + ": duplicate user_id " + o.id +
                                 " (first on line " + std::to_string(it->second) + ")");
                continue;
            }
        }
        org.push_back(std::move(o));
    }

    // The manager tree after the import: what is stored, overridden by the file.
    storage::PeopleRepo people(services.db);
    std::map<std::string, std::string> manager_of = people.managers();
    for (const auto& o : org) manager_of[o.id] = o.manager;

    // Handles after the import, compared as `@handle` lookups compare them: a name is matched
    // case-insensitively, an id exactly. Two people answering to one handle would let
    // `/team add @bob` or `/brag list @bob` pick either of them.
    std::map<std::string, std::string> name_of = people.names();
    for (const auto& o : org) name_of[o.id] = o.name;
    std::map<std::string, std::vector<std::string>> ids_named;  // lower-case name -> ids
    for (const auto& [id, name] : name_of) ids_named[text::lower(name)].push_back(id);
    auto where = [&](const std::string& id) {
        return first_line.contains(id) ? "on line " + std::to_string(first_line[id])
                                       : "already in careerbot";
    };
    for (const auto& o : org) {
        if (o.name.empty()) continue;
        std::string line = "line " + std::to_string(o.line) + ": ";
        std::optional<std::string> clash;
        for (const auto& other : ids_named[text::lower(o.name)]) {
            // Two rows of the file are reported once, on the later one.
            if (other != o.id && !(first_line.contains(other) && first_line[other] > o.line)) {
                clash = other;
                break;
            }
        }
        if (clash) {
            errors.push_back(line + "name '" + o.name + "' is also the name of " + *clash + " (" +
                             where(*clash) + "); handles must differ in more than letter case");
        } else if (o.name != o.id && name_of.contains(o.name)) {
            errors.push_back(line + "name '" + o.name + "' is the user_id of another person (" +
                             where(o.name) + "), so @" + o.name + " would mean them");
        }
    }
    for (const auto& o : org) {
        if (!o.manager.empty() && !manager_of.contains(o.manager))
            errors.push_back("line " + std::to_string(o.line) + ": manager " + o.manager +
                             " is neither in the file nor known to careerbot");
    }
    std::set<std::string> reported;
    for (const auto& o : org) {
        std::set<std::string> seen{o.id};
        std::string cur = manager_of[o.id];
        while (!cur.empty() && manager_of.contains(cur)) {
            if (cur == o.id) {
                if (!reported.contains(o.id)) {
                    std::string cycle;
                    for (const auto& id : seen) {
                        reported.insert(id);
                        if (first_line.contains(id))
                            cycle += " " + id + " (line " + std::to_string(first_line[id]) + ")";
                    }
                    errors.push_back("line " + std::to_string(o.line) +
                                     ": the managers form a loop:" + cycle);
                }
                break;
            }
            if (!seen.insert(cur).second) break;  // a loop further up, reported from its own rows
            cur = manager_of[cur];
        }
    }
    if (!errors.empty()) {
        std::string msg = "nothing was imported (" + std::to_string(errors.size()) + " problem" +
                          (errors.size() == 1 ? "" : "s") + "):";
        for (const auto& e : errors) msg += "\n  " + e;
        throw UserError(msg);
    }

    OrgImportResult result;
    auto now = services.clock.now();
    std::set<std::string> added, changed;
    services.db.write([&] {
        // People first, then managers, so a report may come before their manager in the file.
        for (const auto& o : org) {
            auto before = people.find(o.id);
            storage::Person p = before.value_or(storage::Person{o.id, o.name, "", "", {}});
            p.name = o.name;
            if (o.has_real_name) p.real_name = o.real_name;
            if (o.has_tz) p.tz = o.tz;
            if (!before) added.insert(o.id);
            if (!before || before->name != p.name || before->real_name != p.real_name ||
                before->tz != p.tz) {
                people.upsert_profile(p, now);
                changed.insert(o.id);
            }
        }
        // Managers are written row by row (a swap passes through a loop the whole file does
        // not have) and their consequences recorded once the whole tree is in place.
        std::vector<std::pair<std::string, std::optional<std::string>>> moved;
        for (const auto& o : org) {
            std::optional<std::string> manager;
            if (!o.manager.empty()) manager = o.manager;
            if (auto before = people.find(o.id)->manager_id; before != manager) {
                moved.emplace_back(o.id, before);
                people.write_manager(o.id, manager, now);
                changed.insert(o.id);
            }
            if (o.has_role) {
                auto before = people.role(o.id);
                std::optional<std::string> role;
                if (!o.role.empty()) role = o.role;
                if (people.replace_role(o.id, role)) {
                    changed.insert(o.id);
                    storage::AuditRepo(services.db)
                        .record({0, 0, actor, "org_import", o.id, "org",
                                 "role: " + before.value_or("none") + " -> " +
                                     (o.role.empty() ? std::string("none") : o.role)},
                                now);
                }
            }
        }
        for (const auto& [id, before] : moved) {
            for (auto& dm :
                 org::record_manager_change(services, {actor, "org_import", {}, {}}, id, before))
                result.notices.push_back(std::move(dm));
        }
    });
    result.added = static_cast<int>(added.size());
    for (const auto& id : added) changed.erase(id);
    result.updated = static_cast<int>(changed.size());
    result.unchanged = static_cast<int>(org.size()) - result.added - result.updated;
    return result;
}

}  // namespace careerbot
