#pragma once
// A whole careerbot core on an in-memory database with a manual clock, for unit tests.
#include <atomic>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include <date/date.h>

#include "commands/registry.hpp"
#include "src/core/app.hpp"
#include "src/core/blocks.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"

namespace careerbot::testing {

/// The first column of the first row of `sql` (a test's look into the tables).
template <class T>
T query_value(storage::Database& db, const std::string& sql) {
    auto q = db.prepare(sql);
    q.step();
    return q.get<T>(0);
}

/// 2026-11-20 10:00 UTC, a Friday.
inline TimePoint test_now() {
    return date::sys_days{date::year{2026} / 11 / 20} + std::chrono::hours{10};
}

/// Where a test's database lives: in memory (SQLite) by default; when the environment names a
/// PostgreSQL server in CAREERBOT_TEST_DATABASE_URL (tests/run-on-postgresql.sh does), a
/// fresh schema of its own on that server, dropped at the end — so the same tests run against
/// both backends.
/// The PostgreSQL server the tests run against (CAREERBOT_TEST_DATABASE_URL), or "".
inline std::string test_database_url() {
    const char* url = std::getenv("CAREERBOT_TEST_DATABASE_URL");
    return url != nullptr ? url : "";
}

/// A database named exactly, whatever the backend of the run (see TestApp(Exactly)).
struct Exactly {
    std::string where;
};

class TestDatabaseLocation {
  public:
    TestDatabaseLocation() : TestDatabaseLocation(":memory:") {}
    /// On SQLite, `sqlite` (a file, for tests that open it on several connections).
    explicit TestDatabaseLocation(std::string sqlite) : where_(std::move(sqlite)) {
        const std::string url = test_database_url();
        if (url.empty()) return;
        static std::atomic<int> counter{0};
        base_ = url;
        schema_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        storage::Database admin(base_);
        admin.exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
        where_ = base_ + (base_.find('?') == std::string::npos ? "?" : "&") +
                 "options=-csearch_path%3D" + schema_;
    }
    ~TestDatabaseLocation() {
        if (schema_.empty()) return;
        try {
            storage::Database admin(base_);
            admin.exec("SET client_min_messages = warning; DROP SCHEMA " + schema_ + " CASCADE");
        } catch (const std::exception&) {  // the next run's DROP ... IF EXISTS cleans up
        }
    }
    /// Exactly `e.where`: no schema of its own, nothing dropped at the end.
    explicit TestDatabaseLocation(Exactly e) : where_(std::move(e.where)) {}
    TestDatabaseLocation(const TestDatabaseLocation&) = delete;
    TestDatabaseLocation& operator=(const TestDatabaseLocation&) = delete;
    /// What to open: ":memory:" or the PostgreSQL URL with this test's schema.
    const std::string& where() const { return where_; }

  private:
    std::string base_, schema_, where_;
};

struct TestApp {
    Config config;
    ManualClock clock{test_now()};
    TestDatabaseLocation location;
    storage::Database db{location.where()};
    Services services{db, clock, config};
    App app;

    TestApp() : TestApp(":memory:") {}
    /// On SQLite, the database in `sqlite` (see TestDatabaseLocation).
    explicit TestApp(const std::string& sqlite) : location(sqlite) { set_up(); }
    /// On exactly the database `e.where` (e.g. a SQLite source and a PostgreSQL target in one
    /// test).
    explicit TestApp(Exactly e) : location(std::move(e)) { set_up(); }

    /// Runs `/command text` as `user` (mentions written as <@id>).
    Reply run(const std::string& user, const std::string& command, const std::string& text) {
        Request r;
        r.user_id = user;
        r.command = command;
        r.text = text;
        r.channel_id = "C1";
        r.received_at = clock.now();
        r.source = "test";
        return app.handle(services, r);
    }

    /// The reply rendered as terminal text (all pages).
    std::string text(const Reply& reply) {
        storage::PeopleRepo people(db);
        auto names = [&](const std::string& id) { return people.display_name(id); };
        std::string out = reply.message ? blocks::render_text(*reply.message, names) : "";
        for (const auto& m : reply.more) out += blocks::render_text(m, names);
        return out;
    }

    /// Runs a command and returns its rendered text.
    std::string say(const std::string& user, const std::string& command,
                    const std::string& text_in) {
        return text(run(user, command, text_in));
    }

    /// Adds `id` with `manager` (empty for none).
    void person(const std::string& id, const std::string& manager = "") {
        storage::PeopleRepo people(db);
        db.write([&] {
            people.ensure(id, id, clock.now());
            if (!manager.empty()) {
                people.ensure(manager, manager, clock.now());
                people.set_manager(id, manager, clock.now());
            }
        });
    }

    /// Migrates the database and registers every command.
    void set_up() {
        db.migrate(true);
        commands::register_all(app);
    }

    /// Counts rows of a query with no parameters (test-only helper).
    int count(const std::string& sql) {
        auto q = db.prepare(sql);
        return q.step() ? q.get<int>(0) : 0;
    }
};

}  // namespace careerbot::testing
