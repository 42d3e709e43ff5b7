// Promotion petitions with a statement and internships for learning, through the real binary
// and the Slack test server.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string kBotToken = "xoxb-e2e-4242-bot-secret-handbook";
const std::string kAppToken = "xapp-1-A0TEST-e2e-app-secret-handbook";

/// U0DIR directs U0ALICE and U0HOST; U0BOB reports to U0ALICE, U0HANK to U0HOST.
class Org : public BotFixture {
  public:
    Org() : BotFixture("handbook", kBotToken, kAppToken) {
        env["CAREERBOT_LEVELS"] = CAREERBOT_SOURCE_DIR "/config/levels.example.toml";
        log_level.clear();
        server.add_user(
            {"U0DIR", "dir", "Dana Director", "Europe/London", "Greenwich Mean Time", 0, false});
        server.add_user(
            {"U0HOST", "host", "Hugo Host", "Asia/Tokyo", "Japan Standard Time", 32400, false});
        server.add_user({"U0HANK", "hank", "Hank Hill", "America/Chicago", "Central Standard Time",
                         -21600, false});
        REQUIRE(import_org("user_id,name,manager_id\nU0DIR,dir,\nU0ALICE,alice,U0DIR\n"
                           "U0HOST,host,U0DIR\nU0BOB,bob,U0ALICE\nU0HANK,hank,U0HOST\n") == 0);
        start_connected();
    }

    /// The chat.postMessage whose arguments contain `needle`.
    std::optional<ApiCall> posted(const std::string& needle) {
        return server.wait_for_call("chat.postMessage", 10s, [&](const ApiCall& c) {
            return c.args.dump().find(needle) != std::string::npos;
        });
    }

    int count(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt();
    }
};

}  // namespace

TEST_CASE("a petition's statement reaches the director's DM and the outcome reaches the person",
          "[e2e][slack][promo]") {
    Org t;
    t.slash("U0ALICE", "/promo", "level <@U0BOB|bob> L2");
    auto missing = t.slash("U0BOB", "/promo", "petition L3");
    CHECK(missing.find("why now?") != std::string::npos);
    auto sent =
        t.slash("U0BOB", "/promo", "petition L3 I have led the billing migration since June");
    CHECK(sent.find("Your petition") != std::string::npos);
    auto dm = t.posted("I have led the billing migration since June");
    REQUIRE(dm);
    CHECK(dm->args.dump().find("Why now") != std::string::npos);
    CHECK(dm->args.dump().find("/promo outcome") != std::string::npos);

    auto outcome =
        t.slash("U0DIR", "/promo", "outcome <@U0BOB|bob> not-yet one more cross-team project");
    CHECK(outcome.find("not yet") != std::string::npos);
    auto told = t.posted("one more cross-team project");
    REQUIRE(told);
    CHECK(told->args.dump().find("not yet") != std::string::npos);
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'declined' AND "
                  "outcome_note = 'one more cross-team project'") == 1);
    CHECK(t.stop_bot() == 0);
}

TEST_CASE("an internship proposal becomes active after both managers press Approve",
          "[e2e][slack][internship]") {
    Org t;
    auto proposed = t.slash("U0BOB", "/internship", "propose <@U0HOST|host> 20% 8w learn Go");
    CHECK(proposed.find("Proposed") != std::string::npos);
    auto ask = t.posted("internship_approve");
    REQUIRE(ask);
    REQUIRE(t.server.wait_for_call("chat.postMessage", 10s, [&](const ApiCall& c) {
        return c.args.dump().find("internship_decline") != std::string::npos &&
               c.args.dump().find("with your team") != std::string::npos;
    }));
    REQUIRE(t.count("SELECT count(*) FROM internships WHERE status = 'proposed'") == 1);
    const std::string id =
        std::to_string(t.count("SELECT id FROM internships WHERE status = 'proposed'"));

    // A stranger's press changes nothing.
    t.click("U0HANK", "internship_approve", id, "D0HANK");
    t.click("U0ALICE", "internship_approve", id, "D0ALICE");
    REQUIRE(t.posted("waits for"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'proposed' AND "
                  "manager_ok_at IS NOT NULL AND host_ok_at IS NULL") == 1);
    t.click("U0HOST", "internship_approve", id, "D0HOST");
    REQUIRE(t.posted("It is on"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'active'") == 1);
    CHECK(t.count("SELECT count(*) FROM reminders WHERE kind = 'internship_feedback' AND "
                  "state = 'pending'") == 1);
    CHECK(t.stop_bot() == 0);
}
