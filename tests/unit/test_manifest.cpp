// The Slack app manifest: valid for Slack's schema limits, complete, and identical to the
// committed config/slack-manifest.json so the two cannot drift.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "commands/registry.hpp"
#include "src/slack/manifest.hpp"
#include "storage/database.hpp"

using namespace careerbot;
using json = nlohmann::json;

namespace {

#ifdef CAREERBOT_SOURCE_DIR
const std::filesystem::path source_dir = CAREERBOT_SOURCE_DIR;
#else
const std::filesystem::path source_dir =
    std::filesystem::path(__FILE__).parent_path().parent_path().parent_path();
#endif
const std::filesystem::path committed = source_dir / "config" / "slack-manifest.json";

/// Every command careerbot registers today, on an in-memory database.
struct RegisteredApp {
    Config config;
    SystemClock clock;
    storage::Database db{":memory:"};
    App app;
    RegisteredApp() {
        db.migrate();
        commands::register_all(app);
    }
};

std::size_t chars(const json& j) { return j.get<std::string>().size(); }

}  // namespace

TEST_CASE("the manifest has one escaped slash command per registered command", "[manifest]") {
    RegisteredApp r;
    json m = slack::slack_manifest(r.app);
    const json& commands = m["features"]["slash_commands"];
    auto registered = r.app.commands();
    REQUIRE(!registered.empty());
    REQUIRE(commands.size() == registered.size());
    for (std::size_t i = 0; i < registered.size(); ++i) {
        CHECK(commands[i]["command"] == registered[i].name);
        CHECK(commands[i]["description"] == registered[i].summary);
        CHECK(commands[i]["usage_hint"] == registered[i].usage_hint);
        CHECK(commands[i]["should_escape"] == true);
        CHECK_FALSE(commands[i].contains("url"));  // Socket Mode: no request URLs
    }
}

TEST_CASE("the manifest stays within Slack's schema", "[manifest]") {
    RegisteredApp r;
    json m = slack::slack_manifest(r.app);

    CHECK(m["_metadata"]["major_version"] == 1);
    const json& display = m["display_information"];
    CHECK(chars(display["name"]) <= 35);
    CHECK(chars(display["description"]) <= 140);
    CHECK(chars(display["long_description"]) >= 175);
    CHECK(chars(display["long_description"]) <= 4000);
    CHECK(chars(m["features"]["bot_user"]["display_name"]) <= 80);
    CHECK(m["features"]["app_home"]["home_tab_enabled"] == true);
    CHECK(m["features"]["app_home"]["messages_tab_enabled"] == true);
    // Nothing answers a message typed in the Messages tab: it is read-only (issue 13 item 8).
    CHECK(m["features"]["app_home"]["messages_tab_read_only_enabled"] == true);

    for (const auto& c : m["features"]["slash_commands"]) {
        std::string name = c["command"];
        CHECK(name.starts_with("/"));
        CHECK(name.size() <= 32);
        CHECK(chars(c["description"]) <= 2000);
        CHECK(chars(c["usage_hint"]) <= 1000);
    }

    const json& shortcuts = m["features"]["shortcuts"];
    REQUIRE(shortcuts.size() == 1);
    CHECK(shortcuts[0]["type"] == "message");
    CHECK(shortcuts[0]["callback_id"] == "save_as_feedback");
    CHECK(shortcuts[0]["name"] == "Save as feedback");
    CHECK(chars(shortcuts[0]["name"]) <= 24);
    CHECK(chars(shortcuts[0]["description"]) <= 150);

    auto scopes = m["oauth_config"]["scopes"]["bot"].get<std::vector<std::string>>();
    CHECK(std::set<std::string>(scopes.begin(), scopes.end()).size() == scopes.size());
    CHECK(std::set<std::string>(scopes.begin(), scopes.end()) ==
          std::set<std::string>{"commands", "chat:write", "im:write", "users:read",
                                "reactions:read", "channels:history", "groups:history",
                                "files:write", "im:history"});

    const json& settings = m["settings"];
    // user_change (away statuses, time zones) needs users:read, which is already there.
    CHECK(settings["event_subscriptions"]["bot_events"] ==
          json::array({"app_home_opened", "reaction_added", "user_change"}));
    CHECK_FALSE(settings["event_subscriptions"].contains("request_url"));
    CHECK(settings["interactivity"]["is_enabled"] == true);
    CHECK_FALSE(settings["interactivity"].contains("request_url"));
    CHECK(settings["socket_mode_enabled"] == true);
    CHECK(settings["org_deploy_enabled"] == false);
    CHECK(settings["token_rotation_enabled"] == false);
}

TEST_CASE("config/slack-manifest.json is what careerbot generates", "[manifest]") {
    RegisteredApp r;
    json generated = slack::slack_manifest(r.app);
    std::ifstream in(committed);
    INFO("regenerate it with: careerbot manifest > config/slack-manifest.json");
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    json on_disk = json::parse(text.str(), nullptr, false);
    REQUIRE_FALSE(on_disk.is_discarded());
    CHECK(on_disk == generated);
}

// Hidden (not run by default): rewrites the committed file, for when `careerbot manifest` is
// not at hand. Run: unit_tests "[.write-manifest]"
TEST_CASE("write config/slack-manifest.json", "[.write-manifest]") {
    RegisteredApp r;
    std::ofstream out(committed);
    out << slack::slack_manifest(r.app).dump(2) << '\n';
    REQUIRE(out.good());
}
