#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "src/slack/envelope.hpp"
#include "src/slack/socket_mode.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using nlohmann::json;

namespace {
const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

Envelope parse(const json& j) { return parse_envelope(j.dump(), kNow); }
}  // namespace

TEST_CASE("hello and disconnect are recognised", "[envelope]") {
    auto hello = parse({{"type", "hello"}, {"num_connections", 2}});
    CHECK(hello.kind == EnvelopeKind::hello);
    CHECK(hello.num_connections == 2);
    auto bye = parse({{"type", "disconnect"}, {"reason", "refresh_requested"}});
    CHECK(bye.kind == EnvelopeKind::disconnect);
    CHECK(bye.reason == "refresh_requested");
}

TEST_CASE("a slash command envelope becomes a Request", "[envelope]") {
    json j = {{"type", "slash_commands"},
              {"envelope_id", "E1"},
              {"accepts_response_payload", true},
              {"payload",
               {{"user_id", "U1"},
                {"user_name", "alice"},
                {"team_id", "T1"},
                {"channel_id", "C1"},
                {"channel_name", "general"},
                {"command", "/brag"},
                {"text", "shipped <@U2>"},
                {"trigger_id", "tr"},
                {"response_url", "https://hooks.slack.com/x"}}}};
    auto env = parse(j);
    REQUIRE(env.kind == EnvelopeKind::slash_command);
    CHECK(env.envelope_id == "E1");
    CHECK(env.accepts_response_payload);
    REQUIRE(env.request);
    CHECK(env.request->user_id == "U1");
    CHECK(env.request->user_name == "alice");
    CHECK(env.request->command == "/brag");
    CHECK(env.request->text == "shipped <@U2>");
    CHECK(env.request->trigger_id == "tr");
    CHECK(env.request->response_url == "https://hooks.slack.com/x");
    CHECK(env.request->received_at == kNow);
    CHECK(env.request->source == "slack");
}

TEST_CASE("slash commands read without a DOM follow the DOM's rules", "[envelope]") {
    // Slash commands take a SAX fast path; these are the corners where it could differ.
    auto slash = [](const std::string& text) { return parse_envelope(text, kNow); };

    SECTION("key order, escapes and unknown or nested fields") {
        auto env =
            slash(R"({"type":"slash_commands","accepts_response_payload":true,)"
                  R"("payload":{"extra":{"user_id":"UX","text":"no"},"list":[{"command":"/x"}],)"
                  R"("text":"caf\u00e9 \"quoted\" <@U2>","command":"/brag","user_id":"U1",)"
                  R"("is_enterprise_install":"false","channel_id":"C1"},)"
                  R"("envelope_id":"E1","retry_attempt":0})");
        REQUIRE(env.kind == EnvelopeKind::slash_command);
        REQUIRE(env.request);
        CHECK(env.envelope_id == "E1");
        CHECK(env.accepts_response_payload);
        CHECK(env.request->user_id == "U1");
        CHECK(env.request->command == "/brag");
        CHECK(env.request->text == "caf\xC3\xA9 \"quoted\" <@U2>");
        CHECK(env.request->channel_id == "C1");
        CHECK(env.request->team_id.empty());
    }
    SECTION("the last of repeated keys wins") {
        auto env =
            slash(R"({"envelope_id":"E1","type":"slash_commands","payload":)"
                  R"({"user_id":"U1","command":"/a","command":"/brag","text":"x","text":3}})");
        REQUIRE(env.request);
        CHECK(env.request->command == "/brag");
        CHECK(env.request->text.empty());  // a number is not text
        auto second_payload = slash(R"({"envelope_id":"E1","type":"slash_commands","payload":)"
                                    R"({"user_id":"U1","command":"/a"},"payload":{"user_id":"U2",)"
                                    R"("command":"/b"}})");
        REQUIRE(second_payload.request);
        CHECK(second_payload.request->user_id == "U2");
        auto payload_replaced = slash(R"({"envelope_id":"E1","type":"slash_commands","payload":)"
                                      R"({"user_id":"U1","command":"/a"},"payload":"gone"})");
        CHECK(payload_replaced.kind == EnvelopeKind::malformed);
        auto id_replaced = slash(R"({"envelope_id":"E1","envelope_id":7,"type":"slash_commands",)"
                                 R"("payload":{"user_id":"U1","command":"/a"}})");
        CHECK(id_replaced.kind == EnvelopeKind::malformed);
        CHECK(id_replaced.reason == "slash_commands envelope without envelope_id");
    }
    SECTION("fields of the wrong type count as missing") {
        auto env =
            slash(R"({"envelope_id":"E1","type":"slash_commands","accepts_response_payload":1,)"
                  R"("retry_attempt":"2","payload":{"user_id":"U1","command":"/brag",)"
                  R"("text":{"t":"x"},"channel_id":["C1"],"trigger_id":null}})");
        REQUIRE(env.request);
        CHECK_FALSE(env.accepts_response_payload);
        CHECK(env.retry_attempt == 0);
        CHECK(env.request->text.empty());
        CHECK(env.request->channel_id.empty());
        CHECK(env.request->trigger_id.empty());
        auto retried =
            slash(R"({"envelope_id":"E1","type":"slash_commands","retry_attempt":2,)"
                  R"("retry_reason":"timeout","payload":{"user_id":"U1","command":"/b"}})");
        CHECK(retried.retry_attempt == 2);
        CHECK(retried.retry_reason == "timeout");
    }
    SECTION("broken or foreign input takes the general path") {
        CHECK(slash(R"({"type":"slash_commands","envelope_id":"E1","payload":{"user_id":"U1")")
                  .reason == "not valid JSON");
        CHECK(slash(R"({"type":"slash_commands"} trailing)").reason == "not valid JSON");
        CHECK(slash(R"(["slash_commands"])").reason == "not a JSON object");
        auto nested_type = slash(R"({"payload":{"type":"slash_commands"},"envelope_id":"E1"})");
        CHECK(nested_type.kind == EnvelopeKind::unknown);
        auto no_user =
            slash(R"({"type":"slash_commands","envelope_id":"E1","payload":{"command":"/b"}})");
        CHECK(no_user.kind == EnvelopeKind::malformed);
        CHECK(no_user.reason == "slash command without command or user_id");
        CHECK(no_user.envelope_id == "E1");  // still acked
    }
}

TEST_CASE("an events_api envelope becomes an Event with its retry counter", "[envelope]") {
    json j = {{"type", "events_api"},
              {"envelope_id", "E2"},
              {"retry_attempt", 2},
              {"retry_reason", "timeout"},
              {"payload",
               {{"team_id", "T1"},
                {"event_id", "Ev9"},
                {"event", {{"type", "reaction_added"}, {"user", "U3"}, {"reaction", "star"}}}}}};
    auto env = parse(j);
    REQUIRE(env.kind == EnvelopeKind::event);
    CHECK(env.retry_attempt == 2);
    CHECK(env.retry_reason == "timeout");
    REQUIRE(env.event);
    CHECK(env.event->type == "reaction_added");
    CHECK(env.event->event_id == "Ev9");
    CHECK(env.event->user_id == "U3");
    CHECK(env.event->team_id == "T1");
    CHECK(env.event->body["reaction"] == "star");
}

TEST_CASE("an event whose user is an object takes the user's id", "[envelope]") {
    json j = {
        {"type", "events_api"},
        {"envelope_id", "E3"},
        {"payload",
         {{"event_id", "Ev1"}, {"event", {{"type", "user_change"}, {"user", {{"id", "U7"}}}}}}}};
    auto env = parse(j);
    REQUIRE(env.event);
    CHECK(env.event->user_id == "U7");
}

TEST_CASE("interactive payloads become Interactions keyed by what they are", "[envelope]") {
    SECTION("block_actions: the first action's id and value") {
        json j = {{"type", "interactive"},
                  {"envelope_id", "E4"},
                  {"payload",
                   {{"type", "block_actions"},
                    {"user", {{"id", "U1"}}},
                    {"trigger_id", "tr"},
                    {"response_url", "https://r"},
                    {"container", {{"channel_id", "C9"}}},
                    {"actions", {{{"action_id", "brag_undo"}, {"value", "3"}}}}}}};
        auto env = parse(j);
        REQUIRE(env.kind == EnvelopeKind::interactive);
        CHECK(env.interaction->type == "block_actions");
        CHECK(env.interaction->key == "brag_undo");
        CHECK(env.interaction->value == "3");
        CHECK(env.interaction->channel_id == "C9");
        CHECK(env.interaction->response_url == "https://r");
    }
    SECTION("a select menu's choice") {
        json j = {
            {"type", "interactive"},
            {"envelope_id", "E5"},
            {"payload",
             {{"type", "block_actions"},
              {"user", {{"id", "U1"}}},
              {"actions", {{{"action_id", "pick"}, {"selected_option", {{"value", "q3"}}}}}}}}};
        CHECK(parse(j).interaction->value == "q3");
    }
    SECTION("a message shortcut by callback_id") {
        json j = {{"type", "interactive"},
                  {"envelope_id", "E6"},
                  {"payload",
                   {{"type", "message_action"},
                    {"callback_id", "save_feedback"},
                    {"user", {{"id", "U1"}}},
                    {"channel", {{"id", "C1"}}}}}};
        auto env = parse(j);
        CHECK(env.interaction->key == "save_feedback");
        CHECK(env.interaction->channel_id == "C1");
    }
    SECTION("a view submission by the view's callback_id and private_metadata") {
        json j = {{"type", "interactive"},
                  {"envelope_id", "E7"},
                  {"payload",
                   {{"type", "view_submission"},
                    {"user", {{"id", "U1"}}},
                    {"view", {{"callback_id", "brag_edit"}, {"private_metadata", "4"}}}}}};
        auto env = parse(j);
        CHECK(env.interaction->key == "brag_edit");
        CHECK(env.interaction->value == "4");
        CHECK(env.interaction->payload["view"]["callback_id"] == "brag_edit");
    }
}

TEST_CASE("bad input is classified, never thrown", "[envelope]") {
    CHECK(parse_envelope("{not json", kNow).kind == EnvelopeKind::malformed);
    CHECK(parse_envelope("", kNow).kind == EnvelopeKind::malformed);
    CHECK(parse_envelope("[1,2]", kNow).kind == EnvelopeKind::malformed);
    CHECK(parse_envelope("\"hello\"", kNow).kind == EnvelopeKind::malformed);
    CHECK(parse_envelope("{\"type\":\"hello\"\xff}", kNow).kind == EnvelopeKind::malformed);

    auto unknown = parse({{"type", "mystery"}, {"envelope_id", "E8"}});
    CHECK(unknown.kind == EnvelopeKind::unknown);
    CHECK(unknown.envelope_id == "E8");  // so it can still be acked

    auto no_event = parse({{"type", "events_api"}, {"envelope_id", "E9"}, {"payload", {}}});
    CHECK(no_event.kind == EnvelopeKind::malformed);
    CHECK(no_event.envelope_id == "E9");

    auto no_command = parse({{"type", "slash_commands"},
                             {"envelope_id", "E10"},
                             {"payload", {{"user_id", "U1"}, {"text", 3}}}});
    CHECK(no_command.kind == EnvelopeKind::malformed);

    auto no_id =
        parse({{"type", "slash_commands"}, {"payload", {{"user_id", "U1"}, {"command", "/brag"}}}});
    CHECK(no_id.kind == EnvelopeKind::malformed);

    auto no_actions = parse({{"type", "interactive"},
                             {"envelope_id", "E11"},
                             {"payload", {{"type", "block_actions"}, {"user", {{"id", "U1"}}}}}});
    CHECK(no_actions.kind == EnvelopeKind::malformed);

    auto wrong_types = parse({{"type", "slash_commands"},
                              {"envelope_id", 5},
                              {"payload", {{"user_id", 1}, {"command", {"x"}}}}});
    CHECK(wrong_types.kind == EnvelopeKind::malformed);
}

TEST_CASE("acks carry the envelope id and an optional payload", "[envelope]") {
    CHECK(json::parse(ack_message("E1")) == json{{"envelope_id", "E1"}});
    auto with = json::parse(ack_message("E2", {{"text", "done"}}));
    CHECK(with["envelope_id"] == "E2");
    CHECK(with["payload"]["text"] == "done");
    // Invalid UTF-8 from user text is replaced, not thrown.
    auto bad = ack_message("E3", {{"text", std::string("caf\xC3")}});
    CHECK(bad.find("E3") != std::string::npos);
}

TEST_CASE("socket URLs are split for the connector", "[envelope][socket]") {
    auto wss = parse_ws_url("wss://wss-primary.slack.com/link/?ticket=abc&app_id=A1");
    REQUIRE(wss);
    CHECK(wss->tls);
    CHECK(wss->host == "wss-primary.slack.com");
    CHECK(wss->port == "443");
    CHECK(wss->target == "/link/?ticket=abc&app_id=A1");

    auto ws = parse_ws_url("ws://127.0.0.1:8123/link/?ticket=x");
    REQUIRE(ws);
    CHECK_FALSE(ws->tls);
    CHECK(ws->host == "127.0.0.1");
    CHECK(ws->port == "8123");

    auto bare = parse_ws_url("wss://example.com?x=1");
    REQUIRE(bare);
    CHECK(bare->target == "/?x=1");

    auto v6 = parse_ws_url("ws://[::1]:9000/a");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->port == "9000");

    CHECK_FALSE(parse_ws_url("https://slack.com/"));
    CHECK_FALSE(parse_ws_url("wss://"));
    CHECK_FALSE(parse_ws_url("wss://host:99999/"));
    CHECK_FALSE(parse_ws_url("wss://host:abc/"));
    CHECK_FALSE(parse_ws_url("wss://user@host/"));
}

TEST_CASE("an envelope nested deeper than 64 levels is refused without building the tree",
          "[envelope][reliability]") {
    // 70,000 nested arrays used to crash the bot (a recursive copy of the parsed tree), and
    // Slack redelivers an unacked event three times.
    for (const char* type : {"events_api", "interactive", "slash_commands"}) {
        std::string deep(70000, '[');
        deep += std::string(70000, ']');
        std::string text = std::string(R"({"envelope_id":"E9","type":")") + type +
                           R"(","payload":{"event":{"type":"message","x":)" + deep + "}}}";
        auto env = slack::parse_envelope(text, TimePoint{});
        CHECK(env.kind == slack::EnvelopeKind::malformed);
        CHECK(env.envelope_id == "E9");  // still acked, so Slack stops sending it
        // Slash commands are read by the SAX reader, which never builds a tree at all.
        if (std::string(type) != "slash_commands")
            CHECK_THAT(env.reason, Catch::Contains("nested deeper than 64 levels"));
    }
    // A realistic depth is fine.
    std::string ok = R"({"envelope_id":"E1","type":"events_api","payload":{"event_id":"Ev1",)"
                     R"("event":{"type":"reaction_added","user":"U1","x":[[[[[[[[1]]]]]]]]}}})";
    CHECK(slack::parse_envelope(ok, TimePoint{}).kind == slack::EnvelopeKind::event);
}
