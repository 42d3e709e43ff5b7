// The PostgreSQL backend's own rules: placeholders, passwords kept out of logs, migrations
// that match SQLite's versions, and — when CAREERBOT_TEST_DATABASE_URL names a server
// (tests/run-on-postgresql.sh) — migrations under an advisory lock and one writer at a time.
// The rest of the unit suite runs against PostgreSQL too, through TestApp (fixture.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "fixture.hpp"
#include "storage/connection.hpp"
#include "storage/migrations.hpp"
#include "storage/people.hpp"

using namespace careerbot;
using storage::detail::number_placeholders;

using careerbot::testing::test_database_url;

TEST_CASE("placeholders become $n: ?, ?NNN and :name, not inside quotes, comments or casts",
          "[postgresql]") {
    std::vector<std::string> names;
    CHECK(number_placeholders("SELECT a FROM t WHERE b = ? AND c = ?", names) ==
          "SELECT a FROM t WHERE b = $1 AND c = $2");
    CHECK(names.size() == 2);
    // SQLite's rules: ?NNN is parameter NNN, a bare ? is one more than the largest so far.
    CHECK(number_placeholders("VALUES (?, (SELECT x WHERE y = ?2 OR z = ?2), ?)", names) ==
          "VALUES ($1, (SELECT x WHERE y = $2 OR z = $2), $3)");
    CHECK(names.size() == 3);
    // A named parameter used twice is one parameter.
    CHECK(number_placeholders("WHERE a = :end AND (b IS NULL OR b >= :end) AND c < :from", names) ==
          "WHERE a = $1 AND (b IS NULL OR b >= $1) AND c < $2");
    CHECK(names == std::vector<std::string>{"end", "from"});
    // Quotes, comments and casts are left alone.
    CHECK(number_placeholders("SELECT '?', 'it''s :x', \"q?\" -- why?\n, CAST(? AS json)::text",
                              names) ==
          "SELECT '?', 'it''s :x', \"q?\" -- why?\n, CAST($1 AS json)::text");
    CHECK(names.size() == 1);
}

TEST_CASE("a PostgreSQL URL's password never shows in what careerbot logs", "[postgresql]") {
    using storage::Database;
    CHECK(
        Database::describe("postgresql://bot:s3cret@db.internal:5432/careerbot?sslmode=require") ==
        "postgresql://bot:***@db.internal:5432/careerbot?sslmode=require");
    CHECK(Database::describe(
              "postgres://db/careerbot?user=bot&password=s3cret&sslmode=verify-full") ==
          "postgres://db/careerbot?user=bot&password=***&sslmode=verify-full");
    CHECK(Database::describe("postgresql://bot@db/careerbot") == "postgresql://bot@db/careerbot");
    CHECK(Database::describe("careerbot.db") == "careerbot.db");
    CHECK(Database::is_postgresql_url("postgresql://x/y"));
    CHECK(Database::is_postgresql_url("postgres://x/y"));
    CHECK_FALSE(Database::is_postgresql_url("careerbot.db"));
    // A server that is not there: the error names it without the password.
    try {
        Database db("postgresql://bot:s3cret@127.0.0.1:1/careerbot?connect_timeout=2");
        FAIL("connected to port 1");
    } catch (const storage::StorageError& e) {
        CHECK_THAT(e.what(), Catch::Contains("cannot connect to postgresql://bot:***@127.0.0.1:1"));
        CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
    }
}

TEST_CASE("PostgreSQL's migrations end at SQLite's version, each with a twin", "[postgresql]") {
    const auto& lite = storage::migrations();
    const auto& pg = storage::pg_migrations();
    REQUIRE_FALSE(pg.empty());
    CHECK(pg.back().version == lite.back().version);
    // After the baseline (which is SQLite's schema at its version), every PostgreSQL
    // migration has the SQLite migration of the same number and name.
    for (std::size_t i = 1; i < pg.size(); ++i) {
        auto twin = std::find_if(lite.begin(), lite.end(),
                                 [&](const auto& m) { return m.version == pg[i].version; });
        REQUIRE(twin != lite.end());
        CHECK(std::string(twin->name) == pg[i].name);
    }
    // And every SQLite migration after the baseline has its PostgreSQL twin.
    for (const auto& m : lite) {
        if (m.version <= pg.front().version) continue;
        INFO(m.name);
        CHECK(std::any_of(pg.begin(), pg.end(),
                          [&](const auto& p) { return p.version == m.version; }));
    }
}

TEST_CASE("instances starting together migrate once, under the advisory lock",
          "[postgresql][server]") {
    if (test_database_url().empty()) {
        WARN("CAREERBOT_TEST_DATABASE_URL is not set: tests/run-on-postgresql.sh runs this");
        return;
    }
    testing::TestDatabaseLocation location;
    std::atomic<int> applied{0};
    std::vector<std::thread> starts;
    for (int i = 0; i < 3; ++i) {
        starts.emplace_back([&] {
            storage::Database db(location.where());
            applied += db.migrate(true);
        });
    }
    for (auto& t : starts) t.join();
    CHECK(applied == static_cast<int>(storage::pg_migrations().size()));
    storage::Database db(location.where());
    CHECK(db.schema_version() == storage::Database::latest_version());
    CHECK(db.backend() == storage::Backend::postgresql);
    CHECK(db.migrate() == 0);
    // A schema newer than this binary is refused, as on SQLite.
    db.exec("UPDATE careerbot_schema SET version = version + 1");
    CHECK_THROWS_WITH(db.migrate(), Catch::Contains("newer than this careerbot"));
}

TEST_CASE("one writer at a time across connections, as SQLite's BEGIN IMMEDIATE",
          "[postgresql][server]") {
    if (test_database_url().empty()) {
        WARN("CAREERBOT_TEST_DATABASE_URL is not set: tests/run-on-postgresql.sh runs this");
        return;
    }
    testing::TestDatabaseLocation location;
    storage::Database a(location.where());
    a.migrate(true);
    storage::Database b(location.where());
    ManualClock clock(testing::test_now());
    // Two connections each read the next number and insert it, 50 times, at once: with one
    // writer at a time no number is taken twice (the UNIQUE would throw).
    auto add = [&](storage::Database& db, const std::string& id) {
        storage::PeopleRepo(db).ensure(id, id, clock.now());
    };
    add(a, "U1");
    std::atomic<int> failures{0};
    auto worker = [&](storage::Database& db) {
        for (int i = 0; i < 50; ++i) {
            try {
                db.write([&] {
                    auto q = db.prepare(
                        "INSERT INTO certs (person_id, number, name, earned_on, created_at) "
                        "VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM certs "
                        "WHERE person_id = ?1), 'c', '2026-11-01', 0)");
                    q.bind("U1").exec();
                });
            } catch (const std::exception&) {
                ++failures;
            }
        }
    };
    std::thread ta([&] { worker(a); });
    std::thread tb([&] { worker(b); });
    ta.join();
    tb.join();
    CHECK(failures == 0);
    CHECK(testing::query_value<int>(a, "SELECT count(*) FROM certs") == 100);
    CHECK(testing::query_value<int>(a, "SELECT max(number) FROM certs") == 100);
}

TEST_CASE("a dropped connection is opened again, and a transaction it cut never commits",
          "[postgresql][server]") {
    if (test_database_url().empty()) {
        WARN("CAREERBOT_TEST_DATABASE_URL is not set: tests/run-on-postgresql.sh runs this");
        return;
    }
    testing::TestDatabaseLocation location;
    storage::Database db(location.where());
    db.migrate(true);
    storage::Database admin(location.where());
    ManualClock clock(testing::test_now());
    storage::PeopleRepo people(db);
    // As a server restart or a network cut would: the server ends db's session.
    auto drop = [&] {
        const int pid = testing::query_value<int>(db, "SELECT pg_backend_pid()");
        auto q = admin.prepare("SELECT pg_terminate_backend(CAST(? AS INTEGER))");
        REQUIRE(q.bind(pid).step());
        std::this_thread::sleep_for(std::chrono::milliseconds{200});
    };
    // Outside a transaction: the statement that meets the dead session fails as a storage
    // error, and the next one runs on a new session.
    drop();
    CHECK_THROWS_AS(people.ensure("U1", "one", clock.now()), storage::StorageError);
    CHECK_NOTHROW(people.ensure("U1", "one", clock.now()));
    CHECK(people.find("U1"));
    // Inside one: the whole write fails, and nothing of it is stored — not even what ran
    // before the cut, nor what a caller might try after it.
    CHECK_THROWS_AS(db.write([&] {
        people.ensure("U2", "two", clock.now());
        drop();
        try {
            people.ensure("U3", "three", clock.now());
        } catch (const storage::StorageError&) {
            // A handler that swallows the error and carries on...
        }
        people.ensure("U4", "four", clock.now());  // ...still cannot write into a new session
    }),
                    storage::StorageError);
    CHECK_FALSE(people.find("U2"));
    CHECK_FALSE(people.find("U3"));
    CHECK_FALSE(people.find("U4"));
    // And the connection writes again.
    db.write([&] { people.ensure("U5", "five", clock.now()); });
    CHECK(people.find("U5"));
}
