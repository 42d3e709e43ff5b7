#pragma once
// The directory: who careerbot knows, and what Slack told it about them. The one place that
// learns a person's profile (name, real name, time zone) and writes it, whether a handler
// needs the person now (learn_person) or the Slack transport looks newcomers up after their
// batch committed (needs_profile, then store_profile); and whose clock a person lives by
// (time_zone_of, today_for).
#include <string>

#include <date/date.h>

#include "src/core/app.hpp"
#include "storage/people.hpp"

namespace careerbot {

/// Makes sure careerbot knows `user_id`: adds the person, and in Slack mode fills in their
/// name, real name and time zone from users.info the first time. Returns false for bots.
bool learn_person(Services& s, const std::string& user_id);

/// Stores a profile Slack gave (users.info, user_change): name, real name and time zone; the
/// manager is kept. When the person's time zone changed, the reminders still pending for them
/// move to the same local wall-clock time in the new zone (scheduler::rezone_reminders).
/// Returns true when that happened, so the reminder loop should look again.
bool store_profile(storage::Database& db, const Config& config, const storage::Person& profile,
                   TimePoint now);

/// True when `user_id` is unknown or known without a real name or time zone: a users.info
/// lookup would tell careerbot more.
bool needs_profile(storage::Database& db, const std::string& user_id);

/// A person's IANA time zone: theirs from Slack, else the configured default. The one place
/// that decides whose clock a date or a reminder follows.
std::string time_zone_of(storage::Database& db, const Config& config, const std::string& person);
/// time_zone_of() with a handler's services.
std::string time_zone_of(Services& s, const std::string& person);

/// Today's date where `person` is, by the services' clock.
date::year_month_day today_for(Services& s, const std::string& person);

}  // namespace careerbot
