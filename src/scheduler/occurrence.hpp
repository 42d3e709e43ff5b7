#pragma once
// Wall-clock arithmetic for reminders: 1:1 occurrences and "09:00 on that day" in a person's
// IANA zone, computed with Howard Hinnant's date/tz so local times survive DST changes.
#include <optional>
#include <string>

#include <date/date.h>

#include "src/core/clock.hpp"
#include "src/core/dates.hpp"
#include "storage/schedules.hpp"

namespace careerbot::scheduler {

/// The instant a local date and minute of day happen in `tz` (unknown zone: UTC). A time in a
/// spring-forward gap maps to the instant the clocks jump; a repeated one to its first instance.
TimePoint at_local(date::local_days day, int minute_of_day, const std::string& tz);

/// The instant showing, in `to_tz`, the local wall-clock time `t` shows in `from_tz` (a
/// reminder following its recipient to a new zone). Gaps and repeats as at_local().
TimePoint same_wall_clock(TimePoint t, const std::string& from_tz, const std::string& to_tz);

/// The local calendar date of `t` in `tz`.
date::local_days local_day(TimePoint t, const std::string& tz);

/// The first occurrence of a cadence strictly after `after`, ignoring skips.
TimePoint next_occurrence(const storage::OneOnOne& s, TimePoint after);
/// The first occurrence after `after` that is not skipped (`skip_until`).
TimePoint next_live_occurrence(const storage::OneOnOne& s, TimePoint after);
/// The latest occurrence strictly before `before`, if the cadence had one.
std::optional<TimePoint> previous_occurrence(const storage::OneOnOne& s, TimePoint before);

/// The local date of the first `weekday` at `minute_of_day` still ahead of `now` in `tz`.
date::local_days first_anchor(int weekday, int minute_of_day, const std::string& tz, TimePoint now);

/// Parses "10:00", "9:30", "14h", "2pm", "9:30am" into minutes after midnight.
std::optional<int> parse_time_of_day(const std::string& text);
/// "10:00"
std::string format_minutes(int minute_of_day);

/// Slack's `<!date^…>` token: each reader sees the time in their own zone; the fallback is
/// the time in `tz` for clients that cannot render it.
std::string slack_time(TimePoint t, const std::string& tz);
/// Like slack_time, but only the date.
std::string slack_day(TimePoint t, const std::string& tz);

}  // namespace careerbot::scheduler
