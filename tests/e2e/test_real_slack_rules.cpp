// The real careerbot binary against a Slack test server that enforces Slack's documented rules
// (Block Kit limits, response_url uses, trigger_id lifetime, thread semantics): every command
// and interaction, and the largest outputs, must be accepted as real Slack would accept them.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kRulesBotToken = "xoxb-rules-7731-bot-secret-e04c1d";
const std::string kRulesAppToken = "xapp-1-A0TEST-rules-app-secret-9a2f6b";

/// A strict Slack, a fresh database and the bot run against them (tests/e2e/fixture.hpp),
/// with what Slack refused and every message the bot sent.
class RulesFixture : public BotFixture {
  public:
    RulesFixture() : BotFixture("rules", kRulesBotToken, kRulesAppToken) {}

    /// Every call the bot made that Slack refused (non-200 or ok:false), and every ack payload
    /// Slack would refuse, one line each.
    std::vector<std::string> rejections() const {
        std::vector<std::string> out;
        for (const auto& call : server.calls()) {
            bool refused = call.http_status != 200 ||
                           (call.response.is_object() && call.response.value("ok", true) == false);
            if (refused) {
                out.push_back(call.method + " " + std::to_string(call.http_status) + " " +
                              call.response.dump().substr(0, 600));
            }
        }
        for (const auto& ack : server.acks()) {
            if (!ack.has_payload || !ack.payload.is_object()) continue;
            if (auto refusal = check_message(ack.payload)) {
                out.push_back("ack payload " + refusal->dump().substr(0, 600));
            }
            auto view = ack.payload.find("view");
            if (view != ack.payload.end()) {
                if (auto refusal = check_view(*view)) {
                    out.push_back("ack view " + refusal->dump().substr(0, 600));
                }
            }
        }
        return out;
    }

    /// Every message the bot sent anywhere: ack payloads, response_url posts, chat.* calls.
    std::vector<json> messages() const {
        std::vector<json> out;
        for (const auto& ack : server.acks()) {
            if (ack.has_payload && ack.payload.is_object()) out.push_back(ack.payload);
        }
        for (const auto& call : server.calls()) {
            if (call.method == "response_url" || call.method == "chat.postMessage" ||
                call.method == "chat.update" || call.method == "chat.postEphemeral") {
                json args = call.args;
                if (args.contains("blocks") && args["blocks"].is_string()) {
                    args["blocks"] = json::parse(args["blocks"].get<std::string>(), nullptr, false);
                }
                out.push_back(args);
            }
        }
        return out;
    }
};

/// The button with `action_id` in a message's blocks, or null.
json find_button(const json& message, const std::string& action_id) {
    auto blocks = message.find("blocks");
    if (blocks == message.end() || !blocks->is_array()) return nullptr;
    for (const auto& block : *blocks) {
        for (const char* key : {"elements", "accessory"}) {
            auto it = block.find(key);
            if (it == block.end()) continue;
            json elements = it->is_array() ? *it : json::array({*it});
            for (const auto& e : elements) {
                if (e.value("action_id", "") == action_id) return e;
            }
        }
    }
    return nullptr;
}

/// The button whose text contains `label`, or null.
json find_button_labelled(const json& message, const std::string& label) {
    auto blocks = message.find("blocks");
    if (blocks == message.end() || !blocks->is_array()) return nullptr;
    for (const auto& block : *blocks) {
        auto it = block.find("elements");
        if (it == block.end() || !it->is_array()) continue;
        for (const auto& e : *it) {
            auto text = e.find("text");
            if (e.value("type", "") == "button" && text != e.end() && text->is_object() &&
                text->value("text", "").find(label) != std::string::npos) {
                return e;
            }
        }
    }
    return nullptr;
}

/// Carol directs, Alice manages Bob and Dave.
const char* kSmallOrg =
    "user_id,name,manager_id,real_name,tz,role\n"
    "U0CAROL,carol,,Carol Chen,Asia/Tokyo,director\n"
    "U0ALICE,alice,U0CAROL,Alice Anders,America/New_York,\n"
    "U0BOB,bob,U0ALICE,Bob Brown,Europe/Berlin,\n"
    "U0DAVE,dave,U0ALICE,Dave Diaz,Europe/Berlin,\n";

}  // namespace

TEST_CASE("a reaction on a thread reply saves that reply as feedback",
          "[e2e][slack][feedback][slack-rules]") {
    // Issue 13 item 2: conversations.replies answers the parent first, counted in `limit`.
    RulesFixture f;
    f.start_connected();
    std::string parent = f.server.add_message("C0GENERAL", "U0CAROL", "Rollout thread");
    std::string reply = f.server.add_message(
        "C0GENERAL", "U0BOB", "Shout-out to <@U0ALICE> for the calm rollback!", parent);
    f.server.add_message("C0GENERAL", "U0CAROL", "a later reply", parent);
    json event = {{"type", "reaction_added"},
                  {"user", "U0ALICE"},
                  {"reaction", "star-struck"},
                  {"item_user", "U0BOB"},
                  {"item", {{"type", "message"}, {"channel", "C0GENERAL"}, {"ts", reply}}},
                  {"event_ts", reply}};
    REQUIRE(f.server.wait_for_ack(f.server.send_event(event, "Ev0THREAD1"), 5s));
    CHECK(wait_until(
        [&] {
            return feedback_count(f.db_path(), "U0ALICE",
                                  "Shout-out to @alice for the calm rollback!") == 1;
        },
        5s));
    f.settle();
    for (const auto& call : f.server.calls("chat.postMessage")) {
        CHECK(call.args.dump().find("member") == std::string::npos);
    }
    CHECK(f.rejections().empty());
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("a 45-brag list is paged to the end and back with Slack accepting every page",
          "[e2e][slack][brag][slack-rules]") {
    RulesFixture f;
    f.start_connected();
    std::vector<SlashCommand> brags;
    for (int i = 1; i <= 45; ++i) {
        SlashCommand c;
        c.channel_id = "D0ALICE";
        c.channel_name = "directmessage";
        c.text = "paged brag " + std::to_string(i) + " #infra impact: " + std::string(150, 'i');
        brags.push_back(c);
    }
    for (const auto& sent : f.server.send_slash_commands(brags)) {
        REQUIRE(f.server.wait_for_ack(sent.envelope_id, 10s));
    }
    Ack first = f.command("U0ALICE", "/brag", "list");
    json page = first.payload;
    int pages_seen = 1;
    // Older to the last page, through the button Slack shows.
    for (;;) {
        json older = find_button_labelled(page, "Older");
        if (older.is_null()) break;
        std::size_t before = f.server.call_count();
        f.click("U0ALICE", older.value("action_id", ""), older.value("value", ""), "D0ALICE");
        auto posted = f.server.wait_for_call("response_url", 5s, [&](const ApiCall& c) {
            return c.sequence >= before && c.args.contains("blocks");
        });
        REQUIRE(posted);
        INFO(posted->response.dump());
        REQUIRE(posted->response.value("ok", false));
        page = posted->args;
        ++pages_seen;
        INFO(page.dump().substr(0, 300));
        REQUIRE(pages_seen <= 5);
    }
    CHECK(pages_seen == 5);
    CHECK(page.dump().find("page 5 of 5") != std::string::npos);
    // And Newer from the last page.
    json newer = find_button_labelled(page, "Newer");
    REQUIRE_FALSE(newer.is_null());
    f.click("U0ALICE", newer.value("action_id", ""), newer.value("value", ""), "D0ALICE");
    // The typed form of a middle page.
    Ack typed = f.command("U0ALICE", "/brag", "list page 3");
    CHECK(typed.payload.dump().find("page 3 of 5") != std::string::npos);
    f.settle();
    auto refused = f.rejections();
    INFO(json(refused).dump(2));
    CHECK(refused.empty());
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("every command and interaction is accepted by Slack's rules",
          "[e2e][slack][slack-rules]") {
    RulesFixture f;
    f.server.add_user(
        {"U0DAVE", "dave", "Dave Diaz", "Europe/Berlin", "Central European Time", 3600, false});
    REQUIRE(f.import_org(kSmallOrg) == 0);
    f.start_connected();
    const std::string long_text(3900, 'x');  // under brag.max_text_bytes (4,000)

    // /brag: every form, the longest brag, the form, edit, delete and its Undo button.
    f.command("U0BOB", "/brag", "help");
    f.command("U0BOB", "/brag",
              "shipped the importer #infra impact: signup +12% https://x.test/pr/1");
    f.command("U0BOB", "/brag", "long one " + long_text);
    f.command("U0BOB", "/brag", "");  // opens the form with the trigger id
    CHECK(f.server.wait_for_call("views.open", 5s));
    f.command("U0BOB", "/brag", "edit 1 shipped the new importer #infra");
    f.command("U0BOB", "/brag", "edit 1");
    Ack deleted = f.command("U0BOB", "/brag", "delete 1");
    json undo = find_button(deleted.payload, "brag_undo");
    if (!undo.is_null()) f.click("U0BOB", "brag_undo", undo.value("value", ""), "D0BOB");
    f.command("U0BOB", "/brag", "undo 1");
    f.command("U0BOB", "/brag", "list");
    f.command("U0ALICE", "/brag", "list <@U0BOB|bob>");
    for (const char* format : {"export md", "export csv", "export json"}) {
        f.command("U0BOB", "/brag", format);
    }
    json submission = brag_form_submission("U0BOB", "bob", "from the form #people");
    REQUIRE(f.server.wait_for_ack(f.server.send_interactive(submission), 5s));

    // /task, /ido, /checkin, /1on1, /away.
    f.command("U0ALICE", "/task", "add review the design due tomorrow for <@U0BOB|bob>");
    f.command("U0BOB", "/task", "add write the runbook due friday ido");
    f.command("U0BOB", "/task", "list");
    f.command("U0BOB", "/task", "status");
    f.command("U0BOB", "/task", "done 1");
    f.command("U0BOB", "/task", "reopen 1");
    f.command("U0ALICE", "/task", "status <@U0BOB|bob>");
    f.command("U0BOB", "/ido", "set learn Rust mentor <@U0DAVE|dave>");
    f.command("U0BOB", "/ido", "progress read two chapters #10");
    f.command("U0BOB", "/ido", "status");
    f.command("U0BOB", "/checkin", "goals 6m " + std::string(2500, 'g'));
    f.command("U0BOB", "/checkin", "reality steady");
    f.command("U0BOB", "/checkin", "plan lead a project");
    f.command("U0ALICE", "/checkin", "done <@U0BOB|bob>");
    f.command("U0BOB", "/checkin", "status");
    f.command("U0ALICE", "/1on1", "schedule <@U0BOB|bob> tue 10:00 every 2 weeks");
    f.command("U0ALICE", "/1on1", "next");
    Ack prep = f.command("U0ALICE", "/1on1", "prep <@U0BOB|bob>");
    f.command("U0ALICE", "/1on1", "skip <@U0BOB|bob>");
    f.command("U0BOB", "/away", "2027-01-04 2027-01-08");
    f.command("U0BOB", "/away", "list");
    f.command("U0BOB", "/away", "cancel");

    // /feedback (the longest one too), /promo, /cert, /team, /quarter-summary.
    f.command("U0ALICE", "/feedback", "<@U0BOB|bob> great rollout");
    f.command("U0ALICE", "/feedback", "<@U0BOB|bob> " + std::string(3900, 'f'));
    f.command("U0BOB", "/feedback", "list");
    f.command("U0ALICE", "/feedback", "given");
    f.command("U0BOB", "/promo", "status");
    f.command("U0BOB", "/cert", "add AWS Solutions Architect 2026-10-01");
    f.command("U0BOB", "/cert", "list");
    f.command("U0BOB", "/promo", "petition L2 I run the on-call rotation now");
    f.command("U0ALICE", "/promo", "status <@U0BOB|bob>");
    f.command("U0BOB", "/promo", "withdraw");
    f.command("U0BOB", "/cert", "remove 1");
    f.command("U0ALICE", "/team", "list");
    f.command("U0ALICE", "/team", "requests");
    f.command("U0CAROL", "/quarter-summary", "");
    f.command("U0CAROL", "/quarter-summary", "all", "C0GENERAL");
    f.command("U0ALICE", "/1on1", "cancel <@U0BOB|bob>");
    f.command("U0BOB", "/ido", "done");

    // The 1:1 preparation's buttons, App Home, Save as feedback.
    for (const char* action :
         {"task_done_from_reminder", "reminder_snooze", "reminder_skip_one_on_one"}) {
        json button = find_button(prep.payload, action);
        if (!button.is_null()) f.click("U0ALICE", action, button.value("value", ""), "D0ALICE");
    }
    REQUIRE(f.server.wait_for_ack(f.server.send_event({{"type", "app_home_opened"},
                                                       {"user", "U0ALICE"},
                                                       {"channel", "D0ALICE"},
                                                       {"tab", "home"}}),
                                  5s));
    CHECK(f.server.wait_for_call("views.publish", 5s));
    std::string praised =
        f.server.add_message("C0GENERAL", "U0ALICE", "Thanks <@U0BOB> for the calm rollback!");
    json shortcut{{"type", "message_action"},
                  {"callback_id", "save_as_feedback"},
                  {"trigger_id", f.server.issue_trigger_id()},
                  {"response_url", f.server.issue_response_url()},
                  {"team", {{"id", "T0TEST"}, {"domain", "test"}}},
                  {"user", {{"id", "U0DAVE"}, {"name", "dave"}}},
                  {"channel", {{"id", "C0GENERAL"}, {"name", "general"}}},
                  {"message",
                   {{"type", "message"},
                    {"user", "U0ALICE"},
                    {"ts", praised},
                    {"text", "Thanks <@U0BOB> for the calm rollback!"}}}};
    REQUIRE(f.server.wait_for_ack(f.server.send_interactive(shortcut), 5s));
    CHECK(f.server.wait_for_call("views.open", 5s, [](const ApiCall& c) {
        return c.args.dump().find("feedback_save") != std::string::npos;
    }));

    f.settle();
    auto refused = f.rejections();
    INFO(json(refused).dump(2));
    CHECK(refused.empty());
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("a 300-person /quarter-summary asked in a DM reaches the director within Slack's rules",
          "[e2e][slack][summary][slack-rules]") {
    // Packed sections keep it to a few messages; past response_url's 5 uses the rest would
    // follow in the DM (ReplySender), so Slack refuses none of it either way.
    RulesFixture f;
    std::string csv =
        "user_id,name,manager_id,real_name,tz,role\n"
        "U0CAROL,carol,,Carol Chen,Asia/Tokyo,director\n";
    int person = 0;
    for (int m = 0; m < 15; ++m) {
        std::string manager = "U0M" + std::to_string(100 + m);
        csv += manager + ",mgr" + std::to_string(m) + ",U0CAROL,Manager " + std::to_string(m) +
               ",Europe/Berlin,\n";
        f.server.add_user({manager, "mgr" + std::to_string(m), "Manager " + std::to_string(m),
                           "Europe/Berlin", "Central European Time", 3600, false});
        for (int r = 0; r < 19; ++r, ++person) {
            std::string id = "U0P" + std::to_string(1000 + person);
            csv += id + ",p" + std::to_string(person) + "," + manager + ",Person " +
                   std::to_string(person) + ",Europe/Berlin,\n";
            f.server.add_user({id, "p" + std::to_string(person), "Person " + std::to_string(person),
                               "Europe/Berlin", "Central European Time", 3600, false});
        }
    }
    REQUIRE(f.import_org(csv) == 0);
    f.start_connected();
    Ack ack = f.command("U0CAROL", "/quarter-summary", "");
    // Every person reached the director somewhere. The summary is built on a worker after the
    // ack, so wait for its parts (a loaded CI machine can be quiet for over a second first),
    // then let the rest settle.
    auto mentions = [](const std::string& everything, int p) {
        std::string n = std::to_string(p);
        return everything.find("U0P" + std::to_string(1000 + p)) != std::string::npos ||
               everything.find("Person " + n) != std::string::npos ||
               everything.find("@p" + n) != std::string::npos;
    };
    auto everything_sent = [&f] {
        std::string everything;
        for (const auto& m : f.messages()) everything += m.dump();
        return everything;
    };
    auto deadline = std::chrono::steady_clock::now() + 40s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::string everything = everything_sent();
        if (mentions(everything, 0) && mentions(everything, person - 1)) break;
        std::this_thread::sleep_for(50ms);
    }
    f.settle(1000ms, 40s);
    CHECK(f.server.wait_for_call("files.completeUploadExternal", 10s));
    std::string everything = everything_sent();
    for (int p : {0, person - 1}) {
        INFO("person " << p);
        CHECK(mentions(everything, p));
    }
    auto refused = f.rejections();
    INFO(json(refused).dump(2));
    CHECK(refused.empty());
    CHECK(f.stop_bot() == 0);
    (void)ack;
}
