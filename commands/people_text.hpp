#pragma once
#include <string>

#include <date/date.h>

#include "src/core/app.hpp"
#include "src/core/directory.hpp"  // learn_person

namespace careerbot::commands {

/// Slack-formatted text as plain text with every `<@U…>` mention resolved to `@name` (people
/// are learnt first), so what is stored reads well after Slack forgets the ids.
std::string plain_with_names(Services& s, const std::string& slack_text);

/// A person's IANA time zone: theirs from Slack, else the configured default.
std::string timezone_of(Services& s, const std::string& user_id);

/// Today's date where `user_id` is.
date::year_month_day today_for(Services& s, const std::string& user_id);

/// The Slack `ts` of a message ("1700000000.123456") as unix seconds; 0 when malformed.
int64_t ts_seconds(const std::string& ts);

}  // namespace careerbot::commands
