#include "src/core/prefetched_lookup.hpp"

namespace careerbot {

using nlohmann::json;

namespace {

int64_t millis(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint from_millis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

std::string str(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string LookupQuestion::key() const {
    return b.empty() ? kind + ":" + a : kind + ":" + a + ":" + b;
}

json LookupQuestion::to_json() const { return json{{"kind", kind}, {"a", a}, {"b", b}}; }

LookupQuestion LookupQuestion::from_json(const json& j) {
    return LookupQuestion{str(j, "kind"), str(j, "a"), str(j, "b")};
}

const json* PrefetchedLookup::find(const LookupQuestion& q) {
    auto it = answers_.find(q.key());
    if (it != answers_.end()) return &*it;
    if (final_round_) return nullptr;
    throw LookupNeeded(q);
}

std::optional<std::string> PrefetchedLookup::permalink(const std::string& channel,
                                                       const std::string& ts) {
    const json* a = find({"permalink", channel, ts});
    if (a == nullptr || !a->is_string()) return std::nullopt;
    return a->get<std::string>();
}

std::optional<SlackMessage> PrefetchedLookup::message(const std::string& channel,
                                                      const std::string& ts) {
    const json* a = find({"message", channel, ts});
    if (a == nullptr || !a->is_object()) return std::nullopt;
    SlackMessage m;
    m.text = str(*a, "text");
    m.user_id = str(*a, "user_id");
    m.bot_id = str(*a, "bot_id");
    m.subtype = str(*a, "subtype");
    m.ts = str(*a, "ts");
    m.has_files = a->value("has_files", false);
    return m;
}

std::optional<SlackUser> PrefetchedLookup::user(const std::string& id) {
    const json* a = find({"user", id, ""});
    if (a == nullptr || !a->is_object()) return std::nullopt;
    SlackUser u;
    u.id = str(*a, "id");
    u.name = str(*a, "name");
    u.real_name = str(*a, "real_name");
    u.tz = str(*a, "tz");
    u.is_bot = a->value("is_bot", false);
    return u;
}

json PrefetchedLookup::fetch(Lookup& live, const LookupQuestion& q) {
    if (q.kind == "permalink") {
        auto p = live.permalink(q.a, q.b);
        return p ? json(*p) : json(nullptr);
    }
    if (q.kind == "message") {
        auto m = live.message(q.a, q.b);
        if (!m) return nullptr;
        return json{{"text", m->text},       {"user_id", m->user_id}, {"bot_id", m->bot_id},
                    {"subtype", m->subtype}, {"ts", m->ts},           {"has_files", m->has_files}};
    }
    if (q.kind == "user") {
        auto u = live.user(q.a);
        if (!u) return nullptr;
        return json{{"id", u->id},
                    {"name", u->name},
                    {"real_name", u->real_name},
                    {"tz", u->tz},
                    {"is_bot", u->is_bot}};
    }
    return nullptr;
}

json to_json(const Request& r) {
    return json{{"user_id", r.user_id},
                {"user_name", r.user_name},
                {"team_id", r.team_id},
                {"channel_id", r.channel_id},
                {"channel_name", r.channel_name},
                {"command", r.command},
                {"text", r.text},
                {"trigger_id", r.trigger_id},
                {"response_url", r.response_url},
                {"received_at", millis(r.received_at)},
                {"source", r.source}};
}

json to_json(const Event& e) {
    return json{{"type", e.type},       {"event_id", e.event_id},
                {"user_id", e.user_id}, {"team_id", e.team_id},
                {"body", e.body},       {"received_at", millis(e.received_at)}};
}

json to_json(const Interaction& in) {
    return json{{"type", in.type},
                {"key", in.key},
                {"user_id", in.user_id},
                {"channel_id", in.channel_id},
                {"trigger_id", in.trigger_id},
                {"response_url", in.response_url},
                {"value", in.value},
                {"payload", in.payload},
                {"received_at", millis(in.received_at)}};
}

Request request_from_json(const json& j) {
    Request r;
    r.user_id = str(j, "user_id");
    r.user_name = str(j, "user_name");
    r.team_id = str(j, "team_id");
    r.channel_id = str(j, "channel_id");
    r.channel_name = str(j, "channel_name");
    r.command = str(j, "command");
    r.text = str(j, "text");
    r.trigger_id = str(j, "trigger_id");
    r.response_url = str(j, "response_url");
    r.received_at = from_millis(j.value("received_at", int64_t{0}));
    r.source = str(j, "source");
    return r;
}

Event event_from_json(const json& j) {
    Event e;
    e.type = str(j, "type");
    e.event_id = str(j, "event_id");
    e.user_id = str(j, "user_id");
    e.team_id = str(j, "team_id");
    e.body = j.value("body", json::object());
    e.received_at = from_millis(j.value("received_at", int64_t{0}));
    return e;
}

Interaction interaction_from_json(const json& j) {
    Interaction in;
    in.type = str(j, "type");
    in.key = str(j, "key");
    in.user_id = str(j, "user_id");
    in.channel_id = str(j, "channel_id");
    in.trigger_id = str(j, "trigger_id");
    in.response_url = str(j, "response_url");
    in.value = str(j, "value");
    in.payload = j.value("payload", json::object());
    in.received_at = from_millis(j.value("received_at", int64_t{0}));
    return in;
}

}  // namespace careerbot
