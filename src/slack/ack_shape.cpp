#include "src/slack/ack_shape.hpp"

namespace careerbot::slack {

using json = nlohmann::json;

json message_json(const Message& m) {
    json j{{"text", m.text}};
    // Slack rejects an empty blocks array in some surfaces; leave it out instead.
    if (m.blocks.is_array() && !m.blocks.empty()) j["blocks"] = m.blocks;
    return j;
}

AckShape shape_ack(EnvelopeKind kind, const std::string& interaction_type, const Reply& reply) {
    AckShape out;
    if (kind == EnvelopeKind::slash_command && reply.message) {
        out.payload = message_json(*reply.message);
        out.payload["response_type"] = reply.in_channel ? "in_channel" : "ephemeral";
        out.message_in_ack = true;
    } else if (kind == EnvelopeKind::interactive && interaction_type == "view_submission" &&
               reply.response_action) {
        out.payload = *reply.response_action;
    }
    return out;
}

}  // namespace careerbot::slack
