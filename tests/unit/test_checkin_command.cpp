#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/checkins.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {
void at(TestApp& t, date::year_month_day d) {
    t.clock.set(date::sys_days{d} + std::chrono::hours{10});
}
}  // namespace

TEST_CASE("goals, reality and plan are drafted for the next check-in", "[checkin]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/checkin", "goals 6m lead the billing migration"),
               Catch::Contains("Saved your *6-month goals*"));
    t.run("alice", "/checkin", "goals 1y become a senior engineer");
    t.run("alice", "/checkin", "goals 3y run a platform team");
    t.run("alice", "/checkin", "reality strong on delivery, new to design reviews");
    t.run("alice", "/checkin", "plan own the migration; write the RFC");
    CHECK_THAT(t.say("alice", "/checkin", "goals 6 months lead the billing migration end to end"),
               Catch::Contains("replacing what you had"));
    auto d = storage::CheckinRepo(t.db).draft("alice");
    REQUIRE(d);
    CHECK(d->goals_6m == "lead the billing migration end to end");
    CHECK(d->goals_1y == "become a senior engineer");
    CHECK(d->goals_3y == "run a platform team");
    CHECK(d->reality == "strong on delivery, new to design reviews");
    CHECK(d->plan == "own the migration; write the RFC");
    CHECK(t.count("SELECT count(*) FROM checkins") == 1);
    CHECK(t.count("SELECT count(*) FROM checkins WHERE held_on IS NOT NULL") == 0);

    auto out = t.say("alice", "/checkin", "status");
    CHECK_THAT(out, Catch::Contains("*6-month goals:* lead the billing migration end to end"));
    CHECK_THAT(out, Catch::Contains("*3+ year goals:* run a platform team"));
    CHECK_THAT(out, Catch::Contains("*Plan:* own the migration; write the RFC"));
    CHECK_THAT(out, Catch::Contains("none recorded yet"));
}

TEST_CASE("done records the check-in held today and the next due date", "[checkin]") {
    TestApp t;
    t.person("alice", "mgr");
    t.run("alice", "/checkin", "goals 6m ship it");
    auto r = t.run("alice", "/checkin", "done");
    CHECK_THAT(t.text(r), Catch::Contains("held today (2026-11-20)"));
    CHECK_THAT(t.text(r), Catch::Contains("Next one due *2027-01-01* (in 42 days)"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "mgr");  // the manager hears it happened
    auto held = storage::CheckinRepo(t.db).last_held("alice");
    REQUIRE(held);
    CHECK(held->held_on == "2026-11-20");
    CHECK(held->next_due_on == "2027-01-01");
    CHECK(held->recorded_by == "alice");
    CHECK(held->goals_6m == "ship it");
    CHECK_FALSE(storage::CheckinRepo(t.db).draft("alice"));

    // The same day again only moves the next date.
    CHECK_THAT(t.say("alice", "/checkin", "done next 8w"), Catch::Contains("already recorded"));
    CHECK(storage::CheckinRepo(t.db).next_due("alice") == "2027-01-15");
    CHECK(t.count("SELECT count(*) FROM checkins") == 1);

    // Later goals go to a new draft; until rewritten, the last check-in's show.
    t.clock.advance(std::chrono::hours(24));
    t.run("alice", "/checkin", "reality getting better at reviews");
    auto out = t.say("alice", "/checkin", "status");
    CHECK_THAT(out, Catch::Contains("*6-month goals:* ship it  _(from the 2026-11-20 check-in)_"));
    CHECK_THAT(out, Catch::Contains("*Reality:* getting better at reviews\n"));
    CHECK_THAT(out, Catch::Contains("*Last check-in:* 2026-11-20 (yesterday)"));
}

TEST_CASE("the next check-in may be 6-8 weeks out or an explicit later date", "[checkin]") {
    TestApp t;
    t.person("a");
    t.person("b");
    t.person("c");
    t.person("d");
    t.run("a", "/checkin", "done next 7w");
    CHECK(storage::CheckinRepo(t.db).next_due("a") == "2027-01-08");
    t.run("b", "/checkin", "done next 2027-01-10");
    CHECK(storage::CheckinRepo(t.db).next_due("b") == "2027-01-10");
    CHECK_THAT(t.say("c", "/checkin", "done next 2027-03-01"),
               Catch::Contains("more than 8 weeks"));
    CHECK(storage::CheckinRepo(t.db).next_due("c") == "2027-03-01");
    t.run("d", "/checkin", "done next jan 8");
    CHECK(storage::CheckinRepo(t.db).next_due("d") == "2027-01-08");

    CHECK_THAT(t.say("alice", "/checkin", "done next 5w"), Catch::Contains("every 6–8 weeks"));
    CHECK_THAT(t.say("alice", "/checkin", "done next 12 weeks"),
               Catch::Contains("every 6–8 weeks"));
    CHECK_THAT(t.say("alice", "/checkin", "done next 2026-11-01"), Catch::Contains("after today"));
    CHECK_THAT(t.say("alice", "/checkin", "done next someday"), Catch::Contains("couldn't read"));
    CHECK_THAT(t.say("alice", "/checkin", "done soon"), Catch::Contains("takes a person"));
    CHECK(t.count("SELECT count(*) FROM checkins WHERE person_id = 'alice'") == 0);
}

TEST_CASE("a manager records a report's check-in; others cannot", "[checkin]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    auto r = t.run("mgr", "/checkin", "done <@eng> next 6w");
    CHECK_THAT(t.text(r), Catch::Contains("Recorded @eng's check-in"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "eng");
    CHECK(storage::CheckinRepo(t.db).last_held("eng")->recorded_by == "mgr");

    auto peer = t.say("peer", "/checkin", "done <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK(t.say("eng", "/checkin", "done <@mgr>") == peer);
    CHECK(t.say("peer", "/checkin", "done <@nobody>") == peer);
    CHECK(t.count("SELECT count(*) FROM checkins") == 1);
}

TEST_CASE("check-in status follows the visibility rules", "[checkin][visibility]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.run("eng", "/ido", "set learn k8s mentor <@dana>");
    t.run("eng", "/checkin", "goals 1y secret ambition");
    t.run("mgr", "/checkin", "goals 1y manager's own ambition");
    CHECK_THAT(t.say("mgr", "/checkin", "status <@eng>"), Catch::Contains("secret ambition"));
    CHECK_THAT(t.say("dir", "/checkin", "status <@eng>"), Catch::Contains("secret ambition"));
    auto peer = t.say("peer", "/checkin", "status <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK_THAT(peer, !Catch::Contains("secret"));
    CHECK(t.say("eng", "/checkin", "status <@mgr>") == peer);
    CHECK(t.say("dana", "/checkin", "status <@eng>") == peer);
    CHECK(t.say("peer", "/checkin", "status <@nobody>") == peer);
}

TEST_CASE("status flags an overdue check-in", "[checkin]") {
    TestApp t;
    t.run("alice", "/checkin", "done");
    at(t, date::year{2027} / 1 / 5);
    auto out = t.say("alice", "/checkin", "status");
    CHECK_THAT(out, Catch::Contains("*Next due:* 2027-01-01 (4 days overdue) :warning: overdue"));
    CHECK_THAT(out, Catch::Contains("*Last check-in:* 2026-11-20 (6 weeks ago)"));
}

TEST_CASE("status says whether the cadence held", "[checkin]") {
    TestApp held;
    using date::year;
    for (auto d :
         {year{2026} / 2 / 10, year{2026} / 3 / 20, year{2026} / 5 / 1, year{2026} / 6 / 10,
          year{2026} / 7 / 20, year{2026} / 8 / 30, year{2026} / 10 / 10, year{2026} / 11 / 20}) {
        at(held, d);
        held.run("alice", "/checkin", "done");
    }
    CHECK_THAT(held.say("alice", "/checkin", "status"), Catch::Contains("Cadence held"));

    TestApp slipped;
    for (auto d : {year{2026} / 3 / 1, year{2026} / 5 / 20, year{2026} / 11 / 20}) {
        at(slipped, d);
        slipped.run("alice", "/checkin", "done");
    }
    auto out = slipped.say("alice", "/checkin", "status");
    CHECK_THAT(out, Catch::Contains("Cadence slipped"));
    CHECK_THAT(out, Catch::Contains("11 weeks between 2026-03-01 and 2026-05-20"));
    CHECK_THAT(out, Catch::Contains("26 weeks between 2026-05-20 and 2026-11-20"));
    CHECK_THAT(out, Catch::Contains("no check-in in 2026Q3"));
    CHECK_THAT(out, !Catch::Contains("no check-in in 2026Q2"));

    TestApp lapsed;
    lapsed.run("alice", "/checkin", "done");
    at(lapsed, year{2027} / 2 / 1);
    CHECK_THAT(lapsed.say("alice", "/checkin", "status"),
               Catch::Contains("10 weeks since the last one"));
    CHECK_THAT(TestApp().say("bob", "/checkin", "status"),
               Catch::Contains("no check-ins recorded"));
}

TEST_CASE("bad check-in input is answered clearly and nothing is stored", "[checkin]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/checkin", "goals"), Catch::Contains("Which horizon?"));
    CHECK_THAT(t.say("alice", "/checkin", "goals 2y x"), Catch::Contains("Which horizon?"));
    CHECK_THAT(t.say("alice", "/checkin", "goals 6m"), Catch::Contains("Add the text"));
    CHECK_THAT(t.say("alice", "/checkin", "reality"), Catch::Contains("Add the text"));
    CHECK_THAT(t.say("alice", "/checkin", "plan " + std::string(40 * 1024, 'x')),
               Catch::Contains("a check-in entry is at most 4,000 bytes"));
    CHECK_THAT(t.say("alice", "/checkin", "plan bad \xC3\x28"), Catch::Contains("UTF-8"));
    CHECK_THAT(t.say("alice", "/checkin", "plan \x01"), Catch::Contains("is empty"));
    CHECK_THAT(t.say("alice", "/checkin", "frobnicate"), Catch::Contains("/checkin help"));
    CHECK_THAT(t.say("alice", "/checkin", "status alice"), Catch::Contains("at most a person"));
    CHECK(t.count("SELECT count(*) FROM checkins") == 0);
    CHECK_THAT(t.say("alice", "/checkin", "help"), Catch::Contains("/checkin goals 6m|1y|3y"));
    auto r = t.run("alice", "/checkin", "plan <!here> &lt;!channel&gt; <http://evil.example|x>");
    auto json = r.message->blocks.dump();
    CHECK(json.find("<!here>") == std::string::npos);
    CHECK(json.find("<!channel>") == std::string::npos);
    CHECK(json.find("|x>") == std::string::npos);
}

TEST_CASE("a check-in held on an earlier day is recorded with that day", "[checkin]") {
    TestApp t;  // today is Friday 2026-11-20
    t.person("eng", "mgr");
    t.run("eng", "/checkin", "goals 6m ship it");
    auto r = t.run("mgr", "/checkin", "done <@eng> on monday");
    CHECK_THAT(t.text(r), Catch::Contains("Recorded @eng's check-in held 2026-11-16"));
    // Six weeks from the day it was held, not from today.
    CHECK_THAT(t.text(r), Catch::Contains("Next one due *2026-12-28*"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "eng");
    auto held = storage::CheckinRepo(t.db).last_held("eng");
    REQUIRE(held);
    CHECK(held->held_on == "2026-11-16");
    CHECK(held->goals_6m == "ship it");

    // Every past form /task and /brag read.
    for (auto [phrase, day] :
         std::vector<std::pair<std::string, std::string>>{{"on 2026-10-01", "2026-10-01"},
                                                          {"on oct 2", "2026-10-02"},
                                                          {"on 3 days ago", "2026-11-17"},
                                                          {"on yesterday", "2026-11-19"},
                                                          {"on last friday", "2026-11-13"}}) {
        CAPTURE(phrase);
        t.run("eng", "/checkin", "done " + phrase);
        CHECK(storage::CheckinRepo(t.db).held_on("eng", day).has_value());
    }
    // Older ones are history: the latest still sets the next due date, and the draft stays.
    CHECK(storage::CheckinRepo(t.db).last_held("eng")->held_on == "2026-11-19");
    t.run("eng", "/checkin", "reality better at reviews");
    CHECK_THAT(t.say("eng", "/checkin", "done on 2026-09-01"),
               Catch::Contains("The latest one (2026-11-19) still sets"));
    CHECK(storage::CheckinRepo(t.db).draft("eng").has_value());

    CHECK_THAT(t.say("eng", "/checkin", "done on tomorrow"), Catch::Contains("still to come"));
    CHECK_THAT(t.say("eng", "/checkin", "done on someday"),
               Catch::Contains("couldn't read `someday`"));
    CHECK_THAT(t.say("eng", "/checkin", "done on"), Catch::Contains("Held on which day?"));
    CHECK_THAT(t.say("eng", "/checkin", "done on 2026-10-01 next 2026-09-20"),
               Catch::Contains("has to be after the one held on 2026-10-01"));
    CHECK_THAT(t.say("eng", "/checkin", "done on oct 1 next 7w"),
               Catch::Contains("already recorded"));
    CHECK(storage::CheckinRepo(t.db).held_on("eng", "2026-10-01")->next_due_on == "2026-11-19");
}

TEST_CASE("a check-in recorded by mistake is undone; its words go back to the draft", "[checkin]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.run("eng", "/checkin", "done on 2026-10-01");
    t.run("eng", "/checkin", "goals 6m lead the migration");
    t.run("eng", "/checkin", "done");
    CHECK(storage::CheckinRepo(t.db).next_due("eng") == "2027-01-01");

    // Outside the chain: refused like a read, whether or not there is one.
    for (const char* who : {"peer", "stranger"}) {
        CHECK_THAT(t.say(who, "/checkin", "undo <@eng>"), Catch::Contains(":lock:"));
        CHECK(t.say(who, "/checkin", "undo <@eng>") == t.say(who, "/checkin", "undo <@nobody>"));
    }
    CHECK(t.count("SELECT count(*) FROM checkins WHERE held_on IS NOT NULL") == 2);

    auto r = t.run("mgr", "/checkin", "undo <@eng>");
    CHECK_THAT(t.text(r), Catch::Contains("Undid @eng's check-in held 2026-11-20"));
    CHECK_THAT(t.text(r), Catch::Contains("The last one is now 2026-10-01"));
    CHECK_THAT(t.text(r), Catch::Contains("back in the draft"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "eng");
    auto d = storage::CheckinRepo(t.db).draft("eng");
    REQUIRE(d);
    CHECK(d->goals_6m == "lead the migration");
    CHECK(storage::CheckinRepo(t.db).next_due("eng") == "2026-11-12");
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'checkin_undo' AND "
                  "actor = 'mgr' AND subject = 'eng'") == 1);

    // By day; a draft written since keeps its own words.
    CHECK_THAT(t.say("eng", "/checkin", "undo 2026-09-30"),
               Catch::Contains("no check-in held on 2026-09-30"));
    CHECK_THAT(t.say("eng", "/checkin", "undo oct 1"), Catch::Contains("No check-in is recorded"));
    CHECK_THAT(t.say("eng", "/checkin", "undo"), Catch::Contains("nothing to undo"));
    CHECK(t.count("SELECT count(*) FROM checkins") == 1);
    CHECK(t.count("SELECT count(*) FROM audit_log") == 1);  // their own undo is not audited
    CHECK_THAT(t.say("eng", "/checkin", "udno"), Catch::Contains("Did you mean `/checkin undo`?"));
}
