// The table of reminder kinds (src/scheduler/kinds.*): one row per kind the outbox accepts,
// and each row's skip rule, rendering and follow-up.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "src/scheduler/kinds.hpp"
#include "src/scheduler/occurrence.hpp"
#include "src/scheduler/planning.hpp"
#include "storage/checkins.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;
using scheduler::KindContext;
using scheduler::reminder_kind;

namespace {

/// The kinds the `reminders.kind` CHECK of the migrations accepts (the last CREATE TABLE
/// reminders wins, should a migration ever rebuild the table).
std::set<std::string> kinds_the_schema_accepts() {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& e :
         fs::directory_iterator(fs::path(CAREERBOT_SOURCE_DIR) / "storage" / "migrations")) {
        if (e.path().extension() == ".sql") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    static const std::regex table(R"(CREATE TABLE reminders \(([^;]*)\);)");
    static const std::regex check(R"(kind\s+TEXT NOT NULL\s+CHECK \(kind IN \(([^)]*)\)\))");
    static const std::regex name(R"('([a-z_]+)')");
    std::set<std::string> out;
    for (const auto& f : files) {
        std::stringstream text;
        text << std::ifstream(f).rdbuf();
        const std::string sql = text.str();
        for (std::sregex_iterator t(sql.begin(), sql.end(), table), end; t != end; ++t) {
            std::smatch c;
            std::string body = (*t)[1];
            if (!std::regex_search(body, c, check)) continue;
            out.clear();
            std::string list = c[1];
            for (std::sregex_iterator n(list.begin(), list.end(), name); n != end; ++n) {
                out.insert((*n)[1]);
            }
        }
    }
    return out;
}

storage::Reminder row(storage::Database& db, const std::string& key) {
    auto r = storage::ReminderOutbox(db).find_key(key);
    REQUIRE(r);
    return *r;
}

std::string text_of(storage::Database& db, const std::vector<Message>& pages) {
    std::string out;
    for (const auto& p : pages) out += rendered(db, p);
    return out;
}

}  // namespace

TEST_CASE("every kind the outbox accepts has exactly one row in the kinds table",
          "[scheduler][kinds]") {
    auto schema = kinds_the_schema_accepts();
    REQUIRE(schema.size() >= 4);
    std::set<std::string> table;
    for (const auto& k : scheduler::reminder_kinds()) {
        INFO(k.name);
        CHECK(table.insert(std::string(k.name)).second);  // no kind twice
        CHECK(k.skip_reason != nullptr);
        CHECK(k.render != nullptr);
        CHECK(reminder_kind(k.name) == &k);
    }
    CHECK(table == schema);
    CHECK(reminder_kind("no_such_kind") == nullptr);
    // Only a 1:1 preparation recurs, can be snoozed, and is not listed as a missed nudge.
    CHECK(reminder_kind("one_on_one")->after_finished != nullptr);
    CHECK(reminder_kind("one_on_one")->snoozable);
    CHECK(reminder_kind("one_on_one")->missed_line == nullptr);
    for (const char* nudge : {"task_due", "task_overdue", "checkin"}) {
        INFO(nudge);
        CHECK(reminder_kind(nudge)->after_finished == nullptr);
        CHECK_FALSE(reminder_kind(nudge)->snoozable);
        CHECK(reminder_kind(nudge)->missed_line != nullptr);
    }
}

TEST_CASE("the task kinds: skipped when done, moved or away; rendered due or overdue",
          "[scheduler][kinds]") {
    TestApp t;
    t.person("eng", "mgr");
    t.run("eng", "/task", "add ship it due 2026-11-30");
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();
    const auto* due = reminder_kind("task_due");
    const auto* overdue = reminder_kind("task_overdue");
    auto soon = row(t.db, "task_due:1:2026-11-30");
    auto late = row(t.db, "task_overdue:1");
    KindContext c{t.db, t.config, utc(2026, 11, 29, 9)};

    CHECK_FALSE(due->skip_reason(c, soon).has_value());
    CHECK_FALSE(overdue->skip_reason(c, late).has_value());
    CHECK_THAT(text_of(t.db, due->render(c, soon)),
               Catch::StartsWith(":alarm_clock: Task *#1* is due 2026-11-30"));
    CHECK_THAT(text_of(t.db, overdue->render(c, late)),
               Catch::StartsWith(":warning: Task *#1* is still open"));

    SECTION("a moved due date skips the due-date nudge planned for the old one") {
        t.run("eng", "/task", "due 1 2026-12-04");
        CHECK(due->skip_reason(c, soon) == "moved");
        CHECK_FALSE(overdue->skip_reason(c, late).has_value());  // once per task: it moves
    }
    SECTION("away today") {
        t.run("eng", "/away", "2026-11-29 2026-11-30");
        CHECK(due->skip_reason(c, soon) == "away:eng");
        soon.reason = "away:eng";
        CHECK(due->missed_line(t.db, soon, "UTC") ==
              "• the due-date nudge for task *#1* was not sent (<@eng> away)");
        CHECK(overdue->missed_line(t.db, soon, "UTC") ==
              "• the overdue nudge for task *#1* was not sent (<@eng> away)");
    }
    SECTION("done") {
        t.run("eng", "/task", "done 1");
        CHECK(due->skip_reason(c, soon) == "done");
        CHECK(overdue->skip_reason(c, late) == "done");
    }
}

TEST_CASE("the checkin kind: superseded by another date; says whose check-in it is",
          "[scheduler][kinds]") {
    TestApp t;
    t.person("eng", "mgr");
    storage::CheckinRepo(t.db).record_held("eng", "2026-11-20", "mgr", "2027-01-08", t.clock.now());
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    s.sync();
    const auto* checkin = reminder_kind("checkin");
    auto to_eng = row(t.db, "checkin:eng:2027-01-08:eng");
    auto to_mgr = row(t.db, "checkin:eng:2027-01-08:mgr");
    KindContext c{t.db, t.config, utc(2027, 1, 8, 9)};
    CHECK_FALSE(checkin->skip_reason(c, to_eng).has_value());
    CHECK_THAT(text_of(t.db, checkin->render(c, to_eng)),
               Catch::Contains("Your career check-in is due today"));
    CHECK_THAT(text_of(t.db, checkin->render(c, to_mgr)),
               Catch::Contains("@eng's career check-in is due today"));

    auto other = to_eng;
    other.key = "checkin:eng:2027-01-15:eng";
    CHECK(checkin->skip_reason(c, other) == "superseded");
    other.key = "checkin:eng";  // not a key this kind plans
    CHECK(checkin->skip_reason(c, other) == "superseded");
    CHECK(checkin->render(c, other).empty());

    to_eng.reason = "away:eng";
    CHECK_THAT(checkin->missed_line(t.db, to_eng, "UTC"),
               Catch::StartsWith("• the check-in nudge for ") &&
                   Catch::EndsWith(" was not sent (<@eng> away)"));
}

TEST_CASE("the one_on_one kind: skip, cancel and away rules; the next occurrence follows",
          "[scheduler][kinds]") {
    TestApp t;
    t.person("eng", "mgr");
    set_tz(t.db, "mgr", "UTC", t.clock.now());
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    const auto* one = reminder_kind("one_on_one");
    const std::string first = "1on1:1:" + std::to_string(to_unix(utc(2026, 11, 24, 10)));
    const std::string second = "1on1:1:" + std::to_string(to_unix(utc(2026, 12, 1, 10)));
    auto r = row(t.db, first);
    KindContext c{t.db, t.config, utc(2026, 11, 24, 8)};

    CHECK_FALSE(one->skip_reason(c, r).has_value());
    CHECK_THAT(text_of(t.db, one->render(c, r)), Catch::Contains("Your 1:1 with @eng"));
    CHECK_FALSE(storage::ReminderOutbox(t.db).find_key(second));
    t.db.write([&] { one->after_finished(c, r); });
    CHECK(storage::ReminderOutbox(t.db).find_key(second));

    SECTION("away on the day of the 1:1") {
        t.run("eng", "/away", "2026-11-24");
        CHECK(one->skip_reason(c, r) == "away:eng");
    }
    SECTION("skipped") {
        t.run("mgr", "/1on1", "skip");
        CHECK(one->skip_reason(c, r) == "skip");
    }
    SECTION("cancelled: skipped, and nothing follows") {
        t.run("mgr", "/1on1", "cancel <@eng>");
        CHECK(one->skip_reason(c, r) == "cancelled");
        auto later = row(t.db, second);
        const std::string third = "1on1:1:" + std::to_string(to_unix(utc(2026, 12, 8, 10)));
        t.db.write([&] { one->after_finished(c, later); });
        CHECK_FALSE(storage::ReminderOutbox(t.db).find_key(third));
    }
}
