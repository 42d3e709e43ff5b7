#include "src/slack/envelope.hpp"

namespace careerbot::slack {
namespace {
using nlohmann::json;

/// A string field, or "" when it is missing or not a string (Slack omits fields freely).
std::string str(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// `j[a][b]` as a string, or "".
std::string str2(const json& j, const char* a, const char* b) {
    if (!j.is_object()) return {};
    auto it = j.find(a);
    return it == j.end() ? std::string() : str(*it, b);
}

int integer(const json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

/// The acting user of an event: a string for most events, an object for user_change & co.
std::string event_user(const json& event) {
    auto it = event.find("user");
    if (it == event.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    return str(*it, "id");
}

bool parse_slash(const json& payload, TimePoint received_at, Envelope& env) {
    Request r;
    r.user_id = str(payload, "user_id");
    r.user_name = str(payload, "user_name");
    r.team_id = str(payload, "team_id");
    r.channel_id = str(payload, "channel_id");
    r.channel_name = str(payload, "channel_name");
    r.command = str(payload, "command");
    r.text = str(payload, "text");
    r.trigger_id = str(payload, "trigger_id");
    r.response_url = str(payload, "response_url");
    r.received_at = received_at;
    r.source = "slack";
    if (r.command.empty() || r.user_id.empty()) {
        env.reason = "slash command without command or user_id";
        return false;
    }
    env.request = std::move(r);
    return true;
}

bool parse_event(const json& payload, TimePoint received_at, Envelope& env) {
    auto it = payload.find("event");
    if (it == payload.end() || !it->is_object()) {
        env.reason = "events_api payload without an event object";
        return false;
    }
    Event e;
    e.type = str(*it, "type");
    e.event_id = str(payload, "event_id");
    e.user_id = event_user(*it);
    e.team_id = str(payload, "team_id");
    e.body = *it;
    e.received_at = received_at;
    if (e.type.empty()) {
        env.reason = "event without a type";
        return false;
    }
    env.event = std::move(e);
    return true;
}

bool parse_interactive(const json& payload, TimePoint received_at, Envelope& env) {
    Interaction in;
    in.type = str(payload, "type");
    in.user_id = str2(payload, "user", "id");
    in.trigger_id = str(payload, "trigger_id");
    in.response_url = str(payload, "response_url");
    in.channel_id = str2(payload, "channel", "id");
    if (in.channel_id.empty()) in.channel_id = str2(payload, "container", "channel_id");
    if (in.type == "block_actions") {
        auto actions = payload.find("actions");
        if (actions == payload.end() || !actions->is_array() || actions->empty() ||
            !actions->front().is_object()) {
            env.reason = "block_actions without actions";
            return false;
        }
        const json& a = actions->front();
        in.key = str(a, "action_id");
        in.value = str(a, "value");
        // Select menus carry their choice in selected_option instead of value.
        if (in.value.empty()) in.value = str2(a, "selected_option", "value");
    } else if (in.type == "shortcut" || in.type == "message_action") {
        in.key = str(payload, "callback_id");
    } else if (in.type == "view_submission" || in.type == "view_closed") {
        in.key = str2(payload, "view", "callback_id");
        in.value = str2(payload, "view", "private_metadata");
        // Modals opened from a slash command may carry a response_url per input block.
        auto urls = payload.find("response_urls");
        if (in.response_url.empty() && urls != payload.end() && urls->is_array() &&
            !urls->empty())
            in.response_url = str(urls->front(), "response_url");
    } else {
        env.reason = "interactive payload of unsupported type '" + in.type + "'";
        return false;
    }
    if (in.key.empty() || in.user_id.empty()) {
        env.reason = in.type + " without a key or user";
        return false;
    }
    in.payload = payload;
    in.received_at = received_at;
    env.interaction = std::move(in);
    return true;
}

}  // namespace

Envelope parse_envelope(std::string_view text, TimePoint received_at) {
    Envelope env;
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        env.reason = j.is_discarded() ? "not valid JSON" : "not a JSON object";
        return env;
    }
    env.type = str(j, "type");
    env.envelope_id = str(j, "envelope_id");
    env.accepts_response_payload =
        j.contains("accepts_response_payload") && j["accepts_response_payload"].is_boolean() &&
        j["accepts_response_payload"].get<bool>();
    env.retry_attempt = integer(j, "retry_attempt");
    env.retry_reason = str(j, "retry_reason");

    if (env.type == "hello") {
        env.kind = EnvelopeKind::hello;
        env.num_connections = integer(j, "num_connections");
        return env;
    }
    if (env.type == "disconnect") {
        env.kind = EnvelopeKind::disconnect;
        env.reason = str(j, "reason");
        return env;
    }
    const json empty = json::object();
    auto p = j.find("payload");
    const json& payload = p != j.end() && p->is_object() ? *p : empty;
    bool ok = false;
    if (env.type == "slash_commands") {
        env.kind = EnvelopeKind::slash_command;
        ok = parse_slash(payload, received_at, env);
    } else if (env.type == "events_api") {
        env.kind = EnvelopeKind::event;
        ok = parse_event(payload, received_at, env);
    } else if (env.type == "interactive") {
        env.kind = EnvelopeKind::interactive;
        ok = parse_interactive(payload, received_at, env);
    } else {
        env.kind = EnvelopeKind::unknown;
        env.reason = env.type.empty() ? "no type" : "unknown type";
        return env;
    }
    if (!ok) env.kind = EnvelopeKind::malformed;
    if (ok && env.envelope_id.empty()) {
        env.kind = EnvelopeKind::malformed;
        env.reason = env.type + " envelope without envelope_id";
    }
    return env;
}

std::string ack_message(const std::string& envelope_id, const nlohmann::json& payload) {
    json ack = {{"envelope_id", envelope_id}};
    if (!payload.is_null()) ack["payload"] = payload;
    // Replace invalid UTF-8 from user text instead of throwing half-way through an ack.
    return ack.dump(-1, ' ', false, json::error_handler_t::replace);
}

const char* kind_name(EnvelopeKind kind) {
    switch (kind) {
    case EnvelopeKind::hello: return "hello";
    case EnvelopeKind::disconnect: return "disconnect";
    case EnvelopeKind::slash_command: return "slash_command";
    case EnvelopeKind::event: return "event";
    case EnvelopeKind::interactive: return "interactive";
    case EnvelopeKind::unknown: return "unknown";
    case EnvelopeKind::malformed: return "malformed";
    }
    return "?";
}

}  // namespace careerbot::slack
