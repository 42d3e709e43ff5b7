#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/checkins.hpp"
#include "storage/idos.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {
storage::TaskFields task(const std::string& who, const std::string& due, const std::string& text) {
    return {who, who, text, due, std::nullopt};
}
}  // namespace

TEST_CASE("task numbers count per assignee", "[records]") {
    TestApp t;
    t.person("alice");
    t.person("bob");
    storage::TaskRepo tasks(t.db);
    CHECK(tasks.add(task("alice", "2026-12-01", "a1"), "test", t.clock.now()).number == 1);
    CHECK(tasks.add(task("bob", "2026-12-01", "b1"), "test", t.clock.now()).number == 1);
    CHECK(tasks.add(task("alice", "2026-12-02", "a2"), "test", t.clock.now()).number == 2);
    CHECK(tasks.find("alice", 2)->text == "a2");
    CHECK_FALSE(tasks.find("bob", 2));
}

TEST_CASE("tasks are marked done and reopened exactly once", "[records]") {
    TestApp t;
    t.person("alice");
    t.person("mgr");
    storage::TaskRepo tasks(t.db);
    tasks.add(task("alice", "2026-12-01", "a1"), "test", t.clock.now());
    CHECK(tasks.mark_done("alice", 1, "mgr", t.clock.now()));
    CHECK_FALSE(tasks.mark_done("alice", 1, "mgr", t.clock.now()));
    auto done = tasks.find("alice", 1);
    CHECK(done->done());
    CHECK(done->done_by == "mgr");
    CHECK(tasks.done_for("alice", 10).size() == 1);
    CHECK(tasks.open_for("alice").empty());
    CHECK(tasks.reopen("alice", 1, t.clock.now()));
    CHECK_FALSE(tasks.reopen("alice", 1, t.clock.now()));
    CHECK_FALSE(tasks.find("alice", 1)->done());
    CHECK(tasks.find("alice", 1)->done_by.empty());
}

TEST_CASE("tasks due in a range, overdue, and for a set of people", "[records]") {
    TestApp t;
    for (auto p : {"alice", "bob", "carol"}) t.person(p);
    storage::TaskRepo tasks(t.db);
    tasks.add(task("alice", "2026-11-10", "late"), "test", t.clock.now());
    tasks.add(task("alice", "2026-11-25", "soon"), "test", t.clock.now());
    tasks.add(task("alice", "2027-01-10", "later"), "test", t.clock.now());
    tasks.add(task("alice", "2026-11-12", "finished"), "test", t.clock.now());
    tasks.mark_done("alice", 4, "alice", t.clock.now());
    tasks.add(task("bob", "2026-11-30", "bob's"), "test", t.clock.now());
    tasks.add(task("carol", "2026-11-30", "carol's"), "test", t.clock.now());

    auto range = tasks.open_due_between("alice", "2026-11-20", "2026-12-31");
    REQUIRE(range.size() == 1);
    CHECK(range[0].text == "soon");
    auto upto = tasks.open_due_between("alice", "", "2026-12-31");
    REQUIRE(upto.size() == 2);
    CHECK(upto[0].text == "late");
    auto late = tasks.overdue("alice", "2026-11-20");
    REQUIRE(late.size() == 1);
    CHECK(late[0].text == "late");

    auto team = tasks.open_for_people({"bob", "alice"});
    REQUIRE(team.size() == 4);
    CHECK(team[0].assignee_id == "bob");
    CHECK(team[1].text == "late");
    CHECK(team[3].text == "later");
}

TEST_CASE("one IDO per person and quarter; notes come back newest first", "[records]") {
    TestApp t;
    t.person("alice");
    t.person("dana");
    storage::IdoRepo idos(t.db);
    auto ido = idos.create("alice", "2026Q4", "learn k8s", "dana", "alice", t.clock.now());
    CHECK(idos.for_quarter("alice", "2026Q4")->objective == "learn k8s");
    CHECK_FALSE(idos.for_quarter("alice", "2026Q3"));
    CHECK_THROWS(idos.create("alice", "2026Q4", "again", "dana", "alice",
                             t.clock.now()));  // the constraint, on either database
    // A mentee can never be their own mentor, even by a direct write.
    CHECK_THROWS(idos.create("alice", "2027Q1", "x", "alice", "alice",
                             t.clock.now()));  // the constraint, on either database

    idos.add_progress(ido.id, "alice", "first", Growth::Training, "2026-11-10", t.clock.now());
    t.clock.advance(std::chrono::hours(24));
    idos.add_progress(ido.id, "alice", "second", std::nullopt, "2026-11-11", t.clock.now());
    auto notes = idos.progress(ido.id);
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].note == "second");
    CHECK_FALSE(notes[0].growth);
    CHECK(notes[1].growth == Growth::Training);

    CHECK(idos.mark_achieved(ido.id, t.clock.now()));
    CHECK_FALSE(idos.mark_achieved(ido.id, t.clock.now()));
    idos.replace(ido.id, "learn helm", "dana", "alice", t.clock.now());
    auto replaced = idos.for_quarter("alice", "2026Q4");
    CHECK(replaced->objective == "learn helm");
    CHECK_FALSE(replaced->achieved_at);
    CHECK(idos.progress(ido.id).size() == 2);
}

TEST_CASE("check-in drafts become held check-ins with a next due date", "[records]") {
    TestApp t;
    t.person("alice");
    storage::CheckinRepo checkins(t.db);
    CHECK_FALSE(checkins.draft("alice"));
    CHECK_FALSE(checkins.next_due("alice"));
    checkins.set_draft_field("alice", storage::CheckinField::Goals6m, "ship", t.clock.now());
    checkins.set_draft_field("alice", storage::CheckinField::Plan, "plan", t.clock.now());
    CHECK(t.count("SELECT count(*) FROM checkins") == 1);
    auto held = checkins.record_held("alice", "2026-11-20", "alice", "2027-01-01", t.clock.now());
    CHECK(held.goals_6m == "ship");
    CHECK(held.plan == "plan");
    CHECK_FALSE(checkins.draft("alice"));
    CHECK(checkins.next_due("alice") == "2027-01-01");

    // Without a draft, a held check-in is recorded all the same.
    checkins.record_held("alice", "2027-01-02", "alice", "2027-02-13", t.clock.now());
    CHECK(checkins.last_held("alice")->held_on == "2027-01-02");
    CHECK(checkins.held_since("alice", "").size() == 2);
    CHECK(checkins.held_since("alice", "2027-01-01").size() == 1);
    checkins.set_next_due(checkins.last_held("alice")->id, "2027-02-20", t.clock.now());
    CHECK(checkins.next_due("alice") == "2027-02-20");
    // At most one draft per person, whatever writes it.
    CHECK_THROWS(
        t.db.exec("INSERT INTO checkins (person_id, created_at, updated_at) "
                  "VALUES ('alice', 0, 0), ('alice', 0, 0)"));
}
