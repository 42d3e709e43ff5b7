#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/core/visibility.hpp"
#include "storage/idos.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("an IDO is set for this quarter with its mentor", "[ido]") {
    TestApp t;
    t.person("dana");
    auto r = t.run("alice", "/ido", "set get the CKA certification mentor <@dana>");
    auto out = t.text(r);
    CHECK_THAT(out, Catch::Contains("IDO for *2026Q4* (2026-10-01 – 2026-12-31)"));
    CHECK_THAT(out, Catch::Contains("Mentor: @dana"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "dana");
    auto ido = storage::IdoRepo(t.db).for_quarter("alice", "2026Q4");
    REQUIRE(ido);
    CHECK(ido->objective == "get the CKA certification");
    CHECK(ido->mentor_id == "dana");
    CHECK(ido->set_by == "alice");
    CHECK(t.count("SELECT count(*) FROM idos") == 1);
}

TEST_CASE("the IDO quarter follows the fiscal year", "[ido]") {
    TestApp t;
    t.config.org.fiscal_year_start_month = 10;  // FY2027 starts in October 2026
    t.run("alice", "/ido", "set learn rust mentor <@dana>");
    CHECK(storage::IdoRepo(t.db).for_quarter("alice", "2027Q1"));
}

TEST_CASE("one IDO a quarter: a second is refused unless replaced explicitly", "[ido]") {
    TestApp t;
    t.run("alice", "/ido", "set learn k8s mentor <@dana>");
    t.run("alice", "/ido", "progress read chapter 1 #10");
    auto second = t.say("alice", "/ido", "set learn go mentor <@erin>");
    CHECK_THAT(second, Catch::Contains("already have an IDO for 2026Q4"));
    CHECK_THAT(second, Catch::Contains("learn k8s"));
    CHECK_THAT(second, Catch::Contains("`replace`"));
    CHECK(storage::IdoRepo(t.db).for_quarter("alice", "2026Q4")->objective == "learn k8s");

    CHECK_THAT(t.say("alice", "/ido", "set learn go mentor <@erin> replace"),
               Catch::Contains("Replaced your IDO"));
    auto ido = storage::IdoRepo(t.db).for_quarter("alice", "2026Q4");
    CHECK(ido->objective == "learn go");
    CHECK(ido->mentor_id == "erin");
    CHECK(storage::IdoRepo(t.db).progress(ido->id).size() == 1);
    CHECK(t.count("SELECT count(*) FROM idos") == 1);

    // A new quarter takes a new IDO.
    t.clock.set(date::sys_days{date::year{2027} / 1 / 5} + std::chrono::hours{10});
    CHECK_THAT(t.say("alice", "/ido", "set learn helm mentor <@dana>"), Catch::Contains("2027Q1"));
    CHECK(t.count("SELECT count(*) FROM idos") == 2);
}

TEST_CASE("managers set IDOs down their line; nobody else can", "[ido]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    auto r = t.run("mgr", "/ido", "set <@eng> run a design review mentor <@dir>");
    CHECK_THAT(t.text(r), Catch::Contains("Set @eng's IDO"));
    CHECK(r.dms.size() == 2);  // the mentor and the mentee hear about it
    CHECK(storage::IdoRepo(t.db).for_quarter("eng", "2026Q4")->set_by == "mgr");

    auto peer = t.say("peer", "/ido", "set <@eng> something mentor <@dir> replace");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK(t.say("eng", "/ido", "set <@mgr> something mentor <@dir>") == peer);
    CHECK(t.say("peer", "/ido", "set <@nobody> something mentor <@dir>") == peer);
    CHECK(storage::IdoRepo(t.db).for_quarter("eng", "2026Q4")->objective == "run a design review");
    CHECK(t.count("SELECT count(*) FROM idos") == 1);
}

TEST_CASE("a mentor has to be someone other than the mentee", "[ido]") {
    TestApp t;
    t.person("eng", "mgr");
    CHECK_THAT(t.say("eng", "/ido", "set learn k8s mentor <@eng>"),
               Catch::Contains("someone other than the mentee"));
    CHECK_THAT(t.say("mgr", "/ido", "set <@eng> learn k8s mentor <@eng>"),
               Catch::Contains("someone other than the mentee"));
    CHECK_THAT(t.say("eng", "/ido", "set learn k8s"), Catch::Contains("Name the quarter's mentor"));
    CHECK_THAT(t.say("eng", "/ido", "set learn k8s mentor"),
               Catch::Contains("Name the quarter's mentor"));
    CHECK(t.count("SELECT count(*) FROM idos") == 0);
    // The manager may mentor their own report.
    CHECK_THAT(t.say("eng", "/ido", "set learn k8s mentor <@mgr>"),
               Catch::Contains("Set your IDO"));
}

TEST_CASE("progress notes carry 70-20-10 tags and status shows them newest first", "[ido]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/ido", "progress did stuff"), Catch::Contains("no IDO for 2026Q4"));
    t.run("alice", "/ido", "set get the CKA certification mentor <@dana>");
    CHECK_THAT(t.say("alice", "/ido", "progress finished the course #10"),
               Catch::Contains("Tagged training (10)"));
    t.clock.advance(std::chrono::hours(24 * 2));
    t.run("alice", "/ido", "progress paired with dana on the cluster #20");
    t.run("alice", "/ido", "progress ran the upgrade at work #job");
    t.run("alice", "/ido", "progress untagged thoughts");
    CHECK(t.count("SELECT count(*) FROM ido_progress") == 4);
    CHECK(t.count("SELECT count(*) FROM ido_progress WHERE growth = 'training'") == 1);
    CHECK(t.count("SELECT count(*) FROM ido_progress WHERE growth IS NULL") == 1);

    t.clock.advance(std::chrono::hours(24 * 9));
    auto out = t.say("alice", "/ido", "status");
    CHECK_THAT(out, Catch::Contains("get the CKA certification"));
    CHECK_THAT(out, Catch::Contains("*Mentor:* @dana · *Quarter:* 2026Q4 · *Status:* in progress"));
    CHECK_THAT(out, Catch::Contains("Last note 9 days ago — weekly notes keep it on track"));
    CHECK_THAT(out, Catch::Contains("on the job 1 (34%) · from others 1 (33%) · training 1 (33%)"));
    CHECK_THAT(out, Catch::Contains("1 untagged"));
    CHECK(out.find("untagged thoughts") < out.find("paired with dana"));
    CHECK(out.find("paired with dana") < out.find("finished the course"));
    CHECK_THAT(out, Catch::Contains("• 2026-11-22 — paired with dana on the cluster #20"));

    t.run("alice", "/ido", "progress caught up");
    CHECK_THAT(t.say("alice", "/ido", "status"), Catch::Contains("Last note today — on track"));
}

TEST_CASE("the mentor sees the IDO and its progress, and nothing else", "[ido][visibility]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.run("eng", "/ido", "set learn k8s mentor <@dana>");
    t.run("eng", "/ido", "progress deployed a pod #70");
    t.run("eng", "/brag", "secret brag");
    t.run("eng", "/checkin", "goals 6m secret goal");
    t.run("eng", "/task", "add secret task due friday");

    CHECK_THAT(t.say("dana", "/ido", "status <@eng>"), Catch::Contains("deployed a pod"));
    CHECK_THAT(t.say("mgr", "/ido", "status <@eng>"), Catch::Contains("learn k8s"));
    CHECK_THAT(t.say("dir", "/ido", "status <@eng>"), Catch::Contains("learn k8s"));
    CHECK_THAT(t.say("dana", "/task", "list <@eng>"), Catch::Contains(":lock:"));
    CHECK_THAT(t.say("dana", "/checkin", "status <@eng>"), Catch::Contains(":lock:"));
    CHECK_THAT(t.say("dana", "/brag", "list <@eng>"), Catch::Contains(":lock:"));

    auto peer = t.say("peer", "/ido", "status <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK_THAT(peer, !Catch::Contains("k8s"));
    // With or without an IDO, known or unknown: the refusal is identical.
    CHECK(t.say("peer", "/ido", "status <@mgr>") == peer);
    CHECK(t.say("eng", "/ido", "status <@mgr>") == peer);
    CHECK(t.say("peer", "/ido", "status <@nobody>") == peer);
    // Mentoring this quarter says nothing about other quarters.
    CHECK(t.say("dana", "/ido", "status <@eng> 2026Q3") == peer);
    CHECK_THAT(t.say("mgr", "/ido", "status <@eng> 2026Q3"), Catch::Contains("none set yet"));
}

TEST_CASE("an IDO is marked achieved once", "[ido]") {
    TestApp t;
    t.person("eng", "mgr");
    CHECK_THAT(t.say("eng", "/ido", "done"), Catch::Contains("no IDO for 2026Q4"));
    t.run("eng", "/ido", "set learn k8s mentor <@dana>");
    auto r = t.run("eng", "/ido", "done");
    CHECK_THAT(t.text(r), Catch::Contains("IDO achieved"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "dana");
    CHECK(t.count("SELECT count(*) FROM idos WHERE achieved_at IS NOT NULL") == 1);
    CHECK_THAT(t.say("eng", "/ido", "done"), Catch::Contains("already marked achieved"));
    CHECK_THAT(t.say("eng", "/ido", "status"), Catch::Contains("achieved 2026-11-20"));
    CHECK_THAT(t.say("dana", "/ido", "done <@eng>"), Catch::Contains(":lock:"));
}

TEST_CASE("bad IDO input is answered clearly and nothing is stored", "[ido]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/ido", "set mentor <@dana>"),
               Catch::Contains("What is the objective?"));
    CHECK_THAT(t.say("alice", "/ido", "set " + std::string(40 * 1024, 'x') + " mentor <@dana>"),
               Catch::Contains("an objective is at most 4,000 bytes"));
    CHECK_THAT(t.say("alice", "/ido", "set bad \xC3\x28 mentor <@dana>"), Catch::Contains("UTF-8"));
    CHECK(t.count("SELECT count(*) FROM idos") == 0);
    t.run("alice", "/ido", "set learn k8s mentor <@dana>");
    CHECK_THAT(t.say("alice", "/ido", "progress"), Catch::Contains("What progress"));
    CHECK_THAT(t.say("alice", "/ido", "progress " + std::string(40 * 1024, 'x')),
               Catch::Contains("a progress note is at most 4,000 bytes"));
    CHECK_THAT(t.say("alice", "/ido", "progress \xFF"), Catch::Contains("UTF-8"));
    CHECK(t.count("SELECT count(*) FROM ido_progress") == 0);
    CHECK_THAT(t.say("alice", "/ido", "status 2026Q9"), Catch::Contains("a person and a quarter"));
    CHECK_THAT(t.say("alice", "/ido", "frobnicate"), Catch::Contains("/ido help"));
    CHECK_THAT(t.say("alice", "/ido", "help"), Catch::Contains("mentor @mentor replace"));
    auto r = t.run("alice", "/ido", "progress <!channel> <http://evil.example|bank> #10");
    auto json = r.message->blocks.dump();
    CHECK(json.find("<!channel>") == std::string::npos);
    CHECK(json.find("|bank>") == std::string::npos);
}

TEST_CASE("replacing an IDO with another mentor tells the old mentor, not the new objective",
          "[ido]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("dana");
    t.person("erin");
    t.run("eng", "/ido", "set learn k8s mentor <@dana>");
    auto r = t.run("mgr", "/ido", "set <@eng> lead the on-call rota mentor <@erin> replace");
    const Message* to_dana = nullptr;
    for (const auto& dm : r.dms) {
        if (dm.user_id == "dana") to_dana = &dm.message;
    }
    REQUIRE(to_dana != nullptr);
    std::string text = blocks::render_text(*to_dana, [](const std::string& id) { return id; });
    CHECK_THAT(text, Catch::Contains("@mgr replaced @eng's IDO for 2026Q4"));
    CHECK_THAT(text, Catch::Contains("no longer mentor"));
    CHECK_THAT(text, !Catch::Contains("on-call"));
    CHECK_FALSE(Visibility(t.db).can_read("dana", "eng", RecordKind::Ido,
                                          {.author_id = {}, .mentor_id = std::string("erin")}));

    // Same mentor, new objective: nobody loses anything, nobody is told they did.
    auto again = t.run("mgr", "/ido", "set <@eng> run the game day mentor <@erin> replace");
    for (const auto& dm : again.dms) CHECK(dm.user_id != "dana");
}

TEST_CASE("naming a mentor careerbot does not know warns", "[ido]") {
    TestApp t;
    t.person("eve", "dana");  // dana manages someone, eve has a manager
    t.say("fay", "/brag", "shipped the search page");
    t.person("ghost");  // only ever mentioned, as the console records an @handle
    for (const char* mentor : {"dana", "eve", "fay"}) {
        INFO(mentor);
        CHECK_THAT(
            t.say("alice", "/ido", "set learn k8s mentor <@" + std::string(mentor) + "> replace"),
            !Catch::Contains("does not know"));
    }
    for (const char* mentor : {"dnaa", "ghost"}) {
        INFO(mentor);
        auto out =
            t.say("bob", "/ido", "set learn go mentor <@" + std::string(mentor) + "> replace");
        CHECK_THAT(out, Catch::Contains(":warning: careerbot does not know @" +
                                        std::string(mentor) + ": they are not in the org chart"));
        CHECK_THAT(out, Catch::Contains("`replace`"));
    }
}
