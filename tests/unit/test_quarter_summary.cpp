#include <algorithm>
#include <map>
#include <random>
#include <regex>

#include <catch2/catch.hpp>

#include "commands/chart.hpp"
#include "commands/summary_data.hpp"
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
    return t.app.handle(t.services, r);
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
    f.posted_at = to_unix(now);
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
               Catch::Contains(":speech_balloon: 1 feedback · :white_check_mark: 1 task done · "
                               "2 tasks due in the quarter · :warning: 1 overdue"));
    CHECK_THAT(text, Catch::Contains(":dart: IDO “get the AWS cert” · mentor <@mgr> · 1 note, last "
                                     "2026-11-10 · in progress"));
    CHECK_THAT(text,
               Catch::Contains(":calendar: last check-in 2026-10-15 (next due 2026-11-26) · 1 "
                               "this quarter · cadence held"));
    // eng3 checked in last quarter only, and the next one is long overdue.
    CHECK_THAT(text, Catch::Contains(":calendar: last check-in 2026-08-01 (next due 2026-09-12) · "
                                     ":warning: *check-in overdue by 69 days* · 0 this quarter · "
                                     "cadence *not held*"));
    CHECK_THAT(text, Catch::Contains("• with an IDO: 1 of 5 · with a mentor (an IDO's or a "
                                     "standing one): 1 of 5"));
    CHECK_THAT(text, Catch::Contains("• held a check-in this quarter: 1 of 5"));
    CHECK_THAT(text, Catch::Contains("• brags: 4 · feedback received: 1"));
    CHECK_THAT(text, Catch::Contains("• overdue tasks: 1"));
    CHECK_THAT(text,
               Catch::Contains("*No IDO this quarter* (4)\n<@eng2>, <@eng3>, <@mgr>, <@mgr2>"));
    CHECK_THAT(text, Catch::Contains("*No mentor (neither an IDO's nor a standing one)* (4)\n"
                                     "<@eng2>, <@eng3>, <@mgr>, <@mgr2>"));
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
        CHECK_THAT(channel_text, Catch::Contains("• with an IDO: 1 of 5"));
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
    // Several people to a section: 2 messages (a section per person made it 7, more than the 5
    // uses of a response_url).
    CHECK(messages.size() == 2);
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

namespace {

/// An org of `people` below "boss" (managers of 20 included), each with the longest quarter
/// summary a person gets: a long top brag with an impact, an IDO with notes, a late check-in,
/// an overdue task, an open petition.
void generated_org(TestApp& t, int people) {
    t.db.write([&] {
        std::string mgr;
        storage::IdoRepo idos(t.db);
        storage::TaskRepo tasks(t.db);
        storage::CheckinRepo checkins(t.db);
        for (int i = 0; i < people; ++i) {
            // Slack's ids are 11 characters, so mentions are as long as in a real workspace.
            std::string id =
                "U" + std::string(9 - std::to_string(i).size(), '0') + std::to_string(i) + "X";
            if (i % 20 == 0) {
                t.person(id, "boss");
                mgr = id;
            } else {
                t.person(id, mgr);
            }
            brag(t, id, "2026-11-01", "rebuilt the " + std::string(400, 'x'),
                 "p99 " + std::string(200, 'y'), {"design"});
            auto ido = idos.create(id, "2026Q4", "certify " + std::string(250, 'z'), "boss", id,
                                   t.clock.now());
            idos.add_progress(ido.id, id, "module 1", std::nullopt, "2026-11-10", t.clock.now());
            tasks.add({id, mgr, "overdue thing", "2026-11-01", std::nullopt}, "test",
                      t.clock.now());
            checkins.record_held(id, "2026-08-01", mgr, "2026-09-12", t.clock.now());
        }
    });
}

}  // namespace

TEST_CASE("a large org's summary comes in few messages, within Slack's limits",
          "[summary][paging]") {
    // Measured: 50 people 1 message (2 with a section per person), 300 → 3 (7), 1,000 → 9
    // (21). Each person here has the longest detail there is, ~1,150 bytes; a message holds
    // 50 sections of up to 3,000, so the count follows the text, no longer the head count.
    for (auto [people, most] :
         std::vector<std::pair<int, std::size_t>>{{50, 1}, {300, 3}, {1000, 9}}) {
        CAPTURE(people);
        TestApp t;
        generated_org(t, people);
        auto messages = pages(summary(t, "boss", ""));
        CHECK(messages.size() <= most);
        std::string text;
        for (const auto& m : messages) {
            CHECK(m.blocks.size() <= blocks::kMaxBlocks);
            for (const auto& b : m.blocks) {
                if (b.contains("text") && b["text"].contains("text"))
                    CHECK(b["text"]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
            }
        }
        text = section_texts(messages);
        for (int i = 0; i < people; ++i)
            CHECK_THAT(text,
                       Catch::Contains("*<@U" + std::string(9 - std::to_string(i).size(), '0') +
                                       std::to_string(i) + "X>* ·"));
    }
}

TEST_CASE("quarter summary is registered as a deferred command", "[summary]") {
    TestApp t;
    bool found = false;
    for (const auto& c : t.app.commands()) {
        if (c.name == "/quarter-summary") found = c.deferred;
    }
    CHECK(found);
}

namespace {

/// A ladder whose evidence tags include ones that need escaping in JSON.
constexpr const char* kEvidenceLadder = R"(
[[level]]
id = "L1"
title = "one"
training = []
certifications = []
  [[level.dimension]]
  name = "Delivery"
  expectation = "ships"
  tags = ["delivery", "tag\"q"]

[[level]]
id = "L2"
title = "two"
training = ["Onboarding"]
certifications = []
  [[level.dimension]]
  name = "Design"
  expectation = "designs"
  tags = ["design", "back\\slash", "ünïcode"]
)";

/// The summary's per-person brag figures, recounted the slow, obvious way: one query per
/// person, straight from the tables.
struct Recount {
    int brags = 0, job = 0, others = 0, training = 0;
    std::optional<int> top;  // brag number
    std::map<std::string, int> tags;
    int done = 0, overdue = 0;
};

Recount recount(TestApp& t, const std::string& who, const std::vector<std::string>& wanted) {
    Recount r;
    auto b = t.db.prepare(
        "SELECT count(*), sum(CASE WHEN growth = 'job' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN growth = 'others' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN growth = 'training' THEN 1 ELSE 0 END) FROM brags WHERE author_id = ? "
        "AND deleted_at IS NULL AND happened_on BETWEEN '2026-10-01' AND "
        "'2026-12-31'");
    b.bind(who);
    REQUIRE(b.step());
    b.read(r.brags, r.job, r.others, r.training);
    auto top = t.db.prepare(
        "SELECT number FROM brags WHERE author_id = ? AND deleted_at IS NULL "
        "AND happened_on BETWEEN '2026-10-01' AND '2026-12-31' "
        "ORDER BY impact <> '' DESC, happened_on DESC, number DESC LIMIT 1");
    top.bind(who);
    if (top.step()) r.top = top.get<int>(0);
    auto tags = t.db.prepare(
        "SELECT t.tag, count(*) FROM brags b JOIN brag_tags t "
        "ON t.brag_id = b.id WHERE b.author_id = ? AND b.deleted_at IS NULL "
        "AND b.happened_on BETWEEN '2026-07-01' AND '2026-12-31' GROUP BY 1");
    tags.bind(who);
    while (tags.step()) {
        std::string tag = tags.get<std::string>(0);
        if (std::find(wanted.begin(), wanted.end(), tag) != wanted.end())
            r.tags[tag] = tags.get<int>(1);
    }
    auto tasks = t.db.prepare(
        "SELECT COALESCE(sum(CASE WHEN done_at >= ? AND done_at < ? THEN 1 ELSE 0 END), 0), "
        "COALESCE(sum(CASE WHEN done_at IS NULL AND due_on < '2026-11-20' THEN 1 ELSE 0 END), 0) "
        "FROM tasks WHERE assignee_id = ?");
    tasks.bind(to_unix(date::sys_days{date::year{2026} / 10 / 1}),
               to_unix(date::sys_days{date::year{2027} / 1 / 1}), who);
    REQUIRE(tasks.step());
    tasks.read(r.done, r.overdue);
    return r;
}

}  // namespace

TEST_CASE("summary figures for a whole org match a per-person recount", "[summary]") {
    // Random brags over two years (same-day ties, impacts, growth, tags, soft deletes, future
    // dates), tasks, and people outside the org, checked against the obvious per-person SQL.
    TestApp t;
    std::vector<std::string> everyone;
    for (int m = 0; m < 4; ++m) {
        std::string mgr = "m" + std::to_string(m);
        t.person(mgr, "dir");
        everyone.push_back(mgr);
        for (int e = 0; e < 6; ++e) {
            std::string eng = mgr + "e" + std::to_string(e);
            t.person(eng, mgr);
            everyone.push_back(eng);
        }
    }
    t.person("x1", "other");  // outside dir's org
    everyone.push_back("x1");
    t.db.exec("UPDATE people SET level = 'L1'");
    std::mt19937 rng(7);
    const char* tag_pool[] = {"delivery", "design", "misc", "tag\"q", "back\\slash", "ünïcode"};
    const char* growth[] = {"job", "others", "training", nullptr};
    const date::sys_days today = date::sys_days{date::year{2026} / 11 / 20};
    std::map<std::string, int> numbers;
    t.db.write([&] {
        auto brag = t.db.prepare(
            "INSERT INTO brags (author_id, number, text, impact, happened_on, "
            "created_at, updated_at, growth, deleted_at) "
            "VALUES (?, ?, 'did it', ?, ?, 0, 0, ?, ?)");
        auto tag = t.db.prepare(
            "INSERT INTO brag_tags (brag_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING");
        for (int i = 0; i < 3000; ++i) {
            const auto& who = everyone[rng() % everyone.size()];
            const int number = ++numbers[who];
            const char* impact = rng() % 3 == 0 ? "saved a day" : "";
            // Few distinct days, so many brags share one; some are after today.
            const std::string on = iso_day(
                date::year_month_day{today + date::days{40 - 6 * static_cast<int>(rng() % 120)}});
            std::optional<std::string> g;
            if (const char* pick = growth[rng() % 4]) g = pick;
            std::optional<int> deleted;
            if (rng() % 10 == 0) deleted = 1;
            brag.bind(who, number, impact, on, g, deleted).exec();
            const auto id = t.db.last_insert_id();
            for (int k = rng() % 3; k > 0; --k) tag.bind(id, tag_pool[rng() % 6]).exec();
        }
        auto task = t.db.prepare(
            "INSERT INTO tasks (assignee_id, number, text, due_on, creator_id, "
            "created_at, updated_at, done_at) VALUES (?, ?, 't', ?, ?, 0, 0, ?)");
        numbers.clear();
        for (int i = 0; i < 300; ++i) {
            const auto& who = everyone[rng() % everyone.size()];
            const int number = ++numbers[who];
            const std::string due = iso_day(
                date::year_month_day{today + date::days{static_cast<int>(rng() % 120) - 60}});
            std::optional<int64_t> done;
            if (rng() % 2 == 0) done = to_unix(today - date::days{static_cast<int>(rng() % 200)});
            task.bind(who, number, due, who, done).exec();
        }
    });

    auto levels = Levels::parse(kEvidenceLadder);
    auto wanted = levels.evidence_tags();
    auto quarter = quarter_of(date::year_month_day{today}, 1);
    auto s = commands::build_summary(t.db, {"dir", true}, quarter, "2026-11-20", levels, 1);
    REQUIRE(s.people.size() == 28);
    int total = 0;
    for (const auto& p : s.people) {
        INFO(p.id);
        auto r = recount(t, p.id, wanted);
        CHECK(p.brags == r.brags);
        CHECK(p.mix.job == r.job);
        CHECK(p.mix.others == r.others);
        CHECK(p.mix.training == r.training);
        CHECK(p.mix.untagged == r.brags - r.job - r.others - r.training);
        CHECK(p.top_brag.has_value() == r.top.has_value());
        if (p.top_brag && r.top) CHECK(p.top_brag->number == *r.top);
        CHECK(p.evidence.tag_counts == r.tags);
        CHECK(p.tasks_done == r.done);
        CHECK(p.tasks_overdue == r.overdue);
        total += r.brags;
    }
    CHECK(s.total_brags == total);

    // The chart: the quarter's three months, the org's live brags in each.
    auto months = t.db.prepare(
        "SELECT substr(happened_on, 1, 7), count(*) FROM brags "
        "WHERE author_id NOT IN ('dir', 'x1') AND deleted_at IS NULL "
        "AND happened_on BETWEEN '2026-10-01' AND '2026-12-31' GROUP BY 1");
    std::map<std::string, int> expected;
    for (unsigned m = 10; m <= 12; ++m)
        expected[iso_day(date::year{2026} / date::month{m} / 1).substr(0, 7)] = 0;
    while (months.step()) expected[months.get<std::string>(0)] = months.get<int>(1);
    CHECK(std::map<std::string, int>(s.brags_by_month.begin(), s.brags_by_month.end()) == expected);
    CHECK(s.brags_by_month.size() == 3);
}

TEST_CASE("the top brag prefers an impact, then the latest day, then the higher number",
          "[summary]") {
    TestApp t;
    t.person("eng", "mgr");
    brag(t, "eng", "2026-11-10", "newest, no impact");
    brag(t, "eng", "2026-10-02", "old with impact", "big");
    brag(t, "eng", "2026-10-05", "later with impact, first of the day", "bigger");
    brag(t, "eng", "2026-10-05", "later with impact, second of the day", "biggest");
    brag(t, "eng", "2027-01-02", "next quarter with impact", "x");
    auto levels = Levels::parse(kEvidenceLadder);
    auto q4 = quarter_of(date::year{2026} / 11 / 20, 1);
    auto s = commands::build_summary(t.db, {"mgr", true}, q4, "2026-11-20", levels, 1);
    REQUIRE(s.people.size() == 1);
    REQUIRE(s.people[0].top_brag);
    CHECK(s.people[0].top_brag->text == "later with impact, second of the day");
    CHECK(s.people[0].top_brag->impact == "biggest");

    // Without an impact anywhere in the quarter: the latest, and of a day the higher number.
    storage::BragRepo(t.db).soft_delete("eng", 2, t.clock.now());
    storage::BragRepo(t.db).soft_delete("eng", 3, t.clock.now());
    storage::BragRepo(t.db).soft_delete("eng", 4, t.clock.now());
    brag(t, "eng", "2026-11-10", "newest of the day, no impact");
    s = commands::build_summary(t.db, {"mgr", true}, q4, "2026-11-20", levels, 1);
    REQUIRE(s.people[0].top_brag);
    CHECK(s.people[0].top_brag->text == "newest of the day, no impact");
    CHECK(s.people[0].brags == 2);

    // A quarter without brags has no top brag.
    auto q2 = quarter_of(date::year{2026} / 5 / 1, 1);
    s = commands::build_summary(t.db, {"mgr", true}, q2, "2026-11-20", levels, 1);
    CHECK_FALSE(s.people[0].top_brag);
    CHECK(s.people[0].brags == 0);
}

TEST_CASE("a past quarter is reported as it stood at its end", "[summary]") {
    TestApp t;
    t.person("eng", "mgr");
    auto at = [&](int m, int d) {
        t.clock.set(date::sys_days{date::year{2026} / date::month{static_cast<unsigned>(m)} /
                                   date::day{static_cast<unsigned>(d)}} +
                    std::chrono::hours{10});
    };
    storage::TaskRepo tasks(t.db);
    storage::CheckinRepo checkins(t.db);
    at(8, 1);
    tasks.add({"eng", "mgr", "late in Q3, done in Q4", "2026-09-10", std::nullopt}, "test",
              t.clock.now());
    tasks.add({"eng", "mgr", "done in Q3", "2026-09-20", std::nullopt}, "test", t.clock.now());
    checkins.record_held("eng", "2026-08-01", "mgr", "2026-09-12", t.clock.now());
    at(9, 15);
    tasks.mark_done("eng", 2, "eng", t.clock.now());
    at(10, 15);
    checkins.record_held("eng", "2026-10-15", "mgr", "2026-11-26", t.clock.now());
    at(11, 1);
    tasks.mark_done("eng", 1, "eng", t.clock.now());
    t.db.exec(
        "INSERT INTO petitions (person_id, target_level, director_id, packet, created_at, "
        "updated_at) VALUES ('eng', 'L4', 'mgr', 'packet', " +
        std::to_string(to_unix(t.clock.now())) + ", " + std::to_string(to_unix(t.clock.now())) +
        ")");
    at(11, 20);

    auto q3 = section_texts(pages(summary(t, "mgr", "2026Q3")));
    CHECK_THAT(q3, Catch::Contains("as of 2026-09-30 (the quarter's end)"));
    CHECK_THAT(q3, Catch::Contains(":white_check_mark: 1 task done · 2 tasks due in the quarter · "
                                   ":warning: 1 overdue at the quarter's end"));
    CHECK_THAT(q3, Catch::Contains(":calendar: last check-in 2026-08-01 (next due 2026-09-12)"));
    CHECK_THAT(q3, !Catch::Contains("2026-10-15"));
    CHECK_THAT(q3, !Catch::Contains("petition for L4"));
    CHECK_THAT(q3, Catch::Contains("*Overdue tasks* (1)"));

    // Today's quarter shows today's state: both tasks done, the October check-in, the petition.
    auto q4 = section_texts(pages(summary(t, "mgr", "")));
    CHECK_THAT(q4, Catch::Contains("last check-in 2026-10-15"));
    CHECK_THAT(q4, Catch::Contains("open promotion petition for L4"));
    CHECK_THAT(q4, !Catch::Contains(":warning: 1 overdue"));
}

TEST_CASE("a quarter that has not started is refused", "[summary]") {
    TestApp t;
    t.person("eng", "mgr");
    auto out = t.say("mgr", "/quarter-summary", "2027Q2");
    CHECK_THAT(out,
               Catch::Contains("2027Q2 has not started yet (it runs 2027-04-01 – 2027-06-30)"));
    CHECK_THAT(out, !Catch::Contains("Quarter summary"));
}

TEST_CASE("an overdue check-in is flagged and the cadence is not held", "[summary]") {
    TestApp t;
    t.person("eng", "mgr");
    // Held on 2026-10-15 with the next one agreed for 2026-11-04: 16 days overdue on 11-20,
    // though no gap is over 8 weeks yet.
    storage::CheckinRepo(t.db).record_held("eng", "2026-10-15", "mgr", "2026-11-04", t.clock.now());
    auto text = section_texts(pages(summary(t, "mgr", "")));
    CHECK_THAT(text, Catch::Contains("(next due 2026-11-04) · :warning: *check-in overdue by 16 "
                                     "days*"));
    CHECK_THAT(text, Catch::Contains("cadence *not held*"));
    CHECK_THAT(text, Catch::Contains("check-in overdue: 1 of 1"));
    CHECK_THAT(text, Catch::Contains("*Check-in overdue* (1)\n<@eng> (16 days)"));
}

TEST_CASE("the chart and the text give the same 70-20-10 shares, adding up to 100",
          "[summary][chart]") {
    GrowthMix thirds;
    thirds.job = thirds.others = thirds.training = 1;
    CHECK(thirds.percentages() == std::array<int, 3>{34, 33, 33});
    CHECK_THAT(thirds.summary(), Catch::Contains("on the job 1 (34%) · from others 1 (33%) · "
                                                 "training 1 (33%)"));
    auto legend = commands::mix_legend(thirds);
    CHECK(legend[0] == "on the job (70): 1 (34%)");
    CHECK(legend[1] == "from others (20): 1 (33%)");
    CHECK(legend[2] == "training (10): 1 (33%)");

    // Untagged brags are outside the mix in both.
    GrowthMix some;
    some.job = 2;
    some.others = 1;
    some.untagged = 1;
    CHECK_THAT(some.summary(), Catch::Contains("on the job 2 (67%) · from others 1 (33%) · "
                                               "training 0 (0%) · 1 untagged"));
    legend = commands::mix_legend(some);
    CHECK(legend[0] == "on the job (70): 2 (67%)");
    CHECK(legend[1] == "from others (20): 1 (33%)");
    CHECK(legend[3] == "untagged: 1 (not in the mix)");
    CHECK(GrowthMix{}.percentages() == std::array<int, 3>{0, 0, 0});
}

TEST_CASE("a quarterly chart shows that quarter's months", "[summary][chart]") {
    TestApp t;
    t.person("eng", "mgr");
    brag(t, "eng", "2026-08-03", "in Q3");
    brag(t, "eng", "2026-05-03", "in Q2");
    auto levels = Levels::parse(kEvidenceLadder);
    auto q3 = quarter_of(date::year{2026} / 8 / 1, 1);
    auto s = commands::build_summary(t.db, {"mgr", true}, q3, "2026-11-20", levels, 1);
    std::vector<std::pair<std::string, int>> expected{
        {"2026-07", 0}, {"2026-08", 1}, {"2026-09", 0}};
    CHECK(s.brags_by_month == expected);
}

TEST_CASE("one of a thing is said in the singular in the summary", "[summary]") {
    TestApp t;
    t.person("eng", "mgr");
    brag(t, "eng", "2026-11-02", "shipped it");
    storage::TaskRepo tasks(t.db);
    tasks.add({"eng", "mgr", "demo", "2026-11-25", std::nullopt}, "test", t.clock.now());
    tasks.mark_done("eng", 1, "eng", t.clock.now());
    auto text = section_texts(pages(summary(t, "mgr", "")));
    CHECK_THAT(text, Catch::Contains("1 person"));
    CHECK_THAT(text, Catch::Contains(":trophy: 1 brag ·"));
    CHECK_THAT(text, Catch::Contains("1 task done · 1 task due in the quarter"));
    CHECK_THAT(text, !Catch::Contains("1 tasks"));
}
