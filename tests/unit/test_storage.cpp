#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>

#include "fixture.hpp"
#include "src/core/private_files.hpp"
#include "storage/brags.hpp"
#include "storage/checkpointer.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/people.hpp"

using namespace careerbot;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() /
               ("careerbot-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
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
    // Every migration is applied once.
    CHECK(db.migrate() == static_cast<int>(storage::migrations().size()));
    CHECK(db.schema_version() == storage::Database::latest_version());
    CHECK(testing::query_value<std::string>(db, "PRAGMA journal_mode") == "wal");
    CHECK(testing::query_value<int>(db, "PRAGMA synchronous") == 2);  // FULL
    CHECK(testing::query_value<int>(db, "PRAGMA foreign_keys") == 1);
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
        db.exec("PRAGMA user_version = " + std::to_string(storage::Database::latest_version() + 1));
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
            brags.add("U1", {"brag " + std::to_string(i), "", "", {"t"}, "2026-11-01", {}}, "test",
                      clock.now());
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
    testing::TestDatabaseLocation location;  // SQLite in memory, or PostgreSQL (see fixture)
    storage::Database db(location.where());
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

TEST_CASE("an optimistic group commit commits when nothing fails", "[storage]") {
    testing::TestDatabaseLocation location;  // SQLite in memory, or PostgreSQL (see fixture)
    storage::Database db(location.where());
    db.migrate();
    ManualClock clock(careerbot::testing::test_now());
    storage::PeopleRepo people(db);
    bool committed = db.write_optimistic([&] {
        for (const char* id : {"U1", "U2", "U3"})
            db.write([&] { people.ensure(id, id, clock.now()); });
        CHECK_FALSE(db.tainted());
    });
    CHECK(committed);
    CHECK(people.find("U1"));
    CHECK(people.find("U3"));
    CHECK_FALSE(db.tainted());
}

TEST_CASE(
    "an optimistic group commit with a failed unit is rolled back for a rerun with "
    "savepoints",
    "[storage]") {
    testing::TestDatabaseLocation location;  // SQLite in memory, or PostgreSQL (see fixture)
    storage::Database db(location.where());
    db.migrate();
    ManualClock clock(careerbot::testing::test_now());
    storage::PeopleRepo people(db);
    int runs = 0;
    auto batch = [&] {
        ++runs;
        db.write([&] { people.ensure("U1", "first", clock.now()); });
        try {
            db.write([&] {
                people.ensure("U2", "second", clock.now());
                throw std::runtime_error("boom");
            });
        } catch (const std::runtime_error&) {
            // A caller that carries on after a failed unit, as the bot's batch does.
        }
        db.write([&] { people.ensure("U3", "third", clock.now()); });
    };
    CHECK_FALSE(db.write_optimistic(batch));
    CHECK_FALSE(people.find("U1"));  // nothing of the optimistic run was kept
    CHECK_FALSE(db.tainted());
    db.write(batch);  // the rerun: each unit in its own savepoint
    CHECK(runs == 2);
    CHECK(people.find("U1"));
    CHECK_FALSE(people.find("U2"));
    CHECK(people.find("U3"));
}

TEST_CASE("an error outside every unit of an optimistic group commit propagates", "[storage]") {
    testing::TestDatabaseLocation location;  // SQLite in memory, or PostgreSQL (see fixture)
    storage::Database db(location.where());
    db.migrate();
    ManualClock clock(careerbot::testing::test_now());
    storage::PeopleRepo people(db);
    CHECK_THROWS_AS(db.write_optimistic([&] {
        people.ensure("U1", "one", clock.now());
        throw std::runtime_error("outside any unit");
    }),
                    std::runtime_error);
    CHECK_FALSE(people.find("U1"));
    db.write([&] { CHECK_THROWS_AS(db.write_optimistic([] {}), std::logic_error); });
}

TEST_CASE("a writer's WAL checkpoints can be handed to another connection", "[storage]") {
    TempDir dir;
    const auto file = (dir.path / "c.db").string();
    ManualClock clock(careerbot::testing::test_now());
    storage::Database db(file);
    db.migrate();
    db.checkpoint();
    const auto size_before = fs::file_size(file);
    int requests = 0;
    db.defer_checkpoints([&] { ++requests; }, 20);
    storage::PeopleRepo(db).ensure("U1", "alice", clock.now());
    storage::BragRepo brags(db);
    auto write_some = [&] {
        for (int i = 0; i < 20; ++i) {
            db.write([&] {
                for (int j = 0; j < 20; ++j)
                    brags.add("U1", {std::string(200, 'x'), "", "", {"t"}, "2026-11-01", {}},
                              "test", clock.now());
            });
        }
    };
    write_some();
    // The writer asked instead of checkpointing: everything is still in the WAL.
    CHECK(requests > 0);
    CHECK(fs::file_size(file) == size_before);

    storage::BackgroundCheckpointer checkpointer(file, 1000);
    db.defer_checkpoints([&] { checkpointer.request(); }, 20);
    write_some();
    for (int i = 0; i < 500 && checkpointer.completed() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(checkpointer.completed() > 0);
    CHECK(fs::file_size(file) > size_before);  // the pages reached the database file
    CHECK(brags.count({"U1", "", "", -1, 0}) == 800);

    db.defer_checkpoints(nullptr);  // SQLite's own checkpoints again
}

TEST_CASE("a locked database gives a clear storage error, not a crash", "[storage]") {
    TempDir dir;
    auto file = (dir.path / "a.db").string();
    storage::Database holder(file);
    holder.migrate();
    storage::Database other(file, 50);
    holder.exec("BEGIN IMMEDIATE");
    CHECK_THROWS_AS(other.write([] {}), storage::StorageError);
    holder.exec("ROLLBACK");
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

TEST_CASE("the database, its -wal and -shm, and exports are 0600 whatever the umask",
          "[storage][reliability]") {
    TempDir dir;
    // The widest umask a shell or container may have: without care every file is 0666.
    mode_t old = ::umask(0);
    auto mode = [](const std::filesystem::path& p) {
        struct stat st {};
        REQUIRE(::stat(p.c_str(), &st) == 0);
        return st.st_mode & 0777;
    };
    {
        storage::Database db((dir.path / "c.db").string());
        db.migrate();
        CHECK(mode(dir.path / "c.db") == 0600);
        CHECK(mode(dir.path / "c.db-wal") == 0600);
        CHECK(mode(dir.path / "c.db-shm") == 0600);
    }
    write_private_file((dir.path / "export.csv").string(), "a,b\n");
    CHECK(mode(dir.path / "export.csv") == 0600);
    // An existing file left readable by others is tightened when it is opened again.
    ::chmod((dir.path / "c.db").c_str(), 0644);
    { storage::Database again((dir.path / "c.db").string()); }
    CHECK(mode(dir.path / "c.db") == 0600);
    ::umask(old);
}

TEST_CASE("storage/schema.sql is the schema the migrations produce", "[storage][schema]") {
    storage::Database db(":memory:");
    db.migrate(true);
    std::ifstream in(CAREERBOT_SOURCE_DIR "/storage/schema.sql");
    std::stringstream committed;
    committed << in.rdbuf();
    INFO(
        "storage/schema.sql is out of date with storage/migrations; regenerate it with "
        "`build/careerbot schema > storage/schema.sql` and commit it with the migration");
    CHECK(committed.str() == storage::schema_snapshot(db));
}
