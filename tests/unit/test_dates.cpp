#include <catch2/catch.hpp>

#include "src/core/dates.hpp"

using namespace careerbot;
using namespace date::literals;

namespace {
const date::year_month_day kToday = 2026_y / 11 / 20;  // a Friday
std::string parsed(const std::string& s) {
    auto d = parse_date(s, kToday);
    return d ? iso_day(*d) : "none";
}
}  // namespace

TEST_CASE("each date form a person types is understood", "[dates]") {
    CHECK(parsed("today") == "2026-11-20");
    CHECK(parsed("Yesterday") == "2026-11-19");
    CHECK(parsed("2026-11-03") == "2026-11-03");
    CHECK(parsed("last friday") == "2026-11-13");  // today is Friday: the one before
    CHECK(parsed("last monday") == "2026-11-16");
    CHECK(parsed("wednesday") == "2026-11-18");
    CHECK(parsed("tue") == "2026-11-17");
    CHECK(parsed("3 days ago") == "2026-11-17");
    CHECK(parsed("2 weeks ago") == "2026-11-06");
    CHECK(parsed("last week") == "2026-11-13");
    CHECK(parsed("last month") == "2026-10-20");
    CHECK(parsed("nov 3") == "2026-11-03");
    CHECK(parsed("3 November") == "2026-11-03");
    CHECK(parsed("dec 24") == "2025-12-24");  // the most recent one, last year
}

TEST_CASE("bad dates are not dates", "[dates]") {
    CHECK(parsed("2026-02-30") == "none");
    CHECK(parsed("2026-13-01") == "none");
    CHECK(parsed("feb 30") == "none");
    CHECK(parsed("last blursday") == "none");
    CHECK(parsed("shipped it") == "none");
    CHECK(parsed("") == "none");
    CHECK(parsed("99999 days ago") == "none");
}

TEST_CASE("last month on the 31st falls back to the month's last day", "[dates]") {
    auto d = parse_date("last month", 2026_y / 3 / 31);
    REQUIRE(d);
    CHECK(iso_day(*d) == "2026-02-28");
}

TEST_CASE("a date phrase is taken from the start or end of a text only", "[dates]") {
    auto a = extract_date("yesterday shipped the thing", kToday);
    REQUIRE(a);
    CHECK(iso_day(a->date) == "2026-11-19");
    CHECK(a->rest == "shipped the thing");

    auto b = extract_date("shipped the thing on last friday", kToday);
    REQUIRE(b);
    CHECK(iso_day(b->date) == "2026-11-13");
    CHECK(b->rest == "shipped the thing");

    auto c = extract_date("on 2026-11-03 led the incident review", kToday);
    REQUIRE(c);
    CHECK(iso_day(c->date) == "2026-11-03");
    CHECK(c->rest == "led the incident review");

    CHECK_FALSE(extract_date("fixed the friday deploy bug", kToday));
}

TEST_CASE("local_date follows the person's time zone", "[dates]") {
    // 2026-11-20 03:00 UTC is still the 19th in New York and already the 20th in Tokyo.
    auto t = date::sys_days{2026_y / 11 / 20} + std::chrono::hours{3};
    CHECK(iso_day(local_date(t, "America/New_York")) == "2026-11-19");
    CHECK(iso_day(local_date(t, "Asia/Tokyo")) == "2026-11-20");
    CHECK(iso_day(local_date(t, "Not/AZone")) == "2026-11-20");  // falls back to UTC
}

TEST_CASE("fiscal quarters follow the configured start month", "[dates]") {
    auto q = quarter_of(2026_y / 11 / 20, 1);
    CHECK(q.label() == "2026Q4");
    CHECK(iso_day(q.first) == "2026-10-01");
    CHECK(iso_day(q.last) == "2026-12-31");

    // Fiscal year starting in February, named after the year it ends in.
    auto f = quarter_of(2026_y / 1 / 15, 2);
    CHECK(f.label() == "2026Q4");
    CHECK(iso_day(f.first) == "2025-11-01");
    CHECK(iso_day(f.last) == "2026-01-31");
    auto g = quarter_of(2026_y / 2 / 1, 2);
    CHECK(g.label() == "2027Q1");

    auto p = parse_quarter("2026Q3", 1);
    REQUIRE(p);
    CHECK(iso_day(p->first) == "2026-07-01");
    CHECK(parse_quarter("q2 2026", 1)->label() == "2026Q2");
    CHECK_FALSE(parse_quarter("2026Q5", 1));
}

TEST_CASE("a month-day without a year is the most recent one not in the future", "[dates]") {
    CHECK(parsed("nov 20") == "2026-11-20");  // today
    CHECK(parsed("nov 21") == "2025-11-21");  // tomorrow's date: a year ago
    CHECK(parsed("feb 29") == "2024-02-29");  // 2026 and 2025 have none
    auto d = parse_date("29 feb", 2028_y / 3 / 1);
    REQUIRE(d);
    CHECK(iso_day(*d) == "2028-02-29");
}

TEST_CASE("find_happened_date tells past, future and impossible days apart", "[dates]") {
    using Kind = HappenedDate::Kind;
    auto a = find_happened_date("fixed the login bug on 2026-09-28 #bugfix #auth", kToday);
    REQUIRE(a);
    CHECK(a->kind == Kind::Past);
    CHECK(iso_day(a->date) == "2026-09-28");
    CHECK(a->phrase == "2026-09-28");
    CHECK(a->rest == "fixed the login bug #bugfix #auth");
    auto b = find_happened_date("#ops tomorrow shipping", kToday);
    REQUIRE(b);
    CHECK(b->kind == Kind::Future);
    CHECK(b->rest == "#ops shipping");
    auto c = find_happened_date("deployed 2026-02-30", kToday);
    REQUIRE(c);
    CHECK(c->kind == Kind::Impossible);
    CHECK(c->phrase == "2026-02-30");
    // Punctuation after a date that starts or ends the text goes with it.
    for (const auto& [text, day, rest] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"yesterday: paired with bob", "2026-11-19", "paired with bob"},
             {"on nov 3, shipped the importer", "2026-11-03", "shipped the importer"},
             {"2026-11-02- fixed the pager", "2026-11-02", "fixed the pager"},
             {"paired with bob last friday.", "2026-11-13", "paired with bob"},
             {"shipped it yesterday! #win", "2026-11-19", "shipped it #win"}}) {
        INFO(text);
        auto d = find_happened_date(text, kToday);
        REQUIRE(d);
        CHECK(d->kind == Kind::Past);
        CHECK(iso_day(d->date) == day);
        CHECK(d->rest == rest);
    }
    auto future = find_happened_date("tomorrow: the launch", kToday);
    REQUIRE(future);
    CHECK(future->phrase == "tomorrow");  // as the refusal quotes it
    CHECK_FALSE(find_happened_date("yesterday's fix held up", kToday));
    CHECK_FALSE(find_happened_date("fixed the friday deploy bug #ops", kToday));
    CHECK_FALSE(find_happened_date("prepared the plan for next friday", kToday));
}
