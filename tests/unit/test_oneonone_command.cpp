#include <catch2/catch.hpp>

#include "src/scheduler/occurrence.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/tasks.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;

TEST_CASE("a manager schedules a 1:1 in their own time zone", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", "America/New_York", t.clock.now());
    auto out = t.say("mgr", "/1on1", "schedule <@eng> tuesday 10:00 every 2 weeks");
    CHECK_THAT(out, Catch::Contains("1:1 with @eng every 2 weeks on Tuesday at 10:00 "
                                    "(America/New_York)"));
    CHECK_THAT(out, Catch::Contains("Next: Tue 2026-11-24 10:00 EST"));
    CHECK_THAT(out, Catch::Contains("preparation 2 hours before"));
    CHECK(t.count("SELECT count(*) FROM reminders WHERE state = 'pending'") == 1);
    // Scheduling again replaces the cadence rather than adding a second one.
    t.run("mgr", "/1on1", "schedule <@eng> thu 2pm");
    CHECK(t.count("SELECT count(*) FROM one_on_ones WHERE cancelled_at IS NULL") == 1);
    CHECK(t.count("SELECT count(*) FROM reminders WHERE state = 'pending'") == 1);
}

TEST_CASE("only people above someone may schedule their 1:1s", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    CHECK_THAT(t.say("peer", "/1on1", "schedule <@eng> tuesday 10:00"), Catch::Contains(":lock:"));
    CHECK_THAT(t.say("eng", "/1on1", "schedule <@mgr> tuesday 10:00"), Catch::Contains(":lock:"));
    CHECK(t.count("SELECT count(*) FROM one_on_ones") == 0);
}

TEST_CASE("bad /1on1 input gets a clear answer", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@eng> tuesday"), Catch::Contains("What time?"));
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@eng> 10:00"), Catch::Contains("Which day?"));
    CHECK_THAT(t.say("mgr", "/1on1", "schedule tuesday 10:00"), Catch::Contains("Whom with?"));
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@eng> tuesday 25:00"),
               Catch::Contains("couldn't read `25:00`"));
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@eng> tue 10:00 every 40 weeks"),
               Catch::Contains("1 to 12 weeks"));
    CHECK_THAT(t.say("mgr", "/1on1", "dance"), Catch::Contains("I don't know `/1on1 dance`"));
    CHECK_THAT(t.say("mgr", "/1on1", "help"), Catch::Contains("/1on1 schedule @report"));
}

TEST_CASE("1on1 next lists 1:1s as manager and as report", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.run("mgr", "/1on1", "schedule <@eng> friday 15:00");
    t.run("dir", "/1on1", "schedule <@mgr> monday 09:00");
    auto mgr = t.say("mgr", "/1on1", "next");
    CHECK_THAT(mgr, Catch::Contains("Fri 2026-11-20 15:00 UTC with @eng"));
    CHECK_THAT(mgr, Catch::Contains("Mon 2026-11-23 09:00 UTC with @dir (your manager)"));
    CHECK(mgr.find("@eng") < mgr.find("@dir"));
    CHECK_THAT(t.say("eng", "/1on1", "next"), Catch::Contains("with @mgr (your manager)"));
    CHECK_THAT(t.say("peer", "/1on1", "next"), Catch::Contains("no 1:1s scheduled"));
}

TEST_CASE("skip and cancel change what comes next", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    auto skipped = t.say("mgr", "/1on1", "skip <@eng>");
    CHECK_THAT(skipped, Catch::Contains("Skipped the 1:1 with @eng on Tue 2026-11-24"));
    CHECK_THAT(skipped, Catch::Contains("The next one is Tue 2026-12-01"));
    CHECK_THAT(t.say("mgr", "/1on1", "next"),
               Catch::Contains("the one on Tue 2026-11-24 is skipped"));
    CHECK_THAT(t.say("mgr", "/1on1", "cancel"), Catch::Contains("Whose 1:1s?"));
    CHECK_THAT(t.say("mgr", "/1on1", "cancel <@eng>"), Catch::Contains("Stopped the 1:1s"));
    CHECK(t.count("SELECT count(*) FROM reminders WHERE state = 'pending'") == 0);
    CHECK_THAT(t.say("mgr", "/1on1", "next"), Catch::Contains("no 1:1s scheduled"));
    CHECK_THAT(t.say("mgr", "/1on1", "skip"), Catch::Contains("no 1:1s scheduled as a manager"));
}

TEST_CASE("the Mark done button on a reminder re-checks permission", "[oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    storage::TaskRepo(t.db).add({"eng", "eng", "ship it", "2026-11-30", std::nullopt}, "test",
                                t.clock.now());
    Interaction in;
    in.type = "block_actions";
    in.key = "task_done_from_reminder";
    in.value = R"({"u":"eng","n":1})";
    in.user_id = "peer";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains(":lock:"));
    CHECK_FALSE(storage::TaskRepo(t.db).find("eng", 1)->done());
    in.user_id = "mgr";
    CHECK_THAT(t.text(t.app.handle(t.services, in)),
               Catch::Contains("Marked task *#1* of @eng done"));
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->done());
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("already done"));
    in.value = "garbage";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("out of date"));
}

TEST_CASE("snooze sends the preparation again 30 minutes later", "[oneonone][scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 8));
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.run_due(t.clock.now());
    REQUIRE(sender.sent.size() == 1);
    auto row = storage::ReminderOutbox(t.db).find_key(sender.sent[0].key);
    Interaction in;
    in.type = "block_actions";
    in.key = "reminder_snooze";
    in.value = std::to_string(row->id);
    in.user_id = "eng";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("can't snooze"));
    in.user_id = "mgr";
    CHECK_THAT(t.text(t.app.handle(t.services, in)),
               Catch::Contains("again Tue 2026-11-24 08:30 UTC"));
    t.app.handle(t.services, in);  // a double click plans nothing more
    run_until(s, t.clock, utc(2026, 11, 24, 12));
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.sent[1].at == utc(2026, 11, 24, 8, 30));
    t.clock.set(utc(2026, 11, 24, 9, 45));
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("can't snooze"));
}

TEST_CASE("the Skip button on a preparation skips that 1:1 and the next one says so",
          "[oneonone][scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 8));
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.run_due(t.clock.now());
    REQUIRE(sender.sent.size() == 1);
    CHECK_THAT(rendered(t.db, sender.sent[0].message), Catch::Contains("[Skip this 1:1]"));
    auto row = storage::ReminderOutbox(t.db).find_key(sender.sent[0].key);
    Interaction in;
    in.type = "block_actions";
    in.key = "reminder_skip_one_on_one";
    in.value = std::to_string(row->id);
    in.user_id = "eng";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("can't skip"));
    in.user_id = "mgr";
    CHECK_THAT(t.text(t.app.handle(t.services, in)),
               Catch::Contains("Skipped the 1:1 with @eng on Tue 2026-11-24 10:00 UTC"));
    CHECK_THAT(t.text(t.app.handle(t.services, in)),
               Catch::Contains("can't skip"));  // already skipped

    run_until(s, t.clock, utc(2026, 12, 1, 9));
    REQUIRE(sender.sent.size() == 2);
    CHECK_THAT(rendered(t.db, sender.sent[1].message),
               Catch::Contains("the 1:1 on Tue 2026-11-24 did not take place (skipped by @mgr)"));
}

TEST_CASE("a 1:1 across time zones shows both clocks and warns outside working hours",
          "[oneonone][timezones]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", "Europe/Berlin", t.clock.now());
    set_tz(t.db, "eng", "America/New_York", t.clock.now());
    // 16:00 in Berlin is 10:00 in New York (both on standard time in November).
    auto fine = t.say("mgr", "/1on1", "schedule <@eng> tuesday 16:00");
    CHECK_THAT(fine, Catch::Contains("That is Tue 16:00 in Europe/Berlin for you and Tue 10:00 in "
                                     "America/New_York for @eng."));
    CHECK_THAT(fine, !Catch::Contains(":warning:"));
    // 09:00 in Berlin is 03:00 in New York.
    auto early = t.say("mgr", "/1on1", "schedule <@eng> tuesday 09:00");
    CHECK_THAT(early, Catch::Contains(":warning: That is Tue 03:00 in America/New_York for @eng, "
                                      "outside their working hours (08:00-18:00)"));
    // Same zone: one clock, no translation.
    t.person("local", "mgr");
    set_tz(t.db, "local", "Europe/Berlin", t.clock.now());
    auto same = t.say("mgr", "/1on1", "schedule <@local> wednesday 11:00");
    CHECK_THAT(same, !Catch::Contains("That is"));

    // The working day is configurable.
    t.config.reminders.working_hours = "02:00-12:00";
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@eng> tuesday 09:00"),
               !Catch::Contains(":warning:"));
}

TEST_CASE("a 1:1 at the time of another of the manager's 1:1s is flagged", "[oneonone]") {
    TestApp t;
    t.person("ana", "mgr");
    t.person("ben", "mgr");
    t.person("cy", "mgr");
    t.run("mgr", "/1on1", "schedule <@ana> tuesday 10:00");
    auto clash = t.say("mgr", "/1on1", "schedule <@ben> tuesday 10:15");
    CHECK_THAT(clash, Catch::Contains(":warning: It clashes with your 1:1 with @ana"));
    // Back to back (a 1:1 counts as half an hour) is not a clash; the same slot every other
    // week still is, on the weeks they share.
    t.run("mgr", "/1on1", "schedule <@ana> thursday 14:00 every 2 weeks");
    auto back_to_back = t.say("mgr", "/1on1", "schedule <@cy> thursday 14:30");
    CHECK_THAT(back_to_back, !Catch::Contains("clashes with your 1:1 with @ana"));
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@cy> thursday 14:10"),
               Catch::Contains("clashes with your 1:1 with @ana"));
    // Rescheduling the same report is not a clash with themselves.
    CHECK_THAT(t.say("mgr", "/1on1", "schedule <@ben> tuesday 10:45"),
               !Catch::Contains("clashes with your 1:1 with @ben"));
}
