// The global help: /careerbot in Slack, `help` in the console.
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/console/console.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("/careerbot lists every command once with one line and where each user starts",
          "[help]") {
    TestApp t;
    auto out = t.say("alice", "/careerbot", "");
    for (const auto& c : t.app.commands()) {
        if (c.name == "/careerbot") continue;
        CAPTURE(c.name);
        std::string line = "• `" + c.name + "` — " + c.summary + "\n";
        auto at = out.find(line);
        CHECK(at != std::string::npos);
        CHECK(out.find(line, at + 1) == std::string::npos);
    }
    CHECK_THAT(out, !Catch::Contains("• `/careerbot`"));
    for (const char* who : {"*Engineer:*", "*Manager:*", "*Director:*", "*Admin:*"})
        CHECK_THAT(out, Catch::Contains(who));
    CHECK(t.app.has_command("/careerbot"));
    auto reply = t.run("alice", "/careerbot", "help");
    CHECK(reply.message->blocks.size() <= 50);
    CHECK_FALSE(reply.in_channel);
}

TEST_CASE("/careerbot <command> shows that command's help; nonsense gets the overview", "[help]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/careerbot", "task"), Catch::Contains("/task cancel [@person] N"));
    CHECK_THAT(t.say("alice", "/careerbot", "/away"), Catch::Contains("/away cancel N"));
    auto odd = t.run("alice", "/careerbot", "<script>");
    CHECK_THAT(t.text(odd), Catch::Contains("I don't know") && Catch::Contains("*Where to start*"));
    CHECK_THAT(odd.message->blocks.dump(), !Catch::Contains("<script>"));
}

TEST_CASE("help in the console is the global help", "[help][console]") {
    TestApp t;
    Console console(t.app, t.services, "alice");
    auto out = console.execute("help");
    CHECK_THAT(out, Catch::Contains("*Where to start*"));
    CHECK_THAT(out, Catch::Contains("`/task` — SMART check-in tasks"));
    CHECK(console.execute("/help") == out);
    CHECK(console.execute("  HELP ") == out);
    CHECK_THAT(console.execute("hello"), Catch::Contains("`help` lists them all"));
}
