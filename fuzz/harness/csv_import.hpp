#pragma once
// fuzz_csv_import: `careerbot import-org file.csv`. The CSV reader must refuse only with a
// UserError and must read back what it would write; the import must either refuse the whole
// file with a UserError or leave a consistent org chart, and importing the same file again
// must change nothing (org_import.hpp promises both).
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/harness/common.hpp"
#include "src/core/csv.hpp"
#include "src/core/error.hpp"
#include "src/core/org_import.hpp"
#include "storage/people.hpp"

namespace careerbot::fuzz {

namespace detail {

/// Writes rows as RFC 4180 CSV with every field quoted.
inline std::string write_csv(const std::vector<csv::Row>& rows) {
    std::string out;
    for (const auto& r : rows) {
        for (std::size_t i = 0; i < r.fields.size(); ++i) {
            if (i > 0) out += ',';
            out += '"';
            for (char c : r.fields[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
            out += '"';
        }
        out += '\n';
    }
    return out;
}

inline void check_csv(std::string_view in) {
    std::vector<csv::Row> rows;
    try {
        rows = csv::parse(in);
    } catch (const UserError&) {
        return;
    }
    std::size_t last_line = 0;
    for (const auto& r : rows) {
        require(r.line > last_line, "csv rows out of order (line " + std::to_string(r.line) + ")");
        last_line = r.line;
        require(!r.fields.empty(), "csv row without fields");
        require(!(r.fields.size() == 1 && r.fields[0].empty()), "csv kept a blank line");
    }
    // Blank lines are skipped, so what is read must read back the same once written.
    auto again = csv::parse(write_csv(rows));
    require(again.size() == rows.size(), "csv does not round-trip (row count)");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        require(again[i].fields == rows[i].fields,
                "csv does not round-trip (row " + std::to_string(i + 1) + ")");
    }
}

/// Every manager exists and no one is their own (indirect) manager.
inline void check_org_chart(storage::Database& db) {
    std::map<std::string, std::string> manager_of = storage::PeopleRepo(db).managers();
    for (const auto& [id, manager] : manager_of) {
        require(manager.empty() || manager_of.contains(manager),
                "after import, " + preview(id) + " has an unknown manager");
        std::set<std::string> seen{id};
        for (std::string cur = manager; !cur.empty(); cur = manager_of[cur]) {
            require(seen.insert(cur).second,
                    "after import, the managers of " + preview(id) + " form a loop");
        }
    }
}

}  // namespace detail

inline void check_csv_import(std::string_view in) {
    detail::check_csv(in);

    World& w = world();
    const std::string s(in);
    w.sandbox([&] {
        OrgImportResult first;
        try {
            first = import_org_csv(w.services, s);
        } catch (const UserError&) {
            return;
        }
        require(first.added >= 0 && first.updated >= 0 && first.unchanged >= 0,
                "import counts are negative");
        detail::check_org_chart(w.db);
        OrgImportResult second = import_org_csv(w.services, s);
        require(second.added == 0 && second.updated == 0,
                "importing the same file twice changed something (" + std::to_string(second.added) +
                    " added, " + std::to_string(second.updated) + " updated)");
        require(second.unchanged == first.added + first.updated + first.unchanged,
                "the second import saw a different number of people");
        // The chart as people see it, with whatever names the file brought.
        Reply r = w.run("admin", "/team", "list");
        check_reply(r, "/team list after import", true);
        (void)w.render(r);
    });
}

}  // namespace careerbot::fuzz
