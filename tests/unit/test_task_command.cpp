#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {
/// The due date stored for alice's newest task after `/task add thing due <phrase>`.
std::string due_for(TestApp& t, const std::string& phrase) {
    t.run("alice", "/task", "add thing due " + phrase);
    auto open = storage::TaskRepo(t.db).open_for("alice");
    std::string newest;
    int number = 0;
    for (const auto& task : open) {
        if (task.number > number) number = task.number, newest = task.due_on;
    }
    return newest;
}
}  // namespace

// The fixture's today is Friday 2026-11-20.
TEST_CASE("every due-date form reads forward from today", "[task]") {
    TestApp t;
    CHECK(due_for(t, "2026-12-01") == "2026-12-01");
    CHECK(due_for(t, "today") == "2026-11-20");
    CHECK(due_for(t, "tomorrow") == "2026-11-21");
    CHECK(due_for(t, "friday") == "2026-11-27");  // today is a Friday: the next one
    CHECK(due_for(t, "next friday") == "2026-11-27");
    CHECK(due_for(t, "this fri") == "2026-11-27");
    CHECK(due_for(t, "Monday") == "2026-11-23");
    CHECK(due_for(t, "next week") == "2026-11-27");
    CHECK(due_for(t, "next month") == "2026-12-20");
    CHECK(due_for(t, "in 3 days") == "2026-11-23");
    CHECK(due_for(t, "in 2 weeks") == "2026-12-04");
    CHECK(due_for(t, "in 1 month") == "2026-12-20");
    CHECK(due_for(t, "dec 3") == "2026-12-03");
    CHECK(due_for(t, "3 December") == "2026-12-03");
    CHECK(due_for(t, "nov 1") == "2027-11-01");  // the next Nov 1, not the one just gone
    CHECK(due_for(t, "jan 15 2027") == "2027-01-15");
    CHECK(due_for(t, "by friday") == "2026-11-27");
    CHECK(due_for(t, "on dec 3") == "2026-12-03");
    CHECK(t.count("SELECT count(*) FROM tasks") == 18);
}

TEST_CASE("a due date in the past is refused by name and nothing is stored", "[task]") {
    TestApp t;
    for (const char* past :
         {"2026-11-01", "yesterday", "last friday", "3 days ago", "nov 1 2026"}) {
        CAPTURE(past);
        CHECK_THAT(t.say("alice", "/task", std::string("add thing due ") + past),
                   Catch::Contains("is in the past"));
    }
    CHECK_THAT(t.say("alice", "/task", "add thing due 2026-11-01"), Catch::Contains("2026-11-01"));
    CHECK_THAT(t.say("alice", "/task", "add thing due someday"), Catch::Contains("couldn't read"));
    CHECK_THAT(t.say("alice", "/task", "add thing due 2026-02-30"),
               Catch::Contains("couldn't read"));
    CHECK_THAT(t.say("alice", "/task", "add thing due"), Catch::Contains("Put a date after `due`"));
    CHECK_THAT(t.say("alice", "/task", "add write the plan"), Catch::Contains("needs a due date"));
    CHECK(t.count("SELECT count(*) FROM tasks") == 0);
}

TEST_CASE("a task is added for yourself, with creator and due date", "[task]") {
    TestApp t;
    auto out = t.say("alice", "/task", "add fix the due diligence doc due friday");
    CHECK_THAT(out, Catch::Contains("Added task *#1*"));
    CHECK_THAT(out, Catch::Contains("2026-11-27 (in 7 days)"));
    auto task = storage::TaskRepo(t.db).find("alice", 1);
    REQUIRE(task);
    CHECK(task->text == "fix the due diligence doc");
    CHECK(task->creator_id == "alice");
    CHECK(task->due_on == "2026-11-27");
    CHECK(task->source == "test");
    CHECK_FALSE(task->ido_id);
    CHECK(t.count("SELECT count(*) FROM tasks") == 1);
}

TEST_CASE("managers assign tasks down their line; others are refused without a hint", "[task]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.person("outsider");
    auto r = t.run("mgr", "/task", "add write the rollout plan due dec 3 for <@eng>");
    CHECK_THAT(t.text(r), Catch::Contains("for @eng"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "eng");
    Reply dm;
    dm.message = r.dms[0].message;
    CHECK_THAT(t.text(dm), Catch::Contains("@mgr added a task for you"));
    // The skip-level may assign too; `for @x` may come before `due`.
    t.run("dir", "/task", "add present at the guild for <@eng> due in 2 weeks");
    auto tasks = storage::TaskRepo(t.db).open_for("eng");
    REQUIRE(tasks.size() == 2);
    CHECK(tasks[0].creator_id == "mgr");
    CHECK(tasks[0].text == "write the rollout plan");
    CHECK(tasks[1].creator_id == "dir");
    CHECK(tasks[1].text == "present at the guild");

    auto peer = t.say("peer", "/task", "add sabotage due friday for <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK(t.say("eng", "/task", "add manage up due friday for <@mgr>") == peer);
    CHECK(t.say("mgr", "/task", "add x due friday for <@outsider>") == peer);
    // A past date does not get a different answer for someone outside the org either.
    CHECK(t.say("peer", "/task", "add x due 2020-01-01 for <@eng>") == peer);
    CHECK(t.count("SELECT count(*) FROM tasks") == 2);
    CHECK(t.count("SELECT count(*) FROM people WHERE id = 'nobody'") == 0);
}

TEST_CASE("a task for someone careerbot does not know warns and creates nobody", "[task]") {
    TestApp t;
    t.person("eng", "mgr");
    auto out = t.say("mgr", "/task", "add write the plan due friday for <@nobdy>");
    CHECK_THAT(out, Catch::Contains(":warning: I don't know @nobdy"));
    CHECK_THAT(out, Catch::Contains("did not add the task"));
    CHECK_THAT(out, !Catch::Contains("Added task"));
    CHECK(t.count("SELECT count(*) FROM tasks") == 0);
    CHECK(t.count("SELECT count(*) FROM people WHERE id = 'nobdy'") == 0);
    // Someone known but outside the line still gets the plain refusal.
    t.person("outsider");
    CHECK_THAT(t.say("mgr", "/task", "add x due friday for <@outsider>"),
               Catch::Contains(":lock:"));
}

TEST_CASE("task list follows the visibility rules", "[task][visibility]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.person("dana");
    t.run("mgr", "/ido", "set <@eng> learn k8s mentor <@dana>");
    t.run("eng", "/task", "add secret plan due friday");
    t.run("mgr", "/task", "add manager's own task due friday");
    CHECK_THAT(t.say("eng", "/task", "list"), Catch::Contains("secret plan"));
    CHECK_THAT(t.say("mgr", "/task", "list <@eng>"), Catch::Contains("secret plan"));
    CHECK_THAT(t.say("dir", "/task", "list <@eng>"), Catch::Contains("secret plan"));
    CHECK_THAT(t.say("dir", "/task", "status <@eng>"), Catch::Contains("secret plan"));
    auto peer = t.say("peer", "/task", "list <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK_THAT(peer, !Catch::Contains("secret"));
    CHECK(t.say("eng", "/task", "list <@mgr>") == peer);   // a report can't see up
    CHECK(t.say("dana", "/task", "list <@eng>") == peer);  // the mentor sees the IDO only
    CHECK(t.say("peer", "/task", "status <@eng>") == peer);
    CHECK(t.say("peer", "/task", "list <@nobody>") == peer);
    CHECK_THAT(t.say("eng", "/task", "list eng"), Catch::Contains("at most a person"));
}

TEST_CASE("done and reopen touch only the assignee's own numbered task", "[task]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.run("eng", "/task", "add eng's task due friday");
    t.run("peer", "/task", "add peer one due friday");
    t.run("peer", "/task", "add peer two due friday");
    CHECK_THAT(t.say("eng", "/task", "done 2"), Catch::Contains("You have no task #2"));
    CHECK_FALSE(storage::TaskRepo(t.db).find("peer", 2)->done());
    auto lock = t.say("eng", "/task", "done <@peer> 2");
    CHECK_THAT(lock, Catch::Contains(":lock:"));
    CHECK(t.say("eng", "/task", "done <@nobody> 2") == lock);
    CHECK_FALSE(storage::TaskRepo(t.db).find("peer", 2)->done());

    CHECK_THAT(t.say("eng", "/task", "done 1"), Catch::Contains("Marked task *#1* done"));
    CHECK(storage::TaskRepo(t.db).find("eng", 1)->done_by == "eng");
    CHECK_THAT(t.say("eng", "/task", "done 1"), Catch::Contains("already done"));
    CHECK_THAT(t.say("eng", "/task", "reopen 1"), Catch::Contains("Reopened task *#1*"));
    CHECK_FALSE(storage::TaskRepo(t.db).find("eng", 1)->done());
    CHECK_THAT(t.say("eng", "/task", "reopen 1"), Catch::Contains("nothing to reopen"));
    // A manager may close a report's task; it records who did.
    CHECK_THAT(t.say("mgr", "/task", "done <@peer> #2"), Catch::Contains("done"));
    CHECK(storage::TaskRepo(t.db).find("peer", 2)->done_by == "mgr");
    CHECK_THAT(t.say("mgr", "/task", "done <@peer> 9"), Catch::Contains("@peer has no task #9"));
    CHECK_THAT(t.say("eng", "/task", "done"), Catch::Contains("Which task?"));
    CHECK_THAT(t.say("eng", "/task", "done x"), Catch::Contains("Which task?"));
    CHECK(t.count("SELECT count(*) FROM tasks WHERE done_at IS NOT NULL") == 1);
}

TEST_CASE("status puts overdue first, then the next 14 days, then later", "[task]") {
    TestApp t;
    t.run("alice", "/task", "add renew the cert due tomorrow");
    t.run("alice", "/task", "add write the proposal due in 10 days");
    t.run("alice", "/task", "add plan the offsite due in 30 days");
    t.run("alice", "/task", "add already finished due in 2 days");
    t.run("alice", "/task", "done 4");
    t.clock.advance(std::chrono::hours(24 * 3));
    auto out = t.say("alice", "/task", "status");
    CHECK_THAT(out, Catch::Contains("1 overdue, 1 due in the next 14 days, 1 later"));
    CHECK_THAT(out, Catch::Contains("2026-11-21 (2 days overdue)"));
    CHECK_THAT(out, Catch::Contains("2026-11-30 (in 7 days)"));
    CHECK_THAT(out, Catch::Contains("2026-12-20 (in 27 days)"));
    CHECK_THAT(out, !Catch::Contains("already finished"));
    CHECK(out.find("Overdue") < out.find("renew the cert"));
    CHECK(out.find("renew the cert") < out.find("Due in the next 14 days"));
    CHECK(out.find("write the proposal") < out.find("Later"));
    CHECK(out.find("Later") < out.find("plan the offsite"));
    CHECK_THAT(TestApp().say("bob", "/task", "status"), Catch::Contains("No open tasks"));
}

TEST_CASE("relative due dates are counted on the assignee's calendar, whoever looks", "[task]") {
    TestApp t;
    t.run("alice", "/task", "add thing due 2026-11-22");
    t.person("kiwi");
    storage::PeopleRepo(t.db).upsert_profile({"kiwi", "kiwi", "", "Pacific/Auckland", {}},
                                             t.clock.now());
    storage::PeopleRepo(t.db).set_manager("alice", "kiwi", t.clock.now());
    t.clock.advance(std::chrono::hours(2));  // 12:00 UTC: already Nov 21 in Auckland
    CHECK_THAT(t.say("alice", "/task", "list"), Catch::Contains("(in 2 days)"));
    CHECK_THAT(t.say("kiwi", "/task", "list <@alice>"),
               Catch::Contains("(in 2 days, UTC time, @alice's day)"));
}

TEST_CASE("due today from a manager in Los Angeles is today for the report in Tokyo", "[task]") {
    TestApp t;
    t.person("kiyoshi", "mgr");
    storage::PeopleRepo people(t.db);
    people.upsert_profile({"mgr", "mgr", "", "America/Los_Angeles", {}}, t.clock.now());
    people.upsert_profile({"kiyoshi", "kiyoshi", "", "Asia/Tokyo", {}}, t.clock.now());
    // Thu 2026-12-03 17:00 in Los Angeles is Fri 2026-12-04 10:00 in Tokyo.
    t.clock.set(date::sys_days{date::year{2026} / 12 / 4} + std::chrono::hours{1});
    auto added = t.say("mgr", "/task", "add review the design doc due today for <@kiyoshi>");
    CHECK_THAT(added, Catch::Contains("due 2026-12-04 (due today, Tokyo time, @kiyoshi's day)"));
    CHECK(storage::TaskRepo(t.db).find("kiyoshi", 1)->due_on == "2026-12-04");

    auto own = t.say("kiyoshi", "/task", "list");
    CHECK_THAT(own, Catch::Contains("2026-12-04 (due today)"));
    CHECK_THAT(own, !Catch::Contains("overdue"));
    auto status = t.say("kiyoshi", "/task", "status");
    CHECK_THAT(status, Catch::Contains("0 overdue, 1 due in the next 14 days"));
    // The manager sees the same answer, and whose day it is.
    auto theirs = t.say("mgr", "/task", "status <@kiyoshi>");
    CHECK_THAT(theirs, Catch::Contains("0 overdue, 1 due in the next 14 days"));
    CHECK_THAT(theirs, Catch::Contains("(due today, Tokyo time, @kiyoshi's day)"));
    // "Yesterday" where the assignee is refuses, even though it is today for the manager.
    CHECK_THAT(t.say("mgr", "/task", "add x due 2026-12-03 for <@kiyoshi>"),
               Catch::Contains("is in the past, Tokyo time, @kiyoshi's day"));
}

TEST_CASE("a task can be linked to this quarter's IDO", "[task]") {
    TestApp t;
    t.person("dana");
    CHECK_THAT(t.say("alice", "/task", "add read the book due friday ido"),
               Catch::Contains("no IDO for 2026Q4"));
    CHECK(t.count("SELECT count(*) FROM tasks") == 0);
    t.run("alice", "/ido", "set get the CKA certification mentor <@dana>");
    auto out = t.say("alice", "/task", "add read the book due friday ido");
    CHECK_THAT(out, Catch::Contains("IDO"));
    auto task = storage::TaskRepo(t.db).find("alice", 1);
    REQUIRE(task);
    CHECK(task->ido_id);
    CHECK(task->text == "read the book");
    t.run("alice", "/task", "add book the exam ido due in 2 weeks");
    CHECK(storage::TaskRepo(t.db).find("alice", 2)->ido_id);
    CHECK(storage::TaskRepo(t.db).find("alice", 2)->text == "book the exam");
}

TEST_CASE("bad task input is answered clearly and nothing is stored", "[task]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/task", "add due friday"), Catch::Contains("What is the task?"));
    CHECK_THAT(t.say("alice", "/task", "add " + std::string(40 * 1024, 'x') + " due friday"),
               Catch::Contains("a task is at most 4,000 bytes"));
    CHECK_THAT(t.say("alice", "/task", "add " + std::string(4100, 'x') + " due friday"),
               Catch::Contains("That task is 4,100 bytes long; a task is at most 4,000 bytes."));
    CHECK_THAT(t.say("alice", "/task", "add bad \xC3\x28 bytes due friday"),
               Catch::Contains("UTF-8"));
    CHECK_THAT(t.say("alice", "/task", "add \x01\x02 due friday"),
               Catch::Contains("task is empty"));
    CHECK_THAT(t.say("alice", "/task", "frobnicate"), Catch::Contains("/task help"));
    CHECK(t.count("SELECT count(*) FROM tasks") == 0);
    CHECK_THAT(t.say("alice", "/task", "help"), Catch::Contains("/task add <text> due <date>"));
    CHECK_THAT(t.say("alice", "/task", ""), Catch::Contains("/task status"));
}

TEST_CASE("echoed task text can never ping or forge a link", "[task][security]") {
    TestApp t;
    auto r = t.run("alice", "/task",
                   "add &lt;!channel&gt; <!here> <http://evil.example|bank> due friday");
    auto json = r.message->blocks.dump();
    CHECK(json.find("<!channel>") == std::string::npos);
    CHECK(json.find("<!here>") == std::string::npos);
    CHECK(json.find("|bank>") == std::string::npos);
    auto list = t.run("alice", "/task", "list").message->blocks.dump();
    CHECK(list.find("<!channel>") == std::string::npos);
    CHECK(list.find("<!here>") == std::string::npos);
}

TEST_CASE("a long task list is split within Slack's limits", "[task]") {
    TestApp t;
    for (int i = 1; i <= 120; ++i) {
        t.run("alice", "/task",
              "add " + std::string(150, 'a') + " " + std::to_string(i) + " due in " +
                  std::to_string(i) + " days");
    }
    auto r = t.run("alice", "/task", "list");
    std::vector<Message> pages{*r.message};
    pages.insert(pages.end(), r.more.begin(), r.more.end());
    for (const auto& page : pages) {
        CHECK(page.blocks.size() <= blocks::kMaxBlocks);
        for (const auto& b : page.blocks) {
            if (b.contains("text")) CHECK(b["text"]["text"].get<std::string>().size() <= 3000);
        }
    }
    auto all = t.text(r);
    CHECK_THAT(all, Catch::Contains("a 1\n"));
    CHECK_THAT(all, Catch::Contains("a 120\n"));
}
