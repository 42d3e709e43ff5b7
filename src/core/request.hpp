#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "src/core/clock.hpp"

namespace careerbot {

/// A slash command as the core sees it, whatever transport it came from.
struct Request {
    std::string user_id;           ///< Slack user id of the person typing (console: their handle)
    std::string user_name;         ///< display handle, when the transport knows it
    std::string team_id;           ///< Slack workspace id (empty in console mode)
    std::string channel_id;        ///< where it was typed
    std::string channel_name;      ///< e.g. "general", "directmessage"
    std::string command;           ///< e.g. "/brag"
    std::string text;              ///< everything after the command; mentions as <@U123>
    std::string trigger_id;        ///< lets a handler open a modal (Slack only)
    std::string response_url;      ///< for late answers (Slack only)
    TimePoint received_at{};       ///< when the transport received it
    std::string source = "slack";  ///< "slack" or "console"
};

/// An Events API event (the inner `event` object, never the envelope).
struct Event {
    std::string type;      ///< e.g. "reaction_added", "app_home_opened"
    std::string event_id;  ///< Slack's id, used to drop retries
    std::string user_id;   ///< the acting user
    std::string team_id;
    nlohmann::json body;  ///< the event object itself
    TimePoint received_at{};
};

/// An interaction: a button press (block_actions), a shortcut, or a modal submission.
struct Interaction {
    std::string type;  ///< "block_actions", "message_action", "shortcut", "view_submission"
    std::string key;   ///< action_id, shortcut callback_id or view callback_id
    std::string user_id;
    std::string channel_id;
    std::string trigger_id;
    std::string response_url;
    std::string value;       ///< button value or view private_metadata
    nlohmann::json payload;  ///< the interaction payload (never the envelope)
    TimePoint received_at{};
};

}  // namespace careerbot
