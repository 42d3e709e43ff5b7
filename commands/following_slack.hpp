#pragma once
// Following Slack: what people already tell Slack — a status that says they are away, a new
// time zone, a new name — reaches careerbot through the `user_change` event (and the periodic
// users.info refresh for names and zones). An away status pauses nudges exactly as `/away`
// does, through an absence marked as made from the status.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "src/core/app.hpp"
#include "storage/reminder_away.hpp"

namespace careerbot::commands {

/// True when a Slack status says its owner is away: its emoji is one of
/// `slack_status.away_emoji` (case-insensitive) or its text contains one of
/// `slack_status.away_text` (case-insensitive substring).
bool status_says_away(const Config& config, const std::string& emoji, const std::string& text);

/// The last day (YYYY-MM-DD in `tz`) a status expiring at `expiration` (unix seconds; Slack
/// resets the status at that moment) covers: the local day of the second before it. 0 (no
/// expiration) gives storage::kUntilCleared.
std::string status_last_day(int64_t expiration, const std::string& tz);

/// What applying a Slack user object changed.
struct SlackUserChange {
    bool known = false;       ///< careerbot knows the person (nobody else is added or followed)
    bool tz_changed = false;  ///< the time zone changed and pending reminders were moved
    /// The status-made absence: "started", "updated", "ended" or "" (nothing changed).
    std::string away;
    std::optional<storage::AwayPeriod> absence;  ///< the absence after the change, if any
};

/// Applies the `user` object of Slack's `user_change` event (the same shape as users.info's
/// `user`): names and time zone through store_profile (a new zone moves pending reminders),
/// then the status: an away status starts or updates the person's status-made absence, any
/// other ends it (ended yesterday, or removed if it began today, as `/away back`). Absences
/// typed with `/away` are never touched. People careerbot does not know, bots and deleted
/// accounts are ignored. Writes only; no Slack call.
SlackUserChange apply_slack_user(Services& s, const nlohmann::json& user);

}  // namespace careerbot::commands
