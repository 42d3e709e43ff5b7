#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "src/core/clock.hpp"

namespace careerbot {

/// The calendar date at `now` in the IANA zone `tz` (falls back to UTC on an unknown zone).
date::year_month_day local_date(TimePoint now, const std::string& tz);

/// Formats a day as YYYY-MM-DD (how storage keeps days).
std::string iso_day(date::year_month_day d);
/// Formats a local day (a day on a wall calendar, no zone) as YYYY-MM-DD.
std::string iso_day(date::local_days d);

/// Parses a date a person typed, relative to `today`: `today`, `yesterday`, `2026-11-03`,
/// `last friday` / `friday` (the most recent one before today), `3 days ago`, `last week`,
/// `last month`, `nov 3` / `3 nov` (the most recent past one). Case-insensitive. Returns
/// nothing when the phrase is not a date; never throws.
std::optional<date::year_month_day> parse_date(std::string_view phrase, date::year_month_day today);

/// Parses a due date a person typed, looking forward from `today`: `today`, `tomorrow`,
/// `2026-12-01`, `friday` / `next friday` / `this friday` (the next one after today),
/// `next week`, `next month`, `in 3 days` / `in 2 weeks` / `in 1 month`, `dec 3` / `3 dec`
/// (the next one), `dec 3 2027`; an optional leading `on` or `by`. Dates in the past are
/// returned as read (ISO or with a year) so the caller can refuse them by name.
std::optional<date::year_month_day> parse_due_date(std::string_view phrase,
                                                   date::year_month_day today);

/// Parses exactly YYYY-MM-DD (how storage keeps days); nothing if malformed or impossible.
std::optional<date::year_month_day> parse_iso_day(std::string_view s);
/// parse_iso_day() as a local day, the type time-zone arithmetic (date::zoned_time) takes.
std::optional<date::local_days> parse_iso_local_day(std::string_view s);

/// A day as storage keeps it (always YYYY-MM-DD) back as a date; 1970-01-01 for an empty or
/// malformed one, which storage never holds.
date::year_month_day stored_day(std::string_view iso);
/// Days from `from` to `to` (negative when `to` is earlier).
int days_between(date::year_month_day from, date::year_month_day to);
int days_between(date::local_days from, date::local_days to);
/// `d` moved by `n` days (back when negative).
date::year_month_day plus_days(date::year_month_day d, int n);

/// Unix seconds of a time point (how storage keeps times).
int64_t to_unix(TimePoint t);
/// The time point of unix seconds.
TimePoint from_unix(int64_t seconds);
/// Unix seconds of 00:00 UTC on `d`.
int64_t unix_day_start(date::year_month_day d);

/// A date phrase found at the start or the end of a longer text, and the text without it.
struct DateInText {
    date::year_month_day date;
    std::string rest;
};

/// A phrase at the start or the end of a text saying on which day something happened.
struct HappenedDate {
    enum class Kind {
        Past,       ///< today or earlier: the day it happened
        Future,     ///< `tomorrow`, `next friday`, `2027-01-04`: cannot have happened yet
        Impossible  ///< `2026-02-30`, `feb 30`, `feb 29 2027`: on no calendar
    };
    Kind kind = Kind::Past;
    date::year_month_day date{};  ///< the day read; not ok() when Impossible
    std::string phrase;           ///< the date words as typed, without a leading "on"
    std::string rest;             ///< the text without them (and their "on"), words re-spaced
};

/// Looks for the day something happened at the start or the end of `text`, between any
/// leading or trailing `#tags` and links, optionally after "on": every parse_date() form,
/// `nov 3 2025`, and, so that they are refused by name rather than read as words, the future
/// (`tomorrow`, `next friday`, a later ISO date or year; not after "for", "by", "until",
/// "till" or "before", where a day is a deadline) and impossible dates. Phrases in the middle
/// are left alone, so "fixed the friday deploy" is not read as a date.
std::optional<HappenedDate> find_happened_date(std::string_view text, date::year_month_day today);

/// find_happened_date() for callers that take any real day: nothing for an impossible date.
std::optional<DateInText> extract_date(std::string_view text, date::year_month_day today);

/// A fiscal quarter: `fiscal_year` is named after the calendar year in which it ends.
struct Quarter {
    int fiscal_year = 0;
    int number = 0;                ///< 1..4
    date::year_month_day first{};  ///< first day
    date::year_month_day last{};   ///< last day

    /// "2026Q3"
    std::string label() const;
};

/// The fiscal quarter holding `d` when the fiscal year starts in `start_month` (1..12).
Quarter quarter_of(date::year_month_day d, int start_month);
/// Parses "2026Q3" / "2026-q3" / "Q3 2026"; nothing if malformed.
std::optional<Quarter> parse_quarter(std::string_view text, int start_month);

/// The place an IANA zone is named after, for people: "Asia/Tokyo" -> "Tokyo",
/// "America/Los_Angeles" -> "Los Angeles"; "UTC" stays "UTC".
std::string zone_place(const std::string& tz);

/// True when clocks in the zones `a` and `b` show the same time at `now` (same UTC offset), so
/// "today" means the same day for both.
bool same_clock(const std::string& a, const std::string& b, TimePoint now);

}  // namespace careerbot
