#pragma once
#include <optional>
#include <string>

namespace careerbot {

/// A Slack message as a handler needs it to save feedback.
struct SlackMessage {
    std::string text;     ///< Slack-formatted text (mentions as <@U…>)
    std::string user_id;  ///< author; empty for bot messages
    std::string bot_id;   ///< set for bot messages
    std::string subtype;  ///< e.g. "bot_message"
    std::string ts;
    bool has_files = false;  ///< files or attachments present
};

/// A Slack user's profile (users.info).
struct SlackUser {
    std::string id;
    std::string name;  ///< handle / display name
    std::string real_name;
    std::string tz;  ///< IANA zone, e.g. "Europe/Paris"
    bool is_bot = false;
};

/// What a handler may ask Slack, through the transport. Injected into Services; the console
/// and tests have none (`NoLookup`) or a fake. Calls block briefly, so handlers use them only
/// on rare paths (shortcuts, reactions), never per brag.
class Lookup {
  public:
    virtual ~Lookup() = default;
    /// chat.getPermalink for a message.
    virtual std::optional<std::string> permalink(const std::string& channel,
                                                 const std::string& ts) = 0;
    /// The message at `ts` in `channel` (conversations.history / conversations.replies).
    virtual std::optional<SlackMessage> message(const std::string& channel,
                                                const std::string& ts) = 0;
    /// users.info.
    virtual std::optional<SlackUser> user(const std::string& id) = 0;
};

/// A Lookup that knows nothing (console mode).
class NoLookup final : public Lookup {
  public:
    std::optional<std::string> permalink(const std::string&, const std::string&) override {
        return std::nullopt;
    }
    std::optional<SlackMessage> message(const std::string&, const std::string&) override {
        return std::nullopt;
    }
    std::optional<SlackUser> user(const std::string&) override { return std::nullopt; }
};

}  // namespace careerbot
