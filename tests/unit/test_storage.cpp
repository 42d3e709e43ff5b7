#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <SQLiteCpp/Statement.h>

#include "fixture.hpp"
#include "storage/brags.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"

using namespace careerbot;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("careerbot-test-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    static int& counter() {
        static int c = 0;
        return c;
    }
};
}  // namespace

TEST_CASE("an empty database is migrated to the latest version", "[storage]") {
    TempDir dir;
    storage::Database db((dir.path / "a.db").string());
    CHECK(db.schema_version() == 0);
    CHECK(db.migrate() == storage::Database::latest_version());
    CHECK(db.schema_version() == storage::Database::latest_version());
    CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.sql().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
    CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
}

TEST_CASE("re-running migrations changes nothing", "[storage]") {
    TempDir dir;
    auto file = (dir.path / "a.db").string();
    {
        storage::Database db(file);
        db.migrate();
    }
    storage::Database db(file);
    CHECK(db.migrate() == 0);
    CHECK(db.schema_version() == storage::Database::latest_version());
}

TEST_CASE("a database newer than the binary is refused", "[storage]") {
    TempDir dir;
    auto file = (dir.path / "a.db").string();
    {
        storage::Database db(file);
        db.migrate();
        db.sql().exec("PRAGMA user_version = " + std::to_string(storage::Database::latest_version() + 1));
    }
    storage::Database db(file);
    CHECK_THROWS_WITH(db.migrate(), Catch::Contains("newer than this careerbot"));
}

TEST_CASE("a file that is not a database is refused with a clear message", "[storage]") {
    TempDir dir;
    auto file = dir.path / "junk.db";
    std::ofstream(file) << std::string(4096, 'z');
    CHECK_THROWS_WITH(storage::Database(file.string()), Catch::Contains("cannot open database"));
}

TEST_CASE("backup and restore round trip keeps every brag", "[storage]") {
    TempDir dir;
    auto file = (dir.path / "live.db").string();
    auto copy = dir.path / "backup.db";
    ManualClock clock(careerbot::testing::test_now());
    {
        storage::Database db(file);
        db.migrate();
        storage::PeopleRepo(db).ensure("U1", "alice", clock.now());
        storage::BragRepo brags(db);
        for (int i = 0; i < 25; ++i)
            brags.add("U1", {"brag " + std::to_string(i), "", "", {"t"}, "2026-11-01", {}}, "test", clock.now());
        db.backup_to(copy);
    }
    storage::Database restored(copy.string());
    CHECK(restored.migrate() == 0);
    storage::BragRepo brags(restored);
    CHECK(brags.count({"U1", "", "", -1, 0}) == 25);
    auto b = brags.find("U1", 25);
    REQUIRE(b);
    CHECK(b->text == "brag 24");
    CHECK(b->tags == std::vector<std::string>{"t"});
}

TEST_CASE("a failed write rolls back only its own savepoint", "[storage]") {
    storage::Database db(":memory:");
    db.migrate();
    ManualClock clock(careerbot::testing::test_now());
    storage::PeopleRepo people(db);
    db.write([&] {
        people.ensure("U1", "outer", clock.now());
        CHECK_THROWS(db.write([&] {
            people.ensure("U2", "inner", clock.now());
            throw std::runtime_error("boom");
        }));
    });
    CHECK(people.find("U1"));
    CHECK_FALSE(people.find("U2"));
}

TEST_CASE("a locked database gives a clear storage error, not a crash", "[storage]") {
    TempDir dir;
    auto file = (dir.path / "a.db").string();
    storage::Database holder(file);
    holder.migrate();
    storage::Database other(file, 50);
    holder.sql().exec("BEGIN IMMEDIATE");
    CHECK_THROWS_AS(other.write([] {}), storage::StorageError);
    holder.sql().exec("ROLLBACK");
    CHECK_NOTHROW(other.write([] {}));
}

TEST_CASE("the org chart refuses cycles and walks the chain", "[storage]") {
    careerbot::testing::TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    storage::PeopleRepo people(t.db);
    CHECK(people.manager_chain("eng") == std::vector<std::string>{"mgr", "dir"});
    CHECK(people.manages("dir", "eng"));
    CHECK_FALSE(people.manages("eng", "dir"));
    CHECK_THROWS_WITH(people.set_manager("dir", std::string("eng"), t.clock.now()),
                      Catch::Contains("loop"));
    CHECK_THROWS_AS(people.set_manager("eng", std::string("eng"), t.clock.now()), UserError);
    auto sub = people.subtree("dir");
    std::sort(sub.begin(), sub.end());
    CHECK(sub == std::vector<std::string>{"eng", "mgr"});
}
