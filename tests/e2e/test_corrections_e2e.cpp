// Correcting records and the global help, through the real binary and the Slack test server.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string kBotToken = "xoxb-e2e-4242-bot-secret-7f3a9c";
const std::string kAppToken = "xapp-1-A0TEST-e2e-app-secret-51b2d8";

/// The bot connected to a test server, on a database whose org chart has U0BOB reporting to
/// U0ALICE (imported as an operator would).
class Team : public BotFixture {
  public:
    Team() : BotFixture("corrections", kBotToken, kAppToken) {
        env["CAREERBOT_LEVELS"] = CAREERBOT_SOURCE_DIR "/config/levels.example.toml";
        log_level.clear();
        REQUIRE(import_org("user_id,name,manager_id\nU0ALICE,alice,\n"
                           "U0BOB,bob,U0ALICE\nU0CAROL,carol,\n") == 0);
        start_connected();
    }

    /// Runs a slash command and returns the ack's payload as text.

    int stop() { return stop_bot(); }

    int count(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt();
    }
};

}  // namespace

TEST_CASE("a manager cancels a report's task in Slack and the report is told by DM",
          "[e2e][slack][task]") {
    Team t;
    auto added = t.slash("U0ALICE", "/task", "add wirte the plan due friday for <@U0BOB|bob>");
    CHECK(added.find("Added task") != std::string::npos);
    auto cancelled = t.slash("U0ALICE", "/task", "cancel <@U0BOB|bob> 1");
    CHECK(cancelled.find("Cancelled task") != std::string::npos);
    auto dm = t.server.wait_for_call("chat.postMessage", 10s, [](const ApiCall& c) {
        return c.args.dump().find("cancelled your task") != std::string::npos;
    });
    REQUIRE(dm);
    CHECK(t.count("SELECT count(*) FROM tasks") == 0);
    CHECK(t.count("SELECT count(*) FROM task_history WHERE state = 'cancelled'") == 1);

    // Outside the chain: refused in the ack, nothing changes, nobody is told.
    t.slash("U0BOB", "/task", "add second try due friday");
    auto refused = t.slash("U0CAROL", "/task", "delete <@U0BOB|bob> 2");
    CHECK(refused.find(":lock:") != std::string::npos);
    CHECK(t.count("SELECT count(*) FROM tasks") == 1);
    CHECK(t.stop() == 0);
}

TEST_CASE("/careerbot answers in the ack with every command and where to start",
          "[e2e][slack][help]") {
    Team t;
    auto help = t.slash("U0CAROL", "/careerbot", "");
    for (const char* want : {"/brag", "/task", "/away", "/quarter-summary", "Where to start",
                             "Engineer", "Manager", "Director", "Admin"}) {
        CAPTURE(want);
        CHECK(help.find(want) != std::string::npos);
    }
    CHECK(t.stop() == 0);
}
