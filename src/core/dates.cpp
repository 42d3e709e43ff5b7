#include "src/core/dates.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <regex>
#include <utility>
#include <vector>

#include <date/tz.h>

namespace careerbot {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::optional<int> to_int(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<date::weekday> weekday_named(const std::string& w) {
    static const std::array<const char*, 7> names{"sunday",   "monday", "tuesday", "wednesday",
                                                  "thursday", "friday", "saturday"};
    for (unsigned i = 0; i < names.size(); ++i) {
        std::string full = names[i];
        if (w == full || (w.size() == 3 && full.compare(0, 3, w) == 0)) return date::weekday{i};
    }
    return std::nullopt;
}

std::optional<unsigned> month_named(const std::string& m) {
    static const std::array<const char*, 12> names{"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};
    for (unsigned i = 0; i < names.size(); ++i) {
        std::string full = names[i];
        if (m == full || (m.size() >= 3 && full.compare(0, m.size(), m) == 0)) return i + 1;
    }
    return std::nullopt;
}

/// `YYYY-MM-DD` exactly (four, two and two ASCII digits), not checked for validity. Written out
/// rather than as a std::regex: every /brag tries its first and last words.
std::optional<date::year_month_day> iso_date_word(std::string_view w) {
    auto digits = [&](std::size_t from, std::size_t n) {
        for (std::size_t i = from; i < from + n; ++i)
            if (w[i] < '0' || w[i] > '9') return false;
        return true;
    };
    if (w.size() != 10 || w[4] != '-' || w[7] != '-' || !digits(0, 4) || !digits(5, 2) ||
        !digits(8, 2))
        return std::nullopt;
    return date::year_month_day{date::year{*to_int(w.substr(0, 4))},
                                date::month{static_cast<unsigned>(*to_int(w.substr(5, 2)))},
                                date::day{static_cast<unsigned>(*to_int(w.substr(8, 2)))}};
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

/// The most recent month/day on or before today: Feb 29 is the last one that happened, up to
/// eight years back; nothing when no year has that day (Feb 30).
std::optional<date::year_month_day> recent_month_day(unsigned month, int day,
                                                     date::year_month_day today) {
    if (day < 1 || day > 31) return std::nullopt;
    const auto md = date::month{month} / date::day{static_cast<unsigned>(day)};
    if (!md.ok()) return std::nullopt;
    for (auto y = today.year(); y > today.year() - date::years{8}; --y) {
        date::year_month_day d = y / md;
        if (d.ok() && date::sys_days(d) <= date::sys_days(today)) return d;
    }
    return std::nullopt;
}

/// The first `month`/`day` on or after today (with `year`, exactly that date).
std::optional<date::year_month_day> coming_month_day(unsigned month, std::optional<int> day,
                                                     std::optional<int> year,
                                                     date::year_month_day today) {
    if (!day || *day < 1 || *day > 31) return std::nullopt;
    auto md = date::month{month} / date::day{static_cast<unsigned>(*day)};
    date::year_month_day d = (year ? date::year{*year} : today.year()) / md;
    if (!year && d.ok() && date::sys_days(d) < date::sys_days(today))
        d = (today.year() + date::years{1}) / md;
    // Feb 29 in a year without one: the next leap year is too far to be what anyone meant.
    if (!d.ok()) return std::nullopt;
    return d;
}

}  // namespace

date::year_month_day local_date(TimePoint now, const std::string& tz) {
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(tz.empty() ? "UTC" : tz);
    } catch (const std::exception&) {
        zone = date::locate_zone("UTC");
    }
    auto local = date::make_zoned(zone, std::chrono::time_point_cast<std::chrono::seconds>(now))
                     .get_local_time();
    return date::year_month_day{date::floor<date::days>(local)};
}

std::string iso_day(date::year_month_day d) { return date::format("%F", d); }

std::string iso_day(date::local_days d) { return date::format("%F", d); }

std::optional<date::year_month_day> parse_iso_day(std::string_view s) {
    auto d = iso_date_word(s);
    if (!d || !d->ok()) return std::nullopt;
    return d;
}

std::optional<date::local_days> parse_iso_local_day(std::string_view s) {
    auto d = parse_iso_day(s);
    if (!d) return std::nullopt;
    return date::local_days{*d};
}

date::year_month_day stored_day(std::string_view iso) {
    return parse_iso_day(iso).value_or(date::year{1970} / 1 / 1);
}

int days_between(date::year_month_day from, date::year_month_day to) {
    return days_between(date::local_days{from}, date::local_days{to});
}

int days_between(date::local_days from, date::local_days to) {
    return static_cast<int>((to - from).count());
}

date::year_month_day plus_days(date::year_month_day d, int n) {
    return date::year_month_day{date::sys_days{d} + date::days{n}};
}

int64_t to_unix(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint from_unix(int64_t seconds) { return TimePoint{std::chrono::seconds{seconds}}; }

int64_t unix_day_start(date::year_month_day d) { return to_unix(date::sys_days{d}); }

std::optional<date::year_month_day> parse_date(std::string_view phrase,
                                               date::year_month_day today) {
    auto w = words(lower(phrase));
    if (w.empty() || w.size() > 3) return std::nullopt;
    const auto today_days = date::sys_days(today);
    if (w.size() == 1) {
        if (w[0] == "today") return today;
        if (w[0] == "yesterday") return date::year_month_day{today_days - date::days{1}};
        if (iso_date_word(w[0])) return parse_iso_day(w[0]);
        if (auto wd = weekday_named(w[0])) {
            auto back = (date::weekday{today_days} - *wd);
            if (back == date::days{0}) back = date::days{7};
            return date::year_month_day{today_days - back};
        }
        return std::nullopt;
    }
    if (w.size() == 2 && w[0] == "last") {
        if (w[1] == "week") return date::year_month_day{today_days - date::days{7}};
        if (w[1] == "month") {
            auto d =
                date::year_month_day{today.year(), today.month(), today.day()} - date::months{1};
            if (!d.ok()) d = d.year() / d.month() / date::last;
            return date::year_month_day{d};
        }
        if (auto wd = weekday_named(w[1])) {
            auto back = (date::weekday{today_days} - *wd);
            if (back == date::days{0}) back = date::days{7};
            return date::year_month_day{today_days - back};
        }
        return std::nullopt;
    }
    if (w.size() == 2) {
        if (auto m = month_named(w[0]); m && w[0].size() >= 3) {
            if (auto d = to_int(w[1])) return recent_month_day(*m, *d, today);
        }
        if (auto m = month_named(w[1]); m && w[1].size() >= 3) {
            if (auto d = to_int(w[0])) return recent_month_day(*m, *d, today);
        }
        return std::nullopt;
    }
    if (w.size() == 3 && w[2] == "ago" &&
        (w[1] == "days" || w[1] == "day" || w[1] == "weeks" || w[1] == "week")) {
        auto n = to_int(w[0]);
        if (!n || *n < 0 || *n > 3660) return std::nullopt;
        int days = (w[1][0] == 'w') ? *n * 7 : *n;
        return date::year_month_day{today_days - date::days{days}};
    }
    return std::nullopt;
}

std::optional<date::year_month_day> parse_due_date(std::string_view phrase,
                                                   date::year_month_day today) {
    auto w = words(lower(phrase));
    if (!w.empty() && (w[0] == "on" || w[0] == "by")) w.erase(w.begin());
    if (w.empty() || w.size() > 3) return std::nullopt;
    const auto today_days = date::sys_days(today);
    auto after = [&](date::weekday wd) {
        auto ahead = wd - date::weekday{today_days};
        if (ahead == date::days{0}) ahead = date::days{7};
        return date::year_month_day{today_days + ahead};
    };
    auto plus_months = [&](int n) {
        auto d = today + date::months{n};
        return d.ok() ? d : date::year_month_day{d.year() / d.month() / date::last};
    };
    if (w.size() == 1) {
        if (w[0] == "today") return today;
        if (w[0] == "tomorrow") return date::year_month_day{today_days + date::days{1}};
        if (iso_date_word(w[0])) return parse_iso_day(w[0]);
        if (auto wd = weekday_named(w[0])) return after(*wd);
        return std::nullopt;
    }
    if (w.size() == 2 && (w[0] == "next" || w[0] == "this")) {
        if (auto wd = weekday_named(w[1])) return after(*wd);
        if (w[0] == "next" && w[1] == "week")
            return date::year_month_day{today_days + date::days{7}};
        if (w[0] == "next" && w[1] == "month") return plus_months(1);
        return std::nullopt;
    }
    if (w[0] == "in" && w.size() == 3) {
        auto n = to_int(w[1]);
        // "in -3 days" is no due date; and 7 * INT_MIN, or INT_MIN months, overflows.
        if (!n || *n < 0 || *n > 3660) return std::nullopt;
        const auto& unit = w[2];
        if (unit == "day" || unit == "days")
            return date::year_month_day{today_days + date::days{*n}};
        if (unit == "week" || unit == "weeks")
            return date::year_month_day{today_days + date::days{7 * *n}};
        if ((unit == "month" || unit == "months") && *n <= 120) return plus_months(*n);
        return std::nullopt;
    }
    // "dec 3", "3 dec", "december 3 2027", "3 dec 2027"
    std::optional<int> year;
    if (w.size() == 3) {
        year = to_int(w[2]);
        if (!year || *year < 2000 || *year > 2200) return std::nullopt;
    }
    if (auto m = month_named(w[0])) return coming_month_day(*m, to_int(w[1]), year, today);
    if (auto m = month_named(w[1])) return coming_month_day(*m, to_int(w[0]), year, today);
    return std::nullopt;
}

namespace {

enum class Reading { None, Past, Future, Impossible };

struct PhraseReading {
    Reading kind = Reading::None;
    date::year_month_day date{};
};

/// Reads one phrase (no leading "on") as the day something happened, see find_happened_date.
PhraseReading read_happened(const std::string& phrase, date::year_month_day today) {
    const auto when = [&](date::year_month_day d) {
        return PhraseReading{
            date::sys_days(d) > date::sys_days(today) ? Reading::Future : Reading::Past, d};
    };
    if (auto d = parse_date(phrase, today)) return when(*d);
    auto w = words(lower(phrase));
    if ((w.size() == 1 && w[0] == "tomorrow") ||
        (w.size() == 2 && w[0] == "next" && weekday_named(w[1]))) {
        if (auto d = parse_due_date(phrase, today)) return {Reading::Future, *d};
    }
    if (w.size() == 1 && iso_date_word(w[0])) return {Reading::Impossible, {}};
    if (w.size() != 2 && w.size() != 3) return {};
    // "nov 3", "3 nov", optionally with a year: parse_date read every valid form without one.
    auto m = w[0].size() >= 3 ? month_named(w[0]) : std::nullopt;
    auto d = to_int(w[1]);
    if (!m) {
        m = w[1].size() >= 3 ? month_named(w[1]) : std::nullopt;
        d = to_int(w[0]);
    }
    if (!m || !d || *d < 1 || *d > 31) return {};
    const auto md = date::month{*m} / date::day{static_cast<unsigned>(*d)};
    if (w.size() == 2) return {Reading::Impossible, {}};
    auto y = to_int(w[2]);
    if (!y || *y < 1900 || *y > 2200) return {};
    date::year_month_day full = date::year{*y} / md;
    return full.ok() ? when(full) : PhraseReading{Reading::Impossible, {}};
}

/// `#tags` and links, which may follow (or lead) the date of a brag.
bool is_markup(const std::string& word) {
    return (word.size() > 1 && word[0] == '#') || word.find("://") != std::string::npos;
}

/// Words after which a day is when something is due, not when it happened ("ready for friday").
bool is_due_word(const std::string& word) {
    auto w = lower(word);
    return w == "for" || w == "by" || w == "until" || w == "till" || w == "before";
}

}  // namespace

std::optional<HappenedDate> find_happened_date(std::string_view text, date::year_month_day today) {
    auto w = words(text);
    // The date sits between any leading and trailing #tags and links.
    std::size_t first = 0;
    while (first < w.size() && is_markup(w[first])) ++first;
    std::size_t last = w.size();
    while (last > first && is_markup(w[last - 1])) --last;
    if (first == last) return std::nullopt;
    auto join = [&](std::size_t from, std::size_t to) {
        std::string s;
        for (std::size_t i = from; i < to; ++i) s += (i > from ? " " : "") + w[i];
        return s;
    };
    auto rest_without = [&](std::size_t from, std::size_t to) {
        std::string before = join(0, from);
        std::string after = join(to, w.size());
        return before + (before.empty() || after.empty() ? "" : " ") + after;
    };
    // The phrase without the punctuation people put after a date that starts the text
    // ("yesterday: …", "nov 3, …") or ends it ("… last friday."); the whole words go.
    auto phrase = [&](std::size_t from, std::size_t to, std::string_view after) {
        std::string s = join(from, to);
        if (s.size() > 1 && after.find(s.back()) != std::string_view::npos) s.pop_back();
        return s;
    };
    constexpr std::string_view kAfterLeading = ":,-";
    constexpr std::string_view kAfterTrailing = ".!";
    auto found = [&](const PhraseReading& r, std::size_t from, std::size_t to, std::string read) {
        return HappenedDate{r.kind == Reading::Past     ? HappenedDate::Kind::Past
                            : r.kind == Reading::Future ? HappenedDate::Kind::Future
                                                        : HappenedDate::Kind::Impossible,
                            r.date, std::move(read), rest_without(from, to)};
    };
    const std::size_t n = last - first;
    // Longest phrase first, at the start, then at the end; an "on" before it goes with it.
    for (std::size_t len = std::min<std::size_t>(3, n); len >= 1; --len) {
        std::string p = phrase(first, first + len, kAfterLeading);
        if (auto r = read_happened(p, today); r.kind != Reading::None)
            return found(r, first, first + len, std::move(p));
        if (n > len && lower(w[first]) == "on") {
            p = phrase(first + 1, first + 1 + len, kAfterLeading);
            if (auto r = read_happened(p, today); r.kind != Reading::None)
                return found(r, first, first + 1 + len, std::move(p));
        }
    }
    for (std::size_t len = std::min<std::size_t>(3, n); len >= 1; --len) {
        std::size_t start = last - len;
        std::string p = phrase(start, last, kAfterTrailing);
        auto r = read_happened(p, today);
        if (r.kind == Reading::None) continue;
        // A deadline the text mentions: not its date, nor is any shorter tail of it ("friday").
        if (r.kind == Reading::Future && start > first && is_due_word(w[start - 1]))
            return std::nullopt;
        std::size_t from = start;
        if (from > first && lower(w[from - 1]) == "on") --from;
        return found(r, from, last, std::move(p));
    }
    return std::nullopt;
}

std::optional<DateInText> extract_date(std::string_view text, date::year_month_day today) {
    auto d = find_happened_date(text, today);
    if (!d || d->kind == HappenedDate::Kind::Impossible) return std::nullopt;
    return DateInText{d->date, d->rest};
}

std::string Quarter::label() const {
    return std::to_string(fiscal_year) + "Q" + std::to_string(number);
}

namespace {
Quarter make_quarter(int fiscal_year, int number, int start_month) {
    // The fiscal year named Y ends in calendar year Y; it starts in Y-1 unless start_month is 1.
    int start_year = start_month == 1 ? fiscal_year : fiscal_year - 1;
    date::year_month first_month =
        date::year{start_year} / date::month{static_cast<unsigned>(start_month)} +
        date::months{3 * (number - 1)};
    Quarter q;
    q.fiscal_year = fiscal_year;
    q.number = number;
    q.first = first_month / date::day{1};
    auto last_month = first_month + date::months{2};
    q.last = date::year_month_day{last_month / date::last};
    return q;
}
}  // namespace

Quarter quarter_of(date::year_month_day d, int start_month) {
    int month = static_cast<int>(static_cast<unsigned>(d.month()));
    int year = static_cast<int>(d.year());
    int offset = (month - start_month + 12) % 12;  // months since the fiscal year began
    int fiscal_start_year = month >= start_month ? year : year - 1;
    int fiscal_year = start_month == 1 ? fiscal_start_year : fiscal_start_year + 1;
    return make_quarter(fiscal_year, offset / 3 + 1, start_month);
}

std::optional<Quarter> parse_quarter(std::string_view text, int start_month) {
    static const std::regex a(R"((\d{4})\s*-?\s*q([1-4]))");
    static const std::regex b(R"(q([1-4])\s*-?\s*(\d{4}))");
    std::string s = lower(text);
    std::smatch m;
    if (std::regex_match(s, m, a))
        return make_quarter(std::stoi(m[1]), std::stoi(m[2]), start_month);
    if (std::regex_match(s, m, b))
        return make_quarter(std::stoi(m[2]), std::stoi(m[1]), start_month);
    return std::nullopt;
}

std::string zone_place(const std::string& tz) {
    std::string place = tz.empty() ? "UTC" : tz.substr(tz.rfind('/') + 1);
    for (char& c : place) {
        if (c == '_') c = ' ';
    }
    return place;
}

bool same_clock(const std::string& a, const std::string& b, TimePoint now) {
    if (a == b) return true;
    auto offset = [&](const std::string& tz) {
        const date::time_zone* zone = nullptr;
        try {
            zone = date::locate_zone(tz.empty() ? "UTC" : tz);
        } catch (const std::exception&) {
            zone = date::locate_zone("UTC");
        }
        return zone->get_info(std::chrono::time_point_cast<std::chrono::seconds>(now)).offset;
    };
    return offset(a) == offset(b);
}

}  // namespace careerbot
