#include "src/slack/slack_lookup.hpp"

#include <map>

namespace careerbot::slack {
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool non_empty_array(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_array() && !it->empty();
}

}  // namespace

std::optional<SlackMessage> message_from_answer(const json& body, const std::string& ts) {
    if (!body.is_object()) return std::nullopt;
    auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array()) return std::nullopt;
    for (const auto& m : *messages) {
        // history may hand back a neighbour when `ts` is gone; replies starts with the parent.
        if (!m.is_object() || str(m, "ts") != ts) continue;
        SlackMessage out;
        out.text = str(m, "text");
        out.user_id = str(m, "user");
        out.bot_id = str(m, "bot_id");
        out.subtype = str(m, "subtype");
        out.ts = ts;
        out.has_files = non_empty_array(m, "files") || non_empty_array(m, "attachments");
        return out;
    }
    return std::nullopt;
}

std::optional<SlackUser> user_from_answer(const json& body) {
    if (!body.is_object()) return std::nullopt;
    auto u = body.find("user");
    if (u == body.end() || !u->is_object()) return std::nullopt;
    SlackUser out;
    out.id = str(*u, "id");
    const json profile = u->value("profile", json::object());
    out.name = str(profile, "display_name");
    if (out.name.empty()) out.name = str(*u, "name");
    out.real_name = str(*u, "real_name");
    if (out.real_name.empty()) out.real_name = str(profile, "real_name");
    out.tz = str(*u, "tz");
    auto bot = u->find("is_bot");
    out.is_bot = bot != u->end() && bot->is_boolean() && bot->get<bool>();
    return out;
}

std::optional<std::string> SlackLookup::permalink(const std::string& channel,
                                                  const std::string& ts) {
    auto r = api_.call_form("chat.getPermalink", {{"channel", channel}, {"message_ts", ts}});
    if (!r.ok) return std::nullopt;
    std::string link = str(r.body, "permalink");
    if (link.empty()) return std::nullopt;
    return link;
}

std::optional<SlackMessage> SlackLookup::message(const std::string& channel,
                                                 const std::string& ts) {
    auto history = api_.call_form("conversations.history", {{"channel", channel},
                                                            {"latest", ts},
                                                            {"oldest", ts},
                                                            {"inclusive", "true"},
                                                            {"limit", "1"}});
    if (history.ok) {
        if (auto m = message_from_answer(history.body, ts)) return m;
    }
    // A reply inside a thread is not in the channel's history; replies finds it by its ts. Slack
    // answers the thread's parent first, whichever message of the thread `ts` names, and counts
    // it in `limit` (https://docs.slack.dev/reference/methods/conversations.replies): narrowed to
    // `ts`, the reply is the second message. Further pages are read in case the narrowing is
    // not honoured, within a bound.
    std::map<std::string, std::string> args{{"channel", channel},  {"ts", ts},
                                            {"oldest", ts},        {"latest", ts},
                                            {"inclusive", "true"}, {"limit", "2"}};
    for (int page = 0; page < 10; ++page) {
        auto replies = api_.call_form("conversations.replies", args);
        if (!replies.ok) return std::nullopt;
        if (auto m = message_from_answer(replies.body, ts)) return m;
        std::string cursor;
        if (auto meta = replies.body.find("response_metadata");
            meta != replies.body.end() && meta->is_object()) {
            cursor = str(*meta, "next_cursor");
        }
        auto more = replies.body.find("has_more");
        bool has_more = more != replies.body.end() && more->is_boolean() && more->get<bool>();
        if (cursor.empty() || !has_more) return std::nullopt;
        args["cursor"] = cursor;
    }
    return std::nullopt;
}

std::optional<SlackUser> SlackLookup::user(const std::string& id) {
    auto r = api_.call_form("users.info", {{"user", id}});
    if (!r.ok) return std::nullopt;
    auto u = user_from_answer(r.body);
    if (u && u->id.empty()) u->id = id;
    return u;
}

}  // namespace careerbot::slack
