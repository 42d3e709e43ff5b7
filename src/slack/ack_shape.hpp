#pragma once
// What an envelope's ack carries, decided in one place from the envelope's kind and the reply.
// Pure: unit-tested in tests/unit/test_ack_shape.cpp. ack_message() (envelope.hpp) wraps the
// payload into the frame sent on the socket.
#include <string>

#include <nlohmann/json.hpp>

#include "src/core/reply.hpp"
#include "src/slack/envelope.hpp"

namespace careerbot::slack {

/// The payload of one ack.
struct AckShape {
    nlohmann::json payload;       ///< null: an empty ack
    bool message_in_ack = false;  ///< the reply's message rides in the ack; not sent again
};

/// The ack of an envelope of `kind` answered by `reply` (`interaction_type` is the
/// interaction's `type` for interactive envelopes):
///   - a slash command with a message: the message {text, blocks, response_type};
///   - a view_submission with a response_action (errors, update, clear): that action;
///   - anything else: empty (its answer, if any, follows through the Web API).
AckShape shape_ack(EnvelopeKind kind, const std::string& interaction_type, const Reply& reply);

/// A message as the Web API and acks take it: {text, blocks}, without an empty blocks array.
nlohmann::json message_json(const Message& message);

}  // namespace careerbot::slack
