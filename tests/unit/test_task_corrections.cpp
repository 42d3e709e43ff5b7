// Correcting tasks (issue #16): edit, move the due date, cancel, delete — by the assignee and
// their manager chain, the other side told by DM, nothing cancelled ever counted as overdue.
#include <catch2/catch.hpp>

#include "commands/summary_data.hpp"
#include "src/core/levels.hpp"
#include "src/scheduler/messages.hpp"
#include "storage/audit.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;

namespace {

constexpr const char* kLadder = R"(
[[level]]
id = "L1"
title = "one"
training = []
certifications = []
  [[level.dimension]]
  name = "Delivery"
  expectation = "ships"
  tags = ["delivery"]
)";

/// dir → mgr → eng, peer; stranger elsewhere.
void org(TestApp& t) {
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.person("stranger", "boss");
}

/// The text of every DM in `reply` to `user`.
std::string dm_to(TestApp& t, const Reply& reply, const std::string& user) {
    std::string out;
    for (const auto& dm : reply.dms) {
        if (dm.user_id == user) out += rendered(t.db, dm.message);
    }
    return out;
}

/// The App Home `user` would see, as JSON text.
std::string home_of(TestApp& t, const std::string& user) {
    Event e;
    e.type = "app_home_opened";
    e.user_id = user;
    e.body = {{"type", "app_home_opened"}, {"user", user}, {"tab", "home"}};
    e.received_at = t.clock.now();
    auto reply = t.app.handle(t.services, e);
    return reply.home_view ? reply.home_view->dump() : "";
}

int overdue_in_summary(TestApp& t, const std::string& person) {
    auto levels = Levels::parse(kLadder);
    auto q = quarter_of(local_date(t.clock.now(), "UTC"), 1);
    auto s =
        commands::build_summary(t.db, {"dir", true}, q, iso_day(local_date(t.clock.now(), "UTC")),
                                levels, 1, t.clock.now());
    for (const auto& p : s.people) {
        if (p.id == person) return p.tasks_overdue;
    }
    return -1;
}

}  // namespace

TEST_CASE("three mistyped duplicate tasks stop being overdue everywhere once cancelled",
          "[task][summary]") {
    TestApp t;
    org(t);
    for (const char* typo : {"wirte the RFC", "wrtie the RFC", "write teh RFC"})
        t.run("mgr", "/task", std::string("add ") + typo + " due 2026-11-25 for <@eng>");
    t.run("mgr", "/task", "add write the RFC due 2026-12-20 for <@eng>");
    auto weekly =
        storage::ScheduleRepo(t.db).create({0, "mgr", "eng", 2, 10 * 60, "UTC", 1, "2026-11-24",
                                            std::nullopt, "mgr", 0, 0, std::nullopt},
                                           t.clock.now());
    t.clock.set(utc(2026, 12, 1, 9));

    // Overdue in every view before.
    CHECK(overdue_in_summary(t, "eng") == 3);
    CHECK_THAT(t.say("eng", "/task", "status"), Catch::Contains("3 overdue"));
    auto prep =
        scheduler::prep_message(t.db, t.config, weekly, utc(2026, 12, 1, 10), t.clock.now(), 1);
    CHECK_THAT(rendered(t.db, prep.at(0)), Catch::Contains("wrtie the RFC"));
    CHECK_THAT(home_of(t, "eng"), Catch::Contains("wirte the RFC"));
    CHECK_THAT(home_of(t, "mgr"), Catch::Contains("3 overdue"));

    // The manager cancels two, the engineer deletes the third.
    auto cancel = t.run("mgr", "/task", "cancel <@eng> 1 2");
    CHECK_THAT(t.text(cancel), Catch::Contains("Cancelled tasks *#1 and #2* of @eng"));
    CHECK_THAT(dm_to(t, cancel, "eng"), Catch::Contains("@mgr cancelled your tasks *#1 and #2*"));
    CHECK(dm_to(t, cancel, "mgr").empty());
    auto del = t.run("eng", "/task", "delete 3");
    CHECK_THAT(t.text(del), Catch::Contains("Deleted task *#3*"));
    CHECK_THAT(dm_to(t, del, "mgr"), Catch::Contains("@eng deleted their task *#3*"));

    CHECK(overdue_in_summary(t, "eng") == 0);
    auto status = t.say("eng", "/task", "status");
    CHECK_THAT(status, Catch::Contains("0 overdue"));
    CHECK_THAT(status, !Catch::Contains("RFC due") && !Catch::Contains("wirte"));
    prep = scheduler::prep_message(t.db, t.config, weekly, utc(2026, 12, 1, 10), t.clock.now(), 1);
    CHECK_THAT(rendered(t.db, prep.at(0)), !Catch::Contains("RFC"));
    CHECK_THAT(home_of(t, "eng"), !Catch::Contains("wirte") && !Catch::Contains("teh"));
    CHECK_THAT(home_of(t, "mgr"), !Catch::Contains("overdue") && Catch::Contains("1 open"));
    // Cancelled ones stay in the history; the deleted one is gone, its number kept.
    auto list = t.say("eng", "/task", "list");
    CHECK_THAT(list, Catch::Contains("*Cancelled*"));
    CHECK_THAT(list, Catch::Contains("#1* · cancelled 2026-12-01 by @mgr (was due 2026-11-25)"));
    CHECK_THAT(list, !Catch::Contains("write teh RFC"));
    t.run("eng", "/task", "add another due friday");
    CHECK(storage::TaskRepo(t.db).find("eng", 5)->text == "another");
}

TEST_CASE("cancelled and deleted tasks get no reminders; un-cancelled ones do again",
          "[task][scheduler]") {
    TestApp t;
    org(t);
    t.run("eng", "/task", "add one due 2026-11-30");
    t.run("eng", "/task", "add two due 2026-11-30");
    t.run("eng", "/task", "add three due 2026-11-30");
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();  // all planned before the changes
    t.run("eng", "/task", "cancel 1");
    t.run("eng", "/task", "delete 2");
    t.run("eng", "/task", "cancel 3");
    t.run("eng", "/task", "reopen 3");
    run_until(s, t.clock, utc(2026, 12, 20));
    storage::ReminderOutbox outbox(t.db);
    CHECK(outbox.find_key("task_due:1:2026-11-30")->reason == "cancelled");
    CHECK(outbox.find_key("task_overdue:2")->reason == "deleted");
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[0].key == "task_due:3:2026-11-30");
    CHECK(sender.sent[1].key == "task_overdue:3");
}

TEST_CASE("a moved due date moves both reminders", "[task][scheduler]") {
    TestApp t;
    org(t);
    t.run("eng", "/task", "add ship it due 2026-11-25");
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();
    auto reply = t.say("mgr", "/task", "due <@eng> 1 2026-12-10");
    CHECK_THAT(reply, Catch::Contains("Moved task *#1* of @eng"));
    CHECK_THAT(reply, Catch::Contains("was due 2026-11-25"));
    run_until(s, t.clock, utc(2026, 12, 30));
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[0].key == "task_due:1:2026-12-10");
    CHECK(sender.sent[0].at == utc(2026, 12, 9, 9));
    CHECK(sender.sent[1].key == "task_overdue:1");
    CHECK(sender.sent[1].at == utc(2026, 12, 11, 9));
}

TEST_CASE("edit and due change a task and tell the other side", "[task]") {
    TestApp t;
    org(t);
    t.run("mgr", "/task", "add draft teh plan due friday for <@eng>");
    auto edit = t.run("eng", "/task", "edit 1 draft the plan");
    CHECK_THAT(t.text(edit), Catch::Contains("Changed task *#1*"));
    CHECK_THAT(t.text(edit), Catch::Contains("was: draft teh plan"));
    CHECK_THAT(dm_to(t, edit, "mgr"), Catch::Contains("changed the text of their task *#1*"));
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->text == "draft the plan");

    auto due = t.run("dir", "/task", "due <@eng> 1 to next month");
    CHECK_THAT(t.text(due), Catch::Contains("due 2026-12-20"));
    CHECK_THAT(dm_to(t, due, "eng"), Catch::Contains("moved the due date of your task *#1*"));
    CHECK_THAT(dm_to(t, due, "mgr"), Catch::Contains("moved the due date of @eng's task *#1*"));

    CHECK_THAT(t.say("eng", "/task", "due 1 yesterday"), Catch::Contains("is in the past"));
    CHECK_THAT(t.say("eng", "/task", "due 1 someday"), Catch::Contains("couldn't read"));
    CHECK_THAT(t.say("eng", "/task", "due 1"), Catch::Contains("When is task #1 due now?"));
    CHECK_THAT(t.say("eng", "/task", "edit 1"), Catch::Contains("What should task #1 say?"));
    CHECK_THAT(t.say("eng", "/task", "edit plan"), Catch::Contains("Give its number first"));
    CHECK_THAT(t.say("eng", "/task", "edit 9 x"), Catch::Contains("You have no task #9"));
    t.run("eng", "/task", "done 1");
    CHECK_THAT(t.say("eng", "/task", "due 1 friday"), Catch::Contains("is done"));
    CHECK_THAT(t.say("eng", "/task", "cancel 1"), Catch::Contains("nothing to cancel"));
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->due_on == "2026-12-20");
}

TEST_CASE("outside the manager chain nobody can change, cancel or see a task",
          "[task][visibility]") {
    TestApp t;
    org(t);
    t.run("eng", "/task", "add secret plan due friday");
    for (const char* who : {"peer", "stranger", "mentor"}) {
        for (const char* cmd : {"edit <@eng> 1 mine now", "due <@eng> 1 next month",
                                "cancel <@eng> 1", "delete <@eng> 1", "reopen <@eng> 1"}) {
            CAPTURE(who, cmd);
            auto reply = t.run(who, "/task", cmd);
            CHECK_THAT(t.text(reply), Catch::Contains(":lock:"));
            CHECK_THAT(t.text(reply), !Catch::Contains("secret"));
            CHECK(reply.dms.empty());
        }
        // The same words whether or not the task exists.
        CHECK(t.say(who, "/task", "cancel <@eng> 1") == t.say(who, "/task", "cancel <@eng> 99"));
    }
    auto task = storage::TaskRepo(t.db).find("eng", 1);
    REQUIRE(task);
    CHECK(task->text == "secret plan");
    // A report cannot change their manager's task either.
    t.run("mgr", "/task", "add review the budget due friday");
    CHECK_THAT(t.say("eng", "/task", "cancel <@mgr> 1"), Catch::Contains(":lock:"));
}

TEST_CASE("a manager's change to a report's task is audited; the report's own is not",
          "[task][audit]") {
    TestApp t;
    org(t);
    t.run("eng", "/task", "add a due friday");
    t.run("eng", "/task", "add b due friday");
    t.run("eng", "/task", "cancel 1");
    t.run("mgr", "/task", "delete <@eng> 2");
    auto entries = storage::AuditRepo(t.db).list({"eng", std::nullopt, 0, 10});
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].actor == "mgr");
    CHECK(entries[0].action == "task_delete");
    CHECK(entries[0].detail == "#2");
}

TEST_CASE("a list of numbers with one wrong changes nothing", "[task]") {
    TestApp t;
    org(t);
    t.run("eng", "/task", "add a due friday");
    t.run("eng", "/task", "add b due friday");
    CHECK_THAT(t.say("eng", "/task", "cancel 1 7"),
               Catch::Contains("You have no task #7") && Catch::Contains("Nothing was changed"));
    CHECK(storage::TaskRepo(t.db).open_for("eng").size() == 2);
    CHECK_THAT(t.say("eng", "/task", "cancel 1 x"), Catch::Contains("couldn't read `x`"));
    CHECK_THAT(t.say("eng", "/task", "cancel"), Catch::Contains("Which task?"));
    CHECK_THAT(t.say("eng", "/task", "cancel #1"), Catch::Contains("Cancelled task *#1*"));
    CHECK_THAT(t.say("eng", "/task", "cancel 1"), Catch::Contains("already cancelled"));
    CHECK_THAT(t.say("eng", "/task", "done 1"), Catch::Contains("is cancelled"));
    CHECK_THAT(t.say("eng", "/task", "delete 1"), Catch::Contains("Deleted task *#1*"));
    CHECK_THAT(t.say("eng", "/task", "reopen 1"), Catch::Contains("You have no task #1"));
    CHECK_THAT(t.say("eng", "/task", "list"), !Catch::Contains("Cancelled"));
}

TEST_CASE("a mistyped task subcommand is answered with the one meant", "[task]") {
    TestApp t;
    CHECK_THAT(t.say("eng", "/task", "cancle 1"), Catch::Contains("Did you mean `/task cancel`?"));
    CHECK_THAT(t.say("eng", "/task", "delte 1"), Catch::Contains("Did you mean `/task delete`?"));
    CHECK_THAT(t.say("eng", "/task", "lsit"), Catch::Contains("Did you mean `/task list`?"));
    CHECK_THAT(t.say("eng", "/task", "frobnicate"), Catch::Contains("I don't know `/task"));
    CHECK_THAT(t.say("eng", "/task", "help"), Catch::Contains("/task cancel [@person] N"));
}
