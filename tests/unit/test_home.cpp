#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

Reply open_home(TestApp& t, const std::string& user, const std::string& tab = "home") {
    Event e;
    e.type = "app_home_opened";
    e.event_id = "Ev" + user + tab;
    e.user_id = user;
    e.body = {{"type", "app_home_opened"}, {"user", user}, {"tab", tab}};
    e.received_at = t.clock.now();
    return t.app.handle(t.services, e);
}

std::string texts(const nlohmann::json& view) {
    std::string out;
    for (const auto& b : view["blocks"]) {
        if (b.contains("text")) out += b["text"]["text"].get<std::string>() + "\n";
        if (b.contains("elements"))
            for (const auto& el : b["elements"])
                if (el.contains("text") && el["text"].is_string())
                    out += el["text"].get<std::string>() + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("an engineer's App Home is their dashboard", "[home]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("eng", "/brag", "shipped the search & more");
    // Already overdue, so stored directly (the command refuses due dates in the past).
    storage::TaskRepo(t.db).add({"eng", "mgr", "write the design doc", "2026-11-10", std::nullopt},
                                "test", t.clock.now());
    auto reply = open_home(t, "eng");
    REQUIRE(reply.home_view);
    const auto& view = *reply.home_view;
    CHECK(view["type"] == "home");
    CHECK(view["blocks"].size() <= blocks::kMaxHomeBlocks);
    auto text = texts(view);
    CHECK_THAT(text, Catch::Contains("*Next 1:1:* none scheduled"));
    CHECK_THAT(text, Catch::Contains("*Recent brags* (1 in all)"));
    CHECK_THAT(text, Catch::Contains("shipped the search &amp; more"));
    CHECK_THAT(text, Catch::Contains("*Open tasks* (1)"));
    CHECK_THAT(text, Catch::Contains("write the design doc — due 2026-11-10 :warning:"));
    CHECK_THAT(text, Catch::Contains("*IDO 2026Q4:* none yet"));
    CHECK_THAT(text, Catch::Contains("*Feedback:* 0 this quarter"));
    CHECK_THAT(text, !Catch::Contains("Your reports"));
}

TEST_CASE("a manager's App Home adds every report's tasks and IDO within 100 blocks", "[home]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/task", "add later thing due 2026-12-20 for <@eng>");
    t.run("mgr", "/task", "add sooner thing due 2026-11-25 for <@eng>");
    auto text = texts(*open_home(t, "mgr").home_view);
    CHECK_THAT(text, Catch::Contains("Your reports"));
    CHECK_THAT(text, Catch::Contains("*<@eng>* — 2 open"));
    CHECK(text.find("sooner thing") < text.find("later thing"));

    t.db.write([&] {
        for (int i = 0; i < 150; ++i) t.person("r" + std::to_string(i), "mgr");
    });
    auto big = *open_home(t, "mgr").home_view;
    CHECK(big["blocks"].size() <= blocks::kMaxHomeBlocks);
    CHECK_THAT(texts(big), Catch::Contains("more reports"));
}

TEST_CASE("a manager's App Home counts a report's overdue tasks on the report's calendar",
          "[home]") {
    TestApp t;
    t.person("kiwi", "mgr");
    storage::PeopleRepo(t.db).upsert_profile({"kiwi", "kiwi", "", "Pacific/Auckland", {}},
                                             t.clock.now());
    storage::TaskRepo(t.db).add({"kiwi", "mgr", "send the report", "2026-11-20", std::nullopt},
                                "test", t.clock.now());
    // 12:00 UTC on 2026-11-20 is already 01:00 on 2026-11-21 in Auckland: overdue there.
    t.clock.set(date::sys_days{date::year{2026} / 11 / 20} + std::chrono::hours{12});
    auto text = texts(*open_home(t, "mgr").home_view);
    CHECK_THAT(text, Catch::Contains("*<@kiwi>* — 1 open, :warning: 1 overdue"));
    CHECK_THAT(text, Catch::Contains("send the report — due 2026-11-20 :warning:"));
}

TEST_CASE("App Home is only drawn for the Home tab", "[home]") {
    TestApp t;
    CHECK_FALSE(open_home(t, "eng", "messages").home_view);
}

TEST_CASE("App Home shows the next 1:1 for the manager and the report", "[home]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    auto mgr = texts(*open_home(t, "mgr").home_view);
    CHECK_THAT(mgr, Catch::Contains("*Next 1:1:* with <@eng> <!date^"));
    auto eng = texts(*open_home(t, "eng").home_view);
    CHECK_THAT(eng, Catch::Contains("*Next 1:1:* with <@mgr> <!date^"));
}

TEST_CASE("App Home sections stay within 3,000 characters when escaping lengthens them", "[home]") {
    TestApp t;
    t.person("eng", "mgr");
    // Clipped to 150 bytes, each line is still 750 once every `&` is escaped as `&amp;`.
    for (int i = 0; i < 3; ++i) {
        storage::TaskRepo(t.db).add(
            {"eng", "mgr", std::string(400, '&'), "2026-12-10", std::nullopt}, "test",
            t.clock.now());
    }
    t.run("mgr", "/ido", "set <@eng> " + std::string(400, '&') + " mentor <@mgr>");
    auto r = open_home(t, "mgr");
    REQUIRE(r.home_view);
    for (const auto& b : (*r.home_view)["blocks"]) {
        if (b.contains("text") && b["text"].contains("text"))
            CHECK(b["text"]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
    }
}

TEST_CASE("App Home shows a standing mentor beside the IDO", "[home][mentor]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("dana");
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    CHECK_THAT(texts(*open_home(t, "eng").home_view),
               Catch::Contains("*IDO 2026Q4:* none yet — `/ido set` · standing mentor <@dana>"));
    t.run("eng", "/ido", "set learn k8s mentor <@mgr>");
    CHECK_THAT(texts(*open_home(t, "eng", "home").home_view),
               Catch::Contains("· mentor <@mgr> · standing mentor <@dana> · 0 notes"));
}
