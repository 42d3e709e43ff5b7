#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include <unistd.h>

#include <date/tz.h>

#include "src/scheduler/occurrence.hpp"
#include "storage/checkins.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;
using scheduler::Scheduler;

namespace {

/// The local wall-clock time of `t` in `tz`, as "YYYY-MM-DD HH:MM".
std::string local(TimePoint t, const std::string& tz) {
    auto z = date::make_zoned(tz, std::chrono::time_point_cast<std::chrono::seconds>(t));
    return date::format("%F %R", z);
}

std::string state_of(storage::Database& db, const std::string& key) {
    auto r = storage::ReminderOutbox(db).find_key(key);
    return r ? r->state : "none";
}

/// A manager `mgr` in `mgr_tz` with a report `eng` in `eng_tz`.
void org(TestApp& t, const std::string& mgr_tz = "America/New_York",
         const std::string& eng_tz = "America/New_York") {
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", mgr_tz, t.clock.now());
    set_tz(t.db, "eng", eng_tz, t.clock.now());
}

}  // namespace

TEST_CASE("a 10:00 New York 1:1 stays at 10:00 local across both DST changes", "[scheduler]") {
    TestApp t;
    t.clock.set(utc(2026, 2, 28, 12));  // a Saturday, EST
    org(t);
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 3, 18));
    REQUIRE(sender.to("mgr").size() == 3);
    // Preparations go out two hours before: 08:00 local, whichever offset applies.
    CHECK(sender.sent[0].at == utc(2026, 3, 3, 13));   // EST, UTC-5
    CHECK(sender.sent[1].at == utc(2026, 3, 10, 12));  // EDT, UTC-4, after 2026-03-08
    for (const auto& m : sender.sent) CHECK(local(m.at, "America/New_York").substr(11) == "08:00");
    CHECK(sender.sent[0].key == "1on1:1:" + std::to_string(to_unix(utc(2026, 3, 3, 15))));
    CHECK(sender.sent[1].key == "1on1:1:" + std::to_string(to_unix(utc(2026, 3, 10, 14))));

    // And back in November (2026-11-01).
    auto sched = *storage::ScheduleRepo(t.db).find(1);
    auto before = scheduler::next_occurrence(sched, utc(2026, 10, 25));
    auto after = scheduler::next_occurrence(sched, before);
    CHECK(before == utc(2026, 10, 27, 14));  // EDT
    CHECK(after == utc(2026, 11, 3, 15));    // EST: the UTC instant moved an hour
    CHECK(local(before, "America/New_York") == "2026-10-27 10:00");
    CHECK(local(after, "America/New_York") == "2026-11-03 10:00");
}

TEST_CASE("the reminder follows the manager's time zone, not the report's", "[scheduler]") {
    TestApp t;
    org(t, "Europe/Berlin", "America/Los_Angeles");
    t.run("mgr", "/1on1", "schedule <@eng> monday 09:30");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 11, 24));
    REQUIRE(sender.sent.size() == 1);
    CHECK(sender.sent[0].user == "mgr");
    CHECK(local(sender.sent[0].at, "Europe/Berlin") == "2026-11-23 07:30");
}

TEST_CASE("every-2-weeks 1:1s come fourteen days apart", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> wednesday 15:00 every 2 weeks");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 31));
    REQUIRE(sender.sent.size() == 3);
    CHECK(sender.sent[0].at == utc(2026, 11, 25, 13));
    CHECK(sender.sent[1].at == utc(2026, 12, 9, 13));
    CHECK(sender.sent[2].at == utc(2026, 12, 23, 13));
}

TEST_CASE("a skipped 1:1 gets no preparation and the next one does", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    CHECK_THAT(t.say("mgr", "/1on1", "skip"), Catch::Contains("Skipped the 1:1 with @eng"));
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 5));
    REQUIRE(sender.sent.size() == 1);
    CHECK(sender.sent[0].at == utc(2026, 12, 1, 8));
    CHECK(state_of(t.db, "1on1:1:" + std::to_string(to_unix(utc(2026, 11, 24, 10)))) == "skipped");
}

TEST_CASE("away pauses 1:1 reminders and the next preparation says what was missed",
          "[scheduler][away]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    CHECK_THAT(t.say("eng", "/away", "2026-11-23 2026-11-27"), Catch::Contains("Away from"));
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 2));
    REQUIRE(sender.sent.size() == 1);
    CHECK(sender.sent[0].at == utc(2026, 12, 1, 8));
    auto skipped = storage::ReminderOutbox(t.db).find_key(
        "1on1:1:" + std::to_string(to_unix(utc(2026, 11, 24, 10))));
    CHECK(skipped->state == "skipped");
    CHECK(skipped->reason == "away:eng");
    auto text = rendered(t.db, sender.sent[0].message);
    CHECK_THAT(text, Catch::Contains("Missed since the last 1:1* (1)"));
    CHECK_THAT(text, Catch::Contains("the 1:1 on Tue 2026-11-24 did not take place (@eng away)"));
    CHECK_THAT(text, Catch::Contains("No 1:1 has taken place yet"));
    // Said once: the preparation after that one no longer mentions it.
    run_until(s, t.clock, utc(2026, 12, 9));
    REQUIRE(sender.sent.size() == 2);
    CHECK_THAT(rendered(t.db, sender.sent[1].message), !Catch::Contains("Missed since"));
}

TEST_CASE("a restart inside the due window sends the due reminder once", "[scheduler]") {
    auto path = std::filesystem::temp_directory_path() /
                ("careerbot-sched-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    Config config;
    ManualClock clock(utc(2026, 11, 20, 10));
    {
        storage::Database db(path.string());
        db.migrate();
        storage::PeopleRepo people(db);
        db.write([&] {
            people.ensure("mgr", "mgr", clock.now());
            people.ensure("eng", "eng", clock.now());
            people.set_manager("eng", "mgr", clock.now());
        });
        storage::OneOnOne o;
        o.manager_id = "mgr";
        o.report_id = "eng";
        o.weekday = 2;
        o.minute_of_day = 600;
        o.tz = "UTC";
        o.anchor_on = "2026-11-24";
        o.created_by = "mgr";
        o = storage::ScheduleRepo(db).create(o, clock.now());
        scheduler::plan_one_on_one(db, config, o, clock.now());
    }                                 // the process stops before the reminder is due
    clock.set(utc(2026, 11, 24, 9));  // back up inside the window (due 08:00, 1:1 at 10:00)
    FakeSender sender(clock);
    {
        storage::Database db(path.string());
        db.migrate();
        Scheduler s(db, config, clock, sender);
        CHECK(s.run_due(clock.now()).sent == 1);
        CHECK(s.run_due(clock.now()).total() == 0);
    }
    {
        storage::Database db(path.string());
        Scheduler s(db, config, clock, sender);
        s.recover();
        CHECK(s.run_due(clock.now()).total() == 0);
    }
    CHECK(sender.sent.size() == 1);
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
}

TEST_CASE("one missed while down is dropped once its 1:1 has passed", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 11));  // the bot was down through the 1:1
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    auto stats = s.run_due(t.clock.now());
    CHECK(stats.dropped == 1);
    CHECK(sender.sent.empty());
    // The next occurrence was planned.
    CHECK(*s.next_due() == utc(2026, 12, 1, 8));
}

TEST_CASE("a crash after Slack got the message is resolved without resending", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 8));
    FakeSender sender(t.clock);
    sender.crash_after_send = true;
    {
        Scheduler s(t.db, t.config, t.clock, sender);
        CHECK_THROWS_AS(s.run_due(t.clock.now()), Crash);
    }
    auto key = "1on1:1:" + std::to_string(to_unix(utc(2026, 11, 24, 10)));
    CHECK(state_of(t.db, key) == "sending");
    sender.crash_after_send = false;
    t.clock.advance(std::chrono::minutes{3});
    Scheduler restarted(t.db, t.config, t.clock, sender);
    auto stats = restarted.recover();
    CHECK(stats.recovered == 1);
    CHECK(sender.sent.size() == 1);
    CHECK(sender.lookups == 1);
    auto row = storage::ReminderOutbox(t.db).find_key(key);
    CHECK(row->state == "sent");
    CHECK(row->message_ts == sender.sent[0].ts);
    CHECK(restarted.run_due(t.clock.now()).total() == 0);
    CHECK(*restarted.next_due() == utc(2026, 12, 1, 8));
}

TEST_CASE("a crash before Slack got the message sends it once on recovery", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 8));
    FakeSender sender(t.clock);
    sender.crash_before_send = true;
    {
        Scheduler s(t.db, t.config, t.clock, sender);
        CHECK_THROWS_AS(s.run_due(t.clock.now()), Crash);
    }
    sender.crash_before_send = false;
    CHECK(sender.sent.empty());
    Scheduler restarted(t.db, t.config, t.clock, sender);
    auto stats = restarted.recover();
    CHECK(stats.sent == 1);
    CHECK(sender.sent.size() == 1);
    restarted.recover();
    restarted.run_due(t.clock.now());
    CHECK(sender.sent.size() == 1);
}

TEST_CASE("a rate-limited send is delayed, then delivered exactly once", "[scheduler]") {
    TestApp t;
    org(t, "UTC", "UTC");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.clock.set(utc(2026, 11, 24, 8));
    FakeSender sender(t.clock);
    sender.fail_next = 1;
    Scheduler s(t.db, t.config, t.clock, sender);
    CHECK(s.run_due(t.clock.now()).retried == 1);
    CHECK(sender.sent.empty());
    CHECK(*s.next_due() == utc(2026, 11, 24, 8, 1));
    t.clock.advance(std::chrono::minutes{1});
    CHECK(s.run_due(t.clock.now()).sent == 1);
    CHECK(sender.sent.size() == 1);
    CHECK(sender.lookups >= 1);  // the retry first checked whether the first try got through
    CHECK(s.run_due(t.clock.now() + std::chrono::minutes{5}).total() == 0);
}

TEST_CASE("task nudges come at 09:00 the assignee's time, and overdue only once", "[scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "eng", "Asia/Tokyo", t.clock.now());
    t.run("eng", "/task", "add write the design doc due 2026-11-25");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 20));
    REQUIRE(sender.sent.size() == 2);
    CHECK(local(sender.sent[0].at, "Asia/Tokyo") == "2026-11-24 09:00");
    CHECK(sender.sent[0].key == "task_due:1:2026-11-25");
    CHECK_THAT(rendered(t.db, sender.sent[0].message),
               Catch::Contains("due 2026-11-25 (in 1 day)"));
    CHECK(local(sender.sent[1].at, "Asia/Tokyo") == "2026-11-26 09:00");
    CHECK(sender.sent[1].key == "task_overdue:1");
    CHECK_THAT(rendered(t.db, sender.sent[1].message), Catch::Contains("overdue by 1 day"));
    CHECK_THAT(rendered(t.db, sender.sent[1].message), Catch::Contains("[Mark #1 done]"));
}

TEST_CASE("a task done before its nudge is not nudged", "[scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("eng", "/task", "add ship it due 2026-11-30");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();
    t.run("eng", "/task", "done 1");
    run_until(s, t.clock, utc(2026, 12, 20));
    CHECK(sender.sent.empty());
    CHECK(state_of(t.db, "task_overdue:1") == "skipped");
}

TEST_CASE("check-in nudges go to the report and the manager on the due date", "[scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", "Europe/London", t.clock.now());
    storage::CheckinRepo(t.db).record_held("eng", "2026-11-20", "mgr", "2027-01-08", t.clock.now());
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2027, 1, 10));
    REQUIRE(sender.sent.size() == 2);
    CHECK(sender.to("eng").size() == 1);
    CHECK(sender.to("mgr").size() == 1);
    CHECK(sender.to("eng")[0].at == utc(2027, 1, 8, 9));
    CHECK_THAT(rendered(t.db, sender.to("mgr")[0].message),
               Catch::Contains("@eng's career check-in is due today"));
}

TEST_CASE("away pauses task nudges", "[scheduler][away]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("eng", "/task", "add ship it due 2026-11-30");
    t.run("eng", "/away", "2026-11-28 2026-11-29");
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 20));
    REQUIRE(sender.sent.size() == 1);  // only the overdue one, after the absence
    CHECK(sender.sent[0].key == "task_overdue:1");
    CHECK(storage::ReminderOutbox(t.db).find_key("task_due:1:2026-11-30")->reason == "away:eng");
}

TEST_CASE("next_due is one indexed MIN and the service polls at least every minute",
          "[scheduler]") {
    TestApp t;
    FakeSender sender(t.clock);
    Scheduler s(t.db, t.config, t.clock, sender);
    CHECK_FALSE(s.next_due().has_value());
    if (t.db.backend() == storage::Backend::sqlite) {  // SQLite's plan; PostgreSQL plans its own
        auto plan = t.db.prepare(
            "EXPLAIN QUERY PLAN SELECT MIN(due_at) FROM reminders "
            "WHERE state = 'pending'");
        std::string detail;
        while (plan.step()) detail += plan.get<std::string>(3) + "\n";
        CHECK_THAT(detail, Catch::Contains("reminders_pending_due"));
    }
    scheduler::ReminderService service(t.db, t.config, t.clock, sender);
    CHECK(*service.next_wakeup() == t.clock.now() + std::chrono::minutes{1});
}
