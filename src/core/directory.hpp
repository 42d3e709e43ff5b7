#pragma once
// The directory: who careerbot knows, and what Slack told it about them. The one place that
// learns a person's profile (name, real name, time zone) and writes it, whether a handler
// needs the person now (learn_person) or the Slack transport looks newcomers up after their
// batch committed (needs_profile, then store_profile).
#include <string>

#include "src/core/app.hpp"
#include "storage/people.hpp"

namespace careerbot {

/// Makes sure careerbot knows `user_id`: adds the person, and in Slack mode fills in their
/// name, real name and time zone from users.info the first time. Returns false for bots.
bool learn_person(Services& s, const std::string& user_id);

/// Stores a profile Slack gave (users.info): name, real name and time zone; the manager is kept.
void store_profile(storage::Database& db, const storage::Person& profile, TimePoint now);

/// True when `user_id` is unknown or known without a real name or time zone: a users.info
/// lookup would tell careerbot more.
bool needs_profile(storage::Database& db, const std::string& user_id);

}  // namespace careerbot
