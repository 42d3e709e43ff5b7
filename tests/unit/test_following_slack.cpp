// Following Slack (issue #16): away statuses and time-zone changes from `user_change`, and the
// selection of profiles to refresh.
#include <catch2/catch.hpp>

#include <date/tz.h>

#include "commands/following_slack.hpp"
#include "src/core/directory.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/reminder_away.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;
using commands::apply_slack_user;
using commands::status_last_day;
using commands::status_says_away;
using nlohmann::json;

namespace {

/// The `user` object of a user_change event, as
/// https://docs.slack.dev/reference/events/user_change/ shows it (the fields careerbot reads, and a
/// few it does not).
json slack_user(const std::string& id, const std::string& tz, const std::string& emoji,
                const std::string& text, int64_t expiration = 0) {
    return json{{"id", id},
                {"team_id", "T1"},
                {"name", id},
                {"deleted", false},
                {"real_name", "Real " + id},
                {"tz", tz},
                {"tz_label", "whatever"},
                {"tz_offset", 0},
                {"profile",
                 {{"real_name", "Real " + id},
                  {"display_name", id},
                  {"status_text", text},
                  {"status_emoji", emoji},
                  {"status_emoji_display_info", json::array()},
                  {"status_expiration", expiration}}},
                {"is_bot", false},
                {"updated", 1700000000}};
}

std::string local(TimePoint t, const std::string& tz) {
    auto z = date::make_zoned(tz, std::chrono::time_point_cast<std::chrono::seconds>(t));
    return date::format("%F %R", z);
}

}  // namespace

TEST_CASE("away statuses: Slack's presets, common words, any case, and what is not away",
          "[following_slack]") {
    Config c;
    CHECK(status_says_away(c, ":palm_tree:", "Vacationing"));
    CHECK(status_says_away(c, ":face_with_thermometer:", "Out sick"));
    CHECK(status_says_away(c, ":Palm_Tree:", ""));
    CHECK(status_says_away(c, "", "OOO until Monday"));
    CHECK(status_says_away(c, ":sunny:", "Out of Office"));
    CHECK(status_says_away(c, "", "on leave"));
    CHECK(status_says_away(c, ":airplane:", "Flying to Lisbon"));
    CHECK_FALSE(status_says_away(c, ":mountain_railway:", "riding a train"));
    CHECK_FALSE(status_says_away(c, ":spiral_calendar_pad:", "In a meeting"));
    CHECK_FALSE(status_says_away(c, "", ""));

    auto custom =
        Config::parse("[slack_status]\naway_emoji = [\":ski:\"]\naway_text = [\"Sabbatical\"]\n");
    CHECK(status_says_away(custom, ":SKI:", ""));
    CHECK(status_says_away(custom, "", "on my sabbatical"));
    CHECK_FALSE(status_says_away(custom, ":palm_tree:", "Vacationing"));
    CHECK_THROWS(Config::parse("[slack_status]\naway_emoji = \":ski:\"\n"));
    CHECK_THROWS(Config::parse("[slack_status]\nprofile_refresh_days = -1\n"));
}

TEST_CASE("a status expiration is the last local day in the person's zone", "[following_slack]") {
    // Slack resets the status at the expiration: midnight starting the 21st in Berlin means
    // away through the 20th.
    int64_t berlin_midnight = to_unix(utc(2026, 12, 20, 23));
    CHECK(status_last_day(berlin_midnight, "Europe/Berlin") == "2026-12-20");
    CHECK(status_last_day(berlin_midnight, "America/New_York") == "2026-12-20");
    CHECK(status_last_day(berlin_midnight, "Asia/Tokyo") == "2026-12-21");
    // 23:59:59 local (Slack's "end of day") is that day too.
    CHECK(status_last_day(to_unix(utc(2026, 12, 21, 4, 59)) + 59, "America/New_York") ==
          "2026-12-20");
    CHECK(status_last_day(0, "Europe/Berlin") == storage::kUntilCleared);
}

TEST_CASE("an away status pauses like /away and clearing it ends only what it made",
          "[following_slack][away]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "eng", "Europe/Berlin", t.clock.now());
    t.run("eng", "/away", "dec 21 to jan 2");
    storage::AwayRepo away(t.db);

    // Vacationing without expiration: away from today until the status is cleared.
    auto r = apply_slack_user(t.services,
                              slack_user("eng", "Europe/Berlin", ":palm_tree:", "Vacationing"));
    CHECK(r.known);
    CHECK(r.away == "started");
    REQUIRE(away.covering("eng", "2026-11-20"));
    CHECK(away.covering("eng", "2027-05-01")->source == "slack_status");
    auto list = t.say("eng", "/away", "list");
    CHECK_THAT(list, Catch::Contains("2026-11-20 → until the status is cleared · from your "
                                     "Slack status :palm_tree: Vacationing"));
    CHECK_THAT(list, Catch::Contains("2026-12-21 → 2027-01-02\n"));

    // The same event again changes nothing; an expiration sets the last day.
    CHECK(apply_slack_user(t.services,
                           slack_user("eng", "Europe/Berlin", ":palm_tree:", "Vacationing"))
              .away.empty());
    r = apply_slack_user(t.services, slack_user("eng", "Europe/Berlin", ":palm_tree:",
                                                "Vacationing", to_unix(utc(2026, 11, 24, 23))));
    CHECK(r.away == "updated");
    CHECK(r.absence->to_on == "2026-11-24");

    // Cleared the day it began: removed; the /away absence stays.
    r = apply_slack_user(t.services, slack_user("eng", "Europe/Berlin", "", ""));
    CHECK(r.away == "ended");
    CHECK_FALSE(away.covering("eng", "2026-11-20"));
    CHECK(away.covering("eng", "2026-12-25"));
    CHECK(t.count("SELECT count(*) FROM away_periods WHERE cancelled_at IS NULL") == 1);

    // Out sick since yesterday, back today: it ends yesterday.
    apply_slack_user(t.services,
                     slack_user("eng", "Europe/Berlin", ":face_with_thermometer:", "Out sick"));
    t.clock.set(utc(2026, 11, 21, 9));
    r = apply_slack_user(t.services,
                         slack_user("eng", "Europe/Berlin", ":computer:", "back at it"));
    CHECK(r.away == "ended");
    CHECK(r.absence->to_on == "2026-11-20");
    CHECK_FALSE(away.covering("eng", "2026-11-21"));
    CHECK(away.covering("eng", "2026-11-20"));
    CHECK(away.covering("eng", "2026-12-25"));  // still never touched

    // An expired status says nothing; nor does someone careerbot does not know (not added).
    CHECK(apply_slack_user(t.services, slack_user("eng", "Europe/Berlin", ":palm_tree:", "",
                                                  to_unix(utc(2026, 11, 21, 8))))
              .away.empty());
    CHECK_FALSE(
        apply_slack_user(t.services, slack_user("stranger", "UTC", ":palm_tree:", "")).known);
    CHECK(t.count("SELECT count(*) FROM people WHERE id = 'stranger'") == 0);
}

TEST_CASE("an away status skips the nudge /away would skip", "[following_slack][scheduler]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("eng", "/task", "add ship it due 2026-11-24");
    apply_slack_user(t.services, slack_user("eng", "UTC", ":palm_tree:", "Vacationing",
                                            to_unix(utc(2026, 11, 26))));
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2026, 12, 20));
    // The due-date nudge (the 23rd) and the overdue one (the 25th) fell inside the status.
    CHECK(sender.sent.empty());
    CHECK(storage::ReminderOutbox(t.db).find_key("task_due:1:2026-11-24")->reason == "away:eng");
    CHECK(storage::ReminderOutbox(t.db).find_key("task_overdue:1")->reason == "away:eng");
}

TEST_CASE("a new time zone moves planned reminders to the same local time, across DST",
          "[following_slack][scheduler]") {
    TestApp t;
    t.clock.set(utc(2026, 3, 5, 12));  // Thursday; the US moves to EDT on 2026-03-08, EU later
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", "Europe/Berlin", t.clock.now());
    set_tz(t.db, "eng", "Europe/Berlin", t.clock.now());
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.run("eng", "/task", "add ship it due 2026-03-10");
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();
    storage::ReminderOutbox outbox(t.db);
    auto due = outbox.find_key("task_due:1:2026-03-10");
    REQUIRE(due);
    CHECK(local(from_unix(due->due_at), "Europe/Berlin") == "2026-03-09 09:00");
    auto prep = outbox.pending_for("mgr");
    REQUIRE(prep.size() == 1);
    CHECK(local(from_unix(*prep[0].occurs_at), "Europe/Berlin") == "2026-03-10 10:00");

    // Both move to New York (still EST on the 5th, EDT from the 8th).
    apply_slack_user(t.services, slack_user("eng", "America/New_York", "", ""));
    auto r = apply_slack_user(t.services, slack_user("mgr", "America/New_York", "", ""));
    CHECK(r.tz_changed);
    due = outbox.find_key("task_due:1:2026-03-10");
    CHECK(local(from_unix(due->due_at), "America/New_York") == "2026-03-09 09:00");
    CHECK(from_unix(due->due_at) == utc(2026, 3, 9, 13));  // EDT, not the EST of today
    CHECK(local(from_unix(due->useful_until), "America/New_York") == "2026-03-11 00:00");

    // The 1:1 continues at 10:00 New York time, as a new cadence; its old row is skipped.
    auto moved = outbox.pending_for("mgr");
    REQUIRE(moved.size() == 1);
    CHECK(from_unix(*moved[0].occurs_at) == utc(2026, 3, 10, 14));
    CHECK(outbox.find(prep[0].id)->reason == "moved");
    auto cadence = storage::ScheduleRepo(t.db).active("mgr", "eng");
    REQUIRE(cadence);
    CHECK(cadence->tz == "America/New_York");
    CHECK(cadence->minute_of_day == 600);

    // Sent at the new times.
    run_until(s, t.clock, utc(2026, 3, 11));
    REQUIRE(sender.to("eng").size() == 1);
    CHECK(sender.to("eng")[0].at == utc(2026, 3, 9, 13));
    REQUIRE(sender.to("mgr").size() == 1);
    CHECK(sender.to("mgr")[0].at == utc(2026, 3, 10, 12));  // two hours before 10:00 EDT

    // The names refresh too; the same zone again moves nothing.
    CHECK(storage::PeopleRepo(t.db).find("mgr")->real_name == "Real mgr");
    CHECK_FALSE(
        apply_slack_user(t.services, slack_user("mgr", "America/New_York", "", "")).tz_changed);
}

TEST_CASE("same_wall_clock keeps the local time across zones and DST", "[following_slack]") {
    // 09:00 Berlin (CET) on 2026-03-09 → 09:00 New York (EDT since the 8th).
    CHECK(scheduler::same_wall_clock(utc(2026, 3, 9, 8), "Europe/Berlin", "America/New_York") ==
          utc(2026, 3, 9, 13));
    // Into a spring-forward gap: 02:30 on 2026-03-08 does not exist in New York.
    CHECK(scheduler::same_wall_clock(utc(2026, 3, 8, 1, 30), "Europe/Berlin", "America/New_York") ==
          utc(2026, 3, 8, 7));
}

TEST_CASE("profiles older than the refresh age are picked, oldest first, bounded",
          "[following_slack]") {
    TestApp t;
    storage::PeopleRepo people(t.db);
    auto now = t.clock.now();
    t.db.write([&] {
        people.upsert_profile({"U1", "one", "One", "UTC", {}}, now - std::chrono::hours(24 * 10));
        people.upsert_profile({"U2", "two", "Two", "UTC", {}}, now - std::chrono::hours(24 * 8));
        people.upsert_profile({"U3", "three", "Three", "UTC", {}}, now - std::chrono::hours(24));
        people.ensure("U4", "U4", now);  // never looked up
    });
    auto week_ago = now - std::chrono::hours(24 * 7);
    CHECK(people.stale_profiles(week_ago, 10) == std::vector<std::string>{"U4", "U1", "U2"});
    CHECK(people.stale_profiles(week_ago, 2) == std::vector<std::string>{"U4", "U1"});
    t.db.write([&] { people.mark_profile_checked("U1", now); });
    CHECK(people.stale_profiles(week_ago, 10) == std::vector<std::string>{"U4", "U2"});
}

TEST_CASE("the console stands in for user_change with /away status", "[following_slack][away]") {
    TestApp t;
    t.person("eng", "mgr");
    auto console = [&](const std::string& who, const std::string& text) {
        Request r;
        r.user_id = who;
        r.command = "/away";
        r.text = text;
        r.received_at = t.clock.now();
        r.source = "console";
        return t.text(t.app.handle(t.services, r));
    };
    CHECK_THAT(t.say("eng", "/away", "status :palm_tree: Vacationing"),
               Catch::Contains("follows your Slack status by itself"));
    CHECK_THAT(console("eng", "status :palm_tree: Vacationing until 2026-11-27"),
               Catch::Contains("nudges pause 2026-11-20 → 2026-11-27"));
    CHECK_THAT(t.say("eng", "/away", "list"), Catch::Contains("from your Slack status"));
    CHECK_THAT(console("mgr", "status <@eng> clear"), Catch::Contains("Only admins"));
    CHECK_THAT(console("eng", "status clear"), Catch::Contains("no longer says away"));
    CHECK_THAT(console("eng", "status tz Mars/Olympus"), Catch::Contains("not an IANA"));
    CHECK_THAT(console("eng", "status tz Asia/Tokyo"), Catch::Contains("now Asia/Tokyo"));
    CHECK(storage::PeopleRepo(t.db).find("eng")->tz == "Asia/Tokyo");
    t.config.org.admins = {"mgr"};
    CHECK_THAT(console("mgr", "status <@eng> :face_with_thermometer: Out sick"),
               Catch::Contains("@eng's Slack status says away"));
}
