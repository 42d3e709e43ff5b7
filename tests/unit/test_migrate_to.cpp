// `careerbot migrate-to`: a SQLite database copied into an empty PostgreSQL one (issue #15).
// The cases that need a server run when CAREERBOT_TEST_DATABASE_URL names one
// (tests/run-on-postgresql.sh, the "unit-postgresql" ctest entry).
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/migrate_to.hpp"

using namespace careerbot;
using careerbot::testing::query_value;
using careerbot::testing::TestApp;

namespace {

/// Every careerbot table of the SQLite database with its row count.
std::map<std::string, int64_t> sqlite_counts(storage::Database& db) {
    std::vector<std::string> tables;
    auto q = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'");
    while (q.step()) tables.push_back(q.get<std::string>(0));
    std::map<std::string, int64_t> counts;
    for (const auto& t : tables)
        counts[t] = query_value<int64_t>(db, "SELECT count(*) FROM \"" + t + "\"");
    return counts;
}

}  // namespace

TEST_CASE("migrate-to copies from SQLite into PostgreSQL only", "[postgresql]") {
    storage::Database lite(":memory:");
    lite.migrate(true);
    storage::Database other(":memory:");
    CHECK_THROWS_WITH(storage::migrate_to(lite, other), Catch::Contains("into PostgreSQL"));
}

TEST_CASE("migrate-to copies every table, and the bot carries on where SQLite stopped",
          "[postgresql][server]") {
    if (testing::test_database_url().empty()) {
        WARN("CAREERBOT_TEST_DATABASE_URL is not set: tests/run-on-postgresql.sh runs this");
        return;
    }
    TestApp source(testing::Exactly{":memory:"});
    source.person("bob", "alice");
    source.person("alice", "dana");  // a manager copied after her report (self reference)
    for (int i = 1; i <= 3; ++i)
        source.say("bob", "/brag", "shipped part " + std::to_string(i) + " #infra #70");
    source.say("bob", "/brag", "delete 3");  // soft-deleted: still a row, and its number used
    source.say("alice", "/brag", "paired with <@bob> impact: fewer pages #20");
    source.say("alice", "/feedback", "<@bob> great review of the billing PR");
    source.say("alice", "/task", "add write the design doc due 2026-12-01 for <@bob>");
    source.say("alice", "/1on1", "schedule <@bob> tuesday 10:00");
    source.say("alice", "/ido", "set <@bob> learn rust mentor <@dana>");
    source.say("bob", "/ido", "progress read the book #10");
    source.say("alice", "/checkin", "done <@bob>");
    source.say("dana", "/quarter-summary", "");  // an audited read
    const auto before = sqlite_counts(source.db);
    for (const char* t : {"people", "brags", "brag_tags", "feedback", "tasks", "reminders",
                          "one_on_ones", "idos", "ido_progress", "checkins", "reminder_changes"}) {
        INFO(t);
        CHECK(before.at(t) > 0);
    }

    testing::TestDatabaseLocation location;
    storage::Database target(location.where());
    auto copied = storage::migrate_to(source.db, target);
    REQUIRE(copied.size() == before.size());
    // Parents before children, and every count equal on both sides.
    auto position = [&](const std::string& t) {
        return std::find_if(copied.begin(), copied.end(),
                            [&](const auto& c) { return c.table == t; }) -
               copied.begin();
    };
    CHECK(position("people") < position("brags"));
    CHECK(position("brags") < position("brag_tags"));
    CHECK(position("idos") < position("ido_progress"));
    for (const auto& c : copied) {
        INFO(c.table);
        CHECK(c.rows == before.at(c.table));
        CHECK(query_value<int64_t>(target, "SELECT count(*) FROM \"" + c.table + "\"") == c.rows);
    }
    CHECK(target.schema_version() == storage::Database::latest_version());
    // The copy is exact: the triggers did not add reminder changes of their own.
    CHECK(query_value<int64_t>(target, "SELECT count(*) FROM reminder_changes") ==
          before.at("reminder_changes"));
    CHECK(query_value<std::string>(target, "SELECT manager_id FROM people WHERE id = 'alice'") ==
          "dana");

    // The bot on PostgreSQL: the next brag gets the next number and a new id; tags, tasks and
    // feedback read back as on SQLite.
    TestApp moved(testing::Exactly{location.where()});
    const auto last_id = query_value<int64_t>(source.db, "SELECT max(id) FROM brags");
    CHECK_THAT(moved.say("bob", "/brag", "after the move #infra"),
               Catch::Contains("Logged brag *#4*"));
    CHECK(query_value<int64_t>(moved.db, "SELECT max(id) FROM brags") == last_id + 1);
    auto list = moved.say("bob", "/brag", "list");
    CHECK_THAT(list, Catch::Contains("shipped part 2 #infra"));
    CHECK_THAT(list, !Catch::Contains("shipped part 3"));
    CHECK_THAT(moved.say("alice", "/task", "list <@bob>"), Catch::Contains("write the design doc"));
    CHECK_THAT(moved.say("alice", "/task", "add review the doc due 2026-12-02 for <@bob>"),
               Catch::Contains("*#2*"));
    CHECK_THAT(moved.say("bob", "/ido", "status"), Catch::Contains("read the book"));

    // A second run finds data and changes nothing.
    const auto brags = query_value<int64_t>(target, "SELECT count(*) FROM brags");
    CHECK_THROWS_WITH(storage::migrate_to(source.db, target),
                      Catch::Contains("already has data") && Catch::Contains("brags"));
    CHECK(query_value<int64_t>(target, "SELECT count(*) FROM brags") == brags);
}

TEST_CASE("migrate-to refuses a source at another schema version and leaves the target alone",
          "[postgresql][server]") {
    if (testing::test_database_url().empty()) {
        WARN("CAREERBOT_TEST_DATABASE_URL is not set: tests/run-on-postgresql.sh runs this");
        return;
    }
    storage::Database lite(":memory:");
    lite.migrate(true);
    testing::TestDatabaseLocation location;
    storage::Database target(location.where());
    const int latest = storage::Database::latest_version();
    lite.exec("PRAGMA user_version = " + std::to_string(latest - 1));
    CHECK_THROWS_WITH(storage::migrate_to(lite, target),
                      Catch::Contains("run `careerbot migrate` on it first"));
    lite.exec("PRAGMA user_version = " + std::to_string(latest + 1));
    CHECK_THROWS_WITH(storage::migrate_to(lite, target), Catch::Contains("newer than"));
    CHECK(target.schema_version() == 0);  // not even migrated
}
