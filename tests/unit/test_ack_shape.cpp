#include <catch2/catch.hpp>

#include "src/slack/ack_shape.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using nlohmann::json;

namespace {

Message text_message(const std::string& text) { return Message{text, json::array()}; }

Message block_message(const std::string& text) {
    return Message{
        text, json::array({{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}}})};
}

}  // namespace

TEST_CASE("a slash command's ack carries text, blocks and the response type", "[ack_shape]") {
    Reply ephemeral = Reply::ephemeral(block_message("Saved brag #3"));
    auto ack = shape_ack(EnvelopeKind::slash_command, "", ephemeral);
    CHECK(ack.message_in_ack);
    CHECK(ack.payload["text"] == "Saved brag #3");
    CHECK(ack.payload["blocks"].size() == 1);
    CHECK(ack.payload["response_type"] == "ephemeral");

    Reply public_reply = Reply::ephemeral(text_message("Quarter summary"));
    public_reply.in_channel = true;
    auto shown = shape_ack(EnvelopeKind::slash_command, "", public_reply);
    CHECK(shown.payload["response_type"] == "in_channel");
    CHECK_FALSE(shown.payload.contains("blocks"));  // empty blocks are left out
}

TEST_CASE("a slash command without a message is acked empty", "[ack_shape]") {
    auto ack = shape_ack(EnvelopeKind::slash_command, "", Reply::none());
    CHECK(ack.payload.is_null());
    CHECK_FALSE(ack.message_in_ack);
    CHECK(json::parse(ack_message("E1", ack.payload)) == json{{"envelope_id", "E1"}});
}

TEST_CASE("a view submission's ack is its response_action", "[ack_shape]") {
    Reply errors;
    errors.response_action = json{{"response_action", "errors"}, {"errors", {{"b1", "required"}}}};
    auto ack = shape_ack(EnvelopeKind::interactive, "view_submission", errors);
    CHECK(ack.payload == *errors.response_action);
    CHECK_FALSE(ack.message_in_ack);

    // Closing the form: an empty ack.
    auto closed = shape_ack(EnvelopeKind::interactive, "view_submission", Reply::text("Saved"));
    CHECK(closed.payload.is_null());
    CHECK_FALSE(closed.message_in_ack);
}

TEST_CASE("buttons, shortcuts and events are acked empty; their answer follows", "[ack_shape]") {
    Reply r = Reply::text("Done");
    r.response_action = json{{"response_action", "clear"}};  // only views take one
    for (const char* type : {"block_actions", "shortcut", "message_action", "view_closed"}) {
        auto ack = shape_ack(EnvelopeKind::interactive, type, r);
        CHECK(ack.payload.is_null());
        CHECK_FALSE(ack.message_in_ack);
    }
    auto event = shape_ack(EnvelopeKind::event, "", r);
    CHECK(event.payload.is_null());
    CHECK_FALSE(event.message_in_ack);
}
