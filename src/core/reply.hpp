#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace careerbot {

/// Block Kit blocks plus the plain-text fallback Slack shows in notifications.
struct Message {
    std::string text;                                 ///< fallback, mrkdwn
    nlohmann::json blocks = nlohmann::json::array();  ///< Block Kit; may be empty
};

/// A message the bot sends to a person privately (a DM), outside the reply itself.
struct DirectMessage {
    std::string user_id;
    Message message;
};

/// A file the bot hands back (an export); Slack uploads it, the console prints or saves it.
struct FileOut {
    std::string filename;
    std::string title;
    std::string content;
};

/// What a handler returns; the transport turns it into an ack payload, Web API calls or text.
struct Reply {
    std::optional<Message> message;            ///< answer to the person who asked
    bool in_channel = false;                   ///< visible to the channel instead of ephemeral
    std::vector<Message> more;                 ///< follow-up pages when one message is too long
    std::optional<nlohmann::json> open_modal;  ///< a `view` to open with the trigger id
    std::optional<nlohmann::json> response_action;  ///< view_submission answer (errors, update)
    std::vector<DirectMessage> dms;                 ///< private messages to other people
    std::vector<FileOut> files;                     ///< files for the person who asked
    std::optional<nlohmann::json> home_view;        ///< App Home view to publish for the user

    /// An ephemeral answer made of blocks and fallback text.
    static Reply ephemeral(Message m) {
        Reply r;
        r.message = std::move(m);
        return r;
    }
    /// A one-line ephemeral answer; `mrkdwn` must already be escaped.
    static Reply text(const std::string& mrkdwn);
    /// Nothing to say (events that only store something).
    static Reply none() { return {}; }
};

}  // namespace careerbot
