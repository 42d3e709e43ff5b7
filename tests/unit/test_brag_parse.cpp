#include <catch2/catch.hpp>

#include "commands/brag_text.hpp"
#include "src/core/error.hpp"

using namespace careerbot;
using namespace date::literals;

namespace {
const date::year_month_day kToday = 2026_y / 11 / 20;
}

TEST_CASE("tags, link, impact and date are recognised in a brag", "[brag]") {
    auto f = commands::parse_brag(
        "yesterday shipped the #Billing migration #infra https://git.example/pr/42. "
        "impact: cut p99 latency by 40%",
        kToday);
    CHECK(f.text == "shipped the #Billing migration #infra https://git.example/pr/42.");
    CHECK(f.tags == std::vector<std::string>{"billing", "infra"});
    CHECK(f.link == "https://git.example/pr/42");
    CHECK(f.impact == "cut p99 latency by 40%");
    CHECK(f.happened_on == "2026-11-19");
}

TEST_CASE("a brag without a date happened today", "[brag]") {
    auto f = commands::parse_brag("mentored a new hire", kToday);
    CHECK(f.happened_on == "2026-11-20");
    CHECK(f.tags.empty());
    CHECK(f.link.empty());
}

TEST_CASE("URL fragments and channel names are not tags", "[brag]") {
    auto f = commands::parse_brag("read https://x.io/page#section in a#b and #ops-oncall", kToday);
    CHECK(f.tags == std::vector<std::string>{"ops-oncall"});
}

TEST_CASE("a brag with only a date or only an impact is refused", "[brag]") {
    CHECK_THROWS_AS(commands::parse_brag("yesterday", kToday), UserError);
    CHECK_THROWS_AS(commands::parse_brag("impact: huge", kToday), UserError);
}

TEST_CASE("a brag dated in the future is refused", "[brag]") {
    CHECK_THROWS_WITH(commands::parse_brag("2026-12-01 will ship", kToday),
                      Catch::Contains("future"));
}

TEST_CASE("Slack text is stored as plain text with names resolved", "[brag]") {
    auto names = [](const std::string& id) { return id == "U1" ? std::string("bob") : id; };
    CHECK(commands::to_plain("paired with <@U1|bob> &amp; <!here> on <https://a.b/c|the fix>",
                             names) == "paired with @bob & @here on the fix (https://a.b/c)");
}

TEST_CASE("echoed brag lines escape what the user typed", "[brag]") {
    storage::Brag b;
    b.number = 3;
    b.happened_on = "2026-11-19";
    b.text = "<!channel> ping <@U1> & <http://evil|bank>";
    b.link = "https://x.io/?a=1&b=2";
    auto line = commands::brag_line(b);
    CHECK(line.find("<!channel>") == std::string::npos);
    CHECK(line.find("<@U1>") == std::string::npos);
    CHECK(line.find("&lt;!channel&gt;") != std::string::npos);
    CHECK(line.find("<https://x.io/?a=1&amp;b=2|link>") != std::string::npos);
}

TEST_CASE("a date before trailing tags and links dates the brag", "[brag][dates]") {
    auto f = commands::parse_brag("fixed the login bug on 2026-09-28 #bugfix", kToday);
    CHECK(f.happened_on == "2026-09-28");
    CHECK(f.text == "fixed the login bug #bugfix");
    CHECK(f.tags == std::vector<std::string>{"bugfix"});
    auto g =
        commands::parse_brag("wrote the postmortem yesterday #ops https://docs.example/pm", kToday);
    CHECK(g.happened_on == "2026-11-19");
    CHECK(g.text == "wrote the postmortem #ops https://docs.example/pm");
    CHECK(g.link == "https://docs.example/pm");
}

TEST_CASE("an impossible date in a brag is refused, not logged today", "[brag][dates]") {
    CHECK_THROWS_WITH(commands::parse_brag("2026-02-30 fixed the login bug", kToday),
                      Catch::Contains("`2026-02-30` is not a date on the calendar"));
    CHECK_THROWS_WITH(commands::parse_brag("fixed the login bug on feb 30 #bugfix", kToday),
                      Catch::Contains("`feb 30` is not a date on the calendar"));
    CHECK_THROWS_WITH(commands::parse_brag("fixed the login bug feb 29 2027", kToday),
                      Catch::Contains("not a date on the calendar"));
}

TEST_CASE("a future day in a brag is refused, not logged today", "[brag][dates]") {
    CHECK_THROWS_WITH(commands::parse_brag("will demo the new flow tomorrow", kToday),
                      Catch::Contains("`tomorrow` is in the future (2026-11-21)"));
    CHECK_THROWS_WITH(commands::parse_brag("demo on next friday #frontend", kToday),
                      Catch::Contains("in the future (2026-11-27)"));
    CHECK_THROWS_WITH(commands::parse_brag("shipped v2 on dec 3 2026", kToday),
                      Catch::Contains("in the future"));
    // A day after "for" or "by" is a deadline the brag mentions, not when it happened.
    auto f = commands::parse_brag("got the demo ready for tomorrow", kToday);
    CHECK(f.happened_on == "2026-11-20");
    CHECK(f.text == "got the demo ready for tomorrow");
}

TEST_CASE("a month-day with or without a year dates the brag", "[brag][dates]") {
    CHECK(commands::parse_brag("shipped v1 on nov 3 2025", kToday).happened_on == "2025-11-03");
    CHECK(commands::parse_brag("dec 24 ran the release", kToday).happened_on == "2025-12-24");
    CHECK(commands::parse_brag("leap-day launch feb 29", kToday).happened_on == "2024-02-29");
}
