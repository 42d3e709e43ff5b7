#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/events.hpp"

using namespace careerbot;

TEST_CASE("an event id is remembered once", "[events]") {
    storage::Database db(":memory:");
    db.migrate();
    storage::ProcessedEventsRepo events(db);
    const auto now = testing::test_now();
    CHECK_FALSE(events.seen("Ev1"));
    CHECK(events.remember("Ev1", now));
    CHECK(events.seen("Ev1"));
    CHECK_FALSE(events.remember("Ev1", now + std::chrono::minutes(5)));
    CHECK(events.remember("Ev2", now));
    CHECK(events.count() == 2);
}

TEST_CASE("a remembered event id rolls back with the handler's writes", "[events]") {
    storage::Database db(":memory:");
    db.migrate();
    storage::ProcessedEventsRepo events(db);
    CHECK_THROWS(db.write([&] {
        events.remember("Ev1", testing::test_now());
        throw std::runtime_error("handler failed");
    }));
    CHECK_FALSE(events.seen("Ev1"));
    db.write([&] { events.remember("Ev1", testing::test_now()); });
    CHECK(events.seen("Ev1"));
}

TEST_CASE("pruning forgets only event ids older than the cutoff", "[events]") {
    storage::Database db(":memory:");
    db.migrate();
    storage::ProcessedEventsRepo events(db);
    const auto now = testing::test_now();
    events.remember("old", now - std::chrono::hours(3));
    events.remember("recent", now - std::chrono::minutes(30));
    CHECK(events.prune(now - std::chrono::hours(2)) == 1);
    CHECK_FALSE(events.seen("old"));
    CHECK(events.seen("recent"));
}
