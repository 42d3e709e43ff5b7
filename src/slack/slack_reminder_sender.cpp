#include "src/slack/slack_reminder_sender.hpp"

#include <chrono>

#include "src/core/logging.hpp"

namespace careerbot::slack {
namespace {
using nlohmann::json;

/// Slack wants `oldest` as a ts string ("1700000000.000000").
std::string ts_of(TimePoint t) {
    auto s = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    return std::to_string(s < 0 ? 0 : s) + ".000000";
}

}  // namespace

std::string SlackReminderSender::dm_channel(const std::string& user) {
    if (auto known = dms_->find(user)) return *known;
    auto r = api_.call("conversations.open", json{{"users", user}});
    if (!r.ok) {
        if (refused_for_good(r.error)) return "";
        throw scheduler::SenderError("conversations.open: " + r.error);
    }
    std::string channel = r.body.value("/channel/id"_json_pointer, std::string());
    if (channel.empty()) throw scheduler::SenderError("conversations.open: no channel id");
    dms_->learn(user, channel);
    return channel;
}

std::optional<std::string> SlackReminderSender::send_dm(const std::string& user,
                                                        const Message& message,
                                                        const std::string& key) {
    auto channel = dm_channel(user);
    if (channel.empty()) return std::nullopt;
    json args{
        {"channel", channel},
        {"text", message.text},
        {"unfurl_links", false},
        {"metadata", {{"event_type", kReminderEventType}, {"event_payload", {{"key", key}}}}}};
    if (!message.blocks.empty()) args["blocks"] = message.blocks;
    auto r = api_.call("chat.postMessage", args);
    if (r.ok) return r.body.value("ts", std::string("?"));
    if (refused_for_good(r.error)) {
        logger("scheduler")->error("reminder {} to {} refused by Slack: {}", key, user, r.error);
        return std::nullopt;
    }
    // Maybe posted (a timeout after Slack took it): the scheduler checks history before retrying.
    throw scheduler::SenderError("chat.postMessage: " + r.error);
}

std::optional<std::string> SlackReminderSender::find_sent(const std::string& user,
                                                          const std::string& key, TimePoint since) {
    auto channel = dm_channel(user);
    if (channel.empty()) return std::nullopt;
    std::string cursor;
    // Bounded: a DM holds few bot messages since a claim a few minutes old.
    for (int page = 0; page < 50; ++page) {
        // A read method: Slack takes its arguments form-encoded only.
        std::map<std::string, std::string> args{{"channel", channel},
                                                {"oldest", ts_of(since)},
                                                {"inclusive", "true"},
                                                {"include_all_metadata", "true"},
                                                {"limit", "200"}};
        if (!cursor.empty()) args["cursor"] = cursor;
        auto r = api_.call_form("conversations.history", args);
        if (!r.ok) throw scheduler::SenderError("conversations.history: " + r.error);
        for (const auto& m : r.body.value("messages", json::array())) {
            const auto& meta = m.value("metadata", json::object());
            if (meta.value("event_type", "") == kReminderEventType &&
                meta.value("/event_payload/key"_json_pointer, std::string()) == key) {
                return m.value("ts", std::string("?"));
            }
        }
        cursor = r.body.value("/response_metadata/next_cursor"_json_pointer, std::string());
        if (cursor.empty() || !r.body.value("has_more", false)) return std::nullopt;
    }
    throw scheduler::SenderError("conversations.history: too many pages");
}

}  // namespace careerbot::slack
