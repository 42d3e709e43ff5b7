// The `user_change` event: names, time zone and away status from Slack (see
// following_slack.hpp). Event reference: https://docs.slack.dev/reference/events/user_change/
// (scope users:read); status fields: https://api.slack.com/apis/presence-and-status.
#include "commands/following_slack.hpp"

#include <algorithm>

#include <date/tz.h>

#include "commands/registry.hpp"
#include "src/core/dates.hpp"
#include "src/core/directory.hpp"
#include "src/core/logging.hpp"
#include "src/core/text.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag(const json& j, const char* key) {
    if (!j.is_object()) return false;
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

int64_t number(const json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

/// Starts, updates or ends `person`'s status-made absence for this status.
std::string apply_status(Services& s, const std::string& person, const std::string& emoji,
                         const std::string& status_text, int64_t expiration,
                         std::optional<storage::AwayPeriod>& absence) {
    const auto now = s.clock.now();
    const std::string tz = time_zone_of(s, person);
    const auto today_day = scheduler::local_day(now, tz);
    const std::string today = iso_day(today_day);
    storage::AwayRepo away(s.db);
    auto current = away.status_absence(person, today);
    const bool expired = expiration != 0 && expiration <= to_unix(now);
    if (status_says_away(s.config, emoji, status_text) && !expired) {
        std::string last = std::max(status_last_day(expiration, tz), today);
        std::string label = text::trim(emoji + " " + status_text);
        if (!current) {
            absence = away.add(person, today, last, now, "slack_status", label);
            return "started";
        }
        absence = current;
        if (current->to_on == last && current->status == label) return "";
        away.set_status_until(current->id, last, label);
        absence->to_on = last;
        absence->status = label;
        return "updated";
    }
    if (!current) return "";
    std::string yesterday = iso_day(today_day - date::days{1});
    if (current->from_on > yesterday) {
        away.cancel(current->id, now);  // began today: nothing of it is left to keep
    } else {
        away.end_on(current->id, yesterday);
        absence = current;
        absence->to_on = yesterday;
    }
    return "ended";
}

}  // namespace

bool status_says_away(const Config& config, const std::string& emoji, const std::string& text) {
    const std::string e = text::lower(text::trim(emoji));
    const std::string t = text::lower(text);
    if (!e.empty()) {
        for (const auto& want : config.slack_status.away_emoji)
            if (text::lower(text::trim(want)) == e) return true;
    }
    for (const auto& want : config.slack_status.away_text) {
        std::string w = text::lower(text::trim(want));
        if (!w.empty() && t.find(w) != std::string::npos) return true;
    }
    return false;
}

std::string status_last_day(int64_t expiration, const std::string& tz) {
    if (expiration <= 0) return storage::kUntilCleared;
    return iso_day(scheduler::local_day(from_unix(expiration - 1), tz));
}

SlackUserChange apply_slack_user(Services& s, const json& user) {
    SlackUserChange out;
    const std::string id = str(user, "id");
    if (id.empty() || flag(user, "is_bot") || flag(user, "deleted")) return out;
    storage::PeopleRepo people(s.db);
    auto known = people.find(id);
    // Slack sends user_change for everyone in the workspace: only people careerbot already
    // knows are followed, nobody is added by it.
    if (!known) return out;
    out.known = true;
    const json empty = json::object();
    const json& profile =
        user.contains("profile") && user["profile"].is_object() ? user["profile"] : empty;
    storage::Person p = *known;
    if (auto name = str(user, "name"); !name.empty()) p.name = name;
    p.real_name = str(user, "real_name");
    if (p.real_name.empty()) p.real_name = str(profile, "real_name");
    if (p.real_name.empty()) p.real_name = known->real_name;
    // A zone Slack does not know of (or none) keeps the one careerbot has.
    if (auto tz = str(user, "tz"); !tz.empty()) {
        try {
            (void)date::locate_zone(tz);
            p.tz = tz;
        } catch (const std::exception&) {
            logger("app")->warn("user_change for {} carries an unknown time zone; kept {}", id,
                                p.tz.empty() ? "the default" : p.tz);
        }
    }
    s.db.write([&] {
        out.tz_changed = store_profile(s.db, s.config, p, s.clock.now());
        if (profile.contains("status_emoji") || profile.contains("status_text")) {
            out.away =
                apply_status(s, id, str(profile, "status_emoji"), str(profile, "status_text"),
                             number(profile, "status_expiration"), out.absence);
        }
    });
    return out;
}

void register_following_slack(App& app) {
    // A status or a zone may pause, resume or move reminders: the reminder loop looks again.
    app.event(
        "user_change",
        [](Services& s, const Event& e) {
            if (e.body.contains("user") && e.body["user"].is_object())
                apply_slack_user(s, e.body["user"]);
            return Reply::none();
        },
        /*plans_reminders=*/true);
}

}  // namespace careerbot::commands
