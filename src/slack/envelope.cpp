#include "src/slack/envelope.hpp"

namespace careerbot::slack {
namespace {
using nlohmann::json;

/// Deeper than any envelope Slack sends (Block Kit payloads nest about a dozen levels).
constexpr int kMaxEnvelopeDepth = 64;

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
        if (in.response_url.empty() && urls != payload.end() && urls->is_array() && !urls->empty())
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

/// Reads a slash-command envelope through nlohmann's SAX interface instead of building a DOM:
/// slash commands are the bulk of the traffic and their fields are all flat strings, so only
/// those are kept. It reads exactly what the DOM path below reads, with the same rules (the
/// last of repeated keys wins; a field of another type counts as missing). Anything else —
/// other envelope types, invalid JSON — returns false and takes the DOM path.
class SlashCommandSax : public nlohmann::json_sax<json> {
  public:
    bool null() override { return scalar(); }
    bool boolean(bool value) override {
        if (depth_ == 1 && key_ == "accepts_response_payload") accepts_ = value;
        return scalar();
    }
    bool number_integer(number_integer_t value) override { return integer(value); }
    bool number_unsigned(number_unsigned_t value) override {
        return integer(static_cast<number_integer_t>(value));
    }
    bool number_float(number_float_t, const string_t&) override { return scalar(); }
    bool binary(binary_t&) override { return scalar(); }
    bool string(string_t& value) override {
        if (target_) *target_ = std::move(value);
        target_ = nullptr;
        return true;
    }
    bool start_object(std::size_t) override {
        if (depth_ == 0) {
            top_is_object_ = true;
        } else if (depth_ == 1 && key_ == "payload") {
            payload_is_object_ = true;
            in_payload_ = true;
            r_ = Request{};  // a repeated "payload" replaces the first, as in the DOM
        } else {
            scalar();  // a wanted field holding an object is not a string
        }
        ++depth_;
        return true;
    }
    bool end_object() override {
        --depth_;
        if (depth_ == 1) in_payload_ = false;
        return true;
    }
    bool start_array(std::size_t) override {
        scalar();
        ++depth_;
        return true;
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool key(string_t& k) override {
        target_ = nullptr;
        if (depth_ == 1) {
            key_ = std::move(k);
            if (key_ == "payload") payload_is_object_ = in_payload_ = false;
            target_ = key_ == "type"           ? &type_
                      : key_ == "envelope_id"  ? &envelope_id_
                      : key_ == "retry_reason" ? &retry_reason_
                                               : nullptr;
            if (key_ == "accepts_response_payload") accepts_ = false;
            if (key_ == "retry_attempt") retry_attempt_ = 0;
        } else if (depth_ == 2 && in_payload_) {
            target_ = k == "user_id"        ? &r_.user_id
                      : k == "user_name"    ? &r_.user_name
                      : k == "team_id"      ? &r_.team_id
                      : k == "channel_id"   ? &r_.channel_id
                      : k == "channel_name" ? &r_.channel_name
                      : k == "command"      ? &r_.command
                      : k == "text"         ? &r_.text
                      : k == "trigger_id"   ? &r_.trigger_id
                      : k == "response_url" ? &r_.response_url
                                            : nullptr;
        }
        if (target_) target_->clear();  // until a string arrives, the field is missing
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return false;
    }

    /// True when `text` was a valid slash-command envelope object; fills `env` then.
    bool finish(TimePoint received_at, Envelope& env) {
        if (!top_is_object_ || type_ != "slash_commands") return false;
        env.type = std::move(type_);
        env.envelope_id = std::move(envelope_id_);
        env.accepts_response_payload = accepts_;
        env.retry_attempt = retry_attempt_;
        env.retry_reason = std::move(retry_reason_);
        env.kind = EnvelopeKind::slash_command;
        r_.received_at = received_at;
        r_.source = "slack";
        if (!payload_is_object_ || r_.command.empty() || r_.user_id.empty()) {
            env.kind = EnvelopeKind::malformed;
            env.reason = "slash command without command or user_id";
        } else if (env.envelope_id.empty()) {
            env.kind = EnvelopeKind::malformed;
            env.reason = env.type + " envelope without envelope_id";
        } else {
            env.request = std::move(r_);
        }
        return true;
    }

  private:
    bool integer(number_integer_t value) {
        if (depth_ == 1 && key_ == "retry_attempt") retry_attempt_ = static_cast<int>(value);
        return scalar();
    }
    /// Any value that is not a string: a wanted string field stays missing.
    bool scalar() {
        target_ = nullptr;
        return true;
    }

    int depth_ = 0;
    bool top_is_object_ = false;
    bool payload_is_object_ = false;
    bool in_payload_ = false;
    std::string key_;  ///< the current top-level key
    std::string* target_ = nullptr;
    std::string type_, envelope_id_, retry_reason_;
    bool accepts_ = false;
    int retry_attempt_ = 0;
    Request r_;
};

}  // namespace

Envelope parse_envelope(std::string_view text, TimePoint received_at) {
    Envelope env;
    {
        SlashCommandSax sax;
        if (json::sax_parse(text.begin(), text.end(), &sax) && sax.finish(received_at, env))
            return env;
    }
    // Bound the depth while parsing, before any tree exists: copying or walking a tree of
    // 70,000 nested arrays recurses until the stack overflows, and Slack redelivers an unacked
    // event three times. Deeper values are dropped as they are read, and the envelope refused.
    bool too_deep = false;
    json::parser_callback_t bound = [&too_deep](int depth, json::parse_event_t event, json&) {
        if (depth > kMaxEnvelopeDepth && (event == json::parse_event_t::object_start ||
                                          event == json::parse_event_t::array_start)) {
            too_deep = true;
            return false;  // this value and everything inside it is skipped, not built
        }
        return true;
    };
    json j = json::parse(text.begin(), text.end(), bound, /*allow_exceptions=*/false);
    if (too_deep) {
        env.kind = EnvelopeKind::malformed;
        env.reason = "nested deeper than " + std::to_string(kMaxEnvelopeDepth) + " levels";
        // The id is still worth having: the envelope is acked so Slack stops sending it.
        if (j.is_object()) env.envelope_id = str(j, "envelope_id");
        return env;
    }
    if (j.is_discarded() || !j.is_object()) {
        env.reason = j.is_discarded() ? "not valid JSON" : "not a JSON object";
        return env;
    }
    env.type = str(j, "type");
    env.envelope_id = str(j, "envelope_id");
    env.accepts_response_payload = j.contains("accepts_response_payload") &&
                                   j["accepts_response_payload"].is_boolean() &&
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

std::string ack_message(const std::string& envelope_id, nlohmann::json payload) {
    json ack = {{"envelope_id", envelope_id}};
    if (!payload.is_null()) ack["payload"] = std::move(payload);
    // Replace invalid UTF-8 from user text instead of throwing half-way through an ack.
    return ack.dump(-1, ' ', false, json::error_handler_t::replace);
}

const char* kind_name(EnvelopeKind kind) {
    switch (kind) {
        case EnvelopeKind::hello:
            return "hello";
        case EnvelopeKind::disconnect:
            return "disconnect";
        case EnvelopeKind::slash_command:
            return "slash_command";
        case EnvelopeKind::event:
            return "event";
        case EnvelopeKind::interactive:
            return "interactive";
        case EnvelopeKind::unknown:
            return "unknown";
        case EnvelopeKind::malformed:
            return "malformed";
    }
    return "?";
}

}  // namespace careerbot::slack
