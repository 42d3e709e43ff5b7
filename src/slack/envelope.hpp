#pragma once
// Socket Mode envelopes → the core's Request / Event / Interaction, and acks back. Pure
// functions on JSON text, so every odd shape Slack (or a test) sends is unit-tested.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "src/core/clock.hpp"
#include "src/core/request.hpp"

namespace careerbot::slack {

/// What kind of message arrived on the socket.
enum class EnvelopeKind {
    hello,          ///< the connection is ready
    disconnect,     ///< Slack is about to close this connection (see `reason`)
    slash_command,  ///< `slash_commands`: `request` is set
    event,          ///< `events_api`: `event` is set
    interactive,    ///< `interactive`: `interaction` is set
    unknown,        ///< valid JSON of a type careerbot does not handle
    malformed,      ///< not JSON, not an object, or a known type missing what it needs
};

/// One parsed Socket Mode message.
struct Envelope {
    EnvelopeKind kind = EnvelopeKind::malformed;
    std::string type;          ///< Slack's `type` as sent (for logs)
    std::string envelope_id;   ///< empty for hello/disconnect (and unparseable text)
    std::string reason;        ///< disconnect reason, or why the envelope is malformed
    int retry_attempt = 0;     ///< events_api: Slack's retry counter (0 = first delivery)
    std::string retry_reason;  ///< events_api: e.g. "timeout"
    bool accepts_response_payload = false;   ///< the ack may carry a payload
    int num_connections = 0;                 ///< hello: connections Slack has open for this app
    std::optional<Request> request;          ///< slash_command
    std::optional<Event> event;              ///< event
    std::optional<Interaction> interaction;  ///< interactive
};

/// Parses one websocket text message; never throws (bad input gives kind == malformed).
Envelope parse_envelope(std::string_view text, TimePoint received_at);

/// The ack for `envelope_id`, with `payload` when it is not null.
std::string ack_message(const std::string& envelope_id, nlohmann::json payload = nlohmann::json());

/// A short, log-safe name for an envelope kind ("slash_command", …).
const char* kind_name(EnvelopeKind kind);

}  // namespace careerbot::slack
