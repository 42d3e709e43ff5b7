#pragma once
#include <string>

#include <date/date.h>

#include "src/core/app.hpp"
#include "src/core/directory.hpp"  // learn_person, time_zone_of, today_for

namespace careerbot::commands {

/// Slack-formatted text as plain text with every `<@U…>` mention resolved to `@name` (people
/// are learnt first), so what is stored reads well after Slack forgets the ids.
std::string plain_with_names(Services& s, const std::string& slack_text);

/// The Slack `ts` of a message ("1700000000.123456") as unix seconds; 0 when malformed.
int64_t ts_seconds(const std::string& ts);

}  // namespace careerbot::commands
