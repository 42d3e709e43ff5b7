#include <map>
#include <regex>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/brags.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/idos.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

/// Runs /quarter-summary as `user` in a DM (private) or a channel.
Reply summary(TestApp& t, const std::string& user, const std::string& text,
              const std::string& channel = "D1") {
    Request r;
    r.user_id = user;
    r.command = "/quarter-summary";
    r.text = text;
    r.channel_id = channel;
    r.received_at = t.clock.now();
    r.source = "test";
    return t.app.handle(r);
}

void brag(TestApp& t, const std::string& who, const std::string& on, const std::string& text,
          const std::string& impact = "", std::vector<std::string> tags = {}) {
    storage::BragFields f;
    f.text = text;
    f.impact = impact;
    f.tags = std::move(tags);
    f.happened_on = on;
    storage::BragRepo(t.db).add(who, f, "test", t.clock.now());
}

/// dir → mgr → eng1, eng2; dir → mgr2 → eng3; plus another director's org dir2 → m3 → e4.
void seed(TestApp& t) {
    t.person("mgr", "dir");
    t.person("mgr2", "dir");
    t.person("eng1", "mgr");
    t.person("eng2", "mgr");
    t.person("eng3", "mgr2");
    t.person("m3", "dir2");
    t.person("e4", "m3");
    auto now = t.clock.now();
    brag(t, "eng1", "2026-10-05", "fixed login", "", {"bugfix"});
    brag(t, "eng1", "2026-11-02", "designed the cache", "p99 -40%", {"design"});
    brag(t, "eng1", "2026-11-15", "wrote the docs");
    brag(t, "eng1", "2026-08-01", "last quarter's work");
    brag(t, "eng3", "2026-12-01", "future-dated but in the quarter");
    brag(t, "e4", "2026-11-01", "secret of another org");
    storage::Feedback f;
    f.subject_id = "eng1";
    f.author_id = "mgr";
    f.saved_by = "mgr";
    f.text = "great work";
    f.source = "test";
    f.posted_at = storage::to_unix(now);
    storage::FeedbackRepo(t.db).add(f, now);
    storage::TaskRepo tasks(t.db);
    tasks.add({"eng1", "mgr", "write the RFC", "2026-11-01", std::nullopt}, "test", now);
    tasks.add({"eng1", "mgr", "demo", "2026-11-25", std::nullopt}, "test", now);
    tasks.mark_done("eng1", 2, "eng1", now);
    storage::IdoRepo idos(t.db);
    auto ido = idos.create("eng1", "2026Q4", "get the AWS cert", "mgr", "eng1", now);
    idos.add_progress(ido.id, "eng1", "did module 1", std::nullopt, "2026-11-10", now);
    storage::CheckinRepo checkins(t.db);
    checkins.record_held("eng1", "2026-10-15", "mgr", "2026-11-26", now);
    checkins.record_held("eng3", "2026-08-01", "mgr2", "2026-09-12", now);
}

std::vector<Message> pages(const Reply& r) {
    std::vector<Message> out;
    if (r.message) out.push_back(*r.message);
    out.insert(out.end(), r.more.begin(), r.more.end());
    return out;
}

std::string section_texts(const std::vector<Message>& messages) {
    std::string out;
    for (const auto& m : messages) {
        for (const auto& b : m.blocks) {
            if (b.contains("text") && b["text"].contains("text"))
                out += b["text"]["text"].get<std::string>() + "\n";
        }
    }
    return out;
}

}  // namespace

TEST_CASE("quarter summary counts each person's quarter exactly", "[summary]") {
    TestApp t;
    seed(t);
    auto reply = summary(t, "dir", "");
    REQUIRE_FALSE(reply.in_channel);
    auto text = section_texts(pages(reply));
    CHECK_THAT(text, Catch::Contains("Quarter summary 2026Q4"));
    CHECK_THAT(text, Catch::Contains("5 people"));
    // eng1: three brags in Q4 (not the August one); the one with an impact is the top brag.
    CHECK_THAT(text,
               Catch::Contains("*<@eng1>* · level not set · manager <@mgr>\n:trophy: 3 brags "
                               "· top: “designed the cache” — _impact:_ p99 -40% (2026-11-02)"));
    CHECK_THAT(text,
               Catch::Contains(":speech_balloon: 1 feedback · :white_check_mark: 1 tasks done · "
                               ":warning: 1 overdue"));
    CHECK_THAT(text, Catch::Contains(":dart: IDO “get the AWS cert” · mentor <@mgr> · 1 note, last "
                                     "2026-11-10 · in progress"));
    CHECK_THAT(text,
               Catch::Contains(":calendar: last check-in 2026-10-15 (next due 2026-11-26) · 1 "
                               "this quarter · cadence held"));
    // eng3 checked in last quarter only.
    CHECK_THAT(text,
               Catch::Contains(":calendar: last check-in 2026-08-01 (next due 2026-09-12) · 0 "
                               "this quarter · cadence *not held*"));
    CHECK_THAT(text, Catch::Contains("• with an IDO (and a mentor): 1 of 5"));
    CHECK_THAT(text, Catch::Contains("• held a check-in this quarter: 1 of 5"));
    CHECK_THAT(text, Catch::Contains("• brags: 4 · feedback received: 1"));
    CHECK_THAT(text, Catch::Contains("• overdue tasks: 1"));
    CHECK_THAT(text,
               Catch::Contains("*No IDO this quarter (hence no mentor)* (4)\n<@eng2>, <@eng3>, "
                               "<@mgr>, <@mgr2>"));
    CHECK_THAT(text, Catch::Contains("*Overdue tasks* (1)\n<@eng1> (1)"));
    CHECK_THAT(text, !Catch::Contains("e4"));
    CHECK_THAT(text, !Catch::Contains("secret"));
    // The chart goes along as a PNG.
    REQUIRE(reply.files.size() == 1);
    CHECK(reply.files[0].content.substr(1, 3) == "PNG");

    // A past quarter: only the August brag counts.
    auto q3 = section_texts(pages(summary(t, "dir", "2026Q3")));
    CHECK_THAT(q3, Catch::Contains("*<@eng1>* · level not set · manager <@mgr>\n:trophy: 1 brag · "
                                   "top: “last quarter's work”"));
}

TEST_CASE("quarter summary of one person in the org", "[summary]") {
    TestApp t;
    seed(t);
    auto text = section_texts(pages(summary(t, "mgr", "<@eng1>")));
    CHECK_THAT(text, Catch::Contains("1 person"));
    CHECK_THAT(text, Catch::Contains(":trophy: 3 brags"));
    CHECK_THAT(text, !Catch::Contains("<@eng2>"));
}

TEST_CASE("a director is refused another director's org like an unknown person", "[summary]") {
    TestApp t;
    seed(t);
    auto other = t.text(summary(t, "dir", "<@e4>"));
    CHECK_THAT(other, Catch::Contains(":lock:"));
    CHECK_THAT(other, !Catch::Contains("secret"));
    CHECK(t.text(summary(t, "dir", "<@nobody>")) == other);
    CHECK(t.text(summary(t, "mgr2", "<@eng1>")) == other);
    CHECK_THAT(t.text(summary(t, "eng2", "")), Catch::Contains("You have no reports"));
    CHECK_THAT(t.text(summary(t, "dir", "sometime")), Catch::Contains("didn't understand"));
}

TEST_CASE("asked in a channel, the channel gets counts only and the detail goes privately",
          "[summary]") {
    TestApp t;
    seed(t);
    for (const std::string channel : {"C123", "G456"}) {
        auto reply = summary(t, "dir", "", channel);
        CHECK(reply.in_channel);
        auto channel_text = section_texts(pages(reply)) + reply.message->text;
        CHECK_THAT(channel_text, Catch::Contains("• with an IDO (and a mentor): 1 of 5"));
        CHECK_THAT(channel_text, Catch::Contains("• overdue tasks: 1"));
        for (const auto* name : {"<@", "eng", "mgr", "cache", "AWS"})
            CHECK_THAT(channel_text, !Catch::Contains(name));
        REQUIRE_FALSE(reply.dms.empty());
        std::vector<Message> detail;
        for (const auto& dm : reply.dms) {
            CHECK(dm.user_id == "dir");
            detail.push_back(dm.message);
        }
        CHECK_THAT(section_texts(detail), Catch::Contains("*<@eng1>*"));
    }
    // A DM is private: the detail comes back directly.
    auto dm = summary(t, "dir", "", "D999");
    CHECK_FALSE(dm.in_channel);
    CHECK(dm.dms.empty());
}

TEST_CASE("a 300-person summary is split to Slack's limits with everyone once", "[summary]") {
    TestApp t;
    t.db.write([&] {
        for (int m = 0; m < 10; ++m) {
            std::string mgr = "m" + std::to_string(m);
            t.person(mgr, "boss");
            for (int e = 0; e < 29; ++e) {
                std::string eng = "e" + std::to_string(m) + "_" + std::to_string(e);
                t.person(eng, mgr);
                brag(t, eng, "2026-11-01", "& <done> " + std::string(400, 'x'),
                     "made it " + std::string(200, 'y'));
            }
        }
    });
    auto reply = summary(t, "boss", "");
    auto messages = pages(reply);
    CHECK(messages.size() >= 7);
    for (const auto& m : messages) {
        CHECK(m.blocks.size() <= blocks::kMaxBlocks);
        for (const auto& b : m.blocks) {
            if (b.contains("text") && b["text"].contains("text"))
                CHECK(b["text"]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
        }
    }
    auto text = section_texts(messages);
    std::map<std::string, int> seen;
    std::regex header(R"(\*<@([a-z0-9_]+)>\* ·)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), header);
         it != std::sregex_iterator(); ++it)
        ++seen[(*it)[1]];
    CHECK(seen.size() == 300);
    for (const auto& [id, n] : seen) CHECK(n == 1);
    CHECK_THAT(text, Catch::Contains("&amp; &lt;done&gt;"));
}

TEST_CASE("quarter summary is registered as a deferred command", "[summary]") {
    TestApp t;
    bool found = false;
    for (const auto& c : t.app.commands()) {
        if (c.name == "/quarter-summary") found = c.deferred;
    }
    CHECK(found);
}
