// Standing mentors and the performance factor (issue #16), through the real binary and the
// Slack test server: what Slack sees in the acks and the DMs.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;

namespace {

const std::string kBotToken = "xoxb-e2e-5151-bot-secret-0c4e1a";
const std::string kAppToken = "xapp-1-A0TEST-e2e-app-secret-93d7f2";

/// The bot connected to a test server, on an imported org: U0DIR above U0ALICE above U0BOB,
/// U0CAROL a peer of U0BOB, U0DANA outside the tree.
class Org : public BotFixture {
  public:
    Org() : BotFixture("mentors_review", kBotToken, kAppToken) {
        env["CAREERBOT_LEVELS"] = CAREERBOT_SOURCE_DIR "/config/levels.example.toml";
        log_level.clear();
        server.add_user(
            {"U0DIR", "dir", "Dee Irving", "Europe/London", "Greenwich Mean Time", 0, false});
        server.add_user({"U0DANA", "dana", "Dana Diaz", "America/Chicago", "Central Standard Time",
                         -21600, false});
        REQUIRE(import_org("user_id,name,manager_id\nU0DIR,dir,\nU0ALICE,alice,U0DIR\n"
                           "U0BOB,bob,U0ALICE\nU0CAROL,carol,U0ALICE\nU0DANA,dana,\n") == 0);
        start_connected();
    }

    /// A chat.postMessage in `user`'s DM whose arguments contain `text`, within 10 s.
    bool dm_to(const std::string& user, const std::string& text) {
        const std::string dm = "D" + user.substr(1);
        return server
            .wait_for_call("chat.postMessage", 10s,
                           [&](const ApiCall& c) {
                               auto channel = c.args.value("channel", "");
                               return (channel == dm || channel == user) &&
                                      c.args.dump().find(text) != std::string::npos;
                           })
            .has_value();
    }

    int count(const std::string& sql) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        return d.execAndGet(sql).getInt();
    }
};

}  // namespace

TEST_CASE("/team mentor in Slack: mentor and mentee are each told by DM, a peer is refused",
          "[e2e][slack][mentor]") {
    Org t;
    auto named = t.slash("U0ALICE", "/team", "mentor <@U0DANA|dana> <@U0BOB|bob>");
    CHECK(named.find("standing mentor") != std::string::npos);
    CHECK(t.dm_to("U0DANA", "named you"));
    CHECK(t.dm_to("U0BOB", "your standing mentor"));
    CHECK(t.count("SELECT count(*) FROM mentorships WHERE mentor_id = 'U0DANA' AND "
                  "mentee_id = 'U0BOB' AND ended_at IS NULL") == 1);

    auto refused = t.slash("U0CAROL", "/team", "mentor <@U0CAROL|carol> <@U0BOB|bob>");
    CHECK(refused.find(":lock:") != std::string::npos);

    // The standing mentor's note reaches the mentee; the standing mentor still reads no IDO.
    auto note = t.slash("U0DANA", "/ido", "note <@U0BOB|bob> pick a stretch objective");
    CHECK(note.find("Added your mentor note") != std::string::npos);
    CHECK(t.dm_to("U0BOB", "pick a stretch objective"));
    CHECK(t.slash("U0DANA", "/ido", "status <@U0BOB|bob>").find(":lock:") != std::string::npos);
    CHECK(t.count("SELECT count(*) FROM mentorships") == 1);
    CHECK(t.stop_bot() == 0);
}

TEST_CASE("/review factor in Slack: recorded, the person told by DM, private to the chain",
          "[e2e][slack][review]") {
    Org t;
    auto recorded =
        t.slash("U0ALICE", "/review", "factor <@U0BOB|bob> exceeding led the migration");
    CHECK(recorded.find("Recorded") != std::string::npos);
    CHECK(t.dm_to("U0BOB", "led the migration"));
    CHECK(t.count("SELECT count(*) FROM performance_factors WHERE person_id = 'U0BOB' AND "
                  "factor = 'exceeding'") == 1);
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'performance_factor'") == 1);

    CHECK(t.slash("U0DIR", "/review", "<@U0BOB|bob>").find("exceeding") != std::string::npos);
    auto peer = t.slash("U0CAROL", "/review", "<@U0BOB|bob>");
    CHECK(peer.find(":lock:") != std::string::npos);
    CHECK(peer.find("led the migration") == std::string::npos);
    auto self = t.slash("U0BOB", "/review", "factor <@U0BOB|bob> exceeding me");
    CHECK(self.find(":lock:") != std::string::npos);
    CHECK(t.count("SELECT count(*) FROM performance_factors") == 1);
    CHECK(t.stop_bot() == 0);
}
