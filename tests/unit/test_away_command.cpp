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
    CHECK_THAT(list, Catch::Contains("2026-11-21 → 2026-11-21"));
    CHECK(list.find("2026-11-21") < list.find("2026-12-21"));
    CHECK_THAT(t.say("bob", "/away", "list"), Catch::Contains("no absences planned"));
    CHECK_THAT(t.say("alice", "/away", "cancel"), Catch::Contains("cancelled 2 absences"));
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
