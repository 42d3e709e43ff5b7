#include "src/slack/manifest.hpp"

namespace careerbot::slack {

using json = nlohmann::json;

json slack_manifest(const App& app) {
    json commands = json::array();
    for (const auto& c : app.commands()) {
        json command{{"command", c.name},
                     {"description", c.summary},
                     // Escaped, mentions arrive as <@U123>, which the core resolves by id.
                     {"should_escape", true}};
        if (!c.usage_hint.empty()) command["usage_hint"] = c.usage_hint;
        commands.push_back(std::move(command));
    }

    // The smallest set that covers what careerbot calls; Slack shows it at install time, so
    // every scope here has to earn its place. views.*, chat.getPermalink and response_url
    // posts need no scope. Socket Mode's xapp- token (connections:write) is made separately
    // in the app's settings, not here.
    json bot_scopes = json::array({
        "commands",    // slash commands and the "Save as feedback" message shortcut
        "chat:write",  // chat.postMessage (DMs, reminders), chat.postEphemeral
        "im:write",    // conversations.open for the DMs to managers and assignees
        // users.info: names for mentions and `tz` for reminder times; also the scope of the
        // user_change event (a new status, zone or name).
        "users:read",
        "reactions:read",    // the reaction_added event that saves feedback
        "channels:history",  // conversations.history/replies: the reacted message, public
        "groups:history",    // ... and in private channels the bot was invited to
        "files:write",       // files.getUploadURLExternal/completeUploadExternal for exports
        // conversations.history on the bot's own DMs: after a crash the scheduler looks for a
        // reminder's metadata key there to learn whether it already went out (exactly once).
        "im:history",
        // mpim:history is left out: the bot receives reaction_added only where it is a
        // member, and the scheduler posts only in one-to-one DMs.
    });

    json manifest{
        {"_metadata", {{"major_version", 1}, {"minor_version", 1}}},
        {"display_information",
         {{"name", "careerbot"},
          {"description", "Your brag document, feedback, check-ins and IDO, kept in Slack."},
          {"long_description",
           "careerbot turns career development into a daily habit. Engineers log "
           "accomplishments with /brag the moment they happen and save praise before Slack's "
           "retention deletes it. Managers get a DM before each 1:1 with what to talk about "
           "and track check-in tasks. Directors get a quarterly summary of their org: who is "
           "ready for promotion, who has no IDO or mentor. Career data is visible only to the "
           "person, their manager chain and, for the IDO, its mentor."},
          {"background_color", "#2c3e50"}}},
        {"features",
         {{"bot_user", {{"display_name", "careerbot"}, {"always_online", true}}},
          {"app_home",
           {{"home_tab_enabled", true},
            {"messages_tab_enabled", true},
            // Nothing answers a message typed to the app, so people cannot type one: the
            // Messages tab shows what careerbot sent (DMs, reminders) read-only.
            {"messages_tab_read_only_enabled", true}}},
          {"slash_commands", commands},
          {"shortcuts", json::array({{{"name", "Save as feedback"},
                                      {"type", "message"},
                                      {"callback_id", "save_as_feedback"},
                                      {"description",
                                       "Keep this message as feedback beyond Slack's "
                                       "retention"}}})}}},
        {"oauth_config", {{"scopes", {{"bot", bot_scopes}}}}},
        {"settings",
         {{"event_subscriptions",
           // user_change: away statuses, time zones and names (commands/following_slack.cpp).
           {{"bot_events", json::array({"app_home_opened", "reaction_added", "user_change"})}}},
          {"interactivity", {{"is_enabled", true}}},
          {"org_deploy_enabled", false},
          {"socket_mode_enabled", true},
          {"token_rotation_enabled", false}}},
    };
    // Slack refuses an empty slash_commands list.
    if (commands.empty()) manifest["features"].erase("slash_commands");
    return manifest;
}

}  // namespace careerbot::slack
