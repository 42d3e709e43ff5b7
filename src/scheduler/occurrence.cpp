#include "src/scheduler/occurrence.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include <date/tz.h>

namespace careerbot::scheduler {
namespace {

const date::time_zone* zone_of(const std::string& tz) {
    try {
        return date::locate_zone(tz.empty() ? "UTC" : tz);
    } catch (const std::exception&) {
        return date::locate_zone("UTC");
    }
}

/// The k-th occurrence of a cadence (k = 0 is the anchor).
TimePoint occurrence(const storage::OneOnOne& s, date::local_days anchor, int64_t k) {
    return at_local(anchor + date::days{k * 7 * s.every_weeks}, s.minute_of_day, s.tz);
}

date::local_days anchor_of(const storage::OneOnOne& s) {
    auto a = parse_iso_local_day(s.anchor_on);
    return a ? *a : date::local_days{};
}

/// An occurrence index close to (at or below) the one at `t`; callers step from there.
int64_t index_near(const storage::OneOnOne& s, date::local_days anchor, TimePoint t) {
    auto days = (local_day(t, s.tz) - anchor).count();
    int64_t period = 7 * static_cast<int64_t>(s.every_weeks);
    int64_t k = days >= 0 ? days / period : -((-days + period - 1) / period);
    return k - 1;
}

}  // namespace

TimePoint same_wall_clock(TimePoint t, const std::string& from_tz, const std::string& to_tz) {
    auto local =
        date::make_zoned(zone_of(from_tz), date::floor<std::chrono::seconds>(t)).get_local_time();
    auto day = date::floor<date::days>(local);
    auto seconds = local - day;
    // at_local works in minutes; reminders are planned on whole minutes, the rest is kept.
    auto minutes = date::floor<std::chrono::minutes>(seconds);
    return at_local(day, static_cast<int>(minutes.count()), to_tz) + (seconds - minutes);
}

TimePoint at_local(date::local_days day, int minute_of_day, const std::string& tz) {
    auto local = date::local_seconds{day} + std::chrono::minutes{minute_of_day};
    const auto* zone = zone_of(tz);
    auto info = zone->get_info(local);
    if (info.result == date::local_info::nonexistent) {
        // The clocks jump over this time: use the moment they jump.
        return TimePoint{info.first.end};
    }
    return TimePoint{date::zoned_seconds(zone, local, date::choose::earliest).get_sys_time()};
}

date::local_days local_day(TimePoint t, const std::string& tz) {
    auto z = date::make_zoned(zone_of(tz), std::chrono::time_point_cast<std::chrono::seconds>(t));
    return date::floor<date::days>(z.get_local_time());
}

TimePoint next_occurrence(const storage::OneOnOne& s, TimePoint after) {
    auto anchor = anchor_of(s);
    int64_t k = std::max<int64_t>(0, index_near(s, anchor, after));
    TimePoint t = occurrence(s, anchor, k);
    while (t <= after) t = occurrence(s, anchor, ++k);
    return t;
}

TimePoint next_live_occurrence(const storage::OneOnOne& s, TimePoint after) {
    if (s.skip_until && from_unix(*s.skip_until) > after) after = from_unix(*s.skip_until);
    return next_occurrence(s, after);
}

std::optional<TimePoint> previous_occurrence(const storage::OneOnOne& s, TimePoint before) {
    auto anchor = anchor_of(s);
    int64_t k = index_near(s, anchor, before) + 2;
    if (k < 0) return std::nullopt;
    while (k >= 0) {
        TimePoint t = occurrence(s, anchor, k);
        if (t < before) return t;
        --k;
    }
    return std::nullopt;
}

date::local_days first_anchor(int weekday, int minute_of_day, const std::string& tz,
                              TimePoint now) {
    auto today = local_day(now, tz);
    auto wanted = date::weekday{static_cast<unsigned>(weekday)};
    auto day = today + (wanted - date::weekday{today});
    if (at_local(day, minute_of_day, tz) <= now) day += date::weeks{1};
    return day;
}

std::optional<int> parse_time_of_day(const std::string& text) {
    std::string t;
    for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    int offset = 0;
    bool twelve_hour = false;
    auto ends_with = [&](const std::string& suffix) {
        return t.size() > suffix.size() &&
               t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with("am") || ends_with("pm")) {
        twelve_hour = true;
        offset = ends_with("pm") ? 12 * 60 : 0;
        t.resize(t.size() - 2);
    } else if (ends_with("h")) {
        t.resize(t.size() - 1);
    }
    int hours = -1;
    int minutes = 0;
    auto colon = t.find(':');
    auto digits = [](const std::string& d) {
        if (d.empty() || d.size() > 2) return -1;
        int v = 0;
        for (char c : d) {
            if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    if (colon == std::string::npos) {
        hours = digits(t);
    } else {
        hours = digits(t.substr(0, colon));
        minutes = t.size() - colon - 1 == 2 ? digits(t.substr(colon + 1)) : -1;
    }
    if (hours < 0 || minutes < 0 || minutes > 59) return std::nullopt;
    if (twelve_hour) {
        if (hours < 1 || hours > 12) return std::nullopt;
        hours = hours % 12;
    } else if (hours > 23) {
        return std::nullopt;
    }
    return hours * 60 + minutes + offset;
}

std::string format_minutes(int minute_of_day) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60 % 24, minute_of_day % 60);
    return buf;
}

std::string slack_time(TimePoint t, const std::string& tz) {
    auto z = date::make_zoned(zone_of(tz), std::chrono::time_point_cast<std::chrono::seconds>(t));
    return "<!date^" + std::to_string(to_unix(t)) + "^{date_short_pretty} at {time}|" +
           date::format("%a %F %R %Z", z) + ">";
}

std::string slack_day(TimePoint t, const std::string& tz) {
    auto z = date::make_zoned(zone_of(tz), std::chrono::time_point_cast<std::chrono::seconds>(t));
    return "<!date^" + std::to_string(to_unix(t)) + "^{date_short_pretty}|" +
           date::format("%a %F", z) + ">";
}

}  // namespace careerbot::scheduler
