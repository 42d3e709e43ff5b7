#include <catch2/catch.hpp>

#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/brags.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/idos.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;

namespace {

storage::Task task(TestApp& t, const std::string& text, const std::string& due) {
    return storage::TaskRepo(t.db).add({"eng", "mgr", text, due, std::nullopt}, "test",
                                       t.clock.now());
}

storage::OneOnOne weekly_tuesday(TestApp& t) {
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    return *storage::ScheduleRepo(t.db).active("mgr", "eng");
}

/// The block of task #`number` in a preparation message, or null.
const nlohmann::json* task_block(const Message& m, int number) {
    for (const auto& b : m.blocks) {
        if (b.value("block_id", "") == scheduler::prep_task_block_id(number)) return &b;
    }
    return nullptr;
}

/// Presses "Mark #`number` done" on `m` as `user`, as Slack would send it.
Reply press_done(TestApp& t, const Message& m, int number, const std::string& user) {
    const auto* b = task_block(m, number);
    REQUIRE(b != nullptr);
    REQUIRE(b->contains("accessory"));
    Interaction in;
    in.type = "block_actions";
    in.key = (*b)["accessory"]["action_id"].get<std::string>();
    in.value = (*b)["accessory"]["value"].get<std::string>();
    in.user_id = user;
    in.response_url = "https://hooks.slack.test/prep";
    return t.app.handle(t.services, in);
}

}  // namespace

TEST_CASE("the preparation lists exactly what to talk about", "[prep]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    auto s = weekly_tuesday(t);  // first one Tue 2026-11-24 10:00 UTC
    task(t, "fix the flaky test", "2026-11-27");
    task(t, "write the RFC", "2026-12-03");
    task(t, "plan Q1", "2026-12-20");  // after the following 1:1: not yet
    auto done = task(t, "already done", "2026-11-29");
    storage::TaskRepo(t.db).mark_done("eng", done.number, "eng", t.clock.now());

    storage::BragRepo brags(t.db);
    brags.add("eng", {"old win", "", "", {}, "2026-11-23", std::nullopt}, "test", t.clock.now());
    brags.add("eng", {"shipped search", "", "", {}, "2026-11-25", std::nullopt}, "test",
              t.clock.now());
    storage::FeedbackRepo feedback(t.db);
    storage::Feedback f;
    f.subject_id = "eng";
    f.author_id = "peer";
    f.saved_by = "peer";
    f.text = "great demo <!channel>";
    f.source = "test";
    f.posted_at = to_unix(utc(2026, 11, 26, 12));
    feedback.add(f, t.clock.now());
    f.text = "older praise";
    f.posted_at = to_unix(utc(2026, 11, 20, 9));
    feedback.add(f, t.clock.now());
    storage::IdoRepo idos(t.db);
    auto ido = idos.create("eng", "2026Q4", "learn Kubernetes", "peer", "mgr", t.clock.now());
    idos.add_progress(ido.id, "eng", "finished the CKA course", std::nullopt, "2026-11-28",
                      t.clock.now());
    storage::CheckinRepo(t.db).record_held("eng", "2026-11-02", "mgr", "2026-12-15", t.clock.now());

    // The preparation for the second 1:1 (Tue 2026-12-01), sent at 08:00 that day.
    auto pages =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 12, 1, 10), utc(2026, 12, 1, 8), 42);
    REQUIRE(pages.size() == 1);
    auto text = rendered(t.db, pages[0]);
    CHECK_THAT(text, Catch::Contains("Your 1:1 with @eng* is Tue 2026-12-01 10:00 UTC"));
    CHECK_THAT(text, Catch::Contains("Ask first about task #1*: fix the flaky test — the most "
                                     "overdue, due 2026-11-27, *overdue by 4 days*"));
    CHECK_THAT(text, Catch::Contains("Tasks due before Tue 2026-12-08 or overdue* (2)"));
    CHECK_THAT(text, Catch::Contains("*#2* write the RFC — due 2026-12-03 (in 2 days)"));
    CHECK_THAT(text, !Catch::Contains("plan Q1"));
    CHECK_THAT(text, !Catch::Contains("already done"));
    CHECK_THAT(text, Catch::Contains("Brags since 2026-11-24* (1)\n• 2026-11-25 · shipped search"));
    CHECK_THAT(text, !Catch::Contains("old win"));
    CHECK_THAT(text, Catch::Contains("Feedback saved since 2026-11-24* (1)"));
    CHECK_THAT(text, Catch::Contains("from @peer: great demo <!channel>"));
    CHECK_THAT(text, !Catch::Contains("older praise"));
    CHECK_THAT(text, Catch::Contains("IDO 2026Q4*: learn Kubernetes (mentor @peer)\n1 progress "
                                     "note, the last 3 days ago: finished the CKA course"));
    CHECK_THAT(text, Catch::Contains("Next check-in*: in 14 days (2026-12-15)"));
    CHECK_THAT(text, Catch::Contains("[Mark #1 done]"));
    CHECK_THAT(text, Catch::Contains("[Mark #2 done]"));
    CHECK_THAT(text, Catch::Contains("[Snooze 30 min]"));
    CHECK_THAT(text, Catch::Contains("Ask-first rule: the most overdue open task, else the one "
                                     "due soonest"));
    // Echoed text is escaped: the feedback's <!channel> can never ping anyone.
    CHECK(pages[0].blocks.dump().find("<!channel>") == std::string::npos);
    CHECK(pages[0].blocks.dump().find("<!date^1796119200^{date_short_pretty} at {time}|") !=
          std::string::npos);
    auto button = pages[0].blocks.dump();
    CHECK(button.find(R"("action_id":"task_done_from_reminder")") != std::string::npos);
    CHECK(button.find(R"(\"n\":1,)") != std::string::npos);
    CHECK(button.find(R"(\"u\":\"eng\")") != std::string::npos);
}

TEST_CASE("with nothing overdue the task due soonest is asked about first", "[prep]") {
    std::vector<storage::Task> tasks(3);
    tasks[0].number = 3;
    tasks[0].due_on = "2026-12-10";
    tasks[1].number = 5;
    tasks[1].due_on = "2026-12-02";
    tasks[2].number = 4;
    tasks[2].due_on = "2026-12-02";
    CHECK(scheduler::ask_first(tasks)->number == 4);
    CHECK_FALSE(scheduler::ask_first({}).has_value());
}

TEST_CASE("a preparation with many tasks is split within Slack's limits", "[prep]") {
    TestApp t;
    t.person("eng", "mgr");
    auto s = weekly_tuesday(t);
    for (int i = 1; i <= 80; ++i) task(t, "task number " + std::to_string(i), "2026-11-21");
    auto pages =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 11, 24, 10), utc(2026, 11, 24, 8), 7);
    REQUIRE(pages.size() >= 2);
    std::string all;
    for (const auto& p : pages) {
        CHECK(p.blocks.size() <= blocks::kMaxBlocks);
        for (const auto& b : p.blocks) {
            if (b.contains("text") && b["text"].contains("text")) {
                CHECK(b["text"]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
            }
        }
        all += rendered(t.db, p);
    }
    CHECK_THAT(all, Catch::Contains("or overdue* (80)"));
    for (int i = 1; i <= 80; ++i) {
        CHECK_THAT(all, Catch::Contains("[Mark #" + std::to_string(i) + " done]"));
    }
}

TEST_CASE("console shows the preparation now with /1on1 prep", "[prep][oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    weekly_tuesday(t);
    task(t, "ship it", "2026-11-19");
    auto out = t.say("mgr", "/1on1", "prep <@eng>");
    CHECK_THAT(out, Catch::Contains("Your 1:1 with @eng* is Tue 2026-11-24 10:00 UTC"));
    CHECK_THAT(out, Catch::Contains("Ask first about task #1*: ship it — the most overdue"));
    CHECK_THAT(out, !Catch::Contains("Snooze"));
    CHECK_THAT(t.say("eng", "/1on1", "prep <@mgr>"), Catch::Contains("no 1:1s scheduled"));
}

TEST_CASE("brags and feedback count from the last 1:1 that took place, not a skipped one",
          "[prep]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    auto s = weekly_tuesday(t);  // Tue 2026-11-24, 12-01, 12-08 … 10:00 UTC
    // The 1:1 of 11-24 takes place; the next day the manager skips the one of 12-01.
    t.clock.set(utc(2026, 11, 25, 9));
    CHECK_THAT(t.say("mgr", "/1on1", "skip <@eng>"), Catch::Contains("Skipped the 1:1"));
    storage::BragRepo(t.db).add("eng", {"shipped search", "", "", {}, "2026-11-26", std::nullopt},
                                "test", t.clock.now());
    storage::Feedback f;
    f.subject_id = "eng";
    f.author_id = f.saved_by = "peer";
    f.text = "great demo";
    f.source = "test";
    f.posted_at = to_unix(utc(2026, 11, 27, 12));
    storage::FeedbackRepo(t.db).add(f, t.clock.now());

    s = *storage::ScheduleRepo(t.db).find(s.id);
    auto pages =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 12, 8, 10), utc(2026, 12, 8, 8), 1);
    auto text = rendered(t.db, pages[0]);
    CHECK_THAT(text, Catch::Contains("Brags since 2026-11-24* (1)\n• 2026-11-26 · shipped search"));
    CHECK_THAT(text, Catch::Contains("Feedback saved since 2026-11-24* (1)"));
    CHECK_THAT(text, Catch::Contains("Missed since the last 1:1* (1)"));
    CHECK_THAT(text, Catch::Contains("the 1:1 on Tue 2026-12-01 did not take place (skipped by "
                                     "@mgr)"));
    CHECK_THAT(text, Catch::Contains("The last 1:1 that took place was Tue 2026-11-24"));

    // Once the 12-08 one has taken place, the window moves on and the skip is not said again.
    auto later =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 12, 15, 10), utc(2026, 12, 15, 8), 2);
    auto later_text = rendered(t.db, later[0]);
    CHECK_THAT(later_text, Catch::Contains("Brags since 2026-12-08* (0)"));
    CHECK_THAT(later_text, !Catch::Contains("Missed since the last 1:1"));
}

TEST_CASE("a 1:1 during either person's absence did not take place", "[prep][away]") {
    for (const std::string who : {"eng", "mgr"}) {
        CAPTURE(who);
        TestApp t;
        t.person("eng", "mgr");
        auto s = weekly_tuesday(t);
        t.clock.set(utc(2026, 11, 25, 9));
        CHECK_THAT(t.say(who, "/away", "2026-11-30 2026-12-04"), Catch::Contains("Away from"));
        storage::BragRepo(t.db).add("eng",
                                    {"fixed the build", "", "", {}, "2026-11-27", std::nullopt},
                                    "test", t.clock.now());
        auto pages = scheduler::prep_message(t.db, t.config, s, utc(2026, 12, 8, 10),
                                             utc(2026, 12, 8, 8), std::nullopt);
        auto text = rendered(t.db, pages[0]);
        CHECK_THAT(text, Catch::Contains("Brags since 2026-11-24* (1)"));
        CHECK_THAT(text, Catch::Contains("fixed the build"));
        CHECK_THAT(text, Catch::Contains("the 1:1 on Tue 2026-12-01 did not take place (@" + who +
                                         " away)"));
    }
}

TEST_CASE("rescheduling a 1:1 keeps counting from the last one that took place", "[prep]") {
    TestApp t;
    t.person("eng", "mgr");
    weekly_tuesday(t);  // 11-24 takes place
    t.clock.set(utc(2026, 11, 25, 9));
    t.run("mgr", "/1on1", "schedule <@eng> thursday 15:00");  // from 11-26 on
    storage::BragRepo(t.db).add("eng", {"wrote the RFC", "", "", {}, "2026-11-25", std::nullopt},
                                "test", t.clock.now());
    auto s = *storage::ScheduleRepo(t.db).active("mgr", "eng");
    auto pages = scheduler::prep_message(t.db, t.config, s, utc(2026, 11, 26, 15),
                                         utc(2026, 11, 26, 13), std::nullopt);
    CHECK_THAT(rendered(t.db, pages[0]), Catch::Contains("Brags since 2026-11-24* (1)"));
}

TEST_CASE("Mark #N done on a preparation redraws it with that task struck through",
          "[prep][oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    auto s = weekly_tuesday(t);
    task(t, "fix the flaky test", "2026-11-19");
    task(t, "write the RFC", "2026-11-23");
    storage::BragRepo(t.db).add("eng", {"shipped search", "", "", {}, "2026-11-20", std::nullopt},
                                "test", t.clock.now());
    auto sent =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 11, 24, 10), utc(2026, 11, 24, 8), 42);
    REQUIRE(sent.size() == 1);
    CHECK_THAT(rendered(t.db, sent[0]), Catch::Contains("Ask first about task #1*"));

    t.clock.set(utc(2026, 11, 24, 9));
    auto reply = press_done(t, sent[0], 1, "mgr");
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->done());
    // The answer is the whole preparation again (it replaces the one with the button).
    REQUIRE(reply.message);
    CHECK(reply.dms.empty());
    const auto& again = *reply.message;
    auto text = rendered(t.db, again);
    CHECK_THAT(text, Catch::Contains("Your 1:1 with @eng* is Tue 2026-11-24 10:00 UTC"));
    CHECK_THAT(text, Catch::Contains("shipped search"));
    CHECK_THAT(text, Catch::Contains("or overdue* (1) · 1 marked done since"));
    CHECK_THAT(text,
               Catch::Contains(":white_check_mark: ~*#1* fix the flaky test~ — done by @mgr"));
    CHECK_THAT(text, Catch::Contains("Ask first about task #2*"));
    CHECK_THAT(text, !Catch::Contains("[Mark #1 done]"));
    CHECK_THAT(text, Catch::Contains("[Mark #2 done]"));
    CHECK_THAT(text, Catch::Contains("[Snooze 30 min]"));  // its own buttons still work
    CHECK_FALSE(task_block(again, 1)->contains("accessory"));

    // The second press, on the redrawn one, keeps the first task struck through.
    auto second = press_done(t, again, 2, "mgr");
    REQUIRE(second.message);
    auto text2 = rendered(t.db, *second.message);
    CHECK_THAT(text2, Catch::Contains("or overdue* (0) · 2 marked done since"));
    CHECK_THAT(text2, Catch::Contains("~*#1* fix the flaky test~"));
    CHECK_THAT(text2, Catch::Contains("~*#2* write the RFC~"));
    CHECK_THAT(text2, !Catch::Contains("[Mark #"));
    CHECK_THAT(text2, Catch::Contains("Ask first:* nothing is due"));
}

TEST_CASE("a preparation that can no longer be drawn stays, and a DM confirms the task",
          "[prep][oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    auto s = weekly_tuesday(t);
    task(t, "fix the flaky test", "2026-11-19");
    auto sent =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 11, 24, 10), utc(2026, 11, 24, 8), 42);
    t.run("mgr", "/1on1", "cancel <@eng>");
    auto reply = press_done(t, sent[0], 1, "mgr");
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->done());
    CHECK_FALSE(reply.message);  // nothing replaces the preparation
    REQUIRE(reply.dms.size() == 1);
    CHECK(reply.dms[0].user_id == "mgr");
    CHECK_THAT(rendered(t.db, reply.dms[0].message),
               Catch::Contains("Marked task *#1* of @eng done: fix the flaky test"));
}

TEST_CASE("the report pressing done on a preparation forwarded to them gets a DM only",
          "[prep][oneonone]") {
    TestApp t;
    t.person("eng", "mgr");
    auto s = weekly_tuesday(t);
    task(t, "fix the flaky test", "2026-11-19");
    auto sent =
        scheduler::prep_message(t.db, t.config, s, utc(2026, 11, 24, 10), utc(2026, 11, 24, 8), 42);
    // The assignee may mark their own task done, but the manager's preparation is not theirs
    // to see: it is not drawn for them.
    auto reply = press_done(t, sent[0], 1, "eng");
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->done());
    CHECK_FALSE(reply.message);
    REQUIRE(reply.dms.size() == 1);
    CHECK_THAT(rendered(t.db, reply.dms[0].message), Catch::Contains("Marked task *#1* done"));
}
