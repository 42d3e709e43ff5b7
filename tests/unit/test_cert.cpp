#include <catch2/catch.hpp>

#include "fixture.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("training and certifications are recorded, listed and removed", "[cert]") {
    TestApp t;
    CHECK_THAT(t.say("eng", "/cert",
                     "add AWS Solutions Architect 2026-10-02 <https://aws.example/c|cert>"),
               Catch::Contains("Recorded *#1* AWS Solutions Architect (2026-10-02)"));
    CHECK_THAT(t.say("eng", "/cert", "add Incident commander <@x> & co"), Catch::Contains("#2"));
    auto list = t.say("eng", "/cert", "list");
    CHECK_THAT(list, Catch::Contains("2026-10-02 · AWS Solutions Architect"));
    CHECK_THAT(list, Catch::Contains("https://aws.example/c"));
    CHECK_THAT(list, Catch::Contains("2026-11-20 · Incident commander @x & co"));
    CHECK(t.count("SELECT count(*) FROM certs WHERE person_id = 'eng'") == 2);
    CHECK_THAT(t.say("other", "/cert", "remove 1"),
               Catch::Contains("no training or certification #1"));
    CHECK_THAT(t.say("eng", "/cert", "remove 1"), Catch::Contains("Removed #1"));
    CHECK(t.count("SELECT count(*) FROM certs WHERE person_id = 'eng'") == 1);
    CHECK_THAT(t.say("eng", "/cert", "add"), Catch::Contains("What did you complete?"));
    CHECK_THAT(t.say("eng", "/cert", "frobnicate"), Catch::Contains("`add`, `list` or `remove`"));
}

TEST_CASE("certifications are visible like brags: the person and their manager chain",
          "[cert][visibility]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.run("eng", "/cert", "add Secret clearance course");
    CHECK_THAT(t.say("mgr", "/cert", "list <@eng>"), Catch::Contains("Secret clearance course"));
    CHECK_THAT(t.say("dir", "/cert", "list <@eng>"), Catch::Contains("Secret clearance course"));
    auto peer = t.say("peer", "/cert", "list <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK_THAT(peer, !Catch::Contains("Secret"));
    CHECK(t.say("peer", "/cert", "list <@nobody>") == peer);
    CHECK_THAT(t.say("eng", "/cert", "list <@mgr>"), Catch::Contains(":lock:"));
}

TEST_CASE("a certification name over its limit, or an impossible or future date, is refused",
          "[cert]") {
    TestApp t;
    CHECK_THAT(t.say("eng", "/cert", "add " + std::string(300, 'x')),
               Catch::Contains("That certification name is 300 bytes long; a certification name "
                               "is at most 200 bytes."));
    CHECK_THAT(t.say("eng", "/cert", "add AWS Solutions Architect 2026-02-30"),
               Catch::Contains("`2026-02-30` is not a date on the calendar"));
    CHECK_THAT(t.say("eng", "/cert", "add AWS Solutions Architect tomorrow"),
               Catch::Contains("in the future"));
    CHECK(t.count("SELECT count(*) FROM certs") == 0);
}
