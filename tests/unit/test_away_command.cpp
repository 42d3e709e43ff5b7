#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("away is added, listed and cancelled", "[away]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/away", "list"), Catch::Contains("no absences planned"));
    CHECK_THAT(t.say("alice", "/away", "2026-12-21 to 2027-01-02"),
               Catch::Contains("Away from *2026-12-21* to *2027-01-02*"));
    CHECK_THAT(t.say("alice", "/away", "tomorrow"),
               Catch::Contains("Away from *2026-11-21* to *2026-11-21*"));
    auto list = t.say("alice", "/away", "list");
    CHECK_THAT(list, Catch::Contains("#1* · 2026-11-21\n"));
    CHECK_THAT(list, Catch::Contains("#2* · 2026-12-21 → 2027-01-02"));
    CHECK_THAT(t.say("bob", "/away", "list"), Catch::Contains("no absences planned"));
    // Two planned: a bare cancel asks which rather than cancelling both.
    CHECK_THAT(t.say("alice", "/away", "cancel"), Catch::Contains("which one should I cancel?"));
    CHECK_THAT(t.say("alice", "/away", "cancel all"), Catch::Contains("Cancelled 2 absences"));
    CHECK_THAT(t.say("alice", "/away", "cancel"), Catch::Contains("no current or upcoming"));
}

TEST_CASE("bad away dates get a clear answer", "[away]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/away", "someday"), Catch::Contains("couldn't read `someday`"));
    CHECK_THAT(t.say("alice", "/away", "2026-12-10 2026-12-01"),
               Catch::Contains("end date is before"));
    CHECK_THAT(t.say("alice", "/away", "2026-01-01 2026-01-05"), Catch::Contains("already over"));
    CHECK_THAT(t.say("alice", "/away", "2026-12-01 2028-12-01"),
               Catch::Contains("more than a year"));
    CHECK_THAT(t.say("alice", "/away", "2026-13-01"), Catch::Contains("couldn't read"));
    auto raw = t.run("alice", "/away", "<script>");
    CHECK_THAT(raw.message->text + raw.message->blocks.dump(), !Catch::Contains("<script>"));
    CHECK(t.count("SELECT count(*) FROM away_periods") == 0);
}

TEST_CASE("one absence is cancelled by its number or a day it covers, the others kept", "[away]") {
    TestApp t;
    t.run("alice", "/away", "dec 21 to jan 2");
    t.run("alice", "/away", "next friday");
    t.run("alice", "/away", "2027-02-01 2027-02-05");
    // #1 is the earliest: 2026-11-27.
    CHECK_THAT(t.say("alice", "/away", "cancel 1"),
               Catch::Contains("Cancelled your absence 2026-11-27;") &&
                   Catch::Contains("You have 2 more"));
    CHECK_THAT(t.say("alice", "/away", "cancel dec 30"),
               Catch::Contains("Cancelled your absence 2026-12-21 → 2027-01-02"));
    CHECK_THAT(t.say("alice", "/away", "cancel 5"), Catch::Contains("no absence #5"));
    CHECK_THAT(t.say("alice", "/away", "cancel dec 30"), Catch::Contains("None of your absences"));
    CHECK_THAT(t.say("alice", "/away", "cancel soonish"), Catch::Contains("Which absence?"));
    auto list = t.say("alice", "/away", "list");
    CHECK_THAT(list, Catch::Contains("#1* · 2027-02-01 → 2027-02-05"));
    CHECK_THAT(list, !Catch::Contains("2026-12-21"));
    // The only one left: a bare cancel takes it.
    CHECK_THAT(t.say("alice", "/away", "cancel"), Catch::Contains("Cancelled your absence"));
    CHECK(t.count("SELECT count(*) FROM away_periods WHERE cancelled_at IS NULL") == 0);
}

TEST_CASE("away takes the same date forms as /task", "[away]") {
    TestApp t;  // today is Friday 2026-11-20
    auto away = [&](const std::string& args) {
        auto out = t.say("alice", "/away", args);
        t.run("alice", "/away", "cancel all");
        return out;
    };
    CHECK_THAT(away("dec 21 to jan 2"), Catch::Contains("*2026-12-21* to *2027-01-02*"));
    CHECK_THAT(away("dec 21 jan 2"), Catch::Contains("*2026-12-21* to *2027-01-02*"));
    CHECK_THAT(away("from next monday until friday"),
               Catch::Contains("*2026-11-23* to *2026-11-27*"));
    CHECK_THAT(away("friday to monday"), Catch::Contains("*2026-11-27* to *2026-11-30*"));
    CHECK_THAT(away("tomorrow - in 2 weeks"), Catch::Contains("*2026-11-21* to *2026-12-04*"));
    CHECK_THAT(away("today"), Catch::Contains("*2026-11-20* to *2026-11-20*"));
    CHECK_THAT(away("3 december"), Catch::Contains("*2026-12-03* to *2026-12-03*"));
    CHECK_THAT(away("2026-12-21 2027-01-02"), Catch::Contains("*2026-12-21* to *2027-01-02*"));
    CHECK_THAT(away("dec 21 to someday"), Catch::Contains("couldn't read `someday`"));
    CHECK_THAT(away("to friday"), Catch::Contains("From when to when?"));
    CHECK_THAT(t.say("alice", "/away", "lsit"), Catch::Contains("Did you mean `/away list`?"));
}

TEST_CASE("back early ends the current absence yesterday and keeps its past", "[away]") {
    TestApp t;
    t.run("alice", "/away", "2026-11-16 to 2026-11-27");
    CHECK_THAT(t.say("alice", "/away", "back"), Catch::Contains("now ends on 2026-11-19"));
    CHECK(t.count("SELECT count(*) FROM away_periods WHERE to_on = '2026-11-19' AND "
                  "cancelled_at IS NULL") == 1);
    CHECK_THAT(t.say("alice", "/away", "back"), Catch::Contains("not away today"));
    t.run("alice", "/away", "today to friday");
    CHECK_THAT(t.say("alice", "/away", "back"), Catch::Contains("cancelled your absence"));
}
