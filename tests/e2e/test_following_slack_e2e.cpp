// Following Slack (issue #16) through the real binary and the Slack test server: an away
// status from `user_change` pauses a nudge and clearing it resumes them, a retried event is
// applied once, and a new time zone moves a planned 1:1 reminder.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <date/date.h>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string kBotToken = "xoxb-e2e-4242-bot-secret-7f3a9c";
const std::string kAppToken = "xapp-1-A0TEST-e2e-app-secret-51b2d8";

/// U0BOB reports to U0ALICE (imported as an operator would); the bot is started by each test
/// with its own clock.
class Team : public BotFixture {
  public:
    Team() : BotFixture("following-slack", kBotToken, kAppToken) {
        env["CAREERBOT_LEVELS"] = CAREERBOT_SOURCE_DIR "/config/levels.example.toml";
        log_level.clear();
        REQUIRE(import_org("user_id,name,manager_id\nU0ALICE,alice,\n"
                           "U0BOB,bob,U0ALICE\nU0CAROL,carol,\n") == 0);
    }

    void start_at(const std::string& now, std::uint64_t hellos) {
        start_bot({}, {"--now", now});
        REQUIRE(server.wait_for_hello_count(hellos, 10s));
    }

    /// Sends `user`'s user_change and waits for its ack.
    void user_change(const SlackUser& user, const SlackStatus& status, const std::string& event_id,
                     int retry = 0) {
        auto id =
            server.send_user_change(user, status, event_id, retry, retry > 0 ? "timeout" : "");
        REQUIRE(server.wait_for_ack(id, 5s));
    }

    int count(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt();
    }
    std::string text(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getString();
    }
    int processed_events(const std::string& event_id) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d, "SELECT count(*) FROM processed_events WHERE event_id = ?");
        st.bind(1, event_id);
        st.executeStep();
        return st.getColumn(0).getInt();
    }
    std::string person_tz(const std::string& id) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d, "SELECT coalesce(tz, '') FROM people WHERE id = ?");
        st.bind(1, id);
        return st.executeStep() ? st.getColumn(0).getString() : std::string();
    }
    int64_t number(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt64();
    }
};

SlackUser bob() { return default_slack_users()[1]; }
SlackUser alice() { return default_slack_users()[0]; }

int64_t unix_at(int y, unsigned m, unsigned d, int h) {
    return std::chrono::duration_cast<std::chrono::seconds>(
               (date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                std::chrono::hours{h})
                   .time_since_epoch())
        .count();
}

bool is_reminder_to(const ApiCall& c, const std::string& channel, const std::string& key) {
    auto args = c.args.dump();
    return args.find("careerbot_reminder") != std::string::npos &&
           args.find(channel) != std::string::npos && args.find(key) != std::string::npos;
}

}  // namespace

TEST_CASE("a Vacationing status pauses a nudge, once per event, and clearing it resumes them",
          "[e2e][slack][following_slack]") {
    Team t;
    // 08:59:45 in Berlin (bob's Slack zone) on Tuesday 2026-11-24: the due-date nudge of a task
    // due tomorrow goes out at 09:00 there, fifteen seconds after the bot starts.
    t.start_at("2026-11-24T07:59:45Z", 1);
    CHECK(t.slash("U0BOB", "/task", "add ship the plan due 2026-11-25").find("Added task") !=
          std::string::npos);
    // Slack says bob is vacationing (no expiration); the event is retried once.
    SlackStatus vacationing{"Vacationing", ":palm_tree:", 0};
    t.user_change(bob(), vacationing, "Ev0STATUS1");
    t.user_change(bob(), vacationing, "Ev0STATUS1", 1);
    CHECK(t.processed_events("Ev0STATUS1") == 1);
    CHECK(t.log_contains("event Ev0STATUS1 (user_change) already processed"));
    CHECK(t.count("SELECT count(*) FROM away_periods WHERE person_id = 'U0BOB' AND source = "
                  "'slack_status' AND status = ':palm_tree: Vacationing' AND to_on = "
                  "'9999-12-31' AND cancelled_at IS NULL") == 1);
    CHECK(t.slash("U0BOB", "/away", "list").find("from your Slack status") != std::string::npos);

    // 09:00 Berlin passes: the nudge is skipped for the absence, not sent.
    REQUIRE(wait_until(
        [&] {
            return t.count(
                       "SELECT count(*) FROM reminders WHERE key = "
                       "'task_due:1:2026-11-25' AND state <> 'pending'") == 1;
        },
        40s));
    CHECK(t.text("SELECT reason FROM reminders WHERE key = 'task_due:1:2026-11-25'") ==
          "away:U0BOB");
    for (const auto& c : t.server.calls("chat.postMessage"))
        CHECK_FALSE(is_reminder_to(c, "D0BOB", "task_due"));

    // Back: the status is cleared the same day, so the absence it made is removed.
    t.user_change(bob(), {}, "Ev0STATUS2");
    CHECK(t.count("SELECT count(*) FROM away_periods WHERE person_id = 'U0BOB' AND "
                  "cancelled_at IS NULL") == 0);
    REQUIRE(t.stop_bot() == 0);

    // Two days later, 08:59:55 in Berlin: the overdue nudge goes out again.
    t.start_at("2026-11-26T07:59:55Z", 2);
    auto dm = t.server.wait_for_call("chat.postMessage", 30s, [](const ApiCall& c) {
        return is_reminder_to(c, "D0BOB", "task_overdue:1");
    });
    REQUIRE(dm);
    CHECK(t.stop_bot() == 0);
    t.check_logs_clean();
}

TEST_CASE("a new time zone in user_change moves a planned 1:1 reminder to the same local time",
          "[e2e][slack][following_slack]") {
    Team t;
    t.start_at("2026-11-20T12:00:00Z", 1);  // Friday
    // Alice's first envelope makes careerbot learn her Slack zone (America/New_York).
    t.slash("U0ALICE", "/away", "list");
    REQUIRE(wait_until([&] { return t.person_tz("U0ALICE") == "America/New_York"; }, 10s));
    auto scheduled = t.slash("U0ALICE", "/1on1", "schedule <@U0BOB|bob> tuesday 10:00");
    INFO(scheduled);
    const std::string pending =
        "SELECT occurs_at FROM reminders WHERE key LIKE '1on1:%' AND state = 'pending'";
    REQUIRE(wait_until(
        [&] {
            return t.count(
                       "SELECT count(*) FROM reminders WHERE key LIKE "
                       "'1on1:%' AND state = 'pending'") == 1;
        },
        10s));
    CHECK(t.number(pending) == unix_at(2026, 11, 24, 15));  // 10:00 EST

    // She moves to London: the 1:1 stays at 10:00, now London time.
    SlackUser moved = alice();
    moved.tz = "Europe/London";
    moved.tz_label = "Greenwich Mean Time";
    moved.tz_offset = 0;
    t.user_change(moved, {}, "Ev0TZ1");
    CHECK(t.person_tz("U0ALICE") == "Europe/London");
    CHECK(t.number(pending) == unix_at(2026, 11, 24, 10));  // 10:00 GMT
    CHECK(t.count("SELECT count(*) FROM reminders WHERE key LIKE '1on1:%' AND reason = "
                  "'moved'") == 1);
    CHECK(t.text("SELECT tz FROM one_on_ones WHERE cancelled_at IS NULL") == "Europe/London");
    // Retried: applied once, nothing moves twice.
    t.user_change(moved, {}, "Ev0TZ1", 1);
    CHECK(t.processed_events("Ev0TZ1") == 1);
    CHECK(t.count("SELECT count(*) FROM one_on_ones") == 2);
    CHECK(t.stop_bot() == 0);
    t.check_logs_clean();
}
